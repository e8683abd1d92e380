"""Domain events -> CloudWatch metrics on the request's log line (EMF, observability.py):
ChatsCreated, ClaimWaitSeconds, MessagesSent; and the chat a request touched, so its log line
names it even when the frame did not (a new chat, a patron's send without `chat_id`)."""
from __future__ import annotations

from ..domain import events as ev
from ..observability import metric, note_chat


class Metrics:
    def subscribe(self, dispatcher: ev.Dispatcher) -> None:
        dispatcher.subscribe(ev.CHAT_QUEUED, self.chat_queued)
        dispatcher.subscribe(ev.CHAT_CLAIMED, self.chat_claimed)
        dispatcher.subscribe(ev.MESSAGE_SENT, self.message_sent)
        for name in (ev.PRESENCE_CHANGED, ev.CHAT_ENDED, ev.CHAT_CLOSED):
            dispatcher.subscribe(name, self.touched)
        dispatcher.subscribe(ev.TYPING, self.typed)

    def chat_queued(self, chat, **_) -> None:
        note_chat(chat.chat_id)
        metric("ChatsCreated", 1, "Count")

    def chat_claimed(self, chat, **_) -> None:
        note_chat(chat.chat_id)
        if chat.claimed_at is not None:
            metric("ClaimWaitSeconds", round(max(0.0, chat.claimed_at - chat.created_at), 3),
                   "Seconds")

    def message_sent(self, conversation, message, **_) -> None:
        note_chat(conversation.id)
        metric("MessagesSent", 1, "Count")

    def typed(self, conversation, **_) -> None:
        note_chat(conversation.id)

    def touched(self, chat, **_) -> None:
        note_chat(chat.chat_id)
