// The Reports tab's charts (docs/reports.md): Chart.js configurations built from the report's
// JSON, as pure functions (no DOM, no Chart.js import), so Node's test runner checks them. Each
// chart comes with its caption, a one-line summary for the canvas's aria-label and the name of
// the table (report.tables[NAME]) that is its text alternative. The view (view-reports.js)
// hands the configs to Chart.js, which draws them; nothing here is drawn by hand.

import { decimal, REPORTS, seconds } from "./strings-reports.js";

const R = REPORTS;
export const OUTCOMES = ["answered", "abandoned", "missed", "ticket"];
export const COLORS = {
  chats: "#155e75", // the dashboard's primary: 7.3:1 on white
  tickets: "#b54708", // the "away" orange: 4.9:1 on white
  bars: "#155e75",
  outcomes: ["#155e75", "#b54708", "#b42318", "#56606b"],
  heat: [21, 94, 117], // the primary, as rgb for the heat map's shades
  text: "#525c67", // --lcd-muted: 6.6:1 on white
  grid: "#e4e7eb",
};
const DAY_MS = 24 * 60 * 60 * 1000;
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));

const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** What every chart shares: sized by its box, no animation when motion is to be reduced. */
export function baseOptions({ reducedMotion = false } = {}) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: reducedMotion ? false : { duration: 300 },
    color: COLORS.text,
    plugins: { legend: { display: false, labels: { color: COLORS.text } } },
  };
}

function axes({ stacked = false, horizontal = false } = {}) {
  const count = { beginAtZero: true, stacked, ticks: { precision: 0, color: COLORS.text }, grid: { color: COLORS.grid } };
  const label = { stacked, ticks: { color: COLORS.text, autoSkip: true }, grid: { display: false } };
  return horizontal ? { x: count, y: label } : { x: label, y: count };
}

/** The per-day chart's axes: stacked, each day as "1 Nov" (the tooltip keeps the date). */
function dayAxes() {
  const scales = axes({ stacked: true });
  scales.x.ticks = { ...scales.x.ticks, maxRotation: 0, callback(value) {
    return R.shortDay(typeof this.getLabelForValue === "function" ? this.getLabelForValue(value) : value, R.months);
  } };
  return scales;
}

/** Every day from `from` to `to` (YYYY-MM-DD, inclusive); [] if either is not a date. */
export function daysBetween(from, to) {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return [];
  const out = [];
  for (let t = a; t <= b && out.length < 400; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** report.per_day on every day of the range (a day without questions is a 0, not a gap). */
export function dailySeries(report) {
  const given = new Map((Array.isArray(report.per_day) ? report.per_day : []).map((d) => [d.day, d]));
  const days = daysBetween(report.from, report.to);
  for (const day of given.keys()) if (!days.includes(day)) days.push(day);
  days.sort();
  return {
    days,
    chats: days.map((d) => num(given.get(d) && given.get(d).chats)),
    tickets: days.map((d) => num(given.get(d) && given.get(d).tickets)),
  };
}

export function perDayChart(report, o = {}) {
  const s = dailySeries(report);
  const totals = s.days.map((_, i) => s.chats[i] + s.tickets[i]);
  const most = Math.max(0, ...totals);
  const busiest = most ? s.days[totals.indexOf(most)] : "";
  const base = baseOptions(o);
  return {
    name: "per_day",
    caption: R.caption.per_day,
    detail: "",
    summary: `${R.caption.per_day}: ${R.summary.per_day(s.days.length, s.chats.reduce((a, b) => a + b, 0), s.tickets.reduce((a, b) => a + b, 0), busiest, most)}`,
    config: {
      type: "bar",
      data: {
        labels: s.days,
        datasets: [
          { label: R.chats, data: s.chats, backgroundColor: COLORS.chats, stack: "questions" },
          { label: R.tickets, data: s.tickets, backgroundColor: COLORS.tickets, stack: "questions" },
        ],
      },
      options: { ...base, plugins: { ...base.plugins, legend: { display: true, position: "bottom", labels: { color: COLORS.text } } },
        scales: dayAxes() },
    },
  };
}

/** report.heat_map (7 rows, Monday first, of 24 hours) as matrix cells {x: "HH", y: "Mon", v}. */
export function heatCells(report) {
  const grid = Array.isArray(report.heat_map) ? report.heat_map : [];
  const cells = [];
  for (let d = 0; d < 7; d += 1) {
    for (let h = 0; h < 24; h += 1) cells.push({ x: HOURS[h], y: R.weekdays[d], v: num(grid[d] && grid[d][h]) });
  }
  return cells;
}

export function heatMapChart(report, o = {}) {
  const cells = heatCells(report);
  const max = Math.max(0, ...cells.map((c) => c.v));
  const total = cells.reduce((a, c) => a + c.v, 0);
  const top = cells.find((c) => c.v === max);
  const peak = top && max ? R.peak(R.weekdayNames[R.weekdays.indexOf(top.y)], Number(top.x)) : "";
  const [r, g, b] = COLORS.heat;
  const shade = (v) => `rgba(${r}, ${g}, ${b}, ${max ? (0.08 + 0.92 * (v / max)).toFixed(3) : 0.08})`;
  const base = baseOptions(o);
  const tz = report.tz || "UTC";
  return {
    name: "heat_map",
    caption: R.caption.heat_map(tz),
    detail: R.detail.heat_map,
    summary: `${R.caption.heat_map(tz)}: ${R.summary.heat_map(total, peak, max)}`,
    config: {
      type: "matrix",
      data: {
        datasets: [{
          label: R.questions,
          data: cells,
          backgroundColor: (ctx) => shade(ctx.raw ? ctx.raw.v : 0),
          borderWidth: 0,
          width: ({ chart }) => Math.max(1, ((chart.chartArea || {}).width || 0) / 24 - 2),
          height: ({ chart }) => Math.max(1, ((chart.chartArea || {}).height || 0) / 7 - 2),
        }],
      },
      options: {
        ...base,
        plugins: {
          ...base.plugins,
          tooltip: {
            callbacks: {
              title: () => "",
              label: (ctx) => `${R.peak(R.weekdayNames[R.weekdays.indexOf(ctx.raw.y)], Number(ctx.raw.x))}: ${ctx.raw.v}`,
            },
          },
        },
        scales: {
          x: { type: "category", labels: HOURS, offset: true, ticks: { color: COLORS.text, maxRotation: 0, autoSkip: true },
            grid: { display: false }, title: { display: true, text: R.hour, color: COLORS.text } },
          y: { type: "category", labels: R.weekdays, offset: true, reverse: false, ticks: { color: COLORS.text },
            grid: { display: false } },
        },
      },
    },
  };
}

function barChart(name, caption, labels, counts, o, { detail = "", horizontal = false, color = COLORS.bars, label = R.questions } = {}) {
  const data = counts.map(num);
  const base = baseOptions(o);
  return {
    name,
    caption,
    detail,
    summary: `${caption}: ${R.summary.bars(labels.map((l, i) => [l, data[i]]))}`,
    config: {
      type: "bar",
      data: { labels, datasets: [{ label, data, backgroundColor: color }] },
      options: { ...base, ...(horizontal ? { indexAxis: "y" } : {}), scales: axes({ horizontal }) },
    },
  };
}

export function waitChart(report, o = {}) {
  const w = report.wait || {};
  const target = w.target ?? report.target_seconds;
  const detail = R.detail.wait(seconds(w.p50), seconds(w.p90), target ? seconds(target) : "");
  const chart = barChart("wait", R.caption.wait, w.labels || [], w.histogram || [], o, { detail, label: R.chats });
  chart.summary = `${chart.summary}. ${detail}`;
  return chart;
}

export function durationChart(report, o = {}) {
  const d = report.duration || {};
  const detail = R.detail.duration(seconds(d.p50), seconds(d.p90));
  const chart = barChart("duration", R.caption.duration, d.labels || [], d.histogram || [], o, { detail, label: R.chats });
  chart.summary = `${chart.summary}. ${detail}`;
  return chart;
}

export function outcomesChart(report, o = {}) {
  const given = report.outcomes || {};
  const known = [...OUTCOMES, ...Object.keys(given).filter((k) => !OUTCOMES.includes(k))];
  const labels = known.map((k) => R.outcome[k] || k);
  const data = known.map((k) => num(given[k]));
  const base = baseOptions(o);
  return {
    name: "outcomes",
    caption: R.caption.outcomes,
    detail: "",
    summary: `${R.caption.outcomes}: ${R.summary.bars(labels.map((l, i) => [l, data[i]]))}`,
    config: {
      type: "doughnut",
      data: { labels, datasets: [{ label: R.questions, data, backgroundColor: known.map((_, i) => COLORS.outcomes[i % COLORS.outcomes.length]), borderColor: "#ffffff", borderWidth: 2 }] },
      options: { ...base, plugins: { ...base.plugins, legend: { display: true, position: "right", labels: { color: COLORS.text } } } },
    },
  };
}

export function ratingsChart(report, o = {}) {
  const r = report.ratings || {};
  const counts = r.counts || {};
  const keys = ["1", "2", "3", "4", "5"];
  const chart = barChart("ratings", R.caption.ratings, keys.map((k) => R.stars(k)), keys.map((k) => counts[k]), o,
    { detail: R.detail.ratings(num(r.n), decimal(r.mean)), label: R.chats });
  chart.summary = `${chart.summary}. ${chart.detail}`;
  return chart;
}

export function readChart(report, o = {}) {
  const r = report.read || {};
  const keys = ["1", "2", "3", "4", "5", "6"];
  return barChart("read", R.caption.read, keys.map((k) => R.readLevel(k)), keys.map((k) => r[k]), o);
}

/** A {name: count} map as a horizontal bar chart, most first (question types, tags). */
export function countsChart(name, report, o = {}) {
  const entries = Object.entries(report[name] || {}).map(([k, v]) => [k, num(v)]).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return barChart(name, R.caption[name], entries.map((e) => e[0]), entries.map((e) => e[1]), o, { horizontal: true });
}

/**
 * Every chart of the tab, in the order shown: [{name, caption, detail, summary, config}].
 * `name` is also the table's (report.tables[name]) and the CSV's (?table=name).
 */
export function chartSpecs(report, o = {}) {
  return [
    perDayChart(report, o),
    heatMapChart(report, o),
    waitChart(report, o),
    durationChart(report, o),
    outcomesChart(report, o),
    ratingsChart(report, o),
    readChart(report, o),
    countsChart("question_types", report, o),
    countsChart("tags", report, o),
  ];
}

/** The sum of what a chart config draws (its first dataset; a matrix's cells by `v`). */
export function drawnTotal(config) {
  const data = config.data.datasets[0].data;
  return data.reduce((a, d) => a + (typeof d === "number" ? d : num(d && d.v)), 0);
}
