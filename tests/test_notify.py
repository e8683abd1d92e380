"""Operator notifications: new chats and one reminder for chats nobody claimed, published to
SNS with a `queue` attribute subscribers can filter on."""
from __future__ import annotations

import json

import boto3
import pytest

from chalicelib.adapters.sns import SnsNotifier
from chalicelib.listeners.notify import Notifications


class Published:
    def __init__(self):
        self.items = []

    def publish(self, subject, message, attributes):
        self.items.append((subject, message, attributes))


def wire(h, mode="always", include_question=False):
    out = Published()
    Notifications(out, mode=mode, queue_names={"general": "Ask a librarian", "law": "Law library"},
                  anyone_available=h.services.operators.anyone_available, dashboard_url="https://x/dashboard/",
                  include_question=include_question).subscribe(h.events)
    return out


def test_new_chat_publishes_with_queue_attribute_and_no_question_by_default(h):
    out = wire(h)
    h.new_chat("My private research question", queue="law")
    ((subject, message, attrs),) = out.items
    assert attrs == {"queue": "law", "event": "chat_queued"}
    assert "Law library" in subject and "private research" not in message
    assert "https://x/dashboard/" in message


def test_question_included_only_when_configured(h):
    out = wire(h, include_question=True)
    h.new_chat("Where are the atlases?")
    assert "Where are the atlases?" in out.items[0][1]


def test_unavailable_mode_publishes_only_when_nobody_is_available(h):
    out = wire(h, mode="unavailable")
    h.operator("ann")
    h.connect_operator("o1", "ann")
    h.new_chat("one")
    assert out.items == []
    h.frame("o1", action="status", state="away")
    h.new_chat("two")
    assert len(out.items) == 1


def test_off_mode_and_requeue_publish_nothing(h):
    out = wire(h, mode="off")
    h.new_chat("one")
    h.remind_unclaimed(0)
    assert out.items == []


def test_one_reminder_for_a_chat_unclaimed_past_the_wait(h):
    out = wire(h)
    h.operator("ann")
    h.connect_operator("o1", "ann")
    old, _ = h.new_chat("old")
    h.clock.now += 60
    young, _ = h.new_chat("young")
    claimed, _ = h.new_chat("claimed")
    h.frame("o1", action="claim", chat_id=claimed)
    out.items.clear()
    h.clock.now += 40  # old waited 100 s, young 40 s
    assert h.remind_unclaimed(90) == 1
    assert [a["event"] for _, _, a in out.items] == ["chat_waiting"]
    assert h.remind_unclaimed(90) == 0  # once only
    h.clock.now += 60
    assert h.remind_unclaimed(90) == 1  # now young's turn
    assert len(out.items) == 2


def test_sns_messages_reach_a_subscribed_queue_with_the_queue_attribute(aws):
    sns = boto3.client("sns", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    topic = sns.create_topic(Name="ops")["TopicArn"]
    url = sqs.create_queue(QueueName="ops-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn,
                  Attributes={"FilterPolicy": json.dumps({"queue": ["law"]})})
    notifier = SnsNotifier(sns, topic)
    notifier.publish("New chat", "A patron is waiting", {"queue": "law", "event": "chat_queued"})
    notifier.publish("New chat", "A patron is waiting", {"queue": "general", "event": "chat_queued"})
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    assert len(msgs) == 1  # the filter policy on `queue` works
    body = json.loads(msgs[0]["Body"])
    assert body["MessageAttributes"]["queue"] == {"Type": "String", "Value": "law"}
    assert body["Subject"] == "New chat"


def test_new_chat_through_the_handlers_publishes_to_the_configured_topic(aws, ws_event, monkeypatch):
    from chalicelib import wiring
    from tests.test_handlers import Flow
    import app as app_module
    sns = boto3.client("sns", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    topic = sns.create_topic(Name="libchat-ops")["TopicArn"]
    url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)
    monkeypatch.setenv("OPERATORS_TOPIC_ARN", topic)
    monkeypatch.setenv("NOTIFY_WAIT_SECONDS", "0")
    monkeypatch.setenv("DASHBOARD_URL", "https://chat.example.org/dashboard/")
    wiring.reset()
    flow = Flow(aws, ws_event)
    status, created = flow.post("/chats", {"question": "Secret question"})
    assert status == 201
    from tests.test_iam_policy import SCHEDULED_EVENT
    assert app_module.remind_unclaimed(SCHEDULED_EVENT, None) == {"reminders": 1, "abandoned": 0, "rolled_over": 0, "ticket_offers": 0}
    assert app_module.remind_unclaimed(SCHEDULED_EVENT, None) == {"reminders": 0, "abandoned": 0, "rolled_over": 0, "ticket_offers": 0}
    bodies = [json.loads(m["Body"]) for m in
              sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]]
    assert [b["MessageAttributes"]["event"]["Value"] for b in bodies] == ["chat_queued", "chat_waiting"]
    assert all(b["MessageAttributes"]["queue"]["Value"] == "general" for b in bodies)
    assert all("Secret question" not in b["Message"] for b in bodies)
    assert "https://chat.example.org/dashboard/" in bodies[0]["Message"]
