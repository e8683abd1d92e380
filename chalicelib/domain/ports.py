"""The ports the domain talks through. Each has an AWS adapter (chalicelib/adapters) and an
in-memory fake (tests/fakes.py); the domain never imports boto3.

Store methods map one-to-one onto DynamoDB requests on purpose: the per-action budgets in
DESIGN.md are then visible in the service code as the list of store calls it makes.
"""
from __future__ import annotations

from typing import Iterable, Protocol

from .model import Chat, Connection, Message, Operator, Survey


class StoreConflict(Exception):
    """A condition in storage did not hold: someone else got there first."""


class SeqConflict(StoreConflict):
    """The chat's last_seq moved (or its state changed) since it was read: read again and retry."""


class DuplicateMessage(StoreConflict):
    """The chat already holds a message with this client_msg_id, stored as `seq`."""

    def __init__(self, seq: int):
        super().__init__(seq)
        self.seq = seq


class ClaimLost(StoreConflict):
    """The chat was no longer queued when the claim was written."""


class AtCapacity(StoreConflict):
    """The operator already holds `max_chats` active chats."""


class AlreadyExists(StoreConflict):
    """The item is there already (a second survey for a chat)."""


class Store(Protocol):
    # chats and messages
    def create_chat(self, chat: Chat, first: Message) -> None: ...
    def get_chat(self, chat_id: str) -> Chat | None: ...
    def get_chats(self, chat_ids: Iterable[str]) -> list[Chat]: ...
    def queued_chats(self, limit: int) -> list[Chat]: ...
    def append_message(self, chat: Chat, message: Message) -> None: ...
    def get_message(self, chat_id: str, seq: int) -> Message | None: ...
    def messages_after(self, chat_id: str, after: int, limit: int) -> list[Message]: ...
    def claim(self, chat: Chat, operator: Operator, conn_ids: set[str], now: float) -> None: ...
    def end_chat(self, chat: Chat, ended_by: str, now: float) -> Chat: ...
    def close_chat(self, chat: Chat, operator_id: str, now: float) -> None: ...
    def attach_patron(self, chat_id: str, conn_id: str) -> Chat | None: ...
    def detach_patron(self, chat_id: str, conn_id: str) -> Chat | None: ...
    def mark_patron_offline(self, chat_id: str) -> bool: ...
    def set_presence(self, chat_id: str, presence: str) -> None: ...
    def attach_operator_conns(self, chat_id: str, operator_id: str, conn_ids: set[str]) -> None: ...
    def detach_operator_conn(self, chat_id: str, conn_id: str) -> None: ...
    # connections
    def put_connection(self, conn: Connection) -> None: ...
    def get_connection(self, conn_id: str) -> Connection | None: ...
    def delete_connection(self, conn_id: str) -> Connection | None: ...
    def operator_connections(self) -> list[Connection]: ...
    def any_operator_connected(self) -> bool: ...
    # surveys
    def put_survey(self, survey: Survey) -> None: ...
    # operators
    def get_operator(self, operator_id: str) -> Operator | None: ...
    def put_operator(self, operator: Operator) -> None: ...


class Sender(Protocol):
    def post(self, connection_id: str, frame: dict) -> bool:
        """Push one frame; False when the connection is gone (API Gateway's 410)."""


class Authenticator(Protocol):
    def login(self, username: str, password: str) -> tuple[str, int]:
        """Return (access token, expiry epoch seconds) or raise `unauthorized`."""

    def verify(self, token: str, now: float) -> str:
        """Return the operator id (username) the token was issued to, or raise `unauthorized`."""
