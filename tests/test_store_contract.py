"""One suite, two stores: the in-memory fake and the DynamoDB adapter on moto must agree on
every condition, so domain tests on the fake say something true about AWS."""
from __future__ import annotations

import pytest

from chalicelib.domain.model import ACTIVE, Chat, Connection, Message, Operator
from chalicelib.domain.ports import AtCapacity, ClaimLost, DuplicateMessage, SeqConflict
from tests.fakes import MemoryStore

NOW = 1_790_000_000.0
EXPIRES = int(NOW) + 86400


@pytest.fixture(params=["memory", "dynamodb"])
def store(request):
    if request.param == "memory":
        yield MemoryStore()
        return
    request.getfixturevalue("aws")
    from chalicelib import wiring
    yield wiring.store()


def make_chat(store, chat_id="c1", question="Q?") -> Chat:
    chat = Chat(chat_id=chat_id, queue="general", question=question, created_at=NOW,
                last_seq=1, expires_at=EXPIRES)
    store.create_chat(chat, Message(chat_id, 1, "patron", NOW, text=question, expires_at=EXPIRES))
    return chat


def msg(chat: Chat, text: str, cmid: str | None = None) -> Message:
    return Message(chat.chat_id, chat.last_seq + 1, "patron", NOW, text=text,
                   client_msg_id=cmid, expires_at=EXPIRES)


def test_create_and_read_chat(store):
    make_chat(store)
    chat = store.get_chat("c1")
    assert (chat.status, chat.last_seq, chat.question, chat.expires_at) == ("queued", 1, "Q?", EXPIRES)
    assert [m.text for m in store.messages_after("c1", 0, 10)] == ["Q?"]
    assert store.get_chat("nope") is None
    assert [c.chat_id for c in store.queued_chats(10)] == ["c1"]


def test_append_is_optimistic_and_gap_free(store):
    chat = make_chat(store)
    store.append_message(chat, msg(chat, "a", "m1"))
    with pytest.raises(SeqConflict):  # same stale read again
        store.append_message(chat, msg(chat, "b"))
    fresh = store.get_chat("c1")
    assert fresh.last_seq == 2
    store.append_message(fresh, msg(fresh, "b"))
    assert [m.seq for m in store.messages_after("c1", 0, 10)] == [1, 2, 3]
    assert [m.text for m in store.messages_after("c1", 1, 10)] == ["a", "b"]


def test_duplicate_client_msg_id_reports_stored_seq_and_writes_nothing(store):
    chat = make_chat(store)
    store.append_message(chat, msg(chat, "a", "m1"))
    fresh = store.get_chat("c1")
    with pytest.raises(DuplicateMessage) as dup:
        store.append_message(fresh, msg(fresh, "a", "m1"))
    assert dup.value.seq == 2
    assert store.get_chat("c1").last_seq == 2
    assert store.get_message("c1", 3) is None


def test_append_refused_after_status_changed(store):
    chat = make_chat(store)
    store.end_chat(store.get_chat("c1"), "patron", NOW)
    with pytest.raises(SeqConflict):
        store.append_message(chat, msg(chat, "late"))


def test_claim_one_winner_and_capacity(store):
    store.put_operator(Operator(id="ann", name="Ann", max_chats=1))
    store.put_operator(Operator(id="bob", name="Bob", max_chats=3))
    c1, c2 = make_chat(store, "c1"), make_chat(store, "c2")
    store.claim(c1, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    with pytest.raises(ClaimLost):
        store.claim(c1, Operator(id="bob", name="Bob"), {"o2"}, NOW)
    with pytest.raises(AtCapacity):
        store.claim(c2, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    assert store.get_chat("c2").status == "queued"
    chat = store.get_chat("c1")
    assert (chat.status, chat.operator_id, chat.operator_conns) == (ACTIVE, "ann", {"o1"})
    ann = store.get_operator("ann")
    assert (ann.active_chats, ann.chats) == (1, {"c1"})
    assert [c.chat_id for c in store.queued_chats(10)] == ["c2"]


def test_end_frees_capacity_and_close_leaves_dashboard(store):
    store.put_operator(Operator(id="ann", name="Ann", max_chats=1))
    c1 = make_chat(store, "c1")
    store.claim(c1, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    ended = store.end_chat(store.get_chat("c1"), "operator", NOW + 5)
    assert (ended.status, ended.ended_by) == ("ended", "operator")
    assert store.get_operator("ann").active_chats == 0
    with pytest.raises(SeqConflict):
        store.close_chat(store.get_chat("c1"), "bob", NOW)
    store.close_chat(store.get_chat("c1"), "ann", NOW)
    assert store.get_chat("c1").status == "closed"
    assert store.get_operator("ann").chats == set()


def test_patron_connections_and_presence(store):
    make_chat(store)
    assert store.attach_patron("c1", "p1").patron_conns == {"p1"}
    assert store.attach_patron("c1", "p2").patron_presence == "online"
    assert store.detach_patron("c1", "p1").patron_conns == {"p2"}
    assert store.mark_patron_offline("c1") is False  # p2 still there
    assert store.detach_patron("c1", "p2").patron_conns == set()
    assert store.mark_patron_offline("c1") is True
    assert store.get_chat("c1").patron_presence == "offline"
    assert store.attach_patron("missing", "p1") is None
    assert store.get_chat("missing") is None  # an update never creates a chat


def test_operator_conns_on_chat(store):
    store.put_operator(Operator(id="ann", name="Ann"))
    c1 = make_chat(store)
    store.claim(c1, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    store.attach_operator_conns("c1", "bob", {"evil"})  # not bob's chat: ignored
    store.attach_operator_conns("c1", "ann", {"o2"})
    assert store.get_chat("c1").operator_conns == {"o1", "o2"}
    store.detach_operator_conn("c1", "o1")
    assert store.get_chat("c1").operator_conns == {"o2"}


def test_connections_and_operator_index(store):
    store.put_connection(Connection("p1", "patron", NOW, chat_id="c1", expires_at=EXPIRES))
    store.put_connection(Connection("o1", "operator", NOW, operator_id="ann",
                                    operator_name="Ann", expires_at=EXPIRES))
    assert store.operator_connections() == []
    store.put_connection(Connection("o1", "operator", NOW, operator_id="ann",
                                    operator_name="Ann", joined=True, expires_at=EXPIRES))
    assert [c.connection_id for c in store.operator_connections()] == ["o1"]
    gone = store.delete_connection("o1")
    assert (gone.role, gone.operator_id) == ("operator", "ann")
    assert store.delete_connection("o1") is None
    assert store.get_connection("p1").chat_id == "c1"
    assert store.operator_connections() == []


def test_batch_get_chats(store):
    for i in range(3):
        make_chat(store, f"c{i}")
    assert [c.chat_id for c in store.get_chats(["c2", "c0", "zz"])] == ["c0", "c2"]
    assert store.get_chats([]) == []


def test_one_survey_per_chat(store):
    from chalicelib.domain.model import Survey
    from chalicelib.domain.ports import AlreadyExists
    store.put_survey(Survey("c1", 5, NOW, answered=True, expires_at=EXPIRES))
    with pytest.raises(AlreadyExists):
        store.put_survey(Survey("c1", 1, NOW, expires_at=EXPIRES))


def test_operator_updates_directory_and_own_limit_in_claims(store):
    store.put_operator(Operator(id="ann", name="Ann", max_chats=3))
    store.put_operator(Operator(id="ada", name="Ada", role="admin"))
    assert [o.id for o in store.list_operators()] == ["ada", "ann"]
    ann = store.update_operator("ann", availability="away", chat_limit=1)
    assert (ann.availability, ann.chat_limit, ann.effective_limit) == ("away", 1, 1)
    assert store.update_operator("ghost", max_chats=2) is None
    c1, c2 = make_chat(store, "c1"), make_chat(store, "c2")
    store.claim(c1, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    with pytest.raises(AtCapacity):
        store.claim(c2, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    assert store.update_operator("ann", chat_limit=None).chat_limit is None
    store.claim(c2, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    store.put_connection(Connection("o1", "operator", NOW, operator_id="ann", joined=True,
                                    availability="available", expires_at=EXPIRES))
    store.set_connection_availability("o1", "away")
    store.set_connection_availability("gone", "away")  # no error, no item created
    assert store.get_connection("o1").availability == "away"
    assert store.get_connection("gone") is None


def test_transfer_and_requeue_are_conditional(store):
    store.put_operator(Operator(id="ann", name="Ann", max_chats=3))
    store.put_operator(Operator(id="bob", name="Bob", max_chats=1))
    c1, c2 = make_chat(store, "c1"), make_chat(store, "c2")
    store.claim(c1, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    store.claim(c2, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    store.transfer(store.get_chat("c1"), "ann", Operator(id="bob", name="Bob"), {"o2"}, NOW + 1, "n")
    chat = store.get_chat("c1")
    assert (chat.operator_id, chat.operator_conns) == ("bob", {"o2"})
    with pytest.raises(AtCapacity):  # bob is at 1
        store.transfer(store.get_chat("c2"), "ann", Operator(id="bob", name="Bob"), {"o2"}, NOW, None)
    assert store.get_chat("c2").operator_id == "ann"
    with pytest.raises(SeqConflict):  # ann no longer holds c1
        store.transfer(store.get_chat("c1"), "ann", Operator(id="bob", name="Bob"), {"o2"}, NOW, None)
    assert (store.get_operator("ann").active_chats, store.get_operator("bob").active_chats) == (1, 1)
    store.requeue(store.get_chat("c2"), "ann", NOW)
    chat = store.get_chat("c2")
    assert (chat.status, chat.operator_id, chat.operator_conns) == ("queued", None, set())
    assert store.get_operator("ann").active_chats == 0 and store.get_operator("ann").chats == set()
    with pytest.raises(SeqConflict):
        store.requeue(store.get_chat("c2"), "ann", NOW)


def test_reminder_mark_is_once_and_only_while_queued(store):
    store.put_operator(Operator(id="ann", name="Ann"))
    c1, c2 = make_chat(store, "c1"), make_chat(store, "c2")
    assert store.mark_reminded("c1", NOW) is True
    assert store.mark_reminded("c1", NOW + 60) is False
    store.claim(c2, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    assert store.mark_reminded("c2", NOW) is False
    assert store.mark_reminded("missing", NOW) is False
    assert store.get_chat("missing") is None


def test_staff_room_join_creates_once_and_leave(store):
    room = Chat(chat_id="staff", queue="staff", question="Internal Staff Chat", created_at=NOW,
                status="active", kind="staff", expires_at=EXPIRES)
    first = store.join_staff_room(room, "o1", "o1\tann\tAnn")
    assert (first.kind, first.status, first.last_seq, first.operator_conns) == ("staff", "active", 0, {"o1"})
    store.append_message(first, Message("staff", 1, "operator", NOW, text="hi", expires_at=EXPIRES))
    second = store.join_staff_room(room, "o2", "o2\tbob\tBob")  # must not reset the room
    assert second.last_seq == 1 and second.operator_conns == {"o1", "o2"}
    assert second.staff_member("o2") == ("bob", "Bob")
    store.leave_staff_room("staff", "o1", "o1\tann\tAnn")
    after = store.get_chat("staff")
    assert after.operator_conns == {"o2"} and after.staff_member("o1") is None
    assert [c.chat_id for c in store.queued_chats(10)] == []


def test_writes_that_push_refuse_when_delivery_lists_changed(store):
    store.put_operator(Operator(id="ann", name="Ann"))
    chat = make_chat(store)
    store.attach_patron("c1", "p1")  # after `chat` was read
    with pytest.raises(ClaimLost):
        store.claim(chat, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    fresh = store.get_chat("c1")
    store.claim(fresh, Operator(id="ann", name="Ann"), {"o1"}, NOW)
    fresh = store.get_chat("c1")
    store.detach_patron("c1", "p1")
    with pytest.raises(SeqConflict):
        store.append_message(fresh, msg(fresh, "x"))
    with pytest.raises(SeqConflict):
        store.end_chat(fresh, "operator", NOW)
    newest = store.get_chat("c1")
    store.append_message(newest, msg(newest, "x"))
    assert store.get_chat("c1").last_seq == 2
