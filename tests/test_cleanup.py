"""Dead connections leave every delivery list, whatever else is already gone.

API Gateway does not promise a `$disconnect` for every connection, and a connection row expires
(TTL) long before the staff room does (it lives for years). So a 410 during a push must remove
that id from the list that was pushed to, even when its connection row no longer exists; and
`$disconnect` must clean the lists before it deletes the row, each step idempotent.

Run on the in-memory fakes and on DynamoDB (moto) through the same wiring (`wiring.build`).
"""
from __future__ import annotations

import json

import pytest

from chalicelib import wiring
from chalicelib.domain.model import Operator
from chalicelib.edge import ws
from tests.fakes import FakeAuthenticator, MemoryRepositories, RecordingSender
from tests.harness import Clock, test_settings


class World:
    def __init__(self, repos) -> None:
        self.repos = repos
        self.sender = RecordingSender()
        self.clock = Clock()
        self.services = wiring.build(test_settings(), wiring.Ports(
            repos=repos, sender=self.sender, auth=FakeAuthenticator()), clock=self.clock)
        for op in ("ann", "bob"):
            repos.operators.put(Operator(id=op, name=op.title()))

    def frame(self, conn: str, **data) -> list[dict]:
        return ws.handle_raw(self.services, conn, json.dumps(data))

    def operator(self, conn: str, op_id: str) -> None:
        self.services.sessions.connect(conn, f"op:{op_id}")
        assert self.frame(conn, action="hello")[0]["type"] == "welcome"

    def claimed_chat(self, by_conn: str) -> str:
        out = self.services.chats.create({"question": "Where are the atlases?"})
        self.services.sessions.connect("pat", out["token"])
        self.frame("pat", action="hello", chat_id=out["chat_id"])
        assert self.frame(by_conn, action="claim", chat_id=out["chat_id"]) == []
        return out["chat_id"]

    def room_members(self) -> set[str]:
        return set(self.repos.staff_room.get().members)

    def chat_operators(self, chat_id: str) -> set[str]:
        return self.repos.chats.get(chat_id).operator_conns


@pytest.fixture(params=["memory", "dynamodb"])
def world(request):
    if request.param == "memory":
        return World(MemoryRepositories())
    request.getfixturevalue("aws")
    return World(wiring.repositories())


def test_a_410_removes_the_id_from_the_chat_and_the_staff_room_without_its_row(world):
    world.operator("a1", "ann")
    world.operator("a2", "ann")  # a second tab: also on the chat and in the room
    world.operator("b1", "bob")
    chat_id = world.claimed_chat("a1")
    world.frame("a2", action="hello")  # joins the chat it now holds
    assert world.chat_operators(chat_id) == {"a1", "a2"}
    assert world.room_members() == {"a1", "a2", "b1"}

    world.repos.connections.delete("a2")  # its $disconnect never came; the row expired
    world.sender.gone.add("a2")  # and the gateway answers 410 for it

    world.frame("pat", action="send", chat_id=chat_id, text="still there?")
    assert world.chat_operators(chat_id) == {"a1"}
    assert world.sender.of("a1", "chat.message")[-1]["message"]["text"] == "still there?"

    world.frame("b1", action="send", chat_id="staff", text="Anyone free at 3?")
    assert world.room_members() == {"a1", "b1"}
    assert world.sender.of("a1", "chat.message")[-1]["message"]["text"] == "Anyone free at 3?"

    # the next message reaches the living only: nothing is tried on a2 again
    world.sender.gone.clear()
    world.sender.clear()
    world.frame("b1", action="send", chat_id="staff", text="ok")
    world.frame("pat", action="send", chat_id=chat_id, text="ok?")
    assert world.sender.of("a2") == []
    assert [f["message"]["text"] for f in world.sender.of("a1", "chat.message")] == ["ok", "ok?"]


def test_disconnect_cleans_every_list_then_the_row_and_can_run_twice(world):
    world.operator("a1", "ann")
    world.operator("b1", "bob")
    chat_id = world.claimed_chat("a1")
    world.services.sessions.disconnect("a1")
    assert world.chat_operators(chat_id) == set()
    assert world.room_members() == {"b1"}
    assert world.repos.connections.get("a1") is None
    assert [c.connection_id for c in world.repos.connections.operators()] == ["b1"]
    assert world.sender.of("b1", "operator.status")[-1]["operator"]["state"] == "offline"
    world.services.sessions.disconnect("a1")  # a retried $disconnect: nothing left, no error
    world.services.sessions.gone("a1", chat_id)  # a late 410 for it: harmless too
    assert world.room_members() == {"b1"}


def test_a_patron_410_marks_them_offline_for_the_librarian(world):
    world.operator("a1", "ann")
    chat_id = world.claimed_chat("a1")
    world.sender.gone.add("pat")
    world.frame("a1", action="send", chat_id=chat_id, text="Here is the atlas room.")
    chat = world.repos.chats.get(chat_id)
    assert chat.patron_conns == set() and chat.patron_presence == "offline"
    assert world.sender.of("a1", "chat.presence")[-1]["patron"] == "offline"


def test_a_cascade_of_dead_connections_is_cleaned_once_each(world):
    """Cleaning up one dead operator announces it to the others, which finds the next dead
    one, and so on: each is forgotten once, and the living hear of each once."""
    world.repos.operators.put(Operator(id="cy", name="Cy"))
    world.operator("a1", "ann")
    world.operator("b1", "bob")
    world.operator("c1", "cy")
    world.sender.gone.update({"a1", "b1"})  # both tabs closed without a $disconnect
    world.sender.clear()
    world.services.chats.create({"question": "Is the archive open?"})  # chat.queued to everyone
    assert [c.connection_id for c in world.repos.connections.operators()] == ["c1"]
    assert world.room_members() == {"c1"}
    offline = [f["operator"]["id"] for f in world.sender.of("c1", "operator.status")
               if f["operator"]["state"] == "offline"]
    assert sorted(offline) == ["ann", "bob"]
    assert len(world.sender.of("c1", "chat.queued")) == 1
