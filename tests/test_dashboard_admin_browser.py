"""The admins' Desks tab and Team-tab accounts (docs/desks.md) in a real browser (Debian's
chromium via Playwright) against the real local runner:

(a) an admin creates a desk with weekly hours, a closed date, a rollover and a local-information
    card; making the rollover come back round (a loop) is refused by the service, and its
    message is shown by the form, nothing saved;
(b) an admin adds a librarian with a temporary password shown once; the librarian signs in with
    it, is asked for a new password, sets it and reaches the dashboard (without the admins' tabs);
(c) the admin disables that librarian: the librarian's open dashboard loses its session (the
    service closes its WebSocket, its next REST call is 403) and says the account is disabled;
    re-enabled, they sign in again.

These tests add desks and accounts, which cannot be deleted (desks can only be disabled), so they
run on a local runner of their own (one for this module), not the session's shared one: the
other browser tests keep a service with only the demo desk and operators. No sleeps: every step
waits for what the page shows or for the frame or request it causes.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import axe_serious, frames_sent, shot, sign_in
from tests.e2e import Client, LocalService

pytestmark = pytest.mark.timeout(180)

NEW_PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture(scope="module")
def own_service():
    service = LocalService()
    # a fresh runner's first welcome is its slowest (cold code paths, the pool's keys): had
    # once here, so the first test's sign-in waits no longer than the others'
    first = Client(service.ws_url, service.login("admin"), hello={})
    first.wait("welcome", timeout=60)
    first.close()
    yield service
    code = service.stop()
    assert code == 0, f"local runner exit code {code}\n" + "".join(service.output[-60:])


@pytest.fixture
def admin_svc(request, own_service):
    """This module's runner for one test (its output lands in a failed test's report)."""
    if not own_service.alive():
        pytest.fail("the local runner has exited:\n" + "".join(own_service.output[-60:]))
    request.node.local_runner = (own_service, len(own_service.output))
    yield own_service
    Client.close_all()


def open_page(new_context, svc):
    context = new_context(reduced_motion="reduce")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.sent = frames_sent(page)
    page.goto(f"{svc.base_url}/dashboard/")
    return page


def admin_page(new_context, svc):
    page = open_page(new_context, svc)
    sign_in(page, "admin")
    return page


def no_page_errors(page) -> None:
    assert page.errors == [], page.errors


def rest(svc, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    status, answer = svc.request(method, path, body, token=token or svc.operator_token("admin"))
    assert status in (200, 201), (status, answer)
    return answer


def desk(svc, desk_id: str) -> dict:
    return next(q for q in rest(svc, "GET", "/api/queues")["queues"] if q["id"] == desk_id)


def sign_in_as(page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def new_account(svc, name: str) -> tuple[str, str]:
    """A librarian made through the service (POST /api/operators), who has already chosen their
    own password (the first sign-in's step, over REST): (username, password)."""
    username = f"lib-{uuid.uuid4().hex[:8]}"
    made = rest(svc, "POST", "/api/operators", {"username": username, "name": name, "role": "librarian",
                                                "max_chats": 2, "queues": None})
    status, challenge = svc.request("POST", "/api/auth/login",
                                    {"username": username, "password": made["temporary_password"]})
    assert status == 200 and challenge["challenge"] == "new_password", challenge
    status, signed = svc.request("POST", "/api/auth/password", {"username": username, "session": challenge["session"],
                                                               "new_password": NEW_PASSWORD})
    assert status == 200 and signed.get("token"), signed
    return username, NEW_PASSWORD


# --------------------------------------------------------------------------- (a) desks

def test_an_admin_creates_a_desk_with_hours_and_a_rollover_and_a_loop_is_refused(new_context, admin_svc):
    svc = admin_svc
    page = admin_page(new_context, svc)
    tab = page.get_by_role("tab", name="Desks")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    rows = page.locator("#lcd-desks-rows tr")
    expect(rows.first).to_be_visible()
    before = rows.count()
    general = desk(svc, "general")
    expect(page.locator('#lcd-desks-rows tr[data-queue-id="general"]')).to_contain_text(general["name"])

    suffix = uuid.uuid4().hex[:6]
    name = f"Law Library {suffix}"
    page.get_by_role("button", name="New desk").click()
    form = page.locator("#lcd-desk-form-card")
    expect(form.get_by_role("heading", name="New desk")).to_be_focused()
    # what cannot be is said in the form, before anything is sent
    form.get_by_role("button", name="Save desk").click()
    expect(form.get_by_role("alert")).to_contain_text("Give the desk a name.")
    expect(form.get_by_label("Name", exact=True)).to_be_focused()

    form.get_by_label("Name", exact=True).fill(name)
    expect(form.get_by_label("Desk id")).to_have_value(f"law-library-{suffix}")  # suggested from the name
    form.get_by_label("Library (optional)").fill("State University")
    form.get_by_label("Time zone").fill("America/New_York")
    form.get_by_label("Open these hours each week").check()
    form.get_by_label("Monday").fill("09:00-12:00, 13:00-17:00")
    form.get_by_label("Friday").fill("")  # closed on Fridays
    form.get_by_label("Saturday").fill("10-14")
    form.get_by_label("Date to add").fill("2026-12-25")
    form.get_by_role("button", name="Add date").click()
    expect(form.get_by_role("button", name="Remove 2026-12-25")).to_be_visible()
    form.get_by_label("Also offer unclaimed chats to").select_option("general")
    form.get_by_label("After (seconds)").fill("5")
    form.get_by_label("Card text").fill("Law questions: https://law.example.edu/ask <b>not markup</b>")
    form.get_by_label("Last reviewed").fill("2026-11-01")
    form.get_by_role("button", name="Save desk").click()
    expect(form.get_by_role("alert")).to_contain_text("from 10 to 86400")  # the rollover's seconds
    expect(form.get_by_label("After (seconds)")).to_be_focused()
    form.get_by_label("After (seconds)").fill("90")
    form.get_by_role("button", name="Save desk").click()
    expect(form.get_by_role("status")).to_have_text(f"Created the desk {name}.")
    expect(form.locator(".lcd-form-error")).to_be_empty()  # hidden while empty
    expect(rows).to_have_count(before + 1)

    law_id = f"law-library-{suffix}"
    row = page.locator(f'#lcd-desks-rows tr[data-queue-id="{law_id}"]')
    expect(row).to_contain_text("Mon 09:00–12:00, 13:00–17:00 · Tue–Thu 09:00–17:00 · Fri closed · Sat 10:00–14:00 · Sun closed")
    expect(row).to_contain_text("1 closed date")
    expect(row).to_contain_text(f"After 1 min 30 s to {general['name']}")
    expect(row).to_contain_text("Reviewed 2026-11-01")
    law = desk(svc, law_id)
    assert law["hours"] == {"mon": [["09:00", "12:00"], ["13:00", "17:00"]], "tue": [["09:00", "17:00"]],
                            "wed": [["09:00", "17:00"]], "thu": [["09:00", "17:00"]], "fri": [],
                            "sat": [["10:00", "14:00"]], "sun": []}
    assert law["timezone"] == "America/New_York" and law["library"] == "State University"
    assert law["closed_dates"] == ["2026-12-25"] and law["enabled"] is True
    assert law["rollover"] == {"to": "general", "after_seconds": 90}
    assert law["card"] == {"text": "Law questions: https://law.example.edu/ask <b>not markup</b>", "reviewed_on": "2026-11-01"}
    shot(page, "dashboard-admin-01-desk-created")
    assert axe_serious(page) == []

    # the home desk rolling over to the new one would come back round: the service says no
    page.get_by_role("button", name=f"Edit the desk {general['name']}").click()
    expect(form.get_by_role("heading", name=f"Edit the desk {general['name']}")).to_be_focused()
    if general["hours"] is None:
        expect(form.get_by_label("Always open")).to_be_checked()
    picker = form.get_by_label("Also offer unclaimed chats to")
    expect(picker.locator(f'option[value="{law_id}"]')).to_have_count(1)
    expect(picker.locator('option[value="general"]')).to_have_count(0)  # never to itself
    picker.select_option(law_id)
    with page.expect_response(lambda r: r.url.endswith("/api/queues/general") and r.request.method == "PUT") as put:
        form.get_by_role("button", name="Save desk").click()
    assert put.value.status == 400
    message = put.value.json()["error"]["message"]
    assert "loop" in message, message
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text(message)
    expect(picker).to_have_attribute("aria-invalid", "true")
    expect(picker).to_be_focused()
    expect(form.locator("#lcd-desk-rollover-to-error")).to_contain_text(message)  # by the field too
    expect(form.locator(".lcd-form-status")).to_be_empty()
    assert desk(svc, "general") == general  # nothing half-saved
    shot(page, "dashboard-admin-02-rollover-loop")
    assert axe_serious(page) == []

    # the new desk may be edited the other way round and disabled
    page.get_by_role("button", name=f"Edit the desk {name}").click()
    expect(form.get_by_label("Monday")).to_have_value("09:00-12:00, 13:00-17:00")
    expect(form.locator(".lcd-form-error")).to_be_empty()  # hidden while empty
    form.get_by_label("Enabled: patrons can ask this desk").uncheck()
    form.get_by_role("button", name="Save desk").click()
    expect(form.get_by_role("status")).to_have_text(f"Saved the desk {name}.")
    expect(row).to_contain_text("Disabled")
    assert desk(svc, law_id)["enabled"] is False
    assert desk(svc, law_id)["hours"] == law["hours"]
    no_page_errors(page)


# ---------------------------------------------------------------- (b) a new librarian

def test_a_new_librarian_signs_in_with_a_temporary_password_and_chooses_their_own(new_context, admin_svc):
    svc = admin_svc
    admin = admin_page(new_context, svc)
    admin.get_by_role("tab", name="Team").click()
    add = admin.locator("#lcd-account-add")
    expect(add.get_by_role("heading", name="Add a librarian")).to_be_visible()
    username = f"robin-{uuid.uuid4().hex[:6]}"
    add.get_by_label("Username").fill(username)
    add.get_by_label("Name", exact=True).fill("Robin Reference")
    add.get_by_label("Max chats").fill("2")
    expect(add.get_by_label("Show a temporary password here, to give them")).to_be_checked()
    with admin.expect_response(lambda r: r.url.endswith("/api/operators") and r.request.method == "POST") as made:
        add.get_by_role("button", name="Create account").click()
    assert made.value.status == 201
    temporary = made.value.json()["temporary_password"]
    shown = add.locator(".lcd-temp-password")
    expect(shown).to_have_text(temporary)
    expect(add.get_by_role("button", name="Copy the temporary password")).to_be_focused()
    admin.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=svc.base_url)
    add.get_by_role("button", name="Copy the temporary password").click()
    expect(add.locator(".lcd-copied")).to_have_text("Copied.")
    assert admin.evaluate("navigator.clipboard.readText()") == temporary
    row = admin.locator(f'#lcd-team-rows tr[data-operator-id="{username}"]')
    expect(row).to_contain_text("Robin Reference")
    expect(row).to_contain_text("All desks")
    expect(admin.get_by_label("Max chats for Robin Reference", exact=True)).to_have_value("2")
    shot(admin, "dashboard-admin-03-temporary-password")
    assert axe_serious(admin) == []
    add.get_by_role("button", name="Done").click()
    expect(shown).to_have_count(0)  # shown once: gone from the page

    robin = open_page(new_context, svc)
    sign_in_as(robin, username, temporary)
    expect(robin.get_by_role("heading", name="Choose a new password")).to_be_visible()
    expect(robin.locator("#lcd-newpw-user")).to_have_text(username)
    first = robin.get_by_label("New password", exact=True)
    again = robin.get_by_label("New password again")
    expect(first).to_be_focused()
    shot(robin, "dashboard-admin-04-new-password")
    assert axe_serious(robin) == []
    first.fill(NEW_PASSWORD)
    again.fill(NEW_PASSWORD + "x")
    robin.get_by_role("button", name="Set password and sign in").click()
    expect(robin.get_by_role("alert")).to_have_text("The two passwords are not the same. Type them again.")
    again.fill(NEW_PASSWORD)
    with robin.expect_response(lambda r: r.url.endswith("/api/auth/password")) as answered:
        robin.get_by_role("button", name="Set password and sign in").click()
    assert answered.value.status == 200
    expect(robin.locator("#lcd-conn")).to_have_attribute("data-state", "open")
    expect(robin.locator("#lcd-user-name")).to_have_text("Robin Reference")
    expect(robin.get_by_role("tab", name="Chats")).to_be_focused()
    expect(robin.get_by_role("tab", name="Team")).to_have_count(0)  # hidden: not in the tree
    expect(robin.get_by_role("tab", name="Desks")).to_have_count(0)
    assert any(f.get("action") == "hello" for f in robin.sent)
    # continues exactly like a sign-in: the session kept for a reload, with its refresh token
    kept = robin.evaluate("JSON.parse(sessionStorage.getItem('lcd.session'))")
    assert kept["operator"]["id"] == username and kept["token"] and kept.get("refresh_token")
    expect(robin.locator("#lcd-newpw-form")).to_have_count(0)

    # the new password is the password now; the temporary one is not
    status, _ = svc.request("POST", "/api/auth/login", {"username": username, "password": temporary})
    assert status == 401
    status, body = svc.request("POST", "/api/auth/login", {"username": username, "password": NEW_PASSWORD})
    assert status == 200 and body.get("token"), body
    no_page_errors(admin)
    no_page_errors(robin)


# ------------------------------------------------------------------ (c) disabled, back

def test_a_disabled_librarian_is_signed_out_at_once_and_can_come_back(new_context, admin_svc):
    svc = admin_svc
    username, password = new_account(svc, "Dana Desk")
    dana = open_page(new_context, svc)
    sign_in_as(dana, username, password)
    expect(dana.locator("#lcd-conn")).to_have_attribute("data-state", "open")
    session = dana.evaluate("JSON.parse(sessionStorage.getItem('lcd.session'))")
    token = session["token"]
    socket = dana.sockets[-1]

    admin = admin_page(new_context, svc)
    admin.get_by_role("tab", name="Team").click()
    admin.get_by_role("button", name="Edit the account of Dana Desk").click()
    card = admin.locator("#lcd-account-card")
    expect(card.get_by_role("heading", name="Account: Dana Desk")).to_be_focused()
    card.get_by_role("button", name="Disable account").click()
    dialog = admin.get_by_role("dialog", name="Disable the account of Dana Desk?")
    expect(dialog).to_contain_text("signed out at once everywhere")
    expect(dialog.get_by_role("button", name="Keep it enabled")).to_be_focused()  # the safe answer first
    dialog.get_by_role("button", name="Keep it enabled").click()
    expect(dialog).to_be_hidden()
    assert next(o for o in rest(svc, "GET", "/api/operators")["operators"] if o["id"] == username)["disabled"] is False

    card.get_by_role("button", name="Disable account").click()
    with socket.expect_event("close"), \
            dana.expect_response(lambda r: "/api/" in r.url and r.status == 403) as refused:
        dialog.get_by_role("button", name="Disable account").click()
    assert refused.value.status == 403  # the page reloads to its sign-in: the body is checked below
    expect(card.get_by_role("status")).to_have_text("The account of Dana Desk is disabled.")
    expect(card.get_by_role("button", name="Re-enable account")).to_be_focused()
    expect(admin.locator(f'#lcd-team-rows tr[data-operator-id="{username}"]')).to_contain_text("Account disabled")

    # Dana's dashboard: back at the sign-in, saying why
    expect(dana.locator("#lcd-signin")).to_be_visible()
    expect(dana.locator("#lcd-signin-error")).to_have_text(
        "An administrator has disabled your account, so you were signed out. Ask them if you need it again.")
    status, body = svc.request("GET", "/api/auth/me", token=token)
    assert status == 403 and body["error"]["code"] == "forbidden", body
    assert "disabled" in body["error"]["message"], body
    # signed out everywhere: the sign-in's refresh token (the shift-long renewal) is refused too
    status, body = svc.request("POST", "/api/auth/refresh", {"refresh_token": session["refresh_token"]})
    assert status in (401, 403), (status, body)
    shot(dana, "dashboard-admin-05-disabled")
    assert axe_serious(dana) == []
    sign_in_as(dana, username, password)
    expect(dana.locator("#lcd-signin-error")).to_have_text("This account has been disabled. Ask an administrator if you need it again.")
    shot(admin, "dashboard-admin-06-account-disabled")
    assert axe_serious(admin) == []

    card.get_by_role("button", name="Re-enable account").click()
    expect(card.get_by_role("status")).to_have_text("The account of Dana Desk is enabled again. They can sign in.")
    expect(admin.locator(f'#lcd-team-rows tr[data-operator-id="{username}"]')).not_to_contain_text("Account disabled")
    sign_in_as(dana, username, password)
    expect(dana.locator("#lcd-conn")).to_have_attribute("data-state", "open")
    expect(dana.locator("#lcd-user-name")).to_have_text("Dana Desk")
    no_page_errors(admin)
    no_page_errors(dana)


def test_an_admin_edits_an_accounts_role_and_desks(new_context, admin_svc):
    svc = admin_svc
    username, _ = new_account(svc, "Eli Edit")
    rest(svc, "POST", "/api/queues", {"id": f"maps-{username[-8:]}", "name": "Map Room"})
    admin = admin_page(new_context, svc)
    admin.get_by_role("tab", name="Team").click()
    admin.get_by_role("button", name="Edit the account of Eli Edit").click()
    card = admin.locator("#lcd-account-card")
    all_desks = card.get_by_label("All desks (and any desk added later)")
    expect(all_desks).to_be_checked()
    maps = card.get_by_label("Map Room")
    expect(maps).to_be_disabled()
    all_desks.uncheck()
    card.get_by_role("button", name="Save changes").click()
    expect(card.get_by_role("alert")).to_have_text("Choose at least one desk, or All desks.")
    maps.check()
    card.get_by_label("Role").select_option("admin")
    card.get_by_role("button", name="Save changes").click()
    expect(card.get_by_role("status")).to_have_text("Saved the account of Eli Edit.")
    row = admin.locator(f'#lcd-team-rows tr[data-operator-id="{username}"]')
    expect(row).to_contain_text("Map Room")
    expect(row).to_contain_text("Administrator")
    eli = next(o for o in rest(svc, "GET", "/api/operators")["operators"] if o["id"] == username)
    assert eli["queues"] == [f"maps-{username[-8:]}"] and eli["role"] == "admin"
    # an admin's own account cannot be disabled from here
    admin.get_by_role("button", name="Edit the account of Ada Admin").click()
    expect(card.get_by_role("button", name=re.compile("Disable account"))).to_have_count(0)
    expect(card).to_contain_text("another administrator has to disable it")
    no_page_errors(admin)
