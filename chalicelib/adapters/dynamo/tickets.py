"""TicketRepository on the tickets table (key: ticket_id; by_desk GSI: open_in + created_at,
sparse: only tickets not closed), HistoryRepository on the history table and the reference
lists (tags, question types) on an item of the canned table."""
from __future__ import annotations

from typing import Iterable


from ...domain.ports import AlreadyExists, StaleRead
from ...domain.ticket_model import CLOSED_TICKET, HistoryEntry, Ticket
from .base import Db, get_or_none, refused_as, stale_tx
from .stats import stat_item
from .mapper import Mapper, ttl
from .models import HistoryModel as H, MailRefModel, ReferenceListsModel as L, TicketModel as T

TICKETS = Mapper(Ticket, T, computed={"open_in": lambda t: t.queue if t.status != CLOSED_TICKET else None})
HISTORY = Mapper(HistoryEntry, H, computed={"desk_day": lambda h: f"{h.desk}#{h.day}",
                                            "sort_key": lambda h: h.sort_key})
MAIL_REF = "mail#"
LISTS_OWNER, LISTS_ID = "lists", "reference"


def _version_is(read: int):
    return T.version == read if read else (T.version.does_not_exist() | (T.version == 0))


class DynamoTickets:
    def __init__(self, db: Db) -> None:
        self.db = db

    def create(self, ticket: Ticket) -> None:
        """One PutItem, only if the id is new (AlreadyExists)."""
        with refused_as(AlreadyExists):
            TICKETS.to_model(ticket).save(condition=T.ticket_id.does_not_exist())

    def get(self, ticket_id: str) -> Ticket | None:
        """One consistent GetItem (a mail reference's item is not a ticket)."""
        if ticket_id.startswith(MAIL_REF):
            return None
        item = get_or_none(T, ticket_id)
        return TICKETS.to_record(item) if item is not None else None

    def save(self, ticket: Ticket, *, put_history: Iterable[HistoryEntry] = (),
             drop_history: Iterable[HistoryEntry] = (), stat=None) -> None:
        """One PutItem conditional on the version read, or, with history entries or a closed
        ticket's statistics record, one TransactWriteItems of that put and the entries' puts
        and deletes and the record's put. StaleRead."""
        read = ticket.version
        item = TICKETS.to_model(ticket)
        item.version = read + 1
        puts, drops = list(put_history), list(drop_history)
        condition = T.ticket_id.exists() & _version_is(read)
        if not puts and not drops and stat is None:
            with refused_as(StaleRead):
                item.save(condition=condition)
        else:
            with stale_tx(self.db) as tx:
                tx.save(item, condition=condition)
                kept = {(f"{h.desk}#{h.day}", h.sort_key) for h in puts}
                for h in drops:
                    if (f"{h.desk}#{h.day}", h.sort_key) not in kept:
                        tx.delete(H(f"{h.desk}#{h.day}", h.sort_key))
                for h in puts:
                    tx.save(HISTORY.to_model(h))
                if stat is not None:
                    tx.save(stat_item(stat))
        ticket.version = read + 1

    def open_in(self, queue_id: str) -> list[Ticket]:
        """One Query of by_desk (strongly consistent reads are not offered on a GSI: a ticket
        written a moment ago may show on the next refresh)."""
        return [TICKETS.to_record(i) for i in T.by_desk.query(queue_id, scan_index_forward=False)]

    def link_mail(self, message_id: str, ticket_id: str, expires_at: int) -> None:
        """One PutItem: the bounce handler's way from an SES message id to its ticket."""
        MailRefModel(MAIL_REF + message_id, ref=ticket_id, expires_at=ttl(expires_at)).save()

    def by_mail(self, message_id: str) -> str | None:
        item = get_or_none(MailRefModel, MAIL_REF + message_id)
        return item.ref if item is not None else None


class DynamoHistory:
    def page(self, desk: str, day: str, *, limit: int,
             start: str | None) -> tuple[list[HistoryEntry], str | None]:
        """One Query of the partition "<desk>#<day>", newest first."""
        kwargs = {"scan_index_forward": False, "limit": limit}
        if start:
            kwargs["last_evaluated_key"] = {"desk_day": {"S": f"{desk}#{day}"}, "sort_key": {"S": start}}
        result = H.query(f"{desk}#{day}", **kwargs)
        entries = [HISTORY.to_record(i) for i in result]
        last = result.last_evaluated_key
        return entries, (last["sort_key"]["S"] if last else None)


class DynamoLists:
    def reference(self) -> tuple[list[str], list[str]]:
        """One GetItem."""
        item = get_or_none(L, LISTS_OWNER, LISTS_ID)
        return (list(item.tags or []), list(item.question_types or [])) if item else ([], [])

    def set_reference(self, tags: list[str], question_types: list[str]) -> None:
        """One PutItem (admins replace the lists whole)."""
        L(LISTS_OWNER, LISTS_ID, tags=list(tags), question_types=list(question_types)).save()
