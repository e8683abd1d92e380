"""After the chat and after hours (docs/tickets.md), in real chromium against a local runner:

- a patron asks at a desk that is closed now: the widget takes the question as a ticket; a
  librarian claims it in the Tickets tab and replies; the patron opens the reply from the
  local mailbox page, follows its link to the ticket page and replies; the librarian sees it;
- at the end of a chat the patron has the transcript e-mailed, and it is in the mailbox;
- a librarian records a chat at its end (tags, READ level, an internal note), closes it and
  finds it again in History; the patron's transcript mail never holds the note.

This module starts its own runner: desks cannot be deleted, and the closed desk made here must
not show in the shared runner's other tests. Tests wait on the DOM and on frames.
"""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser import dashboard_as, own_runner, page_of, FRAME, LAUNCHER, axe_serious, library_site, patron_frame, shot
from tests.e2e import Client
from tests.test_widget_browser import claim, start_chat

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def tsvc():
    with own_runner({"QUEUE_CACHE_SECONDS": "0"}) as service:
        yield service


def library_page(svc, desk: str) -> str:
    return f"""<!doctype html><html lang="en"><head><title>Evening reference</title></head><body>
      <main><h1>Evening reference</h1></main>
      <script src="{svc.base_url}/embed.js" async data-queue="{desk}"
              data-offline-email="ask@library.example"></script></body></html>"""


def open_mail(page, svc, subject: str, to: str):
    """The newest mailbox message with this subject to this address."""
    page.goto(f"{svc.base_url}/mailbox/")
    row = page.get_by_role("row").filter(has_text=to).filter(has_text=subject).first
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(subject)


def test_after_hours_a_question_becomes_a_ticket_answered_by_e_mail_and_followed_by_its_link(tsvc, new_context):
    status, body = tsvc.request("POST", "/api/queues", {"id": "evening", "name": "Evening desk",
                                                         "library": "Millbrook", "timezone": "UTC",
                                                         "hours": {"sun": [["23:58", "23:59"]]}},
                                token=tsvc.admin)
    assert status == 201, body
    email = f"pat-{uuid.uuid4().hex[:6]}@example.org"
    question = f"Do you hold the 1890s fire insurance maps? ({uuid.uuid4().hex[:4]})"
    site = library_site(library_page(tsvc, "evening"))
    host = site.__enter__()
    page = page_of(new_context, f"{host}/")
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    form = chat.get_by_role("region", name="Leave a question and we'll e-mail you")
    expect(form).to_be_visible()
    frame = patron_frame(page)
    assert axe_serious(frame) == [], "widget: the ticket form"
    form.get_by_label("Your question").fill(question)
    form.get_by_label("Your name").fill("Pat")
    form.get_by_label("Email").fill(email)
    form.get_by_role("button", name="Send question").click()
    expect(chat.get_by_role("heading", name=f"Thanks, we'll e-mail you at {email}")).to_be_visible()
    assert axe_serious(frame) == [], "widget: the ticket sent"
    shot(page, "tickets-01-widget-after-hours")

    # the librarian answers it from the Tickets tab
    lib = dashboard_as(new_context, tsvc, "librarian")
    lib.get_by_role("tab", name="Tickets").click()
    lib.locator("#lcd-tickets-desk").select_option("evening")
    lib.get_by_role("button", name="Refresh the tickets").click()
    open_list = lib.locator("#lcd-tickets-open")
    open_list.get_by_role("button", name=re.compile(re.escape(question[:30]))).click()
    card = lib.locator("#lcd-ticket")
    expect(card.get_by_role("heading", name="Ticket from Pat")).to_be_visible()
    card.get_by_role("button", name="Claim").click()
    expect(lib.locator("#lcd-ticket-status")).to_contain_text("claimed by you")
    card.get_by_role("textbox", name=re.compile("^Reply to the patron")).fill("Yes: ask at the map room, 2nd floor.")
    card.get_by_role("button", name="Send reply").click()
    expect(card.locator("#lcd-ticket-thread")).to_contain_text("ask at the map room")
    expect(card.locator("li.lcd-mail[data-status='sent']")).to_have_count(2)  # the acknowledgement, the reply
    card.get_by_role("textbox", name="Internal note (never shown to the patron)").fill("NOTE-XYZ asked twice")
    card.get_by_role("button", name="Add internal note").click()
    expect(card.locator(".lcd-entry--note")).to_contain_text("NOTE-XYZ")
    assert axe_serious(lib) == [], "dashboard: a ticket open in the Tickets tab"
    shot(lib, "tickets-02-dashboard-ticket")

    # the patron reads the answer in the mailbox and follows its link
    mail = page_of(new_context, f"{tsvc.base_url}/mailbox/")
    open_mail(mail, tsvc, "An answer to your question", email)
    expect(mail.get_by_text("Libby Librarian answered")).to_be_visible()
    shot(mail, "tickets-03-mailbox")
    # (a regex with "/" in it breaks Playwright's role-name selector, so the link is found by its href)
    mail.locator("a[href*='/patron/ticket.html#t=']").first.click()
    expect(mail.get_by_role("heading", name="Your question to the library")).to_be_visible()
    thread = mail.get_by_role("list").filter(has_text="ask at the map room")
    expect(thread).to_contain_text(question)
    expect(mail.locator("body")).not_to_contain_text("NOTE-XYZ")
    mail.get_by_label("Your reply").fill("Thank you! Can I photograph them?")
    mail.get_by_role("button", name="Send reply").click()
    expect(mail.get_by_role("status").filter(has_text="Reply sent")).to_be_visible()
    assert axe_serious(mail) == [], "the patron's ticket page"
    shot(mail, "tickets-04-ticket-page")

    # the librarian sees the patron's reply on the ticket
    lib.get_by_role("button", name="Refresh the tickets").click()
    lib.locator("#lcd-tickets-claimed").get_by_role("button", name=re.compile(re.escape(question[:30]))).click()
    expect(lib.locator("#lcd-ticket-thread")).to_contain_text("Can I photograph them?")
    assert page.errors == [] and lib.errors == [] and mail.errors == []
    site.__exit__(None, None, None)


def test_the_patron_gets_the_transcript_by_e_mail_at_the_end(tsvc, new_context):
    op = Client(tsvc.ws_url, tsvc.login("librarian"), hello={})
    op.wait("welcome")
    page = page_of(new_context, f"{tsvc.base_url}/")
    question = f"Where are the atlases? ({uuid.uuid4().hex[:4]})"
    chat, chat_id = start_chat(page, op, question)
    claim(op, chat, chat_id)
    op.send(action="send", chat_id=chat_id, text="Second floor, past the globes.", client_msg_id="t1")
    expect(chat.get_by_text("Second floor, past the globes.")).to_be_visible()
    op.send(action="end", chat_id=chat_id)
    field = chat.get_by_label("E-mail me the transcript", exact=True)
    expect(field).to_be_visible()
    email = f"t-{uuid.uuid4().hex[:6]}@example.org"
    field.fill(email)
    field.locator("xpath=ancestor::form[1]").get_by_role("button", name="Send", exact=True).click()
    expect(chat.get_by_role("status").filter(has_text=f"Transcript sent to {email}")).to_be_visible()
    assert axe_serious(patron_frame(page)) == [], "widget: the transcript sent"
    shot(page, "tickets-05-transcript-sent")
    op.send(action="close", chat_id=chat_id)
    op.wait("chat.closed", chat_id=chat_id)
    op.close()
    mail = page_of(new_context, f"{tsvc.base_url}/mailbox/")
    open_mail(mail, tsvc, "Transcript", email)
    expect(mail.locator("pre")).to_contain_text("Second floor, past the globes.")
    expect(mail.locator("pre")).to_contain_text(question)
    assert page.errors == [] and mail.errors == []


def test_a_librarian_records_a_chat_at_close_and_finds_it_in_history(tsvc, new_context):
    status, body = tsvc.request("PUT", "/api/tags", {"tags": ["maps", "genealogy"],
                                                     "question_types": ["Directional", "Research"]},
                                token=tsvc.admin)
    assert status == 200, body
    question = f"Sanborn maps for Mill Street? ({uuid.uuid4().hex[:4]})"
    created = tsvc.new_chat(question, name="Pat")
    patron = Client(created["ws_url"], created["token"], hello={"chat_id": created["chat_id"]})
    patron.wait("welcome")
    lib = dashboard_as(new_context, tsvc, "librarian")
    row = lib.locator(f'.lcd-wait-row[data-chat-id="{created["chat_id"]}"]')
    row.get_by_role("button", name="Claim Chat").click()
    pane = lib.locator(f'.lcd-pane[data-chat-id="{created["chat_id"]}"]')
    expect(pane).to_be_visible()
    patron.wait("chat.claimed")
    pane.get_by_role("button", name="End Chat").click()
    lib.get_by_role("dialog").get_by_role("button", name="End Chat").click()
    form = pane.get_by_role("group", name="Record this chat (optional)")
    expect(form).to_be_visible()
    expect(pane.get_by_role("button", name="Close Chat")).to_be_focused()  # the form never takes focus
    form.get_by_label("Question type").select_option("Research")
    form.get_by_role("radio", name=re.compile(r"^4")).check()
    form.get_by_role("checkbox", name="maps").check()
    form.get_by_label("Internal note (never shown to the patron)").fill("NOTE-Q7 regular")
    assert axe_serious(lib) == [], "dashboard: the close form"
    shot(lib, "tickets-06-close-form")
    pane.get_by_role("button", name="Close Chat").click()  # saves what the form holds, then closes
    expect(pane).to_have_count(0)

    lib.get_by_role("tab", name="History").click()
    tag = lib.get_by_label("Tag", exact=True)
    if tag.evaluate("e => e.tagName") == "SELECT":
        tag.select_option("maps")
    else:
        tag.fill("maps")
    lib.get_by_label("Words in the question").fill("Sanborn")
    lib.get_by_role("button", name="Search", exact=True).click()
    table = lib.locator("#lcd-history-table")
    expect(table).to_contain_text(question)
    expect(table).to_contain_text("maps")
    assert axe_serious(lib) == [], "dashboard: History results"
    shot(lib, "tickets-07-history")
    table.get_by_role("button", name=re.compile("Open the chat")).first.click()
    expect(lib.locator("#lcd-history-chat")).to_contain_text(question)
    patron.close()
    assert lib.errors == []


def test_the_patron_deletes_the_chat_from_the_widget_and_it_is_gone(tsvc, new_context):
    """docs/privacy.md: "Delete this chat" under the transcript tools, asked again, then the
    chat is gone everywhere (its history answers 404) and the screen says so; the privacy
    page is linked beside it."""
    op = Client(tsvc.ws_url, tsvc.login("librarian"), hello={})
    op.wait("welcome")
    page = page_of(new_context, f"{tsvc.base_url}/")
    chat, chat_id = start_chat(page, op, f"Please forget this ({uuid.uuid4().hex[:4]})")
    claim(op, chat, chat_id)
    op.send(action="end", chat_id=chat_id)
    delete = chat.get_by_role("button", name="Delete this chat", exact=True)
    expect(delete).to_be_visible()
    link = chat.get_by_role("link", name="How we handle your chat (privacy)")
    expect(link).to_have_attribute("href", "privacy.html")
    delete.click()
    expect(chat.get_by_text("This cannot be undone.", exact=False)).to_be_visible()
    assert axe_serious(patron_frame(page)) == [], "widget: delete asked again"
    chat.get_by_role("button", name="Delete now", exact=True).click()
    expect(chat.get_by_role("heading", name="Your chat has been deleted")).to_be_focused()
    expect(chat.get_by_text("Please forget this", exact=False)).to_have_count(0)
    assert axe_serious(patron_frame(page)) == [], "widget: the chat deleted"
    shot(page, "tickets-07-chat-deleted")
    status, body = tsvc.request("GET", f"/api/chats/{chat_id}/messages", token=tsvc.admin)
    assert status == 404, body
    op.close()
    assert page.errors == []


def test_the_typing_preview_notice_shows_only_where_the_desk_has_previews_on(tsvc, new_context):
    """docs/privacy.md: a desk with `typing_preview: false` sends no draft and the widget says
    nothing about one; with it on (the default), the notice is there before the first message."""
    from tests.test_widget_live_browser import PREVIEW_NOTE
    assert tsvc.request("PUT", "/api/queues/general", {"privacy": {"typing_preview": False}}, token=tsvc.admin)[0] == 200
    try:
        op = Client(tsvc.ws_url, tsvc.login("librarian"), hello={})
        op.wait("welcome")
        page = page_of(new_context, f"{tsvc.base_url}/")
        chat, chat_id = start_chat(page, op, f"No preview here ({uuid.uuid4().hex[:4]})")
        claim(op, chat, chat_id)
        draft = chat.get_by_label("Message")
        expect(draft).to_be_visible()
        expect(chat.get_by_text(PREVIEW_NOTE)).to_be_hidden()
        draft.press_sequentially("secret draft", delay=30)
        typing = op.wait("chat.typing", chat_id=chat_id)
        assert typing.get("preview") is None  # the notice without the draft
        op.send(action="end", chat_id=chat_id)
        op.wait("chat.ended", chat_id=chat_id)
        op.close()
    finally:
        assert tsvc.request("PUT", "/api/queues/general", {"privacy": {}}, token=tsvc.admin)[0] == 200
    page = page_of(new_context, f"{tsvc.base_url}/")
    op = Client(tsvc.ws_url, tsvc.login("librarian"), hello={})
    op.wait("welcome")
    chat, chat_id = start_chat(page, op, f"Preview here ({uuid.uuid4().hex[:4]})")
    expect(chat.get_by_text(PREVIEW_NOTE)).to_be_visible()
    claim(op, chat, chat_id)
    op.send(action="end", chat_id=chat_id)
    op.wait("chat.ended", chat_id=chat_id)
    op.close()
