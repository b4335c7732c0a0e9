"""Check-ins generated with a known effect, for the insight tests (a fixed random seed)."""

import datetime
import random

from django.utils import timezone

from tracker import services
from tracker.models import DailyCheckIn

BASE_SPASM_CHANCE = 0.25


def seed_checkins(
    patient, *, today: datetime.date, days: int = 120, poor_sleep_ratio: float = 2.0, seed: int = 17
) -> list[DailyCheckIn]:
    """``days`` check-ins up to ``today``: sleep poor, ok or good at random, and a spasm with
    chance 0.25, times ``poor_sleep_ratio`` after poor sleep. Stress, activity and sitting are
    random and have no effect."""
    rng = random.Random(seed)
    rows = []
    for offset in range(days):
        sleep = rng.choice(["poor", "ok", "good"])
        chance = BASE_SPASM_CHANCE * (poor_sleep_ratio if sleep == "poor" else 1)
        had_spasm = rng.random() < chance
        rows.append(
            DailyCheckIn(
                patient=patient,
                date=today - datetime.timedelta(days=offset),
                had_spasm=had_spasm,
                worst_pain=rng.randint(3, 8) if had_spasm else None,
                sleep=sleep,
                stress=rng.choice(["low", "medium", "high"]),
                active=rng.random() < 0.5,
                long_sitting=rng.random() < 0.5,
            )
        )
    return DailyCheckIn.objects.bulk_create(rows)


def seed_episodes(patient, *, days: int = 120, seed: int = 5) -> None:
    """About one spasm in four days, most in the morning, with heat (usually helping) and
    stretching (sometimes making it worse) tried, and a weekly PEG that falls over time."""
    rng = random.Random(seed)
    now = timezone.now()
    zone = patient.zone
    for offset in range(1, days, 4):
        day = (now - datetime.timedelta(days=offset)).astimezone(zone).date()
        start = datetime.datetime.combine(day, datetime.time(rng.choice([7, 8, 9, 10, 15, 21])), tzinfo=zone)
        services.episode_create(
            patient=patient,
            severity=rng.randint(3, 8),
            started_at=start,
            ended_at=start + datetime.timedelta(hours=1),
            triggers=[rng.choice(["heavy_lifting", "prolonged_sitting", "unknown"])],
            relief=[
                {"measure": "heat", "effect": rng.choice(["much", "some", "some", "none"])},
                {"measure": "stretching", "effect": rng.choice(["worse", "none", "some"])},
            ],
        )
    for weeks_ago in range(8):
        score = 3 + weeks_ago // 2
        services.peg_record(
            patient=patient,
            date=timezone.localdate() - datetime.timedelta(weeks=weeks_ago),
            pain=score,
            enjoyment=score,
            activity=score,
        )
