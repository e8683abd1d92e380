"""Every statistics figure against values computed by hand on a fixed data set
(chalicelib/domain/stats.py): percentiles, local buckets across both DST changes, outcomes,
filters, the per-librarian table, and the CSV a spreadsheet opens."""
from __future__ import annotations

import csv
import dataclasses
import io
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain import stats
from chalicelib.domain.stats import StatRecord

NY = ZoneInfo("America/New_York")


def ts(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def rec(created: str, *, wait=None, duration=None, kind="chat", outcome="answered", queue="central",
        library="Central", op="libby", rating=None, tags=(), qtype=None, read=None) -> StatRecord:
    c = ts(created)
    claimed = None if wait is None else c + wait
    ended = None if duration is None or claimed is None else claimed + duration
    return StatRecord(kind=kind, ref="c-x", day=stats.utc_day(c), queue=queue, library=library, created_at=c,
                      outcome=outcome, operator_id=op if wait is not None else None,
                      operator_name={"libby": "Libby L", "theo": "Theo T"}.get(op, op) if wait is not None else None,
                      claimed_at=claimed, ended_at=ended, rating=rating, tags=list(tags),
                      question_type=qtype, read=read)


def test_percentiles_interpolate_between_closest_ranks():
    assert stats.percentile([40, 10, 30, 20], 50) == 25.0
    assert stats.percentile([10, 20, 30, 40], 90) == pytest.approx(37.0)  # rank 2.7: 30 + 0.7 * 10
    assert stats.percentile([10, 20, 30, 40], 0) == 10 and stats.percentile([10, 20, 30, 40], 100) == 40
    assert stats.percentile([7], 90) == 7
    assert stats.percentile([], 50) is None
    with pytest.raises(ValueError):
        stats.percentile([1], 101)


@pytest.mark.parametrize("claimed, ended_by, reason, outcome", [
    (100.0, "operator", None, "answered"),
    (100.0, "patron", None, "answered"),
    (100.0, "operator", "ticket", "ticket"),
    (None, "patron", "ticket", "ticket"),  # made a ticket while waiting
    (None, "patron", None, "abandoned"),  # left the line
    (None, "system", "abandoned", "abandoned"),  # gone past the grace period
    (None, "system", None, "missed"),  # nobody came before the desk closed
    (None, "operator", None, "missed"),
])
def test_outcomes(claimed, ended_by, reason, outcome):
    assert stats.chat_outcome(claimed_at=claimed, ended_by=ended_by, reason=reason) == outcome


def test_hour_by_weekday_and_days_follow_the_library_clock_across_both_dst_changes():
    records = [
        rec("2026-03-07T14:30:00Z"),  # Sat 09:30 EST
        rec("2026-03-09T13:30:00Z"),  # Mon 09:30 EDT (a UTC hour earlier, the same local hour)
        rec("2026-11-01T05:30:00Z"),  # Sun 01:30 EDT (first time)
        rec("2026-11-01T06:30:00Z"),  # Sun 01:30 EST (second time)
        rec("2026-03-08T03:00:00Z"),  # Sat 22:00 EST: the 7th locally, the 8th in UTC
    ]
    grid = stats.heat_map(records, NY)
    assert grid[5][9] == 1 and grid[0][9] == 1  # Saturday, Monday at 09:00
    assert grid[6][1] == 2  # the repeated hour counts both
    assert grid[5][22] == 1
    assert sum(map(sum, grid)) == 5
    assert stats.per_day(records, NY) == {"2026-03-07": 2, "2026-03-09": 1, "2026-11-01": 2}
    assert records[4].day == "2026-03-08"  # the key stays the UTC day


def fixed_set() -> list[StatRecord]:
    return [
        rec("2026-12-01T15:00:00Z", wait=10, duration=300, rating=5, tags=["maps"], qtype="Research", read=3),
        rec("2026-12-01T15:10:00Z", wait=20, duration=600, rating=4, tags=["maps", "genealogy"], read=2),
        rec("2026-12-02T16:00:00Z", wait=30, duration=120, op="theo", rating=2, qtype="Directional", read=1),
        rec("2026-12-02T16:30:00Z", wait=40, duration=1200, op="theo"),
        rec("2026-12-03T17:00:00Z", wait=200, duration=4000, queue="riverside", library="Riverside"),
        rec("2026-12-03T17:05:00Z", outcome="abandoned", queue="riverside", library="Riverside"),
        rec("2026-12-03T17:06:00Z", outcome="missed"),
        rec("2026-12-04T12:00:00Z", kind="ticket", outcome="answered", wait=3600, tags=["genealogy"]),
    ]


def test_report_figures_on_the_fixed_set():
    out = stats.report(fixed_set(), tz=NY, target_seconds=30)
    assert (out["count"], out["chats"], out["tickets"]) == (8, 7, 1)
    # waits of chats only: 10, 20, 30, 40, 200 (the ticket's hour is not a chat wait)
    assert out["wait"]["n"] == 5 and out["wait"]["p50"] == 30
    assert out["wait"]["p90"] == pytest.approx(136.0)  # rank 3.6: 40 + 0.6 * 160
    assert out["wait"]["mean"] == 60
    assert (out["wait"]["within_target"], out["wait"]["within_share"]) == (3, 0.6)
    # edges 15, 30, 60, 90, 120, 300, more: 10 | 20 30 | 40 | - | - | 200 | -
    assert out["wait"]["histogram"] == [1, 2, 1, 0, 0, 1, 0]
    # durations 300, 600, 120, 1200, 4000 against 120, 300, 600, 900, 1800, 3600, more
    assert out["duration"]["histogram"] == [1, 1, 1, 0, 1, 0, 1]
    assert out["duration"]["p50"] == 600
    assert out["outcomes"] == {"answered": 6, "abandoned": 1, "missed": 1, "ticket": 0}
    assert out["ratings"] == {"n": 3, "mean": pytest.approx(11 / 3), "counts": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}}
    assert out["read"] == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0, "6": 0}
    assert out["question_types"] == {"Directional": 1, "Research": 1}
    assert out["tags"] == {"genealogy": 2, "maps": 2}
    assert out["per_day"] == {"2026-12-01": 2, "2026-12-02": 2, "2026-12-03": 3, "2026-12-04": 1}
    assert out["heat_map"][1][10] == 2  # Tue 1 Dec, 10:00 and 10:10 EST
    libby, theo = out["librarians"]
    assert (libby["name"], libby["chats"], libby["tickets"], libby["wait_p50"]) == ("Libby L", 3, 1, 20)
    assert libby["wait_mean"] == pytest.approx(230 / 3) and libby["rating_mean"] == 4.5
    assert (theo["name"], theo["chats"], theo["wait_p50"], theo["rating_mean"]) == ("Theo T", 2, 35, 2)


def test_filters_by_desk_library_librarian_and_tag():
    data = fixed_set()
    assert stats.report(data, tz=NY, filters={"queue": "riverside"})["count"] == 2
    assert stats.report(data, tz=NY, filters={"library": "Central"})["count"] == 6
    assert stats.report(data, tz=NY, filters={"operator": "theo"})["count"] == 2
    tagged = stats.report(data, tz=NY, filters={"tag": "genealogy"})
    assert (tagged["count"], tagged["chats"], tagged["tickets"]) == (2, 1, 1)
    assert stats.report(data, tz=NY, filters={"queue": "central", "tag": "maps"})["count"] == 2
    assert stats.report([], tz=NY)["wait"]["p50"] is None  # nothing: no figure, no error


def test_records_hold_no_patron_text_or_identity():
    names = {f.name for f in dataclasses.fields(StatRecord)}
    assert not names & {"question", "patron_name", "patron_email", "email", "name", "ip", "text",
                        "connection", "patron_conns", "note"}
    item = stats.as_item(fixed_set()[0])
    assert set(item) == names


def test_csv_opens_in_a_spreadsheet_as_the_table_it_came_from():
    data = fixed_set()
    data[0].tags = ["maps, old", 'the "big" one']
    data[1].operator_name = "=HYPERLINK(\"http://x\")"
    data[2].question_type = "Line one\nline two"
    text = stats.records_csv(data)
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert rows[0] == list(stats.RECORD_COLUMNS)
    assert len(rows) == 1 + len(data)
    first = dict(zip(rows[0], rows[1]))
    assert first["tags"] == 'maps, old; the "big" one'  # commas and quotes survive the quoting
    assert (first["wait_seconds"], first["duration_seconds"], first["rating"], first["read"]) == ("10.0", "300.0", "5", "3")
    assert first["created_at"] == "2026-12-01T15:00:00Z" and first["claimed_at"] == "2026-12-01T15:00:10Z"
    assert dict(zip(rows[0], rows[2]))["librarian"].startswith("'=")  # never run as a formula
    assert dict(zip(rows[0], rows[3]))["question_type"] == "Line one\nline two"
    missed = dict(zip(rows[0], rows[7]))
    assert (missed["outcome"], missed["wait_seconds"], missed["librarian"]) == ("missed", "", "")
    assert stats.to_csv(["n"], [[-3]]).endswith("-3\r\n")  # a negative number is a number
