// The Desks tab's form: a new desk or one being edited (docs/desks.md "Queue"): name, id (new
// desks only), library, time zone (suggested from the browser's list), weekly hours or always
// open, closed dates, rollover, the local-information card, privacy (view-desks-privacy.js,
// docs/privacy.md) and whether it is enabled. It reads
// and shows values; the rules (what is valid, the request body) are desks-admin.js's, the
// request the tab's (view-desks-tab.js). Problems, the service's refusals too, go in the form's
// role="alert" box next to the fields.

import { el } from "../js/dom.js";
import {
  addDate, DEFAULT_ROLLOVER_SECONDS, deskToForm, fieldOfMessage, formToBody, MAX_CARD, MAX_NAME,
  removeDate, rolloverTargets, ROLLOVER_MAX, ROLLOVER_MIN, suggestId, timeZones, WEEKDAYS,
} from "./desks-admin.js";
import { S } from "./strings.js";
import { PrivacyFields } from "./view-desks-privacy.js";
import { button, choice, clearInvalid, field, fieldset, messageBoxes, setStatus, showErrors } from "./view-desks-fields.js";

const F = () => S.desks.form;

export class DeskForm {
  /**
   * @param {Document} doc
   * @param {object} o
   * @param {Function} o.save   (body, {creating, id}) => Promise<Queue>  rejects with an ApiError
   * @param {Function} o.close  () => void   the admin closed the form
   * @param {object} [o.intl]   Intl (tests stand in for it)
   */
  constructor(doc, { save, close, intl = globalThis.Intl }) {
    this.doc = doc;
    this.saveFn = save;
    this.closeFn = close;
    this.intl = intl;
    this.queue = null; // the desk being edited; null: a new one
    this.closedDates = [];
    this.idTouched = false;
    this.card = el(doc, "section", "lcd-card lcd-desk-form-card");
    this.card.id = "lcd-desk-form-card";
    this.card.setAttribute("aria-labelledby", "lcd-desk-form-title");
    this.card.hidden = true;
    this.build();
  }

  build() {
    const d = this.doc;
    const f = F();
    const head = el(d, "div", "lcd-card-head");
    this.title = el(d, "h2", "lcd-card-title");
    this.title.id = "lcd-desk-form-title";
    this.title.tabIndex = -1;
    const close = button(d, S.desks.close, { className: "lcd-btn lcd-btn--quiet" });
    close.addEventListener("click", () => this.close());
    head.append(this.title, close);

    const form = el(d, "form", "lcd-desk-form");
    form.noValidate = true;
    this.form = form;
    this.boxes = messageBoxes(d);

    const name = field(d, { id: "lcd-desk-name", label: f.name, attrs: { maxlength: MAX_NAME, autocomplete: "off" } });
    const id = field(d, {
      id: "lcd-desk-id", label: f.id, hint: f.idHint,
      attrs: { maxlength: 32, autocomplete: "off", autocapitalize: "none", spellcheck: "false" },
    });
    this.idFixed = el(d, "p", "lcd-hint lcd-desk-id-fixed");
    name.input.addEventListener("input", () => {
      if (!this.queue && !this.idTouched) id.input.value = suggestId(name.input.value);
    });
    id.input.addEventListener("input", () => { this.idTouched = true; });
    const library = field(d, { id: "lcd-desk-library", label: f.library, hint: f.libraryHint, attrs: { maxlength: MAX_NAME, autocomplete: "off" } });
    const zones = timeZones(this.intl);
    const timezone = field(d, {
      id: "lcd-desk-timezone", label: f.timezone, hint: f.timezoneHint,
      attrs: { autocomplete: "off", autocapitalize: "none", spellcheck: "false", list: zones.length ? "lcd-desk-zones" : null },
    });
    if (zones.length) {
      const list = el(d, "datalist");
      list.id = "lcd-desk-zones";
      for (const z of zones) {
        const o = el(d, "option");
        o.value = z;
        list.append(o);
      }
      timezone.wrap.append(list);
    }

    // opening hours: always open, or per day
    const hours = fieldset(d, { legend: f.hours, className: "lcd-desk-hours" });
    const always = choice(d, { id: "lcd-desk-always", type: "radio", name: "lcd-desk-hours", value: "always", label: f.alwaysOpen, className: "lcd-radio" });
    const weekly = choice(d, { id: "lcd-desk-weekly", type: "radio", name: "lcd-desk-hours", value: "weekly", label: f.weekly, className: "lcd-radio" });
    const days = el(d, "div", "lcd-desk-days");
    const hint = el(d, "p", "lcd-hint lcd-field-hint", f.hoursHint);
    hint.id = "lcd-desk-hours-hint";
    days.append(hint);
    this.dayInputs = {};
    for (const day of WEEKDAYS) {
      const row = field(d, {
        id: `lcd-desk-day-${day}`, label: S.desks.days[day], className: "lcd-desk-day",
        attrs: { autocomplete: "off", spellcheck: "false", "aria-describedby": "lcd-desk-hours-hint", placeholder: S.desks.closedDay },
      });
      this.dayInputs[day] = row.input;
      days.append(row.wrap);
    }
    const syncHours = () => { days.hidden = always.input.checked; };
    always.input.addEventListener("change", syncHours);
    weekly.input.addEventListener("change", syncHours);
    this.syncHours = syncHours;
    hours.append(always.wrap, weekly.wrap, days);

    // closed dates
    const closed = fieldset(d, { legend: f.closedDates, hint: f.closedDatesHint, id: "lcd-desk-closed", className: "lcd-desk-closed" });
    this.datesList = el(d, "ul", "lcd-desk-dates");
    const addRow = el(d, "div", "lcd-desk-date-add");
    const date = field(d, { id: "lcd-desk-date", label: f.dateToAdd, type: "date" });
    const add = button(d, f.addDate, { className: "lcd-btn" });
    add.addEventListener("click", () => this.addClosedDate());
    date.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        this.addClosedDate();
      }
    });
    addRow.append(date.wrap, add);
    closed.append(this.datesList, addRow);

    // rollover
    const rollover = fieldset(d, { legend: f.rollover, hint: f.rolloverHint, id: "lcd-desk-rollover", className: "lcd-desk-rollover" });
    const to = field(d, { id: "lcd-desk-rollover-to", label: f.rolloverTo, tag: "select" });
    const after = field(d, {
      id: "lcd-desk-rollover-after", label: f.rolloverAfter, type: "number", className: "lcd-field--short",
      attrs: { min: ROLLOVER_MIN, max: ROLLOVER_MAX, step: 1, inputmode: "numeric" },
    });
    to.input.addEventListener("change", () => this.syncRollover());
    const row = el(d, "div", "lcd-desk-rollover-row");
    row.append(to.wrap, after.wrap);
    rollover.append(row);

    // the local-information card
    const cardSet = fieldset(d, { legend: f.card, hint: f.cardHint, id: "lcd-desk-card", className: "lcd-desk-card" });
    const cardText = field(d, { id: "lcd-desk-card-text", label: f.cardText, tag: "textarea", attrs: { rows: 4, maxlength: MAX_CARD } });
    const reviewed = field(d, { id: "lcd-desk-card-reviewed", label: f.reviewed, type: "date", className: "lcd-field--short" });
    cardSet.append(cardText.wrap, reviewed.wrap);

    this.privacy = new PrivacyFields(d);

    const enabled = choice(d, { id: "lcd-desk-enabled", label: f.enabled });
    enabled.wrap.classList.add("lcd-desk-enabled");

    const saveBtn = button(d, S.desks.save, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    const cancel = button(d, S.desks.cancel);
    cancel.addEventListener("click", () => this.close());
    const actions = el(d, "div", "lcd-form-actions");
    actions.append(saveBtn, cancel);

    this.idWrap = id.wrap;
    form.append(this.boxes.alert, this.boxes.status, name.wrap, id.wrap, this.idFixed, library.wrap, timezone.wrap,
      hours, closed, rollover, cardSet, this.privacy.el, enabled.wrap, actions);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.submit();
    });
    this.c = {
      name: name.input, id: id.input, library: library.input, timezone: timezone.input,
      always: always.input, weekly: weekly.input, date: date.input, to: to.input, after: after.input,
      cardText: cardText.input, reviewed: reviewed.input, enabled: enabled.input, save: saveBtn,
    };
    this.card.append(head, form);
  }

  /** Form control per field name of desks-admin.js's errors. */
  controls() {
    const c = this.c;
    const out = {
      id: c.id, name: c.name, library: c.library, timezone: c.timezone, "closed-date": c.date,
      "rollover-to": c.to, "rollover-after": c.after, "card-text": c.cardText, "card-reviewed": c.reviewed,
    };
    for (const day of WEEKDAYS) out[`day-${day}`] = this.dayInputs[day];
    return { ...out, ...this.privacy.controls() };
  }

  /** Show the form for `queue` (null: a new desk); `queues`: every desk, for the rollover. */
  open(queue, queues) {
    const d = this.doc;
    const c = this.c;
    this.queue = queue || null;
    this.idTouched = false;
    const v = deskToForm(queue, { timezone: this.defaultZone() });
    this.title.textContent = queue ? S.desks.editTitle(queue.name || queue.id) : S.desks.newTitle;
    c.name.value = v.name;
    c.id.value = v.id;
    this.idWrap.hidden = Boolean(queue);
    this.idFixed.hidden = !queue;
    this.idFixed.textContent = queue ? S.desks.idFixed(queue.id) : "";
    c.library.value = v.library;
    c.timezone.value = v.timezone;
    c.always.checked = v.alwaysOpen;
    c.weekly.checked = !v.alwaysOpen;
    for (const day of WEEKDAYS) this.dayInputs[day].value = v.days[day];
    this.syncHours();
    this.closedDates = v.closedDates;
    this.renderDates();
    c.date.value = "";
    this.fillTargets(queues, v.rolloverTo);
    c.after.value = v.rolloverAfter;
    this.syncRollover();
    c.cardText.value = v.cardText;
    c.reviewed.value = v.cardReviewed;
    this.privacy.show(queue && queue.privacy);
    c.enabled.checked = v.enabled;
    clearInvalid(this.controls());
    this.boxes.alert.replaceChildren();
    setStatus(d, this.boxes.status, "");
    this.card.hidden = false;
    this.title.focus();
  }

  /** The zone this browser is in: a new desk's first guess. */
  defaultZone() {
    try {
      return new this.intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch {
      return "UTC";
    }
  }

  syncRollover() {
    const none = !this.c.to.value;
    this.c.after.disabled = none;
    if (!none && !this.c.after.value) this.c.after.value = String(DEFAULT_ROLLOVER_SECONDS);
  }

  renderDates() {
    const d = this.doc;
    if (!this.closedDates.length) {
      this.datesList.replaceChildren(el(d, "li", "lcd-hint", S.desks.noDates));
      return;
    }
    this.datesList.replaceChildren(...this.closedDates.map((date) => {
      const li = el(d, "li", "lcd-desk-date");
      const time = el(d, "time", null, date);
      time.dateTime = date;
      const remove = button(d, S.desks.remove, { className: "lcd-btn lcd-btn--small lcd-btn--quiet", label: S.desks.removeDate(date) });
      remove.addEventListener("click", () => {
        const i = this.closedDates.indexOf(date);
        this.closedDates = removeDate(this.closedDates, date);
        this.renderDates();
        const buttons = this.datesList.querySelectorAll("button");
        (buttons[Math.min(i, buttons.length - 1)] || this.c.date).focus();
      });
      li.append(time, remove);
      return li;
    }));
  }

  addClosedDate() {
    const value = this.c.date.value;
    if (!value) {
      showErrors(this.doc, this.boxes.alert, [{ field: "closed-date", text: S.desks.err.needDate }], { controls: this.controls() });
      return;
    }
    this.closedDates = addDate(this.closedDates, value);
    this.c.date.value = "";
    clearInvalid({ date: this.c.date });
    this.renderDates();
    this.c.date.focus();
  }

  values() {
    const c = this.c;
    const days = {};
    for (const day of WEEKDAYS) days[day] = this.dayInputs[day].value;
    return {
      id: c.id.value, name: c.name.value, library: c.library.value, timezone: c.timezone.value,
      alwaysOpen: c.always.checked, days, closedDates: this.closedDates,
      rolloverTo: c.to.value, rolloverAfter: c.after.value,
      cardText: c.cardText.value, cardReviewed: c.reviewed.value, enabled: c.enabled.checked,
      privacy: this.privacy.values(),
    };
  }

  async submit() {
    const d = this.doc;
    const controls = this.controls();
    clearInvalid(controls);
    this.boxes.alert.replaceChildren();
    const creating = !this.queue;
    const made = formToBody(this.values(), { creating, intl: this.intl });
    if (made.errors) {
      showErrors(d, this.boxes.alert, made.errors, { controls, lead: made.errors.length > 1 ? S.desks.check : undefined });
      return;
    }
    this.c.save.disabled = true;
    setStatus(d, this.boxes.status, S.desks.saving);
    try {
      const saved = await this.saveFn(made.body, { creating, id: this.queue ? this.queue.id : made.body.id });
      this.queue = saved;
      for (const o of [...this.c.to.options]) if (o.value === saved.id) o.remove(); // not to itself
      this.title.textContent = S.desks.editTitle(saved.name || saved.id);
      this.idWrap.hidden = true;
      this.idFixed.hidden = false;
      this.idFixed.textContent = S.desks.idFixed(saved.id);
      setStatus(d, this.boxes.status, creating ? S.desks.created(saved.name || saved.id) : S.desks.saved(saved.name || saved.id));
    } catch (err) {
      setStatus(d, this.boxes.status, "");
      const message = err && err.message;
      showErrors(d, this.boxes.alert, [{ field: fieldOfMessage(message), text: S.desks.notSaved(message) }],
        { controls, fallback: this.c.save });
    } finally {
      this.c.save.disabled = false;
    }
  }

  /** The rollover select: no rollover, or any other desk; `chosen` kept when it still exists. */
  fillTargets(queues, chosen) {
    const d = this.doc;
    const targets = rolloverTargets(queues, this.queue ? this.queue.id : null);
    const opts = [{ value: "", label: S.desks.noTarget }, ...targets.map((q) => ({
      value: q.id, label: q.enabled === false ? `${q.name || q.id} (${S.desks.disabled.toLowerCase()})` : (q.name || q.id),
    }))];
    this.c.to.replaceChildren(...opts.map((o) => {
      const opt = el(d, "option", null, o.label);
      opt.value = o.value;
      return opt;
    }));
    this.c.to.value = opts.some((o) => o.value === chosen) ? chosen : "";
  }

  /** The desks changed (one was added or renamed): the rollover choices again. */
  setQueues(queues) {
    if (!this.card.hidden) this.fillTargets(queues, this.c.to.value);
  }

  close() {
    this.card.hidden = true;
    this.queue = null;
    this.closeFn();
  }
}
