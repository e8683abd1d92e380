"""The fan-out and cost benches (bench/fanout.py, bench/cost.py, bench/typing_frames.mjs) run
at tiny sizes, so they cannot rot: each in its own interpreter (the cost bench runs the local
runner in-process and patches botocore, nothing a test process should share), asserting what
they counted, never how long anything took.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node runs the widget's typing code")
# a runner's start-up and a few dozen invocations: well under a minute, several on a busy machine
BENCH_TIMEOUT = 280


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                         timeout=timeout)
    assert out.returncode in (0, 1, 2), out.stdout + out.stderr  # 1, 2: a verdict, not a crash
    return out


@needs_node
def test_typing_driver_runs_both_front_ends_typing_code():
    spec = {"cps": 3, "turns": [{"side": "librarian", "text": "Hello there", "pause_ms": 1000},
                                {"side": "patron", "text": "Do you have it?", "pause_ms": 1000}]}
    out = subprocess.run(["node", str(ROOT / "bench" / "typing_frames.mjs"), json.dumps(spec)],
                         capture_output=True, text=True, timeout=60, check=True)
    doc = json.loads(out.stdout)
    assert "TypingNotifier" in doc["patron"]["driver"]
    assert doc["librarian"]["driver"].startswith("widget/dashboard/controller-chats.js"), \
        doc["librarian"]["driver"]  # driven, not modelled
    sends = [e for e in doc["events"] if e["frame"]["action"] == "send"]
    assert [(e["side"], e["frame"]["text"]) for e in sends] == [
        ("librarian", "Hello there"), ("patron", "Do you have it?")]
    for side in ("patron", "librarian"):
        typing = [e for e in doc["events"] if e["side"] == side and e["frame"]["action"] == "typing"]
        assert typing and typing[0]["frame"]["typing"] is True, f"{side} never said it was typing"
        assert doc[side]["typing_frames"] == len(typing)
    times = [e["t"] for e in doc["events"]]
    assert times == sorted(times)


@needs_node
@pytest.mark.timeout(BENCH_TIMEOUT + 20)
def test_cost_bench_counts_a_tiny_chat(tmp_path):
    out_file = tmp_path / "cost.json"
    _run(["bench/cost.py", "--messages", "1", "--chars", "12", "--pause", "1", "--wait", "1",
          "--json", str(out_file)], timeout=BENCH_TIMEOUT)
    doc = json.loads(out_file.read_text())
    typing_frames = doc["script"]["patron"]["typing_frames"] + doc["script"]["librarian"]["typing_frames"]
    frames_in = doc["frames_in"]
    assert doc["sends"] == 2 and frames_in["send"] == 2
    assert frames_in["typing"] == typing_frames
    assert frames_in["hello"] == 2 and frames_in["claim"] == 1  # the watcher's and the patron's
    calls = doc["invocations_by_action"]
    assert calls["typing"] == typing_frames and calls["send"] == 2
    assert calls["$connect"] == 2 and calls["$disconnect"] == 2  # the status watcher, the patron
    assert sum(doc["rest_calls"].values()) == 4  # status, create, history, survey
    assert doc["rows"]["REST API calls"]["count"] == 4
    assert doc["rows"]["Lambda requests"]["count"] == sum(frames_in.values()) + 2 + 2 + 4
    assert doc["rows"]["WebSocket messages in"]["count"] == sum(frames_in.values())
    posts = doc["posts_by_frame"]
    assert posts["chat.queued"] == 5  # the five dashboards
    assert posts["chat.typing"] == typing_frames  # each side's typing reaches the one other side
    assert doc["rows"]["WebSocket messages out"]["count"] == sum(posts.values())
    assert doc["rows"]["DynamoDB write units"]["count"] > 0 and doc["rows"]["DynamoDB read units"]["count"] > 0
    assert 0 < doc["typing_per_1000"] < doc["total_per_1000"]


@pytest.mark.timeout(BENCH_TIMEOUT + 20)
def test_fanout_bench_reaches_every_connection(tmp_path):
    out_file = tmp_path / "fanout.json"
    _run(["bench/fanout.py", "-n", "2", "4", "--repeat", "1", "--delay-ms", "1", "--parallel", "4",
          "--budget-n", "4", "--json", str(out_file)], timeout=BENCH_TIMEOUT)
    doc = json.loads(out_file.read_text())
    assert [r["n"] for r in doc["rows"]] == [2, 4]
    for row in doc["rows"]:
        (run,) = row["runs"]
        assert run["received"] == row["n"]
        assert run["handler_ms"] is not None  # the app's request line for create_chat was found
    assert doc["pool"]


def test_year_report_bench_counts_one_query_per_month_and_no_scan():
    out = _run(["bench/reports.py", "--records", "365", "--runs", "1", "--json"], BENCH_TIMEOUT)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["records"] == figures["reported"] == 365
    assert figures["scans"] == 0 and 12 <= figures["queries"] <= 13  # a year: 12 UTC months (+1 at the edge)
    assert figures["bytes_read"] > 0 and figures["rru"] >= 0
