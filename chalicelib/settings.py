"""Typed settings, parsed once in the composition root from the Lambda environment.

Services never read os.environ themselves: they get plain values from here, which keeps them
testable with any settings and keeps configuration errors in one place.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field


def mail_events_topic(environ=os.environ) -> str:
    """The SNS topic SES publishes the stage's bounces and complaints to (infra/template.yaml
    MailEventsTopic). Read when app.py registers its handler: Chalice loads the app with the
    stage's environment (STAGE) both at deploy time and in the Lambda, so one name serves both."""
    return f"libchat-{environ.get('STAGE', 'dev').strip() or 'dev'}-mail-events"


@dataclass(frozen=True)
class Queue:
    id: str
    name: str


def _parse_queues(raw: str) -> tuple[Queue, ...]:
    """`id:Name,id2:Other name` -> queues. The first one is the default."""
    queues = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        qid, _, name = part.partition(":")
        queues.append(Queue(qid.strip(), (name or qid).strip()))
    if not queues:
        raise ValueError("QUEUES must name at least one queue")
    return tuple(queues)


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    region: str
    table_prefix: str
    patron_token_secret: bytes
    cognito_user_pool_id: str
    cognito_client_id: str
    cognito_jwks_url: str
    ws_url: str
    ws_management_endpoint: str | None = None
    retention_days: int = 30
    patron_token_hours: int = 24
    store_patron_ip: bool = False
    queues: tuple[Queue, ...] = field(default_factory=lambda: (Queue("general", "Ask a librarian"),))
    files_bucket: str = ""  # empty: file attachments are off (uploads refused, as before)
    max_upload_bytes: int = 10 * 1024 * 1024  # S3 takes up to 5 GB in one POST
    operators_topic_arn: str = ""  # empty: no SNS notifications
    notify_mode: str = "always"  # always | unavailable (no operator available) | off
    notify_wait_seconds: int = 90  # an unclaimed chat this old gets one reminder
    notify_include_question: bool = False  # private by default
    dashboard_url: str = ""  # put in notifications, so a librarian can jump there
    typing_preview: bool = True  # librarians see a patron's draft; the widget says so
    abandon_after_seconds: int = 120  # a waiting patron gone this long: the chat ends
    queue_cache_seconds: int = 30  # how long a container keeps the desk directory
    mail_from: str = ""  # empty: no e-mail (tickets still work; their mail log says why)
    mail_from_name: str = ""
    mail_configuration_set: str = ""  # SES configuration set whose events reach mail_events_topic()
    public_url: str = ""  # where the patron pages are served (links in e-mails)
    library_name: str = "the library"
    ticket_offer_seconds: int = 120  # a waiting chat this old is offered to become a ticket
    stats_retention_days: int = 1095  # statistics records hold no identity: kept for reports
    wait_target_seconds: int = 60  # the Reports' wait-to-claim target until an admin sets one
    chat_rate_limit: int = 5  # new chats per browser per window (a network: 6 times that); 0: off
    chat_rate_window_seconds: int = 600

    @property
    def retention_seconds(self) -> int:
        return self.retention_days * 86400

    def table_name(self, kind: str) -> str:
        return f"{self.table_prefix}-{kind}"

    @classmethod
    def from_env(cls, env: dict | None = None) -> "Settings":
        env = os.environ if env is None else env
        region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
        pool = env.get("COGNITO_USER_POOL_ID", "")
        secret = env.get("PATRON_TOKEN_SECRET", "")
        if len(secret) < 32:
            raise ValueError("PATRON_TOKEN_SECRET must be set to at least 32 characters")
        retention = int(env.get("RETENTION_DAYS", "30"))
        if retention < 1:
            raise ValueError("RETENTION_DAYS must be at least 1")
        return cls(
            region=region,
            table_prefix=env.get("TABLE_PREFIX", "libchat-dev"),
            patron_token_secret=secret.encode(),
            cognito_user_pool_id=pool,
            cognito_client_id=env.get("COGNITO_CLIENT_ID", ""),
            cognito_jwks_url=env.get("COGNITO_JWKS_URL")
            or f"https://cognito-idp.{region}.amazonaws.com/{pool}/.well-known/jwks.json",
            ws_url=env.get("WS_URL", ""),
            ws_management_endpoint=env.get("WS_MANAGEMENT_ENDPOINT") or None,
            retention_days=retention,
            patron_token_hours=int(env.get("PATRON_TOKEN_HOURS", "24")),
            store_patron_ip=_flag(env.get("STORE_PATRON_IP")),
            queues=_parse_queues(env.get("QUEUES", "general:Ask a librarian")),
            files_bucket=env.get("FILES_BUCKET", "").strip(),
            max_upload_bytes=_max_upload_bytes(env.get("MAX_UPLOAD_BYTES")),
            operators_topic_arn=env.get("OPERATORS_TOPIC_ARN", "").strip(),
            notify_mode=_choice(env.get("NOTIFY_MODE") or "always", "NOTIFY_MODE",
                                ("always", "unavailable", "off")),
            notify_wait_seconds=int(env.get("NOTIFY_WAIT_SECONDS") or "90"),
            notify_include_question=_flag(env.get("NOTIFY_INCLUDE_QUESTION")),
            dashboard_url=env.get("DASHBOARD_URL", "").strip(),
            typing_preview=_flag(env.get("TYPING_PREVIEW") or "on"),
            abandon_after_seconds=_seconds(env.get("ABANDON_AFTER_SECONDS"), 120,
                                           "ABANDON_AFTER_SECONDS"),
            queue_cache_seconds=_seconds(env.get("QUEUE_CACHE_SECONDS"), 30, "QUEUE_CACHE_SECONDS"),
            mail_from=env.get("MAIL_FROM", "").strip(),
            mail_from_name=env.get("MAIL_FROM_NAME", "").strip(),
            mail_configuration_set=env.get("MAIL_CONFIGURATION_SET", "").strip(),
            public_url=(env.get("PUBLIC_URL") or env.get("DASHBOARD_URL", "").rsplit("/dashboard", 1)[0]).strip(),
            library_name=env.get("LIBRARY_NAME", "").strip() or "the library",
            ticket_offer_seconds=_seconds(env.get("TICKET_OFFER_SECONDS"), 120, "TICKET_OFFER_SECONDS"),
            stats_retention_days=_positive(env.get("STATS_RETENTION_DAYS"), 1095, "STATS_RETENTION_DAYS"),
            wait_target_seconds=_positive(env.get("WAIT_TARGET_SECONDS"), 60, "WAIT_TARGET_SECONDS"),
            chat_rate_limit=_seconds(env.get("CHAT_RATE_LIMIT"), 5, "CHAT_RATE_LIMIT"),
            chat_rate_window_seconds=_positive(env.get("CHAT_RATE_WINDOW_SECONDS"), 600, "CHAT_RATE_WINDOW_SECONDS"),
        )


def _positive(raw: str | None, default: int, name: str) -> int:
    try:
        value = int(raw) if raw not in (None, "") else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1")
    return value


def _choice(value: str, name: str, options: tuple[str, ...]) -> str:
    value = value.strip().lower()
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(options)}")
    return value


def _max_upload_bytes(raw: str | None) -> int:
    value = int(raw) if raw and raw.strip() else 10 * 1024 * 1024
    if not 1 <= value <= 5 * 1024 ** 3:
        raise ValueError("MAX_UPLOAD_BYTES must be between 1 and 5 GB (S3's POST limit)")
    return value


def _seconds(raw: str | None, default: int, name: str) -> int:
    value = int(raw) if raw and raw.strip() else default
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value
