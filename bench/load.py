"""Load on the local runner: K simultaneous chats, one operator dashboard connection holding
all K (as a librarian with many tabs), K patrons. Every patron sends a message every
`--interval` seconds and the operator sends one into every chat as often (phases spread
evenly, so the operator's connection carries K/interval frames a second). Latency is from
the sender's `send` to the other side's `chat.message`, both clocks in this process.

    .venv/bin/python bench/load.py                # K = 10, 20, 30; 30 s each
    .venv/bin/python bench/load.py -k 30 --seconds 60 --interval 2
    PYSPY=/path/to/py-spy .venv/bin/python bench/load.py -k 20 --profile /tmp/prof

A fresh `python -m local` per K (so the tables start empty each time); the runner's CPU
seconds and RSS are read from /proc. Prints one table row per K.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

from common import Latencies, loadavg, percentile, proc_stats, seat_chats, start_service


async def run_k(k: int, seconds: float, interval: float, profile: str | None = None) -> dict:
    svc = start_service()
    spy = None
    try:
        lat = Latencies()
        op, chats = await seat_chats(svc, k, lat)
        rss0, cpu0 = proc_stats(svc.proc.pid)
        if profile:  # py-spy over the load phase only (not start-up nor seating)
            spy = subprocess.Popen([os.environ.get("PYSPY", "py-spy"), "record", "-p", str(svc.proc.pid),
                                    "-d", str(int(seconds)), "-r", "50", "--gil", "--nonblocking",
                                    "-f", "raw", "-o", f"{profile}-k{k}.txt"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.monotonic()
        stop_at = t0 + seconds
        sent = 0

        async def patron_loop(i, chat_id, patron):
            nonlocal sent
            await asyncio.sleep(interval * i / k)
            n = 0
            while time.monotonic() < stop_at:
                await patron.send(action="send", chat_id=chat_id, text=f"{lat.tag('p2o')} hello {n}",
                                  client_msg_id=f"p-{chat_id}-{n}")
                sent += 1
                n += 1
                await asyncio.sleep(interval)

        async def operator_loop():
            nonlocal sent
            n = 0
            while time.monotonic() < stop_at:
                for i, (chat_id, _) in enumerate(chats):
                    await op.send(action="send", chat_id=chat_id, text=f"{lat.tag('o2p')} answer {n}",
                                  client_msg_id=f"o-{chat_id}-{n}")
                    sent += 1
                    await asyncio.sleep(interval / k)
                n += 1

        await asyncio.gather(operator_loop(), *(patron_loop(i, c, p) for i, (c, p) in enumerate(chats)))
        # drain: wait until everything sent has arrived (or give up after 120 s)
        drain_until = time.monotonic() + 120
        while lat.sent and time.monotonic() < drain_until:
            await asyncio.sleep(0.05)
        elapsed = time.monotonic() - t0
        rss1, cpu1 = proc_stats(svc.proc.pid)
        for _, patron in chats:
            await patron.close()
        await op.close()
        if spy is not None:
            spy.wait(30)
        return {"k": k, "sent": sent, "lost": len(lat.sent), "elapsed": elapsed,
                "rate": lat.delivered / elapsed,
                "p2o": lat.took["p2o"], "o2p": lat.took["o2p"],
                "cpu_per_msg_ms": (cpu1 - cpu0) / max(lat.delivered, 1) * 1000,
                "rss": rss1, "load": loadavg()}
    finally:
        svc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", type=int, nargs="*", default=[10, 20, 30])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=2.0,
                        help="seconds between two messages of one patron (and of the operator in one chat)")
    parser.add_argument("--profile", metavar="PREFIX",
                        help="py-spy (PYSPY=path) the runner during each load phase: PREFIX-kK.txt, "
                             "raw collapsed stacks of the threads holding the GIL")
    args = parser.parse_args()
    print(f"each side sends one message per chat every {args.interval:g} s for {args.seconds:g} s; "
          f"latency in seconds; loadavg before: {loadavg()}\n")
    head = (f"| {'K':>3} | {'p2o p50':>7} | {'p2o p95':>7} | {'o2p p50':>7} | {'o2p p95':>7} | "
            f"{'msgs/s':>6} | {'lost':>4} | {'CPU ms/msg':>10} | {'RSS MB':>6} | {'loadavg after':>14} |")
    print(head)
    print("|" + "|".join("-" * (len(c) + 0) for c in head.split("|")[1:-1]) + "|")
    for k in args.k:
        r = asyncio.run(run_k(k, args.seconds, args.interval, args.profile))
        print(f"| {k:>3} | {percentile(r['p2o'], 50):7.3f} | {percentile(r['p2o'], 95):7.3f} | "
              f"{percentile(r['o2p'], 50):7.3f} | {percentile(r['o2p'], 95):7.3f} | {r['rate']:6.1f} | "
              f"{r['lost']:>4} | {r['cpu_per_msg_ms']:10.1f} | {r['rss']:6.0f} | {r['load']:>14} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
