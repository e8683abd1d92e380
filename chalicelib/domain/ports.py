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

from .model import (Canned, Chat, Connection, Member, Message, Operator, StaffRoom, StoredFile,
                    Survey)


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


class BelowActive(Conflict):
    """`max_chats` would drop below the chats the operator holds right now."""


class ChatRepository(Protocol):
    def create(self, chat: Chat, first: Message) -> None: ...
    def get(self, chat_id: str) -> Chat | None: ...
    def get_many(self, chat_ids: Iterable[str]) -> list[Chat]: ...
    def queued(self, limit: int) -> list[Chat]: ...
    def claim(self, chat: Chat, operator: Operator, conn_ids: set[str], now: float) -> None:
        """ClaimLost / AtCapacity."""
    def transfer(self, chat: Chat, target: Operator, target_conns: set[str], now: float,
                 note: str | None) -> None:
        """From `chat.operator_id` to `target`. StaleRead / AtCapacity."""
    def requeue(self, chat: Chat, now: float) -> None:
        """Back to the waiting list from `chat.operator_id`. StaleRead."""
    def end(self, chat: Chat, ended_by: str, now: float, reason: str | None = None) -> None:
        """From the state `chat` was read in. StaleRead."""
    def close(self, chat: Chat, now: float) -> None:
        """An ended chat leaves `chat.operator_id`'s dashboard. StaleRead."""
    def attach_patron(self, chat_id: str, conn_id: str) -> Chat | None: ...
    def attach_operator(self, chat_id: str, operator_id: str, conn_ids: set[str]) -> None: ...
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
        """Set `availability`, `chat_limit` (None removes it) or `name`. NotFound."""
    def set_max_chats(self, operator_id: str, max_chats: int) -> Operator:
        """NotFound / BelowActive."""


class SurveyRepository(Protocol):
    def put(self, survey: Survey) -> None:
        """AlreadyExists."""
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


class Sender(Protocol):
    def post(self, connection_id: str, frame: dict) -> bool:
        """Push one frame; False when the connection is gone (API Gateway's 410)."""


class Notifier(Protocol):
    def publish(self, subject: str, message: str, attributes: dict[str, str]) -> None: ...


class Authenticator(Protocol):
    def login(self, username: str, password: str) -> tuple[str, int, str | None]:
        """Return (access token, expiry epoch seconds, refresh token) or raise `unauthorized`."""

    def refresh(self, refresh_token: str) -> tuple[str, int]:
        """Return a new (access token, expiry) or raise `unauthorized`."""

    def verify(self, token: str, now: float) -> str:
        """Return the operator id (username) the token was issued to, or raise `unauthorized`."""
