"""The WebSocket wire contract, client side: each frame parsed ONCE into one typed command.

`envelope` reads the JSON and the fields every frame may carry (`action`, `request_id`,
`chat_id` for the log line); `COMMANDS[action].parse` checks the action's own fields and
returns its command. Use cases receive commands, never raw dicts, so a field is validated in
exactly one place and a handler cannot read a field it did not declare. Unknown fields are
ignored (forward compatibility); unknown actions are refused.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..domain import validation as v
from ..domain.limits import MAX_ID, MAX_NOTE, MAX_TEXT, MAX_CHATS_CEILING
from ..errors import ServiceError, bad_request

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')

AVAILABILITY = ("available", "away")
PRESENCE = ("online", "away")


@dataclass(frozen=True)
class Envelope:
    action: str | None  # None: missing or not a string (logged as "invalid")
    request_id: str | None
    chat_id: str | None  # for the request's log line only; commands validate their own
    data: dict


def envelope(body: str | None) -> Envelope:
    """Refusals carry the frame's `request_id` whenever it can be found, even in a frame too
    deep to parse (then read from the text: see `_request_id_in`)."""
    try:
        data = v.parse_json_object(body)
    except ServiceError as err:
        err.request_id = _request_id_in(body)
        raise
    request_id = data.get("request_id")
    request_id = request_id[:MAX_ID] if isinstance(request_id, str) else None
    chat_id = data.get("chat_id")
    chat_id = chat_id[:64] if isinstance(chat_id, str) else None
    action = data.get("action")
    return Envelope(action[:40] if isinstance(action, str) else None, request_id, chat_id, data)


def _request_id_in(body) -> str | None:
    """The top-level `"request_id": "..."` of a frame that did not parse as a whole, found by
    a linear scan of its string and bracket tokens (no recursion, however deep the rest)."""
    if not isinstance(body, (str, bytes)) or len(body) > v.MAX_FRAME_BYTES:
        return None
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    depth, previous, key = 0, None, None
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
        elif token[0] == '"' and depth == 1:
            if key == "request_id" and previous == ":":
                try:
                    value = json.loads(token)
                except ValueError:
                    return None
                return value[:MAX_ID] if v.valid_text(value) else None
            key = token[1:-1] if previous in ("{", ",") else None
        previous = token
    return None


@dataclass(frozen=True)
class Hello:
    after: dict[str, int]

    @classmethod
    def parse(cls, d: dict) -> "Hello":
        return cls(v.after_map(d))


@dataclass(frozen=True)
class Ping:
    @classmethod
    def parse(cls, d: dict) -> "Ping":
        return cls()


class Keepalive:
    @classmethod
    def parse(cls, d: dict) -> "Keepalive":
        return cls()


@dataclass(frozen=True)
class Send:
    chat_id: str | None  # a patron may omit it (one more read to find their chat)
    text: str | None
    attachment: object | None  # checked against S3 by the files use case
    client_msg_id: str | None

    @classmethod
    def parse(cls, d: dict) -> "Send":
        text = v.string(d, "text", max_len=MAX_TEXT, too_large_over=MAX_TEXT)
        attachment = d.get("attachment")
        if text is None and attachment is None:
            raise bad_request("'text' is required")
        return cls(v.string(d, "chat_id"), text, attachment, v.string(d, "client_msg_id"))


@dataclass(frozen=True)
class Typing:
    chat_id: str | None
    typing: bool
    preview: str | None

    @classmethod
    def parse(cls, d: dict) -> "Typing":
        typing = v.boolean(d, "typing", required=True)
        preview = v.string(d, "preview", max_len=MAX_TEXT, min_len=0)
        return cls(v.string(d, "chat_id"), typing, preview)


@dataclass(frozen=True)
class Presence:
    chat_id: str | None
    state: str

    @classmethod
    def parse(cls, d: dict) -> "Presence":
        return cls(v.string(d, "chat_id"), v.choice(d, "state", PRESENCE))


@dataclass(frozen=True)
class _OneChat:
    """A command about one chat, which it must name."""
    chat_id: str

    @classmethod
    def parse(cls, d: dict):
        return cls(v.string(d, "chat_id", required=True))


class Claim(_OneChat):
    """An operator takes a queued chat."""


class Close(_OneChat):
    """An ended chat leaves the operator's dashboard."""


class Observe(_OneChat):
    """A supervisor looks into an open chat, read-only (docs/supervision.md)."""


class Unobserve(_OneChat):
    """A supervisor stops looking in."""


class TakeOver(_OneChat):
    """A supervisor becomes the chat's librarian."""


@dataclass(frozen=True)
class End:
    chat_id: str | None  # a patron may omit it

    @classmethod
    def parse(cls, d: dict) -> "End":
        return cls(v.string(d, "chat_id"))


@dataclass(frozen=True)
class Transfer:
    chat_id: str
    to: str | None  # an operator id; None: back to the queue
    note: str | None
    to_queue: str | None = None  # back to waiting, offered to this desk only

    @classmethod
    def parse(cls, d: dict) -> "Transfer":
        note = v.string(d, "note", max_len=MAX_NOTE, min_len=0)
        to, to_queue = v.string(d, "to"), v.string(d, "to_queue", max_len=32)
        if to and to_queue:
            raise bad_request("send 'to' (a librarian) or 'to_queue' (a desk), not both")
        return cls(v.string(d, "chat_id", required=True), to,
                   note.strip() if note and note.strip() else None, to_queue)


@dataclass(frozen=True)
class Watch:
    queues: tuple[str, ...]

    @classmethod
    def parse(cls, d: dict) -> "Watch":
        queues = d.get("queues")
        if (not isinstance(queues, list) or len(queues) > 100
                or not all(isinstance(q, str) and 0 < len(q) <= 32 for q in queues)):
            raise bad_request("'queues' must be a list of desk ids")
        return cls(tuple(dict.fromkeys(queues)))


_UNSET = object()


@dataclass(frozen=True)
class SetStatus:
    state: str | None
    chat_limit: object = _UNSET  # _UNSET: unchanged; None: lifted; 1..: today's own limit

    @property
    def changes_limit(self) -> bool:
        return self.chat_limit is not _UNSET

    @classmethod
    def parse(cls, d: dict) -> "SetStatus":
        state = v.choice(d, "state", AVAILABILITY, required=False)
        limit = _UNSET
        if "chat_limit" in d:
            limit = d["chat_limit"]
            if limit is not None:
                limit = v.integer(d, "chat_limit", minimum=1, maximum=MAX_CHATS_CEILING)
        if state is None and limit is _UNSET:
            raise bad_request("send 'state' and/or 'chat_limit'")
        return cls(state, limit)


COMMANDS = {
    "hello": Hello, "ping": Ping, "keepalive": Keepalive, "send": Send, "typing": Typing, "presence": Presence,
    "claim": Claim, "end": End, "close": Close, "transfer": Transfer, "status": SetStatus,
    "watch": Watch, "observe": Observe, "unobserve": Unobserve, "take_over": TakeOver,
}


def command(env: Envelope):
    """The typed command of a frame, or `bad_request` saying what is wrong with it."""
    if env.action is None:
        raise bad_request("'action' is required")
    kind = COMMANDS.get(env.action)
    if kind is None:
        raise bad_request(f"unknown action '{env.action}'")
    return kind.parse(env.data)
