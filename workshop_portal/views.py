from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from workshop_portal.selectors import workshop_list_published


@require_safe
def home(request):
    """Public: the published workshops, upcoming first, then past ones."""
    today = timezone.localdate()
    workshops = list(workshop_list_published())
    upcoming = sorted((w for w in workshops if w.end_date >= today), key=lambda w: w.start_date)
    past = [w for w in workshops if w.end_date < today]
    return render(request, "workshop_portal/home.html", {"upcoming": upcoming, "past": past})
