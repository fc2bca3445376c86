"""The demo's evaluation survey (closed, answered by every approved delegate, deterministically)
and its registration questions, on the finished 2012 workshop."""

import datetime
import random

from outcomes.question_models import RegistrationQuestion, RegistrationQuestionChoice
from outcomes.survey_enums import RegistrationQuestionKind, SurveyQuestionKind
from outcomes.survey_models import Survey, SurveyAnswer, SurveyChoice, SurveyQuestion, SurveyResponse
from registrations.enums import RegistrationStatus
from workshop_portal.models import Workshop


def _texts(stem, en, fr, ar, ru) -> dict:
    return {f"{stem}_en": en, f"{stem}_fr": fr, f"{stem}_ar": ar, f"{stem}_ru": ru}


def demo_surveys_seed(workshop: Workshop) -> None:
    if Survey.objects.filter(workshop=workshop).exists():
        return
    ends = workshop.local_datetime(workshop.end_date, datetime.time(17, 0))
    survey = Survey.objects.create(
        workshop=workshop,
        opens_at=ends - datetime.timedelta(hours=6),
        closes_at=ends + datetime.timedelta(days=14),
        **_texts(
            "title", "Evaluation of the workshop", "Évaluation de l’atelier", "تقييم ورشة العمل", "Оценка семинара"
        ),
    )
    overall = SurveyQuestion.objects.create(
        survey=survey,
        kind=SurveyQuestionKind.RATING,
        required=True,
        order=1,
        **_texts(
            "text",
            "How useful was the workshop for your work?",
            "Dans quelle mesure l’atelier a-t-il été utile à votre travail ?",
            "ما مدى فائدة ورشة العمل لعملك؟",
            "Насколько семинар был полезен для вашей работы?",
        ),
    )
    sessions = list(workshop.working_sessions.order_by("date", "start_time", "pk"))
    session_questions = [
        SurveyQuestion.objects.create(
            survey=survey,
            session=session,
            kind=SurveyQuestionKind.RATING,
            order=2,
            **_texts(
                "text",
                "How would you rate this session?",
                "Quelle note donnez-vous à cette séance ?",
                "كيف تقيّم هذه الجلسة؟",
                "Как вы оцениваете это заседание?",
            ),
        )
        for session in sessions
    ]
    again = SurveyQuestion.objects.create(
        survey=survey,
        kind=SurveyQuestionKind.SINGLE,
        order=3,
        **_texts(
            "text",
            "Would you take part in the next workshop?",
            "Participeriez-vous au prochain atelier ?",
            "هل ستشارك في ورشة العمل القادمة؟",
            "Примете ли вы участие в следующем семинаре?",
        ),
    )
    choices = [
        SurveyChoice.objects.create(question=again, order=n, **_texts("label", *labels))
        for n, labels in enumerate(
            [
                ("Yes", "Oui", "نعم", "Да"),
                ("No", "Non", "لا", "Нет"),
                ("Not sure", "Je ne sais pas", "لست متأكدًا", "Не уверен"),
            ]
        )
    ]
    rng = random.Random(2012)
    approved = workshop.registrations.filter(status=RegistrationStatus.APPROVED).order_by("pk")
    for registration in approved:
        response = SurveyResponse.objects.create(survey=survey, registration=registration)
        SurveyAnswer.objects.create(response=response, question=overall, rating=rng.choice([3, 4, 4, 5, 5]))
        for question in session_questions:
            SurveyAnswer.objects.create(response=response, question=question, rating=rng.choice([2, 3, 4, 4, 5]))
        answer = SurveyAnswer.objects.create(response=response, question=again)
        answer.choices.set([rng.choice([choices[0], choices[0], choices[0], choices[2], choices[1]])])

    interpretation = RegistrationQuestion.objects.create(
        workshop=workshop,
        kind=RegistrationQuestionKind.CHOICE,
        required=False,
        personal=False,
        order=1,
        **_texts(
            "text",
            "Interpretation you need",
            "Interprétation souhaitée",
            "الترجمة الفورية التي تحتاجها",
            "Нужный вам устный перевод",
        ),
    )
    for n, labels in enumerate(
        [
            ("None", "Aucune", "لا شيء", "Не нужен"),
            ("Russian", "Russe", "الروسية", "Русский"),
            ("Arabic", "Arabe", "العربية", "Арабский"),
        ]
    ):
        RegistrationQuestionChoice.objects.create(question=interpretation, order=n, **_texts("label", *labels))
    RegistrationQuestion.objects.create(
        workshop=workshop,
        kind=RegistrationQuestionKind.DATE,
        personal=True,
        order=2,
        **_texts(
            "text", "Date of your flight home", "Date de votre vol retour", "تاريخ رحلة عودتك", "Дата обратного рейса"
        ),
    )
