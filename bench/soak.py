"""Soak of the local runner: many messages through real WebSocket clients, watching the
runner's memory (VmRSS) and CPU seconds per message (utime+stime) as the tables fill up.

    .venv/bin/python bench/soak.py                        # 10,000 messages over 50 chats
    .venv/bin/python bench/soak.py --messages 2000 --chats 20 --max-rss-mb 3000

One operator dashboard connection holds every chat; each chat's patron and the operator take
turns (a closed loop: each chat sends its next message once the other side has received the
last one), so the runner works as fast as it can and the CPU per message is comparable from
row to row. Goal (issue 9): RSS under 500 MB and CPU per message flat. Stops early, with what
it has, if RSS passes --max-rss-mb (moto as it was grew to 21.5 GB after about 4,000).
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time

from common import Latencies, loadavg, percentile, proc_stats, seat_chats, start_service


async def soak(messages: int, chats: int, rows: int, max_rss_mb: float) -> int:
    svc = start_service()
    try:
        lat = Latencies()
        op, seated = await seat_chats(svc, chats, lat)
        pid = svc.proc.pid
        step = max(messages // rows, 1)
        sent = 0
        next_row = step
        stop = asyncio.Event()
        print(f"{chats} chats, {messages} messages, loadavg at start: {loadavg()}\n")
        head = (f"| {'messages':>8} | {'RSS MB':>7} | {'CPU s':>7} | {'CPU ms/msg since last':>22} | "
                f"{'p95 s':>6} | {'loadavg':>14} |")
        print(head)
        print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|", flush=True)
        rss, cpu = proc_stats(pid)
        last = (0, cpu, 0, 0)
        t0 = time.monotonic()
        print(f"| {0:>8} | {rss:7.0f} | {cpu:7.1f} | {'':>22} | {'':>6} | {loadavg():>14} |", flush=True)

        async def chat_loop(i, chat_id, patron):
            nonlocal sent, last, next_row
            n = 0
            while not stop.is_set() and sent < messages:
                ws, direction = (patron, "p2o") if n % 2 == 0 else (op, "o2p")
                tag = lat.tag(direction)
                waiter = asyncio.get_running_loop().create_future()
                lat.waiters[tag] = waiter
                await ws.send(action="send", chat_id=chat_id, text=f"{tag} soak message {n}",
                              client_msg_id=f"s-{chat_id}-{n}")
                n += 1
                sent += 1
                try:
                    await asyncio.wait_for(waiter, 120)
                except asyncio.TimeoutError:
                    print(f"chat {i}: message {n} not delivered in 120 s", file=sys.stderr)
                    stop.set()
                    return
                if lat.delivered >= next_row:  # a row every `step` messages delivered
                    next_row += step
                    rss, cpu = proc_stats(pid)
                    delivered = lat.delivered
                    per_msg = (cpu - last[1]) / max(delivered - last[0], 1) * 1000
                    recent = lat.took["p2o"][last[2]:] + lat.took["o2p"][last[3]:]
                    print(f"| {delivered:>8} | {rss:7.0f} | {cpu:7.1f} | {per_msg:22.1f} | "
                          f"{percentile(recent, 95):6.3f} | {loadavg():>14} |", flush=True)
                    last = (delivered, cpu, len(lat.took["p2o"]), len(lat.took["o2p"]))
                    if rss > max_rss_mb:
                        print(f"RSS {rss:.0f} MB > {max_rss_mb:.0f} MB: stopping", file=sys.stderr)
                        stop.set()

        await asyncio.gather(*(chat_loop(i, c, p) for i, (c, p) in enumerate(seated)))
        elapsed = time.monotonic() - t0
        rss, cpu = proc_stats(pid)
        print(f"\n{lat.delivered} messages delivered in {elapsed:.0f} s ({lat.delivered / elapsed:.1f}/s); "
              f"final RSS {rss:.0f} MB; loadavg at end: {loadavg()}")
        for _, patron in seated:
            await patron.close()
        await op.close()
        return 0 if not stop.is_set() else 1
    finally:
        svc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--rows", type=int, default=10)
    parser.add_argument("--max-rss-mb", type=float, default=4000.0)
    args = parser.parse_args()
    return asyncio.run(soak(args.messages, args.chats, args.rows, args.max_rss_mb))


if __name__ == "__main__":
    sys.exit(main())
