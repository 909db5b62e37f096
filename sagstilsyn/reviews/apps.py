from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Ledelsestilsyn: tilsynsprogrammer, stikprøver, spørgeskemaer, gennemgange og fund."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "sagstilsyn.reviews"
    label = "reviews"
    verbose_name = "Ledelsestilsyn"
