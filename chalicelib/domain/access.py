"""Who is calling, resolved once per request, and every permission rule in one place.

A token becomes a `Caller` exactly once (`Access.resolve`): a `Patron` holds a service-signed
token that opens one chat; a `Staff` caller holds a Cognito access token whose user has an
operator record. Use cases receive the Caller (REST) or a connection whose role was settled at
`$connect` (WebSocket) and ask the rules below; none of them looks at a token or a role string
by itself.

On WebSocket frames the delivery lists double as membership: API Gateway alone assigns
connection ids, so being on a chat's list proves being its patron or its operator.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Union

from ..errors import forbidden, unauthorized
from .model import OBSERVER, OPERATOR, PATRON, Chat, Operator, StaffRoom
from .ports import Authenticator, OperatorRepository
from .tokens import is_patron_token, sign_patron_token, verify_patron_token


@dataclass(frozen=True)
class Patron:
    chat_id: str


@dataclass(frozen=True)
class Staff:
    operator: Operator


Caller = Union[Patron, Staff]


class Access:
    def __init__(self, operators: OperatorRepository, auth: Authenticator, *,
                 token_secret: bytes, patron_token_seconds: int,
                 clock: Callable[[], float]) -> None:
        self.operators = operators
        self.auth = auth
        self.token_secret = token_secret
        self.patron_token_seconds = patron_token_seconds
        self.clock = clock

    # ---------------------------------------------------------- resolving

    def resolve(self, token: str | None) -> Caller:
        """The caller behind a bearer token; `unauthorized` / `forbidden` otherwise. A patron
        token is checked without any read; an operator token costs one GetItem (its record)."""
        if not token:
            raise unauthorized("a patron or operator token is required")
        if is_patron_token(token):
            return Patron(verify_patron_token(self.token_secret, token, self.clock()))
        return Staff(self._operator(self.auth.verify(token, self.clock())))

    def operator(self, token: str | None) -> Operator:
        """REST calls that only operators may make."""
        if not token:
            raise unauthorized("sign in first: an operator token is required")
        if is_patron_token(token):
            raise forbidden("this needs an operator token, not a patron token")
        return self._operator(self.auth.verify(token, self.clock()))

    def known_operator(self, operator_id: str | None) -> Operator:
        return self._operator(operator_id)

    def _operator(self, operator_id: str | None) -> Operator:
        operator = self.operators.get(operator_id) if operator_id else None
        if operator is None:
            raise forbidden("this account is not set up as an operator")
        if operator.disabled:
            raise forbidden("this account is disabled; ask an admin")
        return operator

    def patron_token(self, chat_id: str, now: float) -> str:
        return sign_patron_token(self.token_secret, chat_id, int(now) + self.patron_token_seconds)

    # --------------------------------------------------------------- rules

    @staticmethod
    def require_admin(operator: Operator) -> None:
        if not operator.is_admin:
            raise forbidden("only admins can do this")

    @staticmethod
    def may_read(caller: Caller, chat_id: str) -> None:
        """History and files: the chat's own patron, or any operator (the staff room: operators
        only). Checked before the chat is read, so a stranger learns nothing about which chats
        exist."""
        if isinstance(caller, Patron) and caller.chat_id != chat_id:
            raise forbidden("this token does not open that chat")

    @staticmethod
    def may_answer_survey(caller: Caller, chat_id: str) -> None:
        if not isinstance(caller, Patron):
            raise forbidden("only the chat's patron answers its survey")
        if caller.chat_id != chat_id:
            raise forbidden("this token does not open that chat")

    @staticmethod
    def file_role(caller: Caller, chat: Chat) -> str:
        """Files are as private as the chat: its patron, or the librarian holding it."""
        if isinstance(caller, Patron):
            if caller.chat_id != chat.chat_id:
                raise forbidden("this token does not open that chat")
            return PATRON
        if chat.operator_id != caller.operator.id:
            raise forbidden("only the librarian holding this chat can exchange its files")
        return OPERATOR

    @staticmethod
    def member_role(conversation: Chat | StaffRoom, connection_id: str, *, observers: bool = False) -> str:
        """The role of a connection in a conversation, from its delivery lists. A supervisor
        looking in (observer) is refused unless the caller allows `observers` (ending)."""
        if isinstance(conversation, StaffRoom):
            if connection_id in conversation.members:
                return OPERATOR
        elif connection_id in conversation.patron_conns:
            return PATRON
        elif connection_id in conversation.operator_conns:
            return OPERATOR
        elif connection_id in conversation.observer_conns:
            if observers:
                return OBSERVER
            raise forbidden("you are looking in read-only; take the chat over to write to it")
        raise forbidden("this connection is not part of that chat")

    @staticmethod
    def require_chat_operator(conversation: Chat | StaffRoom, connection_id: str, what: str) -> None:
        if Access.member_role(conversation, connection_id) != OPERATOR:
            raise forbidden(f"only the chat's librarian can {what} it")

    @staticmethod
    def require_operator_connection(role: str, what: str) -> None:
        if role != OPERATOR:
            raise forbidden(f"only operators {what}")
