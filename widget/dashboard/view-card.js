// The local-information card of a chat's home desk, in the pane of whoever answers
// (docs/desks.md `card`): a <details> the librarian opens and closes (keyboard and screen
// readers get that from the element itself), naming the patron's desk; the card's plain text
// with its http(s) URLs as links (each an <a> whose text is set with textContent; no other
// scheme, no markup) and when it was last reviewed. Open at first for a rolled-over chat,
// where the librarian is least likely to know the library; after that it stays as they left it.

import { el } from "../js/dom.js";
import { safeHttpUrl } from "./desks.js";
import { S } from "./strings.js";

export class InfoCard {
  constructor(doc) {
    this.doc = doc;
    this.root = el(doc, "details", "lcd-info");
    this.summary = el(doc, "summary", "lcd-info-summary");
    const body = el(doc, "div", "lcd-info-body");
    body.tabIndex = 0; // a long card scrolls: keyboard users can reach and scroll it too
    body.setAttribute("role", "region");
    this.body = body;
    this.text = el(doc, "p", "lcd-info-text");
    this.reviewed = el(doc, "p", "lcd-info-reviewed");
    body.append(this.text, this.reviewed);
    this.root.append(this.summary, body);
    this.root.hidden = true;
    this.shownFor = null; // the card (desk and text) the element shows; a new one may open it
  }

  /** `card`: {desk, parts: [{text, href?}], reviewed} from desks.js cardView, or null. */
  update(card, { rolledOver }) {
    this.root.hidden = !card;
    if (!card) {
      this.shownFor = null;
      return;
    }
    const key = JSON.stringify([card.desk, card.parts, card.reviewed]);
    if (key === this.shownFor) return;
    const first = this.shownFor === null;
    this.shownFor = key;
    this.summary.textContent = S.chatDesks.cardTitle(card.desk);
    this.body.setAttribute("aria-label", S.chatDesks.cardRegion(card.desk));
    this.text.replaceChildren(...card.parts.map((p) => this.part(p)));
    this.reviewed.textContent = card.reviewed;
    this.reviewed.hidden = !card.reviewed;
    if (first) this.root.open = Boolean(rolledOver);
  }

  part(p) {
    const href = p.href ? safeHttpUrl(p.href) : "";
    if (!href) return this.doc.createTextNode(p.text);
    const a = el(this.doc, "a", "lcd-info-link", p.text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
}
