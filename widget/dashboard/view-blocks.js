// The DOM of blocking an abusive patron (docs/privacy.md "Blocks"): a chat pane's "Block
// patron…" button (under who and what, away from End Chat) and its note once blocked
// (PaneBlock, made by view-pane.js), the block's dialog (BlockDialog: how long, why; the
// service's refusals in its alert), and the admins' Blocks section at the end of the Team tab
// (BlocksSection: the blocks in force, Lift each). The rules and requests are blocks.js's;
// every text goes in with textContent.

import { el } from "../js/dom.js";
import { BLOCKS as B } from "./strings-blocks.js";
import { button, clearInvalid, field, fieldset, messageBoxes, setStatus, showErrors } from "./view-desks-fields.js";
import { makeDialog, modal } from "./view-record.js";

/** In a chat pane: the button in its actions, and the note that says the patron is blocked. */
export class PaneBlock {
  /** @param {Document} doc  @param {Function} onBlock  the button was clicked */
  constructor(doc, onBlock) {
    this.button = button(doc, B.button, { className: "lcd-btn lcd-btn--quiet lcd-btn--small lcd-block-patron" });
    this.button.addEventListener("click", () => onBlock());
    this.note = el(doc, "p", "lcd-blocked-note");
    this.note.tabIndex = -1; // focus lands here when the dialog that blocked closes
    this.note.hidden = true;
  }

  /** The patron is blocked (`text` says until when), or not (""): the note shows, the button goes. */
  show(text) {
    this.note.textContent = text || "";
    this.note.hidden = !text;
    this.button.hidden = Boolean(text);
  }

  /** Where focus goes when the dialog closed and its opener is gone: the note, if it shows. */
  focusTarget() {
    return this.note.isConnected && !this.note.hidden && !this.note.closest("[hidden]") ? this.note : null;
  }
}

/** "Block the patron from new chats": how long (radios), why (required), Block / Cancel. */
export class BlockDialog {
  /** @param {Document} doc  @param {object} o {host, fallbackFocus: () => element} */
  constructor(doc, { host, fallbackFocus } = {}) {
    this.doc = doc;
    this.host = host || doc.body;
    this.fallbackFocus = fallbackFocus || (() => null);
  }

  build(maxReason) {
    if (this.e) return;
    const d = this.doc;
    const base = makeDialog(d, this.host, "lcd-block", "lcd-block-dialog");
    const durations = fieldset(d, { legend: B.duration, className: "lcd-block-durations" });
    const choices = el(d, "div", "lcd-transfer-targets");
    durations.append(choices);
    const reason = field(d, { id: "lcd-block-reason", label: B.reason, tag: "textarea", hint: B.reasonHint(maxReason),
      attrs: { maxlength: maxReason, rows: 3, required: true, "aria-required": "true" } });
    const actions = el(d, "div", "lcd-dialog-actions");
    const cancel = button(d, B.cancel);
    cancel.id = "lcd-block-cancel";
    cancel.addEventListener("click", () => base.dialog.close());
    const save = button(d, B.block, { className: "lcd-btn lcd-btn--danger", type: "submit" });
    save.id = "lcd-block-save";
    actions.append(cancel, save);
    base.form.append(durations, reason.wrap, actions);
    base.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (this.onSave) this.onSave();
    });
    this.e = { ...base, choices, reason: reason.input, save };
  }

  /**
   * opts: {name, choices: [{hours, label, checked}], maxReason, save(values) => {errors} | {value},
   * fallback: () => element}. Resolves with the value saved (the block), or null (Cancel, Escape).
   */
  open(opts) {
    this.build(opts.maxReason);
    const d = this.doc;
    const e = this.e;
    e.title.textContent = B.title(opts.name);
    e.lead.textContent = B.lead;
    e.alert.replaceChildren();
    e.choices.replaceChildren(...opts.choices.map((c) => {
      const lab = el(d, "label", "lcd-radio");
      const input = el(d, "input");
      input.type = "radio";
      input.name = "lcd-block-hours";
      input.value = String(c.hours);
      input.checked = Boolean(c.checked);
      lab.append(input, el(d, "span", null, c.label));
      return lab;
    }));
    e.reason.value = "";
    clearInvalid({ reason: e.reason });
    e.save.disabled = false;
    e.save.textContent = B.block;
    const first = e.choices.querySelector("input:checked") || e.choices.querySelector("input");
    const m = modal(d, e.dialog, first, () => (opts.fallback && opts.fallback()) || this.fallbackFocus());
    this.onSave = async () => {
      if (e.save.disabled) return;
      const picked = e.choices.querySelector("input:checked");
      const values = { hours: picked ? Number(picked.value) : null, reason: e.reason.value };
      clearInvalid({ reason: e.reason });
      e.alert.replaceChildren();
      e.save.disabled = true;
      e.save.textContent = B.blocking;
      let res;
      try {
        res = await opts.save(values);
      } catch (err) {
        res = { errors: [{ text: B.notBlocked(err && err.message) }] };
      }
      e.save.disabled = false;
      e.save.textContent = B.block;
      if (res && res.errors && res.errors.length) {
        showErrors(d, e.alert, res.errors, { controls: { reason: e.reason, hours: null }, fallback: first || e.reason });
        return;
      }
      m.finish(res ? res.value ?? true : true);
    };
    return m.shown;
  }
}

/** The admins' Blocks section, the last card of the Team tab; built on first use. */
export class BlocksSection {
  /** @param {Document} doc  @param {object} o {panel: #lcd-panel-team} */
  constructor(doc, { panel }) {
    this.doc = doc;
    this.panel = panel;
    this.handlers = {};
    this.lift = new Map(); // block id -> its Lift button
  }

  call(name, ...args) {
    const fn = this.handlers[name];
    return fn ? fn(...args) : undefined;
  }

  /** Calls `shown()` whenever the Team tab's panel comes into view (however it was selected). */
  watch(shown) {
    const panel = this.panel;
    const Observer = this.doc.defaultView && this.doc.defaultView.MutationObserver;
    if (!panel || !Observer) return;
    let visible = !panel.hidden;
    new Observer(() => {
      if (visible === !panel.hidden) return;
      visible = !panel.hidden;
      if (visible) shown();
    }).observe(panel, { attributes: true, attributeFilter: ["hidden"] });
    if (visible) shown();
  }

  build() {
    if (this.e || !this.panel) return;
    const d = this.doc;
    const card = el(d, "section", "lcd-card lcd-blocks");
    card.id = "lcd-blocks";
    card.setAttribute("aria-labelledby", "lcd-blocks-title");
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h2", "lcd-card-title", B.sectionTitle);
    title.id = "lcd-blocks-title";
    const refresh = button(d, B.refresh, { className: "lcd-btn lcd-btn--small", label: B.refreshLabel });
    refresh.addEventListener("click", () => this.call("refresh"));
    head.append(title, refresh);
    const lead = el(d, "p", "lcd-blocks-lead", B.sectionLead);
    const boxes = messageBoxes(d);
    boxes.status.id = "lcd-blocks-status";
    const scroll = el(d, "div", "lcd-table-scroll");
    scroll.tabIndex = 0;
    scroll.setAttribute("role", "region");
    scroll.setAttribute("aria-label", B.tableLabel);
    const table = el(d, "table", "lcd-table lcd-blocks-table");
    table.setAttribute("aria-labelledby", "lcd-blocks-title");
    const thead = el(d, "thead");
    const tr = el(d, "tr");
    const c = B.col;
    for (const text of [c.until, c.reason, c.by, c.desk, c.lift]) {
      const th = el(d, "th", null, text);
      th.scope = "col";
      tr.append(th);
    }
    thead.append(tr);
    const rows = el(d, "tbody");
    rows.id = "lcd-blocks-rows";
    table.append(thead, rows);
    scroll.append(table);
    scroll.hidden = true;
    const empty = el(d, "p", "lcd-empty", B.none);
    empty.id = "lcd-blocks-empty";
    empty.hidden = true;
    card.append(head, lead, boxes.alert, boxes.status, scroll, empty);
    (this.panel.querySelector(".lcd-team-grid") || this.panel).append(card);
    this.e = { card, refresh, alert: boxes.alert, status: boxes.status, scroll, rows, empty };
  }

  loading() {
    if (!this.e) return;
    setStatus(this.doc, this.e.status, B.loading);
  }

  status(text) {
    if (this.e) setStatus(this.doc, this.e.status, text);
  }

  failed(text) {
    if (!this.e) return;
    setStatus(this.doc, this.e.status, "");
    this.e.alert.replaceChildren(el(this.doc, "p", "lcd-form-error-text", text));
  }

  /** rows: [{id, until, untilIso, reason, by, desk}]; `focus: "list"`: the first Lift, else Refresh. */
  render(rows, { focus } = {}) {
    if (!this.e) return;
    const d = this.doc;
    this.e.alert.replaceChildren();
    this.lift.clear();
    this.e.rows.replaceChildren(...rows.map((r) => {
      const tr = el(d, "tr");
      tr.dataset.blockId = r.id;
      const until = el(d, "td");
      const time = el(d, "time", null, r.until);
      time.dateTime = r.untilIso;
      until.append(time);
      const reason = el(d, "td", "lcd-blocks-reason", r.reason);
      const lift = button(d, B.lift, { className: "lcd-btn lcd-btn--small", label: B.liftLabel(r.reason, r.until) });
      lift.addEventListener("click", () => this.call("lift", r.id));
      this.lift.set(r.id, lift);
      const cell = el(d, "td");
      cell.append(lift);
      tr.append(until, reason, el(d, "td", null, r.by), el(d, "td", null, r.desk), cell);
      return tr;
    }));
    this.e.scroll.hidden = rows.length === 0;
    this.e.empty.hidden = rows.length > 0;
    if (focus === "list") (this.lift.values().next().value || this.e.refresh).focus();
  }

  liftBusy(id, busy) {
    const b = this.lift.get(id);
    if (!b) return;
    b.disabled = busy;
    b.textContent = busy ? B.lifting : B.lift;
  }
}
