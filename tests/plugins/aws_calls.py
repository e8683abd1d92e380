"""pytest plugin: every AWS API call the runtime code makes, over the whole session, checked
against the stages' IAM policy files.

"Runtime code" is what a Lambda does on AWS: a call is recorded when a Lambda entry point is
on the Python stack (Chalice's handler objects in chalice/app.py: `app.app` for REST, the
WebSocket handlers) together with this project's code (app.py, chalicelib/, blueprints
included). Test set-up is not runtime, even when it goes through chalicelib helpers (the
`aws` fixture's `dynamo.create_tables()`, operators put straight into the store, boto3
sign-ins of the tests themselves), and neither are the test-double apps of other tests.

The calls come from botocore's own events, registered as built-in handlers so that every
botocore session reports (boto3's and PynamoDB's alike, with or without moto):
`before-parameter-build` sees the API parameters (TableName, TransactItems, ConnectionId, ...)
and `before-call` the endpoint URL the request goes to. Presigned URLs and POSTs send nothing,
yet the browser's request is authorized with the Lambda role's permissions, so they count as
calls too: a presigned URL at `before-parameter-build` (botocore marks it `is_presign_request`)
and a presigned POST at `before-sign`, where its form fields (the object key) are known.
The sender's posts skip the client's pipeline (chalicelib/adapters/apigw.py) and announce
themselves on `before-send` only, so a `before-send` of PostToConnection that no client call
of this thread led up to is recorded as that post.

When the session ends, each recorded call is translated into IAM permissions
(tests/plugins/iam.py) and checked against every `.chalice/policy-<stage>.json`. A call that a
policy does not allow, or that has no IAM rule yet, fails the run and is listed with the test
that made it. tests/test_iam_policy.py drives every handler path itself and also checks the
reverse: the policies grant nothing the calls do not use.
"""
from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import botocore.handlers
import pytest

from . import iam

ROOT = Path(__file__).resolve().parents[2]
APP_PY = str(ROOT / "app.py")
CHALICELIB = str(ROOT / "chalicelib") + os.sep
POLICY_DIR = ROOT / ".chalice"
_PARAMS_KEY = "libchat_runtime_params"


@dataclass
class AwsCall:
    service: str            # botocore's service name: dynamodb, apigatewaymanagementapi, ...
    operation: str          # API operation: GetItem, PostToConnection, ...
    params: dict            # the API parameters as the caller passed them
    url: str                # the endpoint the request went to ("" when presigned)
    region: str
    config: dict              # the resource settings at call time (iam.CONFIG_NAMES): the
    #                           test's resource names map onto the stage's through them
    test: str | None = None   # node id of the test that made the call
    presigned: bool = False   # a presigned URL or POST: the browser makes the request

    def __str__(self) -> str:
        return f"{self.service}:{self.operation} (in {self.test or 'set-up'})"


@dataclass
class Recorder:
    calls: list[AwsCall] = field(default_factory=list)
    current_test: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, call: AwsCall) -> None:
        with self._lock:
            self.calls.append(call)

    def snapshot(self) -> list[AwsCall]:
        with self._lock:
            return list(self.calls)


RECORDER = Recorder()


def _from_runtime() -> bool:
    import chalice.app
    entry = chalice.app.__file__
    in_entry = in_project = False
    frame = sys._getframe(2)
    while frame is not None and not (in_entry and in_project):
        filename = frame.f_code.co_filename
        in_entry = in_entry or filename == entry
        in_project = in_project or filename == APP_PY or filename.startswith(CHALICELIB)
        frame = frame.f_back
    return in_entry and in_project


def _record(service: str, operation: str, params: dict, url: str, region: str | None,
            presigned: bool = False) -> None:
    config = {name: os.environ.get(name) for name in iam.CONFIG_NAMES}
    RECORDER.add(AwsCall(service, operation, params, url, region or "us-east-1", config,
                         RECORDER.current_test, presigned))


def _before_parameter_build(params, model, context, **_):
    if context is None or not _from_runtime():
        return
    service = model.service_model.service_name
    if context.get("is_presign_request"):
        if model.name == "CreateBucket":  # how botocore starts a presigned POST: see _before_sign
            context[_PARAMS_KEY] = (service, "PutObject", dict(params))
        else:
            _record(service, model.name, dict(params), "", context.get("client_region"), True)
        return
    context[_PARAMS_KEY] = (service, model.name, dict(params))


_thread = threading.local()  # a client call in progress: its before-send is already recorded


def _before_call(model, params, context, **_):
    recorded = (context or {}).pop(_PARAMS_KEY, None)
    _thread.client_call = True
    if recorded is not None:
        service, operation, api_params = recorded
        _record(service, operation, api_params, params.get("url", ""), context.get("client_region"))


_POST_EVENT = "before-send.apigatewaymanagementapi.PostToConnection"


def _before_send(request, event_name=None, **_):
    if getattr(_thread, "client_call", False):
        _thread.client_call = False
        return
    if event_name != _POST_EVENT or not _from_runtime():
        return
    from urllib.parse import unquote, urlsplit
    url = urlsplit(request.url)
    connection_id = unquote(url.path.rsplit("/@connections/", 1)[-1])
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    _record("apigatewaymanagementapi", "PostToConnection", {"ConnectionId": connection_id},
            request.url, region)


def _before_sign(request, region_name=None, **_):
    context = getattr(request, "context", None) or {}
    fields = context.get("s3-presign-post-fields")
    recorded = context.pop(_PARAMS_KEY, None)
    if fields is not None and recorded is not None:
        service, operation, api_params = recorded
        _record(service, operation, {**api_params, "Key": fields.get("key", "")}, "",
                region_name, True)


# Built-in handlers are installed into every botocore session created from now on (moto hooks
# in the same way). The plugin is loaded by conftest.py before any session exists.
botocore.handlers.BUILTIN_HANDLERS.extend([
    ("before-parameter-build", _before_parameter_build),
    ("before-call", _before_call),
    ("before-sign", _before_sign),
    ("before-send", _before_send),
])


def stage_policies() -> dict[str, iam.Policy]:
    return {path.stem.removeprefix("policy-"): iam.Policy.load(path)
            for path in sorted(POLICY_DIR.glob("policy-*.json"))}


def violations(calls: list[AwsCall], policies: dict[str, iam.Policy]) -> list[str]:
    """Every (stage, call, permission) the stage's policy would refuse, as readable lines."""
    out = []
    for stage, policy in policies.items():
        for call in calls:
            try:
                perms = iam.required(call, stage)
            except (iam.UnmappedCall, KeyError) as err:
                out.append(f"[{stage}] {call}: {err}")
                continue
            out.extend(f"[{stage}] {call}: not allowed: {perm}"
                       for perm in perms if not policy.allows(perm))
    return sorted(set(out))


@pytest.fixture(scope="session")
def aws_calls() -> Recorder:
    """The session's recorder of runtime AWS calls."""
    return RECORDER


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    RECORDER.current_test = item.nodeid
    try:
        return (yield)
    finally:
        RECORDER.current_test = None


_found: list[str] = []
_WORKER_KEY = "aws_call_violations"


def pytest_sessionfinish(session, exitstatus):
    """Checks this process's calls. Under pytest-xdist each worker checks its own and hands
    the lines to the controller (`workeroutput`), which fails the run for all of them."""
    calls = RECORDER.snapshot()
    if calls:
        _found[:] = sorted(set(_found) | set(violations(calls, stage_policies())))
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output[_WORKER_KEY] = list(_found)
    elif _found and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller: a worker finished; keep what its calls were refused."""
    found = getattr(node, "workeroutput", {}).get(_WORKER_KEY, [])
    _found[:] = sorted(set(_found) | set(found))


def pytest_terminal_summary(terminalreporter):
    if _found:
        terminalreporter.section("AWS calls the IAM policies do not allow", sep="=", red=True)
        for line in _found[:50]:
            terminalreporter.line(line)
        if len(_found) > 50:
            terminalreporter.line(f"... and {len(_found) - 50} more")
