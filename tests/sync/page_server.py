"""A tiny real HTTP server on loopback that answers the sync endpoints with hand-made pull pages.

The fixed HQ server no longer sends broken pages, but a desktop must survive any page (issue 10): these
tests serve the pages an older or damaged server could send, byte for byte, to the real ``SyncEngine``.
Pushes are answered ``applied`` and recorded, so a test can see that push still works when a pull fails.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from clinic_app.models import new_id

STAMP = "2024-05-01T08:00:00+00:00"


def park_row(seq: int, name: str = "شهرک صنعتی آزمایشی", **values: Any) -> dict[str, Any]:
    row_id = values.pop("id", new_id())
    return {
        "seq": seq,
        "table": "industrial_park",
        "row_id": row_id,
        "values": {
            "id": row_id, "name": name, "kind": "park", "province_id": "IR-10", "city": None,
            "deprived": False, "code": None, "created_at": STAMP, "updated_at": STAMP, "version": 1,
            "origin_device": None, "deleted_at": None, "clinic_id": None, **values,
        },
    }  # fmt: skip


def consultant_row(seq: int, clinic_id: str, name: str = "مریم احمدی", **values: Any) -> dict[str, Any]:
    row_id = values.pop("id", new_id())
    return {
        "seq": seq,
        "table": "consultant",
        "row_id": row_id,
        "values": {
            "id": row_id, "clinic_id": clinic_id, "full_name": name, "national_code": None, "mobile": None,
            "email": None, "affiliation": "imi", "expertise": ["بازاریابی"], "active": True,
            "created_at": STAMP, "updated_at": STAMP, "version": 1, "origin_device": None,
            "deleted_at": None, **values,
        },
    }  # fmt: skip


def row(seq: int, table: str, clinic_id: str | None, **values: Any) -> dict[str, Any]:
    """Any row in wire form: ``values`` plus the bookkeeping columns."""
    row_id = values.pop("id", new_id())
    bookkeeping = {"created_at": STAMP, "updated_at": STAMP, "version": 1, "origin_device": None}
    values = {"id": row_id, "clinic_id": clinic_id, "deleted_at": None, **bookkeeping, **values}
    return {"seq": seq, "table": table, "row_id": row_id, "values": values}


def page_bytes(
    rows: list[Any], next_after: int, *, has_more: bool = False, conflicts: list | None = None
) -> bytes:
    """A pull answer; rows may be dicts (encoded here) or raw bytes put in as they are."""
    parts = [r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode() for r in rows]
    head = {"schema_version": 1, "next_after": next_after, "has_more": has_more, "server_seq": next_after}
    return (
        json.dumps(head)[:-1].encode()
        + b', "rows": ['
        + b", ".join(parts)
        + b'], "conflicts": '
        + json.dumps(conflicts or []).encode()
        + b"}"
    )


class PageServer:
    """``pages[after]`` is the body answered to ``GET /sync/pull?after=...``; pushes are recorded."""

    def __init__(self) -> None:
        self.pages: dict[int, bytes] = {}
        self.pushed: list[dict[str, Any]] = []
        self.blobs: dict[str, bytes] = {}  # sha256 -> content, for GET /sync/blobs/{sha}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args) -> None:  # keep the test output clean
                pass

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/sync/pull":
                    after = int(parse_qs(url.query)["after"][0])
                    body = outer.pages.get(after, page_bytes([], after))
                    self._answer(200, body)
                elif url.path.rsplit("/", 1)[-1] in outer.blobs:
                    self._answer(200, outer.blobs[url.path.rsplit("/", 1)[-1]])
                else:
                    self._answer(404, b'{"code": "blob.missing", "message": "x"}')

            do_HEAD = do_GET

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length))
                if self.path == "/sync/push":
                    outer.pushed.extend(body["changes"])
                    results = [
                        {"change_id": c["change_id"], "status": "applied", "seq": 1} for c in body["changes"]
                    ]
                    answer = {"results": results, "server_time": datetime.now(UTC).isoformat()}
                else:
                    answer = {"accepted": [], "unknown": []}
                self._answer(200, json.dumps(answer).encode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
