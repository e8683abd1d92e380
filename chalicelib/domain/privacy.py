"""Privacy a library sets per desk and can show (docs/privacy.md): how long a chat is kept,
whether its transcript is deleted some hours after close, whether the patron's name and e-mail
are stripped at close, whether librarians see the patron's draft; the public page generated
from those settings; and a patron's "delete my chat now".

Deleting a transcript is `Purge`: every item that holds the conversation (the chat, its
messages and their markers, claims, History entries, the survey) and every file under the
chat's prefix in S3, never the statistics record (it holds no identity). A purge is idempotent
and marked on the chat first (`purge_at`), so one that stops half-way is finished by the next
scheduled run: nothing is left half-deleted for good.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import ServiceError, bad_request, forbidden, not_found
from .access import Access, Caller, Patron

TRANSCRIPTS = ("keep", "delete")
MAX_RETENTION_DAYS = 3650
MAX_DELETE_AFTER_HOURS = 720
DELETED = "deleted"  # Chat.end_reason of a chat its patron deleted
FIELDS = ("retention_days", "transcripts", "delete_after_hours", "strip_identity", "typing_preview",
          "observer_notice")


@dataclass(frozen=True)
class Policy:
    retention_days: int
    transcripts: str = "keep"
    delete_after_hours: int = 0
    strip_identity: bool = False
    typing_preview: bool = True
    observer_notice: bool = True  # the patron is told when a supervisor looks in (supervision.py)

    @property
    def retention_seconds(self) -> int:
        return self.retention_days * 86400

    def purge_at(self, closed_at: float) -> float | None:
        """When a chat closed at `closed_at` loses its transcript (None: kept until it expires)."""
        return closed_at + self.delete_after_hours * 3600 if self.transcripts == "delete" else None

    def to_wire(self) -> dict:
        return {name: getattr(self, name) for name in FIELDS}


def parse(raw) -> dict:
    """An admin's privacy settings for a desk: every field optional (absent: the service's
    default), each checked; unknown fields refused so a typo is not silently ignored."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise bad_request("'privacy' must be an object")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise bad_request(f"'privacy' has unknown fields: {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    out: dict = {}
    for name, low, high in (("retention_days", 1, MAX_RETENTION_DAYS), ("delete_after_hours", 0, MAX_DELETE_AFTER_HOURS)):
        if raw.get(name) is not None:
            value = raw[name]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise bad_request(f"'privacy.{name}' must be a whole number {low}..{high}")
            out[name] = value
    if raw.get("transcripts") is not None:
        if raw["transcripts"] not in TRANSCRIPTS:
            raise bad_request("'privacy.transcripts' must be 'keep' or 'delete'")
        out["transcripts"] = raw["transcripts"]
    for name in ("strip_identity", "typing_preview", "observer_notice"):
        if raw.get(name) is not None:
            if not isinstance(raw[name], bool):
                raise bad_request(f"'privacy.{name}' must be true or false")
            out[name] = raw[name]
    return out


def policy_of(queue, *, retention_days: int, typing_preview: bool) -> Policy:
    """A desk's stored settings over the service's defaults (RETENTION_DAYS, TYPING_PREVIEW)."""
    stored = (queue.privacy if queue is not None else None) or {}
    return Policy(retention_days=stored.get("retention_days", retention_days),
                  transcripts=stored.get("transcripts", "keep"),
                  delete_after_hours=stored.get("delete_after_hours", 0),
                  strip_identity=stored.get("strip_identity", False),
                  typing_preview=stored.get("typing_preview", typing_preview),
                  observer_notice=stored.get("observer_notice", True))


class PrivacyService:
    def __init__(self, chats, purges, access: Access, *, desks, end_chat: Callable, history_of: Callable,
                 files=None, facts: dict | None = None, clock: Callable[[], float]) -> None:
        self.chats, self.purges, self.access, self.desks = chats, purges, access, desks
        self.end_chat, self.history_of, self.files = end_chat, history_of, files
        self.facts, self.clock = dict(facts or {}), clock

    def page(self, library: str | None) -> dict:
        """What the public privacy page says, per enabled desk of one library (every desk when
        none is named): generated from the settings, never written by hand."""
        desks = [d for d in self.desks.enabled() if library in (None, "") or d.library == library]
        if library and not desks:
            raise not_found("no such library")
        return {"library": library or None, **self.facts,
                "desks": [{"id": d.id, "name": d.name, "library": d.library,
                           "policy": self.desks.policy(d.id).to_wire()} for d in desks]}

    def delete_now(self, caller: Caller, chat_id: str) -> dict:
        """The patron's own chat, deleted everywhere now (ended first if still open, so the
        librarian sees it end and the statistics record is written)."""
        if not isinstance(caller, Patron):
            raise forbidden("only the chat's patron can delete it")
        self.access.may_read(caller, chat_id)  # a patron's token opens its own chat only
        chat = self.chats.get(chat_id)
        if chat is None:
            return {"deleted": True}  # already gone: deleting twice is no error
        if chat.is_open:
            self.end_chat(chat, "patron", DELETED)
            chat = self.chats.get(chat_id) or chat
        self.purges.mark(chat_id, self.clock())  # a purge cut short is finished by the schedule
        self._purge(chat)
        return {"deleted": True}

    def purge_due(self, limit: int = 25) -> int:
        """Scheduled: the transcripts whose time came (one Query of the chats' by_purge index)."""
        done = 0
        for chat in self.purges.due(self.clock(), limit):
            self._purge(chat)
            done += 1
        return done

    def _purge(self, chat) -> None:
        if self.files is not None:
            self.files.delete_chat(chat.chat_id)
        closed_at = self.chats.closed_at(chat.chat_id)
        history = self.history_of(chat, closed_at) if closed_at else []
        try:
            self.purges.purge(chat, history)
        except Exception as err:  # the mark stays: the next scheduled run tries again
            raise ServiceError("internal", "the chat could not be deleted completely yet; it will be") from err
