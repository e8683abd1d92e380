"""Desks ("queues") as data: the directory, what admins may change, public status, the line.

The directory is small (a co-op has dozens of desks) and read by almost every use case (which
desks exist, their hours, rollover and recent waits), so each container keeps it for
`cache_seconds` after one Query and forgets it when this container writes a desk. Another
container sees an admin's change within that time; nothing that must be exact depends on it
(claims and rollovers are settled by conditions on the chat item).

A library that never configured desks has the settings' QUEUES: they are written to the table
on first use (put-if-absent), always open, with every librarian a member.
"""
from __future__ import annotations

import dataclasses
import re
import statistics
import threading
from datetime import date
from typing import Callable, Iterable

from ..errors import ServiceError, bad_request, not_found
from . import hours as h
from . import validation as v
from .access import Access
from .limits import MAX_NAME
from .model import WEEKDAYS, Chat, Connection, Operator, Queue, Watch, iso
from .ports import AlreadyExists, NotFound, OperatorRepository, QueueRepository, WatchRepository
from .privacy import Policy, policy_of
from .privacy import parse as parse_privacy

QUEUE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_SPANS_PER_DAY = 6
MAX_CLOSED_DATES = 366
MAX_CARD = 4000
ROLLOVER_MIN, ROLLOVER_MAX = 10, 86400


class Desks:
    def __init__(self, repo: QueueRepository, operators: OperatorRepository, access: Access, *,
                 defaults: Iterable, clock: Callable[[], float], cache_seconds: int = 30,
                 retention_days: int = 30, typing_preview: bool = True) -> None:
        self.repo = repo
        self.operators = operators
        self.access = access
        self.defaults = tuple(defaults)  # settings.Queue(id, name): the desks before any admin
        self.clock = clock
        self.cache_seconds = cache_seconds
        self.privacy_defaults = {"retention_days": retention_days, "typing_preview": typing_preview}
        self._cached: tuple[float, list[Queue]] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ directory

    def all(self) -> list[Queue]:
        """Every desk (disabled ones too), in the order they were defined: the settings'
        defaults first, then the others by id."""
        now = self.clock()
        with self._lock:
            if self._cached and now - self._cached[0] < self.cache_seconds:
                return self._cached[1]
        found = self.repo.list()
        if not found:
            found = self._bootstrap()
        order = {q.id: i for i, q in enumerate(self.defaults)}
        found.sort(key=lambda q: (order.get(q.id, len(order)), q.id))
        with self._lock:
            self._cached = (now, found)
        return found

    def _bootstrap(self) -> list[Queue]:
        made = []
        for d in self.defaults:
            queue = Queue(id=d.id, name=d.name)
            try:
                self.repo.put(queue, must_exist=False)
            except AlreadyExists:
                pass  # another container wrote it first; same desk
            made.append(queue)
        return made

    def forget(self) -> None:
        with self._lock:
            self._cached = None

    def by_id(self) -> dict[str, Queue]:
        return {q.id: q for q in self.all()}

    def enabled(self) -> list[Queue]:
        return [q for q in self.all() if q.enabled]

    def enabled_ids(self) -> list[str]:
        return [q.id for q in self.enabled()]

    def get(self, queue_id: str) -> Queue | None:
        return self.by_id().get(queue_id)

    def policy(self, queue_id: str) -> Policy:
        """The desk's privacy settings over the service's defaults (domain/privacy.py)."""
        return policy_of(self.get(queue_id), **self.privacy_defaults)

    def peek(self, queue_id: str) -> Queue | None:
        """The desk if this container holds the directory now, without reading it (a claim
        must not cache the desk's recent waits just before it writes a new one)."""
        with self._lock:
            cached = self._cached
        if cached and self.clock() - cached[0] < self.cache_seconds:
            return next((q for q in cached[1] if q.id == queue_id), None)
        return None

    def default_id(self) -> str:
        enabled = self.enabled()
        if not enabled:
            raise ServiceError("invalid_state", "no desk is taking questions")
        return enabled[0].id

    def rollover_of(self, chat: Chat) -> Queue | None:
        """The desk a waiting chat rolls over to next, if its time has come: the last desk it
        reached names one it has not been offered yet, and has waited that desk's seconds. A
        chain never offers a desk twice, so even a loop slipped past the admin check ends."""
        last = self.get(chat.offered[-1])
        if last is None or not last.rollover_to or last.rollover_to in chat.offered:
            return None
        target = self.get(last.rollover_to)
        if target is None or not target.enabled:
            return None
        if self.clock() - chat.last_offered_at < last.rollover_after:
            return None
        return target

    # -------------------------------------------------------------- admins

    def list(self, operator: Operator) -> dict:
        return {"queues": [q.to_wire() for q in self.all()]}

    def create(self, admin: Operator, body: dict) -> dict:
        self.access.require_admin(admin)
        queue_id = v.string(body, "id", required=True, max_len=32)
        if not QUEUE_ID.match(queue_id):
            raise bad_request("'id' must be 1-32 lowercase letters, digits or '-', starting with a letter or digit")
        queue = self._apply(Queue(id=queue_id, name=""), body, creating=True)
        self.all()  # a fresh stage writes its default desks first, or they never would be
        try:
            self.repo.put(queue, must_exist=False)
        except AlreadyExists:
            raise ServiceError("conflict", f"there is already a desk '{queue_id}'") from None
        self.forget()
        return queue.to_wire()

    def update(self, admin: Operator, queue_id: str, body: dict) -> dict:
        self.access.require_admin(admin)
        self.forget()
        current = self.get(queue_id)
        if current is None:
            raise not_found("no such desk")
        if "id" in body and body["id"] != queue_id:
            raise bad_request("a desk's id cannot change")
        queue = self._apply(dataclasses.replace(current, waits=[]), body, creating=False)
        try:
            self.repo.put(queue, must_exist=True)
        except NotFound:
            raise not_found("no such desk") from None
        self.forget()
        return queue.to_wire()

    def _apply(self, queue: Queue, body: dict, *, creating: bool) -> Queue:
        """Every field given replaces the desk's; everything is checked before anything is
        written."""
        if creating or "name" in body:
            queue.name = v.string(body, "name", required=True, max_len=MAX_NAME).strip()
            if not queue.name:
                raise bad_request("'name' must not be empty")
        if "library" in body:
            library = v.string(body, "library", max_len=MAX_NAME, min_len=0)
            queue.library = library.strip() if library and library.strip() else None
        if creating or "timezone" in body:
            tz = body.get("timezone", "UTC") if creating else body.get("timezone")
            if h.zone(tz) is None:
                raise bad_request("'timezone' must be an IANA time zone such as 'America/New_York'")
            queue.timezone = tz
        if "hours" in body:
            queue.hours = _hours(body["hours"])
        if "closed_dates" in body:
            queue.closed_dates = _dates(body["closed_dates"])
        if "rollover" in body:
            queue.rollover_to, queue.rollover_after = self._rollover(queue.id, body["rollover"])
        if "privacy" in body:
            queue.privacy = parse_privacy(body["privacy"]) or None
        if "card" in body:
            queue.card_text, queue.card_reviewed_on = _card(body["card"])
        if "enabled" in body:
            queue.enabled = v.boolean(body, "enabled", required=True)
        return queue

    def _rollover(self, queue_id: str, raw) -> tuple[str | None, int]:
        if raw is None:
            return None, 0
        if not isinstance(raw, dict):
            raise bad_request("'rollover' must be null or {\"to\", \"after_seconds\"}")
        to = v.string(raw, "to", required=True, max_len=32)
        after = v.integer(raw, "after_seconds", minimum=ROLLOVER_MIN, maximum=ROLLOVER_MAX)
        desks = self.by_id()
        if to == queue_id:
            raise bad_request("a desk cannot roll over to itself")
        if to not in desks:
            raise bad_request(f"rollover target '{to}' is not a desk")
        seen, cursor = [queue_id], to
        while cursor:
            if cursor in seen:
                chain = " -> ".join([*seen, cursor])
                raise bad_request(f"this rollover would make a loop: {chain}")
            seen.append(cursor)
            nxt = desks.get(cursor)
            cursor = nxt.rollover_to if nxt else None
        return to, after

    # ---------------------------------------------------------------- public

    def status(self, online_conns: list[Connection], available: set[str],
               queue_id: str | None = None) -> dict:
        """Per desk: open (hours) and online (open and an available librarian watches it, or
        it rolls over to a desk that is online). `available`: ids of connected available
        operators; `online_conns`: their connections with the desks each watches."""
        now = self.clock()
        desks = [q for q in self.all() if q.enabled]
        watched: dict[str, bool] = {}
        for conn in online_conns:
            if conn.operator_id in available:
                for q in conn.watching:
                    watched[q] = True
        by_id = {q.id: q for q in desks}

        def online(q: Queue, seen: frozenset = frozenset()) -> bool:
            if not h.is_open(q, now):
                return False
            if watched.get(q.id):
                return True
            nxt = by_id.get(q.rollover_to or "")
            return bool(nxt) and nxt.id not in seen and online(nxt, seen | {q.id})

        entries = [{**self._status_entry(q, now, online(q)), "typing_preview": self.policy(q.id).typing_preview}
                   for q in desks]
        # `at`: when it was true; a watcher keeps the newest (a push may overtake a welcome)
        out = {"online": any(e["online"] for e in entries), "queues": entries, "at": iso(now)}
        if queue_id is not None:
            entry = next((e for e in entries if e["id"] == queue_id), None)
            if entry is None:
                raise not_found("no such desk")
            out["queue"] = entry
        return out

    @staticmethod
    def _status_entry(q: Queue, now: float, online: bool) -> dict:
        is_open = h.is_open(q, now)
        entry = {"id": q.id, "name": q.name, "online": online, "open": is_open,
                 "timezone": q.timezone}
        if q.library:
            entry["library"] = q.library
        if not is_open:
            nxt = h.next_open(q, now)
            if nxt is not None:
                entry["next_open"] = iso(nxt)
        else:
            closes = h.closes_at(q, now)
            if closes is not None:
                entry["closes_at"] = iso(closes)
        return entry

    def require_open(self, queue_id: str) -> Queue:
        """The desk a patron asks: it must exist, be enabled and be open now."""
        queue = self.get(queue_id)
        if queue is None or not queue.enabled:
            raise bad_request(f"'queue' must be one of: {', '.join(self.enabled_ids())}")
        now = self.clock()
        if not h.is_open(queue, now):
            nxt = h.next_open(queue, now)
            when = f"; it opens {iso(nxt)}" if nxt else ""
            raise ServiceError("invalid_state", f"this desk is closed{when}", status=409)
        return queue

    # ----------------------------------------------------------------- line

    def expected_wait(self, chat: Chat, position: int) -> int | None:
        """Median of the home desk's recent claim waits, times the place in line."""
        desk = self.get(chat.queue)
        if desk is None or not desk.waits:
            return None
        return int(round(statistics.median(desk.waits) * position))


DESKS_ORIGIN = "desks:"  # a push to desk watchers names its lists so: "desks:<id>,<id>"


def desks_origin(queue_ids) -> str:
    return DESKS_ORIGIN + ",".join(queue_ids)


def audience_of(watches: WatchRepository, queue_ids) -> list[Watch]:
    """Who watches these desks: one consistent Query of the watches table per desk."""
    found: list[Watch] = []
    for queue_id in dict.fromkeys(queue_ids):
        found.extend(watches.of_queue(queue_id))
    return found


def line_positions(waiting: list[Chat]) -> dict[str, int]:
    """Place in line of each waiting chat: 1 + the chats asked before it that share a desk
    it is offered to (oldest first; what a librarian watching that desk would answer first)."""
    ordered = sorted(waiting, key=lambda c: (c.created_at, c.chat_id))
    out = {}
    for i, chat in enumerate(ordered):
        desks = set(chat.offered)
        out[chat.chat_id] = 1 + sum(1 for other in ordered[:i] if desks & set(other.offered))
    return out


def _hours(raw) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request("'hours' must be null (always open) or {\"mon\": [[\"09:00\", \"17:00\"]], ...}")
    unknown = set(raw) - set(WEEKDAYS)
    if unknown:
        raise bad_request(f"'hours' days are {', '.join(WEEKDAYS)}; not {', '.join(sorted(unknown))}")
    out = {}
    for day in WEEKDAYS:
        spans = raw.get(day) or []
        if not isinstance(spans, list) or len(spans) > MAX_SPANS_PER_DAY:
            raise bad_request(f"'hours.{day}' must be a list of at most {MAX_SPANS_PER_DAY} [open, close] pairs")
        pairs = []
        for span in spans:
            if (not isinstance(span, list) or len(span) != 2
                    or not all(isinstance(t, str) and HHMM.match(t) for t in span)):
                raise bad_request(f"'hours.{day}' entries must be [\"HH:MM\", \"HH:MM\"] (00:00 to 24:00)")
            if h.minutes(span[0]) >= h.minutes(span[1]):
                raise bad_request(f"'hours.{day}': {span[0]}-{span[1]} must open before it closes")
            pairs.append((span[0], span[1]))
        pairs.sort(key=lambda p: h.minutes(p[0]))
        for (a1, b1), (a2, _) in zip(pairs, pairs[1:]):
            if h.minutes(a2) < h.minutes(b1):
                raise bad_request(f"'hours.{day}': {a1}-{b1} overlaps the next opening")
        out[day] = [list(p) for p in pairs]
    return out


def _valid_date(text) -> bool:
    if not isinstance(text, str) or not DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _dates(raw) -> list[str]:
    if not isinstance(raw, list) or len(raw) > MAX_CLOSED_DATES:
        raise bad_request(f"'closed_dates' must be a list of at most {MAX_CLOSED_DATES} dates")
    if not all(_valid_date(d) for d in raw):
        raise bad_request("'closed_dates' entries must be dates as YYYY-MM-DD")
    return sorted(set(raw))


def _card(raw) -> tuple[str | None, str | None]:
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        raise bad_request("'card' must be null or {\"text\", \"reviewed_on\"}")
    text = v.string(raw, "text", required=True, max_len=MAX_CARD, too_large_over=MAX_CARD)
    reviewed = raw.get("reviewed_on")
    if reviewed is not None and not _valid_date(reviewed):
        raise bad_request("'card.reviewed_on' must be a date as YYYY-MM-DD")
    return (text.strip() or None), reviewed

