"""The waiting patrons' place in line: `chat.line` whenever the line ahead of them moves.

A chat leaves the line (claimed, or ended while waiting) or joins one more desk's line (a
rollover, a transfer back to a desk): the waiting chats that share a desk with it may have a
new place. One Query of the waiting chats (the by_waiting index, which holds each waiting chat's
patron connections) tells every place; each affected patron gets one frame.
"""
from __future__ import annotations

from typing import Callable, Iterable

from ..domain import events as ev
from ..domain.limits import QUEUED_PAGE
from ..domain.model import QUEUED, Chat
from ..domain.ports import ChatRepository
from ..domain.queues import Desks, line_positions


class Line:
    def __init__(self, chats: ChatRepository, desks: Desks,
                 deliver: Callable[[Iterable[str], dict, str | None], int]) -> None:
        self.chats = chats
        self.desks = desks
        self.deliver = deliver

    def subscribe(self, dispatcher: ev.Dispatcher) -> None:
        dispatcher.subscribe(ev.CHAT_CLAIMED, lambda chat, **_: self.moved(chat))
        dispatcher.subscribe(ev.CHAT_OFFERED, lambda chat, **_: self.moved(chat))
        dispatcher.subscribe(ev.CHAT_ENDED, self._ended)
        dispatcher.subscribe(ev.CHAT_TRANSFERRED, self._transferred)

    def _ended(self, chat: Chat, previous_status: str, **_) -> None:
        if previous_status == QUEUED:
            self.moved(chat)

    def _transferred(self, chat: Chat, to_operator, **_) -> None:
        if to_operator is None:
            self.moved(chat)

    def moved(self, changed: Chat) -> None:
        desks = set(changed.offered)
        waiting = [c for c in self.chats.queued(QUEUED_PAGE) if c.chat_id != changed.chat_id]
        if changed.status == QUEUED:
            waiting.append(changed)
        places = line_positions(waiting)
        for chat in waiting:
            if not chat.patron_conns or not desks & set(chat.offered):
                continue
            frame = {"type": "chat.line", "chat_id": chat.chat_id, "position": places[chat.chat_id]}
            wait = self.desks.expected_wait(chat, places[chat.chat_id])
            if wait is not None:
                frame["expected_wait_seconds"] = wait
            self.deliver(chat.patron_conns, frame, chat.chat_id)
