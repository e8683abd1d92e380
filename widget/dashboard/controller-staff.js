// The librarians among themselves: who is signed in (the roster, from welcome and
// operator.status), my own Available / Away and "one chat at a time", and the Internal Staff
// Chat (its history, its unread count, sending to it). State and behaviour only: the view
// renders (through `dash.view`), the protocol client talks.

import { isOwn, newRequestId, rosterList, snippet } from "./logic.js";
import { S } from "./strings.js";

export const STAFF = "staff"; // the Internal Staff Chat's chat id (docs/protocol.md)

export class StaffRoom {
  /** @param {Dashboard} dash  the root: client, view, api, me, requests */
  constructor(dash) {
    this.d = dash;
    this.roster = new Map(); // operator id -> {id, name, state, chat_limit?}: who is signed in
    this.seqs = new Set();
    this.unread = 0;
    this.loaded = false;
    this.loading = false;
  }

  /** welcome: the roster as the server has it (me included), and the room's history once. */
  sync(frame) {
    const me = this.d.me;
    if (Array.isArray(frame.operators)) {
      this.roster.clear();
      for (const o of frame.operators) if (o && o.id) this.roster.set(o.id, { ...o });
    }
    const self = this.roster.get(me.id) || { id: me.id, name: me.name };
    this.roster.set(me.id, {
      ...self, state: me.availability || self.state || "available",
      ...(Number.isInteger(me.chat_limit) ? { chat_limit: me.chat_limit } : {}),
    });
    this.renderRoster();
    this.showMyStatus();
    if (frame.staff && !this.loaded && !this.loading) this.loadHistory();
  }

  showMyStatus() {
    this.d.view.setMyStatus(this.d.me.availability || "available", this.d.me.chat_limit ?? null);
  }

  onOperatorStatus(op) {
    if (!op || !op.id) return;
    const d = this.d;
    // the frame is the whole status: no chat_limit means none (the service leaves out null)
    if (op.state === "offline") this.roster.delete(op.id);
    else this.roster.set(op.id, { ...op });
    if (op.id === d.me.id) {
      // my own status (this tab or another): a self-imposed chat limit counts for warnings
      if (op.state !== "offline") d.me = { ...d.me, chat_limit: op.chat_limit ?? null };
      if (op.state && op.state !== "offline") d.me = { ...d.me, availability: op.state };
      this.showMyStatus();
      d.refreshQueue();
    }
    this.renderRoster();
  }

  renderRoster() {
    this.d.view.setRoster(rosterList(this.roster).map((o) => ({ ...o, me: o.id === this.d.me.id })));
  }

  async loadHistory() {
    this.loading = true;
    let messages;
    try {
      messages = await this.d.api.history(STAFF, 0);
    } catch {
      this.loading = false;
      return; // the next welcome tries again; live messages still arrive
    }
    this.loading = false;
    this.loaded = true;
    for (const m of messages) {
      this.onMessage(m, false);
      this.d.client.acceptMessage(STAFF, m);
    }
  }

  onMessage(message, live) {
    if (!message || !Number.isInteger(message.seq) || this.seqs.has(message.seq)) return;
    const d = this.d;
    this.seqs.add(message.seq);
    const own = isOwn(message, d.me.id);
    d.view.addMessage(STAFF, message, { own, patronName: "" });
    if (live && !own && d.active !== STAFF) {
      this.setUnread(this.unread + 1);
      const who = message.sender && message.sender.role === "operator" ? message.sender.name || S.colleague : S.messages.system;
      d.view.announce(S.announce.staffMessage(who, snippet(message.text, 80)));
    }
  }

  setUnread(n) {
    this.unread = n;
    this.d.view.setStaffUnread(n);
  }

  send(text) {
    const body = String(text ?? "").trim();
    if (!body) return false;
    this.d.client.send(STAFF, body);
    return true;
  }

  /** The header's Available / Away, and the staff tab's "one chat at a time" toggle. */
  setStatus(change) {
    const d = this.d;
    const frame = { action: "status", request_id: newRequestId("status-") };
    if (change.state) frame.state = change.state;
    if ("chat_limit" in change) frame.chat_limit = change.chat_limit;
    d.requests.set(frame.request_id, { action: "status", chat_id: null });
    if (!d.sendFrame(frame)) {
      d.requests.delete(frame.request_id);
      this.showMyStatus();
      d.view.showStaffNotice(S.staff.statusOffline);
      return false;
    }
    return true;
  }
}
