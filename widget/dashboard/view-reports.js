// The Reports tab's DOM (docs/reports.md): the filter form (from / to, desk, library,
// librarian, tag), the admins' wait-to-claim target, the summary figures, one <figure> per
// chart (its caption, a canvas with role="img" and a summary, then the same numbers as a real
// table, and its Download CSV button), the per-librarian table and "Download all records".
// Owns #lcd-reports-root, built on the tab's first showing. The controller (reports.js) says
// what to show; intents go to `handlers`. All text goes in with textContent; Chart.js draws.

import { el } from "../js/dom.js";
import { RangeFormView } from "./view-range-form.js";
import { RECORDS } from "./reports.js";
import { REPORTS } from "./strings-reports.js";
import { setBusy } from "./view-composer.js";
import { button, field } from "./view-desks-fields.js";

const R = REPORTS;
const NUMERIC = /^[-+]?\d[\d,.]*( ?(%|s|min))?$/;

function options(doc, select, list, keep) {
  select.replaceChildren(...list.map((o) => {
    const opt = el(doc, "option", null, o.label);
    opt.value = o.value;
    return opt;
  }));
  select.value = list.some((o) => o.value === keep) ? keep : "";
}

export class ReportsView {
  /** @param {Document} doc  @param {Window} [win] */
  constructor(doc, win = globalThis) {
    this.doc = doc;
    this.win = win;
    this.handlers = {};
    this.charts = []; // the Chart instances drawn, destroyed before the next report
    const $ = (id) => doc.getElementById(id);
    this.e = { notice: $("lcd-reports-notice"), root: $("lcd-reports-root") };
    this.downloads = new Map(); // table -> its button
  }

  call(name, ...args) {
    const fn = this.handlers[name];
    return fn ? fn(...args) : undefined;
  }

  /** The form, once; `range` the default {from, to}; admins get the target form too. */
  build(range, { admin = false } = {}) {
    if (this.built) return;
    this.built = true;
    const d = this.doc;
    const e = this.e;
    const card = el(d, "section", "lcd-card lcd-reports");
    card.setAttribute("aria-labelledby", "lcd-reports-title");
    const head = el(d, "div", "lcd-card-head");
    const title = el(d, "h1", "lcd-card-title", R.title);
    title.id = "lcd-reports-title";
    head.append(title);
    const lead = el(d, "p", "lcd-reports-lead", R.lead);
    const form = el(d, "form", "lcd-reports-form");
    form.id = "lcd-reports-form";
    form.noValidate = true;
    form.setAttribute("aria-label", R.filtersLabel);
    const from = field(d, { id: "lcd-reports-from", label: R.from, type: "date", value: range.from });
    const to = field(d, { id: "lcd-reports-to", label: R.to, type: "date", value: range.to });
    const desk = field(d, { id: "lcd-reports-desk", label: R.desk, tag: "select", options: [{ value: "", label: R.allDesks }] });
    const library = field(d, { id: "lcd-reports-library", label: R.library, tag: "select", options: [{ value: "", label: R.allLibraries }] });
    const who = field(d, { id: "lcd-reports-operator", label: R.librarian, tag: "select", options: [{ value: "", label: R.anyone }] });
    const tag = field(d, { id: "lcd-reports-tag", label: R.tag, tag: "select", options: [{ value: "", label: R.anyTag }] });
    e.apply = button(d, R.apply, { className: "lcd-btn lcd-btn--primary", type: "submit" });
    e.apply.id = "lcd-reports-apply";
    e.alert = el(d, "div", "lcd-form-error");
    e.alert.setAttribute("role", "alert");
    form.append(e.alert, from.wrap, to.wrap, desk.wrap, library.wrap, who.wrap, tag.wrap, e.apply);
    Object.assign(e, { from: from.input, to: to.input, desk: desk.input, library: library.input, operator: who.input, tag: tag.input });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (e.apply.getAttribute("aria-disabled") !== "true") this.call("apply", this.filters());
    });
    e.status = el(d, "div", "lcd-reports-status");
    e.status.id = "lcd-reports-status";
    e.status.setAttribute("role", "status");
    card.append(head, lead, form);
    if (admin) card.append(this.buildTarget());
    card.append(e.status);
    e.results = el(d, "div", "lcd-reports-results");
    e.results.id = "lcd-reports-results";
    e.results.hidden = true;
    e.root.replaceChildren(card, e.results);
  }

  buildTarget() {
    const d = this.doc;
    const e = this.e;
    const form = el(d, "form", "lcd-reports-target");
    form.id = "lcd-reports-target";
    form.noValidate = true;
    form.setAttribute("aria-labelledby", "lcd-reports-target-title");
    const title = el(d, "h2", "lcd-subtitle", R.targetTitle);
    title.id = "lcd-reports-target-title";
    const input = field(d, { id: "lcd-reports-target-seconds", label: R.targetLabel, type: "number", hint: R.targetHint,
      attrs: { min: 10, max: 3600, step: 1, inputmode: "numeric" } });
    e.target = input.input;
    e.targetSave = button(d, R.targetSave, { type: "submit" });
    e.targetSave.id = "lcd-reports-target-save";
    e.targetMsg = el(d, "div", "lcd-form-status");
    e.targetMsg.setAttribute("role", "status");
    form.append(title, input.wrap, e.targetSave, e.targetMsg);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (e.targetSave.getAttribute("aria-disabled") !== "true") this.call("saveTarget", e.target.value);
    });
    return form;
  }

  /** The form's values as reports.js reportQuery takes them. */
  filters() {
    const e = this.e;
    return { from: e.from.value, to: e.to.value, queue: e.desk.value, library: e.library.value, operator: e.operator.value, tag: e.tag.value };
  }

  /** The selects' choices (reports.js filterChoices), each after its "all" option; what was picked stays. */
  setChoices({ desks, libraries, librarians, tags }) {
    const d = this.doc;
    const e = this.e;
    if (desks) options(d, e.desk, [{ value: "", label: R.allDesks }, ...desks], e.desk.value);
    if (libraries) options(d, e.library, [{ value: "", label: R.allLibraries }, ...libraries], e.library.value);
    if (librarians) options(d, e.operator, [{ value: "", label: R.anyone }, ...librarians], e.operator.value);
    if (tags) options(d, e.tag, [{ value: "", label: R.anyTag }, ...tags], e.tag.value);
  }

  // ------------------------------------------------------------ what the controller calls

  /** Loading: the Apply button says so, and the results are aria-busy until drawn. */
  busy(on) {
    setBusy(this.e.apply, on, on ? R.applying : R.apply);
    if (on) this.e.results.setAttribute("aria-busy", "true");
    else this.e.results.removeAttribute("aria-busy");
  }

  targetBusy(on) {
    if (this.e.targetSave) setBusy(this.e.targetSave, on, on ? R.targetSaving : R.targetSave);
  }

  targetStatus(text, { error = false } = {}) {
    const box = this.e.targetMsg;
    if (!box) return;
    box.replaceChildren(...(text ? [el(this.doc, "p", error ? "lcd-field-error" : "lcd-form-status-text", text)] : []));
    if (error && this.e.target) this.e.target.setAttribute("aria-invalid", "true");
    else if (this.e.target) this.e.target.removeAttribute("aria-invalid");
  }

  downloadBusy(table, on) {
    const b = this.downloads.get(table);
    if (b) setBusy(b, on, on ? R.downloading : b.dataset.text);
  }

  /** A file the service sent: saved through a temporary object URL and <a download>. */
  saveFile(blob, name) {
    const d = this.doc;
    const URL_ = this.win.URL || globalThis.URL;
    const url = URL_.createObjectURL(blob);
    const a = el(d, "a", "lcd-sr-only");
    a.href = url;
    a.download = name;
    a.tabIndex = -1;
    a.setAttribute("aria-hidden", "true");
    (d.body || d.documentElement).append(a);
    a.click();
    a.remove();
    (this.win.setTimeout || setTimeout)(() => URL_.revokeObjectURL(url), 60 * 1000);
  }

  /**
   * A report: {figures (summary), specs (reports-charts.js chartSpecs), Chart (the library, or
   * null: tables only), target}. Everything below the form is built anew.
   */
  render(report, { figures, specs, Chart, target }) {
    const d = this.doc;
    const e = this.e;
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.downloads = new Map();
    if (e.target && target && d.activeElement !== e.target) e.target.value = String(target);
    const summary = el(d, "section", "lcd-card lcd-reports-summary");
    summary.setAttribute("aria-labelledby", "lcd-reports-summary-title");
    const sHead = el(d, "div", "lcd-card-head");
    const sTitle = el(d, "h2", "lcd-card-title", R.summaryTitle);
    sTitle.id = "lcd-reports-summary-title";
    const records = this.downloadButton(RECORDS, R.records, R.records);
    records.id = "lcd-reports-records";
    records.setAttribute("aria-describedby", "lcd-reports-records-hint");
    sHead.append(sTitle, records);
    const dl = el(d, "dl", "lcd-reports-figures");
    dl.id = "lcd-reports-figures";
    for (const f of figures) {
      const item = el(d, "div", "lcd-reports-figure-item");
      item.dataset.figure = f.key;
      const dd = el(d, "dd", null, f.value);
      if (f.note) dd.append(" ", el(d, "span", "lcd-reports-figure-note", `(${f.note})`));
      item.append(el(d, "dt", null, f.label), dd);
      dl.append(item);
    }
    const hint = el(d, "p", "lcd-hint lcd-reports-records-hint", R.recordsHint);
    hint.id = "lcd-reports-records-hint";
    summary.append(sHead, dl, hint);
    const grid = el(d, "div", "lcd-reports-grid");
    const drawn = [];
    for (const spec of specs) {
      const { figure, canvas } = this.figure(spec, report.tables && report.tables[spec.name], { chart: Boolean(Chart) });
      grid.append(figure);
      if (canvas) drawn.push([canvas, spec.config]);
    }
    grid.append(this.figure({ name: "librarians", caption: R.caption.librarians, detail: "" }, report.tables && report.tables.librarians, { chart: false }).figure);
    e.results.replaceChildren(summary, grid);
    e.results.hidden = false;
    if (Chart) {
      Chart.defaults.color = "#525c67";
      Chart.defaults.font.family = getFontFamily(this.win, d);
      for (const [canvas, config] of drawn) {
        try {
          this.charts.push(new Chart(canvas, config));
        } catch (err) {
          canvas.closest("figure").dataset.chartError = String(err && err.message);
        }
      }
    }
  }

  downloadButton(table, text, label) {
    const b = button(this.doc, text, { className: "lcd-btn lcd-btn--small", label: label !== text ? label : undefined });
    b.dataset.table = table;
    b.dataset.text = text;
    b.addEventListener("click", () => {
      if (b.getAttribute("aria-disabled") !== "true") this.call("download", table);
    });
    this.downloads.set(table, b);
    return b;
  }

  /** One chart's <figure>: caption, canvas (role="img", its summary), its table, Download CSV. */
  figure(spec, table, { chart }) {
    const d = this.doc;
    const figure = el(d, "figure", "lcd-card lcd-report");
    figure.dataset.report = spec.name;
    figure.id = `lcd-report-${spec.name}`;
    const capId = `lcd-report-${spec.name}-caption`;
    const cap = el(d, "figcaption", "lcd-report-caption");
    cap.id = capId;
    cap.append(el(d, "span", "lcd-report-title", spec.caption));
    if (spec.detail) cap.append(el(d, "span", "lcd-report-detail", spec.detail));
    figure.append(cap);
    let canvas = null;
    if (chart && spec.config) {
      const box = el(d, "div", "lcd-report-canvas");
      const bars = spec.config.options && spec.config.options.indexAxis === "y" ? spec.config.data.labels.length : 0;
      if (bars > 6) box.style.height = `${Math.min(40, 2 + bars * 1.6)}rem`;
      canvas = el(d, "canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", spec.summary);
      canvas.id = `lcd-report-${spec.name}-chart`;
      box.append(canvas);
      figure.append(box);
    }
    figure.append(this.table(spec, table));
    const actions = el(d, "div", "lcd-report-actions");
    actions.append(this.downloadButton(spec.name, R.csv, R.csvLabel(spec.caption)));
    figure.append(actions);
    return { figure, canvas };
  }

  /** report.tables[NAME] ({title, columns, rows} of text cells) as a table in a scrolling region. */
  table(spec, t) {
    const d = this.doc;
    const data = t && Array.isArray(t.columns) ? t : { title: spec.caption, columns: [], rows: [] };
    const wrap = el(d, "div", "lcd-table-scroll lcd-report-numbers");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", R.numbers(data.title || spec.caption));
    const table = el(d, "table", "lcd-table lcd-report-table");
    table.id = `lcd-report-${spec.name}-table`;
    table.append(el(d, "caption", "lcd-sr-only", data.title || spec.caption)); // the figure's caption shows
    const head = el(d, "tr");
    for (const c of data.columns) {
      const th = el(d, "th", null, String(c));
      th.scope = "col";
      head.append(th);
    }
    const thead = el(d, "thead");
    thead.append(head);
    const tbody = el(d, "tbody");
    const rows = Array.isArray(data.rows) ? data.rows : [];
    const text = (cell) => (cell === null || cell === undefined ? "" : String(cell));
    // a column of numbers (blanks allowed) is right-aligned, its heading too
    const numeric = data.columns.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => text(r[i]) === "" || NUMERIC.test(text(r[i]))));
    numeric.forEach((on, i) => { if (on) head.children[i].classList.add("lcd-num"); });
    for (const row of rows) {
      const tr = el(d, "tr");
      row.forEach((cell, i) => {
        const c = el(d, i === 0 ? "th" : "td", numeric[i] ? "lcd-num" : null, text(cell));
        if (i === 0) c.scope = "row";
        tr.append(c);
      });
      tbody.append(tr);
    }
    if (!rows.length) {
      const tr = el(d, "tr");
      const td = el(d, "td", "lcd-empty-cell", R.noRows);
      td.colSpan = Math.max(1, data.columns.length);
      tr.append(td);
      tbody.append(tr);
    }
    table.append(thead, tbody);
    wrap.append(table);
    return wrap;
  }
}

function getFontFamily(win, doc) {
  try {
    return win.getComputedStyle(doc.body).fontFamily || "system-ui, sans-serif";
  } catch {
    return "system-ui, sans-serif";
  }
}

Object.assign(ReportsView.prototype, RangeFormView); // notice, formErrors, status (view-range-form.js)
