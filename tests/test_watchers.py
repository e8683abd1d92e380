"""Status watchers: a widget showing "No librarians are online" learns that someone came online
from one pushed frame, instead of every open widget polling `/api/status`."""
from __future__ import annotations

import json

import pytest

from tests.harness import Flow, Harness, posted_frames


@pytest.fixture
def h():
    return Harness()


def watch(h, conn="w1"):
    h.connect(conn, None, watch="status")
    return h.frame(conn, action="hello")


def statuses(h, conn="w1"):
    return [f["online"] for f in h.sender.of(conn, "service.status")]


def test_watcher_welcome_says_whether_anyone_can_answer(h):
    h.operator("ann")
    welcome = watch(h)[0]
    assert welcome == {"type": "welcome", "role": "watcher", "status": {
        "online": False, "ws_url": "ws://test/ws", "queues": [
            {"id": "general", "name": "Ask a librarian", "online": False, "open": True,
             "timezone": "UTC", "typing_preview": True},
            {"id": "law", "name": "Law library", "online": False, "open": True,
             "timezone": "UTC", "typing_preview": True}], "at": "2026-09-21T14:13:20.000Z"}}
    assert h.status()["ws_url"] == "ws://test/ws"


def test_watchers_hear_when_librarians_come_go_and_step_away(h):
    h.operator("ann")
    h.operator("bob")
    watch(h, "w1")
    watch(h, "w2")
    h.connect_operator("o1", "ann")
    assert statuses(h, "w1") == statuses(h, "w2") == [True]
    frame = h.sender.of("w1", "service.status")[0]
    assert frame["queues"][0] == {"id": "general", "name": "Ask a librarian", "online": True,
                                  "open": True, "timezone": "UTC", "typing_preview": True}
    h.connect_operator("o2", "bob")
    h.frame("o1", action="status", state="away")
    assert statuses(h) == [True, True, True]  # bob still answers
    h.frame("o2", action="status", state="away")
    assert statuses(h)[-1] is False
    h.frame("o2", action="status", state="available")
    assert statuses(h)[-1] is True
    h.disconnect("o2")
    assert statuses(h)[-1] is False  # ann is away, bob gone
    # operators never get service.status; watchers never get operator.status
    assert h.sender.of("o1", "service.status") == [] and h.sender.of("w1", "operator.status") == []


def test_a_watcher_that_left_is_not_pushed_to(h):
    h.operator("ann")
    watch(h, "w1")
    h.disconnect("w1")
    assert "w1" not in h.db.connections
    h.connect_operator("o1", "ann")
    assert h.sender.of("w1", "service.status") == []


def test_a_dead_watcher_is_forgotten_on_the_first_failed_push(h):
    h.operator("ann")
    watch(h, "w1")
    h.sender.gone.add("w1")
    h.connect_operator("o1", "ann")
    assert "w1" not in h.db.connections


@pytest.mark.parametrize("frame", [
    {"action": "send", "chat_id": "c1", "text": "hi"},
    {"action": "send", "text": "hi"},
    {"action": "typing", "typing": True},
    {"action": "presence", "state": "away"},
    {"action": "claim", "chat_id": "c1"},
    {"action": "end"},
    {"action": "close", "chat_id": "c1"},
    {"action": "transfer", "chat_id": "c1"},
    {"action": "status", "state": "away"},
    {"action": "hello", "after": {"c1": 0}},
])
def test_a_watcher_may_only_say_hello_and_ping(h, frame):
    h.operator("ann")
    chat_id, token = h.new_chat("Where are the maps?")
    frame = {k: (chat_id if v == "c1" else v) for k, v in frame.items()}
    if "after" in frame:
        frame["after"] = {chat_id: 0}
    h.connect("w1", None, watch="status")
    before = (json.dumps(h.db.chats[chat_id].to_wire()), dict(h.db.messages))
    replies = h.frame("w1", **frame, request_id="r1")
    assert replies[0]["type"] == "error" and replies[0]["request_id"] == "r1", replies
    assert replies[0]["code"] in ("forbidden", "bad_request", "not_found"), replies
    assert (json.dumps(h.db.chats[chat_id].to_wire()), dict(h.db.messages)) == before
    assert h.frame("w1", action="ping") == [{"type": "pong"}]


def test_no_token_without_watch_is_still_refused(h):
    from chalicelib.errors import ServiceError
    for watch_value in (None, "everything"):
        with pytest.raises(ServiceError) as err:
            h.connect("x", None, watch=watch_value)
        assert err.value.code == "unauthorized"


# ------------------------------------------------------------------ on moto: what it costs

@pytest.fixture
def flow(aws, ws_event):
    aws.add_operator("ann", "Ann Archivist")
    return Flow(aws, ws_event)


def test_watching_costs_a_write_at_connect_and_hello_and_one_query_per_change(flow, botocore_requests):
    assert flow.connect("w1=", None, watch="status")["statusCode"] == 200
    flow.get("/status")  # the container has read the desk directory (kept for 30 s)
    botocore_requests.clear()
    flow.frame("w1=", action="hello")
    # its row, joining the watchers' index, who is online (nobody: no BatchGetItem)
    assert botocore_requests.ops() == ["GetItem", "PutItem", "Query"]
    assert posted_frames("w1=")[0]["status"]["online"] is False
    op_token = flow.aws.token("ann")
    flow.connect("o1=", op_token)
    botocore_requests.clear()
    flow.frame("o1=", action="hello")
    assert botocore_requests.ops().count("Query") <= 4  # the welcome's reads + the watchers
    assert [f["online"] for f in posted_frames("w1=") if f["type"] == "service.status"] == [True]
    botocore_requests.clear()
    flow.frame("o1=", action="ping")
    assert botocore_requests.ops() == []  # a ping on any connection costs no request
    flow.disconnect("w1=")
    flow.disconnect("o1=")


def test_the_last_librarian_leaves_the_index_before_the_watchers_hear_it(h):
    """A watcher that joins while the last librarian's $disconnect runs must not read "online"
    and then hear nothing: the connection row is gone before the announcement is made, so a
    status read afterwards is offline and a watcher that joined before is told."""
    h.operator("ann")
    h.connect_operator("o1", "ann")
    watch(h)
    rows_at_announcement = []
    h.events.subscribe("operator_status", lambda **_: rows_at_announcement.append(set(h.db.connections)))
    h.disconnect("o1")
    assert rows_at_announcement and "o1" not in rows_at_announcement[0]
    assert statuses(h)[-1] is False
    assert h.sender.of("w1", "service.status")[-1]["at"] == "2026-09-21T14:13:20.000Z"

