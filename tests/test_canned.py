"""Canned messages: system ones for admins to manage, personal ones per operator."""
from __future__ import annotations

import pytest

from chalicelib.domain.canned import CannedService
from chalicelib.domain.model import Operator
from chalicelib.errors import ServiceError
from tests.fakes import MemoryRepositories
from tests.harness import Flow

ADMIN = Operator(id="ada", name="Ada", role="admin")
ANN = Operator(id="ann", name="Ann")
BOB = Operator(id="bob", name="Bob")


@pytest.fixture
def canned():
    return CannedService(MemoryRepositories().canned, lambda: 1_790_000_000.0)


def code_of(fn, *args):
    with pytest.raises(ServiceError) as err:
        fn(*args)
    return err.value.code


def test_admin_manages_system_and_everyone_reads_them(canned):
    item = canned.create(ADMIN, {"scope": "system", "title": "Greeting",
                                 "text": "Hello! How can I help?", "shortcut": "hi"})
    assert item["id"].startswith("s-") and item["scope"] == "system" and item["shortcut"] == "hi"
    assert canned.list(ANN)["system"] == [item]
    changed = canned.update(ADMIN, item["id"], {"title": "Greeting", "text": "Hi there!"})
    assert canned.list(BOB)["system"][0]["text"] == "Hi there!" == changed["text"]
    assert code_of(canned.update, ANN, item["id"], {"title": "x", "text": "y"}) == "forbidden"
    assert code_of(canned.delete, ANN, item["id"]) == "forbidden"
    assert code_of(canned.create, ANN, {"scope": "system", "title": "x", "text": "y"}) == "forbidden"
    assert canned.delete(ADMIN, item["id"]) == {"ok": True}
    assert canned.list(ANN)["system"] == []


def test_personal_ones_belong_to_their_owner(canned):
    mine = canned.create(ANN, {"scope": "personal", "title": "Sign-off", "text": "Happy reading!"})
    assert canned.list(ANN)["personal"] == [mine]
    assert canned.list(BOB)["personal"] == []
    assert code_of(canned.update, BOB, mine["id"], {"title": "hacked", "text": "x"}) == "not_found"
    assert code_of(canned.delete, BOB, mine["id"]) == "not_found"
    assert canned.list(ANN)["personal"][0]["title"] == "Sign-off"


@pytest.mark.parametrize("body, code", [
    ({"scope": "personal", "title": "", "text": "x"}, "bad_request"),
    ({"scope": "personal", "title": "t"}, "bad_request"),
    ({"scope": "personal", "title": "t", "text": "x" * 4001}, "too_large"),
    ({"scope": "personal", "title": "t", "text": "x", "shortcut": "Bad Space"}, "bad_request"),
    ({"scope": "team", "title": "t", "text": "x"}, "bad_request"),
])
def test_bad_canned_input(canned, body, code):
    assert code_of(canned.create, ANN, body) == code
    assert canned.list(ANN) == {"system": [], "personal": []}


def test_canned_routes_on_moto(aws, ws_event):
    aws.add_operator("ada", role="admin")
    aws.add_operator("ann")
    flow = Flow(aws, ws_event)
    admin, ann = aws.token("ada"), aws.token("ann")
    status, item = flow.post("/canned", {"scope": "system", "title": "Busy",
                                         "text": "I'm helping several patrons, bear with me."}, admin)
    assert status == 201
    status, err = flow.post("/canned", {"scope": "system", "title": "x", "text": "y"}, ann)
    assert status == 403 and err["error"]["code"] == "forbidden"
    status, mine = flow.post("/canned", {"scope": "personal", "title": "Mine", "text": "z"}, ann)
    assert status == 201
    status, lists = flow.get("/canned", ann)
    assert status == 200 and [c["id"] for c in lists["system"]] == [item["id"]]
    assert [c["id"] for c in lists["personal"]] == [mine["id"]]
    status, lists = flow.get("/canned", admin)
    assert lists["personal"] == []
    resp = flow.http.put(f"/canned/{mine['id']}", body='{"title": "T", "text": "x"}',
                         headers={"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
    assert resp.status_code == 404  # not the admin's personal item
    resp = flow.http.delete(f"/canned/{mine['id']}", headers={"Authorization": f"Bearer {ann}"})
    assert resp.status_code == 200
    status, err = flow.get("/canned")
    assert status == 401
