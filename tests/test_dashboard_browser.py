"""The operator dashboard in a real browser (Debian's chromium via Playwright) against the real
local service (`python -m local` in a subprocess). Patrons are played by real WebSocket clients.

Every step of the librarians' manual (shared/seed-operator-manual.txt) that the service
supports is walked through here with the manual's names: the Chats tab, Claim Chat, Enter /
Send Message, the typing notice, End Chat at the top right, Close Chat, and the patron's status
button turning red when the patron ends the chat.

Screenshots land in artifacts/screenshots/dashboard-*.png. The service is the session's (`svc`,
tests/browser.py), shared with the other end-to-end and browser tests: tests find their own
chats by id, count the waiting list from what it showed before, and every chat a test creates
or claims is ended and closed afterwards (operators have small max_chats), even when the test
fails (LocalService.tidy).

No quiet periods: where a test asserts that something did not happen, it first waits for a later
fact that proves the event was handled (a later frame on the same connection, a typing notice
that the page shows, a failed image load).
"""
from __future__ import annotations

import json
import re
import threading
import urllib.parse
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import chats_title, rgb, sign_in, waiting_count, axe_serious, failed_image_loads, frames_sent, shot
from tests.e2e import DEMO_PASSWORD, Client, LocalService

pytestmark = pytest.mark.timeout(120)


class Patron:
    """A patron: the REST call that starts a chat, then a real WebSocket like the widget's."""

    def __init__(self, svc: LocalService, question: str, name: str | None = None) -> None:
        self.svc = svc
        extra = {"name": name} if name else {}
        self.created = svc.new_chat(question, **extra)
        self.chat_id = self.created["chat_id"]
        self.question = question
        self.client: Client | None = None
        self.connect()

    def connect(self) -> dict:
        self.client = Client(self.created["ws_url"], self.created["token"], hello={"chat_id": self.chat_id})
        return self.client.wait("welcome")

    def send(self, text: str) -> None:
        self.client.send(action="send", chat_id=self.chat_id, text=text, client_msg_id=uuid.uuid4().hex)

    def wait(self, type_: str, **kw) -> dict:
        return self.client.wait(type_, **kw)

    def librarian_message(self, text: str | None = None) -> dict:
        """The next message from the librarian (the patron's own echoes are skipped)."""
        return self.client.wait("chat.message", where=lambda f: f["message"]["sender"]["role"] == "operator"
                                and (text is None or f["message"].get("text") == text))["message"]

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.close()
            except Exception:
                pass
            self.client = None


@pytest.fixture
def patrons(svc):
    """Factory of patrons (their chats start with svc.new_chat, so after the test the `svc`
    fixture's tidy ends the ones still open, and the operators' chats are ended and closed)."""

    def make(question: str | None = None, name: str | None = "Pat") -> Patron:
        return Patron(svc, question or f"Do you have the 1902 county atlas? ({uuid.uuid4().hex[:6]})", name)

    return make


def open_dashboard(new_context, svc, **ctx):
    ctx.setdefault("reduced_motion", "reduce")  # steady screenshots
    context = new_context(**ctx)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.sent = frames_sent(page)  # what the page sends on its WebSocket
    page.goto(f"{svc.base_url}/dashboard/")
    return page


def dashboard(new_context, svc, user: str, **ctx):
    page = open_dashboard(new_context, svc, **ctx)
    sign_in(page, user)
    return page


def waiting_row(page, patron: Patron):
    return page.locator(f'.lcd-wait-row[data-chat-id="{patron.chat_id}"]')


def pane(page, patron: Patron):
    return page.locator(f'.lcd-pane[data-chat-id="{patron.chat_id}"]')


def chat_tab(page, patron: Patron):
    return page.locator(f'.lcd-tab[data-chat-id="{patron.chat_id}"]')


def claim(page, patron: Patron):
    waiting_row(page, patron).get_by_role("button", name="Claim Chat").click()
    p = pane(page, patron)
    expect(p).to_be_visible()
    patron.wait("chat.claimed")
    return p


def no_page_errors(page) -> None:
    assert page.errors == [], page.errors


def page_has_heard(pat: Patron, pane) -> None:
    """A barrier for the page: the patron starts typing and the pane shows it. The page handles
    its frames in order, so everything the service sent it before that notice has been handled."""
    token = f"barrier {uuid.uuid4().hex[:6]}"
    pat.client.send(action="typing", chat_id=pat.chat_id, typing=True, preview=token)
    expect(pane.locator(".lcd-typing")).to_contain_text(token)
    pat.client.send(action="typing", chat_id=pat.chat_id, typing=False)
    expect(pane.locator(".lcd-typing")).not_to_contain_text(token)


# --------------------------------------------------------------------------- 1. sign-in


def test_sign_in_wrong_password_then_the_chats_tab(new_context, svc):
    page = open_dashboard(new_context, svc)
    expect(page.get_by_role("heading", name="Sign in to answer chats")).to_be_visible()
    expect(page).to_have_title("Sign in — Library chat")
    expect(page.get_by_label("Username")).to_be_focused()
    shot(page, "dashboard-01-signin")
    assert axe_serious(page) == []

    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("not-the-password-1")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert").filter(has_text="do not match")
    expect(alert).to_have_text("That username and password do not match. Check them and try again.")
    shot(page, "dashboard-01-signin-error")
    assert axe_serious(page) == []

    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    chats = page.get_by_role("tab", name=re.compile("^Chats"))
    expect(chats).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("heading", name=re.compile("Waiting chats"))).to_be_visible()
    expect(page.locator("#lcd-user-name")).to_have_text("Ada Admin")
    expect(page.locator("#lcd-conn")).to_have_attribute("data-state", "open")
    expect(page).to_have_title(chats_title(waiting_count(page)))  # other tests' chats may wait
    shot(page, "dashboard-01-chats-empty")
    assert axe_serious(page) == []
    token = page.evaluate("JSON.parse(sessionStorage.getItem('lcd.session')).token")
    assert token and "." in token

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert")).to_have_text("You have signed out.")
    expect(page.get_by_label("Username")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('lcd.session')") is None
    no_page_errors(page)


def test_a_refused_token_goes_back_to_sign_in_with_a_plain_message(new_context, svc):
    page = open_dashboard(new_context, svc)
    page.evaluate("""() => sessionStorage.setItem('lcd.session', JSON.stringify({
        token: 'forged.token.value', expires_at: '2999-01-01T00:00:00Z',
        operator: {id: 'admin', name: 'Ada Admin', role: 'admin', max_chats: 3}}))""")
    page.reload()
    expect(page.get_by_role("alert")).to_have_text("Your session has expired. Please sign in again.",
                                                   timeout=15_000)
    expect(page.get_by_label("Username")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('lcd.session')") is None


# ------------------------------------------------------- a new chat rings: chime, notification


RING_SPIES = """
window.__lcd = { oscillators: 0, notes: [] };
const RealAudioContext = window.AudioContext;
window.AudioContext = class extends RealAudioContext {
  createOscillator() { window.__lcd.oscillators += 1; return super.createOscillator(); }
};
class FakeNotification {
  static permission = "default";
  static async requestPermission() { FakeNotification.permission = "granted"; return "granted"; }
  constructor(title, options) { window.__lcd.notes.push([title, options.body, options.tag]); }
  close() {}
}
window.Notification = FakeNotification;
document.hasFocus = () => false;  // the librarian is looking at another window
"""


def test_a_new_chat_rings_notifies_and_counts_in_the_title(new_context, svc, patrons):
    context = new_context(reduced_motion="reduce")
    context.add_init_script(RING_SPIES)
    page = context.new_page()
    page.goto(f"{svc.base_url}/dashboard/")
    sign_in(page, "librarian")  # clicks and keys: the page may play sound from now on
    enable = page.get_by_role("button", name="Enable desktop notifications")
    enable.click()
    expect(enable).to_be_hidden()
    waiting = waiting_count(page)

    pat = patrons("Do you have any books on beekeeping?", name="Bee")
    expect(waiting_row(page, pat)).to_be_visible()
    expect(page).to_have_title(chats_title(waiting + 1))
    page.wait_for_function("() => window.__lcd.oscillators >= 2 && window.__lcd.notes.length === 1")
    title, body, tag = page.evaluate("window.__lcd.notes[0]")
    assert (title, tag) == ("New chat waiting", pat.chat_id)
    assert body == "Bee: Do you have any books on beekeeping?"
    expect(page.locator("#lcd-announcer")).to_contain_text("New chat waiting from Bee")

    sound = page.get_by_role("button", name="Sound on")
    sound.click()
    expect(page.get_by_role("button", name="Sound off")).to_have_attribute("aria-pressed", "false")
    before = page.evaluate("window.__lcd.oscillators")
    second = patrons("And on honey?", name="Hal")
    expect(waiting_row(page, second)).to_be_visible()
    expect(page).to_have_title(chats_title(waiting + 2))
    page.wait_for_function("() => window.__lcd.notes.length === 2")
    assert page.evaluate("window.__lcd.oscillators") == before, "muted: no chime"
    assert page.evaluate("localStorage.getItem('lcd.sound')") == "off"


# ----------------------------------------------------------------- 2. the manual, start to end


def test_claim_chat_send_messages_typing_end_and_close(new_context, svc, patrons):
    page = dashboard(new_context, svc, "admin")
    waiting = waiting_count(page)
    expect(page).to_have_title(chats_title(waiting))
    pat = patrons("Do you have the 1902 county atlas of Ramsey County?")

    # 1. a new chat appears under the Chats tab, live, with its question and a wait time
    row = waiting_row(page, pat)
    expect(row).to_be_visible()
    expect(row.locator(".lcd-wait-question")).to_have_text(pat.question)
    expect(row.locator(".lcd-wait-name")).to_have_text("Pat")
    expect(row.locator("time")).to_have_text(re.compile(r"^\d+ (s|min)$"))
    assert row.locator("time").get_attribute("datetime").endswith("Z")
    expect(page).to_have_title(chats_title(waiting + 1))
    expect(page.locator("#lcd-waiting-badge")).to_have_text(f"{waiting + 1} waiting")
    page.wait_for_function(  # the wait time is live: it changes without any server frame
        "(id) => document.querySelector(`.lcd-wait-row[data-chat-id='${id}'] time`).textContent !== '0 s'",
        arg=pat.chat_id, timeout=12_000)
    shot(page, "dashboard-02-waiting")
    assert axe_serious(page) == []

    # 2. Claim Chat opens a chat pane; the text box has focus; the patron hears of it
    p = claim(page, pat)
    expect(p.get_by_role("textbox")).to_be_focused()
    expect(page).to_have_title(chats_title(waiting))
    expect(p.locator(".lcd-pane-name")).to_have_text("Pat")
    expect(p.locator(".lcd-pane-question")).to_have_text(pat.question)
    expect(p.locator('.lcd-log li[data-seq="1"] .lcd-msg-text')).to_have_text(pat.question)
    expect(chat_tab(page, pat)).to_have_attribute("aria-selected", "true")

    # 3. Enter sends
    box = p.get_by_role("textbox")
    box.fill("Hello Pat! Let me check the map room.")
    box.press("Enter")
    got = pat.librarian_message()
    assert (got["seq"], got["text"]) == (2, "Hello Pat! Let me check the map room.")
    assert got["sender"]["role"] == "operator"
    expect(box).to_have_value("")
    expect(p.locator('.lcd-log li[data-seq="2"]')).to_have_class(re.compile("lcd-msg--own"))

    # Shift+Enter makes a new line; the Send Message button sends
    box.type("Line one")
    box.press("Shift+Enter")
    box.type("Line two")
    expect(box).to_have_value("Line one\nLine two")
    p.get_by_role("button", name="Send Message").click()
    got = pat.librarian_message()
    assert (got["seq"], got["text"]) == (3, "Line one\nLine two")

    # the patron writes back
    pat.send("Thank you! Which floor is the map room on?")
    reply = p.locator('.lcd-log li[data-seq="4"]')
    expect(reply.locator(".lcd-msg-text")).to_have_text("Thank you! Which floor is the map room on?")
    expect(reply).to_have_class(re.compile("lcd-msg--patron"))

    # typing notices both ways: the patron's preview shows above the text box
    pat.client.send(action="typing", chat_id=pat.chat_id, typing=True, preview="Do you have the 19")
    typing = p.locator(".lcd-typing")
    expect(typing).to_contain_text("Pat is typing:")
    expect(typing).to_contain_text("Do you have the 19")
    expect(p.get_by_role("status").filter(has_text="Pat is typing")).to_have_count(1)
    box.type("It is on")
    op_typing = pat.wait("chat.typing")
    assert op_typing["role"] == "operator" and op_typing["typing"] is True and "preview" not in op_typing
    shot(page, "dashboard-03-chat")
    assert axe_serious(page) == []
    pat.client.send(action="typing", chat_id=pat.chat_id, typing=False)
    expect(typing).not_to_contain_text("is typing")

    # End Chat at the top right of the chat pane (with a confirmation)
    end = p.get_by_role("button", name="End Chat")
    box_end, box_pane = end.bounding_box(), p.bounding_box()
    assert box_end["x"] + box_end["width"] > box_pane["x"] + box_pane["width"] * 0.8
    assert box_end["y"] < box_pane["y"] + 80
    end.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("End the chat with Pat?")
    shot(page, "dashboard-04-end-confirm")
    dialog.get_by_role("button", name="End Chat").click()
    ended = pat.wait("chat.ended")
    assert ended["ended_by"] == "operator"
    close = p.get_by_role("button", name="Close Chat")
    expect(close).to_be_visible()
    expect(p.get_by_role("button", name="End Chat")).to_have_count(0)
    expect(p.locator(".lcd-ended")).to_contain_text("You ended this chat")
    expect(p.locator(".lcd-composer textarea")).to_be_hidden()
    shot(page, "dashboard-05-ended")

    # Close Chat removes the chat from the dashboard
    close.click()
    expect(p).to_have_count(0)
    expect(chat_tab(page, pat)).to_have_count(0)
    expect(page.get_by_role("tab", name=re.compile("^Chats"))).to_have_attribute("aria-selected", "true")
    expect(page.locator("#lcd-mine-empty")).to_be_visible()
    assert page.evaluate("JSON.parse(sessionStorage.getItem('lcd.snapshot')).lastSeq")
    page.wait_for_function(f"() => !(JSON.parse(sessionStorage.getItem('lcd.snapshot')).lastSeq || {{}})['{pat.chat_id}']")
    shot(page, "dashboard-06-closed")
    no_page_errors(page)


# ------------------------------------------------------------ 3. the patron ends: status turns red


def test_patron_ends_first_status_button_turns_red(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    pat = patrons("Can I renew a book twice?", name="Robin")
    p = claim(page, pat)
    status = p.locator(".lcd-status")
    pat.client.send(action="end", chat_id=pat.chat_id)
    expect(status).to_have_text(re.compile("Left the chat"))
    expect(status).to_have_attribute("data-presence", "left")
    expect(status).to_have_class(re.compile("lcd-status--left"))
    r, g, b = rgb(page, status)
    assert r > 150 and g < 80 and b < 80, (r, g, b)
    expect(p.locator(".lcd-ended")).to_have_text("Robin ended the chat. Close it when you are done.")
    expect(chat_tab(page, pat).locator(".lcd-dot")).to_have_class(re.compile("lcd-dot--left"))
    shot(page, "dashboard-07-patron-left")
    assert axe_serious(page) == []
    p.get_by_role("button", name="Close Chat").click()
    expect(p).to_have_count(0)
    no_page_errors(page)


# --------------------------------------------------------------------- 4. patron presence


def test_patron_presence_online_away_left_online(new_context, svc, patrons):
    page = dashboard(new_context, svc, "admin")
    pat = patrons("Is the library open on Sunday?", name="Sam")
    p = claim(page, pat)
    status = p.locator(".lcd-status")

    pat.client.send(action="presence", chat_id=pat.chat_id, state="away")
    expect(status).to_have_attribute("data-presence", "away")
    expect(status).to_contain_text("Away")
    r, g, b = rgb(page, status)
    assert r > 150 and 50 <= g <= 130 and b < 60, (r, g, b)  # orange

    pat.close()  # the patron's page closes: gone reads as gone (red, with the time), not "Reconnecting"
    expect(status).to_have_attribute("data-presence", "offline")
    expect(status).to_contain_text(re.compile(r"Patron left at \d"))
    r, g, b = rgb(page, status)
    assert r > 150 and g < 80 and b < 80, (r, g, b)  # the manual's red
    expect(chat_tab(page, pat)).to_contain_text("Patron left at")  # the tab says it too
    expect(p.get_by_role("button", name="End Chat")).to_be_visible()  # the chat itself goes on

    pat.connect()  # and comes back
    expect(status).to_have_attribute("data-presence", "online")
    expect(status).to_contain_text("Online")
    expect(status).not_to_contain_text("left")
    r, g, b = rgb(page, status)
    assert g > r and g > b, (r, g, b)  # green
    no_page_errors(page)


# ---------------------------------------------------------------- 5. two panes, unread counts


def test_two_chats_in_two_panes_with_unread_counts(new_context, svc, patrons):
    page = dashboard(new_context, svc, "admin")
    waiting = waiting_count(page)
    first = patrons("Where are the genealogy records?", name="Alex")
    second = patrons("Do you lend laptops?", name="Bea")
    claim(page, first)
    page.get_by_role("tab", name=re.compile("^Chats")).click()
    expect(page.locator("#lcd-capacity")).to_have_text("1 of 3 active")
    p2 = claim(page, second)
    expect(p2).to_be_visible()
    tab1 = chat_tab(page, first)
    badge1 = tab1.locator(".lcd-badge--unread")
    expect(badge1).to_be_hidden()

    first.send("Are they on microfilm?")
    expect(badge1).to_be_visible()
    expect(badge1).to_contain_text("1")
    first.send("Or digital?")
    expect(badge1).to_contain_text("2")
    expect(tab1).to_have_attribute("data-unread", "2")
    # the pane in view counts nothing
    second.send("For how long?")
    expect(p2.locator(".lcd-msg-text").filter(has_text="For how long?")).to_be_visible()
    expect(chat_tab(page, second).locator(".lcd-badge--unread")).to_be_hidden()
    # "My chats" on the Chats tab shows the same count, next to who is still waiting
    third = patrons("How do I cite a government report in APA style?", name="Jordan")
    page.get_by_role("tab", name=re.compile("^Chats")).click()
    expect(waiting_row(page, third)).to_be_visible()
    expect(page).to_have_title(chats_title(waiting + 1))
    expect(page.locator("#lcd-capacity")).to_have_text("2 of 3 active")
    expect(page.locator(".lcd-mine-row").filter(has_text="Alex").locator(".lcd-badge--unread")).to_contain_text("2")
    shot(page, "dashboard-08-my-chats")
    assert axe_serious(page) == []
    tab1.click()
    expect(badge1).to_be_hidden()
    p1 = pane(page, first)
    expect(p1.locator(".lcd-msg-text").filter(has_text="Or digital?")).to_be_visible()
    shot(page, "dashboard-08-two-chats")

    # the overview picture: a conversation in view, another chat waiting for an answer
    box = p1.get_by_role("textbox")
    box.fill("Both! Records from 1850 to 1950 are on microfilm on the 2nd floor; later years are online.")
    box.press("Enter")
    first.librarian_message()
    second.send("Is there a deposit?")
    badge2 = chat_tab(page, second).locator(".lcd-badge--unread")
    expect(badge2).to_contain_text("1")
    first.client.send(action="typing", chat_id=first.chat_id, typing=True, preview="Great, can I book a microfilm rea")
    expect(p1.locator(".lcd-typing")).to_contain_text("can I book a microfilm")
    box.fill("Yes, you can book a reader")
    page.mouse.move(0, 400)
    shot(page, "dashboard-00-overview")
    no_page_errors(page)


# ------------------------------------------------------------------ 6. two librarians, one chat


def test_two_librarians_one_claims_the_other_sees_it_go_or_gets_the_conflict(new_context, svc, patrons):
    ada = dashboard(new_context, svc, "admin")
    # Libby's browser: her WebSocket runs through a proxy that can hold back `chat.claimed`,
    # so her click lands while Ada's claim is already stored: the race, made deterministic.
    held: list[str] = []
    hold = threading.Event()
    libby = open_dashboard(new_context, svc)

    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            if hold.is_set() and isinstance(message, str) and '"chat.claimed"' in message:
                held.append(message)
            else:
                ws.send(message)

        server.on_message(from_server)
        route.ws = ws

    libby.route_web_socket(re.compile(r".*/ws(\?.*)?$"), route)
    sign_in(libby, "librarian")

    pat = patrons("Can I book a study room?", name="Kim")
    for page in (ada, libby):
        expect(waiting_row(page, pat)).to_be_visible()
    claim(ada, pat)
    expect(waiting_row(libby, pat)).to_have_count(0)  # gone from the other librarian's list
    expect(libby.locator("#lcd-announcer")).to_contain_text("taken by Ada Admin")

    # the same moment: Ada's claim is stored, Libby's list has not heard yet, Libby clicks
    pat2 = patrons("Do you have a 3D printer?", name="Lee")
    ada.get_by_role("tab", name=re.compile("^Chats")).click()
    for page in (ada, libby):
        expect(waiting_row(page, pat2)).to_be_visible()
    hold.set()
    claim(ada, pat2)  # stored: Ada's pane is open and the patron heard chat.claimed
    waiting_row(libby, pat2).get_by_role("button", name="Claim Chat").click()
    expect(libby.get_by_role("alert")).to_contain_text("Another librarian already took this chat.")
    # the service sent Libby chat.claimed before the answer to her claim, on the same socket:
    # the answer came through the proxy, so the notice was held there, unseen by her page
    assert len(held) == 1 and f'"{pat2.chat_id}"' in held[0], held
    expect(waiting_row(libby, pat2)).to_have_count(0)
    expect(pane(libby, pat2)).to_have_count(0)
    shot(libby, "dashboard-09-conflict")
    hold.clear()
    for message in held:
        route.ws.send(message)
    libby.get_by_role("button", name="Dismiss").click()
    expect(libby.locator(".lcd-notice")).to_have_count(0)
    no_page_errors(ada)
    no_page_errors(libby)


# ------------------------------------------------------------------------- 7. capacity


def test_trainee_at_one_chat_gets_the_capacity_message(new_context, svc, patrons):
    page = dashboard(new_context, svc, "trainee")
    expect(page.locator("#lcd-user-role")).to_contain_text("up to 1 chat")
    one = patrons("How do I print from my laptop?", name="Noor")
    claim(page, one)
    two = patrons("Is there parking?", name="Ola")
    page.get_by_role("tab", name=re.compile("^Chats")).click()
    waiting_row(page, two).get_by_role("button", name="Claim Chat").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "You are at your limit of 1 chat. End one before claiming another.")
    expect(waiting_row(page, two)).to_be_visible()  # still waiting for someone else
    expect(waiting_row(page, two).get_by_role("button", name="Claim Chat")).to_be_visible()
    expect(pane(page, two)).to_have_count(0)
    shot(page, "dashboard-10-capacity")
    no_page_errors(page)


def test_fourth_chat_warning_and_cancel_does_not_claim(new_context, svc, patrons):
    """Below the hard limit (max_chats 4 here) the manual's warning asks; Cancel claims nothing.
    (At the limit there is nothing to confirm: tests/test_dashboard_limits_browser.py.)"""
    set_max_chats(svc, "librarian", 4)
    try:
        fourth_chat_warning_and_cancel(new_context, svc, patrons)
    finally:
        svc.tidy()  # the patrons end their chats first: max_chats 3 is allowed again
        set_max_chats(svc, "librarian", 3)


def set_max_chats(svc, user: str, n: int) -> None:
    code, body = svc.request("PUT", f"/api/operators/{user}", {"max_chats": n}, token=svc.operator_token("admin"))
    assert code == 200, body


def fourth_chat_warning_and_cancel(new_context, svc, patrons):
    libby_ws = Client(svc.ws_url, svc.login("librarian"), hello={})
    libby_ws.wait("welcome")
    three = [patrons(f"Question number {i}", name=f"Patron {i}") for i in range(3)]
    for pat in three:
        libby_ws.wait("chat.queued", where=lambda f, c=pat.chat_id: f["chat"]["chat_id"] == c)
        libby_ws.send(action="claim", chat_id=pat.chat_id)
        pat.wait("chat.claimed")
    libby_ws.close()
    page = dashboard(new_context, svc, "librarian")
    for pat in three:  # restored from welcome.mine
        expect(chat_tab(page, pat)).to_have_count(1)
    expect(page.locator("#lcd-capacity")).to_have_text("3 of 4 active")
    fourth = patrons("A fourth question", name="Quinn")
    waiting_row(page, fourth).get_by_role("button", name="Claim Chat").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(
        "You already have 3 chats. The manual advises no more than 3 unless one is winding down.")
    expect(dialog.get_by_role("button", name="Claim anyway")).to_be_visible()  # the service would accept
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    shot(page, "dashboard-10-fourth-chat-warning")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(waiting_row(page, fourth).get_by_role("button", name="Claim Chat")).to_be_focused()
    expect(pane(page, fourth)).to_have_count(0)
    expect(waiting_row(page, fourth)).to_be_visible()
    # The page sent no claim (what the page sends is what can tell). The page goes on to type in
    # one of its chats: that patron sees the notice, and once the page's typing frame is on
    # record, every frame the page sent before it is too (they are recorded in order).
    chat_tab(page, three[0]).click()
    socket = page.sockets[-1]
    with socket.expect_event("framesent", predicate=lambda p: isinstance(p, str) and '"typing"' in p):
        pane(page, three[0]).get_by_role("textbox").press_sequentially("One moment")
    three[0].wait("chat.typing", where=lambda f: f["typing"] is True)
    claims = [f for f in page.sent if f.get("action") == "claim"]
    assert [f["chat_id"] for f in claims] == [], claims
    pane(page, three[0]).get_by_role("textbox").fill("")
    no_page_errors(page)


# -------------------------------------------------------------------------------- 8. XSS


def test_patron_html_is_shown_as_text(new_context, svc, patrons):
    page = dashboard(new_context, svc, "admin")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil = "<img src=x onerror=alert(1)>"
    pat = patrons(evil, name="<b>Mallory</b>")
    row = waiting_row(page, pat)
    expect(row.locator(".lcd-wait-question")).to_have_text(evil)
    expect(row.locator(".lcd-wait-name")).to_have_text("<b>Mallory</b>")
    assert page.locator("#lcd-waiting img, #lcd-waiting b").count() == 0
    p = claim(page, pat)
    pat.send("<script>alert(2)</script><img src=y onerror=alert(3)>")
    expect(p.locator(".lcd-msg-text").filter(has_text="<script>")).to_have_text(
        "<script>alert(2)</script><img src=y onerror=alert(3)>")
    pat.client.send(action="typing", chat_id=pat.chat_id, typing=True, preview="<img src=z onerror=alert(4)>")
    expect(p.locator(".lcd-typing")).to_contain_text("<img src=z onerror=alert(4)>")
    expect(p.locator(".lcd-pane-name")).to_have_text("<b>Mallory</b>")
    assert page.locator(".lcd-main img, .lcd-main script, .lcd-main b, .lcd-tabs b, .lcd-tabs img").count() == 0
    failed_image_loads(page, "x", "y", "z")  # an injected one's onerror would have fired before
    assert dialogs == []
    shot(page, "dashboard-12-xss-as-text")
    no_page_errors(page)


# ------------------------------------------------------------------------ 9. keyboard only


def press_tab_until(page, predicate_js: str, key: str = "Tab", limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate_js}); }}"):
            return
    raise AssertionError(f"focus never reached {predicate_js}")


def test_keyboard_only_sign_in_claim_send_end_close(new_context, svc, patrons):
    page = open_dashboard(new_context, svc)
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("librarian")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("#lcd-conn")).to_have_attribute("data-state", "open")
    pat = patrons("Keyboard question about interlibrary loan", name="Kai")
    expect(waiting_row(page, pat)).to_be_visible()

    press_tab_until(page, f"el.matches('.lcd-wait-row[data-chat-id=\"{pat.chat_id}\"] .lcd-claim')")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [document.activeElement.matches(':focus-visible'), s.outlineStyle, s.outlineWidth, s.outlineColor]; }""")
    assert outline[0] is True and outline[1] == "solid" and outline[2] == "3px", outline
    shot(page, "dashboard-13-keyboard-focus")
    page.keyboard.press("Enter")
    p = pane(page, pat)
    expect(p.get_by_role("textbox")).to_be_focused()
    pat.wait("chat.claimed")
    page.keyboard.type("Hello from the keyboard")
    page.keyboard.press("Enter")
    assert pat.librarian_message("Hello from the keyboard")["seq"] == 2

    press_tab_until(page, "el.matches('.lcd-end')", key="Shift+Tab")
    page.keyboard.press("Space")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="End Chat")).to_be_focused()
    page.keyboard.press("Enter")
    assert pat.wait("chat.ended")["ended_by"] == "operator"
    close = p.get_by_role("button", name="Close Chat")
    expect(close).to_be_focused()
    page.keyboard.press("Enter")
    expect(p).to_have_count(0)
    expect(page.get_by_role("tab", name=re.compile("^Chats"))).to_be_focused()
    no_page_errors(page)


# ----------------------------------------------------- messages on their way, and refused ones


def test_a_message_shows_sending_until_stored_and_a_refusal_says_why(new_context, svc, patrons):
    page = open_dashboard(new_context, svc)
    state = {"hold": False, "refuse": False, "held": []}

    def route(ws):  # the page's WebSocket, with a hand on the frames it sends
        server = ws.connect_to_server()

        def upstream(message):
            frame = json.loads(message) if isinstance(message, str) else {}
            if frame.get("action") == "send" and state["refuse"]:
                ws.send(json.dumps({"type": "error", "code": "too_large", "request_id": frame["request_id"],
                                    "message": "text is over 4000 characters"}))
            elif frame.get("action") == "send" and state["hold"]:
                state["held"].append(message)
            else:
                server.send(message)

        ws.on_message(upstream)
        route.server = server

    page.route_web_socket(re.compile(r".*/ws(\?.*)?$"), route)
    sign_in(page, "admin")
    pat = patrons("Could you check a reserve list for me?", name="Ira")
    p = claim(page, pat)
    box = p.get_by_role("textbox")

    state["hold"] = True
    box.fill("Checking the reserve list now.")
    box.press("Enter")
    pending = p.locator(".lcd-outbox .lcd-msg--pending")
    expect(pending).to_contain_text("Sending…")
    expect(pending).to_contain_text("Checking the reserve list now.")
    shot(page, "dashboard-15-sending")
    state["hold"] = False
    for message in state["held"]:
        route.server.send(message)
    expect(pending).to_have_count(0)
    expect(p.locator(".lcd-log .lcd-msg-text").filter(has_text="Checking the reserve list now.")).to_have_count(1)
    assert pat.librarian_message("Checking the reserve list now.")["seq"] == 2

    state["refuse"] = True
    box.fill("This one will be refused")
    box.press("Enter")
    refused = p.locator(".lcd-msg--rejected")
    expect(refused).to_contain_text("Not sent")
    expect(refused).to_contain_text("The message is too long (more than 4000 characters).")
    expect(p.get_by_role("alert")).to_contain_text("A message was not sent")
    shot(page, "dashboard-15-refused")
    refused.get_by_role("button", name="Put back in the text box").click()
    expect(box).to_have_value("This one will be refused")
    expect(box).to_be_focused()
    expect(refused).to_have_count(0)
    no_page_errors(page)


# ------------------------------------------------------------ the librarian's connection drops


def test_a_dropped_connection_shows_reconnecting_and_resumes_without_loss(new_context, svc, patrons):
    page = open_dashboard(new_context, svc)
    state = {"block": False, "routes": []}

    def route(ws):  # while blocked, a new socket opens but never reaches the service
        server = None if state["block"] else ws.connect_to_server()
        state["routes"].append((ws, server))

    page.route_web_socket(re.compile(r".*/ws(\?.*)?$"), route)
    sign_in(page, "librarian")
    pat = patrons("Can I still renew online?", name="Uma")
    p = claim(page, pat)
    conn = page.locator("#lcd-conn")

    state["block"] = True
    ws, server = state["routes"][-1]
    server.close()
    ws.close()  # the network drops
    expect(conn).to_have_attribute("data-state", "reconnecting")
    expect(conn).to_have_text("Reconnecting…")
    pat.send("Hello? Are you still there?")
    box = p.get_by_role("textbox")
    box.fill("Sorry, my connection dropped for a moment.")
    box.press("Enter")
    expect(p.locator(".lcd-outbox .lcd-msg--pending")).to_contain_text("Sending…")
    shot(page, "dashboard-16-reconnecting")

    state["block"] = False
    state["routes"][-1][0].close()  # the blocked socket gives up; the next one gets through
    expect(conn).to_have_attribute("data-state", "open", timeout=15_000)
    expect(p.locator(".lcd-msg-text").filter(has_text="Hello? Are you still there?")).to_have_count(1)
    assert pat.librarian_message("Sorry, my connection dropped for a moment.")["seq"] == 3
    expect(p.locator(".lcd-outbox li")).to_have_count(0)
    expect(p.locator(".lcd-log li")).to_have_count(3)
    assert p.locator(".lcd-log li").evaluate_all("els => els.map(e => e.dataset.seq)") == ["1", "2", "3"]
    no_page_errors(page)


# ----------------------------------------------------------------------------- 10. reload


def test_reload_brings_back_the_open_pane_and_its_messages_once(new_context, svc, patrons):
    page = dashboard(new_context, svc, "admin")
    pat = patrons("Can you help me find a poem?", name="Ren")
    p = claim(page, pat)
    box = p.get_by_role("textbox")
    box.fill("Of course. Do you remember a line?")
    box.press("Enter")
    pat.librarian_message()
    pat.send("It starts with 'Because I could not stop'")
    expect(p.locator('.lcd-log li[data-seq="3"]')).to_be_visible()
    page.wait_for_function(f"() => (JSON.parse(sessionStorage.getItem('lcd.snapshot') || '{{}}').lastSeq || {{}})['{pat.chat_id}'] === 3")

    page.reload()
    expect(page.locator("#lcd-conn")).to_have_attribute("data-state", "open")
    p = pane(page, pat)
    expect(p).to_be_visible()  # it was in view before the reload
    expect(chat_tab(page, pat)).to_have_attribute("aria-selected", "true")
    expect(p.locator(".lcd-log li")).to_have_count(3)
    seqs = p.locator(".lcd-log li").evaluate_all("els => els.map(e => e.dataset.seq)")
    assert seqs == ["1", "2", "3"]
    # a message sent while the page was away arrives once too, and sending still works
    pat.send("Emily Dickinson, I think")
    expect(p.locator(".lcd-log li")).to_have_count(4)
    p.get_by_role("textbox").fill("Found it: poem 479.")
    p.get_by_role("textbox").press("Enter")
    assert pat.librarian_message("Found it: poem 479.")["seq"] == 5
    expect(p.locator(".lcd-log li")).to_have_count(5)
    page_has_heard(pat, p)  # nothing sent to the page before this is still to come
    assert p.locator(".lcd-log li").evaluate_all("els => els.map(e => e.dataset.seq)") == ["1", "2", "3", "4", "5"]
    assert p.locator(".lcd-outbox li").count() == 0
    no_page_errors(page)


# ------------------------------------------------------------------------ 11. phone size


def test_phone_size_layout(new_context, svc, patrons):
    page = dashboard(new_context, svc, "admin", viewport={"width": 390, "height": 844},
                     has_touch=True, is_mobile=True, device_scale_factor=2)
    pat = patrons("Can I get a library card online? I live in the next county over.", name="Mo")
    expect(waiting_row(page, pat)).to_be_visible()
    no_hscroll = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    assert page.evaluate(no_hscroll)
    shot(page, "dashboard-14-phone-chats")
    p = claim(page, pat)
    pat.send("Also, is there a fee for non-residents? " + "Thanks so much for your help " * 3)
    expect(p.locator('.lcd-log li[data-seq="2"]')).to_be_visible()
    box = p.get_by_role("textbox")
    expect(box).to_be_visible()
    bb = box.bounding_box()
    assert bb["y"] >= 0 and bb["y"] + bb["height"] <= 844, bb
    send = p.get_by_role("button", name="Send Message")
    sb = send.bounding_box()
    assert sb["x"] + sb["width"] <= 390 and sb["y"] + sb["height"] <= 844, sb
    end = p.get_by_role("button", name="End Chat")
    eb = end.bounding_box()
    assert eb["x"] + eb["width"] <= 390 and eb["y"] >= 0, eb
    assert page.evaluate(no_hscroll)
    box.fill("Yes! You can apply online.")
    send.tap()
    assert pat.librarian_message("Yes! You can apply online.")["seq"] == 3
    shot(page, "dashboard-14-phone-chat")
    assert axe_serious(page) == []
    no_page_errors(page)


# ------------------------------------------------ an ended chat after a reload (backend gap)


def test_an_ended_chat_can_be_closed_after_a_reload(new_context, svc, patrons):
    page = dashboard(new_context, svc, "trainee")
    pat = patrons("A short question before closing time", name="Eve")
    p = claim(page, pat)
    pat.client.send(action="end", chat_id=pat.chat_id)
    expect(p.locator(".lcd-status")).to_have_attribute("data-presence", "left")
    page.reload()
    p = pane(page, pat)
    expect(p.locator(".lcd-status")).to_have_attribute("data-presence", "left")  # remembered
    expect(p.locator(".lcd-ended")).to_contain_text("Eve ended the chat")
    p.get_by_role("button", name="Close Chat").click()
    expect(p).to_have_count(0, timeout=3000)


# ------------------------------------------------------------ the dashboard parts

HOURS_TEXT = "Our opening hours are on the library website under \"Hours & locations\"."
GREETING_TEXT = "Hello, and thanks for contacting the library! How can I help you today?"
# a 1x1 PNG
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2"
    "21bc330000000049454e44ae426082")


def status_reset(svc, user: str, **frame) -> None:
    """Put an operator's own status back (a test changed it) through a WebSocket of theirs."""
    op = Client(svc.ws_url, svc.login(user), hello={})
    try:
        op.wait("welcome")
        op.send(action="status", **frame)
        errors = [f for f in op.barrier() if f["type"] == "error"]  # the status is stored
        assert not errors, errors
    finally:
        op.close()


def test_canned_messages_are_inserted_for_editing_never_sent(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    pat = patrons("What are your opening hours on Sunday?", name="Cam")
    p = claim(page, pat)
    p.get_by_role("button", name="Canned Messages").click()
    dlg = page.get_by_role("dialog", name="Canned Messages")
    expect(dlg).to_be_visible()
    search = dlg.get_by_label("Search canned messages")
    expect(search).to_be_focused()
    expect(dlg.get_by_role("heading", name="System")).to_be_visible()
    search.fill("hours")
    choice = dlg.get_by_role("button", name=re.compile("^Library hours"))
    expect(choice).to_be_visible()
    expect(dlg.get_by_role("button", name=re.compile("^Greeting"))).to_have_count(0)
    expect(dlg.get_by_role("link", name=re.compile("Canned Messages document"))).to_be_visible()
    shot(page, "dashboard-20-canned-popup")
    assert axe_serious(page) == []
    choice.click()
    expect(dlg).to_be_hidden()
    box = p.get_by_role("textbox")
    expect(box).to_have_value(HOURS_TEXT)
    expect(box).to_be_focused()
    # inserted, not sent: the librarian's next message to reach the patron is the edited one
    box.press("End")
    box.press_sequentially(" On Sundays we open at noon.")
    box.press("Enter")
    assert pat.librarian_message()["text"] == HOURS_TEXT + " On Sundays we open at noon."
    expect(box).to_have_value("")

    # `/` + a shortcut offers canned messages under the text box; Enter picks one
    box.press_sequentially("/greet")
    suggestions = p.get_by_role("listbox", name="Canned messages by shortcut")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("option").filter(has_text="/greeting")).to_be_visible()
    box.press("Enter")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value(GREETING_TEXT)
    box.press("Enter")
    assert pat.librarian_message(GREETING_TEXT)
    # Escape closes the suggestions and keeps what was typed
    box.press_sequentially("/clo")
    expect(suggestions).to_be_visible()
    box.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value("/clo")
    no_page_errors(page)


def test_manage_personal_canned_messages_and_the_printable_list(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    pat = patrons("A question for a personal canned message", name="Per")
    p = claim(page, pat)
    p.get_by_role("button", name="Canned Messages").click()
    dlg = page.get_by_role("dialog", name="Canned Messages")
    dlg.get_by_role("button", name="Manage canned messages").click()
    expect(dlg.get_by_role("heading", name="Manage canned messages")).to_be_visible()
    expect(dlg.get_by_label("List")).to_be_hidden()  # librarians manage personal ones only
    title = f"My sign-off {uuid.uuid4().hex[:4]}"
    dlg.get_by_label("Title").fill(title)
    dlg.get_by_label(re.compile("^Shortcut")).fill("bye-libby")
    dlg.get_by_label("Text", exact=True).fill("Bye from Libby!")
    dlg.get_by_role("button", name="Save").click()
    row = dlg.locator(".lcd-canned-manage-row", has_text=title)
    expect(row).to_be_visible()
    assert axe_serious(page) == []
    row.get_by_role("button", name=f"Edit {title}").click()
    dlg.get_by_label("Text", exact=True).fill("Bye for now from Libby!")
    dlg.get_by_role("button", name="Save").click()
    expect(dlg.get_by_role("status").filter(has_text="Saved.")).to_be_visible()  # polite, not an alert
    expect(dlg.locator("#lcd-canned-form-error")).to_be_empty()
    dlg.get_by_role("button", name="Back to the list").click()
    dlg.get_by_label("Search canned messages").fill(title)
    expect(dlg.get_by_role("heading", name="Personal Canned Messages", exact=True)).to_be_visible()
    dlg.get_by_role("button", name=re.compile("^" + re.escape(title))).click()
    expect(p.get_by_role("textbox")).to_have_value("Bye for now from Libby!")

    # the printable "Canned Messages document"
    p.get_by_role("button", name="Canned Messages").click()
    with page.expect_popup() as popup:
        dlg.get_by_role("link", name=re.compile("Canned Messages document")).click()
    doc = popup.value
    expect(doc.get_by_role("heading", name="Library hours")).to_be_visible()
    personal = doc.get_by_role("region", name="Personal Canned Messages")
    expect(personal.get_by_role("heading", name=title)).to_be_visible()  # the librarian's own, under their heading
    doc.close()
    dlg.get_by_role("button", name="Close").click()

    # delete it again
    p.get_by_role("button", name="Canned Messages").click()
    dlg.get_by_role("button", name="Manage canned messages").click()
    dlg.locator(".lcd-canned-manage-row", has_text=title).get_by_role("button", name=f"Delete {title}").click()
    expect(dlg.locator(".lcd-canned-manage-row", has_text=title)).to_have_count(0)
    no_page_errors(page)


def test_internal_staff_chat_between_two_librarians(new_context, svc):
    ada = dashboard(new_context, svc, "admin")
    libby = dashboard(new_context, svc, "librarian")
    try:
        for page in (ada, libby):
            page.get_by_role("tab", name=re.compile("Internal Staff Chat")).click()
            expect(page.get_by_role("heading", name="Internal Staff Chat")).to_be_visible()
        expect(ada.locator("#lcd-roster li", has_text="Libby Librarian")).to_contain_text("Available")
        expect(libby.locator("#lcd-roster li", has_text="Ada Admin")).to_contain_text("Available")
        text = f"Morning all, I'm on the desk until noon ({uuid.uuid4().hex[:4]})"
        box = ada.get_by_label("Message to all librarians")
        box.fill(text)
        box.press("Enter")
        expect(libby.locator("#lcd-staff-log li", has_text=text)).to_contain_text("Ada Admin")
        expect(ada.locator("#lcd-staff-log li", has_text=text)).to_contain_text("You")
        reply = "Thanks Ada, I'll take the general queue."
        libby.get_by_label("Message to all librarians").fill(reply)
        libby.get_by_role("button", name="Send", exact=True).click()
        expect(ada.locator("#lcd-staff-log li", has_text=reply).last).to_contain_text("Libby Librarian")

        libby.get_by_label("One chat at a time for me today").check()
        announcement = "Libby Librarian will take one chat at a time today."
        for page in (ada, libby):
            expect(page.locator("#lcd-staff-log li", has_text=announcement).last).to_be_visible()
        expect(ada.locator("#lcd-roster li", has_text="Libby Librarian")).to_contain_text("one chat at a time")
        shot(ada, "dashboard-21-staff-chat")
        assert axe_serious(ada) == []

        # Away in the header shows in the colleague's roster
        libby.get_by_label("My status").select_option("away")
        expect(ada.locator("#lcd-roster li", has_text="Libby Librarian")).to_contain_text("Away")
        libby.get_by_label("My status").select_option("available")
        expect(ada.locator("#lcd-roster li", has_text="Libby Librarian")).to_contain_text("Available")
        libby.get_by_label("One chat at a time for me today").uncheck()
        expect(ada.locator("#lcd-roster li", has_text="Libby Librarian")).not_to_contain_text("one chat at a time")
        no_page_errors(ada)
        no_page_errors(libby)
    finally:
        status_reset(svc, "librarian", state="available", chat_limit=None)


def test_transfer_a_chat_to_a_colleague_with_a_note(new_context, svc, patrons):
    ada = dashboard(new_context, svc, "admin")
    libby = dashboard(new_context, svc, "librarian")
    pat = patrons("I need help with a genealogy database", name="Gene")
    p = claim(ada, pat)
    pat.send("Hello?")
    expect(p.locator(".lcd-log li", has_text="Hello?")).to_be_visible()
    p.get_by_role("button", name="Transfer").click()
    dlg = ada.get_by_role("dialog", name=re.compile("Transfer the chat with Gene"))
    expect(dlg).to_be_visible()
    expect(dlg.get_by_label("Back to the queue")).to_be_visible()
    expect(dlg.get_by_label("Ada Admin")).to_have_count(0)
    dlg.get_by_label("Libby Librarian").check()
    dlg.get_by_label(re.compile("^Note for the next librarian")).fill("Genealogy: Libby knows Ancestry best.")
    assert axe_serious(ada) == []
    dlg.get_by_role("button", name="Transfer").click()

    expect(pane(ada, pat)).to_have_count(0)
    expect(chat_tab(libby, pat)).to_be_visible()  # a new tab; it does not take the librarian's focus
    chat_tab(libby, pat).click()
    lp = pane(libby, pat)
    expect(lp).to_be_visible()
    expect(lp.locator(".lcd-transfer-note")).to_contain_text("Genealogy: Libby knows Ancestry best.")
    expect(lp.locator(".lcd-transfer-note")).to_contain_text("Ada Admin")
    claimed = pat.wait("chat.claimed")
    assert claimed["operator"]["name"] == "Libby Librarian"
    pat.send("Still here after the handover")
    expect(lp.locator(".lcd-log li", has_text="Still here after the handover")).to_be_visible()
    expect(lp.locator(".lcd-log li", has_text="Hello?")).to_be_visible()  # the history came along
    lp.get_by_role("textbox").fill("Hi Gene, Libby here.")
    lp.get_by_role("textbox").press("Enter")
    assert pat.librarian_message("Hi Gene, Libby here.")

    # back to the queue with a note: the waiting list shows it
    lp.get_by_role("button", name="Transfer").click()
    dlg = libby.get_by_role("dialog", name=re.compile("Transfer the chat"))
    dlg.get_by_label("Back to the queue").check()
    dlg.get_by_label(re.compile("^Note for the next librarian")).fill("Needs a genealogy specialist.")
    dlg.get_by_role("button", name="Transfer").click()
    expect(pane(libby, pat)).to_have_count(0)
    expect(waiting_row(ada, pat)).to_contain_text("Needs a genealogy specialist.")
    no_page_errors(ada)
    no_page_errors(libby)


def test_transfer_to_a_colleague_at_their_limit_is_refused_plainly(new_context, svc, patrons):
    ada = dashboard(new_context, svc, "admin")
    theo = dashboard(new_context, svc, "trainee")
    first = patrons("Theo's one chat", name="One")
    claim(theo, first)
    pat = patrons("A chat for Theo, who is full", name="Two")
    p = claim(ada, pat)
    p.get_by_role("button", name="Transfer").click()
    dlg = ada.get_by_role("dialog", name=re.compile("Transfer the chat"))
    dlg.get_by_label("Theo Trainee").check()
    dlg.get_by_role("button", name="Transfer").click()
    expect(p.get_by_role("alert")).to_contain_text("at their chat limit")
    expect(p).to_be_visible()


def test_the_librarian_attaches_files_with_the_paperclip(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    pat = patrons("Can you send me the reading list?", name="Flo")
    p = claim(page, pat)
    payload = ("Reading list\n1. Middlemarch\n2. " + uuid.uuid4().hex).encode()
    expect(p.get_by_role("button", name="Attach a file")).to_be_visible()
    p.locator("input[type=file]").set_input_files(
        {"name": "reading-list.txt", "mimeType": "text/plain", "buffer": payload})
    p.get_by_role("button", name="Upload").click()  # the manual: choose the file, then click Upload
    frame = pat.client.wait("chat.message", where=lambda f: f["message"].get("attachment"))
    att = frame["message"]["attachment"]
    assert att["name"] == "reading-list.txt" and att["size"] == len(payload)
    assert att["content_type"] == "text/plain"
    status, body = svc.request("GET", f"/api/chats/{pat.chat_id}/files?key={urllib.parse.quote(att['key'])}",
                               token=pat.created["token"])
    assert status == 200, body
    with urllib.request.urlopen(body["url"], timeout=15) as resp:
        assert resp.read() == payload
    link = p.get_by_role("link", name="Download reading-list.txt")
    expect(link).to_have_attribute("href", re.compile(r"^https?://"))

    p.locator("input[type=file]").set_input_files({"name": "map.png", "mimeType": "image/png", "buffer": PNG_BYTES})
    p.get_by_role("button", name="Upload").click()
    pat.client.wait("chat.message", where=lambda f: (f["message"].get("attachment") or {}).get("name") == "map.png")
    thumb = p.get_by_role("img", name="map.png", exact=True)
    expect(thumb).to_be_visible()
    expect(thumb).to_have_attribute("src", re.compile(r"^https?://"))
    # a type the service refuses is stopped before the upload, plainly
    p.locator("input[type=file]").set_input_files(
        {"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"})
    expect(p.get_by_role("alert")).to_contain_text("cannot be sent")
    shot(page, "dashboard-22-attachments")
    no_page_errors(page)


def test_admin_changes_max_chats_in_the_team_tab(new_context, svc):
    page = dashboard(new_context, svc, "admin")
    team = page.get_by_role("tab", name="Team")
    team.click()
    expect(team).to_have_attribute("aria-selected", "true")
    box = page.get_by_label("Max chats for Theo Trainee", exact=True)
    expect(box).to_have_value("1")
    expect(page.locator("#lcd-survey-summary")).to_contain_text("last 7 days")
    admin_token = svc.login("admin")
    try:
        box.fill("2")
        page.get_by_role("button", name="Save max chats for Theo Trainee").click()
        row = page.locator("tr", has_text="Theo Trainee")
        expect(row.get_by_role("status")).to_have_text("Saved")
        _, ops = svc.request("GET", "/api/operators", token=admin_token)
        assert [o["max_chats"] for o in ops["operators"] if o["name"] == "Theo Trainee"] == [2]
        shot(page, "dashboard-23-team")
        assert axe_serious(page) == []
    finally:
        box.fill("1")
        page.get_by_role("button", name="Save max chats for Theo Trainee").click()
        expect(page.locator("tr", has_text="Theo Trainee").get_by_role("status")).to_have_text("Saved")
    _, ops = svc.request("GET", "/api/operators", token=admin_token)
    assert [o["max_chats"] for o in ops["operators"] if o["name"] == "Theo Trainee"] == [1]
    no_page_errors(page)


def test_librarians_do_not_see_the_team_tab(new_context, svc):
    page = dashboard(new_context, svc, "librarian")
    expect(page.get_by_role("tab", name="Internal Staff Chat")).to_be_visible()
    expect(page.get_by_role("tab", name="Team")).to_have_count(0)


def test_an_expired_sign_in_is_renewed_from_the_refresh_token(new_context, svc):
    """A librarian back from a break: the access token has expired, the refresh token has not.
    The dashboard renews the session itself instead of asking for the password again."""
    status, login = svc.request("POST", "/api/auth/login", {"username": "librarian", "password": DEMO_PASSWORD})
    assert status == 200 and login["refresh_token"]
    page = open_dashboard(new_context, svc)
    page.evaluate("""(s) => sessionStorage.setItem('lcd.session', JSON.stringify(s))""", {
        "token": "expired.access.token", "expires_at": "2020-01-01T00:00:00Z",
        "operator": login["operator"], "refresh_token": login["refresh_token"]})
    page.reload()
    expect(page.locator("#lcd-conn")).to_have_attribute("data-state", "open")
    expect(page.get_by_label("Username")).to_be_hidden()
    session = page.evaluate("JSON.parse(sessionStorage.getItem('lcd.session'))")
    assert session["token"] != "expired.access.token" and session["expires_at"] > "2026"
    no_page_errors(page)
