// Unit tests of the desk rules the Chats tab and chat panes use (widget/dashboard/desks.js):
// my desks and the ones I watch, the desk heading a waiting chat goes under, the "rolled over"
// mark, the local-information card's text and links, transfer targets.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  cardParts, cardView, deskIndex, deskLabel, formatReviewed, groupOf, isRolledOver, isVisible, myDesks,
  offeredDesks, rolledOverText, safeHttpUrl, transferDesks, watchedDesks, watchOptions,
} from "../dashboard/desks.js";

const QUEUES = [
  { id: "central", name: "Central", library: "Central Library", enabled: true,
    card: { text: "Holds: https://central.example.org/holds. Parking is free after 5.", reviewed_on: "2026-11-01" } },
  { id: "coop", name: "Co-op desk", library: "Library co-op", enabled: true, card: null },
  { id: "riverside", name: "Riverside", library: "Riverside Library", card: { text: "Ask at the front." } },
  { id: "old", name: "Old desk", enabled: false },
];
const desks = deskIndex(QUEUES);

test("my desks: operator.queues, or every enabled desk when it is null; only the enabled ones", () => {
  assert.deepEqual(myDesks(null, QUEUES), ["central", "coop", "riverside"]);
  assert.deepEqual(myDesks(undefined, QUEUES), ["central", "coop", "riverside"]);
  assert.deepEqual(myDesks(["riverside", "coop", "old", "gone"], QUEUES), ["coop", "riverside"], "the service's order");
  assert.deepEqual(myDesks([], QUEUES), []);
  assert.deepEqual(myDesks(null, null), []);
});

test("watching: the service's list in my desks' order; without one, all my desks", () => {
  const mine = ["central", "coop", "riverside"];
  assert.deepEqual(watchedDesks(["riverside", "central"], mine), ["central", "riverside"]);
  assert.deepEqual(watchedDesks([], mine), []);
  assert.deepEqual(watchedDesks(undefined, mine), mine);
  assert.deepEqual(watchOptions(mine, ["coop"], desks), [
    { id: "central", label: "Central (Central Library)", checked: false },
    { id: "coop", label: "Co-op desk (Library co-op)", checked: true },
    { id: "riverside", label: "Riverside (Riverside Library)", checked: false },
  ]);
});

test("offered desks and visibility: home first; a chat from a service without desks has its queue", () => {
  assert.deepEqual(offeredDesks({ queue: "central", offered: ["central", "coop"] }), ["central", "coop"]);
  assert.deepEqual(offeredDesks({ queue: "general" }), ["general"]);
  assert.deepEqual(offeredDesks({ queue: "general", offered: [] }), ["general"]);
  assert.equal(isVisible({ queue: "central", offered: ["central", "coop"] }, ["coop"]), true);
  assert.equal(isVisible({ queue: "central", offered: ["central"] }, new Set(["coop", "riverside"])), false);
});

test("a waiting chat is listed once: under its home desk if watched, else the desk it rolled over to", () => {
  const rolled = { queue: "central", offered: ["central", "coop"] };
  assert.equal(groupOf(rolled, ["central", "coop"]), "central");
  assert.equal(groupOf(rolled, ["coop", "riverside"]), "coop");
  const chain = { queue: "central", offered: ["central", "coop", "riverside"] };
  assert.equal(groupOf(chain, ["riverside", "coop"]), "coop", "the first desk it reached that I watch");
  assert.equal(groupOf({ queue: "central" }, ["coop"]), "central", "not offered to mine: its home desk (the list's 'other')");
});

test("rolled over: the home desk is not one I watch, or it was offered to more than one desk", () => {
  assert.equal(isRolledOver({ queue: "central", offered: ["central"] }, ["central", "coop"]), false);
  assert.equal(isRolledOver({ queue: "central", offered: ["central", "coop"] }, ["central", "coop"]), true);
  assert.equal(isRolledOver({ queue: "central", offered: ["central", "coop"] }, ["coop"]), true);
  assert.equal(isRolledOver({ queue: "central", offered: ["coop"] }, ["coop"]), true, "transferred to a desk I watch");
  assert.equal(rolledOverText({ queue: "central", offered: ["central", "coop"] }, ["coop"], desks),
    "Rolled over from Central (Central Library)");
  assert.equal(rolledOverText({ queue: "central", offered: ["central"] }, ["central"], desks), "");
  // a desk welcome did not list: its name from /api/status, else its id; no library to name
  assert.equal(rolledOverText({ queue: "east", offered: ["east", "coop"] }, ["coop"], desks, { east: "East branch" }),
    "Rolled over from East branch");
  assert.equal(rolledOverText({ queue: "east", offered: ["east", "coop"] }, ["coop"], desks), "Rolled over from east");
});

test("desk labels name the library unless it is the desk's own name", () => {
  assert.equal(deskLabel(desks.get("central")), "Central (Central Library)");
  assert.equal(deskLabel({ id: "x", name: "Main Library", library: "Main Library" }), "Main Library");
  assert.equal(deskLabel({ id: "x" }), "x");
  assert.equal(deskLabel(undefined, "fallback"), "fallback");
});

test("card text: http(s) URLs become links, a sentence's stop or a closing bracket stays text", () => {
  assert.deepEqual(cardParts("Holds: https://central.example.org/holds. Parking is free."), [
    { text: "Holds: " },
    { text: "https://central.example.org/holds", href: "https://central.example.org/holds" },
    { text: ". Parking is free." },
  ]);
  assert.deepEqual(cardParts("(see http://x.example/a_(b)) and https://y.example/?q=1,"), [
    { text: "(see " },
    { text: "http://x.example/a_(b)", href: "http://x.example/a_(b)" },
    { text: ") and " },
    { text: "https://y.example/?q=1", href: "https://y.example/?q=1" },
    { text: "," },
  ]);
  // nothing else is a link: other schemes, markup, bare domains
  const plain = 'javascript:alert(1) <a href="https://evil.example">x</a> ftp://f.example www.example.org';
  const parts = cardParts(plain);
  assert.deepEqual(parts.filter((p) => p.href).map((p) => p.href), ["https://evil.example/"]);
  assert.equal(parts.map((p) => p.text).join(""), plain, "every character is kept, as text");
  assert.deepEqual(cardParts(""), []);
  assert.deepEqual(cardParts("No links here."), [{ text: "No links here." }]);
  assert.equal(safeHttpUrl("javascript:alert(1)"), "");
  assert.equal(safeHttpUrl("HTTPS://Example.org"), "https://example.org/");
});

test("the card of the chat's home desk: its desk, its parts, when it was last reviewed", () => {
  const card = cardView({ queue: "central", offered: ["central", "coop"] }, desks, {}, "en-GB");
  assert.equal(card.desk, "Central (Central Library)");
  assert.equal(card.reviewed, "last reviewed 1 Nov 2026");
  assert.equal(card.parts[1].href, "https://central.example.org/holds");
  assert.equal(cardView({ queue: "riverside" }, desks).reviewed, "", "no review date: nothing said");
  assert.equal(cardView({ queue: "coop" }, desks), null, "no card");
  assert.equal(cardView({ queue: "nowhere" }, desks), null);
  assert.equal(formatReviewed("2026-02-03", "en-US"), "Feb 3, 2026");
  assert.equal(formatReviewed("soon"), "soon");
});

test("transfer desks: the enabled desks, by their names", () => {
  assert.deepEqual(transferDesks(desks), [
    { id: "central", label: "Central (Central Library)" },
    { id: "coop", label: "Co-op desk (Library co-op)" },
    { id: "riverside", label: "Riverside (Riverside Library)" },
  ]);
  assert.deepEqual(transferDesks(deskIndex(null)), []);
});
