"""What one typical chat costs on AWS, from the requests it makes, per 1,000 chats.

    .venv/bin/python bench/cost.py                    # 20 messages each way, 60 characters, 3/s
    .venv/bin/python bench/cost.py --messages 5 --lambda-ms measured

A typical chat, through the local runner (run in this process, so botocore can be counted
where the app calls it, as tests/conftest.py's `botocore_requests` does) and real WebSocket
clients: five librarian dashboards are open (five librarians, made with
scripts/create_operator.py's helper); a patron's widget checks /api/status and watches the
status while the question form is up (`?watch=status`), asks (POST /api/chats), connects and
says hello; the first librarian claims it and loads its history; then `--messages` messages
each way, the librarian first, each read for `--pause` seconds, then typed at `--cps`
characters a second. The typing frames are what the front ends' own typing code sends for that
typing: bench/typing_frames.mjs runs widget/patron/activity.js's TypingNotifier (with the
draft previews) and widget/dashboard/controller-chats.js's Conversations on a fake clock, and
the frames are replayed on the real sockets in that order (not in real time: the counts do not
depend on the wall clock; the connection minutes and pings come from the virtual times).
Then the librarian ends and closes the chat, the patron's widget disconnects and the patron
answers the survey. Everything the dashboards and the patron receive is a billed message out.

Counted (after the dashboards are seated; the runner's scheduler is held off, since
EventBridge's one invocation a minute is a fixed cost, not a chat's):
- Lambda invocations: the app's own one line per invocation (chalicelib/observability.py):
  every REST call, $connect, $default frame and $disconnect; billed duration: `--lambda-ms`
  per invocation at the deployed memory (.chalice/config.json's prod stage; default 50 ms: a
  warm invocation of 1-3 DynamoDB requests and a
  few posts; cold starts left out), or `measured` (each one's local duration, rounded up to
  the ms as Lambda does; this machine's moto is no guide to DynamoDB's latency).
- API Gateway WebSocket messages: frames the clients send, and every @connections post (one
  per recipient), each in 32 KB units; $connect and $disconnect are not counted as messages.
  Connection minutes: from the virtual times: the status watcher while the form is up
  (`--form` s), the patron's socket from connect to the end, and the five dashboards for the
  chat's duration (an upper bound: as if this chat were their only one).
- REST API calls (the Chalice REST API).
- DynamoDB requests by operation, and their request units as DynamoDB would bill them,
  computed from the sizes of the items involved, read from the embedded moto's tables around
  each request (moto's own ConsumedCapacity is a constant): reads 1 unit per 4 KB (half for
  eventually consistent; Query sums the items it read), writes 1 unit per 1 KB of the larger
  of the old and new item, transactions twice that (a ConditionCheck counted as a
  transactional write of its item), and one write per global or local secondary index whose
  projection of the item changed (two when its key changed).
- SNS publishes.
The typing row is everything the `typing` frames cause: their invocations and duration, the
frames in, the `chat.typing` posts out and their DynamoDB reads.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from common import ROOT, Ws, loadavg
from websockets.asyncio.client import connect

PRICES_CHECKED = "2026-12-02"  # us-east-1 public prices, as checked on this date
PRICE = {  # dollars per unit
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_s": 0.0000166667,
    "ws_message": 1.00 / 1e6,
    "ws_minute": 0.25 / 1e6,
    "rest_call": 3.50 / 1e6,
    "wru": 0.625 / 1e6,
    "rru": 0.125 / 1e6,
    "sns_publish": 0.50 / 1e6,
}
def lambda_memory_mb(stage: str = "prod") -> int:
    """The memory the deploy gives the Lambdas (.chalice/config.json): GB-seconds are billed
    at it, whatever this machine ran on."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    stage_cfg = config.get("stages", {}).get(stage, {})
    return int(stage_cfg.get("lambda_memory_size") or config.get("lambda_memory_size") or 128)


LAMBDA_MB = lambda_memory_mb()
LAMBDA_GB = LAMBDA_MB / 1024
DASHBOARDS = 5
PASSWORD = "Bench-Cost-Password-1"
GOAL = 0.60  # dollars per 1,000 chats (the cost issue)
TEXT = "Could you check the county atlas of 1902 for the mill, please"  # 60 characters
REPLY = "Yes: plate 14 shows the mill on the river, north of the bridge"  # 60 characters
WS_UNIT = 32 * 1024
READ_UNIT, WRITE_UNIT = 4096, 1024


# ------------------------------------------------------------------ the typing script (node)

def typing_script(messages: int, cps: float, pause_s: float, text_len: int, previews: bool) -> dict:
    """bench/typing_frames.mjs for `messages` turns each way, librarian first."""
    def text(base: str, i: int) -> str:  # unique: the other side waits for this very text
        s = f"{i + 1:02d} {base} "
        return (s * (text_len // len(s) + 1))[:text_len]
    turns = []
    for i in range(messages):
        turns.append({"side": "librarian", "text": text(REPLY, i), "pause_ms": pause_s * 1000})
        turns.append({"side": "patron", "text": text(TEXT, i), "pause_ms": pause_s * 1000})
    spec = {"cps": cps, "turns": turns, "previews": previews}
    out = subprocess.run(["node", str(ROOT / "bench" / "typing_frames.mjs"), json.dumps(spec)],
                         capture_output=True, text=True, check=False, timeout=120)
    if out.returncode != 0:
        raise RuntimeError(f"bench/typing_frames.mjs failed:\n{out.stderr}")
    return json.loads(out.stdout)


def quiet_ticks(sent_ms: list[float], interval: int, until_ms: float) -> list[int]:
    """When widget/js/protocol.js pings: at each tick of `interval` unless the socket sent a
    frame since the previous tick (`schedulePing`)."""
    return [t for t in range(interval, int(until_ms), interval)
            if not any(t - interval < s <= t for s in sent_ms)]


def ping_interval_ms() -> int:
    """The protocol client's keep-alive ping (widget/js/protocol.js `pingInterval`)."""
    src = (ROOT / "widget" / "js" / "protocol.js").read_text()
    m = re.search(r"pingInterval:\s*([0-9_]+)", src)
    return int(m.group(1).replace("_", "")) if m else 240_000


# ------------------------------------------------------------------ DynamoDB request units

class Units:
    """Request units of one DynamoDB request, from item sizes in the embedded moto."""

    def __init__(self) -> None:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends
        self.backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]

    def _table(self, name):
        try:
            return self.backend.get_table(name)
        except Exception:
            return None

    def _item(self, table, key: dict):
        from moto.dynamodb.models.dynamo_type import DynamoType
        try:
            hk = DynamoType(key[table.hash_key_attr])
            rk = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            return table.get_item(hk, rk)
        except Exception:
            return None

    def _key_of(self, table, item: dict) -> dict:
        names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
        return {n: item[n] for n in names if n in item}

    def snapshot(self, table_name: str, key: dict):
        """(size, {index: (key values, projection document)}) of an item now, or None."""
        table = self._table(table_name)
        item = self._item(table, key) if table is not None else None
        if item is None:
            return None
        indexes = {}
        for index in [*getattr(table, "global_indexes", []), *getattr(table, "indexes", [])]:
            attrs = index.schema_key_attrs
            if all(a in item.attrs for a in attrs):
                projected = index.project(item)
                indexes[index.name] = (json.dumps([item.attrs[a].to_json() for a in attrs]),
                                       json.dumps(projected.to_json(), sort_keys=True), projected.size())
        return item.size(), indexes

    @staticmethod
    def write_units(before, after, factor: int = 1) -> float:
        size = max(before[0] if before else 0, after[0] if after else 0)
        units = factor * max(1, math.ceil(size / WRITE_UNIT))
        old = before[1] if before else {}
        new = after[1] if after else {}
        for name in set(old) | set(new):
            o, n = old.get(name), new.get(name)
            if o and n:
                if o[0] != n[0]:  # the index key changed: a delete and a put
                    units += math.ceil(max(o[2], 1) / WRITE_UNIT) + math.ceil(max(n[2], 1) / WRITE_UNIT)
                elif o[1] != n[1]:
                    units += math.ceil(max(o[2], n[2], 1) / WRITE_UNIT)
            elif o or n:
                units += math.ceil(max((o or n)[2], 1) / WRITE_UNIT)
        return units

    def read_units(self, table_name: str, key: dict, consistent: bool, factor: float = 1) -> float:
        snap = self.snapshot(table_name, key)
        size = snap[0] if snap else 0
        return factor * max(1, math.ceil(size / READ_UNIT)) * (1 if consistent else 0.5)

    def query_units(self, body: dict, parsed: dict) -> float:
        table = self._table(body.get("TableName"))
        items = parsed.get("Items") or []
        index = None
        if table is not None and body.get("IndexName"):
            index = next((i for i in [*getattr(table, "global_indexes", []), *getattr(table, "indexes", [])]
                          if i.name == body["IndexName"]), None)
        total = 0
        for it in items:
            full = self._item(table, self._key_of(table, it)) if table is not None else None
            if full is None:
                total += _json_item_size(it)
            else:
                total += (index.project(full) if index is not None else full).size()
        scanned, count = parsed.get("ScannedCount", len(items)), parsed.get("Count", len(items))
        if scanned > count:  # filtered out after the read: read all the same
            total += (scanned - count) * (total / count if count else 1024)
        consistent = bool(body.get("ConsistentRead"))
        return max(1, math.ceil(total / READ_UNIT)) * (1 if consistent else 0.5)


def _json_item_size(item: dict) -> int:
    def value(v: dict) -> int:
        (t, x), = v.items()
        if t in ("S", "B"):
            return len(x.encode() if isinstance(x, str) else x)
        if t == "N":
            return len(x)
        if t in ("BOOL", "NULL"):
            return 1
        if t in ("SS", "NS", "BS"):
            return sum(len(e.encode() if isinstance(e, str) else e) for e in x)
        if t == "L":
            return 3 + sum(1 + value(e) for e in x)
        if t == "M":
            return 3 + sum(1 + len(k.encode()) + value(e) for k, e in x.items())
        return 0
    return sum(len(k.encode()) + value(v) for k, v in item.items())


# ------------------------------------------------------------------ counting

class Meter:
    """Every botocore request the app makes (patched like tests/conftest.py's fixture), with
    DynamoDB units, the invocation it belongs to (the app's observability scope of the calling
    thread), and the app's one log line per invocation."""

    def __init__(self) -> None:
        self.on = False
        self.lock = threading.Lock()
        self.dynamo_lock = threading.Lock()  # DynamoDB is serialized by the runner anyway
        self.requests: list[dict] = []
        self.invocations: list[dict] = []
        self.units: Units | None = None

    async def quiet(self, for_s: float = 0.5, timeout: float = 30) -> None:
        """Until no invocation or request has been counted for `for_s` seconds."""
        deadline = time.monotonic() + timeout
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            now_count = len(self.requests) + len(self.invocations)
            if now_count != last:
                last, since = now_count, time.monotonic()
            elif time.monotonic() - since >= for_s:
                return
            await asyncio.sleep(0.05)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.invocations.clear()

    def count_posts(self) -> None:
        """The sender's posts skip the client (chalicelib/adapters/apigw.py) and announce each
        one on `before-send`; the client's own requests are counted by install(). Registered
        before the runner makes its botocore sessions (a built-in handler reaches only the
        sessions made after it)."""
        import botocore.handlers
        from chalicelib import observability
        meter = self

        def post_sent(request, **_):
            if not meter.on:
                return
            rec = observability._current.get()
            try:
                frame = json.loads(request.body).get("type")
            except Exception:
                frame = None
            with meter.lock:
                meter.requests.append({"service": "execute-api", "op": "PostToConnection",
                                       "action": rec.action if rec is not None else None,
                                       "url": request.url, "bytes": len(request.body or b""),
                                       "rru": 0.0, "wru": 0.0, "frame": frame})

        botocore.handlers.BUILTIN_HANDLERS.append(
            ("before-send.apigatewaymanagementapi.PostToConnection", post_sent))

    def install(self) -> None:
        from botocore.endpoint import Endpoint
        from chalicelib import observability
        meter, original = self, Endpoint._do_get_response

        def counting(endpoint, request, operation_model, context):
            if not meter.on:
                return original(endpoint, request, operation_model, context)
            service = operation_model.service_model.endpoint_prefix
            rec = observability._current.get()
            row = {"service": service, "op": operation_model.name,
                   "action": rec.action if rec is not None else None, "url": request.url,
                   "bytes": len(request.body or b""), "rru": 0.0, "wru": 0.0}
            if service == "execute-api":
                try:
                    row["frame"] = json.loads(request.body).get("type")
                except Exception:
                    row["frame"] = None
            if service != "dynamodb":
                result = original(endpoint, request, operation_model, context)
            else:
                with meter.dynamo_lock:
                    result = meter._dynamo(row, request, lambda: original(endpoint, request, operation_model, context))
            with meter.lock:
                meter.requests.append(row)
            return result

        Endpoint._do_get_response = counting


        class Lines(logging.Handler):
            def emit(self, record):
                if not meter.on:
                    return
                try:
                    doc = json.loads(record.getMessage())
                except ValueError:
                    return
                if doc.get("action") is None:  # a metric line of its own, not an invocation
                    return
                with meter.lock:
                    meter.invocations.append(doc)

        lines = logging.getLogger("libchat.requests")
        lines.setLevel(logging.DEBUG)
        lines.propagate = False
        lines.addHandler(Lines())

    def _dynamo(self, row: dict, request, call):
        u = self.units
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            body = {}
        op = row["op"]
        if op in ("GetItem", "PutItem") and str(body.get("TableName", "")).endswith("-guards"):
            pk = ((body.get("Key") or body.get("Item") or {}).get("key") or {}).get("S", "")
            # the period's hashing key (domain/guards.py): made once per 30 days, read once per
            # container and cached, so not a cost of this chat (like a cold start)
            row["per_period"] = pk.startswith("key#")
        writes = []  # (table, key, factor) to snapshot around the call
        if op in ("PutItem", "UpdateItem", "DeleteItem"):
            key = body.get("Key") or self._put_key(body.get("TableName"), body.get("Item") or {})
            writes.append((body.get("TableName"), key, 1))
        elif op == "TransactWriteItems":
            for entry in body.get("TransactItems", []):
                (kind, spec), = entry.items()
                key = spec.get("Key") or self._put_key(spec.get("TableName"), spec.get("Item") or {})
                writes.append((spec.get("TableName"), key, 2))
        elif op == "BatchWriteItem":
            for table, reqs in (body.get("RequestItems") or {}).items():
                for r in reqs:
                    if "PutRequest" in r:
                        writes.append((table, self._put_key(table, r["PutRequest"]["Item"]), 1))
                    elif "DeleteRequest" in r:
                        writes.append((table, r["DeleteRequest"]["Key"], 1))
        before = [u.snapshot(t, k) for t, k, _ in writes] if u else []
        result = call()
        if u is None:
            return result
        try:
            parsed = result[1] if isinstance(result, tuple) else {}
            if writes:
                after = [u.snapshot(t, k) for t, k, _ in writes]
                row["tables"] = {}
                for (table, _, f), b, a in zip(writes, before, after):
                    units = u.write_units(b, a, f)
                    row["wru"] += units
                    name = (table or "?").removeprefix("libchat-local-")
                    row["tables"][name] = row["tables"].get(name, 0) + units
            elif op == "GetItem":
                row["rru"] = u.read_units(body["TableName"], body["Key"], bool(body.get("ConsistentRead")))
                row["tables"] = {body["TableName"].removeprefix("libchat-local-"): row["rru"]}
            elif op == "BatchGetItem":
                row["tables"] = {}
                for table, spec in (body.get("RequestItems") or {}).items():
                    for key in spec.get("Keys", []):
                        units = u.read_units(table, key, bool(spec.get("ConsistentRead")))
                        row["rru"] += units
                        name = table.removeprefix("libchat-local-")
                        row["tables"][name] = row["tables"].get(name, 0) + units
            elif op == "TransactGetItems":
                for entry in body.get("TransactItems", []):
                    spec = entry["Get"]
                    row["rru"] += u.read_units(spec["TableName"], spec["Key"], True, factor=2)
            elif op in ("Query", "Scan"):
                row["rru"] = u.query_units(body, parsed or {})
                name = body.get("TableName", "?").removeprefix("libchat-local-")
                row["tables"] = {name + (f"/{body['IndexName']}" if body.get("IndexName") else ""): row["rru"]}
        except Exception as err:  # units are an estimate; never break the app's request
            row["units_error"] = repr(err)
        return result

    def _put_key(self, table_name, item: dict) -> dict:
        table = self.units._table(table_name) if self.units else None
        return self.units._key_of(table, item) if table is not None else {}


# ------------------------------------------------------------------ the chat

class Http:
    def __init__(self, base_url: str) -> None:
        self.base = base_url

    def __call__(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + "/api" + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read() or b"{}")


class Inbox:
    """on_frame hook of one client: counts what it receives; keeps replies and messages."""

    def __init__(self) -> None:
        self.received = Counter()
        self.texts: set[str] = set()
        self.got_text = asyncio.Event()

    def __call__(self, frame: dict, now: float) -> bool:
        kind = frame.get("type")
        self.received[kind] += 1
        if kind == "chat.message":
            self.texts.add((frame.get("message") or {}).get("text") or "")
            self.got_text.set()
            return True
        return kind in ("chat.typing", "operator.status", "chat.presence", "service.status")

    async def wait_text(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.texts:
            self.got_text.clear()
            await asyncio.wait_for(self.got_text.wait(), max(deadline - time.monotonic(), 0.01))


class Client:
    """A Ws that counts the frames it sends (each a billed message in, and one invocation)."""

    def __init__(self, ws: Ws, inbox: Inbox, sent: Counter) -> None:
        self.ws, self.inbox, self.sent_counter = ws, inbox, sent

    @classmethod
    async def open(cls, url: str, sent: Counter) -> "Client":
        inbox = Inbox()
        raw = await connect(url, open_timeout=30, max_size=2**22, ping_interval=None)
        ws = Ws(raw, on_frame=inbox)
        ws.reader = asyncio.create_task(ws._read())
        return cls(ws, inbox, sent)

    async def send(self, **frame) -> None:
        data = json.dumps(frame)
        self.sent_counter[frame.get("action")] += 1
        self.sent_counter["_units"] += max(1, math.ceil(len(data.encode()) / WS_UNIT))
        await self.ws.conn.send(data)

    async def wait(self, *types, timeout: float = 30) -> dict:
        return await self.ws.wait(*types, timeout=timeout)

    async def barrier(self) -> None:
        await self.send(action="ping")
        await self.wait("pong")

    async def close(self) -> None:
        await self.ws.close()


def ws_url(stack, token: str | None = None, watch: bool = False) -> str:
    base = stack.gateway.ws_url
    if watch:
        return f"{base}?watch=status"
    return f"{base}?token={token}"


async def until(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the chat did not get there in time")
        await asyncio.sleep(0.01)


async def run_chat(stack, meter: Meter, script: dict, args) -> dict:
    loop = asyncio.get_running_loop()
    http = Http(stack.gateway.base_url)

    async def rest(*a, **k):
        return await loop.run_in_executor(None, lambda: http(*a, **k))

    # --- not counted: five librarians sign in and open their dashboards
    from scripts.create_operator import create_operator
    import boto3
    cognito = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=stack.aws.url)
    outputs = {"UserPoolId": os.environ["COGNITO_USER_POOL_ID"], "TablePrefix": "libchat-local",
               "Region": "us-east-1"}
    names = [f"bench-librarian-{i + 1}" for i in range(DASHBOARDS)]
    for i, username in enumerate(names):
        await loop.run_in_executor(None, lambda u=username, i=i: create_operator(
            cognito, outputs, username=u, name=f"Librarian {i + 1}", role="librarian",
            max_chats=3, password=PASSWORD, host=stack.aws.url))
    tokens = []
    for username in names:
        status, body = await rest("POST", "/auth/login", {"username": username, "password": PASSWORD})
        assert status == 200, body
        tokens.append(body["token"])
    setup_sent: Counter = Counter()
    dashboards = []
    for token in tokens:
        d = await Client.open(ws_url(stack, token), setup_sent)
        await d.send(action="hello")
        await d.wait("welcome")
        dashboards.append(d)
    for d in dashboards:
        await d.barrier()
    for d in dashboards:
        d.inbox.received.clear()

    # --- counted from here
    sent: Counter = Counter()
    for d in dashboards:
        d.sent_counter = sent
    rest_calls: Counter = Counter()
    meter.on = True
    await meter.quiet(0.3)  # the seating's last invocation lines are written after their pongs
    meter.reset()
    lib, lib_token = dashboards[0], tokens[0]

    rest_calls["GET /status"] += 1
    status, _ = await rest("GET", "/status")
    assert status == 200
    watcher = await Client.open(ws_url(stack, watch=True), sent)
    await watcher.send(action="hello")
    await watcher.wait("welcome")
    rest_calls["POST /chats"] += 1
    status, chat = await rest("POST", "/chats", {"question": TEXT, "name": "Pat"})
    assert status == 201, chat
    chat_id = chat["chat_id"]
    await watcher.close()  # the form is gone: the widget stops watching
    patron = await Client.open(chat["ws_url"] + ("&" if "?" in chat["ws_url"] else "?") + f"token={chat['token']}", sent)
    await patron.send(action="hello", chat_id=chat_id)
    await patron.wait("welcome")
    # no ping barriers from here on: they would be counted; wait for the frames themselves
    await until(lambda: all(d.inbox.received["chat.queued"] for d in dashboards))
    await lib.send(action="claim", chat_id=chat_id, request_id="claim-1")
    while True:
        frame = await lib.wait("chat.claimed", "error")
        if frame["type"] == "error":
            raise RuntimeError(f"claim refused: {frame}")
        if frame.get("chat_id") == chat_id:
            break
    rest_calls["GET /chats/{id}/messages"] += 1
    status, _ = await rest("GET", f"/chats/{chat_id}/messages?after=0", token=lib_token)
    assert status == 200

    # --- the conversation, in the virtual order of bench/typing_frames.mjs, with pings
    wait_ms = args.wait * 1000
    interval = ping_interval_ms()
    chat_ms = wait_ms + script["end_ms"]  # from the patron's connect to the last message
    events = [(e["t"] + wait_ms, e["side"], e["frame"]) for e in script["events"]]
    pinging = {"patron": "patron", "librarian": "dashboard0"}  # dashboards[0] is the librarian's
    sent_at = {side: [t for t, s, _ in events if pinging.get(s, s) == side]
               for side in ["patron", *(f"dashboard{j}" for j in range(DASHBOARDS))]}
    for side, times in sent_at.items():
        events += [(t, side, {"action": "keepalive"}) for t in quiet_ticks(times, interval, chat_ms)]
    events.sort(key=lambda e: e[0])
    n = 0
    for _, side, frame in events:
        ws = patron if side == "patron" else lib if side == "librarian" else dashboards[int(side[9:])]
        frame = {**frame, "chat_id": chat_id} if "chat_id" in frame else dict(frame)
        if frame["action"] == "send":
            n += 1
            frame["client_msg_id"] = f"{side}-{n}"
            await ws.send(**frame)
            other = lib if side == "patron" else patron
            await other.inbox.wait_text(frame["text"])
        elif frame["action"] == "ping":
            await ws.send(**frame)
            await ws.wait("pong")
        else:
            await ws.send(**frame)

    # --- the end: End Chat, the widget lets go, Close Chat, the survey
    await lib.send(action="end", chat_id=chat_id, request_id="end-1")
    await patron.wait("chat.ended")
    await patron.close()
    await lib.send(action="close", chat_id=chat_id, request_id="close-1")
    await lib.wait("chat.closed")
    rest_calls["POST /chats/{id}/survey"] += 1
    status, body = await rest("POST", f"/chats/{chat_id}/survey",
                              {"rating": 5, "answered": True}, token=chat["token"])
    assert status in (200, 201), body
    # the two $disconnects (watcher, patron) run once the sockets are closed; then quiet
    await until(lambda: sum(1 for i in meter.invocations if i.get("action") == "$disconnect") >= 2)
    await meter.quiet()
    meter.on = False
    received = Counter()
    for c in [*dashboards, patron, watcher]:
        received.update(c.inbox.received)
    for d in dashboards:
        await d.close()
    minutes = {"watcher": args.form / 60, "patron": chat_ms / 60000,
               "dashboards": DASHBOARDS * chat_ms / 60000}
    return {"sent": sent, "received": received, "rest": rest_calls, "minutes": minutes,
            "chat_ms": chat_ms, "ping_ms": interval}


# ------------------------------------------------------------------ the bill

def bill(result: dict, meter: Meter, lambda_ms: str) -> dict:
    invocations = list(meter.invocations)
    requests = list(meter.requests)
    sent = result["sent"]

    def billed_ms(inv: dict) -> float:
        if lambda_ms == "measured":
            return max(1, math.ceil(inv.get("duration_ms") or 0))
        return float(lambda_ms)

    def cost_of(invs, msgs_in, posts, dyn, rest, minutes=0.0, sns=0):
        gb_s = sum(billed_ms(i) for i in invs) / 1000 * LAMBDA_GB
        out_units = sum(max(1, math.ceil(p["bytes"] / WS_UNIT)) for p in posts)
        rows = {
            "Lambda requests": (len(invs), len(invs) * PRICE["lambda_request"]),
            f"Lambda GB-seconds ({LAMBDA_MB} MB)": (gb_s, gb_s * PRICE["lambda_gb_s"]),
            "WebSocket messages in": (msgs_in, msgs_in * PRICE["ws_message"]),
            "WebSocket messages out": (out_units, out_units * PRICE["ws_message"]),
            "WebSocket connection minutes": (minutes, minutes * PRICE["ws_minute"]),
            "REST API calls": (rest, rest * PRICE["rest_call"]),
            "DynamoDB write units": (sum(r["wru"] for r in dyn), sum(r["wru"] for r in dyn) * PRICE["wru"]),
            "DynamoDB read units": (sum(r["rru"] for r in dyn), sum(r["rru"] for r in dyn) * PRICE["rru"]),
            "SNS publishes": (sns, sns * PRICE["sns_publish"]),
        }
        return rows

    dynamo = [r for r in requests if r["service"] == "dynamodb" and not r.get("per_period")]
    posts = [r for r in requests if r["service"] == "execute-api" and r["op"] == "PostToConnection"]
    sns = sum(1 for r in requests if r["service"] == "sns" and r["op"] == "Publish")
    rest_invocations = [i for i in invocations if not i.get("connection_id") and not i["action"].startswith("$")]
    total = cost_of(invocations, sent["_units"], posts, dynamo, len(rest_invocations),
                    sum(result["minutes"].values()), sns)
    typing = cost_of([i for i in invocations if i["action"] == "typing"], sent["typing"],
                     [p for p in posts if p.get("frame") == "chat.typing"],
                     [r for r in dynamo if r["action"] == "typing"], 0)
    return {"total": total, "typing": typing, "invocations": invocations, "dynamo": dynamo,
            "posts": posts, "other": [r for r in requests if r["service"] not in ("dynamodb", "execute-api")],
            "per_period": [r for r in requests if r.get("per_period")],
            "rest_invocations": rest_invocations}


def summary(result: dict, b: dict, script: dict) -> dict:
    """The figures, for tests and scripts: per chat, and dollars per 1,000 chats."""
    def rows(table):
        return {item: {"count": count, "per_1000": cost * 1000} for item, (count, cost) in table.items()}
    return {
        "total_per_1000": sum(c for _, c in b["total"].values()) * 1000,
        "typing_per_1000": sum(c for _, c in b["typing"].values()) * 1000,
        "rows": rows(b["total"]), "typing": rows(b["typing"]),
        "frames_in": {k: v for k, v in result["sent"].items() if k != "_units"},
        "posts_by_frame": dict(Counter(p.get("frame") for p in b["posts"])),
        "invocations_by_action": dict(Counter(i["action"] for i in b["invocations"])),
        "dynamodb_by_op": dict(Counter(r["op"] for r in b["dynamo"])),
        "rest_calls": dict(result["rest"]),
        "script": {side: {"driver": script[side]["driver"], "typing_frames": script[side]["typing_frames"]}
                   for side in ("patron", "librarian")},
        "sends": sum(1 for e in script["events"] if e["frame"]["action"] == "send"),
        "minutes": result["minutes"],
    }


def print_report(result: dict, b: dict, script: dict, args) -> float:
    total, typing = b["total"], b["typing"]
    dollars = sum(c for _, c in total.values())
    typing_dollars = sum(c for _, c in typing.values())
    print(f"prices: us-east-1 public prices as checked {PRICES_CHECKED} (Lambda $0.20 per 1M requests + "
          f"$0.0000166667 per GB-s; API Gateway WebSocket $1.00 per 1M messages (32 KB units) + $0.25 "
          f"per 1M connection minutes; REST API $3.50 per 1M calls; DynamoDB on-demand $0.625 per 1M "
          f"write units, $0.125 per 1M read units; SNS $0.50 per 1M publishes)")
    lam = "each invocation's local duration" if args.lambda_ms == "measured" else f"{args.lambda_ms} ms per invocation"
    print(f"chat: {args.messages} messages each way, {args.chars} characters typed at {args.cps:g}/s, "
          f"{args.pause:g} s reading before each; {DASHBOARDS} dashboards; queued {args.wait:g} s; "
          f"chat {result['chat_ms'] / 60000:.1f} virtual minutes; keep-alives after {result['ping_ms'] / 1000:g} s quiet; "
          f"Lambda billed at {lam}")
    print(f"typing code: patron {script['patron']['driver']} {script['patron'].get('settings', {})}"
          f"{' exports ' + json.dumps(script['patron']['exports']) if script['patron'].get('exports') else ''}; "
          f"librarian {script['librarian']['driver']} {script['librarian'].get('constants', {})}")
    print(f"loadavg: {loadavg()}\n")
    head = f"| {'item':<30} | {'count per chat':>14} | {'$ per 1,000 chats':>17} | {'typing alone':>12} | {'typing $/1,000':>14} |"
    print(head)
    print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|")
    for item, (count, cost) in total.items():
        tcount, tcost = typing[item]
        fmt = (lambda x: f"{x:.2f}") if isinstance(count, float) and not float(count).is_integer() else (lambda x: f"{x:.0f}")
        print(f"| {item:<30} | {fmt(count):>14} | {cost * 1000:17.4f} | {fmt(tcount):>12} | {tcost * 1000:14.4f} |")
    share = typing_dollars / dollars if dollars else 0
    print(f"| {'**total**':<30} | {'':>14} | {dollars * 1000:17.4f} | {'':>12} | {typing_dollars * 1000:14.4f} |")
    print(f"\ntotal ${dollars * 1000:.3f} per 1,000 chats (goal under ${GOAL:.2f}: "
          f"{'ok' if dollars * 1000 < GOAL else 'OVER'}); typing alone ${typing_dollars * 1000:.3f} "
          f"= {share:.0%} of it ({script['patron']['typing_frames']} patron and "
          f"{script['librarian']['typing_frames']} librarian typing frames)\n")

    by_op = defaultdict(lambda: [0, 0.0, 0.0, Counter()])
    for r in b["dynamo"]:
        row = by_op[r["op"]]
        row[0] += 1
        row[1] += r["rru"]
        row[2] += r["wru"]
        row[3].update(r.get("tables") or {})
    head = (f"| {'DynamoDB operation':<20} | {'requests':>8} | {'read units':>10} | {'write units':>11} | "
            f"{'units by table (all requests)':<60} |")
    print(head)
    print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|")
    for op, (n, rru, wru, tables) in sorted(by_op.items(), key=lambda kv: -kv[1][0]):
        where = ", ".join(f"{t} {v:g}" for t, v in tables.most_common())
        print(f"| {op:<20} | {n:>8} | {rru:10.1f} | {wru:11.1f} | {where:<60} |")
    errors = [r["units_error"] for r in b["dynamo"] if "units_error" in r]
    if errors:
        print(f"({len(errors)} requests' units not computed: {errors[0]})")
    print()

    by_action = defaultdict(list)
    for inv in b["invocations"]:
        by_action[inv["action"]].append(inv.get("duration_ms") or 0)
    dyn_by_action = Counter(r["action"] for r in b["dynamo"])
    posts_by_action = Counter(r["action"] for r in b["posts"])
    head = (f"| {'invocation':<14} | {'count':>5} | {'local ms p50':>12} | {'DynamoDB req':>12} | "
            f"{'posts (in handler thread)':>25} |")
    print(head)
    print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|")
    for action, durations in sorted(by_action.items(), key=lambda kv: -len(kv[1])):
        print(f"| {action:<14} | {len(durations):>5} | {statistics.median(durations):12.1f} | "
              f"{dyn_by_action.get(action, 0):>12} | {posts_by_action.get(action, 0):>25} |")
    out_frames = Counter(p.get("frame") for p in b["posts"])
    print(f"\nposts out by frame: {dict(out_frames.most_common())}")
    print(f"frames in by action: { {k: v for k, v in result['sent'].items() if k != '_units'} }")
    if b["other"]:
        print(f"other AWS requests: {dict(Counter((r['service'], r['op']) for r in b['other']))}")
    if b["per_period"]:
        print(f"left out: {dict(Counter(r['op'] for r in b['per_period']))} on the guards table for the period's "
              f"hashing key (made once per 30 days, read once per container and cached: not a cost of one chat)")
    print(f"connection minutes: { {k: round(v, 2) for k, v in result['minutes'].items()} }")
    return dollars * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20, help="messages each way")
    parser.add_argument("--chars", type=int, default=60, help="characters per message")
    parser.add_argument("--cps", type=float, default=3.0, help="typing speed, characters a second")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds of reading before typing")
    parser.add_argument("--wait", type=float, default=30.0, help="seconds the chat waits to be claimed")
    parser.add_argument("--form", type=float, default=60.0, help="seconds the question form is up")
    parser.add_argument("--no-previews", action="store_true", help="the library turned typing previews off")
    parser.add_argument("--lambda-ms", default="50", help="billed ms per invocation, or 'measured'")
    parser.add_argument("--dump", metavar="FILE", help="write every counted invocation and request as JSON")
    parser.add_argument("--json", metavar="FILE", help="write the table's figures as JSON")
    args = parser.parse_args(argv)
    if args.lambda_ms != "measured":
        float(args.lambda_ms)
    script = typing_script(args.messages, args.cps, args.pause, args.chars, not args.no_previews)

    os.environ["LOCAL_SCHEDULE_SECONDS"] = "86400"  # EventBridge's per-minute run is not a chat's
    os.environ.pop("LOCAL_POST_DELAY_MS", None)
    logging.basicConfig(level=logging.WARNING)
    for noisy in ("werkzeug", "botocore", "urllib3", "aiohttp.access", "pynamodb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from local.runner import LocalStack
    meter = Meter()
    meter.count_posts()
    stack = LocalStack(host="127.0.0.1", port=0, demo_password=PASSWORD).start()
    try:
        meter.units = Units()
        meter.install()
        result = asyncio.run(run_chat(stack, meter, script, args))
    finally:
        meter.on = False
        stack.stop()
    if args.dump:
        Path(args.dump).write_text(json.dumps({"invocations": meter.invocations, "requests": meter.requests,
                                               "script": script}, indent=1, default=str))
    b = bill(result, meter, args.lambda_ms)
    per_1000 = print_report(result, b, script, args)
    if args.json:
        Path(args.json).write_text(json.dumps(summary(result, b, script), indent=1))
    return 0 if per_1000 < GOAL else 1  # like the other benches: non-zero over the goal


if __name__ == "__main__":
    sys.exit(main())
