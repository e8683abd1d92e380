"""Every figure of a report as a table of text cells (docs/reports.md `tables`).

One builder per table, over the report dict of stats.report(): the Reports tab shows these
rows as each chart's text alternative and the CSV download writes the same rows, so what a
screen reader hears, what a chart draws and what a spreadsheet opens cannot disagree.
"""
from __future__ import annotations

from datetime import date, timedelta

from .stats import DURATION_BUCKETS, OUTCOMES, WAIT_BUCKETS, WEEKDAY_NAMES

OUTCOME_LABELS = {"answered": "Answered", "abandoned": "Abandoned while waiting",
                  "missed": "Missed", "ticket": "Became a ticket"}


def _labels(edges: tuple[int, ...], unit: str, scale: int) -> list[str]:
    out, low = [], 0
    for edge in edges:
        out.append(f"{low // scale}-{edge // scale} {unit}")
        low = edge
    out.append(f"over {edges[-1] // scale} {unit}")
    return out


WAIT_LABELS = _labels(WAIT_BUCKETS, "s", 1)
DURATION_LABELS = _labels(DURATION_BUCKETS, "min", 60)


def num(value) -> str:
    """A cell: empty for none, one decimal for a float, the integer as is."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def days_between(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def per_day_rows(records, tz, first: date, last: date) -> list[dict]:
    """Every local day of the range, with none left out (a chart's empty day is a zero)."""
    from .stats import LocalClock
    clock = LocalClock(tz)
    counts = {d: {"day": d, "chats": 0, "tickets": 0} for d in days_between(first, last)}
    for r in records:
        d = clock.parts(r.created_at)[0]
        if d in counts:
            counts[d]["chats" if r.kind == "chat" else "tickets"] += 1
    return list(counts.values())


def _counts(title: str, head: str, mapping: dict, labels: dict | None = None) -> dict:
    return {"title": title, "columns": [head, "Count"],
            "rows": [[(labels or {}).get(k, k), num(v)] for k, v in mapping.items()]}


def tables(rep: dict) -> dict:
    wait, duration = rep["wait"], rep["duration"]
    return {
        "per_day": {"title": "Questions per day", "columns": ["Day", "Chats", "Tickets", "Total"],
                    "rows": [[d["day"], num(d["chats"]), num(d["tickets"]), num(d["chats"] + d["tickets"])]
                             for d in rep["per_day"]]},
        "heat_map": {"title": f"Questions by weekday and hour ({rep['tz']})",
                     "columns": ["Weekday", *[f"{h:02d}" for h in range(24)]],
                     "rows": [[WEEKDAY_NAMES[i], *map(num, row)] for i, row in enumerate(rep["heat_map"])]},
        "wait": {"title": "Wait to claim", "columns": ["Wait", "Chats"],
                 "rows": [[label, num(n)] for label, n in zip(WAIT_LABELS, wait["histogram"])]},
        "duration": {"title": "Chat duration", "columns": ["Duration", "Chats"],
                     "rows": [[label, num(n)] for label, n in zip(DURATION_LABELS, duration["histogram"])]},
        "outcomes": _counts("Outcomes", "Outcome", {o: rep["outcomes"][o] for o in OUTCOMES}, OUTCOME_LABELS),
        "ratings": _counts("Survey ratings", "Rating", rep["ratings"]["counts"]),
        "read": _counts("READ scale", "READ level", rep["read"]),
        "question_types": _counts("Question types", "Question type", rep["question_types"]),
        "tags": _counts("Tags", "Tag", rep["tags"]),
        "librarians": {"title": "Per librarian",
                       "columns": ["Librarian", "Chats", "Tickets", "Median wait (s)", "Mean wait (s)",
                                   "Mean rating"],
                       "rows": [[row["name"], num(row["chats"]), num(row["tickets"]), num(row["wait_p50"]),
                                 num(row["wait_mean"]), num(row["rating_mean"])] for row in rep["librarians"]]},
    }


TABLES = ("per_day", "heat_map", "wait", "duration", "outcomes", "ratings", "read",
          "question_types", "tags", "librarians")
