"""ChatRepository on the chats table (key: chat_id; by_waiting GSI: waiting + created_at,
holding only the chats that wait: every write that moves a chat in or out of "queued" sets or
removes `waiting` with `status`).

Every chat write is conditional on `status` existing or having a value: that is both "the
chat exists" (an update never creates an item) and "it is not the staff room", whose item
shares the table under the reserved id "staff" and has no status.
"""
from __future__ import annotations

from typing import Iterable

from pynamodb.exceptions import TransactWriteError

from ...domain.model import ACTIVE, CLOSED, ENDED, OPEN_STATES, QUEUED, STAFF_ROOM_ID, Chat, Message, Operator
from ...domain.ports import AlreadyExists, AtCapacity, Blocked, ClaimLost, RateLimited, StaleRead
from ...domain.stats import StatRecord
from ...domain.ticket_model import HistoryEntry
from .base import Db, any_cancelled, cancelled_by, get_or_none, stale_tx, unchanged, update_or_none
from .mapper import CHATS, MESSAGES, ttl
from .models import PURGE_DUE, WAITING, ChatModel as C, ClaimModel, MessageModel, OperatorModel as O, QueueModel as Q
from .guards import add_checks
from .queues import wait_slot
from .stats import form_update, stat_item
from .tickets import HISTORY
from pynamodb.expressions.condition import size


def _has_room():
    """`active_chats` below both limits, compared inside the operator item itself, so the
    limit holds however many claims and transfers run at once."""
    return (O.operator_id.exists() & (O.active_chats < O.max_chats)
            & (O.chat_limit.does_not_exist() | (O.active_chats < O.chat_limit)))


def _gives_up(chat_id: str):
    return [O.active_chats.add(-1), O.chats.delete({chat_id})]


class DynamoChats:
    def __init__(self, db: Db) -> None:
        self.db = db

    def create(self, chat: Chat, first: Message, guard=None) -> None:
        """One TransactWriteItems: the chat item (only if the id is new) and its first message
        at (chat_id, 1) in the messages table, with the guard's block checks and rate counters
        (adapters/dynamo/guards.py). AlreadyExists for a reused id, Blocked, RateLimited."""
        checks = 0
        try:
            with self.db.tx() as tx:
                if guard is not None:
                    checks = add_checks(tx, guard, chat.created_at)
                tx.save(CHATS.to_model(chat), condition=C.chat_id.does_not_exist())
                tx.save(MESSAGES.to_model(first), condition=MessageModel.seq.does_not_exist())
        except TransactWriteError as err:
            if any(cancelled_by(err, i) for i in range(checks)):
                raise Blocked() from None
            if cancelled_by(err, checks) or cancelled_by(err, checks + 1):
                raise AlreadyExists() from None
            if any_cancelled(err):
                raise RateLimited() from None
            raise

    def get(self, chat_id: str) -> Chat | None:
        """One consistent GetItem by chat_id (none for the staff room's reserved id)."""
        if chat_id == STAFF_ROOM_ID:
            return None
        item = get_or_none(C, chat_id)
        return CHATS.to_record(item) if item is not None and item.status else None

    def get_many(self, chat_ids: Iterable[str]) -> list[Chat]:
        """One BatchGetItem (consistent; PynamoDB pages beyond 100 keys), sorted by id."""
        ids = sorted(set(chat_ids) - {STAFF_ROOM_ID})
        if not ids:
            return []
        found = {i.chat_id: i for i in C.batch_get(ids, consistent_read=True) if i.status}
        return [CHATS.to_record(found[i]) for i in ids if i in found]

    def queued(self, limit: int) -> list[Chat]:
        """One Query of by_waiting (the queued chats only), oldest created_at first."""
        return [CHATS.to_record(i) for i in C.by_waiting.query(WAITING, limit=limit)]

    def claim(self, chat: Chat, operator: Operator, conn_ids: set[str], now: float,
              stat: StatRecord | None = None) -> None:
        """One TransactWriteItems: [put claims row (chat_id, claimed_at), update the chat only
        while queued with the delivery lists read (first_claimed_at only if unset), update the
        operator only with room, record the wait in one of the home desk's recent-wait slots,
        put the statistics record as claimed]. ClaimLost / AtCapacity."""
        try:
            with self.db.tx() as tx:
                tx.save(ClaimModel(chat.chat_id, now, operator_id=operator.id,
                                   operator_name=operator.name, expires_at=ttl(chat.expires_at)))
                tx.update(C(chat.chat_id),
                          actions=[C.status.set(ACTIVE), C.waiting.remove(), C.operator_id.set(operator.id),
                                   C.operator_name.set(operator.name), C.claimed_at.set(now),
                                   C.first_claimed_at.set(C.first_claimed_at | now),
                                   C.operator_conns.set(set(conn_ids) or None)],
                          condition=(C.status == QUEUED) & unchanged(C.conn_version, chat.conn_version))
                tx.update(O(operator.id), actions=[O.active_chats.add(1), O.chats.add({chat.chat_id})],
                          condition=_has_room())
                # unconditional: a home desk whose item is missing (never listed) gets a stub
                tx.update(Q(chat.queue), actions=[wait_slot(now).set(round(now - chat.created_at, 1))])
                if stat is not None:
                    tx.save(stat_item(stat))
        except TransactWriteError as err:
            chat_at = 2 if stat is not None else 1  # PynamoDB sends the puts first, then the updates
            if cancelled_by(err, chat_at):
                raise ClaimLost() from None
            if cancelled_by(err, chat_at + 1):
                raise AtCapacity() from None
            raise

    def transfer(self, chat: Chat, target: Operator, target_conns: set[str], now: float,
                 note: str | None) -> None:
        """One TransactWriteItems: [put claims row with from_operator_id and note, update the
        chat only while active and held by chat.operator_id, update the target only with room,
        update the holder]: both counts move in the same step. StaleRead / AtCapacity."""
        holder = chat.operator_id
        try:
            with self.db.tx() as tx:
                tx.save(ClaimModel(chat.chat_id, now, operator_id=target.id, operator_name=target.name,
                                   from_operator_id=holder, note=note, expires_at=ttl(chat.expires_at)))
                tx.update(C(chat.chat_id),
                          actions=[C.operator_id.set(target.id), C.operator_name.set(target.name),
                                   C.operator_conns.set(set(target_conns) or None), C.claimed_at.set(now),
                                   C.observer_conns.delete(set(target_conns))],  # a supervisor taking over
                          condition=(C.status == ACTIVE) & (C.operator_id == holder))
                tx.update(O(target.id), actions=[O.active_chats.add(1), O.chats.add({chat.chat_id})],
                          condition=_has_room())
                tx.update(O(holder), actions=_gives_up(chat.chat_id), condition=O.operator_id.exists())
        except TransactWriteError as err:
            if cancelled_by(err, 2) and not cancelled_by(err, 1):
                raise AtCapacity() from None
            if any_cancelled(err):
                raise StaleRead() from None
            raise

    def requeue(self, chat: Chat, now: float, offered: list[str] | None = None) -> None:
        """One TransactWriteItems: the chat back to "queued" (operator and operator_conns
        removed; offered to `offered` from `now` when given) only while chat.operator_id holds
        it, and that operator's count down. StaleRead."""
        holder = chat.operator_id
        actions = [C.status.set(QUEUED), C.waiting.set(WAITING), C.operator_id.remove(), C.operator_name.remove(),
                   C.claimed_at.remove(), C.operator_conns.remove()]
        if offered:
            actions += [C.offered.set(list(offered)), C.offered_at.set(now), C.reminded_at.remove()]
        with stale_tx(self.db) as tx:
            tx.update(C(chat.chat_id),
                      actions=actions,
                      condition=(C.status == ACTIVE) & (C.operator_id == holder))
            tx.update(O(holder), actions=_gives_up(chat.chat_id), condition=O.operator_id.exists())

    def offer(self, chat: Chat, queue_id: str, now: float) -> bool:
        """One UpdateItem appending `queue_id` to `offered`, only while queued and offered to
        exactly the desks read (a chat written before desks existed has no list: then only
        while it has none): True for exactly one of two overlapping jobs."""
        unchanged_list = size(C.offered) == len(chat.offered)
        if len(chat.offered) == 1:
            unchanged_list = C.offered.does_not_exist() | unchanged_list
        return self._update(chat.chat_id, [C.offered.set([*chat.offered, queue_id]), C.offered_at.set(now)],
                            (C.status == QUEUED) & unchanged_list) is not None

    def end(self, chat: Chat, ended_by: str, now: float, reason: str | None = None,
            stat: StatRecord | None = None) -> None:
        """One TransactWriteItems: the chat ends only from the status and delivery lists it was
        read with (so a patron who came back meanwhile keeps an abandoned chat), an active
        chat's operator's active_chats drops in the same step (the chat stays in their `chats`
        until closed), and its statistics record is put whole. StaleRead."""
        actions = [C.status.set(ENDED), C.waiting.remove(), C.ended_at.set(now), C.ended_by.set(ended_by)]
        if reason:
            actions.append(C.end_reason.set(reason))
        with stale_tx(self.db) as tx:
            tx.update(C(chat.chat_id), actions=actions,
                      condition=(C.status == chat.status) & unchanged(C.conn_version, chat.conn_version))
            if chat.status == ACTIVE and chat.operator_id:
                tx.update(O(chat.operator_id), actions=[O.active_chats.add(-1)],
                          condition=O.active_chats > 0)
            if stat is not None:
                tx.save(stat_item(stat))

    def close(self, chat: Chat, now: float, history: Iterable[HistoryEntry] = (), *,
              purge_at: float | None = None, strip: bool = False) -> None:
        """One TransactWriteItems: an ended chat of chat.operator_id becomes "closed" and leaves
        that operator's `chats`, and its History entries (one per desk it was offered to) are
        put in the same step. The desk's privacy settings ride along: the chat listed in
        by_purge from `purge_at`, the patron's name and e-mail removed (`strip`). StaleRead."""
        actions = [C.status.set(CLOSED), C.closed_at.set(now), C.guard.remove()]  # no fingerprint after close
        if purge_at is not None:
            actions += [C.purge.set(PURGE_DUE), C.purge_at.set(purge_at)]
        if strip:
            actions += [C.patron_name.remove(), C.patron_email.remove()]
        with stale_tx(self.db) as tx:
            tx.update(C(chat.chat_id), actions=actions,
                      condition=(C.status == ENDED) & (C.operator_id == chat.operator_id))
            tx.update(O(chat.operator_id), actions=[O.chats.delete({chat.chat_id})],
                      condition=O.operator_id.exists())
            for entry in history:
                tx.save(HISTORY.to_model(entry))

    def closed_at(self, chat_id: str) -> float | None:
        """When a closed chat was closed (one GetItem of that attribute)."""
        item = get_or_none(C, chat_id)
        return float(item.closed_at) if item is not None and item.closed_at else None

    def set_record(self, chat: Chat, record: dict, history: Iterable[HistoryEntry] = ()) -> None:
        """One TransactWriteItems: the close form on the chat item, only while it is still the
        status read; the History entries rewritten; an ended chat's statistics record given
        the form's question type, READ level and tags (never its note). StaleRead."""
        with stale_tx(self.db) as tx:
            tx.update(C(chat.chat_id), actions=[C.record.set(record)], condition=C.status == chat.status)
            for entry in history:
                tx.save(HISTORY.to_model(entry))
            if chat.status != ACTIVE and chat.status != QUEUED:
                item, actions = form_update(chat.created_at, chat.chat_id, record, chat.expires_at)
                tx.update(item, actions=actions)

    def _update(self, chat_id: str, actions: list, condition=None) -> Chat | None:
        cond = C.status.exists() if condition is None else C.status.exists() & condition
        item = update_or_none(C(chat_id), actions, cond)
        return CHATS.to_record(item) if item is not None else None

    def attach_patron(self, chat_id: str, conn_id: str) -> Chat | None:
        """One UpdateItem: ADD the id to patron_conns, bump conn_version, presence "online"."""
        return self._update(chat_id, [C.patron_conns.add({conn_id}), C.conn_version.add(1),
                                      C.patron_presence.set("online"), C.patron_left_at.remove()])

    def attach_operator(self, chat_id: str, operator_id: str, conn_ids: set[str]) -> None:
        """One UpdateItem: ADD to operator_conns, only while `operator_id` holds the chat."""
        if conn_ids:
            self._update(chat_id, [C.operator_conns.add(set(conn_ids)), C.conn_version.add(1)],
                         C.operator_id == operator_id)

    def detach(self, chat_id: str, conn_id: str) -> Chat | None:
        """One UpdateItem: DELETE the id from all three delivery lists (a 410 or a disconnect
        need not know which holds it), bump conn_version; ALL_NEW tells the caller whether
        patron_conns is now empty (DynamoDB drops an emptied set)."""
        return self._update(chat_id, [C.patron_conns.delete({conn_id}), C.operator_conns.delete({conn_id}),
                                      C.observer_conns.delete({conn_id}), C.conn_version.add(1)])

    def observe(self, chat_id: str, conn_id: str, on: bool) -> Chat | None:
        """One UpdateItem: ADD the id to observer_conns (only while the chat is open) or
        DELETE it, bumping conn_version either way; the chat as it now is, None if refused."""
        if on:
            return self._update(chat_id, [C.observer_conns.add({conn_id}), C.conn_version.add(1)],
                                C.status.is_in(*OPEN_STATES))
        return self._update(chat_id, [C.observer_conns.delete({conn_id}), C.conn_version.add(1)])

    def mark_patron_offline(self, chat_id: str, now: float) -> bool:
        """One UpdateItem, only while open and no patron connection came back meanwhile; the
        time is what the abandoned-chat sweep measures its grace period from."""
        return self._update(chat_id, [C.patron_presence.set("offline"), C.patron_left_at.set(now)],
                            C.patron_conns.does_not_exist() & C.status.is_in(*OPEN_STATES)) is not None

    def set_presence(self, chat_id: str, presence: str) -> None:
        """One UpdateItem of patron_presence; nothing for a missing chat."""
        self._update(chat_id, [C.patron_presence.set(presence)])

    def mark_reminded(self, chat_id: str, now: float) -> bool:
        """One UpdateItem setting reminded_at only if absent and the chat still queued: True
        for exactly one caller, so concurrent scheduler runs cannot both remind."""
        return self._update(chat_id, [C.reminded_at.set(now)],
                            C.reminded_at.does_not_exist() & (C.status == QUEUED)) is not None

    def mark_ticket_offered(self, chat_id: str, now: float) -> bool:
        """One UpdateItem setting ticket_offered_at only if absent and the chat still queued:
        the patron is offered a ticket once, however many scheduler runs overlap."""
        return self._update(chat_id, [C.ticket_offered_at.set(now)],
                            C.ticket_offered_at.does_not_exist() & (C.status == QUEUED)) is not None
