"""Plain domain records and their wire shapes (PROTOCOL.md `Chat` and `Message`).

Two kinds of conversation share one message log (seq, client_msg_id marker, delivery lists):
a patron's `Chat` and the operators' `StaffRoom`. Each carries its own delivery lists because
the budgets in DESIGN.md forbid looking recipients up on the hot path: a `send` reads the
conversation once and already knows whom to push to and whether the caller belongs to it.
`conn_version` is bumped by every change to a delivery list; writes that push to the lists they
read are conditional on it (see adapters/dynamo/chats.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

QUEUED, ACTIVE, ENDED, CLOSED = "queued", "active", "ended", "closed"
OPEN_STATES = (QUEUED, ACTIVE)
PATRON, OPERATOR, SYSTEM = "patron", "operator", "system"
OBSERVER = "observer"  # a supervisor looking into a chat, read-only (docs/supervision.md)
WATCHER = "watcher"  # a widget waiting to hear that someone can answer (no token, no chat)
AVAILABLE, AWAY, OFFLINE = "available", "away", "offline"
STAFF_ROOM_ID = "staff"  # the staff room's id on the wire and in the message log


def iso(ts: float) -> str:
    """Epoch seconds -> ISO-8601 UTC with milliseconds and a Z, the protocol's time format."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Operator:
    """`active_chats` counts claimed, not yet ended chats: claim, transfer and end move it in the
    same transaction as the chat, so it is what `max_chats` and `chat_limit` compare against.
    `chats` lists the chats on the operator's dashboard until closed (claim/transfer add, close
    and transfer-away remove). `availability` is kept here only, never copied onto connections."""
    id: str
    name: str
    role: str = "librarian"
    max_chats: int = 3
    active_chats: int = 0
    chats: set[str] = field(default_factory=set)
    availability: str = AVAILABLE  # what the operator set: available | away
    chat_limit: int | None = None  # self-imposed for today ("one chat at a time for me")
    queues: set[str] = field(default_factory=set)  # desks they belong to; empty: every desk
    muted: set[str] = field(default_factory=set)  # their desks they chose not to watch now
    disabled: bool = False  # an admin switched the account off: no token of it works
    email: str | None = None

    def member_of(self, queue_id: str) -> bool:
        return not self.queues or queue_id in self.queues

    def watching(self, desk_ids) -> set[str]:
        """The desks this librarian hears now: theirs (every desk when none is named) that are
        enabled (`desk_ids`), less the ones they muted for today."""
        return {q for q in desk_ids if self.member_of(q)} - self.muted

    @property
    def effective_limit(self) -> int:
        return min(self.max_chats, self.chat_limit) if self.chat_limit else self.max_chats

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def supervises(self, queue_id: str) -> bool:
        """Admins supervise every desk; a supervisor the desks they belong to."""
        return self.is_admin or (self.role == "supervisor" and self.member_of(queue_id))

    def public(self) -> dict:
        out = {"id": self.id, "name": self.name, "role": self.role, "max_chats": self.max_chats,
               "availability": self.availability}
        if self.chat_limit:
            out["chat_limit"] = self.chat_limit
        out["queues"] = sorted(self.queues) if self.queues else None
        return out

    def ref(self) -> dict:
        return {"id": self.id, "name": self.name}


@dataclass
class Chat:
    chat_id: str
    queue: str
    question: str
    created_at: float
    status: str = QUEUED
    patron_name: str | None = None
    patron_email: str | None = None
    operator_id: str | None = None
    operator_name: str | None = None
    claimed_at: float | None = None
    ended_at: float | None = None
    ended_by: str | None = None
    last_seq: int = 0
    patron_presence: str = "offline"
    patron_left_at: float | None = None  # when the patron's last connection went (offline)
    end_reason: str | None = None  # why the system ended it ("abandoned")
    patron_conns: set[str] = field(default_factory=set)
    operator_conns: set[str] = field(default_factory=set)
    observer_conns: set[str] = field(default_factory=set)  # supervisors looking in, read-only
    expires_at: int = 0
    conn_version: int = 0
    offered: list[str] = field(default_factory=list)  # desks it is asked of, home first
    offered_at: float | None = None  # when the last desk of `offered` was added
    record: dict | None = None  # the close form (docs/tickets.md); its note is internal
    ticket_offered_at: float | None = None  # chat.ticket_offer sent (once; docs/tickets.md)
    # For the statistics record (docs/reports.md): the first claim (a transfer or a return to
    # the line moves claimed_at, not this) and the messages each way, counted by the writes
    # that store them (the question is the patron's first).
    first_claimed_at: float | None = None
    msgs_patron: int = 0
    msgs_librarian: int = 0
    guard: dict | None = None  # the patron's keyed hashes until close (domain/guards.py), never raw

    def __post_init__(self) -> None:
        if not self.offered:  # asked before desks rolled over (or just made): its home desk
            self.offered = [self.queue]

    @property
    def id(self) -> str:
        return self.chat_id

    @property
    def last_offered_at(self) -> float:
        return self.offered_at or self.created_at

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    def operator(self) -> dict | None:
        return {"id": self.operator_id, "name": self.operator_name} if self.operator_id else None

    def to_wire(self) -> dict:
        out = {
            "chat_id": self.chat_id,
            "status": self.status,
            "queue": self.queue,
            "question": self.question,
            "created_at": iso(self.created_at),
            "last_seq": self.last_seq,
            "patron_presence": self.patron_presence,
            "offered": list(self.offered),
        }
        if self.patron_name:
            out["patron_name"] = self.patron_name
        if self.operator_id:
            out["operator"] = self.operator()
        if self.claimed_at:
            out["claimed_at"] = iso(self.claimed_at)
        if self.ended_at:
            out["ended_at"] = iso(self.ended_at)
        if self.ended_by:
            out["ended_by"] = self.ended_by
        if self.end_reason:
            out["reason"] = self.end_reason
        if self.ticket_offered_at and self.status == QUEUED:
            out["ticket_offered"] = True  # a reloaded widget offers it again
        if self.patron_presence == "offline" and self.patron_left_at:
            out["patron_left_at"] = iso(self.patron_left_at)
        return out

    def abandoned(self, now: float, grace_seconds: int) -> bool:
        """Still waiting, and its patron gone for `grace_seconds` (or never connected since it
        was asked that long ago): nobody is left to answer."""
        if self.status != QUEUED or self.patron_conns or self.patron_presence != "offline":
            return False
        return (self.patron_left_at or self.created_at) <= now - grace_seconds


@dataclass(frozen=True)
class Member:
    """Who is behind one staff-room connection. Keyed by connection id in the room, so a
    name change or a second tab never leaves a stale entry behind."""
    operator_id: str
    name: str

    def ref(self) -> dict:
        return {"id": self.operator_id, "name": self.name}


@dataclass
class StaffRoom:
    """The Internal Staff Chat: one room every signed-in operator joins at `hello`. Its members
    (connection id -> Member) are its delivery list; it has no status, patron or claim."""
    created_at: float
    last_seq: int = 0
    members: dict[str, Member] = field(default_factory=dict)
    conn_version: int = 0
    expires_at: int = 0

    id = STAFF_ROOM_ID  # a class constant, not a field: there is one room

    @property
    def conns(self) -> set[str]:
        return set(self.members)

    def to_wire(self) -> dict:
        """The shape the operator `welcome` has always carried as `staff` (docs/protocol.md)."""
        return {"chat_id": STAFF_ROOM_ID, "status": ACTIVE, "queue": "staff",
                "question": "Internal Staff Chat", "created_at": iso(self.created_at),
                "last_seq": self.last_seq, "patron_presence": "offline", "kind": "staff"}


@dataclass
class Message:
    chat_id: str  # the conversation: a chat id, or STAFF_ROOM_ID
    seq: int
    sender_role: str
    sent_at: float
    text: str | None = None
    sender_id: str | None = None
    sender_name: str | None = None
    client_msg_id: str | None = None
    attachment: dict | None = None
    expires_at: int = 0

    def to_wire(self) -> dict:
        sender = {"role": self.sender_role}
        if self.sender_id:
            sender["id"] = self.sender_id
        if self.sender_name:
            sender["name"] = self.sender_name
        out = {"seq": self.seq, "sender": sender, "sent_at": iso(self.sent_at)}
        if self.client_msg_id:
            out["client_msg_id"] = self.client_msg_id
        if self.text is not None:
            out["text"] = self.text
        if self.attachment:
            out["attachment"] = self.attachment
        return out


@dataclass
class Connection:
    """Who is behind an API Gateway connection id; written at `$connect`, gone at `$disconnect`.
    Operators join the broadcast index (`joined`) at `hello`, not at `$connect`: API Gateway
    refuses posts to a connection until `$connect` has returned."""
    connection_id: str
    role: str  # "patron" | "operator" | "watcher"
    connected_at: float
    chat_id: str | None = None
    operator_id: str | None = None
    operator_name: str | None = None
    source_ip: str | None = None
    joined: bool = False
    expires_at: int = 0
    watching: set[str] = field(default_factory=set)  # desks whose watch list holds this id
    member_of: set[str] = field(default_factory=set)  # the operator's desks; empty: every desk
    observing: set[str] = field(default_factory=set)  # chats whose observer list holds this id


@dataclass(frozen=True)
class Watch:
    """One operator connection on one desk's watch list: whom that desk's broadcasts reach."""
    queue_id: str
    connection_id: str
    operator_id: str
    operator_name: str | None = None


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WAIT_SLOTS = 8  # recent claim waits kept on a desk's item (slot = claim second mod 8)


@dataclass
class Queue:
    """A desk: where a question is asked. `hours` maps a weekday to (open, close) "HH:MM" pairs
    in `timezone`; None means always open. `rollover_to`/`rollover_after`: still unclaimed that
    long after it reached this desk, a chat is also offered to the other desk. `waits`: the
    desk's recent claim waits in seconds (what the expected wait is estimated from)."""
    id: str
    name: str
    library: str | None = None
    timezone: str = "UTC"
    hours: dict | None = None
    closed_dates: list[str] = field(default_factory=list)
    rollover_to: str | None = None
    rollover_after: int = 0
    card_text: str | None = None
    card_reviewed_on: str | None = None
    enabled: bool = True
    waits: list[float] = field(default_factory=list)
    privacy: dict | None = None  # the admin's settings (domain/privacy.py; absent: defaults)

    def to_wire(self) -> dict:
        out = {"id": self.id, "name": self.name, "timezone": self.timezone,
               "hours": self.hours, "closed_dates": list(self.closed_dates),
               "rollover": ({"to": self.rollover_to, "after_seconds": self.rollover_after}
                            if self.rollover_to else None),
               "card": ({"text": self.card_text, "reviewed_on": self.card_reviewed_on}
                        if self.card_text else None),
               "enabled": self.enabled, "privacy": dict(self.privacy or {})}
        if self.library:
            out["library"] = self.library
        return out


@dataclass
class Survey:
    """The patron's answer to the end-of-chat survey: one per chat."""
    chat_id: str
    rating: int
    submitted_at: float
    answered: bool | None = None
    comment: str | None = None
    queue: str | None = None
    operator_id: str | None = None
    expires_at: int = 0


@dataclass
class Canned:
    """A canned message: `owner` is "system" (admins manage it) or "op#<operator id>"."""
    owner: str
    canned_id: str
    title: str
    text: str
    shortcut: str | None = None
    updated_by: str | None = None
    updated_at: float = 0.0

    def to_wire(self) -> dict:
        out = {"id": self.canned_id, "title": self.title, "text": self.text,
               "scope": "system" if self.owner == "system" else "personal"}
        if self.shortcut:
            out["shortcut"] = self.shortcut
        return out


@dataclass(frozen=True)
class StoredFile:
    """What S3 says about an object (HeadObject), not what the client claimed."""
    size: int
    content_type: str
