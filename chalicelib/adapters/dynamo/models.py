"""The PynamoDB models: one table per entity, all on-demand, plus the staff room's own model on
the chats table. Every item with patron data carries `expires_at`, DynamoDB's TTL attribute.
Names and region come from `bind()`; nothing opens a connection at import. infra/template.yaml
holds exactly these keys and indexes (tests/test_infra.py compares them)."""
from __future__ import annotations

from pynamodb.attributes import (BooleanAttribute, JSONAttribute, ListAttribute, MapAttribute, NumberAttribute,
                                 TTLAttribute, UnicodeAttribute, UnicodeSetAttribute)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

OPERATORS_AUDIENCE = "operators"  # by_audience partitions: operators that said hello,
WATCHERS_AUDIENCE = "watchers"  # and widgets waiting for someone to come online
DIRECTORY = "all"  # the one by_directory partition


class _Meta:
    region = None
    host = None
    billing_mode = "PAY_PER_REQUEST"


def _table(name: str) -> type:  # a model's Meta: its table (renamed per stage by bind())
    return type("Meta", (_Meta,), {"table_name": name})


def _index(name: str) -> type:  # a GSI's Meta: every index projects all attributes
    return type("Meta", (), {"index_name": name, "projection": AllProjection()})


WAITING = "queued"  # ChatModel.waiting while a chat waits for a librarian


class ChatsWaiting(GlobalSecondaryIndex):
    """Waiting chats for the operators' welcome and the line: Query waiting = "queued", oldest
    first. Sparse on `waiting`, which only a queued chat carries: a chat leaves the index when
    it is claimed, so the writes of a conversation (every send bumps `last_seq`) and of ended
    chats cost no index write. The staff room's item never has it."""
    Meta = _index("by_waiting")
    waiting = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


PURGE_DUE = "due"  # ChatModel.purge while the chat's transcript waits to be deleted


class ChatsToPurge(GlobalSecondaryIndex):
    """Chats whose transcript is to be deleted (docs/privacy.md), by purge_at. Sparse: only a
    chat marked at close or by its patron's delete-now carries `purge`."""
    Meta = _index("by_purge")
    purge = UnicodeAttribute(hash_key=True)
    purge_at = NumberAttribute(range_key=True)


class ChatModel(Model):
    """Key: chat_id. The reserved id "staff" is the staff room (StaffRoomModel), not a chat:
    chat writes are conditional on `status`, which the room's item never has."""
    Meta = _table("chats")
    chat_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()  # queued | active | ended | closed
    waiting = UnicodeAttribute(null=True)  # WAITING while status is queued, else absent (by_waiting)
    queue = UnicodeAttribute()
    question = UnicodeAttribute()
    patron_name = UnicodeAttribute(null=True)
    patron_email = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    operator_name = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    claimed_at = NumberAttribute(null=True)
    ended_at = NumberAttribute(null=True)
    ended_by = UnicodeAttribute(null=True)
    closed_at = NumberAttribute(null=True)
    reminded_at = NumberAttribute(null=True)  # the one "still waiting" notification went out
    ticket_offered_at = NumberAttribute(null=True)  # the patron was offered a ticket (once)
    last_seq = NumberAttribute(default=0)
    patron_presence = UnicodeAttribute(default="offline")
    patron_left_at = NumberAttribute(null=True)
    end_reason = UnicodeAttribute(null=True)
    # Delivery lists: who gets this chat's pushes. DynamoDB drops a set that becomes empty.
    patron_conns = UnicodeSetAttribute(null=True)
    operator_conns = UnicodeSetAttribute(null=True)
    observer_conns = UnicodeSetAttribute(null=True)  # supervisors looking in (read-only)
    # Bumped by every change to the delivery lists; pushing writes are conditional on it.
    conn_version = NumberAttribute(default=0)
    expires_at = TTLAttribute()
    # The desks it is asked of, home first; each rollover appends one (conditional on the
    # list read), `offered_at` is when the last one was added.
    offered = ListAttribute(of=UnicodeAttribute, null=True)
    offered_at = NumberAttribute(null=True)
    record = JSONAttribute(null=True)  # the close form: question type, READ, tags, internal note
    first_claimed_at = NumberAttribute(null=True)  # set once, by the first claim (statistics)
    msgs_patron = NumberAttribute(default=0)  # ADDed by the log's append transaction
    msgs_librarian = NumberAttribute(default=0)
    guard = JSONAttribute(null=True)  # the patron's keyed hashes until close (domain/guards.py)
    purge = UnicodeAttribute(null=True)  # PURGE_DUE while by_purge lists it
    purge_at = NumberAttribute(null=True)
    by_waiting = ChatsWaiting()
    by_purge = ChatsToPurge()


class StaffRoomModel(Model):
    """The item "staff" of the chats table (bound with ChatModel; MODELS lists tables). No
    `status` (nor `waiting`, so by_waiting never sees it); `members`: conn id -> {"operator_id", "name"}."""
    Meta = _table("chats")
    chat_id = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute()
    last_seq = NumberAttribute(default=0)
    conn_version = NumberAttribute(default=0)  # bumped by every change to `members`
    members = MapAttribute(default=dict)
    expires_at = TTLAttribute()


class MessageModel(Model):
    """Key: chat_id (a chat id or "staff") + seq, so a history is one Query in order."""
    Meta = _table("messages")
    chat_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    sender_role = UnicodeAttribute()
    sender_id = UnicodeAttribute(null=True)
    sender_name = UnicodeAttribute(null=True)
    text = UnicodeAttribute(null=True)
    attachment = JSONAttribute(null=True)
    client_msg_id = UnicodeAttribute(null=True)
    sent_at = NumberAttribute()
    expires_at = TTLAttribute()


class MessageIdModel(Model):
    """Key: chat_id + client_msg_id -> seq, put only if absent: a resend is stored once."""
    Meta = _table("message-ids")
    chat_id = UnicodeAttribute(hash_key=True)
    client_msg_id = UnicodeAttribute(range_key=True)
    seq = NumberAttribute()
    expires_at = TTLAttribute()


class ClaimModel(Model):
    """Who took which chat, when: one row per claim and per transfer (`from_operator_id`)."""
    Meta = _table("claims")
    chat_id = UnicodeAttribute(hash_key=True)
    claimed_at = NumberAttribute(range_key=True)
    operator_id = UnicodeAttribute()
    operator_name = UnicodeAttribute(null=True)
    from_operator_id = UnicodeAttribute(null=True)
    note = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


class ConnectionsByAudience(GlobalSecondaryIndex):
    """Sparse: connections that said `hello`, by audience: operators (the one Query behind
    broadcasts) and status watchers (the one Query behind `service.status`)."""
    Meta = _index("by_audience")
    audience = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)


class ConnectionModel(Model):
    """Key: the API Gateway connection id. `audience` is set only once an operator said hello."""
    Meta = _table("connections")
    connection_id = UnicodeAttribute(hash_key=True)
    role = UnicodeAttribute()
    chat_id = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    operator_name = UnicodeAttribute(null=True)
    source_ip = UnicodeAttribute(null=True)
    audience = UnicodeAttribute(null=True)
    connected_at = NumberAttribute()
    expires_at = TTLAttribute()
    watching = UnicodeSetAttribute(null=True)  # desks whose watch list holds this id
    member_of = UnicodeSetAttribute(null=True)  # the operator's desks (absent: every desk)
    observing = UnicodeSetAttribute(null=True)  # chats whose observer list holds this id
    by_audience = ConnectionsByAudience()


class OperatorsDirectory(GlobalSecondaryIndex):
    """Every operator under one key: the admins' operator list is a Query, never a Scan."""
    Meta = _index("by_directory")
    directory = UnicodeAttribute(hash_key=True)
    operator_id = UnicodeAttribute(range_key=True)


class OperatorModel(Model):
    """Key: the Cognito username. `active_chats` and `chats`: see model.Operator."""
    Meta = _table("operators")
    operator_id = UnicodeAttribute(hash_key=True)
    directory = UnicodeAttribute(default=DIRECTORY)
    name = UnicodeAttribute()
    role = UnicodeAttribute(default="librarian")
    max_chats = NumberAttribute(default=3)
    chat_limit = NumberAttribute(null=True)
    active_chats = NumberAttribute(default=0)
    availability = UnicodeAttribute(default="available")
    chats = UnicodeSetAttribute(null=True)
    queues = UnicodeSetAttribute(null=True)  # absent: a member of every desk
    muted = UnicodeSetAttribute(null=True)  # their desks not watched for now
    disabled = BooleanAttribute(default=False)
    email = UnicodeAttribute(null=True)
    by_directory = OperatorsDirectory()


class SurveysByDay(GlobalSecondaryIndex):
    """Surveys of one UTC day, newest first: one Query per day of results."""
    Meta = _index("by_day")
    day = UnicodeAttribute(hash_key=True)
    submitted_at = NumberAttribute(range_key=True)


class SurveyModel(Model):
    """Key: chat_id, put only if absent. Carries queue and operator: no join with chats."""
    Meta = _table("surveys")
    chat_id = UnicodeAttribute(hash_key=True)
    day = UnicodeAttribute()  # YYYY-MM-DD (UTC) of submission, for by_day
    rating = NumberAttribute()
    answered = BooleanAttribute(null=True)
    comment = UnicodeAttribute(null=True)
    queue = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    submitted_at = NumberAttribute()
    expires_at = TTLAttribute()
    by_day = SurveysByDay()


class CannedModel(Model):
    """Key: owner ("system" or "op#<operator id>") + canned_id: each list is one Query."""
    Meta = _table("canned")
    owner = UnicodeAttribute(hash_key=True)
    canned_id = UnicodeAttribute(range_key=True)
    title = UnicodeAttribute()
    text = UnicodeAttribute()
    shortcut = UnicodeAttribute(null=True)
    updated_by = UnicodeAttribute(null=True)
    updated_at = NumberAttribute(default=0)


class QueuesDirectory(GlobalSecondaryIndex):
    """Every desk under one key: the directory is one Query, never a Scan."""
    Meta = _index("by_directory")
    directory = UnicodeAttribute(hash_key=True)
    queue_id = UnicodeAttribute(range_key=True)


class QueueModel(Model):
    """Key: the desk's id. Settings written by admins; `wait_0..7`: recent claim waits (a
    claim overwrites the slot of its second mod 8 in the claim transaction itself)."""
    Meta = _table("queues")
    queue_id = UnicodeAttribute(hash_key=True)
    directory = UnicodeAttribute(default=DIRECTORY)
    name = UnicodeAttribute()
    library = UnicodeAttribute(null=True)
    timezone = UnicodeAttribute(default="UTC")
    hours = JSONAttribute(null=True)
    closed_dates = JSONAttribute(null=True)
    rollover_to = UnicodeAttribute(null=True)
    rollover_after = NumberAttribute(default=0)
    card_text = UnicodeAttribute(null=True)
    card_reviewed_on = UnicodeAttribute(null=True)
    enabled = BooleanAttribute(default=True)
    privacy = JSONAttribute(null=True)  # docs/privacy.md: retention, transcripts, strip, typing preview
    wait_0 = NumberAttribute(null=True)
    wait_1 = NumberAttribute(null=True)
    wait_2 = NumberAttribute(null=True)
    wait_3 = NumberAttribute(null=True)
    wait_4 = NumberAttribute(null=True)
    wait_5 = NumberAttribute(null=True)
    wait_6 = NumberAttribute(null=True)
    wait_7 = NumberAttribute(null=True)
    by_directory = QueuesDirectory()


class WatchModel(Model):
    """Key: desk id + connection id: who hears a desk's chats is one consistent Query of its
    partition. Written at an operator's hello (one BatchWriteItem for their desks), removed at
    disconnect or a 410; TTL as a safety net for a connection whose $disconnect never came."""
    Meta = _table("watches")
    queue_id = UnicodeAttribute(hash_key=True)
    connection_id = UnicodeAttribute(range_key=True)
    operator_id = UnicodeAttribute()
    operator_name = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


class TicketsByDesk(GlobalSecondaryIndex):
    """A desk's tickets that are not closed, newest first: sparse on `open_in`, which only an
    open or claimed ticket carries (a closed one is found through History)."""
    Meta = _index("by_desk")
    open_in = UnicodeAttribute(hash_key=True)
    created_at = NumberAttribute(range_key=True)


class TicketModel(Model):
    """Key: ticket_id. The thread and the mail log are lists on the item (a ticket is a few
    dozen entries; the service refuses growth past MAX_TICKET_BYTES); every write is a whole
    put conditional on `version`."""
    Meta = _table("tickets")
    ticket_id = UnicodeAttribute(hash_key=True)
    queue = UnicodeAttribute()
    open_in = UnicodeAttribute(null=True)
    status = UnicodeAttribute()
    question = UnicodeAttribute()
    email = UnicodeAttribute()
    name = UnicodeAttribute(null=True)
    operator_id = UnicodeAttribute(null=True)
    operator_name = UnicodeAttribute(null=True)
    chat_id = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
    updated_at = NumberAttribute(default=0)
    closed_at = NumberAttribute(null=True)
    entries = JSONAttribute(default=list)
    mail = JSONAttribute(default=list)
    record = JSONAttribute(null=True)
    version = NumberAttribute(default=0)
    expires_at = TTLAttribute()
    by_desk = TicketsByDesk()


class MailRefModel(Model):
    """Item "mail#<SES message id>" of the tickets table: which ticket a bounce is about."""
    Meta = _table("tickets")
    ticket_id = UnicodeAttribute(hash_key=True)
    ref = UnicodeAttribute()
    expires_at = TTLAttribute()


class HistoryModel(Model):
    """Key: "<desk>#<UTC day>" + "<closed_at>#<kind>#<id>": History reads one Query per desk
    and day, newest first, never a Scan."""
    Meta = _table("history")
    desk_day = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    ref_id = UnicodeAttribute()
    desk = UnicodeAttribute()
    desks = ListAttribute(of=UnicodeAttribute, null=True)
    closed_at = NumberAttribute()
    question = UnicodeAttribute()
    operator_id = UnicodeAttribute(null=True)
    operator_name = UnicodeAttribute(null=True)
    tags = ListAttribute(of=UnicodeAttribute, null=True)
    read = NumberAttribute(null=True)
    question_type = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


class ReferenceListsModel(Model):
    """Item (owner "lists", canned_id "reference") of the canned table: the tags and question
    types admins keep for the close form, next to the other lists they keep."""
    Meta = _table("canned")
    owner = UnicodeAttribute(hash_key=True)
    canned_id = UnicodeAttribute(range_key=True)
    tags = JSONAttribute(default=list)
    question_types = JSONAttribute(default=list)
    target_seconds = NumberAttribute(null=True)  # item "report-target": the Reports wait target


class StatModel(Model):
    """Key: the UTC month asked ("YYYY-MM") + "<ISO time asked>#<chat or ticket id>": a report
    Queries each month it spans (docs/reports.md). Compact: the facts are one JSON array in
    `r` (adapters/dynamo/stats.py FACTS), the close form `f` and the rating are set by their
    own transactions; an item without `r` (a chat ended before statistics) is skipped."""
    Meta = _table("stats")
    month = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    r = UnicodeAttribute(null=True)
    f = UnicodeAttribute(null=True)  # the close form: JSON [question type, READ level, tags]
    rating = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)


class GuardsByKind(GlobalSecondaryIndex):  # the admins' list of blocks: only they carry `kind`
    Meta = _index("by_kind")
    kind = UnicodeAttribute(hash_key=True)
    until = NumberAttribute(range_key=True)


class GuardModel(Model):
    """Key: "key#<epoch>" (a period's random key), "block#<epoch>#<hash>" (a block),
    "rate#<epoch>#<hash>#<window>" (a counter); all expire (domain/guards.py). Only hashes."""
    Meta = _table("guards")
    key = UnicodeAttribute(hash_key=True)
    secret = UnicodeAttribute(null=True)
    count = NumberAttribute(null=True)
    kind = UnicodeAttribute(null=True)
    until = NumberAttribute(null=True)
    block_id = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    by = UnicodeAttribute(null=True)
    by_name = UnicodeAttribute(null=True)
    queue = UnicodeAttribute(null=True)
    at = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    by_kind = GuardsByKind()


MODELS = {"chats": ChatModel, "messages": MessageModel, "message-ids": MessageIdModel,
          "claims": ClaimModel, "connections": ConnectionModel, "operators": OperatorModel,
          "surveys": SurveyModel, "canned": CannedModel, "queues": QueueModel,
          "watches": WatchModel, "tickets": TicketModel, "history": HistoryModel, "stats": StatModel,
          "guards": GuardModel}
# Models that live in a table of MODELS under a reserved key: bound with it, never created.
SHARED = {"chats": (StaffRoomModel,), "tickets": (MailRefModel,), "canned": (ReferenceListsModel,)}
