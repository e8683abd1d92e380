"""SurveyRepository on the surveys table (key: chat_id, so one survey per chat; by_day GSI:
day (UTC, from submitted_at) + submitted_at, so a day's results are one Query)."""
from __future__ import annotations

from pynamodb.exceptions import TransactWriteError

from ...domain.model import Survey
from ...domain.ports import AlreadyExists
from .base import Db, cancelled_by
from .mapper import SURVEYS
from .models import SurveyModel
from .stats import rating_update


class DynamoSurveys:
    def __init__(self, db: Db) -> None:
        self.db = db

    def put(self, survey: Survey, chat_created_at: float | None = None) -> None:
        """One TransactWriteItems: the survey only if none exists for the chat, and its rating
        on the chat's statistics record (keyed by when the chat was asked). AlreadyExists."""
        try:
            with self.db.tx() as tx:
                tx.save(SURVEYS.to_model(survey), condition=SurveyModel.chat_id.does_not_exist())
                if chat_created_at is not None:
                    item, actions = rating_update(chat_created_at, survey.chat_id, survey.rating,
                                                  survey.expires_at)
                    tx.update(item, actions=actions)
        except TransactWriteError as err:
            if cancelled_by(err, 0):
                raise AlreadyExists() from None
            raise

    def of_day(self, day: str, limit: int) -> list[Survey]:
        """One Query of by_day (day = "YYYY-MM-DD"), newest first, at most `limit`."""
        return [SURVEYS.to_record(i)
                for i in SurveyModel.by_day.query(day, scan_index_forward=False, limit=limit)]
