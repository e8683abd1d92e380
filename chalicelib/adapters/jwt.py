"""Checks a Cognito access token (RS256 JWT) against the user pool's JSON Web Key Set.

Chalice has no WebSocket authorizer, so the service checks operator tokens itself, at `$connect`
and on REST. Checking an RS256 signature needs no third-party crypto: RSASSA-PKCS1-v1_5
verification with SHA-256 (RFC 8017 §8.2.2) is one `pow()`, one `hashlib.sha256` and one
constant-time compare, done below with the standard library. `cryptography` would cost ~4 MB of
the 1 MB Lambda package, and every extra package is more to fetch, unpack and import on a cold
start (the pure-Python `rsa` package used before is no longer maintained upstream). Only public
keys are involved, so there is no private-key timing to protect. What else is ours is the JOSE
framing and the claim rules Cognito documents: `iss` is the pool, `token_use` is `access`,
`client_id` is our app client, `exp` is in the future.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

from ..errors import ServiceError

LEEWAY_SECONDS = 30
MIN_MODULUS_BITS = 2048
# DER of DigestInfo{AlgorithmIdentifier{id-sha256, NULL}, OCTET STRING(32)}: RFC 8017 §9.2 note 1.
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


@dataclass(frozen=True)
class RsaPublicKey:
    n: int
    e: int


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int(text: str) -> int:
    return int.from_bytes(_unb64(text), "big")


def _usable(key: RsaPublicKey) -> bool:
    return key.n.bit_length() >= MIN_MODULUS_BITS and key.e >= 3 and key.e % 2 == 1 and key.e < key.n


def public_keys(jwks: dict) -> dict[str, RsaPublicKey]:
    """kid -> RSA public key, for the RS256 signing keys of a JWKS document (tiny moduli and
    odd-looking exponents are left out, as if the key were not there)."""
    keys = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") == "RSA" and jwk.get("alg", "RS256") == "RS256" and "kid" in jwk:
            try:
                key = RsaPublicKey(_int(jwk["n"]), _int(jwk["e"]))
            except (KeyError, TypeError, ValueError, binascii.Error):
                continue
            if _usable(key):
                keys[jwk["kid"]] = key
    return keys


def rs256_valid(message: bytes, signature: bytes, key: RsaPublicKey) -> bool:
    """RSASSA-PKCS1-v1_5 signature verification with SHA-256 (RFC 8017 §8.2.2)."""
    if not _usable(key):
        return False
    k = (key.n.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= key.n:
        return False
    em = pow(s, key.e, key.n).to_bytes(k, "big")
    t = SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
    if k < len(t) + 11:  # at least 8 bytes of 0xFF padding (RFC 8017 §9.2 step 4)
        return False
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return hmac.compare_digest(em, expected)


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


def verify_access_token(token: str, keys: dict[str, RsaPublicKey], *, issuer: str,
                        client_id: str, now: float) -> dict:
    """Return the token's claims, or raise `unauthorized` saying why."""
    parts = token.split(".")
    if len(parts) != 3:
        raise _refuse("malformed")
    key = keys.get(header_kid(token))
    if key is None:
        raise _refuse("signed with an unknown key")
    try:
        signature = _unb64(parts[2])
    except ValueError:
        raise _refuse("bad signature") from None
    if not rs256_valid(f"{parts[0]}.{parts[1]}".encode(), signature, key):
        raise _refuse("bad signature")
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
