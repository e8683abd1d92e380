"""Librarians: signing in, who is online and how available, their own and admin-set limits.

Availability lives on the operator item only (never copied onto connections), so `set_status`
is one UpdateItem and nothing can disagree with it. Who is *online* is the operator-connection
index (a connection that said `hello`); how available they are comes from their records, one
BatchGetItem for everyone online.
"""
from __future__ import annotations

from typing import Callable

from ..errors import ServiceError, bad_request, not_found
from . import events as ev
from . import validation as v
from .access import Access
from .limits import MAX_CHATS_CEILING
from .model import AVAILABLE, OFFLINE, Connection, Operator, iso
from .ports import Authenticator, BelowActive, ConnectionRepository, NotFound, OperatorRepository


class Operators:
    def __init__(self, operators: OperatorRepository, connections: ConnectionRepository,
                 access: Access, auth: Authenticator, events: ev.Dispatcher, *, queues: tuple,
                 clock: Callable[[], float], notice: Callable[[str], None],
                 ws_url: str = "") -> None:
        self.operators = operators
        self.connections = connections
        self.access = access
        self.auth = auth
        self.events = events
        self.queues = queues
        self.clock = clock
        self.notice = notice  # a system line in the staff room
        self.ws_url = ws_url  # where a widget opens its `?watch=status` connection

    # --------------------------------------------------------------- auth

    def login(self, body: dict) -> dict:
        username = v.string(body, "username", required=True).strip()
        password = v.string(body, "password", required=True, max_len=256)
        token, expires_at, refresh_token = self.auth.login(username, password)
        operator = self.access.known_operator(username)
        out = {"token": token, "expires_at": iso(expires_at), "operator": operator.public()}
        if refresh_token:
            out["refresh_token"] = refresh_token
        return out

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

    def roster(self, conns: list[Connection]) -> list[dict]:
        """Operators connected now, once each, as `operator.status` describes them (a colleague
        who signs in later sees today's "one chat at a time" too)."""
        return sorted((self._info(op, op.availability) for op in self.online(conns).values()),
                      key=lambda o: o["name"].lower())

    @staticmethod
    def _info(operator: Operator, state: str) -> dict:
        info = {"id": operator.id, "name": operator.name, "state": state}
        if operator.chat_limit and state != OFFLINE:
            info["chat_limit"] = operator.chat_limit
        return info

    def anyone_available(self) -> bool:
        return any(op.availability == AVAILABLE for op in self.online().values())

    def status(self) -> dict:
        """Someone can answer when an operator who set "available" has a connection open."""
        return {**self._status_doc(self.anyone_available()), "ws_url": self.ws_url}

    def _status_doc(self, online: bool) -> dict:
        return {"online": online,
                "queues": [{"id": q.id, "name": q.name, "online": online} for q in self.queues]}

    def announce(self, operator: Operator, state: str, online: list[Connection] | None = None,
                 origin: str | None = None) -> None:
        """Every operator hears the change, and so do the widgets watching the status: the
        service is online after it when this operator is available or another connected one
        is (their records, one BatchGetItem; none needed when this one is available)."""
        online = self.connections.operators() if online is None else online
        if state == AVAILABLE:
            service_online = True
        else:
            others = {c.operator_id for c in online if c.operator_id} - {operator.id}
            service_online = bool(others) and any(
                op.availability == AVAILABLE for op in self.operators.get_many(others))
        self.events.emit(ev.OPERATOR_STATUS, operator=self._info(operator, state), online=online,
                         origin=origin, service=self._status_doc(service_online))

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
        """Admins see every operator, whether connected, and their limits."""
        self.access.require_admin(admin)
        online = {c.operator_id for c in self.connections.operators()}
        return {"operators": [{**op.public(),
                               "state": op.availability if op.id in online else OFFLINE,
                               "active_chats": op.active_chats}
                              for op in self.operators.list()]}

    def update(self, admin: Operator, operator_id: str, body: dict) -> dict:
        """Admins set `max_chats`; never below what the librarian holds right now (the claim
        condition would then be false until chats end, and the dashboard would show an
        impossible limit)."""
        self.access.require_admin(admin)
        max_chats = v.integer(body, "max_chats", minimum=1, maximum=MAX_CHATS_CEILING)
        try:
            return self.operators.set_max_chats(operator_id, max_chats).public()
        except NotFound:
            raise not_found("no such operator") from None
        except BelowActive:
            raise ServiceError("invalid_state", "this librarian holds more chats than that "
                               "right now; lower it after some of them end") from None
