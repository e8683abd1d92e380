// The Tickets tab's rules and behaviour (docs/tickets.md): a desk's open and claimed tickets,
// one ticket's thread (the conversation, internal notes marked, events as system lines), its
// mail delivery list, which actions the librarian has, and Claim, Reply, Add internal note,
// Close (with the close form), Reopen and E-mail transcript. No DOM: the view
// (view-tickets.js) renders what it is told and reports intents. Unit-tested in
// widget/tests/dashboard-tickets.test.mjs.

import { S } from "./strings.js";

const T = S.tickets;
export const LIST_STATUSES = "open,claimed";
const CONVERSATION = new Set(["question", "chat", "reply", "patron"]);

/** The ticket's patron as a name to show. */
export function ticketName(t) {
  const name = t && typeof t.name === "string" ? t.name.trim() : "";
  return name || T.someone;
}

/** A summary list split into open and claimed, newest first as the service sent them. */
export function splitTickets(list) {
  const out = { open: [], claimed: [] };
  for (const t of Array.isArray(list) ? list : []) {
    if (!t || !t.ticket_id) continue;
    if (t.status === "claimed") out.claimed.push(t);
    else if (t.status === "open") out.open.push(t);
  }
  return out;
}

/** Who wrote a conversation entry: "patron", "librarian" or "system". */
function side(entry) {
  if (entry.kind === "question" || entry.kind === "patron") return "patron";
  if (entry.kind === "reply") return "librarian";
  const role = entry.sender && entry.sender.role;
  return role === "patron" ? "patron" : role === "system" ? "system" : "librarian";
}

/**
 * The thread as the view shows it: [{n, kind, type: "message" | "note" | "event", side, who,
 * text, at, attachment}]. Conversation entries (question, chat, reply, patron) are messages;
 * `note` entries are internal notes (marked, never printed); `event` entries are system lines.
 * Unknown kinds are shown as events, so nothing the service says is hidden.
 */
export function threadItems(entries, patronLabel = T.someone) {
  return (Array.isArray(entries) ? entries : []).filter(Boolean).map((e) => {
    const base = { n: e.n, kind: e.kind, text: String(e.text ?? ""), at: e.at || "",
      attachment: e.attachment && e.attachment.name ? e.attachment.name : "" };
    const name = e.sender && e.sender.name;
    if (e.kind === "note") return { ...base, type: "note", side: "librarian", who: name || S.librarian };
    if (!CONVERSATION.has(e.kind)) return { ...base, type: "event", side: "system", who: "" };
    const s = side(e);
    const who = s === "patron" ? name || patronLabel : s === "system" ? S.messages.system : T.librarianSaid(name);
    return { ...base, type: "message", side: s, who };
  });
}

/** The mail list: [{at, to, subject, status, label, detail, problem}]; `problems`: how many failed. */
export function mailItems(mail) {
  const items = (Array.isArray(mail) ? mail : []).filter(Boolean).map((m) => {
    const status = m.status === "failed" || m.status === "bounced" ? m.status : "sent";
    return { at: m.at || "", to: m.to || "", subject: m.subject || "", status,
      label: T.mailStatus[status], detail: m.detail || "", problem: status !== "sent" };
  });
  return { items, problems: items.filter((m) => m.problem).length };
}

/** What the librarian `me` ({id, role}) may do with the ticket now. */
export function ticketActions(t, me) {
  const status = t && t.status;
  const holder = t && t.operator && t.operator.id;
  const mine = status === "claimed" && holder === me.id;
  return {
    claim: status === "open", // held by someone else: 409, said in words
    reply: mine,
    note: Boolean(status),
    close: status !== "closed" && (mine || me.role === "admin"),
    reopen: status === "closed",
    transcript: Boolean(status),
    print: Boolean(status),
  };
}

/** The status line: "Open", "Claimed, claimed by Libby", "Claimed, claimed by you". */
export function statusText(t, me) {
  const label = T.status[t.status] || t.status || "";
  if (t.status !== "claimed" || !t.operator) return label;
  return T.statusLine(label, t.operator.id === me.id ? T.youHold : T.heldBy(t.operator.name || t.operator.id));
}

/** Everything the view needs to draw one ticket. */
export function ticketModel(t, me, deskName = (id) => id) {
  const name = ticketName(t);
  const actions = ticketActions(t, me);
  const holder = t.operator && (t.operator.name || t.operator.id);
  const replyHint = actions.reply || t.status === "closed" ? "" : t.status === "claimed" ? T.otherHolds(holder || S.anotherLibrarian) : T.replyHint;
  return {
    replyHint,
    id: t.ticket_id, name, email: t.email || "", question: t.question || "",
    desk: deskName(t.queue), status: t.status, statusText: statusText(t, me),
    createdAt: t.created_at || "", fromChat: Boolean(t.chat_id),
    thread: threadItems(t.entries, name), mail: mailItems(t.mail),
    actions, record: t.record || null,
  };
}

/** A refusal in words, for the action that was tried. */
export function ticketErrorText(err, action) {
  const status = err && err.status;
  if (action === "claim" && status === 409) return T.conflict;
  if (status === 404) return T.notFound;
  if (status === 403) return (action === "replies" || action === "close") ? T.notHeld : T.forbidden;
  if (status === 409 && (action === "replies" || action === "close")) return T.notHeld;
  return T.failed(err && err.message);
}

export class TicketsController {
  /**
   * @param {object} o
   * @param {object} o.api     Api: tickets(queue, status), ticket(id), ticketAction(id, action, body)
   * @param {object} o.view    TicketsView (or a recording fake): setDesks, setLists, showTicket,
   *                           notice, busy, done, announce
   * @param {Function} o.me    () => {id, name, role}
   * @param {Function} o.desks () => [{id, label}] the desks this librarian may pick
   * @param {Function} [o.closeForm]  (ticket, close(record | null)) => Promise: the close form,
   *                                    whose Save calls `close` (which may throw, in words)
   * @param {Function} [o.transcriptForm]  (ticket, send(email)) => Promise: the address dialog
   * @param {Function} [o.onAuthLost]
   */
  constructor(o) {
    this.api = o.api;
    this.view = o.view;
    this.me = o.me;
    this.desks = o.desks;
    this.closeForm = o.closeForm || ((t, close) => close(null));
    this.transcriptForm = o.transcriptForm || ((t, send) => send(""));
    this.onAuthLost = o.onAuthLost || (() => {});
    this.desk = null;
    this.lists = { open: [], claimed: [] };
    this.ticket = null;
    this.loadNo = 0;
  }

  deskName(id) {
    const d = this.desks().find((x) => x.id === id);
    return (d && d.label) || id || "";
  }

  /** The tab was opened: the desk picker as the dashboard knows the desks now, and the lists. */
  show() {
    const desks = this.desks();
    if (!desks.some((d) => d.id === this.desk)) this.desk = desks.length ? desks[0].id : null;
    this.view.setDesks(desks, this.desk);
    return this.refresh();
  }

  pickDesk(id) {
    this.desk = id;
    return this.refresh();
  }

  failed(err, text) {
    if (err && err.status === 401) {
      this.onAuthLost();
      return true;
    }
    this.view.notice(text);
    return false;
  }

  async refresh() {
    if (!this.desk) {
      this.lists = { open: [], claimed: [] };
      this.view.setLists(this.lists, { status: T.noDesks });
      return;
    }
    const no = ++this.loadNo;
    const desk = this.desk;
    this.view.setLists(this.lists, { status: T.loading, loading: true });
    let res;
    try {
      res = await this.api.tickets(desk, LIST_STATUSES);
    } catch (err) {
      if (no !== this.loadNo) return;
      this.view.setLists(this.lists, { status: "" });
      this.listFailed = !this.failed(err, T.loadFailed(err && err.message));
      return;
    }
    if (no !== this.loadNo) return; // another desk was picked meanwhile
    this.lists = splitTickets(res.tickets);
    if (this.listFailed) this.view.notice(""); // only its own failure: a claim's "someone else took it" stays
    this.listFailed = false;
    this.view.setLists(this.lists, { status: T.listed(this.lists.open.length, this.lists.claimed.length),
      selected: this.ticket && this.ticket.ticket_id });
  }

  /** Show a ticket (from the lists, or from History: `followDesk`, its desk's lists too). */
  async open(id, { focus = true, followDesk = false } = {}) {
    let t;
    try {
      t = await this.api.ticket(id);
    } catch (err) {
      this.failed(err, T.openFailed(err && err.message));
      return false;
    }
    this.view.notice("");
    this.render(t, { focus });
    if (followDesk && t.queue && t.queue !== this.desk && this.desks().some((d) => d.id === t.queue)) {
      this.desk = t.queue;
      this.view.setDesks(this.desks(), this.desk);
      this.refresh();
    }
    return true;
  }

  render(t, opts = {}) {
    this.ticket = t;
    this.view.showTicket(ticketModel(t, this.me(), (id) => this.deskName(id)), opts);
  }

  /** A ticket changed here: drawn again, and the lists follow. */
  changed(t, message) {
    this.render(t, { focus: false });
    if (message) this.view.announce(message);
    if (t.queue === this.desk) this.refresh();
  }

  /** One POST on the ticket shown; the answer is the ticket, drawn again. */
  async act(action, body, message) {
    const t = this.ticket;
    if (!t) return null;
    this.view.busy(action, true);
    let res;
    try {
      res = await this.api.ticketAction(t.ticket_id, action, body);
    } catch (err) {
      this.view.busy(action, false);
      if (this.failed(err, ticketErrorText(err, action))) return null;
      if (err && (err.status === 409 || err.status === 404)) await this.open(t.ticket_id, { focus: false }).catch(() => {});
      if (err && err.status === 409 && action === "claim") this.view.notice(T.conflict); // after the fresh ticket
      if (t.queue === this.desk) this.refresh();
      return null;
    }
    this.view.busy(action, false);
    this.view.notice("");
    if (res && res.ticket_id) this.changed(res, message);
    else if (message) this.view.announce(message);
    return res || {};
  }

  claim() {
    return this.act("claim", undefined, T.claimed);
  }

  /** Reply or note text: empty is refused here; true when it was taken (the view clears the box). */
  async write(action, text) {
    const body = String(text ?? "").trim();
    if (!body) {
      this.view.notice(T.emptyText);
      return false;
    }
    const res = await this.act(action, { text: body }, action === "replies" ? T.replySent : T.noteAdded);
    if (res) this.view.done(action);
    return Boolean(res);
  }

  reply(text) {
    return this.write("replies", text);
  }

  note(text) {
    return this.write("notes", text);
  }

  /** A POST the dialogs make (close, transcript): thrown in words, so the dialog can say why. */
  async post(action, body) {
    const t = this.ticket;
    try {
      return (await this.api.ticketAction(t.ticket_id, action, body)) || {};
    } catch (err) {
      if (err && err.status === 401) this.onAuthLost();
      throw new Error(ticketErrorText(err, action));
    }
  }

  /** Close: the close form (view-record.js); its Save posts close {record?}; Cancel does nothing. */
  close() {
    const t = this.ticket;
    if (!t) return Promise.resolve(null);
    return this.closeForm(t, async (record) => {
      const res = await this.post("close", record ? { record } : {});
      if (res.ticket_id) this.changed(res, T.closed);
      else this.view.announce(T.closed);
      return res;
    });
  }

  reopen() {
    return this.act("reopen", undefined, T.reopened);
  }

  /** E-mail transcript: to the ticket's address, or another one given in the form. */
  transcript() {
    const t = this.ticket;
    if (!t) return Promise.resolve(null);
    return this.transcriptForm(t, async (email) => {
      const to = String(email ?? "").trim();
      await this.post("transcript", to ? { email: to } : {});
      this.view.announce(T.transcriptSent(to || t.email));
    });
  }
}
