"""What the local-runner benches share: `python -m local` in a subprocess (the same
`LocalService` the end-to-end tests start), its RSS and CPU from /proc, asyncio WebSocket
clients that timestamp every frame, and one operator holding many chats.

The demo operators may hold at most 3 chats and the admin API caps `max_chats` at 10
(`chalicelib/domain/limits.py`), so `seat_operator` writes the bench operator's `max_chats`
straight into the embedded DynamoDB: a bench-only shortcut, never something the app does.
"""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402

from tests.e2e import LocalService, aws_client  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_stats(pid: int) -> tuple[float, float]:
    """(RSS in MB from VmRSS, CPU seconds utime+stime) of a process."""
    rss_kb = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
    with open(f"/proc/{pid}/stat") as f:
        # the command name may hold spaces: fields after the closing parenthesis
        fields = f.read().rsplit(")", 1)[1].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    return rss_kb / 1024, (utime + stime) / CLK_TCK


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def start_service() -> LocalService:
    return LocalService(env={"LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING")})


def seat_operator(svc: LocalService, username: str, max_chats: int) -> None:
    aws_client(svc, "dynamodb").update_item(
        TableName="libchat-local-operators", Key={"operator_id": {"S": username}},
        UpdateExpression="SET max_chats = :m", ExpressionAttributeValues={":m": {"N": str(max_chats)}})


@dataclass
class Ws:
    """One WebSocket connection; every frame is kept with its arrival time (monotonic)."""
    conn: object
    frames: asyncio.Queue = field(default_factory=asyncio.Queue)
    on_frame: object = None
    reader: asyncio.Task | None = None

    @classmethod
    async def open(cls, url: str, token: str, on_frame=None) -> "Ws":
        conn = await connect(f"{url}?token={token}", open_timeout=30, max_size=2**22,
                             ping_interval=None)
        ws = cls(conn, on_frame=on_frame)
        ws.reader = asyncio.create_task(ws._read())
        return ws

    async def _read(self) -> None:
        async for raw in self.conn:
            now = time.monotonic()
            frame = json.loads(raw)
            if self.on_frame is not None and self.on_frame(frame, now):
                continue
            await self.frames.put(frame)

    async def send(self, **frame) -> None:
        await self.conn.send(json.dumps(frame))

    async def wait(self, *types: str, timeout: float = 60.0) -> dict:
        async def first():
            while True:
                frame = await self.frames.get()
                if frame.get("type") in types:
                    return frame
        return await asyncio.wait_for(first(), timeout)

    async def close(self) -> None:
        await self.conn.close()
        if self.reader is not None:
            self.reader.cancel()


class Latencies:
    """Sent-at times by message tag, arrival times where the other side received it."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.took: dict[str, list[float]] = {"p2o": [], "o2p": []}
        self.delivered = 0
        self.waiters: dict[str, asyncio.Future] = {}

    def tag(self, direction: str) -> str:
        t = f"{direction}:{uuid.uuid4().hex[:12]}"
        self.sent[t] = time.monotonic()
        return t

    def arrived(self, frame: dict, now: float, direction: str) -> bool:
        """on_frame hook: a chat.message the other side sent; True when it was taken."""
        if frame.get("type") != "chat.message":
            return False
        text = (frame.get("message") or {}).get("text") or ""
        if not text.startswith(direction + ":"):
            return text.startswith(("p2o:", "o2p:"))  # our own echo: taken, not measured
        tag = text.split(" ", 1)[0]
        sent = self.sent.pop(tag, None)
        if sent is not None:
            self.took[direction].append(now - sent)
            self.delivered += 1
            waiter = self.waiters.pop(tag, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(now)
        return True


async def seat_chats(svc: LocalService, k: int, lat: Latencies, username: str = "librarian"):
    """One operator dashboard connection holding k claimed chats, and k patrons. Returns
    (operator Ws, [(chat_id, patron Ws)])."""
    seat_operator(svc, username, k)
    token = svc.login(username)
    op = await Ws.open(svc.ws_url, token, on_frame=lambda f, t: lat.arrived(f, t, "p2o"))
    await op.send(action="hello")
    await op.wait("welcome")
    chats = []
    loop = asyncio.get_running_loop()
    for i in range(k):
        body = await loop.run_in_executor(None, lambda: svc.new_chat(f"bench question {i}"))
        patron = await Ws.open(body["ws_url"], body["token"],
                               on_frame=lambda f, t: lat.arrived(f, t, "o2p"))
        await patron.send(action="hello", chat_id=body["chat_id"])
        await patron.wait("welcome")
        await op.send(action="claim", chat_id=body["chat_id"], request_id=f"claim-{i}")
        while True:
            frame = await op.wait("chat.claimed", "error")
            if frame["type"] == "error":
                raise RuntimeError(f"claim {i} refused: {frame}")
            if frame.get("chat_id") == body["chat_id"]:
                break
        chats.append((body["chat_id"], patron))
    return op, chats
