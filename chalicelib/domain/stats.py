"""Reference statistics (issue 12): the compact record of a finished chat or ticket, and every
figure a report shows, as pure functions over a list of records.

A record holds no patron text or identity: no question, no name, no e-mail, no connection or
IP, only the desk, the librarian, times, counts, the outcome and what the close form said. It
is keyed by the UTC day it was asked, so a report Queries days and never Scans.

Figures are computed here, not in the front end, so the numbers a chart draws, the table a
screen reader reads and the CSV a library downloads are one set. Conventions:

- Percentiles interpolate linearly between closest ranks (numpy's default "linear" method):
  p50 of [10, 20, 30, 40] is 25.0; of one value, that value; of none, None.
- Local buckets (the heat map, the days) use the desk's IANA zone through zoneinfo, so a chat
  at 09:30 local counts in the 09:00 hour on both sides of a DST change.
- Outcomes: `ticket` (the chat became a ticket), `answered` (a librarian claimed it),
  `abandoned` (nobody had claimed it when the patron left or ended it), `missed` (nobody
  claimed it and the patron did not leave: the desk closed on it or a librarian ended it
  unanswered). A ticket record is `answered` once a librarian replied, else `missed`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

OUTCOMES = ("answered", "abandoned", "missed", "ticket")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WAIT_BUCKETS = (15, 30, 60, 90, 120, 300)  # seconds: the wait histogram's upper edges (then "more")
DURATION_BUCKETS = (120, 300, 600, 900, 1800, 3600)


@dataclass
class StatRecord:
    kind: str  # chat | ticket
    ref: str  # the chat or ticket id (opaque; names nobody)
    day: str  # UTC day asked, YYYY-MM-DD (the key)
    queue: str
    library: str
    created_at: float
    outcome: str
    operator_id: str | None = None
    operator_name: str | None = None
    claimed_at: float | None = None
    ended_at: float | None = None
    msgs_patron: int = 0
    msgs_librarian: int = 0
    rating: int | None = None
    tags: list[str] = field(default_factory=list)
    question_type: str | None = None
    read: int | None = None
    expires_at: int = 0

    @property
    def wait(self) -> float | None:
        """Seconds from asked to claimed (None: never claimed)."""
        return None if self.claimed_at is None else max(0.0, self.claimed_at - self.created_at)

    @property
    def duration(self) -> float | None:
        """Seconds from claimed to ended (a conversation's length; None unless both)."""
        if self.claimed_at is None or self.ended_at is None:
            return None
        return max(0.0, self.ended_at - self.claimed_at)


def utc_day(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).date().isoformat()


def instant(ts: float) -> str:
    """The sort key's time part: ISO 8601 UTC to the microsecond, so text order is time order."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stat_key(created_at: float, ref: str) -> tuple[str, str]:
    """(month, sk) of a record: the UTC month asked and "<instant asked>#<ref>"."""
    return instant(created_at)[:7], f"{instant(created_at)}#{ref}"


def _form(record: StatRecord, form: dict | None) -> StatRecord:
    """What the close form said (never its internal note)."""
    if form:
        record.tags = [str(t) for t in form.get("tags") or []]
        record.question_type = form.get("question_type") or None
        record.read = int(form["read"]) if form.get("read") else None
    return record


def chat_stat(chat, *, library: str | None, expires_at: int, rating: int | None = None) -> StatRecord:
    """The record of a chat as it stands (claimed, or ended: the caller passes the chat with
    its end already applied). Wait counts from the first claim; the operator is the last."""
    outcome = "answered" if chat.first_claimed_at or chat.claimed_at else "missed"
    if chat.ended_at is not None:
        outcome = chat_outcome(claimed_at=chat.first_claimed_at or chat.claimed_at,
                               ended_by=chat.ended_by, reason=chat.end_reason)
    return _form(StatRecord(
        kind="chat", ref=chat.chat_id, day=utc_day(chat.created_at), queue=chat.queue,
        library=library, created_at=chat.created_at, outcome=outcome,
        operator_id=chat.operator_id, operator_name=chat.operator_name,
        claimed_at=chat.first_claimed_at or chat.claimed_at, ended_at=chat.ended_at,
        msgs_patron=chat.msgs_patron, msgs_librarian=chat.msgs_librarian, rating=rating,
        expires_at=expires_at), chat.record)


def ticket_stat(ticket, *, library: str | None, expires_at: int) -> StatRecord:
    """The record of a closed ticket: "claimed" is its first reply (time to first response),
    ended its close; answered once a librarian replied, else missed."""
    replies = [e for e in ticket.entries if e["kind"] == "reply"]

    def said_by(entry: dict) -> str | None:  # a chat's messages carried into the ticket keep their sender
        if entry["kind"] == "chat":
            return (entry.get("sender") or {}).get("role")
        return {"question": "patron", "patron": "patron", "reply": "operator"}.get(entry["kind"])
    patron = [e for e in ticket.entries if said_by(e) == "patron"]
    librarian = [e for e in ticket.entries if said_by(e) == "operator"]
    return _form(StatRecord(
        kind="ticket", ref=ticket.ticket_id, day=utc_day(ticket.created_at), queue=ticket.queue,
        library=library, created_at=ticket.created_at, outcome="answered" if replies else "missed",
        operator_id=ticket.operator_id, operator_name=ticket.operator_name,
        claimed_at=replies[0]["at"] if replies else None, ended_at=ticket.closed_at,
        msgs_patron=len(patron), msgs_librarian=len(librarian), expires_at=expires_at), ticket.record)


def chat_outcome(*, claimed_at: float | None, ended_by: str | None, reason: str | None) -> str:
    if reason == "ticket":
        return "ticket"
    if claimed_at is not None:
        return "answered"
    if ended_by == "patron" or reason == "abandoned":
        return "abandoned"
    return "missed"


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0..100), linear between closest ranks; None for no values."""
    if not 0 <= p <= 100:
        raise ValueError("p must be within 0..100")
    ordered = sorted(values)
    if not ordered:
        return None
    pos = (len(ordered) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def matches(record: StatRecord, filters: dict) -> bool:
    """The report's filters: queue, library, operator (id), tag; each optional."""
    if filters.get("queue") and record.queue != filters["queue"]:
        return False
    if filters.get("library") and record.library != filters["library"]:
        return False
    if filters.get("operator") and record.operator_id != filters["operator"]:
        return False
    if filters.get("tag") and filters["tag"] not in record.tags:
        return False
    return True


class LocalClock:
    """(local day, weekday, hour) of a time in one zone, one zone conversion per UTC quarter
    hour: every zone's offset (and every DST change) is a whole number of quarter hours, so all
    of a quarter hour's instants share their local hour. A year of records is then 35,000
    conversions at most, however many records it holds."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._seen: dict[int, tuple[str, int, int]] = {}

    def parts(self, ts: float) -> tuple[str, int, int]:
        key = int(ts // 900)
        found = self._seen.get(key)
        if found is None:
            local = datetime.fromtimestamp(key * 900, tz=self.tz)
            found = self._seen[key] = (local.date().isoformat(), local.weekday(), local.hour)
        return found


def per_day(records: list[StatRecord], tz: ZoneInfo, clock: LocalClock | None = None) -> dict[str, int]:
    """How many were asked each local day (days with none are left out)."""
    clock = clock or LocalClock(tz)
    out: dict[str, int] = {}
    for r in records:
        d = clock.parts(r.created_at)[0]
        out[d] = out.get(d, 0) + 1
    return dict(sorted(out.items()))


def heat_map(records: list[StatRecord], tz: ZoneInfo, clock: LocalClock | None = None) -> list[list[int]]:
    """7 rows (Monday first) of 24 local hours: how many were asked in each."""
    clock = clock or LocalClock(tz)
    grid = [[0] * 24 for _ in range(7)]
    for r in records:
        _, weekday, hour = clock.parts(r.created_at)
        grid[weekday][hour] += 1
    return grid


def histogram(values: list[float], edges: tuple[int, ...]) -> list[int]:
    """Counts of values <= each edge (and above the last one, in a final bucket)."""
    counts = [0] * (len(edges) + 1)
    for value in values:
        for i, edge in enumerate(edges):
            if value <= edge:
                counts[i] += 1
                break
        else:
            counts[-1] += 1
    return counts


def _spread(values: list[float]) -> dict:
    return {"n": len(values), "p50": percentile(values, 50), "p90": percentile(values, 90),
            "mean": (sum(values) / len(values)) if values else None}


def report(records: list[StatRecord], *, tz: ZoneInfo, target_seconds: int | None = None,
           filters: dict | None = None) -> dict:
    """Every figure of the Reports tab for these records (filtered here)."""
    chosen = [r for r in records if matches(r, filters)] if filters and any(filters.values()) else list(records)
    clock = LocalClock(tz)
    waits = [r.wait for r in chosen if r.kind == "chat" and r.wait is not None]
    durations = [r.duration for r in chosen if r.kind == "chat" and r.duration is not None]
    outcomes = {o: sum(1 for r in chosen if r.outcome == o) for o in OUTCOMES}
    ratings = [r.rating for r in chosen if r.rating is not None]
    reads = {str(n): sum(1 for r in chosen if r.read == n) for n in range(1, 7)}
    types: dict[str, int] = {}
    tags: dict[str, int] = {}
    for r in chosen:
        if r.question_type:
            types[r.question_type] = types.get(r.question_type, 0) + 1
        for t in r.tags:
            tags[t] = tags.get(t, 0) + 1
    wait = _spread(waits)
    if target_seconds is not None:
        within = sum(1 for w in waits if w <= target_seconds)
        wait.update(target=target_seconds, within_target=within,
                    within_share=(within / len(waits)) if waits else None)
    return {
        "count": len(chosen),
        "chats": sum(1 for r in chosen if r.kind == "chat"),
        "tickets": sum(1 for r in chosen if r.kind == "ticket"),
        "per_day": per_day(chosen, tz, clock),
        "heat_map": heat_map(chosen, tz, clock),
        "wait": {**wait, "histogram": histogram(waits, WAIT_BUCKETS), "edges": list(WAIT_BUCKETS)},
        "duration": {**_spread(durations), "histogram": histogram(durations, DURATION_BUCKETS),
                     "edges": list(DURATION_BUCKETS)},
        "outcomes": outcomes,
        "ratings": {"n": len(ratings), "mean": (sum(ratings) / len(ratings)) if ratings else None,
                    "counts": {str(n): ratings.count(n) for n in range(1, 6)}},
        "read": reads,
        "question_types": dict(sorted(types.items())),
        "tags": dict(sorted(tags.items())),
        "librarians": per_librarian(chosen),
    }


def per_librarian(records: list[StatRecord]) -> list[dict]:
    """One row per librarian who claimed something: counts, waits (p50, mean), mean rating."""
    rows: dict[str, dict] = {}
    for r in records:
        if not r.operator_id:
            continue
        row = rows.setdefault(r.operator_id, {"operator_id": r.operator_id, "name": r.operator_name or r.operator_id,
                                              "chats": 0, "tickets": 0, "_waits": [], "_ratings": []})
        row["chats" if r.kind == "chat" else "tickets"] += 1
        if r.kind == "chat" and r.wait is not None:
            row["_waits"].append(r.wait)
        if r.rating is not None:
            row["_ratings"].append(r.rating)
    out = []
    for row in sorted(rows.values(), key=lambda x: (-(x["chats"] + x["tickets"]), x["name"])):
        waits, ratings = row.pop("_waits"), row.pop("_ratings")
        row.update(wait_p50=percentile(waits, 50), wait_mean=(sum(waits) / len(waits)) if waits else None,
                   rating_mean=(sum(ratings) / len(ratings)) if ratings else None)
        out.append(row)
    return out


# --------------------------------------------------------------------------- CSV

RECORD_COLUMNS = ("kind", "day", "queue", "library", "librarian", "created_at", "claimed_at", "ended_at",
                  "wait_seconds", "duration_seconds", "messages_patron", "messages_librarian", "outcome",
                  "rating", "question_type", "read", "tags")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A spreadsheet-safe cell: None is empty, floats keep one decimal, and text that a
    spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def record_row(r: StatRecord) -> list:
    return [r.kind, r.day, r.queue, r.library, r.operator_name or r.operator_id, _iso(r.created_at),
            _iso(r.claimed_at), _iso(r.ended_at), r.wait, r.duration, r.msgs_patron, r.msgs_librarian,
            r.outcome, r.rating, r.question_type, r.read, "; ".join(r.tags)]


def to_csv(header: tuple[str, ...] | list[str], rows: list[list]) -> str:
    """UTF-8 text with a byte-order mark (so Excel reads accents right), CRLF line ends, every
    cell quoted when it holds a comma, a quote or a line break (RFC 4180)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(header))
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()


def records_csv(records: list[StatRecord]) -> str:
    return to_csv(RECORD_COLUMNS, [record_row(r) for r in records])


def as_item(record: StatRecord) -> dict:
    """The record as stored (what the statistics table holds; tests look at every attribute)."""
    return asdict(record)
