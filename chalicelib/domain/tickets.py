"""Tickets: questions answered by e-mail (docs/tickets.md).

A ticket is asked outside hours or when nobody is online, or made from a chat (its patron's
"leave your question", its librarian's "make a ticket", or a patron who could not reconnect).
Librarians of its desk claim it (one winner: every write is a whole put conditional on the
version read), reply (each reply is e-mailed with the signed link), note, close and reopen.
The patron follows it from the link, with no account.

Mail is sent after the ticket's write that it is about, and what became of it (sent, failed
with SES's reason) is written on the ticket, so a librarian sees a failure where they work.
"""
from __future__ import annotations

import secrets
from typing import Callable

from ..errors import ServiceError, bad_request, forbidden, not_found
from . import mail as mails
from . import validation as v
from .access import Access, Patron
from .limits import BACKLOG_PAGE, MAX_NAME, MAX_TEXT, WRITE_ATTEMPTS
from .model import PATRON, Operator, iso
from .ports import AlreadyExists, MailFailed, Mailer, StaleRead, TicketRepository
from .queues import Desks
from .ticket_model import CLAIMED, CLOSED_TICKET, OPEN, Mail, Ticket
from .tokens import sign_ticket_link, verify_ticket_link

MAX_TICKET_ENTRIES = 200  # a thread longer than this is refused: the item stays far below 400 KB
TICKET_REASON = "ticket"  # Chat.end_reason of a chat that became a ticket


def new_ticket_id() -> str:
    return "t-" + secrets.token_urlsafe(12)


def may_work(operator: Operator, queue_id: str) -> bool:
    """Librarians work their desks' tickets (no desks: every desk, as before desks); admins all."""
    return operator.is_admin or not operator.queues or queue_id in operator.queues


class Tickets:
    def __init__(self, tickets: TicketRepository, chats, log, access: Access, *, desks: Desks,
                 mailer: Mailer | None, records, end_chat: Callable, token_secret: bytes,
                 public_url: str, library: str, retention_seconds: int,
                 clock: Callable[[], float], ids: Callable[[], str] = new_ticket_id,
                 stat_of: Callable | None = None) -> None:
        self.tickets, self.chats, self.log = tickets, chats, log
        self.access, self.desks, self.mailer, self.records = access, desks, mailer, records
        self.end_chat = end_chat
        self.token_secret, self.public_url, self.library = token_secret, public_url.rstrip("/"), library
        self.retention_seconds, self.clock, self.ids = retention_seconds, clock, ids
        self.stat_of = stat_of or (lambda ticket: None)  # a closed ticket's statistics record

    # ------------------------------------------------------------- patrons

    def create(self, body: dict) -> dict:
        """`POST /tickets`: anyone may ask; the e-mail address is required (it is how the
        answer comes). The acknowledgement carries the link."""
        question = v.string(body, "question", required=True, max_len=MAX_TEXT, too_large_over=MAX_TEXT).strip()
        name = v.string(body, "name", max_len=MAX_NAME)
        email = self._email(body)
        queue = v.string(body, "queue", max_len=32) or self.desks.default_id()
        desk = self.desks.get(queue)
        if desk is None or not desk.enabled:
            raise bad_request(f"'queue' must be one of: {', '.join(self.desks.enabled_ids())}")
        now = self.clock()
        ticket = Ticket(self.ids(), queue, question, email, now, int(now) + self._retention(queue),
                        name=name.strip() if name else None, updated_at=now)
        ticket.add("question", question, now, {"role": PATRON, **({"name": ticket.name} if ticket.name else {})})
        self._mail(ticket, mails.ticket_received(email, question, self.link(ticket), self._library(queue)), now)
        self.tickets.create(ticket)
        self._link_mail(ticket)
        return {"ticket_id": ticket.ticket_id, "status": ticket.status}

    def from_chat(self, caller, chat_id: str, body: dict) -> dict:
        """`POST /chats/{id}/ticket`: the chat's patron (its token) or a librarian makes a
        ticket of it; the whole conversation is carried and an open chat ends (reason
        "ticket"). One ticket per chat: asking again answers the one made."""
        self.access.may_read(caller, chat_id)
        chat = self.chats.get(chat_id)
        if chat is None or chat.expires_at <= self.clock():
            raise not_found("no such chat")
        if not isinstance(caller, Patron) and not may_work(caller.operator, chat.queue) \
                and chat.operator_id != caller.operator.id:
            raise forbidden("this chat is not of one of your desks")
        email = self._email(body, required=not chat.patron_email) or chat.patron_email
        ticket_id = f"t-{chat.chat_id}"
        existing = self.tickets.get(ticket_id)
        if existing is not None:
            return {"ticket_id": existing.ticket_id, "status": existing.status}
        messages = self.log.after(chat.chat_id, 0, BACKLOG_PAGE)
        now = self.clock()
        ticket = Ticket(ticket_id, chat.queue, chat.question, email, now,
                        max(chat.expires_at, int(now) + self._retention(chat.queue)),
                        name=chat.patron_name, chat_id=chat.chat_id, updated_at=now)
        for entry in mails.message_entries(messages):
            ticket.add("chat", entry["text"], entry["at"], entry["sender"], attachment=entry.get("attachment"))
        if not ticket.entries:
            ticket.add("question", chat.question, now, {"role": PATRON})
        who = "the patron" if isinstance(caller, Patron) else caller.operator.name
        ticket.add("event", f"Made from a chat by {who}.", now, {"role": "system"})
        self._mail(ticket, mails.ticket_received(email, chat.question, self.link(ticket), self._library(chat.queue)), now)
        try:
            self.tickets.create(ticket)
        except AlreadyExists:
            return {"ticket_id": ticket_id, "status": OPEN}
        self._link_mail(ticket)
        if chat.is_open:
            self.end_chat(chat, PATRON if isinstance(caller, Patron) else "operator", TICKET_REASON)
        return {"ticket_id": ticket.ticket_id, "status": ticket.status}

    def public_view(self, ticket_id: str, token: str | None) -> dict:
        return self._by_link(ticket_id, token).patron_view()

    def patron_reply(self, ticket_id: str, token: str | None, body: dict) -> dict:
        """A reply from the link's page; a closed ticket opens again for its desk."""
        text = self._text(body)

        def change(ticket: Ticket, now: float) -> None:
            ticket.add("patron", text, now, {"role": PATRON, **({"name": ticket.name} if ticket.name else {})})
            if ticket.status == CLOSED_TICKET:
                ticket.status, ticket.closed_at = OPEN, None
                ticket.operator_id = ticket.operator_name = None
                ticket.add("event", "Reopened by the patron's reply.", now, {"role": "system"})
        self._by_link(ticket_id, token)
        return self._change(ticket_id, change).patron_view()

    # ------------------------------------------------------------ librarians

    def list(self, operator: Operator, queue_id: str | None, statuses: str | None) -> dict:
        queue_id = queue_id or self.desks.default_id()
        if not may_work(operator, queue_id):
            raise forbidden("that is not one of your desks")
        wanted = set((statuses or "open,claimed").split(","))
        if not wanted <= {OPEN, CLAIMED}:
            raise bad_request("'status' lists open and/or claimed (closed tickets are in History)")
        return {"tickets": [t.summary() for t in self.tickets.open_in(queue_id) if t.status in wanted]}

    def get(self, operator: Operator, ticket_id: str) -> dict:
        return self._mine_to_see(operator, ticket_id).staff_view()

    def claim(self, operator: Operator, ticket_id: str) -> dict:
        def change(ticket: Ticket, now: float) -> None:
            if ticket.status == CLOSED_TICKET:
                raise ServiceError("invalid_state", "this ticket is closed; reopen it first")
            if ticket.status == CLAIMED:
                if ticket.operator_id == operator.id:
                    return
                raise ServiceError("conflict", f"{ticket.operator_name} took this ticket already")
            ticket.status, ticket.operator_id, ticket.operator_name = CLAIMED, operator.id, operator.name
            ticket.add("event", f"Claimed by {operator.name}.", now, {"role": "system"})
        return self._change(ticket_id, change, operator).staff_view()

    def reply(self, operator: Operator, ticket_id: str, body: dict) -> dict:
        text = self._text(body)
        sent = {}

        def change(ticket: Ticket, now: float) -> None:
            self._require_holder(ticket, operator, "reply to")
            sent["entry"] = ticket.add("reply", text, now, {"role": "operator", "id": operator.id, "name": operator.name})
        ticket = self._change(ticket_id, change, operator)
        if not ticket.email:  # removed at an earlier close: the patron reads it at their link
            return self._change(ticket_id, lambda t, now: t.add(
                "event", "Not e-mailed: the patron's address was removed when the ticket was closed; "
                "they see the reply at their link.", now, {"role": "system"})).staff_view()
        mail = mails.ticket_reply(ticket.email, operator.name, text, ticket.question, self.link(ticket),
                                  self._library(ticket.queue))
        return self._send_and_record(ticket, mail).staff_view()

    def note(self, operator: Operator, ticket_id: str, body: dict) -> dict:
        text = self._text(body)
        return self._change(ticket_id, lambda t, now: t.add(
            "note", text, now, {"role": "operator", "id": operator.id, "name": operator.name}), operator).staff_view()

    def close(self, operator: Operator, ticket_id: str, body: dict) -> dict:
        record = self.records.validate(body["record"]) if isinstance(body.get("record"), dict) else None

        def change(ticket: Ticket, now: float) -> None:
            if ticket.status == CLOSED_TICKET:
                raise ServiceError("invalid_state", "this ticket is closed already")
            if not operator.is_admin:
                self._require_holder(ticket, operator, "close")
            ticket.status, ticket.closed_at = CLOSED_TICKET, now
            if record is not None:
                ticket.record = {**record, "by": operator.id, "at": iso(now)}
            ticket.add("event", f"Closed by {operator.name}.", now, {"role": "system"})
            if self.desks.policy(ticket.queue).strip_identity:
                strip_identity(ticket)
                ticket.add("event", "The patron's name and e-mail address were removed (this desk's privacy setting).",
                           now, {"role": "system"})
        return self._change(ticket_id, change, operator).staff_view()

    def reopen(self, operator: Operator, ticket_id: str) -> dict:
        def change(ticket: Ticket, now: float) -> None:
            if ticket.status != CLOSED_TICKET:
                raise ServiceError("invalid_state", "only a closed ticket can be reopened")
            ticket.status, ticket.closed_at = OPEN, None
            ticket.operator_id = ticket.operator_name = None
            ticket.add("event", f"Reopened by {operator.name}.", now, {"role": "system"})
        return self._change(ticket_id, change, operator).staff_view()

    def transcript(self, operator: Operator, ticket_id: str, body: dict) -> dict:
        ticket = self._mine_to_see(operator, ticket_id)
        to = self._email(body, required=False) or ticket.email
        entries = [e for e in ticket.entries if e["kind"] in ("question", "chat", "reply", "patron")]
        self._send(mails.transcript(to, f"Your question of {iso(ticket.created_at)[:10]}", entries,
                                    self._library(ticket.queue), self.link(ticket)))
        return {"sent": True}

    def mail_events(self, notifications: list[dict]) -> int:
        return sum(self.mail_event(n) for n in notifications)

    def mail_event(self, notification: dict) -> bool:
        """An SES notification (bounce or complaint, through SNS): written on its ticket so
        the librarians see the patron did not get the answer. False when it names no ticket."""
        kind = notification.get("notificationType") or notification.get("eventType")
        message_id = (notification.get("mail") or {}).get("messageId")
        ticket_id = self.tickets.by_mail(message_id) if message_id else None
        if kind not in ("Bounce", "Complaint") or ticket_id is None:
            return False
        detail = notification.get("bounce" if kind == "Bounce" else "complaint") or {}
        recipients = detail.get("bouncedRecipients") or detail.get("complainedRecipients") or []
        why = "; ".join(filter(None, (r.get("diagnosticCode") or r.get("emailAddress") for r in recipients)))
        status = "bounced" if kind == "Bounce" else "complained"

        def change(ticket: Ticket, now: float) -> None:
            for m in ticket.mail:
                if m.get("message_id") == message_id:
                    m["status"], m["detail"] = status, why or detail.get("bounceType") or kind
            ticket.add("event", f"The e-mail to the patron {status}: {why or kind}.", now, {"role": "system"})
        self._change(ticket_id, change)
        return True

    # ------------------------------------------------------------- helpers

    def _retention(self, queue_id: str) -> int:
        """The desk's retention (docs/privacy.md), else the service's."""
        return self.desks.policy(queue_id).retention_seconds

    def link(self, ticket: Ticket) -> str:
        token = sign_ticket_link(self.token_secret, ticket.ticket_id, ticket.expires_at)
        return f"{self.public_url}/patron/ticket.html#t={ticket.ticket_id}&k={token}"

    def _by_link(self, ticket_id: str, token: str | None) -> Ticket:
        now = self.clock()
        verify_ticket_link(self.token_secret, token, ticket_id, now)
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.expires_at <= now:
            raise ServiceError("unauthorized", "this link has expired or is not valid")
        return ticket

    def _mine_to_see(self, operator: Operator, ticket_id: str) -> Ticket:
        ticket = self.tickets.get(ticket_id)
        if ticket is None or ticket.expires_at <= self.clock():
            raise not_found("no such ticket")
        if not may_work(operator, ticket.queue):
            raise forbidden("this ticket is not of one of your desks")
        return ticket

    @staticmethod
    def _require_holder(ticket: Ticket, operator: Operator, what: str) -> None:
        if ticket.status != CLAIMED or ticket.operator_id != operator.id:
            raise ServiceError("invalid_state", f"claim the ticket before you {what} it")

    def _change(self, ticket_id: str, change: Callable, operator: Operator | None = None) -> Ticket:
        """Read, change, write conditional on the version read; a lost race reads again (the
        change function then sees what the winner wrote: a second claimer gets `conflict`)."""
        for _ in range(WRITE_ATTEMPTS):
            ticket = self._mine_to_see(operator, ticket_id) if operator else self.tickets.get(ticket_id)
            if ticket is None:
                raise not_found("no such ticket")
            before = ticket.status, ticket.closed_at
            now = self.clock()
            change(ticket, now)
            if len(ticket.entries) > MAX_TICKET_ENTRIES:
                raise ServiceError("too_large", "this ticket is full; close it and ask a new one")
            puts, drops = self.records.ticket_history(ticket, before)
            stat = self.stat_of(ticket) if ticket.status == CLOSED_TICKET else None
            try:
                self.tickets.save(ticket, put_history=puts, drop_history=drops, stat=stat)
            except StaleRead:
                continue
            return ticket
        raise ServiceError("conflict", "the ticket is busy; try again")

    def _send(self, mail: Mail) -> str:
        if self.mailer is None:
            raise ServiceError("unavailable", "e-mail is not set up for this service")
        try:
            return self.mailer.send(mail)
        except MailFailed as err:
            raise ServiceError("mail_failed", f"the e-mail could not be sent: {err.detail}") from None

    def _mail(self, ticket: Ticket, mail: Mail, now: float) -> None:
        """Send and note the outcome on the (not yet written) ticket."""
        entry = {"at": now, "to": mail.to, "subject": mail.subject}
        if self.mailer is None:
            entry.update(status="failed", detail="e-mail is not set up for this service")
        else:
            try:
                entry.update(status="sent", message_id=self.mailer.send(mail))
            except MailFailed as err:
                entry.update(status="failed", detail=err.detail)
        if entry["status"] == "failed":
            ticket.add("event", f"The e-mail to the patron failed: {entry['detail']}.", now, {"role": "system"})
        ticket.mail.append(entry)

    def _send_and_record(self, ticket: Ticket, mail: Mail) -> Ticket:
        holder = Ticket(ticket.ticket_id, ticket.queue, "", "", 0, 0)
        self._mail(holder, mail, self.clock())

        def change(t: Ticket, now: float) -> None:
            t.mail.extend(holder.mail)
            t.entries.extend({**e, "n": len(t.entries) + i + 1} for i, e in enumerate(holder.entries))
        ticket = self._change(ticket.ticket_id, change)
        self._link_mail(ticket, holder.mail)
        return ticket

    def _link_mail(self, ticket: Ticket, mail: list | None = None) -> None:
        for m in mail if mail is not None else ticket.mail:
            if m.get("message_id"):
                self.tickets.link_mail(m["message_id"], ticket.ticket_id, ticket.expires_at)

    def _library(self, queue_id: str) -> str:
        desk = self.desks.get(queue_id)
        return (desk.library or desk.name) if desk else self.library

    @staticmethod
    def _text(body: dict) -> str:
        return v.string(body, "text", required=True, max_len=MAX_TEXT, too_large_over=MAX_TEXT).strip()

    @staticmethod
    def _email(body: dict, required: bool = True) -> str | None:
        email = v.email(body)
        if required and not email:
            raise bad_request("'email' is required: it is how the answer reaches you")
        return email


def strip_identity(ticket: Ticket) -> None:
    """A desk that strips identity at close (docs/privacy.md): the name and the address off the
    ticket, off its e-mail log, and out of any text that quotes the address (a bounce's
    diagnostic); the patron's own words stay, as a chat's do."""
    address, ticket.name, ticket.email = ticket.email, None, ""
    for mail in ticket.mail:
        mail.pop("to", None)
        if address and isinstance(mail.get("detail"), str):
            mail["detail"] = mail["detail"].replace(address, "[removed]")
    for entry in ticket.entries:
        sender = entry.get("sender")
        if isinstance(sender, dict) and sender.get("role") == "patron":
            sender.pop("name", None)
        if address and isinstance(entry.get("text"), str):
            entry["text"] = entry["text"].replace(address, "[removed]")
