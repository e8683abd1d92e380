"""Fan-out of one broadcast: a patron asks (POST /api/chats) and every operator connection
watching hears `chat.queued`. Budget (the co-op scale issue): with a realistic round trip per
management-API post (default 15 ms, `--delay-ms`), the broadcast to 400 connections completes
in under 1 s of handler time.

    .venv/bin/python bench/fanout.py                       # N = 50, 100, 400; 15 ms per post
    .venv/bin/python bench/fanout.py -n 400 --delay-ms 25 --repeat 5

One `python -m local` for every row, with LOCAL_POST_DELAY_MS set: the local gateway's
`@connections` POST handler waits that long before it writes the frame (posts overlap, as on
AWS, where the wait is the network). N real WebSocket clients, spread over the demo operators
(several dashboards per librarian), each say `hello`; every hello announces that librarian to
the connections already there, so seating N connections posts about N²/2 frames and takes a
while (minutes for 400 on two cores): the rows share the runner, in ascending N, each adding
connections to the last. A ping on every connection then proves those announcements are
done, and each broadcast is measured alone:

- handler ms: `duration_ms` of the `create_chat` request line the app writes (its
  observability scope around the whole REST invocation, what CloudWatch reports; the runner
  runs with LOG_LEVEL=DEBUG so that the line reaches its output);
- POST ms: the patron's POST round trip as this process sees it (handler + local HTTP);
- last frame ms: from the POST leaving this process until the N-th client had the frame.

The pool size is the service's FANOUT_THREADS (chalicelib/listeners/push.py), or
"sequential" when it has none. Each row is the median of `--repeat` broadcasts (max beside).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import time
from pathlib import Path

from common import Ws, loadavg

from tests.e2e import LocalService

OPERATORS = ("admin", "librarian", "trainee")  # the demo operators local/runner.py seeds
BUDGET_S = 1.0
_REQUEST_LINE = re.compile(r"libchat\.requests: (\{.*\})\s*$")


def pool_size() -> str:
    """The service's fan-out pool (the same working tree the runner imports)."""
    try:
        from chalicelib.listeners import push
    except Exception as err:  # a tree mid-edit: say so rather than guess
        return f"unknown ({type(err).__name__})"
    size = getattr(push, "FANOUT_THREADS", None)
    return str(size) if size else "sequential"


def request_lines(output: list[str], action: str, start: int = 0) -> list[dict]:
    """The app's one-line-per-request documents for `action` from line `start` on, in order."""
    docs = []
    for line in output[start:]:
        m = _REQUEST_LINE.search(line)
        if m and f'"action":"{action}"' in m.group(1):
            try:
                docs.append(json.loads(m.group(1)))
            except ValueError:
                continue
    return docs


class Arrivals:
    """on_frame hook: `chat.queued` arrival times by chat id; other pushes are dropped (N²/2
    operator.status frames during seating), replies (welcome, pong, error) are kept."""

    KEEP = ("welcome", "pong", "error")

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.changed = asyncio.Event()

    def __call__(self, frame: dict, now: float) -> bool:
        if frame.get("type") == "chat.queued":
            chat_id = (frame.get("chat") or {}).get("chat_id")
            self.times.setdefault(chat_id, []).append(now)
            self.changed.set()
            return True
        return frame.get("type") not in self.KEEP


async def seat(svc: LocalService, clients: list[Ws], n: int, arrivals: Arrivals, parallel: int,
               tokens: list[str]) -> None:
    """Up to N operator connections (round-robin over the demo operators), each welcomed,
    and then every connection's announcements done (a ping barrier on all of them)."""
    gate = asyncio.Semaphore(parallel)
    start = len(clients)

    async def one(i: int) -> None:
        async with gate:
            ws = await Ws.open(svc.ws_url, tokens[i % len(tokens)], on_frame=arrivals)
            await ws.send(action="hello")
            frame = await ws.wait("welcome", "error", timeout=1800)
            if frame["type"] == "error":
                raise RuntimeError(f"hello {i} refused: {frame}")
            clients.append(ws)

    await asyncio.gather(*(one(i) for i in range(start, n)))
    await barrier(clients)


async def barrier(clients: list[Ws], timeout: float = 1800) -> None:
    """A ping on every connection: each one's earlier frames (hello and its announcements)
    are done once its pong is back."""
    await asyncio.gather(*(c.send(action="ping") for c in clients))
    await asyncio.gather(*(c.wait("pong", timeout=timeout) for c in clients))


async def broadcast(svc: LocalService, n: int, arrivals: Arrivals, tag: str,
                    timeout: float = 120) -> dict:
    loop = asyncio.get_running_loop()
    mark = len(svc.output)  # the request line of this POST comes after it
    t0 = time.monotonic()
    body = await loop.run_in_executor(None, lambda: svc.new_chat(f"fan-out question {tag}"))
    t_post = time.monotonic()
    chat_id = body["chat_id"]
    deadline = t0 + timeout
    while len(arrivals.times.get(chat_id, ())) < n and time.monotonic() < deadline:
        arrivals.changed.clear()
        try:
            await asyncio.wait_for(arrivals.changed.wait(), max(deadline - time.monotonic(), 0.01))
        except asyncio.TimeoutError:
            break
    got = arrivals.times.get(chat_id, [])
    handler = None
    for _ in range(100):  # the line follows the response by a moment (a pipe, a thread)
        lines = request_lines(svc.output, "create_chat", mark)
        if lines:
            handler = lines[0].get("duration_ms")
            break
        await asyncio.sleep(0.02)
    return {"handler_ms": handler, "post_ms": (t_post - t0) * 1000,
            "first_ms": (min(got) - t0) * 1000 if got else None,
            "last_ms": (max(got) - t0) * 1000 if got else None, "received": len(got)}


async def run_rows(ns: list[int], delay_ms: float, repeat: int, parallel: int, report) -> None:
    """One runner; its connections grow row by row (ascending N), so seating N²/2
    announcements is paid once for the largest row."""
    # idle_timeout: the first rows' connections say nothing while the later rows are seated,
    # which takes longer than API Gateway's 10 idle minutes on a busy machine
    svc = LocalService(idle_timeout=2 * 3600,
                       env={"LOG_LEVEL": "DEBUG", "LOCAL_POST_DELAY_MS": str(delay_ms)})
    clients: list[Ws] = []
    try:
        loop = asyncio.get_running_loop()
        tokens = [await loop.run_in_executor(None, svc.login, user) for user in OPERATORS]
        arrivals = Arrivals()
        for n in sorted(ns):
            t0 = time.monotonic()
            await seat(svc, clients, n, arrivals, parallel, tokens)
            seat_s = time.monotonic() - t0
            runs = []
            for i in range(repeat):
                runs.append(await broadcast(svc, n, arrivals, f"{n}-{i}"))
                await barrier(clients)
            report({"n": n, "seat_s": seat_s, "runs": runs, "load": loadavg()})
    finally:
        for c in clients:
            try:
                await c.close()
            except Exception:
                pass
        svc.stop()


def _median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def _max(values) -> float:
    values = [v for v in values if v is not None]
    return max(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, nargs="*", default=[50, 100, 400],
                        help="operator connections per row")
    parser.add_argument("--delay-ms", type=float, default=15.0,
                        help="round trip of one management-API post (LOCAL_POST_DELAY_MS)")
    parser.add_argument("--repeat", type=int, default=3, help="broadcasts per row (median)")
    parser.add_argument("--parallel", type=int, default=16,
                        help="connections saying hello at once while seating")
    parser.add_argument("--budget-n", type=int, default=400,
                        help="the row held to the budget (handler under 1 s)")
    parser.add_argument("--json", metavar="FILE", help="write the rows as JSON")
    args = parser.parse_args(argv)
    print(f"one chat.queued broadcast to N operator connections through the local gateway; "
          f"{args.delay_ms:g} ms per post; fan-out pool: {pool_size()}; "
          f"{args.repeat} broadcasts per row (median, max); milliseconds; "
          f"loadavg before: {loadavg()}\n")
    head = (f"| {'N':>4} | {'received':>8} | {'handler ms':>10} | {'handler max':>11} | "
            f"{'POST ms':>7} | {'last frame ms':>13} | {'last max':>8} | {'seating s':>9} | "
            f"{'loadavg after':>14} |")
    print(head)
    print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|", flush=True)
    verdict = 0
    rows = []

    def report(r: dict) -> None:
        nonlocal verdict
        rows.append(r)
        n, runs = r["n"], r["runs"]
        received = min(x["received"] for x in runs)
        handler = _median(x["handler_ms"] for x in runs)
        print(f"| {n:>4} | {received:>8} | {handler:10.0f} | {_max(x['handler_ms'] for x in runs):11.0f} | "
              f"{_median(x['post_ms'] for x in runs):7.0f} | {_median(x['last_ms'] for x in runs):13.0f} | "
              f"{_max(x['last_ms'] for x in runs):8.0f} | {r['seat_s']:9.1f} | {r['load']:>14} |",
              flush=True)
        if received < n:
            verdict = 1
        if n == args.budget_n and not handler < BUDGET_S * 1000:
            verdict = verdict or 2

    asyncio.run(run_rows(args.n, args.delay_ms, args.repeat, args.parallel, report))
    if args.json:
        Path(args.json).write_text(json.dumps({"pool": pool_size(), "delay_ms": args.delay_ms,
                                               "rows": rows}, indent=1))
    if args.budget_n in args.n:
        print(f"\nbudget: N = {args.budget_n} handler under {BUDGET_S * 1000:.0f} ms: "
              f"{'ok' if verdict == 0 else 'OVER BUDGET' if verdict == 2 else 'frames missing'}")
    return verdict


if __name__ == "__main__":
    sys.exit(main())
