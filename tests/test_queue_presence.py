"""Ghost chats and what the queue tells librarians: a waiting patron's presence reaches every
operator, a chat whose patron left while it waited is ended by the system after a grace period
(with the reason), and the colleague and patron facts the welcomes carry."""
from __future__ import annotations

import pytest

from chalicelib.domain.model import iso
from chalicelib.settings import Settings
from tests.harness import NOW, Harness

GRACE = 120


@pytest.fixture
def h():
    h = Harness()
    h.operator("ann")
    h.operator("bob")
    h.connect_operator("o1", "ann")
    h.connect_operator("o2", "bob")
    return h


def waiting_patron(h, conn="p1"):
    chat_id, token = h.new_chat("Do you have the 1911 census?")
    h.connect_patron(conn, token)
    return chat_id, token


def tend(h):
    return h.services.chats.tend_queue(wait_seconds=10_000, abandon_after=GRACE)


def test_every_operator_sees_a_waiting_patron_come_and_go(h):
    chat_id, token = waiting_patron(h)
    for conn in ("o1", "o2"):
        assert h.sender.of(conn, "chat.presence")[-1] == {
            "type": "chat.presence", "chat_id": chat_id, "patron": "online"}
    h.clock.now += 3
    h.disconnect("p1")
    for conn in ("o1", "o2"):
        assert h.sender.of(conn, "chat.presence")[-1] == {
            "type": "chat.presence", "chat_id": chat_id, "patron": "offline",
            "patron_left_at": iso(NOW + 3)}
    # a librarian who signs in now sees it in the queue
    h.operator("cy")
    queued = h.connect_operator("o3", "cy")[0]["queued"]
    assert [(c["chat_id"], c["patron_presence"], c["patron_left_at"]) for c in queued] == [
        (chat_id, "offline", iso(NOW + 3))]
    h.connect_patron("p2", token)  # back
    assert h.sender.of("o2", "chat.presence")[-1]["patron"] == "online"
    assert "patron_left_at" not in h.db.chats[chat_id].to_wire()


def test_a_claimed_chats_presence_goes_to_its_operator_only(h):
    chat_id, _ = waiting_patron(h)
    h.frame("o1", action="claim", chat_id=chat_id)
    h.sender.clear()
    h.disconnect("p1")
    assert h.sender.of("o1", "chat.presence")[-1]["patron"] == "offline"
    assert h.sender.of("o2", "chat.presence") == []


def test_a_chat_abandoned_while_waiting_is_ended_by_the_system_with_its_reason(h):
    chat_id, _ = waiting_patron(h)
    h.disconnect("p1")
    h.clock.now += GRACE - 1
    assert tend(h) == {"reminders": 0, "abandoned": 0, "rolled_over": 0, "ticket_offers": 0}  # within the grace period
    assert h.db.chats[chat_id].status == "queued"
    h.clock.now += 1
    assert tend(h) == {"reminders": 0, "abandoned": 1, "rolled_over": 0, "ticket_offers": 0}
    chat = h.db.chats[chat_id]
    assert (chat.status, chat.ended_by, chat.end_reason) == ("ended", "system", "abandoned")
    for conn in ("o1", "o2"):  # it leaves every waiting list, saying why
        assert h.sender.of(conn, "chat.ended")[-1] == {
            "type": "chat.ended", "chat_id": chat_id, "ended_by": "system", "reason": "abandoned"}
    assert h.connect_operator("o3", "ann")[0]["queued"] == []
    assert tend(h)["abandoned"] == 0  # once
    assert h.db.operators["ann"].active_chats == 0


def test_a_patron_who_comes_back_in_time_keeps_the_place_in_the_queue(h):
    chat_id, token = waiting_patron(h)
    h.disconnect("p1")
    h.clock.now += GRACE - 5
    h.connect_patron("p2", token)  # a reload, a train tunnel
    h.clock.now += GRACE * 3
    assert tend(h)["abandoned"] == 0
    assert h.db.chats[chat_id].status == "queued"
    h.disconnect("p2")  # the grace period starts again from this leave
    h.clock.now += GRACE - 1
    assert tend(h)["abandoned"] == 0
    h.clock.now += 1
    assert tend(h)["abandoned"] == 1


def test_an_away_patron_is_not_abandoned(h):
    chat_id, _ = waiting_patron(h)
    h.frame("p1", action="presence", chat_id=chat_id, state="away")
    assert h.sender.of("o2", "chat.presence")[-1]["patron"] == "away"
    h.clock.now += GRACE * 10
    assert tend(h)["abandoned"] == 0


def test_a_question_whose_patron_never_connected_is_abandoned_from_its_creation(h):
    chat_id, _ = h.new_chat("asked, then the tab closed")
    h.clock.now += GRACE
    assert tend(h)["abandoned"] == 1
    assert h.db.chats[chat_id].end_reason == "abandoned"


def test_a_patron_back_between_the_query_and_the_end_wins(h):
    chat_id, token = waiting_patron(h)
    h.disconnect("p1")
    h.clock.now += GRACE
    stale = h.repos.chats.queued(10)[0]
    h.connect_patron("p2", token)  # after the sweep read the queue
    assert h.services.chats._end_abandoned(stale, h.clock()) == 0
    assert h.db.chats[chat_id].status == "queued"


def test_claimed_chats_and_a_zero_grace_are_never_swept(h):
    claimed, _ = waiting_patron(h, "p1")
    h.frame("o1", action="claim", chat_id=claimed)
    h.disconnect("p1")
    waiting, _ = waiting_patron(h, "p2")
    h.disconnect("p2")
    h.clock.now += GRACE * 10
    assert h.services.chats.tend_queue(wait_seconds=10_000, abandon_after=0)["abandoned"] == 0
    assert tend(h)["abandoned"] == 1
    assert h.db.chats[claimed].status == "active" and h.db.chats[waiting].status == "ended"


def test_a_colleague_who_signs_in_later_sees_one_chat_at_a_time(h):
    h.frame("o1", action="status", chat_limit=1)
    h.operator("cy")
    roster = {o["id"]: o for o in h.connect_operator("o3", "cy")[0]["operators"]}
    assert roster["ann"] == {"id": "ann", "name": "Ann", "state": "available", "chat_limit": 1}
    assert "chat_limit" not in roster["bob"]


def test_the_patron_is_told_whether_librarians_see_the_draft():
    for preview_on in (True, False):
        h = Harness(typing_preview=preview_on)
        h.operator("ann")
        h.connect_operator("o1", "ann")
        chat_id, token = h.new_chat()
        assert h.connect_patron("p1", token)[0]["typing_preview"] is preview_on
        h.frame("o1", action="claim", chat_id=chat_id)
        h.frame("p1", action="typing", chat_id=chat_id, typing=True, preview="my card numb")
        typing = h.sender.of("o1", "chat.typing")[-1]
        assert typing["typing"] is True
        assert typing.get("preview") == ("my card numb" if preview_on else None)


def test_settings_for_the_preview_and_the_grace_period():
    base = {"PATRON_TOKEN_SECRET": "s" * 32}
    default = Settings.from_env(base)
    assert (default.typing_preview, default.abandon_after_seconds) == (True, 120)
    custom = Settings.from_env({**base, "TYPING_PREVIEW": "off", "ABANDON_AFTER_SECONDS": "300"})
    assert (custom.typing_preview, custom.abandon_after_seconds) == (False, 300)
    with pytest.raises(ValueError):
        Settings.from_env({**base, "ABANDON_AFTER_SECONDS": "-1"})
