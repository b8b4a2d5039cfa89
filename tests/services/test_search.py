"""Quick search and the registry list queries, on a real store with its FTS5 index."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clinic_app.core.persian import JOIN_MAX, ZWNJ, build_fts_query, to_persian_digits
from clinic_app.models import Case, CaseAssignment, Consultant, Enterprise
from clinic_app.services import enterprises as en
from clinic_app.services.search import (
    CaseFilter,
    EnterpriseFilter,
    case_ids,
    case_rows,
    enterprise_ids,
    enterprise_rows,
    persian_sort_key,
    search,
    search_in,
)
from clinic_app.services.uow import UnitOfWork

from .enterprise_helpers import enterprise_input, make_parks, national_code, national_id, province_id


@pytest.fixture
def parks(store):
    return make_parks(store)


@pytest.fixture
def park(parks):
    return parks["abbasabad"]


def ids(hits) -> list[str]:
    return [h.ref_id for h in hits]


def add_case(
    store, enterprise_id: str, number: str, status: str = "intake", consultant_id: str | None = None
) -> str:
    with UnitOfWork(store) as uow:
        case = Case(
            number=number,
            enterprise_id=enterprise_id,
            opened_on=date(2024, 6, 1),
            status=status,
            clinic_id=uow.clinic_id,
        )
        uow.s.add(case)
        uow.flush()
        if consultant_id:
            uow.s.add(
                CaseAssignment(
                    case_id=case.id,
                    consultant_id=consultant_id,
                    role="lead",
                    assigned_on=date(2024, 6, 1),
                    clinic_id=uow.clinic_id,
                )
            )
        uow.commit()
        return case.id


def add_consultant(store, name: str) -> str:
    with UnitOfWork(store) as uow:
        c = Consultant(full_name=name, clinic_id=uow.clinic_id)
        uow.s.add(c)
        uow.commit()
        return c.id


# --------------------------------------------------------------------------- quick search


@pytest.fixture
def kian(uow, park):
    view = en.create_enterprise(
        uow,
        enterprise_input(
            park.id, "شرکت کیان‌پلاست یزد", national_id=national_id(12345), activity="تولید لوله"
        ),
    )
    en.add_contact(uow, view.id, en.ContactInput(full_name="مریم کاظمی", mobile="09123456789"))
    return view


@pytest.mark.parametrize(
    "query",
    [
        "کیان‌پلاست",
        "كيان‌پلاست",  # Arabic Kaf and Yeh
        "کیانپلاست",  # ZWNJ left out
        "کیان پلاست",  # a space for the ZWNJ
        "پلاست",  # the second part of the compound
        "کیان‌پلاست ی",  # partial last word
        "شرکت کیان‌پلاست یز",
        "ي",  # one Arabic letter, as the first key press
        "تولید لو",  # activity
        "عباس",  # park name, partial
        "شهرك صنعتي عباس‌آباد",  # park name in Arabic letters
        "عباس آباد",
        "پاکدشت",  # the park's city
        "مریم کاظ",  # contact name
        "۰۹۱۲۳۴",  # contact mobile, Persian digits
        "09123456789",
        to_persian_digits(national_id(12345)),  # national ID in Persian digits
        to_persian_digits(national_id(12345)[:6]),  # and a prefix of it
        "١٠٠٠٠١٢٣",  # Arabic-Indic digits
    ],
)
def test_search_finds_an_enterprise_however_it_is_typed(uow, kian, query):
    hits = search(uow, query)
    assert kian.id in ids(hits), query
    hit = next(h for h in hits if h.ref_id == kian.id)
    assert hit.kind == "enterprise" and hit.title == "شرکت کیان‌پلاست یزد"
    assert "شهرک صنعتی عباس‌آباد" in hit.subtitle and to_persian_digits(national_id(12345)) in hit.subtitle


@pytest.mark.parametrize("query", ["", "   ", "!!!", "«»،؛؟", ZWNJ, None, "ـــ"])
def test_empty_or_punctuation_only_queries_find_nothing(uow, kian, query):
    assert search(uow, query) == []


@pytest.mark.parametrize("query", ['"', "AND", "OR کیان", "NEAR(کیان", "key:کیان", "کیان*", "^کیان", "(کیان"])
def test_fts_syntax_typed_by_people_is_just_text(uow, kian, query):
    search(uow, query)  # never an FTS5 syntax error


def test_search_does_not_find_other_words(uow, kian):
    assert search(uow, "پلاستیک") == []  # longer than the word: not a prefix match
    assert search(uow, "لاست") == []  # a middle of a word is not a prefix


def test_deleted_enterprises_are_not_found_and_come_back_on_restore(uow, kian):
    en.soft_delete_enterprise(uow, kian.id)
    assert search(uow, "کیان") == []
    assert search(uow, "مریم کاظمی") == []
    en.restore_enterprise(uow, kian.id)
    assert ids(search(uow, "کیان")) == [kian.id]


def test_search_follows_renames_and_contacts(uow, kian):
    en.update_enterprise(uow, kian.id, replace(en.input_from_view(kian), name="آریا ماشین"))
    assert search(uow, "کیان") == []
    assert ids(search(uow, "آریا ماش")) == [kian.id]
    contact = en.get_enterprise(uow, kian.id).contacts[0]
    en.remove_contact(uow, contact.id)
    assert search(uow, "کاظمی") == []


def test_the_index_changes_in_the_same_transaction(store, kian):
    """A rename is searchable inside its own transaction, and a rollback takes it back out of the index."""
    with UnitOfWork(store) as uow:
        e = uow.s.get(Enterprise, kian.id)
        e.name = "سپاهان فولاد"
        uow.flush()
        assert ids(search_in(uow.s, "سپاها")) == [kian.id]
        assert search_in(uow.s, "کیان") == []
    # rolled back
    with UnitOfWork(store) as uow:
        assert ids(search_in(uow.s, "کیان")) == [kian.id]
        assert search_in(uow.s, "سپاها") == []


def test_kind_limit_and_cases(store, uow, kian):
    case_id = add_case(store, kian.id, "1403-0007")
    assert set(ids(search(uow, "کیان"))) == {kian.id, case_id}
    assert ids(search(uow, "کیان", kind="case")) == [case_id]
    assert ids(search(uow, "کیان", kind="enterprise")) == [kian.id]
    assert len(search(uow, "کیان", limit=1)) == 1
    assert search(uow, "کیان", limit=0) == []
    hit = search(uow, "۱۴۰۳-۰۰۰۷")[0]
    assert hit.kind == "case" and "کیان‌پلاست" in hit.title and "پذیرش" in hit.subtitle
    with pytest.raises(ValueError):
        search(uow, "کیان", kind="consultant")


def test_better_matches_rank_first(uow, park):
    # The loose match is the newer one, so only the ranking can put the tight one first.
    tight = en.create_enterprise(uow, enterprise_input(park.id, "فولاد"))
    loose = en.create_enterprise(
        uow,
        enterprise_input(park.id, "پخش مواد غذایی", activity="توزیع فولاد و آهن و مصالح و کالاهای ساختمانی"),
    )
    assert ids(search(uow, "فولاد")) == [tight.id, loose.id]


# --------------------------------------------------------------------------- spacing (issue 13, item 18)

_SEPARATORS = ("", " ", ZWNJ)


@st.composite
def spaced_pair(draw):
    """One name written two ways: the words, how it was stored and how it is typed.

    Each boundary between words is a space, a ZWNJ or nothing, chosen apart for the stored name and the
    query. Where both sides separate, the name is cut into stretches of at most JOIN_MAX words (the limit
    documented in core.persian); inside a stretch any mix is allowed.
    """
    stretches = draw(st.lists(st.integers(1, JOIN_MAX), min_size=1, max_size=3))
    words = draw(st.lists(_WORD_2, min_size=sum(stretches), max_size=sum(stretches)))
    stored, typed = [words[0]], [words[0]]
    i = 1
    for n, size in enumerate(stretches):
        for k in range(size):
            if n == 0 and k == 0:
                continue
            if k == 0:  # between stretches: both sides separate
                a, b = draw(st.sampled_from([" ", ZWNJ])), draw(st.sampled_from([" ", ZWNJ]))
            else:
                a, b = draw(st.sampled_from(_SEPARATORS)), draw(st.sampled_from(_SEPARATORS))
            stored += [a, words[i]]
            typed += [b, words[i]]
            i += 1
    return words, "".join(stored), "".join(typed)


_WORD_2 = st.text(alphabet="ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی", min_size=2, max_size=7)


def test_a_name_stored_with_a_space_is_found_typed_with_zwnj_or_joined(uow, park):
    view = en.create_enterprise(uow, enterprise_input(park.id, "فرآورده های لبنی"))
    joined = en.create_enterprise(uow, enterprise_input(park.id, "فرآوردههای غذایی"))
    for typed in ("فرآورده‌های", "فرآوردههای", "فرآورده‌های لبن", "فراوردههایلبنی", "فرآورده‌ها"):
        assert view.id in ids(search(uow, typed)), typed
    for typed in ("فرآورده های غذ", "فرآورده‌های غذایی", "فرآورده ها"):
        assert joined.id in ids(search(uow, typed)), typed
    # The registry's text filter reads the same index.
    assert view.id in enterprise_ids(uow, EnterpriseFilter(text="فرآوردههای لبنی"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=spaced_pair(), cut=st.integers(0, 6))
def test_every_spacing_variant_finds_the_name(uow, park, pair, cut):
    words, stored, typed = pair
    view = en.create_enterprise(uow, enterprise_input(park.id, stored), allow_duplicate=True)
    try:
        assert view.id in ids(search(uow, typed)), (stored, typed)
        # While the last word is still being typed, too.
        partial = typed[: len(typed) - min(cut, len(words[-1]) - 1)]
        assert view.id in ids(search(uow, partial)), (stored, partial)
    finally:
        en.soft_delete_enterprise(uow, view.id)


# --------------------------------------------------------------------------- numbers (issue 13, item 19)


def test_a_case_is_found_by_its_short_number(store, uow, kian):
    case_id = add_case(store, kian.id, "1405-0028")
    other = add_case(store, kian.id, "1405-0280")
    for typed in ("28", "۲۸", "0028", "۱۴۰۵-۲۸", "1405-0028"):
        assert case_id in ids(search(uow, typed, kind="case")), typed
    assert ids(search(uow, "280", kind="case")) == [other]
    assert set(case_ids(uow, CaseFilter(text="۲۸"))) == {case_id, other}  # the case list's filter too


def test_an_identifier_is_found_by_its_middle_digits(uow, park):
    view = en.create_enterprise(
        uow,
        enterprise_input(
            park.id,
            "واحد شناسه",
            national_id=national_id(67890),
            postal_code="1193653471",
            phone="021-88776655",
        ),
    )
    en.add_contact(
        uow,
        view.id,
        en.ContactInput(full_name="رضا نادری", phone="02144556677", national_code=national_code(42)),
    )
    nid = national_id(67890)
    # national ID, postal code, the enterprise's phone, the contact's phone and national code
    for typed in (nid[3:8], to_persian_digits(nid[2:10]), "36534", "87766", "44556", national_code(42)[3:9]):
        assert view.id in ids(search(uow, typed)), typed
    # Four digits from the middle are not an identifier: only what starts with them.
    assert view.id not in ids(search(uow, nid[4:8]))
    # Digits typed in groups find it too.
    assert view.id in ids(search(uow, f"{nid[1:4]} {nid[4:9]}"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**7), start=st.integers(0, 6), length=st.integers(5, 11), persian=st.booleans())
def test_any_five_digits_of_a_national_id_find_it(uow, park, seed, start, length, persian):
    nid = national_id(seed)
    run = nid[start : start + length]
    assume(len(run) >= 5)
    view = en.create_enterprise(
        uow, enterprise_input(park.id, "واحد آزمون", national_id=nid), allow_duplicate=True
    )
    try:
        typed = to_persian_digits(run) if persian else run
        assert view.id in ids(search(uow, typed)), (nid, typed)
    finally:
        en.soft_delete_enterprise(uow, view.id)


def test_an_older_index_is_rebuilt_when_the_store_opens(store, uow, park):
    from sqlalchemy import text as sql

    from clinic_app.models import search_index
    from clinic_app.models.store import Store

    view = en.create_enterprise(uow, enterprise_input(park.id, "فرآورده های لبنی"))
    with store.write_engine.begin() as conn:  # what an older release left: its own documents, no stamp
        conn.execute(sql("UPDATE search_doc SET key = 'فراورده های لبنی'"))
        conn.execute(sql("DELETE FROM app_meta WHERE key = :k"), {"k": search_index.META_KEY})
    assert ids(search(uow, "فرآوردههای")) == []
    again = Store.open(store.path)
    try:
        assert ids(search(UnitOfWork(again), "فرآوردههای")) == [view.id]
        assert again.get_meta(search_index.META_KEY) == str(search_index.VERSION)
    finally:
        again.close()


_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيك"
_WORD = st.text(alphabet=_LETTERS, min_size=1, max_size=8)
_PART = st.tuples(_WORD, st.sampled_from(["", ZWNJ]), _WORD).map(lambda t: "".join(t) if t[1] else t[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(_PART, min_size=1, max_size=4), cut=st.integers(1, 20))
def test_any_prefix_of_the_last_word_finds_the_enterprise(uow, park, words, cut):
    name = " ".join(words)
    last = words[-1]
    prefix = last[: min(cut, len(last))]
    assume(build_fts_query(prefix) is not None)
    view = en.create_enterprise(uow, enterprise_input(park.id, name), allow_duplicate=True)
    try:
        assert view.id in ids(search(uow, prefix)), (name, prefix)
        assert view.id in ids(search(uow, " ".join([*words[:-1], prefix]))), (name, prefix)
    finally:
        en.soft_delete_enterprise(uow, view.id)  # one live enterprise per example: no crowding out


# --------------------------------------------------------------------------- enterprise registry


@pytest.fixture
def registry(store, uow, parks):
    """Eight enterprises across the three parks, named to test Persian order."""
    made = {}
    rows = [
        ("یاس", "abbasabad", "active", None),
        ("پارس", "abbasabad", "dormant", national_id(3)),
        ("بهار", "shamsabad", "semi_active", national_id(1)),
        ("ژاله", "shamsabad", "active", None),
        ("زرین", "morche", "under_construction", national_id(2)),
        ("گلستان", "morche", "active", None),
        ("کوثر", "abbasabad", "active", None),
        ("آرین", "abbasabad", "active", None),
    ]
    for name, park_key, status, nid in rows:
        made[name] = en.create_enterprise(
            uow,
            enterprise_input(
                parks[park_key].id,
                name,
                operating_status=status,
                national_id=nid,
                construction_progress="10" if status == "under_construction" else None,
            ),
        ).id
    return made


def names(uow, id_list) -> list[str]:
    return [r.name for r in enterprise_rows(uow, id_list)]


def test_names_sort_in_persian_alphabetical_order(uow, registry):
    expected = ["آرین", "بهار", "پارس", "زرین", "ژاله", "کوثر", "گلستان", "یاس"]
    assert names(uow, enterprise_ids(uow)) == expected
    assert names(uow, enterprise_ids(uow, descending=True)) == expected[::-1]
    assert sorted(expected, key=persian_sort_key) == expected
    assert sorted(["و", "ه", "ی", "ک", "گ", "ق"], key=persian_sort_key) == ["ق", "ک", "گ", "و", "ه", "ی"]


def test_other_sorts(uow, registry, parks):
    by_nid = names(uow, enterprise_ids(uow, sort="national_id"))
    assert by_nid[:3] == ["بهار", "زرین", "پارس"] and set(by_nid[3:]) == {
        "یاس",
        "ژاله",
        "گلستان",
        "کوثر",
        "آرین",
    }
    assert names(uow, enterprise_ids(uow, sort="national_id", descending=True))[:3] == [
        "پارس",
        "زرین",
        "بهار",
    ]
    by_park = names(uow, enterprise_ids(uow, sort="park"))
    # Parks in Persian order: شمس‌آباد < عباس‌آباد < مورچه‌خورت (ناحیه sorts after شهرک).
    assert by_park == ["بهار", "ژاله", "آرین", "پارس", "کوثر", "یاس", "زرین", "گلستان"]
    by_status = names(uow, enterprise_ids(uow, sort="status"))
    assert by_status[-3:] == ["بهار", "پارس", "زرین"]  # semi-active, dormant, under construction
    updated = enterprise_ids(uow, sort="updated")
    assert (
        names(uow, updated)[-1] == "آرین"
        and names(uow, enterprise_ids(uow, sort="updated", descending=True))[0] == "آرین"
    )
    with pytest.raises(ValueError):
        enterprise_ids(uow, sort="colour")


def test_filters(store, uow, registry, parks):
    tehran = province_id(store, "تهران")
    assert set(names(uow, enterprise_ids(uow, EnterpriseFilter(province_id=tehran)))) == {
        "یاس", "پارس", "بهار", "ژاله", "کوثر", "آرین"
    }  # fmt: skip
    assert names(uow, enterprise_ids(uow, EnterpriseFilter(park_id=parks["morche"].id))) == ["زرین", "گلستان"]
    assert names(uow, enterprise_ids(uow, EnterpriseFilter(operating_status="dormant"))) == ["پارس"]
    assert names(uow, enterprise_ids(uow, EnterpriseFilter(deprived=True))) == ["بهار", "ژاله"]
    assert len(enterprise_ids(uow, EnterpriseFilter(deprived=False))) == 6
    assert names(uow, enterprise_ids(uow, EnterpriseFilter(text="ژال"))) == ["ژاله"]
    assert names(uow, enterprise_ids(uow, EnterpriseFilter(text="شمس"))) == ["بهار", "ژاله"]
    assert len(enterprise_ids(uow, EnterpriseFilter(text="!!"))) == 8  # nothing searchable: no text filter
    add_case(store, registry["کوثر"], "1403-0001")
    add_case(store, registry["یاس"], "1403-0002", status="closed")
    assert names(uow, enterprise_ids(uow, EnterpriseFilter(has_open_case=True))) == ["کوثر"]
    assert "کوثر" not in names(uow, enterprise_ids(uow, EnterpriseFilter(has_open_case=False)))
    en.soft_delete_enterprise(uow, registry["یاس"])
    assert "یاس" not in names(uow, enterprise_ids(uow))
    assert "یاس" in names(uow, enterprise_ids(uow, EnterpriseFilter(include_deleted=True)))
    combined = EnterpriseFilter(province_id=tehran, operating_status="active", deprived=False, text="ک")
    assert names(uow, enterprise_ids(uow, combined)) == ["کوثر"]


def test_enterprise_rows_keep_the_given_order(store, uow, registry, parks):
    add_case(store, registry["زرین"], "1403-0003")
    add_case(store, registry["زرین"], "1403-0004", status="suspended")
    wanted = [registry["زرین"], "no-such-id", registry["آرین"]]
    rows = enterprise_rows(uow, wanted)
    assert [r.name for r in rows] == ["زرین", "آرین"]
    zarin = rows[0]
    assert (zarin.park_name, zarin.province_name, zarin.city) == (
        "ناحیه صنعتی مورچه‌خورت",
        "اصفهان",
        "شاهین‌شهر",
    )
    assert (zarin.operating_status, zarin.construction_progress, zarin.open_case_count) == (
        "under_construction",
        10,
        2,
    )
    assert zarin.updated_at.tzinfo is not None and zarin.national_id == national_id(2)
    assert enterprise_rows(uow, []) == []


def test_ninety_thousand_ids_are_fine(uow):
    assert enterprise_rows(uow, [f"id-{i}" for i in range(90_000)]) == []  # one parameter, any length


# --------------------------------------------------------------------------- case list


def test_case_list(store, uow, registry, parks):
    reza = add_consultant(store, "رضا نوری")
    a = add_case(store, registry["کوثر"], "1403-0001", consultant_id=reza)
    b = add_case(store, registry["بهار"], "1403-0002", status="closed")
    c = add_case(store, registry["زرین"], "1403-0003", status="diagnosis", consultant_id=reza)
    assert set(case_ids(uow)) == {a, b, c}
    assert case_ids(uow, sort="number", descending=False) == [a, b, c]
    assert case_ids(uow, CaseFilter(status="closed")) == [b]
    assert set(case_ids(uow, CaseFilter(open_only=True))) == {a, c}
    assert case_ids(uow, CaseFilter(consultant_id=reza), sort="number", descending=False) == [a, c]
    assert case_ids(uow, CaseFilter(park_id=parks["morche"].id)) == [c]
    assert case_ids(uow, CaseFilter(text="کوث")) == [a]
    assert case_ids(uow, CaseFilter(text="۱۴۰۳-۰۰۰۲")) == [b]
    assert case_ids(uow, CaseFilter(enterprise_id=registry["زرین"])) == [c]
    assert case_ids(uow, sort="enterprise", descending=False) == [b, c, a]  # بهار، زرین، کوثر
    assert case_ids(uow, sort="status", descending=False) == [a, c, b]  # intake, diagnosis, closed
    rows = case_rows(uow, [c, a])
    assert [r.number for r in rows] == ["1403-0003", "1403-0001"]
    assert (rows[0].enterprise_name, rows[0].park_name, rows[0].consultants) == (
        "زرین",
        "ناحیه صنعتی مورچه‌خورت",
        "رضا نوری",
    )
    assert rows[0].opened_on == date(2024, 6, 1) and rows[1].status == "intake"
    with pytest.raises(ValueError):
        case_ids(uow, sort="colour")
