"""The evaluation's chapter of the proceedings (reports/proceedings/chapters.py): aggregates only.

Counts, averages and distributions of the closed surveys that received answers; never a free-text
answer, never a name."""

from django.utils import timezone
from django.utils.translation import gettext as _

from outcomes.survey_models import Survey
from outcomes.surveys import survey_results


def evaluation_chapter(workshop, language):
    surveys = list(Survey.objects.filter(workshop=workshop, closes_at__lte=timezone.now()).order_by("opens_at", "pk"))
    tables, paragraphs = [], []
    for survey in surveys:
        results = survey_results(survey=survey, with_texts=False)
        if not results.responses:
            continue
        paragraphs.append(_("%(survey)s: %(count)d responses.") % {"survey": survey.title, "count": results.responses})
        tables.append(
            {
                "caption": _("%(survey)s: average rating by session (1 to 5)") % {"survey": survey.title},
                "header": [_("Session"), _("Average"), _("Ratings")],
                "rows": [
                    [row.title, f"{row.average:.2f}" if row.average is not None else "—", row.answers]
                    for row in results.session_averages
                ],
            }
        )
        rows = []
        for result in results.questions:
            if not result.bars:
                continue  # free text stays out of the proceedings
            session = str(result.question.session.display_title) if result.question.session_id else ""
            distribution = "; ".join(f"{bar.label}: {bar.count}" for bar in result.bars)
            average = f"{result.average:.2f}" if result.average is not None else ""
            rows.append([result.question.text, session, result.answered, average, distribution])
        if rows:
            tables.append(
                {
                    "caption": _("%(survey)s: answers by question") % {"survey": survey.title},
                    "header": [_("Question"), _("Session"), _("Answers"), _("Average"), _("Distribution")],
                    "rows": rows,
                }
            )
    if not tables:
        return None
    return {"title": _("Evaluation by the participants"), "paragraphs": paragraphs, "tables": tables}
