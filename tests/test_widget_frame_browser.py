"""The patron widget's frame under real hands (issue 9): only the transcript scrolls, never the
frame (a wheel over the header used to shift the panel's content ~700 px and leave it blank,
worse after a long chat), and axe-core finds nothing serious or critical in any state: the
offline screen, the form, waiting, a long chat of 100 messages, the survey.

Real chromium on the demo page, the real local service (`svc`), the librarian a real WebSocket
client (tests.e2e.Client). Screenshots: artifacts/screenshots/widget-frame-*.png.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser import FRAME, LAUNCHER, axe_serious, patron_frame
from tests.test_widget_browser import claim, end_as_librarian, librarian, open_demo, snap, start_chat, wait_status

SCROLLS = """() => {
    const body = document.querySelector(".lc-body");
    return {
        document: document.scrollingElement.scrollTop, documentHeight: document.documentElement.scrollHeight,
        bodyHeight: document.body.scrollHeight, viewport: window.innerHeight,
        app: document.querySelector(".lc-app").scrollTop, header: document.querySelector(".lc-header").getBoundingClientRect().top,
        transcript: body.scrollTop, transcriptMax: body.scrollHeight - body.clientHeight,
    };
}"""


def assert_frame_still(frame) -> dict:
    """The frame's document is exactly its viewport and has not moved; returns the measures."""
    m = frame.evaluate(SCROLLS)
    assert m["documentHeight"] == m["viewport"] and m["bodyHeight"] <= m["viewport"], m
    assert (m["document"], m["app"], m["header"]) == (0, 0, 0), m
    return m


def test_only_the_transcript_scrolls_and_axe_finds_nothing_serious_in_any_state(svc, new_context):
    wait_status(svc, online=False)
    context, page, errors = open_demo(svc, new_context)
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    expect(chat.get_by_role("heading", name="No librarians are online right now")).to_be_visible()
    frame = patron_frame(page)
    assert axe_serious(frame) == [], "offline screen"
    assert_frame_still(frame)

    with librarian(svc) as op:
        expect(chat.get_by_label("Your question")).to_be_visible()  # pushed: no click
        assert axe_serious(frame) == [], "question form"
        chat_, chat_id = start_chat(page, op, "Frame test: a long chat about local history")
        try:
            expect(chat.get_by_text("A librarian will be with you shortly.")).to_be_visible()
            assert axe_serious(frame) == [], "waiting for a librarian"
            claim(op, chat, chat_id)
            # a long chat: 100 messages, the librarian's in runs (their names are visually hidden
            # text inside the scrolling transcript: what stretched the frame's document)
            for i in range(1, 101):
                op.send(action="send", chat_id=chat_id, client_msg_id=f"long-{i}",
                        text=f"Message {i} of 100 about the county's local history collection.")
            for _ in range(100):  # each stored (the librarian hears its echo), however busy the machine
                op.wait("chat.message", chat_id=chat_id)
            expect(chat.locator(".lc-log-list").get_by_text("Message 100 of 100", exact=False)).to_be_visible()
            expect(chat.locator(".lc-log-list .lc-msg")).to_have_count(101)
            snap(page, "widget-frame-01-long-chat")
            assert axe_serious(frame) == [], "a chat of 100 messages"
            transcript = chat.get_by_role("main", name="Conversation")
            expect(transcript).to_have_attribute("tabindex", "0")
            before = assert_frame_still(frame)
            assert before["transcriptMax"] > 2000 and before["transcript"] >= before["transcriptMax"] - 2, before

            # the wheel over the header, then over the transcript: only the transcript moves
            chat.locator(".lc-header").hover()
            page.mouse.wheel(0, 700)
            page.mouse.wheel(0, -700)
            chat.locator(".lc-log-list .lc-msg").nth(95).hover()
            page.mouse.wheel(0, -700)
            frame.wait_for_function("(top) => document.querySelector('.lc-body').scrollTop < top - 300",
                                    arg=before["transcript"])
            after = assert_frame_still(frame)
            assert after["transcript"] < before["transcript"], (before, after)
            expect(chat.get_by_role("button", name="End chat")).to_be_in_viewport()
            expect(chat.get_by_label("Message")).to_be_in_viewport()
            snap(page, "widget-frame-02-scrolled")

            # the keyboard scrolls it too, once Tab reaches it
            transcript.focus()
            expect(transcript).to_be_focused()
            page.keyboard.press("Home")
            frame.wait_for_function("() => document.querySelector('.lc-body').scrollTop === 0")
            assert_frame_still(frame)
        finally:
            end_as_librarian(op, chat_id)
        expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
        assert_frame_still(frame)
        snap(page, "widget-frame-03-survey")
        assert axe_serious(frame) == [], "the survey after a long chat"
    assert errors == []
