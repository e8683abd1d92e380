"""Two fixes to moto's DynamoDB for the embedded AWS of `make run`, which must stay up for days.

With moto 5.2.5 as it is, memory grew with the square of the stored messages (21.5 GB after
about 4,000) and CPU per message grew linearly, for two reasons that compound:

1. `DynamoDBBackend.transact_write_items` takes its rollback backup by deep-copying every table
   the transaction names, whole, before it starts. A `send` is one TransactWriteItems over the
   chats, messages and message-ids tables, so each new message copied every message stored
   before it.
2. Every instance of a moto model (`BaseModel`: `Item`, `Table`, ...) is appended to a list on
   its class (`instances_tracked`, for the moto server's `/moto-api/data.json` dashboard) and is
   never removed: the table copies of (1), every `Item` a query or update copies, every item
   overwritten or deleted. Nothing is ever freed, so (1) becomes quadratic memory.

The fixes, applied by `install()` (the local runner calls it before it starts moto's server):

1. The transaction's backup becomes a journal of the items it names (at most 100 by
   DynamoDB's rules): each one's stored value (a deep copy, since an Update changes items in
   place) or "absent", taken before moto's own `transact_write_items` runs; moto's whole-table
   copy is skipped for that call only (a thread-local flag seen by a stand-in for the `copy`
   module inside `moto.dynamodb.models`); if moto's call raises (a failed condition is
   `TransactionCanceledException`, also a validation error or duplicate key), the journal is put
   back in reverse order, so all-or-nothing holds exactly as before. Everything else (parsing,
   condition checks, error codes, the order of checks) is still moto's code. A transaction
   changes nothing but the items it names, so restoring those is the same as restoring the
   tables. The only difference: a failed transaction on a table with a DynamoDB *stream*
   would keep the stream records of its rolled-back writes; no table here has a stream.
2. Instances of DynamoDB's model classes are no longer recorded (`BaseModel.__new__` skips
   the append for classes of `moto.dynamodb`; a wrapper, so moto's own resets, which replace
   the lists, cannot undo it), so a deleted, replaced or copied item is freed. The price: the
   moto dashboard lists no DynamoDB objects, which nothing here uses. Other services keep
   tracking (moto's S3 reset closes files through it) and create few objects.

Why a patch here rather than another moto: 5.2.5 is the newest release the package registry
offers (`pip index versions moto`), and it still copies whole tables for transactions. The
patch checks moto's version and refuses to apply to another one (a newer moto should be
checked against this docstring, then `PINNED` moved); `tests/test_local_runner.py` checks
both fixes and the transaction semantics. Offering the journal upstream (getmoto/moto) is the
way to retire this file.

Local only: the tests' in-process `mock_aws()` and the Lambda package never load it.
"""
from __future__ import annotations

import copy
import logging
import threading
from contextlib import contextmanager
from typing import Any, Iterator

log = logging.getLogger("local.moto_fixes")

PINNED = "5.2.5"  # the moto release this patch was written against

_state = threading.local()  # `.skip_table_copy`: inside our transact_write_items, this thread
_installed: dict[str, Any] = {}
stats = {"transactions": 0, "items_saved": 0, "rollbacks": 0}  # counters, for tests and benches


class _CopyModule:
    """Stands in for `copy` inside `moto.dynamodb.models`: there it is used for the
    transaction's table backup (skipped while our journal replaces it) and for item copies
    (unchanged)."""

    def __init__(self, table_type: type) -> None:
        self._table_type = table_type

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    def deepcopy(self, x: Any, memo: dict | None = None) -> Any:
        if isinstance(x, self._table_type) and getattr(_state, "skip_table_copy", False):
            return x  # moto "restores" this same object; the journal does the real restore
        return copy.deepcopy(x, memo)


def _journal(backend, transact_items: list[dict[str, Any]]) -> list[tuple]:
    """(table, hash key, range key, a copy of the stored item or None) for every item the
    transaction names in a table that exists, read the way moto reads keys."""
    saved = []
    for entry in transact_items:
        if not isinstance(entry, dict) or len(entry) != 1:
            continue  # moto refuses these before it writes anything
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName")) if isinstance(op, dict) else None
        if table is None:
            continue
        try:
            if op_type == "Put":
                attrs = op["Item"]
                keys = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    keys[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                keys = op["Key"]
            hash_key, range_key = backend.get_keys_value(table, keys)
            current = table.get_item(hash_key, range_key)
        except Exception:  # a key moto cannot read: moto fails this item without writing it
            continue
        saved.append((table, hash_key, range_key, copy.deepcopy(current)))
    return saved


def _restore(saved: list[tuple]) -> None:
    """Put every journalled item back as it was (first copy wins when a key repeats)."""
    for table, hash_key, range_key, before in reversed(saved):
        if range_key is None:
            if before is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = before
            continue
        bucket = table.items.get(hash_key)
        if before is not None:
            table.items[hash_key][range_key] = before
        elif bucket is not None:
            bucket.pop(range_key, None)
            if not bucket:
                del table.items[hash_key]


def install() -> bool:
    """Apply both fixes (idempotent). False, with a warning, on a moto other than `PINNED`."""
    import moto
    if _installed:
        return True
    if moto.__version__ != PINNED:
        log.warning("moto %s is not %s: its DynamoDB is left as it is (see local/moto_fixes.py)",
                    moto.__version__, PINNED)
        return False
    import moto.dynamodb.models as dynamodb_models
    from moto.core.common_models import BaseModel
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        saved = _journal(self, transact_items) if len(transact_items) <= 100 else []
        stats["transactions"] += 1
        stats["items_saved"] += len(saved)
        _state.skip_table_copy = True
        try:
            return original(self, transact_items)
        except BaseException:
            _restore(saved)
            stats["rollbacks"] += 1
            raise
        finally:
            _state.skip_table_copy = False

    transact_write_items.__doc__ = "moto's transact_write_items with an item journal (local/moto_fixes.py)"
    tracking_new = BaseModel.__dict__["__new__"]  # moto's, a staticmethod

    def untracked_new(cls, *args, **kwargs):
        if cls.__module__.split(".")[1] == "dynamodb":  # the key moto files its models under
            return super(BaseModel, cls).__new__(cls)
        return tracking_new.__func__(cls, *args, **kwargs)

    _installed.update(original=original, copy=dynamodb_models.copy, new=tracking_new)
    dynamodb_models.copy = _CopyModule(Table)
    DynamoDBBackend.transact_write_items = transact_write_items
    BaseModel.__new__ = staticmethod(untracked_new)
    return True


def uninstall() -> None:
    """Put moto back as it was (for tests that compare)."""
    if not _installed:
        return
    import moto.dynamodb.models as dynamodb_models
    from moto.core.common_models import BaseModel
    from moto.dynamodb.models import DynamoDBBackend

    DynamoDBBackend.transact_write_items = _installed["original"]
    dynamodb_models.copy = _installed["copy"]
    BaseModel.__new__ = _installed["new"]
    _installed.clear()


@contextmanager
def installed() -> Iterator[None]:
    """The fixes for the duration of a block, then moto as it was."""
    already = bool(_installed)
    install()
    try:
        yield
    finally:
        if not already:
            uninstall()
