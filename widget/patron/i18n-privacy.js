// The words of the public privacy page (privacy.html, docs/privacy.md "The public privacy
// page"), a table of its own for i18n.js's makeT(lang, PRIVACY_STRINGS): the page is
// generated from each desk's settings, so every sentence here is one setting said plainly to a
// patron. English is the reference (a language without the page's table falls back to it);
// the view sets every result as text.

export const PRIVACY_STRINGS = {
  en: {
    "pv.brand": "Ask a Librarian",
    "pv.title": "Your privacy when you chat with a librarian",
    "pv.titleLibrary": "Your privacy when you chat with {library}",
    "pv.intro": "What is kept when you chat with a librarian, for how long, and who can read it. This page is made from the settings each desk uses right now.",
    "pv.loading": "Loading the privacy settings…",
    "pv.noDesks": "No chat desks are set up yet.",
    "pv.notFound": "There is no library called “{library}” on this chat service. Check the link you followed.",
    "pv.network": "The privacy settings could not be loaded: the chat service could not be reached. Check your connection and reload the page.",
    "pv.failed": "The privacy settings could not be loaded: {message}",
    "pv.deskLibrary": "{name} ({library})",

    "pv.kept": "Everything about your chat is deleted for good {days} after you ask your question, at the latest.",
    "pv.transcriptKept": "Until then the conversation is kept, also after the chat is closed.",
    "pv.transcriptDeletedSoon": "The conversation is deleted sooner: within about 5 minutes after the chat is closed.",
    "pv.transcriptDeleted": "The conversation is deleted sooner: {hours} after the chat is closed.",
    "pv.identityStripped": "Your name and e-mail address, if you give them, are removed from the chat when it is closed.",
    "pv.identityKept": "Your name and e-mail address, if you give them, are kept with the chat for as long as it is kept.",
    "pv.typingOn": "Librarians can see what you type before you send it. The chat window tells you this before your first message.",
    "pv.typingOff": "Librarians see your messages only when you send them, not while you type.",
    "pv.supervisorsTold": "A supervisor of the desk may read a chat while it is going on, to help or to train. If one does, the chat window tells you.",
    "pv.supervisorsSilent": "A supervisor of the desk may read a chat while it is going on, to help or to train, without the chat window telling you.",
    "pv.ipStored": "Your IP address is stored with the chat.",
    "pv.ipNotStored": "Your IP address is not stored.",
    "pv.statistics": "Anonymous statistics are kept for {days}: when chats happen, how long they take and how they end. They hold no names, no questions and no addresses.",
    "pv.whoSees": "Who can read your chat: the librarians who answer chats at “{desk}”, and the chat service's administrators.",
    "pv.deleteNow": "You can delete your chat at any time: choose “Delete this chat” in the chat window. The conversation and any files you sent are deleted at once.",
    "pv.days": "{n} days",
    "pv.day": "1 day",
    "pv.hours": "{n} hours",
    "pv.hour": "1 hour",
  },
};
