"""What a workshop leaves behind: evaluations, recommendations followed up, cooperation needs and offers.

The models live in one module per subject; this module gathers them for Django.
"""

from outcomes.board_models import CooperationNeed, CooperationOffer  # noqa: F401
from outcomes.followup_models import (  # noqa: F401
    Recommendation,
    RecommendationUpdate,
    SeriesMembership,
    WorkshopSeries,
)
