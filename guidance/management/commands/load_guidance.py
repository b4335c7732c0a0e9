import reversion
from django.core.management.base import BaseCommand
from django.db import transaction

from guidance import seed
from guidance.models import ContentRelease, DoctorPrompt, Rule, Step
from guidance.services import content_publish


class Command(BaseCommand):
    help = (
        "Add the guidance content seeded from the source article, and apply revised seed values "
        "to rows no admin changed. Never overwrites admin edits."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        # The seeded text is the first version of each item, so an admin can revert to it.
        with reversion.create_revision():
            reversion.set_comment("Seeded from the source article")
            added = self._load()
            added += self._revise()
        if added or not ContentRelease.objects.exists():
            content_publish(note="Seeded content")
        self.stdout.write(
            f"Guidance content: {added} item(s) added, {ContentRelease.objects.count()} release(s)."
        )

    def _load(self) -> int:
        added = 0
        for item in seed.STEPS:
            _step, created = Step.objects.get_or_create(
                key=item["key"],
                defaults={
                    "phase": item["phase"],
                    "order": item["order"],
                    "title_en": item["title"][0],
                    "title_es": item["title"][1],
                    "body_en": item["body"][0],
                    "body_es": item["body"][1],
                    "source": item["source"],
                },
            )
            added += created
        for item in seed.PROMPTS:
            _prompt, created = DoctorPrompt.objects.get_or_create(
                key=item["key"],
                defaults={
                    "urgency": item["urgency"],
                    "text_en": item["text"][0],
                    "text_es": item["text"][1],
                    "source": item["source"],
                },
            )
            added += created
        steps = {step.key: step for step in Step.objects.all()}
        prompts = {prompt.key: prompt for prompt in DoctorPrompt.objects.all()}
        for item in seed.RULES:
            rule, created = Rule.objects.get_or_create(
                name=item["name"], defaults={"priority": item["priority"], "conditions": item["conditions"]}
            )
            if created:
                rule.full_clean()
                rule.steps.set([steps[key] for key in item["steps"]])
                rule.prompts.set([prompts[key] for key in item["prompts"]])
                added += 1
        return added

    def _revise(self) -> int:
        """Apply ``seed.REVISIONS`` to rows that still hold the old seeded value."""
        revised = 0
        for item in seed.REVISIONS:
            model, lookup = (Rule, "name") if item["model"] == "rule" else (Step, "key")
            row = model.objects.filter(**{lookup: item[lookup]}).first()
            if row is None or getattr(row, item["field"]) != item["old"]:
                continue
            setattr(row, item["field"], item["new"])
            row.full_clean()
            row.save()
            revised += 1
        return revised
