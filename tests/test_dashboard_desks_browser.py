"""Desks on the librarians' dashboard (docs/desks.md), in real chromium against the real local
runner: "Desks I watch today", the waiting list grouped per desk, a chat rolled over from
another library's desk marked as such, its home desk's local-information card in the pane of
whoever answers, and Transfer to a desk.

The runner seeds two libraries sharing a co-op desk (local/runner.py): Central Library's desk
`central` rolls over to the co-op desk `coop`; Riverside Library's desk `riverside`; Cass
Central belongs to central and coop, Remy Riverside to riverside and coop, the other demo
librarians to every desk. This module starts its own runner (a 1-second schedule, and the
admin shortens Central's rollover to the shortest the service allows), so what it changes
(who watches what, rollover times) stays here. It waits on frames and the DOM, never on a
clock; "never sees it" is proven by every frame the page received up to a later fact.
"""
from __future__ import annotations

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import axe_serious, frames_sent, shot, sign_in
from tests.e2e import Client, LocalService

pytestmark = pytest.mark.timeout(180)

CENTRAL = "Central Library desk (Central Library)"
RIVERSIDE = "Riverside Library desk (Riverside Library)"
COOP = "Ask Us 24/7 (co-op) (State co-op)"
ROLLED = f"Rolled over from {CENTRAL}"
ROLLOVER_SECONDS = 10  # the least the service takes (chalicelib/domain/queues.py ROLLOVER_MIN)


@pytest.fixture(scope="module")
def desks_svc():
    service = LocalService(env={"LOCAL_SCHEDULE_SECONDS": "1"})
    try:
        admin = service.login("admin")
        status, body = service.request("PUT", "/api/queues/central",
                                       {"rollover": {"to": "coop", "after_seconds": ROLLOVER_SECONDS}}, token=admin)
        assert status == 200, body
        yield service
    finally:
        Client.close_all()
        code = service.stop()
        assert code == 0, f"local runner exit code {code}\n" + "".join(service.output[-60:])


class DeskPatron:
    """A patron who asks at a given desk, then keeps a WebSocket open like the widget."""

    def __init__(self, svc: LocalService, question: str, queue: str, name: str) -> None:
        self.created = svc.new_chat(question, name=name, queue=queue)
        self.chat_id = self.created["chat_id"]
        self.client = Client(self.created["ws_url"], self.created["token"], hello={"chat_id": self.chat_id})
        self.client.wait("welcome")

    def wait(self, type_: str, **kw) -> dict:
        return self.client.wait(type_, **kw)


def desk_dashboard(new_context, svc, user: str):
    page = new_context(reduced_motion="reduce").new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.sent = frames_sent(page)
    page.received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda p: isinstance(p, str) and page.received.append(json.loads(p))))
    page.goto(f"{svc.base_url}/dashboard/")
    sign_in(page, user)
    return page


DESK_IDS = {CENTRAL: "central", RIVERSIDE: "riverside", COOP: "coop"}


def group(page, label: str):
    """The waiting list's section of one desk (its heading names the desk and the count)."""
    return page.locator(f'.lcd-group[data-queue="{DESK_IDS[label]}"]')


def row(page, patron: DeskPatron):
    return page.locator(f'.lcd-wait-row[data-chat-id="{patron.chat_id}"]')


def pane(page, patron: DeskPatron):
    return page.locator(f'.lcd-pane[data-chat-id="{patron.chat_id}"]')


def watch_box(page, label: str):
    return page.get_by_role("group", name="Desks I watch today").get_by_role("checkbox", name=label)


def mentions(frames: list[dict], chat_id: str) -> list[dict]:
    return [f for f in frames if chat_id in json.dumps(f)]


def test_a_chat_rolled_over_from_another_library(new_context, desks_svc):
    svc = desks_svc
    # Libby belongs to every desk; today she watches neither Central's desk nor the co-op's
    libby = desk_dashboard(new_context, svc, "librarian")
    watch = libby.get_by_role("group", name="Desks I watch today")
    expect(watch).to_be_visible()
    for label in (CENTRAL, RIVERSIDE, COOP):
        expect(watch_box(libby, label)).to_be_checked()
    watch_box(libby, CENTRAL).uncheck()
    expect(group(libby, CENTRAL)).to_have_count(0)  # the `watching` answer redrew the list
    watch_box(libby, COOP).uncheck()
    expect(group(libby, COOP)).to_have_count(0)
    expect(group(libby, RIVERSIDE)).to_be_visible()
    assert [f["queues"] for f in libby.sent if f.get("action") == "watch"][-1] == ["general", "riverside"]
    expect(watch_box(libby, CENTRAL)).not_to_be_checked()

    remy = desk_dashboard(new_context, svc, "riverside")  # Riverside and the co-op desk
    cass = desk_dashboard(new_context, svc, "central")    # Central and the co-op desk
    expect(group(remy, RIVERSIDE)).to_be_visible()
    expect(group(remy, COOP)).to_be_visible()
    expect(group(remy, CENTRAL)).to_have_count(0)
    for label in (RIVERSIDE, COOP):  # the headings name the desk, its library and the count
        expect(group(remy, label).get_by_role("heading")).to_have_text(re.compile("^" + re.escape(label) + r" ?\d+ chats? waiting$"))
    expect(remy.get_by_role("checkbox", name=CENTRAL)).to_have_count(0)  # not one of Remy's desks

    pat = DeskPatron(svc, f"Can I renew a Central book? ({uuid.uuid4().hex[:6]})", "central", "Cora")
    # Central's own librarian hears it at once, under Central's heading, not rolled over
    expect(group(cass, CENTRAL).locator(row(cass, pat))).to_be_visible()
    expect(row(cass, pat)).to_have_attribute("data-rolled-over", "false")

    # past the rollover the co-op desk hears it: Remy sees it, marked, under the co-op desk
    expect(group(remy, COOP).locator(row(remy, pat))).to_be_visible(timeout=ROLLOVER_SECONDS * 1000 + 30_000)
    r = row(remy, pat)
    expect(r.locator(".lcd-rolled")).to_have_text(ROLLED)
    expect(r).to_have_attribute("data-rolled-over", "true")
    expect(group(remy, COOP).get_by_role("heading")).to_contain_text("1 chat waiting")
    # Cass watches both desks it is offered to: still one row, under Central, now marked too
    expect(row(cass, pat).locator(".lcd-rolled")).to_have_text(ROLLED)
    expect(cass.locator(f'.lcd-wait-row[data-chat-id="{pat.chat_id}"]')).to_have_count(1)
    expect(group(cass, CENTRAL).locator(row(cass, pat))).to_be_visible()
    shot(remy, "dashboard-desks-01-rolled-over-waiting")
    assert axe_serious(remy) == []

    r.get_by_role("button", name="Claim Chat").click()
    p = pane(remy, pat)
    expect(p).to_be_visible()
    assert pat.wait("chat.claimed")["operator"]["name"] == "Remy Riverside"
    expect(row(cass, pat)).to_have_count(0)
    expect(p.locator(".lcd-pane-rolled")).to_have_text(ROLLED)
    # the patron's home desk's card: open (a library Remy does not know), naming the desk
    card = p.locator("details.lcd-info")
    summary = card.locator("summary")
    expect(summary).to_have_text(f"Local information: the patron's desk is {CENTRAL}")
    expect(card).to_have_attribute("open", "")
    expect(card).to_contain_text("cards are free for county residents")
    link = card.get_by_role("link", name="https://example.org/central/hours")
    expect(link).to_have_attribute("href", "https://example.org/central/hours")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(card.locator(".lcd-info-reviewed")).to_have_text(re.compile(r"^last reviewed .*2026$"))
    shot(remy, "dashboard-desks-02-rolled-over-pane")
    assert axe_serious(remy) == []
    # keyboard: the summary folds and unfolds it
    summary.focus()
    remy.keyboard.press("Enter")
    expect(card).not_to_have_attribute("open", "")
    expect(link).to_be_hidden()
    remy.keyboard.press("Space")
    expect(link).to_be_visible()

    # Libby watches neither desk it was offered to: a later chat at her desk reaches her page,
    # and nothing about Cora's ever did
    later = DeskPatron(svc, f"Riverside question ({uuid.uuid4().hex[:6]})", "riverside", "Rio")
    expect(group(libby, RIVERSIDE).locator(row(libby, later))).to_be_visible()
    expect(row(libby, pat)).to_have_count(0)
    assert mentions(libby.received, pat.chat_id) == []
    expect(row(remy, later)).to_be_attached()  # on the Chats tab, behind Cora's pane
    expect(row(remy, later)).to_have_attribute("data-rolled-over", "false")

    # Transfer, to a desk: back to Central's desk with a note; Cass sees it waiting again
    p.get_by_role("button", name="Transfer").click()
    dlg = remy.get_by_role("dialog", name=re.compile("Transfer the chat with Cora"))
    expect(dlg.get_by_label("Back to the queue")).to_be_visible()
    desks = dlg.get_by_role("group", name="Or to a desk")
    expect(desks.get_by_role("radio")).to_have_count(4)  # every enabled desk
    desks.get_by_role("radio", name=CENTRAL).check()
    dlg.get_by_label(re.compile("^Note for the next librarian")).fill("Needs a Central card renewal.")
    assert axe_serious(remy) == []
    dlg.get_by_role("button", name="Transfer").click()
    expect(p).to_have_count(0)
    sent = [f for f in remy.sent if f.get("action") == "transfer"][-1]
    assert (sent["to_queue"], sent.get("to"), sent["note"]) == ("central", None, "Needs a Central card renewal."), sent
    expect(group(cass, CENTRAL).locator(row(cass, pat))).to_contain_text("Needs a Central card renewal.")
    expect(row(cass, pat)).to_have_attribute("data-rolled-over", "false")  # offered to its home desk only

    # Cass (Central's own librarian) claims it: the card is there, folded (her own library)
    row(cass, pat).get_by_role("button", name="Claim Chat").click()
    cp = pane(cass, pat)
    expect(cp).to_be_visible()
    expect(cp.locator("details.lcd-info summary")).to_have_text(f"Local information: the patron's desk is {CENTRAL}")
    expect(cp.locator("details.lcd-info")).not_to_have_attribute("open", "")
    expect(cp.locator(".lcd-pane-rolled")).to_be_hidden()

    # tidy: end and close what was opened, Libby watches her desks again
    cp.get_by_role("button", name="End Chat").click()
    cass.get_by_role("dialog").get_by_role("button", name="End Chat").click()
    cp.get_by_role("button", name="Close Chat").click()
    expect(cp).to_have_count(0)
    later.client.send(action="end", chat_id=later.chat_id)
    expect(row(libby, later)).to_have_count(0)
    watch_box(libby, CENTRAL).check()
    expect(group(libby, CENTRAL)).to_be_visible()
    watch_box(libby, COOP).check()
    expect(group(libby, COOP)).to_be_visible()
    for page in (libby, remy, cass):
        assert page.errors == [], page.errors


def test_watching_follows_the_librarian_into_another_tab(new_context, desks_svc):
    svc = desks_svc
    ctx = new_context(reduced_motion="reduce")
    first = ctx.new_page()
    first.goto(f"{svc.base_url}/dashboard/")
    sign_in(first, "riverside")
    second = ctx.new_page()  # the same librarian in a second tab (its own sign-in: sessionStorage)
    second.goto(f"{svc.base_url}/dashboard/")
    sign_in(second, "riverside")
    pat = DeskPatron(svc, f"A co-op question ({uuid.uuid4().hex[:6]})", "coop", "Coby")
    for page in (first, second):
        expect(group(page, COOP).locator(row(page, pat))).to_be_visible()

    watch_box(first, COOP).uncheck()
    expect(group(second, COOP)).to_have_count(0)  # the other tab heard `watching`
    expect(row(second, pat)).to_have_count(0)
    expect(watch_box(second, COOP)).not_to_be_checked()
    expect(first.locator("#lcd-waiting-empty")).to_be_visible()

    watch_box(first, COOP).check()
    # the other tab watches more than it knew of: it asks again, and the waiting chat is back
    expect(group(second, COOP).locator(row(second, pat))).to_be_visible()
    expect(watch_box(second, COOP)).to_be_checked()
    expect(row(first, pat)).to_be_visible()

    # watching nothing at all: the list says how to see chats again
    watch_box(first, COOP).uncheck()
    watch_box(first, RIVERSIDE).uncheck()
    expect(first.locator("#lcd-watch-none")).to_be_visible()
    expect(first.locator("#lcd-waiting-empty")).to_be_hidden()
    expect(second.locator("#lcd-watch-none")).to_be_visible()
    shot(first, "dashboard-desks-03-watching-none")
    assert axe_serious(first) == []
    watch_box(first, RIVERSIDE).check()
    watch_box(first, COOP).check()
    expect(row(first, pat)).to_be_visible()
    pat.client.send(action="end", chat_id=pat.chat_id)
    expect(row(second, pat)).to_have_count(0)
