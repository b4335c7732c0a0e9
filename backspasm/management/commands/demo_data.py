"""``make demo``: a demo patient with six weeks of episodes, four months of check-ins, a verified clinician linked to them, and an admin."""

import datetime
import random
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import clinician_verify
from clinicians.models import CareLink
from tracker import services
from tracker.models import Episode

CHECKIN_DAYS = 120
PEOPLE = [
    ("admin@example.org", "Admin", User.Role.PATIENT, True),
    ("patient@example.org", "Pat Demo", User.Role.PATIENT, False),
    ("clinician@example.org", "Dr Demo", User.Role.CLINICIAN, False),
]


class Command(BaseCommand):
    help = "Create demo logins, six weeks of episodes and PEG, four months of check-ins (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo logins new passwords and print them (only their passwords are stored hashed).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        users, passwords = {}, {}
        for email, name, role, staff in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is not None and options["reset_passwords"]:
                passwords[email] = secrets.token_urlsafe(12)
                user.set_password(passwords[email])
                user.save(update_fields=["password"])
            if user is None:
                # A fresh random password per install: a demo must not open a known door.
                passwords[email] = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    email=email,
                    password=passwords[email],
                    display_name=name,
                    role=role,
                    is_staff=staff,
                    is_superuser=staff,
                )
            users[email] = user
        clinician = clinician_verify(clinician=users["clinician@example.org"])
        patient = users["patient@example.org"]
        CareLink.objects.get_or_create(patient=patient, clinician=clinician, revoked_at=None)
        if not Episode.objects.filter(patient=patient).exists():
            self._history(patient)
        self.stdout.write("Demo logins:")
        for email, _name, role, staff in PEOPLE:
            password = passwords.get(email, "(unchanged since the first run)")
            self.stdout.write(f"  {'admin' if staff else role:10} {email:24} {password}")
        if len(passwords) < len(PEOPLE):
            self.stdout.write("New passwords for them: make demo RESET=1 (or demo_data --reset-passwords).")

    def _history(self, patient: User) -> None:
        rng = random.Random(42)
        now = timezone.now()
        triggers = ["heavy_lifting", "prolonged_sitting", "sports", "unknown", "moving_furniture"]
        for days_ago in sorted(rng.sample(range(2, 42), 11), reverse=True):
            start = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 12))
            services.episode_create(
                patient=patient,
                severity=min(10, 3 + (42 - days_ago) // 8 + rng.randint(0, 2)),
                started_at=start,
                ended_at=start + datetime.timedelta(minutes=rng.randint(20, 240)),
                locations=rng.sample(["lower_back_left", "lower_back_center", "mid_back", "leg_left"], 2),
                descriptors=[rng.choice(["tight_knot", "cramping", "twinges"])],
                triggers=[rng.choice(triggers)],
                relief=[
                    {"measure": "heat", "effect": rng.choice(["some", "much"])},
                    {"measure": "stretching", "effect": rng.choice(["none", "worse"])},
                ],
                mobility=rng.choice(["limited", "normal"]),
            )
        today = timezone.localdate()
        # Four months of check-ins with the daily factors, where poor sleep doubles the chance
        # of a spasm day, so the insights page has something true to find.
        for days_ago in range(0, CHECKIN_DAYS):
            date = today - datetime.timedelta(days=days_ago)
            sleep = rng.choice(["poor", "ok", "good"])
            had = rng.random() < (0.5 if sleep == "poor" else 0.25)
            services.checkin_record(
                patient=patient,
                date=date,
                had_spasm=had,
                worst_pain=rng.randint(3, 8) if had else None,
                sleep=sleep,
                stress=rng.choice(["low", "medium", "high"]),
                active=rng.random() < 0.5,
                long_sitting=rng.random() < 0.4,
            )
        for weeks_ago in range(0, 6):
            services.peg_record(
                patient=patient,
                date=today - datetime.timedelta(weeks=weeks_ago),
                pain=rng.randint(3, 7),
                enjoyment=rng.randint(2, 7),
                activity=rng.randint(2, 7),
            )
