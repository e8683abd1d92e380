"""What the patron's typing costs, in real chromium against the real local runner, the
librarian a real WebSocket client (tests.e2e.Client) connected as an operator:

- while the chat waits (queued) the widget sends no `typing` at all: no librarian's pane would
  show it (and the service drops it);
- once claimed, a 60-character message typed at 3 characters a second reaches the librarian as
  a handful of `chat.typing` frames (a notice at the first keystroke, then the draft after
  10 s of steady typing), each carrying the draft as it was, and no "stopped" after the
  send (the dashboard clears the notice when the message arrives);
- a pause brings the latest draft (at least 4 s after the one before); an emptied draft says
  "stopped", once.

Frames the page sends are recorded from Playwright's `framesent` events (tests/browser.py
frames_sent); what the librarian received up to a fact is taken with a barrier (ping/pong on
the librarian's connection after the message arrived), never after a sleep.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import frames_sent, sent_when
from tests.test_widget_browser import claim, end_as_librarian, librarian, open_demo, snap, start_chat

pytestmark = pytest.mark.timeout(180)

MESSAGE = "Hello, do you have the third edition of Dune on the shelves?"
assert len(MESSAGE) == 60


def typing_sent(sent: list[dict], chat_id: str) -> list[dict]:
    return [f for f in sent if f.get("action") == "typing" and f.get("chat_id") == chat_id]


def test_a_sixty_character_message_costs_a_few_typing_frames(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        sent = frames_sent(page)
        chat, chat_id = start_chat(page, op, "Typing test: may I ask about a book?")
        try:
            draft = chat.get_by_label("Message")
            # queued: the patron adds details while waiting, and nothing goes out about it
            draft.press_sequentially("It is for my class", delay=50)
            op.send(action="claim", chat_id=chat_id)
            op.wait("chat.claimed", chat_id=chat_id)
            assert typing_sent(sent, chat_id) == [], "no typing while nobody has the chat"
            expect(chat.get_by_text("Libby Librarian joined the chat")).to_be_visible()
            draft.fill("")
            op.barrier()

            # claimed: 60 characters at 3 a second, then Enter
            draft.press_sequentially(MESSAGE, delay=333, timeout=60_000)  # about 20 s of typing
            draft.press("Enter")
            op.wait("chat.message", chat_id=chat_id, where=lambda f: f["message"].get("text") == MESSAGE)
            frames = [f for f in op.barrier() if f["type"] == "chat.typing" and f["chat_id"] == chat_id]
            print(f"typing frames the librarian got for {len(MESSAGE)} characters: {len(frames)}")
            assert 1 <= len(frames) <= 6, frames
            assert all(f["role"] == "patron" and f["typing"] is True for f in frames), "no 'stopped' after the send"
            previews = [f.get("preview") for f in frames]
            assert previews[0] == "H", "a notice at the first keystroke"
            assert all(p and MESSAGE.startswith(p) for p in previews), previews
            assert max(len(p) for p in previews) >= 25, f"the librarian saw the draft grow: {previews}"
            assert previews == sorted(previews, key=len), previews
            sent_when(page, sent, lambda s: len(typing_sent(s, chat_id)) >= len(frames))
            assert len(typing_sent(sent, chat_id)) == len(frames), "the page sent what the librarian got"
            snap(page, "widget-typing-01-sent")

            # a pause brings the latest draft; emptied, the notice stops once
            before = len(typing_sent(sent, chat_id))
            draft.press_sequentially("Which floor?", delay=30)
            # (the notice at its first keystroke came before: out of date, taken with it)
            typing = op.wait("chat.typing", chat_id=chat_id, where=lambda f: f.get("preview") == "Which floor?",
                             drop_older=True)
            assert typing["typing"] is True
            draft.fill("")
            op.wait("chat.typing", chat_id=chat_id, where=lambda f: f["typing"] is False)
            rest = [f for f in op.barrier() if f["type"] == "chat.typing" and f["chat_id"] == chat_id]
            assert rest == [], rest
            sent_when(page, sent, lambda s: any(f["typing"] is False for f in typing_sent(s, chat_id)[before:]))
            assert [f["typing"] for f in typing_sent(sent, chat_id)[before:]] == [True, True, False]
        finally:
            end_as_librarian(op, chat_id)
    assert errors == []
