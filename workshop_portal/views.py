import datetime

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from workshop_portal.page_cache import ALL, WORKSHOPS, anonymous_page, page_key
from workshop_portal.selectors import workshop_list_published


@require_safe
def home(request):
    """Public: the published workshops, upcoming first, then past ones."""

    def page(**context) -> tuple[str, datetime.datetime]:
        today = timezone.localdate()
        workshops = list(workshop_list_published())
        context.update(
            upcoming=sorted((w for w in workshops if w.end_date >= today), key=lambda w: w.start_date),
            past=[w for w in workshops if w.end_date < today],
        )
        # A workshop moves from upcoming to past at midnight.
        tomorrow = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
        return render_to_string("workshop_portal/home.html", context, request), tomorrow

    key = page_key("home", request.path)
    return anonymous_page(request, key=key, scopes=(WORKSHOPS, ALL), render=page) or HttpResponse(page()[0])
