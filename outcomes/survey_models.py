"""The evaluation survey of a workshop and the feedback on its sessions.

A survey belongs to one workshop and is open between its opening and closing times. Its questions
ask about the workshop, or about one of its sessions (session feedback). An approved participant
answers once (one response per registration and survey) and may change the answers until it closes.
Answers are read only by the participant who gave them and, aggregated, by the staff.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.multilingual import LabelFields, QuestionTextFields, in_language, require_every_language
from outcomes.survey_enums import RATING_MAX, RATING_MIN, SurveyQuestionKind
from registrations.models import Registration
from sessions.models import WorkingSession
from workshop_portal.models import Workshop


class Survey(models.Model):
    workshop = models.ForeignKey(Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="surveys")
    title_en = models.CharField(_("title in English"), max_length=200)
    title_fr = models.CharField(_("title in French"), max_length=200)
    title_ar = models.CharField(_("title in Arabic"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["workshop", "opens_at", "pk"]
        permissions = [("view_survey_results", _("Can see the results of surveys and export them"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def clean(self):
        require_every_language(self, "title")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A survey closes after it opens.")})


class SurveyQuestion(QuestionTextFields):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    session = models.ForeignKey(
        WorkingSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for a question about the whole workshop."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SurveyQuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind in (SurveyQuestionKind.SINGLE, SurveyQuestionKind.MULTIPLE)

    def clean(self):
        super().clean()
        if self.session_id and self.survey_id and self.session.workshop_id != self.survey.workshop_id:
            raise ValidationError({"session": _("Choose a session of the survey's workshop.")})


class SurveyChoice(LabelFields):
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.label


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "registration"], name="survey_one_response_per_registration")
        ]

    def __str__(self):
        return f"{self.survey} · {self.registration_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    choices = models.ManyToManyField(SurveyChoice, verbose_name=_("choices"), blank=True, related_name="answers")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="survey_rating_from_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.rating or self.text[:40]}"
