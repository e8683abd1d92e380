"""The wire contract's client frames: parsed once into typed commands, refused with a code."""
from __future__ import annotations

import json

import pytest

from chalicelib.edge import frames, ws
from chalicelib.errors import ServiceError


def parse(**data):
    return frames.command(frames.envelope(json.dumps(data)))


def refused(raw) -> str:
    with pytest.raises(ServiceError) as err:
        frames.command(frames.envelope(raw if isinstance(raw, str) else json.dumps(raw)))
    return err.value.code


def test_envelope_names_action_and_chat_for_the_log_line_without_validating():
    env = frames.envelope('{"action": "send", "chat_id": "c1", "request_id": "r1"}')
    assert (env.action, env.chat_id, env.request_id) == ("send", "c1", "r1")
    env = frames.envelope(json.dumps({"action": 5, "chat_id": 7, "request_id": ["x"]}))
    assert (env.action, env.chat_id, env.request_id) == (None, None, None)
    assert frames.envelope(json.dumps({"action": "a" * 100})).action == "a" * 40
    for raw in ("{oops", None, "[1]", ""):
        with pytest.raises(ServiceError) as err:
            frames.envelope(raw)
        assert err.value.code == "bad_request"
    with pytest.raises(ServiceError) as err:
        frames.envelope("x" * (33 * 1024))
    assert err.value.code == "too_large"


def test_each_action_becomes_its_typed_command():
    assert parse(action="hello", after={"c1": 3}) == frames.Hello({"c1": 3})
    assert parse(action="send", chat_id="c1", text="hi", client_msg_id="m1") == \
        frames.Send("c1", "hi", None, "m1")
    assert parse(action="typing", typing=True, preview="Wh") == frames.Typing(None, True, "Wh")
    assert parse(action="presence", state="away") == frames.Presence(None, "away")
    assert parse(action="claim", chat_id="c1") == frames.Claim("c1")
    assert parse(action="end") == frames.End(None)
    assert parse(action="close", chat_id="c1") == frames.Close("c1")
    assert parse(action="transfer", chat_id="c1", to="bob", note="  ") == frames.Transfer("c1", "bob", None)
    status = parse(action="status", state="away")
    assert (status.state, status.changes_limit) == ("away", False)
    lifted = parse(action="status", chat_limit=None)
    assert (lifted.state, lifted.changes_limit, lifted.chat_limit) == (None, True, None)
    assert parse(action="ping") == frames.Ping()


@pytest.mark.parametrize("frame, code", [
    ({}, "bad_request"),  # no action
    ({"action": "dance"}, "bad_request"),
    ({"action": "send", "chat_id": "c1"}, "bad_request"),  # neither text nor attachment
    ({"action": "send", "text": 5}, "bad_request"),
    ({"action": "send", "text": "x" * 4001}, "too_large"),
    ({"action": "typing", "typing": "yes"}, "bad_request"),
    ({"action": "presence", "state": "asleep"}, "bad_request"),
    ({"action": "claim"}, "bad_request"),
    ({"action": "close"}, "bad_request"),
    ({"action": "hello", "after": {"c1": -1}}, "bad_request"),
    ({"action": "hello", "after": [1]}, "bad_request"),
    ({"action": "transfer", "chat_id": "c1", "note": "x" * 501}, "bad_request"),
    ({"action": "status"}, "bad_request"),
    ({"action": "status", "chat_limit": 0}, "bad_request"),
    ({"action": "status", "state": "offline"}, "bad_request"),
])
def test_bad_fields_are_refused_with_a_code(frame, code):
    assert refused(frame) == code


def test_every_action_has_one_use_case():
    assert set(ws.ACTIONS) == set(frames.COMMANDS)
