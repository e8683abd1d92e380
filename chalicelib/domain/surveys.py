"""The end-of-chat survey: answered once by the chat's own patron after the end, and read by
admins as a summary of the last days (one Query per UTC day of the surveys' by_day index)."""
from __future__ import annotations

import time
from typing import Callable

from ..errors import ServiceError, bad_request
from . import validation as v
from .access import Access, Caller
from .chats import live_chat
from .limits import MAX_COMMENT, SURVEY_DAYS_MAX
from .model import CLOSED, ENDED, Operator, Survey, iso
from .ports import AlreadyExists, ChatRepository, SurveyRepository

RESULTS_SHOWN = 200
PER_DAY = 1000


class Surveys:
    def __init__(self, surveys: SurveyRepository, chats: ChatRepository, access: Access, *,
                 clock: Callable[[], float]) -> None:
        self.surveys = surveys
        self.chats = chats
        self.access = access
        self.clock = clock

    def submit(self, caller: Caller, chat_id: str, body: dict) -> dict:
        self.access.may_answer_survey(caller, chat_id)
        rating = v.integer(body, "rating", minimum=1, maximum=5)
        answered = v.boolean(body, "answered")
        comment = v.string(body, "comment", max_len=MAX_COMMENT, min_len=0)
        chat = live_chat(self.chats, chat_id, self.clock())
        if chat.status not in (ENDED, CLOSED):
            raise ServiceError("invalid_state", "the survey opens when the chat has ended")
        survey = Survey(chat_id=chat_id, rating=rating, answered=answered,
                        comment=comment.strip() if comment and comment.strip() else None,
                        submitted_at=self.clock(), queue=chat.queue,
                        operator_id=chat.operator_id, expires_at=chat.expires_at)
        try:
            self.surveys.put(survey, chat.created_at)
        except AlreadyExists:
            raise ServiceError("conflict", "this chat's survey was already submitted") from None
        return {"ok": True}

    def results(self, admin: Operator, days_raw: str | None) -> dict:
        """Admins: the last `days` (1..31, default 7) of surveys, summarised, newest first.
        Comments are the patrons' own words."""
        self.access.require_admin(admin)
        try:
            days = int(days_raw) if days_raw not in (None, "") else 7
        except ValueError:
            raise bad_request("'days' must be an integer") from None
        if not 1 <= days <= SURVEY_DAYS_MAX:
            raise bad_request(f"'days' must be between 1 and {SURVEY_DAYS_MAX}")
        now = self.clock()
        found = []
        for back in range(days):
            day = time.strftime("%Y-%m-%d", time.gmtime(now - back * 86400))
            found.extend(s for s in self.surveys.of_day(day, PER_DAY) if s.expires_at > now)
        ratings = [s.rating for s in found]
        answered = [s.answered for s in found if s.answered is not None]
        return {
            "days": days, "count": len(found),
            "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
            "ratings": {str(r): ratings.count(r) for r in range(1, 6)},
            "answered_share": round(sum(answered) / len(answered), 2) if answered else None,
            "surveys": [{"chat_id": s.chat_id, "rating": s.rating, "answered": s.answered,
                         "comment": s.comment, "queue": s.queue, "operator_id": s.operator_id,
                         "submitted_at": iso(s.submitted_at)} for s in found[:RESULTS_SHOWN]],
        }
