// DOM helpers shared by the patron widget and the librarians' dashboard.
// One place for element construction so both UIs build nodes the same way;
// user text always goes in through textContent / text nodes, never innerHTML.

/**
 * Build an element in the global document.
 * attrs: class -> className, text -> textContent, on<event> functions become
 * listeners, hidden -> .hidden, true -> empty attribute; undefined / null /
 * false values are skipped. Children: strings become text nodes, arrays are
 * flattened, undefined / null / false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "hidden") el.hidden = Boolean(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}

/** Element in `doc` with an optional class name and text (textContent). */
export function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}
