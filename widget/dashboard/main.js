// Composition root of the operator dashboard: configuration, the stored sign-in, the shared
// protocol client, the controller and the view, wired together. Nothing else creates these.

import { loadConfigFile } from "../js/config.js";
import { ProtocolClient } from "../js/protocol.js";
import { Alerts } from "./alerts.js";
import { Api } from "./api.js";
import { CannedMessages } from "./canned.js";
import { Dashboard } from "./controller.js";
import { deskNames } from "./desks-admin.js";
import { startBlocks } from "./main-blocks.js";
import { startReports } from "./main-reports.js";
import { startSupervise } from "./main-supervise.js";
import { startTickets } from "./main-tickets.js";
import { isDisabledError, newPasswordProblem, TeamTab } from "./team.js";
import { DesksTab } from "./view-desks-tab.js";
import { refreshDelay, resolveConfig, signInErrorText, usableSession } from "./logic.js";
import { S } from "./strings.js";
import { DashboardView } from "./view.js";

// sessionStorage: survives a reload of this tab, not the tab itself (a shared desk computer).
const KEYS = { session: "lcd.session", snapshot: "lcd.snapshot", ui: "lcd.ui", message: "lcd.signin-message" };
const EXPIRED = S.signIn.expired;
const PROBE_AFTER_MS = 2500; // not connected for this long: ask REST whether the token still works
const PROBE_EVERY_MS = 10000;

const store = {
  get(key) {
    try {
      const raw = sessionStorage.getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* storage full or disabled: the dashboard still works, a reload just forgets more */
    }
  },
  remove(...keys) {
    for (const k of keys) {
      try {
        sessionStorage.removeItem(k);
      } catch {
        /* ignore */
      }
    }
  },
};

async function boot() {
  const config = resolveConfig(await loadConfigFile(window), location);
  const api = new Api(config.restUrl);
  const view = new DashboardView(document, window);
  const alerts = new Alerts(window);

  /** Back to the sign-in screen with a plain message; a fresh page so nothing lingers. */
  function toSignIn(message) {
    store.remove(KEYS.session, KEYS.snapshot, KEYS.ui);
    if (message) store.set(KEYS.message, message);
    location.replace(location.pathname + location.search);
  }

  /** A login answer with a token (a sign-in, or the first one's new password): the dashboard. */
  function signedIn(res) {
    const session = { token: res.token, expires_at: res.expires_at, operator: res.operator,
                      refresh_token: res.refresh_token };
    store.set(KEYS.session, session);
    store.remove(KEYS.snapshot, KEYS.ui);
    view.newPassword.hide();
    start(session);
    view.e.chatsTab.focus(); // the sign-in form is gone: continue from the Chats tab
  }

  let challenge = null; // {username, session}: a temporary password's new-password step
  view.handlers.signIn = async (username, password) => {
    view.signInBusy(true);
    view.signInError("");
    try {
      const res = await api.login(username, password);
      if (res.challenge === "new_password") {
        challenge = { username: res.username || username, session: res.session };
        view.signInBusy(false);
        view.newPassword.show(challenge.username);
        return;
      }
      signedIn(res);
    } catch (err) {
      view.signInBusy(false);
      view.signInError(isDisabledError(err) ? S.signIn.disabled : signInErrorText(err.status, err.code));
      view.e.password.select();
      view.e.password.focus();
    }
  };

  view.handlers.newPassword = async (first, second) => {
    const problem = newPasswordProblem(first, second);
    if (problem || !challenge) {
      view.newPassword.error(problem || S.signIn.newPasswordExpired);
      return;
    }
    view.newPassword.busy(true);
    view.newPassword.error("");
    try {
      signedIn(await api.newPassword(challenge.username, challenge.session, first));
      challenge = null;
    } catch (err) {
      view.newPassword.busy(false);
      if (err.status === 400) view.newPassword.error(S.signIn.newPasswordRefused(err.message), { clear: true });
      else if (err.status === 401) view.newPassword.error(S.signIn.newPasswordExpired);
      else view.newPassword.error(isDisabledError(err) ? S.signIn.disabled : signInErrorText(err.status, err.code));
    }
  };

  view.handlers.newPasswordBack = () => {
    challenge = null;
    view.newPassword.hide();
    view.signInError("");
    view.e.password.value = "";
    view.e.password.focus();
  };

  /** Renew the access token from the refresh token; null when the session has really ended. */
  async function renew(session) {
    if (!session.refresh_token) return null;
    try {
      const res = await api.refresh(session.refresh_token);
      const next = { ...session, token: res.token, expires_at: res.expires_at };
      store.set(KEYS.session, next);
      return next;
    } catch (err) {
      if (err.status === 401 || err.status === 403) return null;
      throw err; // the network: try again later
    }
  }

  function start(session) {
    api.token = session.token;
    const snap = store.get(KEYS.snapshot) || {};
    const client = new ProtocolClient({
      url: config.wsUrl,
      token: session.token,
      lastSeq: snap.lastSeq || {},
      outbox: Array.isArray(snap.outbox) ? snap.outbox : [],
      fetchHistory: (chatId, after) => api.history(chatId, after),
    });
    const dash = new Dashboard({
      client, view, api, alerts,
      operator: session.operator,
      ui: store.get(KEYS.ui) || undefined,
      saveUi: (ui) => store.set(KEYS.ui, ui),
      onAuthLost: () => toSignIn({ text: EXPIRED, kind: "error" }),
    });

    // What a reload needs: each chat's last seq and the unsent messages.
    let saveTimer = null;
    const saveSnapshot = () => {
      saveTimer = null;
      store.set(KEYS.snapshot, client.snapshot());
    };
    const saveSoon = () => {
      if (!saveTimer) saveTimer = setTimeout(saveSnapshot, 200);
    };
    client.on("message", saveSoon);
    client.on("pending", saveSoon);
    client.on("welcome", saveSoon);
    client.on("frame", (f) => {
      if (f.type === "chat.closed" || f.type === "chat.transferred") saveSoon(); // a forgotten chat
    });
    addEventListener("pagehide", saveSnapshot);

    const authLost = () => toSignIn({ text: EXPIRED, kind: "error" });
    const canned = new CannedMessages({ doc: document, api, isAdmin: () => dash.me.role === "admin", onAuthLost: authLost });
    const team = new TeamTab({ doc: document, api, onAuthLost: authLost, confirm: (o) => view.confirm(o), myId: () => dash.me.id });
    const desks = new DesksTab({
      doc: document, api, onAuthLost: authLost,
      onChanged: (queues) => {
        dash.setQueueNames({ ...dash.queueNames, ...deskNames(queues) });
        dash.queue.refreshDesks(queues); // an edited card shows in the panes without a reload
      },
    });
    canned.ensureLoaded();
    // docs/tickets.md: the close form, transcripts, the Tickets and History tabs, the tag lists
    const after = startTickets({ doc: document, win: window, api, dash, view, authLost });
    client.on("frame", (f) => after.onFrame(f));
    // docs/reports.md: the Reports tab, and the Chats tab's line of today's waits
    const reports = startReports({ doc: document, win: window, api, dash, authLost });
    client.on("frame", (f) => reports.onFrame(f));
    // docs/supervision.md: the Supervise tab (admins, supervisors)
    const supervision = startSupervise({ doc: document, win: window, api, client, dash, view, authLost });
    // docs/privacy.md "Blocks": a pane's "Block patron…", the admins' Blocks in the Team tab
    startBlocks({ doc: document, api, dash, view, authLost });

    // Intents from the view.
    Object.assign(view.handlers, {
      select: (id, opts) => {
        dash.select(id, opts);
        if (dash.active === "team") team.refresh();
        if (dash.active === "desks") desks.refresh();
        after.shown(dash.active);
        reports.shown(dash.active);
        supervision.shown(dash.active);
      },
      ...after.handlers,
      openCanned: (textarea) => canned.open(textarea),
      cannedShortcuts: (prefix) => canned.shortcuts(prefix),
      sendStaff: (text) => {
        const ok = dash.sendStaff(text);
        if (ok) saveSnapshot();
        return ok;
      },
      setStatus: (change) => dash.setStatus(change),
      transfer: (id) => dash.transfer(id),
      chooseFile: (id, file) => dash.chooseFile(id, file),
      uploadFile: (id) => dash.uploadFile(id),
      cancelFile: (id) => dash.cancelFile(id),
      fileUrl: (id, key) => api.fileUrl(id, key),
      claim: (id) => dash.claim(id),
      watch: (ids) => dash.watch(ids),
      send: (id, text) => {
        const ok = dash.send(id, text);
        if (ok) saveSnapshot();
        return ok;
      },
      composing: (id, hasText) => dash.composing(id, hasText),
      end: (id) => dash.end(id), // the pane's close form follows, inline, once it ended
      close: async (id) => {
        // docs/tickets.md: unsaved changes in the pane's close form are saved first
        view.setPaneBusy(id, true);
        const ok = await after.beforeClose(id);
        view.setPaneBusy(id, false);
        if (ok) dash.close(id);
      },
      signOut: async () => {
        const active = dash.activeCount();
        if (active > 0) {
          const ok = await view.confirm({
            title: S.signOut.title,
            body: S.signOut.body(active),
            confirm: S.signOut.confirm,
            cancel: S.signOut.cancel,
          });
          if (!ok) return;
        }
        client.disconnect();
        toSignIn({ text: S.signIn.signedOut, kind: "info" });
      },
      toggleSound: () => {
        alerts.setMuted(!alerts.muted);
        view.setSound(alerts.muted);
        if (!alerts.muted) alerts.chime(); // a sample, so the librarian knows what to listen for
      },
      enableNotifications: async () => {
        if (alerts.notificationState === "denied") {
          view.showNotice(S.header.notifyBlockedNotice);
          return;
        }
        view.setNotifyState(await alerts.requestNotifications());
      },
    });
    // a reload that comes back to the Team or Desks tab: its contents too
    let shownOnce = false;
    client.on("welcome", () => {
      if (shownOnce) return;
      shownOnce = true;
      if (dash.active === "team") team.refresh();
      if (dash.active === "desks") desks.refresh();
      after.shown(dash.active);
      reports.shown(dash.active);
      supervision.shown(dash.active);
    });
    alerts.onNotificationClick = () => dash.select("chats", { focus: "tab" });
    view.setSound(alerts.muted);
    view.setNotifyState(alerts.notificationState);

    // A token the service no longer accepts shows up as a handshake refused again and again.
    let probeTimer = null;
    const probe = async () => {
      probeTimer = null;
      if (client.state === "open") return;
      const state = await api.sessionState();
      if (state === "ended" || state === "disabled") {
        client.disconnect();
        toSignIn({ text: state === "disabled" ? S.signIn.disabledSignedOut : EXPIRED, kind: "error" });
        return;
      }
      if (client.state !== "open") probeTimer = setTimeout(probe, PROBE_EVERY_MS);
    };
    client.on("state", ({ state }) => {
      if (state === "open") {
        clearTimeout(probeTimer);
        probeTimer = null;
      } else if (state !== "closed" && !probeTimer) {
        probeTimer = setTimeout(probe, PROBE_AFTER_MS);
      }
    });
    addEventListener("online", () => client.reconnectNow());

    api.status().then((s) => {
      const names = {};
      for (const q of (s && s.queues) || []) if (q && q.id) names[q.id] = q.name || q.id;
      dash.setQueueNames(names);
    }).catch(() => {});

    // Keep the sign-in alive for a whole shift: renew before the access token expires.
    const keepSignedIn = (current) => {
      setTimeout(async () => {
        try {
          const next = await renew(current);
          if (!next) return authLost();
          api.token = next.token;
          client.token = next.token; // the next reconnect presents the new one
          keepSignedIn(next);
        } catch {
          setTimeout(() => keepSignedIn(current), 30 * 1000);
        }
      }, refreshDelay(current.expires_at, Date.now()));
    };
    if (session.refresh_token) keepSignedIn(session);

    view.showApp();
    client.connect();
    return dash;
  }

  const session = store.get(KEYS.session);
  const usable = usableSession(session, Date.now());
  const message = store.get(KEYS.message);
  store.remove(KEYS.message);
  let renewed = null;
  if (!usable.ok && usable.reason === "expired" && session.refresh_token) {
    renewed = await renew(session).catch(() => null); // back after a break: no new sign-in needed
  }
  if (usable.ok || renewed) {
    start(renewed || session);
  } else {
    if (usable.reason === "expired") store.remove(KEYS.session, KEYS.snapshot, KEYS.ui);
    if (usable.reason === "expired") view.showSignIn(EXPIRED, "error");
    else view.showSignIn(message && message.text ? message.text : "", (message && message.kind) || "error");
  }
}

boot();
