"""Tests for local.gateway, run against real clients and real Chalice handlers.

The clients are ``websockets`` for the socket and boto3's ``apigatewaymanagementapi``
for ``@connections``. The application is a small Chalice test double defined below.

``tests/data/apigw_ws_events.json`` holds AWS's example events, and the
gateway's events must have the same keys:

* connect: the WebSocket ``$connect`` example on
  https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
  without what only an authorizer receives (``type``, ``methodArn``, and ``stageVariables``,
  which captured integration events lack when no stage variables are set), plus
  ``isBase64Encoded`` and ``identity.userAgent`` as in the captured events below;
* message and disconnect: events captured from API Gateway and published by AWS in
  aws/aws-lambda-go ``events/testdata/apigw-websocket-request-{send-message,disconnect}.json``.
"""
from __future__ import annotations

import contextlib
import http.client
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from botocore.config import Config as BotoConfig
from botocore.exceptions import ClientError
from chalice import BadRequestError, Chalice, Response
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect as _ws_connect

from local.gateway import LocalGateway

SAMPLES = json.loads((Path(__file__).parent / "data" / "apigw_ws_events.json").read_text())
AWS_ID = re.compile(r"^[A-Za-z0-9_-]{15}=$")
REQUEST_TIME = re.compile(r"^\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000$")

# --------------------------------------------------------------------------- test double of the app

app = Chalice(app_name="gateway-test")


class Recorder:
    """What the handlers saw; reset for every gateway a test starts. `changed` is notified
    whenever a handler records something (see wait_for)."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.reset(None)

    def reset(self, endpoint: str | None) -> None:
        self.endpoint = endpoint
        self.connected: list[str] = []
        self.messages: list[str] = []
        self.disconnected: list[tuple[str, int, str]] = []
        self.probes: list[str] = []

    def record(self, items: list, item) -> None:
        with self.changed:
            items.append(item)
            self.changed.notify_all()


REC = Recorder()
MEET = threading.Barrier(2)
HELD: dict[str, threading.Event] = {}  # frames with "hold": name wait until the test sets it
_clients: dict[str, object] = {}
_clients_lock = threading.Lock()


def management_client():
    """The boto3 client a deployed handler would use, pointed at the local gateway."""
    with _clients_lock:
        if REC.endpoint not in _clients:
            _clients[REC.endpoint] = boto3.session.Session().client(
                "apigatewaymanagementapi", endpoint_url=REC.endpoint, region_name="us-east-1",
                config=BotoConfig(retries={"mode": "standard", "max_attempts": 1},
                                  connect_timeout=5, read_timeout=5))
        return _clients[REC.endpoint]


@app.on_ws_connect()
def ws_connect(event):
    query = event.to_dict().get("queryStringParameters") or {}
    if query.get("token") == "bad":
        return Response(body={"message": "Unauthorized"}, status_code=401)
    if query.get("token") == "boom":
        raise RuntimeError("integration crashed")
    if query.get("probe"):  # posting from inside $connect must be 410 on AWS
        try:
            management_client().post_to_connection(ConnectionId=event.connection_id, Data=b"early")
        except ClientError as exc:
            REC.record(REC.probes, exc.response["Error"]["Code"])
    REC.record(REC.connected, event.connection_id)
    return None


@app.on_ws_message()
def ws_message(event):
    body = event.body
    REC.record(REC.messages, body)
    if body.startswith("slow:"):  # a slow integration (what test_frames_are_processed_in_order needs)
        time.sleep(float(body.split(":")[1]))
    if body.startswith("{"):  # a protocol-shaped frame (the chat lanes tests): echo its "id"
        frame = json.loads(body)
        if frame.get("meet"):  # two frames that must be running at the same time
            try:
                MEET.wait(timeout=5)
                body = f"met:{frame['id']}"
            except threading.BrokenBarrierError:
                body = f"alone:{frame['id']}"
        else:
            if frame.get("hold"):
                assert HELD[frame["hold"]].wait(timeout=10), "the test never released it"
            body = frame["id"]
    management_client().post_to_connection(ConnectionId=event.connection_id, Data=f"echo:{body}".encode())


@app.on_ws_disconnect()
def ws_disconnect(event):
    context = event.to_dict()["requestContext"]
    REC.record(REC.disconnected, (event.connection_id, context["disconnectStatusCode"], context["disconnectReason"]))


@app.route("/health")
def health():
    return {"ok": True}


@app.route("/bad")
def bad():
    raise BadRequestError("no good")


@app.route("/echo/{name}", methods=["POST"])
def echo(name):
    request = app.current_request
    return {"name": name, "query": dict(request.query_params or {}), "body": request.json_body}


HANDLERS = {"$connect": ws_connect, "$default": ws_message, "$disconnect": ws_disconnect}

# ----------------------------------------------------------------------------------------- fixtures


@dataclass
class Harness:
    gw: LocalGateway
    events: list[dict] = field(default_factory=list)

    def connect(self, query: str = ""):
        return _ws_connect(self.gw.ws_url + query, proxy=None, open_timeout=5, close_timeout=2)

    def of_type(self, event_type: str) -> list[dict]:
        return [e for e in self.events if e["requestContext"]["eventType"] == event_type]

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """Raw HTTP (http.client sends the path untouched, ``..`` included)."""
        conn = http.client.HTTPConnection(self.gw.host, self.gw.port, timeout=5)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        finally:
            conn.close()


def wait_for(predicate, timeout: float = 5.0):
    """Until `predicate()` holds: checked again each time a handler or the gateway's event hook
    records something (REC.changed), so no polling."""
    with REC.changed:
        if not REC.changed.wait_for(predicate, timeout):
            raise AssertionError("condition not met in time")


@pytest.fixture
def aws_env(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def make_gateway(aws_env):
    started: list[LocalGateway] = []

    def make(**kwargs) -> Harness:
        harness = Harness(gw=None)  # type: ignore[arg-type]
        gw = LocalGateway(rest_app=app, ws_handlers=HANDLERS,
                          on_event=lambda event: REC.record(harness.events, event), **kwargs)
        gw.start()
        started.append(gw)
        harness.gw = gw
        REC.reset(gw.management_endpoint)
        return harness

    yield make
    for gw in started:
        gw.stop()


@pytest.fixture
def harness(make_gateway) -> Harness:
    return make_gateway()

# -------------------------------------------------------------------------------------- WebSocket


def test_connect_refused_at_handshake(harness):
    with pytest.raises(InvalidStatus) as info:
        harness.connect("?token=bad")
    assert info.value.response.status_code == 401
    assert b"Unauthorized" in info.value.response.body
    with pytest.raises(InvalidStatus) as info:
        harness.connect("?token=boom")
    assert info.value.response.status_code == 500
    # never accepted: no $disconnect. A later connection that opens and closes, its $disconnect
    # delivered, proves the gateway has finished with the two refused ones: theirs did not come.
    with harness.connect() as ws:
        ws.send("after")
        assert ws.recv(timeout=5) == "echo:after"
    wait_for(lambda: REC.disconnected)
    assert REC.disconnected == [(REC.connected[0], 1000, "")] and len(REC.connected) == 1
    assert [e["requestContext"]["connectionId"] for e in harness.of_type("DISCONNECT")] == REC.connected


def test_echo_through_management_api(harness):
    with harness.connect() as ws:
        ws.send("hello")
        assert ws.recv(timeout=5) == "echo:hello"
    wait_for(lambda: REC.disconnected)
    assert REC.disconnected == [(REC.connected[0], 1000, "")]


def test_events_have_the_aws_key_structure(harness):
    def keys(sample, event):
        assert set(event) == set(sample)
        assert set(event["requestContext"]) == set(sample["requestContext"])
        assert set(event["requestContext"]["identity"]) == set(sample["requestContext"]["identity"])

    with harness.connect("?QueryString1=queryValue1&tag=a&tag=b") as ws:
        ws.send("ping")
        ws.recv(timeout=5)
    with harness.connect():
        pass
    wait_for(lambda: len(harness.of_type("DISCONNECT")) == 2)
    connect, plain_connect = harness.of_type("CONNECT")
    message, = harness.of_type("MESSAGE")
    disconnect = harness.of_type("DISCONNECT")[0]
    keys(SAMPLES["connect"], connect)
    keys(SAMPLES["message"], message)
    keys(SAMPLES["disconnect"], disconnect)

    # Without a query string API Gateway leaves both query keys out.
    assert "queryStringParameters" not in plain_connect
    assert "multiValueQueryStringParameters" not in plain_connect
    assert connect["queryStringParameters"] == {"QueryString1": "queryValue1", "tag": "b"}
    assert connect["multiValueQueryStringParameters"]["tag"] == ["a", "b"]

    cid = connect["requestContext"]["connectionId"]
    assert AWS_ID.match(cid) and cid != plain_connect["requestContext"]["connectionId"]
    for event, route in ((connect, "$connect"), (message, "$default"), (disconnect, "$disconnect")):
        ctx = event["requestContext"]
        assert ctx["routeKey"] == route and ctx["connectionId"] == cid
        assert ctx["stage"] == "local" and ctx["apiId"] == "localgw0001" and ctx["messageDirection"] == "IN"
        assert ctx["requestId"] == ctx["extendedRequestId"] and AWS_ID.match(ctx["requestId"])
        assert REQUEST_TIME.match(ctx["requestTime"])
        assert ctx["connectedAt"] == connect["requestContext"]["connectedAt"] <= ctx["requestTimeEpoch"]
        assert ctx["identity"]["sourceIp"] == "127.0.0.1" and "websockets" in ctx["identity"]["userAgent"]
        assert event["isBase64Encoded"] is False
    assert message["body"] == "ping" and AWS_ID.match(message["requestContext"]["messageId"])
    assert connect["headers"]["Sec-WebSocket-Version"] == "13"
    assert connect["multiValueHeaders"]["Sec-WebSocket-Version"] == ["13"]
    assert disconnect["requestContext"]["disconnectStatusCode"] == 1000


def test_frames_are_processed_in_order(harness):
    bodies = ["slow:0.2", "slow:0.1", "slow:0", "last"]
    with harness.connect() as ws:
        for body in bodies:
            ws.send(body)
        assert [ws.recv(timeout=5) for _ in bodies] == [f"echo:{b}" for b in bodies]
        ws.send(b"\x00\xffbin")
        assert ws.recv(timeout=5) == "echo:AP9iaW4="
    assert REC.messages == bodies + ["AP9iaW4="]
    binary = harness.of_type("MESSAGE")[-1]
    assert binary["isBase64Encoded"] is True and binary["body"] == "AP9iaW4="


def _frame(id_: str, action: str = "send", chat_id: str | None = None, **extra) -> str:
    return json.dumps({"action": action, "id": id_, **({"chat_id": chat_id} if chat_id else {}), **extra})


def test_frames_of_different_chats_run_side_by_side_and_a_ping_waits_for_both(harness):
    """One connection, two chats: their sends run at the same time (each waits for the
    other at a barrier), and the ping after them is handled once both are done."""
    MEET.reset()
    with harness.connect() as ws:
        ws.send(_frame("a", chat_id="A", meet=True))
        ws.send(_frame("b", chat_id="B", meet=True))
        ws.send(_frame("ping", action="ping"))
        got = [ws.recv(timeout=10) for _ in range(3)]
    assert sorted(got[:2]) == ["echo:met:a", "echo:met:b"]
    assert got[2] == "echo:ping"


def test_frames_of_one_chat_stay_in_order_and_other_actions_are_barriers(harness):
    """a1 is held inside its handler: chat B's frame still runs (its own lane), a2 waits behind
    a1 (same lane), and the claim and everything after it wait for every earlier frame."""
    HELD["a1"] = release = threading.Event()
    with harness.connect() as ws:
        ws.send(_frame("a1", chat_id="A", hold="a1"))
        ws.send(_frame("a2", chat_id="A"))
        ws.send(_frame("b1", action="typing", chat_id="B"))
        ws.send(_frame("claim", action="claim", chat_id="C"))  # not a lane action: waits for all
        ws.send(_frame("c1", chat_id="C"))
        ws.send(_frame("patron", action="send"))  # no chat_id: a barrier too
        assert ws.recv(timeout=10) == "echo:b1"  # while a1 is still held
        release.set()
        got = [ws.recv(timeout=10) for _ in range(5)]
    assert got == ["echo:a1", "echo:a2", "echo:claim", "echo:c1", "echo:patron"]


def test_oversized_frame_closes_with_1009(harness):
    with harness.connect() as ws:
        ws.send("y" * 32 * 1024)  # exactly the 32 KB quota is fine
        assert ws.recv(timeout=5) == "echo:" + "y" * 32 * 1024
        ws.send("x" * 40 * 1024)
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(timeout=5)
    assert info.value.rcvd is not None and info.value.rcvd.code == 1009
    wait_for(lambda: REC.disconnected)
    assert REC.disconnected == [(REC.connected[0], 1009, "Message too big")]
    assert len(REC.messages) == 1


def test_idle_connection_is_closed_with_1001(make_gateway):
    harness = make_gateway(idle_timeout=1.5)  # generous: a loaded CI machine answers slowly
    with harness.connect() as ws:
        started = time.monotonic()
        for n in range(8):  # client frames keep it open well past the idle timeout...
            ws.send(f"tick{n}")
            time.sleep(0.3)
        assert [ws.recv(timeout=10) for _ in range(8)] == [f"echo:tick{n}" for n in range(8)]
        with pytest.raises(ConnectionClosed) as info:  # ...silence does not
            ws.recv(timeout=10)
        assert 2.1 + 1.5 - 0.2 < time.monotonic() - started < 15  # last frame at 2.1 s, then 1.5 s idle
    assert info.value.rcvd.code == 1001
    wait_for(lambda: REC.disconnected)
    assert REC.disconnected == [(REC.connected[0], 1001, "Going away")]


def test_connection_ends_at_max_duration_even_when_active(make_gateway):
    harness = make_gateway()
    harness.gw.MAX_CONNECTION_DURATION = 0.8  # two hours on AWS
    with harness.connect() as ws:
        started = time.monotonic()
        with pytest.raises(ConnectionClosed) as info:
            while True:
                ws.send("busy")
                ws.recv(timeout=5)
                time.sleep(0.1)
        assert 0.7 < time.monotonic() - started < 3
    assert info.value.rcvd.code == 1001
    wait_for(lambda: REC.disconnected)
    assert REC.disconnected[0][1:] == (1001, "Going away")

# --------------------------------------------------------------------------------- management API


def test_management_api_with_boto3(harness):
    with harness.connect() as ws:
        cid = REC.connected[0]
        management_client().post_to_connection(ConnectionId=cid, Data=b"plain text")
        assert ws.recv(timeout=5) == "plain text"
        management_client().post_to_connection(ConnectionId=cid, Data=b"\xff\x00raw")
        assert ws.recv(timeout=5) == b"\xff\x00raw"  # not UTF-8: a binary frame

        info = management_client().get_connection(ConnectionId=cid)
        assert info["Identity"]["SourceIp"] == "127.0.0.1"
        assert "websockets" in info["Identity"]["UserAgent"]
        assert info["ConnectedAt"] <= info["LastActiveAt"]
        assert abs(info["ConnectedAt"].timestamp() - time.time()) < 60

        with pytest.raises(ClientError) as too_big:
            management_client().post_to_connection(ConnectionId=cid, Data=b"z" * (128 * 1024 + 1))
        assert too_big.value.response["Error"]["Code"] == "PayloadTooLargeException"

        # Stage-prefixed endpoint and a percent-encoded '@' reach the same API.
        staged = boto3.session.Session().client(
            "apigatewaymanagementapi", endpoint_url=f"{harness.gw.base_url}/local", region_name="us-east-1")
        staged.post_to_connection(ConnectionId=cid, Data=b"staged")
        assert ws.recv(timeout=5) == "staged"
        status, _, body = harness.request("GET", f"/%40connections/{cid}")
        assert status == 200 and "connectedAt" in json.loads(body)

        management_client().delete_connection(ConnectionId=cid)
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=5)
        assert closed.value.rcvd.code == 1000
    wait_for(lambda: REC.disconnected)
    assert REC.disconnected == [(cid, 1000, "Connection Closed Normally")]

    for call in (lambda i: management_client().post_to_connection(ConnectionId=i, Data=b"x"),
                 lambda i: management_client().get_connection(ConnectionId=i),
                 lambda i: management_client().delete_connection(ConnectionId=i)):
        for connection_id in (cid, "NoSuchConnId0A="):
            with pytest.raises(ClientError) as gone:
                call(connection_id)
            assert gone.value.response["Error"]["Code"] == "GoneException"
            assert gone.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410


def test_post_during_connect_is_gone(harness):
    with harness.connect("?probe=1") as ws:
        ws.send("after")
        assert ws.recv(timeout=5) == "echo:after"
    assert REC.probes == ["GoneException"]

# ---------------------------------------------------------------------------- REST and static files


def test_rest_api_under_api_prefix(harness):
    status, headers, body = harness.request("GET", "/api/health")
    assert status == 200 and json.loads(body) == {"ok": True}
    assert headers["Content-Type"] == "application/json"

    status, headers, body = harness.request("GET", "/api/no/such/route")
    assert status == 403 and headers["x-amzn-ErrorType"] == "UnauthorizedException"
    assert json.loads(body) == {"message": "Missing Authentication Token"}

    status, _, body = harness.request("GET", "/api/bad")
    assert status == 400 and json.loads(body)["Code"] == "BadRequestError"

    status, _, body = harness.request("POST", "/api/echo/ada?x=1", body=b'{"n": 2}',
                                      headers={"Content-Type": "application/json"})
    assert status == 200 and json.loads(body) == {"name": "ada", "query": {"x": "1"}, "body": {"n": 2}}


def test_static_files_and_traversal(make_gateway, tmp_path):
    root = tmp_path / "web"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "app.js").write_text("export {};")
    (root / "style.css").write_text("body{}")
    (root / "sub" / "index.html").write_text("sub")
    (tmp_path / "secret.txt").write_text("top secret")
    harness = make_gateway(static_dir=root)

    status, headers, body = harness.request("GET", "/")
    assert (status, body) == (200, b"<h1>home</h1>")
    assert headers["Content-Type"].startswith("text/html") and headers["Cache-Control"] == "no-cache"
    status, headers, _ = harness.request("GET", "/app.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert harness.request("GET", "/style.css")[1]["Content-Type"].startswith("text/css")
    assert harness.request("GET", "/sub/")[2] == b"sub"
    status, headers, body = harness.request("HEAD", "/app.js")
    assert status == 200 and body == b"" and headers["Content-Length"] == "10"
    assert harness.request("GET", "/missing.js")[0] == 404
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt", "/..%2fsecret.txt"):
        status, _, body = harness.request("GET", path)
        assert status == 404 and b"secret" not in body, path

# ------------------------------------------------------------------------------------- lifecycle


def test_stop_disconnects_open_connections(make_gateway):
    first, second = make_gateway(), make_gateway()  # two gateways in one process
    REC.reset(first.gw.management_endpoint)
    assert first.gw.port != second.gw.port
    assert second.request("GET", "/api/health")[0] == 200
    stack = contextlib.ExitStack()
    clients = [stack.enter_context(first.connect()) for _ in range(2)]
    wait_for(lambda: len(REC.connected) == 2)

    started = time.monotonic()
    first.gw.stop()
    assert time.monotonic() - started < 5
    first.gw.stop()  # idempotent
    assert sorted(REC.disconnected) == sorted((cid, 1001, "Going away") for cid in REC.connected)
    for ws in clients:
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(timeout=5)
        assert info.value.rcvd.code == 1001
    stack.close()
    with pytest.raises(OSError):
        first.request("GET", "/api/health")
    assert second.request("GET", "/api/health")[0] == 200
    second.gw.stop()
    assert not [t for t in threading.enumerate() if t.name.startswith("localgw")]
