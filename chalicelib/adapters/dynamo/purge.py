"""PurgeRepository: deleting a chat's transcript from every table (docs/privacy.md), the
statistics record excepted. Not one request: a chat's messages are as many items as it had
messages, so it is one Query per table that holds them and BatchWriteItem deletes (25 keys a
request, unprocessed keys retried by PynamoDB's batch writer), then the chat item last. The
chat keeps its `purge` mark until that last delete, so a purge cut short is listed again by
`due` and finished (every step is idempotent).
"""
from __future__ import annotations

from typing import Iterable

from pynamodb.exceptions import DeleteError

from ...domain.model import PATRON, Chat
from ...domain.ticket_model import HistoryEntry
from .base import condition_failed, update_or_none
from .mapper import CHATS
from .models import (PURGE_DUE, ChatModel as C, ClaimModel, ConnectionModel, HistoryModel, MessageIdModel,
                     MessageModel, OperatorModel as O, SurveyModel)


class DynamoPurge:
    def mark(self, chat_id: str, at: float, *, unless_sooner: bool = False) -> bool:
        """One UpdateItem: the chat is listed for purging from `at` (only if it exists; with
        `unless_sooner`, only if it is not listed for an earlier time already)."""
        condition = C.status.exists()
        if unless_sooner:
            condition &= C.purge_at.does_not_exist() | (C.purge_at > at)
        return update_or_none(C(chat_id), [C.purge.set(PURGE_DUE), C.purge_at.set(at)], condition) is not None

    def due(self, now: float, limit: int) -> list[Chat]:
        """One Query of by_purge: the chats marked for purging at or before `now`, oldest first."""
        return [CHATS.to_record(i) for i in C.by_purge.query(PURGE_DUE, C.purge_at <= now, limit=limit)]

    def strip_names(self, chat_id: str) -> int:
        """The patron's name off every message that carries it (a desk that strips identity at
        close): one Query of the conversation, then the named messages put again without it
        (BatchWriteItem; messages never change otherwise, so a whole put is safe)."""
        named = [m for m in MessageModel.query(chat_id) if m.sender_name and m.sender_role == PATRON]
        with MessageModel.batch_write() as batch:
            for message in named:
                message.sender_name = None
                batch.save(message)
        return len(named)

    def purge(self, chat: Chat, history: Iterable[HistoryEntry] = ()) -> None:
        """Messages, client-message-id markers and claims rows (a Query each, keys only, then
        batch deletes), the History entries named, the survey, the connection records of a
        patron still connected, the chat's place on its librarian's dashboard; the chat item
        last."""
        for model, range_attr in ((MessageModel, "seq"), (MessageIdModel, "client_msg_id"),
                                  (ClaimModel, "claimed_at")):
            keys = [getattr(i, range_attr) for i in model.query(chat.chat_id, attributes_to_get=[range_attr])]
            with model.batch_write() as batch:
                for key in keys:
                    batch.delete(model(chat.chat_id, key))
        with HistoryModel.batch_write() as batch:
            for h in history:
                batch.delete(HistoryModel(f"{h.desk}#{h.day}", h.sort_key))
        SurveyModel(chat.chat_id).delete()
        for conn_id in chat.patron_conns:  # a patron still connected: its record names the chat
            try:
                ConnectionModel(conn_id).delete(condition=ConnectionModel.chat_id == chat.chat_id)
            except DeleteError as err:
                if not condition_failed(err):  # gone already, or now another chat's: leave it
                    raise
        if chat.operator_id:
            update_or_none(O(chat.operator_id), [O.chats.delete({chat.chat_id})], O.operator_id.exists())
        C(chat.chat_id).delete()
