"""Opening hours of a desk: weekly local hours in an IANA time zone plus closed dates.

All arithmetic is done on local wall-clock dates and times and converted to UTC instants with
zoneinfo at the end, so a desk that opens at 09:00 opens at 09:00 local on both sides of a DST
change (the UTC instant moves by an hour). A wall time that does not exist on a spring-forward
day (02:30 in New York) is read with zoneinfo's default fold, i.e. as the instant an hour later
than the standard-time reading; one that occurs twice (autumn) is its first occurrence.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .model import WEEKDAYS, Queue

SEARCH_DAYS = 400  # how far ahead the next opening is looked for (a year of closed dates)


def zone(name: str) -> ZoneInfo | None:
    """The zone, or None for a name zoneinfo does not know (or that is not a zone name)."""
    if not isinstance(name, str) or not name or ".." in name or name.startswith("/"):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def _instant(day: date, mins: int, tz: ZoneInfo) -> float:
    """Local `day` at `mins` after midnight (1440: the next midnight) as epoch seconds."""
    extra, mins = divmod(mins, 1440)
    local = datetime.combine(day + timedelta(days=extra), time(mins // 60, mins % 60), tzinfo=tz)
    return local.timestamp()


def _intervals(queue: Queue, day: date, tz: ZoneInfo) -> list[tuple[float, float]]:
    """The desk's open intervals on local `day`, as UTC instants, in order."""
    if day.isoformat() in queue.closed_dates:
        return []
    if queue.hours is None:
        return [(_instant(day, 0, tz), _instant(day, 1440, tz))]
    spans = sorted((minutes(a), minutes(b)) for a, b in queue.hours.get(WEEKDAYS[day.weekday()], ()))
    return [(_instant(day, a, tz), _instant(day, b, tz)) for a, b in spans]


def _today(now: float, tz: ZoneInfo) -> date:
    return datetime.fromtimestamp(now, tz=timezone.utc).astimezone(tz).date()


def is_open(queue: Queue, now: float) -> bool:
    if not queue.enabled:
        return False
    tz = zone(queue.timezone) or ZoneInfo("UTC")
    return any(a <= now < b for a, b in _intervals(queue, _today(now, tz), tz))


def next_open(queue: Queue, now: float) -> float | None:
    """The first instant at or after `now` when the desk is open; None if it never opens in
    the next SEARCH_DAYS days (or is disabled)."""
    if not queue.enabled:
        return None
    tz = zone(queue.timezone) or ZoneInfo("UTC")
    day = _today(now, tz)
    for offset in range(SEARCH_DAYS):
        for a, b in _intervals(queue, day + timedelta(days=offset), tz):
            if b > now:
                return max(a, now)
    return None


def closes_at(queue: Queue, now: float) -> float | None:
    """When an open desk closes, following intervals that touch (Mon 20:00-24:00 then Tue
    00:00-02:00 closes Tuesday 02:00); None when closed now or always open."""
    if not is_open(queue, now) or (queue.hours is None and not queue.closed_dates):
        return None
    tz = zone(queue.timezone) or ZoneInfo("UTC")
    day, end = _today(now, tz), None
    for offset in range(SEARCH_DAYS):
        for a, b in _intervals(queue, day + timedelta(days=offset), tz):
            if end is None:
                if a <= now < b:
                    end = b
            elif a <= end:
                end = max(end, b)
            else:
                return end
        if end is not None and not _intervals(queue, day + timedelta(days=offset + 1), tz):
            return end
    return end
