"""The dashboard's frame under real hands (issue 9): only a transcript scrolls, never the page
around it (tabs, the chat header and End Chat stay on screen whatever the wheel does), and axe
finds nothing serious or critical in any state a librarian meets: a long chat, the canned
pop-up and Manage, the dialogs, the Staff and Team tabs.

Real chromium, the session's local service, patrons as real WebSocket clients (the helpers of
tests/test_dashboard_browser.py). Screenshots: artifacts/screenshots/dashboard-frame-*.png.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import axe_serious, shot
from tests.test_dashboard_browser import Patron, chat_tab, claim, dashboard, no_page_errors, pane, patrons, waiting_row  # noqa: F401

pytestmark = pytest.mark.timeout(180)

AT_BOTTOM = "(el) => el.scrollHeight - el.scrollTop - el.clientHeight < 4"
SCROLLED_UP = "(el) => el.scrollHeight - el.scrollTop - el.clientHeight > 200"
# the highest the page itself was ever scrolled, from now on (every scroll event, any element)
WATCH_FRAME = """() => { window.__lcdFrameTop = 0; addEventListener("scroll", () => {
    window.__lcdFrameTop = Math.max(window.__lcdFrameTop, document.scrollingElement.scrollTop, document.body.scrollTop);
}, true); }"""
FRAME = """() => ({scrollHeight: document.documentElement.scrollHeight, innerHeight: window.innerHeight,
                   scrollTop: document.scrollingElement.scrollTop, bodyTop: document.body.scrollTop})"""


EXPECT_TIMEOUT_MS = 15_000  # tests/browser.py's patient_expect: this module's pages do more per step


def long_chat(page, pat: Patron, n: int = 100):
    """The patron writes until the chat has `n` messages (the question is the first); returns the pane."""
    p = claim(page, pat)
    for i in range(2, n + 1):
        pat.send(f"Message {i}: one more detail about the atlas, page {i * 3}.")
    expect(p.locator(f'.lcd-log li[data-seq="{n}"]')).to_be_attached(timeout=60_000)
    expect(p.locator(".lcd-log li")).to_have_count(n)
    return p


def test_only_the_transcript_scrolls_never_the_frame(new_context, svc, patrons):
    page = dashboard(new_context, svc, "admin")
    pat = patrons("A long chat about the county atlas", name="Lon")
    p = long_chat(page, pat)
    scroll = p.locator(".lcd-scroll")
    handle = scroll.element_handle()
    page.wait_for_function(AT_BOTTOM, arg=handle)  # at the newest message

    # the page is exactly the window: nothing (a message's hidden sender line) hangs below it
    frame = page.evaluate(FRAME)
    assert frame["scrollHeight"] == frame["innerHeight"], frame
    assert frame["scrollTop"] == 0, frame

    # the wheel over the transcript, already at its newest message, and over the chat header
    # and the composer around it; then back up over the transcript: only the transcript moves.
    # The up-scroll is a fact the page shows; wheel events are handled in order, so once it has
    # happened every wheel before it has been handled too.
    end_chat = p.get_by_role("button", name="End Chat")
    end_before = end_chat.bounding_box()
    page.evaluate(WATCH_FRAME)
    box = scroll.bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*middle)
    for _ in range(3):
        page.mouse.wheel(0, 800)
    for around in (p.locator(".lcd-pane-head"), p.locator(".lcd-composer")):
        b = around.bounding_box()
        page.mouse.move(b["x"] + 40, b["y"] + b["height"] / 2)
        page.mouse.wheel(0, 800)
    page.mouse.move(*middle)
    page.mouse.wheel(0, -1200)
    page.wait_for_function(f"(el) => ({SCROLLED_UP})(el) || window.__lcdFrameTop > 0", arg=handle)
    assert page.evaluate("window.__lcdFrameTop") == 0, "the page itself scrolled"
    frame = page.evaluate(FRAME)
    assert frame["scrollTop"] == 0 and frame["bodyTop"] == 0, frame
    assert frame["scrollHeight"] == frame["innerHeight"], frame

    # tabs, the chat header and End Chat are where they were: on screen, at the top
    for locator in (chat_tab(page, pat), p.locator(".lcd-pane-name"), p.get_by_role("button", name="End Chat")):
        b = locator.bounding_box()
        assert b["y"] >= 0 and b["y"] + b["height"] <= box["y"], (locator, b)
    assert end_chat.bounding_box() == end_before

    # and back down to the newest message: still the transcript alone
    page.mouse.wheel(0, 100_000)
    page.wait_for_function(AT_BOTTOM, arg=handle)
    assert page.evaluate(FRAME)["scrollTop"] == 0
    shot(page, "dashboard-frame-01-long-chat")
    assert axe_serious(page) == []  # a long chat: 100 messages, grouped, hidden sender lines
    no_page_errors(page)


def test_the_staff_room_does_not_move_the_frame_either(new_context, svc):
    page = dashboard(new_context, svc, "librarian")
    page.get_by_role("tab", name=re.compile("Internal Staff Chat")).click()
    box = page.get_by_label("Message to all librarians")
    tag = uuid.uuid4().hex[:4]
    for i in range(12):
        box.fill(f"Desk note {tag}-{i}: the map room closes early today.")
        box.press("Enter")
    expect(page.locator("#lcd-staff-log li", has_text=f"Desk note {tag}-11")).to_be_visible()
    frame = page.evaluate(FRAME)
    assert frame["scrollHeight"] == frame["innerHeight"] and frame["scrollTop"] == 0, frame
    assert axe_serious(page) == []
    no_page_errors(page)


def test_axe_in_every_state(new_context, svc, patrons):
    """Each state a librarian meets, each checked by axe (serious and critical impacts)."""
    page = dashboard(new_context, svc, "admin")
    libby = dashboard(new_context, svc, "librarian")  # a colleague to transfer to, online
    pat = patrons("Where is the 1902 atlas kept?", name="Axe")
    waiting = patrons("A second patron, still waiting", name="Wait")
    expect(waiting_row(page, waiting)).to_be_visible()
    failures = {}

    def check(state):
        found = axe_serious(page)
        if found:
            failures[state] = found

    check("chats tab with a waiting chat")
    p = claim(page, pat)
    check("a chat pane")

    # the canned pop-up, then Manage (with a success line), then back
    p.get_by_role("button", name="Canned Messages").click()
    dlg = page.get_by_role("dialog", name="Canned Messages")
    expect(dlg.get_by_role("heading", name="Personal Canned Messages", exact=True)).to_be_visible()
    check("canned pop-up")
    dlg.get_by_role("button", name="Manage canned messages").click()
    expect(dlg.get_by_role("heading", name="Manage canned messages")).to_be_visible()
    check("manage canned messages")
    dlg.get_by_role("button", name="Save").click()  # empty: the form says what is missing
    expect(dlg.get_by_role("alert")).to_contain_text("title")
    check("manage canned messages, a form error")
    dlg.get_by_role("button", name="Close").click()
    expect(dlg).to_be_hidden()

    # the dialogs: Transfer, End Chat (both cancelled)
    p.get_by_role("button", name="Transfer").click()
    tdlg = page.get_by_role("dialog", name=re.compile("Transfer the chat"))
    expect(tdlg.get_by_label("Libby Librarian")).to_be_visible()
    check("transfer dialog")
    tdlg.get_by_role("button", name="Cancel").click()
    expect(tdlg).to_be_hidden()
    p.get_by_role("button", name="End Chat").click()
    edlg = page.get_by_role("dialog", name=re.compile("End the chat"))
    expect(edlg).to_be_visible()
    check("end chat dialog")
    edlg.get_by_role("button", name="Keep chatting").click()
    expect(edlg).to_be_hidden()

    # a chosen file waiting for Upload
    p.locator("input[type=file]").set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"notes"})
    expect(p.get_by_role("button", name="Upload")).to_be_visible()
    check("a chosen file")
    p.get_by_role("button", name="Cancel").click()
    expect(p.get_by_role("button", name="Upload")).to_be_hidden()

    # the patron leaves the page: the red status with the time
    pat.close()
    expect(p.locator(".lcd-status")).to_have_attribute("data-presence", "offline")
    check("the patron left")

    # the Staff and Team tabs
    page.get_by_role("tab", name=re.compile("Internal Staff Chat")).click()
    expect(page.locator("#lcd-roster li", has_text="Libby Librarian")).to_be_visible()
    check("staff tab")
    page.get_by_role("tab", name="Team").click()
    expect(page.get_by_label("Max chats for Theo Trainee", exact=True)).to_be_visible()
    expect(page.locator("#lcd-survey-summary")).to_contain_text("last 7 days")
    check("team tab")
    shot(page, "dashboard-frame-02-team")
    assert failures == {}
    no_page_errors(page)
    no_page_errors(libby)
