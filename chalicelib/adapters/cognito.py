"""The `Authenticator` port on an Amazon Cognito user pool (moto's, locally).

Sign-in is Cognito's USER_PASSWORD_AUTH flow on a public app client; the service hands the
access token to the dashboard. Checking a token needs no call to Cognito: the pool's signing
keys are fetched once per Lambda container and re-fetched only when a token names a key we do
not have (key rotation).
"""
from __future__ import annotations

import json
import threading
import time
import urllib.request

from botocore.exceptions import ClientError

from ..domain.ports import AlreadyExists, NewPasswordRequired
from ..errors import ServiceError
from . import jwt

REFETCH_AFTER_SECONDS = 60


class CognitoAuthenticator:
    def __init__(self, client_factory, *, region: str, user_pool_id: str, client_id: str,
                 jwks_url: str) -> None:
        self._client_factory = client_factory
        self.issuer = f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"
        self.client_id = client_id
        self.jwks_url = jwks_url
        self._keys: dict = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def login(self, username: str, password: str) -> tuple[str, int]:
        try:
            resp = self._client_factory("cognito-idp").initiate_auth(
                AuthFlow="USER_PASSWORD_AUTH", ClientId=self.client_id,
                AuthParameters={"USERNAME": username, "PASSWORD": password})
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code in ("NotAuthorizedException", "UserNotFoundException"):
                raise ServiceError("unauthorized", "wrong username or password") from None
            if code == "TooManyRequestsException":
                raise ServiceError("rate_limited", "too many sign-in attempts; wait a moment") from None
            raise
        return self._tokens(resp)

    @staticmethod
    def _tokens(resp: dict) -> tuple[str, int, str | None]:
        result = resp.get("AuthenticationResult")
        if not result and resp.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            raise NewPasswordRequired(resp["Session"])
        if not result:
            raise ServiceError("unauthorized",
                               f"sign-in needs another step ({resp.get('ChallengeName')}); "
                               "ask an admin")
        return (result["AccessToken"], int(time.time()) + int(result.get("ExpiresIn", 3600)),
                result.get("RefreshToken"))

    def new_password(self, username: str, session: str, password: str) -> tuple[str, int, str | None]:
        """RespondToAuthChallenge(NEW_PASSWORD_REQUIRED): the temporary password is replaced."""
        try:
            resp = self._client_factory("cognito-idp").respond_to_auth_challenge(
                ClientId=self.client_id, ChallengeName="NEW_PASSWORD_REQUIRED", Session=session,
                ChallengeResponses={"USERNAME": username, "NEW_PASSWORD": password})
        except ClientError as err:
            code = err.response["Error"]["Code"]
            if code == "InvalidPasswordException":
                raise ServiceError("bad_request", err.response["Error"].get("Message")
                                   or "the pool's password policy refuses this password") from None
            if code in ("NotAuthorizedException", "CodeMismatchException", "ExpiredCodeException",
                        "UserNotFoundException"):
                raise ServiceError("unauthorized", "this sign-in step has expired; sign in again") from None
            raise
        return self._tokens(resp)

    def refresh(self, refresh_token: str) -> tuple[str, int]:
        try:
            resp = self._client_factory("cognito-idp").initiate_auth(
                AuthFlow="REFRESH_TOKEN_AUTH", ClientId=self.client_id,
                AuthParameters={"REFRESH_TOKEN": refresh_token})
        except ClientError as err:
            if err.response["Error"]["Code"] in ("NotAuthorizedException", "UserNotFoundException"):
                raise ServiceError("unauthorized", "the session has ended; sign in again") from None
            raise
        result = resp["AuthenticationResult"]
        return result["AccessToken"], int(time.time()) + int(result.get("ExpiresIn", 3600))

    def verify(self, token: str, now: float) -> str:
        kid = jwt.header_kid(token)
        keys = self._keys
        if kid not in keys:
            keys = self._refresh_keys(kid, now)
        claims = jwt.verify_access_token(token, keys, issuer=self.issuer,
                                         client_id=self.client_id, now=now)
        return claims["username"]

    def _refresh_keys(self, kid: str, now: float) -> dict:
        """One fetch at a time, and the others wait for it: simultaneous first requests of a
        cold container all see the key set it loads (recording the fetch time before the keys
        had arrived refused them as "signed with an unknown key"). A key id still unknown
        after a fetch is fetched for again at most once a minute, so tokens with made-up key
        ids cannot make us hammer Cognito."""
        with self._lock:
            if kid in self._keys or now - self._fetched_at <= REFETCH_AFTER_SECONDS:
                return self._keys  # loaded while we waited, or fetched a moment ago
            try:
                with urllib.request.urlopen(self.jwks_url, timeout=5) as resp:  # noqa: S310 (config URL)
                    self._keys = jwt.public_keys(json.load(resp))
            except (OSError, ValueError) as err:
                raise ServiceError("internal", f"cannot load the user pool's keys: {err}") from None
            finally:
                self._fetched_at = now
            return self._keys


class CognitoAccounts:
    """The `Accounts` port: the pool's admin calls (AdminCreateUser, AdminDisableUser,
    AdminEnableUser, AdminUserGlobalSignOut)."""

    def __init__(self, client_factory, user_pool_id: str) -> None:
        self._client_factory = client_factory
        self.user_pool_id = user_pool_id

    def create(self, username: str, email: str | None, name: str,
               temporary_password: str | None) -> None:
        attrs = [{"Name": "name", "Value": name}]
        if email:
            attrs += [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
        extra = ({"TemporaryPassword": temporary_password, "MessageAction": "SUPPRESS"}
                 if temporary_password else {"DesiredDeliveryMediums": ["EMAIL"]})
        try:
            self._client_factory("cognito-idp").admin_create_user(
                UserPoolId=self.user_pool_id, Username=username, UserAttributes=attrs, **extra)
        except ClientError as err:
            if err.response["Error"]["Code"] == "UsernameExistsException":
                raise AlreadyExists() from None
            raise

    def set_enabled(self, username: str, enabled: bool) -> None:
        idp = self._client_factory("cognito-idp")
        if enabled:
            idp.admin_enable_user(UserPoolId=self.user_pool_id, Username=username)
            return
        idp.admin_disable_user(UserPoolId=self.user_pool_id, Username=username)
        idp.admin_user_global_sign_out(UserPoolId=self.user_pool_id, Username=username)
