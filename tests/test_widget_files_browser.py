"""The patron's paperclip as the librarians' manual describes it (issue 9): "the paperclip icon
above the text box", choose a file, then "click Upload". A chosen file is offered first, with
its name, size and (an image) a thumbnail, to Upload or Cancel; only Upload sends it, and the
message with the attachment reaches the librarian's real WebSocket (tests.e2e.Client). Paste and
drop go to the same offer (tests/test_widget_browser.py checks a pasted screenshot end to end).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import axe_serious, patron_frame
from tests.test_widget_browser import claim, end_as_librarian, librarian, open_demo, snap, start_chat

# A 48x32 PNG, made by the browser itself (a canvas), so its bytes are a real image.
PNG_48x32 = """async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 48; canvas.height = 32;
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#24508a"; ctx.fillRect(0, 0, 48, 32);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
}"""


def test_a_chosen_file_waits_for_upload_and_cancel_sends_nothing(svc, new_context):
    with librarian(svc) as op:
        context, page, errors = open_demo(svc, new_context)
        uploads: list[str] = []
        page.on("request", lambda r: ("/uploads" in r.url or r.url.startswith(svc.aws_url)) and uploads.append(r.url))
        chat, chat_id = start_chat(page, op, "Files test: may I send you a photo of the shelf label?")
        try:
            claim(op, chat, chat_id)
            png = bytes(patron_frame(page).evaluate(PNG_48x32))
            paperclip = chat.get_by_role("button", name="Attach a file")
            draft = chat.get_by_label("Message")
            assert paperclip.bounding_box()["y"] + paperclip.bounding_box()["height"] <= draft.bounding_box()["y"], \
                "the paperclip sits above the text box"

            # choose -> the offer: name, size, thumbnail; Cancel -> nothing sent
            with page.expect_file_chooser() as chooser:
                paperclip.click()
            chooser.value.set_files(files=[{"name": "shelf label.png", "mimeType": "image/png", "buffer": png}])
            offer = chat.get_by_role("region", name="Ready to upload")
            expect(offer).to_be_visible()
            expect(offer).to_contain_text("shelf label.png")
            expect(offer.get_by_text(f"{len(png)} B", exact=True)).to_be_visible()  # its size, read naturally
            thumb = offer.get_by_role("img", name="shelf label.png")
            expect(thumb).to_be_visible()
            page.wait_for_function("(img) => img.complete && img.naturalWidth === 48", arg=thumb.element_handle())
            expect(offer.get_by_role("button", name="Upload", exact=True)).to_be_focused()
            snap(page, "widget-files-01-offer")
            assert axe_serious(patron_frame(page)) == [], "a file on offer"
            offer.get_by_role("button", name="Cancel").click()
            expect(offer).to_be_hidden()
            # the next message the librarian hears is this text (the patron's frames arrive in
            # order): the cancelled file was not sent, nor even uploaded
            draft.fill("Never mind, I'll read it out: QA 76.73")
            draft.press("Enter")
            got = op.wait("chat.message", chat_id=chat_id)
            assert (got["message"]["text"], got["message"].get("attachment")) == ("Never mind, I'll read it out: QA 76.73", None)
            assert uploads == []

            # choose -> Upload: the message with the attachment reaches the librarian
            draft.fill("Here it is after all")
            with page.expect_file_chooser() as chooser:
                paperclip.click()
            chooser.value.set_files(files=[{"name": "shelf label.png", "mimeType": "image/png", "buffer": png}])
            offer.get_by_role("button", name="Upload", exact=True).click()
            got = op.wait("chat.message", chat_id=chat_id, where=lambda f: "attachment" in f["message"])
            attachment = got["message"]["attachment"]
            assert (attachment["name"], attachment["content_type"], attachment["size"]) == ("shelf label.png", "image/png", len(png))
            assert got["message"]["text"] == "Here it is after all"
            assert got["message"]["sender"]["role"] == "patron"
            expect(offer).to_be_hidden()
            expect(chat.get_by_role("button", name=re.compile(r"^Open shelf label\.png"))).to_be_visible()
            expect(draft).to_have_value("")
            snap(page, "widget-files-02-uploaded")
        finally:
            end_as_librarian(op, chat_id)
        assert errors == []
