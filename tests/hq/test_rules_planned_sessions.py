"""HQ's field rules for the planned-session columns of consultations."""

from __future__ import annotations

import pytest

from clinic_hq.rules import RULES, RuleError, coerce


def test_hq_rules_know_the_planned_session_columns():
    """HQ checks the new columns as it checks every other: a code list and a time pattern."""
    cols = RULES["consultation"].columns
    assert coerce("consultation", cols["status"], "planned") == "planned"
    assert coerce("consultation", cols["start_time"], "09:30") == "09:30"
    with pytest.raises(RuleError) as info:
        coerce("consultation", cols["status"], "maybe")
    assert info.value.code == "field.enum"
    for bad in ("25:00", "9:30", "۰۹:۳۰"):
        with pytest.raises(RuleError) as info:
            coerce("consultation", cols["start_time"], bad)
        assert info.value.code == "field.format"
