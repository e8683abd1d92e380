// The typing frames of a scripted chat, as the front ends' own typing code would send them,
// on a fake clock: bench/cost.py replays them on real WebSockets and counts what they cost.
//
//   node bench/typing_frames.mjs '{"turns": [{"side": "patron", "text": "...", "pause_ms": 5000}], "cps": 3}'
//
// Patron: widget/patron/activity.js's TypingNotifier, constructed and fed the way the widget
// does (connection.js: send(typing, preview) -> a `typing` frame, the preview only with
// typing true; controller.js: input(draft) on every change, stop() before the message goes).
// Librarian: widget/dashboard/controller-chats.js's Conversations (composing(chatId, hasText)
// on every change, send(chatId, text) on Enter) over a fake dashboard; if that cannot be
// driven, a model from the file's TYPING_* constants (said so in the output).
//
// Each turn: `pause_ms` of reading, then the text typed one character every 1000/cps ms,
// then Enter one keystroke later. Prints one JSON document: the events with their virtual
// times (ms from the first turn's start), what drove each side and the settings in effect.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CHAT = "bench-chat";

/** Timers on a virtual clock; advanceTo(t) runs every timer due by t, in time order. */
function fakeClock() {
  const c = { now: 0, timers: [], seq: 0 };
  c.setTimeout = (fn, ms = 0) => {
    c.seq += 1;
    c.timers.push({ id: c.seq, at: c.now + Math.max(0, Number(ms) || 0), fn });
    return c.seq;
  };
  c.clearTimeout = (id) => { c.timers = c.timers.filter((x) => x.id !== id); };
  c.advanceTo = (t) => {
    for (;;) {
      c.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = c.timers[0];
      if (!next || next.at > t) break;
      c.timers.shift();
      c.now = Math.max(c.now, next.at);
      next.fn();
    }
    c.now = Math.max(c.now, t);
  };
  return c;
}

/** Plain values a module exports (numbers, strings, booleans, plain objects of those). */
function constantsOf(mod) {
  const out = {};
  for (const [name, value] of Object.entries(mod)) {
    if (["number", "string", "boolean"].includes(typeof value)) out[name] = value;
    else if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      try { out[name] = JSON.parse(JSON.stringify(value)); } catch { /* not plain after all */ }
    }
  }
  return out;
}

/** Numbers and booleans an instance holds right after construction: its settings in effect. */
function settingsOf(obj) {
  const out = {};
  for (const [name, value] of Object.entries(obj)) {
    if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") out[name] = value;
  }
  return out;
}

function firstMethod(obj, names) {
  for (const name of names) if (typeof obj[name] === "function") return name;
  return null;
}

async function patronSide(clock, record, { previews }) {
  const activity = await import(pathToFileURL(join(ROOT, "widget/patron/activity.js")).href);
  const Notifier = activity.TypingNotifier;
  if (typeof Notifier !== "function") throw new Error("widget/patron/activity.js exports no TypingNotifier");
  const notifier = new Notifier({
    // connection.js: the preview goes along only with typing true, and only while previews are on
    send: (typing, preview) => {
      const frame = { action: "typing", chat_id: CHAT, typing: Boolean(typing) };
      if (typing && previews && preview !== undefined) frame.preview = preview;
      record("patron", frame);
      return true;
    },
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    now: () => clock.now,
    previews: () => previews, // welcome.typing_preview, for a notifier that paces by it
  });
  const input = firstMethod(notifier, ["input", "update", "draft", "changed"]);
  const stop = firstMethod(notifier, ["stop", "sent", "reset"]);
  if (!input || !stop) throw new Error(`TypingNotifier has no input/stop methods (${Object.getOwnPropertyNames(Notifier.prototype)})`);
  // The chat is claimed before anyone types here: tell a notifier that gates on the chat's
  // state (nothing while queued) that it is active, through whichever setter it has.
  const told = [];
  for (const [name, arg] of [["setActive", true], ["activate", undefined], ["setQueued", false],
    ["setStatus", "active"], ["setChatStatus", "active"], ["chatStatus", "active"]]) {
    if (typeof notifier[name] === "function") { notifier[name](arg); told.push(name); }
  }
  return {
    info: { driver: "widget/patron/activity.js TypingNotifier", settings: settingsOf(notifier),
            exports: constantsOf(activity), methods: { input, stop }, told_active: told, previews },
    type: (draft) => notifier[input](draft),
    send: (text) => { notifier[stop](); record("patron", { action: "send", chat_id: CHAT, text }); },
  };
}

function dashboardConstants() {
  const src = readFileSync(join(ROOT, "widget/dashboard/controller-chats.js"), "utf8");
  const out = {};
  for (const m of src.matchAll(/const (TYPING_[A-Z_]+)\s*=\s*([0-9_]+)/g)) out[m[1]] = Number(m[2].replaceAll("_", ""));
  return out;
}

async function librarianSide(clock, record) {
  const constants = dashboardConstants();
  try {
    const mod = await import(pathToFileURL(join(ROOT, "widget/dashboard/controller-chats.js")).href);
    // Whatever else the dashboard root holds (the view, the queue, the header...) is a stub:
    // any property of it is a stub, calling it does nothing (and it is not a promise).
    const stub = new Proxy(function stub() {}, {
      get: (target, key) => (key === "then" || typeof key === "symbol" ? undefined : stub),
      apply: () => undefined,
    });
    const noop = stub;
    const client = {
      typing: (chatId, typing) => { record("librarian", { action: "typing", chat_id: chatId, typing: Boolean(typing) }); return true; },
      send: (chatId, text) => { record("librarian", { action: "send", chat_id: chatId, text }); return "cmid"; },
      pending: () => [], forget: () => {}, acceptMessage: () => {}, on: () => () => {},
    };
    const known = {
      client, view: noop, now: () => clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
      ui: { read: {}, endedBy: {} }, api: { history: async () => [] }, refreshQueue: () => {},
      me: { id: "librarian", name: "Libby" }, requests: new Map(), active: null,
    };
    // The rest of the dashboard root (the queue, the header...) does nothing here.
    const dash = new Proxy(known, { get: (o, k) => (k in o ? o[k] : typeof k === "string" && k !== "then" ? stub : undefined) });
    const conversations = new mod.Conversations(dash);
    conversations.open({ chat_id: CHAT, status: "active", last_seq: 0 }, { alreadySeen: true });
    await new Promise((r) => setImmediate(r)); // the pane's (empty) history load settles
    const pane = conversations.get(CHAT);
    if (!pane || pane.chat.status !== "active") throw new Error("no active pane");
    return {
      info: { driver: "widget/dashboard/controller-chats.js Conversations (composing, send)", constants },
      type: (draft) => conversations.composing(CHAT, draft.length > 0),
      send: (text) => { if (!conversations.send(CHAT, text)) throw new Error("Conversations.send refused the text"); },
    };
  } catch (err) {
    // No model to fall back on: a count that is not the dashboard's own code would be a guess.
    throw new Error(`could not drive widget/dashboard/controller-chats.js: ${err.message}`);
  }
}

async function main() {
  const spec = JSON.parse(process.argv[2] || "{}");
  const cps = spec.cps ?? 3;
  const turns = spec.turns ?? [];
  const clock = fakeClock();
  const events = [];
  const record = (side, frame) => events.push({ t: Math.round(clock.now), side, frame });
  const sides = {
    patron: await patronSide(clock, record, { previews: spec.previews !== false }),
    librarian: await librarianSide(clock, record),
  };
  const step = 1000 / cps;
  let t = 0;
  for (const turn of turns) {
    const side = sides[turn.side];
    if (!side) throw new Error(`unknown side ${turn.side}`);
    t += turn.pause_ms ?? 0;
    for (let i = 1; i <= turn.text.length; i += 1) {
      clock.advanceTo(t);
      side.type(turn.text.slice(0, i));
      t += step;
    }
    clock.advanceTo(t); // Enter, one keystroke after the last character
    side.send(turn.text);
  }
  clock.advanceTo(t + 60_000); // any idle timer left fires (it should find nothing to say)
  const count = (side, action) => events.filter((e) => e.side === side && e.frame.action === action).length;
  process.stdout.write(JSON.stringify({
    cps, end_ms: Math.round(t), events,
    patron: { ...sides.patron.info, typing_frames: count("patron", "typing") },
    librarian: { ...sides.librarian.info, typing_frames: count("librarian", "typing") },
  }) + "\n");
}

main().catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
