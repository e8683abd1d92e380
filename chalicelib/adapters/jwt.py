"""Checks a Cognito access token (RS256 JWT) against the user pool's JSON Web Key Set.

Chalice has no WebSocket authorizer, so the service checks operator tokens itself, at `$connect`
and on REST. The RSA arithmetic is the pure-Python `rsa` package (PKCS#1 v1.5, SHA-256):
`cryptography` would cost ~4 MB of the 1 MB Lambda package. What is ours is only the JOSE
framing and the claim rules Cognito documents: `iss` is the pool, `token_use` is `access`,
`client_id` is our app client, `exp` is in the future.
"""
from __future__ import annotations

import base64
import json

import rsa

from ..errors import ServiceError

LEEWAY_SECONDS = 30


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int(text: str) -> int:
    return int.from_bytes(_unb64(text), "big")


def public_keys(jwks: dict) -> dict[str, rsa.PublicKey]:
    """kid -> RSA public key, for the RS256 signing keys of a JWKS document."""
    keys = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") == "RSA" and jwk.get("alg", "RS256") == "RS256" and "kid" in jwk:
            keys[jwk["kid"]] = rsa.PublicKey(_int(jwk["n"]), _int(jwk["e"]))
    return keys


def _refuse(reason: str) -> ServiceError:
    return ServiceError("unauthorized", f"operator token refused: {reason}")


def header_kid(token: str) -> str:
    try:
        header = json.loads(_unb64(token.split(".")[0]))
    except (ValueError, IndexError):
        raise _refuse("malformed") from None
    if not isinstance(header, dict) or header.get("alg") != "RS256":
        raise _refuse("not an RS256 token")
    return str(header.get("kid", ""))


def verify_access_token(token: str, keys: dict[str, rsa.PublicKey], *, issuer: str,
                        client_id: str, now: float) -> dict:
    """Return the token's claims, or raise `unauthorized` saying why."""
    parts = token.split(".")
    if len(parts) != 3:
        raise _refuse("malformed")
    key = keys.get(header_kid(token))
    if key is None:
        raise _refuse("signed with an unknown key")
    try:
        method = rsa.verify(f"{parts[0]}.{parts[1]}".encode(), _unb64(parts[2]), key)
    except (rsa.VerificationError, ValueError):
        raise _refuse("bad signature") from None
    if method != "SHA-256":
        raise _refuse("not an RS256 token")
    try:
        claims = json.loads(_unb64(parts[1]))
    except ValueError:
        raise _refuse("malformed claims") from None
    if not isinstance(claims, dict):
        raise _refuse("malformed claims")
    if claims.get("iss") != issuer:
        raise _refuse("issued by another user pool")
    if claims.get("token_use") != "access":
        raise _refuse("not an access token")
    if claims.get("client_id") != client_id:
        raise _refuse("issued to another app client")
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or exp + LEEWAY_SECONDS < now:
        raise _refuse("expired; sign in again")
    if not isinstance(claims.get("username"), str):
        raise _refuse("no username")
    return claims
