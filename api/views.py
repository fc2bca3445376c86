from django.urls import reverse
from django.views.decorators.http import require_safe

from api.feeds import conditional_feed
from api.schedule import ScheduleContext, schedule_json, schedule_xml
from api.selectors import schedule_items, schedule_last_modified
from workshop_portal.selectors import workshop_get_published_cached


def _schedule_feed(request, slug, *, name, content_type, build):
    workshop = workshop_get_published_cached(slug=slug)

    def render():
        last_modified = schedule_last_modified(workshop=workshop)
        context = ScheduleContext(
            workshop=workshop,
            programme_url=request.build_absolute_uri(workshop.get_absolute_url()),
            base_url=request.build_absolute_uri("/"),
            version=last_modified.strftime("%Y-%m-%d %H:%M:%S"),
        )
        return build(schedule_items(workshop=workshop), context), last_modified

    return conditional_feed(
        request, workshop=workshop, name=name, content_type=content_type, render=render,
        filename=f"{workshop.slug}-schedule.{name}",
    )  # fmt: skip


@require_safe
def schedule_xml_feed(request, slug):
    """Public: the programme as Frab XML."""
    return _schedule_feed(request, slug, name="xml", content_type="application/xml; charset=utf-8", build=schedule_xml)


@require_safe
def schedule_json_feed(request, slug):
    """Public: the programme as c3voc schedule JSON."""
    return _schedule_feed(request, slug, name="json", content_type="application/json", build=schedule_json)


def feed_urls(request, workshop) -> dict[str, str]:
    return {
        name: request.build_absolute_uri(reverse(f"api:schedule_{name}", args=[workshop.slug]))
        for name in ("xml", "json")
    }
