"""One suite, two backends: the in-memory fakes (tests/fakes.py) and the DynamoDB repositories
on moto must agree on every condition, so domain tests on the fakes say something true about
AWS."""
from __future__ import annotations

import dataclasses

import pytest

from chalicelib.domain.limits import STAFF_ROOM_SECONDS
from chalicelib.domain.model import (ACTIVE, STAFF_ROOM_ID, Canned, Chat, Connection, Member,
                                     Message, Operator, Survey, Watch)
from chalicelib.domain.ports import (AlreadyExists, AtCapacity, BelowActive, ClaimLost,
                                     DuplicateMessage, NotFound, StaleRead)
from tests.fakes import MemoryRepositories

NOW = 1_790_000_000.0
EXPIRES = int(NOW) + 86400


@pytest.fixture(params=["memory", "dynamodb"])
def repos(request):
    if request.param == "memory":
        return MemoryRepositories()
    request.getfixturevalue("aws")  # moto, the tables, wiring reset (tests/conftest.py)
    from chalicelib import wiring
    return wiring.repositories()


def make_chat(repos, chat_id="c1", question="Q?") -> Chat:
    chat = Chat(chat_id=chat_id, queue="general", question=question, created_at=NOW,
                last_seq=1, expires_at=EXPIRES)
    repos.chats.create(chat, Message(chat_id, 1, "patron", NOW, text=question, expires_at=EXPIRES))
    return chat


def msg(conv, text: str, cmid: str | None = None, role: str = "patron") -> Message:
    return Message(conv.id, conv.last_seq + 1, role, NOW, text=text, client_msg_id=cmid,
                   expires_at=EXPIRES)


def add_operators(repos, **max_chats) -> None:
    for op_id, limit in max_chats.items():
        repos.operators.put(Operator(id=op_id, name=op_id.title(), max_chats=limit))


def op(op_id: str) -> Operator:
    return Operator(id=op_id, name=op_id.title())


# ------------------------------------------------------------------ chats and their log


def test_create_and_read_chat(repos):
    make_chat(repos)
    chat = repos.chats.get("c1")
    assert (chat.status, chat.last_seq, chat.question, chat.expires_at) == ("queued", 1, "Q?", EXPIRES)
    assert (chat.created_at, chat.patron_conns, chat.conn_version) == (NOW, set(), 0)
    assert [m.text for m in repos.log.after("c1", 0, 10)] == ["Q?"]
    assert repos.chats.get("nope") is None
    assert [c.chat_id for c in repos.chats.queued(10)] == ["c1"]
    with pytest.raises(AlreadyExists):
        make_chat(repos, "c1", "again")
    assert repos.chats.get("c1").question == "Q?"


def test_append_is_optimistic_and_gap_free(repos):
    chat = make_chat(repos)
    repos.log.append(chat, msg(chat, "a", "m1"))
    with pytest.raises(StaleRead):  # same stale read again
        repos.log.append(chat, msg(chat, "b"))
    fresh = repos.chats.get("c1")
    assert fresh.last_seq == 2
    repos.log.append(fresh, msg(fresh, "b"))
    assert [m.seq for m in repos.log.after("c1", 0, 10)] == [1, 2, 3]
    assert [m.text for m in repos.log.after("c1", 1, 10)] == ["a", "b"]
    assert [m.seq for m in repos.log.after("c1", 0, 2)] == [1, 2]
    stored = repos.log.get("c1", 2)
    assert (stored.client_msg_id, stored.expires_at, stored.sent_at) == ("m1", EXPIRES, NOW)


def test_duplicate_client_msg_id_reports_stored_seq_and_writes_nothing(repos):
    chat = make_chat(repos)
    repos.log.append(chat, msg(chat, "a", "m1"))
    fresh = repos.chats.get("c1")
    with pytest.raises(DuplicateMessage) as dup:
        repos.log.append(fresh, msg(fresh, "a", "m1"))
    assert dup.value.seq == 2
    assert repos.chats.get("c1").last_seq == 2
    assert repos.log.get("c1", 3) is None


def test_append_refused_after_status_changed(repos):
    chat = make_chat(repos)
    repos.chats.end(repos.chats.get("c1"), "patron", NOW)
    with pytest.raises(StaleRead):
        repos.log.append(chat, msg(chat, "late"))


def test_claim_one_winner_and_capacity(repos):
    add_operators(repos, ann=1, bob=3)
    c1, c2 = make_chat(repos, "c1"), make_chat(repos, "c2")
    repos.chats.claim(c1, op("ann"), {"o1"}, NOW)
    with pytest.raises(ClaimLost):
        repos.chats.claim(c1, op("bob"), {"o2"}, NOW)
    with pytest.raises(AtCapacity):
        repos.chats.claim(c2, op("ann"), {"o1"}, NOW)
    assert repos.chats.get("c2").status == "queued"
    chat = repos.chats.get("c1")
    assert (chat.status, chat.operator_id, chat.operator_conns, chat.claimed_at) == (ACTIVE, "ann", {"o1"}, NOW)
    ann = repos.operators.get("ann")
    assert (ann.active_chats, ann.chats) == (1, {"c1"})
    assert [c.chat_id for c in repos.chats.queued(10)] == ["c2"]
    with pytest.raises(AtCapacity):  # no operator record: no capacity
        repos.chats.claim(c2, op("ghost"), {"o3"}, NOW)


def test_end_frees_capacity_and_close_leaves_dashboard(repos):
    add_operators(repos, ann=1)
    repos.chats.claim(make_chat(repos, "c1"), op("ann"), {"o1"}, NOW)
    repos.chats.end(repos.chats.get("c1"), "operator", NOW + 5)
    ended = repos.chats.get("c1")
    assert (ended.status, ended.ended_by, ended.ended_at) == ("ended", "operator", NOW + 5)
    ann = repos.operators.get("ann")
    assert (ann.active_chats, ann.chats) == (0, {"c1"})  # still on the dashboard until closed
    with pytest.raises(StaleRead):  # ended again from a stale read
        repos.chats.end(dataclasses.replace(ended, status=ACTIVE), "patron", NOW)
    with pytest.raises(StaleRead):  # not bob's chat
        repos.chats.close(dataclasses.replace(ended, operator_id="bob"), NOW)
    repos.chats.close(repos.chats.get("c1"), NOW)
    assert repos.chats.get("c1").status == "closed"
    assert repos.operators.get("ann").chats == set()
    with pytest.raises(StaleRead):
        repos.chats.close(repos.chats.get("c1"), NOW)


def test_patron_connections_and_presence(repos):
    make_chat(repos)
    assert repos.chats.attach_patron("c1", "p1").patron_conns == {"p1"}
    assert repos.chats.attach_patron("c1", "p2").patron_presence == "online"
    assert repos.chats.detach("c1", "p1").patron_conns == {"p2"}
    assert repos.chats.mark_patron_offline("c1", NOW) is False  # p2 still there
    assert repos.chats.detach("c1", "p2").patron_conns == set()
    assert repos.chats.mark_patron_offline("c1", NOW + 7) is True
    left = repos.chats.get("c1")
    assert (left.patron_presence, left.patron_left_at) == ("offline", NOW + 7)
    back = repos.chats.attach_patron("c1", "p3")  # back: no longer "left"
    assert (back.patron_presence, back.patron_left_at) == ("online", None)
    assert repos.chats.get("c1").patron_left_at is None
    repos.chats.detach("c1", "p3")
    repos.chats.set_presence("c1", "away")
    assert repos.chats.get("c1").patron_presence == "away"
    repos.chats.set_presence("missing", "away")
    assert repos.chats.attach_patron("missing", "p1") is None
    assert repos.chats.get("missing") is None  # an update never creates a chat


def test_end_records_the_systems_reason(repos):
    make_chat(repos)
    repos.chats.end(repos.chats.get("c1"), "system", NOW, reason="abandoned")
    ended = repos.chats.get("c1")
    assert (ended.status, ended.ended_by, ended.end_reason) == ("ended", "system", "abandoned")
    assert ended.to_wire()["reason"] == "abandoned"


def test_operator_conns_on_chat(repos):
    add_operators(repos, ann=3)
    repos.chats.claim(make_chat(repos), op("ann"), {"o1"}, NOW)
    repos.chats.attach_operator("c1", "bob", {"evil"})  # not bob's chat: ignored
    repos.chats.attach_operator("c1", "ann", {"o2"})
    repos.chats.attach_operator("c1", "ann", set())  # nothing to add
    assert repos.chats.get("c1").operator_conns == {"o1", "o2"}
    repos.chats.detach("c1", "o1")
    assert repos.chats.get("c1").operator_conns == {"o2"}
    repos.chats.attach_operator("missing", "ann", {"o1"})
    assert repos.chats.get("missing") is None


def test_detach_removes_from_both_lists_and_is_idempotent(repos):
    add_operators(repos, ann=3)
    repos.chats.claim(make_chat(repos), op("ann"), {"x"}, NOW)
    repos.chats.attach_patron("c1", "x")  # the same id on both lists
    repos.chats.attach_patron("c1", "p1")
    before = repos.chats.get("c1").conn_version
    after = repos.chats.detach("c1", "x")
    assert (after.patron_conns, after.operator_conns) == ({"p1"}, set())
    assert after.conn_version == before + 1
    again = repos.chats.detach("c1", "x")
    assert (again.patron_conns, again.operator_conns) == ({"p1"}, set())
    assert repos.chats.detach("c1", "p1").patron_conns == set()
    assert repos.chats.detach("missing", "x") is None
    assert repos.chats.get("missing") is None


def test_batch_get_chats(repos):
    for i in range(3):
        make_chat(repos, f"c{i}")
    assert [c.chat_id for c in repos.chats.get_many(["c2", "c0", "zz", "c2"])] == ["c0", "c2"]
    assert repos.chats.get_many([]) == []


def test_transfer_and_requeue_are_conditional(repos):
    add_operators(repos, ann=3, bob=1)
    c1, c2 = make_chat(repos, "c1"), make_chat(repos, "c2")
    repos.chats.claim(c1, op("ann"), {"o1"}, NOW)
    repos.chats.claim(c2, op("ann"), {"o1"}, NOW)
    held = repos.chats.get("c1")
    repos.chats.transfer(held, op("bob"), {"o2"}, NOW + 1, "n")
    chat = repos.chats.get("c1")
    assert (chat.operator_id, chat.operator_name, chat.operator_conns) == ("bob", "Bob", {"o2"})
    with pytest.raises(AtCapacity):  # bob is at 1
        repos.chats.transfer(repos.chats.get("c2"), op("bob"), {"o2"}, NOW, None)
    assert repos.chats.get("c2").operator_id == "ann"
    with pytest.raises(StaleRead):  # ann no longer holds c1
        repos.chats.transfer(held, op("bob"), {"o2"}, NOW, None)
    ann, bob = repos.operators.get("ann"), repos.operators.get("bob")
    assert (ann.active_chats, ann.chats, bob.active_chats, bob.chats) == (1, {"c2"}, 1, {"c1"})
    repos.chats.requeue(repos.chats.get("c2"), NOW)
    chat = repos.chats.get("c2")
    assert (chat.status, chat.operator_id, chat.operator_conns, chat.claimed_at) == ("queued", None, set(), None)
    assert repos.operators.get("ann").active_chats == 0 and repos.operators.get("ann").chats == set()
    with pytest.raises(StaleRead):
        repos.chats.requeue(dataclasses.replace(chat, status=ACTIVE, operator_id="ann"), NOW)


def test_reminder_mark_is_once_and_only_while_queued(repos):
    add_operators(repos, ann=3)
    c1, c2 = make_chat(repos, "c1"), make_chat(repos, "c2")
    assert repos.chats.mark_reminded("c1", NOW) is True
    assert repos.chats.mark_reminded("c1", NOW + 60) is False
    repos.chats.claim(c2, op("ann"), {"o1"}, NOW)
    assert repos.chats.mark_reminded("c2", NOW) is False
    assert repos.chats.mark_reminded("missing", NOW) is False
    assert repos.chats.get("missing") is None


def test_writes_that_push_refuse_when_delivery_lists_changed(repos):
    add_operators(repos, ann=3)
    chat = make_chat(repos)
    repos.chats.attach_patron("c1", "p1")  # after `chat` was read
    with pytest.raises(ClaimLost):
        repos.chats.claim(chat, op("ann"), {"o1"}, NOW)
    repos.chats.claim(repos.chats.get("c1"), op("ann"), {"o1"}, NOW)
    fresh = repos.chats.get("c1")
    repos.chats.detach("c1", "p1")
    with pytest.raises(StaleRead):
        repos.log.append(fresh, msg(fresh, "x"))
    with pytest.raises(StaleRead):
        repos.chats.end(fresh, "operator", NOW)
    newest = repos.chats.get("c1")
    repos.log.append(newest, msg(newest, "x"))
    assert repos.chats.get("c1").last_seq == 2


# ------------------------------------------------------------------ the staff room


def test_staff_room_join_creates_once(repos):
    assert repos.staff_room.get() is None
    first = repos.staff_room.join("o1", Member("ann", "Ann"), NOW)
    assert (first.last_seq, first.members, first.created_at) == (0, {"o1": Member("ann", "Ann")}, NOW)
    assert first.expires_at == int(NOW) + STAFF_ROOM_SECONDS
    repos.log.append(first, msg(first, "hi", "m1", role="operator"))
    second = repos.staff_room.join("o2", Member("bob", "Bob"), NOW + 50)  # must not reset the room
    assert (second.last_seq, second.created_at, second.expires_at) == (1, NOW, first.expires_at)
    assert second.conns == {"o1", "o2"} and second.members["o2"] == Member("bob", "Bob")
    assert second.conn_version > first.conn_version
    assert repos.staff_room.get() == second
    assert [m.text for m in repos.log.after(STAFF_ROOM_ID, 0, 10)] == ["hi"]
    with pytest.raises(DuplicateMessage) as dup:
        repos.log.append(second, msg(second, "hi", "m1", role="operator"))
    assert dup.value.seq == 1
    assert repos.chats.queued(10) == [] and repos.chats.get(STAFF_ROOM_ID) is None
    assert repos.chats.attach_patron(STAFF_ROOM_ID, "p1") is None  # chat writes never touch it
    assert repos.chats.detach(STAFF_ROOM_ID, "o1") is None
    assert repos.staff_room.get().conns == {"o1", "o2"}


def test_staff_room_members_are_keyed_by_connection(repos):
    repos.staff_room.leave("o1")  # no room yet: harmless, and creates none
    assert repos.staff_room.get() is None
    repos.staff_room.join("o1", Member("ann", "Ann"), NOW)
    room = repos.staff_room.join("o2", Member("ann", "Ann"), NOW)  # a second tab
    assert room.members == {"o1": Member("ann", "Ann"), "o2": Member("ann", "Ann")}
    repos.staff_room.leave("o1")
    assert repos.staff_room.get().members == {"o2": Member("ann", "Ann")}
    version = repos.staff_room.get().conn_version
    repos.staff_room.leave("o1")  # again
    repos.staff_room.leave("unknown")
    after = repos.staff_room.get()
    assert (after.members, after.conn_version) == ({"o2": Member("ann", "Ann")}, version)


def test_staff_room_rename_replaces_the_member(repos):
    repos.staff_room.join("o1", Member("ann", "Ann"), NOW)
    room = repos.staff_room.join("o1", Member("ann", "Ann Smith"), NOW)
    assert room.members == {"o1": Member("ann", "Ann Smith")}
    assert repos.staff_room.get().members == {"o1": Member("ann", "Ann Smith")}


def test_staff_room_sends_refused_when_members_changed(repos):
    repos.staff_room.join("o1", Member("ann", "Ann"), NOW)
    read = repos.staff_room.get()
    repos.staff_room.join("o2", Member("bob", "Bob"), NOW)
    with pytest.raises(StaleRead):
        repos.log.append(read, msg(read, "x", role="operator"))
    read = repos.staff_room.get()
    repos.staff_room.leave("o2")
    with pytest.raises(StaleRead):
        repos.log.append(read, msg(read, "x", role="operator"))
    fresh = repos.staff_room.get()
    repos.log.append(fresh, msg(fresh, "x", role="operator"))
    with pytest.raises(StaleRead):  # same seq again
        repos.log.append(fresh, msg(fresh, "y", role="operator"))
    assert repos.staff_room.get().last_seq == 1


# ------------------------------------------------------------------ connections


def test_connections_and_operator_index(repos):
    repos.connections.put(Connection("p1", "patron", NOW, chat_id="c1", expires_at=EXPIRES))
    repos.connections.put(Connection("o1", "operator", NOW, operator_id="ann",
                                     operator_name="Ann", expires_at=EXPIRES))
    assert repos.connections.operators() == []
    repos.connections.put(Connection("o1", "operator", NOW, operator_id="ann",
                                     operator_name="Ann", joined=True, expires_at=EXPIRES))
    repos.connections.put(Connection("o0", "operator", NOW, operator_id="bob", joined=True,
                                     expires_at=EXPIRES))
    assert [c.connection_id for c in repos.connections.operators()] == ["o0", "o1"]
    got = repos.connections.get("o1")
    assert (got.role, got.operator_id, got.joined, got.expires_at, got.connected_at) == (
        "operator", "ann", True, EXPIRES, NOW)
    repos.connections.delete("o1")
    repos.connections.delete("o1")  # idempotent
    repos.connections.delete("never")
    assert repos.connections.get("o1") is None
    assert repos.connections.get("p1").chat_id == "c1"
    assert [c.connection_id for c in repos.connections.operators()] == ["o0"]


# ------------------------------------------------------------------ operators


def test_operator_updates_directory_and_own_limit_in_claims(repos):
    repos.operators.put(Operator(id="ann", name="Ann", max_chats=3))
    repos.operators.put(Operator(id="ada", name="Ada", role="admin"))
    assert [o.id for o in repos.operators.list()] == ["ada", "ann"]
    ann = repos.operators.update("ann", availability="away", chat_limit=1)
    assert (ann.availability, ann.chat_limit, ann.effective_limit) == ("away", 1, 1)
    assert repos.operators.update("ann", name="Ann Smith").name == "Ann Smith"
    with pytest.raises(NotFound):
        repos.operators.update("ghost", availability="away")
    assert repos.operators.get("ghost") is None  # an update never creates an operator
    c1, c2 = make_chat(repos, "c1"), make_chat(repos, "c2")
    repos.chats.claim(c1, op("ann"), {"o1"}, NOW)
    with pytest.raises(AtCapacity):
        repos.chats.claim(c2, op("ann"), {"o1"}, NOW)
    assert repos.operators.update("ann", chat_limit=None).chat_limit is None
    repos.chats.claim(c2, op("ann"), {"o1"}, NOW)
    ann = repos.operators.get("ann")
    assert (ann.active_chats, ann.chats, ann.availability) == (2, {"c1", "c2"}, "away")


def test_set_max_chats_never_below_active(repos):
    add_operators(repos, ann=3)
    for chat_id in ("c1", "c2"):
        repos.chats.claim(make_chat(repos, chat_id), op("ann"), {"o1"}, NOW)
    with pytest.raises(BelowActive):
        repos.operators.set_max_chats("ann", 1)
    assert repos.operators.get("ann").max_chats == 3
    assert repos.operators.set_max_chats("ann", 2).max_chats == 2
    with pytest.raises(AtCapacity):
        repos.chats.claim(make_chat(repos, "c3"), op("ann"), {"o1"}, NOW)
    with pytest.raises(NotFound):
        repos.operators.set_max_chats("ghost", 2)
    assert repos.operators.get("ghost") is None


def test_a_desks_watch_list_names_each_librarian(repos):
    """The claim names the librarian from the watch it finds, so the list must carry the
    name (a projection that dropped it made every claim announce the username)."""
    repos.watches.add([Watch("coop", "c1", "ann", "Ann Archivist"), Watch("coop", "c2", "bo", "Bo"),
                       Watch("central", "c1", "ann", "Ann Archivist")], EXPIRES)
    assert sorted(repos.watches.of_queue("coop"), key=lambda w: w.connection_id) == [
        Watch("coop", "c1", "ann", "Ann Archivist"), Watch("coop", "c2", "bo", "Bo")]
    repos.watches.remove("c1", ["coop", "central"])
    assert repos.watches.of_queue("coop") == [Watch("coop", "c2", "bo", "Bo")]
    assert repos.watches.of_queue("central") == []


def test_get_many_operators(repos):
    add_operators(repos, ann=3, bob=2, cy=1)
    found = repos.operators.get_many(["cy", "ann", "ghost", "ann"])
    assert [(o.id, o.max_chats) for o in found] == [("ann", 3), ("cy", 1)]
    assert repos.operators.get_many([]) == []


# ------------------------------------------------------------------ surveys and canned


def test_one_survey_per_chat_and_results_by_day(repos):
    repos.surveys.put(Survey("c1", 5, NOW, answered=True, comment="great", queue="general",
                             operator_id="ann", expires_at=EXPIRES))
    with pytest.raises(AlreadyExists):
        repos.surveys.put(Survey("c1", 1, NOW, expires_at=EXPIRES))
    repos.surveys.put(Survey("c2", 3, NOW + 60, expires_at=EXPIRES))
    repos.surveys.put(Survey("c3", 4, NOW + 86400, expires_at=EXPIRES))  # the next day
    day = "2026-09-21"  # NOW in UTC
    assert [(s.chat_id, s.rating) for s in repos.surveys.of_day(day, 10)] == [("c2", 3), ("c1", 5)]
    assert [s.chat_id for s in repos.surveys.of_day(day, 1)] == ["c2"]
    first = repos.surveys.of_day(day, 10)[1]
    assert (first.answered, first.comment, first.operator_id, first.expires_at) == (True, "great", "ann", EXPIRES)


def test_canned_conditions(repos):
    item = Canned("system", "s-1", "Hours", "We open at 9.", shortcut="hours", updated_by="ada",
                  updated_at=NOW)
    repos.canned.put(item, must_exist=False)
    with pytest.raises(AlreadyExists):
        repos.canned.put(item, must_exist=False)
    with pytest.raises(NotFound):
        repos.canned.put(dataclasses.replace(item, canned_id="s-2"), must_exist=True)
    repos.canned.put(dataclasses.replace(item, text="We open at 10."), must_exist=True)
    repos.canned.put(Canned("op#ann", "p-1", "Mine", "Hello"), must_exist=False)
    assert repos.canned.list("system") == [dataclasses.replace(item, text="We open at 10.")]
    assert [c.canned_id for c in repos.canned.list("op#ann")] == ["p-1"]
    repos.canned.delete("system", "s-1")
    with pytest.raises(NotFound):
        repos.canned.delete("system", "s-1")
    with pytest.raises(NotFound):
        repos.canned.delete("op#bob", "p-1")  # someone else's id is not under theirs
    assert repos.canned.list("system") == []


def test_a_first_version_staff_room_is_taken_over_with_its_seq(aws):
    """Stages deployed before the staff room became its own aggregate hold it as a chat item
    (`kind`, `staff_members`, no `members`): the first join replaces it, and the room's
    message seqs carry on where they were."""
    import boto3
    from chalicelib import wiring
    from chalicelib.adapters.dynamo.models import StaffRoomModel
    from chalicelib.domain.model import Member, Message
    repos = wiring.repositories()
    boto3.client("dynamodb", region_name="us-east-1").put_item(
        TableName=StaffRoomModel.Meta.table_name, Item={
            "chat_id": {"S": "staff"}, "kind": {"S": "staff"}, "status": {"S": "active"},
            "queue": {"S": "staff"}, "question": {"S": "Internal Staff Chat"},
            "created_at": {"N": "1700000000"}, "last_seq": {"N": "5"},
            "conn_version": {"N": "7"}, "staff_members": {"SS": ["old\tann\tAnn"]},
            "operator_conns": {"SS": ["old"]}, "expires_at": {"N": "4900000000"}})
    room = repos.staff_room.join("c1", Member("bob", "Bob"), NOW)
    assert (room.last_seq, set(room.members), room.created_at) == (5, {"c1"}, 1700000000.0)
    stored = repos.staff_room.get()
    assert stored.last_seq == 5 and stored.members == {"c1": Member("bob", "Bob")}
    repos.log.append(stored, Message("staff", 6, "operator", NOW, text="hi", expires_at=EXPIRES))
    assert repos.staff_room.get().last_seq == 6
    assert [c.chat_id for c in repos.chats.queued(10)] == []


def test_only_waiting_chats_are_in_the_waiting_index(aws):
    """by_waiting is sparse: a chat is in it while queued (created, requeued, rolled over)
    and out of it once claimed or ended, so a conversation's writes (each send bumps the
    chat's last_seq) and an ended chat's cost no index write. Read from the index itself."""
    import boto3
    from chalicelib import wiring
    from chalicelib.adapters.dynamo.models import ChatModel
    repos = wiring.repositories()
    table = ChatModel.Meta.table_name
    ddb = boto3.client("dynamodb", region_name="us-east-1")

    def indexed() -> list[str]:
        items = ddb.query(TableName=table, IndexName="by_waiting",
                          KeyConditionExpression="waiting = :w",
                          ExpressionAttributeValues={":w": {"S": "queued"}})["Items"]
        return [i["chat_id"]["S"] for i in items]

    def attrs(chat_id: str) -> set[str]:
        return set(ddb.get_item(TableName=table, Key={"chat_id": {"S": chat_id}})["Item"])

    add_operators(repos, ann=3)
    c1, c2, c3 = (make_chat(repos, c) for c in ("c1", "c2", "c3"))
    assert indexed() == ["c1", "c2", "c3"]
    repos.chats.claim(c1, op("ann"), {"o1"}, NOW)
    repos.chats.claim(c2, op("ann"), {"o1"}, NOW)
    assert indexed() == ["c3"] and "waiting" not in attrs("c1")
    conv = repos.chats.get("c1")
    repos.log.append(conv, msg(conv, "a message"))  # the active chat's writes stay out of it
    assert indexed() == ["c3"] and "waiting" not in attrs("c1")
    repos.chats.requeue(repos.chats.get("c2"), NOW + 1)
    assert indexed() == ["c2", "c3"] and repos.chats.queued(10)[0].chat_id == "c2"
    repos.chats.end(repos.chats.get("c3"), "patron", NOW + 2)
    assert indexed() == ["c2"] and "waiting" not in attrs("c3")


# ------------------------------------------------------------- tickets and History


def _ticket(tid="t-1", queue="general"):
    from chalicelib.domain.ticket_model import Ticket
    t = Ticket(tid, queue, "Maps?", "p@example.org", NOW, EXPIRES, updated_at=NOW)
    t.add("question", "Maps?", NOW, {"role": "patron"})
    return t


def test_tickets_are_written_whole_on_the_version_read(repos):
    from chalicelib.domain.ticket_model import CLAIMED, CLOSED_TICKET, HistoryEntry
    repos.tickets.create(_ticket())
    with pytest.raises(AlreadyExists):
        repos.tickets.create(_ticket())
    a, b = repos.tickets.get("t-1"), repos.tickets.get("t-1")
    a.status, a.operator_id = CLAIMED, "ann"
    repos.tickets.save(a)
    b.status, b.operator_id = CLAIMED, "bo"
    with pytest.raises(StaleRead):  # the second claimer read the old version
        repos.tickets.save(b)
    stored = repos.tickets.get("t-1")
    assert (stored.operator_id, stored.version, stored.entries[0]["text"]) == ("ann", 1, "Maps?")
    assert [t.ticket_id for t in repos.tickets.open_in("general")] == ["t-1"]
    stored.status, stored.closed_at = CLOSED_TICKET, NOW + 60
    entry = HistoryEntry("ticket", "t-1", "general", NOW + 60, "Maps?", EXPIRES, desks=["general"],
                         operator_id="ann", tags=["maps"], read=2)
    repos.tickets.save(stored, put_history=[entry])
    assert repos.tickets.open_in("general") == []  # closed tickets leave the desk's list
    page, more = repos.history.page("general", entry.day, limit=10, start=None)
    assert (page, more) == ([entry], None)
    again = repos.tickets.get("t-1")
    again.status, again.closed_at = "open", None
    repos.tickets.save(again, drop_history=[entry])
    assert repos.history.page("general", entry.day, limit=10, start=None) == ([], None)
    repos.tickets.link_mail("ses-1", "t-1", EXPIRES)
    assert (repos.tickets.by_mail("ses-1"), repos.tickets.by_mail("ses-2")) == ("t-1", None)
    assert repos.tickets.get("mail#ses-1") is None


def test_history_pages_newest_first_and_goes_on_from_its_key(repos):
    from chalicelib.domain.ticket_model import HistoryEntry
    entries = [HistoryEntry("chat", f"c{i}", "general", NOW + i, f"Q{i}", EXPIRES, desks=["general"])
               for i in range(5)]
    repos.chats.create(Chat(chat_id="x", queue="general", question="x", created_at=NOW, expires_at=EXPIRES),
                       Message("x", 1, "patron", NOW, text="x", expires_at=EXPIRES))
    for e in entries:  # through the ticket write's transaction, as the service files them
        t = _ticket(f"t-{e.ref_id}")
        repos.tickets.create(t)
        repos.tickets.save(t, put_history=[e])
    day = entries[0].day
    first, start = repos.history.page("general", day, limit=2, start=None)
    assert [e.ref_id for e in first] == ["c4", "c3"] and start
    second, start = repos.history.page("general", day, limit=2, start=start)
    third, start = repos.history.page("general", day, limit=2, start=start)
    assert [e.ref_id for e in second + third] == ["c2", "c1", "c0"]
    assert repos.history.page("law", day, limit=2, start=None) == ([], None)


def test_reference_lists_are_replaced_whole(repos):
    assert repos.lists.reference() == ([], [])
    repos.lists.set_reference(["maps", "genealogy"], ["directional"])
    assert repos.lists.reference() == (["maps", "genealogy"], ["directional"])
    assert repos.canned.list("system") == []  # the lists' item is not a canned message
