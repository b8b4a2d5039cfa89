"""Fault tools for the sync tests: a TCP proxy that cuts connections, and the exactly-once check.

``CuttingProxy(upstream_port, plan)``: each accepted connection takes the next rule of ``plan`` (then
passes everything): ``("up", n)`` closes both sides after n bytes from the client (a request cut short),
``("down", n)`` after n bytes from the server (an answer cut short, after the server did the work).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import deque

from sqlalchemy import func, select

from clinic_app.models import ChangeLog, synced_tables
from clinic_hq import schema
from clinic_hq.rules import to_wire


class CuttingProxy:
    def __init__(self, upstream_port: int, plan: list[tuple[str, int]] | None = None) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.plan: deque[tuple[str, int]] = deque(plan or [])
        self.cuts = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CuttingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop = True
        self._sock.close()

    def add(self, *rules: tuple[str, int]) -> None:
        with self._lock:
            self.plan.extend(rules)

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                rule = self.plan.popleft() if self.plan else None
                self.connections += 1
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            state = {"closed": False}
            up_limit = rule[1] if rule and rule[0] == "up" else None
            down_limit = rule[1] if rule and rule[0] == "down" else None
            threading.Thread(target=self._pump, args=(client, server, up_limit, state), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, down_limit, state), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, limit: int | None, state: dict) -> None:
        sent = 0
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if limit is not None and sent + len(data) >= limit:
                    dst.sendall(data[: max(0, limit - sent)])
                    with self._lock:
                        self.cuts += 1
                    break
                dst.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            if not state["closed"]:
                state["closed"] = True
                for s in (src, dst):
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
                    s.close()


def assert_exactly_once_and_converged(hq, *stores) -> None:
    """Every change each store committed is in the HQ journal once, and every store equals HQ."""
    j = schema.journal
    for store in stores:
        with store.session_factory() as s:
            local = s.execute(select(ChangeLog.change_id, ChangeLog.pushed_at, ChangeLog.push_result)).all()
        assert all(pushed is not None for _, pushed, _ in local), "unsent changes left"
        accepted = [cid for cid, _, result in local if result != "refused"]
        with hq.engine.connect() as conn:
            counts = dict(
                conn.execute(
                    select(j.c.change_id, func.count())
                    .where(j.c.change_id.in_(accepted))
                    .group_by(j.c.change_id)
                ).all()
            )
            from_device = conn.scalar(select(func.count()).where(j.c.device_id == store.device_id))
        assert set(counts) == set(accepted) and set(counts.values()) <= {1}
        if from_device != len(accepted):  # nothing may arrive that the store did not commit
            with hq.engine.connect() as conn:
                extra = conn.execute(
                    select(j.c.change_id, j.c.table_name, j.c.op, j.c.result, j.c.row_id, j.c.at).where(
                        j.c.device_id == store.device_id, j.c.change_id.not_in(accepted)
                    )
                ).all()
            local_by_id = {cid: result for cid, _, result in local}
            raise AssertionError(
                f"{from_device} changes from the device at HQ, {len(accepted)} accepted locally; extra: "
                + "; ".join(f"{e} local={local_by_id.get(e.change_id, 'absent')}" for e in extra)
            )
    clinic_id = stores[0].clinic_id
    for table, model in synced_tables().items():
        t = schema.SYNCED[table]
        with hq.engine.connect() as conn:
            server = {
                r["id"]: {k: to_wire(v) for k, v in r.items()}
                for r in conn.execute(select(t).where(t.c.clinic_id == clinic_id)).mappings()
            }
        for store in stores:
            with store.session_factory() as s:
                cols = [c.key for c in model.__mapper__.column_attrs]
                local = {
                    o.id: {c: to_wire(getattr(o, c)) for c in cols}
                    for o in s.scalars(select(model).where(model.clinic_id == clinic_id))
                }
            assert local == server, f"{table} differs between a desktop and HQ"
