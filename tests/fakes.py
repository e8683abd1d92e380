"""In-memory fakes of the ports, with the same conditional semantics as the AWS adapters.

Domain tests run on these; `tests/test_store_contract.py` runs one suite against both this
fake and the DynamoDB adapter on moto, so the two cannot drift apart. `MemoryRepositories()`
has the seven repositories of `chalicelib.adapters.dynamo.DynamoRepositories`, all over one
`MemoryDb` (`.db`): plain dicts a test can inspect or seed, `calls` ("repo.method", one per
call, like one DynamoDB request each) and one lock that makes every call atomic, like a single
DynamoDB request or transaction. Records go in and out as copies, as through DynamoDB.
"""
from __future__ import annotations

import copy
import os
import functools
import threading
from datetime import datetime, timezone

from chalicelib.domain.limits import STAFF_ROOM_SECONDS
from chalicelib.domain.model import (ACTIVE, CLOSED, ENDED, OPEN_STATES, OPERATOR, PATRON, QUEUED, WAIT_SLOTS, Canned,
                                     Chat, Connection, Member, Message, Operator, Queue, StaffRoom,
                                     Survey, Watch)
from chalicelib.domain.ports import (AlreadyExists, AtCapacity, BelowActive, Blocked, ClaimLost, RateLimited,
                                     DuplicateMessage, NewPasswordRequired, NotFound, StaleRead)
from chalicelib.errors import ServiceError
from chalicelib.domain.stats import instant, stat_key
from tests.fakes_tickets import MemoryHistory, MemoryLists, MemoryTickets, RecordingMailer  # noqa: F401


class MemoryDb:
    def __init__(self) -> None:
        self.chats: dict[str, Chat] = {}
        self.messages: dict[tuple[str, int], Message] = {}  # (conversation id, seq)
        self.msg_ids: dict[tuple[str, str], int] = {}  # (conversation id, client_msg_id) -> seq
        self.claims: list[tuple[str, str, float]] = []  # (chat_id, operator_id, claimed_at)
        self.connections: dict[str, Connection] = {}
        self.operators: dict[str, Operator] = {}
        self.surveys: dict[str, Survey] = {}
        self.canned: dict[tuple[str, str], Canned] = {}  # (owner, canned_id)
        self.room: StaffRoom | None = None
        self.queues: dict[str, Queue] = {}
        self.waits: dict[str, dict[int, float]] = {}  # queue id -> slot -> wait (QueueModel.wait_N)
        self.watches: dict[tuple[str, str], Watch] = {}  # (queue id, connection id)
        self.reminded: set[str] = set()  # chats whose reminder went out (ChatModel.reminded_at)
        self.ticket_offered: set[str] = set()  # ChatModel.ticket_offered_at
        self.closed_at: dict[str, float] = {}  # ChatModel.closed_at
        self.tickets: dict = {}
        self.history: dict = {}  # (desk#day, sort key) -> HistoryEntry
        self.mail_refs: dict[str, str] = {}
        self.lists: tuple[list, list] = ([], [])
        self.purge_at: dict[str, float] = {}  # ChatModel.purge_at (by_purge)
        self.guards: dict[str, dict] = {}  # GuardModel items by key
        self.stats: dict = {}  # (month, sk) -> StatRecord (a stub from a form or rating: a dict)
        self.target: int | None = None
        self.calls: list[str] = []
        self.lock = threading.RLock()


def _atomic(method):
    """One call = one request: logged as "repo.method", under the database's lock."""
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        with self.db.lock:
            self.db.calls.append(f"{self.name}.{method.__name__}")
            return method(self, *args, **kwargs)
    return call


def _has_room(op: Operator | None) -> bool:
    """The capacity condition exactly as DynamoDB evaluates it (adapters/dynamo/chats.py)."""
    return op is not None and op.active_chats < op.max_chats and (
        op.chat_limit is None or op.active_chats < op.chat_limit)


class _Repo:
    name = ""

    def __init__(self, db: MemoryDb) -> None:
        self.db = db


class MemoryChats(_Repo):
    name = "chats"

    @_atomic
    def create(self, chat: Chat, first: Message, guard=None) -> None:
        if guard is not None and any(self.db.guards.get(k, {}).get("until", 0) > chat.created_at
                                     for k in guard.blocks):
            raise Blocked()
        if chat.chat_id in self.db.chats or (first.chat_id, first.seq) in self.db.messages:
            raise AlreadyExists()
        if guard is not None:
            if any(self.db.guards.get(k, {}).get("count", 0) >= limit for k, limit, _ in guard.counters):
                raise RateLimited()
            for k, _, _ in guard.counters:
                self.db.guards.setdefault(k, {"count": 0})["count"] += 1
        self.db.chats[chat.chat_id] = copy.deepcopy(chat)
        self.db.messages[(first.chat_id, first.seq)] = copy.deepcopy(first)

    @_atomic
    def get(self, chat_id: str) -> Chat | None:
        return copy.deepcopy(self.db.chats.get(chat_id))

    @_atomic
    def get_many(self, chat_ids) -> list[Chat]:
        return [copy.deepcopy(self.db.chats[i]) for i in sorted(set(chat_ids)) if i in self.db.chats]

    @_atomic
    def queued(self, limit: int) -> list[Chat]:
        queued = sorted((c for c in self.db.chats.values() if c.status == QUEUED),
                        key=lambda c: c.created_at)
        return copy.deepcopy(queued[:limit])

    @_atomic
    def claim(self, chat: Chat, operator: Operator, conn_ids: set[str], now: float, stat=None) -> None:
        stored = self.db.chats.get(chat.chat_id)
        op = self.db.operators.get(operator.id)
        if stored is None or stored.status != QUEUED or stored.conn_version != chat.conn_version:
            raise ClaimLost()
        if not _has_room(op):
            raise AtCapacity()
        stored.status, stored.claimed_at = ACTIVE, now
        stored.first_claimed_at = stored.first_claimed_at or now
        stored.operator_id, stored.operator_name = operator.id, operator.name
        stored.operator_conns = set(conn_ids)
        put_stat(self.db, stat)
        op.active_chats += 1
        op.chats.add(chat.chat_id)
        self.db.claims.append((chat.chat_id, operator.id, now))
        self.db.waits.setdefault(chat.queue, {})[int(now) % WAIT_SLOTS] = round(now - chat.created_at, 1)

    @_atomic
    def offer(self, chat: Chat, queue_id: str, now: float) -> bool:
        stored = self.db.chats.get(chat.chat_id)
        if stored is None or stored.status != QUEUED or stored.offered != chat.offered:
            return False
        stored.offered, stored.offered_at = [*stored.offered, queue_id], now
        return True

    @_atomic
    def transfer(self, chat: Chat, target: Operator, target_conns: set[str], now: float,
                 note: str | None) -> None:
        stored = self.db.chats.get(chat.chat_id)
        holder = self.db.operators.get(chat.operator_id) if chat.operator_id else None
        if stored is None or stored.status != ACTIVE or stored.operator_id != chat.operator_id:
            raise StaleRead()
        tgt = self.db.operators.get(target.id)
        if not _has_room(tgt):
            raise AtCapacity()
        if holder is None:
            raise StaleRead()
        stored.operator_id, stored.operator_name = target.id, target.name
        stored.operator_conns, stored.claimed_at = set(target_conns), now
        stored.observer_conns -= set(target_conns)
        tgt.active_chats += 1
        tgt.chats.add(chat.chat_id)
        holder.active_chats -= 1
        holder.chats.discard(chat.chat_id)
        self.db.claims.append((chat.chat_id, target.id, now))

    @_atomic
    def requeue(self, chat: Chat, now: float, offered: list[str] | None = None) -> None:
        stored = self.db.chats.get(chat.chat_id)
        holder = self.db.operators.get(chat.operator_id) if chat.operator_id else None
        if stored is None or stored.status != ACTIVE or stored.operator_id != chat.operator_id \
                or holder is None:
            raise StaleRead()
        stored.status, stored.operator_id, stored.operator_name = QUEUED, None, None
        stored.claimed_at, stored.operator_conns = None, set()
        if offered:
            stored.offered, stored.offered_at = list(offered), now
            self.db.reminded.discard(chat.chat_id)
        holder.active_chats -= 1
        holder.chats.discard(chat.chat_id)

    @_atomic
    def end(self, chat: Chat, ended_by: str, now: float, reason: str | None = None, stat=None) -> None:
        stored = self.db.chats.get(chat.chat_id)
        if stored is None or stored.status != chat.status or stored.conn_version != chat.conn_version:
            raise StaleRead()
        if chat.status == ACTIVE and chat.operator_id:
            op = self.db.operators.get(chat.operator_id)
            if op is None or op.active_chats <= 0:
                raise StaleRead()
            op.active_chats -= 1
        stored.status, stored.ended_at, stored.ended_by = ENDED, now, ended_by
        if reason:
            stored.end_reason = reason
        put_stat(self.db, stat)

    @_atomic
    def close(self, chat: Chat, now: float, history=(), *, purge_at=None, strip=False) -> None:
        stored = self.db.chats.get(chat.chat_id)
        holder = self.db.operators.get(chat.operator_id) if chat.operator_id else None
        if stored is None or stored.status != ENDED or stored.operator_id != chat.operator_id \
                or holder is None:
            raise StaleRead()
        stored.status = CLOSED
        self.db.closed_at[chat.chat_id] = now
        if purge_at is not None:
            self.db.purge_at[chat.chat_id] = purge_at
        if strip:
            stored.patron_name = stored.patron_email = None
        holder.chats.discard(chat.chat_id)
        for h in history:
            self.db.history[(f"{h.desk}#{h.day}", h.sort_key)] = copy.deepcopy(h)

    @_atomic
    def closed_at(self, chat_id: str) -> float | None:
        return self.db.closed_at.get(chat_id)

    @_atomic
    def set_record(self, chat: Chat, record: dict, history=()) -> None:
        stored = self.db.chats.get(chat.chat_id)
        if stored is None or stored.status != chat.status:
            raise StaleRead()
        stored.record = copy.deepcopy(record)
        for h in history:
            self.db.history[(f"{h.desk}#{h.day}", h.sort_key)] = copy.deepcopy(h)
        if chat.status not in (ACTIVE, QUEUED):
            update_stat(self.db, chat.created_at, chat.chat_id, tags=[str(t) for t in record.get("tags") or []],
                        question_type=record.get("question_type") or None,
                        read=int(record["read"]) if record.get("read") else None)

    @_atomic
    def mark_ticket_offered(self, chat_id: str, now: float) -> bool:
        chat = self.db.chats.get(chat_id)
        if chat is None or chat.status != QUEUED or chat_id in self.db.ticket_offered:
            return False
        self.db.ticket_offered.add(chat_id)
        chat.ticket_offered_at = now
        return True

    @_atomic
    def attach_patron(self, chat_id: str, conn_id: str) -> Chat | None:
        chat = self.db.chats.get(chat_id)
        if chat is None:
            return None
        chat.patron_conns.add(conn_id)
        chat.conn_version += 1
        chat.patron_presence, chat.patron_left_at = "online", None
        return copy.deepcopy(chat)

    @_atomic
    def attach_operator(self, chat_id: str, operator_id: str, conn_ids: set[str]) -> None:
        chat = self.db.chats.get(chat_id)
        if conn_ids and chat is not None and chat.operator_id == operator_id:
            chat.operator_conns |= set(conn_ids)
            chat.conn_version += 1

    @_atomic
    def detach(self, chat_id: str, conn_id: str) -> Chat | None:
        chat = self.db.chats.get(chat_id)
        if chat is None:
            return None
        chat.patron_conns.discard(conn_id)
        chat.operator_conns.discard(conn_id)
        chat.observer_conns.discard(conn_id)
        chat.conn_version += 1
        return copy.deepcopy(chat)

    @_atomic
    def observe(self, chat_id: str, conn_id: str, on: bool) -> Chat | None:
        chat = self.db.chats.get(chat_id)
        if chat is None or (on and chat.status not in OPEN_STATES):
            return None
        if on:
            chat.observer_conns.add(conn_id)
        else:
            chat.observer_conns.discard(conn_id)
        chat.conn_version += 1
        return copy.deepcopy(chat)

    @_atomic
    def mark_patron_offline(self, chat_id: str, now: float) -> bool:
        chat = self.db.chats.get(chat_id)
        if chat is None or chat.patron_conns or chat.status not in OPEN_STATES:
            return False
        chat.patron_presence, chat.patron_left_at = "offline", now
        return True

    @_atomic
    def set_presence(self, chat_id: str, presence: str) -> None:
        if chat_id in self.db.chats:
            self.db.chats[chat_id].patron_presence = presence

    @_atomic
    def mark_reminded(self, chat_id: str, now: float) -> bool:
        chat = self.db.chats.get(chat_id)
        if chat is None or chat.status != QUEUED or chat_id in self.db.reminded:
            return False
        self.db.reminded.add(chat_id)
        return True


class MemoryLog(_Repo):
    name = "log"

    @_atomic
    def append(self, conversation: Chat | StaffRoom, message: Message) -> None:
        cid, cmid = conversation.id, message.client_msg_id
        if cmid and (cid, cmid) in self.db.msg_ids:
            raise DuplicateMessage(self.db.msg_ids[(cid, cmid)])
        if isinstance(conversation, StaffRoom):
            stored = self.db.room
            fresh = stored is not None
        else:
            stored = self.db.chats.get(cid)
            fresh = stored is not None and stored.status == conversation.status
        if not fresh or stored.last_seq != conversation.last_seq \
                or stored.conn_version != conversation.conn_version \
                or (message.chat_id, message.seq) in self.db.messages:
            raise StaleRead()
        stored.last_seq = message.seq
        if not isinstance(conversation, StaffRoom):
            if message.sender_role == PATRON:
                stored.msgs_patron += 1
            elif message.sender_role == OPERATOR:
                stored.msgs_librarian += 1
        self.db.messages[(message.chat_id, message.seq)] = copy.deepcopy(message)
        if cmid:
            self.db.msg_ids[(cid, cmid)] = message.seq

    @_atomic
    def get(self, conversation_id: str, seq: int) -> Message | None:
        return copy.deepcopy(self.db.messages.get((conversation_id, seq)))

    @_atomic
    def after(self, conversation_id: str, after: int, limit: int) -> list[Message]:
        found = sorted((m for (cid, seq), m in self.db.messages.items()
                        if cid == conversation_id and seq > after), key=lambda m: m.seq)
        return copy.deepcopy(found[:limit])


class MemoryStaffRoom(_Repo):
    name = "staff_room"

    @_atomic
    def get(self) -> StaffRoom | None:
        return copy.deepcopy(self.db.room)

    @_atomic
    def join(self, conn_id: str, member: Member, now: float) -> StaffRoom:
        if self.db.room is None:
            self.db.room = StaffRoom(created_at=now, members={conn_id: member}, conn_version=1,
                                     expires_at=int(now) + STAFF_ROOM_SECONDS)
        else:
            self.db.room.members[conn_id] = member
            self.db.room.conn_version += 1
        return copy.deepcopy(self.db.room)

    @_atomic
    def leave(self, conn_id: str) -> None:
        room = self.db.room
        if room is not None and conn_id in room.members:
            del room.members[conn_id]
            room.conn_version += 1


class MemoryConnections(_Repo):
    name = "connections"

    @_atomic
    def put(self, conn: Connection) -> None:
        stored = copy.deepcopy(conn)
        stored.joined = conn.joined and conn.role in ("operator", "watcher")  # by_audience
        self.db.connections[conn.connection_id] = stored

    @_atomic
    def get(self, conn_id: str) -> Connection | None:
        return copy.deepcopy(self.db.connections.get(conn_id))

    @_atomic
    def delete(self, conn_id: str) -> None:
        self.db.connections.pop(conn_id, None)

    @_atomic
    def observing(self, conn_id: str, chat_id: str, on: bool) -> None:
        conn = self.db.connections.get(conn_id)
        if conn is not None:
            (conn.observing.add if on else conn.observing.discard)(chat_id)

    @_atomic
    def operators(self) -> list[Connection]:
        return [copy.deepcopy(c) for _, c in sorted(self.db.connections.items())
                if c.joined and c.role == "operator"]

    @_atomic
    def watchers(self) -> list[Connection]:
        return [copy.deepcopy(c) for _, c in sorted(self.db.connections.items())
                if c.joined and c.role == "watcher"]


class MemoryOperators(_Repo):
    name = "operators"
    UPDATABLE = ("availability", "chat_limit", "name", "role", "queues", "muted", "disabled")

    @_atomic
    def get(self, operator_id: str) -> Operator | None:
        return copy.deepcopy(self.db.operators.get(operator_id))

    @_atomic
    def get_many(self, operator_ids) -> list[Operator]:
        return [copy.deepcopy(self.db.operators[i]) for i in sorted(set(operator_ids))
                if i in self.db.operators]

    @_atomic
    def put(self, operator: Operator) -> None:
        self.db.operators[operator.id] = copy.deepcopy(operator)

    @_atomic
    def create(self, operator: Operator) -> None:
        if operator.id in self.db.operators:
            raise AlreadyExists()
        self.db.operators[operator.id] = copy.deepcopy(operator)

    @_atomic
    def list(self) -> list[Operator]:
        return [copy.deepcopy(o) for _, o in sorted(self.db.operators.items())]

    @_atomic
    def update(self, operator_id: str, **changes) -> Operator:
        unknown = set(changes) - set(self.UPDATABLE)
        if unknown:
            raise TypeError(f"not updatable here: {sorted(unknown)}")
        op = self.db.operators.get(operator_id)
        if op is None:
            raise NotFound(operator_id)
        for name, value in changes.items():
            setattr(op, name, set(value) if isinstance(value, (set, frozenset)) else value)
        return copy.deepcopy(op)

    @_atomic
    def set_max_chats(self, operator_id: str, max_chats: int) -> Operator:
        op = self.db.operators.get(operator_id)
        if op is None:
            raise NotFound(operator_id)
        if op.active_chats > max_chats:
            raise BelowActive()
        op.max_chats = max_chats
        return copy.deepcopy(op)


def _day(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d")


class MemorySurveys(_Repo):
    name = "surveys"

    @_atomic
    def put(self, survey: Survey, chat_created_at: float | None = None) -> None:
        if survey.chat_id in self.db.surveys:
            raise AlreadyExists()
        self.db.surveys[survey.chat_id] = copy.deepcopy(survey)
        if chat_created_at is not None:
            update_stat(self.db, chat_created_at, survey.chat_id, rating=survey.rating)

    @_atomic
    def of_day(self, day: str, limit: int) -> list[Survey]:
        found = [s for s in self.db.surveys.values() if _day(s.submitted_at) == day]
        return copy.deepcopy(sorted(found, key=lambda s: -s.submitted_at)[:limit])


class MemoryCanned(_Repo):
    name = "canned"

    @_atomic
    def list(self, owner: str) -> list[Canned]:
        return [copy.deepcopy(c) for (o, _), c in sorted(self.db.canned.items()) if o == owner]

    @_atomic
    def put(self, item: Canned, *, must_exist: bool) -> None:
        exists = (item.owner, item.canned_id) in self.db.canned
        if must_exist and not exists:
            raise NotFound(item.canned_id)
        if not must_exist and exists:
            raise AlreadyExists()
        self.db.canned[(item.owner, item.canned_id)] = copy.deepcopy(item)

    @_atomic
    def delete(self, owner: str, canned_id: str) -> None:
        if self.db.canned.pop((owner, canned_id), None) is None:
            raise NotFound(canned_id)


class MemoryQueues(_Repo):
    name = "queues"
    SETTINGS = ("name", "library", "timezone", "hours", "closed_dates", "rollover_to",
                "rollover_after", "card_text", "card_reviewed_on", "enabled")

    @_atomic
    def list(self) -> list[Queue]:
        out = []
        for qid, q in sorted(self.db.queues.items()):
            q = copy.deepcopy(q)
            q.waits = [w for _, w in sorted(self.db.waits.get(qid, {}).items())]
            out.append(q)
        return out

    @_atomic
    def put(self, queue: Queue, *, must_exist: bool) -> None:
        exists = queue.id in self.db.queues
        if must_exist and not exists:
            raise NotFound(queue.id)
        if not must_exist and exists:
            raise AlreadyExists()
        stored = copy.deepcopy(queue)
        stored.waits = []
        self.db.queues[queue.id] = stored


class MemoryWatches(_Repo):
    name = "watches"

    @_atomic
    def add(self, watches: list[Watch], expires_at: int) -> None:
        for w in watches:
            self.db.watches[(w.queue_id, w.connection_id)] = w

    @_atomic
    def remove(self, connection_id: str, queue_ids) -> None:
        for q in set(queue_ids):
            self.db.watches.pop((q, connection_id), None)

    @_atomic
    def of_queue(self, queue_id: str) -> list[Watch]:
        return [w for (q, _), w in sorted(self.db.watches.items()) if q == queue_id]


def put_stat(db: MemoryDb, stat) -> None:
    """The whole statistics record, as the transactions of adapters/dynamo/chats.py put it."""
    if stat is not None:
        db.stats[stat_key(stat.created_at, stat.ref)] = copy.deepcopy(stat)


def update_stat(db: MemoryDb, created_at: float, ref: str, **fields) -> None:
    """A partial update (form, rating): on the record, or a stub reports skip."""
    found = db.stats.setdefault(stat_key(created_at, ref), {})
    for name, value in fields.items():
        if isinstance(found, dict):
            found[name] = value
        else:
            setattr(found, name, value if value is not None or name != "tags" else [])


class MemoryStats(_Repo):
    name = "stats"

    @_atomic
    def between(self, start: float, end: float) -> list:
        low, high = instant(start), instant(end)
        found = [r for (month, sk), r in sorted(self.db.stats.items())
                 if not isinstance(r, dict) and low <= sk < high]
        return copy.deepcopy(found)

    @_atomic
    def target(self) -> int | None:
        return self.db.target

    @_atomic
    def set_target(self, seconds: int) -> None:
        self.db.target = seconds


class MemoryPurge(_Repo):
    """PurgeRepository: the chat and everything that holds its conversation, stats kept."""
    name = "purges"

    @_atomic
    def mark(self, chat_id: str, at: float, *, unless_sooner: bool = False) -> bool:
        if chat_id not in self.db.chats or (unless_sooner and self.db.purge_at.get(chat_id, at + 1) <= at):
            return False
        self.db.purge_at[chat_id] = at
        return True

    @_atomic
    def strip_names(self, chat_id: str) -> int:
        named = [m for (cid, _), m in self.db.messages.items() if cid == chat_id and m.sender_name
                 and m.sender_role == PATRON]
        for m in named:
            m.sender_name = None
        return len(named)

    @_atomic
    def due(self, now: float, limit: int) -> list:
        ids = sorted((at, cid) for cid, at in self.db.purge_at.items() if at <= now and cid in self.db.chats)
        return copy.deepcopy([self.db.chats[cid] for _, cid in ids[:limit]])

    @_atomic
    def purge(self, chat, history=()) -> None:
        cid = chat.chat_id
        for key in [k for k in self.db.messages if k[0] == cid]:
            del self.db.messages[key]
        for key in [k for k in self.db.msg_ids if k[0] == cid]:
            del self.db.msg_ids[key]
        self.db.claims = [c for c in self.db.claims if c[0] != cid]
        for h in history:
            self.db.history.pop((f"{h.desk}#{h.day}", h.sort_key), None)
        self.db.surveys.pop(cid, None)
        for conn_id in chat.patron_conns:
            if getattr(self.db.connections.get(conn_id), "chat_id", None) == cid:
                del self.db.connections[conn_id]
        if chat.operator_id and chat.operator_id in self.db.operators:
            self.db.operators[chat.operator_id].chats.discard(cid)
        self.db.chats.pop(cid, None)
        self.db.purge_at.pop(cid, None)
        self.db.closed_at.pop(cid, None)


class MemoryGuards(_Repo):
    name = "guards"

    @_atomic
    def epoch_key(self, epoch: int, *, create: bool, expires_at: int) -> bytes | None:
        item = self.db.guards.get(f"key#{epoch}")
        if item is None and create:
            item = self.db.guards[f"key#{epoch}"] = {"secret": os.urandom(32).hex()}
        return bytes.fromhex(item["secret"]) if item else None

    @_atomic
    def put_block(self, keys: list[str], block: dict) -> None:
        for key in keys:
            self.db.guards[key] = {"kind": "block", **block}

    @_atomic
    def blocks(self) -> list[dict]:
        out: dict = {}
        for key, item in self.db.guards.items():
            if item.get("kind") == "block":
                out.setdefault(item["block_id"], {**item, "keys": []})["keys"].append(key)
        return sorted(out.values(), key=lambda b: -b["at"])

    @_atomic
    def lift(self, block_id: str) -> bool:
        keys = [k for k, i in self.db.guards.items() if i.get("block_id") == block_id]
        for key in keys:
            del self.db.guards[key]
        return bool(keys)


class MemoryRepositories:
    """The repositories over one MemoryDb, as `dynamo.repositories()` builds them."""

    def __init__(self, db: MemoryDb | None = None) -> None:
        self.db = db or MemoryDb()
        self.chats = MemoryChats(self.db)
        self.log = MemoryLog(self.db)
        self.staff_room = MemoryStaffRoom(self.db)
        self.connections = MemoryConnections(self.db)
        self.operators = MemoryOperators(self.db)
        self.surveys = MemorySurveys(self.db)
        self.canned = MemoryCanned(self.db)
        self.queues = MemoryQueues(self.db)
        self.watches = MemoryWatches(self.db)
        self.tickets = MemoryTickets(self.db)
        self.history = MemoryHistory(self.db)
        self.lists = MemoryLists(self.db)
        self.stats = MemoryStats(self.db)
        self.purges = MemoryPurge(self.db)
        self.guards = MemoryGuards(self.db)


class RecordingSender:
    """Collects frames per connection; connections in `gone` answer like a 410."""

    def __init__(self) -> None:
        self.frames: dict[str, list[dict]] = {}
        self.gone: set[str] = set()
        self.closed: list[str] = []

    def post(self, connection_id: str, frame: dict) -> bool:
        if connection_id in self.gone:
            return False
        self.frames.setdefault(connection_id, []).append(frame)
        return True

    def close(self, connection_id: str) -> None:
        self.closed.append(connection_id)

    def of(self, connection_id: str, type_: str | None = None) -> list[dict]:
        frames = self.frames.get(connection_id, [])
        return [f for f in frames if type_ is None or f.get("type") == type_]

    def clear(self) -> None:
        self.frames.clear()


class FakeAuthenticator:
    """Tokens are `op:<username>`; `expired:<username>` is an expired one."""

    def __init__(self, passwords: dict[str, str] | None = None) -> None:
        self.passwords = passwords or {}
        self.temporary: dict[str, str] = {}  # username -> temporary password (FakeAccounts)

    def login(self, username: str, password: str) -> tuple[str, int]:
        if username in self.temporary and self.temporary[username] == password:
            raise NewPasswordRequired(f"session:{username}")
        if self.passwords.get(username) != password:
            raise ServiceError("unauthorized", "wrong username or password")
        return f"op:{username}", 2_000_000_000, f"refresh:{username}"

    def new_password(self, username: str, session: str, password: str):
        if session != f"session:{username}" or username not in self.temporary:
            raise ServiceError("unauthorized", "this sign-in step has expired; sign in again")
        del self.temporary[username]
        self.passwords[username] = password
        return f"op:{username}", 2_000_000_000, f"refresh:{username}"

    def refresh(self, refresh_token: str) -> tuple[str, int]:
        kind, _, username = refresh_token.partition(":")
        if kind != "refresh" or not username:
            raise ServiceError("unauthorized", "the session has ended; sign in again")
        return f"op:{username}", 2_000_000_000

    def verify(self, token: str, now: float) -> str:
        kind, _, username = token.partition(":")
        if kind == "op" and username:
            return username
        raise ServiceError("unauthorized", "operator token refused")


class FakeAccounts:
    """The pool's admin side over a FakeAuthenticator's passwords."""

    def __init__(self, auth: FakeAuthenticator) -> None:
        self.auth = auth
        self.users: dict[str, dict] = {}

    def create(self, username, email, name, temporary_password) -> None:
        if username in self.users or username in self.auth.passwords:
            raise AlreadyExists()
        self.users[username] = {"email": email, "name": name, "enabled": True,
                                "invited": temporary_password is None}
        if temporary_password:
            self.auth.temporary[username] = temporary_password

    def set_enabled(self, username: str, enabled: bool) -> None:
        self.users.setdefault(username, {})["enabled"] = enabled
