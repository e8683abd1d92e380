"""WCAG 2.2 AA for the operator dashboard (widget/dashboard/), in Debian's chromium against the
real local service; docs/accessibility.md maps each criterion to the test here that proves it.

The states walked: sign-in, the Chats tab with a waiting chat, a chat pane (messages
arriving), History and Reports. Each gets axe with the WCAG 2.2 A/AA tags and best practices
(no serious or critical violation), every interactive target measured at 24 x 24 CSS px or
more, every control named (the accessibility tree, through aria_snapshot), and its focus
order (Tab through, the focused elements' accessible names recorded and compared). Patrons
are real WebSocket clients (tests.e2e.Client); the chat claimed here is ended and closed.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import (apply_text_spacing, axe_serious, clipped_text, focused, horizontal_overflow, live_regions_with,
                           moving_elements, shot, sign_in, small_targets, tab_names, unnamed_controls)
from tests.e2e import DEMO_PASSWORD, Client

pytestmark = pytest.mark.timeout(150)


def open_dashboard(new_context, svc, **ctx):
    page = new_context(**ctx).new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(f"{svc.base_url}/dashboard/")
    expect(page.get_by_label("Username")).to_be_visible()
    return page


def check_state(page, name: str) -> None:
    assert axe_serious(page) == [], f"dashboard {name}: axe"
    small = small_targets(page)
    assert small == [], f"dashboard {name}: targets under 24 px: {small}"
    unnamed = unnamed_controls(page.locator("body"))
    assert unnamed == [], f"dashboard {name}: unnamed controls"
    shot(page, f"a11y-dashboard-{name}")


class Patron:
    def __init__(self, svc, question: str) -> None:
        self.created = svc.new_chat(question, name="Robin")
        self.chat_id = self.created["chat_id"]
        self.client = Client(self.created["ws_url"], self.created["token"], hello={"chat_id": self.chat_id})
        self.client.wait("welcome")

    def send(self, text: str) -> None:
        self.client.send(action="send", chat_id=self.chat_id, text=text, client_msg_id=uuid.uuid4().hex)


def test_sign_in_is_labelled_pasteable_and_keyboard_first(svc, new_context):
    page = open_dashboard(new_context, svc, reduced_motion="reduce")
    expect(page.get_by_label("Username")).to_be_focused()
    # WCAG 3.3.8: no puzzle, no transcription; the browser's password manager fills both fields
    expect(page.get_by_label("Username")).to_have_attribute("autocomplete", "username")
    expect(page.get_by_label("Password")).to_have_attribute("autocomplete", "current-password")
    pasted = page.get_by_label("Password").evaluate("""(el) => { const data = new DataTransfer(); data.setData('text/plain', 'x');
        const ev = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
        return el.dispatchEvent(ev); }""")
    assert pasted is True, "pasting a password is not blocked"
    assert tab_names(page, page, 2) == ['textbox "Password"', 'button "Sign in"']
    check_state(page, "sign-in")
    assert moving_elements(page) == []
    # a wrong password: the error is an alert, and the fields keep what was typed
    page.get_by_label("Username").fill("librarian")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile("."))).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("librarian")
    check_state(page, "sign-in-error")


def test_chats_pane_history_and_reports_states(svc, new_context):
    page = open_dashboard(new_context, svc, reduced_motion="reduce")
    sign_in(page, "librarian")
    patron = Patron(svc, f"Accessible dashboard: a map of the stacks? ({uuid.uuid4().hex[:6]})")
    row = page.locator(f'.lcd-wait-row[data-chat-id="{patron.chat_id}"]')
    try:
        # the Chats tab with a waiting chat: announced politely, named, reachable
        expect(row).to_be_visible()
        expect(page.locator("#lcd-announcer")).to_contain_text("New chat waiting from Robin")
        assert page.locator("#lcd-announcer").get_attribute("aria-live") == "polite"
        chats_tab = page.get_by_role("tab", name=re.compile("^Chats"))
        chats_tab.focus()
        order = tab_names(page, page, 8)
        # the tab, the canned messages' document, the desks watched, Claim Chat, then out of
        # the page (the browser's own controls) and round to the header
        assert order[0] == 'link "Canned Messages document"', order
        assert [n.split('"')[0].strip() for n in order[1:5]] == ["checkbox"] * 4, order
        assert order[5] == 'button "Claim Chat"' and order[6] == "(nothing)", order
        check_state(page, "chats-waiting")
        assert moving_elements(page) == []

        # a chat pane: the message box takes the focus; the patron's message is in the log, once
        row.get_by_role("button", name="Claim Chat").click()
        pane = page.locator(f'.lcd-pane[data-chat-id="{patron.chat_id}"]')
        expect(pane.get_by_role("textbox")).to_be_focused()
        patron.client.wait("chat.claimed")
        patron.send("Robin here: the second floor, please.")
        log = pane.get_by_role("log")
        expect(log).to_contain_text("Robin here: the second floor, please.")
        expect(log).to_have_attribute("aria-live", "polite")
        assert live_regions_with(page, "Robin here: the second floor") == ["log.lcd-log-region"]
        tree = pane.aria_snapshot()
        assert re.search(r'button "End Chat', tree), tree
        check_state(page, "chat-pane")
        back = tab_names(page, page, 4, key="Shift+Tab")
        assert all(n != "(nothing)" for n in back), back
        assert moving_elements(page) == []
        pane.get_by_role("textbox").focus()
        page.keyboard.type("Here is the map.")
        page.keyboard.press("Enter")
        patron.client.wait("chat.message", where=lambda f: f["message"].get("text") == "Here is the map.")

        # History
        page.get_by_role("tab", name="History").click()
        expect(page.get_by_role("button", name="Search", exact=True)).to_be_visible()
        check_state(page, "history")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.locator(".lcd-history-status")).not_to_be_empty()  # the answer, said in the status line
        check_state(page, "history-results")

        # Reports
        page.get_by_role("tab", name="Reports").click()
        expect(page.locator("#lcd-reports-form")).to_be_visible()
        expect(page.locator("#lcd-reports-status")).not_to_be_empty()
        check_state(page, "reports")
        assert moving_elements(page) == []
        page.locator(f'.lcd-tab[data-chat-id="{patron.chat_id}"]').click()
        pane.get_by_role("button", name=re.compile("^End Chat")).click()
        page.get_by_role("dialog").get_by_role("button", name="End Chat").click()
        patron.client.wait("chat.ended")
        close = pane.get_by_role("button", name="Close Chat")
        check_state(page, "chat-ended")
        close.click()
        expect(pane).to_have_count(0)
    finally:
        patron.client.close()
    assert page.errors == []


def test_reflow_at_320_px_and_200_percent_text(svc, new_context):
    page = open_dashboard(new_context, svc, viewport={"width": 320, "height": 640}, reduced_motion="reduce")
    assert horizontal_overflow(page) is None
    assert small_targets(page) == []
    shot(page, "a11y-dashboard-320px-sign-in")
    sign_in(page, "librarian")
    patron = Patron(svc, f"Reflow on the dashboard: a long unbroken_identifier_{'x' * 60} ({uuid.uuid4().hex[:6]})")
    try:
        row = page.locator(f'.lcd-wait-row[data-chat-id="{patron.chat_id}"]')
        expect(row).to_be_visible()
        assert horizontal_overflow(page) is None
        assert small_targets(page) == []
        shot(page, "a11y-dashboard-320px-chats")
        row.get_by_role("button", name="Claim Chat").click()
        pane = page.locator(f'.lcd-pane[data-chat-id="{patron.chat_id}"]')
        expect(pane.get_by_role("textbox")).to_be_focused()
        patron.send("See https://catalog.library.example/a/very/long/path/that/does/not/break/easily?q=reflow")
        expect(pane.get_by_role("log")).to_contain_text("catalog.library.example")
        assert horizontal_overflow(page) is None
        shot(page, "a11y-dashboard-320px-pane")
        # 200 % text (the librarian's browser asks for 32 px text), at a desktop width
        page.set_viewport_size({"width": 1280, "height": 800})
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        assert horizontal_overflow(page) is None
        clipped = clipped_text(page)
        assert clipped == [], clipped
        expect(pane.get_by_role("textbox")).to_be_visible()
        shot(page, "a11y-dashboard-200pc-text")
        page.evaluate("() => { document.documentElement.style.fontSize = ''; }")
        apply_text_spacing(page)  # WCAG 1.4.12
        assert horizontal_overflow(page) is None
        clipped = clipped_text(page)
        assert clipped == [], clipped
        pane.get_by_role("button", name=re.compile("^End Chat")).click()
        page.get_by_role("dialog").get_by_role("button", name="End Chat").click()
        patron.client.wait("chat.ended")
        pane.get_by_role("button", name="Close Chat").click()
        expect(pane).to_have_count(0)
    finally:
        patron.client.close()
    assert page.errors == []


def test_reduced_motion_off_the_dashboard_may_move_on_it_does_not(svc, new_context):
    page = open_dashboard(new_context, svc, reduced_motion="reduce")
    sign_in(page, "librarian")
    assert moving_elements(page) == []
    moving = open_dashboard(new_context, svc, reduced_motion="no-preference")
    sign_in(moving, "librarian")
    assert moving_elements(moving) != [], "the check is not vacuous: without the preference something moves"
