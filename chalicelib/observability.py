"""One structured log line per request, carrying that request's metrics (CloudWatch EMF).

Why one line: a request's story (action, chat, connection, how long, how it ended) is then one
CloudWatch Logs Insights row, and its metrics ride on the same line in the embedded metric
format, so CloudWatch turns them into metrics with no PutMetricData call: no IAM permission, no
extra request, no latency. The edge (chalicelib/edge/) opens a request scope per REST call or
WebSocket event; the metrics listener (chalicelib/listeners/metrics.py) turns domain events
into metrics (chats created, wait time to claim, messages) and tells the scope which chat the
request touched.

On Lambda (AWS_LAMBDA_FUNCTION_NAME is set) lines go to stdout, which the runtime ships to
CloudWatch Logs verbatim; anywhere else they go to the `libchat.requests` logger at DEBUG, so
`make run` and the test servers stay quiet and a subprocess pipe can never fill up with them.
Only the standard library is imported here: the module is on the cold-start path.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

NAMESPACE = "LibraryChat"
DIMENSION = "Stage"
UNITS = {"Count", "Seconds", "Milliseconds"}

_log = logging.getLogger("libchat.requests")
_current: ContextVar["Request | None"] = ContextVar("libchat_request", default=None)
_cold = True


class Request:
    """What one invocation did; filled in as it goes, written once when it ends."""

    __slots__ = ("action", "chat_id", "connection_id", "request_id", "outcome", "started",
                 "metrics")

    def __init__(self, action: str, chat_id: str | None, connection_id: str | None,
                 request_id: str | None) -> None:
        self.action = action
        self.chat_id = chat_id
        self.connection_id = connection_id
        self.request_id = request_id
        self.outcome = "ok"
        self.started = time.perf_counter()
        self.metrics: dict[str, tuple[list[float], str]] = {}

    def add_metric(self, name: str, value: float, unit: str) -> None:
        values, _ = self.metrics.setdefault(name, ([], unit))
        values.append(value)


def _stage() -> str:
    return os.environ.get("STAGE") or "local"


def emf_document(fields: dict, metrics: dict[str, tuple[list[float], str]],
                 timestamp_ms: int | None = None) -> dict:
    """`fields` plus the `_aws` metadata that makes `metrics` CloudWatch metrics (dimension:
    the stage; chat and connection ids stay plain fields, never dimensions, so metric
    cardinality does not grow with traffic)."""
    doc = dict(fields)
    doc[DIMENSION] = _stage()
    if metrics:
        doc["_aws"] = {
            "Timestamp": int(time.time() * 1000) if timestamp_ms is None else timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [[DIMENSION]],
                "Metrics": [{"Name": name, "Unit": unit} for name, (_, unit) in metrics.items()],
            }],
        }
        for name, (values, _) in metrics.items():
            doc[name] = values[0] if len(values) == 1 else values
    return doc


def write(doc: dict) -> None:
    line = json.dumps(doc, separators=(",", ":"), ensure_ascii=False, default=str)
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    else:
        _log.debug("%s", line)


@contextmanager
def request(action: str, *, chat_id: str | None = None, connection_id: str | None = None,
            request_id: str | None = None) -> Iterator[Request]:
    """Scope of one invocation. An exception escaping it is recorded as `internal` and
    re-raised; handlers that answer an error set `outcome` to the protocol error code."""
    global _cold
    rec = Request(action, chat_id, connection_id, request_id)
    token = _current.set(rec)
    try:
        yield rec
    except BaseException:
        rec.outcome = "internal"
        raise
    finally:
        _current.reset(token)
        fields = {"level": "error" if rec.outcome == "internal" else "info",
                  "action": rec.action, "chat_id": rec.chat_id,
                  "connection_id": rec.connection_id, "request_id": rec.request_id,
                  "duration_ms": round((time.perf_counter() - rec.started) * 1000, 3),
                  "outcome": rec.outcome, "cold_start": _cold}
        _cold = False
        write(emf_document(fields, rec.metrics))


def metric(name: str, value: float, unit: str = "Count") -> None:
    """Count on the current request's line; outside any request, a line of its own."""
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r} is not one this service uses")
    rec = _current.get()
    if rec is not None:
        rec.add_metric(name, value, unit)
    else:
        write(emf_document({"level": "info", "action": None}, {name: ([value], unit)}))


def note_chat(chat_id: str | None) -> None:
    """Tell the current request which chat it is about (known only after a create, say)."""
    rec = _current.get()
    if rec is not None and rec.chat_id is None and chat_id:
        rec.chat_id = chat_id
