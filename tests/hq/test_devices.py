"""Devices and HQ users administered at HQ: no takeover of an enrolled device without a code made for it,
the CLI's lists and switches, what HQ records of each device's use, and the audit table behind it all."""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_app.models import new_id
from clinic_hq import admin, schema
from clinic_hq.audit import Actor
from clinic_hq.cli import main as hq_cli
from clinic_hq.config import Settings

from .harness import Hq, ServerThread, hq_database

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def hq(tmp_path_factory):
    """This module's server without the abuse limits: its tests make many refused enrolments on purpose
    from one address, which the limits (tests/hq/test_limits.py) would rightly answer with 429."""
    blob_dir = tmp_path_factory.mktemp("blobs")
    with hq_database() as (url, engine):
        settings = Settings(
            database_url=url,
            blob_dir=str(blob_dir),
            enrol_failures_per_address=0,
            enrol_failures_per_device=0,
            auth_failures_per_address=0,
            auth_failures_per_device=0,
        )
        server = ServerThread(settings, engine).start()
        try:
            yield Hq(server.url, url, engine, blob_dir)
        finally:
            server.stop()


@pytest.fixture(scope="module")
def clinic(hq):
    return hq.clinic("کلینیک دستگاه‌ها", parks=[hq.park()])


def enrol(hq, code: str, device_id: str, **extra) -> httpx.Response:
    body = {"schema_version": 1, "code": code, "device_id": device_id, **extra}
    return httpx.post(f"{hq.url}/sync/enrol", json=body)


def pull(hq, token: str, **headers) -> httpx.Response:
    return httpx.get(
        f"{hq.url}/sync/pull",
        params={"schema_version": 1},
        headers={"authorization": f"Bearer {token}", **headers},
    )


def audit_rows(hq, **where) -> list[dict]:
    a = schema.audit
    stmt = select(a).order_by(a.c.id)
    for key, value in where.items():
        stmt = stmt.where(a.c[key] == value)
    with hq.engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def device_code(hq, clinic: str, device_id: str) -> str:
    with hq.engine.begin() as conn:
        return admin.make_enrolment_code(conn, clinic, device_id=device_id, actor=Actor("cli", "ali"))


def test_a_code_of_the_clinic_does_not_take_over_an_enrolled_device(hq, clinic):
    device_id, token = hq.enrol(clinic)
    code = hq.code(clinic)
    taken = enrol(hq, code, device_id, device_name="رایانهٔ مهاجم")
    assert taken.status_code == 403 and taken.json()["code"] == "enrol.device_exists"
    assert device_id in taken.json()["message"]  # the person reads it to HQ, who makes a code for it
    assert pull(hq, token).status_code == 200  # the real device keeps syncing
    # The refusal changed nothing: the code still enrols a new device.
    assert enrol(hq, code, new_id()).status_code == 200


def test_a_revoked_device_is_not_revived_by_a_code_of_the_clinic(hq, clinic):
    device_id, token = hq.enrol(clinic)
    with hq.engine.begin() as conn:
        assert admin.revoke_device(conn, device_id)
    assert enrol(hq, hq.code(clinic), device_id).json()["code"] == "enrol.device_exists"
    assert pull(hq, token).json()["code"] == "auth.revoked"


def test_a_code_made_for_the_device_takes_it_over_and_the_old_token_is_told_why(hq, clinic):
    device_id, old = hq.enrol(clinic)
    code = device_code(hq, clinic, device_id)
    other = enrol(hq, code, new_id())
    assert other.status_code == 403 and other.json()["code"] == "enrol.code_for_other_device"
    new = enrol(hq, code, device_id, device_name="رایانهٔ تازه")
    assert new.status_code == 200
    cut = pull(hq, old)
    assert cut.status_code == 401 and cut.json()["code"] == "auth.replaced"
    assert "ستاد" in cut.json()["message"]
    assert pull(hq, new.json()["token"]).status_code == 200
    made, took = audit_rows(hq, target=device_id)[-2:]
    assert (made["action"], made["actor_kind"], made["actor"]) == ("device.takeover_code", "cli", "ali")
    assert (took["action"], took["actor_kind"], took["actor"]) == ("device.takeover", "device", device_id)
    assert took["detail"]["code_by"] == "cli:ali" and took["client"] == "127.0.0.1"
    assert took["clinic_id"] == clinic


def test_a_code_for_a_device_is_made_only_for_a_device_of_that_clinic(hq, clinic):
    stranger, _ = hq.enrol(hq.clinic("کلینیک دیگر"))
    for device_id in (stranger, new_id()):
        with pytest.raises(admin.AdminError) as err, hq.engine.begin() as conn:
            admin.make_enrolment_code(conn, clinic, device_id=device_id)
        assert err.value.code == "device.not_found"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(["clinic_code", "device_code", "revoke"]), min_size=1, max_size=5))
def test_an_enrolled_device_changes_hands_only_by_a_code_made_for_it(hq, clinic, steps):
    device_id, token = hq.enrol(clinic)
    holders = [token]  # tokens this device id has had, the newest last
    revoked = False
    for step in steps:
        if step == "revoke":
            with hq.engine.begin() as conn:
                revoked = admin.revoke_device(conn, device_id) or revoked
            continue
        code = hq.code(clinic) if step == "clinic_code" else device_code(hq, clinic, device_id)
        resp = enrol(hq, code, device_id)
        if step == "clinic_code":
            assert resp.status_code == 403
        else:
            assert resp.status_code == 200
            holders.append(resp.json()["token"])
            revoked = False
    assert pull(hq, holders[-1]).status_code == (401 if revoked else 200)
    for old in holders[:-1]:
        assert pull(hq, old).json()["code"] == "auth.replaced"


def test_device_list_shows_last_push_and_pull_versions_and_revocation(hq, clinic, capsys):
    device_id, token = hq.enrol(clinic)
    quiet, _ = hq.enrol(clinic)
    base = ["device", "list", "--database-url", hq.db_url, "--clinic", clinic, "--json"]
    assert hq_cli(base) == 0
    before = {d["device_id"]: d for d in json.loads(capsys.readouterr().out)}
    assert before[device_id]["last_pull_at"] is None and before[device_id]["app_version"] is None
    assert pull(hq, token, **{"X-Clinic-App-Version": "1.4.2"}).status_code == 200
    push = httpx.post(
        f"{hq.url}/sync/push",
        json={"schema_version": 1, "device_id": device_id, "changes": []},
        headers={"authorization": f"Bearer {token}", "X-Clinic-App-Version": "1.4.2"},
    )
    assert push.status_code == 200
    with hq.engine.begin() as conn:
        admin.revoke_device(conn, quiet)
    assert hq_cli(base) == 0
    after = {d["device_id"]: d for d in json.loads(capsys.readouterr().out)}
    seen = after[device_id]
    assert seen["last_pull_at"] and seen["last_push_at"] and seen["revoked_at"] is None
    assert (seen["app_version"], seen["schema_version"], seen["clinic_name"]) == (
        "1.4.2",
        1,
        "کلینیک دستگاه‌ها",
    )
    assert after[quiet]["revoked_at"] and after[quiet]["last_push_at"] is None
    # The table form: a header and one line per device.
    assert hq_cli(base[:-1]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:2] == ["device_id", "clinic_id"] and len(lines) == len(after) + 1


@pytest.mark.parametrize("version", ["", "x" * 41, "1.0 <script>", "نسخه"])
def test_a_version_header_that_is_not_a_version_is_not_stored(hq, clinic, version):
    device_id, token = hq.enrol(clinic)
    assert pull(hq, token, **{"X-Clinic-App-Version": version.encode()}).status_code == 200
    with hq.engine.connect() as conn:
        row = conn.execute(select(schema.device).where(schema.device.c.id == device_id)).first()
    assert row.last_pull_at is not None and row.app_version is None


def test_user_list_disable_enable_and_rotate_token(hq, capsys):
    def national(token: str) -> int:
        return httpx.get(
            f"{hq.url}/national/summary", headers={"authorization": f"Bearer {token}"}
        ).status_code

    db = ["--database-url", hq.db_url]
    assert hq_cli(["user", "add", *db, "--username", "sara", "--display-name", "سارا"]) == 0
    token = capsys.readouterr().out.strip()
    assert national(token) == 200
    assert hq_cli(["user", "disable", *db, "--username", "sara"]) == 0
    assert national(token) == 401
    assert hq_cli(["user", "rotate-token", *db, "--username", "sara"]) == 2  # enable it first
    assert "غیرفعال" in capsys.readouterr().err
    assert hq_cli(["user", "list", *db, "--json"]) == 0
    (sara,) = [u for u in json.loads(capsys.readouterr().out) if u["username"] == "sara"]
    assert sara["disabled_at"] and sara["display_name"] == "سارا"
    assert hq_cli(["user", "enable", *db, "--username", "sara"]) == 0
    assert capsys.readouterr().out.strip() == "enabled" and national(token) == 200
    assert hq_cli(["user", "rotate-token", *db, "--username", "sara"]) == 0
    rotated = capsys.readouterr().out.strip()
    assert rotated.startswith("hqu_") and national(token) == 401 and national(rotated) == 200
    assert hq_cli(["user", "disable", *db, "--username", "nobody"]) == 2
    actions = [r["action"] for r in audit_rows(hq, target="sara")]
    assert actions == ["user.add", "user.disable", "user.enable", "user.rotate_token"]


def test_every_admin_act_is_audited_without_secrets(hq, capsys):
    db = ["--database-url", hq.db_url]
    start = max([r["id"] for r in audit_rows(hq)] or [0])
    assert hq_cli(["park", "add", *db, "--name", "شهرک ممیزی", "--province", "IR-10"]) == 0
    park = capsys.readouterr().out.strip()
    assert hq_cli(["clinic", "add", *db, "--name", "کلینیک ممیزی", "--mou-party", "imi", "--park", park]) == 0
    clinic = capsys.readouterr().out.strip()
    assert hq_cli(["device", "enrol-code", *db, "--clinic", clinic]) == 0
    code = capsys.readouterr().out.strip()
    device_id = new_id()
    token = enrol(hq, code, device_id, device_name="میز پذیرش").json()["token"]
    assert hq_cli(["device", "enrol-code", *db, "--clinic", clinic, "--device", device_id]) == 0
    second = capsys.readouterr().out.strip()
    assert hq_cli(["device", "revoke", *db, "--device", device_id]) == 0
    assert hq_cli(["db", "restored", *db, "--dump-time", "2025-03-21T02:30:00Z"]) == 0
    capsys.readouterr()
    rows = [r for r in audit_rows(hq) if r["id"] > start]
    assert [(r["action"], r["actor_kind"]) for r in rows] == [
        ("park.add", "cli"),
        ("clinic.add", "cli"),
        ("device.enrol_code", "cli"),
        ("device.enrol", "device"),
        ("device.takeover_code", "cli"),
        ("device.revoke", "cli"),
        ("db.restored", "cli"),
    ]
    assert [r["clinic_id"] for r in rows[1:6]] == [clinic] * 5
    text = json.dumps([{k: str(v) for k, v in r.items()} for r in rows], ensure_ascii=False)
    for secret in (code, code.replace("-", ""), second, second.replace("-", ""), token):
        assert secret not in text
