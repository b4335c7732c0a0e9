from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from reminders import receivers  # noqa: F401 - connects the signal receivers
        from reminders.services import heat_ice_start_clause
        from tracker.episode_insert import COMPANION_CLAUSES

        COMPANION_CLAUSES.append(heat_ice_start_clause)
