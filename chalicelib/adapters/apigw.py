"""The `Sender` port on the API Gateway management API (`POST @connections/{id}`).

Chalice's own `websocket_api.send` builds a fixed `https://{apiId}.execute-api...` endpoint; this
sender takes its endpoint from configuration (the local gateway) or from the event's domain
name and stage (AWS, custom domains included), so one code path serves both. A 410
(`GoneException`) means the connection is gone: `post` returns False and the caller forgets it.

Posts are the one call made hundreds of times per invocation (a co-op's broadcast), so they
skip the client's per-call machinery: a boto3 `post_to_connection` costs about 2.2 ms of CPU
here, most of it botocore's generic request pipeline and HTTP wrapper, and a Lambda's fan-out is
CPU-bound long before the network is (400 posts were over a second of CPU at any pool size).
Each post is the same request botocore would send, built from botocore's own parts (an
`AWSRequest` signed with `SigV4Auth` by the client's credentials), announced on the client's
`before-send` event as botocore announces every request (so moto and other test doubles answer
it as they answer the client), and sent on a urllib3 pool sized for the fan-out threads:
about 1 ms. Throttling and 5xx answers are retried twice with jittered backoff, like botocore's
standard mode. Closing a connection (rare) goes through the client itself.
"""
from __future__ import annotations

import json
import random
import threading
import time
from urllib.parse import quote

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError
from botocore.hooks import first_non_none_response

POST_EVENT = "before-send.apigatewaymanagementapi.PostToConnection"
ATTEMPTS = 3
RETRY_STATUS = {429, 500, 502, 503, 504}


class ApiGatewaySender:
    def __init__(self, client, credentials, connections: int = 10,
                 timeout: tuple[float, float] = (3.0, 10.0)) -> None:
        """`client`: the boto3 management-API client (its endpoint, region and events);
        `credentials`: the session's (refreshed by botocore when they expire);
        `connections`: the HTTP pool, as many as threads post at once."""
        import urllib3  # botocore's own HTTP library: always there, nothing to package
        from botocore.httpsession import get_cert_path
        self._client = client
        self._credentials = credentials
        self._endpoint = client.meta.endpoint_url.rstrip("/")
        self._region = client.meta.region_name
        self._events = client.meta.events
        self._pool = urllib3.PoolManager(maxsize=connections, block=False,
                                         timeout=urllib3.Timeout(connect=timeout[0], read=timeout[1]),
                                         cert_reqs="CERT_REQUIRED", ca_certs=get_cert_path(True))
        self.posted = 0  # posts delivered (fan-out posts from several threads)
        self._count = threading.Lock()

    def post(self, connection_id: str, frame: dict) -> bool:
        data = encode(frame)
        for attempt in range(ATTEMPTS):
            try:
                status, headers, body = self._exchange(connection_id, data)
            except Exception as err:  # noqa: BLE001 - urllib3's connection errors: retried
                if attempt == ATTEMPTS - 1 or not _transient(err):
                    raise
            else:
                if 200 <= status < 300:
                    with self._count:
                        self.posted += 1
                    return True
                if status == 410:
                    return False
                if status not in RETRY_STATUS or attempt == ATTEMPTS - 1:
                    raise _client_error(status, headers, body)
            time.sleep(random.uniform(0, 0.05 * 2 ** attempt))
        return False  # not reached: the last attempt returns or raises

    def _exchange(self, connection_id: str, data: bytes) -> tuple[int, dict, bytes]:
        """One signed POST: answered by a `before-send` handler (a test double) or sent."""
        url = f"{self._endpoint}/@connections/{quote(connection_id, safe='')}"
        request = AWSRequest(method="POST", url=url, data=data)
        SigV4Auth(self._credentials.get_frozen_credentials(), "execute-api", self._region).add_auth(request)
        prepared = request.prepare()
        answer = first_non_none_response(self._events.emit(POST_EVENT, request=prepared))
        if answer is not None:
            return answer.status_code, dict(answer.headers), answer.content
        response = self._pool.urlopen("POST", url, body=data, headers=dict(prepared.headers.items()),
                                      retries=False, redirect=False)
        return response.status, dict(response.headers), response.data

    def close(self, connection_id: str) -> None:
        """DELETE @connections/{id}: API Gateway closes it and sends $disconnect."""
        try:
            self._client.delete_connection(ConnectionId=connection_id)
        except ClientError as err:
            if err.response["Error"]["Code"] != "GoneException":
                raise


def _transient(err: Exception) -> bool:
    import urllib3.exceptions
    return isinstance(err, (urllib3.exceptions.HTTPError, ConnectionError, TimeoutError))


def _client_error(status: int, headers: dict, body: bytes) -> ClientError:
    """The refusal as botocore would raise it: the error type from the header API Gateway
    sets (or the JSON body), the message from the body."""
    lowered = {k.lower(): v for k, v in headers.items()}
    code = (lowered.get("x-amzn-errortype") or "").split(":")[0]
    message = ""
    try:
        doc = json.loads(body or b"{}")
        code = code or str(doc.get("__type") or doc.get("code") or "")
        message = str(doc.get("message") or doc.get("Message") or "")
    except (ValueError, AttributeError):
        message = (body or b"")[:200].decode("utf-8", "replace")
    return ClientError({"Error": {"Code": code or str(status), "Message": message},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, "PostToConnection")


def encode(frame: dict) -> bytes:
    """UTF-8 JSON, compact. Text that UTF-8 cannot carry (a lone surrogate that got past the
    edge, e.g. from an old stored item) falls back to ASCII escapes, which every JSON reader
    takes: the sender never fails on text."""
    try:
        return json.dumps(frame, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(frame, separators=(",", ":")).encode()


def endpoint_for_event(request_context: dict, configured: str | None) -> str:
    """Where the management API is: configured locally, else the event's own domain/stage."""
    if configured:
        return configured
    return f"https://{request_context['domainName']}/{request_context['stage']}"
