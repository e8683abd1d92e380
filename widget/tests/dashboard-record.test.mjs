// The close form (widget/dashboard/record-form.js, docs/tickets.md "The close form"): the READ
// scale, the record's body, the follow-up ticket's e-mail, the chat pane's inline form (shown
// once the chat ended, never a dialog), what Save record and Close Chat send, editing from
// History, the Tickets tab's close and a chat's transcript; against a fake REST api, a fake
// inline form and a fake dialog.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../dashboard/api.js";
import {
  ChatRecords, chatEmail, emailProblem, isEmptyRecord, parseLines, readOptions, recordBody, recordValues, tagLists,
} from "../dashboard/record-form.js";
import { S } from "../dashboard/strings.js";

const LISTS = { tags: ["genealogy", "local history", "catalogue"], question_types: ["Directional", "Reference"] };

test("the READ scale: 1 to 6 with short labels, 'Not rated' first", () => {
  const opts = readOptions();
  assert.equal(opts.length, 7);
  assert.deepEqual(opts[0], { value: "", label: "Not rated" });
  assert.equal(opts[1].label, "1: answer with no specialized knowledge");
  assert.equal(opts[6].label, "6: in-depth research");
});

test("the record's body: chosen fields only, tags from the list once each, the note trimmed", () => {
  assert.deepEqual(recordBody({ questionType: "Reference", read: "3", tags: ["genealogy", "genealogy", "made up"], note: "  ask Theo " }, { tags: LISTS.tags }).body,
    { question_type: "Reference", read: 3, tags: ["genealogy"], note: "ask Theo" });
  assert.deepEqual(recordBody({ questionType: "", read: "", tags: [], note: "" }).body, { tags: [] });
  assert.deepEqual(recordBody({ note: "" }, { noteKnown: true }).body, { tags: [], note: "" }, "a shown note emptied: cleared");
  assert.deepEqual(recordBody({ read: "7" }).errors.map((e) => e.field), ["read"]);
  assert.deepEqual(recordBody({ read: "2.5" }).errors.map((e) => e.field), ["read"]);
  assert.deepEqual(recordBody({ note: "x".repeat(2001) }).errors.map((e) => e.field), ["note"]);
  assert.equal(isEmptyRecord({ tags: [] }), true);
  assert.equal(isEmptyRecord({ tags: [], read: 1 }), false);
});

test("stored records as the form's values; the lists cleaned; one per line", () => {
  assert.deepEqual(recordValues({ question_type: "Reference", read: 4, tags: ["a"], note: "n" }), { questionType: "Reference", read: "4", tags: ["a"], note: "n" });
  assert.deepEqual(recordValues(null), { questionType: "", read: "", tags: [], note: "" });
  assert.deepEqual(tagLists({ tags: [" a ", "a", "", 3, "b"], question_types: null }), { tags: ["a", "b"], question_types: [] });
  assert.deepEqual(parseLines("genealogy\r\n\n  local history \ngenealogy\n"), ["genealogy", "local history"]);
});

test("e-mail addresses: none is fine unless required; a bad one is said", () => {
  assert.equal(emailProblem(""), "");
  assert.equal(emailProblem("", { required: true }), S.record.needEmail);
  assert.equal(emailProblem("pat@"), S.record.badEmail);
  assert.equal(emailProblem(" pat@example.org "), "");
  assert.equal(chatEmail({ patron_email: "pat@example.org" }), "pat@example.org");
  assert.equal(chatEmail({}), "");
});

// ------------------------------------------------------------------ ChatRecords

function fakeApi(o = {}) {
  const calls = [];
  return {
    calls,
    tags: async () => { calls.push(["tags"]); if (o.tagsFail) throw new ApiError(500, "internal"); return LISTS; },
    chatRecord: async (id, body) => { calls.push(["record", id, body]); if (o.recordFail) throw new ApiError(403, "forbidden", "not yours"); return { record: body }; },
    chatTicket: async (id, body) => { calls.push(["ticket", id, body]); if (o.ticketFail) throw new ApiError(400, "bad_request", "no email"); return { ticket_id: "t-9" }; },
    chatTranscript: async (id, email) => { calls.push(["transcript", id, email]); return { sent: true }; },
  };
}

/** A dialog stand-in: records what it was opened with, and answers with `answer(opts)`. */
function setup(apiOpts, answer = async () => null) {
  const api = fakeApi(apiOpts);
  const opened = [];
  const announced = [];
  const panels = new Map(); // chat_id -> fake inline form
  const records = new ChatRecords({
    api, announce: (t) => announced.push(t),
    inline: (id) => (id === "c-gone" ? null : panels.get(id) || panels.set(id, fakePanel()).get(id)),
    form: async (opts) => {
      opened.push(opts);
      const res = await answer(opts);
      return res && "value" in res ? res.value : res; // as the dialog: it resolves with `value`
    },
    emailForm: async (opts) => { opened.push(opts); return answer(opts); },
  });
  return { api, opened, announced, records, panels };
}

const EMPTY = { questionType: "", read: "", tags: [], note: "", makeTicket: false, email: "" };

/** The inline form's stand-in (view-record-inline.js RecordPanel): what it was told, its values. */
function fakePanel() {
  const p = {
    shown: null, v: null, baseline: null, status: "", errors: null, failedWith: null, busyLog: [], ticketHidden: false,
    show(o) { p.shown = o; p.v = { ...EMPTY, email: o.email || "" }; p.baseline = JSON.stringify({ ...p.v, email: "" }); },
    values() { return { ...p.v, tags: [...p.v.tags] }; },
    dirty() { return p.baseline !== null && JSON.stringify({ ...p.v, email: p.v.makeTicket ? p.v.email : "" }) !== p.baseline; },
    busy(on) { p.busyLog.push(on); },
    saved(text, { values, ticketMade }) {
      p.status = text;
      p.errors = null;
      if (ticketMade) { p.ticketHidden = true; p.v.makeTicket = false; }
      p.baseline = JSON.stringify({ ...values, makeTicket: false, email: "" });
    },
    failed(errors, opts) { p.errors = errors; p.failedWith = opts; p.status = ""; },
    /** The librarian changes a field. */
    set(change) { Object.assign(p.v, change); if (p.onChange) p.onChange(); },
  };
  return p;
}

const CHAT = { chat_id: "c-1", patron_name: "Pat", question: "Census?", patron_email: "pat@example.org", status: "ended" };
const others = (api) => api.calls.filter((c) => c[0] !== "tags");

test("a chat that ended: its pane's form shown inline, empty, once, whoever ended it; no dialog", async () => {
  const { records, opened, panels, api } = setup();
  await records.chatEnded("c-1", CHAT);
  const panel = panels.get("c-1");
  assert.ok(panel.shown, "shown in the pane");
  assert.equal(panel.shown.email, "pat@example.org", "prefilled with the chat's e-mail");
  assert.deepEqual(panel.shown.values, { questionType: "", read: "", tags: [], note: "" });
  assert.deepEqual(panel.shown.lists.tags, LISTS.tags);
  assert.equal(typeof panel.onSave, "function");
  assert.equal(opened.length, 0, "never a (modal) dialog");
  const first = panel.shown;
  assert.equal(await records.chatEnded("c-1", CHAT), null, "a second render of the ended pane: not again");
  assert.equal(panel.shown, first);
  assert.equal(await records.chatEnded("c-gone", CHAT), null, "no pane: nothing");
  assert.deepEqual(others(api), [], "showing it sends nothing");
});

test("Save record: the record PUT, the ticket POSTed when ticked; the status in the form, nothing announced", async () => {
  const { records, api, announced, panels } = setup();
  await records.chatEnded("c-1", CHAT);
  const panel = panels.get("c-1");
  panel.set({ questionType: "Reference", read: "2", tags: ["genealogy"], note: "called back", makeTicket: true, email: "pat@example.org" });
  assert.equal(await panel.onSave(), true);
  assert.deepEqual(others(api), [
    ["record", "c-1", { question_type: "Reference", read: 2, tags: ["genealogy"], note: "called back" }],
    ["ticket", "c-1", { email: "pat@example.org" }],
  ]);
  assert.equal(panel.status, S.record.inlineTicketMade);
  assert.equal(panel.ticketHidden, true, "a ticket made is not offered again");
  assert.deepEqual(panel.busyLog, [true, false]);
  assert.deepEqual(announced, [], "the form's own status says it");
  assert.equal(panel.dirty(), false, "what was saved is the form's new starting point");

  panel.set({ read: "3" });
  await panel.onSave();
  assert.deepEqual(others(api).at(-1), ["record", "c-1", { question_type: "Reference", read: 3, tags: ["genealogy"], note: "called back" }]);
  assert.equal(panel.status, S.record.inlineSaved);
  assert.equal(others(api).filter((c) => c[0] === "ticket").length, 1);
});

test("Save record with nothing chosen: nothing sent, and said so; a record only: 'Record saved.'", async () => {
  const { records, api, panels } = setup();
  await records.chatEnded("c-1", CHAT);
  const panel = panels.get("c-1");
  await panel.onSave();
  assert.deepEqual(others(api), []);
  assert.equal(panel.status, S.record.nothingToSave);
  panel.set({ read: "1" });
  await panel.onSave();
  assert.deepEqual(others(api), [["record", "c-1", { read: 1, tags: [] }]]);
  assert.equal(panel.status, "Record saved.");
  panel.set({ read: "" });
  await panel.onSave();
  assert.deepEqual(others(api).at(-1), ["record", "c-1", { tags: [] }], "cleared again: the record is cleared");
});

test("errors stay in the form with the fields kept: a bad e-mail, a refused record, a failed ticket", async () => {
  const bad = setup();
  await bad.records.chatEnded("c-1", { ...CHAT, patron_email: undefined });
  const panel = bad.panels.get("c-1");
  panel.set({ makeTicket: true, email: "" });
  assert.equal(await panel.onSave(), false);
  assert.deepEqual(panel.errors.map((e) => e.field), ["email"]);
  assert.equal(panel.failedWith.focus, true, "Save record: the faulty field focused");
  assert.deepEqual(others(bad.api), []);
  assert.equal(panel.v.makeTicket, true, "the fields are kept");

  const refused = setup({ recordFail: true });
  await refused.records.chatEnded("c-1", CHAT);
  const p2 = refused.panels.get("c-1");
  p2.set({ read: "4" });
  assert.equal(await p2.onSave(), false);
  assert.equal(p2.errors[0].text, "Not saved: not yours.");
  assert.equal(p2.v.read, "4");

  const noTicket = setup({ ticketFail: true });
  await noTicket.records.chatEnded("c-1", CHAT);
  const p3 = noTicket.panels.get("c-1");
  p3.set({ read: "4", makeTicket: true });
  assert.equal(await p3.onSave(), false);
  assert.equal(p3.errors[0].text, "The record was saved, but the ticket was not made: no email.");
  assert.equal(p3.dirty(), true, "the ticket is still to make");
  await p3.onSave();
  assert.equal(others(noTicket.api).filter((c) => c[0] === "record").length, 1, "the retry does not save the record twice");
  const p4 = setup({ ticketFail: true });
  await p4.records.chatEnded("c-1", CHAT);
  p4.panels.get("c-1").set({ makeTicket: true });
  await p4.panels.get("c-1").onSave();
  assert.equal(p4.panels.get("c-1").errors[0].text, "Not saved: no email.");
});

test("Save with nothing recorded and no ticket: nothing sent; a ticket without any e-mail: refused in the form", async () => {
  const { records, api } = setup();
  const lists = await records.lists();
  const none = await records.saveChat("c-1", { questionType: "", read: "", tags: [], note: "" }, lists);
  assert.deepEqual(none, { value: { record: null, recorded: false } });
  assert.deepEqual(others(api), []);
  const noEmail = await records.saveChat("c-1", { tags: [], makeTicket: true, email: "" }, lists, "");
  assert.deepEqual(noEmail.errors.map((e) => e.field), ["email"]);
  const chatHasOne = await records.saveChat("c-1", { tags: [], makeTicket: true, email: "" }, lists, "pat@example.org");
  assert.equal(chatHasOne.value.ticket_id, "t-9");
  assert.deepEqual(api.calls.at(-1), ["ticket", "c-1", {}], "the chat's own e-mail: the service uses it");
});

test("the ticket refused after the record was saved: said so, and a retry does not save the record twice", async () => {
  const { records, api } = setup({ ticketFail: true });
  const lists = await records.lists();
  const values = { read: "1", tags: [], makeTicket: true, email: "pat@example.org" };
  await assert.rejects(records.saveChat("c-1", values, lists), /record was saved, but the ticket was not made: no email/);
  await assert.rejects(records.saveChat("c-1", values, lists), /record was saved, but the ticket was not made/);
  assert.equal(api.calls.filter((c) => c[0] === "record").length, 1);
  assert.equal(api.calls.filter((c) => c[0] === "ticket").length, 2);
});

test("Close Chat: an untouched form closes at once with no request; changes are saved first", async () => {
  const { records, api, panels } = setup();
  assert.equal(await records.beforeClose("c-9"), true, "no form (not ended here): close");
  await records.chatEnded("c-1", CHAT);
  assert.equal(await records.beforeClose("c-1"), true);
  assert.deepEqual(others(api), [], "untouched: nothing sent");

  const panel = panels.get("c-1");
  panel.set({ questionType: "Reference", tags: ["catalogue"] });
  assert.equal(await records.beforeClose("c-1"), true);
  assert.deepEqual(others(api), [["record", "c-1", { question_type: "Reference", tags: ["catalogue"] }]]);
  assert.equal(panel.status, S.record.inlineSaved);
  assert.equal(await records.beforeClose("c-1"), true);
  assert.equal(others(api).length, 1, "saved already: not again");
  records.onFrame({ type: "chat.closed", chat_id: "c-1" });
  assert.equal(records.forms.has("c-1"), false, "closed: the form is forgotten");
});

test("Close Chat with a ticket ticked: the record, then the ticket, then close", async () => {
  const { records, api, panels } = setup();
  await records.chatEnded("c-1", CHAT);
  panels.get("c-1").set({ makeTicket: true });
  assert.equal(await records.beforeClose("c-1"), true);
  assert.deepEqual(others(api), [["ticket", "c-1", { email: "pat@example.org" }]]);
  assert.equal(panels.get("c-1").status, S.record.ticketOnly);
});

test("Close Chat while Save record is still saving: waits for it, then closes without saving twice", async () => {
  const { records, api, panels } = setup();
  await records.chatEnded("c-1", CHAT);
  const panel = panels.get("c-1");
  panel.set({ read: "5" });
  const saving = panel.onSave();
  const closing = records.beforeClose("c-1");
  assert.equal(await saving, true);
  assert.equal(await closing, true);
  assert.equal(others(api).length, 1);
});

test("Close Chat when the save fails: the chat stays, the form says why (focus left on Close Chat); Close again closes", async () => {
  const { records, api, panels } = setup({ recordFail: true });
  await records.chatEnded("c-1", CHAT);
  const panel = panels.get("c-1");
  panel.set({ read: "2" });
  assert.equal(await records.beforeClose("c-1"), false);
  assert.equal(panel.errors[0].text, "Not saved: not yours.");
  assert.deepEqual(panel.failedWith, { focus: false, lead: S.record.notClosed });
  assert.equal(await records.beforeClose("c-1"), true, "Close Chat again, the form as it was: closes without saving");
  assert.equal(others(api).length, 1);
  records.onFrame({ type: "chat.closed", chat_id: "c-1" });
  assert.equal(others(api).length, 1, "the librarian chose to close without it: not sent again");

  const fixed = setup({ recordFail: true });
  await fixed.records.chatEnded("c-1", CHAT);
  const p2 = fixed.panels.get("c-1");
  p2.set({ read: "2" });
  assert.equal(await fixed.records.beforeClose("c-1"), false);
  p2.set({ read: "3" }); // corrected: the next Close Chat tries again
  assert.equal(await fixed.records.beforeClose("c-1"), false);
  assert.equal(others(fixed.api).length, 2);
});

test("closed elsewhere with changes in the form: saved anyway and announced", async () => {
  const { records, api, panels, announced } = setup();
  await records.chatEnded("c-1", CHAT);
  panels.get("c-1").set({ read: "6", makeTicket: true });
  await records.onFrame({ type: "chat.closed", chat_id: "c-1" });
  assert.deepEqual(others(api), [["record", "c-1", { read: 6, tags: [] }]], "the record, never a ticket unasked");
  assert.deepEqual(announced, [S.record.savedAfterClose("Pat")]);
  assert.equal(await records.onFrame({ type: "chat.closed", chat_id: "c-2" }), null);
  assert.equal(await records.onFrame({ type: "chat.ended", chat_id: "c-1" }), null);
});

test("the lists failing to load: the form still shows, any tag kept", async () => {
  const { records, panels } = setup({ tagsFail: true });
  await records.chatEnded("c-1", CHAT);
  const lists = panels.get("c-1").shown.lists;
  assert.equal(lists.failed, true);
  const body = recordBody({ tags: ["anything"] }, { tags: lists.failed ? null : lists.tags }).body;
  assert.deepEqual(body.tags, ["anything"]);
});

test("the pane closed while the lists were loading: the form is not shown", async () => {
  const { records, panels } = setup();
  const showing = records.chatEnded("c-1", CHAT);
  records.onFrame({ type: "chat.closed", chat_id: "c-1" });
  assert.equal(await showing, null);
  assert.equal(panels.get("c-1").shown, null);
});

test("History: the record edited with what is known; an unknown note is not wiped", async () => {
  const { records, api, opened } = setup(undefined, async (opts) => opts.save({ ...opts.values, read: "5" }));
  const saved = await records.edit("c-1", { question_type: "Reference", read: 2, tags: ["genealogy"] }, { lead: "Census?" });
  assert.equal(opened[0].mode, "edit");
  assert.equal(opened[0].noteKnown, false);
  assert.deepEqual(api.calls.at(-1), ["record", "c-1", { question_type: "Reference", read: 5, tags: ["genealogy"] }]);
  assert.equal(saved.read, 5);
  await records.edit("c-1", { read: 2, tags: [], note: "old" });
  assert.deepEqual(api.calls.at(-1)[2], { read: 5, tags: [], note: "old" }, "a known note is sent back");
});

test("the Tickets tab's close: the same form; Save hands the record to close()", async () => {
  const closed = [];
  const { records, opened } = setup(undefined, async (opts) => opts.save({ questionType: "", read: "4", tags: [], note: "" }));
  await records.ticketForm({ ticket_id: "t-1", name: "Pat", question: "Census?", record: null }, async (r) => closed.push(r));
  assert.equal(opened[0].mode, "ticket");
  assert.deepEqual(closed, [{ read: 4, tags: [] }]);
  const empty = setup(undefined, async (opts) => opts.save({ tags: [] }));
  const got = [];
  await empty.records.ticketForm({ ticket_id: "t-1", record: null }, async (r) => got.push(r));
  assert.deepEqual(got, [null], "nothing recorded: closed without a record");
});

test("a chat's transcript: the address asked (prefilled), checked, then POSTed", async () => {
  const { records, api, opened, announced } = setup(undefined, async (opts) => opts.send("pat@example.org"));
  await records.emailChat("c-1", CHAT);
  assert.equal(opened[0].value, "pat@example.org");
  assert.equal(opened[0].check(""), S.transcript.needEmail);
  assert.equal(opened[0].check("nope"), S.record.badEmail);
  assert.deepEqual(api.calls.at(-1), ["transcript", "c-1", "pat@example.org"]);
  assert.deepEqual(announced, ["Transcript sent to pat@example.org."]);
});

test("a refused token during a save signs out", async () => {
  const api = fakeApi();
  api.chatRecord = async () => { throw new ApiError(401, "unauthorized"); };
  let lost = 0;
  const records = new ChatRecords({ api, form: async () => null, emailForm: async () => null, onAuthLost: () => { lost += 1; } });
  await assert.rejects(records.saveChat("c-1", { read: "1", tags: [] }, LISTS));
  assert.equal(lost, 1);
});
