"""Plain domain records and their wire shapes (PROTOCOL.md `Chat` and `Message`).

The records carry the delivery lists (`patron_conns`, `operator_conns`) because the budgets in
DESIGN.md forbid looking recipients up on the hot path: a `send` reads the chat once and already
knows whom to push to and whether the caller belongs to the chat.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

QUEUED, ACTIVE, ENDED, CLOSED = "queued", "active", "ended", "closed"
OPEN_STATES = (QUEUED, ACTIVE)


def iso(ts: float) -> str:
    """Epoch seconds -> ISO-8601 UTC with milliseconds and a Z, the protocol's time format."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Operator:
    id: str
    name: str
    role: str = "librarian"
    max_chats: int = 3
    active_chats: int = 0
    chats: set[str] = field(default_factory=set)
    availability: str = "available"  # what the operator set: available | away
    chat_limit: int | None = None  # self-imposed for today ("one chat at a time for me")

    @property
    def effective_limit(self) -> int:
        return min(self.max_chats, self.chat_limit) if self.chat_limit else self.max_chats

    def public(self) -> dict:
        out = {"id": self.id, "name": self.name, "role": self.role, "max_chats": self.max_chats,
               "availability": self.availability}
        if self.chat_limit:
            out["chat_limit"] = self.chat_limit
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
    patron_conns: set[str] = field(default_factory=set)
    operator_conns: set[str] = field(default_factory=set)
    expires_at: int = 0
    conn_version: int = 0  # bumped whenever a delivery list changes (see DynamoStore)
    kind: str = "patron"  # "staff": the operators' Internal Staff Chat room
    staff_members: set[str] = field(default_factory=set)  # staff room: "conn\toperator\tname"

    def staff_member(self, connection_id: str) -> tuple[str, str] | None:
        """(operator id, name) behind a connection in the staff room."""
        for entry in self.staff_members:
            conn, _, rest = entry.partition("\t")
            if conn == connection_id:
                op_id, _, name = rest.partition("\t")
                return op_id, name
        return None

    def to_wire(self) -> dict:
        out = {
            "chat_id": self.chat_id,
            "status": self.status,
            "queue": self.queue,
            "question": self.question,
            "created_at": iso(self.created_at),
            "last_seq": self.last_seq,
            "patron_presence": self.patron_presence,
        }
        if self.patron_name:
            out["patron_name"] = self.patron_name
        if self.operator_id:
            out["operator"] = {"id": self.operator_id, "name": self.operator_name}
        if self.claimed_at:
            out["claimed_at"] = iso(self.claimed_at)
        if self.ended_at:
            out["ended_at"] = iso(self.ended_at)
        if self.ended_by:
            out["ended_by"] = self.ended_by
        if self.kind != "patron":
            out["kind"] = self.kind
        return out


@dataclass
class Message:
    chat_id: str
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
    """Who is behind an API Gateway connection id; written at `$connect`, gone at `$disconnect`."""
    connection_id: str
    role: str  # "patron" | "operator"
    connected_at: float
    chat_id: str | None = None
    operator_id: str | None = None
    operator_name: str | None = None
    source_ip: str | None = None
    joined: bool = False  # operators join the broadcast index at `hello`, not at `$connect`
    availability: str | None = None  # operators: copied from the operator at hello / on change
    expires_at: int = 0


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
