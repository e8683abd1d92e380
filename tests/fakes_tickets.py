"""In-memory fakes of the ticket, history and reference-list ports, with the conditions of
chalicelib/adapters/dynamo/tickets.py (the store contract suite runs both)."""
from __future__ import annotations

import copy

from chalicelib.domain.ports import AlreadyExists, StaleRead
from chalicelib.domain.ticket_model import CLOSED_TICKET, HistoryEntry, Ticket


def _key(h: HistoryEntry) -> tuple[str, str]:
    return f"{h.desk}#{h.day}", h.sort_key


class MemoryTickets:
    name = "tickets"

    def __init__(self, db) -> None:
        self.db = db

    def _call(self, method: str) -> None:
        self.db.calls.append(f"{self.name}.{method}")

    def create(self, ticket: Ticket) -> None:
        with self.db.lock:
            self._call("create")
            if ticket.ticket_id in self.db.tickets:
                raise AlreadyExists()
            self.db.tickets[ticket.ticket_id] = copy.deepcopy(ticket)

    def get(self, ticket_id: str) -> Ticket | None:
        with self.db.lock:
            self._call("get")
            found = self.db.tickets.get(ticket_id)
            return copy.deepcopy(found) if found else None

    def save(self, ticket: Ticket, *, put_history=(), drop_history=(), stat=None) -> None:
        with self.db.lock:
            self._call("save")
            stored = self.db.tickets.get(ticket.ticket_id)
            if stored is None or stored.version != ticket.version:
                raise StaleRead()
            puts = list(put_history)
            kept = {_key(h) for h in puts}
            for h in drop_history:
                if _key(h) not in kept:
                    self.db.history.pop(_key(h), None)
            for h in puts:
                self.db.history[_key(h)] = copy.deepcopy(h)
            if stat is not None:
                from tests.fakes import put_stat
                put_stat(self.db, stat)
            ticket.version += 1
            self.db.tickets[ticket.ticket_id] = copy.deepcopy(ticket)

    def open_in(self, queue_id: str) -> list[Ticket]:
        with self.db.lock:
            self._call("open_in")
            found = [t for t in self.db.tickets.values() if t.queue == queue_id and t.status != CLOSED_TICKET]
            return [copy.deepcopy(t) for t in sorted(found, key=lambda t: -t.created_at)]

    def link_mail(self, message_id: str, ticket_id: str, expires_at: int) -> None:
        with self.db.lock:
            self._call("link_mail")
            self.db.mail_refs[message_id] = ticket_id

    def by_mail(self, message_id: str) -> str | None:
        with self.db.lock:
            self._call("by_mail")
            return self.db.mail_refs.get(message_id)


class MemoryHistory:
    name = "history"

    def __init__(self, db) -> None:
        self.db = db

    def page(self, desk: str, day: str, *, limit: int, start: str | None):
        with self.db.lock:
            self.db.calls.append("history.page")
            part = sorted((k[1], h) for k, h in self.db.history.items() if k[0] == f"{desk}#{day}")
            part.reverse()
            if start is not None:
                part = [(k, h) for k, h in part if k < start]
            page = part[:limit]
            more = len(part) > limit
            return [copy.deepcopy(h) for _, h in page], (page[-1][0] if more and page else None)


class MemoryLists:
    name = "lists"

    def __init__(self, db) -> None:
        self.db = db

    def reference(self):
        with self.db.lock:
            self.db.calls.append("lists.reference")
            return list(self.db.lists[0]), list(self.db.lists[1])

    def set_reference(self, tags, question_types) -> None:
        with self.db.lock:
            self.db.calls.append("lists.set_reference")
            self.db.lists = (list(tags), list(question_types))


class RecordingMailer:
    """Keeps every Mail; addresses in `refuse` fail like SES's MessageRejected."""

    def __init__(self) -> None:
        self.sent: list = []
        self.refuse: set[str] = set()

    def send(self, mail) -> str:
        from chalicelib.domain.ports import MailFailed
        if mail.to in self.refuse:
            raise MailFailed("MessageRejected: Address blacklisted.")
        self.sent.append(mail)
        return f"msg-{len(self.sent)}"
