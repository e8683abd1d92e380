"""The edge between Chalice events and the chat service.

REST handlers turn `ServiceError` into `{"error": {"code", "message"}}` with its HTTP status;
WebSocket handlers turn it into a refused handshake (`$connect`) or an `error` frame on the
caller's connection (`$default`). Anything unexpected is logged and answered as `internal`,
never half-applied silently: every write path in the service is a single conditional request
or transaction.
"""
from __future__ import annotations

import functools
import json
import logging

from chalice import Response

from . import observability, wiring
from .errors import ServiceError
from .domain import validation

log = logging.getLogger("libchat")
JSON = {"Content-Type": "application/json"}


def _error_response(err: ServiceError) -> Response:
    headers = dict(JSON)
    if err.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return Response(body={"error": err.to_dict()}, status_code=err.status, headers=headers)


def rest(handler):
    """Wrap a REST view: ServiceError -> protocol error body; surprises -> 500 `internal`.
    One log line per call (chalicelib/observability.py), named after the view."""
    @functools.wraps(handler)
    def wrapped(*args, **kwargs):
        with observability.request(handler.__name__, chat_id=kwargs.get("chat_id")) as obs:
            try:
                result = handler(*args, **kwargs)
            except ServiceError as err:
                obs.outcome = err.code
                return _error_response(err)
            except Exception:
                obs.outcome = "internal"
                log.exception("unhandled error in %s", handler.__name__)
                return _error_response(ServiceError("internal", "something went wrong on our side"))
        if isinstance(result, Response):
            return result
        return Response(body=result, status_code=200, headers=JSON)
    return wrapped


def json_body(request) -> dict:
    return validation.parse_json_object(request.raw_body, "request body")


def bearer(request) -> str | None:
    value = request.headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def source_ip(request) -> str | None:
    return (request.context or {}).get("identity", {}).get("sourceIp")


def created(body: dict) -> Response:
    return Response(body=body, status_code=201, headers=JSON)


# ------------------------------------------------------------------ WebSocket


def _service_for(event):
    ctx = event.to_dict()["requestContext"]
    from .adapters.apigw import endpoint_for_event
    return wiring.chat_service(endpoint_for_event(ctx, wiring.settings().ws_management_endpoint))


def ws_connect(event):
    """`$connect`: a refused token is an HTTP 401/403 at the handshake, as the protocol says."""
    raw = event.to_dict()
    token = (raw.get("queryStringParameters") or {}).get("token")
    ip = raw["requestContext"].get("identity", {}).get("sourceIp")
    with observability.request("$connect", connection_id=event.connection_id,
                               request_id=raw["requestContext"].get("requestId")) as obs:
        service, _ = _service_for(event)
        try:
            service.connect(event.connection_id, token, ip)
        except ServiceError as err:
            obs.outcome = err.code
            log.info("connect refused: %s", err.code)
            return {"statusCode": err.status if err.status in (401, 403) else 403,
                    "body": json.dumps({"error": err.to_dict()})}
    return {"statusCode": 200}


def ws_message(event):
    action, chat_id = observability.frame_fields(event.body)
    with observability.request(action, chat_id=chat_id, connection_id=event.connection_id,
                               request_id=event.to_dict()["requestContext"].get("requestId")) as obs:
        service, push = _service_for(event)
        try:
            replies = service.handle_frame(event.connection_id, event.body)
        except Exception:
            log.exception("unhandled error handling a frame")
            replies = [{"type": "error", "code": "internal", "message": "something went wrong on our side"}]
        obs.outcome = next((f["code"] for f in replies if f.get("type") == "error"), "ok")
        if replies:
            for frame in replies:
                if not push.deliver([event.connection_id], frame):
                    break
    return {"statusCode": 200}


def ws_disconnect(event):
    with observability.request("$disconnect", connection_id=event.connection_id,
                               request_id=event.to_dict()["requestContext"].get("requestId")):
        service, _ = _service_for(event)
        service.disconnect(event.connection_id)
    return {"statusCode": 200}


def remind_unclaimed() -> dict:
    """The scheduled reminder (EventBridge on AWS, a timer thread locally)."""
    with observability.request("remind_unclaimed"):
        service, _ = wiring.chat_service()
        sent = service.remind_unclaimed(wiring.settings().notify_wait_seconds)
    return {"reminders": sent}
