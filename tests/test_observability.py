"""Structured logs and metrics: one JSON line per request, in CloudWatch's embedded metric
format (EMF) when the request produced metrics.

The lines are checked against the EMF specification (the JSON schema below transcribes AWS's
"Specification: Embedded metric format"), and the handlers are driven on moto with Lambda's
environment marker set, reading what they print exactly as CloudWatch Logs would receive it.
"""
from __future__ import annotations

import json
import logging
import subprocess
import sys

import jsonschema
import pytest

from chalicelib import observability as obs
from tests.harness import Flow

UNITS = ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
         "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
         "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
         "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
         "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"]
EMF_SCHEMA = {
    "type": "object",
    "required": ["_aws"],
    "properties": {"_aws": {
        "type": "object",
        "required": ["Timestamp", "CloudWatchMetrics"],
        "properties": {
            "Timestamp": {"type": "integer", "minimum": 0},
            "CloudWatchMetrics": {"type": "array", "minItems": 1, "items": {
                "type": "object",
                "required": ["Namespace", "Dimensions", "Metrics"],
                "properties": {
                    "Namespace": {"type": "string", "minLength": 1, "maxLength": 1024},
                    "Dimensions": {"type": "array", "items": {
                        "type": "array", "maxItems": 30,
                        "items": {"type": "string", "minLength": 1, "maxLength": 250}}},
                    "Metrics": {"type": "array", "maxItems": 100, "items": {
                        "type": "object", "required": ["Name"],
                        "properties": {"Name": {"type": "string", "minLength": 1, "maxLength": 1024},
                                       "Unit": {"enum": UNITS},
                                       "StorageResolution": {"enum": [1, 60]}}}},
                }}},
        }}},
}
REQUEST_FIELDS = {"level", "action", "chat_id", "connection_id", "request_id", "duration_ms",
                  "outcome", "cold_start", "Stage"}


def check_emf(doc: dict) -> dict[str, list[float]]:
    """Validate one EMF document; return its metrics as name -> values."""
    jsonschema.validate(doc, EMF_SCHEMA)
    out = {}
    for directive in doc["_aws"]["CloudWatchMetrics"]:
        for dims in directive["Dimensions"]:
            for dim in dims:
                assert isinstance(doc.get(dim), str) and doc[dim], f"dimension {dim} has no value"
        for metric in directive["Metrics"]:
            value = doc[metric["Name"]]
            values = value if isinstance(value, list) else [value]
            assert values and len(values) <= 100
            assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
            out[metric["Name"]] = values
    return out


def lines(capsys) -> list[dict]:
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def lambda_env(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "library-chat-test")
    monkeypatch.setenv("STAGE", "test")


@pytest.fixture
def flow(aws, ws_event, lambda_env, capsys):
    aws.add_operator("ann", "Ann Archivist")
    flow = Flow(aws, ws_event)
    capsys.readouterr()
    return flow


def test_emf_document_follows_the_specification():
    doc = obs.emf_document({"action": "x"}, {"MessagesSent": ([1, 1], "Count"),
                                             "ClaimWaitSeconds": ([2.5], "Seconds")}, 1_790_000_000_000)
    assert check_emf(doc) == {"MessagesSent": [1, 1], "ClaimWaitSeconds": [2.5]}
    assert doc["_aws"]["CloudWatchMetrics"][0]["Namespace"] == obs.NAMESPACE
    assert "_aws" not in obs.emf_document({"action": "x"}, {})  # no metrics: a plain log line
    with pytest.raises(jsonschema.ValidationError):
        check_emf({"_aws": {"Timestamp": 1, "CloudWatchMetrics": [{"Namespace": "", "Dimensions": [], "Metrics": []}]}})


def test_one_line_per_request_with_its_metrics(flow, capsys, monkeypatch):
    """REST and WebSocket requests each print exactly one line; the chat is named even when the
    request did not name it (a new chat); metrics ride on the request that caused them; only
    the first request of a container is a cold start."""
    op = flow.aws.token("ann")
    monkeypatch.setattr(obs, "_cold", True)  # as in a fresh container
    flow.connect("op1=", op)
    flow.frame("op1=", action="hello")
    flow.post("/chats", {"question": "Atlases?"})
    connect, hello, create = lines(capsys)
    assert (connect["action"], connect["connection_id"], connect["outcome"]) == ("$connect", "op1=", "ok")
    assert (hello["action"], hello["connection_id"]) == ("hello", "op1=")
    assert create["action"] == "create_chat" and create["connection_id"] is None
    chat_id = create["chat_id"]
    assert chat_id and check_emf(create) == {"ChatsCreated": [1]}
    for line in (connect, hello, create):
        assert set(line) - {"_aws", "ChatsCreated"} == REQUEST_FIELDS
        assert line["Stage"] == "test" and line["duration_ms"] >= 0
    assert connect["request_id"]
    assert (connect["cold_start"], hello["cold_start"], create["cold_start"]) == (True, False, False)

    flow.frame("op1=", action="claim", chat_id=chat_id)
    (claim,) = lines(capsys)
    assert (claim["action"], claim["chat_id"], claim["outcome"]) == ("claim", chat_id, "ok")
    (wait,) = check_emf(claim)["ClaimWaitSeconds"]
    assert 0 <= wait < 60

    flow.frame("op1=", action="send", chat_id=chat_id, text="Second floor.")
    (send,) = lines(capsys)
    assert check_emf(send) == {"MessagesSent": [1]} and send["chat_id"] == chat_id

    flow.frame("op1=", action="claim", chat_id=chat_id)  # already taken: an error frame
    flow.frame("op1=", action="nope")
    app_refused = flow.connect("x1=", "not-a-token")
    flow.disconnect("op1=")
    conflict, unknown, refused, gone = lines(capsys)
    assert (conflict["action"], conflict["outcome"]) == ("claim", "conflict")
    assert (unknown["action"], unknown["outcome"]) == ("nope", "bad_request")
    assert app_refused["statusCode"] == 401 and refused["outcome"] == "unauthorized"
    assert (gone["action"], gone["outcome"]) == ("$disconnect", "ok")
    assert not any("_aws" in line for line in (conflict, unknown, refused, gone))


def test_rest_errors_are_recorded_with_their_code(flow, capsys):
    status, _ = flow.get("/chats/abc/messages")
    (line,) = lines(capsys)
    assert status == 401
    assert (line["action"], line["chat_id"], line["outcome"], line["level"]) == (
        "chat_messages", "abc", "unauthorized", "info")


def test_unexpected_errors_are_internal_and_level_error(flow, capsys, monkeypatch):
    from chalicelib.domain.operators import Operators

    def boom(self, *a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(Operators, "status", boom)
    status, _ = flow.get("/status")
    (line,) = lines(capsys)
    assert status == 500 and (line["outcome"], line["level"]) == ("internal", "error")


def test_outside_lambda_lines_go_to_the_debug_logger_not_stdout(aws, ws_event, capsys, caplog, monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    flow = Flow(aws, ws_event)
    capsys.readouterr()
    with caplog.at_level(logging.DEBUG, logger="libchat.requests"):
        flow.get("/health")
    assert capsys.readouterr().out == ""
    (record,) = [r for r in caplog.records if r.name == "libchat.requests"]
    assert json.loads(record.getMessage())["action"] == "health"


def test_metric_outside_a_request_is_a_line_of_its_own(lambda_env, capsys):
    obs.metric("ChatsCreated", 1)
    (line,) = lines(capsys)
    assert check_emf(line) == {"ChatsCreated": [1]}
    with pytest.raises(ValueError):
        obs.metric("ChatsCreated", 1, "Furlongs")


def test_observability_stays_off_the_cold_start_path():
    """Imported with app.py on every cold start: standard library only, no boto3."""
    code = ("import sys; import chalicelib.observability; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'boto3', 'botocore', 'pynamodb', 'chalice'}); print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(obs.__file__).rsplit("/chalicelib/", 1)[0])
    assert out.stdout.strip() == "[]"
