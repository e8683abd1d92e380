"""Composition root: settings, AWS clients, the store and the services, built lazily.

Nothing here runs at import time (cold start budget, DESIGN.md): the first invocation parses
settings and binds the models, and a warm Lambda container reuses everything. Clients are
cached per (service, endpoint); building them is serialized because boto3 sessions are not
thread-safe (the local gateway runs handlers on a thread pool).
"""
from __future__ import annotations

import threading

from .settings import Settings

_lock = threading.RLock()
_state: dict = {}


def reset() -> None:
    """Forget everything built so far (tests and the local runner rebind to a new moto)."""
    with _lock:
        _state.clear()


def settings() -> Settings:
    with _lock:
        if "settings" not in _state:
            _state["settings"] = Settings.from_env()
        return _state["settings"]


def client(service: str, endpoint_url: str | None = None):
    key = ("client", service, endpoint_url)
    with _lock:
        if key not in _state:
            import boto3  # deferred: the Lambda runtime has it, cold start does not pay twice
            from botocore.config import Config
            if "session" not in _state:
                _state["session"] = boto3.session.Session()
            _state[key] = _state["session"].client(
                service, region_name=settings().region, endpoint_url=endpoint_url,
                config=Config(connect_timeout=3, read_timeout=10,
                              retries={"max_attempts": 3, "mode": "standard"}))
        return _state[key]


def store():
    with _lock:
        if "store" not in _state:
            from .adapters import dynamo
            cfg = settings()
            dynamo.bind(cfg.table_prefix, cfg.region)
            _state["store"] = dynamo.DynamoStore(cfg.region)
        return _state["store"]


def authenticator():
    with _lock:
        if "auth" not in _state:
            from .adapters.cognito import CognitoAuthenticator
            cfg = settings()
            _state["auth"] = CognitoAuthenticator(
                client, region=cfg.region, user_pool_id=cfg.cognito_user_pool_id,
                client_id=cfg.cognito_client_id, jwks_url=cfg.cognito_jwks_url)
        return _state["auth"]


def chat_service(management_endpoint: str | None = None):
    """(ChatService, Push) wired to push through the management API at `management_endpoint`
    (from the WebSocket event on AWS; from settings for REST calls and locally)."""
    cfg = settings()
    endpoint = cfg.ws_management_endpoint or management_endpoint
    key = ("service", endpoint)
    with _lock:
        if key not in _state:
            from .adapters.apigw import ApiGatewaySender
            from .domain.events import Dispatcher
            from .domain.service import ChatService
            from .push import Push
            dispatcher = Dispatcher()
            service = ChatService(
                store(), dispatcher, authenticator(), token_secret=cfg.patron_token_secret,
                ws_url=cfg.ws_url, queues=cfg.queues, retention_seconds=cfg.retention_seconds,
                patron_token_seconds=cfg.patron_token_hours * 3600,
                store_patron_ip=cfg.store_patron_ip, max_text=cfg.max_text_chars)
            if endpoint:
                sender = ApiGatewaySender(client("apigatewaymanagementapi", endpoint))
            else:
                from .push import NullSender
                sender = NullSender()
            push = Push(sender, service.disconnect)
            push.subscribe(dispatcher)
            _state[key] = (service, push)
        return _state[key]


def canned_service():
    with _lock:
        if "canned" not in _state:
            import time
            from .domain.canned import CannedService
            _state["canned"] = CannedService(store(), time.time)
        return _state["canned"]
