"""Chat limits as a librarian meets them (issue 9): at the hard limit (max_chats, or the
operator's own "one chat at a time") the fourth-chat dialog explains and offers only OK, since
the service can only refuse; below it the manual's warning keeps "Claim anyway", and claiming
works. The red "at your limit" alert goes once the librarian's chat count drops. A colleague who
signs in later sees in "Who is online" who takes one chat at a time today.

Real chromium, the session's local service, patrons as real WebSocket clients. What a test
changes (max_chats, one chat at a time) is put back in `finally` and by LocalService.tidy.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import axe_serious, shot
from tests.e2e import Client
from tests.test_dashboard_browser import (chat_tab, claim, dashboard, no_page_errors, pane, patrons,  # noqa: F401
                                          set_max_chats, status_reset, waiting_row)

pytestmark = pytest.mark.timeout(150)


def hold_chats(svc, patrons, user: str, n: int):
    """`user` claims `n` fresh chats over a WebSocket of their own (then closes it); the patrons."""
    op = Client(svc.ws_url, svc.login(user), hello={})
    op.wait("welcome")
    held = [patrons(f"Question number {i}", name=f"Patron {i}") for i in range(n)]
    for pat in held:
        op.wait("chat.queued", where=lambda f, c=pat.chat_id: f["chat"]["chat_id"] == c)
        op.send(action="claim", chat_id=pat.chat_id)
        pat.wait("chat.claimed")
    op.close()
    return held


def no_claim_sent(page, pat_in_view) -> list[dict]:
    """Every claim the page sent so far: the page types in one of its chats, that patron sees
    the notice, and frames are recorded in order, so all the page sent before is on record."""
    socket = page.sockets[-1]
    box = pane(page, pat_in_view).get_by_role("textbox")
    with socket.expect_event("framesent", predicate=lambda p: isinstance(p, str) and '"typing"' in p):
        box.press_sequentially("One moment")
    pat_in_view.wait("chat.typing", where=lambda f: f["typing"] is True)
    box.fill("")
    return [f for f in page.sent if f.get("action") == "claim"]


def test_at_the_hard_limit_the_fourth_chat_is_explained_not_offered(new_context, svc, patrons):
    three = hold_chats(svc, patrons, "librarian", 3)  # max_chats 3
    page = dashboard(new_context, svc, "librarian")
    for pat in three:
        expect(chat_tab(page, pat)).to_have_count(1)
    expect(page.locator("#lcd-capacity")).to_have_text("3 of 3 active")
    fourth = patrons("A fourth question", name="Quinn")
    claim_button = waiting_row(page, fourth).get_by_role("button", name="Claim Chat")
    claim_button.click()
    dialog = page.get_by_role("dialog", name="You are at your chat limit")
    expect(dialog).to_contain_text("You have 3 active chats and your limit is 3")
    expect(dialog).to_contain_text("End or transfer a chat first")
    expect(dialog.get_by_role("button", name="Claim anyway")).to_have_count(0)  # the service would refuse
    expect(dialog.get_by_role("button")).to_have_count(1)
    ok = dialog.get_by_role("button", name="OK")
    expect(ok).to_be_focused()
    shot(page, "dashboard-limit-01-hard-limit")
    assert axe_serious(page) == []
    ok.click()
    expect(dialog).to_be_hidden()
    expect(claim_button).to_be_focused()
    expect(waiting_row(page, fourth)).to_be_visible()  # still waiting for a colleague
    expect(pane(page, fourth)).to_have_count(0)
    chat_tab(page, three[0]).click()
    assert no_claim_sent(page, three[0]) == []

    # Escape does the same
    page.get_by_role("tab", name=re.compile("^Chats")).click()
    claim_button.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    chat_tab(page, three[0]).click()
    assert no_claim_sent(page, three[0]) == []
    no_page_errors(page)


def test_my_own_limit_is_a_hard_limit_too(new_context, svc, patrons):
    """"One chat at a time" with three chats already open (an admin gave them): at the limit."""
    try:
        three = hold_chats(svc, patrons, "admin", 3)
        page = dashboard(new_context, svc, "admin")
        page.get_by_role("tab", name=re.compile("Internal Staff Chat")).click()
        page.get_by_label("One chat at a time for me today").check()
        expect(page.locator("#lcd-capacity")).to_have_text("3 of 1 active")
        fourth = patrons("One more while I take one at a time", name="Uno")
        page.get_by_role("tab", name=re.compile("^Chats")).click()
        waiting_row(page, fourth).get_by_role("button", name="Claim Chat").click()
        dialog = page.get_by_role("dialog", name="You are at your chat limit")
        expect(dialog).to_contain_text("your limit is 1")
        expect(dialog.get_by_role("button", name="Claim anyway")).to_have_count(0)
        dialog.get_by_role("button", name="OK").click()
        chat_tab(page, three[0]).click()
        assert no_claim_sent(page, three[0]) == []
        no_page_errors(page)
    finally:
        status_reset(svc, "admin", chat_limit=None)


def test_below_the_hard_limit_claim_anyway_claims(new_context, svc, patrons):
    set_max_chats(svc, "librarian", 4)
    try:
        three = hold_chats(svc, patrons, "librarian", 3)
        page = dashboard(new_context, svc, "librarian")
        for pat in three:
            expect(chat_tab(page, pat)).to_have_count(1)
        expect(page.locator("#lcd-capacity")).to_have_text("3 of 4 active")
        fourth = patrons("A fourth question, and there is room", name="Quatro")
        waiting_row(page, fourth).get_by_role("button", name="Claim Chat").click()
        dialog = page.get_by_role("dialog", name="Take another chat?")
        expect(dialog).to_contain_text("The manual advises no more than 3 unless one is winding down.")
        expect(dialog).not_to_contain_text("refuse")
        shot(page, "dashboard-limit-02-soft-warning")
        dialog.get_by_role("button", name="Claim anyway").click()
        p = pane(page, fourth)
        expect(p).to_be_visible()
        assert fourth.wait("chat.claimed")["operator"]["name"] == "Libby Librarian"
        expect(page.locator("#lcd-capacity")).to_have_text("4 of 4 active")
        no_page_errors(page)
    finally:
        svc.tidy()  # the patrons end their chats first, so max_chats 3 is allowed again
        set_max_chats(svc, "librarian", 3)


def test_the_at_your_limit_alert_goes_once_a_chat_ends(new_context, svc, patrons):
    page = dashboard(new_context, svc, "trainee")  # max_chats 1
    one = patrons("How do I print from my laptop?", name="Noor")
    claim(page, one)
    two = patrons("Is there parking?", name="Ola")
    page.get_by_role("tab", name=re.compile("^Chats")).click()
    waiting_row(page, two).get_by_role("button", name="Claim Chat").click()
    notice = page.locator("#lcd-notice")
    expect(notice.get_by_text("You are at your limit of 1 chat. End one before claiming another.")).to_be_visible()
    # the first patron ends the chat: the count drops, the alert would mislead now
    one.client.send(action="end", chat_id=one.chat_id)
    expect(page.locator("#lcd-capacity")).to_have_text("0 of 1 active")
    expect(notice).to_be_empty()
    # and the claim that was refused now works
    waiting_row(page, two).get_by_role("button", name="Claim Chat").click()
    expect(pane(page, two)).to_be_visible()
    two.wait("chat.claimed")
    no_page_errors(page)


def test_the_alert_also_goes_when_i_transfer_a_chat_away(new_context, svc, patrons):
    page = dashboard(new_context, svc, "trainee")
    ada = dashboard(new_context, svc, "admin")  # someone to pass the chat to
    one = patrons("A genealogy question", name="Gen")
    p = claim(page, one)
    two = patrons("Another question", name="Ano")
    page.get_by_role("tab", name=re.compile("^Chats")).click()
    waiting_row(page, two).get_by_role("button", name="Claim Chat").click()
    notice = page.locator("#lcd-notice")
    expect(notice).to_contain_text("You are at your limit of 1 chat")
    chat_tab(page, one).click()
    p.get_by_role("button", name="Transfer").click()
    dlg = page.get_by_role("dialog", name=re.compile("Transfer the chat"))
    dlg.get_by_label("Ada Admin").check()
    dlg.get_by_role("button", name="Transfer").click()
    expect(pane(page, one)).to_have_count(0)
    expect(chat_tab(ada, one)).to_be_visible()
    expect(notice).to_be_empty()
    no_page_errors(page)


def test_who_takes_one_chat_at_a_time_shows_to_a_colleague_who_signs_in_later(new_context, svc):
    libby = dashboard(new_context, svc, "librarian")
    try:
        libby.get_by_role("tab", name=re.compile("Internal Staff Chat")).click()
        libby.get_by_label("One chat at a time for me today").check()
        announcement = "Libby Librarian will take one chat at a time today."
        expect(libby.locator("#lcd-staff-log li", has_text=announcement).last).to_be_visible()
        # Ada signs in only now: her roster comes from her welcome, not from a status frame
        ada = dashboard(new_context, svc, "admin")
        ada.get_by_role("tab", name=re.compile("Internal Staff Chat")).click()
        row = ada.locator("#lcd-roster li", has_text="Libby Librarian")
        expect(row).to_contain_text("Available")
        expect(row).to_contain_text("one chat at a time")
        shot(ada, "dashboard-limit-03-roster-from-welcome")
        # and it goes when lifted
        libby.get_by_label("One chat at a time for me today").uncheck()
        expect(row).not_to_contain_text("one chat at a time")
        no_page_errors(ada)
        no_page_errors(libby)
    finally:
        status_reset(svc, "librarian", chat_limit=None)
