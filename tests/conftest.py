"""Shared fixtures. Order matters: fake credentials first, then one `mock_aws()` fixture, then
resource fixtures; WebSocket events come from one factory fixture built on AWS's documented
event samples (tests/data/apigw_ws_events.json)."""
from __future__ import annotations

import copy
import json
import os
import secrets
import threading
import time
import uuid
from pathlib import Path

# Before anything can build a boto3 client: never touch a real account.
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing", "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
})
for _var in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(_var, None)

import botocore.handlers  # noqa: E402
import pytest  # noqa: E402
# runtime AWS calls vs. the IAM policy files; the browser fixtures (one Playwright per session)
pytest_plugins = ["tests.plugins.aws_calls", "tests.browser"]

from chalicelib.domain.model import Operator  # noqa: E402
from tests.harness import Harness  # noqa: E402

DATA = Path(__file__).parent / "data"
REGION = "us-east-1"
TEST_PASSWORD = "Correct-Horse-Battery-1"


@pytest.fixture
def h() -> Harness:
    """The real wiring on in-memory fakes (tests/harness.py)."""
    return Harness()


# ------------------------------------------------------------- AWS (moto)


class BotocoreRequests:
    """Every HTTP request botocore sends (each attempt), as (service, operation, url)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    def record(self, service: str, operation: str, url: str) -> None:
        with self._lock:
            self.sent.append((service, operation, url))

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()

    def ops(self, service: str = "dynamodb") -> list[str]:
        return [op for svc, op, _ in self.sent if svc == service]

    def posts(self) -> list[str]:
        return [url.rsplit("/", 1)[-1] for svc, op, url in self.sent
                if op == "PostToConnection"]


_counting: list[BotocoreRequests] = []  # the test's recorder, while a test asks for one


def _count_request(request, event_name=None, **_):
    """`before-send.<service>.<operation>`: botocore emits it for every attempt it is about to
    send (moto answers there), and the API Gateway sender for each of its posts."""
    if _counting and event_name:
        _, service, operation = event_name.split(".", 2)
        _counting[-1].record(service, operation, request.url)


botocore.handlers.BUILTIN_HANDLERS.append(("before-send", _count_request))  # every session from now


@pytest.fixture
def botocore_requests() -> BotocoreRequests:
    recorder = BotocoreRequests()
    _counting.append(recorder)
    yield recorder
    _counting.remove(recorder)


@pytest.fixture(scope="session")
def moto_jwks_url(tmp_path_factory) -> str:
    """moto signs its Cognito tokens with a key it ships; under mock_aws there is no HTTP
    endpoint for the JWKS, so the service reads the same document from a file: URL."""
    from moto.utilities.utils import load_resource
    path = tmp_path_factory.mktemp("jwks") / "jwks.json"
    path.write_text(json.dumps(load_resource("cognitoidp/resources/jwks-public.json")))
    return path.as_uri()


@pytest.fixture(scope="session", autouse=True)
def moto_pool_key_once():
    """moto builds every Cognito user pool's signing key from the one private JWK it ships,
    and importing that key (joserfc's RSA arithmetic in pure Python) costs 1-3 s on this
    machine, once per pool, so once per test that creates a pool. The key is the same document
    every time, so it is imported once per session: moto's tokens and JWKS are unchanged."""
    from moto.cognitoidp import models as cognito_models
    rsa_key = cognito_models.jwk.RSAKey
    original, own = rsa_key.import_key.__func__, rsa_key.__dict__.get("import_key")
    cache: dict[str, object] = {}

    def import_key(cls, value, *args, **kwargs):
        if args or kwargs or not isinstance(value, dict):
            return original(cls, value, *args, **kwargs)
        key = json.dumps(value, sort_keys=True)
        if key not in cache:
            cache[key] = original(cls, value)
        return cache[key]

    rsa_key.import_key = classmethod(import_key)
    yield
    if own is None:
        del rsa_key.import_key
    else:
        rsa_key.import_key = own


@pytest.fixture(scope="session", autouse=True)
def botocore_models_parsed_once():
    """Every test rebinds the PynamoDB models to fresh tables, and each model's connection then
    makes its own botocore session, which parses botocore's endpoint and service JSON again
    (seconds per test on this machine). Sessions made through PynamoDB here share one data
    loader, whose cache keeps what it parsed: same files, same models, parsed once."""
    from pynamodb.connection import base
    original = base.get_session
    loader = {}

    def shared_loader_session():
        session = original()
        if "loader" in loader:
            session.register_component("data_loader", loader["loader"])
        else:
            loader["loader"] = session.get_component("data_loader")
        return session

    base.get_session = shared_loader_session
    yield
    base.get_session = original


MAIL_FROM = "chat@library.example"  # the verified SES identity the aws fixture makes


_moto_request_lock = threading.RLock()


@pytest.fixture(autouse=True)
def moto_requests_are_atomic(monkeypatch):
    """DynamoDB applies each request atomically (a conditional PutItem checks and writes as one
    step); moto in this process does not: two threads' conditional writes can interleave
    between its check and its write, and both "win". Tests that race threads (a claim between
    two librarians) must see DynamoDB's semantics, so each moto request runs under one lock,
    as if it were served by one partition. Our code's own concurrency is untouched."""
    from moto.core.botocore_stubber import BotocoreStubber
    original = BotocoreStubber.__call__

    def atomic(self, event_name, request, **kwargs):
        with _moto_request_lock:
            return original(self, event_name, request, **kwargs)
    monkeypatch.setattr(BotocoreStubber, "__call__", atomic)


@pytest.fixture
def aws(monkeypatch, moto_jwks_url):
    """moto for everything, with the app's settings pointing at it and its resources made."""
    from moto import mock_aws
    from chalicelib import wiring
    from chalicelib.adapters import dynamo
    prefix = f"t{uuid.uuid4().hex[:8]}"
    with mock_aws():
        import boto3
        idp = boto3.client("cognito-idp", region_name=REGION)
        pool = idp.create_user_pool(PoolName="ops")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool, ClientName="dash",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
        env = {
            "TABLE_PREFIX": prefix, "PATRON_TOKEN_SECRET": secrets.token_urlsafe(32),
            "COGNITO_USER_POOL_ID": pool, "COGNITO_CLIENT_ID": client_id,
            "COGNITO_JWKS_URL": moto_jwks_url, "WS_URL": "wss://example.test/dev",
            # REST calls (a new chat) push too, so on AWS the endpoint comes from config.
            "WS_MANAGEMENT_ENDPOINT": "https://abc123defg.execute-api.us-east-1.amazonaws.com/dev",
            "MAIL_FROM": MAIL_FROM, "PUBLIC_URL": "https://chat.library.example",
        }
        boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity=MAIL_FROM)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        wiring.reset()
        dynamo.bind(prefix, REGION)
        dynamo.create_tables()
        yield AwsWorld(idp, pool, client_id)
        wiring.reset()


class AwsWorld:
    def __init__(self, idp, pool: str, client_id: str) -> None:
        self.idp, self.pool, self.client_id = idp, pool, client_id

    def add_operator(self, username: str, name: str | None = None, max_chats: int = 3,
                     role: str = "librarian") -> None:
        from chalicelib import wiring
        self.idp.admin_create_user(UserPoolId=self.pool, Username=username, MessageAction="SUPPRESS")
        self.idp.admin_set_user_password(UserPoolId=self.pool, Username=username,
                                         Password=TEST_PASSWORD, Permanent=True)
        wiring.repositories().operators.put(Operator(id=username, name=name or username.title(),
                                                     role=role, max_chats=max_chats))

    def token(self, username: str) -> str:
        resp = self.idp.initiate_auth(AuthFlow="USER_PASSWORD_AUTH", ClientId=self.client_id,
                                      AuthParameters={"USERNAME": username, "PASSWORD": TEST_PASSWORD})
        return resp["AuthenticationResult"]["AccessToken"]


# --------------------------------------------------- API Gateway event factory


@pytest.fixture
def ws_event():
    """Build API Gateway WebSocket events from AWS's documented samples, so handler tests feed
    the handlers exactly the shape AWS sends."""
    samples = json.loads((DATA / "apigw_ws_events.json").read_text())

    def make(kind: str, connection_id: str, *, body: str | None = None,
             query: dict | None = None) -> dict:
        event = copy.deepcopy(samples[kind])
        ctx = event["requestContext"]
        ctx["connectionId"] = connection_id
        ctx["requestId"] = uuid.uuid4().hex
        ctx["apiId"] = "abc123defg"
        ctx["domainName"] = "abc123defg.execute-api.us-east-1.amazonaws.com"
        ctx["stage"] = "dev"
        ctx["requestTimeEpoch"] = int(time.time() * 1000)
        if kind == "message":
            event["body"] = body
            ctx["messageId"] = uuid.uuid4().hex[:16]
        if kind == "connect":
            event["queryStringParameters"] = query
            event["multiValueQueryStringParameters"] = (
                {k: [v] for k, v in query.items()} if query else None)
        return event

    return make
