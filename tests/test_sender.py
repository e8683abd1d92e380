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
    sender = ApiGatewaySender(client)
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
