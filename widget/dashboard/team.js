// The admins' Team tab: every operator (role, desks, status, chats) with an editable max chats
// (PUT /api/operators/{id}); the account of one of them (name, role, desk memberships, disable
// and re-enable, docs/desks.md); "Add a librarian" (POST /api/operators) with the temporary
// password shown once; and the patrons' survey results of the last 7 days. Owns
// #lcd-panel-team's contents. The account forms are built on the tab's first showing (only
// admins ever see it). The pure rules at the top are unit-tested in
// widget/tests/dashboard-team.test.mjs.

import { el } from "../js/dom.js";
import { formatClock, stateLabel, surveySummary } from "./logic.js";
import { S } from "./strings.js";
import { button, choice, clearInvalid, field, fieldset, messageBoxes, setStatus, showErrors } from "./view-desks-fields.js";
import { desksPicker } from "./view-team-desks.js";

import { USERNAME, EMAIL, MAX_CHATS_CEILING, MAX_NAME, ROLES, desksText, membership, accountBody, accountChanges, newPasswordProblem, isDisabledError } from "./team-rules.js";
export { USERNAME, EMAIL, MAX_CHATS_CEILING, MAX_NAME, ROLES, desksText, membership, accountBody, accountChanges, newPasswordProblem, isDisabledError } from "./team-rules.js";

// ------------------------------------------------------------------------ view

export class TeamTab {
  /**
   * @param {object} o
   * @param {Document} o.doc
   * @param {object} o.api       Api: operators, queues, setMaxChats, createOperator, updateOperator, surveys
   * @param {Function} [o.onAuthLost]  a REST call said the token is no good
   * @param {Function} [o.confirm]     ({title, body, confirm, cancel}) => Promise<boolean>
   * @param {Function} [o.myId]        () => the signed-in admin's operator id
   * @param {object} [o.clipboard]     navigator.clipboard (tests stand in for it)
   */
  constructor({ doc, api, onAuthLost, confirm, myId, clipboard }) {
    this.doc = doc;
    this.api = api;
    this.onAuthLost = onAuthLost || (() => {});
    this.confirm = confirm || (async () => true);
    this.myId = myId || (() => null);
    this.clipboard = clipboard !== undefined ? clipboard : (doc.defaultView && doc.defaultView.navigator && doc.defaultView.navigator.clipboard) || null;
    this.operators = [];
    this.queues = [];
    this.editingId = null;
    const $ = (id) => doc.getElementById(id);
    this.e = {
      notice: $("lcd-team-notice"), rows: $("lcd-team-rows"),
      summary: $("lcd-survey-summary"), comments: $("lcd-survey-comments"),
    };
  }

  notice(text) {
    if (text) this.e.notice.replaceChildren(el(this.doc, "p", "lcd-pane-notice", text));
    else this.e.notice.replaceChildren();
  }

  failed(err, what) {
    if (err && err.status === 401) this.onAuthLost();
    else this.notice(S.team.loadFailed(what, err && err.message));
  }

  async refresh() {
    this.build();
    this.notice("");
    await Promise.all([this.loadOperators(), this.loadSurveys()]);
  }

  /** The account cards, once: after the operators' table, before the surveys. */
  build() {
    if (this.built) return;
    this.built = true;
    const d = this.doc;
    const table = this.e.rows.closest(".lcd-card");
    this.e.editor = el(d, "section", "lcd-card lcd-account");
    this.e.editor.id = "lcd-account-card";
    this.e.editor.hidden = true;
    this.e.editor.setAttribute("aria-labelledby", "lcd-account-title");
    this.e.add = el(d, "section", "lcd-card lcd-account-add");
    this.e.add.id = "lcd-account-add";
    this.e.add.setAttribute("aria-labelledby", "lcd-account-add-title");
    table.after(this.e.editor, this.e.add);
    this.renderAddForm();
  }

  async loadOperators() {
    let res;
    try {
      const [ops, queues] = await Promise.all([this.api.operators(), this.loadQueues()]);
      res = ops;
      this.queues = queues;
    } catch (err) {
      this.failed(err, S.team.operators);
      return;
    }
    this.operators = res.operators || [];
    this.renderRows();
    if (this.editingId) {
      const o = this.operators.find((x) => x.id === this.editingId);
      if (o) this.renderEditor(o, { keepMessages: true });
    }
    // new desks to offer: a form nobody has typed in yet is drawn again with them
    if (this.e.addForm && this.e.addForm.dataset.desks !== this.desksKey() && !this.e.addForm.dataset.dirty) {
      this.renderAddForm({ keepResult: true });
    }
  }

  /** Every desk, for the memberships (an older service without desks: none to pick). */
  async loadQueues() {
    try {
      const res = await this.api.queues();
      return res.queues || [];
    } catch (err) {
      if (err && err.status === 401) throw err;
      return [];
    }
  }

  desksKey() {
    return this.queues.map((q) => `${q.id}:${q.name}:${q.enabled !== false}`).join("|");
  }

  deskNames() {
    const out = {};
    for (const q of this.queues) out[q.id] = q.name || q.id;
    return out;
  }

  renderRows() {
    const d = this.doc;
    const names = this.deskNames();
    this.e.rows.replaceChildren(...this.operators.map((o) => {
      const label = o.name || o.id;
      const tr = el(d, "tr");
      tr.dataset.operatorId = o.id;
      if (o.disabled) tr.dataset.disabled = "true";
      const name = el(d, "th", "lcd-team-name");
      name.scope = "row";
      name.append(el(d, "span", "lcd-team-person", label), el(d, "span", "lcd-team-username", o.id));
      if (o.disabled) name.append(el(d, "span", "lcd-team-flag", S.accounts.disabledFlag));
      const input = el(d, "input", "lcd-maxchats");
      input.type = "number";
      input.min = "1";
      input.max = String(MAX_CHATS_CEILING);
      input.value = String(o.max_chats ?? "");
      input.id = `lcd-max-${o.id}`;
      input.setAttribute("aria-label", S.team.maxLabel(label));
      const save = button(d, S.team.save, { className: "lcd-btn lcd-btn--small", label: S.team.saveLabel(label) });
      const state = el(d, "span", "lcd-team-saved");
      state.setAttribute("role", "status");
      const form = el(d, "td", "lcd-team-max");
      form.append(input, save, state);
      const submit = async () => {
        const n = Number(input.value);
        if (!Number.isInteger(n) || n < 1 || n > MAX_CHATS_CEILING) {
          state.textContent = S.team.range;
          input.focus();
          return;
        }
        state.textContent = S.team.saving;
        try {
          const saved = await this.api.setMaxChats(o.id, n);
          input.value = String(saved.max_chats ?? n);
          o.max_chats = saved.max_chats ?? n;
          state.textContent = S.team.saved;
        } catch (err) {
          state.textContent = S.team.notSaved(err && err.message);
        }
      };
      save.addEventListener("click", submit);
      input.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") {
          ev.preventDefault();
          submit();
        }
      });
      const edit = button(d, S.accounts.edit, { className: "lcd-btn lcd-btn--small", label: S.accounts.editLabel(label) });
      edit.dataset.operatorId = o.id;
      edit.addEventListener("click", () => this.openEditor(o.id));
      const account = el(d, "td", "lcd-team-account");
      account.append(edit);
      tr.append(name, el(d, "td", null, S.accounts.roles[o.role] || o.role || ""),
        el(d, "td", "lcd-team-desks", desksText(o.queues, names)),
        el(d, "td", null, stateLabel(o.state)),
        el(d, "td", null, String(o.active_chats ?? 0)), form, account);
      return tr;
    }));
  }

  // ------------------------------------------------------------ one account

  openEditor(id) {
    const o = this.operators.find((x) => x.id === id);
    if (!o) return;
    this.editingId = id;
    this.renderEditor(o);
    this.e.editorTitle.focus();
  }

  closeEditor() {
    const id = this.editingId;
    this.editingId = null;
    this.e.editor.hidden = true;
    this.e.editor.replaceChildren();
    const back = [...this.e.rows.querySelectorAll("button[data-operator-id]")].find((b) => b.dataset.operatorId === id);
    if (back) back.focus();
  }

  renderEditor(o, { keepMessages = false } = {}) {
    const d = this.doc;
    const label = o.name || o.id;
    const old = keepMessages && this.e.editorBoxes ? this.e.editorBoxes : null;
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h2", "lcd-card-title", S.accounts.editorTitle(label));
    title.id = "lcd-account-title";
    title.tabIndex = -1;
    const close = button(d, S.accounts.close, { className: "lcd-btn lcd-btn--quiet" });
    close.addEventListener("click", () => this.closeEditor());
    head.append(title, close);
    const form = el(d, "form", "lcd-account-form");
    form.noValidate = true;
    const boxes = old || messageBoxes(d);
    const who = el(d, "p", "lcd-hint", S.accounts.signsInAs(o.id));
    const name = field(d, { id: "lcd-account-name", label: S.accounts.name, value: o.name || "", attrs: { maxlength: MAX_NAME, autocomplete: "off" } });
    const role = field(d, {
      id: "lcd-account-role", label: S.accounts.role, tag: "select", value: o.role || "librarian",
      options: ROLES.map((r) => ({ value: r, label: S.accounts.roles[r] })),
    });
    const desks = desksPicker(d, "lcd-account", this.queues, o.queues);
    const save = button(d, S.accounts.save, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    const actions = el(d, "div", "lcd-form-actions");
    actions.append(save);
    form.append(who, boxes.alert, boxes.status, name.wrap, role.wrap, desks.set, actions);
    const controls = { name: name.input, desks: desks.all };
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearInvalid(controls);
      boxes.alert.replaceChildren();
      const changes = accountChanges({ name: name.input.value, role: role.input.value, ...desks.value() });
      if (changes.errors) {
        showErrors(d, boxes.alert, changes.errors, { controls, lead: changes.errors.length > 1 ? S.accounts.check : undefined });
        return;
      }
      save.disabled = true;
      setStatus(d, boxes.status, S.accounts.saving);
      try {
        const saved = await this.api.updateOperator(o.id, changes.body);
        setStatus(d, boxes.status, S.accounts.saved(saved.name || changes.body.name));
        this.replaceOperator({ ...o, ...saved });
      } catch (err) {
        setStatus(d, boxes.status, "");
        if (err && err.status === 401) this.onAuthLost();
        showErrors(d, boxes.alert, [{ text: S.accounts.notSaved(err && err.message) }], { fallback: save });
      } finally {
        save.disabled = false;
      }
    });

    // disabling, apart from the form: it takes effect at once, after a question
    const danger = el(d, "div", "lcd-account-danger");
    if (o.id === this.myId()) {
      danger.append(el(d, "p", "lcd-hint", S.accounts.ownAccount));
    } else {
      const toggle = button(d, o.disabled ? S.accounts.enable : S.accounts.disable,
        { className: o.disabled ? "lcd-btn" : "lcd-btn lcd-btn--danger" });
      toggle.addEventListener("click", () => this.setDisabled(o, !o.disabled, boxes));
      danger.append(toggle);
    }
    this.e.editorBoxes = boxes;
    this.e.editorTitle = title;
    this.e.editor.replaceChildren(head, form, danger);
    this.e.editor.hidden = false;
  }

  async setDisabled(o, disabled, boxes) {
    const d = this.doc;
    const label = o.name || o.id;
    if (disabled) {
      const ok = await this.confirm({
        title: S.accounts.disableTitle(label), body: S.accounts.disableBody(label),
        confirm: S.accounts.disableConfirm, cancel: S.accounts.disableCancel,
      });
      if (!ok) return;
    }
    boxes.alert.replaceChildren();
    setStatus(d, boxes.status, S.accounts.saving);
    try {
      const saved = await this.api.updateOperator(o.id, { disabled });
      setStatus(d, boxes.status, disabled ? S.accounts.disabledDone(label) : S.accounts.enabledDone(label));
      this.replaceOperator({ ...o, ...saved, disabled: saved.disabled ?? disabled }, { focusToggle: true });
    } catch (err) {
      setStatus(d, boxes.status, "");
      if (err && err.status === 401) this.onAuthLost();
      showErrors(d, boxes.alert, [{ text: S.accounts.notSaved(err && err.message) }]);
    }
  }

  /** One operator changed: their row and, if open, their account card. */
  replaceOperator(o, { focusToggle = false } = {}) {
    this.operators = this.operators.map((x) => (x.id === o.id ? o : x));
    this.renderRows();
    if (this.editingId === o.id) {
      this.renderEditor(o, { keepMessages: true });
      const toggle = this.e.editor.querySelector(".lcd-account-danger button");
      if (focusToggle && toggle) toggle.focus();
    }
  }

  // ---------------------------------------------------------- a new account

  renderAddForm({ keepResult = false } = {}) {
    const d = this.doc;
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h2", "lcd-card-title", S.accounts.addTitle);
    title.id = "lcd-account-add-title";
    head.append(title);
    const form = el(d, "form", "lcd-account-form");
    form.noValidate = true;
    form.addEventListener("input", () => { form.dataset.dirty = "true"; });
    const boxes = keepResult && this.e.addBoxes ? this.e.addBoxes : messageBoxes(d);
    const username = field(d, {
      id: "lcd-new-username", label: S.accounts.username, hint: S.accounts.usernameHint,
      attrs: { maxlength: 64, autocomplete: "off", autocapitalize: "none", spellcheck: "false" },
    });
    const name = field(d, { id: "lcd-new-name", label: S.accounts.name, attrs: { maxlength: MAX_NAME, autocomplete: "off" } });
    const email = field(d, { id: "lcd-new-email", label: S.accounts.email, type: "email", hint: S.accounts.emailHint, attrs: { maxlength: 254, autocomplete: "off" } });
    const role = field(d, {
      id: "lcd-new-role", label: S.accounts.role, tag: "select", value: "librarian",
      options: ROLES.map((r) => ({ value: r, label: S.accounts.roles[r] })),
    });
    const max = field(d, { id: "lcd-new-max", label: S.accounts.maxChats, type: "number", value: "3", attrs: { min: 1, max: MAX_CHATS_CEILING }, className: "lcd-field--short" });
    const desks = desksPicker(d, "lcd-new", this.queues, null);
    const how = fieldset(d, { legend: S.accounts.firstPassword });
    const temp = choice(d, { id: "lcd-new-temporary", type: "radio", name: "lcd-new-how", value: "temporary", label: S.accounts.showTemporary, checked: true, className: "lcd-radio" });
    const invite = choice(d, { id: "lcd-new-invite", type: "radio", name: "lcd-new-how", value: "invite", label: S.accounts.invite, className: "lcd-radio" });
    how.append(temp.wrap, invite.wrap);
    const create = button(d, S.accounts.create, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    const actions = el(d, "div", "lcd-form-actions");
    actions.append(create);
    form.append(boxes.alert, boxes.status, username.wrap, name.wrap, email.wrap, role.wrap, max.wrap, desks.set, how, actions);
    const controls = { username: username.input, name: name.input, email: email.input, max: max.input, desks: desks.all };
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearInvalid(controls);
      boxes.alert.replaceChildren();
      const made = accountBody({
        username: username.input.value, name: name.input.value, email: email.input.value,
        role: role.input.value, maxChats: max.input.value, invite: invite.input.checked, ...desks.value(),
      });
      if (made.errors) {
        showErrors(d, boxes.alert, made.errors, { controls, lead: made.errors.length > 1 ? S.accounts.check : undefined });
        return;
      }
      create.disabled = true;
      setStatus(d, boxes.status, S.accounts.creating);
      let res;
      try {
        res = await this.api.createOperator(made.body);
      } catch (err) {
        create.disabled = false;
        setStatus(d, boxes.status, "");
        if (err && err.status === 401) this.onAuthLost();
        const field409 = err && err.code === "conflict" ? "username" : null;
        showErrors(d, boxes.alert, [{ field: field409, text: S.accounts.notCreated(err && err.message) }], { controls, fallback: create });
        return;
      }
      const who = (res.operator && res.operator.name) || made.body.name;
      this.renderAddForm();
      this.showCreated(who, res.temporary_password, made.body.email);
      this.loadOperators();
    });
    form.dataset.desks = this.desksKey();
    this.e.addBoxes = boxes;
    this.e.addForm = form;
    this.e.add.replaceChildren(head, form);
  }

  /** Created: the temporary password, once, with a Copy button; or where the invitation went. */
  showCreated(name, password, email) {
    const d = this.doc;
    const status = this.e.addBoxes.status;
    if (!password) {
      setStatus(d, status, S.accounts.createdInvite(name, email || ""));
      status.firstElementChild.tabIndex = -1;
      status.firstElementChild.focus();
      return;
    }
    const box = el(d, "div", "lcd-form-status-text lcd-created");
    const code = el(d, "code", "lcd-temp-password", password);
    const copy = button(d, S.accounts.copy, { className: "lcd-btn lcd-btn--small", label: S.accounts.copyLabel });
    const copied = el(d, "span", "lcd-copied");
    const done = button(d, S.accounts.done, { className: "lcd-btn lcd-btn--small lcd-btn--quiet" });
    const line = el(d, "p", "lcd-temp-line");
    line.append(el(d, "span", null, S.accounts.temporaryLead), " ", code, " ", copy, " ", copied);
    box.append(el(d, "p", "lcd-created-title", S.accounts.createdTemporary(name)), line,
      el(d, "p", "lcd-hint", S.accounts.temporaryHint), done);
    copy.addEventListener("click", async () => {
      copied.textContent = (await this.copy(password, code)) ? S.accounts.copied : S.accounts.copyFailed;
    });
    done.addEventListener("click", () => {
      status.replaceChildren(); // the password leaves the page
      this.e.addForm.querySelector("input").focus();
    });
    status.replaceChildren(box);
    copy.focus();
  }

  /** The clipboard, else the text selected for the admin to copy: true when copied. */
  async copy(text, node) {
    try {
      if (this.clipboard && typeof this.clipboard.writeText === "function") {
        await this.clipboard.writeText(text);
        return true;
      }
    } catch {
      /* not allowed here: select it instead */
    }
    const win = this.doc.defaultView;
    const sel = win && win.getSelection ? win.getSelection() : null;
    if (sel && this.doc.createRange) {
      const range = this.doc.createRange();
      range.selectNodeContents(node);
      sel.removeAllRanges();
      sel.addRange(range);
    }
    return false;
  }

  // ------------------------------------------------------------------ surveys

  async loadSurveys() {
    let s;
    try {
      s = await this.api.surveys(7);
    } catch (err) {
      this.failed(err, S.team.surveys);
      return;
    }
    const d = this.doc;
    this.e.summary.textContent = surveySummary(s);
    const withComments = (s.surveys || []).filter((x) => x.comment).slice(0, 20);
    this.e.comments.replaceChildren(...(withComments.length ? withComments.map((x) => {
      const li = el(d, "li", "lcd-comment");
      li.append(el(d, "p", "lcd-comment-text", x.comment),
        el(d, "p", "lcd-comment-meta", S.team.comment(x.rating, x.answered, x.submitted_at ? formatClock(x.submitted_at) : "")));
      return li;
    }) : [el(d, "li", "lcd-empty", S.team.noComments)]));
  }
}
