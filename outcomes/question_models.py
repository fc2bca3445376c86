"""Questions a workshop asks on its registration form, and each registration's answers.

Each question is marked personal or not: the retention purge deletes the personal answers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from outcomes.multilingual import LabelFields, QuestionTextFields
from outcomes.survey_enums import RegistrationQuestionKind
from registrations.models import Registration
from workshop_portal.models import Workshop


class RegistrationQuestion(QuestionTextFields):
    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), on_delete=models.CASCADE, related_name="registration_questions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RegistrationQuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    personal = models.BooleanField(
        _("personal"), default=True, help_text=_("Personal answers are deleted by the retention purge.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("registration question")
        verbose_name_plural = _("registration questions")
        ordering = ["workshop", "order", "pk"]

    def __str__(self):
        return self.text


class RegistrationQuestionChoice(LabelFields):
    question = models.ForeignKey(
        RegistrationQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.label


class RegistrationAnswer(models.Model):
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="question_answers"
    )
    question = models.ForeignKey(
        RegistrationQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("text"), blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    choice = models.ForeignKey(
        RegistrationQuestionChoice, verbose_name=_("choice"), on_delete=models.CASCADE, null=True, blank=True
    )

    class Meta:
        verbose_name = _("registration answer")
        verbose_name_plural = _("registration answers")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="registration_one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.question_id}: {self.display_value}"

    @property
    def display_value(self) -> str:
        if self.choice_id:
            return self.choice.label
        if self.date:
            return self.date.isoformat()
        if self.yes is not None:
            return str(_("yes") if self.yes else _("no"))
        return self.text
