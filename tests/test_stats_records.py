"""The statistics record each chat leaves (docs/reports.md), on the in-memory fakes through the
real use cases: counted messages, the first claim kept across a transfer and a return to the
line, outcomes, the close form without its note, the survey's rating; and the tables every
chart is read from, against hand-computed rows."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from chalicelib.domain import stats as st
from chalicelib.domain import stats_tables as tb
from chalicelib.domain.model import Operator
from chalicelib.domain.stats import StatRecord, stat_key


def only_record(h) -> StatRecord:
    (record,) = [r for r in h.db.stats.values() if not isinstance(r, dict)]
    return record


def test_the_record_counts_messages_each_way_and_keeps_the_first_claims_wait_across_a_transfer(h):
    h.operator("ann")
    h.operator("bob")
    h.connect_operator("o1", "ann")
    h.connect_operator("o2", "bob")
    chat_id, token = h.new_chat()
    h.connect_patron("p1", token)
    asked = h.clock.now
    h.clock.now += 30
    h.frame("o1", action="claim", chat_id=chat_id)
    claimed = only_record(h)
    assert (claimed.outcome, claimed.operator_id, claimed.wait, claimed.ended_at) == ("answered", "ann", 30, None)
    h.frame("o1", action="send", chat_id=chat_id, text="Hello!", client_msg_id="a")
    h.frame("p1", action="send", chat_id=chat_id, text="Thanks", client_msg_id="b")
    h.frame("p1", action="send", chat_id=chat_id, text="Thanks", client_msg_id="b")  # a resend: counted once
    h.clock.now += 100
    h.frame("o1", action="transfer", chat_id=chat_id, to="bob")
    h.clock.now += 50
    h.frame("o2", action="end", chat_id=chat_id)
    record = only_record(h)
    assert (record.kind, record.outcome, record.operator_id, record.queue) == ("chat", "answered", "bob", "general")
    assert (record.created_at, record.claimed_at, record.ended_at) == (asked, asked + 30, asked + 180)
    assert (record.wait, record.duration) == (30, 150)
    assert (record.msgs_patron, record.msgs_librarian) == (2, 1)  # the question and "Thanks"; "Hello!"
    assert stat_key(record.created_at, record.ref) in h.db.stats


def test_outcomes_of_unclaimed_chats_and_the_form_and_rating_set_later(h):
    h.operator("ann")
    h.connect_operator("o1", "ann")
    left, token = h.new_chat()
    h.connect_patron("p1", token)
    h.frame("p1", action="end", chat_id=left)
    assert h.db.stats[stat_key(h.db.chats[left].created_at, left)].outcome == "abandoned"
    ended_unanswered, _ = h.new_chat("Anyone?")
    h.frame("o1", action="claim", chat_id=ended_unanswered)
    h.frame("o1", action="transfer", chat_id=ended_unanswered, to=None)  # back to the line
    h.clock.now += 5
    h.frame("o1", action="claim", chat_id=ended_unanswered)
    h.frame("o1", action="end", chat_id=ended_unanswered)
    record = h.db.stats[stat_key(h.db.chats[ended_unanswered].created_at, ended_unanswered)]
    assert record.outcome == "answered" and record.wait == 0  # the first claim's wait
    ann = h.op("ann")
    h.services.records.set_reference(Operator(id="ada", name="Ada", role="admin"),
                              {"tags": ["maps"], "question_types": ["directional"]})
    h.services.records.save_chat_record(ann, ended_unanswered, {"read": 2, "tags": ["maps"], "question_type": "directional",
                                                         "note": "SECRET note"})
    assert (record.read, record.tags, record.question_type) == (2, ["maps"], "directional")
    assert "SECRET" not in repr(h.db.stats)


def test_per_day_rows_fill_every_day_of_the_range_in_the_desks_zone():
    tz = ZoneInfo("America/Chicago")
    recs = [StatRecord(kind=k, ref=str(i), day="", queue="q", library=None, created_at=t, outcome="answered")
            for i, (k, t) in enumerate([("chat", 1793509200.0),  # 2026-11-01 00:00 CDT (05:00Z; the clocks go back at 02:00)
                                        ("ticket", 1793509199.0),  # 2026-10-31 23:59:59 CDT: outside
                                        ("chat", 1793685600.0)])]  # 2026-11-03 00:00 CST (06:00Z)
    rows = tb.per_day_rows(recs, tz, date(2026, 11, 1), date(2026, 11, 3))
    assert rows == [{"day": "2026-11-01", "chats": 1, "tickets": 0}, {"day": "2026-11-02", "chats": 0, "tickets": 0},
                    {"day": "2026-11-03", "chats": 1, "tickets": 0}]


def test_tables_are_the_figures_as_text_rows():
    tz = ZoneInfo("UTC")
    recs = [StatRecord(kind="chat", ref="a", day="", queue="q", library=None, created_at=0.0, outcome="answered",
                       operator_id="ann", operator_name="Ann", claimed_at=20.0, ended_at=320.0, rating=5),
            StatRecord(kind="chat", ref="b", day="", queue="q", library=None, created_at=3600.0, outcome="abandoned")]
    rep = st.report(recs, tz=tz, target_seconds=60)
    rep["per_day"] = tb.per_day_rows(recs, tz, date(1970, 1, 1), date(1970, 1, 1))
    tables = tb.tables({**rep, "tz": "UTC"})
    assert set(tables) == set(tb.TABLES)
    assert tables["per_day"]["rows"] == [["1970-01-01", "2", "0", "2"]]
    assert tb.WAIT_LABELS == ["0-15 s", "15-30 s", "30-60 s", "60-90 s", "90-120 s", "120-300 s", "over 300 s"]
    assert tables["wait"]["rows"][1] == ["15-30 s", "1"]
    assert tables["duration"]["rows"][1] == ["2-5 min", "1"]  # 300 s: up to 5 min inclusive
    assert tables["outcomes"]["rows"] == [["Answered", "1"], ["Abandoned while waiting", "1"], ["Missed", "0"],
                                          ["Became a ticket", "0"]]
    assert tables["heat_map"]["rows"][3][1:3] == ["1", "1"]  # Thursday 1 Jan 1970, 00:00 and 01:00
    assert tables["librarians"]["rows"] == [["Ann", "1", "0", "20.0", "20.0", "5.0"]]
    assert tables["ratings"]["rows"][-1] == ["5", "1"]


def test_the_quarter_hour_clock_agrees_with_zoneinfo_in_every_kind_of_zone():
    """One conversion per UTC quarter hour is exact for whole-hour, half-hour and 45-minute
    offsets and across DST changes (checked minute by minute over both 2026 changes)."""
    from datetime import datetime
    for name in ("America/Chicago", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "Europe/London"):
        tz = ZoneInfo(name)
        clock = st.LocalClock(tz)
        for start in (1773532800, 1793404800, 1775260800):  # mid-March, end of October, early April 2026
            for ts in range(start - 2 * 86400, start + 2 * 86400, 61):
                local = datetime.fromtimestamp(ts, tz)
                assert clock.parts(ts) == (local.date().isoformat(), local.weekday(), local.hour), (name, ts)
