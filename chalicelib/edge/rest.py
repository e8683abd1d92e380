"""The REST edge: request bodies and bearer tokens in, protocol error bodies out.

`rest` wraps a Chalice view: a `ServiceError` becomes `{"error": {"code", "message"}}` with its
HTTP status, anything unexpected is logged and answered as `internal` (never half-applied
silently: every write path is a single conditional request or transaction), and each call is
one structured log line (chalicelib/observability.py) named after the view.
"""
from __future__ import annotations

import functools
import logging
import re

from chalice import Response

from .. import observability
from ..domain import validation
from ..errors import ServiceError, bad_request

log = logging.getLogger("libchat")
JSON = {"Content-Type": "application/json"}


def error_response(err: ServiceError) -> Response:
    headers = dict(JSON)
    if err.status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return Response(body={"error": err.to_dict()}, status_code=err.status, headers=headers)


def rest(handler):
    @functools.wraps(handler)
    def wrapped(*args, **kwargs):
        with observability.request(handler.__name__, chat_id=kwargs.get("chat_id")) as obs:
            try:
                result = handler(*args, **kwargs)
            except ServiceError as err:
                obs.outcome = err.code
                return error_response(err)
            except Exception:
                obs.outcome = "internal"
                log.exception("unhandled error in %s", handler.__name__)
                return error_response(ServiceError("internal", "something went wrong on our side"))
        if isinstance(result, Response):
            return result
        return Response(body=result, status_code=200, headers=JSON)
    return wrapped


def scheduled(handler):
    """An invocation by an event (a schedule: EventBridge on AWS, a timer thread locally; an SNS
    message): one log line."""
    @functools.wraps(handler)
    def wrapped(*args, **kwargs):
        with observability.request(handler.__name__):
            return handler(*args, **kwargs)
    return wrapped


# Routes accept any Content-Type so that Chalice never answers its own 415 body; `json_body`
# refuses a wrong one in the protocol's shape instead.
ANY_CONTENT_TYPE = ["*/*"]


def json_body(request) -> dict:
    content_type = (request.headers.get("content-type") or "application/json").lower()
    media = content_type.split(";", 1)[0].strip()
    if media != "application/json" and not media.endswith("+json"):
        raise ServiceError("bad_request", "send the body as JSON with Content-Type: "
                           "application/json", status=415)
    return validation.parse_json_object(request.raw_body, "request body")


def bearer(request) -> str | None:
    value = request.headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def query(request, name: str) -> str | None:
    return (request.query_params or {}).get(name)


def created(body: dict) -> Response:
    return Response(body=body, status_code=201, headers=JSON)


def accepted(body: dict) -> Response:
    """202: the service took the request and handed it on (an e-mail to the mail service)."""
    return Response(body=body, status_code=202, headers=JSON)


def csv_file(filename: str, text: str) -> Response:
    """A CSV download. The dashboard is served from another origin than the API on AWS, so
    the file name's header is exposed to it."""
    return Response(body=text, status_code=200, headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Access-Control-Expose-Headers": "Content-Disposition"})


CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def client_identity(request) -> dict:
    """What identifies a patron's new chat for blocks and rate limits (domain/guards.py), only
    ever hashed: the source address API Gateway saw and the widget's random browser id
    (`X-Client-Id`, optional; a malformed one is refused rather than ignored)."""
    headers = {k.lower(): v for k, v in (request.headers or {}).items()}
    browser = headers.get("x-client-id")
    if browser is not None and not CLIENT_ID.match(browser):
        raise bad_request("'X-Client-Id' must be 8..64 letters, digits, '-' or '_'")
    network = ((request.context or {}).get("identity") or {}).get("sourceIp")
    return {"network": network, "browser": browser}


def params(request) -> dict:
    """The query string as a plain dict (a name given twice: its last value)."""
    return dict(request.query_params or {})


def sns_messages(event: dict) -> list[dict]:
    """The JSON messages of an SNS-triggered invocation; a record that is not JSON is skipped
    (logged), never retried forever."""
    import json
    out = []
    for record in event.get("Records") or []:
        try:
            message = json.loads(record["Sns"]["Message"])
        except (KeyError, TypeError, ValueError):
            log.warning("skipped an SNS record that is not a JSON message")
            continue
        if isinstance(message, dict):
            out.append(message)
    return out
