"""The WebSocket edge: `$connect`, `$default` and `$disconnect`, and the one action table.

`$default` receives every frame: it is parsed once (frames.py), its command is handed to the
one use case the table names, and the frames meant for the caller only (`welcome`, `pong`, the
backlog, a resent message, an `error`) are posted back; everything that concerns other
connections was announced as a domain event and delivered by the listeners.
"""
from __future__ import annotations

import json
import logging

from .. import observability, wiring
from ..errors import ServiceError
from . import frames

log = logging.getLogger("libchat")

# action -> the use case that handles its command: (services, connection id, command) -> replies
ACTIONS = {
    "hello": lambda s, conn, cmd: s.sessions.hello(conn, cmd),
    "ping": lambda s, conn, cmd: s.sessions.ping(conn, cmd),
    "keepalive": lambda s, conn, cmd: s.sessions.keepalive(conn, cmd),
    "send": lambda s, conn, cmd: s.conversation.send(conn, cmd),
    "typing": lambda s, conn, cmd: s.conversation.typing(conn, cmd),
    "presence": lambda s, conn, cmd: s.conversation.presence(conn, cmd),
    "claim": lambda s, conn, cmd: s.chats.claim(conn, cmd),
    "end": lambda s, conn, cmd: s.chats.end(conn, cmd),
    "close": lambda s, conn, cmd: s.chats.close(conn, cmd),
    "transfer": lambda s, conn, cmd: s.chats.transfer(conn, cmd),
    "status": lambda s, conn, cmd: s.operators.set_status(conn, cmd),
    "watch": lambda s, conn, cmd: s.sessions.watch(conn, cmd),
    "observe": lambda s, conn, cmd: s.supervision.observe(conn, cmd),
    "unobserve": lambda s, conn, cmd: s.supervision.unobserve(conn, cmd),
    "take_over": lambda s, conn, cmd: s.supervision.take_over(conn, cmd),
}
assert set(ACTIONS) == set(frames.COMMANDS), "every parsed action has exactly one use case"


def _error_frame(err: ServiceError, request_id: str | None) -> dict:
    frame = {"type": "error", **err.to_dict()}
    if request_id:
        frame["request_id"] = request_id
    return frame


def handle(services, connection_id: str, env: frames.Envelope) -> list[dict]:
    """One frame's replies to its own connection; refusals become `error` frames."""
    try:
        cmd = frames.command(env)  # refuses a missing or unknown action
        return ACTIONS[env.action](services, connection_id, cmd)
    except ServiceError as err:
        return [_error_frame(err, env.request_id)]


def handle_raw(services, connection_id: str, body: str | None) -> list[dict]:
    try:
        env = frames.envelope(body)
    except ServiceError as err:
        return [_error_frame(err, err.request_id)]
    return handle(services, connection_id, env)


def _services_for(event):
    from ..adapters.apigw import endpoint_for_event
    ctx = event.to_dict()["requestContext"]
    return wiring.services(endpoint_for_event(ctx, wiring.settings().ws_management_endpoint))


def connect(event):
    """`$connect`: a refused token is an HTTP 401/403 at the handshake, as the protocol says."""
    raw = event.to_dict()
    params = raw.get("queryStringParameters") or {}
    token, watch = params.get("token"), params.get("watch")
    ip = raw["requestContext"].get("identity", {}).get("sourceIp")
    with observability.request("$connect", connection_id=event.connection_id,
                               request_id=raw["requestContext"].get("requestId")) as obs:
        try:
            _services_for(event).sessions.connect(event.connection_id, token, ip, watch)
        except ServiceError as err:
            obs.outcome = err.code
            log.info("connect refused: %s", err.code)
            return {"statusCode": err.status if err.status in (401, 403) else 403,
                    "body": json.dumps({"error": err.to_dict()})}
    return {"statusCode": 200}


def message(event):
    try:
        env = frames.envelope(event.body)
    except ServiceError as err:
        env, early = None, [_error_frame(err, err.request_id)]
    action = (env.action if env else None) or "invalid"
    with observability.request(action, chat_id=env.chat_id if env else None,
                               connection_id=event.connection_id,
                               request_id=event.to_dict()["requestContext"].get("requestId")) as obs:
        services = _services_for(event)
        try:
            replies = handle(services, event.connection_id, env) if env else early
        except Exception:
            log.exception("unhandled error handling a frame")
            replies = [_error_frame(ServiceError("internal", "something went wrong on our side"),
                                    env.request_id)]
        obs.outcome = next((f["code"] for f in replies if f.get("type") == "error"), "ok")
        for frame in replies:
            if not services.push.deliver([event.connection_id], frame):
                break
    return {"statusCode": 200}


def disconnect(event):
    with observability.request("$disconnect", connection_id=event.connection_id,
                               request_id=event.to_dict()["requestContext"].get("requestId")):
        _services_for(event).sessions.disconnect(event.connection_id)
    return {"statusCode": 200}
