"""DynamoDB adapter: PynamoDB models and the `Store` port on top of them.

One table per entity (chats, messages, message ids, claims, connections, operators), all
on-demand. Every item that holds patron data carries `expires_at`, DynamoDB's TTL attribute.
Races are settled here with condition expressions and transactions, never by read-then-write:
- a message is one transaction: bump the chat's `last_seq` only if it still is the value the
  sender read, put the message at that seq, and put the `client_msg_id` marker only if absent;
  so seqs have no gaps and a resend is stored once;
- a claim is one transaction: the chat must still be queued and the operator under `max_chats`.

Models are bound to table names and region by `bind()` in the composition root; nothing here
opens a connection at import time.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable

from pynamodb.attributes import (BooleanAttribute, JSONAttribute, NumberAttribute,
                                 TTLAttribute, UnicodeAttribute, UnicodeSetAttribute)
from pynamodb.connection import Connection as PynamoConnection
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from ..domain.canned import Canned
from ..domain.model import ACTIVE, ENDED, OPEN_STATES, QUEUED, Chat, Connection, Message, Operator, Survey
from ..errors import not_found
from ..domain.ports import AlreadyExists, AtCapacity, ClaimLost, DuplicateMessage, SeqConflict

OPERATORS_AUDIENCE = "operators"


def survey_day(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d")


def _ttl(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def _epoch(value: datetime | None) -> int:
    return int(value.timestamp()) if value else 0


class _Meta:
    region = None
    host = None
    billing_mode = "PAY_PER_REQUEST"


class ChatsByStatus(GlobalSecondaryIndex):
    """Waiting chats for the operators' welcome: Query status = "queued", oldest first."""
    class Meta:
        index_name = "by_status"
        projection = AllProjection()

    status = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


class ChatModel(Model):
    class Meta(_Meta):
        table_name = "chats"

    chat_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    queue = UnicodeAttribute()
    question = UnicodeAttribute()
    patron_name = UnicodeAttribute(null=True)
    patron_email = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    operator_name = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    claimed_at = NumberAttribute(null=True)
    ended_at = NumberAttribute(null=True)
    ended_by = UnicodeAttribute(null=True)
    closed_at = NumberAttribute(null=True)
    reminded_at = NumberAttribute(null=True)  # the one "still waiting" notification went out
    last_seq = NumberAttribute(default=0)
    patron_presence = UnicodeAttribute(default="offline")
    # Delivery lists: who gets this chat's pushes. DynamoDB drops a set that becomes empty.
    patron_conns = UnicodeSetAttribute(null=True)
    operator_conns = UnicodeSetAttribute(null=True)
    # Bumped by every change to the delivery lists. Writes that push to the lists they read
    # (a message, a claim, an end) are conditional on it, so a connection that joins between
    # the read and the write makes the write retry instead of missing the push.
    conn_version = NumberAttribute(default=0)
    kind = UnicodeAttribute(null=True)  # absent: a patron chat; "staff": the staff room
    staff_members = UnicodeSetAttribute(null=True)  # staff room: "conn\toperator\tname"
    expires_at = TTLAttribute()
    by_status = ChatsByStatus()

    def to_domain(self) -> Chat:
        return Chat(
            chat_id=self.chat_id, queue=self.queue, question=self.question,
            created_at=float(self.created_at), status=self.status,
            patron_name=self.patron_name, patron_email=self.patron_email,
            operator_id=self.operator_id, operator_name=self.operator_name,
            claimed_at=self.claimed_at, ended_at=self.ended_at, ended_by=self.ended_by,
            last_seq=int(self.last_seq), patron_presence=self.patron_presence,
            patron_conns=set(self.patron_conns or ()), operator_conns=set(self.operator_conns or ()),
            expires_at=_epoch(self.expires_at), kind=self.kind or "patron",
            conn_version=int(self.conn_version or 0),
            staff_members=set(self.staff_members or ()))

    @classmethod
    def from_domain(cls, chat: Chat) -> "ChatModel":
        return cls(chat.chat_id, status=chat.status, queue=chat.queue, question=chat.question,
                   patron_name=chat.patron_name, patron_email=chat.patron_email,
                   created_at=chat.created_at, last_seq=chat.last_seq,
                   patron_presence=chat.patron_presence, expires_at=_ttl(chat.expires_at))


class MessageModel(Model):
    """Key: chat_id + seq, so a chat's history is one Query in order (`seq > after`)."""
    class Meta(_Meta):
        table_name = "messages"

    chat_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    sender_role = UnicodeAttribute()
    sender_id = UnicodeAttribute(null=True)
    sender_name = UnicodeAttribute(null=True)
    text = UnicodeAttribute(null=True)
    attachment = JSONAttribute(null=True)
    client_msg_id = UnicodeAttribute(null=True)
    sent_at = NumberAttribute()
    expires_at = TTLAttribute()

    def to_domain(self) -> Message:
        return Message(chat_id=self.chat_id, seq=int(self.seq), sender_role=self.sender_role,
                       sent_at=float(self.sent_at), text=self.text, sender_id=self.sender_id,
                       sender_name=self.sender_name, client_msg_id=self.client_msg_id,
                       attachment=self.attachment, expires_at=_epoch(self.expires_at))


class MessageIdModel(Model):
    """Key: chat_id + client_msg_id -> seq. Written in the message's transaction only if absent,
    which is what makes a resent `client_msg_id` harmless."""
    class Meta(_Meta):
        table_name = "message-ids"

    chat_id = UnicodeAttribute(hash_key=True)
    client_msg_id = UnicodeAttribute(range_key=True)
    seq = NumberAttribute()
    expires_at = TTLAttribute()


class ClaimModel(Model):
    """Who took which chat, when: one row per claim and per transfer (`from_operator_id`)."""
    class Meta(_Meta):
        table_name = "claims"

    chat_id = UnicodeAttribute(hash_key=True)
    claimed_at = NumberAttribute(range_key=True)
    operator_id = UnicodeAttribute()
    operator_name = UnicodeAttribute(null=True)
    from_operator_id = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


class ConnectionsByAudience(GlobalSecondaryIndex):
    """Sparse index of operator connections that said `hello`: the one Query behind every
    broadcast to operators (a new chat, a claim)."""
    class Meta:
        index_name = "by_audience"
        projection = AllProjection()

    audience = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)


class ConnectionModel(Model):
    class Meta(_Meta):
        table_name = "connections"

    connection_id = UnicodeAttribute(hash_key=True)
    role = UnicodeAttribute()
    chat_id = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    operator_name = UnicodeAttribute(null=True)
    source_ip = UnicodeAttribute(null=True)
    audience = UnicodeAttribute(null=True)
    availability = UnicodeAttribute(null=True)
    connected_at = NumberAttribute()
    expires_at = TTLAttribute()
    by_audience = ConnectionsByAudience()

    def to_domain(self) -> Connection:
        return Connection(connection_id=self.connection_id, role=self.role,
                          connected_at=float(self.connected_at), chat_id=self.chat_id,
                          operator_id=self.operator_id, operator_name=self.operator_name,
                          source_ip=self.source_ip, joined=self.audience is not None,
                          availability=self.availability, expires_at=_epoch(self.expires_at))


class OperatorsDirectory(GlobalSecondaryIndex):
    """Every operator under one key: the admins' operator list is a Query, never a Scan."""
    class Meta:
        index_name = "by_directory"
        projection = AllProjection()

    directory = UnicodeAttribute(hash_key=True)
    operator_id = UnicodeAttribute(range_key=True)


class OperatorModel(Model):
    """Key: the Cognito username. `active_chats` counts claimed, not yet ended chats (what
    `max_chats` and the operator's own `chat_limit` limit); `chats` lists the chats on the
    operator's dashboard until closed."""
    class Meta(_Meta):
        table_name = "operators"

    operator_id = UnicodeAttribute(hash_key=True)
    directory = UnicodeAttribute(default="all")
    name = UnicodeAttribute()
    role = UnicodeAttribute(default="librarian")
    max_chats = NumberAttribute(default=3)
    chat_limit = NumberAttribute(null=True)
    active_chats = NumberAttribute(default=0)
    availability = UnicodeAttribute(default="available")
    chats = UnicodeSetAttribute(null=True)
    by_directory = OperatorsDirectory()

    def to_domain(self) -> Operator:
        return Operator(id=self.operator_id, name=self.name, role=self.role,
                        max_chats=int(self.max_chats), active_chats=int(self.active_chats),
                        chats=set(self.chats or ()), availability=self.availability,
                        chat_limit=int(self.chat_limit) if self.chat_limit else None)


class SurveysByDay(GlobalSecondaryIndex):
    """Surveys of one UTC day, newest first: the admins' results are one Query per day."""
    class Meta:
        index_name = "by_day"
        projection = AllProjection()

    day = UnicodeAttribute(hash_key=True)
    submitted_at = NumberAttribute(range_key=True)


class SurveyModel(Model):
    """Key: chat_id, written only if absent: one survey per chat. Carries queue and operator so
    results can be summarised without joining chats (which expire on the same day)."""
    class Meta(_Meta):
        table_name = "surveys"

    chat_id = UnicodeAttribute(hash_key=True)
    day = UnicodeAttribute()  # YYYY-MM-DD (UTC) of submission, for by_day
    rating = NumberAttribute()
    answered = BooleanAttribute(null=True)
    comment = UnicodeAttribute(null=True)
    queue = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    submitted_at = NumberAttribute()
    expires_at = TTLAttribute()
    by_day = SurveysByDay()

    def to_domain(self) -> Survey:
        return Survey(chat_id=self.chat_id, rating=int(self.rating), submitted_at=self.submitted_at,
                      answered=self.answered, comment=self.comment, queue=self.queue,
                      operator_id=self.operator_id, expires_at=_epoch(self.expires_at))


class CannedModel(Model):
    """Key: owner ("system" or "op#<operator id>") + id: each list is one Query, and an
    operator's requests only ever address their own partition or the system one."""
    class Meta(_Meta):
        table_name = "canned"

    owner = UnicodeAttribute(hash_key=True)
    canned_id = UnicodeAttribute(range_key=True)
    title = UnicodeAttribute()
    text = UnicodeAttribute()
    shortcut = UnicodeAttribute(null=True)
    updated_by = UnicodeAttribute(null=True)
    updated_at = NumberAttribute(default=0)


MODELS = {"chats": ChatModel, "messages": MessageModel, "message-ids": MessageIdModel,
          "claims": ClaimModel, "connections": ConnectionModel, "operators": OperatorModel,
          "surveys": SurveyModel, "canned": CannedModel}


def bind(table_prefix: str, region: str, host: str | None = None) -> None:
    """Point every model at its stage's table; drops cached connections so a rebind takes."""
    for kind, model in MODELS.items():
        model.Meta.table_name = f"{table_prefix}-{kind}"
        model.Meta.region = region
        model.Meta.host = host
        model._connection = None


def create_tables() -> None:
    """Local runner and tests only; on AWS the tables come from infra/."""
    for model in MODELS.values():
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            if any(isinstance(a, TTLAttribute) for a in model.get_attributes().values()):
                model.update_ttl(ignore_update_ttl_errors=True)


def _conns_unchanged(chat: Chat):
    """The chat's delivery lists are still the ones the caller read."""
    if chat.conn_version == 0:
        return (ChatModel.conn_version == 0) | ChatModel.conn_version.does_not_exist()
    return ChatModel.conn_version == chat.conn_version


def _failed(err: TransactWriteError, index: int) -> bool:
    reasons = err.cancellation_reasons or []
    return index < len(reasons) and reasons[index] is not None and \
        reasons[index].code == "ConditionalCheckFailed"


def _condition_failed(err: Exception) -> bool:
    return getattr(err, "cause_response_code", None) == "ConditionalCheckFailedException"


class DynamoStore:
    """The `Store` port on DynamoDB. Each method is one DynamoDB request unless it says so."""

    def __init__(self, region: str, host: str | None = None) -> None:
        self._region, self._host = region, host
        self._conn: PynamoConnection | None = None

    def _tx(self) -> TransactWrite:
        if self._conn is None:
            self._conn = PynamoConnection(region=self._region, host=self._host)
        return TransactWrite(connection=self._conn)

    # ------------------------------------------------------------ chats

    def create_chat(self, chat: Chat, first: Message) -> None:
        with self._tx() as tx:
            tx.save(ChatModel.from_domain(chat), condition=ChatModel.chat_id.does_not_exist())
            tx.save(self._message_model(first), condition=MessageModel.seq.does_not_exist())

    def get_chat(self, chat_id: str) -> Chat | None:
        try:
            return ChatModel.get(chat_id, consistent_read=True).to_domain()
        except DoesNotExist:
            return None

    def get_chats(self, chat_ids: Iterable[str]) -> list[Chat]:
        ids = sorted(set(chat_ids))
        if not ids:
            return []
        found = {m.chat_id: m.to_domain() for m in ChatModel.batch_get(ids, consistent_read=True)}
        return [found[i] for i in ids if i in found]

    def queued_chats(self, limit: int) -> list[Chat]:
        return [m.to_domain() for m in ChatModel.by_status.query(QUEUED, limit=limit)]

    def append_message(self, chat: Chat, message: Message) -> None:
        """One TransactWriteItems: [put message, put client_msg_id marker?, update chat]."""
        tx_items = 2 if message.client_msg_id else 1
        try:
            with self._tx() as tx:
                tx.save(self._message_model(message), condition=MessageModel.seq.does_not_exist())
                if message.client_msg_id:
                    tx.save(MessageIdModel(chat.chat_id, message.client_msg_id, seq=message.seq,
                                           expires_at=_ttl(chat.expires_at)),
                            condition=MessageIdModel.client_msg_id.does_not_exist(),
                            return_values="ALL_OLD")
                tx.update(ChatModel(chat.chat_id), actions=[ChatModel.last_seq.set(message.seq)],
                          condition=(ChatModel.last_seq == chat.last_seq)
                          & (ChatModel.status == chat.status) & _conns_unchanged(chat))
        except TransactWriteError as err:
            if message.client_msg_id and _failed(err, 1):
                raw = err.cancellation_reasons[1].raw_item
                seq = int(raw["seq"]["N"]) if raw and "seq" in raw else self._marker_seq(
                    chat.chat_id, message.client_msg_id)
                raise DuplicateMessage(seq) from None
            if _failed(err, 0) or _failed(err, tx_items):
                raise SeqConflict() from None
            raise

    @staticmethod
    def _marker_seq(chat_id: str, client_msg_id: str) -> int:
        return int(MessageIdModel.get(chat_id, client_msg_id, consistent_read=True).seq)

    @staticmethod
    def _message_model(m: Message) -> MessageModel:
        return MessageModel(m.chat_id, m.seq, sender_role=m.sender_role, sender_id=m.sender_id,
                            sender_name=m.sender_name, text=m.text, attachment=m.attachment,
                            client_msg_id=m.client_msg_id, sent_at=m.sent_at,
                            expires_at=_ttl(m.expires_at))

    def get_message(self, chat_id: str, seq: int) -> Message | None:
        try:
            return MessageModel.get(chat_id, seq, consistent_read=True).to_domain()
        except DoesNotExist:
            return None

    def messages_after(self, chat_id: str, after: int, limit: int) -> list[Message]:
        return [m.to_domain() for m in MessageModel.query(
            chat_id, MessageModel.seq > after, consistent_read=True, limit=limit)]

    def claim(self, chat: Chat, operator: Operator, conn_ids: set[str], now: float) -> None:
        """One TransactWriteItems: [put claim, update chat if queued, update operator if under
        max_chats]. `active_chats < max_chats` compares two attributes of the operator item, so
        the limit holds however many claims run at once."""
        chat_update = [ChatModel.status.set(ACTIVE), ChatModel.operator_id.set(operator.id),
                       ChatModel.operator_name.set(operator.name), ChatModel.claimed_at.set(now),
                       ChatModel.operator_conns.set(set(conn_ids))]
        chat_id = chat.chat_id
        try:
            with self._tx() as tx:
                tx.save(ClaimModel(chat_id, now, operator_id=operator.id,
                                   operator_name=operator.name, expires_at=_ttl(chat.expires_at)))
                tx.update(ChatModel(chat_id), actions=chat_update,
                          condition=(ChatModel.status == QUEUED) & _conns_unchanged(chat))
                tx.update(OperatorModel(operator.id),
                          actions=[OperatorModel.active_chats.add(1),
                                   OperatorModel.chats.add({chat_id})],
                          condition=self._capacity_condition())
        except TransactWriteError as err:
            if _failed(err, 1):
                raise ClaimLost() from None
            if _failed(err, 2):
                raise AtCapacity() from None
            raise

    def _capacity_condition(self):
        return (OperatorModel.operator_id.exists()
                & (OperatorModel.active_chats < OperatorModel.max_chats)
                & (OperatorModel.chat_limit.does_not_exist()
                   | (OperatorModel.active_chats < OperatorModel.chat_limit)))

    def transfer(self, chat: Chat, from_id: str, target: Operator, target_conns: set[str],
                 now: float, note: str | None) -> None:
        """One TransactWriteItems: the chat moves only if `from_id` still holds it and the
        target is under their limits; both operators' counts move in the same step."""
        try:
            with self._tx() as tx:
                tx.save(ClaimModel(chat.chat_id, now, operator_id=target.id,
                                   operator_name=target.name, from_operator_id=from_id, note=note,
                                   expires_at=_ttl(chat.expires_at)))
                tx.update(ChatModel(chat.chat_id),
                          actions=[ChatModel.operator_id.set(target.id),
                                   ChatModel.operator_name.set(target.name),
                                   ChatModel.operator_conns.set(set(target_conns)),
                                   ChatModel.claimed_at.set(now)],
                          condition=(ChatModel.status == ACTIVE) & (ChatModel.operator_id == from_id))
                tx.update(OperatorModel(target.id),
                          actions=[OperatorModel.active_chats.add(1),
                                   OperatorModel.chats.add({chat.chat_id})],
                          condition=self._capacity_condition())
                tx.update(OperatorModel(from_id),
                          actions=[OperatorModel.active_chats.add(-1),
                                   OperatorModel.chats.delete({chat.chat_id})],
                          condition=OperatorModel.operator_id.exists())
        except TransactWriteError as err:
            if _failed(err, 1):
                raise SeqConflict() from None
            if _failed(err, 2):
                raise AtCapacity() from None
            raise

    def requeue(self, chat: Chat, from_id: str, now: float) -> None:
        """Back to the waiting list: one TransactWriteItems, only while `from_id` holds it."""
        try:
            with self._tx() as tx:
                tx.update(ChatModel(chat.chat_id),
                          actions=[ChatModel.status.set(QUEUED), ChatModel.operator_id.remove(),
                                   ChatModel.operator_name.remove(), ChatModel.claimed_at.remove(),
                                   ChatModel.operator_conns.remove()],
                          condition=(ChatModel.status == ACTIVE) & (ChatModel.operator_id == from_id))
                tx.update(OperatorModel(from_id),
                          actions=[OperatorModel.active_chats.add(-1),
                                   OperatorModel.chats.delete({chat.chat_id})],
                          condition=OperatorModel.operator_id.exists())
        except TransactWriteError as err:
            if _failed(err, 0):
                raise SeqConflict() from None
            raise

    def end_chat(self, chat: Chat, ended_by: str, now: float) -> Chat:
        """One TransactWriteItems: the chat ends only from the state it was read in, and its
        operator's `active_chats` drops in the same step."""
        try:
            with self._tx() as tx:
                tx.update(ChatModel(chat.chat_id),
                          actions=[ChatModel.status.set(ENDED), ChatModel.ended_at.set(now),
                                   ChatModel.ended_by.set(ended_by)],
                          condition=(ChatModel.status == chat.status) & _conns_unchanged(chat))
                if chat.status == ACTIVE and chat.operator_id:
                    tx.update(OperatorModel(chat.operator_id),
                              actions=[OperatorModel.active_chats.add(-1)],
                              condition=OperatorModel.active_chats > 0)
        except TransactWriteError as err:
            if _failed(err, 0):
                raise SeqConflict() from None
            raise
        chat.status, chat.ended_at, chat.ended_by = ENDED, now, ended_by
        return chat

    def close_chat(self, chat: Chat, operator_id: str, now: float) -> None:
        try:
            with self._tx() as tx:
                tx.update(ChatModel(chat.chat_id),
                          actions=[ChatModel.status.set("closed"), ChatModel.closed_at.set(now)],
                          condition=(ChatModel.status == ENDED)
                          & (ChatModel.operator_id == operator_id))
                tx.update(OperatorModel(operator_id),
                          actions=[OperatorModel.chats.delete({chat.chat_id})],
                          condition=OperatorModel.operator_id.exists())
        except TransactWriteError as err:
            if _failed(err, 0):
                raise SeqConflict() from None
            raise

    def _update_chat(self, chat_id: str, actions: list, condition=None) -> Chat | None:
        cond = ChatModel.chat_id.exists()
        if condition is not None:
            cond &= condition
        item = ChatModel(chat_id)
        try:
            item.update(actions=actions, condition=cond)
        except UpdateError as err:
            if _condition_failed(err):
                return None
            raise
        return item.to_domain()

    def attach_patron(self, chat_id: str, conn_id: str) -> Chat | None:
        return self._update_chat(chat_id, [ChatModel.patron_conns.add({conn_id}), ChatModel.conn_version.add(1),
                                           ChatModel.patron_presence.set("online")])

    def detach_patron(self, chat_id: str, conn_id: str) -> Chat | None:
        return self._update_chat(chat_id, [ChatModel.patron_conns.delete({conn_id}), ChatModel.conn_version.add(1)])

    def mark_patron_offline(self, chat_id: str) -> bool:
        """Only if no patron connection came back meanwhile (the set is gone when empty)."""
        return self._update_chat(
            chat_id, [ChatModel.patron_presence.set("offline")],
            ChatModel.patron_conns.does_not_exist() & ChatModel.status.is_in(*OPEN_STATES)) is not None

    def mark_reminded(self, chat_id: str, now: float) -> bool:
        """True for exactly one caller per chat, and only while it is still queued: concurrent
        scheduler runs cannot both send the reminder."""
        return self._update_chat(chat_id, [ChatModel.reminded_at.set(now)],
                                 ChatModel.reminded_at.does_not_exist()
                                 & (ChatModel.status == QUEUED)) is not None

    def set_presence(self, chat_id: str, presence: str) -> None:
        self._update_chat(chat_id, [ChatModel.patron_presence.set(presence)])

    def attach_operator_conns(self, chat_id: str, operator_id: str, conn_ids: set[str]) -> None:
        self._update_chat(chat_id, [ChatModel.operator_conns.add(set(conn_ids)), ChatModel.conn_version.add(1)],
                          ChatModel.operator_id == operator_id)

    def detach_operator_conn(self, chat_id: str, conn_id: str) -> None:
        self._update_chat(chat_id, [ChatModel.operator_conns.delete({conn_id}), ChatModel.conn_version.add(1)])

    def join_staff_room(self, room: Chat, conn_id: str, member: str) -> Chat:
        """One UpdateItem that creates the room on first use (if_not_exists) and adds the
        connection to its delivery list and member list."""
        item = ChatModel(room.chat_id)
        item.update(actions=[
            ChatModel.operator_conns.add({conn_id}),
            ChatModel.staff_members.add({member}),
            ChatModel.conn_version.add(1),
            ChatModel.kind.set(ChatModel.kind | room.kind),
            ChatModel.status.set(ChatModel.status | room.status),
            ChatModel.queue.set(ChatModel.queue | room.queue),
            ChatModel.question.set(ChatModel.question | room.question),
            ChatModel.created_at.set(ChatModel.created_at | room.created_at),
            ChatModel.last_seq.set(ChatModel.last_seq | 0),
            ChatModel.patron_presence.set(ChatModel.patron_presence | "offline"),
            ChatModel.expires_at.set(ChatModel.expires_at | _ttl(room.expires_at)),
        ])
        return item.to_domain()

    def leave_staff_room(self, room_id: str, conn_id: str, member: str) -> None:
        self._update_chat(room_id, [ChatModel.operator_conns.delete({conn_id}),
                                    ChatModel.staff_members.delete({member}), ChatModel.conn_version.add(1)])

    # ------------------------------------------------------- connections

    def put_connection(self, conn: Connection) -> None:
        ConnectionModel(conn.connection_id, role=conn.role, chat_id=conn.chat_id,
                        operator_id=conn.operator_id, operator_name=conn.operator_name,
                        source_ip=conn.source_ip, connected_at=conn.connected_at,
                        audience=OPERATORS_AUDIENCE if conn.role == "operator" and conn.joined else None,
                        availability=conn.availability, expires_at=_ttl(conn.expires_at)).save()

    def get_connection(self, conn_id: str) -> Connection | None:
        try:
            return ConnectionModel.get(conn_id, consistent_read=True).to_domain()
        except DoesNotExist:
            return None

    def delete_connection(self, conn_id: str) -> Connection | None:
        """One DeleteItem returning the old item: what to clean up comes with the delete."""
        data = ConnectionModel._get_connection().delete_item(conn_id, return_values="ALL_OLD")
        attrs = data.get("Attributes")
        return ConnectionModel.from_raw_data(attrs).to_domain() if attrs else None

    def operator_connections(self) -> list[Connection]:
        return [m.to_domain() for m in ConnectionModel.by_audience.query(OPERATORS_AUDIENCE)]

    # ----------------------------------------------------------- surveys

    def put_survey(self, survey: Survey) -> None:
        try:
            SurveyModel(survey.chat_id, day=survey_day(survey.submitted_at),
                        rating=survey.rating, answered=survey.answered,
                        comment=survey.comment, queue=survey.queue, operator_id=survey.operator_id,
                        submitted_at=survey.submitted_at, expires_at=_ttl(survey.expires_at)
                        ).save(condition=SurveyModel.chat_id.does_not_exist())
        except PutError as err:
            if _condition_failed(err):
                raise AlreadyExists() from None
            raise

    def surveys_of_day(self, day: str, limit: int) -> list[Survey]:
        return [m.to_domain() for m in SurveyModel.by_day.query(day, scan_index_forward=False,
                                                                  limit=limit)]

    # ------------------------------------------------------------ canned

    def list_canned(self, owner: str) -> list[Canned]:
        return [Canned(owner=m.owner, canned_id=m.canned_id, title=m.title, text=m.text,
                       shortcut=m.shortcut, updated_by=m.updated_by, updated_at=m.updated_at)
                for m in CannedModel.query(owner)]

    def put_canned(self, item: Canned, *, must_exist: bool) -> None:
        cond = CannedModel.canned_id.exists() if must_exist else CannedModel.canned_id.does_not_exist()
        try:
            CannedModel(item.owner, item.canned_id, title=item.title, text=item.text,
                        shortcut=item.shortcut, updated_by=item.updated_by,
                        updated_at=item.updated_at).save(condition=cond)
        except PutError as err:
            if _condition_failed(err):
                if must_exist:
                    raise not_found("no such canned message") from None
                raise AlreadyExists() from None
            raise

    def delete_canned(self, owner: str, canned_id: str) -> None:
        try:
            CannedModel(owner, canned_id).delete(condition=CannedModel.canned_id.exists())
        except DeleteError as err:
            if _condition_failed(err):
                raise not_found("no such canned message") from None
            raise

    # --------------------------------------------------------- operators

    def get_operator(self, operator_id: str) -> Operator | None:
        try:
            return OperatorModel.get(operator_id, consistent_read=True).to_domain()
        except DoesNotExist:
            return None

    def put_operator(self, operator: Operator) -> None:
        OperatorModel(operator.id, name=operator.name, role=operator.role,
                      max_chats=operator.max_chats, active_chats=operator.active_chats,
                      availability=operator.availability, chat_limit=operator.chat_limit,
                      chats=set(operator.chats) or None).save()

    def list_operators(self) -> list[Operator]:
        return [m.to_domain() for m in OperatorModel.by_directory.query("all")]

    def update_operator(self, operator_id: str, **changes) -> Operator | None:
        """Set `availability`, `chat_limit` (None removes it) or `max_chats`, if the operator
        exists; returns the operator as stored afterwards."""
        actions = []
        for name, value in changes.items():
            attr = getattr(OperatorModel, name)
            actions.append(attr.remove() if value is None else attr.set(value))
        item = OperatorModel(operator_id)
        try:
            item.update(actions=actions, condition=OperatorModel.operator_id.exists())
        except UpdateError as err:
            if _condition_failed(err):
                return None
            raise
        return item.to_domain()

    def set_connection_availability(self, conn_id: str, availability: str) -> None:
        try:
            ConnectionModel(conn_id).update(
                actions=[ConnectionModel.availability.set(availability)],
                condition=ConnectionModel.connection_id.exists())
        except UpdateError as err:
            if not _condition_failed(err):
                raise
