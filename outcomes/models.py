"""What a workshop leaves behind: evaluations, recommendations followed up, cooperation needs and offers.

The models live in one module per subject; this module gathers them for Django.
"""

from outcomes.question_models import RegistrationAnswer, RegistrationQuestion, RegistrationQuestionChoice
from outcomes.survey_models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse

__all__ = [
    "RegistrationAnswer",
    "RegistrationQuestion",
    "RegistrationQuestionChoice",
    "Survey",
    "SurveyAnswer",
    "SurveyChoice",
    "SurveyQuestion",
    "SurveyResponse",
]
