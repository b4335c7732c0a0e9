"""The dashboard's per-patient figures, remembered per facts-row list until time moves a
window's edge past one of its starts: always what working them out afresh gives."""

import json
import random

from clinicians import figures
from clinicians.figures import compute_figures, figures_for

DAY_US = 24 * 60 * 60 * 10**6
NOW_US = 1_796_000_000 * 10**6


def fresh(recent, now_us):
    result = compute_figures(recent, now_us)
    return (result.episodes_30d, result.recent_avg, result.earlier_avg, result.trend)


def remembered(text, now_us):
    result = figures_for(text, now_us)
    return (result.episodes_30d, result.recent_avg, result.earlier_avg, result.trend)


def test_remembered_figures_equal_fresh_ones_as_time_passes_every_edge():
    rng = random.Random(7)
    for _ in range(60):
        latest = NOW_US - rng.randint(0, 40 * DAY_US)
        recent = sorted(
            [latest - rng.randint(0, 60 * DAY_US), rng.randint(0, 10)] for _ in range(rng.randint(0, 12))
        )
        text = json.dumps(recent)
        # Moments around every edge of every start (entering, leaving 30 days and each
        # window), and some in between, in order as a dashboard would see them.
        moments = sorted(
            {
                start + offset + nudge
                for start, _severity in recent
                for offset in (0, 30 * DAY_US, 60 * DAY_US)
                for nudge in (-1, 0, 1, 2)
            }
            | {NOW_US + rng.randint(0, 70 * DAY_US) for _ in range(10)}
        )
        for now_us in moments:
            assert remembered(text, now_us) == fresh(recent, now_us), (recent, now_us)


def test_a_new_episode_changes_the_text_and_so_the_figures():
    one = [[NOW_US - 2 * DAY_US, 3]]
    two = [*one, [NOW_US - DAY_US, 9]]
    assert remembered(json.dumps(one), NOW_US)[0] == 1
    assert remembered(json.dumps(two), NOW_US)[0] == 2


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(figures, "MEMO_SIZE", 3)
    for severity in range(5):
        figures_for(json.dumps([[NOW_US, severity]]), NOW_US)
    assert len(figures._memo) <= 3
