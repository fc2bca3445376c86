"""What a workshop leaves behind: evaluations, recommendations followed up, cooperation needs and offers.

The models live in one module per subject; this module gathers them for Django.
"""

from outcomes.board_models import CooperationNeed, CooperationOffer
from outcomes.followup_models import Recommendation, RecommendationUpdate, SeriesMembership, WorkshopSeries
from outcomes.question_models import RegistrationAnswer, RegistrationQuestion, RegistrationQuestionChoice
from outcomes.survey_models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse

__all__ = [
    "CooperationNeed",
    "CooperationOffer",
    "Recommendation",
    "RecommendationUpdate",
    "RegistrationAnswer",
    "RegistrationQuestion",
    "RegistrationQuestionChoice",
    "SeriesMembership",
    "Survey",
    "SurveyAnswer",
    "SurveyChoice",
    "SurveyQuestion",
    "SurveyResponse",
    "WorkshopSeries",
]
