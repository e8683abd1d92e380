// The Reports tab's chart configurations (widget/dashboard/reports-charts.js): what each chart
// draws from the report's JSON, its caption and canvas summary (the text a screen reader gets
// before the table), reduced motion; and the chart library loaded once, on first use
// (chart-library.js), against a fake document.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  baseOptions, chartSpecs, countsChart, dailySeries, daysBetween, drawnTotal, durationChart, heatCells, heatMapChart,
  outcomesChart, perDayChart, ratingsChart, readChart, waitChart,
} from "../dashboard/reports-charts.js";
import { CHART_SCRIPTS, loadChartLibrary, loadScript } from "../dashboard/chart-library.js";
import { S } from "../dashboard/strings.js";

const R = S.reports;

const grid = (fn) => Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => fn(d, h)));
const REPORT = {
  from: "2026-11-01", to: "2026-11-05", tz: "America/Chicago", target_seconds: 60,
  count: 14, chats: 12, tickets: 2,
  per_day: [{ day: "2026-11-01", chats: 5, tickets: 1 }, { day: "2026-11-04", chats: 7, tickets: 1 }],
  heat_map: grid((d, h) => (d === 1 && h === 14 ? 6 : d === 6 && h === 9 ? 8 : 0)),
  wait: { n: 12, p50: 41, p90: 118.5, target: 60, within_target: 8, within_share: 0.667,
    labels: ["0-15 s", "15-30 s", "30-60 s", "60-90 s", "90-120 s", "120-300 s", "over 300 s"], histogram: [2, 3, 3, 2, 1, 1, 0] },
  duration: { n: 12, p50: 420, p90: 1260, labels: ["0-2 min", "2-5 min", "5-10 min", "10-15 min", "15-30 min", "30-60 min", "over 60 min"],
    histogram: [1, 2, 5, 2, 1, 1, 0] },
  outcomes: { answered: 12, abandoned: 0, missed: 0, ticket: 2 },
  ratings: { n: 3, mean: 4.333, counts: { 1: 0, 2: 0, 3: 0, 4: 2, 5: 1 } },
  read: { 1: 4, 2: 5, 3: 2, 4: 1, 5: 0, 6: 0 },
  question_types: { Directional: 3, Reference: 8, Technology: 3 },
  tags: { catalogue: 4, databases: 6 },
};

test("the days of the range, both ends included; the daily series fills the quiet days with 0", () => {
  assert.deepEqual(daysBetween("2026-10-30", "2026-11-02"), ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]);
  assert.deepEqual(daysBetween("2026-11-02", "2026-11-01"), []);
  assert.deepEqual(daysBetween("junk", "2026-11-01"), []);
  assert.equal(daysBetween("2026-03-01", "2026-03-31").length, 31, "across a daylight-saving change");
  const s = dailySeries(REPORT);
  assert.deepEqual(s.days, ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]);
  assert.deepEqual(s.chats, [5, 0, 0, 7, 0]);
  assert.deepEqual(s.tickets, [1, 0, 0, 1, 0]);
  assert.deepEqual(dailySeries({ per_day: [{ day: "2026-11-02", chats: 1, tickets: 0 }] }).days, ["2026-11-02"], "no range: the days given");
});

const s5 = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"];

test("per day: chats and tickets stacked, the summary says the totals and the busiest day", () => {
  const c = perDayChart(REPORT);
  assert.equal(c.config.type, "bar");
  assert.deepEqual(c.config.data.datasets.map((d) => [d.label, d.stack]), [[R.chats, "questions"], [R.tickets, "questions"]]);
  assert.equal(c.config.options.scales.x.stacked, true);
  assert.equal(c.config.options.scales.y.stacked, true);
  assert.equal(c.config.options.plugins.legend.display, true);
  assert.equal(drawnTotal(c.config) + c.config.data.datasets[1].data.reduce((a, b) => a + b, 0), REPORT.count);
  assert.equal(c.summary, "Questions per day: 12 chats and 2 tickets over 5 days; busiest 2026-11-04 with 8.");
  const tick = c.config.options.scales.x.ticks.callback;
  assert.equal(tick.call({ getLabelForValue: (i) => s5[i] }, 3), "4 Nov", "the axis says the day short");
  assert.equal(R.shortDay("2027-01-09", R.months), "9 Jan");
  assert.equal(R.shortDay("junk", R.months), "junk");
});

test("the heat map: 7 x 24 matrix cells Monday first, in the report's zone, the peak in words", () => {
  const cells = heatCells(REPORT);
  assert.equal(cells.length, 168);
  assert.deepEqual(cells[0], { x: "00", y: "Mon", v: 0 });
  assert.deepEqual(cells[24 + 14], { x: "14", y: "Tue", v: 6 });
  assert.deepEqual(cells[6 * 24 + 9], { x: "09", y: "Sun", v: 8 });
  const c = heatMapChart(REPORT);
  assert.equal(c.config.type, "matrix");
  assert.equal(drawnTotal(c.config), 14);
  assert.match(c.caption, /America\/Chicago/);
  assert.equal(c.summary, `${R.caption.heat_map("America/Chicago")}: 14 questions; busiest hour Sunday 09:00 with 8.`);
  const ds = c.config.data.datasets[0];
  assert.equal(ds.backgroundColor({ raw: { v: 8 } }), "rgba(21, 94, 117, 1.000)", "the busiest cell: full colour");
  assert.equal(ds.backgroundColor({ raw: { v: 0 } }), "rgba(21, 94, 117, 0.080)");
  assert.equal(ds.width({ chart: { chartArea: { width: 480 } } }), 18);
  assert.equal(ds.height({ chart: {} }), 1, "before the layout: a cell of 1 px, never negative");
  assert.deepEqual(c.config.options.scales.y.labels, R.weekdays);
  assert.equal(c.config.options.plugins.tooltip.callbacks.label({ raw: { x: "14", y: "Tue", v: 6 } }), "Tuesday 14:00: 6");
  assert.equal(heatMapChart({ heat_map: [] }).summary.endsWith("No questions."), true);
  assert.match(heatMapChart({}).caption, /UTC/);
});

test("wait to claim: the service's buckets as bars; p50, p90 and the target said in the caption and summary", () => {
  const c = waitChart(REPORT);
  assert.deepEqual(c.config.data.labels, REPORT.wait.labels);
  assert.deepEqual(c.config.data.datasets[0].data, REPORT.wait.histogram);
  assert.equal(c.detail, "Median (p50) 41 s, p90 119 s, target 60 s.");
  assert.ok(c.summary.startsWith("Wait to claim: 0-15 s: 2, 15-30 s: 3, 30-60 s: 3"));
  assert.ok(c.summary.endsWith(c.detail));
  assert.equal(waitChart({ wait: { p50: null, p90: null } }).detail, "Median (p50) none, p90 none.");
  const d = durationChart(REPORT);
  assert.equal(d.detail, "Median (p50) 7 min, p90 21 min.");
  assert.equal(drawnTotal(d.config), 12);
});

test("outcomes, ratings, READ, question types and tags", () => {
  const o = outcomesChart(REPORT);
  assert.equal(o.config.type, "doughnut");
  assert.deepEqual(o.config.data.labels, ["Answered", "Abandoned while waiting", "Missed", "Became a ticket"]);
  assert.deepEqual(o.config.data.datasets[0].data, [12, 0, 0, 2]);
  assert.equal(o.summary, "Outcomes: Answered: 12, Abandoned while waiting: 0, Missed: 0, Became a ticket: 2");
  const r = ratingsChart(REPORT);
  assert.deepEqual(r.config.data.labels, ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]);
  assert.deepEqual(r.config.data.datasets[0].data, [0, 0, 0, 2, 1]);
  assert.equal(r.detail, "3 ratings, mean 4.3.");
  assert.equal(ratingsChart({}).detail, R.detail.ratings(0, ""));
  assert.deepEqual(readChart(REPORT).config.data.datasets[0].data, [4, 5, 2, 1, 0, 0]);
  const q = countsChart("question_types", REPORT);
  assert.deepEqual(q.config.data.labels, ["Reference", "Directional", "Technology"], "most first, then by name");
  assert.equal(q.config.options.indexAxis, "y");
  assert.equal(countsChart("tags", { tags: {} }).summary, "Tags: No data.");
});

test("every chart: its table's name, a caption, a summary; no animation when motion is reduced", () => {
  const specs = chartSpecs(REPORT, { reducedMotion: true });
  assert.deepEqual(specs.map((s) => s.name), ["per_day", "heat_map", "wait", "duration", "outcomes", "ratings", "read", "question_types", "tags"]);
  for (const s of specs) {
    assert.ok(s.caption && s.summary.startsWith(s.caption), s.name);
    assert.equal(s.config.options.animation, false, s.name);
    assert.equal(s.config.options.maintainAspectRatio, false, s.name);
  }
  assert.deepEqual(baseOptions().animation, { duration: 300 });
  assert.ok(chartSpecs({}).every((s) => Array.isArray(s.config.data.datasets[0].data)), "an empty report still makes configs");
});

function fakeDocument() {
  const head = { children: [], append(node) { this.children.push(node); node.parent = this; } };
  const doc = {
    head,
    created: [],
    createElement(tag) {
      const node = { tag, dataset: {}, listeners: {},
        addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); },
        remove() { const i = head.children.indexOf(this); if (i >= 0) head.children.splice(i, 1); },
        fire(type) { for (const fn of this.listeners[type] || []) fn(); } };
      doc.created.push(node);
      return node;
    },
    querySelector(sel) {
      const src = /data-lcd-src="([^"]+)"/.exec(sel)[1];
      return head.children.find((n) => n.dataset.lcdSrc === src) || null;
    },
  };
  return doc;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

test("the chart library: its scripts added once, in order, on first use; a failure is tried again", async () => {
  const doc = fakeDocument();
  const one = loadScript(doc, "vendor/a.js");
  assert.equal(loadScript(doc, "vendor/a.js"), one, "asked twice: one script");
  assert.equal(doc.head.children.length, 1);
  doc.head.children[0].fire("load");
  await one;

  const win = {};
  const first = loadChartLibrary(doc, win, ["vendor/c1.js", "vendor/c2.js"]);
  await tick();
  assert.deepEqual(doc.head.children.map((n) => n.src), ["vendor/a.js", "vendor/c1.js"], "the plugin waits for Chart.js");
  doc.head.children[1].fire("error");
  assert.equal(await first, null, "not loaded: the tab shows its tables");
  assert.deepEqual(doc.head.children.map((n) => n.src), ["vendor/a.js"], "the failed script is taken out");

  const again = loadChartLibrary(doc, win, ["vendor/c1.js", "vendor/c2.js"]);
  await tick();
  doc.head.children.at(-1).fire("load");
  await tick();
  assert.equal(doc.head.children.at(-1).src, "vendor/c2.js");
  const Chart = { registry: { getController: (id) => (id === "matrix" ? {} : null) } };
  win.Chart = Chart;
  doc.head.children.at(-1).fire("load");
  assert.equal(await again, Chart);
  assert.equal(await loadChartLibrary(doc, win), Chart, "loaded: no more scripts");
  assert.equal(doc.head.children.length, 3);
  assert.deepEqual(CHART_SCRIPTS, ["vendor/chart.umd.min.js", "vendor/chartjs-chart-matrix.min.js"]);
});
