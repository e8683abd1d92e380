"""Supervisors on moto through the real Chalice handlers (docs/supervision.md): the requests
botocore actually sends for looking in, the live view and a take-over (no Scan, and the live
chat budgets unchanged by a third delivery list), the pushes moto's management API received,
and the observer list and the connection row as DynamoDB holds them."""
from __future__ import annotations

import boto3
import pytest

from tests.harness import Flow, claimed_chat, posted_frames
from tests.test_tickets import rest

REGION = "us-east-1"


@pytest.fixture
def sflow(aws, ws_event):
    aws.add_operator("ann", "Ann Archivist")
    aws.add_operator("sue", "Sue Supervisor", role="supervisor")
    return Flow(aws, ws_event)


def item(table_suffix: str, key: dict) -> dict:
    ddb = boto3.client("dynamodb", region_name=REGION)
    (name,) = [t for t in ddb.list_tables()["TableNames"] if t.endswith(table_suffix)]
    return ddb.get_item(TableName=name, Key=key, ConsistentRead=True).get("Item", {})


def test_a_supervisor_looks_in_ends_no_budget_and_takes_over(sflow, botocore_requests):
    chat_id, patron, _ = claimed_chat(sflow)  # ann on opconn1=, the patron on patconn1=
    sue = sflow.aws.token("sue")
    assert sflow.connect("supconn1=", sue)["statusCode"] == 200
    sflow.frame("supconn1=", action="hello")
    botocore_requests.clear()
    sflow.frame("supconn1=", action="observe", chat_id=chat_id)
    # the connection, the operator, the chat; onto the observer list; the row names the chat; the backlog
    assert botocore_requests.ops() == ["GetItem", "GetItem", "GetItem", "UpdateItem", "UpdateItem", "Query"]
    assert item("-chats", {"chat_id": {"S": chat_id}})["observer_conns"] == {"SS": ["supconn1="]}
    assert item("-connections", {"connection_id": {"S": "supconn1="}})["observing"] == {"SS": [chat_id]}
    mine = posted_frames("supconn1=")
    observing = next(f for f in mine if f["type"] == "observing")
    assert observing["chat"]["operator"]["id"] == "ann"
    assert [f["message"]["text"] for f in mine if f["type"] == "chat.message"] == ["Where is the map room?"]
    assert {"type": "chat.observed", "chat_id": chat_id, "observed": True} in posted_frames("patconn1=")
    told = [f for f in posted_frames("opconn1=") if f["type"] == "chat.observed"]
    assert told[0]["supervisor"] == {"id": "sue", "name": "Sue Supervisor"}

    # a patron's send with an observer: still one GetItem and one transaction, three posts
    botocore_requests.clear()
    sflow.frame("patconn1=", action="send", chat_id=chat_id, text="Is it upstairs?", client_msg_id="m1")
    assert botocore_requests.ops() == ["GetItem", "TransactWriteItems"]
    assert sorted(botocore_requests.posts()) == ["opconn1%3D", "patconn1%3D", "supconn1%3D"]
    assert any(f.get("message", {}).get("text") == "Is it upstairs?" for f in posted_frames("supconn1="))

    # the live view: no Scan, a fixed number of requests however many desks
    botocore_requests.clear()
    status, view = rest(sflow, "get", "/supervision", sue)
    assert status == 200, view
    assert "Scan" not in botocore_requests.ops() and len(botocore_requests.ops()) <= 5
    (chat,) = view["chats"]
    assert (chat["chat_id"], chat["observers"], chat["operator"]["id"]) == (chat_id, 1, "ann")
    assert rest(sflow, "get", "/supervision", sflow.aws.token("ann"))[0] == 403

    # take over: the supervisor holds it, the old pane is told, the patron sees who helps now
    botocore_requests.clear()
    sflow.frame("supconn1=", action="take_over", chat_id=chat_id)
    assert "TransactWriteItems" in botocore_requests.ops() and "Scan" not in botocore_requests.ops()
    stored = item("-chats", {"chat_id": {"S": chat_id}})
    assert stored["operator_id"] == {"S": "sue"} and "observer_conns" not in stored
    assert stored["operator_conns"] == {"SS": ["supconn1="]}
    assert "observing" not in item("-connections", {"connection_id": {"S": "supconn1="}})
    moved = [f for f in posted_frames("opconn1=") if f["type"] == "chat.transferred"]
    assert moved[-1]["taken_over"] is True and moved[-1]["to"]["id"] == "sue"
    claimed = [f for f in posted_frames("patconn1=") if f["type"] == "chat.claimed"]
    assert claimed[-1]["operator"] == {"id": "sue", "name": "Sue Supervisor"}
    sflow.frame("supconn1=", action="send", chat_id=chat_id, text="Sue here: yes, second floor.", client_msg_id="s1")
    assert any(f.get("message", {}).get("text", "").startswith("Sue here") for f in posted_frames("patconn1="))
    operators = {o: item("-operators", {"operator_id": {"S": o}}) for o in ("ann", "sue")}
    assert (operators["ann"]["active_chats"], operators["sue"]["active_chats"]) == ({"N": "0"}, {"N": "1"})


def test_an_observer_that_disconnects_leaves_the_list_and_the_patron_is_told(sflow):
    chat_id, _, _ = claimed_chat(sflow)
    assert sflow.connect("supconn1=", sflow.aws.token("sue"))["statusCode"] == 200
    sflow.frame("supconn1=", action="hello")
    sflow.frame("supconn1=", action="observe", chat_id=chat_id)
    sflow.disconnect("supconn1=")
    assert "observer_conns" not in item("-chats", {"chat_id": {"S": chat_id}})
    told = [f["observed"] for f in posted_frames("patconn1=") if f["type"] == "chat.observed"]
    assert told == [True, False]
    sflow.frame("patconn1=", action="send", chat_id=chat_id, text="still fine", client_msg_id="m2")
    assert any(f.get("message", {}).get("text") == "still fine" for f in posted_frames("opconn1="))
    assert not [f for f in posted_frames("patconn1=") if f["type"] == "error"]
