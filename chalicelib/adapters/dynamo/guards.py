"""GuardRepository on the guards table (domain/guards.py): the rotating keys, the blocks (one
item per keyed hash; the sparse by_kind index lists the live ones for admins) and, through
`add_checks`, the block checks and rate counters a chat's create transaction carries."""
from __future__ import annotations

import secrets
import threading

from pynamodb.exceptions import PutError

from .base import condition_failed, get_or_none
from .mapper import ttl
from .models import GuardModel as G

BLOCK = "block"


def add_checks(tx, guard, now: float) -> int:
    """A create transaction's guard: a ConditionCheck per block item (no live block) and an
    update per rate counter (only below its limit). Returns how many condition checks went in:
    PynamoDB sends them first, so the caller can tell a block from the chat's own refusal."""
    for key in guard.blocks:
        tx.condition_check(G, key, condition=G.until.does_not_exist() | (G.until <= now))
    for key, limit, expires_at in guard.counters:
        tx.update(G(key), actions=[G.count.add(1), G.expires_at.set(ttl(expires_at))],
                  condition=G.count.does_not_exist() | (G.count < limit))
    return len(guard.blocks)


class DynamoGuards:
    def __init__(self) -> None:
        self._keys: dict[int, bytes | None] = {}
        self._lock = threading.Lock()

    def epoch_key(self, epoch: int, *, create: bool, expires_at: int) -> bytes | None:
        """The period's random key: cached per container; else one GetItem; a missing key of
        the current period is made with one conditional PutItem (the first writer wins, the
        others read it)."""
        with self._lock:
            if epoch in self._keys:
                return self._keys[epoch]
        item = get_or_none(G, f"key#{epoch}")
        if item is None and create:
            try:
                G(f"key#{epoch}", secret=secrets.token_hex(32), expires_at=ttl(expires_at)).save(
                    condition=G.key.does_not_exist())
            except PutError as err:
                if not condition_failed(err):
                    raise
            item = get_or_none(G, f"key#{epoch}")
        if item is None or not item.secret:
            if not create:  # a past period's key is never made later: its absence is kept too
                with self._lock:
                    self._keys[epoch] = None
            return None
        with self._lock:
            self._keys[epoch] = bytes.fromhex(item.secret)
        return self._keys[epoch]

    def put_block(self, keys: list[str], block: dict) -> None:
        """One BatchWriteItem: an item per hash, expiring when the block ends."""
        with G.batch_write() as batch:
            for key in keys:
                batch.save(G(key, kind=BLOCK, expires_at=ttl(int(block["until"]) + 1), **block))

    def blocks(self) -> list[dict]:
        """One Query of by_kind: every block item, one entry per block."""
        out: dict[str, dict] = {}
        for item in G.by_kind.query(BLOCK):
            out.setdefault(item.block_id, {"block_id": item.block_id, "until": float(item.until),
                                           "reason": item.reason, "by": item.by, "by_name": item.by_name,
                                           "queue": item.queue, "at": float(item.at or 0), "keys": []})
            out[item.block_id]["keys"].append(item.key)
        return sorted(out.values(), key=lambda b: -b["at"])

    def lift(self, block_id: str) -> bool:
        """The block's items deleted (a Query of by_kind, then one BatchWriteItem)."""
        found = [b for b in self.blocks() if b["block_id"] == block_id]
        if not found:
            return False
        with G.batch_write() as batch:
            for key in found[0]["keys"]:
                batch.delete(G(key))
        return True
