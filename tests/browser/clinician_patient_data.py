"""A patient a clinician would worry about, for the browser tests and screenshots of the
clinician's patient page: 30 episodes over 14 weeks, worse lately, a warning sign, relief
that helped and relief that made it worse, weekly PEG, and two private notes."""

import datetime

from django.db.models import F
from django.utils import timezone

from clinicians import services as clinician_services
from clinicians.models import CareLink, PatientReview
from tracker import services
from tracker.models import Episode

LOCATIONS = (["lower_back_left"], ["lower_back_center", "buttock_left"], ["lower_back_right", "leg_right"])
TRIGGERS = (["heavy_lifting"], ["prolonged_sitting"], ["sudden_twist"], [])
RELIEF = (
    [{"measure": "heat", "effect": "much"}, {"measure": "stretching", "effect": "worse"}],
    [{"measure": "ice", "effect": "some"}, {"measure": "massage", "effect": "much"}],
    [{"measure": "rest", "effect": "none"}],
)


def seed_worried_patient(*, patient, clinician, episodes: int = 30) -> CareLink:
    """``episodes`` ended episodes, the oldest 14 weeks ago, more frequent and severe in the
    last month; the newest reports a warning sign. The clinician looked three days ago."""
    now = timezone.now()
    link = CareLink.objects.create(patient=patient, clinician=clinician)
    for index in range(episodes):
        # Newest first: the last 10 fall in the last 30 days, the rest spread over 14 weeks.
        if index < 10:
            started = now - datetime.timedelta(days=index * 3 + 1, hours=index % 5)
            severity = 8 - index // 4
        else:
            started = now - datetime.timedelta(days=30 + (index - 10) * 3.4, hours=index % 7)
            severity = 3 + index % 3
        services.episode_create(
            patient=patient,
            severity=severity,
            started_at=started,
            ended_at=started + datetime.timedelta(hours=1 + index % 4),
            locations=LOCATIONS[index % len(LOCATIONS)],
            triggers=TRIGGERS[index % len(TRIGGERS)],
            relief=RELIEF[index % len(RELIEF)],
            red_flags=["leg_weakness_numbness"] if index == 0 else [],
            mobility="limited" if index % 2 else "hard_to_move",
        )
    today = timezone.localdate()
    for week in range(10):
        services.peg_record(
            patient=patient,
            date=today - datetime.timedelta(weeks=week),
            pain=max(2, 7 - week // 2),
            enjoyment=max(1, 6 - week // 2),
            activity=max(2, 6 - week // 3),
        )
    clinician_services.note_add(
        clinician=clinician, patient=patient, text="Started physio 3 weeks ago; review leg symptoms."
    )
    clinician_services.note_add(clinician=clinician, patient=patient, text="MRI requested.")
    # Logged as they happened, so only the newest is new since the clinician's last look.
    Episode.objects.filter(patient=patient).update(created_at=F("started_at"))
    PatientReview.objects.create(
        clinician=link.clinician, patient=patient, last_viewed_at=now - datetime.timedelta(days=3)
    )
    return link
