"""Tickets, transcripts, the close form and History (docs/tickets.md) through the real Chalice
handlers on moto: e-mails are read back from moto's SES as the patron would get them, and
"nothing kept" is checked by reading every item of every table."""
from __future__ import annotations

import email
from email.utils import parseaddr
import threading
import urllib.parse

import boto3
import pytest
from email import policy as email_policy

from tests.harness import Flow, posted_frames

REGION = "us-east-1"


@pytest.fixture
def flow(aws, ws_event):
    aws.add_operator("ada", "Ada Admin", role="admin")
    aws.add_operator("ann", "Ann Archivist")
    aws.add_operator("bo", "Bo Binder")
    return Flow(aws, ws_event)


def sent_mail() -> list[dict]:
    """What moto's SES received: subject, text and HTML parts, recipients."""
    from moto.ses.models import ses_backends
    out = []
    for m in ses_backends["123456789012"][REGION].sent_messages:
        raw = getattr(m, "raw_data", None)
        if raw is None:
            continue
        msg = email.message_from_string(raw, policy=email_policy.default)
        out.append({"to": sorted({parseaddr(d)[1] for d in m.destinations}), "subject": str(msg["subject"]),
                    "text": msg.get_body(("plain",)).get_content(),
                    "html": msg.get_body(("html",)).get_content(), "date": msg["date"],
                    "message_id": msg["message-id"]})
    return out


def link_of(mail: dict) -> tuple[str, str]:
    """(ticket id, link token) from the link in a mail's text part."""
    url = next(w for w in mail["text"].split() if "/patron/ticket.html#" in w)
    frag = dict(urllib.parse.parse_qsl(url.split("#", 1)[1]))
    return frag["t"], frag["k"]


def rest(flow, method, path, token, body=None):
    import json
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    resp = getattr(flow.http, method)(path, headers=headers, body=json.dumps(body) if body is not None else None)
    return resp.status_code, json.loads(resp.body)


def every_item_text() -> str:
    """Every attribute of every item of every table, as text (Scan is fine in a test)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    chunks = []
    for name in ddb.list_tables()["TableNames"]:
        for page in ddb.get_paginator("scan").paginate(TableName=name):
            chunks.append(repr(page["Items"]))
    return "\n".join(chunks)


def test_a_question_after_hours_becomes_a_ticket_answered_by_e_mail_with_a_working_link(flow, botocore_requests):
    ann = flow.aws.token("ann")
    # the desk is closed all week: a chat is refused, a ticket is not
    ada = flow.aws.token("ada")
    assert rest(flow, "put", "/queues/general", ada, {"hours": {}})[0] == 200
    status, refused = flow.post("/chats", {"question": "Open now?"})
    assert status == 409, refused
    status, bad = flow.post("/tickets", {"question": "Do you hold 1890s maps?"})
    assert (status, bad["error"]["code"]) == (400, "bad_request")  # the address is required
    status, asked = flow.post("/tickets", {"question": "Do you hold 1890s maps?", "name": "Pat",
                                           "email": "pat@example.org"})
    assert status == 201, asked
    ticket_id = asked["ticket_id"]
    (ack,) = sent_mail()
    assert ack["to"] == ["pat@example.org"] and "We have your question" in ack["subject"]
    assert "Do you hold 1890s maps?" in ack["text"] and "Do you hold 1890s maps?" in ack["html"]
    assert link_of(ack)[0] == ticket_id
    assert ack["date"] and ack["date"].datetime.tzinfo is not None and ack["message_id"]  # RFC 5322 headers

    # the librarian sees it on the desk's Tickets list, claims it and replies: the reply is
    # e-mailed with the link, which opens the patron's page
    status, listed = flow.get("/tickets?queue=general", ann)
    assert [t["ticket_id"] for t in listed["tickets"]] == [ticket_id]
    assert rest(flow, "post", f"/tickets/{ticket_id}/claim", ann)[0] == 200
    status, ticket = rest(flow, "post", f"/tickets/{ticket_id}/replies", ann, {"text": "Yes: the map room, 2nd floor."})
    assert status == 201, ticket
    assert [m["status"] for m in ticket["mail"]] == ["sent", "sent"]
    reply = sent_mail()[-1]
    assert "Ann Archivist answered" in reply["text"] and "the map room, 2nd floor." in reply["html"]
    tid, key = link_of(reply)
    status, page = flow.get(f"/public/tickets/{tid}", key)
    assert status == 200, page
    assert [e["kind"] for e in page["entries"]] == ["question", "reply"]
    assert "email" not in page and "mail" not in page

    # the patron replies from the page; the reply reaches the librarians' ticket
    status, page = flow.post(f"/public/tickets/{tid}/replies", {"text": "Thank you! Are they lent?"}, key)
    assert status == 201, page
    status, ticket = flow.get(f"/tickets/{ticket_id}", ann)
    assert ticket["entries"][-1]["kind"] == "patron" and ticket["entries"][-1]["text"] == "Thank you! Are they lent?"


def test_a_forged_altered_or_expired_link_is_refused(flow, aws):
    status, asked = flow.post("/tickets", {"question": "Maps?", "email": "pat@example.org"})
    tid, key = link_of(sent_mail()[-1])
    _, other = flow.post("/tickets", {"question": "Other", "email": "eve@example.org"})
    prefix, payload, sig = key.split(".")
    forged = [f"{prefix}.{payload}.{'A' * len(sig)}", key[:-2], "", "p1.x.y"]
    for token in forged:
        status, body = flow.get(f"/public/tickets/{tid}", token)
        assert (status, body["error"]["code"]) == (401, "unauthorized"), token
    # a good link names one ticket only
    status, body = flow.get(f"/public/tickets/{other['ticket_id']}", key)
    assert status == 401
    # the link expires with the ticket's retention
    from chalicelib import wiring
    from chalicelib.domain.tokens import sign_ticket_link
    expired = sign_ticket_link(wiring.settings().patron_token_secret, tid, 1_000_000)
    assert flow.get(f"/public/tickets/{tid}", expired)[0] == 401
    assert flow.post(f"/public/tickets/{tid}/replies", {"text": "hi"}, expired)[0] == 401


def test_an_unclaimed_chat_is_offered_as_a_ticket_which_carries_the_conversation(flow):
    import app as app_module
    from chalicelib.adapters.dynamo.models import ChatModel
    status, created = flow.post("/chats", {"question": "Is the archive open Sunday?", "name": "Pat"})
    chat_id, token = created["chat_id"], created["token"]
    assert flow.connect("pat1=", token)["statusCode"] == 200
    flow.frame("pat1=", action="hello", chat_id=chat_id)
    flow.frame("pat1=", action="send", chat_id=chat_id, text="Or Saturday?", client_msg_id="m1")
    scheduled = {"version": "0", "id": "e0", "detail-type": "Scheduled Event", "source": "aws.events",
                 "account": "123456789012", "time": "2026-12-02T06:00:00Z", "region": REGION,
                 "resources": [], "detail": {}}
    assert app_module.remind_unclaimed(scheduled, None)["ticket_offers"] == 0  # not waited yet
    # it was asked TICKET_OFFER_SECONDS (120 by default) ago
    item = ChatModel.get(chat_id)
    item.update(actions=[ChatModel.created_at.set(item.created_at - 121)])
    event = {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "123456789012", "time": "2026-12-02T06:00:00Z", "region": REGION,
             "resources": [], "detail": {}}
    assert app_module.remind_unclaimed(event, None)["ticket_offers"] == 1
    assert app_module.remind_unclaimed(event, None)["ticket_offers"] == 0  # once
    offers = [f for f in posted_frames("pat1=") if f["type"] == "chat.ticket_offer"]
    assert len(offers) == 1 and offers[0]["chat_id"] == chat_id
    # a reloaded widget learns of the offer from its welcome (the frame is not sent again)
    assert flow.connect("pat2=", token)["statusCode"] == 200
    flow.frame("pat2=", action="hello", chat_id=chat_id)
    (welcome,) = [f for f in posted_frames("pat2=") if f["type"] == "welcome"]
    assert welcome["chat"]["ticket_offered"] is True
    status, made = flow.post(f"/chats/{chat_id}/ticket", {"email": "pat@example.org"}, token)
    assert status == 201, made
    ended = [f for f in posted_frames("pat1=") if f["type"] == "chat.ended"]
    assert ended and ended[-1]["reason"] == "ticket"
    ann = flow.aws.token("ann")
    status, ticket = flow.get(f"/tickets/{made['ticket_id']}", ann)
    assert [(e["kind"], e["text"]) for e in ticket["entries"] if e["kind"] == "chat"] == [
        ("chat", "Is the archive open Sunday?"), ("chat", "Or Saturday?")]
    assert ticket["chat_id"] == chat_id and ticket["email"] == "pat@example.org"
    # asking again answers the same ticket
    assert flow.post(f"/chats/{chat_id}/ticket", {"email": "pat@example.org"}, token)[1]["ticket_id"] == made["ticket_id"]
    # another chat's token cannot make a ticket of this one
    _, other = flow.post("/chats", {"question": "x"})
    assert flow.post(f"/chats/{chat_id}/ticket", {"email": "e@example.org"}, other["token"])[0] == 403


def test_two_librarians_claim_one_ticket_and_exactly_one_wins(flow):
    _, asked = flow.post("/tickets", {"question": "Race?", "email": "pat@example.org"})
    tid = asked["ticket_id"]
    tokens = {"ann": flow.aws.token("ann"), "bo": flow.aws.token("bo")}
    results: dict[str, tuple] = {}
    barrier = threading.Barrier(2)

    def claim(who: str) -> None:
        from chalicelib import wiring
        operator = wiring.services().access.operator(tokens[who])
        barrier.wait()
        try:
            results[who] = ("ok", wiring.services().tickets.claim(operator, tid)["operator"]["id"])
        except Exception as err:  # the loser's ServiceError
            results[who] = ("refused", getattr(err, "code", repr(err)))

    threads = [threading.Thread(target=claim, args=(w,)) for w in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcomes = sorted(results.values())
    assert outcomes[0][0] == "ok" and outcomes[1] == ("refused", "conflict"), results
    winner = outcomes[0][1]
    loser = "bo" if winner == "ann" else "ann"
    status, body = rest(flow, "post", f"/tickets/{tid}/claim", tokens[loser])
    assert (status, body["error"]["code"]) == (409, "conflict")
    assert rest(flow, "post", f"/tickets/{tid}/replies", tokens[loser], {"text": "me too"})[0] == 409


def test_a_failed_or_bounced_e_mail_shows_on_the_ticket(flow):
    # an address SES refuses: the ticket is still made, and the failure is on it
    status, asked = flow.post("/tickets", {"question": "Bounce?", "email": "pat@example.org"})
    ann = flow.aws.token("ann")
    import app as app_module
    from chalicelib import wiring
    ticket = wiring.repositories().tickets.get(asked["ticket_id"])
    message_id = ticket.mail[0]["message_id"]
    notification = {"notificationType": "Bounce", "mail": {"messageId": message_id},
                    "bounce": {"bounceType": "Permanent", "bouncedRecipients": [
                        {"emailAddress": "pat@example.org", "diagnosticCode": "smtp; 550 user unknown"}]}}
    import json
    sns_event = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": "arn:x",
                              "Sns": {"Type": "Notification", "MessageId": "m", "TopicArn": "arn:aws:sns:us-east-1:123456789012:t",
                                      "Subject": None, "Message": json.dumps(notification), "Timestamp": "2026-12-02T00:00:00.000Z",
                                      "SignatureVersion": "1", "Signature": "", "SigningCertUrl": "", "UnsubscribeUrl": "",
                                      "MessageAttributes": {}}}]}
    app_module.mail_events(sns_event, None)
    status, seen = flow.get(f"/tickets/{asked['ticket_id']}", ann)
    assert seen["mail"][0]["status"] == "bounced" and "550 user unknown" in seen["mail"][0]["detail"]
    assert "bounced" in seen["entries"][-1]["text"]
    # a send SES refuses outright (here: an unverified sender) is recorded as failed
    wiring.services().tickets.mailer.sender = "nobody@unverified.example"
    status, asked = flow.post("/tickets", {"question": "Refused?", "email": "pat@example.org"})
    assert status == 201, asked
    status, seen = flow.get(f"/tickets/{asked['ticket_id']}", ann)
    assert seen["mail"][0]["status"] == "failed" and "MessageRejected" in seen["mail"][0]["detail"]


def test_a_transcript_is_e_mailed_and_the_address_is_kept_nowhere(flow):
    from tests.harness import claimed_chat
    chat_id, patron, op = claimed_chat(flow)
    flow.frame("opconn1=", action="send", chat_id=chat_id, text="Second floor, past the atlases.", client_msg_id="o1")
    status, body = flow.post(f"/chats/{chat_id}/transcript", {"email": "once@example.org"}, patron)
    assert (status, body) == (202, {"sent": True})
    (mail,) = sent_mail()
    assert mail["to"] == ["once@example.org"]
    assert "Where is the map room?" in mail["text"] and "Second floor, past the atlases." in mail["html"]
    assert "once@example.org" not in every_item_text()
    assert flow.post(f"/chats/{chat_id}/transcript", {"email": "not-an-address"}, patron)[0] == 400


def test_the_close_form_is_stored_its_note_never_reaches_the_patron_and_history_finds_it(flow, botocore_requests):
    from tests.harness import claimed_chat
    ada, ann = flow.aws.token("ada"), flow.aws.token("ann")
    assert rest(flow, "put", "/tags", ada, {"tags": ["maps", "local history"], "question_types": ["directional", "research"]})[0] == 200
    chat_id, patron, _ = claimed_chat(flow)
    status, body = rest(flow, "put", f"/chats/{chat_id}/record", ann, {"read": 2})
    assert (status, body["error"]["code"]) == (409, "invalid_state")  # not ended yet
    flow.frame("opconn1=", action="end", chat_id=chat_id)
    status, body = rest(flow, "put", f"/chats/{chat_id}/record", ann, {"read": 7})
    assert (status, body["error"]["code"]) == (400, "bad_request")
    assert rest(flow, "put", f"/chats/{chat_id}/record", ann, {"tags": ["nope"]})[0] == 400
    record = {"question_type": "directional", "read": 2, "tags": ["maps"], "note": "SECRET-NOTE-7 regular patron"}
    assert rest(flow, "put", f"/chats/{chat_id}/record", ann, record)[0] == 200
    assert rest(flow, "put", f"/chats/{chat_id}/record", flow.aws.token("bo"), record)[0] == 403
    flow.frame("opconn1=", action="close", chat_id=chat_id)
    # the patron's history and transcript carry no note
    status, history = flow.get(f"/chats/{chat_id}/messages", patron)
    assert status == 200 and "SECRET-NOTE-7" not in repr(history)
    assert flow.post(f"/chats/{chat_id}/transcript", {"email": "p@example.org"}, patron)[0] == 202
    assert "SECRET-NOTE-7" not in repr(sent_mail())
    # History: found by tag, by words, by librarian; not by another tag; one Query per desk-day
    botocore_requests.clear()
    status, found = flow.get("/history?tag=maps", ann)
    assert [i["id"] for i in found["items"]] == [chat_id] and found["items"][0]["read"] == 2
    assert not [r for r in botocore_requests.ops() if r == "Scan"]
    assert [i["id"] for i in flow.get("/history?q=MAP%20room", ann)[1]["items"]] == [chat_id]
    assert flow.get("/history?q=atlases", ann)[1]["items"] == []
    assert flow.get("/history?tag=local%20history", ann)[1]["items"] == []
    assert [i["id"] for i in flow.get("/history?operator=ann", ann)[1]["items"]] == [chat_id]
    assert "SECRET-NOTE-7" not in repr(found)
    # History's Edit record starts from GET .../record, the note included: the chat's GetItem
    # after the operator's (every token use reads the account)
    botocore_requests.clear()
    status, got = rest(flow, "get", f"/chats/{chat_id}/record", ann)
    assert status == 200 and got["record"]["note"] == "SECRET-NOTE-7 regular patron"
    assert botocore_requests.ops() == ["GetItem", "GetItem"]
    assert rest(flow, "get", f"/chats/{chat_id}/record", patron)[0] in (401, 403)
    # an edit after close rewrites the History entry; a body without "note" keeps the note
    edit = {k: v for k, v in record.items() if k != "note"}
    assert rest(flow, "put", f"/chats/{chat_id}/record", ann, {**edit, "tags": ["local history"]})[0] == 200
    assert rest(flow, "get", f"/chats/{chat_id}/record", ann)[1]["record"]["note"] == "SECRET-NOTE-7 regular patron"
    assert [i["id"] for i in flow.get("/history?tag=local%20history", ann)[1]["items"]] == [chat_id]
    assert flow.get("/history?from=2020-01-01&to=2021-01-01", ann)[0] == 400  # more than 92 days
    # "" clears it
    assert rest(flow, "put", f"/chats/{chat_id}/record", ann, {**edit, "note": ""})[0] == 200
    assert "note" not in rest(flow, "get", f"/chats/{chat_id}/record", ann)[1]["record"]


def test_history_pages_through_many_closed_tickets_without_scan(flow, botocore_requests):
    from chalicelib import wiring
    ann = flow.aws.token("ann")
    ids = []
    for i in range(30):
        _, asked = flow.post("/tickets", {"question": f"Question number {i}", "email": "p@example.org"})
        assert rest(flow, "post", f"/tickets/{asked['ticket_id']}/claim", ann)[0] == 200
        assert rest(flow, "post", f"/tickets/{asked['ticket_id']}/close", ann, {})[0] == 200
        ids.append(asked["ticket_id"])
    botocore_requests.clear()
    status, first = flow.get("/history", ann)
    assert status == 200 and len(first["items"]) == 25 and first["cursor"]
    status, second = flow.get(f"/history?cursor={urllib.parse.quote(first['cursor'])}", ann)
    got = [i["id"] for i in first["items"] + second["items"]]
    assert sorted(got) == sorted(ids) and len(set(got)) == 30
    assert got == list(reversed(ids))  # newest first
    ops = botocore_requests.ops()
    assert "Scan" not in ops and set(ops) <= {"Query", "GetItem"}
    assert flow.get("/history?cursor=garbage", ann)[0] == 400
    # a reopened ticket leaves History until it is closed again
    assert rest(flow, "post", f"/tickets/{ids[0]}/reopen", ann)[0] == 200
    remaining = [i["id"] for i in flow.get("/history", ann)[1]["items"]]
    remaining += [i["id"] for i in flow.get(f"/history?cursor={urllib.parse.quote(flow.get('/history', ann)[1]['cursor'])}", ann)[1]["items"]]
    assert ids[0] not in remaining and len(remaining) == 29
    assert wiring.repositories().tickets.get(ids[0]).status == "open"


def test_a_librarian_sees_only_their_desks_tickets_and_history(flow):
    from chalicelib import wiring
    ada = flow.aws.token("ada")
    assert rest(flow, "post", "/queues", ada, {"id": "law", "name": "Law library"})[0] == 201
    repos = wiring.repositories()
    repos.operators.update("bo", queues={"law"})
    bo = flow.aws.token("bo")
    _, asked = flow.post("/tickets", {"question": "General desk question", "email": "p@example.org"})
    assert flow.get(f"/tickets/{asked['ticket_id']}", flow.aws.token("ann"))[1]["queue"] == "general"
    assert rest(flow, "get", "/tickets?queue=general", bo)[0] == 403
    assert rest(flow, "get", f"/tickets/{asked['ticket_id']}", bo)[0] == 403
    assert rest(flow, "post", f"/tickets/{asked['ticket_id']}/claim", bo)[0] == 403
    assert rest(flow, "get", "/history?queue=general", bo)[0] == 403
    assert rest(flow, "get", "/tickets?queue=law", bo)[0] == 200
