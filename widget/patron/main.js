// Composition root of the patron widget: it reads the settings, builds the view, the REST API,
// the session store, the host bridge and the factory of the shared protocol client, hands them
// to the controller and forwards the browser's events to it. Decisions live in controller.js;
// the DOM lives in view.js; the wire lives in ../js/protocol.js.

import { ProtocolClient } from "../js/protocol.js";
import { loadConfigFile, resolveConfig } from "./config.js";
import { makeT } from "./i18n.js";
import { ChatStore, safeStorage, storageKey } from "./store.js";
import { PatronApi } from "./api.js";
import { HostBridge } from "./bridge.js";
import { View } from "./view.js";
import { PatronController } from "./controller.js";

export async function boot(win = window) {
  const doc = win.document;
  const config = resolveConfig({ location: win.location, fileJson: await loadConfigFile(win),
    navigatorLang: win.navigator.languages || win.navigator.language });
  const t = makeT(config.lang);
  const view = new View(doc.getElementById("lc-root"), t, { mode: config.mode });
  let widget = null;
  const bridge = new HostBridge(win, config.parentOrigin, (command) => widget && widget.onHostCommand(command));
  widget = new PatronController({
    config, t, view, bridge,
    api: new PatronApi(config.restUrl),
    store: new ChatStore(safeStorage(win), storageKey(config.queue)),
    createClient: (options) => new ProtocolClient(options),
    page: { hidden: () => doc.visibilityState === "hidden", offline: () => win.navigator.onLine === false },
    now: () => Date.now(),
    timers: { setTimeout: win.setTimeout.bind(win), clearTimeout: win.clearTimeout.bind(win) },
  });
  doc.addEventListener("visibilitychange", () => widget.activityChanged());
  win.addEventListener("online", () => widget.networkChanged(true));
  win.addEventListener("offline", () => widget.networkChanged(false));
  win.addEventListener("pagehide", () => widget.persist());
  if (config.mode === "inline") view.observeHeight((height) => bridge.post("resize", { height }));
  widget.start();
  return widget;
}

if (typeof window !== "undefined" && window.document && window.document.getElementById("lc-root")) {
  boot(window);
}
