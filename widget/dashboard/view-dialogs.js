// The dashboard's modal questions, on the <dialog> elements of index.html: "are you sure?"
// (#lcd-dialog: End Chat, a 4th chat, signing out with open chats) and "transfer to whom?"
// (#lcd-transfer: a colleague, back to the queue or a desk, and a note). Each resolves a promise when
// the dialog closes and gives focus back to what had it. All text goes in with textContent.

import { el } from "../js/dom.js";
import { S } from "./strings.js";

/** Open `dialog` modally; resolves with `answer(confirmed)` once it closes, focus given back. */
function ask(doc, dialog, answer, focusFirst) {
  const opener = doc.activeElement;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    const done = () => {
      dialog.removeEventListener("close", done);
      resolve(answer(dialog.returnValue === "confirm"));
      if (opener && opener.isConnected && !opener.closest("[hidden]") && typeof opener.focus === "function") {
        opener.focus();
      }
    };
    dialog.addEventListener("close", done);
    dialog.showModal();
    const first = focusFirst();
    if (first) first.focus();
  });
}

/**
 * A modal question; resolves true when the librarian confirms. Escape cancels. Without
 * `confirm` it only tells something: one button (`cancel`, e.g. "OK"), and it resolves false.
 */
export function confirmDialog(doc, e, { title, body, confirm, cancel, defaultAction = "cancel" }) {
  e.dialogTitle.textContent = title;
  e.dialogBody.textContent = body;
  e.dialogConfirm.textContent = confirm || "";
  e.dialogConfirm.hidden = !confirm;
  e.dialogCancel.textContent = cancel;
  const first = defaultAction === "confirm" && confirm ? e.dialogConfirm : e.dialogCancel;
  return ask(doc, e.dialog, (ok) => ok && Boolean(confirm), () => first);
}

/** A radio of the transfer dialog: one group ("lcd-transfer-to") across its fieldsets. */
function radio(doc, { value, kind, label, checked }) {
  const lab = el(doc, "label", "lcd-radio");
  const input = el(doc, "input");
  input.type = "radio";
  input.name = "lcd-transfer-to";
  input.value = value;
  input.dataset.kind = kind;
  input.checked = checked;
  lab.append(input, el(doc, "span", null, label));
  return lab;
}

/**
 * Where a chat goes: a colleague (radio), back to the queue, or a desk (docs/desks.md; the
 * desks of `desks`, [{id, label}]), and an optional note. Resolves {to, note} (to "" for the
 * queue), {to: "", to_queue, note} for a desk, or null when cancelled.
 */
export function transferDialog(doc, e, { name, targets, desks = [] }) {
  e.transferTitle.textContent = S.transfer.title(name);
  e.transferNote.value = "";
  const options = [...targets.map((o) => ({ value: o.id, kind: "operator", label: `${o.name || o.id}${o.state === "away" ? S.transfer.away : ""}` })),
    { value: "", kind: "queue", label: S.transfer.toQueue }];
  e.transferTargets.replaceChildren(...options.map((o, i) => radio(doc, { ...o, checked: i === 0 })));
  const deskSet = e.transferDesksSet;
  if (deskSet && e.transferDesks) {
    e.transferDesks.replaceChildren(...desks.map((q) => radio(doc, { value: q.id, kind: "desk", label: q.label, checked: false })));
    deskSet.hidden = desks.length === 0;
  }
  const answer = (ok) => {
    if (!ok) return null;
    const picked = e.transfer.querySelector('input[name="lcd-transfer-to"]:checked');
    if (picked && picked.dataset.kind === "desk") return { to: "", to_queue: picked.value, note: e.transferNote.value };
    return { to: picked && picked.dataset.kind === "operator" ? picked.value : "", note: e.transferNote.value };
  };
  return ask(doc, e.transfer, answer, () => e.transferTargets.querySelector("input"));
}
