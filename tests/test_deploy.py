"""The deploy, proven without an AWS account: with the tools AWS ships for checking templates
(Chalice's own packager, cfn-lint, aws-sam-translator), with moto, and with the deploy
scripts run against stand-ins for `python -m scripts...` and `chalice`.

- `chalice package` succeeds for every stage (as scripts/deploy.sh runs it, PIP_NO_DEPS=1);
  cfn-lint finds nothing in the SAM template, which aws-sam-translator transforms into plain
  CloudFormation that cfn-lint also passes; every Lambda role carries exactly its stage's
  policy file.
- The zip is under 1 MB, ships nothing the Lambda runtime provides, and runs: unpacked next to
  boto3 and its dependencies only (what the runtime has), `app.app` answers GET /health.
- The two-phase deploy: Chalice's planner and executor (AWS calls faked) produce the deploy
  record; the config writer and the front-end config generator read the WebSocket and REST
  URLs from it; the patron widget's and the dashboard's own config code resolve to them.
- The boto3 steps (stack, deploy record, publishing the front ends, the first admin,
  deleting everything) run against moto; the bash scripts call the steps in order, deploy
  twice only when the WebSocket URLs changed, and keep data unless told otherwise.
"""
from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from scripts import deploytool, endpoints, frontend_config, package_check, write_config
from tests.stacks import load_template, moto_template, stack_parameters

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("dev", "prod")
CHALICE = Path(sys.executable).with_name("chalice")
REGION = "eu-west-1"


def _aws_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PIP_"))}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1", "PIP_NO_DEPS": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1"}, **extra)
    return env


@pytest.fixture(scope="session")
def packaged(tmp_path_factory) -> dict[str, Path]:
    """`chalice package` for each stage, once per session, outside the working tree; also
    the project copy (`"project"`), whose package cache later deploys reuse."""
    root = tmp_path_factory.mktemp("chalice-package")
    project = package_check.copy_project(root / "project")
    out = {"project": project}
    for stage in STAGES:
        proc = subprocess.run([str(CHALICE), "package", "--stage", stage, str(root / stage)],
                              cwd=project, env=_aws_env(), capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, f"chalice package --stage {stage}:\n{proc.stdout}\n{proc.stderr}"
        out[stage] = root / stage
    return out


def sam(packaged, stage) -> dict:
    return json.loads((packaged[stage] / "sam.json").read_text())


def functions(template: dict) -> dict:
    return {k: v for k, v in template["Resources"].items()
            if v["Type"] == "AWS::Serverless::Function"}


def _lint(text: str) -> list[str]:
    from cfnlint.api import ManualArgs, lint
    return [str(m) for m in lint(text, config=ManualArgs(regions=["us-east-1", REGION]))
            if m.rule.id[0] in "EW"]


# ------------------------------------------------------------------ the packaged SAM template


@pytest.mark.parametrize("stage", STAGES)
def test_chalice_package_builds_the_stage(packaged, stage):
    template = sam(packaged, stage)
    fns = functions(template)
    assert sorted(fn["Properties"]["Handler"] for fn in fns.values()) == [
        "app.app", "app.mail_events", "app.purge_transcripts", "app.remind_unclaimed", "app.ws_connect", "app.ws_disconnect",
        "app.ws_message"]
    for fn in fns.values():
        props = fn["Properties"]
        env = props["Environment"]["Variables"]
        assert props["Runtime"] == "python3.11" and props["CodeUri"] == "./deployment.zip"
        assert (env["STAGE"], env["TABLE_PREFIX"]) == (stage, f"libchat-{stage}")
        assert not [k for k in env if k == "PATRON_TOKEN_SECRET"]  # never in config.json


@pytest.mark.parametrize("stage", STAGES)
def test_sam_template_lints_clean(packaged, stage):
    assert _lint((packaged[stage] / "sam.json").read_text()) == []


@pytest.mark.parametrize("stage", STAGES)
def test_sam_template_transforms_to_clean_cloudformation(packaged, stage, monkeypatch):
    """aws-sam-translator is what CloudFormation runs for `Transform: AWS::Serverless`. It wants
    the code in S3, as `aws cloudformation package` leaves it."""
    from samtranslator.translator.transform import transform
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    template = sam(packaged, stage)
    for fn in functions(template).values():
        fn["Properties"]["CodeUri"] = "s3://deploy-bucket/deployment.zip"

    class NoManagedPolicies:
        def load(self):
            return {}

    out = transform(template, {}, NoManagedPolicies())
    kinds = {r["Type"] for r in out["Resources"].values()}
    assert "Transform" not in out and not any(k.startswith("AWS::Serverless") for k in kinds)
    assert {"AWS::Lambda::Function", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Route", "AWS::IAM::Role"} <= kinds
    assert _lint(json.dumps(out)) == []


@pytest.mark.parametrize("stage", STAGES)
def test_bounces_reach_the_mail_events_lambda_through_the_stacks_topic(packaged, stage):
    """Three parts must name one topic: the infra stack's MailEventsTopic, the configuration set's
    SNS destination (SES publishes there) and Chalice's subscription of app.mail_events."""
    from tests.stacks import load_template, resolve
    template = load_template()
    res = template["Resources"]
    topic = resolve(res["MailEventsTopic"]["Properties"]["TopicName"], {"Stage": stage})
    destination = res["MailEventDestination"]["Properties"]
    assert destination["EventDestination"]["SnsDestination"]["TopicARN"] == {"Ref": "MailEventsTopic"}
    assert set(destination["EventDestination"]["MatchingEventTypes"]) == {"bounce", "complaint"}
    assert destination["ConfigurationSetName"] == {"Ref": "MailConfigurationSet"}
    (fn,) = [f for f in functions(sam(packaged, stage)).values() if f["Properties"]["Handler"] == "app.mail_events"]
    (event,) = fn["Properties"]["Events"].values()
    assert event["Type"] == "SNS"
    assert event["Properties"]["Topic"] == {
        "Fn::Sub": f"arn:${{AWS::Partition}}:sns:${{AWS::Region}}:${{AWS::AccountId}}:{topic}"}
    # the sender names the set, and the stage's policy lets it (tests/test_iam_policy.py sends)
    sets = resolve(res["MailConfigurationSet"]["Properties"]["Name"], {"Stage": stage})
    assert template["Outputs"]["MailConfigurationSet"]["Value"] == {"Ref": "MailConfigurationSet"}
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    (mail,) = [st for st in policy["Statement"] if st.get("Sid") == "Mail"]
    assert f"arn:aws:ses:*:*:configuration-set/{sets}" in mail["Resource"]


@pytest.mark.parametrize("stage", STAGES)
def test_every_lambda_role_carries_exactly_the_stage_policy(packaged, stage):
    policy = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    roles = [r for r in sam(packaged, stage)["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    assert len(roles) == 7  # REST, the three WebSocket routes, the scheduled reminder and purge, mail events
    for role in roles:
        props = role["Properties"]
        assert [p["PolicyDocument"] for p in props["Policies"]] == [policy]
        assert "ManagedPolicyArns" not in props
        (trust,) = props["AssumeRolePolicyDocument"]["Statement"]
        assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}


# ------------------------------------------------------------------ the zip


@pytest.mark.parametrize("stage", STAGES)
def test_zip_is_small_and_ships_only_what_the_runtime_lacks(packaged, stage):
    path = packaged[stage] / "deployment.zip"
    assert package_check.problems(path) == []
    with zipfile.ZipFile(path) as zf:
        entries = package_check.top_level(zf.namelist())
    assert {"pynamodb", "app", "chalicelib", "chalice"} <= entries
    assert package_check.requirement_closure_gaps(ROOT / "requirements.txt") == []


def test_package_check_refuses_a_fat_or_compiled_zip(tmp_path):
    fat = tmp_path / "fat.zip"
    with zipfile.ZipFile(fat, "w") as zf:
        for name in ("app.py", "chalicelib/__init__.py", "chalice/app.py", "botocore/__init__.py",
                     "chalicelib/__pycache__/api.cpython-311.pyc"):
            zf.writestr(name, "")
    found = package_check.problems(fat, max_bytes=10)
    assert len(found) == 3
    assert [any(word in line for line in found) for word in ("budget", "botocore", "bytecode")] == [True] * 3


def test_zip_answers_a_request_on_a_lambda_like_python(packaged, tmp_path):
    """Unpacked beside boto3 and its dependencies only (what Lambda's Python runtime has), in
    an isolated interpreter: every chalicelib module imports (the RS256 check included: it is
    standard library only), and the REST handler answers GET /health as API Gateway would
    invoke it."""
    task = tmp_path / "task"
    with zipfile.ZipFile(packaged["prod"] / "deployment.zip") as zf:
        zf.extractall(task)
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    import boto3
    site = Path(boto3.__file__).resolve().parent.parent
    for name in package_check.RUNTIME_PROVIDED:
        src = site / name if (site / name).exists() else site / f"{name}.py"
        (runtime / src.name).symlink_to(src)
    event = {"resource": "/health", "path": "/health", "httpMethod": "GET", "headers": {},
             "multiValueHeaders": {}, "queryStringParameters": None,
             "multiValueQueryStringParameters": None, "pathParameters": None,
             "stageVariables": None, "body": None, "isBase64Encoded": False,
             "requestContext": {"resourcePath": "/health", "httpMethod": "GET", "stage": "api",
                                "path": "/api/health", "requestId": "r1",
                                "identity": {"sourceIp": "192.0.2.1"}}}
    code = f"""
import importlib, json, pkgutil, sys
sys.path[:0] = [{str(task)!r}, {str(runtime)!r}]
import app, chalicelib
for mod in pkgutil.walk_packages(chalicelib.__path__, "chalicelib."):
    importlib.import_module(mod.name)
resp = app.app({json.dumps(event)!r} and json.loads({json.dumps(event)!r}), None)
outside = sorted({{m.split(".")[0] for m, v in list(sys.modules.items())
    if getattr(v, "__file__", None) and "site-packages" in v.__file__}})
print(json.dumps({{"response": resp, "outside": outside}}))
"""
    env = _aws_env(STAGE="prod", TABLE_PREFIX="libchat-prod", PATRON_TOKEN_SECRET="s" * 40,
                   AWS_REGION=REGION, AWS_LAMBDA_FUNCTION_NAME="library-chat-prod")
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["response"]["statusCode"] == 200
    assert json.loads(result["response"]["body"]) == {"ok": True}
    assert result["outside"] == [], "modules loaded from outside the zip and the runtime"


# ------------------------------------------------------------------ the two-phase deploy


class FakeAWS:
    """The AWS API calls of Chalice's deploy executor, answered with made-up ids."""
    region_name, partition_name = REGION, "aws"
    ids = {"import_rest_api": "r3st4pi1d0", "create_websocket_api": "w5api1d000",
           "create_websocket_integration": "integ1", "deploy_websocket_api": "dep1"}

    def endpoint_dns_suffix(self, service, region):
        return "amazonaws.com"

    def service_principal(self, service, region, dns_suffix):
        return f"{service}.amazonaws.com"

    def __getattr__(self, method):
        def call(**kwargs):
            if method == "create_function":
                return f"arn:aws:lambda:{REGION}:123456789012:function:{kwargs['function_name']}"
            if method == "create_role":
                return f"arn:aws:iam::123456789012:role/{kwargs['name']}"
            return self.ids.get(method)
        return call


@pytest.fixture(scope="session")
def deploy_record(packaged) -> dict:
    """`.chalice/deployed/prod.json` as the first `chalice deploy --stage prod` writes it:
    Chalice's own deployer (build, plan, execute, record), with only the AWS API calls of its
    executor answered by FakeAWS; the planner's existence checks go to an empty moto."""
    from chalice.cli.factory import CLIFactory
    from chalice.deploy import deployer
    from chalice.deploy.executor import Executor
    from chalice.utils import UI
    from moto import mock_aws
    project = packaged["project"]  # its package cache: no pip run here
    ui = UI(out=io.StringIO(), err=io.StringIO())
    with mock_aws():
        factory = CLIFactory(str(project))
        config = factory.create_config_obj(chalice_stage_name="prod")
        chalice_deployer = deployer._create_deployer(  # create_default_deployer, executor swapped
            factory.create_botocore_session(), config, ui,
            lambda client, ui: Executor(FakeAWS(), ui), deployer.ResultsRecorder)
        chalice_deployer.deploy(config, chalice_stage_name="prod")
    return json.loads((project / ".chalice" / "deployed" / "prod.json").read_text())


def test_endpoints_come_from_chalices_deploy_record(deploy_record):
    urls = endpoints.endpoints(deploy_record)
    assert urls.rest_url == f"https://r3st4pi1d0.execute-api.{REGION}.amazonaws.com/api"
    assert urls.ws_url == f"wss://w5api1d000.execute-api.{REGION}.amazonaws.com/api"
    assert urls.ws_management_endpoint == f"https://w5api1d000.execute-api.{REGION}.amazonaws.com/api"
    for broken in ({"resources": []},
                   {"resources": [r for r in deploy_record["resources"] if r["resource_type"] != "websocket_api"]},
                   {"resources": [{**r, "websocket_api_url": "wss://evil.example/api/"}
                                  if r["resource_type"] == "websocket_api" else r
                                  for r in deploy_record["resources"]]}):
        with pytest.raises(endpoints.DeployRecordError):
            endpoints.endpoints(broken)


def _outputs(stage: str = "prod") -> dict:
    from tests.plugins.iam import StageNames
    names = StageNames(stage, REGION)
    return {"Stage": stage, "Region": REGION, "TablePrefix": names.table_prefix,
            "RetentionDays": "30", "UserPoolId": f"{REGION}_AbCdEf123",
            "UserPoolClientId": "4kd9example", "PatronTokenSecretArn": names.secret_arn("Q1w2E3"),
            "FilesBucketName": names.files_bucket, "OperatorsTopicArn": names.operators_topic_arn,
            "SiteBucketName": "site", "SiteDistributionId": "E123", "SiteUrl": "https://d1.cloudfront.net",
            "DashboardUrl": "https://d1.cloudfront.net/dashboard/",
            "MailConfigurationSet": f"libchat-{stage}", "PublicUrl": "https://d1.cloudfront.net",
            "MailEventsTopicArn": f"arn:aws:sns:{REGION}:1:libchat-{stage}-mail-events",
            "DeployBucketName": "deploy", "AlarmTopicArn": "arn:aws:sns:x:1:a"}


def test_config_writer_two_phases_and_the_lambda_settings_they_make(deploy_record, monkeypatch):
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    first = write_config.apply_outputs(config, "prod", _outputs())
    env = first["stages"]["prod"]["environment_variables"]
    assert {v: env[v] for v in write_config.OUTPUT_ENV.values()} == {
        v: str(_outputs()[k]) for k, v in write_config.OUTPUT_ENV.items()}
    assert env["QUEUES"] == config["stages"]["prod"]["environment_variables"]["QUEUES"]  # kept
    assert first["stages"]["dev"] == config["stages"]["dev"]  # other stages untouched
    assert "WS_URL" not in env or env["WS_URL"] == config["stages"]["prod"]["environment_variables"]["WS_URL"]
    second = write_config.apply_endpoints(first, "prod", endpoints.endpoints(deploy_record))
    env2 = second["stages"]["prod"]["environment_variables"]
    assert env2["WS_URL"] == f"wss://w5api1d000.execute-api.{REGION}.amazonaws.com/api"
    assert env2["WS_MANAGEMENT_ENDPOINT"] == f"https://w5api1d000.execute-api.{REGION}.amazonaws.com/api"
    again = write_config.apply_endpoints(write_config.apply_outputs(second, "prod", _outputs()),
                                         "prod", endpoints.endpoints(deploy_record))
    assert write_config.dumps(again) == write_config.dumps(second)  # idempotent

    # the Lambda's settings from that environment, the key read from Secrets Manager
    import boto3
    from moto import mock_aws
    from chalicelib import wiring
    from chalicelib.settings import Settings
    with mock_aws():
        arn = boto3.client("secretsmanager", region_name=REGION).create_secret(
            Name="libchat-prod/patron-token-secret", SecretString="k" * 64)["ARN"]
        lambda_env = {**env2, "PATRON_TOKEN_SECRET_ARN": arn, "AWS_REGION": REGION}
        monkeypatch.setattr(wiring, "_state", {})
        settings = Settings.from_env(wiring._with_patron_token_secret(lambda_env))
    assert settings.patron_token_secret == b"k" * 64 and settings.region == REGION
    assert settings.ws_management_endpoint == env2["WS_MANAGEMENT_ENDPOINT"]
    assert settings.files_bucket == _outputs()["FilesBucketName"]


def test_config_writer_refuses_what_would_be_guessed_or_leaked():
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    with pytest.raises(write_config.ConfigError, match="UserPoolId"):
        write_config.apply_outputs(config, "prod", {k: v for k, v in _outputs().items() if k != "UserPoolId"})
    with pytest.raises(write_config.ConfigError, match="stage 'dev'"):
        write_config.apply_outputs(config, "prod", _outputs("dev"))
    with pytest.raises(write_config.ConfigError, match="no stage"):
        write_config.apply_outputs(config, "staging", _outputs("staging"))
    leaky = json.loads(json.dumps(config))
    leaky["stages"]["prod"]["environment_variables"]["PATRON_TOKEN_SECRET"] = "x" * 40
    with pytest.raises(write_config.ConfigError, match="must not be in"):
        write_config.apply_outputs(leaky, "prod", _outputs())


def test_config_writer_command_reports_change(tmp_path, deploy_record, capsys):
    cfg = tmp_path / "config.json"
    shutil.copy2(ROOT / ".chalice" / "config.json", cfg)
    (tmp_path / "outputs.json").write_text(json.dumps(_outputs()))
    (tmp_path / "prod.json").write_text(json.dumps(deploy_record))
    args = ["--stage", "prod", "--outputs", str(tmp_path / "outputs.json"), "--config", str(cfg)]
    assert write_config.main(args) == 0 and capsys.readouterr().out == "changed\n"
    assert write_config.main(args) == 0 and capsys.readouterr().out == "unchanged\n"
    assert write_config.main(args + ["--deployed", str(tmp_path / "prod.json")]) == 0
    assert capsys.readouterr().out == "changed\n"
    assert write_config.main(args + ["--deployed", str(tmp_path / "prod.json")]) == 0
    assert capsys.readouterr().out == "unchanged\n"


def test_frontend_config_points_the_front_ends_at_the_deployed_urls(deploy_record, tmp_path):
    config = frontend_config.frontend_config(deploy_record, {"offline": {"email": "ask@library.example"},
                                                             "restUrl": "https://wrong.example"})
    assert config == {"offline": {"email": "ask@library.example"},
                      "restUrl": f"https://r3st4pi1d0.execute-api.{REGION}.amazonaws.com/api",
                      "wsUrl": f"wss://w5api1d000.execute-api.{REGION}.amazonaws.com/api"}
    (tmp_path / "record.json").write_text(json.dumps(deploy_record))
    assert frontend_config.main(["--deployed", str(tmp_path / "record.json"),
                                 "--out", str(tmp_path / "config.json")]) == 0
    assert json.loads((tmp_path / "config.json").read_text())["wsUrl"] == config["wsUrl"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed by `make test`")
def test_widget_and_dashboard_resolve_the_generated_config(deploy_record):
    """The front ends' own config code, fed the generated file on the CloudFront site."""
    config = frontend_config.frontend_config(deploy_record)
    script = f"""
const patron = await import({json.dumps((ROOT / "widget/patron/config.js").as_uri())});
const dashboard = await import({json.dumps((ROOT / "widget/dashboard/logic.js").as_uri())});
const site = new URL("https://d1example.cloudfront.net/patron/index.html");
const file = {json.dumps(config)};
const p = patron.resolveConfig({{ location: site, search: "", fileJson: file, navigatorLang: "en" }});
const d = dashboard.resolveConfig(file, new URL("https://d1example.cloudfront.net/dashboard/"));
console.log(JSON.stringify({{ patron: [p.restUrl, p.wsUrl], dashboard: [d.restUrl, d.wsUrl] }}));
"""
    out = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True,
                         text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    urls = json.loads(out.stdout)
    assert urls["patron"] == urls["dashboard"] == [config["restUrl"], config["wsUrl"]]


def test_publishing_needs_the_vendored_chart_library(tmp_path, capsys):
    """`make vendor` copies the chart library out of widget/node_modules (not in git): a site
    without it is refused with what to run, before anything is uploaded."""
    site = tmp_path / "widget"
    (site / "dashboard").mkdir(parents=True)
    with pytest.raises(deploytool.DeployError, match="make vendor"):
        deploytool.check_site(site)
    assert deploytool.missing_vendor_files(site) == list(deploytool.VENDOR_FILES)
    (site / "dashboard" / "vendor").mkdir()
    for rel in deploytool.VENDOR_FILES:
        (site / rel).write_text("/* vendored */")
    (site / deploytool.VENDOR_FILES[1]).write_text("")  # an interrupted copy
    assert deploytool.missing_vendor_files(site) == [deploytool.VENDOR_FILES[1]]
    (site / deploytool.VENDOR_FILES[1]).write_text("/* vendored */")
    assert deploytool.main(["check-site", "--site-dir", str(site)]) == 0
    assert "vendored files" in capsys.readouterr().out
    assert {"dashboard/vendor/chart.umd.min.js"} <= set(deploytool.site_files(site))


# ------------------------------------------------------------------ the boto3 steps, on moto


def test_deploy_steps_on_moto(tmp_path, deploy_record):
    import boto3
    from moto import mock_aws
    wait = {"Delay": 0, "MaxAttempts": 2}
    body, _ = moto_template(load_template())
    params = {p["ParameterKey"]: p["ParameterValue"] for p in stack_parameters("qa")}
    with mock_aws(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        session = boto3.session.Session(region_name=REGION)
        cfn, s3 = session.client("cloudformation"), session.client("s3")
        outputs = deploytool.deploy_stack(cfn, "qa", params, json.dumps(body), wait)
        assert outputs["TablePrefix"] == "libchat-qa" and outputs["Region"] == REGION
        assert deploytool.deploy_stack(cfn, "qa", params, json.dumps(body), wait) == outputs

        # Chalice's record: S3 is the truth, a fresh clone gets it back
        record = tmp_path / "deployed" / "qa.json"
        assert deploytool.pull_state(s3, outputs["DeployBucketName"], "qa", record).startswith("none")
        record.parent.mkdir()
        record.write_text(json.dumps(deploy_record))
        assert deploytool.push_state(s3, outputs["DeployBucketName"], "qa", record) == "stored"
        record.unlink()
        assert deploytool.pull_state(s3, outputs["DeployBucketName"], "qa", record) == "fetched"
        assert json.loads(record.read_text()) == deploy_record

        # the front ends, with the generated config.json; stale files go
        s3.put_object(Bucket=outputs["SiteBucketName"], Key="old/gone.js", Body=b"")
        cloudfront = session.client("cloudfront")
        dist = cloudfront.create_distribution(DistributionConfig={
            "CallerReference": "t", "Comment": "", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "site", "DomainName": "site.s3.amazonaws.com",
                                                  "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
                                     "MinTTL": 0}})["Distribution"]["Id"]
        site_config = frontend_config.frontend_config(deploy_record)
        done = deploytool.publish_site(s3, cloudfront, outputs["SiteBucketName"], dist,
                                       ROOT / "widget", site_config)
        keys = {o["Key"] for o in s3.list_objects_v2(Bucket=outputs["SiteBucketName"])["Contents"]}
        assert done["deleted"] == 1 and "old/gone.js" not in keys
        assert {"config.json", "index.html", "patron/index.html", "dashboard/index.html"} <= keys
        assert not [k for k in keys if k.startswith("tests/") or k == "package.json"]
        got = s3.get_object(Bucket=outputs["SiteBucketName"], Key="config.json")
        assert json.loads(got["Body"].read()) == site_config and got["CacheControl"] == "no-cache"
        js = s3.head_object(Bucket=outputs["SiteBucketName"], Key="patron/main.js")
        assert js["ContentType"].startswith("text/javascript")
        assert cloudfront.list_invalidations(DistributionId=dist)["InvalidationList"]["Quantity"] == 1

        # the first admin can sign in through the service's own authenticator
        from scripts.create_operator import create_operator
        from chalicelib.adapters.cognito import CognitoAuthenticator
        from chalicelib.adapters import dynamo
        idp = session.client("cognito-idp")
        pool = idp.create_user_pool(PoolName="libchat-qa-operators")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(UserPoolId=pool, ClientName="dashboard",
                                                ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])["UserPoolClient"]["ClientId"]
        ops = {**outputs, "UserPoolId": pool}
        said = create_operator(idp, ops, username="ada", name="Ada Admin", role="admin",
                               max_chats=3, password="Library-Admin-2026")
        assert said == "created operator ada (Ada Admin, admin, max 3 chats)"
        assert create_operator(idp, ops, username="ada", name="Ada A.", role="admin", max_chats=2,
                               password="Library-Admin-2027").startswith("updated")
        auth = CognitoAuthenticator(lambda name: session.client(name), region=REGION,
                                    user_pool_id=pool, client_id=client_id, jwks_url="file:///dev/null")
        token, _, _ = auth.login("ada", "Library-Admin-2027")
        assert token
        operator = dynamo.repositories(REGION).operators.get("ada")
        assert (operator.name, operator.role, operator.max_chats) == ("Ada A.", "admin", 2)

        # make destroy DELETE_DATA=yes: the stack, then what it retains
        ddb = session.client("dynamodb")
        assert len(ddb.list_tables()["TableNames"]) == len(dynamo.MODELS)
        done = deploytool.delete_stack(cfn, s3, ddb, idp, session.client("secretsmanager"), "qa", wait)
        assert "deleted stack libchat-qa" in done
        retained = [line for line in done if line.startswith("deleted retained")]
        assert len([line for line in retained if "AWS::DynamoDB::Table" in line]) == len(dynamo.MODELS)
        assert f"deleted retained AWS::S3::Bucket {outputs['FilesBucketName']}" in retained
        assert ddb.list_tables()["TableNames"] == []
        assert outputs["FilesBucketName"] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
        assert deploytool.stack_status(cfn, "libchat-qa") is None
        assert deploytool.delete_stack(cfn, s3, ddb, idp, session.client("secretsmanager"), "qa", wait) == [
            "libchat-qa: no such stack"]


def test_smoke_test_waits_for_health_and_fails_loudly(monkeypatch):
    monkeypatch.setattr(deploytool.time, "sleep", lambda s: None)
    answers = iter([OSError("not yet"), {"ok": True}])

    def opener(url, timeout):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return io.BytesIO(json.dumps(answer).encode())

    assert deploytool.smoke("https://x.execute-api.eu-west-1.amazonaws.com/api", opener) == {"ok": True}
    with pytest.raises(deploytool.DeployError):
        deploytool.smoke("https://x", lambda url, timeout: io.BytesIO(b'{"ok": false}'))


# ------------------------------------------------------------------ the bash scripts


def _script_sandbox(tmp_path: Path, ws_changed: str = "changed") -> tuple[Path, dict, Path]:
    """A copy of the scripts in a scratch checkout, with `python` and `chalice` replaced by
    stand-ins that log their arguments (and answer what the scripts read back)."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("deploy.sh", "destroy.sh", "common.sh"):
        shutil.copy2(ROOT / "scripts" / name, repo / "scripts")
    (repo / ".chalice").mkdir()
    shutil.copy2(ROOT / ".chalice" / "config.json", repo / ".chalice")
    (repo / "chalicelib" / "__pycache__").mkdir(parents=True)
    log = tmp_path / "calls.log"
    fake_python = tmp_path / "python"
    fake_python.write_text(f"""#!/usr/bin/env bash
if [ "$1" = -c ]; then exec {sys.executable} "$@"; fi
echo "python $*" >> {log}
out=""; prev=""
for a in "$@"; do [ "$prev" = --out ] && out="$a"; prev="$a"; done
case "$*" in
  *"scripts.write_config"*"--deployed"*) echo "$WS_CHANGED" ;;
  *"scripts.deploytool infra"*|*"scripts.deploytool outputs"*)
    [ -n "$NO_STACK" ] && exit 3
    echo '{{"SiteUrl": "https://d1.cloudfront.net"}}' > "$out" ;;
esac
if [ -n "$FAIL_ON" ] && [[ "$*" == *"$FAIL_ON"* ]]; then exit 1; fi
exit 0
""")
    fake_chalice = tmp_path / "chalice"
    fake_chalice.write_text(f"""#!/usr/bin/env bash
echo "chalice $* PIP_NO_DEPS=${{PIP_NO_DEPS:-unset}}" >> {log}
if [ "$1" = deploy ]; then mkdir -p .chalice/deployed; echo '{{"resources": [1]}}' > .chalice/deployed/$3.json; fi
if [ -n "$FAIL_ON" ] && [[ "chalice $*" == *"$FAIL_ON"* ]]; then exit 1; fi
exit 0
""")
    for path in (fake_python, fake_chalice):
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    env = {"PATH": os.environ["PATH"], "PYTHON": str(fake_python), "CHALICE": str(fake_chalice),
           "WS_CHANGED": ws_changed, "HOME": str(tmp_path)}
    return repo, env, log


def _run(repo: Path, script: str, env: dict, **extra) -> tuple[subprocess.CompletedProcess, list[str]]:
    proc = subprocess.run(["bash", str(repo / "scripts" / script)], env={**env, **extra},
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    log = Path(env["PYTHON"]).parent / "calls.log"
    calls = log.read_text().splitlines() if log.exists() else []
    return proc, [" ".join(c.split()[:3]) for c in calls]


def test_deploy_script_runs_the_steps_in_order_and_deploys_twice_on_first_run(tmp_path):
    repo, env, _ = _script_sandbox(tmp_path, ws_changed="changed")
    proc, calls = _run(repo, "deploy.sh", env, STAGE="prod", ALLOWED_ORIGINS="https://lib.example")
    assert proc.returncode == 0, proc.stderr
    assert calls == [
        "python -m scripts.deploytool",                                     # vendored files there
        "python -m scripts.deploytool", "python -m scripts.write_config",  # stack, outputs
        "chalice package --stage", "python -m scripts.package_check",      # checked package
        "python -m scripts.deploytool", "chalice deploy --stage", "python -m scripts.deploytool",
        "python -m scripts.write_config",                                   # WebSocket URLs
        "python -m scripts.deploytool", "chalice deploy --stage", "python -m scripts.deploytool",
        "python -m scripts.frontend_config", "python -m scripts.deploytool",  # front ends
        "python -m scripts.deploytool"]                                     # smoke test
    full = (tmp_path / "calls.log").read_text()
    assert "chalice package --stage prod" in full and "PIP_NO_DEPS=1" in full
    assert full.count("state pull") == 2 and full.count("state push") == 2
    assert "--origins https://lib.example" in full
    assert full.splitlines()[0] == "python -m scripts.deploytool check-site --site-dir widget"
    assert not (repo / "chalicelib" / "__pycache__").exists()
    assert "https://d1.cloudfront.net/dashboard/" in proc.stdout


def test_deploy_script_deploys_once_when_nothing_changed_and_keeps_the_record_on_failure(tmp_path):
    repo, env, _ = _script_sandbox(tmp_path, ws_changed="unchanged")
    proc, calls = _run(repo, "deploy.sh", env, STAGE="prod", ALLOWED_ORIGINS="https://lib.example")
    assert proc.returncode == 0 and calls.count("chalice deploy --stage") == 1

    repo, env, log = _script_sandbox(tmp_path / "again")
    proc, calls = _run(repo, "deploy.sh", env, STAGE="prod", ALLOWED_ORIGINS="https://lib.example",
                       FAIL_ON="chalice deploy")
    assert proc.returncode != 0
    assert calls[-2:] == ["chalice deploy --stage", "python -m scripts.deploytool"]
    assert "state push" in log.read_text().splitlines()[-1]
    assert "scripts.frontend_config" not in log.read_text()


def test_deploy_script_refuses_missing_settings(tmp_path):
    repo, env, _ = _script_sandbox(tmp_path)
    proc, calls = _run(repo, "deploy.sh", env, STAGE="prod")
    assert proc.returncode != 0 and "ALLOWED_ORIGINS" in proc.stderr and calls == []
    proc, calls = _run(repo, "deploy.sh", env, STAGE="staging", ALLOWED_ORIGINS="https://lib.example")
    assert proc.returncode == 2 and "no stage 'staging'" in proc.stderr and calls == []
    proc, calls = _run(repo, "deploy.sh", env, STAGE="prod", ALLOWED_ORIGINS="https://lib.example",
                       FAIL_ON="--deployed")  # an unreadable deploy record stops the deploy
    assert proc.returncode != 0 and "scripts.frontend_config" not in " ".join(calls)


def test_destroy_script_keeps_data_unless_asked(tmp_path):
    repo, env, log = _script_sandbox(tmp_path)
    (repo / ".chalice" / "deployed").mkdir()
    (repo / ".chalice" / "deployed" / "dev.json").write_text('{"resources": [1]}')
    proc, _ = _run(repo, "destroy.sh", env, STAGE="dev")
    assert proc.returncode == 0, proc.stderr
    text = log.read_text()
    assert "chalice delete --stage dev" in text and "deploytool unpublish" in text
    assert "delete-stack" not in text and "Kept:" in proc.stdout

    repo, env, log = _script_sandbox(tmp_path / "all")
    proc, _ = _run(repo, "destroy.sh", env, STAGE="dev", DELETE_DATA="yes")
    assert proc.returncode == 0, proc.stderr
    assert "deploytool delete-stack --stage dev --delete-data" in log.read_text()
    assert "chalice delete" not in log.read_text()  # nothing recorded: nothing to delete

    proc, _ = _run(repo, "destroy.sh", env, STAGE="dev", DELETE_DATA="maybe")
    assert proc.returncode == 2 and "yes or no" in proc.stderr

    repo, env, log = _script_sandbox(tmp_path / "none")
    proc, calls = _run(repo, "destroy.sh", env, STAGE="dev", NO_STACK="1")
    assert proc.returncode == 0 and "No infra stack" in proc.stdout and len(calls) == 1
    proc, calls = _run(repo, "destroy.sh", env, STAGE="dev", FAIL_ON="deploytool outputs")
    assert proc.returncode == 1 and "chalice" not in log.read_text()


@pytest.mark.parametrize("script", ["deploy.sh", "destroy.sh"])
def test_scripts_are_strict_bash(script):
    text = (ROOT / "scripts" / script).read_text()
    assert text.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in text
    subprocess.run(["bash", "-n", str(ROOT / "scripts" / script)], check=True, timeout=30)
    if shutil.which("shellcheck"):
        proc = subprocess.run(["shellcheck", "-x", f"scripts/{script}"], cwd=ROOT,  # -x: common.sh
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stdout
