"""Reports (docs/reports.md): the statistics records of a date range, as figures, tables and
CSV, for admins (every desk) and librarians (their desks); today's waits for the Chats tab;
the wait target admins set. Also builds the record of a chat or ticket for the transactions
that write it (Chats and Tickets get `chat_stat` / `ticket_stat` from the wiring).

A report reads the range with one Query per UTC month it spans (StatsRepository.between) and
computes every figure here, in one pass over plain records: a year of a busy library (40,000
records) stays within the handler budget bench/reports.py measures.
"""
from __future__ import annotations

from datetime import date, datetime, time as dtime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from ..errors import bad_request, forbidden
from . import hours as h
from . import stats as st
from . import stats_tables as tb
from .access import Access
from .limits import QUEUED_PAGE
from .model import Operator
from .records import _day
from .tickets import may_work
from .stats import StatRecord

MAX_DAYS = 366
DEFAULT_DAYS = 30
TARGET_MIN, TARGET_MAX = 10, 3600
FILTERS = ("queue", "library", "operator", "tag")


def _zone(desk) -> ZoneInfo:
    """The desk's zone (UTC when none or unknown): the days and hours a report counts in."""
    return (h.zone(desk.timezone) if desk else None) or ZoneInfo("UTC")


class Reports:
    def __init__(self, stats, chats, access: Access, *, desks, retention_seconds: int,
                 default_target: int, clock: Callable[[], float]) -> None:
        self.stats, self.chats, self.access, self.desks = stats, chats, access, desks
        self.retention_seconds, self.default_target, self.clock = retention_seconds, default_target, clock

    # ------------------------------------------------- the records written

    def _library(self, queue_id: str, cached_only: bool = False) -> str | None:
        """From the desk directory (cached: no request on a warm container). A claim's record
        takes it only if cached: the end's record, which replaces it, always has it."""
        desk = self.desks.peek(queue_id) if cached_only else self.desks.get(queue_id)
        return desk.library if desk else None

    def _expiry(self, created_at: float) -> int:
        return int(created_at) + self.retention_seconds

    def chat_stat(self, chat) -> StatRecord:
        return st.chat_stat(chat, library=self._library(chat.queue, cached_only=chat.ended_at is None),
                            expires_at=self._expiry(chat.created_at))

    def ticket_stat(self, ticket) -> StatRecord:
        return st.ticket_stat(ticket, library=self._library(ticket.queue),
                              expires_at=self._expiry(ticket.created_at))

    # ------------------------------------------------------------ reading

    def _visible(self, operator: Operator) -> list:
        """The desks whose records this operator may read: admins every desk, a librarian
        theirs (one of no named desk: every desk, as elsewhere)."""
        return [d for d in self.desks.all() if may_work(operator, d.id)]

    def _scope(self, operator: Operator, params: dict):
        params = {k: (v.strip() if isinstance(v, str) else v) for k, v in (params or {}).items()}
        visible = self._visible(operator)
        ids = {d.id for d in visible}
        queue = params.get("queue") or None
        if queue and queue not in ids:
            raise forbidden("that desk is not one of yours")
        zone_desk = next((d for d in visible if d.id == queue), visible[0] if visible else None)
        tz = _zone(zone_desk)
        today = datetime.fromtimestamp(self.clock(), tz).date()
        last = _day(params.get("to"), "to", today)
        first = _day(params.get("from"), "from", last - timedelta(days=DEFAULT_DAYS - 1))
        if first > last:
            raise bad_request("'from' must not be after 'to'")
        if (last - first).days + 1 > MAX_DAYS:
            raise bad_request(f"a report covers at most {MAX_DAYS} days")
        filters = {name: (params.get(name) or None) for name in FILTERS}
        return visible, tz, first, last, filters

    def _records(self, operator: Operator, tz: ZoneInfo, first: date, last: date) -> list[StatRecord]:
        start = datetime.combine(first, dtime(0), tz).timestamp()
        end = datetime.combine(last + timedelta(days=1), dtime(0), tz).timestamp()
        return [r for r in self.stats.between(start, end) if may_work(operator, r.queue)]

    def target(self) -> int:
        return self.stats.target() or self.default_target

    def report(self, operator: Operator, params: dict) -> dict:
        visible, tz, first, last, filters = self._scope(operator, params)
        records = self._records(operator, tz, first, last)
        target = self.target()
        chosen = [r for r in records if st.matches(r, filters)]
        rep = st.report(chosen, tz=tz, target_seconds=target)
        rep["per_day"] = tb.per_day_rows(chosen, tz, first, last)
        rep["wait"]["labels"], rep["duration"]["labels"] = tb.WAIT_LABELS, tb.DURATION_LABELS
        operators = {r.operator_id: r.operator_name or r.operator_id for r in records if r.operator_id}
        return {"from": first.isoformat(), "to": last.isoformat(), "tz": tz.key, "filters": filters,
                "options": {"queues": [{"id": d.id, "name": d.name, "library": d.library} for d in visible],
                            "libraries": sorted({d.library for d in visible if d.library}),
                            "operators": [{"id": i, "name": n} for i, n in sorted(operators.items(), key=lambda x: x[1])],
                            "tags": sorted({t for r in records for t in r.tags})},
                "target_seconds": target, **rep, "tables": tb.tables({**rep, "tz": tz.key})}

    def csv(self, operator: Operator, params: dict) -> tuple[str, str]:
        """(file name, CSV text) of one table, or of the records themselves."""
        table = (params or {}).get("table") or ""
        if table != "records" and table not in tb.TABLES:
            raise bad_request(f"'table' must be one of: records, {', '.join(tb.TABLES)}")
        if table == "records":
            visible, tz, first, last, filters = self._scope(operator, params)
            records = [r for r in self._records(operator, tz, first, last) if st.matches(r, filters)]
            text = st.records_csv(records)
        else:
            rep = self.report(operator, params)
            first, last = date.fromisoformat(rep["from"]), date.fromisoformat(rep["to"])
            chosen = rep["tables"][table]
            text = st.to_csv(chosen["columns"], chosen["rows"])
        return f"reports-{table}-{first.isoformat()}-{last.isoformat()}.csv", text

    def today(self, operator: Operator) -> dict:
        """Per desk the caller may see, in the desk's own zone: today's chats so far, how many
        wait now and the p50/p90 wait to claim (one Query of the stats table from the earliest
        local midnight, one Query of the waiting chats)."""
        now = self.clock()
        desks = [d for d in self._visible(operator) if d.enabled]
        if not desks:
            return {"desks": [], "target_seconds": self.target()}
        starts = {}
        for d in desks:
            tz = _zone(d)
            starts[d.id] = datetime.combine(datetime.fromtimestamp(now, tz).date(), dtime(0), tz).timestamp()
        records = [r for r in self.stats.between(min(starts.values()), now + 1) if r.kind == "chat"]
        waiting = self.chats.queued(QUEUED_PAGE)
        out = []
        for d in desks:
            mine = [r for r in records if r.queue == d.id and r.created_at >= starts[d.id]]
            waits = [r.wait for r in mine if r.wait is not None]
            out.append({"id": d.id, "name": d.name, "chats": len(mine), "claimed": len(waits),
                        "waiting": sum(1 for c in waiting if d.id in c.offered and c.expires_at > now),
                        "p50": st.percentile(waits, 50), "p90": st.percentile(waits, 90)})
        return {"desks": out, "target_seconds": self.target()}

    def set_target(self, admin: Operator, body: dict) -> dict:
        self.access.require_admin(admin)
        seconds = body.get("seconds")
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not TARGET_MIN <= seconds <= TARGET_MAX:
            raise bad_request(f"'seconds' must be a whole number of seconds, {TARGET_MIN}..{TARGET_MAX}")
        self.stats.set_target(seconds)
        return {"target_seconds": seconds}

