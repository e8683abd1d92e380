"""Composition root: settings, AWS clients, adapters and the services, built lazily.

`build(settings, ports)` is the one place use cases are wired to each other and to their
ports; app.py (through `services()`, on the AWS adapters) and the test harness (on in-memory
fakes) both call it, so tests exercise the same wiring that runs on Lambda.

Nothing here runs at import time (cold start budget, DESIGN.md): the first invocation parses
settings and binds the models, and a warm Lambda container reuses everything. Clients are
cached per (service, endpoint); building them is serialized because boto3 sessions are not
thread-safe (the local gateway runs handlers on a thread pool).
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from .settings import Settings

_lock = threading.RLock()
_state: dict = {}


@dataclass(frozen=True)
class Ports:
    """What the outside world is for one composition: the repositories (an object with
    `chats, log, staff_room, connections, operators, surveys, canned, queues, watches,
    tickets, history, lists, stats, purges, guards`), the WebSocket sender,
    the operators' authenticator, the files bucket and the notifier (None: off)."""
    repos: Any
    sender: Any
    auth: Any
    file_store: Any = None
    notifier: Any = None
    accounts: Any = None  # the user pool's admin side (None: accounts made by script only)
    mailer: Any = None  # SES (None: no e-mail; tickets record that it was not sent)


@dataclass(frozen=True)
class Services:
    """The use cases, by name (app.py and the edge call exactly one of them per request)."""
    access: Any
    sessions: Any
    conversation: Any
    chats: Any
    operators: Any
    staff_room: Any
    surveys: Any
    canned: Any
    files: Any
    desks: Any
    tickets: Any
    records: Any
    reports: Any
    privacy: Any
    guards: Any
    supervision: Any
    push: Any
    events: Any
    settings: Settings


def build(settings: Settings, ports: Ports, *, clock: Callable[[], float] = time.time,
          ids: Callable[[], str] | None = None, upload_ids: Callable[[], str] | None = None) -> Services:
    from .domain import events as ev
    from .domain.access import Access
    from .domain.canned import CannedService
    from .domain.chats import Chats, new_id
    from .domain.conversation import Conversation
    from .domain.files import ChatFiles, FilesService, new_upload_id
    from .domain.operators import Operators
    from .domain.queues import Desks
    from .listeners.line import Line
    from .domain.sessions import Sessions
    from .domain.staff_room import StaffRoomService
    from .domain.guards import Guards
    from .domain.privacy import PrivacyService
    from .domain.records import Records
    from .domain.reports import Reports
    from .domain.supervision import Supervision
    from .domain.surveys import Surveys
    from .domain.tickets import Tickets
    from .listeners.metrics import Metrics
    from .listeners.push import Push

    r, cfg = ports.repos, settings
    events = ev.Dispatcher()
    access = Access(r.operators, ports.auth, token_secret=cfg.patron_token_secret,
                    patron_token_seconds=cfg.patron_token_hours * 3600, clock=clock)
    files = None
    if ports.file_store is not None:
        files = FilesService(ports.file_store, max_bytes=cfg.max_upload_bytes,
                             ids=upload_ids or new_upload_id)
    staff_room = StaffRoomService(r.staff_room, r.log, events,
                                  retention_seconds=cfg.retention_seconds, clock=clock)
    desks = Desks(r.queues, r.operators, access, defaults=cfg.queues, clock=clock,
                  cache_seconds=cfg.queue_cache_seconds, retention_days=cfg.retention_days,
                  typing_preview=cfg.typing_preview)
    reports = Reports(r.stats, r.chats, access, desks=desks,
                      retention_seconds=cfg.stats_retention_days * 86400,
                      default_target=cfg.wait_target_seconds, clock=clock)
    guards = Guards(r.guards, r.chats, access, limit=cfg.chat_rate_limit,
                    window_seconds=cfg.chat_rate_window_seconds, clock=clock)
    records = Records(r.chats, r.log, r.history, r.lists, access, desks=desks, mailer=ports.mailer,
                      library=cfg.library_name, clock=clock)
    supervision = Supervision(r.chats, r.connections, r.operators, r.log, access, events, desks=desks,
                              clock=clock)
    chats = Chats(r.chats, r.connections, access, events, desks=desks, watches=r.watches,
                  ws_url=cfg.ws_url, retention_seconds=cfg.retention_seconds, clock=clock,
                  ids=ids or new_id, history_of=records.chat_history,
                  ticket_offer_seconds=cfg.ticket_offer_seconds, stat_of=reports.chat_stat,
                  strip_names=r.purges.strip_names, guard_of=guards.for_create,
                  supervisor_of=supervision.supervisor_ref)
    tickets = Tickets(r.tickets, r.chats, r.log, access, desks=desks, mailer=ports.mailer,
                      records=records, end_chat=chats.end_for, token_secret=cfg.patron_token_secret,
                      public_url=cfg.public_url, library=cfg.library_name,
                      retention_seconds=cfg.retention_seconds, clock=clock,
                      stat_of=reports.ticket_stat)
    team = Operators(r.operators, r.connections, access, ports.auth, events, desks=desks,
                     clock=clock, notice=staff_room.notice, ws_url=cfg.ws_url,
                     accounts=ports.accounts, sender=ports.sender, requeue=chats.requeue_all)
    sessions = Sessions(r.connections, r.chats, r.operators, r.log, access, staff_room, team,
                        events, desks=desks, watches=r.watches, clock=clock,
                        store_patron_ip=cfg.store_patron_ip, typing_preview=cfg.typing_preview)
    services = Services(
        access=access, sessions=sessions, staff_room=staff_room, operators=team,
        conversation=Conversation(r.chats, r.log, r.staff_room, r.connections, access, events,
                                  retention_seconds=cfg.retention_seconds, clock=clock,
                                  files=files, typing_preview=cfg.typing_preview,
                                  preview_of=lambda chat: desks.policy(chat.queue).typing_preview),
        chats=chats, desks=desks, tickets=tickets, records=records, reports=reports,
        guards=guards, supervision=supervision,
        privacy=PrivacyService(r.chats, r.purges, access, desks=desks, end_chat=chats.end_for,
                               history_of=records.chat_history, files=files, clock=clock,
                               facts={"patron_ip_stored": cfg.store_patron_ip,
                                      "statistics_days": cfg.stats_retention_days}),
        surveys=Surveys(r.surveys, r.chats, access, clock=clock),
        canned=CannedService(r.canned, clock),
        files=ChatFiles(files, r.chats, access, clock=clock, purges=r.purges, bucket_days=cfg.retention_days),
        push=Push(ports.sender, r.connections, sessions.gone, r.watches),
        events=events, settings=cfg)
    services.push.subscribe(events)
    Line(r.chats, desks, services.push.deliver).subscribe(events)
    if ports.notifier is not None and cfg.notify_mode != "off":
        from .listeners.notify import Notifications
        Notifications(ports.notifier, mode=cfg.notify_mode,
                      queue_names={q.id: q.name for q in cfg.queues},
                      anyone_available=team.anyone_available,
                      dashboard_url=cfg.dashboard_url or None,
                      include_question=cfg.notify_include_question).subscribe(events)
    Metrics().subscribe(events)  # metrics and log fields, after the pushes
    return services


# ------------------------------------------------------------- on AWS (lazily)


def reset() -> None:
    """Forget everything built so far (tests and the local runner rebind to a new moto), but
    the boto3 session: it holds no endpoint, table or setting, only botocore's loaded service
    models, and loading those again costs seconds of JSON parsing per reset."""
    with _lock:
        session = _state.get("session")
        _state.clear()
        if session is not None:
            _state["session"] = session


def settings() -> Settings:
    with _lock:
        if "settings" not in _state:
            _state["settings"] = Settings.from_env(_with_patron_token_secret(os.environ))
        return _state["settings"]


def services(management_endpoint: str | None = None) -> Services:
    """The services on the AWS adapters, pushing through the management API at
    `management_endpoint` (from the WebSocket event on AWS; from settings for REST calls and
    locally)."""
    cfg = settings()
    endpoint = cfg.ws_management_endpoint or management_endpoint
    key = ("services", endpoint)
    with _lock:
        if key not in _state:
            _state[key] = build(cfg, _aws_ports(cfg, endpoint))
        return _state[key]


def _aws_ports(cfg: Settings, endpoint: str | None) -> Ports:
    from .adapters.apigw import ApiGatewaySender
    from .listeners.push import FANOUT_THREADS, NullSender
    sender = (ApiGatewaySender(client("apigatewaymanagementapi", endpoint), _session().get_credentials(),
                               connections=FANOUT_THREADS)
              if endpoint else NullSender())
    file_store = notifier = None
    if cfg.files_bucket:
        from .adapters.s3 import S3FileStore
        file_store = S3FileStore(_s3_client, cfg.files_bucket)  # the client is built on first use
    if cfg.operators_topic_arn:
        from .adapters.sns import SnsNotifier
        notifier = SnsNotifier(client("sns"), cfg.operators_topic_arn)
    accounts = None
    if cfg.cognito_user_pool_id:
        from .adapters.cognito import CognitoAccounts
        accounts = CognitoAccounts(client, cfg.cognito_user_pool_id)
    mailer = None
    if cfg.mail_from:
        from .adapters.ses import SesMailer
        mailer = SesMailer(lambda: client("sesv2"), cfg.mail_from, cfg.mail_from_name,
                           cfg.mail_configuration_set or None)
    return Ports(repos=repositories(), sender=sender, auth=authenticator(),
                 file_store=file_store, notifier=notifier, accounts=accounts, mailer=mailer)


def repositories():
    with _lock:
        if "repos" not in _state:
            from .adapters import dynamo
            cfg = settings()
            dynamo.bind(cfg.table_prefix, cfg.region)
            _state["repos"] = dynamo.repositories(cfg.region)
        return _state["repos"]


def authenticator():
    with _lock:
        if "auth" not in _state:
            from .adapters.cognito import CognitoAuthenticator
            cfg = settings()
            _state["auth"] = CognitoAuthenticator(
                client, region=cfg.region, user_pool_id=cfg.cognito_user_pool_id,
                client_id=cfg.cognito_client_id, jwks_url=cfg.cognito_jwks_url)
        return _state["auth"]


def _session():
    import boto3  # deferred: the Lambda runtime has it, cold start does not pay twice
    if "session" not in _state:
        _state["session"] = boto3.session.Session()
    return _state["session"]


def _with_patron_token_secret(env):
    """On AWS the patron-token key is generated by CloudFormation into Secrets Manager (infra/),
    so it is never in git, in config.json or in the Lambda's environment: PATRON_TOKEN_SECRET_ARN
    names it and the first invocation of a container reads it (one GetSecretValue per cold
    start). Locally and in tests PATRON_TOKEN_SECRET is set directly and wins."""
    arn = env.get("PATRON_TOKEN_SECRET_ARN")
    if env.get("PATRON_TOKEN_SECRET") or not arn:
        return env
    secrets = _session().client("secretsmanager", region_name=arn.split(":")[3])
    return {**env, "PATRON_TOKEN_SECRET": secrets.get_secret_value(SecretId=arn)["SecretString"]}


def client(service: str, endpoint_url: str | None = None, *, s3v4: bool = False):
    key = ("client", service, endpoint_url, s3v4)
    with _lock:
        if key not in _state:
            from botocore.config import Config
            extra = {"signature_version": "s3v4"} if s3v4 else {}
            _state[key] = _session().client(
                service, region_name=settings().region, endpoint_url=endpoint_url,
                config=Config(connect_timeout=3, read_timeout=10,
                              retries={"max_attempts": 3, "mode": "standard"}, **extra))
        return _state[key]


def _s3_client():
    """S3 with SigV4: botocore would presign with the legacy SigV2 otherwise (adapters/s3.py).
    Locally AWS_ENDPOINT_URL points it at the embedded moto, like every other client."""
    return client("s3", s3v4=True)
