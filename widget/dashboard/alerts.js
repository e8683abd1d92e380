// How a new chat reaches the librarian's attention: a short chime (WebAudio, only once the
// page has been interacted with, as browsers' autoplay rules require), a desktop Notification
// when the librarian allowed them and is looking elsewhere. The tab title count is the view's.

const SOUND_KEY = "lcd.sound";

export class Alerts {
  constructor(win = globalThis.window) {
    this.win = win;
    this.ctx = null;
    this.unlocked = false;
    this.muted = false;
    try {
      this.muted = win.localStorage.getItem(SOUND_KEY) === "off";
    } catch {
      this.muted = false;
    }
    const unlock = () => {
      this.unlocked = true;
      this.audio(); // created inside a user gesture, so it may play later
      win.removeEventListener("pointerdown", unlock, true);
      win.removeEventListener("keydown", unlock, true);
    };
    win.addEventListener("pointerdown", unlock, true);
    win.addEventListener("keydown", unlock, true);
    this.onNotificationClick = null;
  }

  audio() {
    const AC = this.win.AudioContext || this.win.webkitAudioContext;
    if (!AC) return null;
    if (!this.ctx) {
      try {
        this.ctx = new AC();
      } catch {
        return null;
      }
    }
    if (this.ctx.state === "suspended") this.ctx.resume().catch(() => {});
    return this.ctx;
  }

  setMuted(muted) {
    this.muted = muted;
    try {
      this.win.localStorage.setItem(SOUND_KEY, muted ? "off" : "on");
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }

  /** Two soft notes, about half a second: noticeable, not alarming. */
  chime() {
    if (this.muted || !this.unlocked) return false;
    const ctx = this.audio();
    if (!ctx) return false;
    const start = ctx.currentTime + 0.02;
    [[659.25, 0], [880, 0.16]].forEach(([freq, offset]) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      const t = start + offset;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.18, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.45);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + 0.5);
    });
    return true;
  }

  get notificationState() {
    const N = this.win.Notification;
    if (!N) return "unsupported";
    return N.permission; // "default" | "granted" | "denied"
  }

  async requestNotifications() {
    const N = this.win.Notification;
    if (!N) return "unsupported";
    try {
      return await N.requestPermission();
    } catch {
      return N.permission;
    }
  }

  /** A desktop notification, only when allowed and the librarian is not looking at the page. */
  notify(title, body, tag) {
    const N = this.win.Notification;
    if (!N || N.permission !== "granted") return false;
    const doc = this.win.document;
    if (doc.visibilityState === "visible" && doc.hasFocus()) return false;
    try {
      const n = new N(title, { body, tag, renotify: true });
      n.onclick = () => {
        this.win.focus();
        if (this.onNotificationClick) this.onNotificationClick(tag);
        n.close();
      };
      return true;
    } catch {
      return false; // some browsers only allow notifications from a service worker
    }
  }
}
