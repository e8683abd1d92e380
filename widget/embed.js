/*
 * Library chat: embed the patron widget on any page with one script tag.
 *
 *   <script src="https://chat.example.org/embed.js" async
 *           data-queue="general"            the desk that answers (docs/desks.md; default: the service's first)
 *           data-lang="en"
 *           data-mode="floating"            floating (launcher button + panel) | inline
 *           data-placement="bottom-right"   bottom-right | bottom-left (floating)
 *           data-target="#chat-here"        inline: the element to render into
 *           data-service="https://chat.example.org"   where /patron/ lives (default: this script's folder)
 *           data-rest-url="https://.../api" data-ws-url="wss://..."  override the service's URLs
 *           data-offline-email="ask@library.example" data-offline-phone="+1 555 0100"
 *           data-offline-url="https://library.example/contact" data-offline-message="..."
 *           data-abandon-after="120"        the service's ABANDON_AFTER_SECONDS, if changed (the warning before it)
 *           data-label="Ask a librarian"></script>
 *
 * The widget runs in an <iframe> served by the chat service, so the host page's CSS and
 * scripts cannot reach it and the patron's chat token never lives on the host page. This
 * script only draws the launcher (in a shadow root, so host CSS cannot restyle it) and the
 * panel around the frame, and talks to the frame with postMessage: explicit target origin on
 * every post, origin and source checked on every receipt. The frame tells the host only what
 * the launcher needs: ready, open/close requests, unread count, height (inline), activity.
 *
 * Elements with `data-libchat-open` open the chat on click; `window.LibChat.open()` / `.close()`
 * / `.toggle()` do the same from script. Classic script, no dependencies, no build step.
 */
(function (root) {
  "use strict";

  var NS = "libchat";
  var MODES = ["floating", "inline"];
  var PLACEMENTS = ["bottom-right", "bottom-left"];
  // The launcher's own words (everything inside the chat comes from patron/i18n.js).
  // Keep the same languages as patron/i18n.js: widget/tests/widget-embed.test.mjs checks it.
  var LABELS = {
    en: { launcher: "Ask a librarian", frameTitle: "Chat with a librarian", unreadOne: "1 new message",
      unreadMany: "{n} new messages", announce: "New message in your library chat" },
    es: { launcher: "Pregunte a un bibliotecario", frameTitle: "Chat con un bibliotecario",
      unreadOne: "1 mensaje nuevo", unreadMany: "{n} mensajes nuevos", announce: "Mensaje nuevo en su chat con la biblioteca" },
  };

  function text(value, max) {
    var trimmed = typeof value === "string" ? value.trim() : "";
    return trimmed.length <= (max || 500) ? trimmed : "";
  }

  /** An absolute http(s)/ws(s) URL, resolved against `base`; "" when unusable. */
  function absoluteUrl(value, base, schemes) {
    var raw = text(value, 2000);
    if (!raw) return "";
    try {
      var url = new URL(raw, base);
      if (schemes.indexOf(url.protocol) < 0 || url.username || url.password) return "";
      return url.href;
    } catch (e) {
      return "";
    }
  }

  function pickLang(wanted) {
    var code = text(wanted, 20).toLowerCase();
    if (LABELS[code]) return code;
    var base = code.split(/[-_]/)[0];
    return LABELS[base] ? base : "en";
  }

  /** The script tag's data attributes -> options. Pure: `dataset` is a plain object here. */
  function parseOptions(dataset, scriptSrc, pageHref, docLang) {
    var d = dataset || {};
    var http = ["https:", "http:"];
    var service = absoluteUrl(d.service, pageHref, http) || absoluteUrl(".", scriptSrc || pageHref, http);
    service = service.replace(/\/+$/, "");
    var mode = text(d.mode);
    var placement = text(d.placement);
    var queue = text(d.queue, 128);
    var lang = text(d.lang, 20) || text(docLang, 20) || "";
    return {
      service: service,
      serviceOrigin: service ? new URL(service).origin : "",
      queue: /^[\w.-]+$/.test(queue) ? queue : "",
      lang: lang,
      uiLang: pickLang(lang),
      mode: MODES.indexOf(mode) >= 0 ? mode : "floating",
      placement: PLACEMENTS.indexOf(placement) >= 0 ? placement : "bottom-right",
      target: text(d.target, 200),
      restUrl: absoluteUrl(d.restUrl, pageHref, http),
      wsUrl: absoluteUrl(d.wsUrl, pageHref, ["wss:", "ws:"]),
      offlineEmail: text(d.offlineEmail, 200),
      offlinePhone: text(d.offlinePhone, 60),
      offlineUrl: absoluteUrl(d.offlineUrl, pageHref, http),
      offlineMessage: text(d.offlineMessage, 500),
      label: text(d.label, 60),
      abandonAfter: /^\d{1,6}$/.test(text(d.abandonAfter, 6)) ? text(d.abandonAfter, 6) : "",
    };
  }

  /** The frame's URL: /patron/ on the service, the settings in its query string. */
  function frameSrc(opts, pageOrigin) {
    var params = new URLSearchParams();
    var add = function (name, value) { if (value) params.set(name, value); };
    add("mode", opts.mode);
    add("origin", pageOrigin);
    add("queue", opts.queue);
    add("lang", opts.lang);
    add("rest", opts.restUrl);
    add("ws", opts.wsUrl);
    add("email", opts.offlineEmail);
    add("phone", opts.offlinePhone);
    add("help", opts.offlineUrl);
    add("message", opts.offlineMessage);
    add("abandon", opts.abandonAfter);
    return opts.service + "/patron/?" + params.toString();
  }

  function format(template, vars) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) { return vars[key] !== undefined ? String(vars[key]) : whole; });
  }

  root.LibChatEmbed = { parseOptions: parseOptions, frameSrc: frameSrc, LABELS: LABELS, pickLang: pickLang };

  if (!root.document) return; // loaded by a unit test, not a page

  var doc = root.document;
  var script = doc.currentScript || (function () {
    var all = doc.querySelectorAll('script[src*="embed.js"]');
    return all[all.length - 1];
  })();
  if (!script) return;
  var dataset = {};
  for (var key in script.dataset) dataset[key] = script.dataset[key];
  var options = parseOptions(dataset, script.src, root.location.href, doc.documentElement.lang);
  if (!options.service) {
    if (root.console) root.console.warn("library chat: cannot tell where the chat service is (data-service)");
    return;
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  function svgIcon(paths) {
    var svg = doc.createElementNS(SVG_NS, "svg");
    var attrs = { viewBox: "0 0 24 24", width: "22", height: "22", fill: "none", stroke: "currentColor", "stroke-width": "2",
      "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true", focusable: "false" };
    for (var name in attrs) svg.setAttribute(name, attrs[name]);
    paths.forEach(function (d) {
      var path = doc.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }

  var STYLE = [
    ":host { all: initial; }",
    ".lc-embed { position: fixed; z-index: 2147483000; bottom: 20px; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; }",
    ".lc-embed--bottom-right { right: 20px; }",
    ".lc-embed--bottom-left { left: 20px; }",
    ".lc-launcher { all: unset; box-sizing: border-box; display: inline-flex; align-items: center; gap: 10px; min-height: 52px; padding: 0 22px 0 18px;",
    "  border-radius: 999px; background: #24508a; color: #fff; font: 600 16px/1.2 inherit; font-family: inherit; cursor: pointer;",
    "  box-shadow: 0 6px 18px rgba(15, 23, 42, 0.28); position: relative; }",
    ".lc-launcher:hover { background: #1a3d6c; }",
    ".lc-launcher:focus-visible { outline: 3px solid #fff; outline-offset: 0; box-shadow: 0 0 0 6px #1b1f24, 0 6px 18px rgba(15, 23, 42, 0.28); }",
    ".lc-launcher svg { flex: none; }",
    ".lc-badge { position: absolute; top: -6px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px; box-sizing: border-box; border-radius: 999px;",
    "  background: #b3261e; color: #fff; font: 700 12px/22px inherit; font-family: inherit; text-align: center; border: 2px solid #fff; }",
    ".lc-badge[hidden] { display: none; }",
    ".lc-panel { position: absolute; bottom: 68px; width: 380px; height: min(640px, calc(100vh - 110px)); border-radius: 16px; overflow: hidden;",
    "  background: #fff; box-shadow: 0 16px 48px rgba(15, 23, 42, 0.3); border: 1px solid rgba(15, 23, 42, 0.12); }",
    ".lc-embed--bottom-right .lc-panel { right: 0; }",
    ".lc-embed--bottom-left .lc-panel { left: 0; }",
    ".lc-panel[hidden] { display: none; }",
    ".lc-panel iframe { display: block; width: 100%; height: 100%; border: 0; }",
    ".lc-vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; }",
    "@media (prefers-reduced-motion: no-preference) { .lc-panel:not([hidden]) { animation: lc-rise 160ms ease-out; } }",
    "@keyframes lc-rise { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }",
    "@media (max-width: 480px), (max-height: 520px) {",
    "  .lc-embed { bottom: 12px; }",
    "  .lc-embed--bottom-right { right: 12px; } .lc-embed--bottom-left { left: 12px; }",
    "  .lc-launcher { padding: 0 18px 0 14px; }",
    "  .lc-panel { position: fixed; inset: 0; width: auto; height: auto; border-radius: 0; border: 0; }",
    "  .lc-embed--open .lc-launcher { display: none; }",
    "}",
  ].join("\n");

  function hostStateKey() {
    return "libchat:embed:" + options.serviceOrigin + ":" + (options.queue || "default");
  }
  function loadHostState() {
    try {
      return JSON.parse(root.sessionStorage.getItem(hostStateKey()) || "{}") || {};
    } catch (e) {
      return {};
    }
  }
  function saveHostState(state) { // private mode: the chat still works, the panel just won't reopen by itself
    try { root.sessionStorage.setItem(hostStateKey(), JSON.stringify(state)); } catch (e) { /* ignored */ }
  }

  /** The iframe and its postMessage channel, shared by both modes. */
  function Frame(opts, onMessage) {
    var iframe = doc.createElement("iframe");
    iframe.src = frameSrc(opts, root.location.origin);
    iframe.title = LABELS[opts.uiLang].frameTitle;
    this.iframe = iframe;
    this.origin = opts.serviceOrigin;
    this.ready = false;
    this.queue = [];
    var self = this;
    root.addEventListener("message", function (event) {
      if (event.source !== iframe.contentWindow || event.origin !== opts.serviceOrigin) return;
      var data = event.data;
      if (!data || typeof data !== "object" || data.ns !== NS || typeof data.type !== "string") return;
      if (data.type === "ready") {
        self.ready = true;
        var pending = self.queue;
        self.queue = [];
        pending.forEach(function (m) { self.post(m); });
      }
      onMessage(data);
    });
  }
  Frame.prototype.post = function (message) {
    if (!this.ready || !this.iframe.contentWindow) {
      // until the frame says it is ready, keep only the latest of each kind (open/close are one kind)
      var kind = function (m) { return m.type === "open" || m.type === "close" ? "visibility" : m.type; };
      this.queue = this.queue.filter(function (m) { return kind(m) !== kind(message); });
      this.queue.push(message);
      return;
    }
    var payload = { ns: NS };
    for (var k in message) payload[k] = message[k];
    this.iframe.contentWindow.postMessage(payload, this.origin);
  };

  // ------------------------------------------------------------------ floating

  function mountFloating(opts) {
    var labels = LABELS[opts.uiLang];
    var host = doc.createElement("div");
    host.setAttribute("data-libchat", "");
    var shadow = host.attachShadow({ mode: "open" });
    var style = doc.createElement("style");
    style.textContent = STYLE;
    var wrap = doc.createElement("div");
    wrap.className = "lc-embed lc-embed--" + opts.placement;
    var panel = doc.createElement("div");
    panel.className = "lc-panel";
    panel.id = "lc-panel";
    panel.hidden = true;
    var launcher = doc.createElement("button");
    launcher.type = "button";
    launcher.className = "lc-launcher";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "lc-panel");
    var iconOpen = svgIcon(["M4 5h16v11H9l-5 4z", "M8 9.5h8", "M8 12.5h5"]);
    var iconClose = svgIcon(["M6 9l6 6 6-6"]);
    iconClose.style.display = "none";
    var label = doc.createElement("span");
    label.textContent = opts.label || labels.launcher;
    var badge = doc.createElement("span");
    badge.className = "lc-badge";
    badge.hidden = true;
    var badgeCount = doc.createElement("span");
    badgeCount.setAttribute("aria-hidden", "true");
    var badgeText = doc.createElement("span");
    badgeText.className = "lc-vh";
    badge.appendChild(badgeCount);
    badge.appendChild(badgeText);
    launcher.appendChild(iconOpen);
    launcher.appendChild(iconClose);
    launcher.appendChild(label);
    launcher.appendChild(badge);
    var live = doc.createElement("div");
    live.className = "lc-vh";
    live.setAttribute("role", "status");
    wrap.appendChild(panel);
    wrap.appendChild(launcher);
    wrap.appendChild(live);
    shadow.appendChild(style);
    shadow.appendChild(wrap);
    doc.body.appendChild(host);

    var state = loadHostState();
    var frame = null;
    var isOpen = false;

    function ensureFrame() {
      if (frame) return frame;
      frame = new Frame(opts, function (data) {
        if (data.type === "ready") {
          state.active = Boolean(data.active);
          saveHostState(state);
        } else if (data.type === "close") {
          close(true);
        } else if (data.type === "unread") {
          setUnread(Number(data.count) || 0);
        } else if (data.type === "active") {
          state.active = Boolean(data.active);
          saveHostState(state);
        }
      });
      panel.appendChild(frame.iframe);
      return frame;
    }

    // While the page is in a background tab, its title shows the count: "(2) Page title".
    var baseTitle = null;
    function markTitle(count) {
      if (count > 0 && doc.hidden) {
        if (baseTitle === null) baseTitle = doc.title;
        doc.title = "(" + count + ") " + baseTitle;
      } else if (baseTitle !== null) {
        doc.title = baseTitle;
        baseTitle = null;
      }
    }
    doc.addEventListener("visibilitychange", function () { if (!doc.hidden) markTitle(0); });

    function setUnread(count) {
      markTitle(count);
      var previous = Number(badgeCount.textContent) || 0;
      badge.hidden = count <= 0;
      badgeCount.textContent = count > 0 ? String(count) : "";
      badgeText.textContent = count > 0 ? " (" + (count === 1 ? labels.unreadOne : format(labels.unreadMany, { n: count })) + ")" : "";
      if (count > previous && !isOpen) live.textContent = labels.announce;
      if (count === 0) live.textContent = "";
    }

    // One place that shows the panel open or closed and remembers it for the next page.
    function showOpen(value) {
      isOpen = value;
      panel.hidden = !value;
      wrap.classList.toggle("lc-embed--open", value);
      launcher.setAttribute("aria-expanded", value ? "true" : "false");
      iconOpen.style.display = value ? "none" : "";
      iconClose.style.display = value ? "" : "none";
      state.open = value;
      saveHostState(state);
    }

    function open(focus) {
      ensureFrame();
      showOpen(true);
      setUnread(0);
      if (focus) frame.iframe.focus();
      frame.post({ type: "open", focus: Boolean(focus) });
    }

    function close(returnFocus) {
      if (!isOpen) return;
      showOpen(false);
      if (frame) frame.post({ type: "close" });
      if (returnFocus) launcher.focus();
    }

    // WCAG 2.4.11: the launcher and the open panel float over the page's bottom corner. A page
    // element that takes the focus under them is scrolled clear (once the browser's own
    // scroll-into-view is done), with room added at the page's end when it is too short to
    // scroll; under a full-screen panel (small screens) the panel is minimized instead.
    doc.addEventListener("focusin", function (event) {
      var el = event.target;
      if (el === host || el === doc.body || !el.getBoundingClientRect) return;
      root.requestAnimationFrame(function () {
        var r = el.getBoundingClientRect();
        var top = Infinity;
        [launcher, panel].forEach(function (cover) {
          var b = cover.getBoundingClientRect();
          if (!b.width || r.left >= b.right || r.right <= b.left || r.top >= b.bottom || r.bottom <= b.top) return;
          if (b.top <= 0 && b.bottom >= root.innerHeight) close(false);
          else top = Math.min(top, b.top);
        });
        if (top === Infinity) return;
        var delta = r.height + 16 > top ? r.top - 8 : r.bottom - top + 8; // too tall for the room: its top shows
        var room = doc.documentElement.scrollHeight - root.innerHeight - root.scrollY;
        if (room < delta) host.style.cssText = "display:block;height:" + ((parseFloat(host.style.height) || 0) + delta - room) + "px";
        root.scrollBy({ top: delta, behavior: "instant" });
      });
    });

    launcher.addEventListener("click", function () {
      if (isOpen) close(true);
      else open(true);
    });
    wrap.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen) {
        event.preventDefault();
        close(true);
      }
    });

    // A chat in progress (this tab, an earlier page of the site) comes back as it was left.
    if (state.active) {
      ensureFrame();
      if (state.open) open(false);
    }
    return {
      open: function () { open(true); },
      close: function () { close(true); },
      toggle: function () { if (isOpen) close(true); else open(true); },
      launcher: launcher,
    };
  }

  // -------------------------------------------------------------------- inline

  function mountInline(opts) {
    var target = opts.target ? doc.querySelector(opts.target) : null;
    if (!target) {
      if (root.console) root.console.warn("library chat: data-target " + JSON.stringify(opts.target) + " not found");
      return null;
    }
    var frame = new Frame(opts, function (data) {
      if (data.type === "ready") frame.post({ type: "open", focus: false });
      else if (data.type === "resize") {
        var height = Math.max(360, Math.min(900, Number(data.height) || 0));
        frame.iframe.style.height = height + "px";
      }
    });
    var iframe = frame.iframe;
    iframe.style.cssText = "display:block;width:100%;height:560px;border:0;max-width:100%;";
    target.appendChild(iframe);
    return {
      open: function () { iframe.focus(); },
      close: function () {},
      toggle: function () {},
    };
  }

  function mount() {
    var instance = options.mode === "inline" ? mountInline(options) : mountFloating(options);
    if (!instance) return;
    var api = root.LibChat || { instances: [] };
    api.instances.push(instance);
    var first = api.instances[0];
    api.open = function () { first.open(); };
    api.close = function () { first.close(); };
    api.toggle = function () { first.toggle(); };
    root.LibChat = api;
    if (api.instances.length === 1) {
      doc.addEventListener("click", function (event) {
        var trigger = event.target && event.target.closest ? event.target.closest("[data-libchat-open]") : null;
        if (!trigger) return;
        event.preventDefault();
        first.open();
      });
    }
  }

  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", mount);
  else mount();
})(typeof window !== "undefined" ? window : globalThis);
