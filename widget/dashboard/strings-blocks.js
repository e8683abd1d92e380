// The words of blocking an abusive patron (docs/privacy.md "Blocks"): a chat pane's "Block
// patron…" and its dialog, and the admins' Blocks section of the Team tab. Kept apart from
// strings.js so it does not grow past a reviewable size. Same rules as strings.js: strings, or
// small functions for the ones with values in them.

/** The service's words as the end of a sentence: "try again" when there are none, one full stop. */
const why = (text) => String(text || "try again").replace(/[\s.]+$/, "");

export const BLOCKS = {
  // the chat pane
  button: "Block patron…",
  paneNote: (until, reason) => `Patron blocked until ${until}: new chats from this browser and network are refused. Reason: ${reason}`,
  announced: (name, until) => `${name || "The patron"} is blocked from new chats until ${until}.`,

  // the dialog
  title: (name) => `Block ${name || "the patron"} from new chats`,
  lead: "New chats from this patron's browser and network are refused until the block ends, with a neutral “chat is not available right now”. This chat goes on as it is. A library's public computers share one network: an administrator can lift a block in the Team tab.",
  duration: "For how long",
  durations: { 1: "1 hour", 24: "24 hours", 168: "7 days", 720: "30 days" },
  reason: "Reason",
  reasonHint: (max) => `Required, at most ${max} characters. Administrators see it; the patron never does.`,
  needReason: "Say why the patron is blocked.",
  reasonTooLong: (max) => `The reason is too long: at most ${max} characters.`,
  needDuration: "Choose how long the block lasts.",
  block: "Block patron",
  blocking: "Blocking…",
  cancel: "Cancel",
  notBlocked: (reason) => `Not blocked: ${why(reason)}.`,
  gone: "Not blocked: this chat is no longer yours or no longer exists.",

  // the Team tab's Blocks section (admins)
  sectionTitle: "Blocks",
  sectionLead: "Patrons blocked from starting new chats, until the time shown. Lifting a block lets their browser and network in again at once.",
  refresh: "Refresh",
  refreshLabel: "Refresh the blocks",
  loading: "Loading blocks…",
  listed: (n) => (n === 1 ? "1 active block." : `${n} active blocks.`),
  none: "No patrons are blocked.",
  loadFailed: (reason) => `The blocks could not be loaded: ${why(reason)}.`,
  tableLabel: "Active blocks",
  col: { until: "Until", reason: "Reason", by: "Blocked by", desk: "Desk", lift: "Lift" },
  lift: "Lift",
  liftLabel: (reason, until) => `Lift the block until ${until}: ${reason}`,
  lifting: "Lifting…",
  liftTitle: "Lift this block?",
  liftBody: (reason) => `New chats from the blocked browser and network are accepted again at once. The block's reason: ${reason}`,
  liftConfirm: "Lift block",
  liftCancel: "Keep it",
  lifted: (reason) => `Block lifted (${reason}).`,
  alreadyGone: "That block had already ended or been lifted.",
  notLifted: (reason) => `Not lifted: ${why(reason)}.`,
  unknownDesk: "—",
};
