"""Cost independent of other patients: the same requests against two copies of one
database, one of them also holding 1,000 other patients' histories, interleaved request
by request; each ratio is the median of per-round ratios (target <= 1.2). Every SELECT
those requests run is then EXPLAINed on the full copy: a sequential scan of a per-patient
table is a FAIL. Run: ``python -m bench.scale_bench``."""

from bench.common import (
    check,
    database_copy,
    explain_block,
    get_ok,
    interleaved_ratio,
    patient,
    post_json,
    prepare,
    session_client,
    token_client,
    use,
)

prepare()

import datetime  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from knox.models import AuthToken  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.episodes_bench import logging  # noqa: E402
from bench.history import add_history  # noqa: E402
from clinicians.models import CareLink  # noqa: E402
from reminders.services import reminder_plans_ensure  # noqa: E402
from tracker.models import PegCheckIn  # noqa: E402

OTHERS = 1000
PER_PATIENT_TABLES = (
    "tracker_episode",
    "tracker_episodetag",
    "tracker_relieftried",
    "tracker_dailycheckin",
    "tracker_pegcheckin",
    "tracker_patientfacts",
    "clinicians_carelink",
    "reminders_reminderplan",
    "knox_authtoken",
)


def linked_patients(clinician: User, count: int, tag: str) -> list[User]:
    people = User.objects.bulk_create(
        User(email=f"{tag}-{i}@bench.example", display_name=f"{tag} {i}", password=make_password(None))
        for i in range(count)
    )
    CareLink.objects.bulk_create(CareLink(patient=p, clinician=clinician) for p in people)
    for person in people:
        # The API's tokens (knox): a table every authenticated request reads; and the default
        # reminder plans a sign-up gives (logging moves the heat/ice one).
        AuthToken.objects.create(user=person)
        reminder_plans_ensure(user=person)
    PegCheckIn.objects.bulk_create(
        PegCheckIn(
            patient=p,
            date=timezone.localdate() - datetime.timedelta(weeks=w),
            pain=5,
            enjoyment=4,
            activity=3,
        )
        for p in people
        for w in range(4)
    )
    return people


def clinician(email: str) -> User:
    return User.objects.create_user(
        email=email, password="x", role="clinician", clinician_verified_at=timezone.now()
    )


def main() -> None:
    me = patient("me@bench.example")
    add_history([me], episodes=200, recent=10, checkins=120)
    doctor = clinician("dr@bench.example")
    add_history(linked_patients(doctor, 5, "mine"), episodes=50, recent=5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    alone = connections["default"]
    crowded = database_copy("crowded")
    use(crowded)
    for group in range(10):
        colleague = clinician(f"dr-{group}@bench.example")
        add_history(
            linked_patients(colleague, OTHERS // 10, f"other{group}"),
            episodes=100,
            recent=10,
            checkins=60,
            seed=group,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {OTHERS} other patients with 100 episodes each in the crowded copy", flush=True)

    def requests():
        """The same requests, bound to whichever database is in use when they run."""
        api = token_client(me)
        page = session_client(me)
        doctors = session_client(doctor)
        # An ended one: the logging below starts (and deletes) the one ongoing episode.
        hour_ago = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
        body = {"severity": 5, "started_at": hour_ago, "ended_at": hour_ago}
        episode_id = post_json(api, "/api/episodes/", body)().json()["id"]
        return {
            "log (POST /api/episodes/)": logging(api),
            "guidance (GET /api/episodes/{id}/guidance/)": get_ok(
                api, f"/api/episodes/{episode_id}/guidance/"
            ),
            "history page": get_ok(page, "/history/"),
            "summary page": get_ok(page, "/summary/"),
            "dashboard page": get_ok(doctors, "/clinician/"),
        }

    use(alone)
    quiet = requests()
    use(crowded)
    busy = requests()

    def on(wrapper, action):
        def run():
            use(wrapper)
            return action()

        before = getattr(action, "before", None)
        if before is not None:
            run.before = lambda: (use(wrapper), before())
        return run

    for name in quiet:
        ratio, top, bottom = interleaved_ratio(
            on(crowded, busy[name]), on(alone, quiet[name]), rounds=15, per_round=3
        )
        print(f"  {name}: {top * 1000:.1f} ms with others, {bottom * 1000:.1f} ms alone", flush=True)
        check(f"{name}, 1,000 other patients / none", ratio, 1.2)
    use(crowded)
    for name, action in busy.items():
        if getattr(action, "before", None):
            action.before()
        explain_block(name, action, tables=PER_PATIENT_TABLES)


if __name__ == "__main__":
    main()
