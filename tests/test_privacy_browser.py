"""Privacy a library sets and shows (docs/privacy.md), in real chromium against a local runner:

- an admin sets the general desk's privacy in the Desks tab (retention, delete the transcript
  some hours after close, strip name and e-mail, typing preview off); it is saved with the desk
  through PUT /api/queues/{id}, kept after a reload and shown by GET /api/queues; a value out of
  range is refused in the form (and, sent anyway, the service's 400 is shown there too) with
  nothing saved;
- the public privacy page says those settings in plain sentences, per desk, for every desk or
  one library's, and an unknown library as an alert.

This module starts its own runner: what it sets on the general desk must not reach the other
browser tests' shared runner. Tests wait on the DOM and on requests, never on a clock.
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser import own_runner, page_of, axe_serious, shot, sign_in

pytestmark = pytest.mark.timeout(180)

SETTINGS = {"retention_days": 7, "transcripts": "delete", "delete_after_hours": 2,
            "strip_identity": True, "typing_preview": False}


@pytest.fixture(scope="module")
def psvc():
    with own_runner({"QUEUE_CACHE_SECONDS": "0"}) as service:
        yield service


def general(svc) -> dict:
    status, body = svc.request("GET", "/api/queues", token=svc.admin)
    assert status == 200, body
    return next(q for q in body["queues"] if q["id"] == "general")


def open_general(page):
    """The Desks tab, the general desk's form open: the form's locator."""
    tab = page.get_by_role("tab", name="Desks")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    name = page.locator('#lcd-desks-rows tr[data-queue-id="general"] .lcd-team-person').text_content()
    page.get_by_role("button", name=f"Edit the desk {name}").click()
    form = page.locator("#lcd-desk-form-card")
    expect(form.get_by_role("heading", name=f"Edit the desk {name}")).to_be_focused()
    return form, name


def privacy_of(form):
    group = form.get_by_role("group", name="Privacy")
    return {
        "group": group,
        "retention": group.get_by_label("Keep chats for (days)"),
        "keep": group.get_by_label("Keep it for the days above"),
        "delete": group.get_by_label("Delete it after the chat is closed"),
        "hours": group.get_by_label("Hours after closing"),
        "strip": group.get_by_label("Remove the patron's name and e-mail when the chat is closed"),
        "typing": group.get_by_label("Librarians see what the patron is typing, before it is sent"),
    }


def test_an_admin_sets_a_desks_privacy_and_a_wrong_value_saves_nothing(new_context, psvc):
    svc = psvc
    assert general(svc)["privacy"] == {}
    page = page_of(new_context, f"{svc.base_url}/dashboard/")
    sign_in(page, "admin")
    form, name = open_general(page)
    p = privacy_of(form)
    expect(p["group"]).to_be_visible()
    # a desk on the defaults: nothing typed, keep, hours off, not stripped, the service's preview
    expect(p["retention"]).to_have_value("")
    expect(p["keep"]).to_be_checked()
    expect(p["hours"]).to_be_disabled()
    expect(p["strip"]).not_to_be_checked()
    expect(p["typing"]).to_have_value("")
    # each control says what it does (its help text is its description)
    expect(p["retention"]).to_have_accessible_description(
        "After this many days everything about a chat (the conversation, the patron's name and e-mail, files) "
        "is deleted for good. Leave it empty to use the service's standard period (30 days unless it was "
        "changed when the service was set up).")
    expect(p["strip"]).to_have_accessible_description("The conversation can be kept, but without who asked it.")

    p["retention"].fill("7")
    p["delete"].check()
    expect(p["hours"]).to_be_enabled()
    p["hours"].fill("2")
    p["strip"].check()
    p["typing"].select_option(label="No")
    with page.expect_request(lambda r: r.url.endswith("/api/queues/general") and r.method == "PUT") as put:
        form.get_by_role("button", name="Save desk").click()
    assert put.value.post_data_json["privacy"] == SETTINGS
    expect(form.get_by_role("status")).to_have_text(f"Saved the desk {name}.")
    assert general(svc)["privacy"] == SETTINGS
    shot(page, "privacy-01-desk-settings")
    assert axe_serious(page) == []

    # kept: a reload (the session and the tab come back) shows them again
    page.reload()
    form, _ = open_general(page)
    p = privacy_of(form)
    expect(p["retention"]).to_have_value("7")
    expect(p["delete"]).to_be_checked()
    expect(p["hours"]).to_be_enabled()
    expect(p["hours"]).to_have_value("2")
    expect(p["strip"]).to_be_checked()
    expect(p["typing"]).to_have_value("off")

    # a retention of 0 days: said in the form, by the field, and nothing is sent
    puts = []
    page.on("request", lambda r: r.method == "PUT" and puts.append(r.url))
    p["retention"].fill("0")
    form.get_by_role("button", name="Save desk").click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("Keep chats for a whole number of days from 1 to 3650, or leave it empty.")
    expect(p["retention"]).to_have_attribute("aria-invalid", "true")
    expect(p["retention"]).to_be_focused()
    expect(form.locator("#lcd-desk-retention-error")).to_contain_text("from 1 to 3650")
    page.evaluate("0")  # any request the click made has reached Python by now
    assert puts == []
    assert general(svc)["privacy"] == SETTINGS

    # sent anyway (a form older than the service's rules): the service's 400 is shown there
    def older_form(route):
        body = json.loads(route.request.post_data)
        body["privacy"]["retention_days"] = 0
        route.continue_(post_data=json.dumps(body))

    page.route("**/api/queues/general", older_form)
    p["retention"].fill("5")
    with page.expect_response(lambda r: r.url.endswith("/api/queues/general") and r.request.method == "PUT") as res:
        form.get_by_role("button", name="Save desk").click()
    assert res.value.status == 400
    message = res.value.json()["error"]["message"]
    assert "privacy.retention_days" in message, message
    expect(alert).to_contain_text(message)
    expect(p["retention"]).to_have_attribute("aria-invalid", "true")
    expect(form.locator(".lcd-form-status")).to_be_empty()
    page.unroute("**/api/queues/general")
    assert general(svc)["privacy"] == SETTINGS  # nothing of the request was written
    shot(page, "privacy-02-refused")
    assert axe_serious(page) == []
    assert page.errors == [], page.errors


def facts(section) -> dict:
    items = section.locator("li[data-fact]")
    expect(items.first).to_be_visible()
    return {li.get_attribute("data-fact"): li.text_content() for li in items.all()}


def test_the_privacy_page_says_each_desks_settings_in_plain_words(new_context, psvc):
    svc = psvc
    status, body = svc.request("PUT", "/api/queues/general", {"privacy": SETTINGS}, token=svc.admin)
    assert status == 200, body  # as the test above leaves it, also when this one runs alone
    name = body["name"]

    page = page_of(new_context, f"{svc.base_url}/patron/privacy.html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your privacy when you chat with a librarian")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert page.locator("html").get_attribute("lang") == "en"
    intro = page.locator(".lc-pv-intro")
    expect(intro).to_have_text(re.compile(r"^What is kept when you chat with a librarian"))
    expect(page.locator(".lc-pv-body > *").nth(1)).to_have_attribute("data-desk", re.compile("."))  # intro, then desks
    section = page.locator('section[data-desk="general"]')
    expect(section.get_by_role("heading", level=2)).to_have_text(name)
    said = facts(section)
    assert said["retention"] == "Everything about your chat is deleted for good 7 days after you ask your question, at the latest."
    assert said["transcripts"] == "The conversation is deleted sooner: 2 hours after the chat is closed."
    assert said["identity"] == "Your name and e-mail address, if you give them, are removed from the chat when it is closed."
    assert said["typing"] == "Librarians see your messages only when you send them, not while you type."
    assert said["ip"] == "Your IP address is not stored."
    assert said["statistics"].startswith("Anonymous statistics are kept for ")
    assert "no names, no questions and no addresses" in said["statistics"]
    assert said["who"] == f"Who can read your chat: the librarians who answer chats at “{name}”, and the chat service's administrators."
    assert "“Delete this chat” in the chat window" in said["delete"]
    # the other desks, on the service's defaults, say so
    central = facts(page.locator('section[data-desk="central"]'))
    assert central["transcripts"] == "Until then the conversation is kept, also after the chat is closed."
    assert central["typing"].startswith("Librarians can see what you type before you send it.")
    shot(page, "privacy-03-page-every-desk")
    assert axe_serious(page) == []

    # one library's desks
    page.goto(f"{svc.base_url}/patron/privacy.html?library=Central%20Library")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your privacy when you chat with Central Library")
    expect(page.locator("section[data-desk]")).to_have_count(1)
    expect(page.locator('section[data-desk="central"]')).to_be_visible()
    assert axe_serious(page) == []

    # a library the service does not know: an alert, no desks
    page.goto(f"{svc.base_url}/patron/privacy.html?library=Nowhere")
    expect(page.get_by_role("alert")).to_have_text(
        "There is no library called “Nowhere” on this chat service. Check the link you followed.")
    expect(page.locator("section[data-desk]")).to_have_count(0)
    shot(page, "privacy-04-unknown-library")
    assert axe_serious(page) == []
    assert page.errors == [], page.errors
