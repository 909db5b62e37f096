from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sagstilsyn.cases"
    label = "cases"
    verbose_name = "Sager"
    default_auto_field = "django.db.models.BigAutoField"
