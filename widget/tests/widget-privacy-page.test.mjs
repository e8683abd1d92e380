// The public privacy page's words (widget/patron/privacy-view.js, privacy-page.js; docs/
// privacy.md "The public privacy page"), with node --test: GET /api/privacy's answer -> one
// plain sentence per setting, per desk; the library from the query string; errors in the
// patron's words.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deskLines, deskName, errorText, pageModel } from "../patron/privacy-view.js";
import { libraryOf, privacyPath } from "../patron/privacy-page.js";
import { makeT } from "../patron/i18n.js";
import { PRIVACY_STRINGS } from "../patron/i18n-privacy.js";
import { ApiError } from "../js/http.js";

const t = makeT("en", PRIVACY_STRINGS);
const FACTS = { patron_ip_stored: false, statistics_days: 730 };
const DEFAULTS = { retention_days: 30, transcripts: "keep", delete_after_hours: 0, strip_identity: false, typing_preview: true };
const desk = (policy, extra = {}) => ({ id: "general", name: "Ask a librarian", library: null, policy: { ...DEFAULTS, ...policy }, ...extra });
const byKey = (lines) => Object.fromEntries(lines.map((l) => [l.key, l.text]));

test("a desk on the defaults: every sentence, in the order a patron asks", () => {
  const lines = deskLines(desk({}), FACTS, t);
  assert.deepEqual(lines.map((l) => l.key), ["retention", "transcripts", "identity", "typing", "supervisors", "ip", "statistics", "who", "delete"]);
  const s = byKey(lines);
  assert.equal(s.retention, "Everything about your chat is deleted for good 30 days after you ask your question, at the latest.");
  assert.match(s.transcripts, /conversation is kept, also after the chat is closed/);
  assert.match(s.identity, /name and e-mail address, if you give them, are kept with the chat/);
  assert.match(s.typing, /^Librarians can see what you type before you send it/);
  assert.match(s.supervisors, /If one does, the chat window tells you\.$/);
  assert.equal(s.ip, "Your IP address is not stored.");
  assert.match(s.statistics, /^Anonymous statistics are kept for 730 days/);
  assert.match(s.statistics, /no names, no questions and no addresses/);
  assert.equal(s.who, "Who can read your chat: the librarians who answer chats at “Ask a librarian”, and the chat service's administrators.");
  assert.match(s.delete, /“Delete this chat” in the chat window/);
  for (const l of lines) assert.doesNotMatch(l.text, /\{\w+\}/, "no placeholder left");
});

test("the settings change the sentences: delete after close, strip identity, no typing preview", () => {
  const s = byKey(deskLines(desk({ retention_days: 7, transcripts: "delete", delete_after_hours: 2, strip_identity: true, typing_preview: false }), FACTS, t));
  assert.match(s.retention, /deleted for good 7 days after/);
  assert.equal(s.transcripts, "The conversation is deleted sooner: 2 hours after the chat is closed.");
  assert.equal(s.identity, "Your name and e-mail address, if you give them, are removed from the chat when it is closed.");
  assert.equal(s.typing, "Librarians see your messages only when you send them, not while you type.");
  assert.match(byKey(deskLines(desk({ observer_notice: false }), FACTS, t)).supervisors, /without the chat window telling you/);
  const soon = byKey(deskLines(desk({ transcripts: "delete", delete_after_hours: 0 }), FACTS, t));
  assert.match(soon.transcripts, /within about 5 minutes after the chat is closed/);
  const one = byKey(deskLines(desk({ retention_days: 1, transcripts: "delete", delete_after_hours: 1 }), { ...FACTS, statistics_days: 1 }, t));
  assert.match(one.retention, / 1 day after/);
  assert.match(one.transcripts, / 1 hour after/);
  assert.match(one.statistics, /kept for 1 day:/);
});

test("the IP address sentence follows the service, statistics only when the service says", () => {
  assert.equal(byKey(deskLines(desk({}), { patron_ip_stored: true, statistics_days: 30 }, t)).ip, "Your IP address is stored with the chat.");
  assert.ok(!("statistics" in byKey(deskLines(desk({}), { patron_ip_stored: false }, t))));
});

test("a desk named with its library, once", () => {
  assert.equal(deskName({ name: "Law desk", library: "State University" }, t), "Law desk (State University)");
  assert.equal(deskName({ name: "Central Library desk", library: "Central Library" }, t), "Central Library desk");
  assert.equal(deskName({ id: "x" }, t), "x");
});

test("the page: one title (naming the library when there is one), a section per desk", () => {
  const all = pageModel({ library: null, ...FACTS, desks: [desk({}), desk({}, { id: "law", name: "Law desk", library: "State U" })] }, t);
  assert.equal(all.title, "Your privacy when you chat with a librarian");
  assert.deepEqual(all.desks.map((d) => [d.id, d.heading]), [["general", "Ask a librarian"], ["law", "Law desk (State U)"]]);
  assert.equal(all.empty, null);
  const one = pageModel({ library: "State U", ...FACTS, desks: [desk({}, { id: "law", name: "Law desk", library: "State U" })] }, t);
  assert.equal(one.title, "Your privacy when you chat with State U");
  assert.deepEqual(one.desks.map((d) => d.heading), ["Law desk"], "the library is in the title already");
  assert.equal(pageModel({ desks: [] }, t).empty, "No chat desks are set up yet.");
});

test("the library from the query string, and the request for it", () => {
  assert.equal(libraryOf("?library=Central%20Library"), "Central Library");
  assert.equal(libraryOf("?library=%20"), undefined);
  assert.equal(libraryOf(""), undefined);
  assert.equal(privacyPath("Central Library"), "/privacy?library=Central%20Library");
  assert.equal(privacyPath(undefined), "/privacy");
});

test("errors in the patron's words", () => {
  assert.match(errorText(new ApiError(404, "not_found", "no such library"), "Nowhere", t), /no library called “Nowhere”/);
  assert.match(errorText(new ApiError(0, "network", "Failed to fetch"), undefined, t), /could not be reached/);
  assert.match(errorText(new ApiError(500, "internal", "boom"), undefined, t), /could not be loaded: boom/);
});
