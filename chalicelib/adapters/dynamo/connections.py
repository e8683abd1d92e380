"""ConnectionRepository on the connections table (key: connection_id; by_audience GSI:
audience + connection_id, sparse: only connections that said hello carry an audience,
"operators" or "watchers")."""
from __future__ import annotations

from ...domain.model import Connection
from .base import get_or_none, update_or_none
from .mapper import CONNECTIONS
from .models import OPERATORS_AUDIENCE, WATCHERS_AUDIENCE, ConnectionModel


class DynamoConnections:
    def put(self, conn: Connection) -> None:
        """One PutItem of the whole record (written at $connect, again at an operator's hello
        with joined=True, which puts it into by_audience)."""
        CONNECTIONS.to_model(conn).save()

    def get(self, conn_id: str) -> Connection | None:
        """One consistent GetItem by connection_id."""
        item = get_or_none(ConnectionModel, conn_id)
        return CONNECTIONS.to_record(item) if item is not None else None

    def delete(self, conn_id: str) -> None:
        """One DeleteItem without a condition: deleting twice, or a row already gone, is fine.
        The delivery lists that hold the id are cleaned by their own repositories."""
        ConnectionModel(conn_id).delete()

    def observing(self, conn_id: str, chat_id: str, on: bool) -> None:
        """One UpdateItem: ADD or DELETE the chat in the row's `observing` (only while the row
        exists), so `$disconnect` knows which observer lists to leave."""
        attr = ConnectionModel.observing
        action = attr.add({chat_id}) if on else attr.delete({chat_id})
        update_or_none(ConnectionModel(conn_id), [action], ConnectionModel.connection_id.exists())

    def operators(self) -> list[Connection]:
        """One Query of by_audience (audience = "operators"): whom a broadcast reaches."""
        return [CONNECTIONS.to_record(i) for i in ConnectionModel.by_audience.query(OPERATORS_AUDIENCE)]

    def watchers(self) -> list[Connection]:
        """One Query of by_audience (audience = "watchers"): the widgets told `service.status`."""
        return [CONNECTIONS.to_record(i) for i in ConnectionModel.by_audience.query(WATCHERS_AUDIENCE)]
