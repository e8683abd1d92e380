"""In-memory fakes of the ports, with the same conditional semantics as the AWS adapters.

Domain tests run on these; `tests/test_store_contract.py` runs one suite against both this
fake and the DynamoDB adapter on moto, so the two cannot drift apart. A lock makes each method
atomic, like a single DynamoDB request or transaction.
"""
from __future__ import annotations

import copy
import threading
from dataclasses import replace

from chalicelib.domain.model import ACTIVE, ENDED, OPEN_STATES, QUEUED, Chat, Connection, Message, Operator, Survey
from chalicelib.domain.ports import AlreadyExists, AtCapacity, ClaimLost, DuplicateMessage, SeqConflict
from chalicelib.errors import ServiceError


class MemoryStore:
    def __init__(self) -> None:
        self.chats: dict[str, Chat] = {}
        self.messages: dict[tuple[str, int], Message] = {}
        self.msg_ids: dict[tuple[str, str], int] = {}
        self.claims: list[tuple[str, str, float]] = []
        self.connections: dict[str, Connection] = {}
        self.operators: dict[str, Operator] = {}
        self.surveys: dict[str, Survey] = {}
        self.canned: dict[tuple[str, str], object] = {}
        self.reminded: set[str] = set()
        self.calls: list[str] = []
        self._lock = threading.RLock()

    def _log(self, name: str) -> None:
        self.calls.append(name)

    # chats
    def create_chat(self, chat: Chat, first: Message) -> None:
        with self._lock:
            self._log("create_chat")
            assert chat.chat_id not in self.chats
            self.chats[chat.chat_id] = copy.deepcopy(chat)
            self.messages[(first.chat_id, first.seq)] = copy.deepcopy(first)

    def get_chat(self, chat_id: str) -> Chat | None:
        with self._lock:
            self._log("get_chat")
            chat = self.chats.get(chat_id)
            return copy.deepcopy(chat) if chat else None

    def get_chats(self, chat_ids) -> list[Chat]:
        with self._lock:
            self._log("get_chats")
            return [copy.deepcopy(self.chats[i]) for i in sorted(set(chat_ids)) if i in self.chats]

    def queued_chats(self, limit: int) -> list[Chat]:
        with self._lock:
            self._log("queued_chats")
            queued = sorted((c for c in self.chats.values() if c.status == QUEUED),
                            key=lambda c: c.created_at)
            return copy.deepcopy(queued[:limit])

    def append_message(self, chat: Chat, message: Message) -> None:
        with self._lock:
            self._log("append_message")
            if message.client_msg_id and (chat.chat_id, message.client_msg_id) in self.msg_ids:
                raise DuplicateMessage(self.msg_ids[(chat.chat_id, message.client_msg_id)])
            stored = self.chats.get(chat.chat_id)
            if stored is None or stored.last_seq != chat.last_seq or stored.status != chat.status \
                    or stored.conn_version != chat.conn_version:
                raise SeqConflict()
            stored.last_seq = message.seq
            self.messages[(chat.chat_id, message.seq)] = copy.deepcopy(message)
            if message.client_msg_id:
                self.msg_ids[(chat.chat_id, message.client_msg_id)] = message.seq

    def get_message(self, chat_id: str, seq: int) -> Message | None:
        with self._lock:
            self._log("get_message")
            return copy.deepcopy(self.messages.get((chat_id, seq)))

    def messages_after(self, chat_id: str, after: int, limit: int) -> list[Message]:
        with self._lock:
            self._log("messages_after")
            found = sorted((m for (cid, seq), m in self.messages.items() if cid == chat_id and seq > after),
                           key=lambda m: m.seq)
            return copy.deepcopy(found[:limit])

    def claim(self, chat: Chat, operator: Operator, conn_ids: set[str], now: float) -> None:
        with self._lock:
            self._log("claim")
            stored = self.chats.get(chat.chat_id)
            op = self.operators.get(operator.id)
            if stored is None or stored.status != QUEUED or stored.conn_version != chat.conn_version:
                raise ClaimLost()
            if op is None or op.active_chats >= op.effective_limit:
                raise AtCapacity()
            stored.status, stored.claimed_at = ACTIVE, now
            stored.operator_id, stored.operator_name = operator.id, operator.name
            stored.operator_conns = set(conn_ids)
            op.active_chats += 1
            op.chats.add(chat.chat_id)
            self.claims.append((chat.chat_id, operator.id, now))

    def transfer(self, chat: Chat, from_id: str, target: Operator, target_conns: set[str],
                 now: float, note: str | None) -> None:
        with self._lock:
            self._log("transfer")
            stored = self.chats.get(chat.chat_id)
            if stored is None or stored.status != ACTIVE or stored.operator_id != from_id:
                raise SeqConflict()
            tgt = self.operators.get(target.id)
            if tgt is None or tgt.active_chats >= tgt.effective_limit:
                raise AtCapacity()
            stored.operator_id, stored.operator_name = target.id, target.name
            stored.operator_conns, stored.claimed_at = set(target_conns), now
            tgt.active_chats += 1
            tgt.chats.add(chat.chat_id)
            src = self.operators[from_id]
            src.active_chats -= 1
            src.chats.discard(chat.chat_id)
            self.claims.append((chat.chat_id, target.id, now))

    def requeue(self, chat: Chat, from_id: str, now: float) -> None:
        with self._lock:
            self._log("requeue")
            stored = self.chats.get(chat.chat_id)
            if stored is None or stored.status != ACTIVE or stored.operator_id != from_id:
                raise SeqConflict()
            stored.status, stored.operator_id, stored.operator_name = QUEUED, None, None
            stored.claimed_at, stored.operator_conns = None, set()
            src = self.operators[from_id]
            src.active_chats -= 1
            src.chats.discard(chat.chat_id)

    def end_chat(self, chat: Chat, ended_by: str, now: float) -> Chat:
        with self._lock:
            self._log("end_chat")
            stored = self.chats.get(chat.chat_id)
            if stored is None or stored.status != chat.status or stored.conn_version != chat.conn_version:
                raise SeqConflict()
            if chat.status == ACTIVE and chat.operator_id in self.operators:
                self.operators[chat.operator_id].active_chats -= 1
            stored.status, stored.ended_at, stored.ended_by = ENDED, now, ended_by
            return copy.deepcopy(stored)

    def close_chat(self, chat: Chat, operator_id: str, now: float) -> None:
        with self._lock:
            self._log("close_chat")
            stored = self.chats.get(chat.chat_id)
            if stored is None or stored.status != ENDED or stored.operator_id != operator_id:
                raise SeqConflict()
            stored.status = "closed"
            self.operators[operator_id].chats.discard(chat.chat_id)

    def attach_patron(self, chat_id: str, conn_id: str) -> Chat | None:
        with self._lock:
            self._log("attach_patron")
            chat = self.chats.get(chat_id)
            if chat is None:
                return None
            chat.patron_conns.add(conn_id)
            chat.conn_version += 1
            chat.patron_presence = "online"
            return copy.deepcopy(chat)

    def detach_patron(self, chat_id: str, conn_id: str) -> Chat | None:
        with self._lock:
            self._log("detach_patron")
            chat = self.chats.get(chat_id)
            if chat is None:
                return None
            chat.patron_conns.discard(conn_id)
            chat.conn_version += 1
            return copy.deepcopy(chat)

    def mark_patron_offline(self, chat_id: str) -> bool:
        with self._lock:
            self._log("mark_patron_offline")
            chat = self.chats.get(chat_id)
            if chat is None or chat.patron_conns or chat.status not in OPEN_STATES:
                return False
            chat.patron_presence = "offline"
            return True

    def mark_reminded(self, chat_id: str, now: float) -> bool:
        with self._lock:
            self._log("mark_reminded")
            chat = self.chats.get(chat_id)
            if chat is None or chat.status != QUEUED or chat_id in self.reminded:
                return False
            self.reminded.add(chat_id)
            return True

    def set_presence(self, chat_id: str, presence: str) -> None:
        with self._lock:
            self._log("set_presence")
            if chat_id in self.chats:
                self.chats[chat_id].patron_presence = presence

    def attach_operator_conns(self, chat_id: str, operator_id: str, conn_ids: set[str]) -> None:
        with self._lock:
            self._log("attach_operator_conns")
            chat = self.chats.get(chat_id)
            if chat and chat.operator_id == operator_id:
                chat.operator_conns |= set(conn_ids)
                chat.conn_version += 1

    def join_staff_room(self, room: Chat, conn_id: str, member: str) -> Chat:
        with self._lock:
            self._log("join_staff_room")
            stored = self.chats.setdefault(room.chat_id, copy.deepcopy(room))
            stored.operator_conns.add(conn_id)
            stored.staff_members.add(member)
            stored.conn_version += 1
            return copy.deepcopy(stored)

    def leave_staff_room(self, room_id: str, conn_id: str, member: str) -> None:
        with self._lock:
            self._log("leave_staff_room")
            if room_id in self.chats:
                self.chats[room_id].operator_conns.discard(conn_id)
                self.chats[room_id].staff_members.discard(member)
                self.chats[room_id].conn_version += 1

    def detach_operator_conn(self, chat_id: str, conn_id: str) -> None:
        with self._lock:
            self._log("detach_operator_conn")
            if chat_id in self.chats:
                self.chats[chat_id].operator_conns.discard(conn_id)
                self.chats[chat_id].conn_version += 1

    # connections
    def put_connection(self, conn: Connection) -> None:
        with self._lock:
            self._log("put_connection")
            self.connections[conn.connection_id] = replace(conn)

    def get_connection(self, conn_id: str) -> Connection | None:
        with self._lock:
            self._log("get_connection")
            conn = self.connections.get(conn_id)
            return replace(conn) if conn else None

    def delete_connection(self, conn_id: str) -> Connection | None:
        with self._lock:
            self._log("delete_connection")
            return self.connections.pop(conn_id, None)

    def operator_connections(self) -> list[Connection]:
        with self._lock:
            self._log("operator_connections")
            return [replace(c) for c in self.connections.values() if c.role == "operator" and c.joined]

    # surveys
    def put_survey(self, survey: Survey) -> None:
        with self._lock:
            self._log("put_survey")
            if survey.chat_id in self.surveys:
                raise AlreadyExists()
            self.surveys[survey.chat_id] = copy.deepcopy(survey)

    def surveys_of_day(self, day: str, limit: int) -> list[Survey]:
        from chalicelib.adapters.dynamo import survey_day
        with self._lock:
            self._log("surveys_of_day")
            found = [s for s in self.surveys.values() if survey_day(s.submitted_at) == day]
            return copy.deepcopy(sorted(found, key=lambda s: -s.submitted_at)[:limit])

    # canned
    def list_canned(self, owner: str) -> list:
        with self._lock:
            self._log("list_canned")
            return [copy.deepcopy(c) for (o, _), c in sorted(self.canned.items()) if o == owner]

    def put_canned(self, item, *, must_exist: bool) -> None:
        with self._lock:
            self._log("put_canned")
            exists = (item.owner, item.canned_id) in self.canned
            if must_exist and not exists:
                raise ServiceError("not_found", "no such canned message")
            if not must_exist and exists:
                raise AlreadyExists()
            self.canned[(item.owner, item.canned_id)] = copy.deepcopy(item)

    def delete_canned(self, owner: str, canned_id: str) -> None:
        with self._lock:
            self._log("delete_canned")
            if self.canned.pop((owner, canned_id), None) is None:
                raise ServiceError("not_found", "no such canned message")

    # operators
    def get_operator(self, operator_id: str) -> Operator | None:
        with self._lock:
            self._log("get_operator")
            op = self.operators.get(operator_id)
            return copy.deepcopy(op) if op else None

    def put_operator(self, operator: Operator) -> None:
        with self._lock:
            self._log("put_operator")
            self.operators[operator.id] = copy.deepcopy(operator)

    def list_operators(self) -> list[Operator]:
        with self._lock:
            self._log("list_operators")
            return [copy.deepcopy(o) for _, o in sorted(self.operators.items())]

    def update_operator(self, operator_id: str, **changes) -> Operator | None:
        with self._lock:
            self._log("update_operator")
            op = self.operators.get(operator_id)
            if op is None:
                return None
            for name, value in changes.items():
                setattr(op, name, value)
            return copy.deepcopy(op)

    def set_connection_availability(self, conn_id: str, availability: str) -> None:
        with self._lock:
            self._log("set_connection_availability")
            if conn_id in self.connections:
                self.connections[conn_id].availability = availability


class RecordingSender:
    """Collects frames per connection; connections in `gone` answer like a 410."""

    def __init__(self) -> None:
        self.frames: dict[str, list[dict]] = {}
        self.gone: set[str] = set()

    def post(self, connection_id: str, frame: dict) -> bool:
        if connection_id in self.gone:
            return False
        self.frames.setdefault(connection_id, []).append(frame)
        return True

    def of(self, connection_id: str, type_: str | None = None) -> list[dict]:
        frames = self.frames.get(connection_id, [])
        return [f for f in frames if type_ is None or f.get("type") == type_]

    def clear(self) -> None:
        self.frames.clear()


class FakeAuthenticator:
    """Tokens are `op:<username>`; `expired:<username>` is an expired one."""

    def __init__(self, passwords: dict[str, str] | None = None) -> None:
        self.passwords = passwords or {}

    def login(self, username: str, password: str) -> tuple[str, int]:
        if self.passwords.get(username) != password:
            raise ServiceError("unauthorized", "wrong username or password")
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
