from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Ledelsestilsyn: tilsynsprogrammer, stikprøver, spørgeskemaer, gennemgange og fund."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "sagstilsyn.reviews"
    label = "reviews"
    verbose_name = "Ledelsestilsyn"

    def ready(self) -> None:
        from django.core import checks

        from sagstilsyn.reviews.checks import questionnaire_seals_check, questionnaires_check

        checks.register(questionnaires_check, "sagstilsyn")
        checks.register(questionnaire_seals_check, "sagstilsyn", checks.Tags.database)

        from sagstilsyn.cases.importing.registry import ImportKind, import_kind_register
        from sagstilsyn.reviews.importing import reviews_import_command

        import_kind_register(
            ImportKind(
                name="reviews",
                help="indlæs gennemgange og deres svar (én række pr. svar)",
                description="Indlæs gennemgange (ledelsestilsyn) fra regneark: review_id, questionnaire, "
                "questionnaire_version, case_id, reviewer, level, reviewed_on, question, answer, note. "
                "Kan indlæses igen uden at ændre noget: en række kendes på review_id og question.",
                handler=reviews_import_command,
            )
        )

        from sagstilsyn.core.jobs.registry import job_register
        from sagstilsyn.reviews.jobs import JOBS

        for job in JOBS:
            job_register(job)

        from sagstilsyn.cases.followup.extras import followup_section_register
        from sagstilsyn.reviews.findings.followup import REPAIRS_SECTION

        followup_section_register(REPAIRS_SECTION)
