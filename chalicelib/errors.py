"""The one error type the service raises on purpose.

Every refusal carries a protocol error code (PROTOCOL.md) and a human message. The REST layer
turns it into `{"error": {"code", "message"}}` with the matching HTTP status; the WebSocket layer
into an `error` frame on the caller's connection. Anything else that escapes is `internal`.
"""

STATUS_BY_CODE = {
    "bad_request": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "conflict": 409,
    "capacity": 409,
    "invalid_state": 409,
    "too_large": 413,
    "rate_limited": 429,
    "internal": 500,
    "mail_failed": 502,  # the mail service refused a message (docs/tickets.md)
    "unavailable": 503,  # a capability this stage has not set up (e-mail)
}


class ServiceError(Exception):
    """`status` overrides the code's usual HTTP status where HTTP has a more precise one (415
    for a body that is not JSON); `request_id` is echoed by an error frame when the frame's
    own could not be read the usual way."""

    def __init__(self, code: str, message: str, *, status: int | None = None,
                 request_id: str | None = None):
        if code not in STATUS_BY_CODE:
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self._status = status
        self.request_id = request_id

    @property
    def status(self) -> int:
        return self._status or STATUS_BY_CODE[self.code]

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


def bad_request(message: str) -> ServiceError:
    return ServiceError("bad_request", message)


def forbidden(message: str) -> ServiceError:
    return ServiceError("forbidden", message)


def not_found(message: str) -> ServiceError:
    return ServiceError("not_found", message)


def unauthorized(message: str) -> ServiceError:
    return ServiceError("unauthorized", message)
