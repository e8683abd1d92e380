"""Hostile input at the edge, through the real handlers on moto: lone surrogates, deep nesting,
a wrong Content-Type, and a handler that breaks. Each is answered with its code (and the
frame's request_id) and nothing is written."""
from __future__ import annotations

import json

import pytest

from chalicelib.adapters.apigw import encode
from tests.harness import Flow, claimed_chat, posted_frames

WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


@pytest.fixture
def flow(aws, ws_event):
    aws.add_operator("ann", "Ann Archivist")
    return Flow(aws, ws_event)


def raw_frame(flow, conn: str, body: str) -> None:
    flow.app.ws_message(flow.ws_event("message", conn, body=body), None)


def last_frame(conn: str) -> dict:
    return posted_frames(conn)[-1]


def nested(depth: int, request_id: str = "r-deep") -> str:
    """A send frame whose attachment is `depth` levels deep in all."""
    return ('{"action": "send", "request_id": "%s", "chat_id": "c", "attachment": ' % request_id
            + "[" * (depth - 1) + "]" * (depth - 1) + "}")


@pytest.mark.parametrize("frame", [
    {"action": "send", "text": "hi \ud800 there", "client_msg_id": "m1"},
    {"action": "send", "text": "ok", "client_msg_id": "\udfff"},
    {"action": "typing", "typing": True, "preview": "half \ud83d"},
    {"action": "sen\ud800d"},
    {"action": "send", "text": "ok", "attachment": {"name": "\ud800.png"}},
    {"action": "hello", "after": {"\ud800": 1}},
])
def test_lone_surrogates_are_refused_with_the_request_id_and_nothing_written(flow, botocore_requests, frame):
    chat_id, _, _ = claimed_chat(flow)
    frame = {**frame, "chat_id": chat_id, "request_id": "r-1"}
    botocore_requests.clear()
    flow.frame("patconn1=", **frame)
    error = last_frame("patconn1=")
    assert (error["type"], error["code"], error["request_id"]) == ("error", "bad_request", "r-1")
    assert "Unicode" in error["message"]
    assert not WRITES & set(botocore_requests.ops())
    assert not [f for f in posted_frames("opconn1=") if f["type"] in ("chat.message", "chat.typing")]


def test_a_request_id_that_is_not_valid_text_is_not_echoed(flow):
    claimed_chat(flow)
    flow.frame("patconn1=", action="ping", request_id="\ud800")
    error = last_frame("patconn1=")
    assert error["code"] == "bad_request" and "request_id" not in error


@pytest.mark.parametrize("depth", [17, 990, 1000, 5000])
def test_deep_frames_are_refused_with_the_request_id(flow, botocore_requests, depth):
    claimed_chat(flow)
    body = nested(depth)
    assert len(body.encode()) <= 32 * 1024
    botocore_requests.clear()
    raw_frame(flow, "patconn1=", body)
    error = last_frame("patconn1=")
    assert (error["code"], error["request_id"]) == ("bad_request", "r-deep"), error
    assert "nested too deeply" in error["message"]
    assert not WRITES & set(botocore_requests.ops())
    flow.frame("patconn1=", action="ping")  # the connection is fine afterwards
    assert last_frame("patconn1=") == {"type": "pong"}


def test_sixteen_levels_are_still_a_frame(flow):
    claimed_chat(flow)
    raw_frame(flow, "patconn1=", nested(16))
    assert last_frame("patconn1=")["code"] == "bad_request"  # a bad attachment, not a bad frame
    assert "nested" not in last_frame("patconn1=")["message"]


def test_an_internal_error_frame_echoes_the_request_id(flow, monkeypatch):
    from chalicelib.edge import ws
    claimed_chat(flow)

    def broken(services, conn, cmd):
        raise RuntimeError("a bug")

    monkeypatch.setitem(ws.ACTIONS, "ping", broken)
    flow.frame("patconn1=", action="ping", request_id="r-7")
    assert last_frame("patconn1=") == {"type": "error", "code": "internal",
                                       "message": "something went wrong on our side",
                                       "request_id": "r-7"}


def post_raw(flow, path: str, body: str, content_type: str = "application/json"):
    resp = flow.http.post(path, body=body, headers={"Content-Type": content_type})
    return resp.status_code, json.loads(resp.body)


def test_rest_bodies_with_surrogates_or_deep_nesting_are_400_and_nothing_is_stored(flow, botocore_requests):
    botocore_requests.clear()
    for body in ('{"question": "Where is \\ud800?"}', '{"question": "ok", "name": "\\udc00"}',
                 '{"question": "ok", "x": ' + "[" * 999 + "]" * 999 + "}",
                 '{"question": "ok", "x": ' + "[" * 5000 + "]" * 5000 + "}"):
        status, answer = post_raw(flow, "/chats", body)
        assert status == 400 and answer["error"]["code"] == "bad_request", answer
    assert not WRITES & set(botocore_requests.ops())


def test_a_wrong_content_type_gets_the_protocols_error_body(flow):
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        status, answer = post_raw(flow, "/chats", '{"question": "hi"}', content_type)
        assert status == 415, (content_type, answer)
        assert answer == {"error": {"code": "bad_request", "message":
                                    "send the body as JSON with Content-Type: application/json"}}
    status, answer = post_raw(flow, "/chats", '{"question": "hi"}', "application/json; charset=utf-8")
    assert status == 201 and answer["chat_id"]
    resp = flow.http.get("/health", headers={"Content-Type": "text/plain"})  # GETs have no body
    assert resp.status_code == 200


def test_the_sender_cannot_fail_on_text():
    assert json.loads(encode({"text": "caf\u00e9 \ud800"})) == {"text": "caf\u00e9 \ud800"}
    assert encode({"text": "caf\u00e9"}) == '{"text":"caf\u00e9"}'.encode()
