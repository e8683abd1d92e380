"""OperatorRepository on the operators table (key: operator_id, the Cognito username;
by_directory GSI: directory = "all" + operator_id, so the list is a Query, never a Scan)."""
from __future__ import annotations

from typing import Iterable

from pynamodb.exceptions import UpdateError

from ...domain.model import Operator
from ...domain.ports import AlreadyExists, BelowActive, NotFound
from .base import condition_failed, get_or_none, refused_as
from .mapper import OPERATORS
from .models import DIRECTORY, OperatorModel as O

UPDATABLE = ("availability", "chat_limit", "name", "role", "queues", "muted", "disabled")


class DynamoOperators:
    def get(self, operator_id: str) -> Operator | None:
        """One consistent GetItem by operator_id."""
        item = get_or_none(O, operator_id)
        return OPERATORS.to_record(item) if item is not None else None

    def get_many(self, operator_ids: Iterable[str]) -> list[Operator]:
        """One BatchGetItem (consistent; PynamoDB pages beyond 100 keys), sorted by id,
        unknown ids left out."""
        ids = sorted(set(operator_ids))
        if not ids:
            return []
        found = {i.operator_id: i for i in O.batch_get(ids, consistent_read=True)}
        return [OPERATORS.to_record(found[i]) for i in ids if i in found]

    def put(self, operator: Operator) -> None:
        """One PutItem of the whole record (seeding, create_operator): it resets the counts,
        so it is never used on an operator who may hold chats."""
        OPERATORS.to_model(operator).save()

    def create(self, operator: Operator) -> None:
        """One PutItem only if the id is new (admins creating an account). AlreadyExists."""
        with refused_as(AlreadyExists):
            OPERATORS.to_model(operator).save(condition=O.operator_id.does_not_exist())

    def list(self) -> list[Operator]:
        """One Query of by_directory (directory = "all"), in operator_id order."""
        return [OPERATORS.to_record(i) for i in O.by_directory.query(DIRECTORY)]

    def update(self, operator_id: str, **changes) -> Operator:
        """One UpdateItem (SET, or REMOVE for None or an empty set) of UPDATABLE fields, only
        if the operator exists; returns it as stored afterwards (ALL_NEW). NotFound."""
        unknown = set(changes) - set(UPDATABLE)
        if unknown:
            raise TypeError(f"not updatable here: {sorted(unknown)}")
        if not changes:
            found = self.get(operator_id)
            if found is None:
                raise NotFound(operator_id)
            return found
        actions = []
        for name, value in changes.items():
            stored = OPERATORS.value(name, value)
            actions.append(OPERATORS.attr(name).set(stored) if stored is not None
                           else OPERATORS.attr(name).remove())
        item = O(operator_id)
        with refused_as(lambda: NotFound(operator_id)):
            item.update(actions=actions, condition=O.operator_id.exists())
        return OPERATORS.to_record(item)

    def set_max_chats(self, operator_id: str, max_chats: int) -> Operator:
        """One UpdateItem `SET max_chats`, only if the operator exists and active_chats <=
        the new value (compared inside the item, so a claim cannot slip in between). On a
        failed condition one extra GetItem tells which (PynamoDB's update_item cannot ask for
        ReturnValuesOnConditionCheckFailure). NotFound / BelowActive."""
        item = O(operator_id)
        try:
            item.update(actions=[O.max_chats.set(max_chats)],
                        condition=O.operator_id.exists() & (O.active_chats <= max_chats))
        except UpdateError as err:
            if not condition_failed(err):
                raise
            if get_or_none(O, operator_id) is None:
                raise NotFound(operator_id) from None
            raise BelowActive() from None
        return OPERATORS.to_record(item)
