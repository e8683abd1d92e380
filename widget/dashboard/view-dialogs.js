// The dashboard's modal questions, on the <dialog> elements of index.html: "are you sure?"
// (#lcd-dialog: End Chat, a 4th chat, signing out with open chats) and "transfer to whom?"
// (#lcd-transfer: a colleague or back to the queue, and a note). Each resolves a promise when
// the dialog closes and gives focus back to what had it. All text goes in with textContent.

import { el } from "../js/dom.js";
import { S } from "./strings.js";

/** Open `dialog` modally; resolves with `answer(confirmed)` once it closes, focus given back. */
function ask(doc, dialog, answer, focusFirst) {
  const opener = doc.activeElement;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    const done = () => {
      dialog.removeEventListener("close", done);
      resolve(answer(dialog.returnValue === "confirm"));
      if (opener && opener.isConnected && !opener.closest("[hidden]") && typeof opener.focus === "function") {
        opener.focus();
      }
    };
    dialog.addEventListener("close", done);
    dialog.showModal();
    const first = focusFirst();
    if (first) first.focus();
  });
}

/**
 * A modal question; resolves true when the librarian confirms. Escape cancels. Without
 * `confirm` it only tells something: one button (`cancel`, e.g. "OK"), and it resolves false.
 */
export function confirmDialog(doc, e, { title, body, confirm, cancel, defaultAction = "cancel" }) {
  e.dialogTitle.textContent = title;
  e.dialogBody.textContent = body;
  e.dialogConfirm.textContent = confirm || "";
  e.dialogConfirm.hidden = !confirm;
  e.dialogCancel.textContent = cancel;
  const first = defaultAction === "confirm" && confirm ? e.dialogConfirm : e.dialogCancel;
  return ask(doc, e.dialog, (ok) => ok && Boolean(confirm), () => first);
}

/**
 * Where a chat goes: a colleague (radio) or back to the queue, and an optional note.
 * Resolves {to, note} (to "" for the queue), or null when cancelled.
 */
export function transferDialog(doc, e, { name, targets }) {
  e.transferTitle.textContent = S.transfer.title(name);
  e.transferNote.value = "";
  const options = [...targets.map((o) => ({ value: o.id, label: `${o.name || o.id}${o.state === "away" ? S.transfer.away : ""}` })),
    { value: "", label: S.transfer.toQueue }];
  e.transferTargets.replaceChildren(...options.map((o, i) => {
    const lab = el(doc, "label", "lcd-radio");
    const input = el(doc, "input");
    input.type = "radio";
    input.name = "lcd-transfer-to";
    input.value = o.value;
    input.checked = i === 0;
    lab.append(input, el(doc, "span", null, o.label));
    return lab;
  }));
  const answer = (ok) => {
    if (!ok) return null;
    const picked = e.transferTargets.querySelector("input:checked");
    return { to: picked ? picked.value : "", note: e.transferNote.value };
  };
  return ask(doc, e.transfer, answer, () => e.transferTargets.querySelector("input"));
}
