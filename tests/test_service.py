"""The chat lifecycle on in-memory fakes: what each action does and refuses."""
from __future__ import annotations

import json

import pytest

from chalicelib.domain.tokens import sign_patron_token
from chalicelib.errors import ServiceError


def types(frames):
    return [f["type"] for f in frames]


def setup_claimed(h, patron="p1", op="ann", op_conn="o1"):
    h.operator(op)
    h.connect_operator(op_conn, op)
    chat_id, token = h.new_chat()
    h.connect_patron(patron, token)
    h.frame(op_conn, action="claim", chat_id=chat_id)
    h.sender.clear()
    return chat_id, token


def test_create_chat_stores_question_as_message_1_and_queues_it(h):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    chat_id, token = h.new_chat("Do you have The Hobbit?", name="Sam", email="sam@example.org")
    queued = h.sender.of("o1", "chat.queued")
    assert len(queued) == 1
    assert queued[0]["chat"]["question"] == "Do you have The Hobbit?"
    assert queued[0]["chat"]["status"] == "queued"
    assert queued[0]["chat"]["patron_name"] == "Sam"
    assert "patron_email" not in queued[0]["chat"]  # private: not broadcast
    msgs = h.history(token, chat_id, None)["messages"]
    assert [m["seq"] for m in msgs] == [1]
    assert msgs[0]["text"] == "Do you have The Hobbit?"
    assert msgs[0]["sender"] == {"role": "patron", "name": "Sam"}


@pytest.mark.parametrize("body, code", [
    ({}, "bad_request"),
    ({"question": ""}, "bad_request"),
    ({"question": "   "}, "bad_request"),
    ({"question": 42}, "bad_request"),
    ({"question": "x" * 4001}, "too_large"),
    ({"question": "ok", "email": "not-an-email"}, "bad_request"),
    ({"question": "ok", "queue": "nope"}, "bad_request"),
    ({"question": "ok", "name": ["x"]}, "bad_request"),
])
def test_create_chat_refuses_bad_input_without_writing(h, body, code):
    with pytest.raises(ServiceError) as err:
        h.create_chat(body)
    assert err.value.code == code
    assert h.db.chats == {} and h.db.messages == {}


def test_whole_lifecycle_with_seq_order(h):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    chat_id, token = h.new_chat()
    welcome = h.connect_patron("p1", token)
    assert welcome[0]["type"] == "welcome" and welcome[0]["chat"]["status"] == "queued"

    h.frame("o1", action="claim", chat_id=chat_id)
    claimed = h.sender.of("p1", "chat.claimed")
    assert claimed and claimed[0]["operator"] == {"id": "ann", "name": "Ann"}

    h.frame("o1", action="send", chat_id=chat_id, text="Hello! Let me look.", client_msg_id="a")
    h.frame("p1", action="send", chat_id=chat_id, text="Thanks", client_msg_id="b")
    h.frame("p1", action="send", text="(no chat id: resolved from the connection)")
    seqs = [f["message"]["seq"] for f in h.sender.of("p1", "chat.message")]
    assert seqs == [2, 3, 4]
    assert [f["message"]["seq"] for f in h.sender.of("o1", "chat.message")] == [2, 3, 4]
    op_msg = h.sender.of("p1", "chat.message")[0]["message"]
    assert op_msg["sender"] == {"role": "operator", "id": "ann", "name": "Ann"}

    h.frame("o1", action="end", chat_id=chat_id)
    assert h.sender.of("p1", "chat.ended")[0]["ended_by"] == "operator"
    assert h.sender.of("o1", "chat.ended")
    assert h.db.operators["ann"].active_chats == 0
    h.frame("o1", action="close", chat_id=chat_id)
    assert h.sender.of("o1", "chat.closed") == [{"type": "chat.closed", "chat_id": chat_id}]
    assert chat_id not in h.db.operators["ann"].chats
    assert h.db.chats[chat_id].status == "closed"


def test_second_claim_loses_with_conflict_and_everyone_hears_the_winner(h):
    h.operator("ann")
    h.operator("bob")
    h.connect_operator("o1", "ann")
    h.connect_operator("o2", "bob")
    chat_id, _ = h.new_chat()
    assert h.frame("o1", action="claim", chat_id=chat_id) == []
    lost = h.frame("o2", action="claim", chat_id=chat_id, request_id="r9")
    assert lost == [{"type": "error", "code": "conflict", "request_id": "r9",
                     "message": lost[0]["message"]}]
    assert h.sender.of("o2", "chat.claimed")[0]["operator"]["id"] == "ann"
    assert len(h.db.claims) == 1


def test_operator_at_max_chats_gets_capacity(h):
    h.operator("newbie", max_chats=1)
    h.connect_operator("o1", "newbie")
    first, _ = h.new_chat("one")
    second, _ = h.new_chat("two")
    assert h.frame("o1", action="claim", chat_id=first) == []
    replies = h.frame("o1", action="claim", chat_id=second)
    assert types(replies) == ["error"] and replies[0]["code"] == "capacity"
    assert h.db.chats[second].status == "queued"
    # ending the first frees the slot
    h.frame("o1", action="end", chat_id=first)
    assert h.frame("o1", action="claim", chat_id=second) == []


def test_resent_client_msg_id_is_stored_once_and_echoed_to_sender(h):
    chat_id, _ = setup_claimed(h)
    h.frame("p1", action="send", chat_id=chat_id, text="hi", client_msg_id="m-1")
    again = h.frame("p1", action="send", chat_id=chat_id, text="hi", client_msg_id="m-1")
    assert types(again) == ["chat.message"] and again[0]["message"]["seq"] == 2
    assert h.db.chats[chat_id].last_seq == 2
    assert [f["message"]["seq"] for f in h.sender.of("o1", "chat.message")] == [2]


def test_patron_drop_and_resume_gets_exactly_the_missed_messages(h):
    chat_id, token = setup_claimed(h)
    h.disconnect("p1")
    presence = h.sender.of("o1", "chat.presence")
    assert presence[-1]["patron"] == "offline"
    for i in range(3):
        h.frame("o1", action="send", chat_id=chat_id, text=f"m{i}")
    replies = h.connect_patron("p2", token, after={chat_id: 1})
    assert types(replies) == ["welcome", "chat.message", "chat.message", "chat.message"]
    assert [f["message"]["text"] for f in replies[1:]] == ["m0", "m1", "m2"]
    assert h.sender.of("o1", "chat.presence")[-1]["patron"] == "online"


def test_typing_reaches_the_other_side_with_preview_for_operators_only(h):
    chat_id, _ = setup_claimed(h)
    h.frame("p1", action="typing", chat_id=chat_id, typing=True, preview="I need a bo")
    h.frame("o1", action="typing", chat_id=chat_id, typing=True, preview="secret")
    to_op = h.sender.of("o1", "chat.typing")
    to_patron = h.sender.of("p1", "chat.typing")
    assert to_op == [{"type": "chat.typing", "chat_id": chat_id, "role": "patron",
                      "typing": True, "preview": "I need a bo"}]
    assert to_patron == [{"type": "chat.typing", "chat_id": chat_id, "role": "operator", "typing": True}]


def test_presence_away_reaches_operator(h):
    chat_id, _ = setup_claimed(h)
    h.frame("p1", action="presence", chat_id=chat_id, state="away")
    assert h.sender.of("o1", "chat.presence") == [
        {"type": "chat.presence", "chat_id": chat_id, "patron": "away"}]
    bad = h.frame("o1", action="presence", chat_id=chat_id, state="away")
    assert bad[0]["code"] == "forbidden"


def test_patron_ends_chat_operator_sees_it_then_closes(h):
    chat_id, _ = setup_claimed(h)
    h.frame("p1", action="end")
    assert h.sender.of("o1", "chat.ended")[0]["ended_by"] == "patron"
    late = h.frame("p1", action="send", chat_id=chat_id, text="wait")
    assert late[0]["code"] == "invalid_state"
    h.frame("o1", action="close", chat_id=chat_id)
    assert h.db.chats[chat_id].status == "closed"


def test_patron_ending_a_queued_chat_tells_all_operators(h):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    chat_id, token = h.new_chat()
    h.connect_patron("p1", token)
    h.frame("p1", action="end")
    assert h.sender.of("o1", "chat.ended")[0]["chat_id"] == chat_id
    assert h.frame("o1", action="claim", chat_id=chat_id)[0]["code"] == "conflict"


def test_close_before_end_is_invalid_state(h):
    chat_id, _ = setup_claimed(h)
    assert h.frame("o1", action="close", chat_id=chat_id)[0]["code"] == "invalid_state"


@pytest.mark.parametrize("raw, code", [
    ("{not json", "bad_request"),
    ("[1, 2]", "bad_request"),
    ('{"action": "dance"}', "bad_request"),
    ('{"no_action": 1}', "bad_request"),
    ('{"action": "send"}', "bad_request"),
    ('{"action": "send", "text": 5}', "bad_request"),
    ('{"action": "send", "text": ""}', "bad_request"),
    ('{"action": "typing", "typing": "yes"}', "bad_request"),
    ('{"action": "claim"}', "bad_request"),
    ('{"action": "presence", "state": "asleep"}', "bad_request"),
    ('{"action": "hello", "after": {"x": -1}}', "bad_request"),
])
def test_bad_frames_get_error_codes_and_write_nothing(h, raw, code):
    chat_id, _ = setup_claimed(h)
    before = (dict(h.db.messages), h.db.chats[chat_id].last_seq)
    replies = h.handle_frame("p1", raw)
    assert types(replies) == ["error"] and replies[0]["code"] == code
    assert replies[0]["message"]
    assert (dict(h.db.messages), h.db.chats[chat_id].last_seq) == before


def test_text_over_4000_chars_is_too_large_and_not_stored(h):
    chat_id, _ = setup_claimed(h)
    replies = h.frame("p1", action="send", chat_id=chat_id, text="x" * 4001)
    assert replies[0]["code"] == "too_large"
    assert h.db.chats[chat_id].last_seq == 1
    ok = h.frame("p1", action="send", chat_id=chat_id, text="x" * 4000)
    assert ok == [] and h.db.chats[chat_id].last_seq == 2


def test_patron_cannot_touch_another_chat(h):
    chat_id, _ = setup_claimed(h)
    other_id, other_token = h.new_chat("other patron's question")
    h.connect_patron("p9", other_token)
    for action in ({"action": "send", "text": "hi"}, {"action": "typing", "typing": True},
                   {"action": "end"}):
        replies = h.frame("p9", chat_id=chat_id, **action)
        assert replies[0]["code"] == "forbidden", action
    assert h.frame("p9", action="hello", after={chat_id: 0})[0]["code"] == "forbidden"
    assert h.db.chats[chat_id].last_seq == 1 and h.db.chats[chat_id].status == "active"
    with pytest.raises(ServiceError) as err:
        h.history(other_token, chat_id, None)
    assert err.value.code == "forbidden"


def test_patron_cannot_claim_or_close(h):
    h.operator("ann")
    chat_id, token = h.new_chat()
    h.connect_patron("p1", token)
    assert h.frame("p1", action="claim", chat_id=chat_id)[0]["code"] == "forbidden"
    assert h.frame("p1", action="close", chat_id=chat_id)[0]["code"] == "forbidden"
    assert h.db.chats[chat_id].status == "queued"


def test_patron_token_refused_for_operator_rest_calls(h):
    _, token = h.new_chat()
    with pytest.raises(ServiceError) as err:
        h.operator_for_token(token)
    assert err.value.code == "forbidden"


@pytest.mark.parametrize("token", [None, "", "p1.e30.AAAA", "garbage", "op:"])
def test_connect_refuses_missing_forged_or_unknown_tokens(h, token):
    with pytest.raises(ServiceError) as err:
        h.connect("c1", token)
    assert err.value.code in ("unauthorized", "forbidden")
    assert h.db.connections == {}


def test_connect_refuses_expired_patron_token_and_operator_without_record(h):
    chat_id, _ = h.new_chat()
    expired = sign_patron_token(b"s" * 32, chat_id, int(h.clock.now) - 1)
    with pytest.raises(ServiceError) as err:
        h.connect("c1", expired)
    assert err.value.code == "unauthorized"
    forged = sign_patron_token(b"x" * 32, chat_id, int(h.clock.now) + 100)
    with pytest.raises(ServiceError):
        h.connect("c1", forged)
    with pytest.raises(ServiceError) as err:
        h.connect("c2", "op:ghost")
    assert err.value.code == "forbidden"
    assert h.db.connections == {}


def test_gone_connection_is_forgotten_and_others_still_get_the_message(h):
    chat_id, _ = setup_claimed(h)
    h.connect_operator("o2", "ann")  # a second tab of the same operator
    h.sender.gone.add("o1")
    h.frame("p1", action="send", chat_id=chat_id, text="anyone?")
    assert h.sender.of("o2", "chat.message")[0]["message"]["text"] == "anyone?"
    assert "o1" not in h.db.connections
    assert "o1" not in h.db.chats[chat_id].operator_conns


def test_operator_second_tab_joins_its_chats_at_hello(h):
    chat_id, _ = setup_claimed(h)
    welcome = h.connect_operator("o2", "ann")[0]
    assert [c["chat_id"] for c in welcome["mine"]] == [chat_id]
    assert welcome["operator"] == {"id": "ann", "name": "Ann", "role": "librarian", "max_chats": 3,
                                   "availability": "available", "queues": None,
                                   "watching": ["general", "law"]}
    h.frame("p1", action="send", chat_id=chat_id, text="hi both")
    assert h.sender.of("o2", "chat.message")


def test_welcome_lists_queued_chats_for_operators(h):
    h.operator("ann")
    a, _ = h.new_chat("first")
    h.clock.now += 5
    b, _ = h.new_chat("second")
    welcome = h.connect_operator("o1", "ann")[0]
    assert [c["chat_id"] for c in welcome["queued"]] == [a, b]
    assert welcome["mine"] == []


def test_status_follows_operator_connections(h):
    assert h.status()["online"] is False
    h.operator("ann")
    h.connect("o1", "op:ann")
    assert h.status()["online"] is False  # not before hello
    h.frame("o1", action="hello")
    status = h.status()
    assert status["online"] is True
    assert status["queues"][0] == {"id": "general", "name": "Ask a librarian", "online": True,
                                   "open": True, "timezone": "UTC", "typing_preview": True}
    h.disconnect("o1")
    assert h.status()["online"] is False


def test_login_returns_token_and_profile(h):
    h.operator("ann")
    out = h.login({"username": "ann", "password": "pw"})
    assert out["token"] == "op:ann" and out["operator"]["id"] == "ann"
    with pytest.raises(ServiceError) as err:
        h.login({"username": "ann", "password": "nope"})
    assert err.value.code == "unauthorized"


def test_history_pages_after_seq(h):
    chat_id, token = setup_claimed(h)
    for i in range(5):
        h.frame("p1", action="send", chat_id=chat_id, text=str(i))
    msgs = h.history(token, chat_id, "3")["messages"]
    assert [m["seq"] for m in msgs] == [4, 5, 6]
    with pytest.raises(ServiceError):
        h.history(token, chat_id, "x")
    assert h.history("op:ann", chat_id, "5")["messages"][0]["seq"] == 6


def test_expired_chat_is_not_found_even_before_ttl_deletes_it(h):
    chat_id, token = setup_claimed(h)
    h.clock.now += 31 * 86400
    with pytest.raises(ServiceError) as err:
        h.history("op:ann", chat_id, None)
    assert err.value.code == "not_found"


def test_ping_pong(h):
    assert h.handle_frame("x", json.dumps({"action": "ping"})) == [{"type": "pong"}]


def test_survey_only_after_end_only_once_only_by_that_patron(h):
    chat_id, token = setup_claimed(h)
    with pytest.raises(ServiceError) as err:
        h.submit_survey(token, chat_id, {"rating": 5})
    assert err.value.code == "invalid_state"
    h.frame("o1", action="end", chat_id=chat_id)
    other_id, other_token = h.new_chat("someone else")
    for tok, code in ((other_token, "forbidden"), ("op:ann", "forbidden"), (None, "unauthorized")):
        with pytest.raises(ServiceError) as err:
            h.submit_survey(tok, chat_id, {"rating": 5})
        assert err.value.code == code
    for body in ({}, {"rating": 0}, {"rating": 6}, {"rating": "5"}, {"rating": True},
                 {"rating": 4, "answered": "yes"}, {"rating": 4, "comment": "x" * 2001}):
        with pytest.raises(ServiceError) as err:
            h.submit_survey(token, chat_id, body)
        assert err.value.code == "bad_request", body
    assert h.db.surveys == {}
    assert h.submit_survey(token, chat_id, {"rating": 4, "answered": True,
                                                    "comment": " Very helpful "}) == {"ok": True}
    survey = h.db.surveys[chat_id]
    assert (survey.rating, survey.answered, survey.comment, survey.operator_id) == (4, True, "Very helpful", "ann")
    assert survey.expires_at == h.db.chats[chat_id].expires_at
    with pytest.raises(ServiceError) as err:
        h.submit_survey(token, chat_id, {"rating": 1})
    assert err.value.code == "conflict"
    assert h.db.surveys[chat_id].rating == 4


def test_operator_status_away_and_back_drives_public_status_and_roster(h):
    h.operator("ann")
    h.operator("bob")
    h.connect_operator("o1", "ann")
    welcome = h.connect_operator("o2", "bob")[0]
    assert welcome["operators"] == [{"id": "ann", "name": "Ann", "state": "available"},
                                    {"id": "bob", "name": "Bob", "state": "available"}]
    assert h.sender.of("o1", "operator.status")[-1]["operator"] == {
        "id": "bob", "name": "Bob", "state": "available"}
    assert h.sender.of("o2", "operator.status") == []  # its own arrival comes in the welcome
    h.frame("o1", action="status", state="away")
    assert h.sender.of("o2", "operator.status")[-1]["operator"]["state"] == "away"
    assert h.status()["online"] is True  # bob is still available
    h.frame("o2", action="status", state="away")
    assert h.status()["online"] is False
    assert h.db.operators["bob"].availability == "away"
    h.disconnect("o2")
    assert h.sender.of("o1", "operator.status")[-1]["operator"] == {
        "id": "bob", "name": "Bob", "state": "offline"}
    welcome = h.connect_operator("o3", "bob")[0]  # remembered across connections
    assert welcome["operator"]["availability"] == "away"
    h.frame("o3", action="status", state="available")
    assert h.status()["online"] is True


def test_a_second_tab_tells_the_colleagues_nothing_and_the_last_tab_going_tells_them_once(h):
    """In a co-op every colleague hears a sign-in: a librarian's second dashboard (or a
    reload's new connection before the old one has gone) is no news to them."""
    h.operator("ann")
    h.operator("bob")
    h.connect_operator("o1", "ann")
    h.connect_operator("o2", "bob")
    assert [f["operator"]["state"] for f in h.sender.of("o1", "operator.status")] == ["available"]
    h.connect_operator("o3", "bob")  # bob's second tab
    assert [f["operator"]["state"] for f in h.sender.of("o1", "operator.status")] == ["available"]
    h.disconnect("o2")
    assert [f["operator"]["state"] for f in h.sender.of("o1", "operator.status")] == ["available"]
    h.disconnect("o3")
    assert [f["operator"]["state"] for f in h.sender.of("o1", "operator.status")] == ["available", "offline"]


def test_one_chat_at_a_time_today(h):
    h.operator("ann", max_chats=3)
    h.connect_operator("o1", "ann")
    assert h.frame("o1", action="status", chat_limit=5)[0]["code"] == "bad_request"  # > max_chats
    assert h.frame("o1", action="status", chat_limit=1) == []
    first, _ = h.new_chat("one")
    second, _ = h.new_chat("two")
    assert h.frame("o1", action="claim", chat_id=first) == []
    assert h.frame("o1", action="claim", chat_id=second)[0]["code"] == "capacity"
    h.frame("o1", action="status", chat_limit=None)
    assert h.frame("o1", action="claim", chat_id=second) == []


def test_status_action_is_for_operators_with_something_to_set(h):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    assert h.frame("o1", action="status")[0]["code"] == "bad_request"
    assert h.frame("o1", action="status", state="asleep")[0]["code"] == "bad_request"
    _, token = h.new_chat()
    h.connect_patron("p1", token)
    assert h.frame("p1", action="status", state="away")[0]["code"] == "forbidden"


def test_admins_list_operators_and_edit_max_chats(h):
    h.operator("ada", role="admin")
    h.operator("ann")
    h.connect_operator("o1", "ann")
    admin, ann = h.db.operators["ada"], h.db.operators["ann"]
    listing = h.list_operators(admin)["operators"]
    assert [(o["id"], o["state"]) for o in listing] == [("ada", "offline"), ("ann", "available")]
    assert h.update_operator(admin, "ann", {"max_chats": 1})["max_chats"] == 1
    assert h.db.operators["ann"].max_chats == 1
    for who, oid, body, code in ((ann, "ann", {"max_chats": 5}, "forbidden"),
                                 (admin, "ann", {"max_chats": 0}, "bad_request"),
                                 (admin, "ann", {"max_chats": "2"}, "bad_request"),
                                 (admin, "ghost", {"max_chats": 2}, "not_found")):
        with pytest.raises(ServiceError) as err:
            h.update_operator(who, oid, body)
        assert err.value.code == code
    with pytest.raises(ServiceError):
        h.list_operators(ann)


def test_transfer_to_another_librarian_while_the_patron_keeps_talking(h):
    chat_id, _ = setup_claimed(h)  # ann on o1, patron p1
    h.operator("bob")
    h.connect_operator("o2", "bob")
    h.sender.clear()
    assert h.frame("o1", action="transfer", chat_id=chat_id, to="bob", note="Needs the law collection") == []
    moved = h.sender.of("o2", "chat.transferred")[0]
    assert (moved["from"]["id"], moved["to"]["id"], moved["note"]) == ("ann", "bob", "Needs the law collection")
    assert h.sender.of("o1", "chat.transferred")[0]["to"]["id"] == "bob"
    assert h.sender.of("p1", "chat.claimed")[0]["operator"] == {"id": "bob", "name": "Bob"}
    assert h.sender.of("p1", "chat.transferred") == []  # the note stays among librarians
    assert (h.db.operators["ann"].active_chats, h.db.operators["bob"].active_chats) == (0, 1)
    assert chat_id in h.db.operators["bob"].chats and chat_id not in h.db.operators["ann"].chats
    h.sender.clear()
    h.frame("p1", action="send", chat_id=chat_id, text="still here")
    assert h.sender.of("o2", "chat.message") and not h.sender.of("o1", "chat.message")
    assert h.frame("o1", action="send", chat_id=chat_id, text="x")[0]["code"] == "forbidden"
    h.frame("o2", action="send", chat_id=chat_id, text="Hi, Bob here")
    assert h.sender.of("p1", "chat.message")[-1]["message"]["sender"]["name"] == "Bob"


def test_transfer_over_targets_limit_is_refused_and_chat_stays(h):
    chat_id, _ = setup_claimed(h)
    h.operator("newbie", max_chats=1)
    h.connect_operator("o2", "newbie")
    other, _ = h.new_chat("other")
    h.frame("o2", action="claim", chat_id=other)
    replies = h.frame("o1", action="transfer", chat_id=chat_id, to="newbie")
    assert replies[0]["code"] == "capacity"
    chat = h.db.chats[chat_id]
    assert (chat.operator_id, chat.operator_conns) == ("ann", {"o1"})
    assert h.db.operators["ann"].active_chats == 1
    assert h.frame("o1", action="transfer", chat_id=chat_id, to="ghost")[0]["code"] == "invalid_state"
    assert h.frame("o1", action="transfer", chat_id=chat_id, to="ann")[0]["code"] == "bad_request"
    assert h.frame("o2", action="transfer", chat_id=chat_id, to="newbie")[0]["code"] == "forbidden"
    assert h.frame("p1", action="transfer", chat_id=chat_id)[0]["code"] == "forbidden"


def test_transfer_back_to_the_queue_with_a_note(h):
    chat_id, _ = setup_claimed(h)
    h.operator("bob")
    h.connect_operator("o2", "bob")
    h.sender.clear()
    h.frame("o1", action="transfer", chat_id=chat_id, note="Patron wants someone from archives")
    queued = h.sender.of("o2", "chat.queued")[0]
    assert queued["chat"]["status"] == "queued" and queued["note"].startswith("Patron wants")
    assert h.sender.of("p1", "chat.transferred")[0]["to"] is None
    assert h.db.operators["ann"].active_chats == 0
    assert h.frame("o2", action="claim", chat_id=chat_id) == []
    assert h.sender.of("p1", "chat.claimed")[-1]["operator"]["id"] == "bob"


def test_internal_staff_chat_room(h):
    h.operator("ann")
    h.operator("bob")
    w1 = h.connect_operator("o1", "ann")[0]
    w2 = h.connect_operator("o2", "bob")[0]
    assert w2["staff"]["chat_id"] == "staff" and w2["staff"]["kind"] == "staff"
    assert w1["staff"]["status"] == "active"
    h.sender.clear()
    h.frame("o1", action="send", chat_id="staff", text="Morning! I'm on until 2.", client_msg_id="s1")
    for conn in ("o1", "o2"):
        got = h.sender.of(conn, "chat.message")
        assert got[0]["message"]["sender"] == {"role": "operator", "id": "ann", "name": "Ann"}
    h.frame("o2", action="send", chat_id="staff", text="Great, thanks")
    assert h.sender.of("o1", "chat.message")[-1]["message"]["sender"]["name"] == "Bob"
    assert h.sender.of("o1", "chat.message")[-1]["message"]["seq"] == 2
    msg = h.db.messages[("staff", 1)]
    assert msg.expires_at == int(h.clock.now) + 30 * 86400  # same retention rules
    h.frame("o1", action="typing", chat_id="staff", typing=True)
    assert h.sender.of("o2", "chat.typing")[-1]["operator"] == {"id": "ann", "name": "Ann"}
    assert h.sender.of("o1", "chat.typing") == []
    # the room is not a patron chat: it cannot be claimed, ended, closed or transferred
    for action in ("claim", "end", "close", "transfer"):
        assert h.frame("o1", action=action, chat_id="staff")[0]["code"] == "invalid_state", action
    assert "staff" not in h.db.chats and h.db.room.last_seq == 2
    # patrons cannot get in
    _, token = h.new_chat()
    h.connect_patron("p1", token)
    assert h.frame("p1", action="send", chat_id="staff", text="hi")[0]["code"] == "forbidden"
    with pytest.raises(ServiceError):
        h.history(token, "staff", None)
    assert [m["seq"] for m in h.history("op:bob", "staff", None)["messages"]] == [1, 2]
    # leaving: no more deliveries to a closed connection
    h.disconnect("o2")
    assert set(h.db.room.members) == {"o1"}


def test_one_chat_at_a_time_is_announced_in_the_staff_room(h):
    h.operator("ann")
    h.operator("theo")
    h.connect_operator("o1", "ann")
    h.connect_operator("o2", "theo")
    h.sender.clear()
    h.frame("o2", action="status", chat_limit=1)
    notice = h.sender.of("o1", "chat.message")[-1]
    assert notice["chat_id"] == "staff"
    assert notice["message"]["sender"] == {"role": "system"}
    assert notice["message"]["text"] == "Theo will take one chat at a time today."


def test_admins_see_survey_results(h):
    h.operator("ada", role="admin")
    h.operator("ann")
    h.connect_operator("o1", "ann")
    ratings = [(5, True, "Great help"), (3, False, None), (4, None, "ok")]
    for i, (rating, answered, comment) in enumerate(ratings):
        chat_id, token = h.new_chat(f"q{i}")
        h.connect_patron(f"p{i}", token)
        h.frame("o1", action="claim", chat_id=chat_id)
        h.frame(f"p{i}", action="end", chat_id=chat_id)
        body = {"rating": rating}
        if answered is not None:
            body["answered"] = answered
        if comment:
            body["comment"] = comment
        h.submit_survey(token, chat_id, body)
        h.clock.now += 3600
    results = h.survey_results(h.db.operators["ada"], "7")
    assert results["count"] == 3 and results["average_rating"] == 4.0
    assert results["ratings"] == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 1}
    assert results["answered_share"] == 0.5
    assert results["surveys"][0]["comment"] == "ok"  # newest first
    with pytest.raises(ServiceError) as err:
        h.survey_results(h.db.operators["ann"], None)
    assert err.value.code == "forbidden"
    with pytest.raises(ServiceError):
        h.survey_results(h.db.operators["ada"], "400")


def test_ended_chat_can_be_closed_from_a_new_connection_after_reload(h):
    chat_id, _ = setup_claimed(h)
    h.frame("p1", action="end", chat_id=chat_id)
    h.disconnect("o1")  # the dashboard reloads
    welcome = h.connect_operator("o9", "ann")[0]
    mine = {c["chat_id"]: c for c in welcome["mine"]}
    assert mine[chat_id]["status"] == "ended" and mine[chat_id]["ended_by"] == "patron"
    assert h.frame("o9", action="close", chat_id=chat_id) == []
    assert h.sender.of("o9", "chat.closed")[0]["chat_id"] == chat_id


def test_chat_claimed_carries_the_chat_with_patron_presence(h):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    chat_id, token = h.new_chat()
    h.connect_patron("p1", token)
    h.frame("o1", action="claim", chat_id=chat_id)
    claimed = h.sender.of("o1", "chat.claimed")[0]
    assert claimed["chat"]["patron_presence"] == "online" and claimed["chat"]["status"] == "active"


def test_refresh_and_me(h):
    h.operator("ann")
    out = h.login({"username": "ann", "password": "pw"})
    assert out["refresh_token"] == "refresh:ann"
    assert h.refresh({"refresh_token": out["refresh_token"]})["token"] == "op:ann"
    with pytest.raises(ServiceError) as err:
        h.refresh({"refresh_token": "bogus"})
    assert err.value.code == "unauthorized"
    assert h.me("op:ann")["operator"]["id"] == "ann"
    _, patron_token = h.new_chat()
    with pytest.raises(ServiceError) as err:
        h.me(patron_token)
    assert err.value.code == "forbidden"


class _JoinDuring:
    """A repository whose next write of the given kind first lets a patron connection join:
    the race between a reconnecting patron's hello and a claim / message / end."""

    def __init__(self, h, repo_method, chat_id, conn):
        repo_name, method = repo_method.split(".")
        self.repo, self.method = getattr(h.repos, repo_name), method
        original = getattr(self.repo, method)

        def racing(*args, **kwargs):
            setattr(self.repo, method, original)  # once
            h.connect(conn, self.token)
            h.frame(conn, action="hello", chat_id=chat_id)
            return original(*args, **kwargs)

        self.racing = racing

    def arm(self, token):
        self.token = token
        setattr(self.repo, self.method, self.racing)


@pytest.mark.parametrize("method", ["chats.claim", "log.append", "chats.end"])
def test_a_patron_joining_mid_write_still_gets_the_push(h, method):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    chat_id, token = h.new_chat()
    if method != "chats.claim":
        h.connect_patron("p1", token)
        h.frame("o1", action="claim", chat_id=chat_id)
    race = _JoinDuring(h, method, chat_id, "p-late")
    race.arm(token)
    if method == "chats.claim":
        h.frame("o1", action="claim", chat_id=chat_id)
        assert h.sender.of("p-late", "chat.claimed")
    elif method == "log.append":
        h.frame("o1", action="send", chat_id=chat_id, text="hello late patron")
        assert h.sender.of("p-late", "chat.message")[-1]["message"]["text"] == "hello late patron"
    else:
        h.frame("o1", action="end", chat_id=chat_id)
        assert h.sender.of("p-late", "chat.ended")
