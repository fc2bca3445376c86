from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    COUNTRY = "country", _("Country working session")
    SPECIAL = "special", _("Special session")


class SegmentKind(models.TextChoices):
    # The four parts of every country working session, in the order of the explanatory note.
    HOST_STATE = "host_state", _("Host state's technical cooperation activities")
    PARTNER_BEST_PRACTICES = "partner_best_practices", _("Best practices of OIC partner member states")
    INTERNATIONAL_INSTITUTIONS = "international_institutions", _("Partnership programmes of international institutions")
    GENERAL_DISCUSSION = "general_discussion", _("General discussion")
    # The special session at the end of the workshop.
    EVALUATION = "evaluation", _("Evaluation of the country working sessions")
    EFFICIENCY = "efficiency", _("Improving the efficiency of technical cooperation")
    PARTNERSHIP_MODELS = "partnership_models", _("Partnership models for the future")


SEGMENT_PLAN = {
    SessionKind.COUNTRY: (
        SegmentKind.HOST_STATE,
        SegmentKind.PARTNER_BEST_PRACTICES,
        SegmentKind.INTERNATIONAL_INSTITUTIONS,
        SegmentKind.GENERAL_DISCUSSION,
    ),
    SessionKind.SPECIAL: (
        SegmentKind.EVALUATION,
        SegmentKind.EFFICIENCY,
        SegmentKind.PARTNERSHIP_MODELS,
    ),
}
"""The segments each kind of session is made of, in order."""

PRESENTATION_SEGMENTS = frozenset(
    {SegmentKind.HOST_STATE, SegmentKind.PARTNER_BEST_PRACTICES, SegmentKind.INTERNATIONAL_INSTITUTIONS}
)
"""Segments that take presentations; discussions and the special session's segments do not."""
