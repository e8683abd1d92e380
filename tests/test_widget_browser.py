"""The patron widget in a real browser (Debian's chromium through Playwright), embedded in the
demo library page that `make run` serves, against the real local service (`python -m local`
in a subprocess). The librarian side is a real WebSocket client (tests.e2e.Client).

Every test that claims a chat ends it: operators have max_chats 3 and the service is shared
by the whole session (`svc`, tests/browser.py). The librarian here is a fresh connection that
hears only the chats made while it is connected, and tests wait for frames of their own chat.

How a network drop is forced (test_reload_and_network_drop_resume_without_loss): the browser
context goes offline (Chromium then refuses new WebSockets, and the page gets `offline`), and
the patron's live connection is cut from the service side with the management API's
`DELETE /@connections/{id}`, as API Gateway can. Offline emulation alone does not close an open
WebSocket in Chromium, and a test hook inside the widget would test the hook, not the widget:
this way the widget sees a real close, real failed reconnects, then a real `online` event.
To reload the page while the service is still unreachable (the page itself must load), the
same test then refuses WebSocket handshakes with Playwright's route_web_socket for a while.

Screenshots: artifacts/screenshots/widget-*.png (snap(): what the patron sees in the viewport).
"""
from __future__ import annotations

import http.server
import json
import re
import threading
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.browser import FRAME, LAUNCHER, drop_patron_connections, patron_frame, set_visibility, SCREENSHOTS, axe_serious, failed_image_loads, library_site, shot
from tests.e2e import Client

LIBRARIAN = "Libby Librarian"


@contextmanager
def librarian(svc):
    """A librarian connected on the dashboard's protocol (so /api/status says online)."""
    token = svc.login("librarian")
    op = Client(svc.ws_url, token, hello={})
    op.token = token
    op.wait("welcome")
    try:
        yield op
    finally:
        op.close()


def snap(page, name: str) -> None:
    """A screenshot of what the patron sees (the viewport: the widget panel is position:fixed,
    so a full-page shot would show it at the top of a long page). Saved next to shot()'s."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def wait_status(svc, online: bool, timeout: float = 10.0) -> None:
    """Wait until the service says `online`, the way the widget learns it: a `?watch=status`
    connection's welcome holds the state when it joined, and every change after that is pushed
    (going offline follows the $disconnect of earlier tests' librarians)."""
    watcher = Client(f"{svc.ws_url}?watch=status", "", hello={})
    try:
        if watcher.wait("welcome", timeout=timeout)["status"]["online"] is online:
            return
        try:
            watcher.wait("service.status", timeout=timeout, online=online)
        except AssertionError as err:
            code, body = svc.request("GET", "/api/operators", token=svc.operator_token("admin"))
            raise AssertionError(f"{err}\nthe operators now: {code} {body}") from None
    finally:
        watcher.close()


def open_demo(svc, new_context, **ctx_args):
    context = new_context(**ctx_args)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(svc.base_url + "/")
    expect(page.get_by_role("button", name=LAUNCHER)).to_be_visible()
    return context, page, errors


def start_chat(page, op, question: str, name: str | None = "Pat") -> tuple:
    """Open the widget, ask `question`; returns (frame locator, chat_id) once the librarian sees it."""
    if not page.locator(FRAME).is_visible():
        page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    chat.get_by_label("Your question").fill(question)
    if name:
        chat.get_by_label("Your name").fill(name)
    chat.get_by_role("button", name="Start chat").click()
    queued = op.wait("chat.queued", where=lambda f: f["chat"]["question"] == question.strip())
    # The question comes back as message 1 right after `welcome`: the widget is connected and
    # will hear the claim (a claim racing the widget's hello is a separate, service-side case).
    expect(chat.locator(".lc-log-list .lc-msg--own").first).to_be_visible()
    # A waiting patron's presence reaches every librarian (pushed during the widget's hello,
    # whose answer the question is): out of date for what a test checks from here on.
    chat_id = queued["chat"]["chat_id"]
    op.pending = [f for f in op.barrier() if not (f["type"] == "chat.presence" and f.get("chat_id") == chat_id)]
    return chat, chat_id


def claim(op, chat, chat_id):
    op.send(action="claim", chat_id=chat_id)
    op.wait("chat.claimed", chat_id=chat_id)
    expect(chat.get_by_text(f"{LIBRARIAN} joined the chat")).to_be_visible()


def end_as_librarian(op, chat_id):
    op.send(action="end", chat_id=chat_id)
    op.wait("chat.ended", chat_id=chat_id)
    op.send(action="close", chat_id=chat_id)
    op.wait("chat.closed", chat_id=chat_id)


def bubbles(chat) -> list[str]:
    return chat.locator(".lc-log-list .lc-bubble").all_inner_texts()


# --------------------------------------------------------------------- tests


def test_offline_state_then_the_form_once_a_librarian_is_online(svc, new_context):
    wait_status(svc, online=False)
    context, page, errors = open_demo(svc, new_context)
    shot(page, "widget-00-demo-page")
    page.get_by_role("button", name=LAUNCHER).click()
    chat = page.frame_locator(FRAME)
    expect(chat.get_by_role("heading", name="No librarians are online right now")).to_be_visible()
    expect(chat.get_by_role("link", name="Email ask@library.example")).to_have_attribute("href", "mailto:ask@library.example")
    expect(chat.get_by_role("link", name="Call +1 555 0100")).to_have_attribute("href", "tel:+15550100")
    expect(chat.get_by_role("link", name="More ways to get help")).to_have_attribute("href", f"{svc.base_url}/#visit")
    expect(chat.get_by_role("button", name="Start chat")).to_have_count(0)  # the offline screen, not the form
    snap(page, "widget-01-offline")

    with librarian(svc):
        wait_status(svc, online=True)
        # the status is checked again each time the panel opens
        chat.get_by_role("button", name="Minimize chat").click()
        expect(page.get_by_role("button", name=LAUNCHER)).to_have_attribute("aria-expanded", "false")
        expect(page.locator(FRAME)).to_be_hidden()
        page.get_by_role("button", name=LAUNCHER).click()
        expect(chat.get_by_role("button", name="Start chat")).to_be_visible()
        expect(chat.get_by_text("Librarians are online")).to_be_visible()
    assert errors == []


def test_full_patron_flow(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        page.get_by_role("button", name=LAUNCHER).click()
        chat = page.frame_locator(FRAME)
        expect(chat.get_by_role("heading", name="How can we help?")).to_be_visible()
        snap(page, "widget-02-form")

        question = "Do you have the 1902 county atlas? (full flow)"
        chat_, chat_id = start_chat(page, op, question)
        expect(chat.get_by_text("A librarian will be with you shortly.")).to_be_visible()
        expect(chat.get_by_text("Waiting for a librarian")).to_be_visible()
        expect(chat.locator(".lc-log-list")).to_contain_text(question)
        snap(page, "widget-03-queued")
        try:
            claim(op, chat, chat_id)
            expect(chat.get_by_text(f"Chatting with {LIBRARIAN}")).to_be_visible()
            expect(chat.get_by_text("A librarian will be with you shortly.")).to_have_count(0)

            op.send(action="send", chat_id=chat_id, text="Hello Pat! It is in the map room, see https://library.example/maps",
                    client_msg_id="op-1")
            assert op.wait("chat.message", chat_id=chat_id)["message"]["seq"] == 2
            expect(chat.get_by_text("Hello Pat! It is in the map room")).to_be_visible()
            expect(chat.get_by_role("link", name="https://library.example/maps")).to_have_attribute("target", "_blank")

            # Enter sends
            draft = chat.get_by_label("Message")
            draft.fill("Is it on the shelf?")
            draft.press("Enter")
            got = op.wait("chat.message", chat_id=chat_id)
            assert (got["message"]["seq"], got["message"]["text"]) == (3, "Is it on the shelf?")
            assert got["message"]["sender"]["role"] == "patron"
            expect(draft).to_have_value("")
            expect(chat.locator(".lc-log-list .lc-msg--own").last).to_contain_text("Is it on the shelf?")

            # Shift+Enter is a new line, not a send; the Send button sends
            draft.press_sequentially("Line one")
            draft.press("Shift+Enter")
            draft.press_sequentially("line two")
            expect(draft).to_have_value("Line one\nline two")
            chat.get_by_role("button", name="Send").click()
            # the next message is this one, as seq 4: Shift+Enter sent nothing
            got = op.wait("chat.message", chat_id=chat_id)
            assert (got["message"]["seq"], got["message"]["text"]) == (4, "Line one\nline two")
            expect(chat.locator(".lc-log-list .lc-bubble").last).to_have_text("Line one\nline two")

            # the librarian types: the patron sees who
            op.send(action="typing", chat_id=chat_id, typing=True)
            expect(chat.get_by_text(f"{LIBRARIAN} is typing…")).to_be_visible()
            snap(page, "widget-04-chat")
            op.send(action="typing", chat_id=chat_id, typing=False)
            expect(chat.get_by_text(f"{LIBRARIAN} is typing…")).to_have_count(0)

            # the patron types: the librarian gets a preview of the draft (typing notices from
            # before it are out of date: the patron's frames arrive in order)
            draft.press_sequentially("Which floor", delay=30)
            typing = op.wait("chat.typing", where=lambda f: f.get("preview") == "Which floor", drop_older=True)
            assert (typing["role"], typing["typing"], typing["chat_id"]) == ("patron", True, chat_id)
            draft.fill("")  # an emptied draft stops the notice
            op.wait("chat.typing", where=lambda f: f["typing"] is False)

            # the tab is hidden, then shown again: presence away / online; meanwhile the page's
            # title counts the librarian's new messages
            frame = patron_frame(page)
            title = page.title()
            set_visibility(page, "hidden")
            set_visibility(frame, "hidden")
            assert op.wait("chat.presence", chat_id=chat_id)["patron"] == "away"
            op.send(action="send", chat_id=chat_id, text="Take your time.", client_msg_id="op-t")
            expect(page).to_have_title(f"(1) {title}")
            set_visibility(page, "visible")
            set_visibility(frame, "visible")
            assert op.wait("chat.presence", chat_id=chat_id)["patron"] == "online"
            expect(page).to_have_title(title)
            expect(chat.get_by_text("Take your time.")).to_be_visible()

            # minimized: the launcher counts what the librarian says meanwhile
            chat.get_by_role("button", name="Minimize chat").click()
            assert op.wait("chat.presence", chat_id=chat_id)["patron"] == "away"
            expect(page.get_by_role("button", name=LAUNCHER)).to_have_attribute("aria-expanded", "false")
            op.send(action="send", chat_id=chat_id, text="Are you still there?", client_msg_id="op-2")
            expect(page.get_by_role("button", name="Ask a librarian (1 new message)")).to_be_visible()
            page.get_by_role("button", name=LAUNCHER).click()
            expect(page.get_by_role("button", name="Ask a librarian", exact=True)).to_be_visible()
            expect(chat.get_by_text("Are you still there?")).to_be_visible()
            assert op.wait("chat.presence", chat_id=chat_id)["patron"] == "online"

            # the librarian ends: the transcript stays, the survey follows
            op.send(action="end", chat_id=chat_id)
            op.wait("chat.ended", chat_id=chat_id)
        finally:
            op.send(action="close", chat_id=chat_id)
        expect(chat.get_by_text(f"{LIBRARIAN} ended the chat")).to_be_visible()
        expect(chat.get_by_role("heading", name="How did we do?")).to_be_focused()
        expect(chat.get_by_label("Message")).to_have_count(0)
        expect(chat.get_by_role("button", name="End chat")).to_be_hidden()
        expect(chat.get_by_text("Chat ended")).to_be_visible()
        snap(page, "widget-05-survey")

        chat.get_by_role("radio", name="5, excellent").check()
        chat.get_by_role("radio", name="Yes").check()
        chat.get_by_label("Anything else you'd like to tell us?").fill("Very helpful, thanks!")
        with page.expect_response(lambda r: r.url.endswith(f"/api/chats/{chat_id}/survey")) as response:
            chat.get_by_role("button", name="Send feedback").click()
        assert response.value.status == 201
        assert response.value.request.post_data_json == {"rating": 5, "answered": True, "comment": "Very helpful, thanks!"}
        expect(chat.get_by_role("heading", name="Thank you!")).to_be_visible()
        expect(chat.get_by_role("button", name="Start a new chat")).to_be_visible()
        snap(page, "widget-06-thanks")

        # the transcript can still be saved; then the session is gone: a reload starts afresh
        with page.expect_download() as download:
            chat.get_by_role("button", name="Download transcript").click()
        text = open(download.value.path(), encoding="utf-8").read()
        assert "You: Is it on the shelf?" in text and f"{LIBRARIAN}: Are you still there?" in text
        page.reload()
        page.get_by_role("button", name=LAUNCHER).click()
        expect(page.frame_locator(FRAME).get_by_label("Your question")).to_be_visible()
        assert errors == []


def test_reload_and_network_drop_resume_without_loss(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        chat, chat_id = start_chat(page, op, "Reload and drop test: local newspapers from 1950?")
        try:
            claim(op, chat, chat_id)
            op.send(action="send", chat_id=chat_id, text="msg A from the librarian", client_msg_id="a")
            expect(chat.get_by_text("msg A from the librarian")).to_be_visible()
            chat.get_by_label("Message").fill("msg B from the patron")
            chat.get_by_label("Message").press("Enter")
            op.wait("chat.message", where=lambda f: f["message"]["text"] == "msg B from the patron")
            expect(chat.locator(".lc-log-list").get_by_text("msg B from the patron")).to_be_visible()

            # reload: the panel comes back open, the chat resumes from its token and last seq
            op.barrier()  # (what op has heard so far is done with)
            page.reload()
            chat = page.frame_locator(FRAME)
            assert op.wait("chat.presence", chat_id=chat_id, patron="online")  # the new connection said hello
            op.send(action="send", chat_id=chat_id, text="msg C after the reload", client_msg_id="c")
            expect(chat.get_by_text("msg C after the reload")).to_be_visible()
            assert bubbles(chat) == ["Reload and drop test: local newspapers from 1950?", "msg A from the librarian",
                                     "msg B from the patron", "msg C after the reload"]
            expect(chat.get_by_text(f"{LIBRARIAN} joined the chat")).to_have_count(1)
            expect(chat.get_by_text(f"Chatting with {LIBRARIAN}")).to_be_visible()
            snap(page, "widget-07-after-reload")

            # the network drops: offline, and the live socket is cut (the reload's away/offline
            # notices came before the new connection's online one and msg C: out of date)
            op.barrier()
            context.set_offline(True)
            assert drop_patron_connections(svc, chat_id) >= 1
            expect(chat.get_by_role("status").filter(has_text="Reconnecting…")).to_be_visible()
            op.wait("chat.presence", chat_id=chat_id, patron="offline")
            for i in (1, 2):
                op.send(action="send", chat_id=chat_id, text=f"during the drop {i}", client_msg_id=f"d{i}")
            chat.get_by_label("Message").fill("written while offline")
            chat.get_by_label("Message").press("Enter")
            pending = chat.locator(".lc-pending-list li")
            expect(pending).to_have_count(1)
            expect(pending).to_contain_text("written while offline")
            expect(pending).to_contain_text("Sending…")
            snap(page, "widget-08-reconnecting")
            # A reload before the service is reachable again keeps the unsent message. The page
            # must load, so the browser goes online, but WebSocket handshakes keep failing:
            # while `blocked` they are refused (closed at once), then let through to the service.
            # (Playwright runs the route handler only inside its own calls: operator waits from
            # here on go through pump_wait, which keeps Playwright turning.)
            # The route also records every frame the page sends once it gets through.
            socket = {"blocked": True}
            sent: list[dict] = []

            def route(ws):
                if socket["blocked"]:
                    ws.close()
                    return
                server = ws.connect_to_server()

                def upstream(message):
                    if isinstance(message, str):
                        sent.append(json.loads(message))
                    server.send(message)

                ws.on_message(upstream)

            context.route_web_socket(re.compile(r"/ws(\?|$)"), route)
            context.set_offline(False)
            page.reload()
            chat = page.frame_locator(FRAME)
            expect(chat.locator(".lc-pending-list li")).to_contain_text("written while offline")
            expect(chat.locator(".lc-pending-list li")).to_contain_text("Sending…")
            expect(chat.get_by_role("status").filter(has_text="Reconnecting…")).to_be_visible()
            # nothing of the patron's reached the librarian meanwhile (a barrier on op: whatever
            # the service had sent it has arrived)
            assert not [f for f in op.barrier() if f["type"] == "chat.message" and f["message"]["sender"]["role"] == "patron"]

            # back online: the message goes out once, the missed ones come in once, in order
            socket["blocked"] = False
            context.set_offline(True)  # the browser's `online` event makes the widget retry at once
            context.set_offline(False)
            # (expect keeps Playwright turning, so the route forwards the page's frames)
            expect(chat.locator(".lc-pending-list li")).to_have_count(0)  # stored and echoed
            got = op.wait("chat.message", where=lambda f: f["message"]["text"] == "written while offline")
            assert got["message"]["seq"] == 7
            expect(chat.get_by_role("status").filter(has_text="Reconnecting…")).to_have_count(0)
            expect(chat.locator(".lc-log-list .lc-bubble").last).to_have_text("written while offline")
            assert bubbles(chat) == ["Reload and drop test: local newspapers from 1950?", "msg A from the librarian",
                                     "msg B from the patron", "msg C after the reload", "during the drop 1",
                                     "during the drop 2", "written while offline"]
            # Sent once, under the client_msg_id it was stored with (the outbox survived the
            # reload). It has left the outbox (its echo came back), so it cannot go out again.
            # (A resend with that id would never reach the librarian: the service stores it once
            # and answers only the sender; so it is counted here, on the page's side.)
            sends = [f for f in sent if f.get("action") == "send" and f.get("text") == "written while offline"]
            assert [f["client_msg_id"] for f in sends] == [got["message"]["client_msg_id"]], sends
            snap(page, "widget-09-resumed")
        finally:
            context.set_offline(False)
            end_as_librarian(op, chat_id)
        expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
        assert errors == []


def test_patron_ends_the_chat_first(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        chat, chat_id = start_chat(page, op, "Patron ends first: renewal question")
        try:
            claim(op, chat, chat_id)
            chat.get_by_role("button", name="End chat").click()
            dialog = chat.get_by_role("dialog", name="End this chat?")
            expect(dialog).to_be_visible()
            expect(dialog.get_by_role("button", name="Yes, end chat")).to_be_focused()
            snap(page, "widget-10-confirm-end")
            # Escape (or Keep chatting) cancels; nothing is sent
            page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
            expect(page.get_by_role("button", name=LAUNCHER)).to_have_attribute("aria-expanded", "true")
            # the chat goes on: a message after it reaches the librarian, and (the patron's
            # frames arrive in order) no chat.ended came before it
            chat.get_by_label("Message").fill("Actually, one more thing first.")
            chat.get_by_label("Message").press("Enter")
            op.wait("chat.message", chat_id=chat_id, where=lambda f: f["message"]["text"] == "Actually, one more thing first.")
            assert not [f for f in op.pending if f["type"] == "chat.ended"]
            chat.get_by_role("button", name="End chat").click()
            dialog.get_by_role("button", name="Yes, end chat").click()
            ended = op.wait("chat.ended", chat_id=chat_id)
            assert ended["ended_by"] == "patron"
        finally:
            op.send(action="close", chat_id=chat_id)
            op.wait("chat.closed", chat_id=chat_id)
        expect(chat.get_by_text("You ended the chat")).to_be_visible()
        expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
        # the survey may be skipped; the chat is then forgotten
        chat.get_by_role("button", name="Skip").click()
        expect(chat.get_by_role("heading", name="Thanks for chatting with us")).to_be_visible()
        chat.get_by_role("button", name="Start a new chat").click()
        expect(chat.get_by_label("Your question")).to_be_focused()
        assert errors == []


def test_patron_and_librarian_text_is_never_markup(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        evil_q = '<img src=x onerror=alert(1)> where are the <b>atlases</b>?'
        chat, chat_id = start_chat(page, op, evil_q, name='<script>alert("n")</script>')
        try:
            claim(op, chat, chat_id)
            evil_op = "<img src=x onerror=alert(2)><a href='javascript:alert(3)'>click</a> javascript:alert(4)"
            op.send(action="send", chat_id=chat_id, text=evil_op, client_msg_id="x1")
            log = chat.locator(".lc-log")
            expect(log.get_by_text(evil_op, exact=True)).to_be_visible()
            expect(log.get_by_text(evil_q, exact=True)).to_be_visible()
            assert log.locator("img, script, b").count() == 0
            assert log.locator("a").count() == 0  # javascript: is never a link
            chat.get_by_label("Message").fill("<svg onload=alert(5)>")
            chat.get_by_label("Message").press("Enter")
            expect(log.get_by_text("<svg onload=alert(5)>", exact=True)).to_be_visible()
            assert log.locator("svg").count() == 0
            snap(page, "widget-11-xss")
        finally:
            end_as_librarian(op, chat_id)
        # an injected <img src=x onerror=...> would have failed to load before these did
        failed_image_loads(patron_frame(page), "x")
        assert dialogs == [] and errors == []


# A 1x1 PNG: what a librarian's screenshot looks like to S3.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_a_file_from_the_librarian_opens_from_the_chat(svc, new_context):
    import requests
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        chat, chat_id = start_chat(page, op, "File test: can you send me the floor plan?")
        try:
            claim(op, chat, chat_id)
            # the librarian's paperclip: presigned POST, upload to S3, then send the attachment
            status, upload = svc.request("POST", f"/api/chats/{chat_id}/uploads", token=op.token,
                                         body={"filename": "floor plan.png", "content_type": "image/png", "size": len(PNG)})
            assert status == 200, upload
            stored = requests.post(upload["url"], data=upload["fields"],
                                   files={"file": ("floor plan.png", PNG, "image/png")}, timeout=15)
            assert stored.status_code in (200, 204), stored.text
            op.send(action="send", chat_id=chat_id, client_msg_id="f1", text="Here is the floor plan.",
                    attachment={"key": upload["key"], "name": "floor plan.png", "size": len(PNG),
                                "content_type": "image/png"})
            got = op.wait("chat.message", chat_id=chat_id)
            assert got["message"]["attachment"]["key"] == upload["key"], got
            file_button = chat.get_by_role("button", name=re.compile(r"^Open floor plan\.png"))
            expect(file_button).to_be_visible()
            expect(chat.get_by_text("Here is the floor plan.")).to_be_visible()
            # an image shows as a thumbnail, loaded from a presigned link to the files bucket
            thumb = file_button.get_by_role("img", name="floor plan.png")
            expect(thumb).to_be_visible()
            expect(thumb).to_have_attribute("src", re.compile("^" + re.escape(svc.aws_url)))
            assert thumb.evaluate("(img) => img.naturalWidth") == 1
            snap(page, "widget-17-file")
            with page.expect_response(lambda r: "/files?key=" in r.url) as asked, page.expect_popup() as popup:
                file_button.click()
            assert asked.value.status == 200
            assert asked.value.request.headers["authorization"].startswith("Bearer p")  # the patron's token
            tab = popup.value
            tab.wait_for_url(re.compile(re.escape(svc.aws_url)))
            assert urllib.parse.quote(upload["key"].rsplit("/", 1)[-1]) in tab.url or "floor" in tab.url
            assert tab.evaluate("() => window.opener === null"), "the file's tab cannot reach the chat"
            tab.close()
        finally:
            end_as_librarian(op, chat_id)
        assert errors == []


def test_accessibility_axe(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        assert axe_serious(page) == [], "demo page"
        page.get_by_role("button", name=LAUNCHER).click()
        chat = page.frame_locator(FRAME)
        expect(chat.get_by_label("Your question")).to_be_visible()
        frame = patron_frame(page)
        assert axe_serious(frame) == [], "widget form"
        assert axe_serious(page) == [], "demo page with the panel open"
        # invalid form: errors are announced and tied to their fields
        chat.get_by_label("Email").fill("not-an-email")
        chat.get_by_role("button", name="Start chat").click()
        expect(chat.get_by_label("Your question")).to_be_focused()
        expect(chat.get_by_label("Your question")).to_have_attribute("aria-invalid", "true")
        expect(chat.get_by_text("Please type your question.")).to_be_visible()
        expect(chat.get_by_text("Please check the email address, or leave it blank.")).to_be_visible()
        assert axe_serious(frame) == [], "widget form with errors"
        chat.get_by_label("Email").fill("")

        chat_, chat_id = start_chat(page, op, "Accessibility check question")
        try:
            claim(op, chat, chat_id)
            op.send(action="send", chat_id=chat_id, text="Hello! Let me look.", client_msg_id="h")
            expect(chat.get_by_text("Hello! Let me look.")).to_be_visible()
            op.send(action="typing", chat_id=chat_id, typing=True)
            expect(chat.get_by_text(f"{LIBRARIAN} is typing…")).to_be_visible()
            log = chat.get_by_role("log")
            expect(log).to_have_attribute("aria-live", "polite")
            expect(log).to_contain_text("Hello! Let me look.")
            assert axe_serious(frame) == [], "widget in a chat"
        finally:
            end_as_librarian(op, chat_id)
        expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
        assert axe_serious(frame) == [], "widget survey"
        chat.get_by_role("button", name="Send feedback").click()  # no rating: an error, not a request
        expect(chat.get_by_text("Please choose a rating from 1 to 5.")).to_be_visible()
        assert axe_serious(frame) == [], "widget survey with an error"
        assert errors == []


def test_keyboard_only(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        launcher_focused = "() => document.activeElement?.shadowRoot?.activeElement?.className === 'lc-launcher'"
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate(launcher_focused):
                break
        else:
            raise AssertionError("Tab never reached the launcher")
        page.keyboard.press("Enter")
        chat = page.frame_locator(FRAME)
        expect(chat.get_by_label("Your question")).to_be_focused()
        snap(page, "widget-12-keyboard-open")
        page.keyboard.type("Keyboard only: where are the large-print books?")
        page.keyboard.press("Tab")
        expect(chat.get_by_label("Your name")).to_be_focused()
        page.keyboard.type("Kim")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        expect(chat.get_by_role("button", name="Start chat")).to_be_focused()
        page.keyboard.press("Enter")
        queued = op.wait("chat.queued", where=lambda f: f["chat"]["question"].startswith("Keyboard only"))
        chat_id = queued["chat"]["chat_id"]
        expect(chat.get_by_label("Message")).to_be_focused()
        page.keyboard.press("Escape")
        expect(page.get_by_role("button", name=LAUNCHER)).to_have_attribute("aria-expanded", "false")
        assert page.evaluate(launcher_focused), "focus returns to the launcher"
        # reopen and end the (unclaimed) chat with the keyboard: End chat, then confirm
        page.keyboard.press("Enter")
        expect(chat.get_by_label("Message")).to_be_focused()
        # back through the paperclip (above the text box) and the scrolling conversation
        page.keyboard.press("Shift+Tab")
        expect(chat.get_by_role("button", name="Attach a file")).to_be_focused()
        page.keyboard.press("Shift+Tab")
        expect(chat.get_by_role("main", name="Conversation")).to_be_focused()
        page.keyboard.press("Shift+Tab")
        expect(chat.get_by_role("button", name="Minimize chat")).to_be_focused()
        page.keyboard.press("Shift+Tab")
        expect(chat.get_by_role("button", name="End chat")).to_be_focused()
        page.keyboard.press("Enter")
        expect(chat.get_by_role("button", name="Yes, end chat")).to_be_focused()
        page.keyboard.press("Enter")
        # nobody had joined: no survey, a clear way to start again
        expect(chat.get_by_role("heading", name="You left the queue")).to_be_focused()
        assert op.wait("chat.ended", chat_id=chat_id)["ended_by"] == "patron"
        assert errors == []


def test_phone_sized_screen(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context, viewport={"width": 360, "height": 640},
                                          is_mobile=True, has_touch=True, device_scale_factor=2)
        page.get_by_role("button", name=LAUNCHER).click()
        chat = page.frame_locator(FRAME)
        expect(chat.get_by_label("Your question")).to_be_visible()
        box = page.locator(FRAME).bounding_box()
        assert box["width"] == pytest.approx(360, abs=1) and box["height"] == pytest.approx(640, abs=1), box  # full screen
        snap(page, "widget-13-phone-form")
        chat_, chat_id = start_chat(page, op, "Phone test: can I renew my books from my phone?")
        try:
            claim(op, chat, chat_id)
            op.send(action="send", chat_id=chat_id, client_msg_id="p1",
                    text="Yes! Sign in at https://catalog.library.example/account/renewals-and-holds-long-path and choose Renew all.")
            expect(chat.get_by_text("Yes! Sign in at")).to_be_visible()
            draft = chat.get_by_label("Message")
            expect(draft).to_be_in_viewport()
            expect(chat.get_by_role("button", name="Send")).to_be_in_viewport()
            frame = patron_frame(page)
            sizes = frame.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert sizes[0] <= sizes[1], sizes
            page_sizes = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert page_sizes[0] <= page_sizes[1], page_sizes
            draft.fill("Thanks!")
            draft.press("Enter")
            op.wait("chat.message", where=lambda f: f["message"]["text"] == "Thanks!")
            snap(page, "widget-14-phone-chat")
        finally:
            end_as_librarian(op, chat_id)
        expect(chat.get_by_role("heading", name="How did we do?")).to_be_visible()
        # the minimize button brings back the page and its launcher
        chat.get_by_role("button", name="Minimize chat").click()
        expect(page.get_by_role("button", name=LAUNCHER)).to_be_visible()
        assert errors == []


def test_cross_origin_host_page_in_spanish(svc, new_context):
    """A library site on another origin embeds the widget from the service: postMessage across
    origins, the launcher in the page's language, `lang` on the frame's document."""
    html = f"""<!doctype html><html lang="es"><head><title>Biblioteca</title></head><body>
      <main><h1>Biblioteca de prueba</h1><p>Texto.</p></main>
      <script src="{svc.base_url}/embed.js" async data-lang="es" data-placement="bottom-left"
              data-offline-email="pregunte@biblioteca.example"></script></body></html>"""
    context = new_context()
    page = context.new_page()
    with library_site(html) as host, librarian(svc):
        page.goto(f"{host}/")
        wait_status(svc, online=True)
        launcher = page.get_by_role("button", name=re.compile("^Pregunte a un bibliotecario"))
        launcher.click()
        chat = page.frame_locator("iframe[title='Chat con un bibliotecario']")
        expect(chat.get_by_role("heading", name="¿En qué podemos ayudarle?")).to_be_visible()
        expect(chat.get_by_label("Su pregunta")).to_be_focused()
        frame = patron_frame(page)
        assert frame.evaluate("document.documentElement.lang") == "es"
        assert frame.url.startswith(svc.base_url + "/patron/?")
        assert "origin=" + urllib.parse.quote(host, safe="") in frame.url
        # the host page never sees the chat's storage or token
        assert page.evaluate("() => Object.keys(sessionStorage).every(k => !k.startsWith('libchat:patron'))")
        box = page.locator("iframe").bounding_box()
        assert box["x"] < 100, "bottom-left placement"
        snap(page, "widget-15-cross-origin-es")
        # Escape inside the frame asks the host to close; focus comes back to the launcher
        page.keyboard.press("Escape")
        expect(launcher).to_have_attribute("aria-expanded", "false")
        assert page.evaluate("() => document.activeElement?.shadowRoot?.activeElement?.className") == "lc-launcher"


def test_inline_mode(svc, new_context):
    context = new_context()
    page = context.new_page()
    with librarian(svc):
        wait_status(svc, online=True)
        page.goto(svc.base_url + "/patron/inline-demo.html")
        chat = page.frame_locator(FRAME)
        expect(chat.get_by_label("Your question")).to_be_visible()
        frame_el = page.locator("#chat-here iframe")
        expect(frame_el).to_be_visible()
        expect(page.get_by_role("button", name=LAUNCHER)).to_have_count(0)
        expect(chat.get_by_role("button", name="Minimize chat")).to_have_count(0)
        # the frame takes the height of its content (resize messages)
        inner = patron_frame(page).evaluate("() => Math.ceil(document.querySelector('.lc-app').getBoundingClientRect().height)")
        page.wait_for_function("(h) => Math.abs(document.querySelector('#chat-here iframe').getBoundingClientRect().height - h) <= 2",
                               arg=max(360, inner))
        snap(page, "widget-16-inline")


# --------------------------------------------------------------- patron files

PASTE_SCREENSHOT = """async () => {
    // a screenshot as the clipboard hands it over: a PNG File in the paste event's DataTransfer
    const canvas = document.createElement("canvas");
    canvas.width = 48; canvas.height = 32;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#b3261e"; ctx.fillRect(0, 0, 48, 32);
    ctx.fillStyle = "#24508a"; ctx.fillRect(8, 8, 16, 16);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    const file = new File([blob], "image.png", { type: "image/png" });
    const data = new DataTransfer();
    data.items.add(file);
    const box = document.getElementById("lc-draft");
    box.focus();
    box.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
}"""

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def test_patron_pastes_a_screenshot_and_attaches_a_pdf(svc, new_context):
    import requests
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        chat, chat_id = start_chat(page, op, "Files test: this page shows an error, screenshot follows")
        try:
            claim(op, chat, chat_id)
            frame = patron_frame(page)
            # (a) a pasted screenshot: offered (name, size, thumbnail), then Upload sends it
            png = bytes(frame.evaluate(PASTE_SCREENSHOT))
            offer = chat.get_by_role("region", name="Ready to upload")
            expect(offer.get_by_role("img", name="image.png")).to_be_visible()
            chat.get_by_role("button", name="Upload", exact=True).click()
            got = op.wait("chat.message", chat_id=chat_id, where=lambda f: "attachment" in f["message"])
            attachment = got["message"]["attachment"]
            assert attachment["content_type"] == "image/png", got
            assert attachment["size"] == len(png) and attachment["name"] == "image.png", got
            assert got["message"]["sender"]["role"] == "patron"
            thumb = chat.locator(".lc-log-list").get_by_role("img", name="image.png")
            expect(thumb).to_be_visible()
            expect(thumb).to_have_attribute("src", re.compile("^" + re.escape(svc.aws_url)))
            assert thumb.evaluate("(img) => img.naturalWidth") == 48
            expect(chat.get_by_role("button", name=re.compile(r"^Open image\.png"))).to_be_visible()
            expect(chat.get_by_text("Uploading", exact=False)).to_have_count(0)
            # the librarian opens it with the operator token and gets the very same bytes
            status, link = svc.request("GET", f"/api/chats/{chat_id}/files?key={urllib.parse.quote(attachment['key'])}",
                                       token=op.token)
            assert status == 200, link
            fetched = requests.get(link["url"], timeout=15)
            assert fetched.status_code == 200 and fetched.content == png
            snap(page, "widget-18-pasted-screenshot")
            assert axe_serious(frame) == [], "widget with a thumbnail"

            # (b) the paperclip: a file chooser, a PDF, the draft goes along as its caption
            chat.get_by_label("Message").fill("My call slip")
            with page.expect_file_chooser() as chooser:
                chat.get_by_role("button", name="Attach a file").click()
            chooser.value.set_files(files=[{"name": "call slip.pdf", "mimeType": "application/pdf", "buffer": PDF}])
            expect(chat.get_by_role("button", name="Upload", exact=True)).to_be_focused()
            page.keyboard.press("Enter")
            got = op.wait("chat.message", chat_id=chat_id, where=lambda f: "attachment" in f["message"])
            assert got["message"]["attachment"]["content_type"] == "application/pdf", got
            assert got["message"]["attachment"]["name"] == "call slip.pdf"
            assert got["message"]["attachment"]["size"] == len(PDF)
            assert got["message"]["text"] == "My call slip"
            expect(chat.get_by_role("button", name=re.compile(r"^Open call slip\.pdf"))).to_be_visible()
            expect(chat.get_by_label("Message")).to_have_value("")
            expect(chat.locator(".lc-log-list img")).to_have_count(1)  # a PDF is a chip, not a thumbnail
        finally:
            end_as_librarian(op, chat_id)
        assert errors == []


def test_a_file_too_large_or_of_a_refused_type_is_not_sent(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        uploads: list[str] = []
        page.on("request", lambda r: ("/uploads" in r.url or r.url.startswith(svc.aws_url)) and uploads.append(r.url))
        chat, chat_id = start_chat(page, op, "Files test: refused files")
        try:
            claim(op, chat, chat_id)
            frame = patron_frame(page)
            # over the 10 MB limit (dropped on the composer): refused before any upload
            frame.evaluate("""() => {
                const file = new File([new Uint8Array(10 * 1024 * 1024 + 1)], "huge scan.pdf", { type: "application/pdf" });
                const data = new DataTransfer();
                data.items.add(file);
                const composer = document.querySelector(".lc-composer");
                composer.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
            }""")
            expect(chat.get_by_role("alert").filter(has_text="too large")).to_have_text(
                "That file is too large to send. Files can be up to 10 MB.")
            # a type that is not on the list (the paperclip's chooser)
            with page.expect_file_chooser() as chooser:
                chat.get_by_role("button", name="Attach a file").click()
            chooser.value.set_files(files=[{"name": "page.html", "mimeType": "text/html", "buffer": b"<p>hi</p>"}])
            expect(chat.get_by_role("alert").filter(has_text="type of file")).to_contain_text(
                "You can send images (PNG, JPEG, GIF or WebP), PDF")
            expect(chat.locator(".lc-log-list .lc-file")).to_have_count(0)
            # and the chat still works: the next message the librarian gets is this one (the
            # patron's frames arrive in order), so neither file was sent
            chat.get_by_label("Message").fill("Never mind, here is the title instead.")
            chat.get_by_label("Message").press("Enter")
            got = op.wait("chat.message", chat_id=chat_id)
            assert (got["message"]["text"], got["message"].get("attachment")) == ("Never mind, here is the title instead.", None)
            assert [f for f in op.pending if f["type"] == "chat.message"] == []
            assert uploads == []  # nor uploaded: the page asked for no upload slot and posted nothing to S3
            expect(chat.get_by_role("alert").filter(has_text="type of file")).to_have_count(0)
        finally:
            end_as_librarian(op, chat_id)
        assert errors == []
