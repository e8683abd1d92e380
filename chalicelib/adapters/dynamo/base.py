"""What every repository shares: the lazy transaction connection and the translation of
PynamoDB's errors into the ports' exceptions.

A failed condition is the only error translated: it is the domain's business (someone else got
there first). Anything else (throttling, a network error, a malformed request) is an outage or
a bug, and propagates unchanged.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

from pynamodb.connection import Connection as LowLevel
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

M = TypeVar("M", bound=Model)


class Db:
    """Region and endpoint of one composition, and the one low-level connection that
    TransactWriteItems go through, opened on the first transaction (never at import)."""

    def __init__(self, region: str, host: str | None = None) -> None:
        self.region, self.host = region, host
        self._conn: LowLevel | None = None

    def tx(self) -> TransactWrite:
        if self._conn is None:
            self._conn = LowLevel(region=self.region, host=self.host)
        return TransactWrite(connection=self._conn)


@contextmanager
def stale_tx(db: "Db") -> Iterator[TransactWrite]:
    """One TransactWriteItems whose every condition is "still as read": any cancelled item
    is StaleRead (the caller reads again), anything else propagates."""
    from ...domain.ports import StaleRead
    try:
        with db.tx() as tx:
            yield tx
    except TransactWriteError as err:
        if any_cancelled(err):
            raise StaleRead() from None
        raise


def condition_failed(err: Exception) -> bool:
    """A PutItem/UpdateItem/DeleteItem refused by its condition expression."""
    return getattr(err, "cause_response_code", None) == "ConditionalCheckFailedException"


def cancelled_by(err: TransactWriteError, index: int) -> bool:
    """The transaction was cancelled because item `index` failed its condition."""
    reasons = err.cancellation_reasons or []
    return index < len(reasons) and reasons[index] is not None and \
        reasons[index].code == "ConditionalCheckFailed"


def any_cancelled(err: TransactWriteError) -> bool:
    """Some item of the transaction failed its condition (one a caller did not name: an
    operator row gone or a counter that drifted): a conflict too, never half a write."""
    return any(r is not None and r.code == "ConditionalCheckFailed"
               for r in err.cancellation_reasons or [])


@contextmanager
def refused_as(exc: Callable[[], Exception]) -> Iterator[None]:
    """Turn a single-item write's failed condition into the port exception `exc()`."""
    try:
        yield
    except (PutError, UpdateError, DeleteError) as err:
        if condition_failed(err):
            raise exc() from None
        raise


def update_or_none(item: M, actions: list, condition) -> M | None:
    """One UpdateItem (ReturnValues ALL_NEW, so `item` is what is stored afterwards); None
    when the condition did not hold, which every caller's condition makes "no such item"."""
    try:
        item.update(actions=actions, condition=condition)
    except UpdateError as err:
        if condition_failed(err):
            return None
        raise
    return item


def get_or_none(model: type[M], *key) -> M | None:
    """One consistent GetItem: every read here feeds a conditional write or a push."""
    try:
        return model.get(*key, consistent_read=True)
    except DoesNotExist:
        return None


def unchanged(version_attr, read: int):
    """The delivery lists are still the ones the caller read. Items written before the
    version counter existed have none, which counts as 0."""
    if read == 0:
        return (version_attr == 0) | version_attr.does_not_exist()
    return version_attr == read
