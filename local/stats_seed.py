"""Synthetic statistics records (docs/reports.md) for the Reports browser test and the bench:
a deterministic month or year of a library's chats and tickets, and a way to write them into
a local runner's (or any moto's) stats table.

Local tooling only (never shipped): the records look like a busy desk's (arrivals over the
opening hours, mostly answered within a minute or two, some abandoned, missed or turned into
tickets), from a seeded random generator so a test can compute the same figures itself.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.stats import StatRecord, chat_outcome, utc_day

HOURS = list(range(9, 21))  # local opening hours the arrivals fall in
HOUR_WEIGHTS = [3, 5, 6, 6, 5, 6, 7, 7, 6, 4, 3, 2]


def synthetic_records(first_day: date, days: int, per_day: int, *, queues: list[str],
                      operators: list[tuple[str, str]], tags: list[str] = (),
                      question_types: list[str] = (), seed: int = 1, tz: str = "UTC",
                      libraries: dict[str, str] | None = None) -> list[StatRecord]:
    rng, zone, out = random.Random(seed), ZoneInfo(tz), []
    for d in range(days):
        day = first_day + timedelta(days=d)
        for n in range(per_day):
            hour = rng.choices(HOURS, HOUR_WEIGHTS)[0]
            local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), zone)
            created = local.timestamp() + rng.random()
            queue = rng.choice(queues)
            ref = f"seed{seed}-{day.isoformat()}-{n:04d}"
            expires = int(created) + 3 * 365 * 86400
            if rng.random() < 0.06:
                out.append(_ticket(rng, ref, created, queue, operators, tags, question_types, expires, libraries))
                continue
            roll = rng.random()
            op_id, op_name = rng.choice(operators)
            if roll < 0.86:
                claimed = created + rng.lognormvariate(3.6, 0.7)  # median ~37 s
                ended = claimed + rng.lognormvariate(6.2, 0.6)  # median ~8 min
                reason, ended_by = None, rng.choice(("patron", "operator"))
            else:
                claimed, ended = None, created + rng.uniform(20, 400)
                reason = "ticket" if roll > 0.98 else ("abandoned" if roll < 0.94 else None)
                ended_by = "patron" if reason == "abandoned" else "system"
                op_id = op_name = None
            out.append(_form(rng, StatRecord(
                kind="chat", ref=ref, day=utc_day(created), queue=queue,
                library=(libraries or {}).get(queue), created_at=created,
                outcome=chat_outcome(claimed_at=claimed, ended_by=ended_by, reason=reason),
                operator_id=op_id, operator_name=op_name, claimed_at=claimed, ended_at=ended,
                msgs_patron=rng.randint(1, 12), msgs_librarian=rng.randint(0, 12) if claimed else 0,
                rating=rng.choice((None, None, 3, 4, 5, 5)) if claimed else None,
                expires_at=expires), tags, question_types, answered=claimed is not None))
    return out


def _ticket(rng, ref, created, queue, operators, tags, types, expires, libraries) -> StatRecord:
    replied = rng.random() < 0.85
    op_id, op_name = rng.choice(operators) if replied else (None, None)
    first = created + rng.uniform(600, 86400) if replied else None
    return _form(rng, StatRecord(
        kind="ticket", ref=ref, day=utc_day(created), queue=queue, library=(libraries or {}).get(queue),
        created_at=created, outcome="answered" if replied else "missed", operator_id=op_id,
        operator_name=op_name, claimed_at=first, ended_at=(first or created) + rng.uniform(60, 3600),
        msgs_patron=rng.randint(1, 3), msgs_librarian=1 if replied else 0, expires_at=expires),
        tags, types, answered=replied)


def _form(rng, record: StatRecord, tags, types, *, answered: bool) -> StatRecord:
    if answered and tags:
        record.tags = sorted(rng.sample(list(tags), rng.randint(0, min(2, len(tags)))))
    if answered and types:
        record.question_type = rng.choice(list(types))
    if answered:
        record.read = rng.choices((1, 2, 3, 4, 5, 6), (20, 35, 25, 12, 6, 2))[0]
    return record


def put_records(aws_url: str, table_prefix: str, records, region: str = "us-east-1") -> int:
    """BatchWriteItem (25 a request, unprocessed items retried) into <prefix>-stats."""
    import boto3

    from chalicelib.adapters.dynamo.stats import stat_item
    client = boto3.client("dynamodb", region_name=region, endpoint_url=aws_url or None,
                          aws_access_key_id="testing", aws_secret_access_key="testing")
    table = f"{table_prefix}-stats"
    items = [{"PutRequest": {"Item": stat_item(r).serialize()}} for r in records]
    for i in range(0, len(items), 25):
        batch = {table: items[i:i + 25]}
        while batch:
            batch = client.batch_write_item(RequestItems=batch).get("UnprocessedItems") or None
    return len(items)
