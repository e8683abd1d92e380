"""Listeners that turn domain events into WebSocket frames (PROTOCOL.md "Events").

Every frame goes through the `Sender` port; a connection the gateway reports gone (410) is
handed to `forget`, which removes its records, and delivery to the others goes on.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

from .domain import events as ev
from .domain.model import Chat, Message
from .domain.ports import Sender

log = logging.getLogger(__name__)


class Push:
    def __init__(self, sender: Sender, forget: Callable[[str], None]) -> None:
        self.sender = sender
        self.forget = forget

    def subscribe(self, dispatcher: ev.Dispatcher) -> None:
        dispatcher.subscribe(ev.CHAT_QUEUED, self.chat_queued)
        dispatcher.subscribe(ev.CHAT_CLAIMED, self.chat_claimed)
        dispatcher.subscribe(ev.MESSAGE_SENT, self.message_sent)
        dispatcher.subscribe(ev.TYPING, self.typing)
        dispatcher.subscribe(ev.PRESENCE_CHANGED, self.presence_changed)
        dispatcher.subscribe(ev.CHAT_ENDED, self.chat_ended)
        dispatcher.subscribe(ev.CHAT_CLOSED, self.chat_closed)
        dispatcher.subscribe(ev.OPERATOR_STATUS, self.operator_status)
        dispatcher.subscribe(ev.CHAT_TRANSFERRED, self.chat_transferred)

    def deliver(self, connection_ids: Iterable[str], frame: dict) -> int:
        """Post `frame` to each connection once; returns how many took it."""
        delivered = 0
        for conn_id in dict.fromkeys(connection_ids):  # de-duplicated, order kept
            try:
                ok = self.sender.post(conn_id, frame)
            except Exception:  # one bad recipient must not starve the others
                log.exception("push of %s to %s failed", frame.get("type"), conn_id)
                continue
            if ok:
                delivered += 1
            else:
                self.forget(conn_id)
        return delivered

    def chat_queued(self, chat: Chat, operator_conns: list[str], note: str | None = None) -> None:
        frame = {"type": "chat.queued", "chat": chat.to_wire()}
        if note:
            frame["note"] = note
        self.deliver(operator_conns, frame)

    def chat_claimed(self, chat: Chat, operator_conns: list[str]) -> None:
        frame = {"type": "chat.claimed", "chat_id": chat.chat_id,
                 "operator": {"id": chat.operator_id, "name": chat.operator_name},
                 "chat": chat.to_wire()}  # the claimer's pane starts with presence and all
        self.deliver([*operator_conns, *chat.operator_conns, *chat.patron_conns], frame)

    def message_sent(self, chat: Chat, message: Message) -> None:
        frame = {"type": "chat.message", "chat_id": chat.chat_id, "message": message.to_wire()}
        self.deliver([*chat.patron_conns, *chat.operator_conns], frame)

    def typing(self, chat: Chat, role: str, typing: bool, preview: str | None,
               connection_id: str | None = None) -> None:
        frame = {"type": "chat.typing", "chat_id": chat.chat_id, "role": role, "typing": typing}
        if preview is not None:
            frame["preview"] = preview
        if chat.kind == "staff":  # the staff room: every other operator, told who it is
            member = chat.staff_member(connection_id) if connection_id else None
            if member:
                frame["operator"] = {"id": member[0], "name": member[1]}
            others = chat.operator_conns - {connection_id}
        else:
            others = chat.operator_conns if role == "patron" else chat.patron_conns
        self.deliver(others, frame)

    def presence_changed(self, chat: Chat, presence: str) -> None:
        frame = {"type": "chat.presence", "chat_id": chat.chat_id, "patron": presence}
        self.deliver(chat.operator_conns, frame)

    def chat_ended(self, chat: Chat, ended_by: str, operator_conns: list[str] | None) -> None:
        frame = {"type": "chat.ended", "chat_id": chat.chat_id, "ended_by": ended_by}
        operators = chat.operator_conns if operator_conns is None else operator_conns
        self.deliver([*chat.patron_conns, *operators], frame)

    def chat_closed(self, chat: Chat) -> None:
        self.deliver(chat.operator_conns, {"type": "chat.closed", "chat_id": chat.chat_id})

    def operator_status(self, operator: dict, operator_conns: list[str]) -> None:
        self.deliver(operator_conns, {"type": "operator.status", "operator": operator})

    def chat_transferred(self, chat: Chat, from_operator: dict, to_operator: dict | None,
                         note: str | None, operator_conns: list[str]) -> None:
        """Operators all learn who has the chat now (the note is for them only); the patron sees
        who is helping now (`chat.claimed`), or that it waits for a librarian again."""
        frame = {"type": "chat.transferred", "chat_id": chat.chat_id, "from": from_operator,
                 "to": to_operator, "chat": chat.to_wire()}
        if note:
            frame["note"] = note
        self.deliver([*operator_conns, *chat.operator_conns], frame)
        if to_operator:
            patron = {"type": "chat.claimed", "chat_id": chat.chat_id, "operator": to_operator}
        else:
            patron = {"type": "chat.transferred", "chat_id": chat.chat_id, "from": from_operator, "to": None}
        self.deliver(chat.patron_conns, patron)
        if to_operator is None:
            self.chat_queued(chat, operator_conns, note)


class NullSender:
    """Used when no management endpoint is configured (a REST-only deployment step): pushes are
    dropped with a warning instead of failing the request that caused them."""

    def post(self, connection_id: str, frame: dict) -> bool:
        log.warning("no WS_MANAGEMENT_ENDPOINT configured; %s not pushed", frame.get("type"))
        return True

