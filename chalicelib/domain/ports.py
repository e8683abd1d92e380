"""Every port the domain talks through, and the only exceptions adapters may raise.

Each port has an AWS adapter (chalicelib/adapters) and an in-memory fake (tests/fakes.py); one
contract suite (tests/test_store_contract.py) runs against both, so domain tests on the fakes say
something true about AWS. The domain never imports boto3, botocore or pynamodb.

Repository methods map one-to-one onto DynamoDB requests on purpose: the per-action budgets in
DESIGN.md are then visible in the use cases as the list of repository calls they make. Races
are settled in storage: a method whose condition did not hold raises one of the `Conflict`
exceptions below, never a half-applied write.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from .model import (Canned, Chat, Connection, Member, Message, Operator, Queue, StaffRoom,
                    StoredFile, Survey, Watch)
from .ticket_model import HistoryEntry, Mail, Ticket  # noqa: F401 (named in the ports)


class NotFound(Exception):
    """The item to change or delete is not there."""


class Conflict(Exception):
    """A condition in storage did not hold: someone else got there first."""


class StaleRead(Conflict):
    """The item changed between the read and this write (its seq, state or delivery lists
    moved): read it again and retry, or tell the caller it changed meanwhile."""


class DuplicateMessage(Conflict):
    """The conversation already holds a message with this client_msg_id, stored as `seq`."""

    def __init__(self, seq: int):
        super().__init__(seq)
        self.seq = seq


class ClaimLost(Conflict):
    """The chat was no longer queued (or its delivery lists moved) when the claim was written."""


class AtCapacity(Conflict):
    """The operator already holds as many active chats as their limits allow."""


class AlreadyExists(Conflict):
    """The item is there already (a second survey for a chat, a canned id reused)."""


class NewPasswordRequired(Exception):
    """A first sign-in with a temporary password: the pool wants a new one (`session` answers
    the challenge)."""

    def __init__(self, session: str):
        super().__init__("new password required")
        self.session = session


class Blocked(Conflict):
    """A new chat from a patron a librarian blocked (domain/guards.py)."""


class RateLimited(Conflict):
    """Past the new-chat limit of this browser or network."""


class BelowActive(Conflict):
    """`max_chats` would drop below the chats the operator holds right now."""


class ChatRepository(Protocol):
    def create(self, chat: Chat, first: Message, guard=None) -> None:
        """With the guard's block checks and rate counters (domain/guards.py) in the same
        transaction. AlreadyExists / Blocked / RateLimited."""
    def get(self, chat_id: str) -> Chat | None: ...
    def get_many(self, chat_ids: Iterable[str]) -> list[Chat]: ...
    def queued(self, limit: int) -> list[Chat]: ...
    def claim(self, chat: Chat, operator: Operator, conn_ids: set[str], now: float,
              stat: "StatRecord | None" = None) -> None:
        """With the chat's statistics record as claimed (same transaction). ClaimLost / AtCapacity."""
    def transfer(self, chat: Chat, target: Operator, target_conns: set[str], now: float,
                 note: str | None) -> None:
        """From `chat.operator_id` to `target`. StaleRead / AtCapacity."""
    def requeue(self, chat: Chat, now: float, offered: list[str] | None = None) -> None:
        """Back to the waiting list from `chat.operator_id` (offered to `offered` from now
        on, when given: a transfer to a desk). StaleRead."""
    def offer(self, chat: Chat, queue_id: str, now: float) -> bool:
        """Also offer a waiting chat to `queue_id`, only if its offered desks are still the
        ones read: True for exactly one of two overlapping rollover jobs."""
    def end(self, chat: Chat, ended_by: str, now: float, reason: str | None = None,
            stat: "StatRecord | None" = None) -> None:
        """From the state `chat` was read in, its statistics record put in the same
        transaction. StaleRead."""
    def close(self, chat: Chat, now: float, history=(), *, purge_at: float | None = None,
              strip: bool = False) -> None:
        """An ended chat leaves `chat.operator_id`'s dashboard (its History entries put, its
        transcript listed for purging from `purge_at`, its patron's name and e-mail removed
        when `strip`). StaleRead."""
    def attach_patron(self, chat_id: str, conn_id: str) -> Chat | None: ...
    def attach_operator(self, chat_id: str, operator_id: str, conn_ids: set[str]) -> None: ...
    def observe(self, chat_id: str, conn_id: str, on: bool) -> Chat | None:
        """A supervisor's connection onto (only while open) or off the observer list."""
    def detach(self, chat_id: str, conn_id: str) -> Chat | None:
        """Remove the id from both delivery lists; idempotent; None when there is no chat."""
    def mark_patron_offline(self, chat_id: str, now: float) -> bool: ...
    def set_presence(self, chat_id: str, presence: str) -> None: ...
    def mark_reminded(self, chat_id: str, now: float) -> bool: ...


class ConversationLog(Protocol):
    """The messages of every conversation (a `Chat` or the `StaffRoom`): gap-free seqs, the
    client_msg_id marker that makes a resend harmless, reads in seq order."""
    def append(self, conversation: Chat | StaffRoom, message: Message) -> None:
        """Only if the conversation's last_seq (and a chat's status) and delivery lists are
        still the ones read. StaleRead / DuplicateMessage."""
    def get(self, conversation_id: str, seq: int) -> Message | None: ...
    def after(self, conversation_id: str, after: int, limit: int) -> list[Message]: ...


class QueueRepository(Protocol):
    def list(self) -> list[Queue]: ...
    def put(self, queue: Queue, *, must_exist: bool) -> None:
        """The desk's settings (never its recent waits). NotFound (must_exist) /
        AlreadyExists (not must_exist)."""


class WatchRepository(Protocol):
    """Per desk, the operator connections that hear its chats (the index behind broadcasts)."""
    def add(self, watches: list[Watch], expires_at: int) -> None: ...
    def remove(self, connection_id: str, queue_ids: Iterable[str]) -> None:
        """Idempotent."""
    def of_queue(self, queue_id: str) -> list[Watch]: ...


class StaffRoomRepository(Protocol):
    def get(self) -> StaffRoom | None: ...
    def join(self, conn_id: str, member: Member, now: float) -> StaffRoom:
        """Creates the room on first use."""
    def leave(self, conn_id: str) -> None:
        """Idempotent; nothing happens when there is no room."""


class ConnectionRepository(Protocol):
    def put(self, conn: Connection) -> None: ...
    def get(self, conn_id: str) -> Connection | None: ...
    def delete(self, conn_id: str) -> None:
        """Idempotent."""
    def observing(self, conn_id: str, chat_id: str, on: bool) -> None:
        """Name (or stop naming) a chat the connection observes, if the row still exists."""
    def operators(self) -> list[Connection]:
        """Operator connections that said hello: the one Query behind broadcasts."""
    def watchers(self) -> list[Connection]:
        """Status watchers that said hello: the one Query behind `service.status`."""


class OperatorRepository(Protocol):
    def get(self, operator_id: str) -> Operator | None: ...
    def get_many(self, operator_ids: Iterable[str]) -> list[Operator]: ...
    def put(self, operator: Operator) -> None: ...
    def list(self) -> list[Operator]: ...
    def update(self, operator_id: str, **changes) -> Operator:
        """Set `availability`, `chat_limit` (None removes it), `name`, `role`, `queues`,
        `muted`, `disabled`. NotFound."""
    def create(self, operator: Operator) -> None:
        """AlreadyExists."""
    def set_max_chats(self, operator_id: str, max_chats: int) -> Operator:
        """NotFound / BelowActive."""


class SurveyRepository(Protocol):
    def put(self, survey: Survey, chat_created_at: float | None = None) -> None:
        """With the rating on the chat's statistics record, in one transaction. AlreadyExists."""
    def of_day(self, day: str, limit: int) -> list[Survey]: ...


class CannedRepository(Protocol):
    def list(self, owner: str) -> list[Canned]: ...
    def put(self, item: Canned, *, must_exist: bool) -> None:
        """NotFound (must_exist) / AlreadyExists (not must_exist)."""
    def delete(self, owner: str, canned_id: str) -> None:
        """NotFound."""


class FileStore(Protocol):
    """The files bucket. Keys are full object keys; the bucket is the adapter's business."""

    def presign_post(self, key: str, content_type: str, max_bytes: int,
                     expires_in: int) -> tuple[str, dict]:
        """(url, form fields) for one browser upload of exactly `key`, with that Content-Type
        and 1..max_bytes bytes (the policy's conditions)."""

    def presign_get(self, key: str, *, content_type: str, disposition: str,
                    expires_in: int) -> str:
        """A GET URL that serves the object with these Content-Type/Content-Disposition."""

    def head(self, key: str) -> StoredFile | None:
        """The object's real size and type, or None when there is no such object."""
    def delete_prefix(self, prefix: str) -> int:
        """Every object under the prefix; how many there were."""


class Sender(Protocol):
    def post(self, connection_id: str, frame: dict) -> bool:
        """Push one frame; False when the connection is gone (API Gateway's 410)."""
    def close(self, connection_id: str) -> None:
        """Close the connection (API Gateway's DELETE @connections); gone already is fine."""


class Notifier(Protocol):
    def publish(self, subject: str, message: str, attributes: dict[str, str]) -> None: ...


class Authenticator(Protocol):
    def login(self, username: str, password: str) -> tuple[str, int, str | None]:
        """Return (access token, expiry epoch seconds, refresh token) or raise `unauthorized`."""

    def refresh(self, refresh_token: str) -> tuple[str, int]:
        """Return a new (access token, expiry) or raise `unauthorized`."""

    def verify(self, token: str, now: float) -> str:
        """Return the operator id (username) the token was issued to, or raise `unauthorized`."""

    def new_password(self, username: str, session: str, password: str) -> tuple[str, int, str | None]:
        """Answer the first sign-in's new-password challenge: like `login`."""


class Accounts(Protocol):
    """The user pool's admin side (Cognito admin calls)."""
    def create(self, username: str, email: str | None, name: str,
               temporary_password: str | None) -> None:
        """`temporary_password` None: the pool e-mails an invitation. AlreadyExists."""
    def set_enabled(self, username: str, enabled: bool) -> None:
        """Disabling also signs the user out everywhere (refresh tokens revoked)."""


class MailFailed(Exception):
    """The mail service refused the message (a bad address, an unverified sender, a
    throttle after retries): `detail` is its reason, shown to librarians on the ticket."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class Mailer(Protocol):
    def send(self, mail: "Mail") -> str:
        """Send one message; its id at the mail service, or MailFailed."""


class TicketRepository(Protocol):
    def create(self, ticket: "Ticket") -> None:
        """AlreadyExists."""
    def get(self, ticket_id: str) -> "Ticket | None": ...
    def save(self, ticket: "Ticket", *, put_history: "Iterable[HistoryEntry]" = (),
             drop_history: "Iterable[HistoryEntry]" = (), stat: "StatRecord | None" = None) -> None:
        """Write the whole ticket with version + 1, only if its stored version is still
        `ticket.version` (StaleRead), together with the history entries to put and to delete
        and a closed ticket's statistics record (one transaction)."""
    def open_in(self, queue_id: str) -> "list[Ticket]":
        """The desk's tickets that are not closed, newest first."""
    def link_mail(self, message_id: str, ticket_id: str, expires_at: int) -> None: ...
    def by_mail(self, message_id: str) -> str | None: ...


class HistoryRepository(Protocol):
    def page(self, desk: str, day: str, *, limit: int,
             start: str | None) -> "tuple[list[HistoryEntry], str | None]":
        """One desk's entries of one UTC day, newest first, after sort key `start`: (entries,
        the sort key to go on from, or None when the day is done)."""


class ListsRepository(Protocol):
    def reference(self) -> tuple[list[str], list[str]]:
        """(tags, question types) the admins keep for the close form."""
    def set_reference(self, tags: list[str], question_types: list[str]) -> None: ...


class StatsRepository(Protocol):
    """The statistics records (docs/reports.md); written by the other repositories' transactions."""
    def between(self, start: float, end: float) -> "list[StatRecord]":
        """The records asked in [start, end), oldest first (one Query per UTC month)."""
    def target(self) -> int | None: ...
    def set_target(self, seconds: int) -> None: ...


class PurgeRepository(Protocol):
    """Deleting a transcript everywhere but the statistics (domain/privacy.py)."""
    def mark(self, chat_id: str, at: float, *, unless_sooner: bool = False) -> bool: ...
    def strip_names(self, chat_id: str) -> int: ...
    def due(self, now: float, limit: int) -> "list[Chat]": ...
    def purge(self, chat: Chat, history: "Iterable[HistoryEntry]" = ()) -> None: ...


class GuardRepository(Protocol):
    """Keys that rotate, blocks by keyed hash (domain/guards.py)."""
    def epoch_key(self, epoch: int, *, create: bool, expires_at: int) -> bytes | None: ...
    def put_block(self, keys: list[str], block: dict) -> None: ...
    def blocks(self) -> list[dict]: ...
    def lift(self, block_id: str) -> bool: ...
