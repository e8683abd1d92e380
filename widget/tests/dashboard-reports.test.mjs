// The Reports tab (widget/dashboard/reports.js, docs/reports.md): the default range, the
// filters as GET /api/reports's query (and the CSV's), the file name from Content-Disposition,
// the summary figures, the selects' choices and the admins' target; the controller against a
// fake REST api and a recording view; the CSV download through api.js with the token.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Api, ApiError } from "../dashboard/api.js";
import {
  csvFallbackName, defaultRange, filenameFrom, filterChoices, localDay, MAX_DAYS, parseTarget, ReportsController,
  reportQuery, summaryFigures, TABLES,
} from "../dashboard/reports.js";
import { S } from "../dashboard/strings.js";

const R = S.reports;

test("the default range: the last 30 days, today included", () => {
  assert.deepEqual(defaultRange(new Date(2026, 10, 30, 15).getTime()), { from: "2026-11-01", to: "2026-11-30" });
  assert.deepEqual(defaultRange(new Date(2026, 0, 10, 9).getTime()), { from: "2025-12-12", to: "2026-01-10" });
  assert.equal(localDay(new Date(2026, 1, 9)), "2026-02-09");
});

test("the query: the range, then the filters given; the CSV's names its table first", () => {
  assert.equal(reportQuery({ from: "2026-11-01", to: "2026-11-30" }).query, "from=2026-11-01&to=2026-11-30");
  const f = { from: "2026-11-01", to: "2026-11-30", queue: "central", library: "Central Library", operator: "libby", tag: " local history " };
  assert.equal(reportQuery(f).query, "from=2026-11-01&to=2026-11-30&queue=central&library=Central+Library&operator=libby&tag=local+history");
  assert.equal(reportQuery({ ...f, library: "", operator: "" }, "per_day").query,
    "table=per_day&from=2026-11-01&to=2026-11-30&queue=central&tag=local+history");
  assert.equal(reportQuery({ from: "2026-11-01", to: "2026-11-30", queue: "a&b=c" }, "records").query,
    "table=records&from=2026-11-01&to=2026-11-30&queue=a%26b%3Dc");
  assert.deepEqual(reportQuery(f).errors, []);
});

test("the range: both real dates, in order, at most 366 days", () => {
  assert.deepEqual(reportQuery({ from: "", to: "2026-11-30" }).errors.map((e) => e.field), ["from"]);
  assert.deepEqual(reportQuery({ from: "2026-11-01", to: "30/11/2026" }).errors.map((e) => e.field), ["to"]);
  assert.deepEqual(reportQuery({ from: "2026-02-30", to: "2026-03-01" }).errors.map((e) => e.field), ["from"]);
  assert.equal(reportQuery({ from: "2026-12-01", to: "2026-11-30" }).errors[0].text, R.order);
  assert.equal(reportQuery({ from: "2026-11-30", to: "2026-11-30" }).errors.length, 0, "one day");
  assert.equal(reportQuery({ from: "2025-12-01", to: "2026-12-01" }).errors.length, 0, "366 days, both ends included");
  assert.equal(reportQuery({ from: "2025-11-30", to: "2026-12-01" }).errors[0].text, R.tooLong(MAX_DAYS));
  assert.equal(reportQuery({ from: "2025-11-30", to: "2026-12-01" }).query, "");
});

test("the file name: Content-Disposition's, RFC 6266 forms, never a path", () => {
  const fallback = "reports-x.csv";
  assert.equal(filenameFrom('attachment; filename="reports-per_day-2026-11-01-2026-11-30.csv"', fallback),
    "reports-per_day-2026-11-01-2026-11-30.csv");
  assert.equal(filenameFrom("attachment; filename=reports-tags.csv", fallback), "reports-tags.csv");
  assert.equal(filenameFrom("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.csv; filename=\"resume.csv\"", fallback), "résumé.csv");
  assert.equal(filenameFrom('attachment; filename="a \\"b\\".csv"', fallback), "a b.csv");
  assert.equal(filenameFrom('attachment; filename="../../etc/passwd"', fallback), "..-..-etc-passwd");
  assert.equal(filenameFrom('attachment; filename=".."', fallback), fallback);
  assert.equal(filenameFrom("attachment", fallback), fallback);
  assert.equal(filenameFrom("", fallback), fallback);
  assert.equal(filenameFrom(null, fallback), fallback);
  assert.equal(filenameFrom("attachment; filename*=UTF-8''%E0%A4%A.csv", fallback), fallback, "a bad escape");
  assert.equal(csvFallbackName("records", { from: "2026-11-01", to: "2026-11-30" }), "reports-records-2026-11-01-2026-11-30.csv");
});

const REPORT = {
  from: "2026-11-01", to: "2026-11-03", tz: "America/Chicago",
  filters: { queue: null, library: null, operator: null, tag: null },
  options: {
    queues: [{ id: "central", name: "Central Library desk", library: "Central Library" }, { id: "coop", name: "Ask Us", library: "State co-op" }],
    libraries: ["Central Library", "State co-op"], operators: [{ id: "libby", name: "Libby" }, { id: "remy" }], tags: ["catalogue", "databases"],
  },
  target_seconds: 60,
  count: 12, chats: 10, tickets: 2,
  per_day: [{ day: "2026-11-01", chats: 6, tickets: 1 }, { day: "2026-11-03", chats: 4, tickets: 1 }],
  heat_map: Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d === 1 && h === 14 ? 5 : d === 2 && h === 9 ? 7 : 0))),
  wait: { n: 9, p50: 41, p90: 118.5, mean: 55.2, target: 60, within_target: 6, within_share: 0.6667,
    edges: [15, 30, 60, 90, 120, 300], labels: ["0-15 s", "15-30 s", "30-60 s", "60-90 s", "90-120 s", "120-300 s", "over 300 s"], histogram: [1, 2, 3, 1, 1, 1, 0] },
  duration: { n: 9, p50: 420, p90: 1260, mean: 600, edges: [120, 300, 600, 900, 1800, 3600],
    labels: ["0-2 min", "2-5 min", "5-10 min", "10-15 min", "15-30 min", "30-60 min", "over 60 min"], histogram: [0, 2, 4, 1, 1, 1, 0] },
  outcomes: { answered: 9, abandoned: 1, missed: 0, ticket: 2 },
  ratings: { n: 4, mean: 4.25, counts: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 2 } },
  read: { 1: 2, 2: 3, 3: 1, 4: 0, 5: 0, 6: 0 },
  question_types: { Directional: 2, Reference: 6 },
  tags: { catalogue: 3, databases: 5 },
  librarians: [{ operator_id: "libby", name: "Libby", chats: 9, tickets: 2, wait_p50: 41, wait_mean: 55.2, rating_mean: 4.25 }],
  tables: { per_day: { title: "Questions per day", columns: ["Day", "Chats", "Tickets", "Total"], rows: [["2026-11-01", "6", "1", "7"]] } },
};

test("the summary figures: counts, waits against the target, the share within it", () => {
  const f = Object.fromEntries(summaryFigures(REPORT).map((x) => [x.key, x]));
  assert.deepEqual(Object.keys(f), ["count", "chats", "tickets", "p50", "p90", "within"]);
  assert.equal(f.count.value, "12");
  assert.equal(f.tickets.value, "2");
  assert.deepEqual([f.p50.value, f.p50.note], ["41 s", "target 60 s"]);
  assert.deepEqual([f.p90.value, f.p90.note], ["119 s", "target 60 s"]);
  assert.deepEqual([f.within.value, f.within.note], ["67%", "6 of 9 claimed chats"]);
  assert.equal(f.count.note, "");
  assert.equal(f.p50.label, R.figures.p50);
  const empty = Object.fromEntries(summaryFigures({ count: 0, chats: 0, tickets: 0, target_seconds: 60, wait: { n: 0, p50: null, p90: null, within_share: null } })
    .map((x) => [x.key, x.value]));
  assert.deepEqual(empty, { count: "0", chats: "0", tickets: "0", p50: R.none, p90: R.none, within: R.none });
  const noTarget = Object.fromEntries(summaryFigures({ count: 1, wait: { n: 1, p50: 20, p90: 20 } }).map((x) => [x.key, x]));
  assert.deepEqual([noTarget.p50.value, noTarget.p50.note, noTarget.within.value], ["20 s", "", R.none]);
});

test("the selects' choices come from the report's options", () => {
  const c = filterChoices(REPORT.options);
  assert.deepEqual(c.desks, [{ value: "central", label: "Central Library desk" }, { value: "coop", label: "Ask Us (State co-op)" }]);
  assert.deepEqual(c.libraries.map((l) => l.value), ["Central Library", "State co-op"]);
  assert.deepEqual(c.librarians, [{ value: "libby", label: "Libby" }, { value: "remy", label: "remy" }]);
  assert.deepEqual(c.tags.map((t) => t.label), ["catalogue", "databases"]);
  assert.deepEqual(filterChoices(undefined), { desks: [], libraries: [], librarians: [], tags: [] });
});

test("the target: a whole number of seconds from 10 to 3600", () => {
  assert.equal(parseTarget("60"), 60);
  assert.equal(parseTarget(" 3600 "), 3600);
  assert.equal(parseTarget("10"), 10);
  for (const bad of ["9", "3601", "", "60.5", "-60", "1e2", "abc", null]) assert.equal(parseTarget(bad), null, String(bad));
});

function recorder(filters = { from: "2026-11-01", to: "2026-11-30" }) {
  const calls = [];
  const view = new Proxy({}, {
    get: (_, name) => {
      if (name === "then") return undefined;
      if (name === "filters") return () => ({ ...filters });
      return (...args) => { calls.push([name, ...args]); };
    },
  });
  return { view, of: (name) => calls.filter((c) => c[0] === name).map((c) => c.slice(1)) };
}

function fakeApi(o = {}) {
  const calls = [];
  return {
    calls,
    report: async (q) => { calls.push(["report", q]); if (o.reportError) throw o.reportError; return o.report || REPORT; },
    reportCsv: async (q) => { calls.push(["csv", q]); if (o.csvError) throw o.csvError; return { blob: "BLOB", disposition: o.disposition ?? 'attachment; filename="reports-per_day-2026-11-01-2026-11-03.csv"' }; },
    setReportTarget: async (s) => { calls.push(["target", s]); if (o.targetError) throw o.targetError; return { target_seconds: s }; },
  };
}

test("first showing: the form, then the default report, its choices, figures and charts", async () => {
  const { view, of } = recorder();
  const api = fakeApi();
  const Chart = function Chart() {};
  const c = new ReportsController({ api, view, isAdmin: () => true, loadCharts: async () => Chart, reducedMotion: () => true,
    now: () => new Date(2026, 10, 30, 12).getTime() });
  await c.show();
  assert.deepEqual(of("build")[0], [{ from: "2026-11-01", to: "2026-11-30" }, { admin: true }]);
  assert.deepEqual(api.calls, [["report", "from=2026-11-01&to=2026-11-30"]]);
  assert.deepEqual(of("busy"), [[true], [false]]);
  assert.deepEqual(of("status").map((s) => s[0]), [R.loading, R.loaded("2026-11-01", "2026-11-03", 12)]);
  const [report, drawn] = of("render")[0];
  assert.equal(report, REPORT);
  assert.equal(drawn.Chart, Chart);
  assert.equal(drawn.target, 60);
  assert.equal(drawn.figures.length, 6);
  assert.deepEqual(drawn.specs.map((s) => s.name), TABLES.filter((t) => t !== "librarians"));
  assert.equal(drawn.specs[0].config.options.animation, false, "reduced motion: no animation");
  assert.deepEqual(of("setChoices")[0][0].desks.map((d) => d.value), ["central", "coop"]);
  assert.equal(c.filters.to, "2026-11-03", "the report's own range is what the CSVs ask for");
  await c.show();
  assert.equal(api.calls.length, 1, "later showings keep the report shown");
});

test("Apply: bad dates are said by the form and nothing is asked; refusals in words", async () => {
  const { view, of } = recorder();
  const api = fakeApi({ reportError: new ApiError(400, "bad_request", "from is after to") });
  const c = new ReportsController({ api, view });
  assert.equal(await c.apply({ from: "2026-11-30", to: "2026-11-01" }), false);
  assert.equal(of("formErrors")[0][0][0].text, R.order);
  assert.equal(api.calls.length, 0);
  assert.equal(await c.apply({ from: "2026-11-01", to: "2026-11-30", queue: "central" }), false);
  assert.deepEqual(api.calls, [["report", "from=2026-11-01&to=2026-11-30&queue=central"]]);
  assert.deepEqual(of("notice").at(-1), [R.failed("from is after to")]);
  assert.deepEqual(of("busy"), [[true], [false]]);

  const denied = recorder();
  const c2 = new ReportsController({ api: fakeApi({ reportError: new ApiError(403, "forbidden", "not your desk") }), view: denied.view });
  await c2.apply({ from: "2026-11-01", to: "2026-11-30", queue: "law" });
  assert.deepEqual(denied.of("notice").at(-1), [R.forbidden]);

  let lost = 0;
  const gone = recorder();
  const c3 = new ReportsController({ api: fakeApi({ reportError: new ApiError(401, "unauthorized") }), view: gone.view, onAuthLost: () => { lost += 1; } });
  await c3.apply({ from: "2026-11-01", to: "2026-11-30" });
  assert.equal(lost, 1);
  assert.equal(gone.of("notice").length, 0);
});

test("no chart library: the tables still come, and the tab says why there are no charts", async () => {
  const { view, of } = recorder();
  const c = new ReportsController({ api: fakeApi(), view, loadCharts: async () => { throw new Error("404"); } });
  assert.equal(await c.apply({ from: "2026-11-01", to: "2026-11-30" }), true);
  assert.equal(of("render")[0][1].Chart, null);
  assert.deepEqual(of("notice").at(-1), [R.chartsFailed]);
});

test("an older answer never replaces a newer one", async () => {
  const { view, of } = recorder();
  let release;
  const slow = new Promise((r) => { release = r; });
  let n = 0;
  const api = { report: async () => { n += 1; if (n === 1) { await slow; return { ...REPORT, count: 1 }; } return REPORT; } };
  const c = new ReportsController({ api, view });
  const first = c.apply({ from: "2026-11-01", to: "2026-11-30" });
  await c.apply({ from: "2026-11-01", to: "2026-11-30", queue: "coop" });
  release();
  assert.equal(await first, false);
  assert.equal(of("render").length, 1);
  assert.equal(of("render")[0][0].count, 12);
  assert.equal(c.filters.queue, "coop");
});

test("Download CSV: the report's filters (not the form's edits), saved under the service's name", async () => {
  const { view, of } = recorder();
  const api = fakeApi();
  const c = new ReportsController({ api, view });
  assert.equal(await c.download("per_day"), false, "nothing shown yet: nothing to download");
  await c.apply({ from: "2026-11-01", to: "2026-11-30", queue: "central", tag: "" });
  assert.equal(await c.download("per_day"), "reports-per_day-2026-11-01-2026-11-03.csv");
  assert.deepEqual(api.calls.at(-1), ["csv", "table=per_day&from=2026-11-01&to=2026-11-03&queue=central"]);
  assert.deepEqual(of("saveFile")[0], ["BLOB", "reports-per_day-2026-11-01-2026-11-03.csv"]);
  assert.deepEqual(of("downloadBusy"), [["per_day", true], ["per_day", false]]);
  assert.deepEqual(of("status").at(-1), [R.downloaded("reports-per_day-2026-11-01-2026-11-03.csv")]);

  const hidden = recorder();
  const c2 = new ReportsController({ api: fakeApi({ disposition: "" }), view: hidden.view });
  await c2.apply({ from: "2026-11-01", to: "2026-11-30" });
  assert.equal(await c2.download("records"), "reports-records-2026-11-01-2026-11-03.csv", "a proxy hid the header");

  const failing = recorder();
  const c3 = new ReportsController({ api: fakeApi({ csvError: new ApiError(400, "bad_request", "unknown table") }), view: failing.view });
  await c3.apply({ from: "2026-11-01", to: "2026-11-30" });
  assert.equal(await c3.download("nope"), false);
  assert.deepEqual(failing.of("notice").at(-1), [R.downloadFailed("unknown table")]);
  assert.equal(failing.of("saveFile").length, 0);
});

test("Save target: checked, sent, and the report shown is computed again against it", async () => {
  const { view, of } = recorder();
  const api = fakeApi();
  const c = new ReportsController({ api, view, isAdmin: () => true });
  assert.equal(await c.saveTarget("5"), false);
  assert.deepEqual(of("targetStatus")[0], [R.targetBad, { error: true }]);
  assert.equal(api.calls.length, 0);
  assert.equal(await c.saveTarget("90"), true);
  assert.deepEqual(api.calls, [["target", 90]]);
  assert.deepEqual(of("targetStatus").at(-1), [R.targetSaved(90)]);
  await c.apply({ from: "2026-11-01", to: "2026-11-30" });
  await c.saveTarget("45");
  assert.deepEqual(api.calls.slice(-2), [["target", 45], ["report", "from=2026-11-01&to=2026-11-03"]]);
  const refused = recorder();
  const c2 = new ReportsController({ api: fakeApi({ targetError: new ApiError(403, "forbidden", "admins only") }), view: refused.view });
  assert.equal(await c2.saveTarget("60"), false);
  assert.deepEqual(refused.of("targetStatus").at(-1), [R.targetFailed("admins only"), { error: true }]);
  assert.deepEqual(refused.of("targetBusy"), [[true], [false]]);
});

test("api.js: the reports' routes with the token; a CSV as a blob with its Content-Disposition", async () => {
  const calls = [];
  const fetchFn = async (url, init) => {
    calls.push({ url, init });
    if (url.includes("/reports/csv") && url.includes("table=bad")) {
      return { ok: false, status: 400, json: async () => ({ error: { code: "bad_request", message: "unknown table" } }) };
    }
    if (url.includes("/reports/csv")) {
      return { ok: true, status: 200, blob: async () => "CSVBLOB", json: async () => { throw new Error("not json"); },
        headers: { get: (h) => ({ "content-disposition": 'attachment; filename="reports-tags-2026-11-01-2026-11-30.csv"', "content-type": "text/csv; charset=utf-8" })[h.toLowerCase()] || null } };
    }
    return { ok: true, status: 200, json: async () => ({ ok: 1 }) };
  };
  const api = new Api("http://x/api", fetchFn);
  api.token = "tok";
  await api.report("from=2026-11-01&to=2026-11-30");
  await api.reportToday();
  await api.setReportTarget(75);
  const file = await api.reportCsv("table=tags&from=2026-11-01&to=2026-11-30");
  assert.deepEqual(calls.map((c) => [c.init.method, c.url]), [
    ["GET", "http://x/api/reports?from=2026-11-01&to=2026-11-30"],
    ["GET", "http://x/api/reports/today"],
    ["PUT", "http://x/api/reports/target"],
    ["GET", "http://x/api/reports/csv?table=tags&from=2026-11-01&to=2026-11-30"],
  ]);
  assert.deepEqual(JSON.parse(calls[2].init.body), { seconds: 75 });
  assert.ok(calls.every((c) => c.init.headers.Authorization === "Bearer tok" && c.init.credentials === "omit"));
  assert.deepEqual(file, { blob: "CSVBLOB", disposition: 'attachment; filename="reports-tags-2026-11-01-2026-11-30.csv"', type: "text/csv; charset=utf-8" });
  await assert.rejects(api.reportCsv("table=bad&from=2026-11-01&to=2026-11-30"), (e) => e.status === 400 && e.code === "bad_request" && e.message === "unknown table");
  const down = new Api("http://x/api", async () => { throw new TypeError("Failed to fetch"); });
  await assert.rejects(down.reportCsv("table=tags"), (e) => e.status === 0 && e.code === "network");
});
