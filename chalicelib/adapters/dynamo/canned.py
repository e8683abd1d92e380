"""CannedRepository on the canned table (key: owner ("system" or "op#<operator id>") +
canned_id: each list is one Query, and an operator's requests only ever address their own
partition or the system one)."""
from __future__ import annotations

from ...domain.model import Canned
from ...domain.ports import AlreadyExists, NotFound
from .base import refused_as
from .mapper import CANNED
from .models import CannedModel


class DynamoCanned:
    def list(self, owner: str) -> list[Canned]:
        """One Query of the owner's partition, in canned_id order."""
        return [CANNED.to_record(i) for i in CannedModel.query(owner)]

    def put(self, item: Canned, *, must_exist: bool) -> None:
        """One PutItem, conditional on the (owner, canned_id) item existing (an edit) or not
        (a new one). NotFound / AlreadyExists."""
        if must_exist:
            with refused_as(lambda: NotFound(item.canned_id)):
                CANNED.to_model(item).save(condition=CannedModel.canned_id.exists())
        else:
            with refused_as(AlreadyExists):
                CANNED.to_model(item).save(condition=CannedModel.canned_id.does_not_exist())

    def delete(self, owner: str, canned_id: str) -> None:
        """One DeleteItem, only if (owner, canned_id) exists. NotFound."""
        with refused_as(lambda: NotFound(canned_id)):
            CannedModel(owner, canned_id).delete(condition=CannedModel.canned_id.exists())
