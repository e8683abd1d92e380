"""The local runner's mailbox page (local/mailbox.py): what the service sent through the
embedded SES, as the patron gets it, with the ticket link followable."""
from __future__ import annotations

import re
import urllib.request
import uuid


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_a_ticket_acknowledgement_shows_on_the_mailbox_page_with_its_link(svc):
    to = f"pat-{uuid.uuid4().hex[:6]}@example.org"
    status, body = svc.request("POST", "/api/tickets", {"question": "Do you hold <b>maps</b>?", "email": to})
    assert status == 201, body
    status, listing = _get(f"{svc.base_url}/mailbox/")
    assert status == 200 and to in listing and "We have your question" in listing
    n = max(int(m) for m in re.findall(r'href="/mailbox/(\d+)"', listing))
    status, page = _get(f"{svc.base_url}/mailbox/{n}")
    assert status == 200 and "Text part" in page and "HTML part" in page
    assert "<b>maps</b>" not in page  # the patron's text is escaped, in both parts
    link = re.search(r'href="(http[^"]*/patron/ticket\.html#t=[^"]+)"', page).group(1).replace("&amp;", "&")
    ticket_id, key = re.search(r"#t=([^&]+)&k=(.+)$", link).groups()
    assert ticket_id == body["ticket_id"]
    req = urllib.request.Request(f"{svc.base_url}/api/public/tickets/{ticket_id}",
                                 headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(req, timeout=15) as resp:
        assert resp.status == 200
    assert _get(f"{svc.base_url}/mailbox/99999")[0] == 404
