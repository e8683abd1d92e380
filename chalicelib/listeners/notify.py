"""Operator notifications on SNS: a listener on the domain events, like the push listener.

Librarians are not always looking at the dashboard. A new chat publishes to the operators'
topic (always, or only when no operator is available, by configuration), and a chat still
unclaimed after a configurable wait publishes one reminder. Every message carries a `queue`
message attribute so subscribers can filter (an SNS subscription filter policy on `queue`).

Private by default: messages name the queue and how long the patron has waited, not what
they asked; `NOTIFY_INCLUDE_QUESTION=true` adds the question's first 200 characters.
"""
from __future__ import annotations

import logging
from typing import Callable

from ..domain import events as ev
from ..domain.model import Chat
from ..domain.ports import Notifier

log = logging.getLogger(__name__)

ALWAYS, WHEN_UNAVAILABLE, OFF = "always", "unavailable", "off"
MODES = (ALWAYS, WHEN_UNAVAILABLE, OFF)


class Notifications:
    def __init__(self, notifier: Notifier, *, mode: str, queue_names: dict[str, str],
                 anyone_available: Callable[[], bool], dashboard_url: str | None = None,
                 include_question: bool = False) -> None:
        if mode not in MODES:
            raise ValueError(f"NOTIFY_MODE must be one of {', '.join(MODES)}")
        self.notifier = notifier
        self.mode = mode
        self.queue_names = queue_names
        self.anyone_available = anyone_available
        self.dashboard_url = dashboard_url
        self.include_question = include_question

    def subscribe(self, dispatcher: ev.Dispatcher) -> None:
        dispatcher.subscribe(ev.CHAT_QUEUED, self.chat_queued)
        dispatcher.subscribe(ev.CHAT_WAITING, self.chat_waiting)

    def chat_queued(self, chat: Chat, note: str | None = None, **_) -> None:
        if self.mode == OFF or note is not None:  # a transfer back to the queue is not new
            return
        if self.mode == WHEN_UNAVAILABLE and self.anyone_available():
            return
        queue = self.queue_names.get(chat.queue, chat.queue)
        self._publish("chat_queued", chat, f"New chat waiting: {queue}",
                      f"A patron is waiting in \"{queue}\".")

    def chat_waiting(self, chat: Chat, waited_seconds: int) -> None:
        if self.mode == OFF:
            return
        queue = self.queue_names.get(chat.queue, chat.queue)
        minutes = max(1, round(waited_seconds / 60))
        self._publish("chat_waiting", chat, f"Still waiting: {queue}",
                      f"A patron has been waiting about {minutes} min in \"{queue}\" and no one "
                      "has claimed the chat yet.")

    def _publish(self, kind: str, chat: Chat, subject: str, text: str) -> None:
        lines = [text]
        if self.include_question:
            lines.append(f"Question: {chat.question[:200]}")
        if self.dashboard_url:
            lines.append(f"Open the dashboard: {self.dashboard_url}")
        try:
            self.notifier.publish(subject[:100], "\n".join(lines),
                                  {"queue": chat.queue, "event": kind})
        except Exception:  # a notification must never fail the patron's request
            log.exception("SNS publish of %s for %s failed", kind, chat.chat_id)
