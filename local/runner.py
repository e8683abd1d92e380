"""`make run`: the whole service on this machine, on an embedded AWS, with no AWS account.

1. moto's server runs in this process on 127.0.0.1 (a free port). Its DynamoDB requests are
   serialized by a lock: real DynamoDB transactions and conditional writes are atomic, moto's
   Python implementation is not under concurrent threads, and the claim race must be settled by
   storage exactly as on AWS. Two fixes to moto's DynamoDB keep a runner that stays up for
   days flat in memory and CPU per message (local/moto_fixes.py: transactions journal the
   items they name instead of copying whole tables, and DynamoDB items are not kept forever).
2. Every resource is provisioned: the tables (from the PynamoDB models), the files bucket, the
   operators' SNS topic, a Cognito user pool with an app client, and the demo operators.
3. The local gateway (local/gateway.py) serves the WebSocket API, the management API, the REST
   API under /api and the static front ends, invoking the same Chalice handlers as AWS would.
   Once it listens, the files bucket gets CORS rules for its origin: the pages upload to and
   download from the presigned S3 URLs, which point at the embedded AWS (`files_cors`).

Local-only: nothing here ships in the Lambda package.
"""
from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import uuid

from dataclasses import dataclass
from pathlib import Path

from local import mailbox

ROOT = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
DEFAULT_DEMO_PASSWORD = "Library-Demo-2026"
TABLE_PREFIX = "libchat-local"
MAIL_FROM = "chat@library.example"  # verified in the embedded SES; what patrons' mail comes from

DEMO_OPERATORS = (
    # username, display name, role, max_chats
    ("admin", "Ada Admin", "admin", 3),
    ("librarian", "Libby Librarian", "librarian", 3),
    ("trainee", "Theo Trainee", "librarian", 1),  # new operators take one chat at a time
    ("supervisor", "Sam Supervisor", "supervisor", 3),  # looks into chats, takes them over (docs/supervision.md)
    # two libraries sharing a co-op desk: Central's questions roll over to it after 30 s
    ("central", "Cass Central", "librarian", 3),
    ("riverside", "Remy Riverside", "librarian", 3),
)
# Desk memberships of the demo librarians (absent: every desk, as before desks existed).
DEMO_MEMBERSHIPS = {"central": {"central", "coop"}, "riverside": {"riverside", "coop"}}

# The desks `make run` starts with, besides the settings' default "general" desk.
SEED_DESKS = (
    dict(id="central", name="Central Library desk", library="Central Library",
         timezone="America/New_York", rollover_to="coop", rollover_after=30,
         card_text="Central Library: cards are free for county residents. Hours and branches: "
                   "https://example.org/central/hours. Printing is 10 cents a page.",
         card_reviewed_on="2026-11-15"),
    dict(id="riverside", name="Riverside Library desk", library="Riverside Library",
         timezone="America/Chicago",
         card_text="Riverside Library: interlibrary loan requests at https://example.org/riverside/ill.",
         card_reviewed_on="2026-10-01"),
    dict(id="coop", name="Ask Us 24/7 (co-op)", library="State co-op", timezone="America/New_York"),
)

# System canned messages seeded for local use (the manual's "Canned Messages document").
SEED_CANNED = (
    ("greeting", "Greeting", "Hello, and thanks for contacting the library! How can I help you today?"),
    ("busy", "Helping several patrons",
     "I'm helping several patrons at the moment, so please bear with me: I'll be back with "
     "you as soon as I can."),
    ("moment", "One moment", "Give me a moment while I look that up for you."),
    ("still-there", "Still there?", "Are you still there? Let me know if you need anything else."),
    ("hours", "Library hours",
     "Our opening hours are on the library website under \"Hours & locations\"."),
    ("ill", "Interlibrary loan",
     "If we don't own it, we can usually borrow it for you through interlibrary loan. "
     "Would you like the request link?"),
    ("closing", "Closing",
     "Thanks for chatting with us! If you have more questions, we're here. Happy researching!"),
)

log = logging.getLogger("local.runner")


class _SerializedDynamoDB:
    """WSGI middleware: one DynamoDB request at a time (see the module docstring)."""

    def __init__(self, app) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with self.lock:
                # The body must be produced inside the lock too: werkzeug may iterate lazily.
                return list(self.app(environ, start_response))
        return self.app(environ, start_response)


class EmbeddedAWS:
    """moto's server in a thread of this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        from local import moto_fixes
        moto_fixes.install()
        from moto.moto_server.werkzeug_app import (DomainDispatcherApplication,
                                                   MotoRequestHandler, create_backend_app)
        from werkzeug.serving import make_server
        app = _SerializedDynamoDB(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(host, port, app, threaded=True,
                                   request_handler=MotoRequestHandler)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="embedded-aws")

    def start(self) -> "EmbeddedAWS":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@dataclass
class Provisioned:
    user_pool_id: str
    client_id: str
    bucket: str
    topic_arn: str


def provision(aws_url: str, demo_password: str) -> Provisioned:
    """Create every resource the app uses, the way infra/ does on AWS."""
    import boto3
    from chalicelib.adapters import dynamo
    from chalicelib.domain.model import Operator

    def client(name):
        return boto3.client(name, region_name=REGION, endpoint_url=aws_url)

    dynamo.bind(TABLE_PREFIX, REGION, host=aws_url)
    dynamo.create_tables()
    bucket = f"{TABLE_PREFIX}-files"
    client("s3").create_bucket(Bucket=bucket)
    topic_arn = client("sns").create_topic(Name=f"{TABLE_PREFIX}-operators")["TopicArn"]
    client("sesv2").create_email_identity(EmailIdentity=MAIL_FROM)  # the verified sender
    idp = client("cognito-idp")
    pool_id = idp.create_user_pool(
        PoolName=f"{TABLE_PREFIX}-operators",
        Policies={"PasswordPolicy": {"MinimumLength": 12}})["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="dashboard", GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    repos = dynamo.repositories(REGION, host=aws_url)
    for username, name, role, max_chats in DEMO_OPERATORS:
        idp.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "name", "Value": name}])
        idp.admin_set_user_password(UserPoolId=pool_id, Username=username,
                                    Password=demo_password, Permanent=True)
        repos.operators.put(Operator(id=username, name=name, role=role, max_chats=max_chats,
                                     queues=set(DEMO_MEMBERSHIPS.get(username, ()))))
    from chalicelib.domain.model import Canned, Queue
    repos.queues.put(Queue(id="general", name="Ask a librarian"), must_exist=False)
    for desk in SEED_DESKS:
        repos.queues.put(Queue(**desk), must_exist=False)
    for shortcut, title, text in SEED_CANNED:
        repos.canned.put(Canned(owner="system", canned_id=f"s-seed-{shortcut}", title=title,
                                text=text, shortcut=shortcut, updated_by="admin"), must_exist=False)
    return Provisioned(pool_id, client_id, bucket, topic_arn)


def scheduled_event() -> dict:
    """The event EventBridge sends a scheduled Lambda (its documented sample's shape)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {"version": "0", "id": uuid.uuid4().hex, "detail-type": "Scheduled Event",
            "source": "aws.events", "account": "123456789012", "time": now, "region": REGION,
            "resources": [], "detail": {}}


def files_cors(origins: list[str]) -> dict:
    """The files bucket's CORS rules: the pages (widget, dashboard) POST the upload form to S3
    and may fetch a download link. infra/ sets the same rules for the real origins on AWS.

    moto's server answers preflights and adds Access-Control-Allow-Origin from a bucket's CORS
    configuration as S3 does (an origin not listed gets 403), so the presigned URLs, which point
    at the embedded AWS on its own port, work from the gateway's pages with no proxy.
    """
    return {"CORSRules": [{"AllowedOrigins": origins, "AllowedMethods": ["GET", "HEAD", "POST"],
                           "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"],
                           "MaxAgeSeconds": 3000}]}


class LocalStack:
    """The embedded AWS, provisioned, plus the gateway in front of the Chalice app."""

    def __init__(self, host: str = "127.0.0.1", port: int = 8000,
                 demo_password: str = DEFAULT_DEMO_PASSWORD, idle_timeout: float = 600.0) -> None:
        self.host, self.port = host, port
        self.demo_password = demo_password
        self.idle_timeout = idle_timeout
        self.aws: EmbeddedAWS | None = None
        self.gateway = None
        self._stopping = threading.Event()

    def start(self) -> "LocalStack":
        # Fake credentials before any client exists: the embedded AWS accepts anything, and a
        # developer's real profile must never be picked up by accident.
        os.environ.update({"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                           "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION})
        for var in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            os.environ.pop(var, None)
        self.aws = EmbeddedAWS(self.host).start()
        res = provision(self.aws.url, self.demo_password)
        from local.gateway import LocalGateway

        env = {
            "AWS_ENDPOINT_URL": self.aws.url,
            "TABLE_PREFIX": TABLE_PREFIX,
            "PATRON_TOKEN_SECRET": secrets.token_urlsafe(32),
            "COGNITO_USER_POOL_ID": res.user_pool_id,
            "COGNITO_CLIENT_ID": res.client_id,
            "COGNITO_JWKS_URL": f"{self.aws.url}/{res.user_pool_id}/.well-known/jwks.json",
            "FILES_BUCKET": res.bucket,
            "OPERATORS_TOPIC_ARN": res.topic_arn,
            "MAIL_FROM": MAIL_FROM, "MAIL_FROM_NAME": "Library chat",
        }
        os.environ.update(env)

        import app as app_module
        import boto3
        from chalicelib import wiring

        gateway = LocalGateway(
            rest_app=app_module.app,
            ws_handlers={"$connect": app_module.ws_connect, "$default": app_module.ws_message,
                         "$disconnect": app_module.ws_disconnect},
            host=self.host, port=self.port, static_dir=str(ROOT / "widget"),
            idle_timeout=self.idle_timeout, pages={"/mailbox/": mailbox.render})
        gateway.start()
        # The pages' origin is known once the gateway listens (PORT may be 0): now the bucket
        # can allow it, under both names a browser may use for this machine.
        origins = sorted({gateway.base_url, f"http://localhost:{gateway.port}",
                          f"http://127.0.0.1:{gateway.port}"})
        boto3.client("s3", region_name=REGION, endpoint_url=self.aws.url).put_bucket_cors(
            Bucket=res.bucket, CORSConfiguration=files_cors(origins))
        os.environ["WS_URL"] = gateway.ws_url
        os.environ["WS_MANAGEMENT_ENDPOINT"] = gateway.management_endpoint
        os.environ["DASHBOARD_URL"] = f"{gateway.base_url}/dashboard/"
        os.environ["PUBLIC_URL"] = gateway.base_url  # the links in e-mails
        wiring.reset()
        self.gateway = gateway
        self.port = gateway.port
        self._scheduler = threading.Thread(target=self._every_minute, daemon=True,
                                           name="local-scheduler")
        self._scheduler.start()
        return self

    def _every_minute(self) -> None:
        """What EventBridge does on AWS for the app's `@app.schedule` (here every 15 s, or
        LOCAL_SCHEDULE_SECONDS, so a demo shows the reminder soon after NOTIFY_WAIT_SECONDS)."""
        import app as app_module
        every = float(os.environ.get("LOCAL_SCHEDULE_SECONDS") or 15)
        while not self._stopping.wait(every):
            try:
                app_module.remind_unclaimed(scheduled_event(), None)
            except Exception:  # keep the local stack up; the log says what went wrong
                log.exception("scheduled reminder failed")

    def stop(self) -> None:
        self._stopping.set()
        if self.gateway is not None:
            self.gateway.stop()
        if self.aws is not None:
            self.aws.stop()

    def banner(self) -> str:
        gw = self.gateway
        lines = [
            "",
            "Library chat is running on an embedded AWS (moto); nothing leaves this machine.",
            f"  Demo library page & widget : {gw.base_url}/",
            f"  Librarians' dashboard      : {gw.base_url}/dashboard/",
            f"  Local mailbox (sent e-mail): {gw.base_url}/mailbox/",
            f"  REST API                   : {gw.base_url}/api   (try {gw.base_url}/api/health)",
            f"  WebSocket                  : {gw.ws_url}",
            f"  Embedded AWS endpoint      : {self.aws.url}",
            "  Demo operator logins (username / password):",
        ]
        for username, name, role, max_chats in DEMO_OPERATORS:
            lines.append(f"    {username:<10} / {self.demo_password}   ({name}, {role}, "
                         f"max {max_chats} chat{'s' if max_chats > 1 else ''})")
        lines += ["Press Ctrl-C to stop.", ""]
        return "\n".join(lines)
