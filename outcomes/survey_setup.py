"""What the evaluation survey and the registration questions register with lower apps at ready time."""


def register() -> None:
    from outcomes.survey_chapter import evaluation_chapter
    from reports.proceedings.chapters import add_proceedings_chapter

    add_proceedings_chapter("evaluation", evaluation_chapter, "reports/pdf/chapter.html")
