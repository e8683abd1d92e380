// Composition of the Supervise tab (docs/supervision.md), called by main.js once signed in:
// supervise.js (no DOM) over view-supervise.js, on the dashboard's own socket. Returns what to
// do when a tab is shown.

import { SuperviseController, supervises } from "./supervise.js";
import { SuperviseView } from "./view-supervise.js";

/**
 * @param {object} o {doc, win, api, client (ProtocolClient), dash (Dashboard), view (DashboardView), authLost()}
 */
export function startSupervise({ doc, win, api, client, dash, view, authLost }) {
  const sv = new SuperviseView(doc);
  const supervise = new SuperviseController({
    api, view: sv, onAuthLost: authLost,
    send: (frame) => dash.sendFrame(frame),
    me: () => dash.me,
    visible: () => dash.active === "supervise" && doc.visibilityState !== "hidden",
    confirm: (o) => view.confirm(o),
    openChat: (chatId) => dash.select(chatId, { focus: "pane" }),
    deskLabel: (id) => dash.queue.deskLabel(id),
    forget: (chatId) => { if (!dash.chats.has(chatId)) client.forget(chatId); },
    timers: win,
  });
  Object.assign(sv.handlers, {
    refresh: () => supervise.refresh(),
    watch: (chatId) => supervise.watch(chatId),
    takeOver: () => supervise.takeOver(),
    end: () => supervise.end(),
    stop: () => supervise.stop(),
  });
  client.on("welcome", () => supervise.onWelcome());
  client.on("message", (d) => supervise.onMessage(d.chat_id, d.message));
  client.on("frame", (f) => supervise.onFrame(f));
  return {
    supervise,
    /** A fixed tab came into view. */
    shown(tab) {
      if (supervises(dash.me)) supervise.shown(tab === "supervise");
    },
  };
}
