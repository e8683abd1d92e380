"""The librarians' manual end to end with both real front ends: a patron on the demo library
page (the widget) and a librarian on the dashboard, in two browser contexts, against the real
local service. Nothing plays a part through raw frames here: every step is a click or a key
press in one of the two UIs, and what the other side sees is asserted in its own UI.

Screenshots land in artifacts/screenshots/manual-*.png. The service is the session's (`svc`,
tests/browser.py): each patron's chat is found by the id the widget got when it asked, and the
waiting count is taken relative to what the dashboard showed before.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import FRAME, LAUNCHER, chats_title, drop_patron_connections, patron_frame, rgb, set_visibility, sign_in, waiting_count, axe_serious, shot

pytestmark = pytest.mark.timeout(180)
LIBRARIAN = "Libby Librarian"


def librarian_page(new_context, svc, user="librarian"):
    page = new_context(reduced_motion="reduce").new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(f"{svc.base_url}/dashboard/")
    sign_in(page, user)
    return page


def patron_page(new_context, svc, question, name):
    """A patron on the library's page: opens the widget and asks; returns (context, page, chat)
    with `page.chat_id`, the id the service gave the chat."""
    context = new_context(reduced_motion="reduce")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda err: page.errors.append(str(err)))
    page.goto(svc.base_url + "/")
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    chat.get_by_label("Your question").fill(question)
    chat.get_by_label("Your name").fill(name)
    with page.expect_response(lambda r: r.url.endswith("/api/chats") and r.request.method == "POST") as created:
        chat.get_by_role("button", name="Start chat").click()
    assert created.value.status == 201
    page.chat_id, page.question = created.value.json()["chat_id"], question
    expect(chat.get_by_text("A librarian will be with you shortly.")).to_be_visible()
    return context, page, chat


def claim_from_list(desk, patron):
    """Chats tab -> the row of this patron's chat (with its question) -> Claim Chat; returns
    (chat id, pane)."""
    desk.get_by_role("tab", name=re.compile("^Chats")).click()
    chat_id = patron.chat_id
    row = desk.locator(f'.lcd-wait-row[data-chat-id="{chat_id}"]')
    expect(row).to_contain_text(patron.question)
    row.get_by_role("button", name="Claim Chat").click()
    pane = desk.locator(f'.lcd-pane[data-chat-id="{chat_id}"]')
    expect(pane).to_be_visible()
    return chat_id, pane


def end_and_close(desk, pane):
    """End Chat (confirmed), then Close Chat: the pane leaves the dashboard."""
    pane.get_by_role("button", name="End Chat").click()
    desk.get_by_role("dialog").get_by_role("button", name="End Chat").click()
    pane.get_by_role("button", name="Close Chat").click()
    expect(pane).to_have_count(0)


def patron_texts(chat) -> list[str]:
    return chat.locator(".lc-log-list .lc-bubble").all_inner_texts()


def desk_texts(pane) -> list[str]:
    return pane.locator(".lcd-log .lcd-msg-text").all_inner_texts()


def test_the_manual_from_question_to_closed_chat(svc, new_context):
    desk = librarian_page(new_context, svc)
    waiting = waiting_count(desk)
    shot(desk, "manual-01-dashboard-signed-in")
    question = "Do you have the 1902 county atlas of Ramsey County?"
    context, page, chat = patron_page(new_context, svc, question, "Pat")
    shot(page, "manual-02-patron-asked")

    # "When a patron submits a chat, you'll see a new chat appear under the Chats tab."
    expect(desk).to_have_title(chats_title(waiting + 1))
    chat_id, pane = claim_from_list(desk, page)
    # "Click on the Claim Chat button and a chat pane will open"; the patron learns who it is
    expect(chat.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()
    expect(chat.get_by_text(f"Chatting with {LIBRARIAN}")).to_be_visible()
    expect(pane.locator(".lcd-status")).to_have_attribute("data-presence", "online")
    box = pane.get_by_role("textbox")

    # "Press Enter to send messages or click the Send Message button" (and the patron alike)
    box.fill("Hello Pat! Let me check the map room for you.")
    box.press("Enter")
    expect(chat.get_by_text("Hello Pat! Let me check the map room for you.")).to_be_visible()
    draft = chat.get_by_label("Message")
    draft.fill("Thank you!")
    draft.press("Enter")
    expect(pane.locator(".lcd-log").get_by_text("Thank you!")).to_be_visible()
    box.fill("It is on the second floor.")
    pane.get_by_role("button", name="Send Message").click()
    expect(chat.get_by_text("It is on the second floor.")).to_be_visible()
    draft.fill("Can I borrow it?")
    chat.get_by_role("button", name="Send").click()
    expect(pane.locator(".lcd-log").get_by_text("Can I borrow it?")).to_be_visible()
    assert desk_texts(pane) == [question, "Hello Pat! Let me check the map room for you.",
                                "Thank you!", "It is on the second floor.", "Can I borrow it?"]

    # "a notification above the text box when the patron is typing and they'll see the same"
    draft.press_sequentially("Also, do you", delay=20)
    expect(pane.locator(".lcd-typing")).to_contain_text("Pat is typing:")
    expect(pane.locator(".lcd-typing")).to_contain_text("Also, do you")
    box.press_sequentially("Atlases are reference", delay=20)
    expect(chat.get_by_text(f"{LIBRARIAN} is typing…")).to_be_visible()
    shot(desk, "manual-03-dashboard-chatting")
    shot(page, "manual-03-patron-chatting")
    draft.fill("")
    box.fill("")

    # "a patron will 'disappear' for a little time": the tab is hidden, then the network drops
    frame = patron_frame(page)
    set_visibility(page, "hidden")
    set_visibility(frame, "hidden")
    expect(pane.locator(".lcd-status")).to_have_attribute("data-presence", "away")
    set_visibility(page, "visible")
    set_visibility(frame, "visible")
    expect(pane.locator(".lcd-status")).to_have_attribute("data-presence", "online")
    context.set_offline(True)
    assert drop_patron_connections(svc, chat_id) >= 1
    expect(chat.get_by_role("status").filter(has_text="Reconnecting…")).to_be_visible()
    status = pane.locator(".lcd-status")
    # gone is gone for the librarian: the manual's red, with the time the patron left
    expect(status).to_have_attribute("data-presence", "offline")
    expect(status).to_contain_text(re.compile(r"Patron left at \d"))
    r, g, b = rgb(desk, status)
    assert r > 150 and g < 80 and b < 80, (r, g, b)
    for text in ("Atlases are reference only,", "but you can scan pages in the map room."):
        box.fill(text)
        box.press("Enter")
        expect(pane.locator(".lcd-log").get_by_text(text)).to_be_visible()
    draft.fill("Are you still there?")
    draft.press("Enter")
    expect(chat.locator(".lc-pending-list li")).to_contain_text("Sending…")
    shot(page, "manual-04-patron-offline")
    context.set_offline(False)  # back: nothing lost, nothing twice, in order
    expect(chat.get_by_role("status").filter(has_text="Reconnecting…")).to_have_count(0)
    expect(pane.locator(".lcd-log").get_by_text("Are you still there?")).to_be_visible()
    expect(status).to_have_attribute("data-presence", "online")
    expect(chat.locator(".lc-pending-list li")).to_have_count(0)
    expected = [question, "Hello Pat! Let me check the map room for you.", "Thank you!",
                "It is on the second floor.", "Can I borrow it?", "Atlases are reference only,",
                "but you can scan pages in the map room.", "Are you still there?"]
    expect(chat.locator(".lc-log-list .lc-bubble")).to_have_count(len(expected))
    assert patron_texts(chat) == expected
    expect(pane.locator(".lcd-log .lcd-msg-text")).to_have_count(len(expected))
    assert desk_texts(pane) == expected

    # "click on the End Chat button at the top right of the chat pane"
    pane.get_by_role("button", name="End Chat").click()
    desk.get_by_role("dialog").get_by_role("button", name="End Chat").click()
    # "Patrons will receive a brief survey at the end of each chat."
    expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
    shot(page, "manual-05-patron-survey")
    assert axe_serious(patron_frame(page)) == []
    chat.get_by_role("radio", name="5, excellent").check()
    chat.get_by_role("radio", name="Yes").check()
    chat.get_by_label("Anything else you'd like to tell us?").fill("Very helpful!")
    with page.expect_response(lambda r: r.url.endswith(f"/api/chats/{chat_id}/survey")) as response:
        chat.get_by_role("button", name="Send feedback").click()
    assert response.value.status == 201
    expect(chat.get_by_role("heading", name="Thank you!")).to_be_visible()

    # "Click the Close Chat button to remove the chat from the dashboard."
    pane.get_by_role("button", name="Close Chat").click()
    expect(pane).to_have_count(0)
    expect(desk.locator(f'.lcd-tab[data-chat-id="{chat_id}"]')).to_have_count(0)
    expect(desk.locator(f'.lcd-wait-row[data-chat-id="{chat_id}"]')).to_have_count(0)
    shot(desk, "manual-06-dashboard-closed")
    assert desk.errors == [] and page.errors == []


def test_the_patron_ends_first_and_the_status_button_turns_red(svc, new_context):
    desk = librarian_page(new_context, svc)
    question = "Can I renew a book a third time?"
    _, page, chat = patron_page(new_context, svc, question, "Robin")
    chat_id, pane = claim_from_list(desk, page)
    expect(chat.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()
    chat.get_by_role("button", name="End chat").click()
    chat.get_by_role("dialog").get_by_role("button", name="Yes, end chat").click()
    # "If a patron ends a chat, their status button will turn red and you will see the chat
    # was ended."
    status = pane.locator(".lcd-status")
    expect(status).to_have_attribute("data-presence", "left")
    r, g, b = rgb(desk, status)
    assert r > 150 and g < 80 and b < 80, (r, g, b)
    expect(pane.locator(".lcd-ended")).to_contain_text("Robin ended the chat")
    expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
    shot(desk, "manual-07-patron-left-red")
    pane.get_by_role("button", name="Close Chat").click()
    expect(pane).to_have_count(0)
    assert desk.errors == [] and page.errors == []


def test_one_librarian_two_chats_in_two_panes(svc, new_context):
    desk = librarian_page(new_context, svc)
    first_q, second_q = "Where are the genealogy records?", "Do you lend laptops?"
    _, page1, chat1 = patron_page(new_context, svc, first_q, "Alex")
    _, page2, chat2 = patron_page(new_context, svc, second_q, "Bea")
    id1, pane1 = claim_from_list(desk, page1)
    id2, pane2 = claim_from_list(desk, page2)
    expect(chat1.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()
    expect(chat2.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()
    tab1 = desk.locator(f'.lcd-tab[data-chat-id="{id1}"]')
    tab2 = desk.locator(f'.lcd-tab[data-chat-id="{id2}"]')
    expect(tab2).to_have_attribute("aria-selected", "true")  # the pane just claimed is in view
    chat1.get_by_label("Message").fill("Are they on microfilm?")
    chat1.get_by_label("Message").press("Enter")
    expect(tab1).to_have_attribute("data-unread", "1")  # an unread count on the pane not in view
    pane2.get_by_role("textbox").fill("Yes, for two weeks with a library card.")
    pane2.get_by_role("textbox").press("Enter")
    expect(chat2.get_by_text("Yes, for two weeks with a library card.")).to_be_visible()
    tab1.click()
    expect(pane1).to_be_visible()
    expect(pane1.locator(".lcd-log").get_by_text("Are they on microfilm?")).to_be_visible()
    expect(tab1).to_have_attribute("data-unread", "0")
    pane1.get_by_role("textbox").fill("Both: 1850 to 1950 on microfilm, later online.")
    pane1.get_by_role("textbox").press("Enter")
    expect(chat1.get_by_text("Both: 1850 to 1950 on microfilm, later online.")).to_be_visible()
    expect(chat2.get_by_text("Both: 1850 to 1950")).to_have_count(0)  # each patron, their own chat
    shot(desk, "manual-08-two-panes")
    for tab, pane in ((tab1, pane1), (tab2, pane2)):
        tab.click()
        end_and_close(desk, pane)
    expect(chat1.get_by_role("heading", name="How did we do?")).to_be_visible()
    expect(chat2.get_by_role("heading", name="How did we do?")).to_be_visible()
    assert desk.errors == [] and page1.errors == [] and page2.errors == []


def test_files_between_the_two_uis(svc, new_context):
    """The manual's "Sending files": the librarian's paperclip, and the patron's screenshot."""
    from tests.test_widget_browser import PASTE_SCREENSHOT, PDF
    desk = librarian_page(new_context, svc)
    question = "The catalogue shows an error, can I send you a screenshot?"
    context, page, chat = patron_page(new_context, svc, question, "Sky")
    chat_id, pane = claim_from_list(desk, page)
    expect(chat.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()

    # the patron pastes a screenshot into the message box and clicks Upload (the widget offers
    # it first): the librarian sees the thumbnail
    png = bytes(patron_frame(page).evaluate(PASTE_SCREENSHOT))
    offer = chat.get_by_role("region", name="Ready to upload")
    expect(offer.get_by_role("img", name="image.png")).to_be_visible()
    chat.get_by_role("button", name="Upload", exact=True).click()
    thumb = pane.locator("img.lcd-file-thumb[alt='image.png']")
    expect(thumb).to_be_visible()
    desk.wait_for_function("(img) => img.complete && img.naturalWidth === 48", arg=thumb.element_handle())
    shot(desk, "manual-09-screenshot-thumbnail")

    # "click on the paperclip icon above the text box", "choose the file you'd like to share
    # and click Upload": the patron opens it from the chat and gets the very same bytes
    clip = pane.get_by_role("button", name="Attach a file")
    assert clip.bounding_box()["y"] < pane.get_by_role("textbox").bounding_box()["y"]
    with desk.expect_file_chooser() as chooser:
        clip.click()
    chooser.value.set_files(files=[{"name": "floor plan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    chosen = pane.get_by_role("group", name=re.compile("floor plan.pdf"))
    expect(chosen).to_contain_text(f"({len(PDF)} B)")  # its name and size, before anything is sent
    shot(desk, "manual-09b-dashboard-file-chosen")
    chosen.get_by_role("button", name="Upload").click()
    open_button = chat.get_by_role("button", name=re.compile(r"^Open floor.plan\.pdf"))
    expect(open_button).to_be_visible()
    with context.expect_page() as opened:
        with page.expect_response(lambda r: f"/api/chats/{chat_id}/files" in r.url) as link:
            open_button.click()
    url = link.value.json()["url"]
    assert url.startswith(svc.aws_url)
    fetched = opened.value.request.get(url)
    assert fetched.status == 200 and fetched.body() == PDF
    shot(page, "manual-10-patron-file")

    end_and_close(desk, pane)
    assert desk.errors == [] and page.errors == []


def test_a_transfer_moves_the_chat_between_dashboards_while_the_patron_talks(svc, new_context):
    ada = librarian_page(new_context, svc, "admin")
    libby = librarian_page(new_context, svc, "librarian")
    question = "I need help with a genealogy database"
    _, page, chat = patron_page(new_context, svc, question, "Gene")
    chat_id, pane = claim_from_list(ada, page)
    expect(chat.get_by_text("Ada Admin joined the chat")).to_be_visible()

    pane.get_by_role("button", name="Transfer").click()
    dlg = ada.get_by_role("dialog", name=re.compile("Transfer the chat"))
    dlg.get_by_label(LIBRARIAN).check()
    dlg.get_by_label(re.compile("^Note for the next librarian")).fill("Libby knows Ancestry best.")
    dlg.get_by_role("button", name="Transfer").click()
    expect(pane).to_have_count(0)
    # the patron sees who is helping now, and keeps talking
    expect(chat.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()
    expect(chat.get_by_text(f"Chatting with {LIBRARIAN}")).to_be_visible()
    chat.get_by_label("Message").fill("Still here after the handover")
    chat.get_by_label("Message").press("Enter")
    libby.locator(f'.lcd-tab[data-chat-id="{chat_id}"]').click()
    lp = libby.locator(f'.lcd-pane[data-chat-id="{chat_id}"]')
    expect(lp.locator(".lcd-transfer-note")).to_contain_text("Libby knows Ancestry best.")
    expect(lp.locator(".lcd-log").get_by_text("Still here after the handover")).to_be_visible()
    lp.get_by_role("textbox").fill("Hi Gene, Libby here.")
    lp.get_by_role("textbox").press("Enter")
    expect(chat.get_by_text("Hi Gene, Libby here.")).to_be_visible()

    # back to the queue: the patron is told, and the next librarian can claim it
    lp.get_by_role("button", name="Transfer").click()
    dlg = libby.get_by_role("dialog", name=re.compile("Transfer the chat"))
    dlg.get_by_label("Back to the queue").check()
    dlg.get_by_role("button", name="Transfer").click()
    expect(lp).to_have_count(0)
    expect(chat.get_by_text("Your question is back in the queue", exact=False)).to_be_visible()
    shot(page, "manual-11-patron-requeued")
    chat_id2, pane2 = claim_from_list(ada, page)
    assert chat_id2 == chat_id
    expect(chat.get_by_text(f"Chatting with Ada Admin")).to_be_visible()
    end_and_close(ada, pane2)
    assert ada.errors == [] and libby.errors == [] and page.errors == []
