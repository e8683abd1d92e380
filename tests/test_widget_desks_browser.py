"""Desks in the patron widget (docs/desks.md), in real chromium against the real local runner:

- a widget whose `data-queue` names a desk that is closed now says when it opens next, in the
  patron's own time zone (the browser context's, here Paris) and naming the library's time
  (the desk's zone, New York); nothing else answers for it, even with librarians online;
- left open across a desk's opening, the widget looks again at `next_open` by itself and
  brings the form (no click, no polling before it);
- place in line: two patrons wait at one desk, the second is told "number 2"; a librarian
  claims the first, and the second is told "next in line"; the first's line is gone.

This module starts its own runner: desks cannot be deleted, and a desk made here (closed, or
opening in a minute) must not show up in the shared runner's other tests; a fresh runner's
line also holds only this module's patrons. The desk directory is not cached
(QUEUE_CACHE_SECONDS=0), so a desk made over REST is what the next status says at once.
Tests wait on the DOM and on frames (tests.e2e.Client), never on a clock.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser import FRAME, LAUNCHER, axe_serious, library_site, own_runner, patron_frame
from tests.e2e import Client
from tests.test_widget_browser import snap

pytestmark = pytest.mark.timeout(240)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PATRON_ZONE = "Europe/Paris"


@pytest.fixture(scope="module")
def desks_svc():
    with own_runner({"QUEUE_CACHE_SECONDS": "0"}) as service:
        yield service


def make_desk(svc, **desk) -> dict:
    status, body = svc.request("POST", "/api/queues", desk, token=svc.admin)
    assert status == 201, body
    return body


def desk_status(svc, desk_id: str) -> dict:
    status, body = svc.request("GET", f"/api/status?queue={desk_id}")
    assert status == 200, body
    return body["queue"]


def desk_page(svc, new_context, host: str, **ctx_args):
    """A library page on another origin embedding the widget for one desk, the panel opened."""
    page = new_context(timezone_id=PATRON_ZONE, locale="en-US", **ctx_args).new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.statuses = []  # every status the widget asked for
    page.on("request", lambda r: "/api/status" in r.url and page.statuses.append(r.url))
    page.goto(f"{host}/")
    page.get_by_role("button", name=LAUNCHER).click()
    return page, page.frame_locator(FRAME)


def embed_html(svc, desk_id: str) -> str:
    return f"""<!doctype html><html lang="en"><head><title>Law school</title></head><body>
      <main><h1>Law school library</h1><p>Ask us.</p></main>
      <script src="{svc.base_url}/embed.js" async data-queue="{desk_id}"
              data-offline-email="law@library.example"></script></body></html>"""


def clock_text(when: datetime) -> str:
    """As Intl.DateTimeFormat("en", {hour: "numeric", minute: "2-digit"}) writes it: 9:00 AM."""
    return f"{when.hour % 12 or 12}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'}"


def opens_text(next_open: datetime, now: datetime) -> str:
    """What the widget says, in the patron's zone (desk.js opening())."""
    days = (next_open.date() - now.date()).days
    time = clock_text(next_open)
    if days <= 0:
        return f"Opens today at {time} (your time)."
    if days == 1:
        return f"Opens tomorrow at {time} (your time)."
    if days < 7:
        return f"Opens {next_open.strftime('%A')} {time} (your time)."
    return f"Opens {next_open.strftime('%A, %B')} {next_open.day} at {time} (your time)."


def test_a_closed_desk_says_when_it_opens_in_the_patrons_time_and_the_librarys(desks_svc, new_context):
    ny = ZoneInfo("America/New_York")
    today = datetime.now(ny).date()
    make_desk(desks_svc, id="law", name="Law Library", library="State University", timezone="America/New_York",
              hours={d: [["09:00", "17:00"]] for d in DAYS},
              closed_dates=[today.isoformat(), (today + timedelta(days=1)).isoformat()])
    desk = desk_status(desks_svc, "law")
    assert desk["open"] is False and desk["online"] is False, desk
    next_open = datetime.fromisoformat(desk["next_open"].replace("Z", "+00:00"))
    assert next_open.astimezone(ny).strftime("%H:%M") == "09:00"

    # a librarian is online (for the other desks): this desk is closed all the same
    op = Client(desks_svc.ws_url, desks_svc.login("librarian"), hello={})
    op.wait("welcome")
    with library_site(embed_html(desks_svc, "law")) as host:
        page, chat = desk_page(desks_svc, new_context, host)
        expect(chat.get_by_role("heading", name="Law Library chat is closed right now")).to_be_visible()
        paris = ZoneInfo(PATRON_ZONE)
        local = opens_text(next_open.astimezone(paris), datetime.now(paris))
        library_day = next_open.astimezone(ny).strftime("%A")
        library = ("That's 9:00 AM in New York." if next_open.astimezone(paris).date() == next_open.astimezone(ny).date()
                   else f"That's {library_day} 9:00 AM in New York.")
        expect(chat.locator(".lc-opens-local")).to_have_text(local)
        expect(chat.locator(".lc-opens-library")).to_have_text(library)
        expect(chat.locator(".lc-status")).to_have_text("Chat is closed right now")
        expect(chat.get_by_role("link", name="Email law@library.example")).to_be_visible()
        expect(chat.get_by_role("button", name="Start chat")).to_have_count(0)  # the offline screen, not the form
        frame = patron_frame(page)
        assert frame.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == PATRON_ZONE
        assert re.search(r"[?&]queue=law(&|$)", frame.url), frame.url
        assert axe_serious(frame) == [], "closed screen"
        snap(page, "widget-desks-01-closed")
        # the widget asked for its own desk
        chat.get_by_role("button", name="Check again").click()
        expect(chat.locator(".lc-opens-local")).to_have_text(local)
        assert len(page.statuses) == 2 and all("queue=law" in url for url in page.statuses), page.statuses
        assert page.errors == []
    op.close()


def test_left_open_across_the_opening_the_widget_looks_again_and_brings_the_form(desks_svc, new_context):
    now = datetime.now(timezone.utc)
    opens = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
    if (opens - now).total_seconds() < 15:
        opens += timedelta(minutes=1)
    if opens.date() != now.date() or opens.strftime("%H:%M") >= "23:59":
        pytest.skip("too close to midnight UTC for an opening later today")
    make_desk(desks_svc, id="evening", name="Evening desk", timezone="UTC",
              hours={d: [[opens.strftime("%H:%M"), "24:00"]] for d in DAYS})
    desk = desk_status(desks_svc, "evening")
    assert desk["open"] is False and desk["next_open"].startswith(opens.strftime("%Y-%m-%dT%H:%M")), desk
    op = Client(desks_svc.ws_url, desks_svc.login("librarian"), hello={})  # watches every desk, this one too
    op.wait("welcome")
    with library_site(embed_html(desks_svc, "evening")) as host:
        page, chat = desk_page(desks_svc, new_context, host)
        expect(chat.locator(".lc-opens-local")).to_have_text(
            f"Opens today at {clock_text(opens.astimezone(ZoneInfo(PATRON_ZONE)))} (your time).")
        expect(chat.locator(".lc-opens-library")).to_have_text(f"That's {clock_text(opens)} in UTC.")
        # no click: the widget's timer at next_open asks again, and the desk is open and staffed
        expect(chat.get_by_role("button", name="Start chat")).to_be_visible(timeout=(opens - now).total_seconds() * 1000 + 30_000)
        expect(chat.locator(".lc-status")).to_have_text("Librarians are online")
        assert len(page.statuses) == 2, f"one look on opening the panel, one at the opening, no polling: {page.statuses}"
        assert datetime.now(timezone.utc) >= opens
        assert page.errors == []
    op.close()


def ask(page, chat, op: Client, question: str) -> str:
    chat.get_by_label("Your question").fill(question)
    chat.get_by_role("button", name="Start chat").click()
    queued = op.wait("chat.queued", where=lambda f: f["chat"]["question"] == question)
    expect(chat.locator(".lc-log-list .lc-msg--own").first).to_be_visible()
    return queued["chat"]["chat_id"]


def test_place_in_line_two_patrons_at_one_desk(desks_svc, new_context):
    remy = Client(desks_svc.ws_url, desks_svc.login("riverside"), hello={})  # Riverside's librarian
    assert "riverside" in remy.wait("welcome")["operator"]["watching"]
    with library_site(embed_html(desks_svc, "riverside")) as host:
        first_page, first = desk_page(desks_svc, new_context, host)
        expect(first.get_by_label("Your question")).to_be_visible()
        # the privacy page of this desk's library, linked before the patron asks (docs/privacy.md)
        expect(first.get_by_role("link", name="How we handle your chat (privacy)")).to_have_attribute(
            "href", "privacy.html?library=Riverside%20Library")
        first_id = ask(first_page, first, remy, "Line test: is the river archive open to visitors?")
        line1 = first.locator(".lc-line")
        expect(line1).to_have_text("You are next in line.")
        expect(line1).to_have_attribute("aria-live", "polite")

        second_page, second = desk_page(desks_svc, new_context, host)
        expect(second.get_by_label("Your question")).to_be_visible()
        second_id = ask(second_page, second, remy, "Line test: can I renew a book over the phone?")
        line2 = second.locator(".lc-line")
        expect(line2).to_have_text("You are number 2 in line.")  # no claims at this desk yet: no estimate
        expect(second.get_by_text("A librarian will be with you shortly.")).to_be_visible()
        snap(second_page, "widget-desks-02-number-2")
        assert axe_serious(patron_frame(second_page)) == [], "waiting with a place in line"

        # Remy takes the first: the second moves up, the first's line is gone
        remy.send(action="claim", chat_id=first_id)
        remy.wait("chat.claimed", chat_id=first_id)
        expect(line2).to_contain_text("You are next in line.")
        expect(first.get_by_text("Remy Riverside joined the chat")).to_be_visible()
        expect(line1).to_have_text("")
        expect(first.get_by_text("A librarian will be with you shortly.")).to_have_count(0)
        snap(second_page, "widget-desks-03-next-in-line")

        remy.send(action="claim", chat_id=second_id)
        remy.wait("chat.claimed", chat_id=second_id)
        expect(line2).to_have_text("")
        for chat_id in (first_id, second_id):
            remy.send(action="end", chat_id=chat_id)
            remy.wait("chat.ended", chat_id=chat_id)
        assert first_page.errors == [] and second_page.errors == []
    remy.close()
