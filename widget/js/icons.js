// Inline SVG icons (24x24, stroke) for both front ends, built with createElementNS:
// decorative, so aria-hidden.
// The path data is constant; no user data ever reaches an icon.

const PATHS = {
  send: ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"],
  minimize: ["M6 12h12"],
  close: ["M6 6l12 12", "M18 6L6 18"],
  mail: ["M3 6h18v12H3z", "M3 7l9 6 9-6"],
  phone: ["M5 4h4l2 5-2.5 1.5a11 11 0 005 5L15 13l5 2v4a1 1 0 01-1 1A16 16 0 014 5a1 1 0 011-1z"],
  link: ["M10 14a4 4 0 005.66 0l3-3a4 4 0 00-5.66-5.66l-1 1", "M14 10a4 4 0 00-5.66 0l-3 3a4 4 0 005.66 5.66l1-1"],
  moon: ["M20 14.5A8 8 0 019.5 4a8 8 0 1010.5 10.5z"],
  cloudOff: ["M3 3l18 18", "M8 8a5 5 0 00-1 9.9h10.5", "M11 6.1A6 6 0 0118.7 12 3.5 3.5 0 0120.6 17"],
  download: ["M12 4v11", "M7 10l5 5 5-5", "M5 20h14"],
  check: ["M5 13l4 4L19 7"],
  refresh: ["M20 11a8 8 0 10-2.3 5.7", "M20 4v7h-7"],
  chat: ["M4 5h16v11H9l-5 4z"],
  paperclip: ["M20 11.5l-7.8 7.8a5 5 0 01-7.1-7.1l8.5-8.5a3.3 3.3 0 014.7 4.7l-8.5 8.5a1.7 1.7 0 01-2.4-2.4l7.8-7.8"],
  book: ["M4 5.5A2.5 2.5 0 016.5 3H20v15H6.5A2.5 2.5 0 004 20.5z", "M4 20.5A2.5 2.5 0 016.5 18H20v3H6.5"],
};

const SVG = "http://www.w3.org/2000/svg";

export function icon(name, className = "lc-icon", doc = document) {
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "20");
  svg.setAttribute("height", "20");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", className);
  for (const d of PATHS[name] || []) {
    const path = doc.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.appendChild(path);
  }
  return svg;
}
