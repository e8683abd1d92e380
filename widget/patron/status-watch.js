// Is anyone there to answer, pushed instead of polled: while the widget shows the question form
// or the offline screen, one WebSocket to the service's `ws_url + "?watch=status"` (no token)
// hears `service.status` whenever an operator becomes available, goes away or signs off
// (docs/protocol.md). The shared protocol client (../js/protocol.js) does the wire: `hello`
// (whose `welcome` carries the status now), pings against the gateway's idle timer, and
// reconnects with backoff. A status is a state, not a change: the same one twice is harmless;
// an older one (by its `at`) arriving after a newer one is dropped.
// No DOM: the intake (intake.js) decides what a status means for the screen.

import { safeUrl } from "../js/urls.js";
import { WS_SCHEMES } from "../js/config.js";

/** The watch URL for a WebSocket URL (`?watch=status` added to its query), or null. */
export function watchUrl(wsUrl) {
  const base = safeUrl(wsUrl, WS_SCHEMES);
  if (!base) return null;
  const url = new URL(base);
  url.searchParams.set("watch", "status");
  return url.href;
}

export class StatusWatch {
  /**
   * @param {object} o
   * @param {Function} o.createClient  (options) => ProtocolClient
   * @param {Function} o.onStatus      ({online, queues}) => void, for the welcome's and each push
   */
  constructor({ createClient, onStatus }) {
    this.createClient = createClient;
    this.onStatus = onStatus;
    this.client = null;
    this.url = null;
  }

  /** Watch at the service's `ws_url` (from /api/status); already watching there: nothing to do. */
  open(wsUrl) {
    const url = watchUrl(wsUrl);
    if (!url) return false;
    if (this.client && this.url === url) return true;
    this.close();
    const client = this.createClient({ url, token: null, resume: false });
    this.client = client;
    this.url = url;
    let newest = ""; // the `at` of the status reported last: a push can overtake the welcome
    const report = (status) => {
      if (this.client !== client || !status || typeof status !== "object") return;
      const at = typeof status.at === "string" ? status.at : "";
      if (at && newest && at < newest) return; // older than what the watcher already said
      if (at) newest = at;
      this.onStatus(status);
    };
    client.on("welcome", (frame) => report(frame.status));
    client.on("frame", (frame) => {
      if (frame.type === "service.status") report(frame);
    });
    client.connect();
    return true;
  }

  /** Not on the form or the offline screen any more (a chat started, the panel closed). */
  close() {
    if (this.client) this.client.disconnect();
    this.client = null;
    this.url = null;
  }

  get watching() {
    return Boolean(this.client);
  }
}
