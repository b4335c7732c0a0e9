"""Every operator an admin can use in a rule, run on facts (issue 11, item 9)."""

import pytest

from guidance.conditions import CATALOGUE, NO_VALUE_OPERATORS, OPERATORS, holds, validate_conditions
from guidance.facts import EpisodeFacts, Facts, HistoryFacts

FACTS = Facts(
    EpisodeFacts(
        severity=6,
        mobility="limited",
        locations=frozenset({"lower_back_left", "leg_left"}),
        triggers=frozenset(),
    ),
    HistoryFacts(trend="worsening"),
)

# (fact, op, value, holds on FACTS): each operator both ways.
CASES = [
    ("episode.severity", "eq", 6, True),
    ("episode.severity", "eq", 7, False),
    ("episode.severity", "ne", 7, True),
    ("episode.severity", "ne", 6, False),
    ("episode.severity", "gt", 5, True),
    ("episode.severity", "gt", 6, False),
    ("episode.severity", "gte", 6, True),
    ("episode.severity", "gte", 7, False),
    ("episode.severity", "lt", 7, True),
    ("episode.severity", "lt", 6, False),
    ("episode.severity", "lte", 6, True),
    ("episode.severity", "lte", 5, False),
    ("episode.ongoing", "eq", True, True),
    ("episode.ongoing", "eq", False, False),
    ("episode.mobility", "eq", "limited", True),
    ("episode.mobility", "eq", "normal", False),
    ("episode.mobility", "ne", "limited", False),
    ("episode.mobility", "ne", "cannot_move", True),
    ("episode.mobility", "in", ["limited", "hard_to_move"], True),
    ("episode.mobility", "in", ["normal", "hard_to_move"], False),
    ("episode.mobility", "not_in", ["normal", "cannot_move"], True),
    ("episode.mobility", "not_in", ["limited"], False),
    ("history.trend", "in", ["stable", "worsening"], True),
    ("history.trend", "not_in", ["worsening"], False),
    ("episode.locations", "contains_any", ["leg_left", "leg_right"], True),
    ("episode.locations", "contains_any", ["upper_back"], False),
    ("episode.locations", "contains_all", ["leg_left", "lower_back_left"], True),
    ("episode.locations", "contains_all", ["leg_left", "leg_right"], False),
    ("episode.locations", "contains_none", ["upper_back", "mid_back"], True),
    ("episode.locations", "contains_none", ["mid_back", "leg_left"], False),
    ("episode.triggers", "is_empty", None, True),
    ("episode.locations", "is_empty", None, False),
    ("episode.locations", "not_empty", None, True),
    ("episode.triggers", "not_empty", None, False),
]


@pytest.mark.parametrize(
    ("fact", "op", "value", "expected"), CASES, ids=[f"{c[0]} {c[1]} {c[2]}" for c in CASES]
)
def test_each_operator_holds_or_not_on_the_facts(fact, op, value, expected):
    condition = (
        {"fact": fact, "op": op} if op in NO_VALUE_OPERATORS else {"fact": fact, "op": op, "value": value}
    )
    assert validate_conditions([condition]) == []
    assert holds(condition, FACTS) is expected


def test_every_operator_of_the_catalogue_is_exercised_both_ways():
    used = {(CATALOGUE[fact].kind, op, expected) for fact, op, _value, expected in CASES}
    for kind, operators in OPERATORS.items():
        for op in operators:
            assert (kind, op, True) in used and (kind, op, False) in used, (kind, op)


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"fact": "episode.severity", "op": "in", "value": [1, 2]}, "unknown operator"),
        ({"fact": "episode.mobility", "op": "in", "value": "limited"}, "takes a list"),
        ({"fact": "episode.mobility", "op": "ne", "value": ["limited"]}, "takes one value"),
        ({"fact": "episode.locations", "op": "contains_all", "value": ["knee"]}, "unknown value"),
        ({"fact": "episode.locations", "op": "contains_none"}, "needs a 'value'"),
        ({"fact": "episode.severity", "op": "lt", "value": "7"}, "whole number"),
    ],
)
def test_an_operator_with_the_wrong_value_is_refused_with_a_message(condition, message):
    errors = validate_conditions([condition])
    assert errors and message in errors[0]


def test_a_wrong_value_that_slips_past_validation_never_raises_at_evaluation():
    assert holds({"fact": "episode.severity", "op": "lt", "value": "7"}, FACTS) is False
    assert holds({"fact": "episode.locations", "op": "contains_all", "value": None}, FACTS) is False
