// A chat pane's composer: the text box (Enter sends, Shift+Enter adds a line, it grows with
// its text), Send, the Canned Messages button, the paperclip above it and the chosen file
// (view-attach.js; a pasted or dropped file waits for Upload too),
// and the `/shortcut` suggestions under the text box (the ARIA combobox pattern).
// Reports intents through `call(name, ...args)`; the text box's value is the librarian's own.

import { el } from "../js/dom.js";
import { MAX_TEXT } from "../js/limits.js";
import { insertText, isSendKey, shortcutAt } from "./logic.js";
import { S } from "./strings.js";
import { AttachTray } from "./view-attach.js";

/** Taller with each line, up to 200 px. */
export function autoGrow(ta) {
  ta.style.height = "auto";
  ta.style.height = `${Math.min(ta.scrollHeight + 2, 200)}px`;
}

/** A button that does nothing while aria-disabled (it stays focusable and announced). */
export function actionButton(doc, className, text, onClick) {
  const b = el(doc, "button", className, text);
  b.type = "button";
  b.addEventListener("click", () => {
    if (b.getAttribute("aria-disabled") !== "true") onClick();
  });
  return b;
}

/** aria-disabled on or off, and the words for the state. */
export function setBusy(button, busy, text) {
  if (busy) button.setAttribute("aria-disabled", "true");
  else button.removeAttribute("aria-disabled");
  button.textContent = text;
}

export class Composer {
  /**
   * @param {Document} doc
   * @param {Window} win
   * @param {string} chatId
   * @param {number} n      the pane's number, for element ids
   * @param {object} o      {call(name, ...args), announce(text), sent()}
   */
  constructor(doc, win, chatId, n, { call, announce, sent }) {
    this.doc = doc;
    this.win = win;
    this.call = call;
    this.announce = announce;
    const d = doc;
    const form = el(d, "form", "lcd-composer");
    form.noValidate = true;
    const label = el(d, "label", "lcd-sr-only");
    const ta = el(d, "textarea", "lcd-textarea");
    ta.id = `lcd-text-p${n}`;
    label.htmlFor = ta.id;
    ta.rows = 2;
    ta.maxLength = MAX_TEXT;
    ta.placeholder = S.composer.placeholder;
    const hint = el(d, "span", "lcd-hint", S.composer.hint);
    hint.id = `lcd-hint-p${n}`;
    ta.setAttribute("aria-describedby", hint.id);
    const bar = el(d, "div", "lcd-composer-bar");
    const send = el(d, "button", "lcd-btn lcd-btn--primary lcd-send", S.composer.send);
    send.type = "submit";
    const tools = el(d, "div", "lcd-composer-tools");
    const cannedBtn = el(d, "button", "lcd-btn lcd-btn--quiet lcd-canned-open", S.composer.canned);
    cannedBtn.type = "button";
    cannedBtn.setAttribute("aria-haspopup", "dialog");
    cannedBtn.addEventListener("click", () => call("openCanned", ta));
    // the manual: "the paperclip icon above the text box", then Upload (view-attach.js)
    this.files = new AttachTray(d, chatId, n, { call, focusComposer: () => this.focus() });
    tools.append(cannedBtn);
    bar.append(tools, hint, send);
    const suggest = el(d, "ul", "lcd-suggest");
    suggest.id = `lcd-suggest-p${n}`;
    suggest.setAttribute("role", "listbox");
    suggest.setAttribute("aria-label", S.composer.suggestLabel);
    suggest.hidden = true;
    ta.setAttribute("aria-autocomplete", "list");
    ta.setAttribute("aria-controls", suggest.id);
    this.suggest = { list: suggest, items: [], index: 0, range: null };
    form.append(this.files.bar, this.files.box, label, ta, suggest, bar);

    // a pasted screenshot or a dropped file waits for Upload like a chosen one
    const attachFirst = (files, ev) => {
      if (files && files.length) {
        ev.preventDefault();
        call("chooseFile", chatId, files[0]);
      }
    };
    ta.addEventListener("paste", (ev) => attachFirst(ev.clipboardData && [...ev.clipboardData.files], ev));
    ta.addEventListener("dragover", (ev) => {
      if (ev.dataTransfer && [...ev.dataTransfer.types].includes("Files")) ev.preventDefault();
    });
    ta.addEventListener("drop", (ev) => attachFirst(ev.dataTransfer && [...ev.dataTransfer.files], ev));
    ta.addEventListener("keydown", (ev) => {
      if (this.suggestKey(ev)) return;
      if (isSendKey(ev)) {
        ev.preventDefault();
        form.requestSubmit();
      }
    });
    ta.addEventListener("blur", () => win.setTimeout(() => this.hideSuggest(), 150));
    ta.addEventListener("input", () => {
      autoGrow(ta);
      this.updateSuggest();
      call("composing", chatId, ta.value.trim().length > 0);
    });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (!ta.value.trim()) {
        ta.focus();
        return;
      }
      if (call("send", chatId, ta.value)) {
        ta.value = "";
        autoGrow(ta);
        sent();
        ta.focus();
      }
    });
    this.form = form;
    this.textarea = ta;
    this.label = label;
  }

  /** A refused message's text back into the box, if the chat still takes messages. */
  putBack(text) {
    if (this.form.hidden) return;
    this.textarea.value = text;
    autoGrow(this.textarea);
    this.textarea.focus();
  }

  focus() {
    if (!this.form.hidden) this.textarea.focus();
  }

  setAttachBusy(busy) {
    this.files.setBusy(busy);
  }

  // ------------------------------------------------------ shortcut suggestions

  updateSuggest() {
    const ta = this.textarea;
    const at = ta.selectionStart === ta.selectionEnd ? shortcutAt(ta.value, ta.selectionStart) : null;
    const items = at ? this.call("cannedShortcuts", at.prefix) || [] : [];
    if (!items.length) {
      this.hideSuggest();
      return;
    }
    const s = this.suggest;
    s.items = items;
    s.range = at;
    s.index = 0;
    s.list.replaceChildren(...items.map((c, i) => {
      const li = el(this.doc, "li", "lcd-suggest-item");
      li.id = `${s.list.id}-${i}`;
      li.setAttribute("role", "option");
      li.append(el(this.doc, "span", "lcd-suggest-key", `/${c.shortcut}`), el(this.doc, "span", "lcd-suggest-title", c.title));
      li.addEventListener("mousedown", (ev) => {
        ev.preventDefault(); // keep focus in the text box
        s.index = i;
        this.pickSuggest();
      });
      return li;
    }));
    if (s.list.hidden || s.list.childElementCount !== items.length) this.announce(S.composer.suggestions(items.length));
    s.list.hidden = false;
    this.markSuggest();
  }

  markSuggest() {
    const s = this.suggest;
    [...s.list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === s.index)));
    this.textarea.setAttribute("aria-activedescendant", `${s.list.id}-${s.index}`);
  }

  hideSuggest() {
    const s = this.suggest;
    if (s.list.hidden) return;
    s.list.hidden = true;
    s.list.replaceChildren();
    s.items = [];
    this.textarea.removeAttribute("aria-activedescendant");
  }

  pickSuggest() {
    const s = this.suggest;
    const c = s.items[s.index];
    if (!c || !s.range) return;
    const ta = this.textarea;
    const next = insertText(ta.value, s.range.start, s.range.end, c.text);
    ta.value = next.value;
    ta.setSelectionRange(next.caret, next.caret);
    this.hideSuggest();
    autoGrow(ta);
    ta.focus();
    ta.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /** Keys while suggestions show; true when the key was theirs. */
  suggestKey(ev) {
    const s = this.suggest;
    if (s.list.hidden || !s.items.length) return false;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      s.index = (s.index + (ev.key === "ArrowDown" ? 1 : s.items.length - 1)) % s.items.length;
      this.markSuggest();
      return true;
    }
    if ((ev.key === "Enter" || ev.key === "Tab") && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      this.pickSuggest();
      return true;
    }
    if (ev.key === "Escape") {
      ev.preventDefault();
      this.hideSuggest();
      return true;
    }
    return false;
  }
}
