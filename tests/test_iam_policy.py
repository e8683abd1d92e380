"""The stages' IAM policies grant exactly what the runtime code calls.

`test_policies_match_the_calls_the_handlers_make` drives every handler path through the real
Chalice handlers on moto, configured as on AWS (the patron-token key read from Secrets
Manager, a files bucket, pushes through the management API), while tests/plugins/aws_calls.py
records each AWS call made from runtime code. Then, for each `.chalice/policy-<stage>.json`:
- every recorded call (this scenario's and those of every test that ran before it in the
  session) is allowed, with the test's resource names mapped onto the stage's;
- every action and every resource pattern of the policy was needed by some call (logs:* aside:
  the Lambda service writes logs, not the code).
The plugin also re-checks the first half over the whole session when it ends.

A new kind of AWS call in the code therefore fails here until tests/plugins/iam.py knows how
IAM authorizes it and the policies allow it; a new permission fails here until a step below
uses it.
"""
from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from tests.plugins import aws_calls as recording
from tests.plugins import iam
from tests.harness import Flow, posted_frames

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("dev", "prod")
API_ENDPOINT = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/api"  # as deployed


def test_policy_files_exist_for_every_stage_and_chalice_uses_them():
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    assert sorted(config["stages"]) == sorted(STAGES)
    for stage, cfg in config["stages"].items():
        assert cfg.get("autogen_policy") is False, stage
        assert cfg["iam_policy_file"] == f"policy-{stage}.json"
        assert "manage_iam_role" not in cfg and "iam_role_arn" not in cfg


@pytest.mark.parametrize("stage", STAGES)
def test_policy_has_no_wildcard_actions_and_only_allows(stage):
    doc = json.loads((ROOT / ".chalice" / f"policy-{stage}.json").read_text())
    policy = iam.Policy(doc)  # refuses NotAction, NotResource, Condition
    for st in policy.statements:
        assert st.effect == "Allow", st.sid
        assert all("*" not in a and "?" not in a for a in st.actions), st.sid
        assert all(r != "*" and not r.startswith("arn:aws:*") for r in st.resources), st.sid
        assert len(set(st.actions)) == len(st.actions) and len(set(st.resources)) == len(st.resources)


def test_unauthenticated_calls_are_unsigned_in_botocores_own_model():
    """The calls treated as needing no permission are the ones botocore sends unsigned."""
    import botocore.session
    session = botocore.session.get_session()
    for service, operation in iam.UNAUTHENTICATED:
        model = session.get_service_model(service).operation_model(operation)
        assert model.auth_type == "none" or model.auth == ["smithy.api#noAuth"], (service, operation)


def test_matcher_follows_iam_wildcards_and_deny():
    policy = iam.Policy({"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": ["dynamodb:GetItem"],
         "Resource": ["arn:aws:dynamodb:*:*:table/libchat-dev-chats"]},
        {"Sid": "B", "Effect": "Allow", "Action": "s3:GetObject",
         "Resource": "arn:aws:s3:::bucket-??/chats/*"},
        {"Sid": "C", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-01/chats/x/*"},
    ]})
    allowed = iam.Permission("dynamodb:getitem", "arn:aws:dynamodb:us-east-1:1:table/libchat-dev-chats")
    assert policy.allows(allowed)  # actions are case-insensitive
    assert not policy.allows(iam.Permission("dynamodb:GetItem", allowed.resource + "-x"))
    assert not policy.allows(iam.Permission("dynamodb:PutItem", allowed.resource))
    assert policy.allows(iam.Permission("s3:GetObject", "arn:aws:s3:::bucket-01/chats/a/b"))
    assert not policy.allows(iam.Permission("s3:GetObject", "arn:aws:s3:::bucket-001/chats/a"))
    assert not policy.allows(iam.Permission("s3:GetObject", "arn:aws:s3:::bucket-01/chats/x/y"))
    assert policy.unused({allowed}) == ["B: action s3:GetObject is never used",
                                        "B: resource arn:aws:s3:::bucket-??/chats/* is never used"]
    with pytest.raises(iam.UnsupportedPolicy):
        iam.Policy({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]})


def test_calls_map_onto_stage_resources_and_unknown_calls_fail():
    cfg = {"TABLE_PREFIX": "t0", "FILES_BUCKET": "tmp-files", "OPERATORS_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:ops",
           "PATRON_TOKEN_SECRET_ARN": None}
    call = recording.AwsCall("dynamodb", "TransactWriteItems", {"TransactItems": [
        {"Put": {"TableName": "t0-messages"}}, {"Update": {"TableName": "t0-chats"}},
        {"ConditionCheck": {"TableName": "t0-operators"}}]}, "", "us-east-1", cfg)
    assert [str(p) for p in iam.required(call, "prod")] == [
        "dynamodb:PutItem on arn:aws:dynamodb:us-east-1:123456789012:table/libchat-prod-messages",
        "dynamodb:UpdateItem on arn:aws:dynamodb:us-east-1:123456789012:table/libchat-prod-chats",
        "dynamodb:ConditionCheckItem on arn:aws:dynamodb:us-east-1:123456789012:table/libchat-prod-operators"]
    other = recording.AwsCall("dynamodb", "GetItem", {"TableName": "x0-chats"}, "", "us-east-1", cfg)
    assert iam.required(other, "dev")[0].resource.endswith(":table/x0-chats")  # not remapped
    push = recording.AwsCall("apigatewaymanagementapi", "PostToConnection", {"ConnectionId": "c1="},
                             f"{API_ENDPOINT}/%40connections/c1%3D", "us-east-1", cfg)
    assert str(iam.required(push, "dev")[0]) == (
        "execute-api:ManageConnections on arn:aws:execute-api:us-east-1:123456789012:"
        "a1b2c3d4e5/api/POST/@connections/c1=")
    publish = recording.AwsCall("sns", "Publish", {"TopicArn": cfg["OPERATORS_TOPIC_ARN"]}, "", "us-east-1", cfg)
    assert iam.required(publish, "dev")[0].resource == iam.StageNames("dev").operators_topic_arn
    with pytest.raises(iam.UnmappedCall):
        iam.required(recording.AwsCall("lambda", "Invoke", {}, "", "us-east-1", cfg), "dev")


# ------------------------------------------------------------------ the scenario


@pytest.fixture
def deployed_flow(aws, ws_event, monkeypatch):
    """The handlers configured the way the deploy configures them on AWS."""
    import boto3
    from chalicelib import wiring
    aws.add_operator("ada", "Ada Admin", role="admin")
    aws.add_operator("ann", "Ann Archivist")
    prefix = wiring.settings().table_prefix
    key = secrets.token_urlsafe(48)
    secret_arn = boto3.client("secretsmanager", region_name="us-east-1").create_secret(
        Name=f"{prefix}/patron-token-secret", SecretString=key)["ARN"]
    bucket = f"{prefix}-files-123456789012-us-east-1"
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=bucket)
    monkeypatch.delenv("PATRON_TOKEN_SECRET")
    monkeypatch.setenv("PATRON_TOKEN_SECRET_ARN", secret_arn)
    topic = boto3.client("sns", region_name="us-east-1").create_topic(
        Name=f"{prefix}-operators")["TopicArn"]
    monkeypatch.setenv("FILES_BUCKET", bucket)
    monkeypatch.setenv("OPERATORS_TOPIC_ARN", topic)
    monkeypatch.setenv("NOTIFY_WAIT_SECONDS", "0")
    monkeypatch.setenv("WS_MANAGEMENT_ENDPOINT", API_ENDPOINT)
    # infra/template.yaml's MailConfigurationSet is named like the tables: every send names it
    boto3.client("sesv2", region_name="us-east-1").create_configuration_set(ConfigurationSetName=prefix)
    monkeypatch.setenv("MAIL_CONFIGURATION_SET", prefix)
    wiring.reset()  # the first invocation reads the key, as a Lambda's cold start does
    flow = Flow(aws, ws_event)
    flow.bucket, flow.secret = bucket, key.encode()
    return flow


def _rest(flow, method: str, path: str, token: str, body: dict | None = None):
    resp = getattr(flow.http, method)(path, body=json.dumps(body) if body is not None else None,
                                      headers={"Authorization": f"Bearer {token}",
                                               "Content-Type": "application/json"})
    return resp.status_code, json.loads(resp.body)


SCHEDULED_EVENT = {  # what EventBridge hands a scheduled Lambda (only the shape matters here)
    "version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
    "account": "123456789012", "time": "2026-11-29T06:00:00Z", "region": "us-east-1",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/remind"], "detail": {}}


def run_scenario(flow) -> None:
    """Every handler path that reaches AWS, once. Extend it with each new feature's calls."""
    import boto3
    from chalicelib import wiring

    # sign-in (Cognito, unauthenticated), the operators' list (the directory index)
    status, login = flow.post("/auth/login", {"username": "ada", "password": "Correct-Horse-Battery-1"})
    assert status == 200, login
    admin = login["token"]
    assert wiring.settings().patron_token_secret == flow.secret  # read from Secrets Manager
    assert flow.get("/operators", admin)[0] == 200
    ann = flow.aws.token("ann")

    # a chat nobody claims: the new-chat notification, then the scheduled reminder (SNS)
    import app as app_module
    status, waiting = flow.post("/chats", {"question": "Anyone there?"})
    assert status == 201, waiting
    assert app_module.remind_unclaimed(SCHEDULED_EVENT, None) == {"reminders": 1, "abandoned": 0, "rolled_over": 0, "ticket_offers": 0}

    # operator online (connection, queued chats), a new chat (transaction, broadcast, push)
    assert flow.connect("op1=", ann)["statusCode"] == 200
    flow.frame("op1=", action="hello")
    assert flow.get("/status")[1]["online"] is True
    status, created = flow.post("/chats", {"question": "Where are the atlases?", "name": "Pat"})
    assert status == 201, created
    chat_id, patron = created["chat_id"], created["token"]
    assert flow.connect("pat1=", patron)["statusCode"] == 200
    flow.frame("pat1=", action="hello", chat_id=chat_id)
    flow.frame("op1=", action="claim", chat_id=chat_id)
    assert wiring.repositories().chats.get(chat_id).operator_id == "ann"

    # abuse (domain/guards.py): a browser's chat, its patron blocked by the librarian (the
    # block items), a new chat from that browser refused (the create's condition checks),
    # the admins' list (by_kind) and the block lifted
    rude_headers = {"Content-Type": "application/json", "X-Client-Id": "browser-0123456789"}
    rude = json.loads(flow.http.post("/chats", headers=rude_headers, body=json.dumps({"question": "Hey"})).body)
    flow.frame("op1=", action="claim", chat_id=rude["chat_id"])
    assert _rest(flow, "post", f"/chats/{rude['chat_id']}/block", ann, {"hours": 2, "reason": "abuse"})[0] == 201
    assert flow.http.post("/chats", headers=rude_headers, body=json.dumps({"question": "Again"})).status_code == 503
    status, blocks = _rest(flow, "get", "/blocks", admin)
    assert status == 200 and len(blocks["blocks"]) == 1
    assert _rest(flow, "delete", f"/blocks/{blocks['blocks'][0]['id']}", admin)[0] == 200
    flow.frame("op1=", action="end", chat_id=rude["chat_id"])
    flow.frame("op1=", action="close", chat_id=rude["chat_id"])

    # messages (with a resend: the stored one comes back), typing, presence, history
    flow.frame("op1=", action="send", chat_id=chat_id, text="Second floor.", client_msg_id="o1")
    flow.frame("pat1=", action="send", chat_id=chat_id, text="Thanks", client_msg_id="p1")
    flow.frame("pat1=", action="send", chat_id=chat_id, text="Thanks", client_msg_id="p1")
    flow.frame("pat1=", action="typing", chat_id=chat_id, typing=True, preview="one more")
    flow.frame("pat1=", action="presence", chat_id=chat_id, state="away")
    assert [m["seq"] for m in flow.get(f"/chats/{chat_id}/messages?after=1", patron)[1]["messages"]] == [2, 3]

    # a file: upload slot (presigned POST), the browser's upload, the message, a download link
    status, slot = flow.post(f"/chats/{chat_id}/uploads", {
        "filename": "atlas.pdf", "content_type": "application/pdf", "size": 14}, patron)
    assert status == 200, slot
    boto3.client("s3", region_name="us-east-1").put_object(
        Bucket=flow.bucket, Key=slot["key"], Body=b"%PDF-1.7 atlas", ContentType="application/pdf")
    flow.frame("pat1=", action="send", chat_id=chat_id, attachment={
        "key": slot["key"], "name": "atlas.pdf", "size": 14, "content_type": "application/pdf"})
    assert posted_frames("op1=")[-1]["message"]["attachment"]["name"] == "atlas.pdf"
    status, link = flow.get(f"/chats/{chat_id}/files?key={slot['key']}", ann)
    assert status == 200, link

    # the operator's dashboard comes back (their chats in one batch read)
    flow.disconnect("op1=")
    assert flow.connect("op2=", ann)["statusCode"] == 200
    assert posted_frames("op2=") == []
    flow.frame("op2=", action="hello")
    assert [c["chat_id"] for c in posted_frames("op2=")[0]["mine"]] == [chat_id]

    # canned messages: list, create, update, delete
    assert _rest(flow, "get", "/canned", ann)[0] == 200
    status, canned = _rest(flow, "post", "/canned", ann, {"scope": "personal", "title": "Hi", "text": "Hello!"})
    assert status == 201, canned
    canned_id = canned.get("id") or canned.get("canned", {}).get("id")
    assert _rest(flow, "put", f"/canned/{canned_id}", ann, {"title": "Hi", "text": "Hello again!"})[0] == 200
    assert _rest(flow, "delete", f"/canned/{canned_id}", ann)[0] == 200

    # desks: an admin makes a co-op desk the general desk rolls over to; the librarian
    # watches only one desk; a chat goes back to waiting at a desk; the scheduled rollover
    status, desk = _rest(flow, "post", "/queues", admin, {"id": "coop", "name": "Co-op",
                                                          "timezone": "America/New_York"})
    assert status == 201, desk
    assert _rest(flow, "put", "/queues/general", admin,
                 {"rollover": {"to": "coop", "after_seconds": 10}})[0] == 200
    assert _rest(flow, "get", "/queues", ann)[0] == 200
    flow.frame("op2=", action="watch", queues=["general", "coop"])
    assert posted_frames("op2=")[-1]["type"] == "watching"
    # accounts: an admin creates a librarian (Cognito admin calls) and disables them while
    # their dashboard is open (its connection is closed through the management API)
    status, made = _rest(flow, "post", "/operators", admin, {"username": "cy", "name": "Cy"})
    assert status == 201, made
    status, step = flow.post("/auth/login", {"username": "cy", "password": made["temporary_password"]})
    assert status == 200 and step["challenge"] == "new_password", step
    status, signed = flow.post("/auth/password", {"username": "cy", "session": step["session"],
                                                  "new_password": "Another-Horse-Battery-2"})
    assert status == 200, signed
    assert flow.connect("cy1=", signed["token"])["statusCode"] == 200
    flow.frame("cy1=", action="hello")
    assert _rest(flow, "put", "/operators/cy", admin, {"disabled": True})[0] == 200
    assert _rest(flow, "put", "/operators/cy", admin, {"disabled": False})[0] == 200
    flow.disconnect("cy1=")

    # end, survey, the close form (the admins' tag list first), close (its History entries),
    # the admins' survey results; a transcript by e-mail (SES); History; the patron leaves
    flow.frame("op2=", action="end", chat_id=chat_id)
    status, body = flow.post(f"/chats/{chat_id}/survey", {"rating": 5, "answered": True}, patron)
    assert status == 201, body
    assert flow.get("/surveys?days=1", admin)[0] == 200
    assert _rest(flow, "put", "/tags", admin, {"tags": ["maps"], "question_types": ["directional"]})[0] == 200
    assert _rest(flow, "get", "/tags", ann)[0] == 200
    assert _rest(flow, "put", f"/chats/{chat_id}/record", ann, {"read": 2, "tags": ["maps"]})[0] == 200
    # the desk deletes transcripts at close (docs/privacy.md): close lists the chat in by_purge
    assert _rest(flow, "put", "/queues/general", admin,
                 {"privacy": {"transcripts": "delete", "delete_after_hours": 0}})[0] == 200
    flow.frame("op2=", action="close", chat_id=chat_id)
    assert _rest(flow, "put", f"/chats/{chat_id}/record", ann, {"read": 3, "tags": ["maps"]})[0] == 200
    assert flow.post(f"/chats/{chat_id}/transcript", {"email": "pat@example.org"}, patron)[0] == 202
    assert len(flow.get("/history", ann)[1]["items"]) == 2  # this chat and the blocked patron's
    assert flow.get("/privacy")[0] == 200
    flow.disconnect("pat1=")
    flow.disconnect("op2=")
    # the scheduled purge: the transcript everywhere (the file in S3 too), the stats kept
    assert app_module.purge_transcripts(SCHEDULED_EVENT, None) == 1
    assert flow.get(f"/chats/{chat_id}/messages", patron)[0] == 404
    assert _rest(flow, "put", "/queues/general", admin, {"privacy": {}})[0] == 200

    # a ticket asked after hours: the acknowledgement (SES), claimed, answered (SES), noted,
    # closed into History, reopened, the patron's page and reply by the signed link
    status, asked = flow.post("/tickets", {"question": "Do you hold 1890s maps?", "email": "pat@example.org"})
    assert status == 201, asked
    ticket_id = asked["ticket_id"]
    assert _rest(flow, "get", "/tickets?queue=general", ann)[0] == 200
    assert _rest(flow, "post", f"/tickets/{ticket_id}/claim", ann)[0] == 200
    assert _rest(flow, "post", f"/tickets/{ticket_id}/replies", ann, {"text": "Yes, in the map room."})[0] == 201
    assert _rest(flow, "post", f"/tickets/{ticket_id}/notes", ann, {"text": "Asked before."})[0] == 201
    assert _rest(flow, "post", f"/tickets/{ticket_id}/close", ann, {"record": {"read": 2}})[0] == 200
    assert _rest(flow, "post", f"/tickets/{ticket_id}/reopen", ann)[0] == 200
    assert _rest(flow, "post", f"/tickets/{ticket_id}/transcript", ann, {})[0] == 202
    link = services_link(ticket_id)
    assert flow.get(f"/public/tickets/{ticket_id}", link)[0] == 200
    assert flow.post(f"/public/tickets/{ticket_id}/replies", {"text": "Thank you!"}, link)[0] == 201
    status, made = flow.post(f"/chats/{waiting['chat_id']}/ticket", {"email": "wait@example.org"}, waiting["token"])
    assert status == 201, made
    # SES reports the reply bounced: the mail_events Lambda (through the stage's SNS topic)
    import app as app_module
    ticket = wiring_tickets().get(ticket_id)
    bounce = {"eventType": "Bounce", "mail": {"messageId": ticket.mail[-1]["message_id"]},
              "bounce": {"bounceType": "Permanent", "bouncedRecipients": [{"emailAddress": "pat@example.org"}]}}
    app_module.mail_events({"Records": [{"EventSource": "aws:sns", "Sns": {
        "Type": "Notification", "Subject": None, "Message": json.dumps(bounce), "MessageAttributes": {}}}]}, None)
    assert wiring_tickets().get(ticket_id).mail[-1]["status"] == "bounced"


def wiring_tickets():
    from chalicelib import wiring
    return wiring.repositories().tickets


def services_link(ticket_id: str) -> str:
    """The link token the e-mails carry (what the patron's page sends as its bearer)."""
    from chalicelib import wiring
    ticket = wiring.repositories().tickets.get(ticket_id)
    return wiring.services().tickets.link(ticket).rsplit("&k=", 1)[1]


def test_policies_match_the_calls_the_handlers_make(deployed_flow, aws_calls):
    run_scenario(deployed_flow)
    calls = aws_calls.snapshot()
    ours = [c for c in calls if c.test and c.test.endswith(
        "test_policies_match_the_calls_the_handlers_make")]
    assert {c.service for c in ours} >= {"dynamodb", "apigatewaymanagementapi", "secretsmanager",
                                         "s3", "sns"}
    for stage, policy in recording.stage_policies().items():
        assert recording.violations(calls, {stage: policy}) == []
        used = {perm for call in calls for perm in iam.required(call, stage)}
        assert policy.unused(used, ignore_prefixes=("logs:",)) == [], stage
