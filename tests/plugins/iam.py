"""What IAM permission each AWS API call needs, and whether a policy document grants it.

Two halves, both small on purpose so a reviewer can check them against AWS's docs:

- `required(call, stage)`: the (action, resource ARN) pairs IAM authorizes for one recorded
  botocore call, with the test's resource names mapped onto the stage's: the tables, bucket,
  topic and secret the app's settings named at call time become infra/'s names for the stage
  (`StageNames`); any other resource keeps its name, and no stage policy names it. DynamoDB
  transactions are authorized per item (Put -> PutItem, ...), index queries on
  `table/<t>/index/<i>`, pushes as `execute-api:ManageConnections` on
  `<api-id>/<api-stage>/<METHOD>/@connections/<id>`. A call this module has no rule for raises
  `UnmappedCall`: a new kind of AWS call must come with its rule here and its policy entry.
- `Policy`: Allow/Deny statements with IAM's wildcard matching (`*` and `?`; actions
  case-insensitive, ARNs case-sensitive). It refuses what it does not evaluate (NotAction,
  NotResource, Condition) rather than guessing.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

ACCOUNT = "123456789012"  # moto's account: the recorded calls' ARNs live there

# Cognito's sign-in API is public: a client id is all it takes, botocore's model marks it
# `"authtype": "none"` (it is sent unsigned) and IAM has no action that could grant or deny it.
# tests/test_iam_policy.py checks that botocore agrees for every entry here.
UNAUTHENTICATED = {
    ("cognito-idp", "InitiateAuth"),
    ("cognito-idp", "RespondToAuthChallenge"),
}

_DYNAMODB_ITEM_OPS = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan"}
_TRANSACT_WRITE = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                   "ConditionCheck": "ConditionCheckItem"}
_CONNECTION_METHODS = {"PostToConnection": "POST", "GetConnection": "GET",
                       "DeleteConnection": "DELETE"}
_S3_OBJECT_ACTIONS = {"PutObject": "s3:PutObject", "GetObject": "s3:GetObject",
                      "HeadObject": "s3:GetObject", "DeleteObject": "s3:DeleteObject"}
# Reading a key that does not exist answers 404 only with s3:ListBucket on the bucket; without
# it S3 says 403, and code that treats 404 as "not uploaded yet" would see an outage instead.
_S3_NEEDS_LIST_FOR_404 = {"HeadObject", "GetObject"}


class UnmappedCall(Exception):
    """A recorded AWS call this module cannot translate into IAM terms."""


class UnsupportedPolicy(Exception):
    """The policy uses IAM features the matcher does not evaluate."""


@dataclass(frozen=True)
class Permission:
    action: str
    resource: str

    def __str__(self) -> str:
        return f"{self.action} on {self.resource}"


# The settings that name AWS resources (chalicelib/settings.py, wiring.py).
CONFIG_NAMES = ("TABLE_PREFIX", "FILES_BUCKET", "OPERATORS_TOPIC_ARN", "PATRON_TOKEN_SECRET_ARN",
                "MAIL_CONFIGURATION_SET")


@dataclass(frozen=True)
class StageNames:
    """infra/template.yaml's names for one stage's resources (tests/test_infra.py checks that
    the template names them so)."""
    stage: str
    region: str = "us-east-1"
    account: str = ACCOUNT

    @property
    def table_prefix(self) -> str:
        return f"libchat-{self.stage}"

    @property
    def files_bucket(self) -> str:
        return f"libchat-{self.stage}-files-{self.account}-{self.region}"

    @property
    def operators_topic_arn(self) -> str:
        return f"arn:aws:sns:{self.region}:{self.account}:libchat-{self.stage}-operators"

    @property
    def mail_configuration_set(self) -> str:
        return f"libchat-{self.stage}"

    @property
    def secret_name(self) -> str:
        return f"libchat-{self.stage}/patron-token-secret"

    def secret_arn(self, suffix: str = "AbCdEf") -> str:
        """Secrets Manager appends `-` and six random characters to the name in the ARN."""
        return f"arn:aws:secretsmanager:{self.region}:{self.account}:secret:{self.secret_name}-{suffix}"


def _on_stage(call, stage: str):
    """Functions mapping the call's configured resource names onto the stage's."""
    names = StageNames(stage, call.region)
    cfg = call.config or {}
    prefix = cfg.get("TABLE_PREFIX")

    def table_name(name: str) -> str:
        if prefix and name.startswith(prefix + "-"):
            return names.table_prefix + name[len(prefix):]
        return name

    def bucket(name: str) -> str:
        return names.files_bucket if name == cfg.get("FILES_BUCKET") else name

    def topic(arn: str) -> str:
        return names.operators_topic_arn if arn == cfg.get("OPERATORS_TOPIC_ARN") else arn

    def secret(arn: str) -> str:
        if arn != cfg.get("PATRON_TOKEN_SECRET_ARN"):
            return arn
        return names.secret_arn(arn.rsplit("-", 1)[-1])

    def config_set(name: str) -> str:
        return names.mail_configuration_set if name == cfg.get("MAIL_CONFIGURATION_SET") else name

    return table_name, bucket, topic, secret, config_set


def required(call, stage: str) -> list[Permission]:
    """IAM permissions one recorded call needs (`call`: tests.plugins.aws_calls.AwsCall)."""
    svc, op, p = call.service, call.operation, call.params
    if (svc, op) in UNAUTHENTICATED:
        return []
    region = call.region
    table_name, bucket_name, topic_arn, secret_arn, config_set = _on_stage(call, stage)

    def table(name: str, index: str | None = None) -> str:
        arn = f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table_name(name)}"
        return f"{arn}/index/{index}" if index else arn

    if svc == "dynamodb":
        if op in _DYNAMODB_ITEM_OPS:
            return [Permission(f"dynamodb:{op}", table(p["TableName"], p.get("IndexName")))]
        if op in ("BatchGetItem", "BatchWriteItem"):
            return [Permission(f"dynamodb:{op}", table(name)) for name in p["RequestItems"]]
        if op == "TransactWriteItems":
            out = []
            for item in p["TransactItems"]:
                (kind, body), = item.items()
                out.append(Permission(f"dynamodb:{_TRANSACT_WRITE[kind]}", table(body["TableName"])))
            return out
        if op == "TransactGetItems":
            return [Permission("dynamodb:GetItem", table(item["Get"]["TableName"]))
                    for item in p["TransactItems"]]
    if svc == "apigatewaymanagementapi" and op in _CONNECTION_METHODS:
        url = urlsplit(call.url)
        api_id = url.hostname.split(".")[0] if ".execute-api." in (url.hostname or "") else url.netloc
        api_stage = unquote(url.path).split("/@connections/")[0].strip("/")
        return [Permission("execute-api:ManageConnections",
                           f"arn:aws:execute-api:{region}:{ACCOUNT}:{api_id}/{api_stage}/"
                           f"{_CONNECTION_METHODS[op]}/@connections/{p['ConnectionId']}")]
    if svc == "secretsmanager" and op == "GetSecretValue":
        secret = p["SecretId"]
        if not secret.startswith("arn:"):
            raise UnmappedCall("read secrets by ARN (what infra/ outputs), not by name")
        return [Permission("secretsmanager:GetSecretValue", secret_arn(secret))]
    if svc == "s3" and op in _S3_OBJECT_ACTIONS:
        bucket = bucket_name(p["Bucket"])
        out = [Permission(_S3_OBJECT_ACTIONS[op], f"arn:aws:s3:::{bucket}/{p['Key']}")]
        if op in _S3_NEEDS_LIST_FOR_404 and not call.presigned:
            out.append(Permission("s3:ListBucket", f"arn:aws:s3:::{bucket}"))
        return out
    if svc == "s3" and op == "ListObjectsV2":  # a transcript's purge lists the chat's prefix
        return [Permission("s3:ListBucket", f"arn:aws:s3:::{bucket_name(p['Bucket'])}")]
    if svc == "s3" and op == "DeleteObjects":  # each key is authorized as its own DeleteObject
        bucket = bucket_name(p["Bucket"])
        return [Permission("s3:DeleteObject", f"arn:aws:s3:::{bucket}/{o['Key']}") for o in p["Delete"]["Objects"]]
    if svc == "cognito-idp" and op.startswith("Admin"):
        return [Permission(f"cognito-idp:{op}",
                           f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{p['UserPoolId']}")]
    if svc == "sns" and op == "Publish":
        return [Permission("sns:Publish", topic_arn(p["TopicArn"]))]
    if svc == "sesv2" and op == "SendEmail":
        # SES authorizes a send on the sending identity (the From address, or its domain when
        # that is what was verified) and on the configuration set, when one is named.
        sender = p["FromEmailAddress"].rpartition("<")[2].rstrip(">")
        out = [Permission("ses:SendEmail", f"arn:aws:ses:{region}:{ACCOUNT}:identity/{sender}")]
        if p.get("ConfigurationSetName"):
            out.append(Permission("ses:SendEmail", f"arn:aws:ses:{region}:{ACCOUNT}:"
                                                   f"configuration-set/{config_set(p['ConfigurationSetName'])}"))
        return out
    raise UnmappedCall(f"{svc}:{op} has no IAM rule in tests/plugins/iam.py; add one (and the "
                       f"policy entry in .chalice/policy-<stage>.json)")


def _pattern(text: str, *, ignore_case: bool) -> re.Pattern:
    """IAM wildcards: `*` any run of characters (slashes and colons too), `?` one character."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile(f"^{body}$", re.IGNORECASE if ignore_case else 0)


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@dataclass
class Statement:
    sid: str
    effect: str
    actions: list[str]
    resources: list[str]

    def matches(self, perm: Permission) -> bool:
        return (any(_pattern(a, ignore_case=True).match(perm.action) for a in self.actions)
                and any(_pattern(r, ignore_case=False).match(perm.resource) for r in self.resources))


class Policy:
    def __init__(self, document: dict) -> None:
        if document.get("Version") != "2012-10-17":
            raise UnsupportedPolicy("policy Version must be 2012-10-17 (wildcards differ before)")
        self.statements: list[Statement] = []
        statements = document["Statement"]
        for i, st in enumerate([statements] if isinstance(statements, dict) else statements):
            unsupported = {"NotAction", "NotResource", "Condition", "Principal", "NotPrincipal"} & set(st)
            if unsupported:
                raise UnsupportedPolicy(f"statement {st.get('Sid', i)} uses {sorted(unsupported)}")
            self.statements.append(Statement(st.get("Sid", str(i)), st["Effect"],
                                             _as_list(st["Action"]), _as_list(st["Resource"])))

    @classmethod
    def load(cls, path: Path) -> "Policy":
        return cls(json.loads(Path(path).read_text()))

    def allows(self, perm: Permission) -> bool:
        """IAM's order: an explicit Deny wins, then any Allow, else the implicit deny."""
        if any(s.effect == "Deny" and s.matches(perm) for s in self.statements):
            return False
        return any(s.effect == "Allow" and s.matches(perm) for s in self.statements)

    def unused(self, used: set[Permission], ignore_prefixes: tuple[str, ...] = ()) -> list[str]:
        """Allow-statement actions and resources that no permission in `used` needed: in a
        least-privilege policy every action and every resource pattern earns its place."""
        out = []
        for st in self.statements:
            if st.effect != "Allow":
                continue
            for action in st.actions:
                if action.lower().startswith(ignore_prefixes):
                    continue
                pat = _pattern(action, ignore_case=True)
                if not any(pat.match(p.action) and st.matches(p) for p in used):
                    out.append(f"{st.sid}: action {action} is never used")
            if all(a.lower().startswith(ignore_prefixes) for a in st.actions):
                continue
            for resource in st.resources:
                pat = _pattern(resource, ignore_case=False)
                if not any(pat.match(p.resource) and st.matches(p) for p in used):
                    out.append(f"{st.sid}: resource {resource} is never used")
        return out
