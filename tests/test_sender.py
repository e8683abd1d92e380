"""The API Gateway sender against a real management API (the local gateway): a 410 is
"gone", and Push hands that connection (and the list that named it) to its cleanup while
delivering to the others."""
from __future__ import annotations

import json
import threading

import boto3
import pytest
from websockets.sync.client import connect

from chalicelib.adapters.apigw import ApiGatewaySender, endpoint_for_event
from chalicelib.listeners.push import Push
from local.gateway import LocalGateway


@pytest.fixture
def gateway():
    connected = threading.Event()
    gw = LocalGateway(rest_app=None, ws_handlers={
        "$connect": lambda e, c: {"statusCode": 200},
        "$default": lambda e, c: connected.set() or {"statusCode": 200},
        "$disconnect": lambda e, c: {"statusCode": 200}})
    gw.start()
    gw.connected = connected
    yield gw
    gw.stop()


def live_connection_id(gw, ws) -> str:
    ws.send("{}")
    gw.connected.wait(5)
    (conn_id,) = list(gw._open)
    return conn_id


def test_post_delivers_and_gone_returns_false_and_push_forgets_only_the_dead(gateway):
    client = boto3.client("apigatewaymanagementapi", region_name="us-east-1",
                          endpoint_url=gateway.management_endpoint)
    sender = ApiGatewaySender(client, boto3.Session().get_credentials())
    forgotten = []
    push = Push(sender, connections=None, gone=lambda conn, origin: forgotten.append((conn, origin)))
    with connect(gateway.ws_url) as ws:
        live = live_connection_id(gateway, ws)
        delivered = push.deliver(["GONEGONEGONEGON=", live, live], {"type": "pong"}, "chat-1")
        assert delivered == 1  # duplicates posted once
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}
    assert forgotten == [("GONEGONEGONEGON=", "chat-1")]  # with the list it was reached through
    assert sender.post(live, {"type": "pong"}) is False  # closed now: 410


def test_endpoint_from_event_or_configuration():
    ctx = {"domainName": "abc.execute-api.eu-west-1.amazonaws.com", "stage": "prod"}
    assert endpoint_for_event(ctx, None) == "https://abc.execute-api.eu-west-1.amazonaws.com/prod"
    assert endpoint_for_event(ctx, "http://127.0.0.1:8000") == "http://127.0.0.1:8000"


class _Scripted:
    """A management API that answers each POST with the next status of `script`, recording
    what came (a real HTTP server on loopback: the sender's own HTTP path, not a double)."""

    def __init__(self, script: list[int]):
        import http.server
        self.script, self.seen = list(script), []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.seen.append((self.path, dict(self.headers), body))
                status = outer.script.pop(0) if outer.script else 200
                payload = b"" if status < 300 else json.dumps({"message": f"status {status}"}).encode()
                self.send_response(status)
                if status == 403:
                    self.send_header("x-amzn-ErrorType", "ForbiddenException:http://internal")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/dev"

    def sender(self) -> ApiGatewaySender:
        client = boto3.client("apigatewaymanagementapi", region_name="us-east-1", endpoint_url=self.url)
        return ApiGatewaySender(client, boto3.Session().get_credentials())


def test_a_post_is_signed_for_execute_api_and_throttling_is_retried():
    api = _Scripted([429, 503])
    try:
        assert api.sender().post("abc=", {"type": "pong"}) is True
        assert len(api.seen) == 3, "two retries, then delivered"
        path, headers, body = api.seen[-1]
        assert path == "/dev/@connections/abc%3D" and json.loads(body) == {"type": "pong"}
        auth = headers["Authorization"]
        assert auth.startswith("AWS4-HMAC-SHA256 Credential=") and "/us-east-1/execute-api/aws4_request" in auth
        assert "X-Amz-Date" in headers
    finally:
        api.server.shutdown()


def test_a_refusal_raises_as_botocore_would_and_is_not_retried():
    from botocore.exceptions import ClientError
    api = _Scripted([403])
    try:
        with pytest.raises(ClientError) as err:
            api.sender().post("abc=", {"type": "pong"})
        assert err.value.response["Error"]["Code"] == "ForbiddenException"
        assert len(api.seen) == 1
        api.script = [410]
        assert api.sender().post("abc=", {"type": "pong"}) is False  # gone: not an error
        api.script = [500, 500, 500]
        with pytest.raises(ClientError):
            api.sender().post("abc=", {"type": "pong"})
        assert len(api.seen) == 5, "a 5xx is tried three times in all"
    finally:
        api.server.shutdown()


def test_the_sender_posts_through_moto_like_a_client(aws):
    """Under mock_aws the post is answered on the client's before-send event, as every
    botocore request is: moto's management API records it."""
    from tests.harness import posted_frames
    client = boto3.client("apigatewaymanagementapi", region_name="us-east-1",
                          endpoint_url="https://abc123defg.execute-api.us-east-1.amazonaws.com/dev")
    assert ApiGatewaySender(client, boto3.Session().get_credentials()).post("c1=", {"type": "pong"}) is True
    assert posted_frames("c1=") == [{"type": "pong"}]
