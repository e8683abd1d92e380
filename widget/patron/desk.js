// The widget's desk (docs/desks.md): which QueueStatus of `/api/status` (or of a pushed
// `service.status`) is this widget's, what it means for the screen (the form, the offline
// screen, or the closed screen with the next opening), the opening time in the patron's own
// time zone naming the library's, and when to look again. Pure functions: the clock and the
// patron's time zone are parameters, so Node's test runner covers them.

/** The longest a timer may wait (setTimeout's limit, ~24.8 days): a later opening is re-aimed. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** Look again this long after `next_open`, so the service's clock has passed it too. */
export const REOPEN_GRACE_MS = 2000;
/** An opening already past by the patron's clock that the service still calls closed: retry after. */
export const REOPEN_RETRY_MS = 30000;

/**
 * This widget's QueueStatus: the status's own `queue` (asked with `?queue=`), else the entry of
 * `queueId` in `queues`, else (no desk named, or one the service does not know) the first
 * desk, which is the one POST /api/chats uses by default. Null when the service lists none.
 */
export function deskOf(status, queueId) {
  if (!status || typeof status !== "object") return null;
  const queues = Array.isArray(status.queues) ? status.queues.filter((q) => q && typeof q === "object") : [];
  if (queueId && status.queue && status.queue.id === queueId) return status.queue;
  if (queueId) {
    const match = queues.find((q) => q.id === queueId);
    if (match) return match;
  }
  if (!queueId && status.queue && typeof status.queue === "object") return status.queue;
  return queues[0] || null;
}

/**
 * What the widget shows for a status: "online" (the form), "offline" (open but nobody there:
 * the offline screen as before) or "closed" (outside the desk's hours: when it opens next).
 * A service without desks says nothing of `open`: its desks are always open.
 */
export function deskMode(status, queueId) {
  const desk = deskOf(status, queueId);
  if (!desk) return status && status.online ? "online" : "offline";
  if (desk.open === false) return "closed";
  return desk.online ? "online" : "offline";
}

function validDate(iso) {
  if (typeof iso !== "string" || !iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function validZone(zone) {
  if (typeof zone !== "string" || !zone) return undefined;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** "America/New_York" -> "New York", "America/Argentina/Buenos_Aires" -> "Buenos Aires". */
export function placeOfZone(zone) {
  if (typeof zone !== "string" || !zone) return "";
  if (/^(Etc\/)?(UTC|GMT|UCT|Zulu|Universal)$/i.test(zone)) return "UTC";
  return zone.split("/").pop().replace(/_/g, " ");
}

/** The calendar day (as a UTC midnight in ms) of `date` in `timeZone`. */
function dayNumber(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric",
    day: "numeric" }).formatToParts(date).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day));
}

/**
 * When a closed desk opens next, as the patron reads it: `{key, vars}` for the patron's own
 * time ("Opens Monday 9:00 AM (your time)."), and `library: {key, vars}` for the library's
 * time ("That's 9:00 AM in New York.") unless it reads the same. Null without a usable
 * `next_open` (a desk with no opening ahead).
 *
 * @param {object} desk  QueueStatus {next_open, timezone}
 * @param {object} o  {lang, now: ms, timeZone: the patron's (undefined: this browser's)}
 */
export function opening(desk, { lang = "en", now = Date.now(), timeZone } = {}) {
  const at = desk && validDate(desk.next_open);
  if (!at) return null;
  const mine = validZone(timeZone) || new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const theirs = validZone(desk.timezone);
  const time = (zone) => new Intl.DateTimeFormat(lang, { timeZone: zone, hour: "numeric", minute: "2-digit" }).format(at);
  const weekday = (zone) => new Intl.DateTimeFormat(lang, { timeZone: zone, weekday: "long" }).format(at);
  const days = Math.round((dayNumber(at, mine) - dayNumber(new Date(now), mine)) / 86400000);
  const vars = { time: time(mine), day: weekday(mine) };
  let key;
  if (days <= 0) key = "closed.opensToday";
  else if (days === 1) key = "closed.opensTomorrow";
  else if (days < 7) key = "closed.opensDay";
  else {
    key = "closed.opensDate";
    vars.date = new Intl.DateTimeFormat(lang, { timeZone: mine, weekday: "long", month: "long", day: "numeric" }).format(at);
  }
  let library = null;
  if (theirs) {
    const sameDay = dayNumber(at, theirs) === dayNumber(at, mine);
    const libVars = { time: time(theirs), day: weekday(theirs), place: placeOfZone(theirs) };
    if (!(sameDay && libVars.time === vars.time)) {
      library = { key: sameDay ? "closed.libraryTime" : "closed.libraryTimeDay", vars: libVars };
    }
  }
  return { key, vars, library, at: at.getTime() };
}

/**
 * How long to wait before asking the status again for a desk that opens at `nextOpen` (ISO):
 * just after it (with a grace for clocks), never sooner than `REOPEN_RETRY_MS` once it is
 * already past, and at most one timer's reach (a later opening is re-aimed when it fires).
 * Null without a usable time.
 */
export function reopenDelay(nextOpen, now) {
  const at = validDate(nextOpen);
  if (!at) return null;
  const wait = at.getTime() - now + REOPEN_GRACE_MS;
  if (wait <= REOPEN_GRACE_MS) return REOPEN_RETRY_MS;
  return Math.min(wait, MAX_TIMER_MS);
}
