"""What the follow-up (recommendations, series, the cooperation board) hooks into the apps below at start-up."""


def followup_ready() -> None:
    from outcomes import followup_admin, followup_privacy
    from outcomes.recommendation_views import special_session_recommendations_panel
    from outcomes.recommendations import recommendations_proceedings_chapter
    from reports.proceedings.chapters import add_proceedings_chapter
    from reports.special_session_panels import add_special_session_panel

    followup_admin.add_workshop_admin_action()
    followup_privacy.register()  # updates' authors, board contact points: export, erasure, purge
    add_special_session_panel(special_session_recommendations_panel)
    add_proceedings_chapter("recommendations", recommendations_proceedings_chapter, "reports/pdf/chapter.html")
