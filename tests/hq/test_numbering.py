"""Case numbers taken on two offline computers: the number HQ gives instead is free and follows the year."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.models import new_id
from clinic_hq import numbering

pytestmark = pytest.mark.postgres

YEARS = st.sampled_from(["1402", "1403", "1404"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    taken=st.lists(st.tuples(YEARS, st.integers(1, 3000)), max_size=25, unique=True),
    wanted=st.tuples(YEARS, st.integers(1, 3000)),
)
def test_a_taken_number_gets_the_next_free_one_of_its_year(hq, taken, wanted):
    clinic = new_id()  # no rows at HQ: only the batch's own numbers are in the way
    pending = [(clinic, f"{y}-{n:04d}", new_id()) for y, n in taken]
    pending.append((new_id(), f"{wanted[0]}-{wanted[1]:04d}", new_id()))  # another clinic's: not in the way
    number = f"{wanted[0]}-{wanted[1]:04d}"
    with hq.engine.connect() as conn:
        given_number = numbering.free_number(conn, clinic, number, new_id(), pending)
    same_year = [n for y, n in taken if y == wanted[0]]
    if wanted not in taken:
        assert given_number is None  # free: kept as it is
        return
    year, _, suffix = given_number.partition("-")
    assert year == wanted[0] and int(suffix) == max(same_year) + 1
    assert given_number not in {n for _c, n, _r in pending[:-1]}


@pytest.mark.parametrize("number", ["A-1", "پرونده ۷", "x" * 32])
def test_a_number_of_another_form_gets_a_suffix(hq, number):
    clinic = new_id()
    pending = [(clinic, number, new_id()), (clinic, number[:30] + "-2", new_id())]
    with hq.engine.connect() as conn:
        given_number = numbering.free_number(conn, clinic, number, new_id(), pending)
    assert given_number == number[: 32 - 2] + "-3" and len(given_number) <= 32
