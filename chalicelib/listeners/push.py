"""Domain events -> WebSocket frames (PROTOCOL.md "Events"). This listener decides who hears
what: events carry facts (the chat as it now is, who was online when the use case looked),
never recipient lists.

Every frame goes through the `Sender` port. A connection the gateway reports gone (410) is
handed to `gone` with the list it was reached through (a chat id, the staff room, or None for
the operator-connection index), so the dead id leaves that list even when its connection row
no longer exists; delivery to the others goes on.

Fan-out is concurrent within the invocation: a co-op has hundreds of librarians online, and at
~15 ms per management-API post a sequential broadcast to 400 connections would take 6 s. Posts
run on a bounded thread pool over the one boto3 client (clients are thread-safe; sessions are
not, and none is made here). Connections found gone are forgotten afterwards, one after the
other, on the calling thread: cleaning up can itself broadcast, and a pool thread waiting on
the pool it runs in could deadlock.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable

from ..domain import events as ev
from ..domain.model import PATRON, QUEUED, Chat, Connection, Message, StaffRoom, Watch, iso
from ..domain.ports import ConnectionRepository, Sender, WatchRepository
from ..domain.queues import audience_of, desks_origin

log = logging.getLogger(__name__)

FANOUT_THREADS = 32  # concurrent posts per invocation: 400 posts at 15 ms are 12.5 rounds of waiting
INLINE_UP_TO = 2  # a chat's own two sides: not worth a thread hop
_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    """One pool per process, made on first broadcast (nothing at import: cold start)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=FANOUT_THREADS, thread_name_prefix="fanout")
        return _pool


class Push:
    def __init__(self, sender: Sender, connections: ConnectionRepository,
                 gone: Callable[[str, str | None], None],
                 watches: WatchRepository | None = None) -> None:
        self.sender = sender
        self.connections = connections
        self.gone = gone
        self.watches = watches

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
        dispatcher.subscribe(ev.CHAT_OFFERED, self.chat_offered)
        dispatcher.subscribe(ev.WATCHING_CHANGED, self.watching_changed)
        dispatcher.subscribe(ev.TICKET_OFFERED, self.ticket_offered)
        dispatcher.subscribe(ev.CHAT_OBSERVED, self.chat_observed)

    def deliver(self, connection_ids: Iterable[str], frame: dict, origin: str | None = None) -> int:
        """Post `frame` to each connection once; returns how many took it. `origin`: the list
        (a chat, the staff room, a desk's watchers) that named these ids."""
        ids = list(dict.fromkeys(connection_ids))  # de-duplicated, order kept
        if len(ids) <= INLINE_UP_TO:
            results = [self._post(c, frame) for c in ids]
        else:
            results = list(_executor().map(lambda c: self._post(c, frame), ids))
        for conn_id, ok in zip(ids, results):
            if ok is False:
                self.gone(conn_id, origin)
        return sum(1 for ok in results if ok)

    def _post(self, conn_id: str, frame: dict) -> bool | None:
        """True: delivered; False: gone (410); None: failed otherwise (logged; one bad
        recipient must not starve the others)."""
        try:
            return bool(self.sender.post(conn_id, frame))
        except Exception:
            log.exception("push of %s to %s failed", frame.get("type"), conn_id)
            return None

    def _to_desks(self, chat: Chat, frame: dict, audience: list[Watch] | None,
                  members: Iterable[str] = (), desks=None) -> None:
        """`frame` to the librarians watching the chat's desks (as the use case read them, or
        one Query per desk) and to the chat's own connections `members`, each once. A dead id
        is forgotten from the list that named it."""
        desks = list(chat.offered if desks is None else desks)
        if audience is None:
            audience = audience_of(self.watches, desks) if self.watches is not None else []
        members = list(dict.fromkeys(members))
        mine = set(members)
        watchers = [w.connection_id for w in audience if w.connection_id not in mine]
        self.deliver(watchers, frame, desks_origin(desks))
        if members:
            self.deliver(members, frame, chat.chat_id)

    def chat_queued(self, chat: Chat, audience: list[Watch] | None = None,
                    note: str | None = None, desks=None) -> None:
        """To the librarians watching the desks it is offered to (a rollover: the new desk's
        only; the others have it listed already)."""
        frame = {"type": "chat.queued", "chat": chat.to_wire()}
        if len(chat.offered) > 1:
            frame["rolled_over"] = True
        if note:
            frame["note"] = note
        self._to_desks(chat, frame, audience, desks=desks)

    def chat_offered(self, chat: Chat, queue_id: str) -> None:
        """A rollover: the new desk's librarians see it, marked as rolled over."""
        self.chat_queued(chat, None, desks=[queue_id])

    def watching_changed(self, frame: dict, connections: list[str]) -> None:
        """A librarian's other tabs learn which desks they watch now."""
        self.deliver(connections, frame)

    def chat_claimed(self, chat: Chat, audience: list[Watch]) -> None:
        """Everyone who had it on their waiting list, the claimer's tabs and the patron."""
        frame = {"type": "chat.claimed", "chat_id": chat.chat_id, "operator": chat.operator(),
                 "chat": chat.to_wire()}  # the claimer's pane starts with presence and all
        self._to_desks(chat, frame, audience, [*chat.operator_conns, *chat.patron_conns, *chat.observer_conns])

    def message_sent(self, conversation: Chat | StaffRoom, message: Message) -> None:
        frame = {"type": "chat.message", "chat_id": conversation.id, "message": message.to_wire()}
        if isinstance(conversation, StaffRoom):
            self.deliver(conversation.conns, frame, conversation.id)
        else:  # supervisors looking in read along
            self.deliver([*conversation.patron_conns, *conversation.operator_conns,
                          *conversation.observer_conns], frame, conversation.id)

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
            others = others | conversation.observer_conns
        self.deliver(others, frame, conversation.id)

    def presence_changed(self, chat: Chat, presence: str) -> None:
        """To the chat's operator; while it waits, to the librarians watching its desks (the
        waiting list shows whether anyone is still there to be answered)."""
        frame = {"type": "chat.presence", "chat_id": chat.chat_id, "patron": presence}
        if presence == "offline" and chat.patron_left_at:
            frame["patron_left_at"] = iso(chat.patron_left_at)
        if chat.status == QUEUED:
            self._to_desks(chat, frame, None, chat.observer_conns)
        else:
            self.deliver([*chat.operator_conns, *chat.observer_conns], frame, chat.chat_id)

    def chat_ended(self, chat: Chat, ended_by: str, previous_status: str,
                   reason: str | None = None, by: dict | None = None) -> None:
        """A chat that was still waiting leaves the waiting lists it was on. `by`: the
        supervisor who ended it (else its patron, librarian or the system, as `ended_by`)."""
        frame = {"type": "chat.ended", "chat_id": chat.chat_id, "ended_by": ended_by}
        if reason:
            frame["reason"] = reason
        if by:
            frame["by"] = by
        if previous_status == QUEUED:
            self._to_desks(chat, frame, None, [*chat.patron_conns, *chat.observer_conns])
        else:
            self.deliver([*chat.patron_conns, *chat.operator_conns, *chat.observer_conns], frame, chat.chat_id)

    def chat_observed(self, chat: Chat, supervisor: dict, observed: bool, tell_patron: bool) -> None:
        """The chat's librarian learns who looks in (or stopped); the patron, where the desk's
        policy says so, only that someone does (the first in, the last out)."""
        frame = {"type": "chat.observed", "chat_id": chat.chat_id, "observed": observed}
        self.deliver(chat.operator_conns, {**frame, "supervisor": supervisor}, chat.chat_id)
        if tell_patron:
            self.deliver(chat.patron_conns, frame, chat.chat_id)

    def ticket_offered(self, chat: Chat, waited_seconds: int) -> None:
        """Only the waiting patron hears it: the widget offers to leave the question."""
        self.deliver(chat.patron_conns, {"type": "chat.ticket_offer", "chat_id": chat.chat_id,
                                         "waited_seconds": waited_seconds}, chat.chat_id)

    def chat_closed(self, chat: Chat) -> None:
        self.deliver(chat.operator_conns, {"type": "chat.closed", "chat_id": chat.chat_id},
                     chat.chat_id)

    def operator_status(self, operator: dict, online: list[Connection] | None = None,
                        origin: str | None = None, service: dict | None = None,
                        desks: set[str] | None = None) -> None:
        """The colleagues (connections of librarians sharing one of `desks`, the operator's
        desks; empty: every desk) but `origin`, which learns it from its own welcome; then the
        status watchers (one Query of their index), told whether anyone can answer now. The
        same value may reach a watcher twice; it is a state, not a change."""
        frame = {"type": "operator.status", "operator": operator}
        conns = self.connections.operators() if online is None else online
        colleagues = [c.connection_id for c in conns if c.connection_id != origin
                      and (not desks or not c.member_of or desks & c.member_of)]
        self.deliver(colleagues, frame)
        if service is not None:
            watchers = [c.connection_id for c in self.connections.watchers()]
            if watchers:
                self.deliver(watchers, {"type": "service.status", **service})

    def chat_transferred(self, chat: Chat, from_operator: dict, to_operator: dict | None,
                         note: str | None, online: list[Connection],
                         previous_conns: set[str], to_queue: str | None = None,
                         taken_over: bool = False) -> None:
        """The librarians of its desks learn who has the chat now (the note is for them only;
        the old pane hears it too); the patron sees who is helping now (`chat.claimed`), or
        that it waits for a librarian again."""
        frame = {"type": "chat.transferred", "chat_id": chat.chat_id, "from": from_operator,
                 "to": to_operator, "chat": chat.to_wire()}
        if to_queue:
            frame["to_queue"] = to_queue
        if note:
            frame["note"] = note
        if taken_over:  # a supervisor took it (supervision.py)
            frame["taken_over"] = True
        self._to_desks(chat, frame, None, [*chat.operator_conns, *previous_conns, *chat.observer_conns])
        if to_operator:
            patron = {"type": "chat.claimed", "chat_id": chat.chat_id, "operator": to_operator}
        else:
            patron = {"type": "chat.transferred", "chat_id": chat.chat_id, "from": from_operator,
                      "to": None}
        self.deliver(chat.patron_conns, patron, chat.chat_id)
        if to_operator is None:
            self.chat_queued(chat, None, note)


class NullSender:
    """Used when no management endpoint is configured (a REST-only deployment step): pushes are
    dropped with a warning instead of failing the request that caused them."""

    def post(self, connection_id: str, frame: dict) -> bool:
        log.warning("no WS_MANAGEMENT_ENDPOINT configured; %s not pushed", frame.get("type"))
        return True

    def close(self, connection_id: str) -> None:
        log.warning("no WS_MANAGEMENT_ENDPOINT configured; connection %s not closed", connection_id)
