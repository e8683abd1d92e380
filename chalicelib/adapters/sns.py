"""The `Notifier` port on Amazon SNS: one Publish to the operators' topic, with string message
attributes (`queue`, `event`) that subscription filter policies can match."""
from __future__ import annotations


class SnsNotifier:
    def __init__(self, client, topic_arn: str) -> None:
        self._client = client
        self.topic_arn = topic_arn

    def publish(self, subject: str, message: str, attributes: dict[str, str]) -> None:
        self._client.publish(
            TopicArn=self.topic_arn, Subject=subject, Message=message,
            MessageAttributes={k: {"DataType": "String", "StringValue": v}
                               for k, v in attributes.items() if v})
