"""The AWS steps of `make deploy` / `make destroy`, with boto3 (what the venv already has).

scripts/deploy.sh and scripts/destroy.sh call these one at a time; each step is idempotent, so
a deploy that stopped half-way is finished by running it again. Every function takes its
boto3 clients as arguments: tests/test_deploy.py runs them against moto.

    python -m scripts.deploytool infra     --stage S --origins URL[,URL] [--retention-days N]
                                           [--log-retention-days N] [--alarm-email ADDR] --out F
    python -m scripts.deploytool outputs   --stage S --out F
    python -m scripts.deploytool state     pull|push --stage S --outputs F
    python -m scripts.deploytool check-site [--site-dir widget]
    python -m scripts.deploytool publish   --outputs F --site-dir widget --site-config F
    python -m scripts.deploytool unpublish --outputs F
    python -m scripts.deploytool smoke     --deployed .chalice/deployed/S.json
    python -m scripts.deploytool delete-stack --stage S [--delete-data]
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "infra" / "template.yaml"
STATE_KEY = "chalice/deployed/{stage}.json"
CONFIG_KEY = "config.json"
# Not part of the published site: the front ends' tests and tooling.
SITE_EXCLUDE_DIRS = {"tests", "node_modules"}
SITE_EXCLUDE_FILES = {"package.json", "package-lock.json"}
# The dashboard's chart library (docs/reports.md): copied out of widget/node_modules by
# `make vendor` (kept out of git), so a checkout without it would publish a Reports tab that
# cannot draw. Publishing refuses to go without them.
VENDOR_FILES = ("dashboard/vendor/chart.umd.min.js", "dashboard/vendor/chartjs-chart-matrix.min.js")
# Stack resources kept on stack deletion (DeletionPolicy: Retain): deleted one by one, and only
# when the data is to go (`make destroy DELETE_DATA=yes`).
RETAINED_TYPES = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::UserPool")
WAIT = {"Delay": 10, "MaxAttempts": 360}  # CloudFront alone can take 15 minutes
NO_STACK = 3  # exit status of `outputs` when the stage has no stack (destroy.sh: nothing to do)


class DeployError(RuntimeError):
    pass


def stack_name(stage: str) -> str:
    return f"libchat-{stage}"


# ------------------------------------------------------------------ infra stack

def stack_status(cfn, name: str) -> str | None:
    from botocore.exceptions import ClientError
    try:
        return cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]
    except ClientError as err:
        if "does not exist" in str(err):
            return None
        raise


def stack_outputs(cfn, name: str) -> dict[str, str]:
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def deploy_stack(cfn, stage: str, parameters: dict[str, str], template_body: str,
                 wait: dict = WAIT) -> dict[str, str]:
    """Create the stage's stack, or update it; "no updates" is success. Returns its outputs."""
    from botocore.exceptions import ClientError
    name = stack_name(stage)
    params = [{"ParameterKey": k, "ParameterValue": str(v)} for k, v in parameters.items()]
    tags = [{"Key": "app", "Value": "library-chat"}, {"Key": "stage", "Value": stage}]
    status = stack_status(cfn, name)
    if status == "ROLLBACK_COMPLETE":  # a first create that failed: only deletion is possible
        print(f"{name}: an earlier first deploy failed and rolled back; deleting it first")
        cfn.delete_stack(StackName=name)
        cfn.get_waiter("stack_delete_complete").wait(StackName=name, WaiterConfig=wait)
        status = None
    if status is not None and status.endswith("_IN_PROGRESS"):
        raise DeployError(f"{name} is {status}; wait for it to finish and deploy again")
    if status is None:
        print(f"{name}: creating (CloudFront takes several minutes)")
        cfn.create_stack(StackName=name, TemplateBody=template_body, Parameters=params,
                         Tags=tags, EnableTerminationProtection=stage == "prod",
                         OnFailure="ROLLBACK")
        waiter = "stack_create_complete"
    else:
        try:
            cfn.update_stack(StackName=name, TemplateBody=template_body, Parameters=params,
                             Tags=tags)
        except ClientError as err:
            if "No updates are to be performed" not in str(err):
                raise
            print(f"{name}: up to date")
            return stack_outputs(cfn, name)
        print(f"{name}: updating")
        waiter = "stack_update_complete"
    cfn.get_waiter(waiter).wait(StackName=name, WaiterConfig=wait)
    return stack_outputs(cfn, name)


# ------------------------------------------------------------------ Chalice's deploy record

def pull_state(s3, bucket: str, stage: str, path: Path) -> str:
    """Fetch Chalice's record of what it deployed (S3 is the truth; a local file is a cache)."""
    from botocore.exceptions import ClientError
    try:
        body = s3.get_object(Bucket=bucket, Key=STATE_KEY.format(stage=stage))["Body"].read()
    except ClientError as err:
        if err.response["Error"]["Code"] not in ("NoSuchKey", "404"):
            raise
        if path.exists():
            return "kept the local record (none stored yet)"
        return "none yet: the first deploy creates everything"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return "fetched"


def push_state(s3, bucket: str, stage: str, path: Path) -> str:
    if not path.exists():
        return "nothing to store"
    s3.put_object(Bucket=bucket, Key=STATE_KEY.format(stage=stage), Body=path.read_bytes(),
                  ContentType="application/json", ServerSideEncryption="AES256")
    return "stored"


# ------------------------------------------------------------------ static site

def site_files(site_dir: Path) -> dict[str, Path]:
    """key -> file for everything the front ends serve (their tests and tooling excluded)."""
    out = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir)
        if (not path.is_file() or rel.parts[0] in SITE_EXCLUDE_DIRS
                or path.name in SITE_EXCLUDE_FILES or any(p.startswith(".") for p in rel.parts)
                or path.name.endswith(".test.mjs")):
            continue
        out[rel.as_posix()] = path
    return out


def missing_vendor_files(site_dir: Path) -> list[str]:
    """The vendored files the front ends load that are not (or empty) in `site_dir`."""
    return [rel for rel in VENDOR_FILES
            if not (site_dir / rel).is_file() or (site_dir / rel).stat().st_size == 0]


def check_site(site_dir: Path) -> None:
    missing = missing_vendor_files(site_dir)
    if missing:
        raise DeployError(f"{site_dir} lacks {', '.join(missing)}: run `make vendor` first "
                          "(`make deploy` does), which copies the chart library from npm")


def content_type(key: str) -> str:
    if key.endswith((".js", ".mjs")):
        return "text/javascript; charset=utf-8"
    guessed = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed in (
        "application/json", "image/svg+xml") else guessed


def publish_site(s3, cloudfront, bucket: str, distribution_id: str, site_dir: Path,
                 config: dict) -> dict:
    """Upload the front ends and their config.json, delete what is gone, invalidate the CDN.
    config.json and HTML are never cached (a redeploy's URLs reach browsers at once); the rest
    for five minutes (the files carry no content hash)."""
    files = site_files(site_dir)
    files.pop("config.json", None)  # the generated one below is the only one published
    for key, path in files.items():
        no_cache = key.endswith(".html")
        s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(),
                      ContentType=content_type(key),
                      CacheControl="no-cache" if no_cache else "public, max-age=300")
    s3.put_object(Bucket=bucket, Key=CONFIG_KEY, Body=(json.dumps(config, indent=2) + "\n").encode(),
                  ContentType="application/json; charset=utf-8", CacheControl="no-cache")
    keep = set(files) | {CONFIG_KEY}
    stale = [k for k in _keys(s3, bucket) if k not in keep]
    for i in range(0, len(stale), 1000):
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[i:i + 1000]]})
    cloudfront.create_invalidation(DistributionId=distribution_id, InvalidationBatch={
        "Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": f"deploy-{time.time_ns()}"})
    return {"uploaded": len(keep), "deleted": len(stale)}


def _keys(s3, bucket: str) -> list[str]:
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys.extend(o["Key"] for o in page.get("Contents", []))
    return keys


def empty_bucket(s3, bucket: str) -> int:
    """Delete every object and every version (a versioned bucket is empty only then)."""
    from botocore.exceptions import ClientError
    removed = 0
    try:
        pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
        for page in pages:
            batch = [{"Key": v["Key"], "VersionId": v["VersionId"]}
                     for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            if batch:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
                removed += len(batch)
    except ClientError as err:
        if err.response["Error"]["Code"] != "NoSuchBucket":
            raise
    return removed


# ------------------------------------------------------------------ teardown

def delete_stack(cfn, s3, dynamodb, cognito, secrets, stage: str, wait: dict = WAIT) -> list[str]:
    """Delete the stage's stack and, with it, its data: the tables, files bucket and user pool
    it retains are deleted explicitly (they survive stack deletion on purpose: a stack deleted
    by mistake must not take patron data and operator accounts with it)."""
    from botocore.exceptions import ClientError
    name = stack_name(stage)
    if stack_status(cfn, name) is None:
        return [f"{name}: no such stack"]
    template = cfn.get_template(StackName=name)["TemplateBody"]
    retained = _retained_logical_ids(template)
    resources = cfn.describe_stack_resources(StackName=name)["StackResources"]
    done = []
    for res in resources:  # buckets must be empty before CloudFormation or we can delete them
        if res["ResourceType"] == "AWS::S3::Bucket" and res.get("PhysicalResourceId"):
            done.append(f"emptied {res['PhysicalResourceId']} ({empty_bucket(s3, res['PhysicalResourceId'])} objects)")
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    if stack.get("EnableTerminationProtection"):  # on for prod: DELETE_DATA=yes is the say-so
        cfn.update_termination_protection(StackName=name, EnableTerminationProtection=False)
    cfn.delete_stack(StackName=name)
    cfn.get_waiter("stack_delete_complete").wait(StackName=name, WaiterConfig=wait)
    done.append(f"deleted stack {name}")
    for res in resources:
        if res["LogicalResourceId"] not in retained or not res.get("PhysicalResourceId"):
            continue
        kind, physical = res["ResourceType"], res["PhysicalResourceId"]
        try:
            if kind == "AWS::DynamoDB::Table":
                dynamodb.delete_table(TableName=physical)
            elif kind == "AWS::S3::Bucket":
                empty_bucket(s3, physical)
                s3.delete_bucket(Bucket=physical)
            elif kind == "AWS::Cognito::UserPool":
                cognito.delete_user_pool(UserPoolId=physical)
            else:
                continue
        except ClientError as err:
            if err.response["Error"]["Code"] not in ("ResourceNotFoundException", "NoSuchBucket"):
                raise
        done.append(f"deleted retained {kind} {physical}")
    secret = outputs.get("PatronTokenSecretArn")
    if secret:  # CloudFormation schedules it for deletion; the name must be free for a redeploy
        try:
            secrets.delete_secret(SecretId=secret, ForceDeleteWithoutRecovery=True)
            done.append(f"deleted secret {secret}")
        except ClientError as err:
            if err.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
    return done


def _retained_logical_ids(template) -> set[str]:
    if isinstance(template, str):
        from cfnlint.decode import decode_str  # YAML with short-form tags, as CloudFormation reads it
        template, _ = decode_str(template)
    return {logical for logical, res in template.get("Resources", {}).items()
            if res.get("DeletionPolicy") == "Retain" and res.get("Type") in RETAINED_TYPES}


# ------------------------------------------------------------------ smoke test

def smoke(rest_url: str, opener=urllib.request.urlopen) -> dict:
    """GET /health on the deployed REST API: the Lambda starts, reads its settings and answers."""
    last = None
    for _ in range(6):  # a fresh API Gateway deployment can take a few seconds to answer
        try:
            with opener(f"{rest_url}/health", timeout=15) as resp:
                body = json.load(resp)
            if body == {"ok": True}:
                return body
            last = body
        except OSError as err:
            last = err
        time.sleep(5)
    raise DeployError(f"{rest_url}/health did not answer {{\"ok\": true}}: {last}")


# ------------------------------------------------------------------ command line

def _session():
    import boto3
    session = boto3.session.Session()
    if not session.region_name:
        raise DeployError("no AWS region: set AWS_REGION (or AWS_DEFAULT_REGION, or a profile's region)")
    return session


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("infra")
    p.add_argument("--stage", required=True)
    p.add_argument("--origins", required=True)
    p.add_argument("--retention-days", default="30")
    p.add_argument("--log-retention-days", default="30")
    p.add_argument("--alarm-email", default="")
    p.add_argument("--template", default=str(TEMPLATE))
    p.add_argument("--out", required=True)
    p = sub.add_parser("outputs")
    p.add_argument("--stage", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("state")
    p.add_argument("direction", choices=["pull", "push"])
    p.add_argument("--stage", required=True)
    p.add_argument("--outputs", required=True)
    p = sub.add_parser("check-site")
    p.add_argument("--site-dir", default=str(ROOT / "widget"))
    p = sub.add_parser("publish")
    p.add_argument("--outputs", required=True)
    p.add_argument("--site-dir", default=str(ROOT / "widget"))
    p.add_argument("--site-config", required=True)
    p = sub.add_parser("unpublish")
    p.add_argument("--outputs", required=True)
    p = sub.add_parser("smoke")
    p.add_argument("--deployed", required=True)
    p = sub.add_parser("delete-stack")
    p.add_argument("--stage", required=True)
    p.add_argument("--delete-data", action="store_true", required=True)
    args = parser.parse_args(argv)

    if args.command == "smoke":
        from . import endpoints as ep
        rest = ep.endpoints(ep.load(args.deployed)).rest_url
        smoke(rest)
        print(f"smoke test: {rest}/health answers {{\"ok\": true}}")
        return 0
    if args.command == "check-site":
        check_site(Path(args.site_dir))
        print(f"front ends: {args.site_dir} has its vendored files")
        return 0
    session = _session()
    if args.command == "infra":
        origins = [o.strip() for o in args.origins.split(",") if o.strip()]
        bad = [o for o in origins if not o.startswith("https://") or o.count("/") != 2]
        if not origins or bad:
            raise DeployError(f"ALLOWED_ORIGINS must be https://host[,https://host...], got {args.origins!r}")
        outputs = deploy_stack(session.client("cloudformation"), args.stage, {
            "Stage": args.stage, "AllowedOrigins": ",".join(origins),
            "RetentionDays": args.retention_days, "LogRetentionDays": args.log_retention_days,
            "AlarmEmail": args.alarm_email}, Path(args.template).read_text())
        Path(args.out).write_text(json.dumps(outputs, indent=2) + "\n")
        return 0
    if args.command == "outputs":
        cfn = session.client("cloudformation")
        if stack_status(cfn, stack_name(args.stage)) is None:
            print(f"no stack {stack_name(args.stage)}", file=sys.stderr)
            return NO_STACK
        Path(args.out).write_text(json.dumps(stack_outputs(cfn, stack_name(args.stage)), indent=2) + "\n")
        return 0
    outputs = json.loads(Path(args.outputs).read_text())
    s3 = session.client("s3")
    if args.command == "state":
        path = ROOT / ".chalice" / "deployed" / f"{args.stage}.json"
        fn = pull_state if args.direction == "pull" else push_state
        print(f"Chalice deploy record: {fn(s3, outputs['DeployBucketName'], args.stage, path)}")
    elif args.command == "publish":
        check_site(Path(args.site_dir))
        config = json.loads(Path(args.site_config).read_text())
        done = publish_site(s3, session.client("cloudfront"), outputs["SiteBucketName"],
                            outputs["SiteDistributionId"], Path(args.site_dir), config)
        print(f"front ends: {done['uploaded']} files at {outputs['SiteUrl']}/ "
              f"({done['deleted']} stale removed)")
    elif args.command == "unpublish":
        print(f"front ends: removed {empty_bucket(s3, outputs['SiteBucketName'])} files")
    elif args.command == "delete-stack":
        for line in delete_stack(session.client("cloudformation"), s3, session.client("dynamodb"),
                                 session.client("cognito-idp"), session.client("secretsmanager"),
                                 args.stage):
            print(line)
    return 0


if __name__ == "__main__":
    from botocore.exceptions import BotoCoreError, ClientError
    try:
        sys.exit(main())
    except (DeployError, BotoCoreError, ClientError) as err:  # AWS's message says it best
        print(f"deploy: {err}", file=sys.stderr)
        sys.exit(2)
