"""StaffRoomRepository: the staff room is the item "staff" (model.STAFF_ROOM_ID) of the chats
table, written through StaffRoomModel. It has no `status` nor `waiting` (so chats' by_waiting index never
lists it), and `members` is a map connection id -> {"operator_id", "name"}: one entry per
connection, so two tabs are two members and a rename replaces the entry instead of leaving a
stale one. Entries are addressed one key at a time by a document path,
`StaffRoomModel.members[conn_id]` (a raw MapAttribute's item access: `members.#conn`), which
holds for API Gateway connection ids (no "[" or "]" in them).
"""
from __future__ import annotations

from dataclasses import asdict

from pynamodb.exceptions import PutError, UpdateError

from ...domain.limits import STAFF_ROOM_SECONDS
from ...domain.model import STAFF_ROOM_ID, Member, StaffRoom
from ...domain.ports import StaleRead
from .base import condition_failed, get_or_none
from .mapper import ROOM
from .models import StaffRoomModel as R

_ATTEMPTS = 3  # update, create, update again: enough unless the item is not a room at all


class DynamoStaffRoom:
    def get(self) -> StaffRoom | None:
        """One consistent GetItem of chat_id = "staff"; None before anyone joined."""
        item = get_or_none(R, STAFF_ROOM_ID)
        return ROOM.to_record(item) if item is not None and item.members is not None else None

    def join(self, conn_id: str, member: Member, now: float) -> StaffRoom:
        """One UpdateItem `SET members.#conn = :member ADD conn_version 1`, conditional on the
        room existing (ALL_NEW: the room as it is now). Only when there is no room yet, one
        PutItem (only if absent) creates it with this member, created_at = now and
        expires_at = now + limits.STAFF_ROOM_SECONDS (the room holds no patron data; its
        messages carry their own TTL); if that put loses a race with another first joiner,
        the update is retried. A room left by the first version (a chat item with `kind`,
        `staff_members` and no `members`) is replaced the same way, keeping its `last_seq` so
        its messages' seqs go on (one more GetItem, once per stage)."""
        for _ in range(_ATTEMPTS):
            item = R(STAFF_ROOM_ID)
            try:
                item.update(actions=[R.members[conn_id].set(asdict(member)), R.conn_version.add(1)],
                            condition=R.members.exists())
                return ROOM.to_record(item)
            except UpdateError as err:
                if not condition_failed(err):
                    raise
            room = StaffRoom(created_at=now, members={conn_id: member}, conn_version=1,
                             expires_at=int(now) + STAFF_ROOM_SECONDS)
            previous = get_or_none(R, STAFF_ROOM_ID)
            if previous is not None:  # the first version's room (a chat item): keep its log going
                room.created_at = float(previous.created_at or now)
                room.last_seq = int(previous.last_seq or 0)
                room.conn_version = int(previous.conn_version or 0) + 1
            try:
                ROOM.to_model(room).save(condition=R.members.does_not_exist())
                return room
            except PutError as err:
                if not condition_failed(err):
                    raise
        raise StaleRead()

    def leave(self, conn_id: str) -> None:
        """One UpdateItem `REMOVE members.#conn ADD conn_version 1`, conditional on that member
        being there (so on the room existing); a failed condition is swallowed: leaving twice,
        with an unknown id or with no room changes nothing, not even conn_version."""
        try:
            R(STAFF_ROOM_ID).update(actions=[R.members[conn_id].remove(), R.conn_version.add(1)],
                                    condition=R.members[conn_id].exists())
        except UpdateError as err:
            if not condition_failed(err):
                raise
