"""Episodes: POST /api/episodes/ against the minimal create at 10 and 2,000 episodes of
history, and the summary and history pages at 2,000 episodes vs 10.
Run: ``python -m bench.episodes_bench``."""

from bench.common import compare, get_ok, patient, post_json, prepare, session_client, token_client

prepare()

from django.test import Client  # noqa: E402

from bench.history import LOG_BODY, add_history  # noqa: E402
from tracker import services  # noqa: E402
from tracker.models import Episode  # noqa: E402


def logging(client: Client):
    """Log a spasm through the API; before each one (untimed) the previous one is deleted
    through the service, so the history stays the size it was and never has two ongoing."""
    logged = []
    post = post_json(client, "/api/episodes/", LOG_BODY)

    def before():
        while logged:
            services.episode_delete(episode=Episode.objects.get(pk=logged.pop()))

    def action():
        logged.append(post().json()["id"])

    action.before = before
    return action


def main() -> None:
    small, large = patient("small@bench.example"), patient("large@bench.example")
    add_history([small], episodes=10, checkins=120)
    add_history([large], episodes=2000, checkins=1800)
    baseline_user = patient("baseline@bench.example")
    minimal = post_json(token_client(baseline_user), "/bench/minimal-create/", {"severity": 6})
    for name, user in (("10", small), ("2,000", large)):
        compare(
            f"POST /api/episodes/ at {name} episodes / minimal create",
            logging(token_client(user)),
            minimal,
            target=2.0,
        )

    pages = {}
    for name, user in (("small", small), ("large", large)):
        pages[name] = session_client(user)
    for page in ("/summary/", "/history/"):
        compare(
            f"{page} page at 2,000 episodes / 10",
            get_ok(pages["large"], page),
            get_ok(pages["small"], page),
            target=1.5,
            rounds=15,
            per_round=2,
        )
    summary = "/api/summary/"
    compare(
        f"GET {summary} at 2,000 episodes / 10",
        get_ok(token_client(large), summary),
        get_ok(token_client(small), summary),
        target=1.5,
        rounds=15,
        per_round=3,
    )


if __name__ == "__main__":
    main()
