"""Check-ins generated with a known effect, for the insight tests (a fixed random seed)."""

import datetime
import random

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
