// The Reports tab's rules and behaviour (docs/reports.md): the filters (from / to, the last 30
// days by default; desk, library, librarian, tag) as GET /api/reports's query, the report and
// its charts (reports-charts.js), the admins' wait-to-claim target (PUT /api/reports/target),
// and each table's CSV download (GET /api/reports/csv?table=NAME&...) saved under the name the
// service gives it. No DOM: the view (view-reports.js) renders and reports intents. Unit-tested
// in widget/tests/dashboard-reports.test.mjs.

import { chartSpecs } from "./reports-charts.js";
import { REPORTS, seconds, share } from "./strings-reports.js";

const R = REPORTS;
export const MAX_DAYS = 366;
export const TARGET_MIN = 10;
export const TARGET_MAX = 3600;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The report's filters, in the order the query names them. */
export const FILTERS = ["queue", "library", "operator", "tag"];
/** Every table a report has (docs/reports.md), and the one of every record. */
export const TABLES = ["per_day", "heat_map", "wait", "duration", "outcomes", "ratings", "read", "question_types", "tags", "librarians"];
export const RECORDS = "records";

/** A Date's local calendar day as YYYY-MM-DD. */
export function localDay(date) {
  const p = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

/** The default range: the last 30 days, today included (the service's default too). */
export function defaultRange(now = Date.now()) {
  const today = new Date(now);
  const from = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
  return { from: localDay(from), to: localDay(today) };
}

function dayNumber(text) {
  const m = DATE_RE.exec(String(text ?? ""));
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(t);
  if (Number.isNaN(t) || back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return null;
  return Math.round(t / DAY_MS);
}

/**
 * The filters as the reports' query string: {query, errors}. Empty filters are left out; the
 * range must be both dates, in order, at most 366 days (the service's limit). `table` first
 * when given (a CSV download of that table).
 */
export function reportQuery(f, table = null) {
  const errors = [];
  const from = dayNumber(f.from);
  const to = dayNumber(f.to);
  if (from === null || to === null) errors.push({ field: from === null ? "from" : "to", text: R.badDate });
  else if (from > to) errors.push({ field: "from", text: R.order });
  else if (to - from + 1 > MAX_DAYS) errors.push({ field: "from", text: R.tooLong(MAX_DAYS) });
  if (errors.length) return { query: "", errors };
  const params = new URLSearchParams();
  if (table) params.set("table", table);
  params.set("from", f.from);
  params.set("to", f.to);
  for (const key of FILTERS) {
    const v = String(f[key] ?? "").trim();
    if (v) params.set(key, v);
  }
  return { query: params.toString(), errors };
}

/** A name safe to save under: no folders, no control characters, something left. */
function safeName(name, fallback) {
  const cleaned = String(name || "").replace(/[\\/]/g, "-").replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return cleaned && cleaned !== "." && cleaned !== ".." ? cleaned : fallback;
}

/**
 * The file name a Content-Disposition header gives (RFC 6266: `filename*=UTF-8''...` first,
 * then `filename="..."` or a bare token), else `fallback`.
 */
export function filenameFrom(disposition, fallback) {
  const text = String(disposition || "");
  const star = /filename\*\s*=\s*([^;]+)/i.exec(text);
  if (star) {
    const m = /^([\w!#$%&+^`{}~-]+)'[^']*'(.+)$/.exec(star[1].trim().replace(/^"|"$/g, ""));
    if (m) {
      try {
        return safeName(decodeURIComponent(m[2]), fallback);
      } catch {
        /* a bad escape: the plain name, if any */
      }
    }
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(text);
  if (quoted) return safeName(quoted[1].replace(/\\(.)/g, "$1"), fallback);
  const bare = /(?:^|;)\s*filename\s*=\s*([^;\s]+)/i.exec(text);
  if (bare) return safeName(bare[1], fallback);
  return fallback;
}

/** The name the service would give (when a proxy hides Content-Disposition). */
export function csvFallbackName(table, f) {
  return `reports-${table}-${f.from}-${f.to}.csv`;
}

/** The summary figures: [{key, label, value, note}] in words (`note`: what it compares with). */
export function summaryFigures(report) {
  const w = report.wait || {};
  const target = w.target ?? report.target_seconds ?? null;
  const F = R.figures;
  const n = (v) => String(typeof v === "number" ? v : 0);
  const vs = target ? R.targetNote(seconds(target)) : "";
  const wait = (v) => (v === null || v === undefined ? { value: R.none, note: vs } : { value: seconds(v), note: vs });
  const within = target && typeof w.within_share === "number"
    ? { value: share(w.within_share), note: R.withinNote(n(w.within_target), n(w.n)) }
    : { value: R.none, note: "" };
  return [
    { key: "count", label: F.count, value: n(report.count), note: "" },
    { key: "chats", label: F.chats, value: n(report.chats), note: "" },
    { key: "tickets", label: F.tickets, value: n(report.tickets), note: "" },
    { key: "p50", label: F.p50, ...wait(w.p50) },
    { key: "p90", label: F.p90, ...wait(w.p90) },
    { key: "within", label: F.within, ...within },
  ];
}

/** report.options as the selects' choices: {desks, libraries, librarians, tags}, each [{value, label}]. */
export function filterChoices(options) {
  const o = options || {};
  const list = (v) => (Array.isArray(v) ? v : []);
  return {
    desks: list(o.queues).filter((q) => q && q.id).map((q) => ({ value: q.id, label: q.library && q.name && !q.name.includes(q.library) ? `${q.name} (${q.library})` : q.name || q.id })),
    libraries: list(o.libraries).filter(Boolean).map((l) => ({ value: String(l), label: String(l) })),
    librarians: list(o.operators).filter((p) => p && p.id).map((p) => ({ value: p.id, label: p.name || p.id })),
    tags: list(o.tags).filter(Boolean).map((t) => ({ value: String(t), label: String(t) })),
  };
}

/** The target typed: a whole number of seconds in range, or null. */
export function parseTarget(text) {
  const s = String(text ?? "").trim();
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= TARGET_MIN && n <= TARGET_MAX ? n : null;
}

export class ReportsController {
  /**
   * @param {object} o
   * @param {object} o.api   Api: report(query), reportCsv(query) -> {blob, disposition}, setReportTarget(seconds)
   * @param {object} o.view  ReportsView (or a fake): build, formErrors, status, busy, notice, setChoices,
   *                         render(report, {figures, specs, Chart}), targetStatus, saveFile(blob, name)
   * @param {Function} o.isAdmin        () => boolean
   * @param {Function} [o.loadCharts]   () => Promise<Chart | null>: the chart library, loaded once
   * @param {Function} [o.reducedMotion] () => boolean
   * @param {Function} [o.onAuthLost]
   * @param {Function} [o.now]
   */
  constructor(o) {
    this.api = o.api;
    this.view = o.view;
    this.isAdmin = o.isAdmin || (() => false);
    this.loadCharts = o.loadCharts || (async () => null);
    this.reducedMotion = o.reducedMotion || (() => false);
    this.onAuthLost = o.onAuthLost || (() => {});
    this.now = o.now || (() => Date.now());
    this.report = null;
    this.filters = null; // the filters of the report shown (the CSVs use them, not the form's edits)
    this.loadNo = 0;
    this.shownOnce = false;
  }

  failed(err, text) {
    if (err && err.status === 401) this.onAuthLost();
    else this.view.notice(err && err.status === 403 ? R.forbidden : text);
  }

  /** The tab came into view: the form, and the default report the first time. */
  show() {
    const range = defaultRange(this.now());
    this.view.build(range, { admin: this.isAdmin() });
    if (this.shownOnce) return null;
    this.shownOnce = true;
    return this.apply({ ...range, ...this.view.filters() });
  }

  /** Apply: a new report for the filters (checked first). */
  async apply(filters) {
    const { query, errors } = reportQuery(filters);
    this.view.formErrors(errors);
    if (errors.length) return false;
    const no = ++this.loadNo;
    this.view.busy(true);
    this.view.status(R.loading);
    const charts = this.loadCharts().catch(() => null); // at the same time as the report
    let report;
    try {
      report = await this.api.report(query);
    } catch (err) {
      if (no !== this.loadNo) return false;
      this.view.busy(false);
      this.view.status("");
      this.failed(err, R.failed(err && err.message));
      return false;
    }
    const Chart = await charts;
    if (no !== this.loadNo) return false;
    this.report = report;
    this.filters = { ...filters, from: report.from || filters.from, to: report.to || filters.to };
    this.view.notice(Chart ? "" : R.chartsFailed);
    this.view.setChoices(filterChoices(report.options));
    this.view.render(report, {
      figures: summaryFigures(report),
      specs: chartSpecs(report, { reducedMotion: this.reducedMotion() }),
      Chart,
      target: report.target_seconds ?? (report.wait && report.wait.target) ?? null,
    });
    this.view.busy(false);
    this.view.status(report.count ? R.loaded(this.filters.from, this.filters.to, report.count) : R.empty);
    return true;
  }

  /** Admins: Save target; the report shown is computed again against it. */
  async saveTarget(text) {
    const value = parseTarget(text);
    if (value === null) {
      this.view.targetStatus(R.targetBad, { error: true });
      return false;
    }
    this.view.targetBusy(true);
    try {
      const res = await this.api.setReportTarget(value);
      this.view.targetBusy(false);
      this.view.targetStatus(R.targetSaved(res && Number.isInteger(res.target_seconds) ? res.target_seconds : value));
    } catch (err) {
      this.view.targetBusy(false);
      if (err && err.status === 401) this.onAuthLost();
      else this.view.targetStatus(R.targetFailed(err && err.message), { error: true });
      return false;
    }
    if (this.filters) await this.apply(this.filters);
    return true;
  }

  /** Download CSV: `table` (a TABLES name or "records") of the report shown, saved as a file. */
  async download(table) {
    if (!this.filters) return false;
    const { query } = reportQuery(this.filters, table);
    this.view.downloadBusy(table, true);
    let file;
    try {
      file = await this.api.reportCsv(query);
    } catch (err) {
      this.view.downloadBusy(table, false);
      this.failed(err, R.downloadFailed(err && err.message));
      return false;
    }
    this.view.downloadBusy(table, false);
    const name = filenameFrom(file.disposition, csvFallbackName(table, this.filters));
    this.view.saveFile(file.blob, name);
    this.view.notice("");
    this.view.status(R.downloaded(name));
    return name;
  }
}
