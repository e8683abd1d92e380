"""Where a Chalice deployment put the two APIs, read from `.chalice/deployed/<stage>.json`.

`chalice deploy` records every resource it made there (its planner's `RecordResourceVariable`
steps): the REST API as `rest_api_url`, the WebSocket API as `websocket_api_id` and
`websocket_api_url`, both on the stage `api_gateway_stage` (`api`). The deploy reads the URLs
from that record instead of rebuilding them from ids, so a region's DNS suffix (amazonaws.com,
amazonaws.com.cn) or a future stage name is never guessed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class DeployRecordError(ValueError):
    """The deployed-resources record lacks what the next step needs."""


@dataclass(frozen=True)
class Endpoints:
    rest_url: str              # https://{id}.execute-api.{region}.amazonaws.com/api (no slash)
    ws_url: str                # wss://{id}.execute-api.{region}.amazonaws.com/api
    ws_management_endpoint: str  # https://{id}.execute-api.{region}.amazonaws.com/api


def _resource(deployed: dict, resource_type: str) -> dict:
    found = [r for r in deployed.get("resources", []) if r.get("resource_type") == resource_type]
    if len(found) != 1:
        raise DeployRecordError(f"expected one {resource_type} in the Chalice deploy record, "
                                f"found {len(found)}: did `chalice deploy` finish?")
    return found[0]


def _checked(url: str | None, scheme: str, what: str) -> str:
    parts = urlsplit(url or "")
    stage = parts.path.strip("/")
    if (parts.scheme != scheme or ".execute-api." not in (parts.hostname or "")
            or not stage or "/" in stage or parts.query or parts.fragment):
        raise DeployRecordError(f"{what} {url!r} is not a {scheme}://<id>.execute-api.<region>."
                                f"<suffix>/<stage> URL")
    return f"{scheme}://{parts.netloc}/{stage}"


def endpoints(deployed: dict) -> Endpoints:
    rest = _checked(_resource(deployed, "rest_api").get("rest_api_url"), "https", "rest_api_url")
    ws_record = _resource(deployed, "websocket_api")
    ws = _checked(ws_record.get("websocket_api_url"), "wss", "websocket_api_url")
    api_id = ws_record.get("websocket_api_id")
    if not api_id or urlsplit(ws).hostname.split(".")[0] != api_id:
        raise DeployRecordError("websocket_api_url does not name websocket_api_id")
    return Endpoints(rest_url=rest, ws_url=ws, ws_management_endpoint="https" + ws[len("wss"):])


def load(path: str | Path) -> dict:
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise DeployRecordError(f"{path} does not exist: run `chalice deploy` first") from None
