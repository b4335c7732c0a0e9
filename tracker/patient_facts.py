"""The per-patient facts row (``PatientFacts``): kept in the transaction that changes an
episode, so that guidance for a newly logged spasm reads the whole history's relief
and first episode from one row instead of aggregating every episode.

A new episode updates the row by addition; an edit, a deletion or anything unusual
recomputes it from the episodes (``patient_facts_refresh``). Tests compare the row with
a recomputation after each kind of change.
"""

from django.db.models import Count, Max, Min, Q

from guidance.facts import WholeHistory
from tracker.choices import HELPFUL_EFFECTS, ReliefEffect
from tracker.models import Episode, PatientFacts, ReliefTried


def _relief_counts(relief) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for measure, effect in relief:
        pair = counts.setdefault(measure, [0, 0])
        pair[0] += effect in HELPFUL_EFFECTS
        pair[1] += effect == ReliefEffect.WORSE
    return counts


def patient_facts_compute(*, patient_id: int) -> PatientFacts:
    """The row as the episodes say it should be (three aggregate queries), unsaved."""
    bounds = Episode.objects.filter(patient_id=patient_id).aggregate(
        first=Min("started_at"), latest=Max("started_at")
    )
    latest_count = (
        Episode.objects.filter(patient_id=patient_id, started_at=bounds["latest"]).count()
        if bounds["latest"]
        else 0
    )
    relief = {
        measure: [helped, worse]
        for measure, helped, worse in ReliefTried.objects.filter(episode__patient_id=patient_id)
        .values_list("measure")
        .annotate(
            helped=Count("id", filter=Q(effect__in=HELPFUL_EFFECTS)),
            worse=Count("id", filter=Q(effect=ReliefEffect.WORSE)),
        )
        .order_by()
    }
    return PatientFacts(
        patient_id=patient_id,
        first_started_at=bounds["first"],
        latest_started_at=bounds["latest"],
        latest_count=latest_count,
        relief=relief,
    )


def patient_facts_refresh(*, patient_id: int) -> PatientFacts:
    """Recompute and store the row: after an edit or a deletion (rare; logging adds instead)."""
    facts = patient_facts_compute(patient_id=patient_id)
    facts.save()
    return facts


def patient_facts_add(*, episode: Episode) -> PatientFacts:
    """A new episode (its children already written): add it to the locked row.

    A patient without a row yet gets it computed from their episodes, this one included.
    """
    facts = PatientFacts.objects.select_for_update().filter(patient_id=episode.patient_id).first()
    if facts is None:
        return patient_facts_refresh(patient_id=episode.patient_id)
    start = episode.started_at
    if facts.first_started_at is None or start < facts.first_started_at:
        facts.first_started_at = start
    if facts.latest_started_at is None or start > facts.latest_started_at:
        facts.latest_started_at, facts.latest_count = start, 1
    elif start == facts.latest_started_at:
        facts.latest_count += 1
    for measure, (helped, worse) in _relief_counts(
        (r.measure, r.effect) for r in episode.relief.all()
    ).items():
        pair = facts.relief.setdefault(measure, [0, 0])
        pair[0] += helped
        pair[1] += worse
    facts.save()
    return facts


def whole_history_before(*, facts: PatientFacts, episode: Episode) -> WholeHistory | None:
    """The whole history before ``episode`` from the row, when the episode is the patient's
    one latest (a spasm logged now): the totals less its own relief. None otherwise, and
    guidance asks the episodes."""
    if facts.latest_started_at != episode.started_at or facts.latest_count != 1:
        return None
    own = _relief_counts((r.measure, r.effect) for r in episode.relief.all())
    helpful = []
    for measure, (helped, worse) in facts.relief.items():
        own_helped, own_worse = own.get(measure, (0, 0))
        helped, worse = helped - own_helped, worse - own_worse
        if helped > worse:
            helpful.append((-helped, measure))
    return WholeHistory(
        first_started_at=facts.first_started_at,
        helpful_relief=tuple(measure for _helped, measure in sorted(helpful)),
    )
