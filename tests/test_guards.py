"""Abuse handled without IPs (domain/guards.py), on moto through the real handlers: a block
holds across new chats from the same browser and the same network and ends; admins list and
lift blocks; new chats are rate limited per browser; and no IP address or browser id is in
any attribute of any item of any table, only keyed hashes."""
from __future__ import annotations

import json

import boto3
import pytest

from tests.test_tickets import flow, rest  # noqa: F401  (flow: ada, ann and bo)

REGION = "us-east-1"
BROWSER = "browser-aaaaaaaaaaaa"


def ask(flow, browser: str | None = BROWSER, ip: str = "203.0.113.7", question: str = "Hello"):
    """POST /api/chats as a widget on a network would (the source address is what API Gateway
    puts in the request context)."""
    headers = {"Content-Type": "application/json"}
    if browser:
        headers["X-Client-Id"] = browser
    resp = flow.http.post("/chats", headers={**headers, "X-Test-Source-Ip": ip}, body=json.dumps({"question": question}))
    return resp.status_code, json.loads(resp.body)


def every_attribute_text() -> str:
    ddb = boto3.client("dynamodb", region_name=REGION)
    return json.dumps([page["Items"] for name in ddb.list_tables()["TableNames"]
                       for page in ddb.get_paginator("scan").paginate(TableName=name)])


@pytest.fixture(autouse=True)
def source_ip(monkeypatch):
    """Chalice's test client has no source address: the one API Gateway would put in the
    context is taken from a test header here (only in tests; the edge reads the context)."""
    from chalicelib.edge import rest as edge_rest
    original = edge_rest.client_identity

    def with_test_ip(request):
        identity = original(request)
        ip = {k.lower(): v for k, v in (request.headers or {}).items()}.get("x-test-source-ip")
        return {**identity, "network": ip or identity["network"]}
    monkeypatch.setattr(edge_rest, "client_identity", with_test_ip)
    import app as app_module
    monkeypatch.setattr(app_module, "client_identity", with_test_ip)


def claim(flow, chat_id, who="ann", conn="op1="):
    assert flow.connect(conn, flow.aws.token(who))["statusCode"] == 200
    flow.frame(conn, action="hello")
    flow.frame(conn, action="claim", chat_id=chat_id)


def test_a_block_holds_across_new_chats_from_the_browser_and_the_network_then_ends(flow):
    status, first = ask(flow)
    assert status == 201, first
    claim(flow, first["chat_id"])
    ann, bo, ada = (flow.aws.token(u) for u in ("ann", "bo", "ada"))
    assert rest(flow, "post", f"/chats/{first['chat_id']}/block", bo, {"hours": 2, "reason": "x"})[0] == 403
    assert rest(flow, "post", f"/chats/{first['chat_id']}/block", first["token"], {"hours": 2, "reason": "x"})[0] in (401, 403)
    assert rest(flow, "post", f"/chats/{first['chat_id']}/block", ann, {"hours": 0, "reason": "x"})[0] == 400
    assert rest(flow, "post", f"/chats/{first['chat_id']}/block", ann, {"hours": 2, "reason": " "})[0] == 400
    status, made = rest(flow, "post", f"/chats/{first['chat_id']}/block", ann, {"hours": 24, "reason": "abusive language"})
    assert status == 201 and made["block"]["reason"] == "abusive language"
    # the same browser on another network, another browser on the same network: both refused,
    # neutrally (the patron is not told why)
    for browser, ip in ((BROWSER, "198.51.100.9"), ("browser-bbbbbbbbbbbb", "203.0.113.7")):
        status, refused = ask(flow, browser, ip)
        assert (status, refused["error"]["code"]) == (503, "unavailable"), (browser, ip)
        assert "block" not in refused["error"]["message"].lower()
    assert ask(flow, "browser-cccccccccccc", "192.0.2.1")[0] == 201  # anyone else
    # admins see it and can lift it; librarians cannot list
    assert rest(flow, "get", "/blocks", ann)[0] == 403
    status, listed = rest(flow, "get", "/blocks", ada)
    (block,) = listed["blocks"]
    assert block["by"] == {"id": "ann", "name": "Ann Archivist"} and block["queue"] == "general"
    # it ends: its items carry `until` (set back here instead of waiting a day)
    from chalicelib.adapters.dynamo.models import GuardModel
    for item in GuardModel.by_kind.query("block"):
        GuardModel(item.key).update(actions=[GuardModel.until.set(1.0)])
    assert ask(flow)[0] == 201
    assert rest(flow, "get", "/blocks", ada)[1]["blocks"] == []  # an ended block is not listed
    assert rest(flow, "delete", f"/blocks/{block['id']}", ada) == (200, {"lifted": True})
    assert rest(flow, "delete", f"/blocks/{block['id']}", ada)[0] == 404


def test_lifting_a_block_lets_the_patron_back(flow):
    _, first = ask(flow)
    claim(flow, first["chat_id"])
    ann, ada = flow.aws.token("ann"), flow.aws.token("ada")
    assert rest(flow, "post", f"/chats/{first['chat_id']}/block", ann, {"hours": 1, "reason": "spam"})[0] == 201
    assert ask(flow)[0] == 503
    (block,) = rest(flow, "get", "/blocks", ada)[1]["blocks"]
    assert rest(flow, "delete", f"/blocks/{block['id']}", ada)[0] == 200
    assert ask(flow)[0] == 201
    # a closed chat no longer says who its patron was: nothing to block from
    flow.frame("op1=", action="end", chat_id=first["chat_id"])
    flow.frame("op1=", action="close", chat_id=first["chat_id"])
    status, body = rest(flow, "post", f"/chats/{first['chat_id']}/block", ann, {"hours": 1, "reason": "spam"})
    assert (status, body["error"]["code"]) == (409, "invalid_state")


def test_new_chats_are_rate_limited_per_browser(flow):
    for n in range(5):
        assert ask(flow, question=f"q{n}")[0] == 201
    status, body = ask(flow, question="one too many")
    assert (status, body["error"]["code"]) == (429, "rate_limited")
    assert ask(flow, "browser-dddddddddddd")[0] == 201  # another browser on the same network
    status, body = ask(flow, "not valid!")
    assert (status, body["error"]["code"]) == (400, "bad_request")


def test_no_ip_or_browser_id_in_any_item_only_keyed_hashes(flow):
    _, first = ask(flow, ip="203.0.113.77")
    claim(flow, first["chat_id"])
    assert rest(flow, "post", f"/chats/{first['chat_id']}/block", flow.aws.token("ann"),
                {"hours": 1, "reason": "spam"})[0] == 201
    ask(flow, ip="203.0.113.77")
    text = every_attribute_text()
    assert "203.0.113.77" not in text and BROWSER not in text and "aaaaaaaaaaaa" not in text
    from chalicelib.adapters.dynamo.models import ChatModel
    guard = ChatModel.get(first["chat_id"]).guard
    assert set(guard) == {"e", "b", "n"} and all(len(guard[k]) == 32 for k in ("b", "n"))
