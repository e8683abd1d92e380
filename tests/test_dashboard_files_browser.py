"""Sending files in the manual's words (issue 9): "click on the paperclip icon above the text
box", then "choose the file you'd like to share and click Upload". Choosing shows the file (name,
size, a thumbnail for an image) with Upload and Cancel; only Upload sends. Cancel sends nothing:
no upload request, and the patron's next message from the librarian is the text that follows.

Real chromium, the session's local service, the patron as a real WebSocket client that receives
the chat.message with the attachment (and fetches the very bytes through its own link).
"""
from __future__ import annotations

import re
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser import axe_serious, shot
from tests.test_dashboard_browser import PNG_BYTES, claim, dashboard, no_page_errors, patrons  # noqa: F401

pytestmark = pytest.mark.timeout(120)


def uploads_seen(page) -> list[str]:
    """Every upload request the page makes from now on (the presigned-POST slot and S3)."""
    seen: list[str] = []
    page.on("request", lambda r: r.method == "POST" and ("/uploads" in r.url or "/api/" not in r.url)
            and seen.append(r.url))
    return seen


def choose(page, p, files):
    """The paperclip above the text box opens the file chooser; the librarian picks `files`."""
    with page.expect_file_chooser() as chooser:
        p.get_by_role("button", name="Attach a file").click()
    chooser.value.set_files(files=files)


def test_the_paperclip_is_an_icon_above_the_text_box(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    pat = patrons("Can you send me a floor plan?", name="Pia")
    p = claim(page, pat)
    clip = p.get_by_role("button", name="Attach a file")
    expect(clip).to_be_visible()
    expect(clip.locator("svg")).to_have_count(1)  # an icon
    expect(clip).to_have_text("Attach a file")  # its name, for screen readers (visually hidden)
    assert clip.bounding_box()["y"] + clip.bounding_box()["height"] <= p.get_by_role("textbox").bounding_box()["y"]
    expect(p.get_by_role("button", name="Upload")).to_have_count(0)  # nothing chosen yet
    no_page_errors(page)


def test_choose_then_cancel_sends_nothing_choose_then_upload_sends(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    seen = uploads_seen(page)
    pat = patrons("Could you send me the map of the second floor?", name="Mar")
    p = claim(page, pat)

    # choose: the file shows with its name, size and a thumbnail; nothing is uploaded
    choose(page, p, [{"name": "second floor.png", "mimeType": "image/png", "buffer": PNG_BYTES}])
    chosen = p.get_by_role("group", name=re.compile("second floor.png"))
    expect(chosen).to_be_visible()
    expect(chosen).to_contain_text("second floor.png")
    expect(chosen).to_contain_text(f"({len(PNG_BYTES)} B)")
    thumb = chosen.get_by_role("img", name="Preview of second floor.png")
    expect(thumb).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 1", arg=thumb.element_handle())
    upload = chosen.get_by_role("button", name="Upload")
    expect(upload).to_be_focused()
    expect(chosen.get_by_role("button", name="Cancel")).to_be_visible()
    shot(page, "dashboard-files-01-chosen")
    assert axe_serious(page) == []

    # Cancel: gone, and nothing was sent. The librarian then writes; that text is the patron's
    # next message from the librarian, so no attachment went before it.
    chosen.get_by_role("button", name="Cancel").click()
    expect(chosen).to_have_count(0)
    box = p.get_by_role("textbox")
    expect(box).to_be_focused()
    box.fill("Here it comes.")
    box.press("Enter")
    first = pat.librarian_message()
    assert first["text"] == "Here it comes." and "attachment" not in first, first
    assert seen == [], seen

    # choose again, then Upload: the patron's real WebSocket gets the message with the file
    choose(page, p, [{"name": "second floor.png", "mimeType": "image/png", "buffer": PNG_BYTES}])
    chosen.get_by_role("button", name="Upload").click()
    got = pat.librarian_message()
    att = got["attachment"]
    assert (att["name"], att["size"], att["content_type"]) == ("second floor.png", len(PNG_BYTES), "image/png")
    status, body = svc.request("GET", f"/api/chats/{pat.chat_id}/files?key={urllib.parse.quote(att['key'])}",
                               token=pat.created["token"])
    assert status == 200, body
    with urllib.request.urlopen(body["url"], timeout=15) as resp:
        assert resp.read() == PNG_BYTES
    expect(chosen).to_have_count(0)  # sent: the tray is empty again
    expect(box).to_be_focused()
    expect(p.get_by_role("img", name="second floor.png", exact=True)).to_be_visible()  # in the log
    assert len(seen) == 2, seen  # the slot, then S3: once
    no_page_errors(page)


def test_a_pasted_screenshot_waits_for_upload_too(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    pat = patrons("The catalogue shows an error", name="Sky")
    p = claim(page, pat)
    box = p.get_by_role("textbox")
    box.evaluate("""(ta, bytes) => {
        const file = new File([new Uint8Array(bytes)], "image.png", {type: "image/png"});
        const data = new DataTransfer();
        data.items.add(file);
        ta.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", list(PNG_BYTES))
    chosen = p.get_by_role("group", name=re.compile("image.png"))
    expect(chosen).to_be_visible()
    chosen.get_by_role("button", name="Upload").click()
    assert pat.librarian_message()["attachment"]["name"] == "image.png"
    no_page_errors(page)


def test_a_file_the_service_would_refuse_is_stopped_at_choosing(new_context, svc, patrons):
    page = dashboard(new_context, svc, "librarian")
    seen = uploads_seen(page)
    pat = patrons("Can you send me the tool?", name="Exe")
    p = claim(page, pat)
    choose(page, p, [{"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}])
    expect(p.get_by_role("alert")).to_contain_text("cannot be sent")
    expect(p.get_by_role("button", name="Upload")).to_have_count(0)
    p.get_by_role("textbox").fill("Sorry, I cannot send programs.")
    p.get_by_role("textbox").press("Enter")
    assert "attachment" not in pat.librarian_message()
    assert seen == []
    no_page_errors(page)
