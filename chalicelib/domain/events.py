"""Named domain events and a tiny synchronous dispatcher (Chatwoot's dispatcher/listener idea).

The service says what happened (`message_sent`, `chat_claimed`, ...); listeners decide what that
means on the wire (pushes to connections) or elsewhere (notifications, metrics). Listeners run
in order, in the same invocation, because a Lambda may be frozen as soon as it returns.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

CHAT_QUEUED = "chat_queued"
CHAT_CLAIMED = "chat_claimed"
MESSAGE_SENT = "message_sent"
TYPING = "typing"
PRESENCE_CHANGED = "presence_changed"
CHAT_ENDED = "chat_ended"
CHAT_CLOSED = "chat_closed"
OPERATOR_STATUS = "operator_status"
CHAT_TRANSFERRED = "chat_transferred"
CHAT_OFFERED = "chat_offered"  # a waiting chat rolled over: also offered to one more desk
WATCHING_CHANGED = "watching_changed"  # a librarian's desks changed: tell their other tabs
CHAT_WAITING = "chat_waiting"  # still unclaimed after the configured wait (one reminder)
TICKET_OFFERED = "ticket_offered"  # its patron may leave the question as a ticket (once)
CHAT_OBSERVED = "chat_observed"  # a supervisor looked into a chat, or stopped (supervision.py)

Listener = Callable[..., Any]


class Dispatcher:
    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = defaultdict(list)
        self.emitted: list[tuple[str, dict]] | None = None  # set to [] to record (tests)

    def subscribe(self, name: str, listener: Listener) -> None:
        self._listeners[name].append(listener)

    def emit(self, name: str, **data: Any) -> None:
        if self.emitted is not None:
            self.emitted.append((name, data))
        for listener in self._listeners[name]:
            listener(**data)
