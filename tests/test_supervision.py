"""Supervisors (docs/supervision.md) through the real wiring on the in-memory fakes: who may look
in, what an observer hears and may not do, the patron told per desk policy, take-over and end
by a supervisor, and an observer's disconnect. The moto run with counted requests is
tests/test_supervision_moto.py; the browser run is tests/test_supervision_browser.py."""
from __future__ import annotations

import pytest

from chalicelib.domain.model import Operator


def claimed(h, queue=None):
    """ann (librarian) holds a chat of patron p1 on o1; sue (supervisor) is signed in on s1."""
    h.operator("ann")
    h.operator("sue", role="supervisor")
    h.connect_operator("o1", "ann")
    h.connect_operator("s1", "sue")
    chat_id, token = h.new_chat("Where are the atlases?", **({"queue": queue} if queue else {}))
    h.connect_patron("p1", token)
    assert h.frame("o1", action="claim", chat_id=chat_id) == []
    h.frame("p1", action="send", chat_id=chat_id, text="They used to be by the window")
    h.sender.clear()
    return chat_id


def types(frames):
    return [f["type"] for f in frames]


def test_a_supervisor_looks_in_reads_the_conversation_and_hears_it_live(h):
    chat_id = claimed(h)
    replies = h.frame("s1", action="observe", chat_id=chat_id)
    assert types(replies) == ["observing", "chat.message", "chat.message"]
    assert replies[0]["observing"] is True and replies[0]["chat"]["operator"]["id"] == "ann"
    assert [m["message"]["seq"] for m in replies[1:]] == [1, 2]
    assert h.db.chats[chat_id].observer_conns == {"s1"}
    assert h.db.connections["s1"].observing == {chat_id}
    # the patron is told (the default policy), without a name; the librarian, with one
    assert h.sender.of("p1", "chat.observed") == [{"type": "chat.observed", "chat_id": chat_id, "observed": True}]
    told = h.sender.of("o1", "chat.observed")[0]
    assert told["supervisor"] == {"id": "sue", "name": "Sue"} and told["observed"] is True
    h.sender.clear()
    h.frame("p1", action="send", chat_id=chat_id, text="Are you still there?")
    h.frame("o1", action="send", chat_id=chat_id, text="Yes, checking now")
    h.frame("p1", action="typing", chat_id=chat_id, typing=True)
    assert [f["message"]["text"] for f in h.sender.of("s1", "chat.message")] == [
        "Are you still there?", "Yes, checking now"]
    assert h.sender.of("s1", "chat.typing")[0]["role"] == "patron"
    # read-only: no message, no typing; the chat is unchanged
    refused = h.frame("s1", action="send", chat_id=chat_id, text="hello from the supervisor")
    assert refused[0]["code"] == "forbidden" and "take the chat over" in refused[0]["message"]
    assert h.frame("s1", action="typing", chat_id=chat_id, typing=True)[0]["code"] == "forbidden"
    assert h.db.chats[chat_id].last_seq == 4
    # looking in twice changes nothing and tells nobody again
    h.sender.clear()
    assert types(h.frame("s1", action="observe", chat_id=chat_id))[0] == "observing"
    assert h.sender.of("p1", "chat.observed") == [] and h.sender.of("o1", "chat.observed") == []


def test_who_may_look_in(h):
    chat_id = claimed(h)
    h.operator("bob")
    h.connect_operator("o2", "bob")
    assert h.frame("o2", action="observe", chat_id=chat_id)[0]["code"] == "forbidden"
    assert h.frame("o2", action="take_over", chat_id=chat_id)[0]["code"] == "forbidden"
    assert h.frame("p1", action="observe", chat_id=chat_id)[0]["code"] == "forbidden"
    assert h.frame("o1", action="observe", chat_id=chat_id)[0]["code"] == "forbidden"  # a librarian
    # a supervisor of another desk only
    h.repos.operators.put(Operator(id="lou", name="Lou", role="supervisor", queues={"law"}))
    h.connect_operator("s2", "lou")
    assert h.frame("s2", action="observe", chat_id=chat_id)[0]["code"] == "forbidden"
    # an admin supervises every desk; their own chat is not looked into
    h.operator("ada", role="admin")
    h.connect_operator("a1", "ada")
    assert types(h.frame("a1", action="observe", chat_id=chat_id))[0] == "observing"
    assert h.frame("s1", action="observe", chat_id="nope")[0]["code"] == "not_found"
    assert h.frame("s1", action="observe")[0]["code"] == "bad_request"
    with pytest.raises(Exception) as refused:
        h.services.supervision.live(h.op("bob"))
    assert getattr(refused.value, "code", None) == "forbidden"
    assert h.db.chats[chat_id].observer_conns == {"a1"}


def test_the_patron_is_not_told_where_the_desk_says_so_but_the_librarian_is(h):
    h.operator("ada", role="admin")
    h.services.desks.update(h.op("ada"), "general", {"privacy": {"observer_notice": False}})
    chat_id = claimed(h)
    h.frame("s1", action="observe", chat_id=chat_id)
    h.frame("s1", action="unobserve", chat_id=chat_id)
    assert h.sender.of("p1", "chat.observed") == []
    assert [f["observed"] for f in h.sender.of("o1", "chat.observed")] == [True, False]


def test_the_patron_hears_of_the_first_in_and_the_last_out_and_a_disconnect_counts(h):
    chat_id = claimed(h)
    h.operator("ada", role="admin")
    h.connect_operator("a1", "ada")
    h.frame("s1", action="observe", chat_id=chat_id)
    h.frame("a1", action="observe", chat_id=chat_id)
    h.frame("s1", action="unobserve", chat_id=chat_id)
    assert [f["observed"] for f in h.sender.of("p1", "chat.observed")] == [True]
    assert h.db.connections["s1"].observing == set()
    h.disconnect("a1")
    assert [f["observed"] for f in h.sender.of("p1", "chat.observed")] == [True, False]
    assert h.db.chats[chat_id].observer_conns == set()
    assert h.frame("s1", action="unobserve", chat_id=chat_id)[0] == {
        "type": "observing", "chat_id": chat_id, "observing": False}  # idempotent


def test_a_supervisor_takes_a_chat_over(h):
    chat_id = claimed(h)
    h.connect_operator("s1b", "sue")  # a second tab of the supervisor's
    h.frame("s1", action="observe", chat_id=chat_id)
    h.sender.clear()
    assert h.frame("s1", action="take_over", chat_id=chat_id) == []
    chat = h.db.chats[chat_id]
    assert (chat.operator_id, chat.operator_conns, chat.observer_conns) == ("sue", {"s1", "s1b"}, set())
    assert (h.op("ann").active_chats, h.op("sue").active_chats) == (0, 1)
    assert chat_id in h.op("sue").chats and chat_id not in h.op("ann").chats
    old = h.sender.of("o1", "chat.transferred")[0]
    assert old["taken_over"] is True and (old["from"]["id"], old["to"]["id"]) == ("ann", "sue")
    assert h.sender.of("s1b", "chat.transferred")[0]["chat"]["operator"]["id"] == "sue"
    assert h.sender.of("p1", "chat.claimed")[0]["operator"] == {"id": "sue", "name": "Sue"}
    assert h.sender.of("p1", "chat.observed")[-1]["observed"] is False
    assert h.db.connections["s1"].observing == set()
    h.sender.clear()
    h.frame("s1", action="send", chat_id=chat_id, text="Hello, Sue here; I'll take it from here")
    assert h.sender.of("p1", "chat.message")[0]["message"]["sender"]["name"] == "Sue"
    assert h.frame("o1", action="send", chat_id=chat_id, text="x")[0]["code"] == "forbidden"
    assert h.frame("s1", action="take_over", chat_id=chat_id)[0]["code"] == "bad_request"


def test_take_over_refusals_leave_the_chat_as_it_was(h):
    chat_id = claimed(h)
    h.repos.operators.put(Operator(id="max", name="Max", role="supervisor", max_chats=1, active_chats=1))
    h.connect_operator("s3", "max")
    assert h.frame("s3", action="take_over", chat_id=chat_id)[0]["code"] == "capacity"
    waiting, _ = h.new_chat("Still waiting")
    assert h.frame("s1", action="take_over", chat_id=waiting)[0]["code"] == "invalid_state"
    chat = h.db.chats[chat_id]
    assert (chat.operator_id, chat.operator_conns, h.op("ann").active_chats) == ("ann", {"o1"}, 1)


def test_a_supervisor_looking_in_ends_the_chat(h):
    chat_id = claimed(h)
    h.frame("s1", action="observe", chat_id=chat_id)
    h.sender.clear()
    assert h.frame("s1", action="end", chat_id=chat_id) == []
    for conn in ("p1", "o1", "s1"):
        ended = h.sender.of(conn, "chat.ended")[0]
        assert ended["ended_by"] == "operator" and ended["by"] == {"id": "sue", "name": "Sue"}, conn
    assert h.db.chats[chat_id].status == "ended" and h.op("ann").active_chats == 0
    # a librarian who is no supervisor cannot end someone else's chat
    other = claimed_again(h)
    h.operator("bob")
    h.connect_operator("o2", "bob")
    assert h.frame("o2", action="end", chat_id=other)[0]["code"] == "forbidden"


def claimed_again(h):
    chat_id, token = h.new_chat("Another")
    h.connect_patron("p2", token)
    h.frame("o1", action="claim", chat_id=chat_id)
    return chat_id


def test_the_live_view_lists_the_desks_librarians_and_chats_a_supervisor_oversees(h):
    chat_id = claimed(h)
    waiting, _ = h.new_chat("Law question", queue="law")
    h.repos.operators.put(Operator(id="lou", name="Lou", role="supervisor", queues={"law"}))
    h.operator("zed")  # offline, every desk
    h.repos.operators.put(Operator(id="gil", name="Gil", queues={"general"}))
    h.frame("s1", action="observe", chat_id=chat_id)
    view = h.services.supervision.live(h.op("sue"))
    assert [(d["id"], d["waiting"], d["active"], d["online"]) for d in view["desks"]] == [
        ("general", 0, 1, 2), ("law", 1, 0, 2)]
    people = {p["id"]: p for p in view["librarians"]}
    assert people["ann"]["online"] and people["ann"]["active_chats"] == 1 and people["ann"]["chats"] == [chat_id]
    assert not people["zed"]["online"] and people["lou"]["queues"] == ["law"]
    chats = {c["chat_id"]: c for c in view["chats"]}
    assert chats[chat_id]["observers"] == 1 and chats[chat_id]["status"] == "active"
    assert chats[waiting]["status"] == "queued"
    law = h.services.supervision.live(h.op("lou"))
    assert [d["id"] for d in law["desks"]] == ["law"] and list(c["chat_id"] for c in law["chats"]) == [waiting]
    assert {p["id"] for p in law["librarians"]} == {"ann", "sue", "zed", "lou"}  # not gil (general only)
