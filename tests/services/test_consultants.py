"""The clinic's consultants: validation, duplicates, roles, deactivation."""

from __future__ import annotations

import pytest

from clinic_app.core.errors import DuplicateFound, PermissionDenied, ValidationFailed
from clinic_app.models import Consultant
from clinic_app.services import consultants
from clinic_app.services.consultants import ConsultantInput
from clinic_app.services.uow import UnitOfWork

from . import factories as f
from .test_cases import refused

CODE = "0012345679"  # a valid national code


@pytest.fixture
def clinic(store):
    return f.make_clinic(store)


def test_create_normalises_and_stamps_the_clinic(store, uow, clinic):
    c = consultants.create_consultant(
        uow,
        ConsultantInput(
            full_name="  علي  كريمي ",
            national_code="۰۰۱۲۳۴۵۶۷۹",
            mobile="+98 912 123 4567",
            email=" Ali.Karimi@Example.IR ",
            affiliation="basij",
            expertise=["بازاریابی", "بازاريابي", " مالی ", ""],
        ),
    )
    assert (c.full_name, c.national_code, c.mobile, c.email) == (
        "علی کریمی",
        CODE,
        "09121234567",
        "ali.karimi@example.ir",
    )
    assert c.expertise == ("بازاریابی", "مالی") and c.active
    assert c.affiliation_label == "سازمان بسیج مهندسین صنعتی"
    assert f.rows_of(store, Consultant)[0].clinic_id == clinic


def test_bad_input_names_every_field(store, uow, clinic):
    err = refused(
        store,
        lambda: consultants.create_consultant(
            uow,
            ConsultantInput(
                full_name=" ", national_code="1234567890", mobile="0212", email="no-at", affiliation="x"
            ),
        ),
        ValidationFailed,
    )
    assert {e.field for e in err.errors} == {"full_name", "national_code", "mobile", "email", "affiliation"}


def test_duplicate_national_code_refused(store, uow, clinic):
    first = consultants.create_consultant(uow, ConsultantInput("مریم احمدی", national_code=CODE))
    err = refused(
        store,
        lambda: consultants.create_consultant(uow, ConsultantInput("مریم احمدي", national_code=CODE)),
        DuplicateFound,
        "consultant.duplicate",
    )
    assert err.candidates == [first.id]
    # updating the same person with their own code is fine
    assert consultants.update_consultant(
        uow, first.id, ConsultantInput("مریم احمدی", national_code=CODE, mobile="09121111111")
    ).mobile


def test_only_managers_manage_consultants(store, clinic):
    consultant = UnitOfWork(store, f.make_user(store, "مشاور", "consultant"))
    refused(store, lambda: consultants.create_consultant(consultant, ConsultantInput("x")), PermissionDenied)
    manager = UnitOfWork(store, f.make_user(store, "مدیر", "clinic_manager"))
    assert consultants.create_consultant(manager, ConsultantInput("زهرا کریمی")).full_name == "زهرا کریمی"


def test_deactivate_hides_from_lists(uow, clinic):
    a = consultants.create_consultant(uow, ConsultantInput("علی رضایی"))
    b = consultants.create_consultant(uow, ConsultantInput("بهاره محمدی"))
    consultants.deactivate_consultant(uow, a.id)
    assert [c.id for c in consultants.list_consultants(uow)] == [b.id]
    assert [c.id for c in consultants.list_consultants(uow, include_inactive=True)] == [b.id, a.id]
    assert consultants.set_consultant_active(uow, a.id, True).active
