"""local/moto_fixes.py: the embedded AWS's DynamoDB keeps transactions all-or-nothing, and
neither copies whole tables per transaction nor keeps every item it ever made.

Each semantics test runs twice, on moto as it is and with the fixes, so the test itself is
checked against moto's own behaviour. The leak tests count (deep copies per transaction,
instances moto keeps), never time.
"""
from __future__ import annotations

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.models.dynamo_type import Item

from local import moto_fixes

needs_pinned = pytest.mark.skipif(moto.__version__ != moto_fixes.PINNED,
                                  reason="the fixes apply only to the moto they were written for")


@pytest.fixture(params=["moto as is", "with the fixes"])
def ddb(request):
    with mock_aws():
        if request.param == "with the fixes":
            if moto.__version__ != moto_fixes.PINNED:
                pytest.skip("the fixes apply only to the moto they were written for")
            with moto_fixes.installed():
                yield _tables()
        else:
            yield _tables()


def _tables():
    client = boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(TableName="chats", BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    client.create_table(TableName="messages", BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "chat", "KeyType": "HASH"},
                                   {"AttributeName": "seq", "KeyType": "RANGE"}],
                        AttributeDefinitions=[{"AttributeName": "chat", "AttributeType": "S"},
                                              {"AttributeName": "seq", "AttributeType": "N"}])
    client.put_item(TableName="chats", Item={"id": {"S": "c1"}, "last_seq": {"N": "1"}})
    client.put_item(TableName="chats", Item={"id": {"S": "gone"}, "note": {"S": "keep me"}})
    client.put_item(TableName="chats", Item={"id": {"S": "op1"}, "active": {"N": "1"}})
    client.put_item(TableName="messages", Item={"chat": {"S": "c1"}, "seq": {"N": "1"},
                                                "text": {"S": "question"}})
    return client


def _everything(client) -> dict:
    return {name: sorted(map(repr, client.scan(TableName=name)["Items"]))
            for name in ("chats", "messages")}


def _send(chat_last_seq: str, failing: str | None = None) -> list[dict]:
    """A `send`-shaped transaction: advance last_seq from what was read, add message 2, delete
    an item and check a guard; `failing` picks which part's condition does not hold."""
    read = chat_last_seq if failing != "update" else "7"
    return [
        {"Update": {"TableName": "chats", "Key": {"id": {"S": "c1"}},
                    "UpdateExpression": "SET last_seq = :next",
                    "ConditionExpression": "last_seq = :read",
                    "ExpressionAttributeValues": {":next": {"N": "2"}, ":read": {"N": read}}}},
        {"Put": {"TableName": "messages",
                 "Item": {"chat": {"S": "c1"}, "seq": {"N": "2"}, "text": {"S": "hello"}},
                 "ConditionExpression": "attribute_not_exists(seq)" if failing != "put"
                 else "attribute_exists(seq)"}},
        {"Delete": {"TableName": "chats", "Key": {"id": {"S": "gone"}}}},
        {"ConditionCheck": {"TableName": "chats", "Key": {"id": {"S": "op1"}},
                            "ConditionExpression": "attribute_exists(id)" if failing != "check"
                            else "attribute_not_exists(id)"}},
    ]


@pytest.mark.parametrize("failing", ["update", "put", "check"])
def test_a_failed_condition_changes_nothing(ddb, failing):
    before = _everything(ddb)
    with pytest.raises(ClientError) as err:
        ddb.transact_write_items(TransactItems=_send("1", failing=failing))
    assert err.value.response["Error"]["Code"] == "TransactionCanceledException"
    reasons = [r["Code"] for r in err.value.response["CancellationReasons"]]
    assert reasons.count("ConditionalCheckFailed") == 1
    assert _everything(ddb) == before


def test_a_failed_condition_after_writes_to_the_same_table_undoes_them(ddb):
    """The Update changes the stored item in place and the Put adds one before the last
    ConditionCheck fails: both are undone."""
    before = _everything(ddb)
    items = _send("1")
    items[3] = {"ConditionCheck": {"TableName": "messages",
                                   "Key": {"chat": {"S": "c1"}, "seq": {"N": "1"}},
                                   "ConditionExpression": "text = :x",
                                   "ExpressionAttributeValues": {":x": {"S": "not it"}}}}
    with pytest.raises(ClientError):
        ddb.transact_write_items(TransactItems=items)
    assert _everything(ddb) == before
    got = ddb.get_item(TableName="chats", Key={"id": {"S": "c1"}})["Item"]
    assert got["last_seq"] == {"N": "1"}


def test_a_transaction_that_holds_writes_everything(ddb):
    ddb.transact_write_items(TransactItems=_send("1"))
    assert ddb.get_item(TableName="chats", Key={"id": {"S": "c1"}})["Item"]["last_seq"] == {"N": "2"}
    got = ddb.get_item(TableName="messages", Key={"chat": {"S": "c1"}, "seq": {"N": "2"}})
    assert got["Item"]["text"] == {"S": "hello"}
    assert "Item" not in ddb.get_item(TableName="chats", Key={"id": {"S": "gone"}})


def test_two_operations_on_one_item_are_refused_and_change_nothing(ddb):
    before = _everything(ddb)
    items = _send("1")
    items[2] = {"Delete": {"TableName": "chats", "Key": {"id": {"S": "c1"}}}}
    with pytest.raises(ClientError) as err:
        ddb.transact_write_items(TransactItems=items)
    assert err.value.response["Error"]["Code"] == "ValidationException"
    assert _everything(ddb) == before


# ------------------------------------------------------------------ the leak, counted


class _CountingDeepCopies:
    """How many `Item`s are deep-copied while it is active."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        original = Item.__deepcopy__

        def counting(item, memo):
            self.count += 1
            return original(item, memo)

        monkeypatch.setattr(Item, "__deepcopy__", counting)


def _copies_per_send(client, counter, stored: int) -> int:
    """Store messages up to `stored`, then count the item copies one `send` makes."""
    have = len(client.scan(TableName="messages")["Items"])
    seqs = list(range(have + 1, stored + 1))
    for i in range(0, len(seqs), 25):
        client.batch_write_item(RequestItems={"messages": [
            {"PutRequest": {"Item": {"chat": {"S": "c9"}, "seq": {"N": str(seq)}}}}
            for seq in seqs[i:i + 25]]})
    counter.count = 0
    last = client.get_item(TableName="chats", Key={"id": {"S": "c1"}})["Item"]["last_seq"]["N"]
    items = _send(last)
    items[0]["Update"]["ExpressionAttributeValues"][":next"] = {"N": str(int(last) + 1)}
    items[1]["Put"]["Item"]["seq"] = {"N": str(int(last) + 1)}
    items[2]["Delete"]["Key"] = {"id": {"S": f"nothing-{last}"}}
    client.transact_write_items(TransactItems=items)
    return counter.count


@needs_pinned
def test_a_transaction_copies_the_items_it_names_not_the_tables(monkeypatch):
    with mock_aws(), moto_fixes.installed():
        client = _tables()
        counter = _CountingDeepCopies(monkeypatch)
        small = _copies_per_send(client, counter, stored=10)
        large = _copies_per_send(client, counter, stored=300)
    assert small == large
    assert small <= 4  # the transaction names four items (one is absent: nothing to copy)


@needs_pinned
def test_moto_as_is_copies_whole_tables(monkeypatch):
    """What the fix is for: without it, each transaction copies every stored message."""
    with mock_aws():
        client = _tables()
        counter = _CountingDeepCopies(monkeypatch)
        small = _copies_per_send(client, counter, stored=10)
        large = _copies_per_send(client, counter, stored=300)
    assert large - small >= 290


@needs_pinned
def test_moto_keeps_no_dynamodb_items_once_they_are_replaced_or_copied():
    with mock_aws(), moto_fixes.installed():
        client = _tables()
        kept = len(Item.instances_tracked)
        for seq in range(2, 22):
            last = str(seq - 1)
            items = _send(last)
            items[0]["Update"]["ExpressionAttributeValues"][":next"] = {"N": str(seq)}
            items[1]["Put"]["Item"]["seq"] = {"N": str(seq)}
            client.transact_write_items(TransactItems=items)
            client.query(TableName="messages", KeyConditionExpression="chat = :c",
                         ExpressionAttributeValues={":c": {"S": "c1"}})
        assert len(Item.instances_tracked) == kept


def test_another_moto_is_left_as_it_is(monkeypatch):
    monkeypatch.setattr(moto, "__version__", "0.0.0-not-pinned")
    with mock_aws():
        assert moto_fixes.install() is False
        assert not moto_fixes._installed


@needs_pinned
def test_the_embedded_aws_applies_the_fixes():
    from local.runner import EmbeddedAWS
    was = bool(moto_fixes._installed)
    aws = EmbeddedAWS()
    try:
        assert moto_fixes._installed
    finally:
        aws.stop() if aws._thread.is_alive() else aws._server.server_close()
        if not was:
            moto_fixes.uninstall()
