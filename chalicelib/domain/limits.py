"""Protocol constants and the service's fixed limits, in one place.

These are not settings: they are part of the wire contract (PROTOCOL.md says text is 1..4000
characters) or bounds that keep a request within its DynamoDB budget. The front ends hold the
same numbers in widget/js/limits.js; a change here is a protocol change.
"""
from __future__ import annotations

MAX_TEXT = 4000  # characters of a message, a question or a typing preview
MAX_FRAME_BYTES = 32 * 1024  # API Gateway's WebSocket frame limit; also REST bodies
MAX_DEPTH = 16  # JSON nesting of a frame or body; ours are 3 deep (send.attachment)
MAX_ID = 128  # chat ids, client_msg_ids, request ids
MAX_NAME = 100
MAX_EMAIL = 254
MAX_NOTE = 500  # a transfer note
MAX_COMMENT = 2000  # a survey comment
MAX_AFTER_PAIRS = 50  # `hello.after` entries
BACKLOG_PAGE = 500  # messages per Query when replaying a backlog or serving history
QUEUED_PAGE = 200  # waiting chats in an operator's welcome, and per reminder run
WRITE_ATTEMPTS = 8  # optimistic writes re-read and retry this often before answering `conflict`
MAX_CHATS_CEILING = 10  # what an admin may set as anyone's max_chats
SURVEY_DAYS_MAX = 31
CONNECTION_TTL = 3 * 3600  # API Gateway closes any WebSocket after 2 hours
STAFF_ROOM_SECONDS = 100 * 365 * 86400  # the room holds no patron data; its messages expire
