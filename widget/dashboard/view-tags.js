// The admins' "Tags and question types" card on the Desks tab (docs/tickets.md "The close
// form"): the two lists the close form offers, one per line, saved together with
// PUT /api/tags. Owns #lcd-tags-root, built on the tab's first showing (only admins see it).
// All text goes in with textContent.

import { el } from "../js/dom.js";
import { parseLines } from "./record-form.js";
import { S } from "./strings.js";
import { button, field, messageBoxes, setStatus, showErrors } from "./view-desks-fields.js";

const G = S.tags;

export class TagsSection {
  /**
   * @param {object} o
   * @param {Document} o.doc
   * @param {object} o.api  Api: tags(), setTags(body)
   * @param {Function} [o.onAuthLost]
   * @param {Function} [o.onSaved]  (lists) => void   the close form uses the new lists
   */
  constructor({ doc, api, onAuthLost, onSaved }) {
    this.doc = doc;
    this.api = api;
    this.onAuthLost = onAuthLost || (() => {});
    this.onSaved = onSaved || (() => {});
    this.root = doc.getElementById("lcd-tags-root");
  }

  build() {
    if (this.built || !this.root) return;
    this.built = true;
    const d = this.doc;
    const card = el(d, "section", "lcd-card lcd-tags-card");
    card.setAttribute("aria-labelledby", "lcd-tags-title");
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h2", "lcd-card-title", G.title);
    title.id = "lcd-tags-title";
    head.append(title);
    const form = el(d, "form", "lcd-form lcd-tags-form");
    form.noValidate = true;
    const boxes = messageBoxes(d);
    const tags = field(d, { id: "lcd-tags-tags", label: G.tags, tag: "textarea", attrs: { rows: 8 } });
    const types = field(d, { id: "lcd-tags-types", label: G.types, tag: "textarea", attrs: { rows: 6 } });
    const save = button(d, G.save, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    save.id = "lcd-tags-save";
    form.append(boxes.alert, boxes.status, tags.wrap, types.wrap, save);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.save();
    });
    card.append(head, el(d, "p", "lcd-hint", G.lead), form);
    this.root.replaceChildren(card);
    this.e = { alert: boxes.alert, status: boxes.status, tags: tags.input, types: types.input, save };
  }

  async refresh() {
    this.build();
    if (!this.e) return;
    try {
      const res = await this.api.tags();
      this.e.tags.value = (res.tags || []).join("\n");
      this.e.types.value = (res.question_types || []).join("\n");
      this.e.alert.replaceChildren();
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      else showErrors(this.doc, this.e.alert, [{ text: G.loadFailed(err && err.message) }]);
    }
  }

  async save() {
    const e = this.e;
    if (e.save.disabled) return;
    const body = { tags: parseLines(e.tags.value), question_types: parseLines(e.types.value) };
    e.save.disabled = true;
    e.save.textContent = G.saving;
    e.alert.replaceChildren();
    setStatus(this.doc, e.status, "");
    try {
      const res = (await this.api.setTags(body)) || body;
      const lists = { tags: res.tags || body.tags, question_types: res.question_types || body.question_types };
      e.tags.value = lists.tags.join("\n");
      e.types.value = lists.question_types.join("\n");
      setStatus(this.doc, e.status, G.saved(lists.tags.length, lists.question_types.length));
      this.onSaved(lists);
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      else showErrors(this.doc, e.alert, [{ text: G.notSaved(err && err.message) }], { fallback: e.tags });
    } finally {
      e.save.disabled = false;
      e.save.textContent = G.save;
    }
  }
}
