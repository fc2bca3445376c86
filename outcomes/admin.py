from outcomes import question_admin, survey_admin  # noqa: F401  (each registers its models)
