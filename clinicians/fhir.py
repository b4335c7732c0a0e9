"""A FHIR R4 Bundle of a patient's record: the Patient, pain severity Observations
(LOINC 72514-3, with effective period and body sites), PEG items and the check-ins'
daily factors."""

import uuid

from accounts.models import User
from tracker.choices import Location, labels_for
from tracker.models import DailyCheckIn, Episode, PegCheckIn

LOINC = "http://loinc.org"
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
# PEG items (Krebs et al. 2009). Coded as text: we found no LOINC codes we could cite for
# the three items, and a wrong code is worse than none.
PEG_ITEMS = {
    "pain": "PEG: average pain in the past week (0-10)",
    "enjoyment": "PEG: pain interference with enjoyment of life in the past week (0-10)",
    "activity": "PEG: pain interference with general activity in the past week (0-10)",
}

# The daily factors (sleep, stress, activity, sitting) as text-coded Observations: we know
# of no standard codes that say exactly what the check-in asks.
DAILY_FACTOR_TEXT = {
    "sleep": "Sleep quality last night, self-reported (poor, ok, good)",
    "stress": "Stress today, self-reported (low, medium, high)",
    "active": "Physically active today, self-reported",
    "long_sitting": "Sat for a long time today, self-reported",
}


def _factor_value(value) -> dict:
    return {"valueBoolean": value} if isinstance(value, bool) else {"valueString": value}


def _iso(moment) -> str:
    return moment.isoformat()


def patient_bundle(*, patient: User) -> dict:
    patient_ref = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'spasm-tracker/patient/{patient.pk}')}"
    entries = [
        {
            "fullUrl": patient_ref,
            "resource": {
                "resourceType": "Patient",
                "id": str(patient.pk),
                "name": [{"text": str(patient)}],
                "telecom": [{"system": "email", "value": patient.email}],
            },
        }
    ]
    episodes = Episode.objects.filter(patient=patient).prefetch_related("tags").order_by("started_at")
    for episode in episodes.iterator(chunk_size=500):
        period = {"start": _iso(episode.started_at)}
        if episode.ended_at:
            period["end"] = _iso(episode.ended_at)
        observation = {
            "resourceType": "Observation",
            "id": f"episode-{episode.pk}",
            "status": "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                        }
                    ]
                }
            ],
            "code": {"coding": [PAIN_SEVERITY], "text": "Back spasm pain severity"},
            "subject": {"reference": patient_ref},
            "effectivePeriod": period,
            "valueInteger": episode.severity,
        }
        locations = episode.locations
        if locations:
            observation["bodySite"] = {"text": "; ".join(labels_for(Location, locations))}
        if episode.notes:
            observation["note"] = [{"text": episode.notes}]
        entries.append({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": observation})
    for peg in PegCheckIn.objects.filter(patient=patient).order_by("date"):
        for item, text in PEG_ITEMS.items():
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{uuid.uuid4()}",
                    "resource": {
                        "resourceType": "Observation",
                        "id": f"peg-{peg.pk}-{item}",
                        "status": "final",
                        "code": {"text": text},
                        "subject": {"reference": patient_ref},
                        "effectiveDateTime": peg.date.isoformat(),
                        "valueInteger": getattr(peg, item),
                    },
                }
            )
    checkins = DailyCheckIn.objects.filter(patient=patient).order_by("date")
    for checkin in checkins.iterator(chunk_size=500):
        for factor, text in DAILY_FACTOR_TEXT.items():
            value = getattr(checkin, factor)
            if value in ("", None):
                continue
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{uuid.uuid4()}",
                    "resource": {
                        "resourceType": "Observation",
                        "id": f"checkin-{checkin.pk}-{factor.replace('_', '-')}",
                        "status": "final",
                        "code": {"text": text},
                        "subject": {"reference": patient_ref},
                        "effectiveDateTime": checkin.date.isoformat(),
                        **_factor_value(value),
                    },
                }
            )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
