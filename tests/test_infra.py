"""infra/template.yaml: lint-clean for CloudFormation, created by moto's CloudFormation, and
unable to drift from the code that uses it.

- cfn-lint (AWS's template linter) reports nothing on it.
- The stack is created in moto: every resource moto's CloudFormation implements is really
  created, and the tables it creates are compared with the PynamoDB models (keys, attribute
  types, GSIs, projections, billing); the TTL attribute and point-in-time recovery, which
  moto's CloudFormation does not apply, are compared from the template. The resource types
  moto lacks (CloudFront, Cognito, Secrets Manager, alarms, bucket policies) are replaced by
  placeholders, and the test names exactly which: when moto learns one, the test uses it.
- The names the stack gives (tables, bucket, topic, secret, log groups) are the ones the IAM
  policy files allow for that stage and no other stage, and the log groups and alarms name the
  functions `chalice deploy` creates (from Chalice's own application graph).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings

import pytest

from scripts import write_config
from tests.plugins import iam
from tests.stacks import MOTO_LACKS, ROOT, TEMPLATE, load_template, moto_template, resolve, stack_parameters


@pytest.fixture(scope="module")
def template() -> dict:
    return load_template()


@pytest.fixture(scope="module")
def moto_stack(template):
    """Create the stack for stage `qa` in moto; return what moto made, as plain data."""
    import boto3
    from moto import mock_aws
    body, lacking = moto_template(template)
    with mock_aws(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cfn = boto3.client("cloudformation", region_name="us-east-1")
        cfn.create_stack(StackName="libchat-qa", TemplateBody=json.dumps(body),
                         Parameters=stack_parameters("qa"))
        stack = cfn.describe_stacks(StackName="libchat-qa")["Stacks"][0]
        ddb = boto3.client("dynamodb", region_name="us-east-1")
        tables = {name: ddb.describe_table(TableName=name)["Table"]
                  for name in ddb.list_tables()["TableNames"]}
        logs = boto3.client("logs", region_name="us-east-1")
        groups = {g["logGroupName"]: g.get("retentionInDays")
                  for g in logs.describe_log_groups()["logGroups"]}
        buckets = [b["Name"] for b in boto3.client("s3", region_name="us-east-1").list_buckets()["Buckets"]]
        topics = [t["TopicArn"] for t in boto3.client("sns", region_name="us-east-1").list_topics()["Topics"]]
        resources = cfn.describe_stack_resources(StackName="libchat-qa")["StackResources"]
    return {"status": stack["StackStatus"], "outputs": {o["OutputKey"]: o["OutputValue"]
                                                        for o in stack.get("Outputs", [])},
            "tables": tables, "log_groups": groups, "buckets": buckets, "topics": topics,
            "resources": resources, "lacking": lacking}


def model_tables() -> dict:
    from chalicelib.adapters.dynamo import MODELS
    return MODELS


# ------------------------------------------------------------------ linting


def test_infra_template_is_lint_clean(template):
    from cfnlint.api import ManualArgs, lint
    matches = lint(TEMPLATE.read_text(), config=ManualArgs(regions=["us-east-1", "eu-west-1"]))
    assert [str(m) for m in matches if m.rule.id[0] in "EW"] == []
    assert len(TEMPLATE.read_bytes()) < 51_200, "TemplateBody limit: deploy via S3 beyond it"


# ------------------------------------------------------------------ moto's CloudFormation


def test_stack_creates_in_moto_with_only_the_known_gaps_stubbed(moto_stack):
    assert moto_stack["status"] == "CREATE_COMPLETE"
    assert moto_stack["lacking"] == MOTO_LACKS, (
        "moto's CloudFormation support changed: update MOTO_LACKS (and enjoy the new coverage)")
    created = {r["ResourceType"] for r in moto_stack["resources"]}
    assert {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::SNS::Topic",
            "AWS::Logs::LogGroup"} <= created


def _keys(key_schema: list[dict]) -> dict[str, str]:
    return {k["KeyType"]: k["AttributeName"] for k in key_schema}


def test_tables_match_the_pynamodb_models(moto_stack, template):
    """Keys, key attribute types, GSIs (keys and projection) and billing, from moto's tables;
    TTL attribute and PITR from the template. No table without a model, no model without one."""
    models = model_tables()
    tables = moto_stack["tables"]
    wanted = {f"libchat-qa-{kind}" for kind in models}
    assert (sorted(wanted - set(tables)), sorted(set(tables) - wanted)) == ([], []), (
        "(tables the models need that infra/template.yaml lacks, tables without a model)")
    by_name = {resolve(res["Properties"]["TableName"], {"Stage": "qa"}): res["Properties"]
               for res in template["Resources"].values() if res["Type"] == "AWS::DynamoDB::Table"}
    for kind, model in models.items():
        table, schema = tables[f"libchat-qa-{kind}"], model._get_schema()
        assert _keys(table["KeySchema"]) == _keys(schema["key_schema"]), kind
        model_types = {a["AttributeName"]: a["AttributeType"] for a in schema["attribute_definitions"]}
        table_types = {a["AttributeName"]: a["AttributeType"] for a in table["AttributeDefinitions"]}
        assert table_types == model_types, kind
        model_gsis = {i["index_name"]: (_keys(i["key_schema"]), i["projection"]["ProjectionType"])
                      for i in schema["global_secondary_indexes"]}
        table_gsis = {i["IndexName"]: (_keys(i["KeySchema"]), i["Projection"]["ProjectionType"])
                      for i in table.get("GlobalSecondaryIndexes", [])}
        assert table_gsis == model_gsis, kind
        assert not schema["local_secondary_indexes"] and not table.get("LocalSecondaryIndexes")
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST" == model.Meta.billing_mode
        props = by_name[f"libchat-qa-{kind}"]
        from pynamodb.attributes import TTLAttribute
        ttl = [n for n, a in model.get_attributes().items() if isinstance(a, TTLAttribute)]
        spec = props.get("TimeToLiveSpecification")
        assert ([spec["AttributeName"]] if spec and spec["Enabled"] else []) == ttl, kind
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, kind


def test_outputs_feed_every_setting_the_config_writer_needs(moto_stack, template):
    outputs, names = moto_stack["outputs"], iam.StageNames("qa")
    assert set(write_config.OUTPUT_ENV) <= set(template["Outputs"])
    assert outputs["TablePrefix"] == names.table_prefix
    assert outputs["FilesBucketName"] == names.files_bucket
    assert outputs["OperatorsTopicArn"] == names.operators_topic_arn
    assert outputs["RetentionDays"] == "30"  # chalicelib/settings.py's default too
    assert names.files_bucket in moto_stack["buckets"]
    assert names.operators_topic_arn in moto_stack["topics"]
    secret = template["Resources"]["PatronTokenSecret"]["Properties"]
    assert resolve(secret["Name"], {"Stage": "qa"}) == names.secret_name
    assert secret["GenerateSecretString"]["PasswordLength"] >= 32  # Settings wants >= 32


def _function_names(stage: str) -> list[str]:
    """What `chalice deploy` names the stage's Lambdas, from Chalice's application graph."""
    from chalice.cli.factory import CLIFactory
    from chalice.deploy import models
    from chalice.deploy.appgraph import ApplicationGraphBuilder, DependencyBuilder
    config = CLIFactory(str(ROOT)).create_config_obj(chalice_stage_name=stage)
    resources = DependencyBuilder().build_dependencies(ApplicationGraphBuilder().build(config, stage))
    return sorted(r.function_name for r in resources if isinstance(r, models.LambdaFunction))


def test_log_groups_and_alarms_watch_the_functions_chalice_deploys(moto_stack, template):
    functions = _function_names("qa")
    assert functions == sorted(["library-chat-qa", "library-chat-qa-websocket_connect",
                                "library-chat-qa-websocket_message",
                                "library-chat-qa-websocket_disconnect",
                                "library-chat-qa-remind_unclaimed",
                                "library-chat-qa-mail_events",
                                "library-chat-qa-purge_transcripts"])
    assert sorted(moto_stack["log_groups"]) == sorted(f"/aws/lambda/{f}" for f in functions)
    assert set(moto_stack["log_groups"].values()) == {30}
    alarmed = set()
    for res in template["Resources"].values():
        if res["Type"] == "AWS::CloudWatch::Alarm":
            for metric in res["Properties"]["Metrics"]:
                stat = metric.get("MetricStat")
                if stat and stat["Metric"]["Namespace"] == "AWS/Lambda":
                    (dim,) = stat["Metric"]["Dimensions"]
                    alarmed.add(resolve(dim["Value"], {"Stage": "qa"}))
    assert alarmed == set(functions)


def test_dynamodb_throttle_alarms_cover_every_table(template):
    tables = {f"{name}" for name, res in template["Resources"].items()
              if res["Type"] == "AWS::DynamoDB::Table"}
    for kind in ("Read", "Write"):  # a math alarm takes 10 metrics: split across alarms
        alarms = [name for name in template["Resources"]
                  if re.fullmatch(f"DynamoDB{kind}Throttle\\w*Alarm", name)]
        covered = []
        for alarm in alarms:
            metrics = template["Resources"][alarm]["Properties"]["Metrics"]
            refs = [m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]["Ref"] for m in metrics if "MetricStat" in m]
            (expression,) = [m["Expression"] for m in metrics if "Expression" in m]
            ids = {m["Id"] for m in metrics if "MetricStat" in m}
            assert len(metrics) <= 10, f"{alarm}: a metric-math alarm takes at most 10 metrics"
            assert set(re.findall(r"FILL\((\w+), 0\)", expression)) == ids, alarm
            covered += refs
        assert sorted(covered) == sorted(tables), kind  # every table once


# ------------------------------------------------------------------ names vs. IAM policies


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_policies_allow_their_own_stage_resources_and_no_other(stage, template):
    """The policy files name resources by infra/'s conventions: the stage's resources are
    reachable with the actions the code uses, the other stage's are not."""
    policy = iam.Policy.load(ROOT / ".chalice" / f"policy-{stage}.json")
    other = "prod" if stage == "dev" else "dev"
    for st_stage, expect in ((stage, True), (other, False)):
        names = iam.StageNames(st_stage, "eu-west-1", "210987654321")
        arn = f"arn:aws:dynamodb:eu-west-1:210987654321:table/{names.table_prefix}"
        checks = [iam.Permission("dynamodb:GetItem", f"{arn}-{kind}") for kind in model_tables()]
        checks += [iam.Permission("dynamodb:Query", f"{arn}-chats/index/by_waiting"),
                   iam.Permission("secretsmanager:GetSecretValue", names.secret_arn("x1Y2z3")),
                   iam.Permission("s3:GetObject", f"arn:aws:s3:::{names.files_bucket}/chats/c/f/a.pdf")]
        functions = _function_names(st_stage)
        checks += [iam.Permission("logs:PutLogEvents",
                                  f"arn:aws:logs:eu-west-1:210987654321:log-group:/aws/lambda/{f}"
                                  f":log-stream:2026/01/01/[$LATEST]abc") for f in functions]
        assert [str(c) for c in checks if policy.allows(c) != expect] == [], (stage, st_stage)
    assert not policy.allows(iam.Permission(
        "secretsmanager:GetSecretValue",
        iam.StageNames(stage).secret_arn("x1Y2z3") + "-longer"))


# ------------------------------------------------------------------ buckets and hosting


def test_files_bucket_is_private_encrypted_and_follows_retention(template):
    res = template["Resources"]["FilesBucket"]
    props = res["Properties"]
    assert res["DeletionPolicy"] == "Retain"
    assert props["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], True)
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    (lifecycle,) = props["LifecycleConfiguration"]["Rules"]
    assert lifecycle["Status"] == "Enabled" and lifecycle["ExpirationInDays"] == {"Ref": "RetentionDays"}
    (cors,) = props["CorsConfiguration"]["CorsRules"]
    assert "POST" in cors["AllowedMethods"]  # presigned POST uploads from the widget
    origins = cors["AllowedOrigins"]["Fn::Split"][1]["Fn::Sub"]
    assert origins[1]["Origins"] == {"Fn::Join": [",", {"Ref": "AllowedOrigins"}]}
    assert "${SiteDistribution.DomainName}" in origins[0]
    policy = template["Resources"]["FilesBucketPolicy"]["Properties"]["PolicyDocument"]
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
               for s in policy["Statement"])


def test_front_ends_are_served_from_a_private_bucket_through_cloudfront(template):
    res = template["Resources"]
    assert all(res["SiteBucket"]["Properties"]["PublicAccessBlockConfiguration"].values())
    (origin,) = res["SiteDistribution"]["Properties"]["DistributionConfig"]["Origins"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    (allow,) = [s for s in res["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
                if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert "AWS:SourceArn" in allow["Condition"]["StringEquals"]
    config = res["SiteDistribution"]["Properties"]["DistributionConfig"]
    behaviors = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    assert {b["ViewerProtocolPolicy"] for b in behaviors} == {"redirect-to-https"}
    cors = res["SiteHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["CorsConfig"]
    assert cors["AccessControlAllowOrigins"]["Items"] == {"Ref": "AllowedOrigins"}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed by `make test`")
def test_cloudfront_index_function_serves_directories(template):
    """The viewer-request function, run by Node on CloudFront-shaped events."""
    code = template["Resources"]["SiteIndexFunction"]["Properties"]["FunctionCode"]
    script = code + """
const cases = ["/", "/dashboard/", "/dashboard", "/patron/main.js", "/config.json", "/patron"];
console.log(JSON.stringify(cases.map((uri) => {
  const out = handler({ request: { uri, querystring: {}, headers: {} } });
  return out.statusCode ? [out.statusCode, out.headers.location.value] : out.uri;
})));
"""
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(out.stdout) == ["/index.html", "/dashboard/index.html", [301, "/dashboard/"],
                                      "/patron/main.js", "/config.json", [301, "/patron/"]]


def test_stateful_resources_survive_stack_deletion_and_replacement(template):
    for name, res in template["Resources"].items():
        if res["Type"] in ("AWS::DynamoDB::Table", "AWS::Cognito::UserPool") or name == "FilesBucket":
            assert (res.get("DeletionPolicy"), res.get("UpdateReplacePolicy")) == ("Retain", "Retain"), name
