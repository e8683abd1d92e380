"""Privacy a library sets per desk (docs/privacy.md), on moto through the real handlers: the
desk's retention on every item a chat writes, transcripts deleted after close by the scheduled
purge (items and S3 objects gone, the statistics record kept and identity-free), names and
e-mail stripped at close, the patron's delete-now, the typing preview per desk, the public
privacy page, and bad settings refused with nothing written."""
from __future__ import annotations

import json

import boto3
import pytest

from tests.test_files import fflow, s3, upload  # noqa: F401  (the fixture with a files bucket)
from tests.test_tickets import rest
from tests.harness import posted_frames

REGION = "us-east-1"
SCHEDULED = {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "123456789012", "time": "2026-12-03T00:00:00Z", "region": REGION,
             "resources": [], "detail": {}}


@pytest.fixture
def pflow(fflow, aws):
    aws.add_operator("ada", "Ada Admin", role="admin")
    return fflow


def every_item() -> list[tuple[str, dict]]:
    """(table, item) for every item of every table (Scan is fine in a test)."""
    ddb = boto3.client("dynamodb", region_name=REGION)
    return [(name, item) for name in ddb.list_tables()["TableNames"]
            for page in ddb.get_paginator("scan").paginate(TableName=name) for item in page["Items"]]


def holding(text: str) -> list[str]:
    """The tables with an item that mentions `text` anywhere."""
    return sorted({name.rsplit("-", 1)[-1] for name, item in every_item() if text in json.dumps(item)})


def objects(bucket: str, chat_id: str) -> list[str]:
    return [o["Key"] for o in s3().list_objects_v2(Bucket=bucket, Prefix=f"chats/{chat_id}/").get("Contents", [])]


def a_chat_with_a_file(flow, name="Pat Patron", email="pat@example.org"):
    ann = flow.aws.token("ann")
    assert flow.connect("op1=", ann)["statusCode"] == 200
    flow.frame("op1=", action="hello")
    status, made = flow.post("/chats", {"question": "PRIVATE-QUESTION about my debts", "name": name, "email": email})
    assert status == 201, made
    chat_id, token = made["chat_id"], made["token"]
    assert flow.connect("pat1=", token)["statusCode"] == 200
    flow.frame("pat1=", action="hello", chat_id=chat_id)
    flow.frame("op1=", action="claim", chat_id=chat_id)
    flow.frame("pat1=", action="send", chat_id=chat_id, text="PRIVATE-WORDS", client_msg_id="p1")
    flow.frame("pat1=", action="send", chat_id=chat_id, attachment=upload(flow, chat_id, token))
    flow.frame("op1=", action="send", chat_id=chat_id, text="Here to help.", client_msg_id="o1")
    assert objects(flow.bucket, chat_id)
    return chat_id, token, ann


def test_a_desk_that_deletes_transcripts_after_close_keeps_only_the_statistics(pflow):
    ada = pflow.aws.token("ada")
    assert rest(pflow, "put", "/queues/general", ada,
                {"privacy": {"transcripts": "delete", "delete_after_hours": 2, "strip_identity": True}})[0] == 200
    chat_id, token, ann = a_chat_with_a_file(pflow)
    pflow.frame("op1=", action="end", chat_id=chat_id)
    assert pflow.post(f"/chats/{chat_id}/survey", {"rating": 4, "comment": "PRIVATE-COMMENT"}, token)[0] == 201
    pflow.frame("op1=", action="close", chat_id=chat_id)
    # at close: the name and e-mail are gone at once, the transcript stays until its time
    assert holding("Pat Patron") == [] and holding("pat@example.org") == []
    import app as app_module
    assert app_module.purge_transcripts(SCHEDULED, None) == 0  # two hours to go
    assert "messages" in holding("PRIVATE-WORDS") and objects(pflow.bucket, chat_id)
    from chalicelib.adapters.dynamo.models import ChatModel
    item = ChatModel.get(chat_id)
    assert item.purge == "due" and item.purge_at == pytest.approx(item.closed_at + 7200)
    # the schedule at the time (set the mark back instead of waiting two hours)
    ChatModel(chat_id).update(actions=[ChatModel.purge_at.set(item.closed_at - 1)])
    assert app_module.purge_transcripts(SCHEDULED, None) == 1
    assert holding(chat_id) == ["stats"]  # every item of it, in every table, but the statistics
    for text in ("PRIVATE-QUESTION", "PRIVATE-WORDS", "PRIVATE-COMMENT", "atlas.pdf"):
        assert holding(text) == [], text
    assert objects(pflow.bucket, chat_id) == []
    (stat,) = [item for name, item in every_item() if name.endswith("-stats")]
    assert set(stat) <= {"month", "sk", "r", "f", "rating", "expires_at"} and stat["rating"] == {"N": "4"}
    assert pflow.get(f"/chats/{chat_id}/messages", token)[0] == 404
    assert app_module.purge_transcripts(SCHEDULED, None) == 0  # nothing left to do


def test_a_patron_deletes_their_chat_now_everywhere_but_the_statistics(pflow):
    chat_id, token, ann = a_chat_with_a_file(pflow)
    assert rest(pflow, "delete", f"/chats/{chat_id}", ann)[0] == 403  # only its patron
    other = pflow.post("/chats", {"question": "Another patron"})[1]
    assert rest(pflow, "delete", f"/chats/{chat_id}", other["token"])[0] == 403
    status, body = rest(pflow, "delete", f"/chats/{chat_id}", token)
    assert (status, body) == (200, {"deleted": True})
    ended = [f for f in posted_frames("op1=") if f.get("type") == "chat.ended" and f.get("chat_id") == chat_id]
    assert ended and ended[-1]["ended_by"] == "patron"  # the librarian saw it end
    assert holding(chat_id) == ["stats"] and holding("PRIVATE-WORDS") == [] and holding("Pat Patron") == []
    assert objects(pflow.bucket, chat_id) == []
    assert rest(pflow, "delete", f"/chats/{chat_id}", token) == (200, {"deleted": True})  # again: no error
    pflow.frame("op1=", action="hello")  # the librarian's dashboard no longer lists it
    welcome = [f for f in posted_frames("op1=") if f.get("type") == "welcome"][-1]
    assert chat_id not in [c["chat_id"] for c in welcome.get("mine", [])]


def test_retention_typing_preview_and_the_public_page_follow_the_desk(pflow):
    ada = pflow.aws.token("ada")
    assert rest(pflow, "post", "/queues", ada, {"id": "law", "name": "Law library", "library": "Law"})[0] == 201
    assert rest(pflow, "put", "/queues/law", ada,
                {"privacy": {"retention_days": 7, "typing_preview": False}})[0] == 200
    status, made = pflow.post("/chats", {"question": "Kept a week?", "queue": "law"})
    assert status == 201
    from chalicelib.adapters.dynamo.models import ChatModel, MessageModel
    chat = ChatModel.get(made["chat_id"])
    week = int(chat.expires_at.timestamp()) - int(chat.created_at)
    assert week == 7 * 86400
    (first,) = MessageModel.query(made["chat_id"])
    assert first.expires_at == chat.expires_at
    status, asked = pflow.post("/tickets", {"question": "By mail?", "email": "p@example.org", "queue": "law"})
    assert status == 201
    # the widget knows before the first message whether librarians see drafts
    desks = {d["id"]: d for d in pflow.get("/status")[1]["queues"]}
    assert desks["law"]["typing_preview"] is False and desks["general"]["typing_preview"] is True
    assert pflow.connect("pl=", made["token"])["statusCode"] == 200
    pflow.frame("pl=", action="hello", chat_id=made["chat_id"])
    assert posted_frames("pl=")[0]["typing_preview"] is False
    # the public page: generated from the settings, per library
    status, page = pflow.get("/privacy?library=Law")
    assert status == 200 and [d["id"] for d in page["desks"]] == ["law"]
    assert page["desks"][0]["policy"] == {"retention_days": 7, "transcripts": "keep", "delete_after_hours": 0,
                                          "strip_identity": False, "typing_preview": False,
                                          "observer_notice": True}
    assert page["patron_ip_stored"] is False and page["statistics_days"] == 1095
    assert pflow.get("/privacy?library=Nowhere")[0] == 404
    assert len(pflow.get("/privacy")[1]["desks"]) == 2


@pytest.mark.parametrize("privacy, field", [
    ({"retention_days": 0}, "retention_days"), ({"retention_days": "30"}, "retention_days"),
    ({"transcripts": "shred"}, "transcripts"), ({"delete_after_hours": -1}, "delete_after_hours"),
    ({"strip_identity": "yes"}, "strip_identity"), ({"retain": 3}, "unknown"), ("all", "object")])
def test_bad_privacy_settings_are_refused_and_nothing_is_written(pflow, privacy, field):
    ada = pflow.aws.token("ada")
    status, body = rest(pflow, "put", "/queues/general", ada, {"name": "Renamed", "privacy": privacy})
    assert (status, body["error"]["code"]) == (400, "bad_request")
    assert field in body["error"]["message"]
    (desk,) = [d for d in rest(pflow, "get", "/queues", ada)[1]["queues"] if d["id"] == "general"]
    assert desk["name"] != "Renamed" and desk["privacy"] == {}


def test_files_go_with_a_desks_shorter_retention_not_the_buckets_longer_lifecycle(pflow):
    """The bucket's lifecycle is one period for every desk (RETENTION_DAYS, 30 here); a desk
    that keeps chats 7 days has a chat with a file listed for the purge an hour before its TTL,
    and the purge takes the S3 objects with the items. A desk on the bucket's period: no mark."""
    from chalicelib.adapters.dynamo.models import ChatModel
    import app as app_module
    plain, _, _ = a_chat_with_a_file(pflow, name="Dana")
    assert ChatModel.get(plain).purge is None  # the bucket's lifecycle is the desk's period
    ada = pflow.aws.token("ada")
    assert rest(pflow, "put", "/queues/general", ada, {"privacy": {"retention_days": 7}})[0] == 200
    chat_id, _, _ = a_chat_with_a_file(pflow)
    item = ChatModel.get(chat_id)
    expires = item.expires_at.timestamp()
    assert expires == pytest.approx(item.created_at + 7 * 86400, abs=2)
    assert item.purge == "due" and item.purge_at == pytest.approx(expires - 3600)
    pflow.frame("op1=", action="end", chat_id=chat_id)
    pflow.frame("op1=", action="close", chat_id=chat_id)
    assert ChatModel.get(chat_id).purge_at == pytest.approx(expires - 3600)  # the close kept the mark
    assert app_module.purge_transcripts(SCHEDULED, None) == 0  # a week to go
    ChatModel(chat_id).update(actions=[ChatModel.purge_at.set(item.created_at)])  # the week has passed
    assert app_module.purge_transcripts(SCHEDULED, None) == 1
    assert objects(pflow.bucket, chat_id) == [] and holding(chat_id) == ["stats"]
    assert objects(pflow.bucket, plain)  # the other desk's chat keeps its file


def test_a_desk_that_strips_identity_strips_a_closed_tickets_name_and_address(pflow):
    """strip_identity applies to tickets at their close as to chats: name and address gone
    from every table (the mail log included), the patron's link still opens the thread, and a
    reply after a reopen is kept and says it was not e-mailed."""
    from tests.test_tickets import link_of, sent_mail
    ada, ann = pflow.aws.token("ada"), pflow.aws.token("ann")
    assert rest(pflow, "put", "/queues/general", ada, {"privacy": {"strip_identity": True}})[0] == 200
    status, asked = pflow.post("/tickets", {"question": "Do you hold the 1890s parish maps?", "name": "Quinn Quill",
                                            "email": "quinn@example.org"})
    assert status == 201, asked
    tid = asked["ticket_id"]
    assert rest(pflow, "post", f"/tickets/{tid}/claim", ann)[0] == 200
    assert rest(pflow, "post", f"/tickets/{tid}/replies", ann, {"text": "Yes, in the map room."})[0] == 201
    assert "quinn@example.org" in json.dumps(every_item())  # kept while it is answered
    status, closed = rest(pflow, "post", f"/tickets/{tid}/close", ann, {})
    assert status == 200, closed
    assert holding("quinn@example.org") == [] and holding("Quinn Quill") == []
    assert closed["email"] == "" and closed.get("name") is None
    assert closed["entries"][-1]["text"].startswith("The patron's name and e-mail address were removed")
    link_tid, key = link_of(sent_mail()[-1])
    status, page = pflow.get(f"/public/tickets/{link_tid}", key)
    assert status == 200 and [e["kind"] for e in page["entries"]] == ["question", "reply"]
    mails_before = len(sent_mail())
    assert rest(pflow, "post", f"/tickets/{tid}/reopen", ann)[0] == 200
    assert rest(pflow, "post", f"/tickets/{tid}/claim", ann)[0] == 200
    status, ticket = rest(pflow, "post", f"/tickets/{tid}/replies", ann, {"text": "One more thing: bring ID."})
    assert status == 201, ticket
    assert len(sent_mail()) == mails_before
    assert ticket["entries"][-1]["text"].startswith("Not e-mailed: the patron's address was removed")
    assert pflow.get(f"/public/tickets/{link_tid}", key)[1]["entries"][-1]["text"] == "One more thing: bring ID."
