"""Clone steps (outcomes/cloning.py): the next workshop of a series gets the same survey and the
same registration questions. Definitions only, never responses or answers; dates moved by `shift`."""

from outcomes.question_models import RegistrationQuestion, RegistrationQuestionChoice
from outcomes.survey_models import Survey, SurveyChoice, SurveyQuestion

LANGUAGE_FIELDS = ("en", "fr", "ar", "ru")


def _copy(fields_of, stem: str) -> dict:
    return {f"{stem}_{code}": getattr(fields_of, f"{stem}_{code}") for code in LANGUAGE_FIELDS}


def _session_map(source, target, shift) -> dict:
    """Each session of the source -> the target's session it became: same kind and state, the same
    day and hour once shifted, else the same kind and state alone. None when the target has none."""
    targets = list(target.working_sessions.all())
    mapping = {}
    for session in source.working_sessions.all():
        same = [t for t in targets if t.kind == session.kind and t.country_id == session.country_id]
        exact = [t for t in same if t.date == session.date + shift and t.start_time == session.start_time]
        match = (exact or same or [None])[0]
        mapping[session.pk] = match
    return mapping


def clone_surveys(source, target, shift) -> None:
    """Copy each survey, its questions and choices. A question about a session the target does not
    have is left out: it would ask about a session that will not take place."""
    sessions = _session_map(source, target, shift)
    for survey in Survey.objects.filter(workshop=source).prefetch_related("questions__choices"):
        copy = Survey.objects.create(
            workshop=target,
            opens_at=survey.opens_at + shift,
            closes_at=survey.closes_at + shift,
            **_copy(survey, "title"),
        )
        for question in survey.questions.all():
            session = None
            if question.session_id is not None:
                session = sessions.get(question.session_id)
                if session is None:
                    continue
            new = SurveyQuestion.objects.create(
                survey=copy,
                session=session,
                kind=question.kind,
                required=question.required,
                order=question.order,
                **_copy(question, "text"),
            )
            SurveyChoice.objects.bulk_create(
                [SurveyChoice(question=new, order=c.order, **_copy(c, "label")) for c in question.choices.all()]
            )


def clone_registration_questions(source, target, shift) -> None:
    """Copy the registration questions and their choices (they carry no date)."""
    for question in RegistrationQuestion.objects.filter(workshop=source).prefetch_related("choices"):
        new = RegistrationQuestion.objects.create(
            workshop=target,
            kind=question.kind,
            required=question.required,
            personal=question.personal,
            order=question.order,
            **_copy(question, "text"),
        )
        RegistrationQuestionChoice.objects.bulk_create(
            [
                RegistrationQuestionChoice(question=new, order=c.order, **_copy(c, "label"))
                for c in question.choices.all()
            ]
        )
