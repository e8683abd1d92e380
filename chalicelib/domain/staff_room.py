"""The Internal Staff Chat: one room every signed-in operator joins at `hello`.

The room is its own aggregate (model.StaffRoom): members keyed by connection id, so a second
tab is a second member and a name change never leaves a stale entry. What is said in it goes
through the shared conversation log like any chat (conversation.py sends and types in it);
this module is its membership and the system notices the service posts there.
"""
from __future__ import annotations

from typing import Callable

from . import events as ev
from .limits import WRITE_ATTEMPTS
from .model import Member, Message, Operator, StaffRoom, SYSTEM
from .ports import ConversationLog, StaffRoomRepository, StaleRead


class StaffRoomService:
    def __init__(self, room: StaffRoomRepository, log: ConversationLog, events: ev.Dispatcher, *,
                 retention_seconds: int, clock: Callable[[], float]) -> None:
        self.room = room
        self.log = log
        self.events = events
        self.retention_seconds = retention_seconds
        self.clock = clock

    def join(self, connection_id: str, operator: Operator) -> StaffRoom:
        """One UpdateItem (the room is created on first use)."""
        return self.room.join(connection_id, Member(operator.id, operator.name), self.clock())

    def leave(self, connection_id: str) -> None:
        self.room.leave(connection_id)

    def notice(self, text: str) -> None:
        """A system line in the room (someone takes one chat at a time today, say)."""
        for _ in range(WRITE_ATTEMPTS):
            room = self.room.get()
            if room is None:
                return
            now = self.clock()
            msg = Message(chat_id=room.id, seq=room.last_seq + 1, sender_role=SYSTEM,
                          sent_at=now, text=text, expires_at=int(now) + self.retention_seconds)
            try:
                self.log.append(room, msg)
            except StaleRead:
                continue
            room.last_seq = msg.seq
            self.events.emit(ev.MESSAGE_SENT, conversation=room, message=msg)
            return
