// The Team tab's desk-membership picker ("All desks", or some of them), built for the
// account editor and the add-a-librarian form (team.js).

import { el } from "../js/dom.js";
import { S } from "./strings.js";
import { choice, fieldset } from "./view-desks-fields.js";

/** Desk checkboxes under "All desks": the list is unavailable while All desks is ticked. */
export function desksPicker(doc, idPrefix, queues, current) {
  const set = fieldset(doc, { legend: S.accounts.desksLegend, hint: S.accounts.desksHint, id: `${idPrefix}-desks`, className: "lcd-desks-pick" });
  const all = choice(doc, { id: `${idPrefix}-all`, label: S.accounts.allDesksOption, checked: current === null || current === undefined });
  const boxes = (queues || []).map((q) => {
    const c = choice(doc, {
      id: `${idPrefix}-desk-${q.id}`, label: q.enabled === false ? `${q.name || q.id} (${S.desks.disabled.toLowerCase()})` : (q.name || q.id),
      value: q.id, checked: Array.isArray(current) && current.includes(q.id),
    });
    return c;
  });
  const list = el(doc, "div", "lcd-desks-pick-list");
  list.append(...boxes.map((b) => b.wrap));
  const sync = () => {
    for (const b of boxes) b.input.disabled = all.input.checked;
  };
  all.input.addEventListener("change", sync);
  sync();
  set.append(all.wrap, list);
  return {
    set,
    all: all.input,
    value: () => ({ allDesks: all.input.checked, desks: boxes.filter((b) => b.input.checked).map((b) => b.input.value) }),
  };
}
