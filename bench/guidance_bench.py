"""Guidance: the in-process cost of ``evaluate`` over 10,000 generated fact sets, and the
guidance API against a minimal authenticated endpoint. Run: ``python -m bench.guidance_bench``."""

from bench.common import get_ok, interleaved_ratio, prepare, report, token_client
from bench.common import patient as bench_patient

prepare()

import datetime  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

from django.utils import timezone  # noqa: E402

from guidance.engine import evaluate  # noqa: E402
from guidance.facts import EpisodeFacts, Facts, HistoryFacts, ReliefFact  # noqa: E402
from guidance.selectors import published_content  # noqa: E402
from guidance.vocabulary import Descriptor, Location, Mobility, RedFlag, ReliefMeasure, Trigger  # noqa: E402
from tracker import services  # noqa: E402


def fact_sets(count: int) -> list[Facts]:
    rng = random.Random(11)

    def some(values, most):
        return frozenset(rng.sample(values, rng.randint(0, most)))

    return [
        Facts(
            EpisodeFacts(
                severity=rng.randint(0, 10),
                ongoing=rng.random() < 0.7,
                minutes_since_start=rng.randint(0, 600),
                locations=some(Location.values, 3),
                descriptors=some(Descriptor.values, 2),
                triggers=some(Trigger.values, 2),
                red_flags=some(RedFlag.values, 1) if rng.random() < 0.1 else frozenset(),
                mobility=rng.choice(["", *Mobility.values]),
                relief=tuple(ReliefFact(m, "some") for m in rng.sample(ReliefMeasure.values, 2)),
            ),
            HistoryFacts(
                episodes_last_7d=rng.randint(0, 5),
                episodes_last_30d=rng.randint(0, 12),
                trend=rng.choice(["improving", "stable", "worsening", "unknown"]),
                weeks_since_first_episode=rng.randint(0, 60),
                helpful_relief=tuple(rng.sample(ReliefMeasure.values, rng.randint(0, 2))),
            ),
        )
        for _ in range(count)
    ]


def main() -> None:
    content = published_content()
    facts = fact_sets(10_000)
    start = time.perf_counter()
    for item in facts:
        evaluate(item, content, "en")
    elapsed = time.perf_counter() - start
    report("evaluate(), 10,000 generated fact sets", elapsed / len(facts) * 1e6, "µs per evaluation")

    patient = bench_patient("guided@bench.example")
    for severity in range(8):  # ended ones: only one episode may be ongoing
        started = timezone.now() - datetime.timedelta(days=8 - severity)
        services.episode_create(
            patient=patient, severity=severity, triggers=["sports"], started_at=started, ended_at=started
        )
    episode = services.episode_create(
        patient=patient, severity=8, red_flags=["fever"], locations=["leg_left"]
    )
    api = token_client(patient)
    ratio, t_guidance, t_minimal = interleaved_ratio(
        get_ok(api, f"/api/episodes/{episode.pk}/guidance/"), get_ok(api, "/bench/minimal-read/")
    )
    report("GET /api/episodes/{id}/guidance/ (median)", t_guidance * 1000, "ms")
    report("minimal authenticated read (median)", t_minimal * 1000, "ms")
    report("ratio guidance API / minimal read (median of per-round ratios)", ratio, "x")


if __name__ == "__main__":
    main()
