// The frame's side of the conversation with the page that embeds it (widget/embed.js).
// Messages are `{ns: "libchat", type, ...}`; they carry no patron data (no token, no text),
// only what the host needs to draw its launcher: open/close, unread count, height, activity.
// Posts name the host's origin explicitly; receipts are checked for origin and source.

export const NS = "libchat";

/** Is this `message` event a command from our host page? */
export function isHostMessage(event, parentOrigin, parentWindow) {
  if (!event || !parentOrigin || !parentWindow) return false;
  if (event.origin !== parentOrigin || event.source !== parentWindow) return false;
  const data = event.data;
  return Boolean(data && typeof data === "object" && data.ns === NS && typeof data.type === "string");
}

/**
 * The host origin the embed script declared, confirmed by the browser where it can tell
 * (`location.ancestorOrigins`, Chromium and Safari). A mismatch disables the bridge.
 */
export function confirmedParentOrigin(declared, location) {
  if (!declared) return null;
  const ancestors = location && location.ancestorOrigins;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== declared) return null;
  return declared;
}

export class HostBridge {
  constructor(win, parentOrigin, onCommand) {
    this.win = win;
    this.parent = win.parent && win.parent !== win ? win.parent : null;
    this.origin = this.parent ? confirmedParentOrigin(parentOrigin, win.location) : null;
    this.enabled = Boolean(this.parent && this.origin);
    if (this.enabled) {
      win.addEventListener("message", (event) => {
        if (isHostMessage(event, this.origin, this.parent)) onCommand(event.data);
      });
    }
  }

  post(type, extra = {}) {
    if (!this.enabled) return;
    this.parent.postMessage({ ...extra, ns: NS, type }, this.origin);
  }
}
