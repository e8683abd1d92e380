"""REST routes for file attachments, as a Chalice blueprint (app.py registers it).

- `POST /chats/{chat_id}/uploads` -> an S3 presigned POST for one file in that chat.
- `GET /chats/{chat_id}/files?key=...` -> `{"url", "expires_in"}`: a short-lived presigned GET.

Both are for that chat's patron (its patron token) or that chat's operator (an operator token
whose operator holds the chat), never for other chats: a file is as private as the chat it was
sent in. The chat membership is settled here, against the chat record (one GetItem, plus the
operator's record for operator tokens); what happens to files is domain/files.py.
"""
from __future__ import annotations

from chalice import Blueprint

from . import api
from .domain.model import OPEN_STATES
from .domain.tokens import is_patron_token, verify_patron_token
from .errors import ServiceError, bad_request, forbidden, unauthorized
from .wiring import chat_service, files_service

files_routes = Blueprint(__name__)


@files_routes.route("/chats/{chat_id}/uploads", methods=["POST"])
@api.rest
def chat_upload(chat_id):
    request = files_routes.current_request
    files = _files()
    chat, role = _member(api.bearer(request), chat_id)
    if chat.status not in OPEN_STATES:
        raise ServiceError("invalid_state", f"this chat is {chat.status}; files cannot be sent")
    return files.upload_url(chat, role, api.json_body(request))


@files_routes.route("/chats/{chat_id}/files", methods=["GET"])
@api.rest
def chat_file(chat_id):
    request = files_routes.current_request
    files = _files()
    chat, _ = _member(api.bearer(request), chat_id)
    return files.download_url(chat.chat_id, (request.query_params or {}).get("key"))


def _files():
    files = files_service()
    if files is None:
        raise bad_request("file attachments are not enabled on this service")
    return files


def _member(token: str | None, chat_id: str):
    """(chat, "patron" | "operator") when the token belongs to this chat's patron or to the
    operator holding it; `unauthorized` / `forbidden` / `not_found` otherwise. The token is
    checked before the chat is read, so a stranger learns nothing about which chats exist."""
    service = chat_service()[0]
    if not token:
        raise unauthorized("a patron or operator token is required")
    if is_patron_token(token):
        if verify_patron_token(service.token_secret, token, service.clock()) != chat_id:
            raise forbidden("this token does not open that chat")
        return service._live_chat(chat_id), "patron"
    operator = service.operator_for_token(token)
    chat = service._live_chat(chat_id)
    if chat.operator_id != operator.id:
        raise forbidden("only the librarian holding this chat can exchange its files")
    return chat, "operator"
