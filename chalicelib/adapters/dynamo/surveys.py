"""SurveyRepository on the surveys table (key: chat_id, so one survey per chat; by_day GSI:
day (UTC, from submitted_at) + submitted_at, so a day's results are one Query)."""
from __future__ import annotations

from ...domain.model import Survey
from ...domain.ports import AlreadyExists
from .base import refused_as
from .mapper import SURVEYS
from .models import SurveyModel


class DynamoSurveys:
    def put(self, survey: Survey) -> None:
        """One PutItem only if no survey exists for the chat. AlreadyExists."""
        with refused_as(AlreadyExists):
            SURVEYS.to_model(survey).save(condition=SurveyModel.chat_id.does_not_exist())

    def of_day(self, day: str, limit: int) -> list[Survey]:
        """One Query of by_day (day = "YYYY-MM-DD"), newest first, at most `limit`."""
        return [SURVEYS.to_record(i)
                for i in SurveyModel.by_day.query(day, scan_index_forward=False, limit=limit)]
