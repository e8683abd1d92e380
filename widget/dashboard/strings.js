// Every user-facing string of the dashboard's scripts, in one place: the words a librarian
// reads or hears (screen-reader announcements included), so they can be reviewed, kept
// consistent and one day translated without hunting through the DOM code. Static markup text
// stays in index.html. Entries are strings or small functions for the ones with values in them;
// the rules that pick one live elsewhere (logic.js, the controller, the view).

import { MAX_TEXT } from "../js/limits.js";
import { ACCOUNTS, DESKS } from "./strings-admin.js";
import { REPORTS, TODAY } from "./strings-reports.js";
import { HISTORY, RECORD, TAGS, TICKETS, TRANSCRIPT } from "./strings-tickets.js";

export const APP_NAME = "Library chat";
export const WARN_AT_ACTIVE = 3; // the manual: "avoid going beyond 3 chats at one time"

/** "1 chat", "3 chats". */
const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const S = {
  appName: APP_NAME,
  patron: "Patron",
  thePatron: "The patron",
  colleague: "A colleague",
  anotherLibrarian: "another librarian",
  librarian: "Librarian",
  you: "You",
  dismiss: "Dismiss",

  title: {
    signIn: `Sign in — ${APP_NAME}`,
    chats: (waiting) => `${waiting > 0 ? `(${waiting}) ` : ""}Chats — ${APP_NAME}`,
  },

  signIn: {
    missing: "Enter your username and password.",
    submit: "Sign in",
    busy: "Signing in…",
    mismatch: "That username and password do not match. Check them and try again.",
    notOperator: "This account is not set up as a chat operator. Ask an administrator.",
    tooMany: "Too many sign-in attempts. Wait a minute and try again.",
    unreachable: "Cannot reach the chat service. Check your connection and try again.",
    serverProblem: "Sign-in failed because of a problem on the server. Try again in a moment.",
    expired: "Your session has expired. Please sign in again.",
    signedOut: "You have signed out.",
    disabled: "This account has been disabled. Ask an administrator if you need it again.",
    disabledSignedOut: "An administrator has disabled your account, so you were signed out. Ask them if you need it again.",
    // first sign-in with a temporary password (docs/desks.md POST /api/auth/password)
    newPasswordMissing: "Type the new password in both boxes.",
    newPasswordMismatch: "The two passwords are not the same. Type them again.",
    newPasswordSubmit: "Set password and sign in",
    newPasswordBusy: "Setting your password…",
    newPasswordExpired: "This step has timed out. Go back and sign in again with the temporary password.",
    newPasswordRefused: (why) => `That password was not accepted${why ? `: ${why}` : ""}. Choose another one.`,
  },

  signOut: {
    title: "Sign out with open chats?",
    body: (n) => `You still have ${count(n, "active chat")}. ${n === 1 ? "It stays" : "They stay"} assigned to you, and the patron${n === 1 ? "" : "s"} will wait until you sign in again.`,
    confirm: "Sign out",
    cancel: "Stay signed in",
  },

  header: {
    role: (role, maxChats) => `${role || "librarian"}${Number.isInteger(maxChats) ? ` · up to ${count(maxChats, "chat")}` : ""}`,
    connection: { connecting: "Connecting…", open: "Connected", reconnecting: "Reconnecting…", closed: "Offline" },
    notifyBlocked: "Notifications blocked",
    notifyBlockedTitle: "Desktop notifications are blocked in this browser's site settings.",
    notifyWide: "Enable desktop notifications",
    notifyNarrow: "Enable alerts",
    notifyBlockedNotice: "Desktop notifications are blocked for this site. Allow them in the browser's site settings, then reload.",
    sound: (muted) => (muted ? "Sound off" : "Sound on"),
  },

  badge: {
    unread: (n) => ` unread message${n === 1 ? "" : "s"}`,
    waiting: " waiting",
  },

  wait: {
    seconds: (s) => `${s} s`,
    minutes: (m) => `${m} min`,
    hours: (h, m) => `${h} h ${String(m).padStart(2, "0")} min`,
    label: "Waiting",
    since: (clock) => `Waiting since ${clock}`,
    note: (note) => `Note: ${note}`,
    claim: "Claim Chat",
    claiming: "Claiming…",
    mine: (active, max) => `${active}${Number.isInteger(max) ? ` of ${max}` : ""} active`,
  },

  claim: {
    confirmTitle: "Take another chat?",
    warning: (active) => `You already have ${active} chats. The manual advises no more than ${WARN_AT_ACTIVE} unless one is winding down.`,
    atLimit: (max) => ` Your limit is ${max}, so the service will refuse a new one until you end a chat.`,
    confirm: "Claim anyway",
    cancel: "Cancel",
    limitTitle: "You are at your chat limit",
    limitBody: (active, max) => `You have ${count(active, "active chat")} and your limit is ${max}, so the service cannot give you another. End or transfer a chat first; this one stays in the queue for a colleague.`,
    limitOk: "OK",
    capacity: (n) => `You are at ${n === null ? "your limit of chats" : `your limit of ${count(n, "chat")}`}. End one before claiming another.`,
    conflict: "Another librarian already took this chat.",
    offline: "You are offline, so the chat was not claimed. Try again when the dashboard says Connected.",
  },

  errors: {
    conflict: "Someone else changed this chat at the same time. Try again.",
    endedNotSent: "The chat has ended; this message was not sent.",
    noLongerWaiting: "This chat is no longer waiting.",
    changed: "This chat has already changed. The dashboard shows its current state.",
    tooLong: `The message is too long (more than ${MAX_TEXT} characters).`,
    notFound: "This chat no longer exists.",
    rateLimited: "Too many actions at once. Wait a moment and try again.",
    forbidden: "You are not allowed to do that for this chat.",
    generic: "Something went wrong. Try again.",
    unreachable: "The chat service cannot be reached.",
  },

  presence: {
    left: "Left the chat", ended: "Chat ended", online: "Online", away: "Away",
    reconnecting: "Reconnecting", unknown: "Checking",
    offline: (clock) => (clock ? `Patron left at ${clock}` : "Patron left"),
  },

  ended: {
    byPatron: (name) => `${name || "The patron"} ended the chat. Close it when you are done.`,
    byOperator: "You ended this chat. The patron was offered a short survey.",
    bySystem: "The service ended this chat.",
    other: "This chat has ended.",
  },

  typing: {
    lead: (who) => `${who} is typing...`,
    leadWithPreview: (who) => `${who} is typing:`,
    preview: (text) => `“${text}”`,
  },

  pane: {
    patronStatus: "Patron status: ",
    end: "End Chat",
    ending: "Ending…",
    close: "Close Chat",
    closing: "Closing…",
    transfer: "Transfer",
    waited: (wait) => `waited ${wait}`,
    claimedAt: (clock) => `claimed ${clock}`,
    conversation: (name) => `Conversation with ${name}`,
    messages: (name) => `Messages with ${name}`,
    messageTo: (name) => `Message to ${name}`,
    passedYou: (from, note) => `${from} passed you this chat${note ? `. Note: ${note}` : "."}`,
    historyFailed: "Earlier messages could not be loaded. They will appear when the connection recovers.",
    offline: "You are offline. Try again when the dashboard says Connected.",
    endTitle: (name) => `End the chat with ${name}?`,
    endBody: (name) => `${name} will see that the chat has ended and will be offered a short survey.`,
    endConfirm: "End Chat",
    endCancel: "Keep chatting",
  },

  composer: {
    placeholder: "Type your reply…",
    hint: "Enter to send · Shift+Enter for a new line",
    send: "Send Message",
    canned: "Canned Messages",
    attach: "Attach a file",
    uploading: "Uploading…",
    suggestLabel: "Canned messages by shortcut",
    suggestions: (n) => `${n} canned message${n === 1 ? "" : "s"} for this shortcut. Arrow keys choose, Enter or Tab inserts, Escape closes.`,
  },

  messages: {
    system: APP_NAME,
    sending: "Sending…",
    notSent: "Not sent",
    putBack: "Put back in the text box",
    pendingFile: (name) => `File: ${name}`,
    rejectedNotice: (reason) => `A message was not sent: ${reason}`,
  },

  files: {
    defaultName: "file",
    download: (name) => `Download ${name}`,
    size: (size) => ` (${size})`,
    cannotOpen: "The file cannot be opened now.",
    empty: "The file is empty.",
    tooLarge: (mb) => `The file is too large (the limit is ${mb} MB).`,
    type: "This kind of file cannot be sent. Send images, PDF, text or office documents.",
    tooLargeToSend: "The file is too large to send.",
    chatEnded: "The chat has ended; the file was not sent.",
    notSent: (why) => `The file was not sent: ${why || "the upload failed"}.`,
    uploadFailed: "The file could not be uploaded",
    sent: (name) => `Sent the file ${name}.`,
    upload: "Upload",
    cancel: "Cancel",
    chosenLead: "File to send: ",
    preview: (name) => `Preview of ${name}`,
    chosen: (name) => `${name} is ready. Upload sends it to the patron; Cancel keeps it here.`,
  },

  announce: {
    newChat: (who, question) => `New chat waiting from ${who}: ${question}`,
    takenBy: (name, who) => `The chat from ${name} was taken by ${who}.`,
    claimed: (name) => `You claimed the chat from ${name}.`,
    presence: (name, label) => `${name}: ${label}.`,
    leftUnanswered: (name) => `${name} left before anyone answered.`,
    abandoned: (name) => `${name} left before anyone answered: they closed the chat, so it was taken off the queue.`,
    patronEnded: (name) => `${name} ended the chat.`,
    chatEnded: (name) => `The chat with ${name} has ended.`,
    wentTo: (name, to) => `The chat with ${name} went to ${to}.`,
    requeued: (name) => `The chat with ${name} is waiting in the queue again.`,
    requeuedTo: (name, desk) => `The chat with ${name} is waiting at the ${desk} desk.`,
    passedYou: (from, name) => `${from} passed you the chat with ${name}.`,
    newMessage: (fromPatron, name) => `New message from ${fromPatron ? name : "the service"}.`,
    closed: (name) => `The chat with ${name} was closed.`,
    staffMessage: (who, text) => `Internal Staff Chat, ${who}: ${text}`,
  },

  notify: {
    newChatTitle: "New chat waiting",
    newChatBody: (who, question) => `${who}: ${question}`,
  },

  staff: {
    you: " (you)",
    ownLimit: (n) => (n === 1 ? "one chat at a time" : `up to ${n} chats today`),
    states: { available: "Available", away: "Away", offline: "Offline" },
    statusOffline: "You are offline, so your status did not change. Try again when the dashboard says Connected.",
  },

  transfer: {
    title: (name) => `Transfer the chat with ${name}`,
    away: " (away)",
    toQueue: "Back to the queue",
    offline: "You are offline, so the chat was not passed on. Try again when the dashboard says Connected.",
    capacity: "That colleague is at their chat limit, so the chat stayed with you.",
    invalidState: "The chat could not be passed on: that colleague is not signed in any more, or the chat is no longer active.",
    conflict: "This chat changed hands meanwhile. The dashboard shows where it is now.",
  },

  // the Chats tab's desks (docs/desks.md): what I watch, the waiting list per desk, rolled-over
  // chats, the home desk's local-information card in a pane, transfer to a desk
  chatDesks: {
    withLibrary: (name, library) => `${name} (${library})`,
    rolledOver: (from) => `Rolled over from ${from}`,
    reviewed: (date) => `last reviewed ${date}`,
    cardTitle: (desk) => `Local information: the patron's desk is ${desk}`,
    cardRegion: (desk) => `Local information of ${desk}`,
    groupCount: (n) => ` ${n === 1 ? "chat" : "chats"} waiting`,
    otherGroup: "Other desks",
    watchOffline: "You are offline, so the desks you watch did not change. Try again when the dashboard says Connected.",
    watchRefused: (why) => `The desks you watch did not change: ${why}`,
    watchSaved: (names) => (names ? `Watching ${names}.` : "Watching no desks."),
    notWatched: "This chat is no longer offered to a desk you watch.",
  },

  canned: {
    heading: "Canned Messages",
    manageHeading: "Manage canned messages",
    loading: "Loading canned messages…",
    loadFailed: "The canned messages could not be loaded. Try again in a moment.",
    system: "System canned messages",
    personal: "Personal Canned Messages", // the manual's name for them
    noPersonal: "None yet. Create your own with Manage canned messages.",
    noneMatch: "None match.",
    matches: (n) => (n === 1 ? "1 canned message matches." : n ? `${n} canned messages match.` : "No canned messages match."),
    noneYet: "None yet.",
    edit: "Edit",
    editLabel: (title) => `Edit ${title}`,
    delete: "Delete",
    deleteLabel: (title) => `Delete ${title}`,
    editTitle: (title) => `Edit “${title}”`,
    newTitle: "New canned message",
    notSaved: (why) => (why ? `Not saved: ${why}` : "Not saved. Try again."),
    saved: "Saved.",
    notDeleted: (why) => (why ? `Not deleted: ${why}` : "Not deleted. Try again."),
    deleted: (title) => `Deleted “${title}”.`,
    needTitle: "Give the canned message a title.",
    titleTooLong: "The title is at most 100 characters.",
    needText: "Write the message text.",
    textTooLong: `The text is at most ${MAX_TEXT} characters.`,
    badShortcut: "A shortcut is lowercase letters, digits and dashes (up to 32).",
  },

  print: {
    signIn: "Sign in to the chat dashboard in this browser tab's window, then open this page from its Canned Messages document link.",
    count: (system, personal) => `${system} system canned message${system === 1 ? "" : "s"}, ${personal} of your own.`,
    noPersonal: "None yet. Create your own in the dashboard: Canned Messages, then Manage canned messages.",
    loadFailed: "The canned messages could not be loaded. Sign in to the dashboard again and reload this page.",
  },

  team: {
    operators: "The operators",
    surveys: "The surveys",
    loadFailed: (what, why) => `${what} could not be loaded: ${why || "try again"}.`,
    maxLabel: (name) => `Max chats for ${name}`,
    save: "Save",
    saveLabel: (name) => `Save max chats for ${name}`,
    range: "1 to 10",
    saving: "Saving…",
    saved: "Saved",
    notSaved: (why) => `Not saved: ${why || "try again"}`,
    noComments: "No comments.",
    comment: (rating, answered, clock) => `${rating} of 5 · ${answered ? "answered" : "not answered"}${clock ? ` · ${clock}` : ""}`,
    noSurveys: (days) => `No surveys in the last ${days} days.`,
    summary: (n, days, avg, share) => `${count(n, "survey")} in the last ${days} days · average rating ${avg} of 5 · question answered: ${share}`,
  },

  // the Team tab's accounts and the Desks tab (docs/desks.md): strings-admin.js
  accounts: ACCOUNTS,

  desks: DESKS,

  // tickets, the close form, transcripts, the History tab and the tag lists: strings-tickets.js
  tickets: TICKETS,
  record: RECORD,
  transcript: TRANSCRIPT,
  history: HISTORY,
  tags: TAGS,

  // the Reports tab and the Chats tab's "today" line (docs/reports.md): strings-reports.js
  reports: REPORTS,
  today: TODAY,
};
