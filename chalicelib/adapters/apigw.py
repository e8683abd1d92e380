"""The `Sender` port on the API Gateway management API (`POST @connections/{id}`).

Chalice's own `websocket_api.send` builds a fixed `https://{apiId}.execute-api...` endpoint; this
sender takes its endpoint from configuration (the local gateway) or from the event's domain
name and stage (AWS, custom domains included), so one code path serves both. A 410
(`GoneException`) means the connection is gone: `post` returns False and the caller forgets it.
"""
from __future__ import annotations

import json
import threading

from botocore.exceptions import ClientError


class ApiGatewaySender:
    def __init__(self, client) -> None:
        self._client = client
        self.posted = 0  # posts delivered (fan-out posts from several threads)
        self._count = threading.Lock()

    def post(self, connection_id: str, frame: dict) -> bool:
        data = encode(frame)
        try:
            self._client.post_to_connection(ConnectionId=connection_id, Data=data)
        except ClientError as err:
            if err.response["Error"]["Code"] == "GoneException":
                return False
            raise
        with self._count:
            self.posted += 1
        return True


    def close(self, connection_id: str) -> None:
        """DELETE @connections/{id}: API Gateway closes it and sends $disconnect."""
        try:
            self._client.delete_connection(ConnectionId=connection_id)
        except ClientError as err:
            if err.response["Error"]["Code"] != "GoneException":
                raise


def encode(frame: dict) -> bytes:
    """UTF-8 JSON, compact. Text that UTF-8 cannot carry (a lone surrogate that got past the
    edge, e.g. from an old stored item) falls back to ASCII escapes, which every JSON reader
    takes: the sender never fails on text."""
    try:
        return json.dumps(frame, separators=(",", ":"), ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(frame, separators=(",", ":")).encode()


def endpoint_for_event(request_context: dict, configured: str | None) -> str:
    """Where the management API is: configured locally, else the event's own domain/stage."""
    if configured:
        return configured
    return f"https://{request_context['domainName']}/{request_context['stage']}"
