// The DOM helpers (widget/js/dom.js) on a minimal stand-in document: what goes where, and
// that text only ever becomes text (textContent / text nodes), never markup.
import { test } from "node:test";
import assert from "node:assert/strict";
import { el, h } from "../js/dom.js";

class FakeNode {
  constructor(tag) {
    this.tagName = tag;
    this.attributes = {};
    this.children = [];
    this.listeners = {};
    this.className = "";
    this.hidden = false;
  }
  setAttribute(k, v) { this.attributes[k] = v; }
  addEventListener(type, fn) { this.listeners[type] = fn; }
  appendChild(child) { this.children.push(child); return child; }
  set textContent(v) { this.text = String(v); }
  get textContent() { return this.text ?? this.children.map((c) => c.textContent).join(""); }
  set innerHTML(v) { throw new Error("innerHTML must not be used"); }
}
const fakeDocument = {
  createElement: (tag) => new FakeNode(tag),
  createTextNode: (text) => ({ nodeType: 3, textContent: text }),
};

test("h: class, text, listeners, hidden, boolean and skipped attributes, children", () => {
  globalThis.document = fakeDocument;
  try {
    const clicked = [];
    const child = h("span", { text: "inner" });
    const node = h("button", {
      class: "lc-btn", text: undefined, onclick: () => clicked.push(1), hidden: 0, disabled: true,
      "aria-label": "Send", maxlength: 4000, title: null, checked: false,
    }, "Hi <b>", [child, null, false, "there"], undefined); // one level of arrays, as today
    assert.equal(node.tagName, "button");
    assert.equal(node.className, "lc-btn");
    assert.deepEqual(node.attributes, { disabled: "", "aria-label": "Send", maxlength: "4000" });
    assert.equal(node.hidden, false);
    node.listeners.click();
    assert.deepEqual(clicked, [1]);
    assert.deepEqual(node.children.map((c) => c.textContent), ["Hi <b>", "inner", "there"]);
    assert.equal(node.children[0].nodeType, 3, "a string child is a text node, markup and all");
    assert.equal(h("p", { hidden: "yes" }).hidden, true);
    assert.equal(h("p", { text: "<i>x</i>" }).textContent, "<i>x</i>");
    assert.equal(h("div", null).children.length, 0);
    assert.equal(h("a", { onclick: "alert(1)" }).attributes.onclick, "alert(1)", "only functions become listeners");
  } finally {
    delete globalThis.document;
  }
});

test("el: in the given document, optional class and text", () => {
  const node = el(fakeDocument, "li", "lcd-msg", "<script>x</script>");
  assert.equal(node.tagName, "li");
  assert.equal(node.className, "lcd-msg");
  assert.equal(node.textContent, "<script>x</script>");
  const bare = el(fakeDocument, "ol");
  assert.equal(bare.className, "");
  assert.equal(bare.text, undefined);
  assert.equal(el(fakeDocument, "span", null, 0).textContent, "0", "0 is text, not nothing");
});
