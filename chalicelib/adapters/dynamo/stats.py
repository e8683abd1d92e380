"""StatsRepository on the stats table (docs/reports.md): one compact, identity-free record per
finished chat or ticket. Key: month (UTC "YYYY-MM" asked) + sk ("<instant asked>#<ref>").

Records are written inside the transactions of the writes they describe (claim, end, the close
form, the survey, a ticket's close): this module gives those transactions their put and
update actions, and reads a date range back as one Query per month it spans.
"""
from __future__ import annotations

from ...domain.stats import StatRecord, instant, stat_key
from .mapper import STATS, ttl
from .models import ReferenceListsModel as L, StatModel as S

LISTS_OWNER, TARGET_ID = "lists", "report-target"


def stat_item(record: StatRecord) -> S:
    """The whole record, to put (it replaces what an earlier step of the same chat wrote)."""
    return STATS.to_model(record)


def form_update(created_at: float, ref: str, form: dict, expires_at: int) -> tuple[S, list]:
    """The close form's part of a record, as an update: unconditional, so a chat ended before
    statistics existed gets a stub that reports skip (no `kind`), expiring all the same."""
    tags = [str(t) for t in form.get("tags") or []]
    actions = [S.tags.set(tags) if tags else S.tags.remove(),
               S.question_type.set(form["question_type"]) if form.get("question_type") else S.question_type.remove(),
               S.read.set(int(form["read"])) if form.get("read") else S.read.remove(),
               S.expires_at.set(S.expires_at | ttl(expires_at))]
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
        PynamoDB follows the 1 MB pages), oldest first; stubs without a record are skipped."""
        low, high = instant(start), instant(end)
        out: list[StatRecord] = []
        for month in _months(start, end):
            for item in S.query(month, S.sk.between(low, high + "#")):
                if item.kind and item.sk < high:
                    out.append(STATS.to_record(item))
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
