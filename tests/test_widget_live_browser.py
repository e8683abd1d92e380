"""The patron widget following the service's facts live (issue 9), in real chromium against the
real local service, the librarian a real WebSocket client (tests.e2e.Client):

- a librarian coming online (or going away) reaches a patron on the offline screen or the form
  by a push on the widget's `?watch=status` connection: no click, no polling; what the patron
  typed survives the form going away and coming back; "Check again" still works;
- a claim made at once (right after the patron's POST /api/chats, while the widget connects)
  never puts "... joined the chat" above the question, also after a reload (20 in a row);
- the header says "Reconnecting…" (not "Chatting with ..." with a green dot) while the network
  is down;
- patrons are told that librarians see what they type before they send it.

WebSocket frames the page receives are read from Playwright's `framereceived` events; waiting
for one is `wait_frame` (Playwright's own wait for the next frame, until the one wanted is in).
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser import FRAME, LAUNCHER, drop_patron_connections, rgb
from tests.test_widget_browser import (LIBRARIAN, claim, end_as_librarian, librarian, open_demo, snap, start_chat,
                                       wait_status)

PREVIEW_NOTE = "Librarians can see what you type before you send it."


def record_sockets(page) -> list:
    """Every WebSocket the page opens, each with `.received` (its frames, parsed)."""
    sockets = []

    def on_socket(ws):
        ws.received = []
        ws.on("framereceived", lambda payload: isinstance(payload, str) and ws.received.append(json.loads(payload)))
        sockets.append(ws)

    page.on("websocket", on_socket)
    return sockets


def wait_frame(ws, pred) -> dict:
    """The first frame `ws` received for which `pred` holds, waiting for more until it comes."""
    while True:
        for frame in ws.received:
            if pred(frame):
                return frame
        ws.wait_for_event("framereceived", timeout=10_000)


def wait_closed(ws) -> None:
    if not ws.is_closed():
        ws.wait_for_event("close", timeout=10_000)


def watchers(sockets) -> list:
    return [ws for ws in sockets if "watch=status" in ws.url]


def test_a_librarian_coming_online_brings_the_form_without_a_click(svc, new_context):
    wait_status(svc, online=False)
    context, page, errors = open_demo(svc, new_context)
    status_calls: list[str] = []
    page.on("request", lambda r: "/api/status" in r.url and status_calls.append(r.url))
    sockets = record_sockets(page)
    with page.expect_websocket(lambda ws: "watch=status" in ws.url):
        page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    expect(chat.get_by_role("heading", name="No librarians are online right now")).to_be_visible()
    [watch] = watchers(sockets)
    assert "token=" not in watch.url
    welcome = wait_frame(watch, lambda f: f.get("type") == "welcome")
    assert (welcome["role"], welcome["status"]["online"]) == ("watcher", False)
    snap(page, "widget-live-01-offline")

    with librarian(svc) as op:
        # an operator signs in over a real WebSocket: the widget shows the form by itself
        expect(chat.get_by_label("Your question")).to_be_visible()
        expect(chat.locator(".lc-status")).to_have_text("Librarians are online")
        assert wait_frame(watch, lambda f: f.get("type") == "service.status" and f["online"])
        assert len(status_calls) == 1, status_calls  # pushed, not polled
        question = "Do you keep the parish registers from before 1850?"
        chat.get_by_label("Your question").fill(question)
        chat.get_by_label("Your name").fill("Robin")
        snap(page, "widget-live-02-form-by-itself")

        # the librarian steps away: the offline screen, what the patron typed kept
        op.send(action="status", state="away")
        expect(chat.get_by_role("heading", name="No librarians are online right now")).to_be_visible()
        expect(chat.get_by_text("We've kept what you wrote", exact=False)).to_be_visible()
        snap(page, "widget-live-03-offline-kept")
        # "Check again" still asks (and still finds nobody)
        chat.get_by_role("button", name="Check again").click()
        expect(chat.get_by_role("heading", name="No librarians are online right now")).to_be_visible()
        assert len(status_calls) == 2, status_calls
        # back: the form again, with the question and the name as they were
        op.send(action="status", state="available")
        expect(chat.get_by_label("Your question")).to_have_value(question)
        expect(chat.get_by_label("Your name")).to_have_value("Robin")
        assert not watch.is_closed() and len(watchers(sockets)) == 1, "one watch connection all along"

        # the panel closes: so does the watch; it opens again with the panel
        chat.get_by_role("button", name="Minimize chat").click()
        wait_closed(watch)
        with page.expect_websocket(lambda ws: "watch=status" in ws.url):
            page.get_by_role("button", name=LAUNCHER).click()
        expect(chat.get_by_label("Your question")).to_have_value(question)
        watch = watchers(sockets)[-1]

        # a chat starts: its own connection takes over, the watch closes
        chat.get_by_role("button", name="Start chat").click()
        queued = op.wait("chat.queued", where=lambda f: f["chat"]["question"] == question)
        wait_closed(watch)
        expect(chat.get_by_text("A librarian will be with you shortly.")).to_be_visible()
        expect(chat.locator(".lc-log-list .lc-msg--own")).to_contain_text(question)  # connected: welcome and backlog
        chat.get_by_role("button", name="End chat").click()
        chat.get_by_role("button", name="Yes, end chat").click()
        op.wait("chat.ended", chat_id=queued["chat"]["chat_id"])
    assert errors == []


def assert_question_first(chat, question: str) -> None:
    items = chat.locator(".lc-log-list > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text(question)
    expect(items.nth(0)).to_have_class(re.compile(r"\blc-msg--own\b"))
    expect(items.nth(1)).to_contain_text(f"{LIBRARIAN} joined the chat")


def test_quick_claims_never_put_joined_above_the_question_also_after_a_reload(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        page.get_by_role("button", name=LAUNCHER).click()
        chat = page.frame_locator(FRAME)
        for i in range(1, 21):
            question = f"Quick claim {i} of 20: is the reading room open late on Thursdays?"
            chat.get_by_label("Your question").fill(question)
            chat.get_by_role("button", name="Start chat").click()
            # the claim goes out the moment the chat exists (chat.queued is pushed during the
            # patron's POST /api/chats), while the widget is still opening its connection
            chat_id = op.wait("chat.queued", where=lambda f, q=question: f["chat"]["question"] == q)["chat"]["chat_id"]
            op.send(action="claim", chat_id=chat_id)
            op.wait("chat.claimed", chat_id=chat_id)
            try:
                assert_question_first(chat, question)
                page.reload()
                chat = page.frame_locator(FRAME)
                expect(chat.locator(".lc-status")).to_have_text(f"Chatting with {LIBRARIAN}")
                assert_question_first(chat, question)
            finally:
                end_as_librarian(op, chat_id)
            chat.get_by_role("button", name="Skip").click()
            chat.get_by_role("button", name="Start a new chat").click()
            expect(chat.get_by_label("Your question")).to_be_focused()
        snap(page, "widget-live-04-after-quick-claims")
    assert errors == []


def test_the_header_says_reconnecting_while_the_network_is_down(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        chat, chat_id = start_chat(page, op, "Header test: may I renew a book that is overdue?")
        status = chat.locator(".lc-status")
        dot = chat.locator(".lc-status .lc-dot")
        try:
            claim(op, chat, chat_id)
            expect(status).to_have_text(f"Chatting with {LIBRARIAN}")
            expect(status).to_have_attribute("data-tone", "active")
            green = rgb(page, dot)
            assert green[1] > 150 and green[0] < 120, green

            context.set_offline(True)
            assert drop_patron_connections(svc, chat_id) >= 1
            expect(status).to_have_text("Reconnecting…")
            expect(status).to_have_attribute("data-tone", "reconnecting")
            expect(chat.get_by_text(f"Chatting with {LIBRARIAN}")).to_have_count(0)
            assert dot.evaluate("(el) => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)", "no green dot"
            snap(page, "widget-live-05-header-reconnecting")

            context.set_offline(False)
            expect(status).to_have_text(f"Chatting with {LIBRARIAN}")
            expect(chat.get_by_role("status").filter(has_text="Reconnecting…")).to_have_count(0)
        finally:
            context.set_offline(False)
            end_as_librarian(op, chat_id)
        expect(status).to_have_text("Chat ended")
    assert errors == []


def test_patrons_are_told_that_librarians_see_their_typing(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        sockets = record_sockets(page)
        chat, chat_id = start_chat(page, op, "Preview test: do you have large-print crosswords?")
        try:
            welcome = wait_frame(sockets[-1], lambda f: f.get("type") == "welcome")
            assert welcome.get("typing_preview", True) is True
            note = chat.get_by_text(PREVIEW_NOTE)
            expect(note).to_be_visible()
            claim(op, chat, chat_id)
            draft = chat.get_by_label("Message")
            expect(note).to_be_in_viewport()
            assert note.evaluate("(n) => n.getBoundingClientRect().bottom") <= draft.evaluate(
                "(d) => d.getBoundingClientRect().top"), "the note sits above the text box"
            draft.press_sequentially("Large print", delay=30)
            typing = op.wait("chat.typing", where=lambda f: f.get("preview") == "Large print", drop_older=True)
            assert typing["role"] == "patron"
            snap(page, "widget-live-06-preview-note")
        finally:
            end_as_librarian(op, chat_id)
        expect(note).to_have_count(0)  # the composer (and its note) go with the chat
    assert errors == []
