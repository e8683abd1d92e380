"""Edge validation: every client frame and REST body is checked here, before any write.

A failure raises `bad_request` (or `too_large`) naming the field, so a client author can fix
their request from the message alone. Unknown fields are ignored for forward compatibility;
unknown actions are refused.
"""
from __future__ import annotations

import json
import re

from ..errors import ServiceError, bad_request
from .limits import MAX_AFTER_PAIRS, MAX_DEPTH, MAX_EMAIL, MAX_FRAME_BYTES, MAX_ID  # noqa: F401 (re-exported)

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}$")


def parse_json_object(raw: str | bytes | None, what: str = "frame") -> dict:
    """A JSON object no deeper than MAX_DEPTH whose strings are all valid Unicode.

    Python's json accepts escaped lone surrogates ("\\ud800"), which no UTF-8 encoder can
    write back (DynamoDB, the sender, the log line); and nesting near the interpreter's
    recursion limit fails far from here. Both are refused at the edge, before anything reads
    the data."""
    if raw is None or raw == "" or raw == b"":
        raise bad_request(f"the {what} is empty; send a JSON object")
    if len(raw) > MAX_FRAME_BYTES:
        raise ServiceError("too_large", f"the {what} is over {MAX_FRAME_BYTES} bytes")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise _too_deep(what) from None
    except (ValueError, UnicodeDecodeError):
        raise bad_request(f"the {what} is not valid JSON") from None
    if not isinstance(data, dict):
        raise bad_request(f"the {what} must be a JSON object")
    check_tree(data, what)
    return data


def _too_deep(what: str) -> ServiceError:
    return bad_request(f"the {what} is nested too deeply (at most {MAX_DEPTH} levels)")


def valid_text(value: str) -> bool:
    """False for a string holding a lone surrogate (not encodable as UTF-8)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_tree(data, what: str = "frame") -> None:
    """Walks parsed JSON without recursion: depth and every key and string value."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(what)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(key, str) and not valid_text(key) or \
                    isinstance(value, str) and not valid_text(value):
                raise bad_request(f"the {what} holds text that is not valid Unicode "
                                  "(a lone surrogate such as \\ud800)")
            if isinstance(value, (dict, list)):
                stack.append((value, depth + 1))


def string(data: dict, name: str, *, required: bool = False, max_len: int = MAX_ID,
           min_len: int = 1, too_large_over: int | None = None) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise bad_request(f"'{name}' is required")
        return None
    if not isinstance(value, str):
        raise bad_request(f"'{name}' must be a string")
    if too_large_over is not None and len(value) > too_large_over:
        raise ServiceError("too_large", f"'{name}' is over {too_large_over} characters")
    if len(value) > max_len:
        raise bad_request(f"'{name}' is over {max_len} characters")
    if len(value.strip()) < min_len:
        raise bad_request(f"'{name}' must not be empty")
    return value


def boolean(data: dict, name: str, *, required: bool = False, default: bool | None = None) -> bool | None:
    value = data.get(name)
    if value is None:
        if required:
            raise bad_request(f"'{name}' is required")
        return default
    if not isinstance(value, bool):
        raise bad_request(f"'{name}' must be true or false")
    return value


def integer(data: dict, name: str, *, minimum: int = 0, maximum: int = 2**53) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"'{name}' must be an integer")
    if not minimum <= value <= maximum:
        raise bad_request(f"'{name}' must be between {minimum} and {maximum}")
    return value


def choice(data: dict, name: str, options: tuple[str, ...], *, required: bool = True) -> str | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if value not in options:
        raise bad_request(f"'{name}' must be one of {', '.join(options)}")
    return value


def after_map(data: dict) -> dict[str, int]:
    """`hello.after`: {chat_id: last seq seen}."""
    value = data.get("after")
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_AFTER_PAIRS:
        raise bad_request(f"'after' must be an object of at most {MAX_AFTER_PAIRS} {{chat_id: seq}} pairs")
    out = {}
    for chat_id, seq in value.items():
        if not chat_id or len(chat_id) > MAX_ID:
            raise bad_request("'after' has an invalid chat id")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
            raise bad_request(f"'after.{chat_id}' must be a non-negative integer")
        out[chat_id] = seq
    return out


def email(data: dict, name: str = "email") -> str | None:
    value = string(data, name, max_len=MAX_EMAIL)
    if value is not None and not EMAIL_RE.match(value.strip()):
        raise bad_request(f"'{name}' is not an email address")
    return value.strip() if value else None
