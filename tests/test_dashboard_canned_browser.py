"""Canned messages by the manual's names (issue 9): "Personal Canned Messages" is a place a
librarian finds by that name, in the Canned Messages pop-up and in Manage; "Saved." reads as a
success (said politely, role=status), not as an error; and the printable "Canned Messages
document" opens from the dashboard's menu (not only from a chat) and lists the librarian's
personal ones under their own heading, after the system ones.

Real chromium, the session's local service. A test that creates a personal canned message
deletes it again in `finally`.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import axe_serious, rgb, shot
from tests.test_dashboard_browser import HOURS_TEXT, claim, dashboard, no_page_errors, patrons  # noqa: F401

pytestmark = pytest.mark.timeout(120)
PERSONAL = "Personal Canned Messages"


def delete_personal(svc, user: str, title: str) -> None:
    token = svc.login(user)
    code, lists = svc.request("GET", "/api/canned", token=token)
    assert code == 200, lists
    for c in lists["personal"]:
        if c["title"] == title:
            code, body = svc.request("DELETE", f"/api/canned/{c['id']}", token=token)
            assert code == 200, body


def test_personal_canned_messages_by_name_in_the_pop_up_and_manage(new_context, svc, patrons):
    page = dashboard(new_context, svc, "trainee")
    pat = patrons("What are your opening hours?", name="Cay")
    p = claim(page, pat)
    title = f"My greeting {uuid.uuid4().hex[:4]}"
    try:
        p.get_by_role("button", name="Canned Messages").click()
        dlg = page.get_by_role("dialog", name="Canned Messages")
        # there even before the librarian has any, with a word on how to make one
        mine = dlg.get_by_role("region", name=PERSONAL)
        expect(mine.get_by_role("heading", name=PERSONAL, exact=True)).to_be_visible()
        expect(dlg.get_by_role("heading", name="System canned messages")).to_be_visible()
        if not mine.locator(".lcd-canned-item").count():
            expect(mine).to_contain_text("Create your own with Manage canned messages")

        dlg.get_by_role("button", name="Manage canned messages").click()
        expect(dlg.get_by_role("heading", name=PERSONAL, exact=True)).to_be_visible()
        dlg.get_by_label("Title").fill(title)
        dlg.get_by_label("Text", exact=True).fill("Hello from Theo at the desk!")
        dlg.get_by_role("button", name="Save").click()
        saved = dlg.get_by_role("status").filter(has_text="Saved.")
        expect(saved).to_be_visible()
        expect(dlg.locator("#lcd-canned-form-error")).to_be_empty()  # not an alert
        r, g, b = rgb(page, saved.locator("p"))
        assert g > r and g > b, (r, g, b)  # a success's green, not an error's red
        r, g, b = rgb(page, saved.locator("p"), "color")
        assert g > r and g > b, (r, g, b)
        expect(dlg.get_by_role("region", name=PERSONAL).locator(".lcd-canned-manage-row", has_text=title)).to_be_visible()
        shot(page, "dashboard-canned-01-saved")
        assert axe_serious(page) == []

        # a form error is still an alert, and the success line goes
        dlg.get_by_role("button", name="Save").click()
        expect(dlg.get_by_role("alert")).to_contain_text("title")
        expect(saved).to_have_count(0)

        # back in the pop-up: under Personal Canned Messages, chosen into the text box
        dlg.get_by_role("button", name="Back to the list").click()
        mine = dlg.get_by_role("region", name=PERSONAL)
        choice = mine.get_by_role("button", name=re.compile("^" + re.escape(title)))
        expect(choice).to_be_visible()
        choice.click()
        expect(p.get_by_role("textbox")).to_have_value("Hello from Theo at the desk!")
        no_page_errors(page)
    finally:
        delete_personal(svc, "trainee", title)


def test_the_canned_messages_document_opens_from_the_menu_with_personal_ones(new_context, svc):
    page = dashboard(new_context, svc, "librarian")  # no chat open: it is not only a chat's
    title = f"My sign-off {uuid.uuid4().hex[:4]}"
    code, made = svc.request("POST", "/api/canned", {"scope": "personal", "title": title, "shortcut": "bye-doc",
                                                     "text": "Bye for now from Libby!"}, token=svc.login("librarian"))
    assert code == 201, made
    try:
        menu = page.get_by_role("navigation", name="Dashboard menu")
        link = menu.get_by_role("link", name="Canned Messages document")
        expect(link).to_be_visible()
        with page.expect_popup() as popup:
            link.click()
        doc = popup.value
        expect(doc).to_have_title(re.compile("Canned Messages"))
        system = doc.get_by_role("region", name="System canned messages")
        personal = doc.get_by_role("region", name=PERSONAL)
        expect(system.get_by_role("heading", name="Library hours")).to_be_visible()
        expect(system).to_contain_text(HOURS_TEXT)
        expect(personal.get_by_role("heading", name=PERSONAL, exact=True)).to_be_visible()
        expect(personal.get_by_role("heading", name=re.compile("^" + re.escape(title)))).to_be_visible()
        expect(personal).to_contain_text("/bye-doc")
        expect(personal).to_contain_text("Bye for now from Libby!")
        expect(system.get_by_role("heading", name=re.compile(re.escape(title)))).to_have_count(0)
        # system first, then the librarian's own
        sys_box, own_box = system.bounding_box(), personal.bounding_box()
        assert sys_box["y"] < own_box["y"]
        shot(doc, "dashboard-canned-02-document")
        assert axe_serious(doc) == []
        doc.close()
        no_page_errors(page)
    finally:
        delete_personal(svc, "librarian", title)


def test_the_document_says_so_when_there_are_no_personal_ones_yet(new_context, svc):
    page = dashboard(new_context, svc, "admin")
    code, lists = svc.request("GET", "/api/canned", token=svc.login("admin"))
    assert code == 200
    assert lists["personal"] == [], "no test leaves admin a personal canned message"
    with page.expect_popup() as popup:
        page.get_by_role("link", name="Canned Messages document").click()
    doc = popup.value
    expect(doc.get_by_role("region", name=PERSONAL)).to_contain_text("None yet")
    expect(doc.get_by_role("status")).to_contain_text("0 of your own")
    doc.close()
