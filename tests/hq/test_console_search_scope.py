"""The search's copies of the enterprise's columns (migration 0021): the one-table search gives the rows,
order and total the joined definition gave, on random data and queries, and the copies follow every write of
an enterprise through the real push path (rename, delete, restore, park change, transfer)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, func, select

from clinic_app.core.persian import search_key
from clinic_app.models import new_id
from clinic_app.services.sync_schemas import Change
from clinic_hq import admin, schema, search
from clinic_hq import transfers as hq_transfers
from clinic_hq.push import HQ, Principal, _push, hq_write
from clinic_hq.search import query_key
from clinic_hq.web import queries
from clinic_hq.web.auth import Scope
from clinic_hq.web.queries import FOUND, NotFound, SearchPage

from . import console_data

pytestmark = pytest.mark.postgres

ZWNJ = "\u200c"
# Pieces of names and queries that fold together or apart: Arabic and Persian yeh and kaf, ZWNJ and space,
# Persian, Arabic and ASCII digits, a two-letter word the trigram index cannot serve.
PIECES = ["کسب", "وکار", "پلاستيك", "پلاستیک", "یزد", "يزد", "مس", "آریا", "۱۲", "١٢", "12", ZWNJ, " ", "ک"]
IDS = ["10320845671", "14000012345", "10320812345"]
SCOPES = (Scope("hq_analyst", None), Scope("province_officer", console_data.FIRST))


def joined_search(conn: Connection, scope: Scope, key: str, page: int, sort) -> SearchPage:
    """The definition before migration 0021: the search key joined with ``enterprise`` for liveness, name key
    and park, counted by one query and paged by another."""
    e, park = schema.SYNCED["enterprise"], schema.SYNCED["industrial_park"]
    s, province = schema.enterprise_search, schema.metadata.tables["province"]
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = [s.c.key.like(pattern, escape="\\"), e.c.deleted_at.is_(None)]
    if search.is_id_query(key):
        where.append(s.c.id_pieces.contains([key[: search.ID_MIN_DIGITS]]))
    if not scope.national:
        where.append(park.c.province_id == scope.province_id)
    joined = s.join(e, e.c.id == s.c.enterprise_id).join(park, park.c.id == e.c.park_id)
    total = conn.scalar(select(func.count()).select_from(joined).where(*where)) or 0
    pages = max(1, -(-total // queries.ENTERPRISE_PAGE))
    if page > pages:
        raise NotFound
    columns = {"name": e.c.name_key, "national_id": e.c.national_id, "park": park.c.name,
               "province": province.c.name_fa}  # fmt: skip
    stmt = (
        select(
            e.c.id, e.c.name, e.c.national_id, park.c.id, park.c.name, func.coalesce(province.c.name_fa, "")
        )
        .select_from(joined.join(province, province.c.id == park.c.province_id, isouter=True))
        .where(*where)
        .order_by(*sort.order_by(columns), e.c.name_key, e.c.id)
        .limit(queries.ENTERPRISE_PAGE)
        .offset((page - 1) * queries.ENTERPRISE_PAGE)
    )
    return SearchPage([queries.FoundEnterprise(*r) for r in conn.execute(stmt)], total, page, pages)


def every_page(fn, conn, scope, key, sort) -> list:
    pages, page = [], 1
    while True:
        try:
            pages.append(fn(conn, scope, key, page, sort))
        except NotFound:
            return pages
        page += 1


@pytest.fixture(scope="module")
def world(hq):
    w = console_data.build(hq.engine)
    with hq.engine.begin() as conn:
        w.parks["شهرک سوم"] = admin.add_park(conn, "شهرک سوم", console_data.SECOND, city="شهر")
    return w


def search_row(conn: Connection, ent: str) -> dict:
    s = schema.enterprise_search
    return dict(conn.execute(select(s).where(s.c.enterprise_id == ent)).mappings().one())


def assert_copies_right(conn: Connection, ent: str) -> None:
    e = schema.SYNCED["enterprise"]
    row = conn.execute(select(e).where(e.c.id == ent)).mappings().one()
    assert search_row(conn, ent) == search.row(row)


text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ents=st.lists(
        st.tuples(
            text,
            st.sampled_from([None, *IDS]),
            st.sampled_from(["شهرک صنعتی نخست", "شهرک صنعتی دوم", "شهرک سوم"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=9,
    ),
    q=st.one_of(text, st.sampled_from(["20845", "۲۰۸۴۵", "٠٣٢٠٨", "12345"])),
    sort_key=st.sampled_from([*FOUND.keys, *(f"-{k}" for k in FOUND.keys)]),
    officer=st.booleans(),
)
def test_one_table_search_equals_the_joined_definition(hq, world, monkeypatch, ents, q, sort_key, officer):
    key = query_key(q)
    if not key:
        return
    monkeypatch.setattr(queries, "ENTERPRISE_PAGE", 3)  # several pages from a few rows
    sort, scope = FOUND.read([("sort", sort_key)]), SCOPES[officer]
    with hq.engine.connect() as conn, conn.begin() as tx:
        clinic = world.clinics["کلینیک نخست"]
        for name, national_id, park, deleted in ents:
            ent = new_id()
            hq_write(conn, "enterprise", ent, {"clinic_id": clinic, "name": name, "name_key": search_key(name),
                     "park_id": world.parks[park], "operating_status": "active", "national_id": national_id})  # fmt: skip
            if deleted:
                delete(conn, ent)
        got = every_page(queries.search_enterprises, conn, scope, key, sort)
        want = every_page(joined_search, conn, scope, key, sort)
        tx.rollback()
    assert got == want


def change(conn: Connection, op: str, ent: str, fields: dict) -> None:
    e = schema.SYNCED["enterprise"]
    cur = conn.execute(select(e).where(e.c.id == ent)).mappings().one()
    result = _push(conn, HQ, [Change(change_id=new_id(), table="enterprise", row_id=ent, op=op, fields=fields,
                   before={k: None for k in fields}, base_version=cur["version"], clinic_id=cur["clinic_id"],
                   at=datetime.now(UTC))], 0)[0]  # fmt: skip
    assert result.status != "refused", result


def delete(conn: Connection, ent: str) -> None:
    change(conn, "delete", ent, {"deleted_at": datetime.now(UTC).isoformat()})


def found_ids(conn: Connection, q: str, scope: Scope = SCOPES[0]) -> set[str]:
    return {r.id for r in queries.search_enterprises(conn, scope, query_key(q), 1).rows}


def test_the_copies_follow_rename_delete_restore_and_park_change(hq, world):
    ent = new_id()
    with hq.engine.begin() as conn:
        hq_write(conn, "enterprise", ent, {"clinic_id": world.clinics["کلینیک نخست"], "name": "آهنگری سپید",
                 "name_key": search_key("آهنگری سپید"), "park_id": world.parks["شهرک صنعتی نخست"],
                 "operating_status": "active", "national_id": "10999888777"})  # fmt: skip
        assert_copies_right(conn, ent)
        hq_write(
            conn, "enterprise", ent, {"name": "ریخته گری زرین", "name_key": search_key("ریخته گری زرین")}
        )
        assert_copies_right(conn, ent)
        assert ent in found_ids(conn, "زرین") and ent not in found_ids(conn, "سپید")
        delete(conn, ent)
        assert search_row(conn, ent)["live"] is False and ent not in found_ids(conn, "زرین")
        change(conn, "restore", ent, {"deleted_at": None})
        assert_copies_right(conn, ent)
        assert search_row(conn, ent)["live"] is True and ent in found_ids(conn, "زرین")
        officer = SCOPES[1]  # the first province's: the park moves out of it
        assert ent in found_ids(conn, "زرین", officer)
        hq_write(conn, "enterprise", ent, {"park_id": world.parks["شهرک صنعتی دوم"]})
        assert_copies_right(conn, ent)
        assert search_row(conn, ent)["park_id"] == world.parks["شهرک صنعتی دوم"]
        assert ent not in found_ids(conn, "زرین", officer) and ent in found_ids(conn, "زرین")


def test_the_copies_stay_right_through_an_accepted_transfer(hq, world):
    ent = new_id()
    with hq.engine.begin() as conn:
        hq_write(conn, "enterprise", ent, {"clinic_id": world.clinics["کلینیک نخست"], "name": "کاشی انتقالی",
                 "name_key": search_key("کاشی انتقالی"), "park_id": world.parks["شهرک صنعتی نخست"],
                 "operating_status": "active"})  # fmt: skip
        t = hq_transfers.propose(conn, ent, world.clinics["کلینیک دوم"])
    device_id, _token = hq.enrol(world.clinics["کلینیک دوم"])
    with hq.engine.begin() as conn:
        hq_transfers.decide(
            conn, t.transfer_id, True, principal=Principal(device_id, world.clinics["کلینیک دوم"])
        )
    with hq.engine.begin() as conn:
        e = schema.SYNCED["enterprise"]
        assert conn.scalar(select(e.c.clinic_id).where(e.c.id == ent)) == world.clinics["کلینیک دوم"]
        assert_copies_right(conn, ent)
        assert ent in found_ids(conn, "انتقالی")
        # The receiving clinic's desktop then moves it to its own park: the push's write keeps the copy.
        hq_write(conn, "enterprise", ent, {"park_id": world.parks["شهرک سوم"]})
        assert_copies_right(conn, ent)
        assert {
            r.park for r in queries.search_enterprises(conn, SCOPES[0], query_key("انتقالی"), 1).rows
        } == {"شهرک سوم"}


def test_the_migration_copies_the_columns_of_the_enterprises_already_stored(hq, world):
    """0021_search_scope down and up again on a database with live and deleted enterprises."""
    from alembic import command

    from clinic_hq.db import _alembic_config, upgrade

    ent = new_id()
    with hq.engine.begin() as conn:
        hq_write(conn, "enterprise", ent, {"clinic_id": world.clinics["کلینیک نخست"], "name": "حذفی کهنه",
                 "name_key": search_key("حذفی کهنه"), "park_id": world.parks["شهرک صنعتی نخست"],
                 "operating_status": "active", "national_id": "10111222333"})  # fmt: skip
        delete(conn, ent)
    cfg = _alembic_config()
    with hq.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0019_transfer_answer")
    upgrade(hq.engine)
    e, s = schema.SYNCED["enterprise"], schema.enterprise_search
    with hq.engine.connect() as conn:
        rows = {r["id"]: search.row(r) for r in conn.execute(select(e)).mappings()}
        copies = {r["enterprise_id"]: dict(r) for r in conn.execute(select(s)).mappings()}
    assert rows and copies == rows and copies[ent]["live"] is False
