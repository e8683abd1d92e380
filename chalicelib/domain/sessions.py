"""WebSocket sessions: `$connect`, `hello` (join and catch up), `$disconnect`, and what a dead
connection leaves behind.

A connection id sits in several delivery lists: its chat's (patron), the chats on the
operator's dashboard and the staff room (operators), and the operator-connection index (its
own row, once it said hello). Cleaning up never depends on one record being there:
`disconnect` reads the connection row, removes the id from every list the row names, and
deletes the row last; `gone` (a 410 during a push) first removes the id from the list whose
push failed, which works even when the row is long gone (a missed `$disconnect`, an expired
row), then runs `disconnect`. Every step is idempotent, so a retry or a race between the two
does no harm.

Cleaning up can itself push (an operator's last connection going is announced to the others),
and that push can find more dead connections. The ids being cleaned up in the current call
stack are remembered per thread, so such a cascade visits each dead connection once and never
announces to a connection it is busy forgetting.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator

from ..errors import forbidden, not_found, unauthorized
from . import events as ev
from .access import Access, Patron
from .conversation import backlog, message_frame
from .limits import CONNECTION_TTL
from .model import (CLOSED, OFFLINE, OPERATOR, PATRON, QUEUED, STAFF_ROOM_ID, WATCHER, Connection,
                    Watch)
from .operators import Operators
from .ports import (ChatRepository, ConnectionRepository, ConversationLog, OperatorRepository,
                    WatchRepository)
from .queues import DESKS_ORIGIN, Desks, line_positions
from .staff_room import StaffRoomService
from .supervision import observed
from .limits import QUEUED_PAGE


class Sessions:
    def __init__(self, connections: ConnectionRepository, chats: ChatRepository,
                 operators: OperatorRepository, log: ConversationLog, access: Access,
                 staff_room: StaffRoomService, team: Operators, events: ev.Dispatcher, *,
                 desks: Desks, watches: WatchRepository,
                 clock: Callable[[], float], store_patron_ip: bool = False,
                 typing_preview: bool = True) -> None:
        self.connections = connections
        self.chats = chats
        self.operators = operators
        self.log = log
        self.access = access
        self.staff_room = staff_room
        self.team = team
        self.events = events
        self.clock = clock
        self.desks = desks
        self.watches = watches
        self.store_patron_ip = store_patron_ip
        self.typing_preview = typing_preview  # the patron is told when librarians see drafts
        self._cleaning = threading.local()

    @contextmanager
    def _forgetting(self, connection_id: str) -> Iterator[bool]:
        """True when this connection is not already being cleaned up further up the stack."""
        busy = self._cleaning.__dict__.setdefault("ids", set())
        if connection_id in busy:
            yield False
            return
        busy.add(connection_id)
        try:
            yield True
        finally:
            busy.discard(connection_id)

    def connect(self, connection_id: str, token: str | None, source_ip: str | None = None,
                watch: str | None = None) -> None:
        """`$connect`: check the token and remember who is behind the connection. Nothing is
        attached to chats or broadcast lists yet: API Gateway refuses posts to a connection
        until `$connect` has returned, and a refused post would look like a dead connection.

        `?watch=status` without a token is a widget waiting to hear that someone can answer:
        pushing one frame to it when that changes is far cheaper than every open widget
        polling `/api/status` (a watcher costs nothing while nothing changes). It may only say
        `hello` and `ping`; every other use case finds it in no delivery list and no role."""
        now = self.clock()
        if not token and watch == "status":
            self.connections.put(Connection(connection_id=connection_id, role=WATCHER,
                                            connected_at=now, expires_at=int(now) + CONNECTION_TTL))
            return
        if not token:
            raise unauthorized("connect with ?token=<token> (or ?watch=status)")
        caller = self.access.resolve(token)
        conn = Connection(connection_id=connection_id, role=PATRON, connected_at=now,
                          expires_at=int(now) + CONNECTION_TTL)
        if isinstance(caller, Patron):
            chat = self.chats.get(caller.chat_id)
            if chat is None or chat.expires_at <= now:
                raise forbidden("this chat no longer exists")
            conn.chat_id = caller.chat_id
            if self.store_patron_ip:
                conn.source_ip = source_ip
        else:
            op = caller.operator
            conn.role, conn.operator_id, conn.operator_name = OPERATOR, op.id, op.name
        self.connections.put(conn)

    def ping(self, connection_id: str, cmd) -> list[dict]:
        return [{"type": "pong"}]

    def keepalive(self, connection_id: str, cmd) -> list[dict]:
        """Nothing to answer: the frame itself restarts API Gateway's idle clock. A `pong`
        would be a post (a message billed) that no client reads: `ping` is for barriers."""
        return []

    # --------------------------------------------------------------- hello

    def hello(self, connection_id: str, cmd) -> list[dict]:
        conn = self.connections.get(connection_id)
        if conn is None:
            raise forbidden("unknown connection; reconnect")
        if conn.role == WATCHER:
            if cmd.after:
                raise forbidden("a status watcher has no chats")
            conn.joined = True
            self.connections.put(conn)  # joins the watchers' index
            return [{"type": "welcome", "role": WATCHER, "status": self.team.status()}]
        if conn.role == PATRON:
            if set(cmd.after) - {conn.chat_id}:
                raise forbidden("a patron token opens only its own chat")
            chat = self.chats.attach_patron(conn.chat_id, connection_id)
            if chat is None:
                raise not_found("this chat no longer exists")
            if chat.is_open:
                self.events.emit(ev.PRESENCE_CHANGED, chat=chat, presence=chat.patron_presence)
            wire = chat.to_wire()
            if chat.status == QUEUED:
                wire.update(self.place_in_line(chat))
            replies = [{"type": "welcome", "role": PATRON, "chat": wire,
                        "typing_preview": self.desks.policy(chat.queue).typing_preview}]
        else:
            replies = [self._operator_welcome(conn)]
        for chat_id, seq in cmd.after.items():
            replies.extend(message_frame(chat_id, m) for m in backlog(self.log, chat_id, seq))
        return replies

    def place_in_line(self, chat) -> dict:
        """A waiting patron's place and expected wait (one Query of the waiting chats)."""
        waiting = [c for c in self.chats.queued(QUEUED_PAGE) if c.chat_id != chat.chat_id]
        position = line_positions([*waiting, chat])[chat.chat_id]
        out = {"position": position}
        wait = self.desks.expected_wait(chat, position)
        if wait is not None:
            out["expected_wait_seconds"] = wait
        return out

    def _operator_welcome(self, conn: Connection) -> dict:
        operator = self.access.known_operator(conn.operator_id)
        desks = self.desks.enabled()
        watching = operator.watching(q.id for q in desks)
        conn.joined, conn.watching, conn.member_of = True, watching, set(operator.queues)
        self.connections.put(conn)  # joins the broadcast index; names the desks it watches
        self.watches.add([Watch(q, conn.connection_id, operator.id, operator.name) for q in sorted(watching)],
                         conn.expires_at)
        mine = [c for c in self.chats.get_many(operator.chats) if c.status != CLOSED]
        for chat in mine:  # ended-not-closed chats too: they stay on the dashboard until closed
            if conn.connection_id not in chat.operator_conns:
                self.chats.attach_operator(chat.chat_id, operator.id, {conn.connection_id})
        queued = [c for c in self.chats.queued(QUEUED_PAGE) if watching & set(c.offered)]
        room = self.staff_room.join(conn.connection_id, operator)
        online = self.connections.operators()
        if conn.connection_id not in {c.connection_id for c in online}:  # index not caught up yet
            online.append(conn)
        # the others hear of it (this connection learns it from its welcome, which comes first);
        # a second tab changes nothing they know: in a co-op, every colleague would be told again
        if not any(c.operator_id == operator.id and c.connection_id != conn.connection_id for c in online):
            self.team.announce(operator, operator.availability, online, origin=conn.connection_id)
        return {"type": "welcome", "role": OPERATOR,
                "operator": {**operator.public(), "watching": sorted(watching)},
                "queued": [c.to_wire() for c in queued], "mine": [c.to_wire() for c in mine],
                "operators": self.team.roster(online, operator), "staff": room.to_wire(),
                "queues": [q.to_wire() for q in desks]}

    # ----------------------------------------------------------- goodbyes

    def disconnect(self, connection_id: str) -> None:
        """`$disconnect`: take the id out of every list its row names, then delete the row."""
        with self._forgetting(connection_id) as first:
            if first:
                self._disconnect(connection_id)

    def _disconnect(self, connection_id: str) -> None:
        conn = self.connections.get(connection_id)
        if conn is None:
            return
        if conn.role == PATRON and conn.chat_id:
            chat = self.chats.detach(conn.chat_id, connection_id)
            if chat and not chat.patron_conns and chat.is_open:
                now = self.clock()
                if self.chats.mark_patron_offline(chat.chat_id, now):
                    chat.patron_presence, chat.patron_left_at = "offline", now
                    self.events.emit(ev.PRESENCE_CHANGED, chat=chat, presence="offline")
        elif conn.role == OPERATOR and conn.operator_id:
            self.watches.remove(connection_id, conn.watching)
            operator = self.operators.get(conn.operator_id)
            held = operator.chats if operator else set()
            for chat_id in held:
                self.chats.detach(chat_id, connection_id)
            for chat_id in conn.observing - held:  # a supervisor looking in (supervision.py)
                chat = self.chats.detach(chat_id, connection_id)
                if chat is not None and chat.is_open:
                    observed(self.events, self.desks, chat, {"id": conn.operator_id, "name": conn.operator_name}, False)
            if conn.joined:
                self.staff_room.leave(connection_id)
                # Out of the index before the news: a status watcher that joins meanwhile either
                # reads the status without this connection or is listed for the announcement.
                # (Deleted last, a watcher joining between the two read "online" and heard nothing.)
                self.connections.delete(connection_id)
                busy = self._cleaning.ids
                others = [c for c in self.connections.operators() if c.connection_id not in busy]
                if operator and not any(c.operator_id == operator.id for c in others):
                    self.team.announce(operator, OFFLINE, others)
                return
        self.connections.delete(connection_id)

    def gone(self, connection_id: str, origin: str | None) -> None:
        """A push found the connection gone (410): out of the list that failed first, whether
        or not its row is still there, then everything its row names."""
        with self._forgetting(connection_id) as first:
            if not first:
                return
            if origin == STAFF_ROOM_ID:
                self.staff_room.leave(connection_id)
            elif origin and origin.startswith(DESKS_ORIGIN):
                self.watches.remove(connection_id, origin[len(DESKS_ORIGIN):].split(","))
            elif origin:
                self.chats.detach(origin, connection_id)
            self._disconnect(connection_id)

    # -------------------------------------------------------------- desks

    def watch(self, connection_id: str, cmd) -> list[dict]:
        """A librarian chooses which of their desks they watch (kept until changed): their
        operator item (one UpdateItem), then every connection of theirs moves to those
        desks' watch lists. Each connection is told; the caller also gets the waiting chats
        it can now see."""
        conn = self.connections.get(connection_id)
        if conn is None or conn.role != OPERATOR or not conn.joined:
            raise forbidden("only a signed-in librarian watches desks; say hello first")
        operator = self.access.known_operator(conn.operator_id)
        enabled = set(self.desks.enabled_ids())
        theirs = {q for q in enabled if operator.member_of(q)}
        unknown = set(cmd.queues) - theirs
        if unknown:
            raise forbidden(f"not one of your desks: {', '.join(sorted(unknown))}")
        operator = self.operators.update(operator.id, muted=theirs - set(cmd.queues))
        watching = operator.watching(enabled)
        mine = [c for c in self.connections.operators() if c.operator_id == operator.id]
        if connection_id not in {c.connection_id for c in mine}:
            mine.append(conn)
        for each in mine:
            self.watches.remove(each.connection_id, each.watching - watching)
            self.watches.add([Watch(q, each.connection_id, operator.id, operator.name)
                              for q in sorted(watching - each.watching)], each.expires_at)
            if each.watching != watching:
                each.watching = watching
                self.connections.put(each)
        self.team.announce(operator, operator.availability, origin=connection_id)
        frame = {"type": "watching", "queues": sorted(watching)}
        self.events.emit(ev.WATCHING_CHANGED, frame=frame,
                         connections=[c.connection_id for c in mine if c.connection_id != connection_id])
        queued = [c for c in self.chats.queued(QUEUED_PAGE) if watching & set(c.offered)]
        return [{**frame, "queued": [c.to_wire() for c in queued]}]
