"""Supervisors (docs/supervision.md): admins, and librarians with the role "supervisor" for
their desks, see every desk they supervise live (who is online, what each holds, what waits),
look into a chat in progress read-only, end it, or take it over.

Looking in puts the supervisor's connection on the chat's third delivery list,
`observer_conns`, beside the patron's and the librarian's: the chat item is read by every
send anyway, so observers cost the hot path no request (DESIGN.md budgets). The connection's
own row names the chats it observes (`observing`) so `$disconnect` leaves them, as it leaves
the chats the librarian holds. An observer is no member: it can neither write nor type
(Access.member_role refuses it), only end.

Whether the patron is told is the desk's privacy setting `observer_notice` (on unless the
library turns it off): the patron hears `chat.observed` when the first supervisor looks in
and when the last one stops. The chat's librarian is always told, with the supervisor's name.

Budgets as repository calls:
- `observe`: GetItem of the connection, of the operator, of the chat; an UpdateItem of the
  chat and one of the connection; the backlog Query.
- `live`: a Query of the operator directory, of the operator connections and of the waiting
  chats, and one BatchGetItem of the chats the team holds (no Scan).
"""
from __future__ import annotations

import dataclasses
from typing import Callable

from ..errors import ServiceError, bad_request, forbidden
from . import events as ev
from .access import Access
from .chats import live_chat
from .conversation import backlog, message_frame
from .limits import QUEUED_PAGE
from .model import ACTIVE, ENDED, OPERATOR, Chat, Connection, Operator
from .ports import AtCapacity, ChatRepository, ConnectionRepository, ConversationLog, OperatorRepository, StaleRead
from .queues import Desks

SUPERVISOR = "supervisor"


def may_supervise(operator: Operator) -> bool:
    return operator.is_admin or operator.role == SUPERVISOR


def observed(events: ev.Dispatcher, desks: Desks, chat: Chat, supervisor: dict, on: bool) -> None:
    """Announce a supervisor looking in (`on`) or no longer; the patron is told only of the
    first one in and the last one out, and only where the desk's policy says so."""
    events.emit(ev.CHAT_OBSERVED, chat=chat, supervisor=supervisor, observed=on,
                tell_patron=desks.policy(chat.queue).observer_notice
                and (not chat.observer_conns if not on else len(chat.observer_conns) == 1))


class Supervision:
    def __init__(self, chats: ChatRepository, connections: ConnectionRepository,
                 operators: OperatorRepository, log: ConversationLog, access: Access,
                 events: ev.Dispatcher, *, desks: Desks, clock: Callable[[], float]) -> None:
        self.chats = chats
        self.connections = connections
        self.operators = operators
        self.log = log
        self.access = access
        self.events = events
        self.desks = desks
        self.clock = clock

    # ------------------------------------------------------------- rules

    def _supervisor(self, connection_id: str) -> tuple[Connection, Operator]:
        conn = self.connections.get(connection_id)
        if conn is None or conn.role != OPERATOR or not conn.joined:
            raise forbidden("only a signed-in supervisor can do this; say hello first")
        operator = self.access.known_operator(conn.operator_id)
        if not may_supervise(operator):
            raise forbidden("only admins and supervisors can look into or take over chats")
        return conn, operator

    @staticmethod
    def _may(operator: Operator, chat: Chat) -> None:
        if not any(operator.supervises(q) for q in chat.offered):
            raise forbidden("you do not supervise this chat's desk")

    def supervisor_ref(self, connection_id: str, chat: Chat) -> dict:
        """Who ends a chat they observe (Chats.end asks, so the rule is checked again now)."""
        _, operator = self._supervisor(connection_id)
        self._may(operator, chat)
        return operator.ref()

    # ------------------------------------------------------------ looking in

    def observe(self, connection_id: str, cmd) -> list[dict]:
        conn, operator = self._supervisor(connection_id)
        chat = live_chat(self.chats, cmd.chat_id, self.clock())
        self._may(operator, chat)
        if not chat.is_open:
            raise ServiceError("invalid_state", f"this chat is {chat.status}; only an open chat can be looked into")
        if connection_id in chat.operator_conns:
            raise bad_request("this chat is yours")
        already = connection_id in chat.observer_conns
        now_chat = self.chats.observe(chat.chat_id, connection_id, True)
        if now_chat is None:
            raise ServiceError("invalid_state", "this chat has just ended")
        self.connections.observing(connection_id, chat.chat_id, True)
        if not already:
            observed(self.events, self.desks, now_chat, operator.ref(), True)
        replies = [{"type": "observing", "chat_id": chat.chat_id, "observing": True, "chat": now_chat.to_wire()}]
        replies.extend(message_frame(chat.chat_id, m) for m in backlog(self.log, chat.chat_id, 0))
        return replies

    def unobserve(self, connection_id: str, cmd) -> list[dict]:
        """Idempotent: a connection that was not looking in is answered the same."""
        chat = live_chat(self.chats, cmd.chat_id, self.clock())
        reply = [{"type": "observing", "chat_id": chat.chat_id, "observing": False}]
        if connection_id not in chat.observer_conns:
            return reply
        conn = self.connections.get(connection_id)
        now_chat = self.chats.observe(chat.chat_id, connection_id, False)
        self.connections.observing(connection_id, chat.chat_id, False)
        if now_chat is not None and now_chat.is_open and conn is not None:
            observed(self.events, self.desks, now_chat, {"id": conn.operator_id, "name": conn.operator_name}, False)
        return reply

    def take_over(self, connection_id: str, cmd) -> list[dict]:
        """The supervisor becomes the chat's librarian: the transfer transaction (their count
        up within their limits, the holder's down), every tab of theirs joins the chat and
        leaves its observer list; the holder's pane hears `chat.transferred` (`taken_over`),
        the patron `chat.claimed` with the supervisor's name."""
        _, operator = self._supervisor(connection_id)
        chat = live_chat(self.chats, cmd.chat_id, self.clock())
        self._may(operator, chat)
        if chat.status != ACTIVE:
            raise ServiceError("invalid_state", f"only an active chat can be taken over; this one is {chat.status}")
        if chat.operator_id == operator.id:
            raise bad_request("this chat is already yours")
        online = self.connections.operators()
        mine = {c.connection_id for c in online if c.operator_id == operator.id} | {connection_id}
        source, previous_conns, now = chat.operator(), set(chat.operator_conns), self.clock()
        try:
            self.chats.transfer(chat, operator, mine, now, None)
        except AtCapacity:
            raise ServiceError("capacity", "you already have as many chats as you can take; raise your limit first") from None
        except StaleRead:
            raise ServiceError("conflict", "this chat changed hands meanwhile; look again") from None
        looked_in = chat.observer_conns & mine
        chat = dataclasses.replace(chat, operator_id=operator.id, operator_name=operator.name, claimed_at=now,
                                   operator_conns=mine, observer_conns=chat.observer_conns - mine)
        for conn_id in looked_in:  # the transfer took them off the observer list
            self.connections.observing(conn_id, chat.chat_id, False)
        self.events.emit(ev.CHAT_TRANSFERRED, chat=chat, from_operator=source, to_operator=operator.ref(),
                         note=None, online=online, previous_conns=previous_conns, taken_over=True)
        if looked_in:
            observed(self.events, self.desks, chat, operator.ref(), False)
        return []

    # ------------------------------------------------------------- the view

    def live(self, operator: Operator) -> dict:
        """Every desk the caller supervises: its librarians (online or not, availability,
        what they hold), its open and ended-not-closed chats with their observer counts."""
        if not may_supervise(operator):
            raise forbidden("only admins and supervisors see the live view")
        desks = [d for d in self.desks.enabled() if operator.supervises(d.id)]
        ids = {d.id for d in desks}
        team = [o for o in self.operators.list() if not o.disabled and any(o.member_of(q) for q in ids)]
        online: dict[str, int] = {}
        for c in self.connections.operators():
            online[c.operator_id] = online.get(c.operator_id, 0) + 1
        held = set().union(*(o.chats for o in team)) if team else set()
        chats = [c for c in self.chats.get_many(held) if c.status in (ACTIVE, ENDED)]
        chats += self.chats.queued(QUEUED_PAGE)
        chats = [c for c in chats if ids & set(c.offered) and c.expires_at > self.clock()]
        return {
            "desks": [{"id": d.id, "name": d.name,
                       "waiting": sum(1 for c in chats if c.status == "queued" and d.id in c.offered),
                       "active": sum(1 for c in chats if c.status == ACTIVE and c.queue == d.id),
                       "online": sum(1 for o in team if online.get(o.id) and o.member_of(d.id)),
                       "observer_notice": self.desks.policy(d.id).observer_notice} for d in desks],
            "librarians": [{**o.public(), "online": bool(online.get(o.id)), "active_chats": o.active_chats,
                            "limit": o.effective_limit, "chats": sorted(o.chats)}
                           for o in sorted(team, key=lambda o: (not online.get(o.id), o.name.lower()))],
            "chats": [{**c.to_wire(), "observers": len(c.observer_conns)}
                      for c in sorted(chats, key=lambda c: c.created_at)],
        }
