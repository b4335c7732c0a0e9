"""Exports of a patient's own data: CSV of episodes, and tracker's part of the full export
(assembled in ``backspasm.exports``)."""

import csv
import datetime
import io

from accounts.models import User
from tracker.choices import DAILY_FACTORS
from tracker.models import EPISODE_TAG_FIELDS, DailyCheckIn, Episode, PegCheckIn

CSV_COLUMNS = [
    "id",
    "started_at",
    "ended_at",
    "duration_minutes",
    "severity",
    *EPISODE_TAG_FIELDS,
    "red_flags_checked_at",
    "worse_reported_at",
    "relief",
    "mobility",
    "medications",
    "notes",
]


def _episode_row(episode: Episode) -> dict:
    zone = episode.patient.zone if hasattr(episode, "patient") else datetime.UTC
    duration = (episode.ended_at - episode.started_at).total_seconds() // 60 if episode.ended_at else ""
    return {
        "id": episode.pk,
        "started_at": episode.started_at.astimezone(zone).isoformat(),
        "ended_at": episode.ended_at.astimezone(zone).isoformat() if episode.ended_at else "",
        "duration_minutes": int(duration) if duration != "" else "",
        "severity": episode.severity,
        **{name: ";".join(getattr(episode, name)) for name in EPISODE_TAG_FIELDS},
        "red_flags_checked_at": _local(episode.red_flags_checked_at, zone),
        "worse_reported_at": _local(episode.worse_reported_at, zone),
        "relief": ";".join(f"{r.measure}:{r.effect}" for r in episode.relief.all()),
        "mobility": episode.mobility,
        "medications": episode.medications,
        "notes": episode.notes,
    }


def _local(moment: datetime.datetime | None, zone) -> str:
    return moment.astimezone(zone).isoformat() if moment else ""


def _safe_cell(value):
    # Spreadsheet formula injection: a cell starting with = + - @ would run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def episodes_csv(*, patient: User, episodes=None) -> str:
    episodes = episodes if episodes is not None else Episode.objects.filter(patient=patient)
    episodes = episodes.select_related("patient").prefetch_related("tags", "relief").order_by("started_at")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for episode in episodes.iterator(chunk_size=500):
        writer.writerow({key: _safe_cell(value) for key, value in _episode_row(episode).items()})
    return out.getvalue()


def export_for(*, user: User) -> dict:
    """The patient's episodes, check-ins and PEG, for their data export."""
    episodes = (
        Episode.objects.filter(patient=user).select_related("patient").prefetch_related("tags", "relief")
    )
    return {
        "episodes": [_episode_row(episode) for episode in episodes.order_by("started_at")],
        "checkins": [
            {
                "date": c.date.isoformat(),
                "had_spasm": c.had_spasm,
                "worst_pain": c.worst_pain,
                **{name: getattr(c, name) for name in DAILY_FACTORS},
            }
            for c in DailyCheckIn.objects.filter(patient=user).order_by("date")
        ],
        "peg": [
            {"date": p.date.isoformat(), "pain": p.pain, "enjoyment": p.enjoyment, "activity": p.activity}
            for p in PegCheckIn.objects.filter(patient=user).order_by("date")
        ],
    }
