"""What a librarian records at close, what History finds, and chat transcripts by e-mail.

- The close form (question type, READ scale 1-6, tags from the admins' list, an internal
  note) is stored with the chat or ticket. The note is internal: no patron route returns the
  record, and transcripts are built from messages only.
- History: a closed chat or ticket is filed under each desk it was offered to and its UTC day
  (table `history`, written in the close's own transaction). A search reads one Query per
  desk and day, newest day first, and matches librarian, tag and words within what it read;
  it stops after HISTORY_QUERIES Queries or a full page and hands back a cursor. No Scan.
- Transcripts: the address is used for that one message and stored nowhere.
"""
from __future__ import annotations

import base64
import json
import re
from datetime import date, datetime, timedelta, timezone
from typing import Callable

from ..errors import ServiceError, bad_request, forbidden, not_found
from . import mail as mails
from . import validation as v
from .access import Access
from .limits import BACKLOG_PAGE, MAX_COMMENT
from .model import CLOSED, ENDED, Operator, iso
from .ports import HistoryRepository, ListsRepository, MailFailed, StaleRead
from .ticket_model import CLOSED_TICKET, HistoryEntry, Ticket

READ_SCALE = range(1, 7)
MAX_TAGS, MAX_TAG = 100, 60
HISTORY_QUESTION = 300  # characters of the question kept on a History entry
HISTORY_PAGE = 25
HISTORY_QUERIES = 60  # Queries one search request may make before it hands back a cursor
HISTORY_DAYS = 92
WORD = re.compile(r"\w+", re.UNICODE)


def _day(text: str | None, name: str, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise bad_request(f"'{name}' must be a date YYYY-MM-DD") from None


def _encode(cursor: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(cursor, separators=(",", ":")).encode()).decode()


def _decode(text: str) -> dict:
    try:
        cursor = json.loads(base64.urlsafe_b64decode(text.encode()))
        if isinstance(cursor, dict) and isinstance(cursor.get("d"), int) and isinstance(cursor.get("q"), int):
            return cursor
    except (ValueError, TypeError):
        pass
    raise bad_request("'cursor' is not one this service gave")


class Records:
    def __init__(self, chats, log, history: HistoryRepository, lists: ListsRepository,
                 access: Access, *, desks, mailer, library: str, clock: Callable[[], float]) -> None:
        self.chats, self.log, self.history, self.lists = chats, log, history, lists
        self.access, self.desks, self.mailer, self.library, self.clock = access, desks, mailer, library, clock

    # --------------------------------------------------------- the lists

    def reference(self, operator: Operator) -> dict:
        tags, types = self.lists.reference()
        return {"tags": tags, "question_types": types}

    def set_reference(self, admin: Operator, body: dict) -> dict:
        self.access.require_admin(admin)
        tags = self._names(body, "tags", required=True)
        types = self._names(body, "question_types", required=False)
        if types is None:
            types = self.lists.reference()[1]
        self.lists.set_reference(tags, types)
        return {"tags": tags, "question_types": types}

    @staticmethod
    def _names(body: dict, name: str, required: bool) -> list[str] | None:
        raw = body.get(name)
        if raw is None and not required:
            return None
        if not isinstance(raw, list) or len(raw) > MAX_TAGS or \
                not all(isinstance(t, str) and 0 < len(t.strip()) <= MAX_TAG for t in raw):
            raise bad_request(f"'{name}' must be a list of up to {MAX_TAGS} names of 1..{MAX_TAG} characters")
        return list(dict.fromkeys(t.strip() for t in raw))

    # ------------------------------------------------------ the close form

    def validate(self, body: dict) -> dict:
        tags, types = self.lists.reference()
        record: dict = {}
        if body.get("question_type") is not None:
            record["question_type"] = v.choice(body, "question_type", tuple(types) or ("",))
        if body.get("read") is not None:
            record["read"] = v.integer(body, "read", minimum=1, maximum=6)
        if body.get("tags") is not None:
            chosen = body["tags"]
            if not isinstance(chosen, list) or not all(isinstance(t, str) for t in chosen):
                raise bad_request("'tags' must be a list of tag names")
            unknown = sorted(set(chosen) - set(tags))
            if unknown:
                raise bad_request(f"not on the tag list: {', '.join(unknown)}")
            record["tags"] = list(dict.fromkeys(chosen))
        note = v.string(body, "note", max_len=MAX_COMMENT, min_len=0)
        if note:
            record["note"] = note.strip()
        return record

    def chat_record(self, operator: Operator, chat_id: str) -> dict:
        """`GET /chats/{id}/record`: what History's "Edit record" starts from, the internal note
        included (History's entries leave it out): one GetItem. Its librarian, an admin, or a
        librarian of a desk it was offered to."""
        chat = self.chats.get(chat_id)
        if chat is None or chat.expires_at <= self.clock():
            raise not_found("no such chat")
        desks = set(chat.offered or [chat.queue])
        if not (operator.is_admin or chat.operator_id == operator.id or not operator.queues
                or desks & set(operator.queues)):
            raise forbidden("this chat is not of one of your desks")
        return {"record": chat.record}

    def save_chat_record(self, operator: Operator, chat_id: str, body: dict) -> dict:
        """`PUT /chats/{id}/record`: its librarian (or an admin), once it has ended; a closed
        chat's History entries are rewritten with it in one transaction."""
        record = self.validate(body)
        for _ in range(3):
            chat = self.chats.get(chat_id)
            if chat is None or chat.expires_at <= self.clock():
                raise not_found("no such chat")
            if chat.operator_id != operator.id and not operator.is_admin:
                raise forbidden("only the librarian who answered this chat records it")
            if chat.status not in (ENDED, CLOSED):
                raise ServiceError("invalid_state", "end the chat before recording it")
            stored = {**record, "by": operator.id, "at": iso(self.clock())}
            if "note" not in body and (chat.record or {}).get("note"):
                stored["note"] = chat.record["note"]  # omitted is kept; "" clears it
            history = []
            if chat.status == CLOSED:
                closed_at = self.chats.closed_at(chat_id) or chat.ended_at or self.clock()
                chat.record = stored
                history = self.chat_history(chat, closed_at)
            try:
                self.chats.set_record(chat, stored, history)
            except StaleRead:
                continue
            return {"record": stored}
        raise ServiceError("conflict", "the chat changed meanwhile; try again")

    # ------------------------------------------------------------- history

    def chat_history(self, chat, closed_at: float) -> list[HistoryEntry]:
        record = chat.record or {}
        return [HistoryEntry("chat", chat.chat_id, desk, closed_at, chat.question[:HISTORY_QUESTION],
                             chat.expires_at, desks=list(dict.fromkeys(chat.offered or [chat.queue])),
                             operator_id=chat.operator_id, operator_name=chat.operator_name,
                             tags=list(record.get("tags", [])), read=record.get("read"),
                             question_type=record.get("question_type"))
                for desk in dict.fromkeys(chat.offered or [chat.queue])]

    def ticket_history(self, ticket: Ticket, before: tuple) -> tuple[list[HistoryEntry], list[HistoryEntry]]:
        """(entries to put, entries to delete) for a ticket write: put while closed (again with
        every change, so a record edit shows), delete the old entry when it reopens."""
        was_status, was_closed_at = before
        drops = []
        if was_status == CLOSED_TICKET and was_closed_at and ticket.closed_at != was_closed_at:
            drops = [self._ticket_entry(ticket, was_closed_at)]
        puts = [self._ticket_entry(ticket, ticket.closed_at)] if ticket.status == CLOSED_TICKET else []
        return puts, drops

    @staticmethod
    def _ticket_entry(ticket: Ticket, closed_at: float) -> HistoryEntry:
        record = ticket.record or {}
        return HistoryEntry("ticket", ticket.ticket_id, ticket.queue, closed_at,
                            ticket.question[:HISTORY_QUESTION], ticket.expires_at, desks=[ticket.queue],
                            operator_id=ticket.operator_id, operator_name=ticket.operator_name,
                            tags=list(record.get("tags", [])), read=record.get("read"),
                            question_type=record.get("question_type"))

    def search(self, operator: Operator, params: dict) -> dict:
        today = datetime.fromtimestamp(self.clock(), tz=timezone.utc).date()
        last = _day(params.get("to"), "to", today)
        first = _day(params.get("from"), "from", last - timedelta(days=6))
        if first > last or (last - first).days >= HISTORY_DAYS:
            raise bad_request(f"'from' must be on or before 'to', at most {HISTORY_DAYS} days apart")
        readable = self._readable_desks(operator)
        queue = params.get("queue")
        if queue:
            if queue not in readable:
                raise forbidden("that is not one of your desks")
            desks = [queue]
        else:
            desks = readable
        words = [w.lower() for w in WORD.findall(params.get("q") or "")]
        tag, librarian = params.get("tag") or None, params.get("operator") or None
        cursor = _decode(params["cursor"]) if params.get("cursor") else {"d": 0, "q": 0}
        days = [(last - timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
        items, queries = [], 0
        d, q, start = cursor["d"], cursor["q"], cursor.get("k")
        while d < len(days) and len(items) < HISTORY_PAGE and queries < HISTORY_QUERIES:
            desk = desks[q] if q < len(desks) else None
            if desk is None:
                d, q, start = d + 1, 0, None
                continue
            page, start = self.history.page(desk, days[d], limit=HISTORY_PAGE - len(items), start=start)
            queries += 1
            for entry in page:
                first_readable = next((x for x in entry.desks or [entry.desk] if x in desks), entry.desk)
                if first_readable != desk:
                    continue  # listed under an earlier desk of this search
                if self._matches(entry, words, tag, librarian):
                    items.append(entry.to_wire())
            if start is None:
                q += 1
        more = d < len(days)
        return {"items": items,
                "cursor": _encode({"d": d, "q": q, **({"k": start} if start else {})}) if more else None,
                "queries": queries}

    @staticmethod
    def _matches(entry: HistoryEntry, words: list[str], tag: str | None, librarian: str | None) -> bool:
        if librarian and entry.operator_id != librarian:
            return False
        if tag and tag not in entry.tags:
            return False
        if words:
            have = {w.lower() for w in WORD.findall(entry.question)} | {t.lower() for t in entry.tags}
            return all(any(h.startswith(w) for h in have) for w in words)
        return True

    def _readable_desks(self, operator: Operator) -> list[str]:
        every = sorted(q.id for q in self.desks.all())
        if operator.is_admin or not operator.queues:
            return every
        return [q for q in every if q in operator.queues]

    # ---------------------------------------------------------- transcripts

    def email_transcript(self, caller, chat_id: str, body: dict) -> dict:
        """`POST /chats/{id}/transcript`: the chat's patron, or a librarian; every message of
        the chat and nothing else. The address goes into the one message and nowhere else."""
        self.access.may_read(caller, chat_id)
        to = v.email(body)
        if not to:
            raise bad_request("'email' is required")
        chat = self.chats.get(chat_id)
        if chat is None or chat.expires_at <= self.clock():
            raise not_found("no such chat")
        entries = mails.message_entries(self.log.after(chat_id, 0, BACKLOG_PAGE))
        desk = self.desks.get(chat.queue)
        library = (desk.library or desk.name) if desk else self.library
        mail = mails.transcript(to, f"your chat of {iso(chat.created_at)[:10]} with {library}", entries, library)
        if self.mailer is None:
            raise ServiceError("unavailable", "e-mail is not set up for this service")
        try:
            self.mailer.send(mail)
        except MailFailed as err:
            raise ServiceError("mail_failed", f"the transcript could not be sent: {err.detail}") from None
        return {"sent": True}
