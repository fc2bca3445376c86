"""Pages of the evaluation survey: the participant's own answers, the staff's results and exports."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from openpyxl import Workbook

from outcomes.survey_charts import bar_chart
from outcomes.survey_forms import SurveyAnswerForm
from outcomes.survey_models import Survey, SurveyResponse
from outcomes.surveys import (
    participant_registration,
    response_initial,
    survey_answer,
    survey_export_rows,
    survey_questions,
    survey_results,
    surveys_for_participant,
)
from workshop_portal.forms import form_add_service_error
from workshop_portal.models import Workshop


def _workshop(slug: str) -> Workshop:
    return get_object_or_404(Workshop.objects.published(), slug=slug)


def _registration_or_404(request, workshop):
    # Anyone but an approved participant of this workshop: as if there were no survey (404).
    registration = participant_registration(user=request.user, workshop=workshop)
    if registration is None:
        raise Http404
    return registration


@login_required
@require_safe
def survey_mine(request, slug):
    """The surveys of a workshop the participant may answer or has answered."""
    workshop = _workshop(slug)
    registration = _registration_or_404(request, workshop)
    items = surveys_for_participant(registration=registration)
    return render(request, "outcomes/survey_mine.html", {"workshop": workshop, "items": items})


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer_page(request, slug, pk):
    """Answer the survey, or change one's answers until it closes; once closed, read them."""
    workshop = _workshop(slug)
    registration = _registration_or_404(request, workshop)
    survey = get_object_or_404(Survey, pk=pk, workshop=workshop, opens_at__lte=timezone.now())
    response = SurveyResponse.objects.filter(survey=survey, registration=registration).first()
    questions = survey_questions(survey)
    is_open = survey.is_open()
    form = SurveyAnswerForm(
        request.POST or None,
        questions=questions,
        editing=response is not None,
        initial=response_initial(response),
    )
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("This survey is closed: answers can no longer be given or changed."))
            return redirect("outcomes:survey_answer", slug=workshop.slug, pk=survey.pk)
        if form.is_valid():
            try:
                survey_answer(
                    survey=survey,
                    registration=registration,
                    values=form.values(),
                    editing=form.cleaned_data["editing"],
                )
            except ValidationError as error:
                form_add_service_error(form, error)
                if response is not None and not form.cleaned_data["editing"]:
                    # Answered already (another tab): show the stored answers to change, not the stale ones.
                    messages.error(request, " ".join(error.messages))
                    return redirect("outcomes:survey_answer", slug=workshop.slug, pk=survey.pk)
            else:
                messages.success(
                    request, _("Thank you: your answers are saved. You may change them until the survey closes.")
                )
                return redirect("outcomes:survey_mine", slug=workshop.slug)
    return render(
        request,
        "outcomes/survey_answer.html",
        {"workshop": workshop, "survey": survey, "form": form, "response": response, "is_open": is_open},
    )


@login_required
@permission_required("outcomes.view_survey_results", raise_exception=True)
@require_safe
def survey_results_page(request, slug, pk):
    workshop = _workshop(slug)
    survey = get_object_or_404(Survey, pk=pk, workshop=workshop)
    results = survey_results(survey=survey)
    charts = [(result, bar_chart(result.bars) if result.bars else None) for result in results.questions]
    return render(
        request,
        "outcomes/survey_results.html",
        {"workshop": workshop, "survey": survey, "results": results, "charts": charts},
    )


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet: an answer must not run as one.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _export(request, slug, pk):
    workshop = _workshop(slug)
    survey = get_object_or_404(Survey, pk=pk, workshop=workshop)
    rows = ([_spreadsheet_safe(str(cell)) for cell in row] for row in survey_export_rows(survey))
    return workshop, survey, rows


@login_required
@permission_required("outcomes.view_survey_results", raise_exception=True)
@require_safe
def survey_results_csv(request, slug, pk):
    workshop, survey, rows = _export(request, slug, pk)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-survey-{survey.pk}.csv"'
    return response


@login_required
@permission_required("outcomes.view_survey_results", raise_exception=True)
@require_safe
def survey_results_xlsx(request, slug, pk):
    workshop, survey, rows = _export(request, slug, pk)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Answers")[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{workshop.slug}-survey-{survey.pk}.xlsx"'
    return response
