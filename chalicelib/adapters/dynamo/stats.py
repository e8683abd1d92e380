"""StatsRepository on the stats table (docs/reports.md): one compact, identity-free record per
finished chat or ticket. Key: month (UTC "YYYY-MM" asked) + sk ("<instant asked>#<ref>").

Records are written inside the transactions of the writes they describe (claim, end, the close
form, the survey, a ticket's close): this module gives those transactions their put and
update actions, and reads a date range back as one Query per month it spans, raw (a year is
40,000 items: decoding them through model objects would cost more than the report itself).
"""
from __future__ import annotations

import json

from ...domain.stats import StatRecord, instant, stat_key
from .mapper import ttl
from .models import ReferenceListsModel as L, StatModel as S

LISTS_OWNER, TARGET_ID = "lists", "report-target"
# The order of the facts in `r` (append only: stored items keep their order).
FACTS = ("kind", "ref", "queue", "library", "created_at", "outcome", "operator_id", "operator_name",
         "claimed_at", "ended_at", "msgs_patron", "msgs_librarian", "day")


def stat_item(record: StatRecord) -> S:
    """The whole record, to put (it replaces what an earlier step of the same chat wrote)."""
    month, sk = stat_key(record.created_at, record.ref)
    facts = json.dumps([getattr(record, name) for name in FACTS], separators=(",", ":"))
    return S(month, sk, r=facts, f=_form(record.question_type, record.read, record.tags),
             rating=record.rating, expires_at=ttl(record.expires_at))


def _form(question_type: str | None, read: int | None, tags) -> str | None:
    if not (question_type or read or tags):
        return None
    return json.dumps([question_type, read, list(tags)], separators=(",", ":"))


def decode(raw: dict) -> StatRecord | None:
    """A record from a raw item (DynamoDB JSON); None for a stub without facts."""
    if "r" not in raw:
        return None
    values = dict(zip(FACTS, json.loads(raw["r"]["S"])))
    question_type, read, tags = json.loads(raw["f"]["S"]) if "f" in raw else (None, None, [])
    return StatRecord(
        **values,
        rating=int(raw["rating"]["N"]) if "rating" in raw else None,
        tags=tags, question_type=question_type, read=read,
        expires_at=int(raw["expires_at"]["N"]) if "expires_at" in raw else 0)


def form_update(created_at: float, ref: str, form: dict, expires_at: int) -> tuple[S, list]:
    """The close form's part of a record, as an update: unconditional, so a chat ended before
    statistics existed gets a stub that reports skip (no facts), expiring all the same."""
    encoded = _form(form.get("question_type") or None, int(form["read"]) if form.get("read") else None,
                    [str(t) for t in form.get("tags") or []])
    actions = [S.f.set(encoded) if encoded else S.f.remove(), S.expires_at.set(S.expires_at | ttl(expires_at))]
    return S(*stat_key(created_at, ref)), actions


def rating_update(created_at: float, ref: str, rating: int, expires_at: int) -> tuple[S, list]:
    """The survey's rating on a record (unconditional, like form_update)."""
    return S(*stat_key(created_at, ref)), [S.rating.set(rating), S.expires_at.set(S.expires_at | ttl(expires_at))]


def _months(start: float, end: float) -> list[str]:
    first, last = instant(start)[:7], instant(end)[:7]
    months, (y, m) = [], map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


class DynamoStats:
    def between(self, start: float, end: float) -> list[StatRecord]:
        """The records asked in [start, end): one Query per UTC month spanned (`sk BETWEEN`,
        each 1 MB page one more request), oldest first; stubs without facts are skipped. Only
        r, f and rating are asked for: the client's cost is per attribute parsed."""
        low, high = instant(start), instant(end)
        conn = S._get_connection()
        out: list[StatRecord] = []
        for month in _months(start, end):
            last = None
            while True:
                page = conn.query(month, S.sk.between(low, high), exclusive_start_key=last,
                                  attributes_to_get=["r", "f", "rating"])
                for raw in page.get("Items", []):
                    record = decode(raw)
                    if record is not None and record.created_at < end:
                        out.append(record)
                last = page.get("LastEvaluatedKey")
                if not last:
                    break
        return out

    def target(self) -> int | None:
        """One GetItem: the wait-to-claim target admins set (an item of the canned table)."""
        try:
            item = L.get(LISTS_OWNER, TARGET_ID, consistent_read=True)
        except L.DoesNotExist:
            return None
        return int(item.target_seconds) if item.target_seconds else None

    def set_target(self, seconds: int) -> None:
        """One PutItem."""
        L(LISTS_OWNER, TARGET_ID, target_seconds=seconds).save()
