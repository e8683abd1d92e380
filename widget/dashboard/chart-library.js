// The chart library, loaded when the Reports tab first needs it (not with the dashboard: the
// first load does not pay for 200 KB it may never use). Chart.js and its matrix plugin come
// from npm, pinned in widget/package-lock.json and copied into vendor/ by `make vendor`; both
// are UMD builds that set globalThis.Chart (the plugin registers itself on it).

export const CHART_SCRIPTS = ["vendor/chart.umd.min.js", "vendor/chartjs-chart-matrix.min.js"];

/** One <script src> in <head>, once per document; resolves when it ran, rejects if it failed. */
export function loadScript(doc, src) {
  const known = doc.querySelector(`script[data-lcd-src="${src}"]`);
  if (known && known.lcdLoaded) return known.lcdLoaded;
  const script = doc.createElement("script");
  script.src = src;
  script.async = false; // in order: the plugin needs Chart
  script.dataset.lcdSrc = src;
  script.lcdLoaded = new Promise((resolve, reject) => {
    script.addEventListener("load", () => resolve(), { once: true });
    script.addEventListener("error", () => {
      script.remove(); // the next try adds it again
      reject(new Error(`${src} did not load`));
    }, { once: true });
  });
  (doc.head || doc.documentElement).append(script);
  return script.lcdLoaded;
}

let loading = null;

/**
 * Chart.js with the matrix chart registered: resolves with the Chart class, or null when the
 * files could not be loaded (the tab then shows its tables only); tried again on the next call.
 */
export function loadChartLibrary(doc, win = globalThis, scripts = CHART_SCRIPTS) {
  if (win.Chart && win.Chart.registry && hasMatrix(win.Chart)) return Promise.resolve(win.Chart);
  if (!loading) {
    loading = (async () => {
      for (const src of scripts) await loadScript(doc, src);
      return win.Chart || null;
    })().catch(() => null).then((Chart) => {
      if (!Chart) loading = null;
      return Chart;
    });
  }
  return loading;
}

function hasMatrix(Chart) {
  try {
    return Boolean(Chart.registry.getController("matrix"));
  } catch {
    return false;
  }
}
