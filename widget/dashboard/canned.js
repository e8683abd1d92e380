// Canned messages (the manual's "Canned messages"): the searchable pop-up that inserts one into
// a text box (never sends it), the Manage view for personal ones (and system ones for admins),
// and the cached lists the `/shortcut` suggestions read. Owns the #lcd-canned dialog's DOM; all
// text goes in with textContent.

import { el } from "../js/dom.js";
import { cannedFormError, insertText, searchCanned, shortcutMatches } from "./logic.js";
import { S } from "./strings.js";

export class CannedMessages {
  constructor({ doc, api, isAdmin, onAuthLost }) {
    this.doc = doc;
    this.api = api;
    this.isAdmin = isAdmin;
    this.onAuthLost = onAuthLost || (() => {});
    this.lists = { system: [], personal: [] };
    this.loaded = null; // promise of the first load
    this.target = null; // the text box a choice goes into
    this.editing = null; // canned id being edited, or null for a new one
    this.statusIsCount = false; // the status line shows the match count (not a load message)
    const $ = (id) => doc.getElementById(id);
    this.e = {
      dialog: $("lcd-canned"), close: $("lcd-canned-close"), pick: $("lcd-canned-pick"), search: $("lcd-canned-search"),
      list: $("lcd-canned-list"), status: $("lcd-canned-status"), manage: $("lcd-canned-manage"),
      admin: $("lcd-canned-admin"), manageList: $("lcd-canned-manage-list"), form: $("lcd-canned-form"),
      formTitle: $("lcd-canned-form-title"), formError: $("lcd-canned-form-error"), formStatus: $("lcd-canned-form-status"),
      scopeField: $("lcd-canned-scope-field"),
      scope: $("lcd-canned-scope"), title: $("lcd-canned-title-input"), shortcut: $("lcd-canned-shortcut"),
      text: $("lcd-canned-text"), newBtn: $("lcd-canned-new"), back: $("lcd-canned-back"), heading: $("lcd-canned-title"),
    };
    const e = this.e;
    e.close.addEventListener("click", () => e.dialog.close());
    e.search.addEventListener("input", () => this.renderPick());
    e.search.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown") {
        const first = e.list.querySelector("button");
        if (first) {
          ev.preventDefault();
          first.focus();
        }
      }
    });
    e.list.addEventListener("keydown", (ev) => this.listKey(ev));
    e.manage.addEventListener("click", () => this.showManage());
    // the printable document, from the pop-up and from the header: a window that shares this
    // tab's sign-in (sessionStorage is copied to a window it opens; a plain _blank link is not)
    for (const link of doc.querySelectorAll(".lcd-canned-print-link")) {
      link.addEventListener("click", (ev) => {
        ev.preventDefault();
        doc.defaultView.open(ev.currentTarget.href, "lcd-canned-print");
      });
    }
    e.back.addEventListener("click", () => this.showPick());
    e.newBtn.addEventListener("click", () => this.editForm(null));
    e.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.save();
    });
    e.dialog.addEventListener("close", () => {
      const t = this.target;
      this.target = null;
      if (t && t.isConnected && !t.closest("[hidden]")) t.focus();
    });
  }

  async load() {
    try {
      const res = await this.api.cannedList();
      this.lists = { system: res.system || [], personal: res.personal || [] };
      return true;
    } catch (err) {
      if (err && (err.status === 401 || err.status === 403)) this.onAuthLost();
      return false;
    }
  }

  ensureLoaded() {
    if (!this.loaded) this.loaded = this.load().then((ok) => {
      if (!ok) this.loaded = null;
      return ok;
    });
    return this.loaded;
  }

  /** For `/shortcut` in a text box (synchronous: whatever is cached). */
  shortcuts(prefix) {
    this.ensureLoaded();
    return shortcutMatches(this.lists, prefix);
  }

  async open(textarea) {
    this.target = textarea;
    this.e.search.value = "";
    this.showPick({ focus: false });
    this.e.dialog.showModal();
    this.e.search.focus();
    this.setStatus(S.canned.loading);
    const ok = await this.load();
    this.loaded = Promise.resolve(ok);
    this.setStatus(ok ? "" : S.canned.loadFailed);
    this.renderPick();
  }

  showPick({ focus = true } = {}) {
    this.e.admin.hidden = true;
    this.e.pick.hidden = false;
    this.e.heading.textContent = S.canned.heading;
    this.renderPick();
    if (focus) this.e.search.focus();
  }

  renderPick() {
    const d = this.doc;
    const found = searchCanned(this.lists, this.e.search.value);
    const searching = Boolean(this.e.search.value.trim());
    // Personal Canned Messages always has its place (the manual names it), even while empty
    const groups = [[S.canned.system, found.system, false], [S.canned.personal, found.personal, true]];
    const total = found.system.length + found.personal.length;
    this.e.list.replaceChildren(...groups.filter(([, items, always]) => items.length || always).map(([label, items], g) => {
      const section = el(d, "section", "lcd-canned-group");
      const h = el(d, "h3", "lcd-subtitle", label);
      h.id = `lcd-canned-group-${g}`;
      section.setAttribute("aria-labelledby", h.id);
      const ul = el(d, "ul", "lcd-canned-items");
      ul.setAttribute("aria-labelledby", h.id);
      if (!items.length) ul.append(el(d, "li", "lcd-empty", searching ? S.canned.noneMatch : S.canned.noPersonal));
      for (const c of items) {
        const li = el(d, "li");
        const b = el(d, "button", "lcd-canned-item");
        b.type = "button";
        b.dataset.id = c.id;
        const head = el(d, "span", "lcd-canned-item-title", c.title);
        b.append(head);
        if (c.shortcut) b.append(el(d, "span", "lcd-canned-item-key", ` /${c.shortcut}`));
        b.append(el(d, "span", "lcd-canned-item-text", c.text));
        b.addEventListener("click", () => this.choose(c));
        li.append(b);
        ul.append(li);
      }
      section.append(h, ul);
      return section;
    }));
    if (!this.e.status.textContent || this.statusIsCount) {
      this.setStatus(S.canned.matches(total));
      this.statusIsCount = true;
    }
  }

  /** The pop-up's status line: loading, a failure, or (renderPick) how many match. */
  setStatus(text) {
    this.e.status.textContent = text;
    this.statusIsCount = false;
  }

  listKey(ev) {
    const buttons = [...this.e.list.querySelectorAll("button")];
    const i = buttons.indexOf(this.doc.activeElement);
    if (i < 0) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (ev.key === "ArrowUp" && i === 0) this.e.search.focus();
      else buttons[Math.min(buttons.length - 1, i + (ev.key === "ArrowDown" ? 1 : -1))].focus();
    }
  }

  /** Into the text box at the caret, for editing: never sent from here. */
  choose(c) {
    const ta = this.target;
    if (ta && ta.isConnected) {
      const start = ta.selectionStart ?? ta.value.length;
      const end = ta.selectionEnd ?? start;
      const next = insertText(ta.value, start, end, c.text);
      ta.value = next.value;
      ta.setSelectionRange(next.caret, next.caret);
      ta.dispatchEvent(new Event("input", { bubbles: true }));
    }
    this.e.dialog.close();
  }

  // ------------------------------------------------------------------ manage

  showManage() {
    this.e.pick.hidden = true;
    this.e.admin.hidden = false;
    this.e.heading.textContent = S.canned.manageHeading;
    this.e.scopeField.hidden = !this.isAdmin();
    this.renderManage();
    this.editForm(null);
  }

  renderManage() {
    const d = this.doc;
    const groups = [[S.canned.personal, this.lists.personal, true], [S.canned.system, this.lists.system, this.isAdmin()]];
    this.e.manageList.replaceChildren(...groups.map(([label, items, editable], g) => {
      const section = el(d, "section", "lcd-canned-group");
      const h = el(d, "h3", "lcd-subtitle", label);
      h.id = `lcd-canned-mgroup-${g}`;
      section.setAttribute("aria-labelledby", h.id);
      const ul = el(d, "ul", "lcd-canned-items");
      ul.setAttribute("aria-labelledby", h.id);
      if (!items.length) ul.append(el(d, "li", "lcd-empty", S.canned.noneYet));
      for (const c of items) {
        const li = el(d, "li", "lcd-canned-manage-row");
        li.dataset.id = c.id;
        li.append(el(d, "span", "lcd-canned-item-title", `${c.title}${c.shortcut ? ` (/${c.shortcut})` : ""}`));
        if (editable) {
          const edit = el(d, "button", "lcd-btn lcd-btn--small", S.canned.edit);
          edit.type = "button";
          edit.setAttribute("aria-label", S.canned.editLabel(c.title));
          edit.addEventListener("click", () => this.editForm(c));
          const del = el(d, "button", "lcd-btn lcd-btn--small lcd-btn--danger", S.canned.delete);
          del.type = "button";
          del.setAttribute("aria-label", S.canned.deleteLabel(c.title));
          del.addEventListener("click", () => this.remove(c));
          li.append(edit, del);
        }
        ul.append(li);
      }
      section.append(h, ul);
      return section;
    }));
  }

  editForm(c) {
    const e = this.e;
    this.editing = c ? c.id : null;
    e.formTitle.textContent = c ? S.canned.editTitle(c.title) : S.canned.newTitle;
    e.formError.replaceChildren();
    e.formStatus.replaceChildren();
    e.scope.value = c && c.id.startsWith("s-") ? "system" : "personal";
    e.scope.disabled = Boolean(c);
    e.title.value = c ? c.title : "";
    e.shortcut.value = c && c.shortcut ? c.shortcut : "";
    e.text.value = c ? c.text : "";
    if (c) e.title.focus();
  }

  /** What went wrong, as an alert; clears the success line. */
  formError(text) {
    this.e.formStatus.replaceChildren();
    this.e.formError.replaceChildren(text ? el(this.doc, "p", "lcd-form-error-text", text) : "");
  }

  /** What went right ("Saved."), said politely and styled as success, not as an error. */
  formDone(text) {
    this.e.formError.replaceChildren();
    this.e.formStatus.replaceChildren(el(this.doc, "p", "lcd-form-status-text", text));
  }

  async save() {
    const e = this.e;
    const body = { title: e.title.value.trim(), text: e.text.value, shortcut: e.shortcut.value.trim().replace(/^\//, "").toLowerCase() };
    const problem = cannedFormError(body);
    if (problem) {
      this.formError(problem);
      return;
    }
    if (!body.shortcut) delete body.shortcut;
    const scope = this.isAdmin() ? e.scope.value : "personal";
    await this.change(() => (this.editing ? this.api.cannedUpdate(this.editing, body) : this.api.cannedCreate({ ...body, scope })),
      S.canned.saved, S.canned.notSaved);
  }

  remove(c) {
    return this.change(() => this.api.cannedDelete(c.id), S.canned.deleted(c.title), S.canned.notDeleted);
  }

  /** One change through the service, then the lists again, an empty form and the outcome in words. */
  async change(request, done, failed) {
    try {
      await request();
    } catch (err) {
      this.formError(failed(err && err.message));
      return;
    }
    await this.load();
    this.renderManage();
    this.editForm(null);
    this.formDone(done);
  }
}
