"""Desks, hours, rollover, watch lists and accounts (issue 10), on the fakes through the same
wiring Lambda uses; the conditional rollover write is also checked on moto."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from chalicelib import wiring
from chalicelib.domain import hours
from chalicelib.domain.model import Chat, Operator, Queue
from chalicelib.errors import ServiceError
from tests.fakes import FakeAccounts, FakeAuthenticator, MemoryRepositories, RecordingSender
from tests.harness import Clock, test_settings


def ts(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class World:
    def __init__(self):
        self.repos = MemoryRepositories()
        self.db = self.repos.db
        self.sender = RecordingSender()
        self.clock = Clock(ts("2026-11-30T15:00:00Z"))  # a Monday, 10:00 in New York
        self.auth = FakeAuthenticator({"ada": "pw"})
        self.accounts = FakeAccounts(self.auth)
        self.s = wiring.build(test_settings(), wiring.Ports(
            repos=self.repos, sender=self.sender, auth=self.auth, accounts=self.accounts),
            clock=self.clock)
        self.repos.operators.put(Operator(id="ada", name="Ada", role="admin"))
        self.admin = self.repos.operators.get("ada")

    def librarian(self, op_id, queues=()):
        self.repos.operators.put(Operator(id=op_id, name=op_id.title(), queues=set(queues)))

    def desk(self, **body):
        return self.s.desks.create(self.admin, body)

    def online(self, conn, op_id):
        self.s.sessions.connect(conn, f"op:{op_id}")
        return self.frame(conn, action="hello")

    def frame(self, conn, **data):
        from chalicelib.edge import frames
        import json
        env = frames.envelope(json.dumps(data))
        from chalicelib.edge.ws import ACTIONS
        return ACTIONS[env.action](self.s, conn, frames.command(env))

    def ask(self, queue, question="Help?"):
        out = self.s.chats.create({"question": question, "queue": queue})
        return out["chat_id"], out["token"]


@pytest.fixture
def w():
    return World()


def coop(w):
    """Central rolls over to the co-op after 60 s; Riverside is on its own."""
    w.desk(id="coop", name="Co-op", timezone="America/New_York")
    w.desk(id="central", name="Central", library="Central Library", timezone="America/New_York",
           rollover={"to": "coop", "after_seconds": 60},
           card={"text": "Cards are free: https://example.org", "reviewed_on": "2026-11-01"})
    w.desk(id="riverside", name="Riverside", timezone="America/Chicago")
    w.librarian("cass", ["central", "coop"])
    w.librarian("remy", ["riverside", "coop"])
    w.librarian("rio", ["riverside"])


# ------------------------------------------------------------------ hours


WEEKDAY_9_TO_5 = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def test_hours_follow_local_time_across_the_spring_dst_change():
    q = Queue(id="law", name="Law", timezone="America/New_York", hours=WEEKDAY_9_TO_5)
    # Friday 6 March 2026 is EST (UTC-5): 09:00 local is 14:00 UTC
    assert not hours.is_open(q, ts("2026-03-06T13:59:00Z"))
    assert hours.is_open(q, ts("2026-03-06T14:00:00Z"))
    # Monday 9 March 2026 is EDT (UTC-4): 09:00 local is 13:00 UTC
    assert hours.is_open(q, ts("2026-03-09T13:00:00Z"))
    assert not hours.is_open(q, ts("2026-03-09T21:00:00Z"))  # 17:00 EDT
    # from Saturday (EST) the next opening is Monday 09:00 EDT
    assert hours.next_open(q, ts("2026-03-07T12:00:00Z")) == ts("2026-03-09T13:00:00Z")
    assert hours.closes_at(q, ts("2026-03-09T15:00:00Z")) == ts("2026-03-09T21:00:00Z")


def test_hours_across_the_autumn_change_and_closed_dates():
    q = Queue(id="law", name="Law", timezone="America/New_York", hours=WEEKDAY_9_TO_5,
              closed_dates=["2026-11-02"])
    # Friday 30 October is EDT, Monday 2 November (EST) is closed, so Tuesday 09:00 EST
    assert hours.is_open(q, ts("2026-10-30T13:00:00Z"))
    assert not hours.is_open(q, ts("2026-11-02T15:00:00Z"))
    assert hours.next_open(q, ts("2026-10-31T00:00:00Z")) == ts("2026-11-03T14:00:00Z")


def test_always_open_and_disabled_desks():
    always = Queue(id="a", name="A")
    assert hours.is_open(always, ts("2026-01-01T03:00:00Z"))
    assert hours.closes_at(always, ts("2026-01-01T03:00:00Z")) is None
    off = Queue(id="b", name="B", enabled=False)
    assert not hours.is_open(off, ts("2026-01-01T03:00:00Z"))
    assert hours.next_open(off, ts("2026-01-01T03:00:00Z")) is None


def test_a_closed_desk_refuses_new_chats_and_status_says_when_it_opens(w):
    w.desk(id="tax", name="Tax help", timezone="America/New_York",
           hours={"sat": [["10:00", "14:00"]]})
    with pytest.raises(ServiceError) as err:
        w.ask("tax")
    assert err.value.code == "invalid_state" and "closed" in err.value.message
    status = w.s.operators.status("tax")
    assert status["queue"]["open"] is False and status["queue"]["online"] is False
    assert status["queue"]["next_open"] == "2026-12-05T15:00:00.000Z"  # Saturday 10:00 EST
    assert w.db.chats == {}


@pytest.mark.parametrize("body, word", [
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"hours": {"mon": [["17:00", "09:00"]]}}, "before"),
    ({"hours": {"mon": [["09:00", "12:00"], ["11:00", "13:00"]]}}, "overlaps"),
    ({"hours": {"funday": []}}, "days"),
    ({"closed_dates": ["2026-02-30"]}, "YYYY-MM-DD"),
    ({"card": {"text": "x", "reviewed_on": "yesterday"}}, "reviewed_on"),
])
def test_bad_desk_settings_are_refused_and_nothing_is_written(w, body, word):
    with pytest.raises(ServiceError) as err:
        w.desk(id="law", name="Law", **body)
    assert err.value.code == "bad_request" and word in err.value.message
    assert "law" not in w.db.queues


def test_a_rollover_chain_that_would_loop_is_refused(w):
    w.desk(id="a", name="A")
    w.desk(id="b", name="B", rollover={"to": "a", "after_seconds": 30})
    w.desk(id="c", name="C", rollover={"to": "b", "after_seconds": 30})
    with pytest.raises(ServiceError) as err:
        w.s.desks.update(w.admin, "a", {"rollover": {"to": "c", "after_seconds": 30}})
    assert err.value.code == "bad_request" and "loop" in err.value.message
    with pytest.raises(ServiceError):
        w.s.desks.update(w.admin, "a", {"rollover": {"to": "a", "after_seconds": 30}})
    assert w.db.queues["a"].rollover_to is None


def test_only_admins_manage_desks(w):
    w.librarian("cass")
    with pytest.raises(ServiceError) as err:
        w.s.desks.create(w.repos.operators.get("cass"), {"id": "x", "name": "X"})
    assert err.value.code == "forbidden"


# ------------------------------------------------------------------ watch lists, rollover


def test_a_librarian_not_watching_a_desk_neither_hears_nor_claims_its_chats(w):
    coop(w)
    w.online("c1", "cass")
    w.online("r1", "rio")
    chat_id, _ = w.ask("central")
    assert [f["chat"]["chat_id"] for f in w.sender.of("c1", "chat.queued")] == [chat_id]
    assert w.sender.of("r1", "chat.queued") == []
    with pytest.raises(ServiceError) as err:
        w.frame("r1", action="claim", chat_id=chat_id)
    assert err.value.code == "forbidden"
    assert w.db.chats[chat_id].status == "queued"


def test_rollover_after_n_seconds_offers_the_chat_to_the_coop_once(w):
    coop(w)
    w.online("c1", "cass")
    w.online("m1", "remy")
    chat_id, _ = w.ask("central")
    assert w.sender.of("m1", "chat.queued") == []
    w.clock.now += 59
    assert w.s.chats.tend_queue(600)["rolled_over"] == 0
    w.clock.now += 1
    assert w.s.chats.tend_queue(600)["rolled_over"] == 1
    assert w.s.chats.tend_queue(600)["rolled_over"] == 0  # a second (overlapping) run: nothing
    (frame,) = w.sender.of("m1", "chat.queued")
    assert frame["rolled_over"] is True and frame["chat"]["offered"] == ["central", "coop"]
    # Central's librarian also watches the co-op: the same entry again, now marked rolled over
    assert [f["chat"]["chat_id"] for f in w.sender.of("c1", "chat.queued")] == [chat_id] * 2
    # the stale read of an overlapping job cannot offer it again
    stale = Chat(chat_id=chat_id, queue="central", question="Help?", created_at=0)
    assert w.repos.chats.offer(stale, "coop", w.clock.now) is False
    assert w.db.chats[chat_id].offered == ["central", "coop"]


def test_a_chat_offered_to_two_desks_is_claimed_by_exactly_one_librarian(w):
    coop(w)
    w.online("c1", "cass")
    w.online("m1", "remy")
    chat_id, _ = w.ask("central")
    w.clock.now += 60
    w.s.chats.tend_queue(600)
    w.frame("m1", action="claim", chat_id=chat_id)
    with pytest.raises(ServiceError) as err:
        w.frame("c1", action="claim", chat_id=chat_id)
    assert err.value.code == "conflict"
    assert w.db.chats[chat_id].operator_id == "remy"
    assert [f["chat_id"] for f in w.sender.of("c1", "chat.claimed")] == [chat_id]  # off its list


def test_watching_fewer_desks_takes_the_connection_off_their_lists(w):
    coop(w)
    w.online("c1", "cass")
    w.online("c2", "cass")  # a second tab
    reply = w.frame("c1", action="watch", queues=["coop"])
    assert reply[0]["type"] == "watching" and reply[0]["queues"] == ["coop"]
    assert w.sender.of("c2", "watching")[-1]["queues"] == ["coop"]
    w.ask("central")
    assert w.sender.of("c1", "chat.queued") == w.sender.of("c2", "chat.queued") == []
    with pytest.raises(ServiceError) as err:
        w.frame("c1", action="watch", queues=["riverside"])
    assert err.value.code == "forbidden"


def test_transfer_to_a_desk_offers_it_there_only(w):
    coop(w)
    w.online("c1", "cass")
    w.online("r1", "rio")
    chat_id, _ = w.ask("central")
    w.frame("c1", action="claim", chat_id=chat_id)
    w.frame("c1", action="transfer", chat_id=chat_id, to_queue="riverside", note="local history")
    chat = w.db.chats[chat_id]
    assert chat.status == "queued" and chat.offered == ["riverside"]
    (frame,) = w.sender.of("r1", "chat.queued")
    assert frame["note"] == "local history"
    w.frame("r1", action="claim", chat_id=chat_id)
    assert w.db.chats[chat_id].operator_id == "rio"


def test_place_in_line_moves_when_a_chat_ahead_is_claimed(w):
    coop(w)
    w.online("c1", "cass")
    first, _ = w.ask("central")
    w.clock.now += 1
    second, token = w.ask("central")
    w.s.sessions.connect("p2", token)
    welcome = w.frame("p2", action="hello")[0]
    assert welcome["chat"]["position"] == 2 and "expected_wait_seconds" not in welcome["chat"]
    w.clock.now += 40
    w.frame("c1", action="claim", chat_id=first)
    (line,) = w.sender.of("p2", "chat.line")
    assert line["position"] == 1 and line["expected_wait_seconds"] == 41  # Central's one claim


# ------------------------------------------------------------------ accounts


def test_admin_creates_an_account_that_must_choose_a_password(w):
    out = w.s.operators.create(w.admin, {"username": "newbie", "name": "New Bie",
                                         "queues": ["general"]})
    temp = out["temporary_password"]
    step = w.s.operators.login({"username": "newbie", "password": temp})
    assert step["challenge"] == "new_password"
    signed = w.s.operators.new_password({"username": "newbie", "session": step["session"],
                                         "new_password": "a-better-one-42"})
    assert signed["token"] == "op:newbie" and signed["operator"]["queues"] == ["general"]
    with pytest.raises(ServiceError) as err:
        w.s.operators.create(w.admin, {"username": "newbie", "name": "Again"})
    assert err.value.code == "conflict"


def test_a_disabled_librarian_is_signed_out_everywhere(w):
    coop(w)
    w.online("c1", "cass")
    chat_id, _ = w.ask("central")
    w.frame("c1", action="claim", chat_id=chat_id)
    w.s.operators.update(w.admin, "cass", {"disabled": True})
    assert w.sender.closed == ["c1"]
    assert w.accounts.users["cass"]["enabled"] is False
    assert w.db.chats[chat_id].status == "queued"  # back to waiting for someone else
    for attempt in (lambda: w.s.access.operator("op:cass"),
                    lambda: w.s.sessions.connect("c2", "op:cass")):
        with pytest.raises(ServiceError) as err:
            attempt()
        assert err.value.code == "forbidden" and "disabled" in err.value.message
    w.s.operators.update(w.admin, "cass", {"disabled": False})
    assert w.s.access.operator("op:cass").id == "cass"
    with pytest.raises(ServiceError):
        w.s.operators.update(w.admin, "ada", {"disabled": True})  # not yourself


# ------------------------------------------------------------------ on moto


def test_rollover_offer_is_one_conditional_update_on_dynamodb(aws):
    from chalicelib.domain.model import Message
    repos = wiring.repositories()
    chat = Chat(chat_id="c1", queue="central", question="Q", created_at=1.0, last_seq=1,
                expires_at=4_000_000_000, offered=["central"], offered_at=1.0)
    repos.chats.create(chat, Message(chat_id="c1", seq=1, sender_role="patron", sent_at=1.0,
                                     text="Q", expires_at=4_000_000_000))
    assert repos.chats.offer(chat, "coop", 100.0) is True
    assert repos.chats.offer(chat, "coop", 101.0) is False  # the other job read the same chat
    stored = repos.chats.get("c1")
    assert stored.offered == ["central", "coop"] and stored.offered_at == 100.0
    assert repos.chats.offer(stored, "state", 200.0) is True
    assert repos.chats.get("c1").offered == ["central", "coop", "state"]


def test_the_first_desk_an_admin_adds_to_a_fresh_stage_keeps_the_default_desks(w):
    """The default desks are written when the directory is first read empty; a desk added
    before any read must not be taken for the whole directory."""
    w.desk(id="coop", name="Co-op")
    assert [q.id for q in w.s.desks.all()][:2] == ["general", "law"]
    assert w.s.desks.default_id() == "general"
