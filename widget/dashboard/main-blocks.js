// Composition of blocking abusive patrons (docs/privacy.md "Blocks"), called by main.js once
// signed in: a chat pane's "Block patron…" (its button and note are view-blocks.js's PaneBlock,
// made by each pane) opening the block dialog, and the admins' Blocks section of the Team tab,
// read again whenever that tab comes into view. The rules are blocks.js's, the DOM
// view-blocks.js's.

import { BlocksApi, BlocksList, PatronBlocks } from "./blocks.js";
import { patronName } from "./logic.js";
import { S } from "./strings.js";
import { BlockDialog, BlocksSection } from "./view-blocks.js";

/**
 * @param {object} o {doc, api, dash (Dashboard), view (DashboardView), authLost()}
 */
export function startBlocks({ doc, api, dash, view, authLost }) {
  const blocksApi = new BlocksApi(api);
  const dialog = new BlockDialog(doc, { host: doc.getElementById("lcd-app") || doc.body, fallbackFocus: () => view.e.chatsTab });
  const paneBlock = (chatId) => {
    const pane = view.panes.get(chatId);
    return pane && pane.block ? pane.block : null;
  };

  const patron = new PatronBlocks({
    api: blocksApi,
    onAuthLost: authLost,
    form: (opts) => dialog.open({ ...opts, fallback: () => { const b = paneBlock(opts.chatId); return b && b.focusTarget(); } }),
    chat: (chatId) => {
      const pane = dash.chats.get(chatId);
      if (!pane) return null;
      const name = patronName(pane.chat);
      return { name: name === S.patron ? "" : name };
    },
    setNote: (chatId, text) => {
      const b = paneBlock(chatId);
      if (b) b.show(text);
    },
    announce: (text) => view.announce(text),
  });
  view.handlers.blockPatron = (chatId) => patron.open(chatId);

  const section = new BlocksSection(doc, { panel: doc.getElementById("lcd-panel-team") });
  const list = new BlocksList({
    api: blocksApi, view: section, onAuthLost: authLost,
    confirm: (o) => view.confirm(o),
    isAdmin: () => dash.me.role === "admin",
    deskName: (id) => dash.queue.deskLabel(id),
  });
  Object.assign(section.handlers, {
    refresh: () => list.show(),
    lift: (id) => list.lift(id),
  });
  section.watch(() => list.show());
  return { patron, list };
}
