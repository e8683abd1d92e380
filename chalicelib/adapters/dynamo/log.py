"""ConversationLog: the messages of every conversation, a patron's chat or the staff room.

Keys: messages (chat_id = the conversation id, seq) so a history is one Query in seq order;
message-ids (chat_id, client_msg_id) -> seq, the marker that makes a resend harmless. The
conversation item (chats table, its own id or "staff") holds `last_seq`. Whether it is a chat
or the room is decided here only; the domain hands either to `append`.
"""
from __future__ import annotations

from pynamodb.exceptions import TransactWriteError

from ...domain.model import OPERATOR, PATRON, Chat, Message, StaffRoom
from ...domain.ports import DuplicateMessage, StaleRead
from .base import Db, cancelled_by, get_or_none, unchanged
from .mapper import MESSAGES, ttl
from .models import ChatModel, MessageIdModel, MessageModel, StaffRoomModel


def _advance(conversation: Chat | StaffRoom, message: Message):
    """The conversation item's update: last_seq moves to the message's seq only from the value
    read, with the delivery lists read (conn_version) and, for a chat, the status read; a
    chat also counts the message in its sender's tally (the statistics' messages each way)."""
    if isinstance(conversation, StaffRoom):
        model = StaffRoomModel
        condition = (model.last_seq == conversation.last_seq) & model.members.exists()
        actions = [model.last_seq.set(message.seq)]
    else:
        model = ChatModel
        condition = (model.last_seq == conversation.last_seq) & (model.status == conversation.status)
        actions = [model.last_seq.set(message.seq)]
        if message.sender_role == PATRON:
            actions.append(model.msgs_patron.add(1))
        elif message.sender_role == OPERATOR:
            actions.append(model.msgs_librarian.add(1))
    condition &= unchanged(model.conn_version, conversation.conn_version)
    return model(conversation.id), actions, condition


class DynamoLog:
    def __init__(self, db: Db) -> None:
        self.db = db

    def append(self, conversation: Chat | StaffRoom, message: Message) -> None:
        """One TransactWriteItems: [put message (chat_id, seq) only if that seq is free, put the
        client_msg_id marker only if absent (ALL_OLD, so a duplicate reports its stored seq),
        update the conversation's last_seq from the value read]. Both new items expire with
        message.expires_at. So seqs have no gaps and a resend is stored once.
        DuplicateMessage / StaleRead."""
        cmid = message.client_msg_id
        try:
            with self.db.tx() as tx:
                tx.save(MESSAGES.to_model(message), condition=MessageModel.seq.does_not_exist())
                if cmid:
                    tx.save(MessageIdModel(conversation.id, cmid, seq=message.seq,
                                           expires_at=ttl(message.expires_at)),
                            condition=MessageIdModel.client_msg_id.does_not_exist(),
                            return_values="ALL_OLD")
                item, actions, condition = _advance(conversation, message)
                tx.update(item, actions=actions, condition=condition)
        except TransactWriteError as err:
            if cmid and cancelled_by(err, 1):
                raw = err.cancellation_reasons[1].raw_item
                seq = int(raw["seq"]["N"]) if raw and "seq" in raw else self._marker_seq(
                    conversation.id, cmid)
                raise DuplicateMessage(seq) from None
            if cancelled_by(err, 0) or cancelled_by(err, 2 if cmid else 1):
                raise StaleRead() from None
            raise

    @staticmethod
    def _marker_seq(conversation_id: str, client_msg_id: str) -> int:
        """One GetItem of the marker, only if a cancellation came without the old item."""
        marker = get_or_none(MessageIdModel, conversation_id, client_msg_id)
        if marker is None:  # expired between the two requests: the resend may go again
            raise StaleRead()
        return int(marker.seq)

    def get(self, conversation_id: str, seq: int) -> Message | None:
        """One consistent GetItem of (chat_id, seq)."""
        item = get_or_none(MessageModel, conversation_id, seq)
        return MESSAGES.to_record(item) if item is not None else None

    def after(self, conversation_id: str, after: int, limit: int) -> list[Message]:
        """One consistent Query: chat_id = id AND seq > after, in seq order, at most `limit`."""
        return [MESSAGES.to_record(i) for i in MessageModel.query(
            conversation_id, MessageModel.seq > after, consistent_read=True, limit=limit)]
