"""The records of what happens after a chat (docs/tickets.md): tickets, the history index and
the e-mails the service sends. Plain dataclasses, like model.py; no storage concerns."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from .model import iso

OPEN, CLAIMED, CLOSED_TICKET = "open", "claimed", "closed"
TICKET_STATES = (OPEN, CLAIMED, CLOSED_TICKET)
# Entry kinds: what reaches the patron, and what only librarians see.
PATRON_KINDS = ("question", "chat", "reply", "patron")
STAFF_KINDS = ("note", "event")


@dataclass
class Ticket:
    """A question answered by e-mail. `entries` is the whole thread, in order ({"n", "kind",
    "text", "at", "sender"?, "attachment"?}); `mail` what was sent about it and what became of
    it ({"at", "to", "subject", "status", "detail"?, "message_id"?}); `version` is bumped by
    every write, which is conditional on the version read (one winner of a claim race)."""
    ticket_id: str
    queue: str
    question: str
    email: str
    created_at: float
    expires_at: int
    status: str = OPEN
    name: str | None = None
    operator_id: str | None = None
    operator_name: str | None = None
    chat_id: str | None = None
    updated_at: float = 0.0
    closed_at: float | None = None
    entries: list = field(default_factory=list)
    mail: list = field(default_factory=list)
    record: dict | None = None
    version: int = 0

    @property
    def id(self) -> str:
        return self.ticket_id

    def add(self, kind: str, text: str, at: float, sender: dict | None = None, **extra) -> dict:
        entry = {"n": len(self.entries) + 1, "kind": kind, "text": text, "at": at}
        if sender:
            entry["sender"] = sender
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.entries.append(entry)
        self.updated_at = at
        return entry

    def operator(self) -> dict | None:
        return {"id": self.operator_id, "name": self.operator_name} if self.operator_id else None

    def summary(self) -> dict:
        out = {"ticket_id": self.ticket_id, "queue": self.queue, "status": self.status,
               "question": self.question, "name": self.name, "created_at": iso(self.created_at),
               "updated_at": iso(self.updated_at or self.created_at), "operator": self.operator(),
               "chat_id": self.chat_id, "entries_count": len(self.entries)}
        if self.closed_at:
            out["closed_at"] = iso(self.closed_at)
        return out

    def staff_view(self) -> dict:
        return {**self.summary(), "email": self.email,
                "entries": [_entry(e) for e in self.entries],
                "mail": [{**m, "at": iso(m["at"])} for m in self.mail],
                "record": self.record}

    def patron_view(self) -> dict:
        """What the link's page shows: never a note, an event, the address or the record."""
        return {"ticket_id": self.ticket_id, "status": self.status, "question": self.question,
                "name": self.name, "created_at": iso(self.created_at),
                "entries": [_entry(e) for e in self.entries if e["kind"] in PATRON_KINDS]}


def _entry(e: dict) -> dict:
    return {**e, "at": iso(e["at"])}


def utc_day(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d")


@dataclass
class HistoryEntry:
    """One closed chat or ticket under one desk and UTC day: what History lists and searches.
    Filed under every desk it was offered to (`desks`), so a co-op's librarians find the chats
    their desk answered; a search returns it once, under the first of those it may read.
    `question` is cut to HISTORY_QUESTION characters; the entry expires with its chat."""
    kind: str  # "chat" | "ticket"
    ref_id: str
    desk: str
    closed_at: float
    question: str
    expires_at: int
    desks: list = field(default_factory=list)
    operator_id: str | None = None
    operator_name: str | None = None
    tags: list = field(default_factory=list)
    read: int | None = None
    question_type: str | None = None

    @property
    def day(self) -> str:
        return utc_day(self.closed_at)

    @property
    def sort_key(self) -> str:
        return f"{self.closed_at:017.3f}#{self.kind}#{self.ref_id}"

    def to_wire(self) -> dict:
        return {"kind": self.kind, "id": self.ref_id, "queue": self.desks[0] if self.desks else self.desk,
                "closed_at": iso(self.closed_at), "question": self.question,
                "operator": ({"id": self.operator_id, "name": self.operator_name}
                             if self.operator_id else None),
                "tags": list(self.tags), "read": self.read, "question_type": self.question_type}


@dataclass(frozen=True)
class Mail:
    """One e-mail: a text part and an HTML part of the same content."""
    to: str
    subject: str
    text: str
    html: str
