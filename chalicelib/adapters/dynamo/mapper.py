"""One generic mapper between the domain's dataclasses and the PynamoDB models.

Fields map by name onto attributes of the same name, except where `renames` says otherwise;
the attribute's type decides the conversion (TTLAttribute: epoch int <-> aware datetime;
UnicodeSetAttribute: empty set <-> absent, since DynamoDB stores no empty set; MapAttribute:
dict, with dataclass values as maps; NumberAttribute: int or float as the field is annotated).
`computed` writes model-only attributes from a record (index keys such as Survey.day) and
`loaded` reads record-only fields from an item (Connection.joined from its audience).
Attributes neither side names (ChatModel.reminded_at, closed_at) are left to the repositories.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime, timezone
from typing import Any, Callable, Generic, TypeVar

from pynamodb.attributes import (Attribute, MapAttribute, NumberAttribute, TTLAttribute,
                                 UnicodeSetAttribute)
from pynamodb.models import Model

from ...domain.model import (QUEUED, STAFF_ROOM_ID, Canned, Chat, Connection, Message, Operator,
                             StaffRoom, Survey)
from . import models as m

R = TypeVar("R")


def ttl(epoch: int) -> datetime:
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc)


def epoch(value: datetime | None) -> int:
    return int(value.timestamp()) if value else 0


def survey_day(ts: float) -> str:
    """The UTC day a survey is filed under in by_day."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d")


def _plain(hint) -> Any:
    """`int | None` -> int; `dict[str, Member]` -> dict[str, Member]."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (hint,) = [a for a in typing.get_args(hint) if a is not type(None)]
    return hint


class Mapper(Generic[R]):
    def __init__(self, record: type[R], model: type[Model], *, renames: dict[str, str] | None = None,
                 computed: dict[str, Callable[[R], Any]] | None = None,
                 loaded: dict[str, Callable[[Model], Any]] | None = None) -> None:
        self.record, self.model = record, model
        self.computed, self.loaded = computed or {}, loaded or {}
        hints = typing.get_type_hints(record)
        attrs = model.get_attributes()
        renames = renames or {}
        self.fields = {f.name: renames.get(f.name, f.name) for f in dataclasses.fields(record)
                       if f.name not in self.loaded}
        missing = sorted(a for a in [*self.fields.values(), *self.computed] if a not in attrs)
        if missing:
            raise TypeError(f"{model.__name__} lacks {missing} for {record.__name__}")
        self.attrs: dict[str, Attribute] = {f: attrs[a] for f, a in self.fields.items()}
        self.hints = {f: _plain(hints[f]) for f in self.fields}

    def attr(self, field: str) -> Attribute:
        """The model attribute behind a record field, for update actions and conditions."""
        return getattr(self.model, self.fields[field])

    def value(self, field: str, value: Any) -> Any:
        """A record field's value as its model attribute holds it."""
        attr = self.attrs[field]
        if value is None:
            return None
        if isinstance(attr, TTLAttribute):
            return ttl(value)
        if isinstance(attr, UnicodeSetAttribute):
            return set(value) or None
        if isinstance(attr, MapAttribute):
            return {k: dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v
                    for k, v in value.items()}
        return value

    def field(self, field: str, value: Any) -> Any:
        """A model attribute's value as the record field holds it."""
        attr, hint = self.attrs[field], self.hints[field]
        if isinstance(attr, TTLAttribute):
            return epoch(value)
        if isinstance(attr, UnicodeSetAttribute):
            return set(value or ())
        if isinstance(attr, MapAttribute):
            raw = value.as_dict() if isinstance(value, MapAttribute) else dict(value or {})
            (_, inner) = typing.get_args(hint) or (None, None)
            if dataclasses.is_dataclass(inner):
                return {k: inner(**v) for k, v in raw.items()}
            return raw
        if value is not None and isinstance(attr, NumberAttribute) and hint in (int, float):
            return hint(value)
        return value

    def to_model(self, record: R) -> Model:
        values = {a: self.value(f, getattr(record, f)) for f, a in self.fields.items()}
        values.update({a: fn(record) for a, fn in self.computed.items()})
        return self.model(**{k: v for k, v in values.items() if v is not None})

    def to_record(self, item: Model) -> R:
        values = {f: self.field(f, getattr(item, a)) for f, a in self.fields.items()}
        values.update({f: fn(item) for f, fn in self.loaded.items()})
        return self.record(**values)

    def from_raw(self, attributes: dict) -> R:
        """From a low-level attribute map (ReturnValues, a cancellation's item)."""
        return self.to_record(self.model.from_raw_data(attributes))


# The rename table and the model-only / record-only attributes, for every record stored.
CHATS = Mapper(Chat, m.ChatModel,
               computed={"waiting": lambda c: m.WAITING if c.status == QUEUED else None})
ROOM = Mapper(StaffRoom, m.StaffRoomModel, computed={"chat_id": lambda room: STAFF_ROOM_ID})
MESSAGES = Mapper(Message, m.MessageModel)
_AUDIENCES = {"operator": m.OPERATORS_AUDIENCE, "watcher": m.WATCHERS_AUDIENCE}
CONNECTIONS = Mapper(
    Connection, m.ConnectionModel,
    computed={"audience": lambda c: _AUDIENCES.get(c.role) if c.joined else None},
    loaded={"joined": lambda item: item.audience is not None})
OPERATORS = Mapper(Operator, m.OperatorModel, renames={"id": "operator_id"})
SURVEYS = Mapper(Survey, m.SurveyModel, computed={"day": lambda s: survey_day(s.submitted_at)})
CANNED = Mapper(Canned, m.CannedModel)
