"""The fixed catalogue of facts and operators that rule conditions may use.

A condition is data: ``{"fact": "episode.severity", "op": "gte", "value": 7}``.
``validate_conditions`` is what the admin runs on save; ``holds`` is what the engine runs
and never raises (a condition it cannot read simply does not hold).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from guidance.facts import Facts
from guidance.vocabulary import (
    LEG_LOCATIONS,
    Descriptor,
    Location,
    Mobility,
    RedFlag,
    ReliefMeasure,
    Trigger,
    label_map,
    labels_for,
)

TRENDS = ("improving", "stable", "worsening", "unknown")

INT, BOOL, CHOICE, SET = "int", "bool", "choice", "set"
OPERATORS = {
    INT: {"eq", "ne", "gt", "gte", "lt", "lte"},
    BOOL: {"eq"},
    CHOICE: {"eq", "ne", "in", "not_in"},
    SET: {"contains_any", "contains_all", "contains_none", "is_empty", "not_empty"},
}
NO_VALUE_OPERATORS = {"is_empty", "not_empty"}


@dataclass(frozen=True)
class Fact:
    kind: str
    read: Callable[[Facts], Any]
    slugs: frozenset[str] = frozenset()


CATALOGUE: dict[str, Fact] = {
    "episode.severity": Fact(INT, lambda f: f.episode.severity),
    "episode.ongoing": Fact(BOOL, lambda f: f.episode.ongoing),
    "episode.minutes_since_start": Fact(INT, lambda f: f.episode.minutes_since_start),
    "episode.locations": Fact(SET, lambda f: f.episode.locations, frozenset(Location.values)),
    "episode.leg_pain": Fact(BOOL, lambda f: bool(f.episode.locations & LEG_LOCATIONS)),
    "episode.descriptors": Fact(SET, lambda f: f.episode.descriptors, frozenset(Descriptor.values)),
    "episode.triggers": Fact(SET, lambda f: f.episode.triggers, frozenset(Trigger.values)),
    "episode.red_flags": Fact(SET, lambda f: f.episode.red_flags, frozenset(RedFlag.values)),
    "episode.mobility": Fact(CHOICE, lambda f: f.episode.mobility, frozenset(Mobility.values) | {""}),
    "episode.relief_tried": Fact(
        SET, lambda f: frozenset(r.measure for r in f.episode.relief), frozenset(ReliefMeasure.values)
    ),
    "history.episodes_last_7d": Fact(INT, lambda f: f.history.episodes_last_7d),
    "history.episodes_last_30d": Fact(INT, lambda f: f.history.episodes_last_30d),
    "history.trend": Fact(CHOICE, lambda f: f.history.trend, frozenset(TRENDS)),
    "history.weeks_since_first_episode": Fact(INT, lambda f: f.history.weeks_since_first_episode),
    "history.helpful_relief": Fact(
        SET, lambda f: frozenset(f.history.helpful_relief), frozenset(ReliefMeasure.values)
    ),
    "history.unhelpful_relief": Fact(
        SET, lambda f: frozenset(f.history.unhelpful_relief), frozenset(ReliefMeasure.values)
    ),
}


def _value_errors(where: str, fact: Fact, op: str, value: Any) -> list[str]:
    if op in NO_VALUE_OPERATORS:
        return []
    if fact.kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return [_("%(where)s: the value must be a whole number.") % {"where": where}]
        return []
    if fact.kind == BOOL:
        return (
            []
            if isinstance(value, bool)
            else [_("%(where)s: the value must be true or false.") % {"where": where}]
        )
    if op in {"eq", "ne"} and isinstance(value, list):
        return [_("%(where)s: '%(op)s' takes one value, not a list.") % {"where": where, "op": op}]
    if op in {"in", "not_in", "contains_any", "contains_all", "contains_none"} and not isinstance(
        value, list
    ):
        return [_("%(where)s: '%(op)s' takes a list of values.") % {"where": where, "op": op}]
    values = value if isinstance(value, list) else [value]
    unknown = [v for v in values if not isinstance(v, str) or v not in fact.slugs]
    if unknown:
        params = {
            "where": where,
            "values": ", ".join(map(str, unknown)),
            "known": ", ".join(sorted(fact.slugs)),
        }
        return [_("%(where)s: unknown value(s) %(values)s. Known: %(known)s.") % params]
    return []


def validate_conditions(conditions: Any) -> list[str]:
    """Messages for everything wrong with a rule's conditions; empty when they are valid."""
    if not isinstance(conditions, list):
        return [_("Conditions must be a list of {fact, op, value} objects.")]
    errors: list[str] = []
    for index, condition in enumerate(conditions, start=1):
        where = _("Condition %(number)s") % {"number": index}
        if not isinstance(condition, dict) or not {"fact", "op"} <= set(condition):
            errors.append(_("%(where)s: needs a 'fact' and an 'op'.") % {"where": where})
            continue
        extra = set(condition) - {"fact", "op", "value"}
        if extra:
            errors.append(
                _("%(where)s: unexpected key(s) %(keys)s.")
                % {"where": where, "keys": ", ".join(sorted(extra))}
            )
        name, op = condition["fact"], condition["op"]
        fact = CATALOGUE.get(name)
        if fact is None:
            params = {"where": where, "fact": name, "known": ", ".join(sorted(CATALOGUE))}
            errors.append(_("%(where)s: unknown fact '%(fact)s'. Known: %(known)s.") % params)
            continue
        if op not in OPERATORS[fact.kind]:
            params = {
                "where": where,
                "op": op,
                "fact": name,
                "known": ", ".join(sorted(OPERATORS[fact.kind])),
            }
            errors.append(
                _("%(where)s: unknown operator '%(op)s' for %(fact)s. Use one of: %(known)s.") % params
            )
            continue
        if op not in NO_VALUE_OPERATORS and "value" not in condition:
            errors.append(_("%(where)s: needs a 'value'.") % {"where": where})
            continue
        errors.extend(_value_errors(f"{where} ({name})", fact, op, condition.get("value")))
    return errors


def _compare(op: str, actual: Any, value: Any) -> bool:
    match op:
        case "eq":
            return actual == value
        case "ne":
            return actual != value
        case "gt":
            return actual > value
        case "gte":
            return actual >= value
        case "lt":
            return actual < value
        case "lte":
            return actual <= value
        case "in":
            return actual in value
        case "not_in":
            return actual not in value
        case "contains_any":
            return bool(set(actual) & set(value))
        case "contains_all":
            return set(value) <= set(actual)
        case "contains_none":
            return not set(actual) & set(value)
        case "is_empty":
            return not actual
        case "not_empty":
            return bool(actual)
    return False


def holds(condition: dict, facts: Facts) -> bool:
    """Whether one condition holds; anything malformed does not hold (never raises)."""
    try:
        fact = CATALOGUE[condition["fact"]]
        return _compare(condition["op"], fact.read(facts), condition.get("value"))
    except Exception:
        return False


def _labels(choices, slugs) -> str:
    return ", ".join(labels_for(choices, sorted(slugs))) or _("none")


def _minutes(minutes: int) -> str:
    if minutes < 120:
        return ngettext("Started %(count)d minute ago", "Started %(count)d minutes ago", minutes) % {
            "count": minutes
        }
    hours = minutes // 60
    return ngettext("Started %(count)d hour ago", "Started %(count)d hours ago", hours) % {"count": hours}


def _trend(trend: str) -> str:
    return {
        "improving": _("Your recent spasms are getting better"),
        "stable": _("Your recent spasms are about the same"),
        "worsening": _("Your recent spasms are getting worse"),
    }.get(trend, _("Not enough history yet to see a trend"))


# What the patient is told about each fact ("why am I seeing this?"), in their language.
_EXPLAIN: dict[str, Callable[[Any], str]] = {
    "episode.severity": lambda v: _("Pain %(severity)s out of 10") % {"severity": v},
    "episode.ongoing": lambda v: _("The spasm is still going on") if v else _("The spasm is over"),
    "episode.minutes_since_start": _minutes,
    "episode.locations": lambda v: _("Where it hurts: %(places)s") % {"places": _labels(Location, v)},
    "episode.leg_pain": lambda v: _("Pain in a leg") if v else _("No pain in the legs"),
    "episode.descriptors": lambda v: _("How it feels: %(list)s") % {"list": _labels(Descriptor, v)},
    "episode.triggers": lambda v: _("What set it off: %(list)s") % {"list": _labels(Trigger, v)},
    "episode.red_flags": lambda v: _("Warning signs: %(list)s") % {"list": _labels(RedFlag, v)},
    "episode.mobility": lambda v: _("Moving: %(how)s") % {"how": label_map(Mobility).get(v, _("not said"))},
    "episode.relief_tried": lambda v: _("Relief tried: %(list)s") % {"list": _labels(ReliefMeasure, v)},
    "history.episodes_last_7d": lambda v: (
        ngettext("%(count)d spasm in the last 7 days", "%(count)d spasms in the last 7 days", v)
        % {"count": v}
    ),
    "history.episodes_last_30d": lambda v: (
        ngettext("%(count)d spasm in the last 30 days", "%(count)d spasms in the last 30 days", v)
        % {"count": v}
    ),
    "history.trend": _trend,
    "history.weeks_since_first_episode": lambda v: (
        ngettext("Your first spasm was %(count)d week ago", "Your first spasm was %(count)d weeks ago", v)
        % {"count": v}
    ),
    "history.helpful_relief": lambda v: (
        _("Helped you before: %(list)s") % {"list": _labels(ReliefMeasure, v)}
    ),
    "history.unhelpful_relief": lambda v: (
        _("Made it worse before: %(list)s") % {"list": _labels(ReliefMeasure, v)}
    ),
}


def read(fact: str, facts: Facts) -> tuple[str, Any]:
    """``(fact, its value)``, for a reason to explain later; the value is None if unreadable."""
    try:
        return fact, CATALOGUE[fact].read(facts)
    except Exception:
        return fact, None


def explain(fact: str, value: Any) -> str:
    """A fact's value as the patient would say it ("Pain 8 out of 10"), in the active language."""
    try:
        try:
            return _explained(fact, value, get_language())
        except TypeError:  # a value that cannot be a key (a list): said afresh
            return _EXPLAIN[fact](value)
    except Exception:
        return ""


@functools.lru_cache(maxsize=4096)
def _explained(fact: str, value: Any, language: str | None) -> str:
    """``explain`` remembered: a page or answer says a dozen of these, each from several
    translated strings, and the values repeat (pain 0-10, a handful of counts and lists)."""
    return _EXPLAIN[fact](value)


def describe(condition: dict, facts: Facts) -> str:
    """A short text for the reasons list: the fact and the value it had."""
    try:
        actual = CATALOGUE[condition["fact"]].read(facts)
    except Exception:
        actual = None
    if isinstance(actual, frozenset):
        actual = sorted(actual)
    return f"{condition.get('fact')} {condition.get('op')} {condition.get('value', '')} (is {actual})".strip()
