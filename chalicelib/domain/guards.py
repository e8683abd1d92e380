"""Abuse handled without IPs (docs/privacy.md "Blocks and rate limits"): what identifies a
patron (their network address and the widget's random browser id) is only ever kept as a
keyed hash, with a key that rotates every ROTATION_DAYS and is deleted (DynamoDB TTL) once
the period after it ends, so an old hash links to nothing.

- A new chat carries its fingerprint (the hashes under the current key) until it is closed:
  long enough for its librarian to block the patron, never longer.
- A block is one item per hash (`block#<epoch>#<hash>`), expiring when the block ends; a block
  lasts at most ROTATION_DAYS, so its key still exists for as long as the block does.
- A new chat is refused (neutrally: `unavailable`) when any of its hashes, under the current
  key or the previous one, is blocked; and `rate_limited` past CHAT_RATE_LIMIT chats per
  window from one browser (or NETWORK_FACTOR times that from one network, which a library's
  public computers share). Both are condition items of the chat's own create transaction:
  no extra request.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Callable

from ..errors import ServiceError, bad_request, forbidden, not_found
from . import validation as v
from .access import Access
from .model import CLOSED, Operator, iso

ROTATION_DAYS = 30
PERIOD = ROTATION_DAYS * 86400
MAX_BLOCK_HOURS = ROTATION_DAYS * 24
NETWORK_FACTOR = 20  # a library's public computers share one address
KINDS = ("browser", "network")


def epoch_of(now: float) -> int:
    return int(now // PERIOD)


@dataclass(frozen=True)
class Fingerprint:
    """The keyed hashes of a request's identifiers under one period's key."""
    epoch: int
    hashes: dict = field(default_factory=dict)  # kind -> hex

    def to_item(self) -> dict:
        return {"e": self.epoch, **{k[0]: h for k, h in self.hashes.items()}}

    @classmethod
    def from_item(cls, item: dict | None) -> "Fingerprint | None":
        if not item:
            return None
        return cls(int(item["e"]), {k: item[k[0]] for k in KINDS if item.get(k[0])})


@dataclass(frozen=True)
class CreateGuard:
    """What a chat's create transaction checks: block items that must not hold a live block,
    rate counters (key, limit, expires_at) it increments only below their limit."""
    blocks: list
    counters: list
    fingerprint: Fingerprint | None = None


def _hash(key: bytes, kind: str, value: str) -> str:
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def block_key(epoch: int, digest: str) -> str:
    return f"block#{epoch}#{digest}"


class Guards:
    def __init__(self, repo, chats, access: Access, *, limit: int, window_seconds: int,
                 clock: Callable[[], float], ids: Callable[[], str] = lambda: secrets.token_hex(8)) -> None:
        self.repo, self.chats, self.access, self.clock, self.ids = repo, chats, access, clock, ids
        self.limit, self.window = limit, window_seconds

    def _fingerprint(self, epoch: int, identity: dict, *, create: bool) -> Fingerprint | None:
        key = self.repo.epoch_key(epoch, create=create, expires_at=(epoch + 2) * PERIOD)
        if key is None:
            return None
        return Fingerprint(epoch, {k: _hash(key, k, identity[k]) for k in KINDS if identity.get(k)})

    def for_create(self, identity: dict) -> CreateGuard:
        """identity: {"network": source address, "browser": the widget's id} (either may be
        missing). The keys are cached per period by the repository: no request when warm."""
        now = self.clock()
        epoch = epoch_of(now)
        current = self._fingerprint(epoch, identity, create=True)
        previous = self._fingerprint(epoch - 1, identity, create=False)
        blocks = [block_key(fp.epoch, h) for fp in (current, previous) if fp for h in fp.hashes.values()]
        window = int(now // self.window)
        counters = []
        for kind, digest in current.hashes.items():
            limit = self.limit * (NETWORK_FACTOR if kind == "network" else 1)
            counters.append((f"rate#{epoch}#{digest}#{window}", limit, (window + 1) * self.window + 60))
        return CreateGuard(blocks=blocks, counters=counters if self.limit else [], fingerprint=current)

    # ------------------------------------------------------------ blocks

    def block(self, operator: Operator, chat_id: str, body: dict) -> dict:
        """The chat's librarian (or an admin) blocks its patron for `hours` with a reason."""
        chat = self.chats.get(chat_id)
        if chat is None or chat.expires_at <= self.clock():
            raise not_found("no such chat")
        if not operator.is_admin and chat.operator_id != operator.id:
            raise forbidden("only the chat's librarian or an admin can block its patron")
        hours = v.integer(body, "hours", minimum=1, maximum=MAX_BLOCK_HOURS)
        reason = (v.string(body, "reason", required=True, max_len=200) or "").strip()
        if not reason:
            raise bad_request("'reason' must say why")
        fp = Fingerprint.from_item(chat.guard)
        if chat.status == CLOSED or fp is None or not fp.hashes:
            raise ServiceError("invalid_state", "this chat no longer says who its patron was; "
                                                "block from an open or ended chat")
        now = self.clock()
        block = {"block_id": self.ids(), "until": now + hours * 3600, "reason": reason,
                 "by": operator.id, "by_name": operator.name, "queue": chat.queue, "at": now}
        self.repo.put_block([block_key(fp.epoch, h) for h in fp.hashes.values()], block)
        return {"block": _wire(block)}

    def list(self, admin: Operator) -> dict:
        self.access.require_admin(admin)
        now = self.clock()
        return {"blocks": [_wire(b) for b in self.repo.blocks() if b["until"] > now]}

    def lift(self, admin: Operator, block_id: str) -> dict:
        self.access.require_admin(admin)
        if not self.repo.lift(block_id):
            raise not_found("no such block")
        return {"lifted": True}


def _wire(block: dict) -> dict:
    return {"id": block["block_id"], "until": iso(block["until"]), "reason": block["reason"],
            "by": {"id": block["by"], "name": block.get("by_name") or block["by"]},
            "queue": block.get("queue"), "at": iso(block["at"])}
