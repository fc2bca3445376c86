"""The evaluation survey: answering it (the one write with rules) and reading its results.

Rules the answering guards: only an approved participant of the survey's workshop answers; only
while the survey is open; one response per registration (a database constraint too), which its
author may change until closing; a rating from 1 to 5; only the choices offered; every required
question answered. A refused answer changes nothing.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.survey_enums import RATING_MAX, RATING_MIN, SurveyQuestionKind
from outcomes.survey_models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse
from registrations.enums import RegistrationStatus
from registrations.models import Registration
from workshop_portal.models import User, Workshop


def question_field_name(question: SurveyQuestion) -> str:
    return f"question_{question.pk}"


# --- Reads for the participant --------------------------------------------------------------------


def survey_questions(survey: Survey) -> list[SurveyQuestion]:
    """The questions in order, workshop questions first, then by session; their choices prefetched."""
    return list(
        survey.questions.select_related("session__country")
        .prefetch_related(Prefetch("choices", queryset=SurveyChoice.objects.order_by("order", "pk")))
        # Workshop questions (no session) first on every database: PostgreSQL puts NULLs last.
        .order_by(
            F("session__date").asc(nulls_first=True),
            "session__start_time",
            "session__order",
            "session_id",
            "order",
            "pk",
        )
    )


def participant_registration(*, user: User, workshop: Workshop) -> Registration | None:
    """The person's approved registration for the workshop: the only one that answers its surveys."""
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(workshop=workshop, user=user, status=RegistrationStatus.APPROVED).first()


@dataclass
class SurveyForParticipant:
    survey: Survey
    response: SurveyResponse | None
    is_open: bool


def surveys_for_participant(*, registration: Registration, now=None) -> list[SurveyForParticipant]:
    now = now or timezone.now()
    surveys = list(Survey.objects.filter(workshop_id=registration.workshop_id).order_by("opens_at", "pk"))
    responses = {r.survey_id: r for r in SurveyResponse.objects.filter(registration=registration)}
    return [SurveyForParticipant(s, responses.get(s.pk), s.is_open(now)) for s in surveys if s.opens_at <= now]


def response_initial(response: SurveyResponse | None) -> dict:
    """The form's initial values from the participant's own earlier answers."""
    if response is None:
        return {}
    initial = {}
    for answer in response.answers.select_related("question").prefetch_related("choices"):
        name = f"question_{answer.question_id}"
        kind = answer.question.kind
        if kind == SurveyQuestionKind.RATING:
            initial[name] = str(answer.rating) if answer.rating else ""
        elif kind == SurveyQuestionKind.SINGLE:
            chosen = [c.pk for c in answer.choices.all()]
            initial[name] = str(chosen[0]) if chosen else ""
        elif kind == SurveyQuestionKind.MULTIPLE:
            initial[name] = [str(c.pk) for c in answer.choices.all()]
        else:
            initial[name] = answer.text
    return initial


# --- The write ---------------------------------------------------------------------------------


def _clean_value(question: SurveyQuestion, raw, offered: set[int]):
    """(rating, text, choice ids) from a submitted value; ValidationError on bad input."""
    if question.kind == SurveyQuestionKind.RATING:
        if raw in (None, ""):
            return None, "", []
        try:
            rating = int(raw)
        except (TypeError, ValueError):
            rating = None
        if rating is None or not RATING_MIN <= rating <= RATING_MAX:
            raise ValidationError(_("Give a rating from 1 to 5."))
        return rating, "", []
    if question.kind in (SurveyQuestionKind.SINGLE, SurveyQuestionKind.MULTIPLE):
        values = raw if isinstance(raw, list | tuple) else ([] if raw in (None, "") else [raw])
        try:
            chosen = sorted({int(value) for value in values})
        except (TypeError, ValueError):
            chosen = [0]
        if any(pk not in offered for pk in chosen):
            raise ValidationError(_("Choose among the answers offered."))
        if question.kind == SurveyQuestionKind.SINGLE and len(chosen) > 1:
            raise ValidationError(_("Choose one answer."))
        return None, "", chosen
    return None, (raw or "").strip(), []


def survey_answer(
    *, survey: Survey, registration: Registration, values: dict, editing: bool, now=None
) -> SurveyResponse:
    """Record (or, when `editing` its own earlier response, replace) a participant's answers.

    `values` maps each question's field name to the value submitted (a list for several choices).
    Raises ValidationError, with messages by field name where one question is at fault; then nothing
    is changed."""
    now = now or timezone.now()
    if registration.workshop_id != survey.workshop_id or registration.status != RegistrationStatus.APPROVED:
        raise ValidationError(_("Only approved participants of this workshop answer its survey."))
    if not survey.is_open(now):
        raise ValidationError(_("This survey is closed: answers can no longer be given or changed."))
    questions = survey_questions(survey)
    errors, cleaned = {}, []
    for question in questions:
        name = question_field_name(question)
        try:
            rating, text, chosen = _clean_value(question, values.get(name), {c.pk for c in question.choices.all()})
        except ValidationError as error:
            errors[name] = error.messages
            continue
        if rating is None and not text and not chosen:
            if question.required:
                errors[name] = [_("This question needs an answer.")]
            continue
        cleaned.append((question, rating, text, chosen))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = (
                SurveyResponse.objects.select_for_update().filter(survey=survey, registration=registration).first()
            )
            if response is None:
                if editing:
                    raise ValidationError(_("Your earlier answers were not found; answer the survey again."))
                response = SurveyResponse.objects.create(survey=survey, registration=registration)
            elif not editing:
                raise ValidationError(
                    _("You have already answered this survey. Your answers are shown below: change them there.")
                )
            else:
                response.answers.all().delete()
                response.save(update_fields=["updated_at"])
            for question, rating, text, chosen in cleaned:
                answer = SurveyAnswer.objects.create(response=response, question=question, rating=rating, text=text)
                if chosen:
                    answer.choices.set(chosen)
    except IntegrityError as error:
        # The same participant submitted twice at once: the other request's response stands.
        raise ValidationError(
            _("You have already answered this survey. Your answers are shown below: change them there.")
        ) from error
    return response


# --- Results, for the organisers and the secretariat ----------------------------------------------


@dataclass
class Bar:
    label: str
    count: int
    share: float  # of the question's answers, 0..1


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    average: float | None = None
    bars: list[Bar] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@dataclass
class SessionAverage:
    title: str
    average: float | None
    answers: int


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]
    session_averages: list[SessionAverage]


TEXTS_SHOWN = 50  # free-text answers listed per question on the page (all are in the exports)


def survey_results(*, survey: Survey, with_texts: bool = True) -> SurveyResults:
    """Counts, averages and distributions, computed by the database: a fixed number of queries
    whatever the number of answers."""
    questions = survey_questions(survey)
    responses = SurveyResponse.objects.filter(survey=survey).count()
    answers = SurveyAnswer.objects.filter(question__survey=survey)
    answered = dict(answers.values_list("question_id").annotate(n=Count("id")).order_by())
    ratings = defaultdict(dict)
    for question_id, rating, count in (
        answers.filter(rating__isnull=False).values_list("question_id", "rating").annotate(n=Count("id")).order_by()
    ):
        ratings[question_id][rating] = count
    chosen = dict(
        SurveyAnswer.choices.through.objects.filter(surveyanswer__question__survey=survey)
        .values_list("surveychoice_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    texts = defaultdict(list)
    if with_texts:
        for question_id, text in (
            answers.exclude(text="").order_by("question_id", "pk").values_list("question_id", "text")
        ):
            if len(texts[question_id]) < TEXTS_SHOWN:
                texts[question_id].append(text)
    results = []
    by_session = defaultdict(lambda: [0, 0])  # session id -> [sum of ratings, count]
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        if question.kind == SurveyQuestionKind.RATING:
            counts = ratings.get(question.pk, {})
            total = sum(counts.values())
            result.bars = [
                Bar(str(value), counts.get(value, 0), counts.get(value, 0) / total if total else 0.0)
                for value in range(RATING_MIN, RATING_MAX + 1)
            ]
            if total:
                result.average = sum(value * n for value, n in counts.items()) / total
                by_session[question.session_id][0] += sum(value * n for value, n in counts.items())
                by_session[question.session_id][1] += total
        elif question.has_choices:
            counts = [(choice.label, chosen.get(choice.pk, 0)) for choice in question.choices.all()]
            total = result.answered
            result.bars = [Bar(label, n, n / total if total else 0.0) for label, n in counts]
        else:
            result.texts = texts.get(question.pk, [])
        results.append(result)
    sessions = {}
    for question in questions:
        if question.kind == SurveyQuestionKind.RATING:
            sessions.setdefault(question.session_id, question.session)
    averages = []
    for session_id, session in sessions.items():
        total, count = by_session[session_id]
        title = str(session.display_title) if session is not None else _("The workshop as a whole")
        averages.append(SessionAverage(title, total / count if count else None, count))
    return SurveyResults(survey=survey, responses=responses, questions=results, session_averages=averages)


def survey_export_rows(survey: Survey):
    """One row per answer, no names: the response's number stands for its author. First the header."""
    yield [_("Response"), _("Session"), _("Question"), _("Kind"), _("Answer")]
    numbers = {}
    answers = (
        SurveyAnswer.objects.filter(question__survey=survey)
        .select_related("question__session__country")
        .prefetch_related(Prefetch("choices", queryset=SurveyChoice.objects.order_by("order", "pk")))
        .order_by("response_id", "question__order", "question_id")
    )
    for answer in answers.iterator(chunk_size=500):
        number = numbers.setdefault(answer.response_id, len(numbers) + 1)
        question = answer.question
        if question.kind == SurveyQuestionKind.RATING:
            value = str(answer.rating or "")
        elif question.has_choices:
            value = "; ".join(choice.label for choice in answer.choices.all())
        else:
            value = answer.text
        session = str(question.session.display_title) if question.session_id else ""
        yield [str(number), session, question.text, str(question.get_kind_display()), value]
