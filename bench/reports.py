"""The year-long report (issue 12): a busy library's 40,000 chats and tickets of one year in the
stats table, and `GET /api/reports` over the whole year through the real Chalice handler, on
moto in this process. Prints the DynamoDB requests the handler sent (counted where botocore
sends them), the pages and bytes read, the read request units that costs on AWS, and the handler
time (median of the runs), next to the same figures computed from a list in memory (what the
handler spends outside DynamoDB).

moto answers in this process, so its own work (it scans the partition in Python for each page)
is inside the handler time: on AWS a Query page is a network round trip of a few ms instead.

    .venv/bin/python bench/reports.py [--records 40000] [--runs 5] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RRU_PRICE = 0.25 / 1_000_000  # on-demand read request unit, us-east-1 (2026 public price)
YEAR_START = date(2025, 12, 1)


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=40_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (tests)")
    args = parser.parse_args()
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1", "TABLE_PREFIX": "bench",
                       "PATRON_TOKEN_SECRET": secrets.token_urlsafe(32)}.items():
        os.environ[key] = value
    import botocore.handlers
    from moto import mock_aws

    sent: list[tuple[str, int]] = []

    def count(request, event_name=None, **_):
        if event_name and event_name.startswith("before-send.dynamodb."):
            sent.append((event_name.rsplit(".", 1)[-1], 0))

    def size(http_response=None, event_name=None, **_):
        if event_name and event_name.startswith("after-call.dynamodb.") and http_response is not None and sent:
            sent[-1] = (sent[-1][0], len(http_response.content or b""))

    botocore.handlers.BUILTIN_HANDLERS.append(("before-send", count))
    botocore.handlers.BUILTIN_HANDLERS.append(("after-call", size))
    # moto answers inside botocore's before-send (its stubber): the time spent there is the
    # stand-in for DynamoDB's own work, which on AWS happens on the other side of the network
    from moto.core.botocore_stubber import BotocoreStubber
    served = [0.0]
    original_call = BotocoreStubber.__call__

    def timed_call(self, event_name, request, **kwargs):
        t = time.perf_counter()
        try:
            return original_call(self, event_name, request, **kwargs)
        finally:
            served[0] += time.perf_counter() - t
    BotocoreStubber.__call__ = timed_call
    with mock_aws():
        from chalicelib import wiring
        from chalicelib.adapters import dynamo
        from chalicelib.domain import stats as st
        from chalicelib.domain.model import Operator
        from local.stats_seed import put_records, synthetic_records
        wiring.reset()
        dynamo.bind("bench", "us-east-1")
        dynamo.create_tables()
        per_day = max(1, round(args.records / 365))
        records = synthetic_records(YEAR_START, 365, per_day, queues=["general", "law", "science"],
                                    operators=[(f"op{i}", f"Librarian {i}") for i in range(12)],
                                    tags=["catalogue", "databases", "maps", "citation"],
                                    question_types=["directional", "reference", "technology"], seed=7)
        put_records(None, "bench", records)
        svc = wiring.services()
        admin = Operator(id="admin", name="Admin", role="admin")
        params = {"from": YEAR_START.isoformat(), "to": "2026-11-30"}
        svc.reports.report(admin, params)  # warm: the desk directory and the connection
        times, own, requests = [], [], []
        for _ in range(args.runs):
            sent.clear()
            served[0] = 0.0
            t = time.perf_counter()
            rep = svc.reports.report(admin, params)
            times.append(time.perf_counter() - t)
            own.append(times[-1] - served[0])
            requests = list(sent)
        t = time.perf_counter()
        st.report(records, tz=__import__("zoneinfo").ZoneInfo("UTC"), target_seconds=60)
        compute = time.perf_counter() - t
        served[0] = 0.0
        t = time.perf_counter()
        name, text = svc.reports.csv(admin, {**params, "table": "records"})
        csv_time = time.perf_counter() - t - served[0]
    queries = [n for op, n in requests if op == "Query"]
    read_bytes = sum(queries)
    rru = read_bytes / 4096 / 2  # eventually consistent Query: half a unit per 4 KB
    figures = {"records": len(records), "reported": rep["count"], "queries": len(queries),
               "other_requests": len(requests) - len(queries), "scans": sum(op == "Scan" for op, _ in requests),
               "bytes_read": read_bytes, "rru": round(rru), "cost_usd": rru * RRU_PRICE,
               "handler_s": statistics.median(own), "handler_min_s": min(own),
               "with_moto_s": statistics.median(times),
               "compute_s": compute, "csv_s": csv_time, "csv_bytes": len(text.encode()),
               "loadavg": loadavg()}
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"A year of {figures['records']:,} records ({YEAR_START} to 2026-11-30, {per_day}/day, 3 desks), "
          f"GET /api/reports over the whole year, {args.runs} runs; moto in-process; loadavg {figures['loadavg']}\n")
    rows = [("records reported", f"{figures['reported']:,}"),
            ("DynamoDB Query requests (12 months + pages)", f"{figures['queries']}"),
            ("other DynamoDB requests", f"{figures['other_requests']}"),
            ("Scan requests", f"{figures['scans']}"),
            ("bytes read", f"{read_bytes:,}"),
            ("read request units on AWS", f"{figures['rru']:,}"),
            ("cost of one report on AWS", f"${figures['cost_usd']:.5f}"),
            ("handler time, median (min)", f"{figures['handler_s']:.2f} s ({figures['handler_min_s']:.2f} s)"),
            ("moto's own time answering (not on AWS)", f"{figures['with_moto_s'] - figures['handler_s']:.2f} s"),
            ("of which the figures from a list in memory", f"{compute:.2f} s"),
            ("records CSV, handler time", f"{csv_time:.2f} s ({figures['csv_bytes']:,} bytes)")]
    print(f"| {'what':<44} | {'figure':>22} |")
    print(f"|{'-' * 46}|{'-' * 24}|")
    for what, fig in rows:
        print(f"| {what:<44} | {fig:>22} |")
    ok = figures["handler_s"] < 2.0 and figures["scans"] == 0
    print(f"\nbudget: under 2 s of handler time, no Scan: {'ok' if ok else 'OVER BUDGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
