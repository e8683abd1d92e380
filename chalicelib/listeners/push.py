"""Domain events -> WebSocket frames (PROTOCOL.md "Events"). This listener decides who hears
what: events carry facts (the chat as it now is, who was online when the use case looked),
never recipient lists.

Every frame goes through the `Sender` port. A connection the gateway reports gone (410) is
handed to `gone` with the list it was reached through (a chat id, the staff room, or None for
the operator-connection index), so the dead id leaves that list even when its connection row
no longer exists; delivery to the others goes on.

Fan-out is sequential within the invocation for now; the co-op scale issue makes it concurrent.
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable

from ..domain import events as ev
from ..domain.model import PATRON, QUEUED, Chat, Connection, Message, StaffRoom, iso
from ..domain.ports import ConnectionRepository, Sender

log = logging.getLogger(__name__)


class Push:
    def __init__(self, sender: Sender, connections: ConnectionRepository,
                 gone: Callable[[str, str | None], None]) -> None:
        self.sender = sender
        self.connections = connections
        self.gone = gone

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

    def deliver(self, connection_ids: Iterable[str], frame: dict, origin: str | None = None) -> int:
        """Post `frame` to each connection once; returns how many took it. `origin`: the chat
        (or staff room) whose delivery list named these ids."""
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
                self.gone(conn_id, origin)
        return delivered

    def _online(self, online: list[Connection] | None) -> list[str]:
        """The operator connections, as the use case read them or (if it had no reason to)
        from the one Query of the index."""
        conns = self.connections.operators() if online is None else online
        return [c.connection_id for c in conns]

    def chat_queued(self, chat: Chat, online: list[Connection] | None = None,
                    note: str | None = None) -> None:
        frame = {"type": "chat.queued", "chat": chat.to_wire()}
        if note:
            frame["note"] = note
        self.deliver(self._online(online), frame)

    def chat_claimed(self, chat: Chat, online: list[Connection]) -> None:
        frame = {"type": "chat.claimed", "chat_id": chat.chat_id, "operator": chat.operator(),
                 "chat": chat.to_wire()}  # the claimer's pane starts with presence and all
        self.deliver([*self._online(online), *chat.operator_conns, *chat.patron_conns], frame,
                     chat.chat_id)

    def message_sent(self, conversation: Chat | StaffRoom, message: Message) -> None:
        frame = {"type": "chat.message", "chat_id": conversation.id, "message": message.to_wire()}
        if isinstance(conversation, StaffRoom):
            self.deliver(conversation.conns, frame, conversation.id)
        else:
            self.deliver([*conversation.patron_conns, *conversation.operator_conns], frame,
                         conversation.id)

    def typing(self, conversation: Chat | StaffRoom, role: str, typing: bool,
               preview: str | None, connection_id: str) -> None:
        frame = {"type": "chat.typing", "chat_id": conversation.id, "role": role, "typing": typing}
        if preview is not None:
            frame["preview"] = preview
        if isinstance(conversation, StaffRoom):  # every other operator, told who it is
            member = conversation.members.get(connection_id)
            if member:
                frame["operator"] = member.ref()
            others = conversation.conns - {connection_id}
        else:
            others = conversation.operator_conns if role == PATRON else conversation.patron_conns
        self.deliver(others, frame, conversation.id)

    def presence_changed(self, chat: Chat, presence: str) -> None:
        """To the chat's operator; while it waits, to every operator (the waiting list shows
        whether anyone is still there to be answered)."""
        frame = {"type": "chat.presence", "chat_id": chat.chat_id, "patron": presence}
        if presence == "offline" and chat.patron_left_at:
            frame["patron_left_at"] = iso(chat.patron_left_at)
        operators = self._online(None) if chat.status == QUEUED else chat.operator_conns
        self.deliver(operators, frame, chat.chat_id)

    def chat_ended(self, chat: Chat, ended_by: str, previous_status: str,
                   reason: str | None = None) -> None:
        """A chat that was still waiting leaves every operator's waiting list."""
        frame = {"type": "chat.ended", "chat_id": chat.chat_id, "ended_by": ended_by}
        if reason:
            frame["reason"] = reason
        operators = self._online(None) if previous_status == "queued" else chat.operator_conns
        self.deliver([*chat.patron_conns, *operators], frame, chat.chat_id)

    def chat_closed(self, chat: Chat) -> None:
        self.deliver(chat.operator_conns, {"type": "chat.closed", "chat_id": chat.chat_id},
                     chat.chat_id)

    def operator_status(self, operator: dict, online: list[Connection] | None = None,
                        origin: str | None = None, service: dict | None = None) -> None:
        """Every operator connection but `origin`, which learns it from its own welcome; then
        the status watchers (one Query of their index), told whether anyone can answer now.
        The same value may reach a watcher twice; it is a state, not a change."""
        frame = {"type": "operator.status", "operator": operator}
        self.deliver([c for c in self._online(online) if c != origin], frame)
        if service is not None:
            watchers = [c.connection_id for c in self.connections.watchers()]
            if watchers:
                self.deliver(watchers, {"type": "service.status", **service})

    def chat_transferred(self, chat: Chat, from_operator: dict, to_operator: dict | None,
                         note: str | None, online: list[Connection],
                         previous_conns: set[str]) -> None:
        """Operators all learn who has the chat now (the note is for them only; the old pane
        hears it too); the patron sees who is helping now (`chat.claimed`), or that it waits
        for a librarian again."""
        frame = {"type": "chat.transferred", "chat_id": chat.chat_id, "from": from_operator,
                 "to": to_operator, "chat": chat.to_wire()}
        if note:
            frame["note"] = note
        self.deliver([*self._online(online), *chat.operator_conns, *previous_conns], frame,
                     chat.chat_id)
        if to_operator:
            patron = {"type": "chat.claimed", "chat_id": chat.chat_id, "operator": to_operator}
        else:
            patron = {"type": "chat.transferred", "chat_id": chat.chat_id, "from": from_operator,
                      "to": None}
        self.deliver(chat.patron_conns, patron, chat.chat_id)
        if to_operator is None:
            self.chat_queued(chat, online, note)


class NullSender:
    """Used when no management endpoint is configured (a REST-only deployment step): pushes are
    dropped with a warning instead of failing the request that caused them."""

    def post(self, connection_id: str, frame: dict) -> bool:
        log.warning("no WS_MANAGEMENT_ENDPOINT configured; %s not pushed", frame.get("type"))
        return True
