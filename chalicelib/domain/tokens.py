"""Patron tokens: a chat id and an expiry, signed by the service with HMAC-SHA256.

A patron has no account; the token it gets from `POST /chats` is the only thing that opens its
chat, on REST and at `$connect`. It names exactly one chat, so a patron can never reach another
one. The format is `p1.<base64url payload>.<base64url signature>`; the `p1` prefix tells it from
an operator's Cognito JWT without trying to parse either.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json

from ..errors import ServiceError

PREFIX = "p1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_patron_token(token: str) -> bool:
    return token.startswith(PREFIX + ".")


def sign_patron_token(secret: bytes, chat_id: str, expires_at: int) -> str:
    payload = _b64(json.dumps({"c": chat_id, "exp": expires_at}, separators=(",", ":")).encode())
    signing_input = f"{PREFIX}.{payload}".encode()
    sig = _b64(hmac.new(secret, signing_input, hashlib.sha256).digest())
    return f"{PREFIX}.{payload}.{sig}"


def verify_patron_token(secret: bytes, token: str, now: float) -> str:
    """Return the chat id the token opens, or raise `unauthorized`."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise ServiceError("unauthorized", "malformed patron token")
    expected = _b64(hmac.new(secret, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, parts[2]):
        raise ServiceError("unauthorized", "patron token signature does not match")
    try:
        claims = json.loads(_unb64(parts[1]))
        chat_id, exp = claims["c"], claims["exp"]
    except (ValueError, KeyError, TypeError):
        raise ServiceError("unauthorized", "malformed patron token") from None
    if not isinstance(chat_id, str) or not isinstance(exp, int) or exp <= now:
        raise ServiceError("unauthorized", "patron token expired")
    return chat_id


LINK_PREFIX = "k1"


def _link_key(secret: bytes) -> bytes:
    """Ticket links are signed with a key derived from the service's, so a patron token can
    never pass for a link nor a link for a patron token."""
    return hmac.new(secret, b"ticket-link", hashlib.sha256).digest()


def sign_ticket_link(secret: bytes, ticket_id: str, expires_at: int) -> str:
    payload = _b64(json.dumps({"t": ticket_id, "exp": expires_at}, separators=(",", ":")).encode())
    sig = _b64(hmac.new(_link_key(secret), f"{LINK_PREFIX}.{payload}".encode(), hashlib.sha256).digest())
    return f"{LINK_PREFIX}.{payload}.{sig}"


def verify_ticket_link(secret: bytes, token: str | None, ticket_id: str, now: float) -> None:
    """The link opens this ticket and has not expired, or `unauthorized` (one message for
    every way it can fail: a forged link learns nothing)."""
    refused = ServiceError("unauthorized", "this link has expired or is not valid")
    parts = (token or "").split(".")
    if len(parts) != 3 or parts[0] != LINK_PREFIX:
        raise refused
    expected = _b64(hmac.new(_link_key(secret), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, parts[2]):
        raise refused
    try:
        claims = json.loads(_unb64(parts[1]))
        tid, exp = claims["t"], claims["exp"]
    except (ValueError, KeyError, TypeError):
        raise refused from None
    if tid != ticket_id or not isinstance(exp, int) or exp <= now:
        raise refused
