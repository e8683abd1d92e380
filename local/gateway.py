"""A local stand-in for Amazon API Gateway, so the Lambda handlers run unchanged.

``chalice local`` serves only the REST API, and this service also needs a
WebSocket API and the ``@connections`` management API that its handlers call
back into. One aiohttp server on one port plays all three parts, following the
API Gateway contract:

* ``GET /ws``: the WebSocket API. It builds the ``$connect``, ``$default`` and
  ``$disconnect`` Lambda proxy events the way API Gateway does, and applies
  API Gateway's limits (32 KB frame quota, enforced per message here; 10 minute
  idle timeout; 2 hour lifetime).
* ``/@connections/{id}`` (optionally with a ``/{stage}`` prefix): the
  management API that boto3's ``apigatewaymanagementapi`` client calls.
* ``/api/...``: the Chalice REST API, deployed to AWS under the stage ``api``.
* Anything else is a static file, so the browser client comes from the same
  origin.

Handlers block (boto3 I/O) and may call the management API of this same
server, so they always run in a thread pool and never on the event loop.
"""
from __future__ import annotations

import asyncio
import base64
import copy
import json
import logging
import mimetypes
import os
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from aiohttp import WSMsgType, web
from chalice import local as chalice_local
from chalice.config import Config

log = logging.getLogger("local.gateway")

MAX_POST_BYTES = 128 * 1024  # API Gateway's "message payload size" quota
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MANAGEMENT_PATH = re.compile(r"^(?:/[^/@]+)?/@connections/([^/]+)/?$")
_CONTENT_TYPES = {  # explicit, because mimetypes depends on the machine's /etc/mime.types
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
    ".ico": "image/x-icon", ".wav": "audio/wav", ".webmanifest": "application/manifest+json",
}


def _aws_id() -> str:
    """A random id shaped like API Gateway's connection and request ids (``R1kmxc2VNjMCFIA=``)."""
    return base64.urlsafe_b64encode(os.urandom(11)).decode("ascii")


def _now_ms() -> int:
    return int(time.time() * 1000)


def _request_time(epoch_ms: int) -> str:
    """``requestTime`` as API Gateway formats it, e.g. ``09/Feb/2024:18:11:43 +0000``."""
    t = time.gmtime(epoch_ms / 1000)
    return (f"{t.tm_mday:02d}/{_MONTHS[t.tm_mon - 1]}/{t.tm_year}:"
            f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000")


def _iso8601(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, timezone.utc).isoformat(
        timespec="milliseconds").replace("+00:00", "Z")


def _single_and_multi(pairs) -> tuple[dict[str, str], dict[str, list[str]]]:
    """API Gateway's two views of repeated names: the last value, and all values."""
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in pairs:
        single[name] = value
        multi.setdefault(name, []).append(value)
    return single, multi


def _error(status: int, error_type: str, message: str | None = None) -> web.Response:
    """An error in API Gateway's shape: botocore reads the code from ``x-amzn-ErrorType``."""
    return web.json_response({"message": message}, status=status, headers={
        "x-amzn-ErrorType": error_type, "x-amzn-RequestId": str(uuid.uuid4())})


_LANE_ACTIONS = ("send", "typing")  # they touch one chat's conversation and nothing else


def _lane_of(msg: Any) -> str | None:
    """The chat whose lane a frame joins (``_pump``), or None: the frame is a barrier.

    A look at the body like API Gateway's route selection (``$request.body.action``); the
    handler still parses and validates the frame itself.
    """
    if msg.type is not WSMsgType.TEXT or '"chat_id"' not in msg.data:
        return None
    try:
        frame = json.loads(msg.data)
    except ValueError:
        return None
    if not isinstance(frame, dict) or frame.get("action") not in _LANE_ACTIONS:
        return None
    chat_id = frame.get("chat_id")
    return chat_id if isinstance(chat_id, str) and chat_id else None


@dataclass(eq=False)
class _Connection:
    """One client connection, from the handshake until ``$disconnect`` is delivered."""
    id: str
    domain: str
    identity: dict[str, str]
    connected_at: int
    last_active: int
    ws: web.WebSocketResponse | None = None
    close_code: int | None = None  # set once by whichever side ends the connection first
    close_reason: str = ""
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    finished: asyncio.Event = field(default_factory=asyncio.Event)


class LocalGateway:
    """API Gateway (WebSocket API, REST API and management API) on one local port."""

    #: API Gateway ends every connection after two hours, however active it is.
    MAX_CONNECTION_DURATION = 2 * 60 * 60.0
    #: Frames of one connection handled at once (in different chats' lanes, see ``_pump``).
    MAX_IN_FLIGHT = 8

    def __init__(self, *, rest_app, ws_handlers: dict[str, Callable[[dict, Any], Any]],
                 host: str = "127.0.0.1", port: int = 0, static_dir: str | os.PathLike | None = None,
                 stage: str = "local", api_id: str = "localgw0001", idle_timeout: float = 600.0,
                 max_frame_bytes: int = 32 * 1024, workers: int = 16,
                 on_event: Callable[[dict], None] | None = None,
                 pages: dict[str, Callable[[str], tuple[int, bytes]]] | None = None) -> None:
        self.host, self.port = host, port
        self.stage, self.api_id = stage, api_id
        self.idle_timeout, self.max_frame_bytes = idle_timeout, max_frame_bytes
        self._ws_handlers = dict(ws_handlers)
        # Local-only HTML pages by path prefix (the runner's mailbox): (status, HTML) of a path.
        self._pages = dict(pages or {})
        self._on_event = on_event
        self._workers = workers
        self._static_root = Path(static_dir).resolve() if static_dir is not None else None
        self._rest = self._rest_gateway(rest_app) if rest_app is not None else None
        self._open: dict[str, _Connection] = {}  # accepted, addressable by @connections
        self._sessions: set[_Connection] = set()  # every handshake or connection in progress
        self._issued: set[str] = set()
        self._stopping = self._stopped = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._startup_error: BaseException | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}/ws"

    @property
    def management_endpoint(self) -> str:
        """The ``endpoint_url`` for boto3's ``apigatewaymanagementapi`` client."""
        return self.base_url

    @staticmethod
    def _rest_gateway(app) -> chalice_local.LocalGateway:
        """Chalice's own local REST gateway, the code path ``chalice local`` uses.

        Like ``chalice local``, the app gets a thread-local ``current_request``: on
        AWS each Lambda instance serves one request at a time, while here several
        pool threads can run views of the same app object at once.
        """
        if not isinstance(app, chalice_local.LocalChalice):
            app.__class__ = type("LocalGatewayChalice", (chalice_local.LocalChalice, app.__class__), {})
        config = Config.create(chalice_stage="local", app_name="local",
                               lambda_timeout=30, lambda_memory_size=256)
        return chalice_local.LocalGateway(app, config)

    def start(self) -> None:
        """Serve from a daemon thread; return once the port is listening."""
        if self._thread is not None:
            raise RuntimeError("LocalGateway already started")
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="localgw-lambda")
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="localgw-loop", daemon=True)
        self._thread.start()
        ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._pool.shutdown()
            raise self._startup_error
        log.info("gateway listening on %s (stage %s)", self.base_url, self.stage)

    def stop(self) -> None:
        """Close every connection with 1001, deliver their ``$disconnect``s, then shut down."""
        with self._lock:
            if self._thread is None or self._stopped or self._startup_error is not None:
                return
            self._stopped = True
        if threading.current_thread() is self._thread:
            raise RuntimeError("stop() cannot be called from the gateway's own event loop")
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=30)
        except Exception:  # keep shutting down whatever happened
            log.exception("gateway shutdown did not complete cleanly")
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
            self._pool.shutdown(wait=True, cancel_futures=True)
        log.info("gateway on %s stopped", self.base_url)

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup())
        except BaseException as exc:  # re-raised by start()
            self._startup_error = exc
            loop.close()
            ready.set()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        app = web.Application(client_max_size=10 * 1024 * 1024)  # API Gateway's REST payload quota
        app.router.add_get("/ws", self._handle_ws)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host, self.port).start()
        except BaseException:
            await self._runner.cleanup()
            raise
        self.port = self._runner.addresses[0][1]

    async def _shutdown(self) -> None:
        self._stopping = True
        await asyncio.gather(*(self._close(c, 1001, "Going away") for c in list(self._open.values())),
                             return_exceptions=True)
        waiting = [c.finished.wait() for c in list(self._sessions)]
        if waiting:
            try:
                await asyncio.wait_for(asyncio.gather(*waiting), timeout=10)
            except asyncio.TimeoutError:
                log.warning("gave up waiting for %d connection(s) to finish", len(self._sessions))
        await self._runner.cleanup()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        """Route by path: management API, REST API under ``/api``, else static files."""
        match = _MANAGEMENT_PATH.match(request.path)  # request.path is decoded: %40 -> @
        if match:
            return await self._handle_management(request, match.group(1))
        if request.path == "/api" or request.path.startswith("/api/"):
            return await self._handle_rest(request)
        for prefix, page in self._pages.items():
            if request.path == prefix.rstrip("/") or request.path.startswith(prefix):
                status, body = await asyncio.get_running_loop().run_in_executor(None, page, request.path)
                return web.Response(status=status, body=body, content_type="text/html", charset="utf-8",
                                    headers={"Cache-Control": "no-store"})
        return await self._handle_static(request)

    async def _invoke(self, route: str, event: dict) -> Any:
        """Run one Lambda handler in the pool, as API Gateway's Lambda proxy integration would."""
        if self._on_event is not None:
            try:
                self._on_event(copy.deepcopy(event))
            except Exception:  # an observer must not break the gateway
                log.exception("on_event callback failed")
        handler = self._ws_handlers.get(route)
        if handler is None:
            return {"statusCode": 200}
        context = chalice_local.LambdaContext(
            function_name=f"{self.api_id}-{route.lstrip('$')}", memory_size=256, max_runtime_ms=29_000)
        return await asyncio.get_running_loop().run_in_executor(self._pool, handler, event, context)

    async def _handle_ws(self, request: web.Request) -> web.StreamResponse:
        """Each upgrade request gets a fresh connection id before ``$connect`` runs."""
        if request.headers.get("Upgrade", "").lower() != "websocket":
            return web.Response(status=426, text="Upgrade Required")
        if self._stopping:
            return web.Response(status=503, text="Service Unavailable")
        now = _now_ms()
        identity = {"sourceIp": request.remote or "127.0.0.1"}
        if "User-Agent" in request.headers:
            identity = {"userAgent": request.headers["User-Agent"], **identity}
        conn = _Connection(id=self._new_connection_id(), domain=request.host,
                           identity=identity, connected_at=now, last_active=now)
        self._sessions.add(conn)
        try:
            return await self._run_connection(request, conn)
        finally:
            self._sessions.discard(conn)
            conn.finished.set()

    def _new_connection_id(self) -> str:
        while (cid := _aws_id()) in self._issued:
            pass
        self._issued.add(cid)
        return cid

    async def _run_connection(self, request: web.Request, conn: _Connection) -> web.StreamResponse:
        """``$connect`` decides the handshake; only then is the socket upgraded.

        API Gateway keeps the upgrade request pending until the ``$connect``
        integration returns, answers a non-2xx result with that HTTP status, and
        makes the connection addressable (no more 410) only once it is open.
        """
        try:
            result = await self._invoke("$connect", self._connect_event(request, conn))
        except Exception as exc:  # a failing integration refuses the handshake
            log.error("$connect handler failed for %s: %r", conn.id, exc)
            result = {"statusCode": 500, "body": '{"message": "Internal server error"}'}
        result = result if isinstance(result, dict) else {"statusCode": 200}
        status = int(result.get("statusCode") or 200)
        if not 200 <= status < 300:
            log.info("connect refused %s from %s: %d", conn.id, conn.identity["sourceIp"], status)
            return web.Response(status=status, body=result.get("body"), headers=result.get("headers"))
        headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
        subprotocol = headers.get("sec-websocket-protocol")
        ws = web.WebSocketResponse(
            max_msg_size=self.max_frame_bytes + 1,  # aiohttp rejects sizes >= max_msg_size
            compress=False, timeout=2.0, protocols=(subprotocol,) if subprotocol else ())
        watchdog = None
        try:  # $connect said yes, so $disconnect follows even if the upgrade itself fails
            await ws.prepare(request)
            conn.ws = ws
            self._open[conn.id] = conn
            log.info("connect %s from %s", conn.id, conn.identity["sourceIp"])
            watchdog = asyncio.create_task(self._watchdog(conn))
            if self._stopping:  # stop() began while $connect was running
                await self._close(conn, 1001, "Going away")
            await self._pump(conn)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            self._open.pop(conn.id, None)
            await self._deliver_disconnect(conn)
        return ws

    async def _pump(self, conn: _Connection) -> None:
        """Feed frames to ``$default``, in order per chat, and never past a barrier.

        A ``send`` or ``typing`` frame naming a ``chat_id`` joins that chat's lane: it runs
        once the previous frame of the same lane is done, alongside other chats' lanes, so a
        librarian with many chats on one connection does not queue every chat behind every
        other (API Gateway itself runs one connection's frames concurrently). Every other frame
        (``ping``, ``hello``, ``claim``, ``end``, ``status``..., a frame without ``chat_id``,
        bad JSON, binary) is a barrier: it waits until every earlier frame of the connection
        is done, and later frames wait for it. So frames of one chat are handled in order, and
        after any action a ``ping`` and its ``pong`` still prove that the action's pushes were
        posted (docs/protocol.md, "Ordering barrier"). At most ``MAX_IN_FLIGHT`` frames of a
        connection run at once; beyond that the socket is not read (back pressure).
        """
        lanes: dict[str, asyncio.Task] = {}  # chat id -> the latest frame's task in that lane
        in_flight: set[asyncio.Task] = set()
        try:
            while True:
                msg = await conn.ws.receive()
                if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    conn.last_active = _now_ms()
                    lane = _lane_of(msg)
                    if lane is None:
                        await self._drain(in_flight)
                        lanes.clear()
                        await self._handle_frame(conn, msg)
                        continue
                    while len(in_flight) >= self.MAX_IN_FLIGHT:
                        await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                    task = asyncio.create_task(self._in_lane(lanes.get(lane), conn, msg))
                    lanes[lane] = task
                    in_flight.add(task)
                    task.add_done_callback(in_flight.discard)
                    task.add_done_callback(lambda t, lane=lane: lanes.get(lane) is t and lanes.pop(lane))
                    continue
                if conn.close_code is None:  # the client (or the wire) ended it
                    if msg.type is WSMsgType.CLOSE:
                        code = msg.data or 1005
                        reason = msg.extra or ("Client-side close frame status not set" if code == 1005 else "")
                    elif msg.type is WSMsgType.ERROR:  # aiohttp already sent the close frame (1009, 1007...)
                        code = getattr(msg.data, "code", 1006)
                        reason = "Message too big" if code == 1009 else str(msg.data)
                    else:
                        code, reason = 1006, "Connection closed abnormally"
                    conn.close_code, conn.close_reason = code, reason
                return
        finally:  # every frame received is handled before $disconnect is delivered
            await self._drain(in_flight)

    @staticmethod
    async def _drain(tasks: set[asyncio.Task]) -> None:
        while tasks:
            await asyncio.gather(*list(tasks), return_exceptions=True)

    async def _in_lane(self, previous: asyncio.Task | None, conn: _Connection, msg: Any) -> None:
        if previous is not None:
            await asyncio.gather(previous, return_exceptions=True)
        await self._handle_frame(conn, msg)

    async def _handle_frame(self, conn: _Connection, msg: Any) -> None:
        try:
            await self._invoke("$default", self._message_event(conn, msg))
        except Exception as exc:  # the connection survives a failed message
            log.error("$default handler failed for %s: %r", conn.id, exc)
        # Frames queued behind a slow handler were already received by API Gateway,
        # which is what its idle timer counts: restart the timer once this one is done.
        conn.last_active = _now_ms()

    async def _watchdog(self, conn: _Connection) -> None:
        """API Gateway's idle timeout (no client frame for 10 minutes) and 2 hour maximum lifetime."""
        hard_deadline = conn.connected_at / 1000 + self.MAX_CONNECTION_DURATION
        while (delay := min(conn.last_active / 1000 + self.idle_timeout, hard_deadline) - time.time()) > 0:
            await asyncio.sleep(delay)
        # Shielded: the connection's own task cancels this watchdog as soon as the socket is closed.
        await asyncio.shield(self._close(conn, 1001, "Going away"))

    async def _close(self, conn: _Connection, code: int, reason: str) -> None:
        """Server-side close; the first recorded code is what ``$disconnect`` reports."""
        if conn.close_code is None:
            conn.close_code, conn.close_reason = code, reason
        if conn.ws is not None and not conn.ws.closed:
            await conn.ws.close(code=code, message=reason.encode())

    async def _deliver_disconnect(self, conn: _Connection) -> None:
        code, reason = conn.close_code or 1006, conn.close_reason
        log.info("disconnect %s: %d %s", conn.id, code, reason)
        try:
            await self._invoke("$disconnect", self._disconnect_event(conn, code, reason))
        except Exception as exc:  # best effort, as on AWS
            log.error("$disconnect handler failed for %s: %r", conn.id, exc)

    def _request_context(self, conn: _Connection, route_key: str, event_type: str, **extra) -> dict:
        """The ``requestContext`` keys API Gateway sends for every WebSocket route."""
        now, request_id = _now_ms(), _aws_id()
        return {"routeKey": route_key, **extra, "eventType": event_type,
                "extendedRequestId": request_id, "requestTime": _request_time(now),
                "messageDirection": "IN", "stage": self.stage, "connectedAt": conn.connected_at,
                "requestTimeEpoch": now, "identity": dict(conn.identity), "requestId": request_id,
                "domainName": conn.domain, "connectionId": conn.id, "apiId": self.api_id}

    def _connect_event(self, request: web.Request, conn: _Connection) -> dict:
        """CONNECT: the upgrade request's headers and query string (omitted when there is none)."""
        forwarded = {"X-Forwarded-For": conn.identity["sourceIp"], "X-Forwarded-Port": str(self.port),
                     "X-Forwarded-Proto": "http"}  # added by API Gateway's front end
        headers = [*request.headers.items(), *((k, v) for k, v in forwarded.items() if k not in request.headers)]
        event: dict[str, Any] = {}
        event["headers"], event["multiValueHeaders"] = _single_and_multi(headers)
        if request.query_string:
            event["queryStringParameters"], event["multiValueQueryStringParameters"] = \
                _single_and_multi(request.query.items())
        event["requestContext"] = self._request_context(conn, "$connect", "CONNECT")
        event["isBase64Encoded"] = False
        return event

    def _message_event(self, conn: _Connection, msg: Any) -> dict:
        """MESSAGE: only the frame and the context, no headers (binary frames arrive base64)."""
        binary = msg.type is WSMsgType.BINARY
        body = base64.b64encode(msg.data).decode("ascii") if binary else msg.data
        return {"requestContext": self._request_context(conn, "$default", "MESSAGE", messageId=_aws_id()),
                "body": body, "isBase64Encoded": binary}

    def _disconnect_event(self, conn: _Connection, code: int, reason: str) -> dict:
        """DISCONNECT: API Gateway sends these fixed headers, not the client's."""
        headers = {"Host": conn.domain, "x-api-key": "", "X-Forwarded-For": "", "x-restapi": ""}
        context = self._request_context(conn, "$disconnect", "DISCONNECT",
                                        disconnectStatusCode=code, disconnectReason=reason)
        return {"headers": headers, "multiValueHeaders": {k: [v] for k, v in headers.items()},
                "requestContext": context, "isBase64Encoded": False}

    async def _handle_management(self, request: web.Request, connection_id: str) -> web.StreamResponse:
        """``@connections``: POST sends, GET describes, DELETE disconnects.

        Ids that are unknown, closed or still inside ``$connect`` get 410
        GoneException, which boto3 raises as ``ClientError`` code ``GoneException``.
        """
        conn = self._open.get(connection_id)
        if conn is None or conn.close_code is not None or conn.ws is None or conn.ws.closed:
            return _error(410, "GoneException")
        if request.method == "POST":
            data = await request.read()
            if len(data) > MAX_POST_BYTES:
                return _error(413, "PayloadTooLargeException", "Request entity too large")
            # Benches only (bench/fanout.py): a real post's round trip from Lambda, which a
            # loopback post lacks. Awaited before the socket's lock, so posts overlap as on AWS.
            delay_ms = float(os.environ.get("LOCAL_POST_DELAY_MS") or 0)
            if delay_ms > 0:
                await asyncio.sleep(delay_ms / 1000)
            try:
                async with conn.send_lock:  # keep concurrent POSTs to one socket whole and ordered
                    try:
                        text = data.decode("utf-8")
                    except UnicodeDecodeError:
                        await conn.ws.send_bytes(data)
                    else:
                        await conn.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return _error(410, "GoneException")
            return web.Response(status=200)
        if request.method == "GET":
            return web.json_response({
                "connectedAt": _iso8601(conn.connected_at), "lastActiveAt": _iso8601(conn.last_active),
                "identity": {"sourceIp": conn.identity["sourceIp"],
                             "userAgent": conn.identity.get("userAgent", "")}})
        if request.method == "DELETE":
            await self._close(conn, 1000, "Connection Closed Normally")
            return web.Response(status=204)
        return _error(403, "ForbiddenException", "Forbidden")

    async def _handle_rest(self, request: web.Request) -> web.StreamResponse:
        """``/api/health`` -> route ``/health``: on AWS the Chalice REST API's stage is ``api``."""
        if self._rest is None:
            return _error(403, "ForbiddenException", "Missing Authentication Token")
        path = request.raw_path[len("/api"):]  # undecoded, with query string, as chalice local passes it
        path = path if path.startswith("/") else "/" + path
        body = await request.read() or None
        try:
            response = await asyncio.get_running_loop().run_in_executor(
                self._pool, self._rest.handle_request, request.method, path, dict(request.headers), body)
        except chalice_local.LocalGatewayException as exc:
            headers = {"Content-Type": "application/json", **exc.headers}
            return web.Response(status=exc.CODE, headers=headers, body=exc.body)
        except Exception as exc:  # API Gateway answers a crashed integration with 502
            log.error("REST %s %s failed: %r", request.method, path, exc)
            return _error(502, "InternalServerErrorException", "Internal server error")
        out = web.Response(status=response["statusCode"])
        for name, value in (response.get("headers") or {}).items():
            out.headers[name] = str(value)
        for name, values in (response.get("multiValueHeaders") or {}).items():
            out.headers.popall(name, None)
            for value in values:
                out.headers.add(name, str(value))
        body = response.get("body")
        if response.get("isBase64Encoded") and body is not None:
            body = base64.b64decode(body)
        out.body = body.encode("utf-8") if isinstance(body, str) else (body or b"")
        out.headers.setdefault("Content-Type", "application/json")
        return out

    async def _handle_static(self, request: web.Request) -> web.StreamResponse:
        """The browser client, served from the same origin; never outside ``static_dir``."""
        if request.method not in ("GET", "HEAD"):
            return web.Response(status=405, headers={"Allow": "GET, HEAD"})
        if self._static_root is None:
            return web.Response(status=404, text="Not Found")
        try:
            target = (self._static_root / request.path.lstrip("/")).resolve()
        except (OSError, ValueError):
            return web.Response(status=404, text="Not Found")
        if not target.is_relative_to(self._static_root):
            return web.Response(status=404, text="Not Found")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return web.Response(status=404, text="Not Found")
        content_type = (_CONTENT_TYPES.get(target.suffix.lower())
                        or mimetypes.guess_type(target.name)[0] or "application/octet-stream")
        return web.FileResponse(target, headers={"Content-Type": content_type, "Cache-Control": "no-cache"})
