"""Supervisors in real chromium against a local runner (docs/supervision.md): a supervisor
watches a chat live and takes it over; a supervisor ends a chat they look into; axe in every
state of the Supervise tab.

Three real parties each time: the patron in the widget on the demo library page, the librarian
in the dashboard, the supervisor (the demo "supervisor") in another dashboard. This module starts
its own runner: take-overs move chats between the demo operators. Tests wait on the DOM and on
frames, never on a clock.
"""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import claim_waiting, dashboard_as, FRAME, LAUNCHER, axe_serious, own_runner, page_of, patron_frame, shot

pytestmark = pytest.mark.timeout(240)


@pytest.fixture(scope="module")
def ssvc():
    with own_runner() as service:
        yield service


def ask(new_context, svc, question: str, name: str):
    page = page_of(new_context, f"{svc.base_url}/")
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    chat.get_by_label("Your question").fill(question)
    chat.get_by_label("Your name").fill(name)
    chat.get_by_role("button", name="Start chat").click()
    expect(chat.get_by_label("Message")).to_be_visible()
    return page, chat


def supervise_tab(page):
    tab = page.get_by_role("tab", name="Supervise")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    return page.locator("#lcd-panel-supervise")


def test_a_supervisor_watches_a_chat_live_and_takes_it_over(ssvc, new_context):
    question = f"Where are the large-print books? ({uuid.uuid4().hex[:4]})"
    libby = dashboard_as(new_context, ssvc, "librarian")
    expect(libby.get_by_role("tab", name="Supervise")).to_be_hidden()  # librarians do not supervise
    patron, chat = ask(new_context, ssvc, question, "Pat")
    pane, chat_id = claim_waiting(libby, question)
    pane.get_by_role("textbox", name="Message to Pat").fill("Hello Pat, Libby here: let me look.")
    pane.get_by_role("textbox", name="Message to Pat").press("Enter")
    expect(chat.get_by_text("Hello Pat, Libby here: let me look.")).to_be_visible()

    sam = dashboard_as(new_context, ssvc, "supervisor")
    panel = supervise_tab(sam)
    row = panel.locator(f'tr[data-chat="{chat_id}"]')
    expect(row).to_contain_text("Libby Librarian")
    expect(row).to_contain_text("Active")
    expect(panel.locator("tr[data-operator='librarian']")).to_contain_text("1 of 3")
    assert axe_serious(sam) == [], "dashboard: the Supervise tab"
    shot(sam, "supervise-01-live-view")

    row.get_by_role("button", name="Look into the chat with Pat").click()
    watch = panel.get_by_role("region", name="Chat with Pat")
    expect(watch.get_by_role("heading", name="Chat with Pat")).to_be_focused()
    log = watch.get_by_role("log", name="Conversation (read-only)")
    expect(log).to_contain_text(question)
    expect(log).to_contain_text("Hello Pat, Libby here: let me look.")
    expect(watch.get_by_role("status")).to_contain_text("The patron has been told")
    # the patron is told (the default policy); the librarian sees who looks in
    expect(chat.get_by_text("A supervisor is now viewing this chat", exact=False)).to_be_visible()
    expect(pane.get_by_text("Sam Supervisor (supervisor) is looking into this chat", exact=False)).to_be_visible()
    # live: what the patron writes next reaches the supervisor's log
    chat.get_by_label("Message").fill("Thank you! Are they near the lifts?")
    chat.get_by_label("Message").press("Enter")
    expect(log).to_contain_text("Thank you! Are they near the lifts?")
    assert axe_serious(sam) == [], "dashboard: looking into a chat"
    shot(sam, "supervise-02-looking-in")

    watch.get_by_role("button", name="Take over").click()
    mine = sam.locator(f'.lcd-pane[data-chat-id="{chat_id}"]')
    expect(mine.get_by_role("textbox", name="Message to Pat")).to_be_visible()
    expect(watch).to_be_hidden()
    # the librarian's pane is gone, with word of who took it; the patron sees who helps now
    expect(libby.get_by_role("alert").filter(has_text="Sam Supervisor (supervisor) took over your chat with Pat.")).to_be_visible()
    expect(libby.locator(f'.lcd-pane[data-chat-id="{chat_id}"]')).to_have_count(0)
    expect(chat.get_by_text("Sam Supervisor joined the chat")).to_be_visible()
    expect(chat.get_by_text("The supervisor is no longer viewing this chat.")).to_be_visible()
    mine.get_by_role("textbox", name="Message to Pat").fill("Sam here: yes, by the lifts on the second floor.")
    mine.get_by_role("textbox", name="Message to Pat").press("Enter")
    expect(chat.get_by_text("Sam here: yes, by the lifts on the second floor.")).to_be_visible()
    assert axe_serious(patron_frame(patron)) == [], "widget: after a take-over"
    shot(sam, "supervise-03-taken-over")
    # it is the supervisor's chat like any other: End Chat, confirmed, then Close Chat
    mine.get_by_role("button", name="End Chat").click()
    sam.get_by_role("dialog").get_by_role("button", name="End Chat").click()
    expect(chat.get_by_text("Sam Supervisor ended the chat")).to_be_visible()
    mine.get_by_role("button", name="Close Chat").click()
    expect(mine).to_have_count(0)
    assert patron.errors == [] and libby.errors == [] and sam.errors == []


def test_a_supervisor_ends_a_chat_they_look_into(ssvc, new_context):
    question = f"Can I renew a laptop loan? ({uuid.uuid4().hex[:4]})"
    libby = dashboard_as(new_context, ssvc, "librarian")
    patron, chat = ask(new_context, ssvc, question, "Robin")
    pane, chat_id = claim_waiting(libby, question)
    admin = dashboard_as(new_context, ssvc, "admin")  # admins supervise every desk
    panel = supervise_tab(admin)
    panel.locator(f'tr[data-chat="{chat_id}"]').get_by_role(
        "button", name="Look into the chat with Robin").click()
    watch = panel.get_by_role("region", name="Chat with Robin")
    expect(watch.get_by_role("log")).to_contain_text(question)
    watch.get_by_role("button", name="End chat").click()
    dialog = admin.get_by_role("dialog", name="End this chat?")
    expect(dialog).to_be_visible()
    assert axe_serious(admin) == [], "dashboard: ending a chat looked into"
    dialog.get_by_role("button", name="End chat").click()
    expect(watch.get_by_role("status")).to_contain_text("The chat has ended (Ada Admin ended it).")
    expect(chat.get_by_text("Ada Admin ended the chat")).to_be_visible()
    expect(pane.get_by_role("button", name="Close Chat")).to_be_visible()  # the librarian closes it as usual
    watch.get_by_role("button", name="Stop looking in").click()
    expect(watch).to_be_hidden()
    assert axe_serious(admin) == [], "dashboard: the Supervise tab after the end"
    assert patron.errors == [] and libby.errors == [] and admin.errors == []
