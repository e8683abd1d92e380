"""DynamoDB adapter: one repository per aggregate behind the ports of domain/ports.py.

One table per entity (chats, messages, message ids, claims, connections, operators, surveys,
canned, queues, watches, tickets, history, stats, guards), all on-demand; the staff room is an item of the chats table with a model of its own.
Races are settled here with condition expressions and transactions, never by read-then-write,
and the repositories raise only the ports' exceptions for a failed condition. Each repository
method is one DynamoDB request unless its docstring says otherwise.

`bind()` points the models at a stage's tables and `repositories()` builds the adapters; both
run in the composition root, and neither this package nor its import opens a connection.
"""
from __future__ import annotations

from dataclasses import dataclass

from pynamodb.attributes import TTLAttribute

from .base import Db
from .canned import DynamoCanned
from .chats import DynamoChats
from .connections import DynamoConnections
from .log import DynamoLog
from .models import MODELS, SHARED
from .operators import DynamoOperators
from .queues import DynamoQueues, DynamoWatches
from .staff_room import DynamoStaffRoom
from .guards import DynamoGuards
from .purge import DynamoPurge
from .stats import DynamoStats
from .surveys import DynamoSurveys
from .tickets import DynamoHistory, DynamoLists, DynamoTickets

__all__ = ["MODELS", "DynamoRepositories", "bind", "create_tables", "repositories"]


@dataclass(frozen=True)
class DynamoRepositories:
    chats: DynamoChats
    log: DynamoLog
    staff_room: DynamoStaffRoom
    connections: DynamoConnections
    operators: DynamoOperators
    surveys: DynamoSurveys
    canned: DynamoCanned
    queues: DynamoQueues
    watches: DynamoWatches
    tickets: DynamoTickets
    history: DynamoHistory
    lists: DynamoLists
    stats: DynamoStats
    purges: DynamoPurge
    guards: DynamoGuards


def bind(table_prefix: str, region: str, host: str | None = None) -> None:
    """Point every model (the staff room's too) at its stage's table `<prefix>-<kind>`; drops
    cached connections so a rebind takes."""
    for kind, model in MODELS.items():
        for each in (model, *SHARED.get(kind, ())):
            each.Meta.table_name = f"{table_prefix}-{kind}"
            each.Meta.region = region
            each.Meta.host = host
            each._connection = None


def create_tables() -> None:
    """Local runner and tests only; on AWS the tables come from infra/."""
    for model in MODELS.values():
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            if any(isinstance(a, TTLAttribute) for a in model.get_attributes().values()):
                model.update_ttl(ignore_update_ttl_errors=True)


def repositories(region: str, host: str | None = None) -> DynamoRepositories:
    """The repositories of one composition, sharing one lazy transaction connection."""
    db = Db(region, host)
    return DynamoRepositories(chats=DynamoChats(db), log=DynamoLog(db), staff_room=DynamoStaffRoom(),
                              connections=DynamoConnections(), operators=DynamoOperators(),
                              surveys=DynamoSurveys(db), canned=DynamoCanned(),
                              queues=DynamoQueues(), watches=DynamoWatches(),
                              tickets=DynamoTickets(db), history=DynamoHistory(), lists=DynamoLists(),
                              stats=DynamoStats(), purges=DynamoPurge(),
                              guards=DynamoGuards())
