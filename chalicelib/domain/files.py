"""File attachments: upload slots (S3 presigned POST), the check before a message carries a
file, and short-lived download links (presigned GET).

The bytes never pass through Lambda (its payload limit is 6 MB, API Gateway's 10 MB): the
browser posts the file straight to S3 with a presigned POST, then sends a chat message naming
the object. The POST policy limits size, type and key on AWS, but a policy is only a promise
about *that* upload, and moto (tests, `make run`) does not enforce one at all. So the service
trusts nothing the client says about a file: before a message may carry it, `check_attachment`
asks S3 itself (HeadObject) whether the object exists, lies under the chat's prefix, and is
within the size limit and of an allowed type, and stores what S3 answered.

Key layout: `chats/{chat_id}/{32 hex}/{safe name}`. The chat prefix is the authorization
boundary (a file belongs to exactly one chat; the files route hands out links only for keys
under the caller's chat), the random segment makes keys unguessable and keeps two uploads of
`scan.pdf` apart, and the safe name keeps the key (and the downloaded file name) free of path
tricks, quoting problems and control characters. Keys are checked against this exact shape,
never just a prefix: `chats/A/../B/...` must not survive into a URL a browser would normalise.
The whole `chats/` prefix is what the bucket's lifecycle rule expires with the chat retention.

The domain never imports boto3: S3 is behind the `FileStore` port (chalicelib/adapters/s3.py
on AWS and moto, an in-memory fake in tests/test_files.py). Who may touch a chat's files is
access.py's rule (`file_role`): its patron, or the librarian holding it.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Callable

from ..errors import ServiceError, bad_request, forbidden, not_found
from . import validation as v
from .access import Access, Caller
from .chats import live_chat
from .model import StoredFile  # noqa: F401  (re-exported: tests and adapters name it here)
from .ports import ChatRepository, FileStore

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
URL_SECONDS = 5 * 60  # long enough to start an upload or a download, short enough to not leak
MAX_FILENAME = 200
MAX_SAFE_NAME = 120

IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Types a browser reports for the documents patrons and librarians exchange. No HTML, SVG or
# scripts: those would run on the bucket's origin if opened inline.
ALLOWED_TYPES = IMAGE_TYPES | frozenset({
    "application/pdf",
    "text/plain",
    "text/csv",
    "application/rtf", "text/rtf",
    "application/msword",  # .doc
    "application/vnd.ms-excel",  # .xls
    "application/vnd.ms-powerpoint",  # .ppt
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",  # .docx
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",  # .xlsx
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",  # .pptx
    "application/vnd.oasis.opendocument.text",  # .odt
    "application/vnd.oasis.opendocument.spreadsheet",  # .ods
    "application/vnd.oasis.opendocument.presentation",  # .odp
})

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SAFE_NAME = r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,%d}" % (MAX_SAFE_NAME - 1)
_KEY_TAIL = re.compile(r"^[0-9a-f]{32}/" + _SAFE_NAME + r"$")


def normalise_type(raw: str) -> str:
    """`Text/Plain; charset=UTF-8` -> `text/plain`: the allow-list is about media types."""
    return raw.split(";", 1)[0].strip().lower()


def display_name(raw: str) -> str:
    """The name people see: no directories (some browsers send `C:\\fakepath\\...`), no
    control characters. Front ends render it as text, so nothing else needs escaping."""
    name = re.split(r"[\\/]", raw)[-1]
    return _CONTROL.sub("", unicodedata.normalize("NFC", name)).strip()


def safe_name(raw: str) -> str:
    """The key's last segment and the downloaded file's name: ASCII letters, digits, `._-`.
    Accents are folded (`Résumé.pdf` -> `Resume.pdf`), anything else becomes `_`, and the
    extension survives (truncation, an all-symbol name), so the file opens with the right
    program. Never empty, never starting with a dot."""
    folded = unicodedata.normalize("NFKD", display_name(raw)).encode("ascii", "ignore").decode()
    stem, dot, ext = _UNSAFE.sub("_", folded).rpartition(".")
    if not dot:
        stem, ext = ext, ""
    stem = stem.strip("._-") or "file"
    ext = ext.strip("_-")[:10]
    room = MAX_SAFE_NAME - (len(ext) + 1 if ext else 0)
    return stem[:room] + ("." + ext if ext else "")


def new_upload_id() -> str:
    return secrets.token_hex(16)  # 128 bits: a key nobody can guess from another one


class FilesService:
    def __init__(self, store: FileStore, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 expires_in: int = URL_SECONDS, ids: Callable[[], str] = new_upload_id) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self.expires_in = expires_in
        self.ids = ids

    # ------------------------------------------------------------ uploads

    def upload_url(self, chat, role: str, body: dict) -> dict:
        """An upload slot for one file in `chat` (its patron's or operator's: the caller checked).

        The policy pins the exact key, the exact Content-Type and 1..`size` bytes, so on AWS the
        slot cannot be reused for another object, a bigger file or another type; the client must
        send the returned `fields` as they are, with the file as the last form field.
        """
        filename = v.string(body, "filename", required=True, max_len=MAX_FILENAME)
        content_type = self._allowed_type(body, "content_type")
        size = self._size(body, "size")
        key = f"{chat_prefix(chat.chat_id)}{self.ids()}/{safe_name(filename)}"
        url, fields = self.store.presign_post(key, content_type, size, self.expires_in)
        return {"url": url, "fields": fields, "key": key, "max_bytes": self.max_bytes,
                "expires_in": self.expires_in}

    # -------------------------------------------------------- attachments

    def delete_chat(self, chat_id: str) -> int:
        """Every file of a chat (its prefix), for a transcript's purge (domain/privacy.py)."""
        return self.store.delete_prefix(chat_prefix(chat_id))

    def check_attachment(self, chat_id: str, attachment) -> dict:
        """What a message may carry: the object as S3 has it, or a refusal (nothing is stored).

        One HeadObject, an S3 request: the `send` DynamoDB budget does not change. The size
        stored is the object's real size; the type must be allowed and the one declared (S3
        serves the object with the type it was uploaded with).
        """
        if not isinstance(attachment, dict):
            raise bad_request("'attachment' must be an object {key, name, size, content_type}")
        key = v.string(attachment, "key", required=True, max_len=1024)
        self._check_key(chat_id, key, "attachment.key")
        name = v.string(attachment, "name", required=True, max_len=MAX_FILENAME)
        if not display_name(name):
            raise bad_request("'attachment.name' must not be empty")
        declared_size = self._size(attachment, "size", field="attachment.size")
        declared_type = self._allowed_type(attachment, "content_type",
                                           field="attachment.content_type")
        stored = self.store.head(key)
        if stored is None:
            raise not_found("the file was not uploaded")
        if stored.size > self.max_bytes:
            raise ServiceError("too_large", f"the file is over the {self.max_bytes} byte limit")
        if stored.size > declared_size:
            raise ServiceError("too_large", "the uploaded file is bigger than the declared size")
        if stored.size < 1:
            raise bad_request("the uploaded file is empty")
        stored_type = normalise_type(stored.content_type or "")
        if stored_type not in ALLOWED_TYPES:
            raise bad_request("the uploaded file's type is not accepted")
        if stored_type != declared_type:
            raise bad_request("the uploaded file's type is not the declared one")
        return {"key": key, "name": display_name(name), "size": stored.size,
                "content_type": stored_type}

    # ---------------------------------------------------------- downloads

    def download_url(self, chat_id: str, key: str | None) -> dict:
        """A 5 minute link to one of the chat's files (the caller checked the chat membership).

        Images open inline; everything else downloads under its safe name, so a document never
        renders on the bucket's origin. An object whose type is not on the allow-list (possible
        only where upload policies are not enforced, as on moto) is served as an opaque
        download.
        """
        if not key:
            raise bad_request("'key' is required")
        self._check_key(chat_id, key, "key")
        stored = self.store.head(key)
        if stored is None:
            raise not_found("no such file in this chat")
        content_type = normalise_type(stored.content_type or "")
        filename = key.rsplit("/", 1)[-1]
        if content_type in IMAGE_TYPES:
            disposition = f'inline; filename="{filename}"'
        else:
            disposition = f'attachment; filename="{filename}"'
            if content_type not in ALLOWED_TYPES:
                content_type = "application/octet-stream"
        url = self.store.presign_get(key, content_type=content_type, disposition=disposition,
                                     expires_in=self.expires_in)
        return {"url": url, "expires_in": self.expires_in}

    # ------------------------------------------------------------ helpers

    @staticmethod
    def _check_key(chat_id: str, key: str, field: str) -> None:
        prefix = chat_prefix(chat_id)
        if not key.startswith(prefix):
            raise forbidden("that file does not belong to this chat")
        if not _KEY_TAIL.match(key[len(prefix):]):
            raise bad_request(f"'{field}' is not a file key this service issued")

    def _size(self, data: dict, name: str, *, field: str | None = None) -> int:
        field = field or name
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f"'{field}' must be an integer number of bytes")
        if value < 1:
            raise bad_request(f"'{field}' must be at least 1 byte")
        if value > self.max_bytes:
            raise ServiceError("too_large", f"files are limited to {self.max_bytes} bytes")
        return value

    @staticmethod
    def _allowed_type(data: dict, name: str, *, field: str | None = None) -> str:
        field = field or name
        raw = v.string(data, name, required=True, max_len=255)
        content_type = normalise_type(raw)
        if content_type not in ALLOWED_TYPES:
            raise bad_request(f"'{field}': this type of file is not accepted (images, PDF, text "
                              "and office documents are)")
        return content_type


class ChatFiles:
    """The REST use cases: an upload slot and a download link, for the chat's members only.
    The token is checked before the chat is read (one GetItem), so a stranger learns nothing
    about which chats exist."""

    def __init__(self, files: FilesService | None, chats: ChatRepository, access: Access, *,
                 clock: Callable[[], float], purges=None, bucket_days: int = 0) -> None:
        self.files = files
        self.chats = chats
        self.access = access
        self.clock = clock
        self.purges = purges  # a PurgeRepository: files outlive a desk's shorter retention otherwise
        self.bucket_days = bucket_days  # the files bucket's lifecycle (RETENTION_DAYS)

    def _member(self, caller: Caller, chat_id: str):
        if self.files is None:
            raise bad_request("file attachments are not enabled on this service")
        self.access.may_read(caller, chat_id)
        chat = live_chat(self.chats, chat_id, self.clock())
        return chat, self.access.file_role(caller, chat)

    def upload(self, caller: Caller, chat_id: str, body: dict) -> dict:
        chat, role = self._member(caller, chat_id)
        if not chat.is_open:
            raise ServiceError("invalid_state", f"this chat is {chat.status}; files cannot be sent")
        slot = self.files.upload_url(chat, role, body)
        self._expire_files_with_the_chat(chat)
        return slot

    def _expire_files_with_the_chat(self, chat) -> None:
        """S3 deletes files by the bucket's lifecycle, one period for every desk. A desk that
        keeps chats for less (docs/privacy.md) gets its chat listed for the scheduled purge an
        hour before DynamoDB's TTL may take the chat item (and with it the listing), so its
        files go when its messages do. One UpdateItem, once per chat (unless listed sooner)."""
        if self.purges is None or chat.expires_at >= int(chat.created_at) + self.bucket_days * 86400:
            return
        self.purges.mark(chat.chat_id, max(chat.created_at, chat.expires_at - PURGE_AHEAD_SECONDS),
                         unless_sooner=True)

    def download(self, caller: Caller, chat_id: str, key: str | None) -> dict:
        chat, _ = self._member(caller, chat_id)
        return self.files.download_url(chat.chat_id, key)


PURGE_AHEAD_SECONDS = 3600  # the purge runs every 5 minutes; TTL never deletes before expires_at


def chat_prefix(chat_id: str) -> str:
    return f"chats/{chat_id}/"
