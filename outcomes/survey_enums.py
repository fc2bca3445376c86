from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyQuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    TEXT = "text", _("Free text")


class RegistrationQuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")


RATING_MIN, RATING_MAX = 1, 5
