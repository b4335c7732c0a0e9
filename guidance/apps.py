from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = _("Guidance")

    def ready(self) -> None:
        import reversion

        from guidance import checks  # noqa: F401  (registers the deploy checks)
        from guidance.models import DoctorPrompt, Rule, Step

        # Registered here, after modeltranslation added the per-language fields, so every
        # version holds both languages (management commands record versions too).
        for model in (Step, DoctorPrompt, Rule):
            if not reversion.is_registered(model):
                reversion.register(model)
