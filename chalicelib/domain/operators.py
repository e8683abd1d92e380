"""Librarians: signing in, who is online and how available, their own and admin-set limits.

Availability lives on the operator item only (never copied onto connections), so `set_status`
is one UpdateItem and nothing can disagree with it. Who is *online* is the operator-connection
index (a connection that said `hello`); how available they are comes from their records, one
BatchGetItem for everyone online.
"""
from __future__ import annotations

import re
import secrets
import string
from typing import Callable

from ..errors import ServiceError, bad_request, not_found
from . import events as ev
from . import validation as v
from .access import Access
from .limits import MAX_CHATS_CEILING, MAX_NAME
from .model import AVAILABLE, OFFLINE, Connection, Operator, iso
from .ports import (Accounts, AlreadyExists, Authenticator, BelowActive, ConnectionRepository,
                    NewPasswordRequired, NotFound, OperatorRepository)
from .queues import Desks

ROLES = ("librarian", "supervisor", "admin")
USERNAME = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")


class Operators:
    def __init__(self, operators: OperatorRepository, connections: ConnectionRepository,
                 access: Access, auth: Authenticator, events: ev.Dispatcher, *, desks: Desks,
                 clock: Callable[[], float], notice: Callable[[str], None],
                 ws_url: str = "", accounts: Accounts | None = None, sender=None,
                 requeue: Callable[[Operator], None] | None = None,
                 passwords: Callable[[], str] | None = None) -> None:
        self.operators = operators
        self.connections = connections
        self.access = access
        self.auth = auth
        self.events = events
        self.desks = desks
        self.accounts = accounts  # Cognito's admin side; None: accounts are made by script
        self.sender = sender  # to close a disabled account's connections
        self.requeue = requeue  # a disabled librarian's active chats go back to waiting
        self.passwords = passwords or temporary_password
        self.clock = clock
        self.notice = notice  # a system line in the staff room
        self.ws_url = ws_url  # where a widget opens its `?watch=status` connection

    # --------------------------------------------------------------- auth

    def login(self, body: dict) -> dict:
        username = v.string(body, "username", required=True).strip()
        password = v.string(body, "password", required=True, max_len=256)
        operator = self.access.known_operator(username)  # a disabled account stops here
        try:
            token, expires_at, refresh_token = self.auth.login(username, password)
        except NewPasswordRequired as challenge:
            return {"challenge": "new_password", "session": challenge.session, "username": username}
        return self._signed_in(operator, token, expires_at, refresh_token)

    @staticmethod
    def _signed_in(operator: Operator, token: str, expires_at: int, refresh_token) -> dict:
        out = {"token": token, "expires_at": iso(expires_at), "operator": operator.public()}
        if refresh_token:
            out["refresh_token"] = refresh_token
        return out

    def new_password(self, body: dict) -> dict:
        """The first sign-in with a temporary password: the librarian chooses their own."""
        username = v.string(body, "username", required=True).strip()
        session = v.string(body, "session", required=True, max_len=8192)
        password = v.string(body, "new_password", required=True, max_len=256)
        if len(password) < 8:
            raise bad_request("the new password must have at least 8 characters")
        operator = self.access.known_operator(username)
        token, expires_at, refresh_token = self.auth.new_password(username, session, password)
        return self._signed_in(operator, token, expires_at, refresh_token)

    def refresh(self, body: dict) -> dict:
        """A new access token from the refresh token that `login` returned (Cognito access
        tokens last an hour; a librarian's shift does not)."""
        refresh_token = v.string(body, "refresh_token", required=True, max_len=8192)
        token, expires_at = self.auth.refresh(refresh_token)
        return {"token": token, "expires_at": iso(expires_at)}

    @staticmethod
    def me(operator: Operator) -> dict:
        """Lets a dashboard tell an expired session from a network problem."""
        return {"operator": operator.public()}

    # ------------------------------------------------------------ who is on

    def online(self, conns: list[Connection] | None = None) -> dict[str, Operator]:
        """Operators with a connection that said hello, by id, as their records say."""
        conns = self.connections.operators() if conns is None else conns
        ids = {c.operator_id for c in conns if c.operator_id}
        return {op.id: op for op in self.operators.get_many(ids)} if ids else {}

    def roster(self, conns: list[Connection], me: Operator | None = None) -> list[dict]:
        """Colleagues connected now (sharing a desk with `me`), once each, as
        `operator.status` describes them (a colleague who signs in later sees today's "one
        chat at a time" too)."""
        online = self.online(conns).values()
        if me is not None:
            online = [op for op in online if op.id == me.id or shares_desk(op, me)]
        return sorted((self._info(op, op.availability) for op in online),
                      key=lambda o: o["name"].lower())

    @staticmethod
    def _info(operator: Operator, state: str) -> dict:
        info = {"id": operator.id, "name": operator.name, "state": state}
        if operator.chat_limit and state != OFFLINE:
            info["chat_limit"] = operator.chat_limit
        return info

    def anyone_available(self) -> bool:
        return any(op.availability == AVAILABLE for op in self.online().values())

    def status(self, queue_id: str | None = None) -> dict:
        """Per desk: open by its hours, and online when an available librarian watches it
        (or it rolls over to a desk that is): one Query of the operator connections and one
        BatchGetItem of their records, however many desks."""
        conns = self.connections.operators()
        available = {op.id for op in self.online(conns).values() if op.availability == AVAILABLE}
        return {**self.desks.status(conns, available, queue_id), "ws_url": self.ws_url}

    def announce(self, operator: Operator, state: str, online: list[Connection] | None = None,
                 origin: str | None = None) -> None:
        """Every operator hears the change, and so do the widgets watching the status: the
        service is online after it when this operator is available or another connected one
        is (their records, one BatchGetItem; none needed when this one is available)."""
        online = self.connections.operators() if online is None else online
        others = {c.operator_id for c in online if c.operator_id} - {operator.id}
        available = {op.id for op in self.operators.get_many(others)
                     if op.availability == AVAILABLE} if others else set()
        if state == AVAILABLE:
            available.add(operator.id)
        self.events.emit(ev.OPERATOR_STATUS, operator=self._info(operator, state), online=online,
                         origin=origin, service=self.desks.status(online, available),
                         desks=set(operator.queues))

    # ------------------------------------------------------------- status

    def set_status(self, connection_id: str, cmd) -> list[dict]:
        """An operator sets available/away and, optionally, a limit of their own for today
        (`chat_limit`: 1..max_chats, or null to lift it); every operator hears it."""
        conn = self.connections.get(connection_id)
        if conn is None or conn.operator_id is None:
            raise ServiceError("forbidden", "only operators have a status")
        operator = self.access.known_operator(conn.operator_id)
        changes = {}
        if cmd.state:
            changes["availability"] = cmd.state
        if cmd.changes_limit:
            if cmd.chat_limit is not None and cmd.chat_limit > operator.max_chats:
                raise bad_request(f"'chat_limit' must be between 1 and {operator.max_chats}")
            changes["chat_limit"] = cmd.chat_limit
        try:
            operator = self.operators.update(operator.id, **changes)
        except NotFound:
            raise ServiceError("forbidden", "this account is not set up as an operator") from None
        self.announce(operator, operator.availability)
        if cmd.changes_limit:
            limit = operator.chat_limit
            self.notice(
                f"{operator.name} will take {'one chat' if limit == 1 else f'{limit} chats'} at a time today."
                if limit else f"{operator.name} is back to taking up to {operator.max_chats} chats.")
        return []

    # -------------------------------------------------------------- admins

    def list(self, admin: Operator) -> dict:
        """Admins see every operator, whether connected, their limits, desks and accounts."""
        self.access.require_admin(admin)
        online = {c.operator_id for c in self.connections.operators()}
        enabled = self.desks.enabled_ids()
        return {"operators": [self._admin_view(op, online, enabled) for op in self.operators.list()]}

    @staticmethod
    def _admin_view(op: Operator, online: set[str], enabled: list[str]) -> dict:
        out = {**op.public(), "state": op.availability if op.id in online else OFFLINE,
               "active_chats": op.active_chats, "watching": sorted(op.watching(enabled)),
               "disabled": op.disabled}
        if op.email:
            out["email"] = op.email
        return out

    def create(self, admin: Operator, body: dict) -> dict:
        """A new librarian account: the pool's user first (a temporary password we return
        once, or the pool's e-mailed invitation), then the operator record. If the record
        cannot be written the user is disabled again, so no half-made account can sign in."""
        self.access.require_admin(admin)
        if self.accounts is None:
            raise ServiceError("invalid_state", "accounts are managed outside the service here")
        username = v.string(body, "username", required=True, max_len=64).strip()
        if not USERNAME.match(username):
            raise bad_request("'username' may use letters, digits and . _ @ + - (at most 64)")
        name = (v.string(body, "name", required=True, max_len=MAX_NAME) or "").strip()
        if not name:
            raise bad_request("'name' must not be empty")
        email = v.email(body)
        role = v.choice(body, "role", ROLES, required=False) or "librarian"
        max_chats = v.integer(body, "max_chats", minimum=1, maximum=MAX_CHATS_CEILING) \
            if "max_chats" in body else 3
        queues = self._queues(body) if "queues" in body else set()
        invite = bool(v.boolean(body, "invite"))
        if invite and not email:
            raise bad_request("an invitation needs an 'email'")
        operator = Operator(id=username, name=name, role=role, max_chats=max_chats,
                            queues=queues, email=email)
        if self.operators.get(username) is not None:
            raise ServiceError("conflict", f"there is already an operator '{username}'")
        password = None if invite else self.passwords()
        try:
            self.accounts.create(username, email, name, password)
        except AlreadyExists:
            raise ServiceError("conflict", f"there is already an account '{username}'") from None
        try:
            self.operators.create(operator)
        except AlreadyExists:
            self.accounts.set_enabled(username, False)
            raise ServiceError("conflict", f"there is already an operator '{username}'") from None
        out = {"operator": self._admin_view(operator, set(), self.desks.enabled_ids())}
        if password:
            out["temporary_password"] = password
        return out

    def _queues(self, body: dict) -> set[str]:
        raw = body.get("queues")
        if raw is None:
            return set()  # every desk
        if not isinstance(raw, list) or not raw or not all(isinstance(q, str) for q in raw):
            raise bad_request("'queues' must be null (every desk) or a non-empty list of desk ids")
        known = {q.id for q in self.desks.all()}
        unknown = set(raw) - known
        if unknown:
            raise bad_request(f"not a desk: {', '.join(sorted(unknown))}")
        return set(raw)

    def update(self, admin: Operator, operator_id: str, body: dict) -> dict:
        """Admins set `max_chats` (never below what the librarian holds right now: the claim
        condition would then be false until chats end, and the dashboard would show an
        impossible limit), `role`, `name`, desk memberships and whether the account works."""
        self.access.require_admin(admin)
        changes = {}
        if "name" in body:
            name = (v.string(body, "name", required=True, max_len=MAX_NAME) or "").strip()
            if not name:
                raise bad_request("'name' must not be empty")
            changes["name"] = name
        if "role" in body:
            changes["role"] = v.choice(body, "role", ROLES)
        if "queues" in body:
            changes["queues"] = self._queues(body)
        disabled = v.boolean(body, "disabled") if "disabled" in body else None
        if disabled is not None:
            if disabled and operator_id == admin.id:
                raise bad_request("you cannot disable your own account")
            changes["disabled"] = disabled
        max_chats = v.integer(body, "max_chats", minimum=1, maximum=MAX_CHATS_CEILING) \
            if "max_chats" in body else None
        if not changes and max_chats is None:
            raise bad_request("send at least one of 'max_chats', 'role', 'name', 'queues', 'disabled'")
        current = self.operators.get(operator_id)
        if current is None:
            raise not_found("no such operator")
        try:
            operator = self.operators.set_max_chats(operator_id, max_chats) if max_chats else current
        except NotFound:
            raise not_found("no such operator") from None
        except BelowActive:
            raise ServiceError("invalid_state", "this librarian holds more chats than that "
                               "right now; lower it after some of them end") from None
        if changes:
            if disabled is not None and self.accounts is not None and disabled != current.disabled:
                self.accounts.set_enabled(operator_id, not disabled)
            operator = self.operators.update(operator_id, **changes)
            if disabled and not current.disabled:
                self._sign_out(operator)
        return self._admin_view(operator, {c.operator_id for c in self.connections.operators()},
                               self.desks.enabled_ids())

    def _sign_out(self, operator: Operator) -> None:
        """A disabled account's open dashboards are closed (API Gateway then runs
        $disconnect, which cleans up as for any other connection) and the chats it was
        answering go back to the waiting list. Its tokens still verify against the pool
        until they expire, but every use of one reads the operator record, which now says
        disabled."""
        if self.sender is not None:
            for conn in self.connections.operators():
                if conn.operator_id == operator.id:
                    self.sender.close(conn.connection_id)
        if self.requeue is not None:
            self.requeue(operator)


def shares_desk(a: Operator, b: Operator) -> bool:
    return not a.queues or not b.queues or bool(a.queues & b.queues)


def temporary_password() -> str:
    """Meets Cognito's default policy: 12 characters with upper, lower, digit and symbol."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(8))
    return (core + secrets.choice(string.ascii_uppercase) + secrets.choice(string.ascii_lowercase)
            + secrets.choice(string.digits) + "!")
