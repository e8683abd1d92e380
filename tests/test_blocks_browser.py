"""Blocking an abusive patron from the dashboard (docs/privacy.md "Blocks"), in real chromium
against a local runner:

- a librarian's pane of an ended chat offers "Block patron…"; the chat closed meanwhile (from
  another of their connections), the service refuses and the dialog says so in its words;
- a patron asks from the widget, the librarian claims the chat and blocks the patron for 24 hours
  with a reason from the pane; the pane says until when, and it is announced; the same browser's
  next chat gets the widget's neutral "not available right now"; an admin finds the block in the
  Team tab's Blocks (read again each time the tab is shown), with its reason and who blocked, and
  lifts it; that browser's next chat then goes through.

This module starts its own runner: locally every request comes from 127.0.0.1, so a block
catches the runner's one network, which would refuse the other browser tests' patrons. Tests
wait on the DOM, on responses and on frames, never on a clock.
"""
from __future__ import annotations

import re
import time
import uuid
from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.browser import claim_waiting, dashboard_as, FRAME, LAUNCHER, axe_serious, own_runner, page_of, shot
from tests.e2e import Client

pytestmark = pytest.mark.timeout(300)

UNAVAILABLE = "Chat is not available right now. You can still reach us another way."
CLOSED_REFUSAL = "Not blocked: this chat no longer says who its patron was; block from an open or ended chat."


EXPECT_TIMEOUT_MS = 15_000  # tests/browser.py's patient_expect: this module's pages do more per step


@pytest.fixture(scope="module")
def bsvc():
    with own_runner() as service:
        yield service


def end_from_pane(lib, pane) -> None:
    pane.get_by_role("button", name="End Chat").click()
    lib.get_by_role("dialog", name=re.compile("^End the chat")).get_by_role("button", name="End Chat").click()
    expect(pane.get_by_role("button", name="Close Chat")).to_be_visible()


def active_blocks(svc) -> list[dict]:
    status, body = svc.request("GET", "/api/blocks", token=svc.admin)
    assert status == 200, body
    return body["blocks"]


def test_a_block_from_a_chat_closed_meanwhile_is_refused_in_the_services_words(bsvc, new_context):
    svc = bsvc
    question = f"Closed before the block? ({uuid.uuid4().hex[:6]})"
    created = svc.new_chat(question, name="Robin")
    patron = Client(created["ws_url"], created["token"], hello={"chat_id": created["chat_id"]})
    patron.wait("welcome")
    lib = dashboard_as(new_context, svc, "librarian")
    pane, chat_id = claim_waiting(lib, question)
    assert chat_id == created["chat_id"]
    patron.wait("chat.claimed")
    end_from_pane(lib, pane)  # ended, not closed: the patron can still be blocked from here
    pane.get_by_role("button", name="Block patron…").click()
    dialog = lib.get_by_role("dialog", name="Block Robin from new chats")
    expect(dialog).to_be_visible()

    # the chat is closed from another of the librarian's connections: its pane goes
    other = Client(svc.ws_url, svc.login("librarian"), hello={})
    other.wait("welcome")
    other.send(action="close", chat_id=chat_id)
    other.wait("chat.closed", chat_id=chat_id)
    expect(pane).to_have_count(0)
    dialog.get_by_label("Reason").fill("Abusive language")
    with lib.expect_response(lambda r: r.url.endswith(f"/api/chats/{chat_id}/block")) as res:
        dialog.get_by_role("button", name="Block patron", exact=True).click()
    assert res.value.status == 409, res.value.json()
    expect(dialog.get_by_role("alert")).to_have_text(CLOSED_REFUSAL)
    expect(dialog).to_be_visible()  # still open: nothing was blocked
    assert active_blocks(svc) == []
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(lib.get_by_role("tab", name=re.compile("^Chats"))).to_be_focused()  # its opener went with the pane
    other.close()
    patron.close()
    assert lib.errors == []


def test_a_librarian_blocks_a_patron_from_the_pane_and_an_admin_lifts_it(bsvc, new_context):
    svc = bsvc
    # the admin looks at the Team tab first: nobody is blocked
    admin = dashboard_as(new_context, svc, "admin")
    team = admin.get_by_role("tab", name="Team")
    team.click()
    blocks = admin.get_by_role("region", name="Blocks", exact=True)
    expect(blocks.get_by_text("No patrons are blocked.")).to_be_visible()
    admin.get_by_role("tab", name=re.compile("^Chats")).click()

    # a patron asks from the widget; the librarian claims the chat
    lib = dashboard_as(new_context, svc, "librarian")
    patron = page_of(new_context, f"{svc.base_url}/")
    patron.get_by_role("button", name=LAUNCHER).click()
    chat = patron.frame_locator(FRAME)
    question = f"Why won't you answer me? ({uuid.uuid4().hex[:6]})"
    chat.get_by_label("Your question").fill(question)
    chat.get_by_label("Your name").fill("Pat")
    chat.get_by_role("button", name="Start chat").click()
    expect(chat.get_by_text("A librarian will be with you shortly.")).to_be_visible()
    pane, chat_id = claim_waiting(lib, question)
    expect(chat.get_by_label("Message")).to_be_visible()

    # Block patron…: the dialog, its default, a reason required
    pane.get_by_role("button", name="Block patron…").click()
    dialog = lib.get_by_role("dialog", name="Block Pat from new chats")
    expect(dialog).to_be_visible()
    hours = dialog.get_by_role("group", name="For how long")
    expect(hours.get_by_role("radio")).to_have_count(4)
    expect(hours.get_by_role("radio", name="24 hours")).to_be_checked()
    expect(hours.get_by_role("radio", name="24 hours")).to_be_focused()
    reason = dialog.get_by_label("Reason")
    expect(reason).to_have_attribute("maxlength", "200")
    expect(reason).to_have_accessible_description(re.compile("^Required, at most 200 characters"))
    assert axe_serious(lib) == [], "dashboard: the block dialog"
    shot(lib, "blocks-01-dialog")
    requests = []
    lib.on("request", lambda r: "/block" in r.url and requests.append(r.url))
    dialog.get_by_role("button", name="Block patron", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text("Say why the patron is blocked.")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_be_focused()
    lib.evaluate("0")  # any request the click made has reached Python by now
    assert requests == []
    assert axe_serious(lib) == [], "dashboard: the block dialog with its error"

    why = f"Abusive language, repeated ({uuid.uuid4().hex[:4]})"
    reason.fill(why)
    asked_at = time.time()
    with lib.expect_response(lambda r: r.url.endswith(f"/api/chats/{chat_id}/block")) as res:
        dialog.get_by_role("button", name="Block patron", exact=True).click()
    assert res.value.status == 201, res.value.json()
    assert res.value.request.post_data_json == {"hours": 24, "reason": why}
    until = res.value.json()["block"]["until"]
    left = datetime.fromisoformat(until.replace("Z", "+00:00")).timestamp() - asked_at
    assert 23.9 * 3600 < left <= 24 * 3600 + 60, until
    expect(dialog).to_be_hidden()
    note = pane.locator(".lcd-blocked-note")
    expect(note).to_contain_text("Patron blocked until")
    expect(note).to_contain_text(f"Reason: {why}")
    expect(note).to_be_focused()  # the button that opened the dialog is gone
    expect(pane.get_by_role("button", name="Block patron…")).to_be_hidden()
    expect(lib.locator("#lcd-announcer")).to_contain_text("Pat is blocked from new chats until")
    shot(lib, "blocks-02-pane-blocked")

    # this chat goes on; once it is over, the same browser's next chat is refused neutrally
    end_from_pane(lib, pane)
    pane.get_by_role("button", name="Close Chat").click()
    expect(pane).to_have_count(0)
    expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
    chat.get_by_role("button", name="Skip").click()
    chat.get_by_role("button", name="Start a new chat").click()
    again = f"Let me back in ({uuid.uuid4().hex[:6]})"
    chat.get_by_label("Your question").fill(again)
    with patron.expect_response(lambda r: r.url.endswith("/api/chats") and r.request.method == "POST") as refused:
        chat.get_by_role("button", name="Start chat").click()
    assert refused.value.status == 503
    assert refused.value.json()["error"]["code"] == "unavailable"
    expect(chat.get_by_text(UNAVAILABLE)).to_be_visible()
    expect(chat.get_by_text(why)).to_have_count(0)  # the patron never sees the reason
    shot(patron, "blocks-03-widget-unavailable")

    # the admin comes back to the Team tab: read again, the block is there
    team.click()
    row = blocks.get_by_role("row").filter(has_text=why)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Libby Librarian")
    expect(row).to_contain_text("Ask a librarian")
    expect(blocks.get_by_text("No patrons are blocked.")).to_be_hidden()
    expect(blocks.get_by_role("status")).to_have_text("1 active block.")
    assert axe_serious(admin) == [], "dashboard: Team, the Blocks section"
    blocks.scroll_into_view_if_needed()
    shot(admin, "blocks-04-team-blocks")

    # Lift, asked again first
    row.get_by_role("button", name=re.compile("^Lift the block until")).click()
    confirm = admin.get_by_role("dialog", name="Lift this block?")
    expect(confirm).to_contain_text(why)
    with admin.expect_response(lambda r: "/api/blocks/" in r.url and r.request.method == "DELETE") as lifted:
        confirm.get_by_role("button", name="Lift block").click()
    assert lifted.value.status == 200, lifted.value.json()
    expect(blocks.get_by_role("status")).to_have_text(f"Block lifted ({why}).")
    expect(blocks.get_by_text("No patrons are blocked.")).to_be_visible()
    expect(blocks.get_by_role("row").filter(has_text=why)).to_have_count(0)
    expect(blocks.get_by_role("button", name="Refresh the blocks")).to_be_focused()  # its Lift went with the row
    assert active_blocks(svc) == []
    assert axe_serious(admin) == [], "dashboard: Team, no blocks"

    # the same browser asks again: it goes through to the waiting list
    with patron.expect_response(lambda r: r.url.endswith("/api/chats") and r.request.method == "POST") as accepted:
        chat.get_by_role("button", name="Start chat").click()
    assert accepted.value.status == 201, accepted.value.json()
    expect(chat.get_by_text("A librarian will be with you shortly.")).to_be_visible()
    expect(lib.locator(".lcd-wait-row").filter(has_text=again)).to_have_count(1)
    shot(patron, "blocks-05-widget-back")
    chat.get_by_role("button", name="End chat").click()
    chat.get_by_role("button", name="Yes, end chat").click()
    expect(lib.locator(".lcd-wait-row").filter(has_text=again)).to_have_count(0)
    assert lib.errors == [] and admin.errors == [] and patron.errors == []
