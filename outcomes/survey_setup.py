"""What the evaluation survey and the registration questions register with lower apps at ready time."""


def register() -> None:
    # The admin pages (not in an admin.py: the other subjects of the app have theirs).
    from outcomes import question_admin, survey_admin  # noqa: F401
    from outcomes.survey_chapter import evaluation_chapter
    from reports.proceedings.chapters import add_proceedings_chapter

    add_proceedings_chapter("evaluation", evaluation_chapter, "reports/pdf/chapter.html")

    from outcomes.registration_questions import REGISTRATION_QUESTIONS
    from registrations.form_extensions import add_registration_form_extension

    add_registration_form_extension(REGISTRATION_QUESTIONS)  # asked on the registration form, in the exports

    from outcomes import question_privacy

    question_privacy.register()  # the answers in the personal data registry (export, erasure, purge)

    from outcomes.cloning import add_clone_step
    from outcomes.survey_cloning import clone_registration_questions, clone_surveys

    add_clone_step(clone_surveys)  # the next workshop of a series asks the same questions
    add_clone_step(clone_registration_questions)
