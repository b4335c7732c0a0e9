from modeltranslation.translator import TranslationOptions, register

from guidance.models import DoctorPrompt, Step


@register(Step)
class StepTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("en", "es")


@register(DoctorPrompt)
class DoctorPromptTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("en", "es")
