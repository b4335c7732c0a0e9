"""Episodes: the summary page at 2,000 episodes vs 10, and logging through the API vs a
minimal authenticated create endpoint. Run: ``python -m bench.episodes_bench``."""

from bench.common import median_seconds, prepare, report

prepare()


import datetime  # noqa: E402
import random  # noqa: E402

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import User  # noqa: E402
from tracker.models import DailyCheckIn, Episode, EpisodeTag, ReliefTried  # noqa: E402


def add_history(patient: User, episodes: int, checkins: int) -> None:
    rng = random.Random(5)
    now = timezone.now()
    rows = []
    for _ in range(episodes):
        start = now - datetime.timedelta(minutes=rng.randint(60, 5 * 365 * 24 * 60))
        rows.append(
            Episode(
                patient=patient,
                started_at=start,
                ended_at=start + datetime.timedelta(hours=1),
                severity=rng.randint(1, 10),
            )
        )
    created = Episode.objects.bulk_create(rows, batch_size=500)
    EpisodeTag.objects.bulk_create(
        [
            EpisodeTag(episode=e, kind="trigger", value=rng.choice(["sports", "heavy_lifting"]))
            for e in created
        ],
        batch_size=1000,
    )
    ReliefTried.objects.bulk_create(
        [ReliefTried(episode=e, measure="heat", effect=rng.choice(["some", "none"])) for e in created],
        batch_size=1000,
    )
    today = timezone.localdate()
    DailyCheckIn.objects.bulk_create(
        [
            DailyCheckIn(
                patient=patient,
                date=today - datetime.timedelta(days=d),
                had_spasm=d % 3 == 0,
                worst_pain=5 if d % 3 == 0 else None,
            )
            for d in range(checkins)
        ],
        batch_size=1000,
    )


def summary_time(patient: User) -> float:
    client = Client()
    client.force_login(patient)
    # The page as a patient opens it: the default period (the last 90 days).
    return median_seconds(lambda: client.get("/summary/"), runs=15)


def main() -> None:
    small = User.objects.create_user(email="small@bench.example", password="x")
    large = User.objects.create_user(email="large@bench.example", password="x")
    add_history(small, 10, 10)
    add_history(large, 2000, 1800)
    t_small, t_large = summary_time(small), summary_time(large)
    report("summary page, 10 episodes (median)", t_small * 1000, "ms")
    report("summary page, 2,000 episodes + 1,800 check-ins (median)", t_large * 1000, "ms")
    report("ratio summary 2,000 / 10", t_large / t_small, "x", "<= 2.0")

    api = APIClient()
    logger = User.objects.create_user(email="logger@bench.example", password="x")
    api.force_authenticate(logger)
    t_log = median_seconds(
        lambda: api.post("/api/episodes/", {"severity": 6, "triggers": ["sports"]}, format="json"), runs=200
    )
    t_min = median_seconds(
        lambda: api.post("/bench/minimal-create/", {"severity": 6}, format="json"), runs=200
    )
    t_write = median_seconds(
        lambda: api.post("/bench/write-only-create/", {"severity": 6, "triggers": ["sports"]}, format="json"),
        runs=200,
    )
    report("POST /api/episodes/ with guidance (median)", t_log * 1000, "ms")
    report("minimal authenticated create endpoint (median)", t_min * 1000, "ms")
    report("the same log without guidance: validation and writes only", t_write * 1000, "ms")
    report("ratio log episode / minimal create", t_log / t_min, "x", "<= 1.5")
    report("ratio write-only log / minimal create (the floor)", t_write / t_min, "x")


if __name__ == "__main__":
    main()
