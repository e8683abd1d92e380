"""Canned messages: system ones (managed by admins) and each operator's personal ones.

Ids carry their scope (`s-...` system, `p-...` personal) and personal items are stored under
their owner's key, so an operator can only ever address their own personal items: another
operator's id simply is not found under theirs. Nothing here is patron data (no TTL).
"""
from __future__ import annotations

import re
import secrets

from ..errors import ServiceError, bad_request, forbidden, not_found
from . import validation as v
from .limits import MAX_TEXT
from .model import Canned, Operator
from .ports import AlreadyExists, CannedRepository, NotFound

SYSTEM = "system"
PERSONAL = "personal"
SHORTCUT_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
MAX_PER_OWNER = 200


def owner_of(operator: Operator, scope: str) -> str:
    return SYSTEM if scope == SYSTEM else f"op#{operator.id}"


class CannedService:
    def __init__(self, store: CannedRepository, clock) -> None:
        self.store = store
        self.clock = clock

    def list(self, operator: Operator) -> dict:
        by_title = lambda c: c.title.lower()  # noqa: E731
        return {"system": [c.to_wire() for c in sorted(self.store.list(SYSTEM), key=by_title)],
                "personal": [c.to_wire() for c in sorted(self.store.list(owner_of(operator, PERSONAL)),
                                                         key=by_title)]}

    def create(self, operator: Operator, body: dict) -> dict:
        scope = v.choice(body, "scope", (SYSTEM, PERSONAL))
        self._may_edit(operator, scope)
        item = Canned(owner=owner_of(operator, scope),
                      canned_id=("s-" if scope == SYSTEM else "p-") + secrets.token_hex(6),
                      **self._fields(body), updated_by=operator.id, updated_at=self.clock())
        if len(self.store.list(item.owner)) >= MAX_PER_OWNER:
            raise ServiceError("too_large", f"at most {MAX_PER_OWNER} canned messages per list")
        try:
            self.store.put(item, must_exist=False)
        except AlreadyExists:  # 48 random bits collided: say so rather than overwrite
            raise ServiceError("conflict", "please try again") from None
        return item.to_wire()

    def update(self, operator: Operator, canned_id: str, body: dict) -> dict:
        scope = self._scope_of(canned_id)
        if body.get("scope") not in (None, scope):
            raise bad_request("a canned message cannot change scope; create a new one")
        self._may_edit(operator, scope)
        item = Canned(owner=owner_of(operator, scope), canned_id=canned_id, **self._fields(body),
                      updated_by=operator.id, updated_at=self.clock())
        try:
            self.store.put(item, must_exist=True)
        except NotFound:
            raise not_found("no such canned message") from None
        return item.to_wire()

    def delete(self, operator: Operator, canned_id: str) -> dict:
        scope = self._scope_of(canned_id)
        self._may_edit(operator, scope)
        try:
            self.store.delete(owner_of(operator, scope), canned_id)
        except NotFound:
            raise not_found("no such canned message") from None
        return {"ok": True}

    @staticmethod
    def _may_edit(operator: Operator, scope: str) -> None:
        if scope == SYSTEM and operator.role != "admin":
            raise forbidden("only admins manage system canned messages")

    @staticmethod
    def _scope_of(canned_id: str) -> str:
        if canned_id.startswith("s-"):
            return SYSTEM
        if canned_id.startswith("p-"):
            return PERSONAL
        raise not_found("no such canned message")

    @staticmethod
    def _fields(body: dict) -> dict:
        title = v.string(body, "title", required=True, max_len=100).strip()
        text = v.string(body, "text", required=True, max_len=MAX_TEXT, too_large_over=MAX_TEXT)
        shortcut = v.string(body, "shortcut", max_len=32)
        if shortcut is not None:
            shortcut = shortcut.strip().lower()
            if not SHORTCUT_RE.match(shortcut):
                raise bad_request("'shortcut' is letters, digits and dashes, up to 32")
        return {"title": title, "text": text, "shortcut": shortcut}
