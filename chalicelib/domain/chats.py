"""A patron chat's lifecycle: asked, claimed, transferred, ended, closed, reminded about.

Budgets (DESIGN.md) are visible as repository calls:
- `claim`: the operator-connection Query (it tells who the caller is and which of their tabs
  join the chat; the `chat.claimed` broadcast reuses it), one GetItem of the chat and one
  claim transaction.
- a new chat: one transaction; its broadcast is one Query, made by the push listener.
Races are settled in storage: every write here is one conditional request or transaction, and
a lost condition either retries from a fresh read (the chat's delivery lists moved) or answers
`conflict`.
"""
from __future__ import annotations

import dataclasses
import secrets
from typing import Callable

from ..errors import ServiceError, bad_request, not_found
from . import events as ev
from . import validation as v
from .access import Access
from .limits import MAX_NAME, MAX_TEXT, QUEUED_PAGE, WRITE_ATTEMPTS
from .model import (ACTIVE, ENDED, OBSERVER, OPERATOR, PATRON, QUEUED, STAFF_ROOM_ID, SYSTEM, Chat,
                    Message, Operator)

ABANDONED = "abandoned"  # Chat.end_reason: the patron left while the chat waited
from .ports import (AtCapacity, Blocked, ChatRepository, ClaimLost, ConnectionRepository, RateLimited, StaleRead,
                    WatchRepository)
from .queues import Desks, audience_of


def new_id() -> str:
    return secrets.token_hex(12)


def live_chat(chats: ChatRepository, chat_id: str, now: float) -> Chat:
    """Reads filter expired chats: DynamoDB's TTL deletes lazily (up to days later). The staff
    room is not a patron chat: it is never claimed, ended, closed or transferred."""
    if chat_id == STAFF_ROOM_ID:
        raise ServiceError("invalid_state", "the staff room cannot be claimed, ended, closed or transferred")
    chat = chats.get(chat_id)
    if chat is None or chat.expires_at <= now:
        raise not_found("no such chat")
    return chat


def chat_id_of(connections: ConnectionRepository, connection_id: str, chat_id: str | None) -> str:
    """The chat a frame is about. Patrons may omit `chat_id`; it then costs one GetItem of the
    connection to learn it (our clients always send it)."""
    if chat_id is not None:
        return chat_id
    conn = connections.get(connection_id)
    if conn is None:
        raise ServiceError("forbidden", "unknown connection; reconnect")
    if conn.role != PATRON:
        raise bad_request("'chat_id' is required")
    return conn.chat_id


class Chats:
    def __init__(self, chats: ChatRepository, connections: ConnectionRepository, access: Access,
                 events: ev.Dispatcher, *, desks: Desks, watches: WatchRepository, ws_url: str,
                 retention_seconds: int, clock: Callable[[], float],
                 ids: Callable[[], str] = new_id, history_of: Callable | None = None,
                 ticket_offer_seconds: int = 0, stat_of: Callable | None = None,
                 strip_names: Callable | None = None, guard_of: Callable | None = None,
                 supervisor_of: Callable | None = None) -> None:
        self.chats = chats
        self.connections = connections
        self.access = access
        self.events = events
        self.desks = desks
        self.watches = watches
        self.ws_url = ws_url
        self.retention_seconds = retention_seconds
        self.clock = clock
        self.ids = ids
        self.history_of = history_of or (lambda chat, closed_at: [])
        self.ticket_offer_seconds = ticket_offer_seconds
        self.stat_of = stat_of or (lambda chat: None)  # the statistics record of a chat as it is
        self.strip_names = strip_names or (lambda chat_id: 0)  # the patron's name off its messages
        self.guard_of = guard_of or (lambda identity: None)  # blocks and rate limits (domain/guards.py)
        self.supervisor_of = supervisor_of  # (connection id, chat) -> who ends it, checked (supervision.py)

    def live(self, chat_id: str) -> Chat:
        return live_chat(self.chats, chat_id, self.clock())

    # ---------------------------------------------------------------- REST

    def create(self, body: dict, identity: dict | None = None) -> dict:
        question = v.string(body, "question", required=True, max_len=MAX_TEXT,
                            too_large_over=MAX_TEXT)
        name = v.string(body, "name", max_len=MAX_NAME)
        email = v.email(body)
        queue = v.string(body, "queue", max_len=32) or self.desks.default_id()
        self.desks.require_open(queue)
        now = self.clock()
        expires = int(now) + self.desks.policy(queue).retention_seconds  # the desk's, else RETENTION_DAYS
        chat = Chat(chat_id=self.ids(), queue=queue, question=question.strip(), created_at=now,
                    patron_name=name.strip() if name else None, patron_email=email,
                    last_seq=1, expires_at=expires, offered=[queue], offered_at=now, msgs_patron=1)
        first = Message(chat_id=chat.chat_id, seq=1, sender_role=PATRON, sent_at=now,
                        text=chat.question, sender_name=chat.patron_name, expires_at=expires)
        guard = self.guard_of(identity or {})
        if guard is not None and guard.fingerprint is not None:
            chat.guard = guard.fingerprint.to_item()
        try:
            self.chats.create(chat, first, guard)
        except Blocked:
            raise ServiceError("unavailable", "chat is not available right now") from None
        except RateLimited:
            raise ServiceError("rate_limited", "too many new chats from here; try again in a few minutes") from None
        self.events.emit(ev.CHAT_QUEUED, chat=chat)
        return {"chat_id": chat.chat_id, "token": self.access.patron_token(chat.chat_id, now),
                "ws_url": self.ws_url}

    # ----------------------------------------------------------- WebSocket

    def claim(self, connection_id: str, cmd) -> list[dict]:
        """Only a librarian watching a desk the chat is offered to may claim it: the watch
        lists of those desks (one Query each; the `chat.claimed` broadcast reuses them) name
        the caller and their other tabs, which join the chat too."""
        for _ in range(WRITE_ATTEMPTS):
            chat = self.live(cmd.chat_id)
            if connection_id in chat.patron_conns:
                raise ServiceError("forbidden", "only operators can claim chats")
            if chat.status != QUEUED:
                raise ServiceError("conflict", "this chat is no longer waiting; someone else took it")
            audience = audience_of(self.watches, chat.offered)
            me = next((w for w in audience if w.connection_id == connection_id), None)
            if me is None:
                raise ServiceError("forbidden", "only a librarian watching this chat's desk can claim it")
            operator = Operator(id=me.operator_id, name=me.operator_name or me.operator_id)
            my_conns = {w.connection_id for w in audience if w.operator_id == operator.id}
            now = self.clock()
            claimed = dataclasses.replace(chat, status=ACTIVE, claimed_at=now, operator_id=operator.id,
                                          operator_name=operator.name,
                                          first_claimed_at=chat.first_claimed_at or now)
            try:
                self.chats.claim(chat, operator, my_conns, now, stat=self.stat_of(claimed))
            except ClaimLost:
                continue  # taken, or a patron connection came or went: read again to know which
            except AtCapacity:
                raise ServiceError("capacity", "you already have as many chats as you can take") from None
            chat = dataclasses.replace(claimed, operator_conns=my_conns)
            self.events.emit(ev.CHAT_CLAIMED, chat=chat, audience=audience)
            return []
        raise ServiceError("conflict", "the chat is busy; try again")

    def end(self, connection_id: str, cmd) -> list[dict]:
        """The patron, the chat's librarian, or a supervisor looking in (`by` names them; it
        ends as the librarian's side, ended_by "operator") ends an open chat."""
        chat_id = chat_id_of(self.connections, connection_id, cmd.chat_id)
        by = None
        for _ in range(WRITE_ATTEMPTS):
            chat = self.live(chat_id)
            role = self.access.member_role(chat, connection_id, observers=self.supervisor_of is not None)
            if not chat.is_open:
                raise ServiceError("invalid_state", f"this chat is already {chat.status}")
            if role == OBSERVER:
                by, role = by or self.supervisor_of(connection_id, chat), OPERATOR
            previous = chat.status
            now = self.clock()
            try:
                chat = self._end(chat, role, now)
            except StaleRead:
                continue  # claimed, or a connection came or went meanwhile: read again
            self.events.emit(ev.CHAT_ENDED, chat=chat, ended_by=role, previous_status=previous, by=by)
            return []
        raise ServiceError("conflict", "the chat is busy; try again")

    def end_for(self, chat: Chat, role: str, reason: str) -> None:
        """End an open chat outside a frame, for its patron or librarian (a ticket was made of
        it): the same conditional transaction as `end`, and the same `chat.ended` pushes."""
        for _ in range(WRITE_ATTEMPTS):
            if not chat.is_open:
                return
            previous, now = chat.status, self.clock()
            try:
                chat = self._end(chat, role, now, reason)
            except StaleRead:
                chat = self.live(chat.chat_id)
                continue
            self.events.emit(ev.CHAT_ENDED, chat=chat, ended_by=role, previous_status=previous, reason=reason)
            return
        raise ServiceError("conflict", "the chat is busy; try again")

    def close(self, connection_id: str, cmd) -> list[dict]:
        chat = self.live(cmd.chat_id)
        self.access.require_chat_operator(chat, connection_id, "close")
        if chat.status != ENDED:
            raise ServiceError("invalid_state", "end the chat before closing it")
        now = self.clock()
        policy = self.desks.policy(chat.queue)
        if policy.strip_identity:
            self.strip_names(chat.chat_id)  # first: a close that loses its race has stripped no more than policy says
        try:
            self.chats.close(chat, now, self.history_of(chat, now), purge_at=policy.purge_at(now),
                             strip=policy.strip_identity)
        except StaleRead:
            raise ServiceError("invalid_state", "this chat changed while closing it") from None
        chat.status = "closed"
        self.events.emit(ev.CHAT_CLOSED, chat=chat)
        return []

    def transfer(self, connection_id: str, cmd) -> list[dict]:
        """Hand an active chat to another signed-in operator (within their limits) or back to
        the queue, with an optional note for the librarians. The patron keeps talking
        throughout: only the delivery list and the operator on the chat change."""
        chat = self.live(cmd.chat_id)
        self.access.require_chat_operator(chat, connection_id, "transfer")
        if chat.status != ACTIVE:
            raise ServiceError("invalid_state", f"only an active chat can be transferred; this one is {chat.status}")
        source = chat.operator()
        previous_conns = set(chat.operator_conns)
        now = self.clock()
        to_queue = getattr(cmd, "to_queue", None)
        if to_queue is not None:
            desk = self.desks.get(to_queue)
            if desk is None or not desk.enabled:
                raise bad_request(f"'to_queue' must be one of: {', '.join(self.desks.enabled_ids())}")
        if cmd.to is None:
            offered = [to_queue] if to_queue else None
            try:
                self.chats.requeue(chat, now, offered)
            except StaleRead:
                raise ServiceError("conflict", "this chat changed hands meanwhile; reload it") from None
            chat.status, chat.operator_id, chat.operator_name = QUEUED, None, None
            chat.claimed_at, chat.operator_conns = None, set()
            if offered:
                chat.offered, chat.offered_at = offered, now
            self.events.emit(ev.CHAT_TRANSFERRED, chat=chat, from_operator=source, to_operator=None,
                             note=cmd.note, online=None, previous_conns=previous_conns,
                             to_queue=to_queue)
            return []
        online = self.connections.operators()
        if cmd.to == chat.operator_id:
            raise bad_request("this chat is already yours")
        target_conns = {c.connection_id for c in online if c.operator_id == cmd.to}
        if not target_conns:
            raise ServiceError("invalid_state", "that librarian is not signed in")
        name = next(c.operator_name for c in online if c.operator_id == cmd.to) or cmd.to
        target = Operator(id=cmd.to, name=name)
        try:
            self.chats.transfer(chat, target, target_conns, now, cmd.note)
        except AtCapacity:
            raise ServiceError("capacity", f"{name} already has as many chats as they can take") from None
        except StaleRead:
            raise ServiceError("conflict", "this chat changed hands meanwhile; reload it") from None
        chat.operator_id, chat.operator_name, chat.claimed_at = target.id, target.name, now
        chat.operator_conns = target_conns
        self.events.emit(ev.CHAT_TRANSFERRED, chat=chat, from_operator=source,
                         to_operator=target.ref(), note=cmd.note, online=online,
                         previous_conns=previous_conns)
        return []

    # ----------------------------------------------------------- scheduled

    def remind_unclaimed(self, wait_seconds: int) -> int:
        return self.tend_queue(wait_seconds)["reminders"]

    def tend_queue(self, wait_seconds: int, abandon_after: int = 0) -> dict:
        """Every minute on AWS, over one Query of the waiting chats: a chat whose patron has
        been gone `abandon_after` seconds (0: never) is ended by the system with the reason
        "abandoned", so no librarian claims a chat nobody will read; a chat that waited its
        desk's rollover time is also offered to the next desk (one conditional update, so of
        two overlapping jobs exactly one offers it); every other chat still waiting after
        `wait_seconds` is announced once (one conditional update each), and its patron, once
        it has waited `ticket_offer_seconds`, is offered to leave the question as a ticket
        (one conditional update, so once).

        Ending is the ordinary conditional transaction: a patron who reconnected after the
        Query changed the delivery lists, so their chat stays."""
        now = self.clock()
        reminders = abandoned = rolled = offers = 0
        for chat in self.chats.queued(QUEUED_PAGE):  # oldest first
            if chat.expires_at <= now:
                continue
            if abandon_after and chat.abandoned(now, abandon_after):
                abandoned += self._end_abandoned(chat, now)
                continue
            target = self.desks.rollover_of(chat)
            if target is not None and self.chats.offer(chat, target.id, now):
                chat.offered, chat.offered_at = [*chat.offered, target.id], now
                self.events.emit(ev.CHAT_OFFERED, chat=chat, queue_id=target.id)
                rolled += 1
            if chat.created_at <= now - wait_seconds and self.chats.mark_reminded(chat.chat_id, now):
                self.events.emit(ev.CHAT_WAITING, chat=chat, waited_seconds=int(now - chat.created_at))
                reminders += 1
            if self.ticket_offer_seconds and chat.patron_conns and \
                    chat.created_at <= now - self.ticket_offer_seconds and \
                    self.chats.mark_ticket_offered(chat.chat_id, now):
                self.events.emit(ev.TICKET_OFFERED, chat=chat, waited_seconds=int(now - chat.created_at))
                offers += 1
        return {"reminders": reminders, "abandoned": abandoned, "rolled_over": rolled,
                "ticket_offers": offers}

    def requeue_all(self, operator: Operator) -> int:
        """A disabled librarian's active chats go back to the waiting list, offered to the
        desks they were offered to."""
        moved = 0
        for chat in self.chats.get_many(operator.chats):
            if chat.status != ACTIVE or chat.operator_id != operator.id:
                continue
            previous_conns = set(chat.operator_conns)
            try:
                self.chats.requeue(chat, self.clock())
            except StaleRead:
                continue
            source = chat.operator()
            chat.status, chat.operator_id, chat.operator_name = QUEUED, None, None
            chat.claimed_at, chat.operator_conns = None, set()
            self.events.emit(ev.CHAT_TRANSFERRED, chat=chat, from_operator=source, to_operator=None,
                             note="Their librarian's account was disabled.", online=None,
                             previous_conns=previous_conns)
            moved += 1
        return moved

    def _end(self, chat: Chat, role: str, now: float, reason: str | None = None) -> Chat:
        """The end transaction, its statistics record included; the chat as it now is."""
        ended = dataclasses.replace(chat, status=ENDED, ended_at=now, ended_by=role,
                                    end_reason=reason or chat.end_reason)
        self.chats.end(chat, role, now, reason=reason, stat=self.stat_of(ended))
        return ended

    def _end_abandoned(self, chat: Chat, now: float) -> int:
        try:
            chat = self._end(chat, SYSTEM, now, ABANDONED)
        except StaleRead:
            return 0  # claimed, or the patron came back, since the Query
        self.events.emit(ev.CHAT_ENDED, chat=chat, ended_by=SYSTEM, previous_status=QUEUED,
                         reason=ABANDONED)
        return 1
