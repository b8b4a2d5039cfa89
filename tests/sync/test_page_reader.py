"""The desktop's page reader survives any page a server could send (issue 10, item 2, desktop side).

A real ``SyncEngine`` on a real SQLite store pulls hand-made pages from a real HTTP server on loopback
(``page_server.PageServer``): JSON nested thousands of levels deep, huge values, wrong types, unknown tables
and columns, NUL characters, text that is not UTF-8, rows that are not rows. Each bad row is set aside with
its reason, the good rows beside it are stored, the cursor moves on, and the next sync works.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_app.models import ChangeLog, Consultant, Enterprise, IndustrialPark, SyncConflict, new_id
from clinic_app.services.sync import SyncEngine, SyncError, sync_status
from clinic_app.services.sync_pages import PageUnreadable, read_page
from tests.hq.harness import new_store
from tests.sync.page_server import PageServer, consultant_row, page_bytes, park_row, row

CLINIC = new_id()


@pytest.fixture
def desk(tmp_path, migrated_template):
    store = new_store(tmp_path / "desk", migrated_template)
    store.set_meta("clinic_id", CLINIC)
    yield store
    store.close()


def engine(store, server) -> SyncEngine:
    return SyncEngine(store, base_url=server.url, token="dev_test", retries=0, backoff=0.01)


def set_aside(store) -> list[SyncConflict]:
    with store.session_factory() as s:
        return list(s.scalars(select(SyncConflict).where(SyncConflict.kind == "set_aside")))


def ids(store, model) -> set[str]:
    with store.session_factory() as s:
        return set(s.scalars(select(model.id)))


def deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


BAD_ROWS = {
    # what the audit's server sent: a consultant's expertise nested far beyond any parser's stack
    "nested 5,000 deep": lambda: _raw_consultant(b'"expertise": ' + deep(5000)),
    "nested 300 deep": lambda: _raw_consultant(b'"expertise": ' + deep(300)),
    "nested 100 deep (readable, too deep to keep)": lambda: _raw_consultant(b'"expertise": ' + deep(100)),
    "NUL in a name": lambda: consultant_row(2, CLINIC, "مریم\x00احمدی"),
    "lone surrogate": lambda: _raw_consultant(b'"full_name": "\\ud800x"'),
    "not UTF-8": lambda: _raw_consultant(b'"full_name": "\xff\xfe"'),
    "huge value": lambda: consultant_row(2, CLINIC, "م" * 1_000_000),
    "number for text": lambda: consultant_row(2, CLINIC, full_name=12345),
    "text for a number": lambda: park_row(2, deprived="yes"),
    "object for text": lambda: consultant_row(2, CLINIC, mobile={"a": 1}),
    "bad date": lambda: consultant_row(2, CLINIC, created_at="2024-13-45T00:00:00+00:00"),
    "naive timestamp": lambda: consultant_row(2, CLINIC, updated_at="2024-05-01T08:00:00"),
    "required empty": lambda: consultant_row(2, CLINIC, full_name=None),
    "unknown table": lambda: {"seq": 2, "table": "payroll", "row_id": new_id(), "values": {"x": 1}},
    "row not an object": lambda: 42,
    "row without values": lambda: {"seq": 2, "table": "consultant", "row_id": new_id()},
    "values not an object": lambda: {"seq": 2, "table": "consultant", "row_id": new_id(), "values": [1]},
    "another clinic's row": lambda: consultant_row(2, new_id()),
    "clinic-owned row without an owner": lambda: consultant_row(2, None),  # type: ignore[arg-type]
    "id that is not the row's": lambda: consultant_row(2, CLINIC, id=new_id()) | {"row_id": new_id()},
}


def _raw_consultant(member: bytes) -> bytes:
    """A consultant row whose one member is given as raw JSON bytes (what json.dumps cannot make)."""
    row = consultant_row(2, CLINIC)
    text = json.dumps(row, ensure_ascii=False).encode()
    return text[:-2] + b", " + member + b"}}"


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_is_set_aside_and_the_rest_of_the_page_is_stored(desk, case):
    good_park = park_row(1, "شهرک صنعتی پیش از ردیف بد")
    good_consultant = consultant_row(3, CLINIC, "رضا کریمی")
    with PageServer() as server:
        server.pages[0] = page_bytes([good_park, BAD_ROWS[case](), good_consultant], next_after=3)
        with engine(desk, server) as e:
            report = e.sync_once()
            assert report.set_aside == 1
            assert good_park["row_id"] in ids(desk, IndustrialPark)
            assert good_consultant["row_id"] in ids(desk, Consultant)
            status = sync_status(desk)
            assert status.cursor == 3  # the cursor moved past the bad row: the pull never sticks on it
            assert status.set_aside == 1 and status.open_conflicts == 0
            assert status.last_error is None
            [record] = set_aside(desk)
            assert record.resolved_at is None and record.origin == "local"
            assert "کنار گذاشته شد" in record.message  # and what to do about it
            # the next sync goes on from there, and does not list the row twice
            server.pages[3] = page_bytes([park_row(4, "شهرک صنعتی پس از ردیف بد")], next_after=4)
            assert e.sync_once().pulled_rows == 1
            assert len(set_aside(desk)) == 1


def test_an_unknown_column_is_ignored_and_the_row_stored(desk):
    row = consultant_row(1, CLINIC, "لیلا مرادی", favourite_colour="سبز")
    with PageServer() as server:
        server.pages[0] = page_bytes([row], next_after=1)
        with engine(desk, server) as e:
            assert e.sync_once().set_aside == 0
    assert row["row_id"] in ids(desk, Consultant)


def test_a_row_waiting_for_its_parent_keeps_only_known_columns_and_is_stored_when_the_parent_comes(desk):
    """An unknown column nested past any encoder's stack must not break keeping the row for later."""
    park = park_row(2)
    enterprise = row(1, "enterprise", CLINIC, name="کاشی", name_key="کاشی", park_id=park["row_id"],
                     operating_status="active")  # fmt: skip
    body = page_bytes([enterprise], next_after=1)
    body = body.replace(b'"name": ', b'"from_a_newer_server": ' + deep(900) + b', "name": ', 1)
    with PageServer() as server:
        server.pages[0] = body
        with engine(desk, server) as e:
            assert e.sync_once().set_aside == 1  # its park has not come yet
            [record] = set_aside(desk)
            assert record.code == "row.parent_missing" and "«شهرک صنعتی»" in record.message
            assert "from_a_newer_server" not in record.row_state["values"]
            server.pages[1] = page_bytes([park], next_after=2)
            e.sync_once()  # the park comes in a later sync: the enterprise is stored after the pull
    assert enterprise["row_id"] in ids(desk, Enterprise)
    [record] = set_aside(desk)
    assert record.resolution == "applied"


def test_a_reason_names_the_field_in_persian(desk):
    with PageServer() as server:
        server.pages[0] = page_bytes([consultant_row(1, CLINIC, mobile={"a": 1})], next_after=1)
        with engine(desk, server) as e:
            e.sync_once()
    [record] = set_aside(desk)
    assert record.code == "value.type"
    assert "«تلفن همراه»" in record.message
    assert record.values["mobile"]["other"] == {"a": 1}  # what HQ sent, as the Sync page shows it
    assert record.row_state is None  # trying again cannot help: HQ must correct it


def test_a_corrected_version_from_hq_replaces_the_row_set_aside(desk):
    bad = consultant_row(1, CLINIC, "نام" * 100)  # longer than the column
    with PageServer() as server:
        server.pages[0] = page_bytes([bad], next_after=1)
        with engine(desk, server) as e:
            e.sync_once()
            assert sync_status(desk).set_aside == 1
            fixed = consultant_row(2, CLINIC, "نام درست", id=bad["row_id"])
            server.pages[1] = page_bytes([fixed], next_after=2)
            e.sync_once()
    assert bad["row_id"] in ids(desk, Consultant)
    [record] = set_aside(desk)
    assert record.resolved_at is not None and record.resolution == "applied"
    assert sync_status(desk).set_aside == 0


@pytest.mark.parametrize(
    "body",
    [
        b"<html>502 Bad Gateway</html>",
        b'{"schema_version": 1, "rows": [], "conflicts": []}',  # no cursor: nothing can be stored
        b'{"schema_version": 1, "next_after": "soon", "has_more": false, "server_seq": 1, "rows": []}',
        b'{"next_after": ' + deep(10_000) + b"}",
        b'{"schema_version": 1, "next_after": 1, "has_more": false, "server_seq": 1, "rows": [{"a": 1',
    ],
    ids=["html", "no cursor", "cursor not a number", "deep envelope", "cut off"],
)
def test_a_page_that_cannot_be_read_is_a_persian_error_and_push_still_works(desk, body):
    desk.set_meta("sync_url", "http://unused")  # a pending change to push: the meta write is not one
    with desk.session_factory() as s, s.begin():
        s.add(
            ChangeLog(
                change_id=new_id(), table_name="industrial_park", row_id=new_id(), op="insert",
                fields={"name": "x"}, before={}, base_version=0, clinic_id=None, device_id=desk.device_id,
                user_id=None, at=datetime.now(UTC),
            )
        )  # fmt: skip
    with PageServer() as server:
        server.pages[0] = body
        with engine(desk, server) as e, pytest.raises(SyncError) as caught:
            e.sync_once()
        assert len(server.pushed) == 1  # the push went through before the pull failed
    assert caught.value.code == "sync.protocol"
    assert "پاسخ ستاد" in caught.value.message
    status = sync_status(desk)
    assert status.last_error == caught.value.message
    assert status.pending_changes == 0 and status.cursor == 0


def test_a_failure_the_engine_did_not_foresee_still_leaves_a_persian_last_error(desk):
    """The attachments folder cannot be written (here: a file stands in its place)."""
    content = "گزارش بازدید".encode()
    sha = hashlib.sha256(content).hexdigest()
    park = park_row(1)
    enterprise = row(2, "enterprise", CLINIC, name="کاشی", name_key="کاشی", park_id=park["row_id"],
                     operating_status="active")  # fmt: skip
    case = row(3, "case_file", CLINIC, number="1403-0001", enterprise_id=enterprise["row_id"],
               opened_on="2024-05-01", status="intake")  # fmt: skip
    attachment = row(4, "attachment", CLINIC, case_id=case["row_id"], file_name="بازدید.pdf", sha256=sha,
                     size=len(content))  # fmt: skip
    desk.attachments_dir.parent.mkdir(parents=True, exist_ok=True)
    desk.attachments_dir.write_text("not a folder")
    with PageServer() as server:
        server.pages[0] = page_bytes([park, enterprise, case, attachment], next_after=4)
        server.blobs[sha] = content
        with engine(desk, server) as e, pytest.raises(OSError):
            e.sync_once()
    status = sync_status(desk)
    assert status.cursor == 4  # the rows are stored; only the file could not be
    assert status.last_error is not None  # before the fix: empty, as if nothing had failed
    assert status.last_error.startswith("دریافت فایل‌های پیوست به سبب خطایی پیش‌بینی‌نشده ناتمام ماند")


# Any JSON at all in a consultant's fields: the reader and the store never fail, and every row is either
# stored or set aside, never lost without a word.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)
FIELDS = ["full_name", "mobile", "expertise", "active", "created_at", "national_code", "clinic_id"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(FIELDS), json_values), min_size=1, max_size=3))
def test_any_json_in_a_row_is_stored_or_set_aside(desk, changes):
    rows = [consultant_row(1, CLINIC), park_row(2)]
    rows[0]["values"].update(dict(changes))
    body = page_bytes(rows, next_after=2)
    read = read_page(body)
    with SyncEngine(desk, base_url="http://unused", token="dev_test") as e:
        aside = e.apply_page(read.page, read.bad)
    stored = ids(desk, Consultant) | ids(desk, IndustrialPark)
    placed = {r.row_id for r in set_aside(desk) if r.resolved_at is None}
    for each in rows:
        assert each["row_id"] in stored or each["row_id"] in placed
    assert rows[1]["row_id"] in stored
    assert aside == (rows[0]["row_id"] not in stored)
    assert sync_status(desk).cursor == 2


VALID_PAGE = page_bytes([park_row(1), consultant_row(2, CLINIC), park_row(3)], next_after=3)


@settings(max_examples=300, deadline=None)
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, len(VALID_PAGE)), st.integers(0, 40), st.binary(max_size=8)), max_size=4
    )
)
def test_a_damaged_page_is_read_in_part_or_refused_never_a_crash(cuts):
    """Bytes cut out of a page and others put in: the reader gives rows and rows it could not read, or says
    the page cannot be read; it never raises anything else (no RecursionError, no UnicodeDecodeError)."""
    body = VALID_PAGE
    for at, length, insert in cuts:
        body = body[:at] + insert + body[at + length :]
    try:
        read = read_page(body)
    except PageUnreadable:
        return
    assert len(read.page.rows) + len(read.bad) <= 3 + len(cuts) * 3


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=200) | st.text(alphabet='{}[]",:0123456789a\\ ', max_size=300).map(str.encode))
def test_any_bytes_are_read_or_refused_never_a_crash(body):
    with contextlib.suppress(PageUnreadable):
        read_page(body)


def test_the_desktop_and_hq_read_one_list_of_who_writes_each_table():
    """The desktop's shared tables are HQ's: both read clinic_app.models.ownership, so adding a table
    there (or changing its owner) changes both sides at once."""
    from clinic_app.models import ownership
    from clinic_app.services import sync_pages
    from clinic_hq import rules

    assert rules.OWNERSHIP is ownership.OWNERSHIP
    assert {name: rule.ownership for name, rule in rules.RULES.items()} == {
        name: ownership.ownership(name) for name in rules.RULES
    }
    assert sync_pages.SHARED_TABLES == {name for name in rules.RULES if rules.shared(name)} != set()
