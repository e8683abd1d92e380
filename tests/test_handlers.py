"""The Chalice handlers on moto: AWS-shaped events in, real boto3/PynamoDB calls out.

These tests also hold the DynamoDB budgets of DESIGN.md, counted from the HTTP requests
botocore actually sends (tests/conftest.py `botocore_requests`).
"""
from __future__ import annotations

import json

import pytest
from tests.harness import Flow, claimed_chat, posted_frames  # noqa: F401

OPS_WRITE = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


@pytest.fixture
def flow(aws, ws_event):
    aws.add_operator("ann", "Ann Archivist")
    return Flow(aws, ws_event)


def test_rest_routes_speak_the_protocol(flow):
    assert flow.get("/health") == (200, {"ok": True})
    status, body = flow.get("/status")
    assert status == 200 and body["online"] is False and body["queues"][0]["id"] == "general"
    status, body = flow.post("/chats", {"question": ""})
    assert status == 400 and body["error"]["code"] == "bad_request"
    status, body = flow.post("/chats", {"question": "x" * 4001})
    assert status == 413 and body["error"]["code"] == "too_large"
    resp = flow.http.post("/chats", body="{nope", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and json.loads(resp.body)["error"]["code"] == "bad_request"
    status, created = flow.post("/chats", {"question": "Hours on Sunday?"})
    assert status == 201 and set(created) == {"chat_id", "token", "ws_url"}
    assert created["ws_url"] == "wss://example.test/dev"
    status, body = flow.get(f"/chats/{created['chat_id']}/messages?after=0", created["token"])
    assert status == 200 and [m["seq"] for m in body["messages"]] == [1]
    status, body = flow.get(f"/chats/{created['chat_id']}/messages")
    assert status == 401 and body["error"]["code"] == "unauthorized"


def test_login_with_cognito_and_token_checks(flow):
    status, body = flow.post("/auth/login", {"username": "ann", "password": "Correct-Horse-Battery-1"})
    assert status == 200
    assert body["operator"] == {"id": "ann", "name": "Ann Archivist", "role": "librarian",
                                "max_chats": 3, "availability": "available", "queues": None}
    assert body["expires_at"].endswith("Z")
    _, created = flow.post("/chats", {"question": "Q"})
    status, msgs = flow.get(f"/chats/{created['chat_id']}/messages", body["token"])
    assert status == 200 and msgs["messages"][0]["text"] == "Q"
    status, err = flow.post("/auth/login", {"username": "ann", "password": "wrong-password-1"})
    assert status == 401 and err["error"]["code"] == "unauthorized"
    status, err = flow.post("/auth/login", {"username": "ann"})
    assert status == 400


def test_connect_refuses_bad_tokens_at_the_handshake(flow):
    good = flow.aws.token("ann")
    header, payload, sig = good.split(".")
    forged = f"{header}.{payload}.{sig[:-4]}AAAA"
    assert flow.connect("c1=", None)["statusCode"] == 401
    assert flow.connect("c2=", "not-a-token")["statusCode"] == 401
    assert flow.connect("c3=", forged)["statusCode"] == 401
    assert flow.connect("c4=", "p1.eyJjIjoieCIsImV4cCI6MX0.AAAA")["statusCode"] == 401
    assert flow.connect("c5=", good)["statusCode"] == 200


def pool_signed(claims: dict) -> str:
    """A token signed with the user pool's own key (moto's), claims of our choosing."""
    from joserfc import jwk, jwt
    from moto.utilities.utils import load_resource
    key = jwk.RSAKey.import_key(load_resource("cognitoidp/resources/jwks-private.json"))
    return jwt.encode({"kid": "dummy", "alg": "RS256"}, claims, key)


def test_operator_tokens_must_be_current_and_ours(flow):
    import time
    now = int(time.time())
    base = {"iss": f"https://cognito-idp.us-east-1.amazonaws.com/{flow.aws.pool}",
            "token_use": "access", "client_id": flow.aws.client_id, "username": "ann",
            "exp": now + 600}
    assert flow.connect("c0=", pool_signed(base))["statusCode"] == 200
    refused = [
        {**base, "exp": now - 120},  # expired
        {**base, "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"},
        {**base, "client_id": "another-app"},
        {**base, "token_use": "id"},
    ]
    for i, claims in enumerate(refused):
        assert flow.connect(f"c{i + 1}=", pool_signed(claims))["statusCode"] == 401, claims
    status, body = flow.get("/chats/x/messages", pool_signed(refused[0]))
    assert status == 401 and "expired" in body["error"]["message"]


def test_whole_flow_through_handlers_and_moto_management_api(flow):
    chat_id, token, _ = claimed_chat(flow)
    flow.frame("opconn1=", action="send", chat_id=chat_id, text="Hi Pat", client_msg_id="o-1")
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="Hi!", client_msg_id="p-1")
    pat = [f for f in posted_frames("patconn1=") if f["type"] == "chat.message"]
    assert [f["message"]["seq"] for f in pat] == [2, 3]
    op = posted_frames("opconn1=")
    assert [f["type"] for f in op][:2] == ["welcome", "chat.queued"]
    assert "chat.claimed" in [f["type"] for f in op]
    flow.frame("patconn1=", action="end", chat_id=chat_id)
    flow.frame("opconn1=", action="close", chat_id=chat_id)
    assert posted_frames("opconn1=")[-1] == {"type": "chat.closed", "chat_id": chat_id}
    flow.disconnect("patconn1=")
    flow.disconnect("opconn1=")


def test_send_budget_two_requests_no_query(flow, botocore_requests):
    chat_id, _, _ = claimed_chat(flow)
    for conn, cmid in (("patconn1=", "p-1"), ("opconn1=", "o-1"), ("patconn1=", None)):
        botocore_requests.clear()
        data = {"action": "send", "chat_id": chat_id, "text": "hello"}
        if cmid:
            data["client_msg_id"] = cmid
        flow.frame(conn, **data)
        ops = botocore_requests.ops()
        assert ops == ["GetItem", "TransactWriteItems"], ops
        # one post per recipient connection: the patron and the operator (sender included)
        assert sorted(botocore_requests.posts()) == sorted(["patconn1%3D", "opconn1%3D"])


def test_resend_is_stored_once_within_budget(flow, botocore_requests):
    chat_id, token, _ = claimed_chat(flow)
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="once", client_msg_id="dup")
    botocore_requests.clear()
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="once", client_msg_id="dup")
    assert "Query" not in botocore_requests.ops() and "Scan" not in botocore_requests.ops()
    _, body = flow.get(f"/chats/{chat_id}/messages", token)
    assert [m["text"] for m in body["messages"]] == ["Where is the map room?", "once"]
    again = [f for f in posted_frames("patconn1=") if f["type"] == "chat.message"]
    assert [f["message"]["seq"] for f in again] == [2, 2]  # broadcast once, echoed once


def test_typing_budget_one_read_no_write(flow, botocore_requests):
    chat_id, _, _ = claimed_chat(flow)
    botocore_requests.clear()
    flow.frame("patconn1=", action="typing", chat_id=chat_id, typing=True, preview="the ma")
    assert botocore_requests.ops() == ["GetItem"]
    assert botocore_requests.posts() == ["opconn1%3D"]
    typing = [f for f in posted_frames("opconn1=") if f["type"] == "chat.typing"]
    assert typing[-1]["preview"] == "the ma"


def test_keepalive_is_answered_by_nothing_and_reads_nothing(flow, botocore_requests):
    """The clients' idle-timer frame: no request, no post (a pong would be a billed message
    nobody reads); `ping` still answers, for barriers."""
    chat_id, _, _ = claimed_chat(flow)
    before = len(posted_frames("patconn1="))
    botocore_requests.clear()
    flow.frame("patconn1=", action="keepalive")
    flow.frame("opconn1=", action="keepalive")
    assert botocore_requests.sent == []
    assert len(posted_frames("patconn1=")) == before
    flow.frame("patconn1=", action="ping")
    assert posted_frames("patconn1=")[-1] == {"type": "pong"}


def test_claim_budget_one_transaction_one_read_plus_broadcast_query(flow, botocore_requests):
    op_token = flow.aws.token("ann")
    flow.connect("opconn1=", op_token)
    flow.frame("opconn1=", action="hello")
    _, created = flow.post("/chats", {"question": "Q"})
    botocore_requests.clear()
    flow.frame("opconn1=", action="claim", chat_id=created["chat_id"])
    # the chat, the watchers of its desk (who may claim it; the chat.claimed broadcast reuses
    # them), the claim, then the line of waiting patrons (their places moved)
    assert botocore_requests.ops() == ["GetItem", "Query", "TransactWriteItems", "Query"]


def test_new_chat_broadcast_is_one_query(flow, botocore_requests):
    flow.connect("opconn1=", flow.aws.token("ann"))
    flow.frame("opconn1=", action="hello")
    botocore_requests.clear()
    flow.post("/chats", {"question": "First"})
    # once per container (per 30-day period): the guard keys (domain/guards.py), the current
    # one made if missing; the previous period's known to be absent from then on
    assert botocore_requests.ops()[:4] == ["GetItem", "PutItem", "GetItem", "GetItem"]
    botocore_requests.clear()
    flow.post("/chats", {"question": "Q"})  # a warm container: the create transaction carries
    assert botocore_requests.ops() == ["TransactWriteItems", "Query"]  # the block checks and counters
    assert botocore_requests.posts() == ["opconn1%3D"]


def test_no_scan_anywhere_in_a_whole_flow(flow, botocore_requests):
    chat_id, token, _ = claimed_chat(flow)
    flow.frame("patconn1=", action="presence", chat_id=chat_id, state="away")
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="x")
    flow.disconnect("patconn1=")
    flow.connect("patconn2=", token)
    flow.frame("patconn2=", action="hello", after={chat_id: 1})
    flow.frame("opconn1=", action="end", chat_id=chat_id)
    flow.frame("opconn1=", action="close", chat_id=chat_id)
    flow.get("/status")
    flow.disconnect("opconn1=")
    ops = botocore_requests.ops()
    assert ops and not [op for op in ops if "Scan" in op]


def test_bad_frames_answer_error_on_the_callers_connection(flow):
    chat_id, _, _ = claimed_chat(flow)
    flow.app.ws_message(flow.ws_event("message", "patconn1=", body="{oops"), None)
    flow.frame("patconn1=", action="claim", chat_id=chat_id, request_id="r1")
    errors = [f for f in posted_frames("patconn1=") if f["type"] == "error"]
    assert [e["code"] for e in errors] == ["bad_request", "forbidden"]
    assert errors[1]["request_id"] == "r1"


def test_operator_only_action_with_patron_token(flow):
    chat_id, token, _ = claimed_chat(flow)
    status, body = flow.get("/chats/other/messages", token)
    assert status == 403
    flow.frame("patconn1=", action="close", chat_id=chat_id)
    assert posted_frames("patconn1=")[-1]["code"] == "forbidden"


def test_patron_data_carries_ttl_from_retention_and_no_ip_by_default(flow, monkeypatch):
    import time
    import boto3
    from chalicelib import wiring
    chat_id, token, _ = claimed_chat(flow)
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="hi", client_msg_id="c-1")
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    prefix = wiring.settings().table_prefix
    chat = ddb.get_item(TableName=f"{prefix}-chats", Key={"chat_id": {"S": chat_id}})["Item"]
    expires = int(chat["expires_at"]["N"])
    assert abs(expires - (time.time() + 30 * 86400)) < 120  # RETENTION_DAYS default 30
    for kind in ("messages", "message-ids", "claims"):
        items = ddb.query(TableName=f"{prefix}-{kind}", KeyConditionExpression="chat_id = :c",
                          ExpressionAttributeValues={":c": {"S": chat_id}})["Items"]
        assert items and all(int(i["expires_at"]["N"]) == expires for i in items), kind
    conn = ddb.get_item(TableName=f"{prefix}-connections",
                        Key={"connection_id": {"S": "patconn1="}})["Item"]
    assert "expires_at" in conn and "source_ip" not in conn
    for kind in ("chats", "messages", "message-ids", "claims", "connections"):
        ttl = ddb.describe_time_to_live(TableName=f"{prefix}-{kind}")["TimeToLiveDescription"]
        assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires_at"), kind


def test_retention_and_ip_are_configurable(aws, ws_event, monkeypatch):
    import time
    import boto3
    from chalicelib import wiring
    monkeypatch.setenv("RETENTION_DAYS", "7")
    monkeypatch.setenv("STORE_PATRON_IP", "true")
    wiring.reset()
    flow = Flow(aws, ws_event)
    _, created = flow.post("/chats", {"question": "Q"})
    assert flow.connect("p1=", created["token"])["statusCode"] == 200
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    prefix = wiring.settings().table_prefix
    chat = ddb.get_item(TableName=f"{prefix}-chats", Key={"chat_id": {"S": created["chat_id"]}})["Item"]
    assert abs(int(chat["expires_at"]["N"]) - (time.time() + 7 * 86400)) < 120
    conn = ddb.get_item(TableName=f"{prefix}-connections", Key={"connection_id": {"S": "p1="}})["Item"]
    assert conn["source_ip"]["S"]  # the documented sample's sourceIp


def test_survey_route(flow):
    chat_id, token, _ = claimed_chat(flow)
    status, body = flow.post(f"/chats/{chat_id}/survey", {"rating": 5}, token)
    assert status == 409 and body["error"]["code"] == "invalid_state"
    flow.frame("opconn1=", action="end", chat_id=chat_id)
    status, body = flow.post(f"/chats/{chat_id}/survey", {"rating": 9}, token)
    assert status == 400 and body["error"]["code"] == "bad_request"
    status, body = flow.post(f"/chats/{chat_id}/survey",
                             {"rating": 5, "answered": True, "comment": "Thanks!"}, token)
    assert (status, body) == (201, {"ok": True})
    status, body = flow.post(f"/chats/{chat_id}/survey", {"rating": 5}, token)
    assert status == 409 and body["error"]["code"] == "conflict"
    status, body = flow.post(f"/chats/{chat_id}/survey", {"rating": 5})
    assert status == 401


def test_operator_admin_routes(flow):
    flow.aws.add_operator("ada", "Ada Admin", role="admin")
    admin, ann = flow.aws.token("ada"), flow.aws.token("ann")
    status, body = flow.get("/operators", admin)
    assert status == 200 and {o["id"] for o in body["operators"]} == {"ada", "ann"}
    status, body = flow.get("/operators", ann)
    assert status == 403
    resp = flow.http.put("/operators/ann", body='{"max_chats": 1}',
                         headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    assert resp.status_code == 200 and json.loads(resp.body)["max_chats"] == 1
    resp = flow.http.put("/operators/ann", body='{"max_chats": 3}',
                         headers={"Authorization": f"Bearer {ann}", "Content-Type": "application/json"})
    assert resp.status_code == 403


def test_status_follows_availability_on_moto(flow):
    flow.connect("opconn1=", flow.aws.token("ann"))
    flow.frame("opconn1=", action="hello")
    assert flow.get("/status")[1]["online"] is True
    flow.frame("opconn1=", action="status", state="away")
    assert flow.get("/status")[1]["online"] is False
    flow.frame("opconn1=", action="status", state="available")
    assert flow.get("/status")[1]["online"] is True


def test_transfer_on_moto_refused_over_limit_then_done(flow):
    chat_id, token, _ = claimed_chat(flow)  # ann holds it on opconn1=
    flow.aws.add_operator("bob", "Bob", max_chats=1)
    flow.connect("opconn2=", flow.aws.token("bob"))
    flow.frame("opconn2=", action="hello")
    _, other = flow.post("/chats", {"question": "other"})
    flow.frame("opconn2=", action="claim", chat_id=other["chat_id"])
    flow.frame("opconn1=", action="transfer", chat_id=chat_id, to="bob", request_id="t1")
    assert posted_frames("opconn1=")[-1]["code"] == "capacity"
    from chalicelib import wiring
    assert wiring.repositories().chats.get(chat_id).operator_id == "ann"
    flow.frame("opconn2=", action="end", chat_id=other["chat_id"])
    flow.frame("opconn1=", action="transfer", chat_id=chat_id, to="bob", note="law question")
    assert wiring.repositories().chats.get(chat_id).operator_id == "bob"
    assert posted_frames("patconn1=")[-1] == {"type": "chat.claimed", "chat_id": chat_id,
                                              "operator": {"id": "bob", "name": "Bob"}}
    flow.frame("patconn1=", action="send", chat_id=chat_id, text="hello Bob")
    assert posted_frames("opconn2=")[-1]["message"]["text"] == "hello Bob"


def test_survey_results_route_for_admins(flow):
    flow.aws.add_operator("ada", "Ada", role="admin")
    chat_id, token, _ = claimed_chat(flow)
    flow.frame("patconn1=", action="end", chat_id=chat_id)
    flow.post(f"/chats/{chat_id}/survey", {"rating": 4, "answered": True}, token)
    status, body = flow.get("/surveys?days=1", flow.aws.token("ada"))
    assert status == 200 and body["count"] == 1 and body["surveys"][0]["chat_id"] == chat_id
    status, _ = flow.get("/surveys", flow.aws.token("ann"))
    assert status == 403


def test_refresh_token_and_me_on_cognito(flow):
    status, body = flow.post("/auth/login", {"username": "ann", "password": "Correct-Horse-Battery-1"})
    assert status == 200 and body["refresh_token"]
    status, fresh = flow.post("/auth/refresh", {"refresh_token": body["refresh_token"]})
    assert status == 200 and fresh["token"] and fresh["expires_at"].endswith("Z")
    status, me = flow.get("/auth/me", fresh["token"])
    assert status == 200 and me["operator"]["id"] == "ann"
    status, err = flow.post("/auth/refresh", {"refresh_token": "not-a-refresh-token"})
    assert status == 401 and err["error"]["code"] == "unauthorized"
    status, err = flow.get("/auth/me")
    assert status == 401
