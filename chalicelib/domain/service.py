"""The chat lifecycle: what each REST call and WebSocket action does, in storage terms.

`ChatService` gets its ports (store, events, authenticator) and plain settings values from the
composition root. Its WebSocket entry point returns the frames meant for the caller only
(`welcome`, `pong`, the backlog, a resent message); everything that concerns other connections
is announced as a domain event and delivered by listeners.

Budgets (DESIGN.md) are visible here as store calls:
- `send`: `get_chat` + `append_message` (one GetItem, one TransactWriteItems), no Query.
- `typing`: `get_chat` only.
- `claim`: the operator-connection Query that the `chat.claimed` broadcast needs anyway (it also
  tells who the caller is), `get_chat`, and one `claim` transaction.
Patrons should send `chat_id` too: without it the service first has to read the connection to
learn the chat (one more GetItem).
"""
from __future__ import annotations

import secrets
import time
from dataclasses import replace
from typing import Callable

from ..errors import ServiceError, bad_request, forbidden, not_found, unauthorized
from . import events as ev
from . import validation as v
from .model import ACTIVE, CLOSED, ENDED, OPEN_STATES, QUEUED, Chat, Connection, Message, Operator, Survey, iso
from .ports import AlreadyExists, AtCapacity, Authenticator, ClaimLost, DuplicateMessage, SeqConflict, Store
from .tokens import is_patron_token, sign_patron_token, verify_patron_token

PATRON, OPERATOR = "patron", "operator"
STAFF_ROOM = "staff"  # the chat id of the Internal Staff Chat room
STAFF_ROOM_SECONDS = 100 * 365 * 86400  # the room itself holds no patron data; its messages expire
AVAILABLE, AWAY, OFFLINE = "available", "away", "offline"
CONNECTION_TTL = 3 * 3600  # API Gateway closes any WebSocket after 2 hours
BACKLOG_PAGE = 500
MAX_SEND_ATTEMPTS = 8


def new_id() -> str:
    return secrets.token_hex(12)


class ChatService:
    def __init__(self, store: Store, events: ev.Dispatcher, auth: Authenticator, *,
                 token_secret: bytes, ws_url: str, queues: tuple, retention_seconds: int,
                 patron_token_seconds: int, store_patron_ip: bool = False,
                 max_text: int = 4000, clock: Callable[[], float] = time.time,
                 ids: Callable[[], str] = new_id, files=None) -> None:
        self.store = store
        self.files = files  # a FilesService (domain/files.py); None: attachments are refused
        self.events = events
        self.auth = auth
        self.token_secret = token_secret
        self.ws_url = ws_url
        self.queues = queues
        self.retention_seconds = retention_seconds
        self.patron_token_seconds = patron_token_seconds
        self.store_patron_ip = store_patron_ip
        self.max_text = max_text
        self.clock = clock
        self.ids = ids
        self._actions = {
            "hello": self.hello, "send": self.send, "typing": self.typing,
            "presence": self.presence, "claim": self.claim, "end": self.end,
            "close": self.close, "ping": self.ping, "status": self.set_status,
            "transfer": self.transfer,
        }

    # ------------------------------------------------------------------ REST

    def health(self) -> dict:
        return {"ok": True}

    def status(self) -> dict:
        """Someone can answer when an operator who set "available" has a connection open."""
        online = any(c.availability in (None, AVAILABLE) for c in self.store.operator_connections())
        return {"online": online,
                "queues": [{"id": q.id, "name": q.name, "online": online} for q in self.queues]}

    def create_chat(self, body: dict, source_ip: str | None = None) -> dict:
        question = v.string(body, "question", required=True, max_len=self.max_text,
                            too_large_over=self.max_text)
        name = v.string(body, "name", max_len=100)
        email = v.email(body)
        queue_ids = tuple(q.id for q in self.queues)
        queue = v.choice(body, "queue", queue_ids, required=False) or queue_ids[0]
        now = self.clock()
        expires = int(now) + self.retention_seconds
        chat = Chat(chat_id=self.ids(), queue=queue, question=question.strip(), created_at=now,
                    patron_name=name.strip() if name else None, patron_email=email,
                    last_seq=1, expires_at=expires)
        first = Message(chat_id=chat.chat_id, seq=1, sender_role=PATRON, sent_at=now,
                        text=chat.question, sender_name=chat.patron_name, expires_at=expires)
        self.store.create_chat(chat, first)
        token = sign_patron_token(self.token_secret, chat.chat_id,
                                  int(now) + self.patron_token_seconds)
        self.events.emit(ev.CHAT_QUEUED, chat=chat, operator_conns=self._operator_conn_ids())
        return {"chat_id": chat.chat_id, "token": token, "ws_url": self.ws_url}

    def history(self, token: str | None, chat_id: str, after_raw: str | None) -> dict:
        self._authorize_chat_reader(token, chat_id)
        try:
            after = int(after_raw) if after_raw not in (None, "") else 0
        except ValueError:
            raise bad_request("'after' must be an integer") from None
        if after < 0:
            raise bad_request("'after' must not be negative")
        chat = self._live_chat(chat_id)
        msgs = self.store.messages_after(chat.chat_id, after, BACKLOG_PAGE)
        return {"messages": [m.to_wire() for m in msgs]}

    def submit_survey(self, token: str | None, chat_id: str, body: dict) -> dict:
        """The end-of-chat survey: the chat's own patron, once, and only after the chat ended."""
        if not token:
            raise unauthorized("the patron token of this chat is required")
        if not is_patron_token(token):
            raise forbidden("only the chat's patron answers its survey")
        if verify_patron_token(self.token_secret, token, self.clock()) != chat_id:
            raise forbidden("this token does not open that chat")
        rating = v.integer(body, "rating", minimum=1, maximum=5)
        answered = v.boolean(body, "answered")
        comment = v.string(body, "comment", max_len=2000, min_len=0)
        chat = self._live_chat(chat_id)
        if chat.status not in (ENDED, CLOSED):
            raise ServiceError("invalid_state", "the survey opens when the chat has ended")
        survey = Survey(chat_id=chat_id, rating=rating, answered=answered,
                        comment=comment.strip() if comment and comment.strip() else None,
                        submitted_at=self.clock(), queue=chat.queue,
                        operator_id=chat.operator_id, expires_at=chat.expires_at)
        try:
            self.store.put_survey(survey)
        except AlreadyExists:
            raise ServiceError("conflict", "this chat's survey was already submitted") from None
        return {"ok": True}

    def survey_results(self, admin: Operator, days_raw: str | None) -> dict:
        """Admins: the last `days` (1..31, default 7) of surveys, summarised, newest first.
        One Query per UTC day of the `by_day` index; comments are the patrons' own words."""
        self._require_admin(admin)
        try:
            days = int(days_raw) if days_raw not in (None, "") else 7
        except ValueError:
            raise bad_request("'days' must be an integer") from None
        if not 1 <= days <= 31:
            raise bad_request("'days' must be between 1 and 31")
        now = self.clock()
        surveys = []
        for back in range(days):
            day = time.strftime("%Y-%m-%d", time.gmtime(now - back * 86400))
            surveys.extend(s for s in self.store.surveys_of_day(day, 1000) if s.expires_at > now)
        ratings = [s.rating for s in surveys]
        answered = [s.answered for s in surveys if s.answered is not None]
        return {
            "days": days, "count": len(surveys),
            "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
            "ratings": {str(r): ratings.count(r) for r in range(1, 6)},
            "answered_share": round(sum(answered) / len(answered), 2) if answered else None,
            "surveys": [{"chat_id": s.chat_id, "rating": s.rating, "answered": s.answered,
                         "comment": s.comment, "queue": s.queue, "operator_id": s.operator_id,
                         "submitted_at": iso(s.submitted_at)} for s in surveys[:200]],
        }

    def login(self, body: dict) -> dict:
        username = v.string(body, "username", required=True)
        password = v.string(body, "password", required=True, max_len=256)
        token, expires_at, refresh_token = self.auth.login(username.strip(), password)
        operator = self.store.get_operator(username.strip())
        if operator is None:
            raise forbidden("this account is not set up as an operator")
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

    def me(self, token: str | None) -> dict:
        """Who this operator token belongs to: lets a dashboard tell an expired session from
        a network problem."""
        return {"operator": self.operator_for_token(token).public()}

    def operator_for_token(self, token: str | None) -> Operator:
        """Who holds this operator token (REST calls that only operators may make)."""
        if not token:
            raise unauthorized("sign in first: an operator token is required")
        if is_patron_token(token):
            raise forbidden("this needs an operator token, not a patron token")
        operator = self.store.get_operator(self.auth.verify(token, self.clock()))
        if operator is None:
            raise forbidden("this account is not set up as an operator")
        return operator

    def _authorize_chat_reader(self, token: str | None, chat_id: str) -> None:
        if not token:
            raise unauthorized("a patron or operator token is required")
        if is_patron_token(token):
            if verify_patron_token(self.token_secret, token, self.clock()) != chat_id:
                raise forbidden("this token does not open that chat")
        else:
            self.operator_for_token(token)

    # ------------------------------------------------------------ WebSocket

    def connect(self, connection_id: str, token: str | None, source_ip: str | None = None) -> None:
        """`$connect`: check the token and remember who is behind the connection.

        Nothing is attached to chats or broadcast lists yet: API Gateway refuses posts to a
        connection until `$connect` has returned, and a refused post would look like a dead
        connection. The client joins at its first frame, `hello`.
        """
        if not token:
            raise unauthorized("connect with ?token=<token>")
        now = self.clock()
        conn = Connection(connection_id=connection_id, role=PATRON, connected_at=now,
                          expires_at=int(now) + CONNECTION_TTL)
        if is_patron_token(token):
            chat_id = verify_patron_token(self.token_secret, token, now)
            chat = self.store.get_chat(chat_id)
            if chat is None or chat.expires_at <= now:
                raise forbidden("this chat no longer exists")
            conn.chat_id = chat_id
            if self.store_patron_ip:
                conn.source_ip = source_ip
        else:
            operator = self.store.get_operator(self.auth.verify(token, now))
            if operator is None:
                raise forbidden("this account is not set up as an operator")
            conn.role, conn.operator_id, conn.operator_name = OPERATOR, operator.id, operator.name
        self.store.put_connection(conn)

    def disconnect(self, connection_id: str) -> None:
        """`$disconnect` (and a 410 from the gateway): forget the connection everywhere."""
        conn = self.store.delete_connection(connection_id)
        if conn is None:
            return
        if conn.role == PATRON and conn.chat_id:
            chat = self.store.detach_patron(conn.chat_id, connection_id)
            if chat and not chat.patron_conns and chat.status in OPEN_STATES:
                if self.store.mark_patron_offline(chat.chat_id):
                    chat.patron_presence = "offline"
                    self.events.emit(ev.PRESENCE_CHANGED, chat=chat, presence="offline")
        elif conn.role == OPERATOR and conn.operator_id:
            operator = self.store.get_operator(conn.operator_id)
            for chat_id in (operator.chats if operator else ()):
                self.store.detach_operator_conn(chat_id, connection_id)
            if conn.joined:
                self.store.leave_staff_room(STAFF_ROOM, connection_id, self._staff_member(
                    connection_id, conn.operator_id, conn.operator_name or conn.operator_id))
            if operator and conn.joined:
                conns = [c for c in self.store.operator_connections() if c.connection_id != connection_id]
                if not any(c.operator_id == operator.id for c in conns):
                    self._announce_operator(operator, OFFLINE, conns)

    def handle_frame(self, connection_id: str, body: str | None) -> list[dict]:
        """`$default`: one place that dispatches on the frame's `action`."""
        request_id = None
        try:
            data = v.parse_json_object(body)
            request_id = data.get("request_id") if isinstance(data.get("request_id"), str) else None
            action = data.get("action")
            if not isinstance(action, str):
                raise bad_request("'action' is required")
            handler = self._actions.get(action)
            if handler is None:
                raise bad_request(f"unknown action '{action[:40]}'")
            return handler(connection_id, data)
        except ServiceError as err:
            frame = {"type": "error", **err.to_dict()}
            if request_id:
                frame["request_id"] = request_id[:128]
            return [frame]

    # -------------------------------------------------------------- actions

    def ping(self, connection_id: str, data: dict) -> list[dict]:
        return [{"type": "pong"}]

    def hello(self, connection_id: str, data: dict) -> list[dict]:
        after = v.after_map(data)
        conn = self._connection(connection_id)
        if conn.role == PATRON:
            if set(after) - {conn.chat_id}:
                raise forbidden("a patron token opens only its own chat")
            chat = self.store.attach_patron(conn.chat_id, connection_id)
            if chat is None:
                raise not_found("this chat no longer exists")
            if chat.status in OPEN_STATES:
                self.events.emit(ev.PRESENCE_CHANGED, chat=chat, presence=chat.patron_presence)
            replies = [{"type": "welcome", "role": PATRON, "chat": chat.to_wire()}]
        else:
            operator = self._operator(conn.operator_id)
            self.store.put_connection(replace(conn, joined=True,  # joins the broadcast index
                                              availability=operator.availability))
            mine = self.store.get_chats(operator.chats)
            for chat in mine:  # ended-not-closed chats too: they stay on the dashboard until closed
                if chat.status != CLOSED and connection_id not in chat.operator_conns:
                    self.store.attach_operator_conns(chat.chat_id, operator.id, {connection_id})
            queued = self.store.queued_chats(200)
            staff = self.store.join_staff_room(self._staff_room(), connection_id,
                                               self._staff_member(connection_id, operator.id, operator.name))
            conns = self.store.operator_connections()
            if connection_id not in {c.connection_id for c in conns}:  # index not caught up yet
                conns.append(replace(conn, joined=True, availability=operator.availability))
            # the others hear of it; this connection learns it from its welcome (which comes first)
            self._announce_operator(operator, operator.availability,
                                    [c for c in conns if c.connection_id != connection_id])
            replies = [{"type": "welcome", "role": OPERATOR, "operator": operator.public(),
                        "queued": [c.to_wire() for c in queued],
                        "mine": [c.to_wire() for c in mine if c.status != CLOSED],
                        "operators": self._roster(conns), "staff": staff.to_wire()}]
        for chat_id, seq in after.items():
            replies.extend(self._message_frame(chat_id, m) for m in self._backlog(chat_id, seq))
        return replies

    def send(self, connection_id: str, data: dict) -> list[dict]:
        text = v.string(data, "text", max_len=self.max_text, too_large_over=self.max_text)
        attachment = data.get("attachment")
        if attachment is not None and self.files is None:
            raise bad_request("attachments are not enabled on this service yet")
        if text is None and attachment is None:
            raise bad_request("'text' is required")
        client_msg_id = v.string(data, "client_msg_id")
        chat_id = self._chat_id_of(connection_id, data)
        if attachment is not None:  # one S3 HeadObject; the DynamoDB budget is unchanged
            attachment = self.files.check_attachment(chat_id, attachment)
        for _ in range(MAX_SEND_ATTEMPTS):
            chat = self._live_chat(chat_id)
            role = self._member_role(chat, connection_id)
            allowed = OPEN_STATES if role == PATRON else (ACTIVE,)
            if chat.status not in allowed:
                raise ServiceError("invalid_state", f"this chat is {chat.status}; messages cannot be sent")
            msg = Message(chat_id=chat_id, seq=chat.last_seq + 1, sender_role=role,
                          sent_at=self.clock(), text=text, client_msg_id=client_msg_id,
                          attachment=attachment, expires_at=chat.expires_at)
            if chat.kind == "staff":  # many operators in one room: who is behind this connection
                msg.sender_id, msg.sender_name = chat.staff_member(connection_id) or (None, None)
                msg.expires_at = int(msg.sent_at) + self.retention_seconds
            elif role == OPERATOR:
                msg.sender_id, msg.sender_name = chat.operator_id, chat.operator_name
            else:
                msg.sender_name = chat.patron_name
            try:
                self.store.append_message(chat, msg)
            except DuplicateMessage as dup:
                stored = self.store.get_message(chat_id, dup.seq)
                return [self._message_frame(chat_id, stored)] if stored else []
            except SeqConflict:
                continue
            chat.last_seq = msg.seq
            self.events.emit(ev.MESSAGE_SENT, chat=chat, message=msg)
            return []
        raise ServiceError("conflict", "the chat is busy; send the message again")

    def typing(self, connection_id: str, data: dict) -> list[dict]:
        typing = v.boolean(data, "typing", required=True)
        preview = v.string(data, "preview", max_len=self.max_text, min_len=0)
        chat = self._live_chat(self._chat_id_of(connection_id, data))
        role = self._member_role(chat, connection_id)
        if chat.status in OPEN_STATES:
            self.events.emit(ev.TYPING, chat=chat, role=role, typing=typing,
                             preview=preview if role == PATRON and typing else None,
                             connection_id=connection_id)
        return []

    def presence(self, connection_id: str, data: dict) -> list[dict]:
        state = v.choice(data, "state", ("online", "away"))
        chat = self._live_chat(self._chat_id_of(connection_id, data))
        if self._member_role(chat, connection_id) != PATRON:
            raise forbidden("presence is reported by the patron")
        if chat.status in OPEN_STATES and chat.patron_presence != state:
            self.store.set_presence(chat.chat_id, state)
            chat.patron_presence = state
            self.events.emit(ev.PRESENCE_CHANGED, chat=chat, presence=state)
        return []

    def claim(self, connection_id: str, data: dict) -> list[dict]:
        chat_id = v.string(data, "chat_id", required=True)
        operator_conns = self.store.operator_connections()
        me = next((c for c in operator_conns if c.connection_id == connection_id), None)
        if me is None:  # not in the index yet (or a patron): ask the connection itself
            me = self._connection(connection_id)
        if me.role != OPERATOR:
            raise forbidden("only operators can claim chats")
        operator = Operator(id=me.operator_id, name=me.operator_name or me.operator_id)
        my_conns = {c.connection_id for c in operator_conns if c.operator_id == operator.id}
        my_conns.add(connection_id)
        for _ in range(MAX_SEND_ATTEMPTS):
            chat = self._live_chat(chat_id)
            if chat.status != QUEUED:
                raise ServiceError("conflict", "this chat is no longer waiting; someone else took it")
            now = self.clock()
            try:
                self.store.claim(chat, operator, my_conns, now)
            except ClaimLost:
                continue  # taken, or a patron connection came or went: read again to know which
            except AtCapacity:
                raise ServiceError("capacity", "you already have as many chats as you can take") from None
            chat.status, chat.claimed_at = ACTIVE, now
            chat.operator_id, chat.operator_name, chat.operator_conns = operator.id, operator.name, my_conns
            self.events.emit(ev.CHAT_CLAIMED, chat=chat,
                             operator_conns=[c.connection_id for c in operator_conns])
            return []
        raise ServiceError("conflict", "the chat is busy; try again")

    def end(self, connection_id: str, data: dict) -> list[dict]:
        chat_id = self._chat_id_of(connection_id, data)
        for _ in range(MAX_SEND_ATTEMPTS):
            chat = self._patron_chat(chat_id)
            role = self._member_role(chat, connection_id)
            if chat.status not in OPEN_STATES:
                raise ServiceError("invalid_state", f"this chat is already {chat.status}")
            was_queued = chat.status == QUEUED
            try:
                chat = self.store.end_chat(chat, role, self.clock())
            except SeqConflict:
                continue  # claimed, or a connection came or went meanwhile: read again
            self.events.emit(ev.CHAT_ENDED, chat=chat, ended_by=role,
                             operator_conns=self._operator_conn_ids() if was_queued else None)
            return []
        raise ServiceError("conflict", "the chat is busy; try again")

    def close(self, connection_id: str, data: dict) -> list[dict]:
        chat = self._patron_chat(v.string(data, "chat_id", required=True))
        if self._member_role(chat, connection_id) != OPERATOR:
            raise forbidden("only the chat's librarian can close it")
        if chat.status != ENDED:
            raise ServiceError("invalid_state", "end the chat before closing it")
        try:
            self.store.close_chat(chat, chat.operator_id, self.clock())
        except SeqConflict:
            raise ServiceError("invalid_state", "this chat changed while closing it") from None
        chat.status = CLOSED
        self.events.emit(ev.CHAT_CLOSED, chat=chat)
        return []

    def transfer(self, connection_id: str, data: dict) -> list[dict]:
        """Hand an active chat to another signed-in operator (within their limits) or back to
        the queue, with an optional note for the librarians. The patron keeps talking
        throughout: only the delivery list and the operator on the chat change."""
        chat = self._patron_chat(v.string(data, "chat_id", required=True))
        to = v.string(data, "to")
        note = v.string(data, "note", max_len=500, min_len=0)
        note = note.strip() if note and note.strip() else None
        if self._member_role(chat, connection_id) != OPERATOR:
            raise forbidden("only the chat's librarian can transfer it")
        if chat.status != ACTIVE:
            raise ServiceError("invalid_state", f"only an active chat can be transferred; this one is {chat.status}")
        source = {"id": chat.operator_id, "name": chat.operator_name}
        conns = self.store.operator_connections()
        now = self.clock()
        if to is not None:
            if to == chat.operator_id:
                raise bad_request("this chat is already yours")
            target_conns = {c.connection_id for c in conns if c.operator_id == to}
            if not target_conns:
                raise ServiceError("invalid_state", "that librarian is not signed in")
            name = next(c.operator_name for c in conns if c.operator_id == to) or to
            target = Operator(id=to, name=name)
            try:
                self.store.transfer(chat, chat.operator_id, target, target_conns, now, note)
            except AtCapacity:
                raise ServiceError("capacity", f"{name} already has as many chats as they can take") from None
            except SeqConflict:
                raise ServiceError("conflict", "this chat changed hands meanwhile; reload it") from None
            old_conns = chat.operator_conns
            chat.operator_id, chat.operator_name, chat.claimed_at = target.id, target.name, now
            chat.operator_conns = target_conns | old_conns  # the old pane hears it too
            self.events.emit(ev.CHAT_TRANSFERRED, chat=chat, from_operator=source,
                             to_operator=target.ref(), note=note,
                             operator_conns=[c.connection_id for c in conns])
            chat.operator_conns = target_conns
        else:
            try:
                self.store.requeue(chat, chat.operator_id, now)
            except SeqConflict:
                raise ServiceError("conflict", "this chat changed hands meanwhile; reload it") from None
            chat.status, chat.operator_id, chat.operator_name = QUEUED, None, None
            chat.claimed_at, chat.operator_conns = None, set()
            self.events.emit(ev.CHAT_TRANSFERRED, chat=chat, from_operator=source, to_operator=None,
                             note=note, operator_conns=[c.connection_id for c in conns])
        return []

    def set_status(self, connection_id: str, data: dict) -> list[dict]:
        """An operator sets available/away and, optionally, a limit of their own for today
        (`chat_limit`: 1..max_chats, or null to lift it); every operator hears it."""
        conn = self._connection(connection_id)
        if conn.role != OPERATOR:
            raise forbidden("only operators have a status")
        operator = self._operator(conn.operator_id)
        changes = {}
        state = v.choice(data, "state", (AVAILABLE, AWAY), required=False)
        if state:
            changes["availability"] = state
        if "chat_limit" in data:
            limit = data["chat_limit"]
            if limit is not None:
                limit = v.integer(data, "chat_limit", minimum=1, maximum=operator.max_chats)
            changes["chat_limit"] = limit
        if not changes:
            raise bad_request("send 'state' and/or 'chat_limit'")
        operator = self.store.update_operator(operator.id, **changes) or operator
        conns = self.store.operator_connections()
        if "availability" in changes:
            for c in conns:
                if c.operator_id == operator.id:
                    self.store.set_connection_availability(c.connection_id, operator.availability)
                    c.availability = operator.availability
        self._announce_operator(operator, operator.availability, conns)
        if "chat_limit" in changes:
            limit = operator.chat_limit
            self._staff_notice(
                f"{operator.name} will take {'one chat' if limit == 1 else f'{limit} chats'} at a time today."
                if limit else f"{operator.name} is back to taking up to {operator.max_chats} chats.")
        return []

    def remind_unclaimed(self, wait_seconds: int) -> int:
        """Scheduled (every minute on AWS): announce once each chat still waiting after
        `wait_seconds`. One Query of the queued chats, then one conditional update per chat
        that needs its reminder. Returns how many reminders went out."""
        now = self.clock()
        sent = 0
        for chat in self.store.queued_chats(200):  # oldest first
            if chat.created_at > now - wait_seconds:
                break
            if chat.expires_at > now and self.store.mark_reminded(chat.chat_id, now):
                self.events.emit(ev.CHAT_WAITING, chat=chat, waited_seconds=int(now - chat.created_at))
                sent += 1
        return sent

    def anyone_available(self) -> bool:
        return self.status()["online"]

    def list_operators(self, admin: Operator) -> dict:
        """Admins see every operator, whether connected, and their limits."""
        self._require_admin(admin)
        online = {c.operator_id: c.availability or AVAILABLE for c in self.store.operator_connections()}
        return {"operators": [{**op.public(), "state": online.get(op.id, OFFLINE),
                               "active_chats": op.active_chats}
                              for op in self.store.list_operators()]}

    def update_operator(self, admin: Operator, operator_id: str, body: dict) -> dict:
        self._require_admin(admin)
        max_chats = v.integer(body, "max_chats", minimum=1, maximum=10)
        operator = self.store.update_operator(operator_id, max_chats=max_chats)
        if operator is None:
            raise not_found("no such operator")
        return operator.public()

    @staticmethod
    def _require_admin(operator: Operator) -> None:
        if operator.role != "admin":
            raise forbidden("only admins can do this")

    def _announce_operator(self, operator: Operator, state: str, conns: list[Connection]) -> None:
        info = {"id": operator.id, "name": operator.name, "state": state}
        if operator.chat_limit and state != OFFLINE:
            info["chat_limit"] = operator.chat_limit
        self.events.emit(ev.OPERATOR_STATUS, operator=info,
                         operator_conns=[c.connection_id for c in conns])

    @staticmethod
    def _roster(conns: list[Connection]) -> list[dict]:
        """Operators connected now, once each, with the state they set."""
        seen: dict[str, dict] = {}
        for c in conns:
            if c.operator_id and c.operator_id not in seen:
                seen[c.operator_id] = {"id": c.operator_id, "name": c.operator_name or c.operator_id,
                                       "state": c.availability or AVAILABLE}
        return sorted(seen.values(), key=lambda o: o["name"].lower())

    # -------------------------------------------------------------- helpers

    def _connection(self, connection_id: str) -> Connection:
        conn = self.store.get_connection(connection_id)
        if conn is None:
            raise forbidden("unknown connection; reconnect")
        return conn

    def _operator(self, operator_id: str | None) -> Operator:
        operator = self.store.get_operator(operator_id) if operator_id else None
        if operator is None:
            raise forbidden("this account is not set up as an operator")
        return operator

    def _chat_id_of(self, connection_id: str, data: dict) -> str:
        chat_id = v.string(data, "chat_id")
        if chat_id is not None:
            return chat_id
        conn = self._connection(connection_id)
        if conn.role != PATRON:
            raise bad_request("'chat_id' is required")
        return conn.chat_id

    def _patron_chat(self, chat_id: str) -> Chat:
        """A chat with a patron: the staff room cannot be ended, closed or transferred."""
        chat = self._live_chat(chat_id)
        if chat.kind != "patron":
            raise ServiceError("invalid_state", "the staff room cannot be ended, closed or transferred")
        return chat

    def _staff_room(self) -> Chat:
        now = self.clock()
        return Chat(chat_id=STAFF_ROOM, queue="staff", question="Internal Staff Chat",
                    created_at=now, status=ACTIVE, kind="staff", last_seq=0,
                    expires_at=int(now) + STAFF_ROOM_SECONDS)

    @staticmethod
    def _staff_member(connection_id: str, operator_id: str, name: str) -> str:
        return f"{connection_id}\t{operator_id}\t{name}"

    def _staff_notice(self, text: str) -> None:
        """A system line in the staff room (e.g. someone takes one chat at a time today)."""
        for _ in range(MAX_SEND_ATTEMPTS):
            room = self.store.get_chat(STAFF_ROOM)
            if room is None:
                return
            now = self.clock()
            msg = Message(chat_id=STAFF_ROOM, seq=room.last_seq + 1, sender_role="system",
                          sent_at=now, text=text, expires_at=int(now) + self.retention_seconds)
            try:
                self.store.append_message(room, msg)
            except SeqConflict:
                continue
            room.last_seq = msg.seq
            self.events.emit(ev.MESSAGE_SENT, chat=room, message=msg)
            return

    def _live_chat(self, chat_id: str) -> Chat:
        """Reads filter expired chats: DynamoDB's TTL deletes lazily (up to days later)."""
        chat = self.store.get_chat(chat_id)
        if chat is None or chat.expires_at <= self.clock():
            raise not_found("no such chat")
        return chat

    @staticmethod
    def _member_role(chat: Chat, connection_id: str) -> str:
        """The chat's delivery lists double as its membership: API Gateway alone assigns
        connection ids, so being on the list proves being the patron or the chat's operator."""
        if connection_id in chat.patron_conns:
            return PATRON
        if connection_id in chat.operator_conns:
            return OPERATOR
        raise forbidden("this connection is not part of that chat")

    def _operator_conn_ids(self) -> list[str]:
        return [c.connection_id for c in self.store.operator_connections()]

    def _backlog(self, chat_id: str, after: int) -> list[Message]:
        out: list[Message] = []
        while True:
            page = self.store.messages_after(chat_id, after, BACKLOG_PAGE)
            out.extend(page)
            if len(page) < BACKLOG_PAGE:
                return out
            after = page[-1].seq

    @staticmethod
    def _message_frame(chat_id: str, message: Message) -> dict:
        return {"type": "chat.message", "chat_id": chat_id, "message": message.to_wire()}
