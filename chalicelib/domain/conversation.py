"""What is said in a conversation (a patron's chat or the staff room): messages, typing,
presence, history. Both kinds share one message log: gap-free seqs, the client_msg_id marker
and the delivery lists that say who hears it.

Budgets (DESIGN.md) as repository calls:
- `send`: one GetItem of the conversation + one `log.append` transaction, no Query.
- `typing`: one GetItem, no write.
A file attachment adds one S3 HeadObject (files.py), not a DynamoDB request.
"""
from __future__ import annotations

from typing import Callable

from ..errors import ServiceError, bad_request, not_found
from . import events as ev
from .access import Access, Caller
from .chats import chat_id_of, live_chat
from .limits import BACKLOG_PAGE, WRITE_ATTEMPTS
from .model import ACTIVE, OPEN_STATES, OPERATOR, PATRON, STAFF_ROOM_ID, Chat, Message, StaffRoom
from .ports import (ChatRepository, ConnectionRepository, ConversationLog, DuplicateMessage,
                    StaffRoomRepository, StaleRead)


def message_frame(conversation_id: str, message: Message) -> dict:
    return {"type": "chat.message", "chat_id": conversation_id, "message": message.to_wire()}


def backlog(log: ConversationLog, conversation_id: str, after: int) -> list[Message]:
    """Every message after `after`, a Query per page."""
    out: list[Message] = []
    while True:
        page = log.after(conversation_id, after, BACKLOG_PAGE)
        out.extend(page)
        if len(page) < BACKLOG_PAGE:
            return out
        after = page[-1].seq


class Conversation:
    def __init__(self, chats: ChatRepository, log: ConversationLog, room: StaffRoomRepository,
                 connections: ConnectionRepository, access: Access, events: ev.Dispatcher, *,
                 retention_seconds: int, clock: Callable[[], float], files=None,
                 typing_preview: bool = True, preview_of: Callable | None = None) -> None:
        self.chats = chats
        self.log = log
        self.room = room
        self.connections = connections
        self.access = access
        self.events = events
        self.retention_seconds = retention_seconds
        self.clock = clock
        self.typing_preview = typing_preview  # off: a patron's draft never reaches operators
        # per desk (domain/privacy.py), through the cached directory: no request on a warm container
        self.previews = preview_of or (lambda chat: self.typing_preview)
        self.files = files  # a FilesService (files.py); None: attachments are refused

    def _conversation(self, chat_id: str) -> Chat | StaffRoom:
        if chat_id == STAFF_ROOM_ID:
            room = self.room.get()
            if room is None:
                raise not_found("no such chat")
            return room
        return live_chat(self.chats, chat_id, self.clock())

    # ---------------------------------------------------------------- send

    def send(self, connection_id: str, cmd) -> list[dict]:
        if cmd.attachment is not None and self.files is None:
            raise bad_request("attachments are not enabled on this service yet")
        chat_id = chat_id_of(self.connections, connection_id, cmd.chat_id)
        attachment = None
        if cmd.attachment is not None:  # one S3 HeadObject; the DynamoDB budget is unchanged
            attachment = self.files.check_attachment(chat_id, cmd.attachment)
        for _ in range(WRITE_ATTEMPTS):
            conv = self._conversation(chat_id)
            msg = self._message(conv, connection_id, cmd, attachment)
            try:
                self.log.append(conv, msg)
            except DuplicateMessage as dup:
                stored = self.log.get(chat_id, dup.seq)
                return [message_frame(chat_id, stored)] if stored else []
            except StaleRead:
                continue
            conv.last_seq = msg.seq
            self.events.emit(ev.MESSAGE_SENT, conversation=conv, message=msg)
            return []
        raise ServiceError("conflict", "the chat is busy; send the message again")

    def _message(self, conv: Chat | StaffRoom, connection_id: str, cmd, attachment) -> Message:
        role = self.access.member_role(conv, connection_id)
        now = self.clock()
        msg = Message(chat_id=conv.id, seq=conv.last_seq + 1, sender_role=role, sent_at=now,
                      text=cmd.text, client_msg_id=cmd.client_msg_id, attachment=attachment)
        if isinstance(conv, StaffRoom):  # many operators in one room: who is behind this connection
            member = conv.members[connection_id]
            msg.sender_id, msg.sender_name = member.operator_id, member.name
            msg.expires_at = int(now) + self.retention_seconds
            return msg
        allowed = OPEN_STATES if role == PATRON else (ACTIVE,)
        if conv.status not in allowed:
            raise ServiceError("invalid_state", f"this chat is {conv.status}; messages cannot be sent")
        if role == OPERATOR:
            msg.sender_id, msg.sender_name = conv.operator_id, conv.operator_name
        else:
            msg.sender_name = conv.patron_name
        msg.expires_at = conv.expires_at
        return msg

    # ------------------------------------------------------ typing, presence

    def typing(self, connection_id: str, cmd) -> list[dict]:
        conv = self._conversation(chat_id_of(self.connections, connection_id, cmd.chat_id))
        role = self.access.member_role(conv, connection_id)
        if isinstance(conv, StaffRoom) or conv.is_open:
            self.events.emit(ev.TYPING, conversation=conv, role=role, typing=cmd.typing,
                             preview=cmd.preview if role == PATRON and cmd.typing
                             and self.previews(conv) else None,
                             connection_id=connection_id)
        return []

    def presence(self, connection_id: str, cmd) -> list[dict]:
        chat = live_chat(self.chats, chat_id_of(self.connections, connection_id, cmd.chat_id),
                         self.clock())
        if self.access.member_role(chat, connection_id) != PATRON:
            raise ServiceError("forbidden", "presence is reported by the patron")
        if chat.is_open and chat.patron_presence != cmd.state:
            self.chats.set_presence(chat.chat_id, cmd.state)
            chat.patron_presence = cmd.state
            self.events.emit(ev.PRESENCE_CHANGED, chat=chat, presence=cmd.state)
        return []

    # ------------------------------------------------------------- history

    def history(self, caller: Caller, chat_id: str, after_raw: str | None) -> dict:
        self.access.may_read(caller, chat_id)
        try:
            after = int(after_raw) if after_raw not in (None, "") else 0
        except ValueError:
            raise bad_request("'after' must be an integer") from None
        if after < 0:
            raise bad_request("'after' must not be negative")
        conv = self._conversation(chat_id)
        return {"messages": [m.to_wire() for m in self.log.after(conv.id, after, BACKLOG_PAGE)]}
