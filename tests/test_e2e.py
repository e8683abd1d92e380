"""End to end: the local runner (embedded moto + local gateway + the Chalice app) and real
WebSocket clients, nothing of ours mocked.

The runner is the session's (`svc`, tests/browser.py): every test makes its own chats, waits for
frames of its own chat ids, and ends what it claims (the demo operators' max_chats are small).
"""
from __future__ import annotations

import json
import threading

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.e2e import Client, aws_client, barrier


def test_health_status_and_demo_logins(svc):
    banner = "".join(svc.output)
    for text in (svc.base_url, f"{svc.base_url}/dashboard/", svc.ws_url, "admin", "librarian",
                 "E2e-Demo-Password-1"):
        assert text in banner
    assert svc.request("GET", "/api/health") == (200, {"ok": True})
    status, body = svc.request("POST", "/api/auth/login",
                               {"username": "admin", "password": "wrong-password-123"})
    assert status == 401 and body["error"]["code"] == "unauthorized"
    for user in ("admin", "librarian", "trainee"):
        assert svc.login(user)


def test_the_whole_chat_lifecycle(svc):
    ada = Client(svc.ws_url, svc.login("admin"), hello={})
    libby = Client(svc.ws_url, svc.login("librarian"), hello={})
    assert ada.wait("welcome")["role"] == "operator"
    libby.wait("welcome")
    status, online = svc.request("GET", "/api/status")
    assert status == 200 and online["online"] is True

    created = svc.new_chat("Where can I find the 1902 county atlas?", name="Pat")
    chat_id = created["chat_id"]
    for op in (ada, libby):
        queued = op.wait("chat.queued", where=lambda f: f["chat"]["chat_id"] == chat_id)
        assert queued["chat"]["question"].startswith("Where")

    patron = Client(created["ws_url"], created["token"], hello={"chat_id": chat_id})
    assert patron.wait("welcome")["chat"]["status"] == "queued"

    # both claim at once: exactly one winner, the other gets `conflict`
    threads = [threading.Thread(target=op.send, kwargs={"action": "claim", "chat_id": chat_id,
                                                        "request_id": name})
               for op, name in ((ada, "ada"), (libby, "libby"))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    claimed = patron.wait("chat.claimed")
    winner, loser = (ada, libby) if claimed["operator"]["id"] == "admin" else (libby, ada)
    assert winner.wait("chat.claimed", chat_id=chat_id)
    assert loser.wait("chat.claimed", chat_id=chat_id)["operator"] == claimed["operator"]
    assert loser.wait("error")["code"] == "conflict"
    # each claim has been answered (a barrier on both): the winner got no error, and the
    # patron (a barrier there too) heard of one claim only
    winner_frames, loser_frames = barrier(winner, loser)
    assert not [f for f in winner_frames + loser_frames if f["type"] == "error"]
    assert not [f for f in patron.barrier() if f["type"] == "chat.claimed"]

    # messages both ways, seq 2, 3, 4 ...
    winner.send(action="send", chat_id=chat_id, text="Hello Pat! Let me check.", client_msg_id="w1")
    assert patron.wait("chat.message")["message"]["seq"] == 2
    patron.send(action="send", chat_id=chat_id, text="Thank you!", client_msg_id="p1")
    got = winner.wait("chat.message", chat_id=chat_id)
    assert got["message"]["seq"] == 2
    got = winner.wait("chat.message", chat_id=chat_id)
    assert got["message"]["seq"] == 3 and got["message"]["text"] == "Thank you!"
    winner.send(action="send", chat_id=chat_id, text="It is in the map room.", client_msg_id="w2")
    assert [patron.wait("chat.message")["message"]["seq"] for _ in range(2)] == [3, 4]

    # typing both ways; the preview reaches the operator only
    patron.send(action="typing", chat_id=chat_id, typing=True, preview="Which fl")
    typing = winner.wait("chat.typing")
    assert (typing["role"], typing["preview"]) == ("patron", "Which fl")
    winner.send(action="typing", chat_id=chat_id, typing=True, preview="not shown")
    typing = patron.wait("chat.typing")
    assert typing["role"] == "operator" and "preview" not in typing

    # the patron drops; the operator sees it and keeps writing
    patron.close()
    assert winner.wait("chat.presence", patron="offline")["chat_id"] == chat_id
    for i in range(3):
        winner.send(action="send", chat_id=chat_id, text=f"missed {i}", client_msg_id=f"m{i}")
    winner.wait("chat.message", where=lambda f: f["message"]["text"] == "missed 2")  # all stored
    # the patron comes back with its token and resumes after the last seq it saw
    patron = Client(created["ws_url"], created["token"], hello={"after": {chat_id: 4}})
    assert patron.wait("welcome")["chat"]["last_seq"] == 7
    # the backlog comes with the answer to hello: once a later ping is answered, it is all here
    resumed = [f for f in patron.barrier() if f["type"] == "chat.message"]
    assert [f["message"]["text"] for f in resumed] == ["missed 0", "missed 1", "missed 2"]
    assert [f["message"]["seq"] for f in resumed] == [5, 6, 7]
    assert winner.wait("chat.presence", patron="online")

    # end and close
    winner.send(action="end", chat_id=chat_id)
    assert patron.wait("chat.ended")["ended_by"] == "operator"
    assert winner.wait("chat.ended")["chat_id"] == chat_id
    winner.send(action="close", chat_id=chat_id)
    assert winner.wait("chat.closed") == {"type": "chat.closed", "chat_id": chat_id}
    status, history = svc.request("GET", f"/api/chats/{chat_id}/messages?after=0", token=created["token"])
    assert [m["seq"] for m in history["messages"]] == list(range(1, 8))
    for c in (patron, ada, libby):
        c.close()


def test_patron_ends_first_and_operator_sees_red(svc):
    op = Client(svc.ws_url, svc.login("librarian"), hello={})
    op.wait("welcome")
    created = svc.new_chat("Quick question")
    chat_id = created["chat_id"]
    patron = Client(created["ws_url"], created["token"], hello={"chat_id": chat_id})
    patron.wait("welcome")
    op.send(action="claim", chat_id=chat_id)
    patron.wait("chat.claimed")
    patron.send(action="end", chat_id=chat_id)
    assert op.wait("chat.ended", chat_id=chat_id)["ended_by"] == "patron"
    op.send(action="close", chat_id=chat_id)
    op.wait("chat.closed", chat_id=chat_id)
    op.close()
    patron.close()


def test_fifty_concurrent_claims_have_exactly_one_winner(svc):
    tokens = {user: svc.login(user) for user in ("admin", "librarian", "trainee")}
    users = ["admin", "librarian", "trainee"]
    clients = [Client(svc.ws_url, tokens[users[i % 3]], hello={}) for i in range(50)]
    for c in clients:
        c.wait("welcome")
    chat_id = svc.new_chat("Race me")["chat_id"]
    for c in clients:
        c.wait("chat.queued", where=lambda f: f["chat"]["chat_id"] == chat_id)
    start_line = threading.Barrier(50)

    def claim(c):
        start_line.wait()
        c.send(action="claim", chat_id=chat_id)

    threads = [threading.Thread(target=claim, args=(c,)) for c in clients]
    [t.start() for t in threads]
    [t.join() for t in threads]
    claimed = [c.wait("chat.claimed", chat_id=chat_id, timeout=30) for c in clients]
    assert len({json.dumps(f["operator"]) for f in claimed}) == 1  # everyone heard one winner
    # every claim has been answered once each connection's ping is: 49 losers got exactly one
    # `conflict` each, the winner none
    errors = [[f["code"] for f in frames if f["type"] == "error"]
              for frames in barrier(*clients, timeout=30)]
    assert sorted(errors) == [[]] + [["conflict"]] * 49, errors
    winner = clients[errors.index([])]
    assert users[clients.index(winner) % 3] == claimed[0]["operator"]["id"]
    claims = aws_client(svc, "dynamodb").query(
        TableName="libchat-local-claims", KeyConditionExpression="chat_id = :c",
        ExpressionAttributeValues={":c": {"S": chat_id}})["Items"]
    assert len(claims) == 1  # storage holds exactly one claim
    # leave the winner as it was for the other tests: end and close the chat
    winner.send(action="end", chat_id=chat_id)
    winner.send(action="close", chat_id=chat_id)
    winner.wait("chat.closed", chat_id=chat_id)
    for c in clients:
        c.close()


def test_max_chats_one_holds_even_when_claiming_two_at_once(svc):
    token = svc.login("trainee")
    tabs = [Client(svc.ws_url, token, hello={}), Client(svc.ws_url, token, hello={})]
    for t in tabs:
        t.wait("welcome")
    chats = [svc.new_chat(f"question {i}")["chat_id"] for i in range(2)]
    start_line = threading.Barrier(2)

    def claim(tab, chat_id):
        start_line.wait()
        tab.send(action="claim", chat_id=chat_id)

    threads = [threading.Thread(target=claim, args=(tabs[i], chats[i])) for i in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    # both claims have been answered once both pings are: exactly one was refused
    frames = barrier(*tabs)
    errors = [[f["code"] for f in tab_frames if f["type"] == "error"] for tab_frames in frames]
    assert sorted(errors) == [[], ["capacity"]], errors
    status, body = svc.request("GET", "/api/status")
    assert status == 200
    # the trainee is back at no chat for the other tests: end and close the one claimed
    won = errors.index([])
    assert [f for f in frames[won] if f["type"] == "chat.claimed" and f["chat_id"] == chats[won]]
    tabs[won].send(action="end", chat_id=chats[won])
    tabs[won].send(action="close", chat_id=chats[won])
    tabs[won].wait("chat.closed", chat_id=chats[won])
    for t in tabs:
        t.close()


def test_bad_input_over_the_wire(svc):
    created = svc.new_chat("Bad input test")
    chat_id = created["chat_id"]
    other = svc.new_chat("Someone else's chat")
    patron = Client(created["ws_url"], created["token"], hello={"chat_id": chat_id})
    patron.wait("welcome")
    cases = [
        ("{not json", "bad_request"),
        (json.dumps({"action": "fly"}), "bad_request"),
        (json.dumps({"action": "send", "chat_id": chat_id}), "bad_request"),
        (json.dumps({"action": "send", "chat_id": chat_id, "text": 12}), "bad_request"),
        (json.dumps({"action": "send", "chat_id": chat_id, "text": "x" * 4001}), "too_large"),
        (json.dumps({"action": "send", "chat_id": other["chat_id"], "text": "hi"}), "forbidden"),
        (json.dumps({"action": "claim", "chat_id": chat_id}), "forbidden"),
        (json.dumps({"action": "close", "chat_id": chat_id}), "forbidden"),
    ]
    for raw, code in cases:
        patron.send_raw(raw)
        assert patron.wait("error")["code"] == code, raw
    status, history = svc.request("GET", f"/api/chats/{chat_id}/messages", token=created["token"])
    assert [m["seq"] for m in history["messages"]] == [1]
    status, history = svc.request("GET", f"/api/chats/{other['chat_id']}/messages",
                                  token=other["token"])
    assert [m["seq"] for m in history["messages"]] == [1]

    # a frame over 32 KB: the gateway closes the connection as API Gateway does (1009)
    patron.send_raw(json.dumps({"action": "send", "chat_id": chat_id, "text": "y" * 40000}))
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            patron.ws.recv(timeout=5)
    assert closed.value.rcvd.code == 1009
    status, history = svc.request("GET", f"/api/chats/{chat_id}/messages", token=created["token"])
    assert len(history["messages"]) == 1


@pytest.mark.parametrize("token", ["", "forged.token.value",
                                   "p1.eyJjIjoieCIsImV4cCI6MX0.c2lnbmF0dXJl"])
def test_bad_tokens_are_refused_at_the_handshake(svc, token):
    with pytest.raises(InvalidStatus) as err:
        Client(svc.ws_url, token)
    assert err.value.response.status_code in (401, 403)


def test_operator_rest_call_with_patron_token_is_forbidden(svc):
    created = svc.new_chat("token scope")
    other = svc.new_chat("another chat")
    status, body = svc.request("GET", f"/api/chats/{other['chat_id']}/messages",
                               token=created["token"])
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_local_mode_seeds_system_canned_messages(svc):
    status, lists = svc.request("GET", "/api/canned", token=svc.login("librarian"))
    assert status == 200
    shortcuts = {c.get("shortcut") for c in lists["system"]}
    assert {"greeting", "busy", "closing"} <= shortcuts


def test_a_status_watcher_hears_a_librarian_come_and_go_through_the_gateway(svc):
    status, body = svc.request("GET", "/api/status")
    assert status == 200 and body["ws_url"] == svc.ws_url
    watcher = Client(f"{body['ws_url']}?watch=status", "", hello={})
    welcome = watcher.wait("welcome")
    assert welcome["role"] == "watcher" and welcome["status"]["online"] is body["online"]
    libby = Client(svc.ws_url, svc.login("librarian"), hello={})
    libby.wait("welcome")
    assert watcher.wait("service.status", online=True)["queues"][0]["online"] is True
    libby.send(action="status", state="away")
    libby.barrier()
    went = watcher.wait("service.status", drop_older=True)
    libby.close()
    gone = watcher.wait("service.status", online=False, timeout=15)
    assert gone["online"] is False and went["type"] == "service.status"
    watcher.send(action="send", chat_id="anything", text="hi", request_id="w-1")
    refused = watcher.wait("error")
    assert refused["request_id"] == "w-1" and refused["code"] in ("forbidden", "not_found")
    libby = Client(svc.ws_url, svc.login("librarian"), hello={})
    libby.wait("welcome")
    libby.send(action="status", state="available")  # as the next test expects to find her
    libby.barrier()
