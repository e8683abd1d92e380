// Composition of what comes after a chat (docs/tickets.md), called by main.js once signed in:
// a chat pane's inline close form (view-record-inline.js, made by the pane), the record and
// transcript dialogs (view-record.js), all behind ChatRecords (record-form.js),
// the Tickets tab (tickets.js + view-tickets.js), the History tab (history.js +
// view-history.js) and the admins' tag lists (view-tags.js). Returns the intents the chat
// panes report (Print transcript, E-mail transcript, a chat ended), the Close hook (the form
// saved first), and what to do when a tab is shown.

import { defaultRange, HistorySearch } from "./history.js";
import { rosterList } from "./logic.js";
import { ChatRecords, emailProblem } from "./record-form.js";
import { S } from "./strings.js";
import { TicketsController } from "./tickets.js";
import { HistoryView } from "./view-history.js";
import { EmailDialog, RecordDialog } from "./view-record.js";
import { TagsSection } from "./view-tags.js";
import { printOnly, TicketsView } from "./view-tickets.js";

/**
 * @param {object} o {doc, win, api, dash (Dashboard), view (DashboardView), authLost()}
 */
export function startTickets({ doc, win, api, dash, view, authLost }) {
  const host = doc.getElementById("lcd-app") || doc.body;
  const fallbackFocus = () => (dash.active === "chats" || !dash.active ? view.e.chatsTab : doc.getElementById(`lcd-tab-${dash.active}`)) || view.e.chatsTab;
  const recordDialog = new RecordDialog(doc, { host, fallbackFocus });
  const emailDialog = new EmailDialog(doc, { host, fallbackFocus });
  const announce = (text) => view.announce(text);
  const records = new ChatRecords({
    api, announce, onAuthLost: authLost,
    inline: (chatId) => {
      const pane = view.panes.get(chatId);
      return pane ? pane.recordPanel() : null;
    },
    form: (opts) => recordDialog.open(opts),
    emailForm: (opts) => emailDialog.open(opts),
  });

  // the desks a librarian may pick: admins every desk; others theirs (welcome), or /api/status's
  const deskChoices = () => {
    const q = dash.queue;
    const ids = dash.me.role === "admin" && q.desks.size ? [...q.desks.keys()] : q.mine.length ? q.mine : Object.keys(dash.queueNames);
    return ids.map((id) => ({ id, label: q.deskLabel(id) }));
  };

  const ticketsView = new TicketsView(doc, win, { announce });
  const tickets = new TicketsController({
    api, view: ticketsView, me: () => dash.me, desks: deskChoices, onAuthLost: authLost,
    closeForm: (t, close) => records.ticketForm(t, close),
    transcriptForm: (t, send) => emailDialog.open({
      title: S.tickets.transcriptTitle, label: S.tickets.transcriptEmail, lead: t.email || "",
      check: (email) => emailProblem(email), send,
    }),
  });
  Object.assign(ticketsView.handlers, {
    pickDesk: (id) => tickets.pickDesk(id),
    refresh: () => tickets.show(), // the desks too: they may have come with the welcome since
    open: (id) => tickets.open(id),
    claim: () => tickets.claim(),
    reply: (text) => tickets.reply(text),
    note: (text) => tickets.note(text),
    close: () => tickets.close(),
    reopen: () => tickets.reopen(),
    transcript: () => tickets.transcript(),
    print: () => ticketsView.print(),
  });

  const historyView = new HistoryView(doc);
  const history = new HistorySearch({
    api, view: historyView, onAuthLost: authLost,
    deskName: (id) => dash.queue.deskLabel(id),
    openTicket: async (id) => {
      dash.select("tickets", { focus: false });
      tickets.show();
      await tickets.open(id, { followDesk: true });
    },
    editRecord: (id, record, opts) => records.edit(id, record, opts),
  });
  Object.assign(historyView.handlers, {
    search: (filters) => history.search(filters),
    more: () => history.more(),
    open: (id) => history.open(id),
    edit: () => history.edit(),
  });
  const librarians = new Map(); // id -> name: me, who is signed in, who History showed
  let operatorsAsked = false;
  const historyChoices = async () => {
    librarians.set(dash.me.id, S.history.me(dash.me.name || dash.me.id));
    for (const o of rosterList(dash.staff.roster)) if (!librarians.has(o.id)) librarians.set(o.id, o.name || o.id);
    for (const i of history.items) if (i.operator && i.operator.id && !librarians.has(i.operator.id)) librarians.set(i.operator.id, i.operator.name || i.operator.id);
    const lists = await records.lists();
    historyView.setChoices({
      desks: deskChoices().map((q) => ({ value: q.id, label: q.label })),
      librarians: [...librarians].map(([value, label]) => ({ value, label })),
      tags: lists.tags,
    });
    if (dash.me.role === "admin" && !operatorsAsked) {
      operatorsAsked = true;
      api.operators().then((res) => {
        for (const o of (res && res.operators) || []) if (o && o.id && !librarians.has(o.id)) librarians.set(o.id, o.name || o.id);
        historyView.setChoices({ librarians: [...librarians].map(([value, label]) => ({ value, label })) });
      }).catch(() => { operatorsAsked = false; });
    }
  };

  const tags = new TagsSection({ doc, api, onAuthLost: authLost, onSaved: (lists) => records.setLists(lists) });

  return {
    records, tickets, history, tags,
    /** A fixed tab came into view: its contents, fresh. */
    shown(tab) {
      if (tab === "tickets") tickets.show();
      if (tab === "history") {
        historyView.build(defaultRange());
        historyChoices();
      }
      if (tab === "desks" && dash.me.role === "admin") tags.refresh();
    },
    /** Close Chat clicked: resolves true to close (what the form held was saved, or nothing to save). */
    beforeClose: (chatId) => records.beforeClose(chatId),
    onFrame: (frame) => records.onFrame(frame),
    handlers: {
      chatEnded: (chatId) => {
        const pane = dash.chats.get(chatId);
        records.chatEnded(chatId, pane ? pane.chat : null);
      },
      printChat: (chatId) => {
        dash.select(chatId, { focus: false });
        printOnly(doc, win, "chat");
      },
      emailChat: (chatId) => {
        const pane = dash.chats.get(chatId);
        if (pane) records.emailChat(chatId, pane.chat);
      },
    },
  };
}
