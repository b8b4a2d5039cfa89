"""Driver for the crash-safety test: the app's write paths, run until the test kills the process.

    python tests/ops/crash_driver.py --db STORE --info INFO.json --work DIR --seed N [--mode mixed|big-import]
    python tests/ops/crash_driver.py --serve

A run prints ``ready`` once the store is open, then after each commit RETURNS one line that the test reads:

    committed edit <enterprise id> <token>        update_enterprise set notes = token
    committed enterprise <enterprise id>          create_enterprise
    committed import <file key> <rows>            excel.import_enterprises of the file INFO names
    committed consultation <consultation id>      log_consultation
    committed attachment <attachment id> <sha256> add_attachment to that consultation

A line is printed only after the service call returned, so every line names work that was committed; the
test kills the process with SIGKILL at a random moment and checks the store. Work committed but not yet
printed when the kill lands is fine: the test only asks that what was reported is there, and that nothing
is half there.

``--serve`` saves the ~1.5 s of Python start and imports per run, so that a hundred kills fit in the
test's time: this process imports everything once, then for each JSON line on its stdin (the options of
one run) forks a child that does the run. It prints ``child <pid>`` when the child starts; the test kills the
child (never this process), then sends any line, and this process reaps the child and prints ``exit <pid>
<status>``. The child's lines go to the same
stdout (each line is one write shorter than the pipe's atomic size, so lines never mix).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import traceback
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from clinic_app.core.jalali import local_today  # noqa: E402
from clinic_app.models.store import Store  # noqa: E402
from clinic_app.services import attachments, consultations, enterprises, excel  # noqa: E402
from clinic_app.services.uow import UnitOfWork  # noqa: E402
from tests.services.enterprise_helpers import national_id  # noqa: E402


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def edit(store: Store, eid: str, token: str) -> None:
    view = enterprises.get_enterprise(UnitOfWork(store), eid)
    data = dataclasses.replace(enterprises.input_from_view(view), notes=token)
    enterprises.update_enterprise(UnitOfWork(store), eid, data)
    say(f"committed edit {eid} {token}")


def create(store: Store, info: dict, n: int) -> str:
    data = enterprises.EnterpriseInput(
        name=f"واحد تازهٔ آزمون {n}",
        park_id=info["park_id"],
        national_id=national_id(500_000 + n),
        operating_status="active",
        activity="تولید قطعات",
    )
    view = enterprises.create_enterprise(UnitOfWork(store), data)
    say(f"committed enterprise {view.id}")
    return view.id


def consult(store: Store, info: dict, work: Path, rng: random.Random, n: int) -> None:
    held = local_today() - timedelta(days=rng.randrange(0, 30))
    view = consultations.log_consultation(
        UnitOfWork(store),
        consultations.ConsultationInput(
            case_id=info["case_id"],
            held_on=held,
            contact_minutes=rng.randrange(30, 180),
            summary=f"جلسهٔ مشاورهٔ آزمون {n}: بررسی بهای تمام‌شده",
            consultant_ids=[info["consultant_id"]],
        ),
    )
    say(f"committed consultation {view.id}")
    for k in range(2):
        source = work / f"att-{os.getpid()}-{n}-{k}.bin"
        source.write_bytes(rng.randbytes(rng.randrange(2_000, 200_000)))
        att = attachments.add_attachment(
            UnitOfWork(store), info["case_id"], source, note="پیوست جلسه", entity=("consultation", view.id)
        )
        say(f"committed attachment {att.id} {att.sha256}")


def import_file(store: Store, info: dict, key: str) -> None:
    path, rows = info["imports"][key]["path"], info["imports"][key]["rows"]
    report = excel.import_enterprises(UnitOfWork(store), path, park_id=info["park_id"])
    if not report.committed or report.imported != rows:
        raise SystemExit(f"import {key} was refused: {report.message}")
    say(f"committed import {key} {rows}")


def mixed(store: Store, info: dict, work: Path, rng: random.Random, ops: int) -> None:
    known = list(info["enterprises"])
    pending_imports = [k for k in info["imports"] if k != "big"]
    for n in range(ops):
        roll = rng.random()
        if roll < 0.12 and pending_imports:
            import_file(store, info, pending_imports.pop(0))
        elif roll < 0.35:
            known.append(create(store, info, n))
        elif roll < 0.6:
            consult(store, info, work, rng, n)
        else:
            edit(store, rng.choice(known), f"edit-{n}")


def run(db: Path, info_path: Path, work: Path, seed: int, ops: int, mode: str) -> None:
    info = json.loads(info_path.read_text(encoding="utf-8"))
    store = Store.open(db)
    store.device_id  # noqa: B018 - read before "ready", so the first write is a service's
    say("ready")
    if mode == "big-import":
        import_file(store, info, "big")
    else:
        mixed(store, info, work, random.Random(seed), ops)
    store.close()
    say("done")


def serve() -> None:
    from clinic_app.models import migrate

    migrate.head_revision()  # read the migration scripts once, here, not in every child
    for line in sys.stdin:
        options = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: one run, then out without running the parent's clean-up
            code = 1
            try:
                run(Path(options["db"]), Path(options["info"]), Path(options["work"]), options["seed"],
                    options.get("ops", 200), options.get("mode", "mixed"))  # fmt: skip
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        say(f"child {pid}")
        # Reaped only when the test says so: until then the child's pid cannot be given to another
        # process, so the test's SIGKILL can only ever reach this child, running or already finished.
        sys.stdin.readline()
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {status}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--info", type=Path)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--mode", choices=("mixed", "big-import"), default="mixed")
    args = parser.parse_args()
    if args.serve:
        serve()
    else:
        run(args.db, args.info, args.work, args.seed, args.ops, args.mode)


if __name__ == "__main__":
    main()
