"""Test harnesses shared by the test modules (no test module imports another one).

- `Harness`: the real wiring (`wiring.build`) on in-memory fakes (tests/fakes.py), with helpers
  that speak in protocol frames and REST bodies the way the edge does.
- `Flow`: the real Chalice handlers on moto, fed AWS-shaped events.
- `posted_frames`: what moto's management API received for a connection.
"""
from __future__ import annotations

import json
import urllib.parse

from chalicelib import wiring
from chalicelib.domain.model import Operator
from chalicelib.edge import ws
from chalicelib.settings import Queue, Settings
from tests.fakes import FakeAuthenticator, MemoryRepositories, RecordingMailer, RecordingSender

NOW = 1_790_000_000.0


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_settings(**overrides) -> Settings:
    base = dict(region="us-east-1", table_prefix="t", patron_token_secret=b"s" * 32,
                cognito_user_pool_id="pool", cognito_client_id="client",
                cognito_jwks_url="file:///dev/null", ws_url="ws://test/ws",
                queues=(Queue("general", "Ask a librarian"), Queue("law", "Law library")))
    return Settings(**{**base, **overrides})


test_settings.__test__ = False  # a factory, not a test


class Harness:
    """The services as wired for Lambda, on in-memory fakes. `db` is the fakes' shared state."""

    def __init__(self, file_store=None, **settings) -> None:
        self.repos = MemoryRepositories()
        self.db = self.repos.db
        self.sender = RecordingSender()
        self.mailer = RecordingMailer()
        self.clock = Clock()
        self.services = wiring.build(
            test_settings(**settings),
            wiring.Ports(repos=self.repos, sender=self.sender, auth=FakeAuthenticator({"ann": "pw"}),
                         file_store=file_store, mailer=self.mailer), clock=self.clock)
        self.events = self.services.events
        self.events.emitted = []

    # --------------------------------------------------------- people
    def operator(self, op_id: str, max_chats: int = 3, role: str = "librarian") -> None:
        self.repos.operators.put(Operator(id=op_id, name=op_id.title(), role=role, max_chats=max_chats))

    def op(self, op_id: str) -> Operator:
        return self.db.operators[op_id]

    # ------------------------------------------------------ WebSocket
    def connect(self, conn: str, token: str | None, source_ip: str | None = None,
                watch: str | None = None) -> None:
        self.services.sessions.connect(conn, token, source_ip, watch)

    def disconnect(self, conn: str) -> None:
        self.services.sessions.disconnect(conn)

    def handle_frame(self, conn: str, raw: str | None) -> list[dict]:
        return ws.handle_raw(self.services, conn, raw)

    def frame(self, conn: str, **data) -> list[dict]:
        replies = self.handle_frame(conn, json.dumps(data))
        for frame in replies:
            self.services.push.deliver([conn], frame)
        return replies

    def connect_operator(self, conn: str, op_id: str) -> list[dict]:
        self.connect(conn, f"op:{op_id}")
        return self.frame(conn, action="hello")

    def connect_patron(self, conn: str, token: str, **hello) -> list[dict]:
        self.connect(conn, token)
        return self.frame(conn, action="hello", **hello)

    # ----------------------------------------------------------- REST
    def create_chat(self, body: dict) -> dict:
        return self.services.chats.create(body)

    def new_chat(self, question: str = "Where are the atlases?", **extra) -> tuple[str, str]:
        out = self.create_chat({"question": question, **extra})
        return out["chat_id"], out["token"]

    def history(self, token: str | None, chat_id: str, after: str | None = None) -> dict:
        return self.services.conversation.history(self.services.access.resolve(token), chat_id, after)

    def submit_survey(self, token: str | None, chat_id: str, body: dict) -> dict:
        return self.services.surveys.submit(self.services.access.resolve(token), chat_id, body)

    def survey_results(self, admin: Operator, days: str | None) -> dict:
        return self.services.surveys.results(admin, days)

    def operator_for_token(self, token: str | None) -> Operator:
        return self.services.access.operator(token)

    def login(self, body: dict) -> dict:
        return self.services.operators.login(body)

    def refresh(self, body: dict) -> dict:
        return self.services.operators.refresh(body)

    def me(self, token: str | None) -> dict:
        return self.services.operators.me(self.operator_for_token(token))

    def status(self) -> dict:
        return self.services.operators.status()

    def list_operators(self, admin: Operator) -> dict:
        return self.services.operators.list(admin)

    def update_operator(self, admin: Operator, operator_id: str, body: dict) -> dict:
        return self.services.operators.update(admin, operator_id, body)

    def remind_unclaimed(self, wait_seconds: int) -> int:
        return self.services.chats.remind_unclaimed(wait_seconds)


# ------------------------------------------------------------------ on moto


def posted_frames(connection_id: str) -> list[dict]:
    """What moto's management API received for a connection (it concatenates payloads)."""
    from moto.apigatewaymanagementapi.models import apigatewaymanagementapi_backends
    backend = apigatewaymanagementapi_backends["123456789012"]["us-east-1"]
    raw = b"".join(c.data for key, c in backend.connections.items()
                   if urllib.parse.unquote(key) == connection_id).decode()
    frames, decoder, pos = [], json.JSONDecoder(), 0
    while pos < len(raw):
        frame, pos = decoder.raw_decode(raw, pos)
        frames.append(frame)
    return frames


class Flow:
    """Drives the real handlers the way API Gateway would."""

    def __init__(self, aws, ws_event):
        from chalice.test import Client
        import app as app_module
        self.app = app_module
        self.aws, self.ws_event = aws, ws_event
        # A stage that .chalice/config.json does not define: Chalice's test client would
        # otherwise overlay the dev stage's environment on the fixture's.
        self.http = Client(app_module.app, stage_name="moto-tests").http

    def connect(self, conn, token, **query):
        query = {**({"token": token} if token else {}), **query}
        return self.app.ws_connect(self.ws_event("connect", conn, query=query), None)

    def frame(self, conn, **data):
        return self.app.ws_message(self.ws_event("message", conn, body=json.dumps(data)), None)

    def disconnect(self, conn):
        return self.app.ws_disconnect(self.ws_event("disconnect", conn), None)

    def post(self, path, body, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        resp = self.http.post(path, body=json.dumps(body), headers=headers)
        return resp.status_code, json.loads(resp.body)

    def get(self, path, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = self.http.get(path, headers=headers)
        return resp.status_code, json.loads(resp.body)


def claimed_chat(flow):
    op_token = flow.aws.token("ann")
    assert flow.connect("opconn1=", op_token)["statusCode"] == 200
    flow.frame("opconn1=", action="hello")
    status, created = flow.post("/chats", {"question": "Where is the map room?", "name": "Pat"})
    assert status == 201
    chat_id, token = created["chat_id"], created["token"]
    assert flow.connect("patconn1=", token)["statusCode"] == 200
    flow.frame("patconn1=", action="hello", chat_id=chat_id)
    flow.frame("opconn1=", action="claim", chat_id=chat_id)
    return chat_id, token, op_token
