"""A FHIR R4 (valid R4B) Bundle of a patient's record, for the patient's own download and
the clinician's export alike; the mapping is documented in docs/fhir.md.

Per episode, a panel Observation links (``hasMember``) its severity (LOINC 72514-3), its
warning-sign screen (each sign asked, yes or no, so "none" is an answer), its triggers and
the relief tried with its effect. PEG check-ins are one Observation with three components;
check-ins' daily factors one Observation each. Codes appear only where we can cite them;
everything else is coded as text, because a wrong code is worse than none.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.models import User
from tracker.choices import (
    Location,
    RedFlag,
    ReliefEffect,
    ReliefMeasure,
    Trigger,
    label_map,
    labels_for,
)
from tracker.models import DailyCheckIn, Episode, PegCheckIn

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
LOW_BACK_PAIN = {"system": SNOMED, "code": "279039007", "display": "Low back pain"}
LOWER_BACK = frozenset({Location.LOWER_BACK_LEFT, Location.LOWER_BACK_RIGHT, Location.LOWER_BACK_CENTER})
SURVEY = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]
}

# PEG items (Krebs et al. 2009). Coded as text: we found no LOINC codes we could cite for
# the three items, and a wrong code is worse than none.
PEG_TEXT = "PEG three-item pain scale (mean of the items, 0-10)"
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

EPISODE_TEXT = "Back spasm episode, self-reported"
WARNING_SIGNS_TEXT = "Warning signs of serious back pain (NICE NG59 red flags), self-reported"
TRIGGERS_TEXT = "What the patient thinks set off the back spasm"
TRIGGER_TEXT = "Trigger"
RELIEF_TEXT = "Relief measures tried for the back spasm and their effect, self-reported"


def _iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


def _urn(patient: User, resource_id: str) -> str:
    """A stable fullUrl, so references inside the bundle resolve and a re-export matches."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'spasm-tracker/{patient.pk}/{resource_id}')}"


class _BundleBuilder:
    def __init__(self, patient: User):
        self.patient = patient
        self.patient_ref = {"reference": _urn(patient, "patient")}
        self.entries: list[dict] = []
        self.flag_labels = label_map(RedFlag)
        self.trigger_labels = label_map(Trigger)
        self.measure_labels = label_map(ReliefMeasure)
        self.effect_labels = label_map(ReliefEffect)

    def add(self, resource: dict) -> dict:
        """Add a resource; returns a reference to it."""
        full_url = _urn(self.patient, f"{resource['resourceType']}/{resource['id']}")
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return {"reference": full_url}

    def observation(self, resource_id: str, updated: datetime.datetime, code: dict, **fields) -> dict:
        return {
            "resourceType": "Observation",
            "id": resource_id,
            "meta": {"lastUpdated": _iso(updated)},
            "status": "final",
            "category": [SURVEY],
            "code": code,
            "subject": self.patient_ref,
            **fields,
        }

    def patient_resource(self) -> None:
        """No more identity than the account holds: a name only if the patient gave one, the
        email they sign in with, their language. No birth date, sex or address: we have none."""
        resource = {
            "resourceType": "Patient",
            "id": str(self.patient.pk),
            "telecom": [{"system": "email", "value": self.patient.email}],
            "communication": [
                {
                    "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": self.patient.language}]},
                    "preferred": True,
                }
            ],
        }
        if self.patient.display_name:
            resource["name"] = [{"text": self.patient.display_name}]
        full_url = _urn(self.patient, "patient")
        self.entries.append({"fullUrl": full_url, "resource": resource})

    def episode(self, episode: Episode) -> None:
        period = {"start": _iso(episode.started_at)}
        if episode.ended_at:
            period["end"] = _iso(episode.ended_at)
        common = {"effectivePeriod": period}
        prefix = f"episode-{episode.pk}"
        updated = episode.updated_at
        members = []
        severity = self.observation(
            prefix,
            updated,
            {"coding": [PAIN_SEVERITY], "text": "Back spasm pain severity"},
            valueInteger=episode.severity,
            **common,
        )
        locations = episode.locations
        if locations:
            severity["bodySite"] = {"text": "; ".join(labels_for(Location, locations))}
        members.append(self.add(severity))
        if signs := self._warning_signs(episode):
            members.append(
                self.add(
                    self.observation(
                        f"{prefix}-warning-signs",
                        updated,
                        {"text": WARNING_SIGNS_TEXT},
                        component=signs,
                        **common,
                    )
                )
            )
        if triggers := episode.triggers:
            components = [
                {
                    "code": {"text": TRIGGER_TEXT},
                    "valueCodeableConcept": {"text": str(self.trigger_labels[slug])},
                }
                for slug in triggers
            ]
            members.append(
                self.add(
                    self.observation(
                        f"{prefix}-triggers", updated, {"text": TRIGGERS_TEXT}, component=components, **common
                    )
                )
            )
        if relief := sorted(episode.relief.all(), key=lambda row: row.measure):
            components = [
                {
                    "code": {"text": str(self.measure_labels[row.measure])},
                    "valueCodeableConcept": {"text": str(self.effect_labels[row.effect])},
                }
                for row in relief
            ]
            members.append(
                self.add(
                    self.observation(
                        f"{prefix}-relief", updated, {"text": RELIEF_TEXT}, component=components, **common
                    )
                )
            )
        # The episode itself: a panel of the above. Low back pain only when it was in the lower back.
        code = {"text": EPISODE_TEXT}
        if LOWER_BACK & set(locations):
            code["coding"] = [LOW_BACK_PAIN]
        panel = self.observation(f"{prefix}-panel", updated, code, hasMember=members, **common)
        if episode.notes:
            panel["note"] = [{"text": episode.notes}]
        self.add(panel)

    def _warning_signs(self, episode: Episode) -> list[dict]:
        """Every sign asked, true or false, once the patient answered the question; before that,
        only the signs they reported (the others are unknown, not absent)."""
        reported = set(episode.red_flags)
        asked = RedFlag.values if episode.red_flags_checked_at else sorted(reported)
        return [
            {"code": {"text": str(self.flag_labels[slug])}, "valueBoolean": slug in reported}
            for slug in asked
        ]

    def peg(self, peg: PegCheckIn) -> None:
        self.add(
            self.observation(
                f"peg-{peg.pk}",
                peg.created_at,
                {"text": PEG_TEXT},
                effectiveDateTime=peg.date.isoformat(),
                valueQuantity={"value": peg.score, "unit": "score"},
                component=[
                    {"code": {"text": text}, "valueInteger": getattr(peg, item)}
                    for item, text in PEG_ITEMS.items()
                ],
            )
        )

    def checkin(self, checkin: DailyCheckIn) -> None:
        for factor, text in DAILY_FACTOR_TEXT.items():
            value = getattr(checkin, factor)
            if value in ("", None):
                continue
            answer = {"valueBoolean": value} if isinstance(value, bool) else {"valueString": value}
            self.add(
                self.observation(
                    f"checkin-{checkin.pk}-{factor.replace('_', '-')}",
                    checkin.updated_at,
                    {"text": text},
                    effectiveDateTime=checkin.date.isoformat(),
                    **answer,
                )
            )


def patient_bundle(*, patient: User) -> dict:
    """The patient's whole record as a FHIR collection Bundle (a plain dict, JSON-ready)."""
    builder = _BundleBuilder(patient)
    builder.patient_resource()
    episodes = (
        Episode.objects.filter(patient=patient)
        .prefetch_related("tags", "relief")
        .order_by("started_at", "id")
    )
    for episode in episodes.iterator(chunk_size=500):
        builder.episode(episode)
    for peg in PegCheckIn.objects.filter(patient=patient).order_by("date"):
        builder.peg(peg)
    for checkin in DailyCheckIn.objects.filter(patient=patient).order_by("date").iterator(chunk_size=500):
        builder.checkin(checkin)
    now = _iso(timezone.now())
    return {
        "resourceType": "Bundle",
        "meta": {"lastUpdated": now},
        "type": "collection",
        "timestamp": now,
        "entry": builder.entries,
    }
