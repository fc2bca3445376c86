from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo workshops and `manage.py seed_demo`. On top of every app, which it uses to seed;
    no app imports it (the tests and benchmarks do, for its slugs and sample decks)."""

    name = "demo"
    verbose_name = _("Demo")
