from django import template
from django.utils.html import format_html

register = template.Library()

# One colour per status across the portal (registrations, presentations, builds).
STATUS_CLASSES = {
    "submitted": "text-bg-info",
    "approved": "text-bg-success",
    "accepted": "text-bg-success",
    "ready": "text-bg-success",
    "final": "text-bg-success",
    "converted": "text-bg-success",
    "waitlisted": "text-bg-warning",
    "queued": "text-bg-secondary",
    "running": "text-bg-primary",
    "pending": "text-bg-secondary",
    "draft": "text-bg-light border",
    "declined": "text-bg-danger",
    "rejected": "text-bg-danger",
    "failed": "text-bg-danger",
    "cancelled": "text-bg-dark",
    "withdrawn": "text-bg-dark",
}


@register.inclusion_tag("workshop_portal/_status_badge.html")
def status_badge(value, label):
    """A coloured badge for a status: `{% status_badge obj.status obj.get_status_display %}`."""
    return {"css": STATUS_CLASSES.get(str(value), "text-bg-secondary"), "label": label, "value": value}


def status_badge_html(value, label) -> str:
    """The same badge for admin list columns, which render HTML rather than templates."""
    return format_html('<span class="badge {}">{}</span>', STATUS_CLASSES.get(str(value), "text-bg-secondary"), label)
