from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the guidance content seeded from the source article (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write("No guidance content to load yet.")
