"""The standard-library RS256 check (chalicelib/adapters/jwt.py) against known answers: RFC 7515's
RS256 example, a fixed vector under moto's Cognito key, JWTs signed the way moto's Cognito signs
them (joserfc over `cryptography`), and signatures crafted to be almost right."""
from __future__ import annotations

import base64
import gzip
import hashlib
import hmac
import importlib.util
import json
from pathlib import Path

import pytest

from chalicelib.adapters import jwt
from chalicelib.errors import ServiceError

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"
CLIENT_ID = "testclientid0000000000000"
NOW = 1_760_000_000

SHA256_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")
SHA1_PREFIX = bytes.fromhex("3021300906052b0e03021a05000414")
SHA256_PREFIX_NO_NULL = bytes.fromhex("302f300b0609608648016503040201" "0420")

# RFC 7515 Appendix A.2: an RS256 JWS and its 2048-bit public key, verbatim.
RFC7515_N = (
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4"
    "d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5re"
    "xMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXF"
    "vUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ")
RFC7515_JWS = (
    "eyJhbGciOiJSUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
    "jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L"
    "07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUi"
    "pUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw")

# A fixed vector under moto's Cognito signing key (kid "dummy"), signed once with `cryptography`
# (PKCS1v15, SHA-256) and pasted here.
MOTO_N = int(
    "8f5a53df129bb3098cc92bc279f9a20f799f0da445a59f58dc99787c5d2131a091540b7f7b4c91ec17ae7837ea9a3f"
    "cd85548ed160796a8e5ef15fbd44540eb4af12aea2a5de2d35f82c9660f202c326da18a85b2494744bfe9c67c9f992"
    "c705d4c8e9225b09702ce6fb22a04dcdccc64e8ab6b2e836046f33018b7875173e4852f581df0ca45ef3ae2230538a"
    "e1d7faf5bac86042021b654b76e87485761ad22f89dddaf09bbbf135d5fba55a420eedf8a89b58a16aba097b774f37"
    "e2dd87d6a7c7058c635b6836b75a709dd885e9a744c5b054be704b30e6b2634a5e4e965246799281b4b7b2553cbd3d"
    "8c2793b316e3759261e62cb5b93d365b97e07f08bb", 16)
FIXED_MESSAGE = b"library-chat: RS256 known answer (RFC 8017 8.2.2)"
FIXED_SIGNATURE = bytes.fromhex(
    "72f7b1a5b3181209a5e6ac7d66195b83ff73bc82f2d328bba79f676ee35018ae648fac51ce0d9be1db037ef0d165b2"
    "5715537e0ca4ecb9abd5e5302c04d66ddd7aa975151c474238641fef49c80a7ce661a903a90cd01707cad831b52acd"
    "8cd6c2bec1c2ac07075fdb36ce283b4eb1a472f57ac85519d7ea304d710566ccb76991f94453b0116dc166a7094e9b"
    "af07cfd5172933be89fe4d07dd40af09749a15a1d1b52491cda28e648f5b8f50bcec820837fab1667f339efb0ee441"
    "bdd22d1b7bf64512213bca28c871d66072dd87441d1a5105bb78c995797c5fb3c0f3d9d13b99c15ffd1f8ab7b9eb8e"
    "4ba80bce5245a6b9bfbc2538eea2fb31f35b2814d5")
# One prime factor of MOTO_N (moto's key file has only n, e, d): a published test key, no secret.
MOTO_P = int(
    "a0b21500aef6971385b5ac70c8984ae68c02e2755a4ad4a28c1d4787991e3b46c688b0d82bc29f65d2b5a56fec3d49"
    "e60876d0e0b6b393d05d5c9c101383454775158f2a4b333f227ddc7fee513f6cec26fd0eaec525b93c88893521ae93"
    "a722afb71f81565a90e44aafac88f59f9a603d6eea6c2e17c44726e1824694f218e5", 16)


def b64(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64_int(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def b64int(value: int) -> str:
    return b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def moto_resource(name: str) -> dict:
    """moto's Cognito key files, read by path: `import moto` alone would take most of a second."""
    root = Path(importlib.util.find_spec("moto").submodule_search_locations[0])
    return json.loads(gzip.decompress((root / "cognitoidp" / "resources" / f"{name}.gz").read_bytes()))


@pytest.fixture(scope="module")
def moto_jwk() -> dict:
    """moto's private signing key, completed with its CRT parameters from MOTO_P (else every
    import would recover the primes from d, slowly)."""
    jwk = moto_resource("jwks-private.json")
    n, d = unb64_int(jwk["n"]), unb64_int(jwk["d"])
    assert n == MOTO_N and n % MOTO_P == 0
    p, q = MOTO_P, n // MOTO_P
    return jwk | {name: b64int(v) for name, v in
                  {"p": p, "q": q, "dp": d % (p - 1), "dq": d % (q - 1), "qi": pow(q, -1, p)}.items()}


@pytest.fixture(scope="module")
def keys() -> dict:
    """What the service loads from the pool's JWKS URL: moto's published document."""
    return jwt.public_keys(moto_resource("jwks-public.json"))


class Signer:
    """Textbook RSASSA-PKCS1-v1_5 signing (s = EM^d mod n) with moto's private key, so tests can
    sign any encoded message, well-formed or not."""

    def __init__(self, jwk: dict):
        self.n, self.e, self.d, self.p, self.q = (unb64_int(jwk[x]) for x in "nedpq")
        self.k = (self.n.bit_length() + 7) // 8

    def em(self, message: bytes, *, prefix: bytes = SHA256_PREFIX, digest=hashlib.sha256,
           pad: int | None = None, block_type: bytes = b"\x01", tail: bytes = b"") -> bytes:
        t = prefix + digest(message).digest()
        pad = self.k - len(t) - 3 - len(tail) if pad is None else pad
        out = b"\x00" + block_type + b"\xff" * pad + b"\x00" + t + tail
        assert len(out) == self.k
        return out

    def raw(self, em: bytes) -> bytes:
        """m^d mod n, by the Chinese remainder theorem (RFC 8017 §5.1.2) for speed."""
        m, p, q = int.from_bytes(em, "big"), self.p, self.q
        s1, s2 = pow(m, self.d % (p - 1), p), pow(m, self.d % (q - 1), q)
        s = s2 + q * ((s1 - s2) * pow(q, -1, p) % p)
        return s.to_bytes(self.k, "big")

    def sign(self, message: bytes, **em_options) -> bytes:
        return self.raw(self.em(message, **em_options))

    def token(self, claims: dict, header: dict | None = None, **em_options) -> str:
        head = b64(json.dumps(header or {"kid": "dummy", "alg": "RS256"}))
        body = b64(json.dumps(claims))
        return f"{head}.{body}.{b64(self.sign(f'{head}.{body}'.encode(), **em_options))}"


@pytest.fixture(scope="module")
def signer(moto_jwk) -> Signer:
    return Signer(moto_jwk)


def claims(**changes) -> dict:
    out = {"iss": ISSUER, "token_use": "access", "client_id": CLIENT_ID, "username": "ann",
           "sub": "0b7a3c1e-0000-4000-8000-000000000001", "exp": NOW + 600}
    out.update(changes)
    return {k: v for k, v in out.items() if v is not None}


@pytest.fixture(scope="module")
def pool_key(moto_jwk):
    from joserfc import jwk as jose_jwk
    return jose_jwk.RSAKey.import_key(moto_jwk)


def pool_signed(pool_key, payload: dict, header: dict | None = None) -> str:
    """Signed exactly as moto's Cognito signs its tokens (models.py: joserfc `jwt.encode`)."""
    from joserfc import jwt as jose_jwt
    return jose_jwt.encode(header or {"kid": "dummy", "alg": "RS256"}, payload, pool_key)


def verify(token: str, keys: dict, **overrides) -> dict:
    args = {"issuer": ISSUER, "client_id": CLIENT_ID, "now": NOW} | overrides
    return jwt.verify_access_token(token, keys, **args)


def refusal(token: str, keys: dict, **overrides) -> str:
    with pytest.raises(ServiceError) as err:
        verify(token, keys, **overrides)
    assert err.value.code == "unauthorized"
    assert err.value.message.startswith("operator token refused: ")
    return err.value.message.removeprefix("operator token refused: ")


def with_signature(token: str, signature: bytes) -> str:
    head, body, _ = token.split(".")
    return f"{head}.{body}.{b64(signature)}"


def signature_of(token: str) -> bytes:
    return base64.urlsafe_b64decode(token.split(".")[2] + "==")


# ------------------------------------------------------------------ known answers


def test_rfc7515_appendix_a2_rs256_example_verifies():
    key = jwt.RsaPublicKey(unb64_int(RFC7515_N), 65537)
    head, body, sig = RFC7515_JWS.split(".")
    signature = base64.urlsafe_b64decode(sig + "==")
    assert jwt.rs256_valid(f"{head}.{body}".encode(), signature, key)
    assert not jwt.rs256_valid(f"{head}.{body}x".encode(), signature, key)
    # Through the JWT path: the signature passes, the claims (RFC's "joe") are then not Cognito's.
    keys = jwt.public_keys({"keys": [{"kty": "RSA", "kid": "", "n": RFC7515_N, "e": "AQAB"}]})
    assert refusal(RFC7515_JWS, keys, issuer="joe") == "not an access token"
    assert refusal(RFC7515_JWS, keys) == "issued by another user pool"
    flipped = bytearray(signature)
    flipped[100] ^= 0x04
    assert refusal(with_signature(RFC7515_JWS, bytes(flipped)), keys, issuer="joe") == "bad signature"


def test_fixed_vector_under_the_pool_key(keys):
    key = keys["dummy"]
    assert key == jwt.RsaPublicKey(MOTO_N, 65537)
    assert jwt.rs256_valid(FIXED_MESSAGE, FIXED_SIGNATURE, key)
    assert not jwt.rs256_valid(FIXED_MESSAGE + b".", FIXED_SIGNATURE, key)
    assert not jwt.rs256_valid(FIXED_MESSAGE, FIXED_SIGNATURE, jwt.RsaPublicKey(MOTO_N, 3))


def test_the_test_signer_agrees_with_cryptography_byte_for_byte(pool_key, signer):
    """PKCS#1 v1.5 is deterministic: our textbook signer and joserfc/cryptography must give the
    same signature, so the crafted signatures below differ from good ones only where intended."""
    assert signer.sign(FIXED_MESSAGE) == FIXED_SIGNATURE
    token = pool_signed(pool_key, claims())
    head, body, _ = token.split(".")
    assert signature_of(token) == signer.sign(f"{head}.{body}".encode())


def test_a_token_signed_like_moto_cognito_signs_verifies(pool_key, keys):
    token = pool_signed(pool_key, claims())
    assert verify(token, keys)["username"] == "ann"
    assert jwt.header_kid(token) == "dummy"
    # within the leeway after `exp`, and not after it
    late = pool_signed(pool_key, claims(exp=NOW - jwt.LEEWAY_SECONDS))
    assert verify(late, keys)["username"] == "ann"
    assert refusal(late, keys, now=NOW + 1) == "expired; sign in again"


def test_the_key_object_is_a_small_frozen_value(keys):
    key = keys["dummy"]
    assert isinstance(key, jwt.RsaPublicKey) and key.e == 65537 and key.n.bit_length() == 2048
    with pytest.raises(AttributeError):
        key.n = 3


# ------------------------------------------------------------------ signatures that are almost right


@pytest.mark.parametrize("byte, bit", [(0, 0), (0, 7), (128, 3), (255, 0)])
def test_a_flipped_signature_bit_is_refused(pool_key, keys, byte, bit):
    token = pool_signed(pool_key, claims())
    sig = bytearray(signature_of(token))
    sig[byte] ^= 1 << bit
    assert refusal(with_signature(token, bytes(sig)), keys) == "bad signature"


def test_a_signature_of_the_wrong_length_is_refused(pool_key, keys):
    token = pool_signed(pool_key, claims())
    sig = signature_of(token)
    for bad in (b"\x00" + sig, sig + b"\x00", sig[1:], sig[:-1], b"", b"\x01"):
        assert refusal(with_signature(token, bad), keys) == "bad signature"


def test_a_signature_not_below_the_modulus_is_refused(signer, keys):
    """s + n is the same residue as s, so only the s < n check refuses it."""
    key = keys["dummy"]
    for i in range(100):  # find a message whose signature leaves room for + n in k bytes
        message = f"message {i}".encode()
        s = int.from_bytes(signer.sign(message), "big")
        if s + key.n < 256 ** signer.k:
            break
    assert jwt.rs256_valid(message, s.to_bytes(signer.k, "big"), key)
    assert not jwt.rs256_valid(message, (s + key.n).to_bytes(signer.k, "big"), key)
    for s in (key.n, key.n + 1, 256 ** signer.k - 1):
        assert not jwt.rs256_valid(message, s.to_bytes(signer.k, "big"), key)


def test_a_sha1_digest_info_is_refused(signer, keys):
    token = signer.token(claims(), prefix=SHA1_PREFIX, digest=hashlib.sha1)
    assert refusal(token, keys) == "bad signature"
    assert verify(signer.token(claims()), keys)["username"] == "ann"  # the same builder, SHA-256


def test_a_digest_info_without_the_null_parameters_is_refused(signer, keys):
    assert refusal(signer.token(claims(), prefix=SHA256_PREFIX_NO_NULL), keys) == "bad signature"


def test_short_or_malformed_padding_is_refused(signer, keys):
    """Padding cut short with the freed bytes after the digest (the Bleichenbacher '06 forgery
    shape), padding not all 0xFF, the encryption block type, and an EM without the leading 00."""
    c = claims()
    for pad in (0, 1, 7, 8, 100):
        tail = b"\x00" * (signer.k - len(SHA256_PREFIX) - 32 - 3 - pad)
        assert refusal(signer.token(c, pad=pad, tail=tail), keys) == "bad signature"
    assert refusal(signer.token(c, block_type=b"\x02"), keys) == "bad signature"
    head, body = b64(json.dumps({"kid": "dummy", "alg": "RS256"})), b64(json.dumps(c))
    em = bytearray(signer.em(f"{head}.{body}".encode()))
    em[50] = 0xFE
    assert refusal(f"{head}.{body}.{b64(signer.raw(bytes(em)))}", keys) == "bad signature"
    no_zero = b"\x01" + bytes(signer.em(f"{head}.{body}".encode()))[1:]
    assert refusal(f"{head}.{body}.{b64(signer.raw(no_zero))}", keys) == "bad signature"


# ------------------------------------------------------------------ keys


def mersenne_key() -> tuple[jwt.RsaPublicKey, int]:
    """A real but 1128-bit RSA key from two Mersenne primes: well-formed, too small."""
    p, q, e = 2 ** 521 - 1, 2 ** 607 - 1, 65537
    return jwt.RsaPublicKey(p * q, e), pow(e, -1, (p - 1) * (q - 1))


def test_a_tiny_modulus_is_refused_even_with_a_correct_signature():
    key, d = mersenne_key()
    k = (key.n.bit_length() + 7) // 8
    message = b"header.payload"
    t = SHA256_PREFIX + hashlib.sha256(message).digest()
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    sig = pow(int.from_bytes(em, "big"), d, key.n).to_bytes(k, "big")
    assert pow(int.from_bytes(sig, "big"), key.e, key.n).to_bytes(k, "big") == em  # it is valid
    assert not jwt.rs256_valid(message, sig, key)
    jwk = {"kty": "RSA", "kid": "small", "n": b64(key.n.to_bytes(k, "big")), "e": "AQAB"}
    assert jwt.public_keys({"keys": [jwk]}) == {}


def test_public_keys_keeps_only_sound_rs256_rsa_keys(moto_jwk):
    n = moto_jwk["n"]
    jwks = {"keys": [
        {"kty": "RSA", "kid": "good", "n": n, "e": "AQAB", "alg": "RS256", "use": "sig"},
        {"kty": "RSA", "kid": "no-alg", "n": n, "e": "AQAB"},
        {"kty": "RSA", "kid": "e3", "n": n, "e": b64(b"\x03")},
        {"kty": "RSA", "kid": "e1", "n": n, "e": b64(b"\x01")},
        {"kty": "RSA", "kid": "even", "n": n, "e": b64((65536).to_bytes(3, "big"))},
        {"kty": "RSA", "kid": "rs512", "n": n, "e": "AQAB", "alg": "RS512"},
        {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "RSA", "n": n, "e": "AQAB"},
        {"kty": "RSA", "kid": "no-n", "e": "AQAB"},
        {"kty": "RSA", "kid": "bad-n", "n": 12345, "e": "AQAB"},
    ]}
    keys = jwt.public_keys(jwks)
    assert sorted(keys) == ["e3", "good", "no-alg"]
    assert keys["good"] == jwt.RsaPublicKey(MOTO_N, 65537)
    assert jwt.public_keys({}) == {}


# ------------------------------------------------------------------ the JOSE header and claims


@pytest.mark.parametrize("header", [
    {"kid": "dummy", "alg": "none"}, {"kid": "dummy", "alg": "HS256"},
    {"kid": "dummy", "alg": "RS512"}, {"kid": "dummy", "alg": "rs256"}, {"kid": "dummy"}])
def test_only_rs256_headers_are_accepted(signer, keys, header):
    token = signer.token(claims(), header=header)  # a good RS256 signature, but the header lies
    assert refusal(token, keys) == "not an RS256 token"


def test_alg_none_and_hs256_with_the_public_key_are_refused(keys, moto_jwk):
    body = b64(json.dumps(claims()))
    head = b64(json.dumps({"kid": "dummy", "alg": "none"}))
    assert refusal(f"{head}.{body}.", keys) == "not an RS256 token"
    head = b64(json.dumps({"kid": "dummy", "alg": "HS256"}))
    mac = hmac.new(moto_jwk["n"].encode(), f"{head}.{body}".encode(), "sha256")
    assert refusal(f"{head}.{body}.{b64(mac.digest())}", keys) == "not an RS256 token"
    head = b64(json.dumps({"kid": "dummy", "alg": "RS256"}))
    assert refusal(f"{head}.{body}.{b64(mac.digest())}", keys) == "bad signature"


def test_malformed_tokens_are_refused(pool_key, keys):
    good = pool_signed(pool_key, claims())
    head, body, sig = good.split(".")
    assert refusal(f"{head}.{body}", keys) == "malformed"
    assert refusal(f"{good}.{sig}", keys) == "malformed"
    assert refusal("", keys) == "malformed"
    assert refusal(f"!!!.{body}.{sig}", keys) == "malformed"
    assert refusal(f"{b64('[1]')}.{body}.{sig}", keys) == "not an RS256 token"
    with pytest.raises(ServiceError, match="operator token refused: malformed"):
        jwt.header_kid("not-a-token")


def test_an_unknown_kid_is_refused(pool_key, keys):
    token = pool_signed(pool_key, claims(), header={"kid": "other", "alg": "RS256"})
    assert refusal(token, keys) == "signed with an unknown key"
    token = pool_signed(pool_key, claims(), header={"alg": "RS256"})
    assert refusal(token, keys) == "signed with an unknown key"
    assert refusal(pool_signed(pool_key, claims()), {}) == "signed with an unknown key"


@pytest.mark.parametrize("changes, reason", [
    ({"iss": ISSUER + "x"}, "issued by another user pool"),
    ({"iss": None}, "issued by another user pool"),
    ({"token_use": "id"}, "not an access token"),
    ({"token_use": None}, "not an access token"),
    ({"client_id": "someoneelse"}, "issued to another app client"),
    ({"client_id": None}, "issued to another app client"),
    ({"exp": NOW - jwt.LEEWAY_SECONDS - 1}, "expired; sign in again"),
    ({"exp": None}, "expired; sign in again"),
    ({"exp": str(NOW + 600)}, "expired; sign in again"),
    ({"username": None}, "no username"),
    ({"username": 42}, "no username"),
])
def test_claims_must_be_cognitos_for_our_client(pool_key, keys, changes, reason):
    assert refusal(pool_signed(pool_key, claims(**changes)), keys) == reason


def test_claims_that_are_not_an_object_are_refused(signer, keys):
    head = b64(json.dumps({"kid": "dummy", "alg": "RS256"}))
    for body in (b64("[1, 2]"), b64("not json")):
        sig = signer.sign(f"{head}.{body}".encode())
        assert refusal(f"{head}.{body}.{b64(sig)}", keys) == "malformed claims"


# ------------------------------------------------- the authenticator's key set, cold and warm

class _JwksServer:
    """The pool's JWKS URL on a local HTTP server that holds every answer until released, and
    counts the fetches."""

    def __init__(self, document: dict):
        import http.server
        import threading
        self.fetches, self.release, self.fetching = 0, threading.Event(), threading.Event()
        outer, body = self, json.dumps(document).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.fetches += 1
                outer.fetching.set()
                outer.release.wait(30)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks.json"

    def close(self):
        self.release.set()
        self.httpd.shutdown()


class _CountingLock:
    """The authenticator's lock, counting who is waiting for it: the test releases the key
    fetch only once every checker has either reached the lock or given up."""

    def __init__(self, changed):
        import threading
        self._lock, self.changed, self.arrived = threading.Lock(), changed, 0

    def __enter__(self):
        with self.changed:
            self.arrived += 1
            self.changed.notify_all()
        self._lock.acquire()

    def __exit__(self, *exc):
        self._lock.release()


def test_simultaneous_first_checks_on_a_cold_container_all_wait_for_the_one_fetch(signer):
    import threading
    from chalicelib.adapters.cognito import CognitoAuthenticator
    server = _JwksServer(moto_resource("jwks-public.json"))
    try:
        auth = CognitoAuthenticator(None, region="us-east-1", user_pool_id="us-east-1_TestPool",
                                    client_id=CLIENT_ID, jwks_url=server.url)
        changed = threading.Condition()
        auth._lock = lock = _CountingLock(changed)
        token = signer.token(claims())
        results = []

        def check():
            try:
                answer = auth.verify(token, NOW)
            except ServiceError as err:
                answer = err.message
            with changed:
                results.append(answer)
                changed.notify_all()

        threads = [threading.Thread(target=check) for _ in range(18)]
        threads[0].start()
        assert server.fetching.wait(10)  # the first check is fetching the keys now
        for t in threads[1:]:
            t.start()
        # every other check has reached the lock (waiting for the fetch) or already answered
        with changed:
            assert changed.wait_for(lambda: lock.arrived + len(results) >= len(threads), 10)
        server.release.set()
        for t in threads:
            t.join(10)
        assert results == ["ann"] * len(threads)
        assert server.fetches == 1
        # warm: known keys need no fetch; an unknown kid fetches at most once a minute
        assert auth.verify(token, NOW + 1) == "ann"
        stranger = signer.token(claims(), header={"kid": "made-up", "alg": "RS256"})
        for _ in range(3):
            with pytest.raises(ServiceError):
                auth.verify(stranger, NOW + 2)
        assert server.fetches == 1
        with pytest.raises(ServiceError):
            auth.verify(stranger, NOW + 120)
        assert server.fetches == 2
    finally:
        server.close()
