// Composition of the reports (docs/reports.md), called by main.js once signed in: the Reports
// tab (reports.js + view-reports.js, its charts from reports-charts.js drawn by the chart
// library loaded on first use, chart-library.js) and the Chats tab's "today" line (today.js +
// view-today.js). Returns what to do when a tab is shown and when a frame arrives.

import { loadChartLibrary } from "./chart-library.js";
import { ReportsController } from "./reports.js";
import { TodayLine } from "./today.js";
import { ReportsView } from "./view-reports.js";
import { TodayView } from "./view-today.js";

/**
 * @param {object} o {doc, win, api, dash (Dashboard), authLost()}
 */
export function startReports({ doc, win, api, dash, authLost }) {
  const reducedMotion = () => Boolean(win.matchMedia && win.matchMedia("(prefers-reduced-motion: reduce)").matches);
  const view = new ReportsView(doc, win);
  const reports = new ReportsController({
    api, view, onAuthLost: authLost, reducedMotion,
    isAdmin: () => dash.me.role === "admin",
    loadCharts: () => loadChartLibrary(doc, win),
  });
  Object.assign(view.handlers, {
    apply: (filters) => reports.apply(filters),
    saveTarget: (value) => reports.saveTarget(value),
    download: (table) => reports.download(table),
  });

  const today = new TodayLine({
    api, view: new TodayView(doc), onAuthLost: authLost,
    visible: () => (dash.active || "chats") === "chats" && doc.visibilityState !== "hidden",
    deskLabel: (id, name) => (dash.queue.desks.has(id) ? dash.queue.deskLabel(id) : name || dash.queue.deskLabel(id)),
  });
  doc.addEventListener("visibilitychange", () => today.shown());

  return {
    reports, today,
    /** A fixed tab came into view. */
    shown(tab) {
      if (tab === "reports") reports.show();
      today.shown();
    },
    onFrame: (frame) => today.onFrame(frame),
  };
}
