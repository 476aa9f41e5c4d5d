"""The stub's HTTP server: PxWebApi v2 endpoints, rate and cell limits, faults, admin endpoints.

``StubServer`` runs a ``ThreadingHTTPServer`` in a background thread and is also the Python
handle tests use to configure it (see README.md in this folder).
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
import time
import zlib
from collections import deque
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.ssb_stub.query import (
    Output,
    QueryError,
    build_dataset,
    cell_count,
    metadata_skeleton,
    parse_get,
    parse_post,
    plan_outputs,
)
from tests.ssb_stub.tables import (
    CODELISTS_DIR,
    TABLES_DIR,
    StubCodelist,
    StubTable,
    load_codelists,
    load_tables,
)

BASE_PATH = "/api/pxwebapi/v2"
FAULT_KINDS = ("500", "502", "503", "504", "429", "slow", "truncate", "invalid_json", "bad_sizes", "drop")
# Hostile answers (tests/ssb_stub/README.md): they parse, or look as if they would, but must never
# replace good data or hang a refresh. Kept apart so the ordinary fault tests need not know them.
HOSTILE_KINDS = (
    "wrong_dims",  # data: every dimension id renamed (the definition's variables are not there)
    "no_year",  # data: time codes without a year ("periode0", ...)
    "overflow",  # data: a value of 1e999 (infinite once read)
    "huge_number",  # data: a value of 400 digits
    "duplicate_codes",  # data: the time dimension's category index names one code twice
    "gzip_bomb",  # a small gzip body that inflates to 256 MiB
    "redirect",  # 302 to another host
    "stall",  # sends half the body, then waits `delay` seconds before the rest
    "no_extensions",  # data: no dimension extensions (optional in JSON-stat): a good answer, read right
)
ALL_FAULT_KINDS = FAULT_KINDS + HOSTILE_KINDS
BOMB_BYTES = 256 * 1024 * 1024
_BOMB: list[bytes] = []  # the gzip bomb, made once per process
ENDPOINT_KINDS = ("config", "tables", "table_info", "metadata", "data", "codelist")


@dataclass
class Fault:
    table: str  # a table id or "*"
    kind: str
    times: int | None = None  # None: until cleared
    endpoint: str | None = None  # None: every endpoint of the table
    retry_after: float | None = 1  # seconds, for 429 (and 503 when set)
    delay: float = 3.0  # seconds, for "slow"


@dataclass(frozen=True)
class RequestRecord:
    kind: str
    method: str
    path: str
    table: str | None
    status: int
    time: float
    user_agent: str = ""


class StubServer:
    """A PxWebApi v2 stand-in on ``host:port`` (port 0 picks a free one); also the test handle."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tables_dir: Path = TABLES_DIR,
        codelists_dir: Path = CODELISTS_DIR,
        tables: dict[str, StubTable] | None = None,
        codelists: dict[str, StubCodelist] | None = None,
        max_cells: int = 800_000,
        cell_limit_status: int = 400,
        max_calls: int = 30,
        time_window: float = 60,
        slow_seconds: float = 3.0,
    ) -> None:
        self.tables = tables if tables is not None else load_tables(tables_dir)
        self.codelists = codelists if codelists is not None else load_codelists(codelists_dir)
        for table in self.tables.values():
            for var in table.variables:
                missing = [cl for cl in var.codelists if cl not in self.codelists]
                if missing:
                    raise ValueError(
                        f"table {table.id}: variable {var.code} names unknown codelist(s) {missing}; "
                        f"add them to {codelists_dir}"
                    )
        self.max_cells = max_cells
        self.cell_limit_status = cell_limit_status
        self.max_calls = max_calls
        self.time_window = time_window
        self.slow_seconds = slow_seconds
        self.faults: list[Fault] = []
        self.config_overrides: dict[str, Any] = {}  # /config fields answered instead (set_config)
        self.requests: list[RequestRecord] = []
        self._calls: deque[float] = deque()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.stub = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    @property
    def root(self) -> str:
        host, port = self.httpd.server_address[:2]
        if not isinstance(host, str):  # typeshed allows bytes; an AF_INET server has a str host
            host = host.decode()
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        """The API base URL, as SSB_API_URL expects it."""
        return self.root + BASE_PATH

    def start(self) -> StubServer:
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="ssb-stub", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- configuration (tests call these; the admin endpoints too) -----------------------------

    def set_rate_limit(self, max_calls: int, window: float) -> None:
        with self.lock:
            self.max_calls, self.time_window = max_calls, window
            self._calls.clear()

    def set_cell_limit(self, max_cells: int, status: int = 400) -> None:
        if status not in (400, 403):
            raise ValueError("the cell limit answers 400 (SSB today) or 403 (the spec)")
        with self.lock:
            self.max_cells, self.cell_limit_status = max_cells, status

    def add_fault(
        self,
        table: str,
        kind: str,
        *,
        times: int | None = None,
        endpoint: str | None = None,
        retry_after: float | None = 1,
        delay: float | None = None,
    ) -> None:
        """Make requests for ``table`` (or ``*``) fail as ``kind`` (see FAULT_KINDS)."""
        if kind not in ALL_FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(ALL_FAULT_KINDS)}")
        if endpoint is not None and endpoint not in ENDPOINT_KINDS:
            raise ValueError(f"unknown endpoint kind {endpoint!r}; one of {', '.join(ENDPOINT_KINDS)}")
        with self.lock:
            self.faults.append(
                Fault(
                    table, kind, times, endpoint, retry_after, self.slow_seconds if delay is None else delay
                )
            )

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def set_config(self, **fields: Any) -> None:
        """Answer these ``/config`` fields instead of the configured ones (e.g. ``timeWindow=nan``);
        the limits the stub enforces stay as they are. No arguments: back to the real values."""
        with self.lock:
            self.config_overrides = dict(fields)

    def touch(self, table_id: str, updated: str | datetime | None = None) -> datetime:
        """Set a table's ``updated`` (default: now), as if SSB had published new figures."""
        if isinstance(updated, str):
            updated = datetime.fromisoformat(updated.replace("Z", "+00:00"))
        when = (updated or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        with self.lock:
            if table_id not in self.tables:
                raise KeyError(f"no stub table {table_id}")
            self.tables[table_id].updated = when
        return when

    def counts(self) -> dict[str, int]:
        """Requests by kind (admin requests excluded), plus data_get/data_post and rate_limited."""
        with self.lock:
            records = list(self.requests)
        counts = {kind: 0 for kind in ENDPOINT_KINDS}
        counts.update(data_get=0, data_post=0, rate_limited=0, errors=0)
        for rec in records:
            counts[rec.kind] = counts.get(rec.kind, 0) + 1
            if rec.kind == "data":
                counts["data_post" if rec.method == "POST" else "data_get"] += 1
            if rec.status == 429:
                counts["rate_limited"] += 1
            if rec.status >= 400:
                counts["errors"] += 1
        return counts

    def reset_counts(self) -> None:
        with self.lock:
            self.requests.clear()

    def reset(self) -> None:
        """Forget requests and faults; rate limit off (1000/s), SSB's cell limit."""
        with self.lock:
            self.requests.clear()
            self.faults.clear()
            self.config_overrides = {}
            self._calls.clear()
            self.max_calls, self.time_window = 1000, 1
            self.max_cells, self.cell_limit_status = 800_000, 400

    # --- used by the handler ----------------------------------------------------------------------

    def take_fault(self, table: str | None, kind: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.table not in ("*", table) or (fault.endpoint and fault.endpoint != kind):
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    def admit(self) -> float | None:
        """Record a call in the sliding window; the seconds to wait if it is over the limit."""
        with self.lock:
            now = time.monotonic()
            while self._calls and now - self._calls[0] >= self.time_window:
                self._calls.popleft()
            if len(self._calls) >= self.max_calls:
                return self._calls[0] + self.time_window - now
            self._calls.append(now)
            return None

    def record(
        self, kind: str, method: str, path: str, table: str | None, status: int, agent: str = ""
    ) -> None:
        with self.lock:
            self.requests.append(RequestRecord(kind, method, path, table, status, time.time(), agent))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ssb-stub/1"
    # Set per request by _dispatch (declared here so _record, defined first, knows their types).
    _route: tuple[str, str | None, str] | None
    _recorded: bool

    @property
    def stub(self) -> StubServer:
        return self.server.stub  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: Any) -> None:
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    # --- plumbing -------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: Any, *, content_type: str = "application/json", headers=None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self._record(status)
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _problem(self, status: int, title: str, detail: str, headers=None) -> None:
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        self._send(status, body, content_type="application/problem+json", headers=headers)

    def _record(self, status: int) -> None:
        """Log the request once, before answering, so a test that got the answer sees the record."""
        if self._route is not None and not self._recorded:
            self._recorded = True
            kind, table_id, path = self._route
            self.stub.record(kind, self.command, path, table_id, status, self.headers.get("User-Agent", ""))

    def _dispatch(self, method: str) -> None:
        self._route = None
        self._recorded = False
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        path = parts.path.rstrip("/")
        body = self._read_body() if method == "POST" else b""
        if path.startswith("/__admin"):
            self._admin(method, path, body)
            return
        if not path.startswith(BASE_PATH):
            self._problem(404, "Not Found", f"Unknown path {path}; the API lives under {BASE_PATH}")
            return
        kind, table_id, rest = _route(path[len(BASE_PATH) :])
        self._route = (kind, table_id, path)
        try:
            self._serve(method, kind, table_id, rest, params, body)
        finally:
            self._record(599)  # no answer was sent (a dropped connection)

    def _serve(self, method, kind, table_id, rest, params, body) -> None:
        stub = self.stub
        if kind == "unknown" or (method == "POST" and kind != "data"):
            self._problem(404, "Not Found", f"No endpoint {method} {self.path}")
            return
        wait = stub.admit()
        if wait is not None:
            self._too_many(wait)
            return
        fault = stub.take_fault(table_id, kind)
        if fault and self._fault(fault):
            return
        lang = (params.get("lang") or ["no"])[-1]
        try:
            if kind == "config":
                self._send(200, _config(stub))
            elif kind == "tables":
                self._send(200, _tables(stub, params, lang))
            elif kind == "codelist":
                self._codelist(rest, lang)
            else:
                table = stub.tables.get(table_id or "")
                if table is None:
                    self._problem(404, "Not Found", f"Node with id, {table_id} can not be found")
                elif kind == "table_info":
                    self._send(200, _table_info(stub, table, lang))
                elif kind == "metadata":
                    self._send(200, _metadata(stub, table, lang))
                else:
                    self._data(table, method, params, body, lang, fault)
        except QueryError as exc:
            self._problem(exc.status, exc.title, exc.detail)

    def _too_many(self, wait: float) -> None:
        seconds = max(1, math.ceil(wait))
        self._problem(
            429,
            "Too many requests",
            f"You have reached the threshold for request limiting: {self.stub.max_calls} requests "
            f"per {self.stub.time_window:g} seconds.",
            headers={"Retry-After": str(seconds)},
        )

    def _fault(self, fault: Fault) -> bool:
        """Act out a fault; True when the request is finished."""
        kind = fault.kind
        if kind == "slow":
            time.sleep(fault.delay)
            return False
        if kind in (
            "bad_sizes",
            "wrong_dims",
            "no_year",
            "overflow",
            "huge_number",
            "duplicate_codes",
            "no_extensions",
        ):
            return False  # handled when the dataset is built
        if kind == "gzip_bomb":
            data = _gzip_bomb()
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return True
        if kind == "redirect":
            self._send(302, {}, headers={"Location": f"http://ssb.example.invalid{self.path}"})
            return True
        if kind == "stall":
            data = json.dumps({"class": "dataset", "value": list(range(2000))}).encode()
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            time.sleep(fault.delay)
            with contextlib.suppress(OSError):  # the client gave up
                self.wfile.write(data[len(data) // 2 :])
            return True
        if kind == "drop":
            self.close_connection = True
            return True
        if kind == "truncate":
            data = json.dumps({"class": "dataset", "value": list(range(2000))}).encode()
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return True
        if kind == "invalid_json":
            self._send(200, b'{"class": "dataset", "value": [1, 2,')
            return True
        headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else None
        if kind == "429":
            self._problem(429, "Too many requests", "Injected rate limit (stub fault).", headers=headers)
        elif kind == "503":
            self._problem(503, "Service Unavailable", "Injected outage (stub fault).", headers=headers)
        else:
            self._problem(int(kind), "Server Error", f"Injected {kind} (stub fault).")
        return True

    def _codelist(self, codelist_id: str | None, lang: str) -> None:
        codelist = self.stub.codelists.get(codelist_id or "")
        if codelist is None:
            self._problem(404, "Not Found", f"Codelist with id, {codelist_id} can not be found")
            return
        href = f"{self.stub.url}/codeLists/{codelist.id}"
        self._send(
            200,
            {
                "id": codelist.id,
                "label": codelist.label,
                "language": lang,
                "languages": ["no", "en"],
                "elimination": codelist.elimination,
                "type": codelist.type,
                "values": [
                    {"code": v.code, "label": v.label, "valueMap": list(v.map)} for v in codelist.values
                ],
                "links": [
                    {"rel": "self", "hreflang": lang, "href": f"{href}?lang={lang}"},
                ],
            },
        )

    def _data(self, table: StubTable, method, params, body, lang, fault: Fault | None) -> None:
        fmt = (params.get("outputFormat") or params.get("outputformat") or ["json-stat2"])[-1]
        if fmt.lower() != "json-stat2":
            raise QueryError(f"The stub serves only outputFormat=json-stat2, not {fmt}")
        if method == "POST":
            try:
                payload = json.loads(body or b"{}")
            except json.JSONDecodeError as exc:
                raise QueryError(f"The body is not valid JSON: {exc}") from exc
            selection = parse_post(payload)
        else:
            selection = parse_get(params)
        outputs, eliminated = plan_outputs(table, selection, self.stub.codelists)
        cells = cell_count(outputs)
        if cells > self.stub.max_cells:
            if self.stub.cell_limit_status == 403:
                self._problem(
                    403,
                    "Forbidden",
                    f"The query resulted in {cells} cells, which exceeds the {self.stub.max_cells} allowed.",
                )
            else:
                self._problem(
                    400,
                    "Too many cells selected",
                    f"The query selects {cells} cells; at most {self.stub.max_cells} are allowed.",
                )
            return
        doc = build_dataset(table, outputs, eliminated, lang=lang, base_url=self.stub.url)
        if fault and fault.kind == "bad_sizes":
            doc["value"] = doc["value"][:-1]  # sizes no longer multiply to the number of values
        if fault and fault.kind in HOSTILE_KINDS:
            self._send(200, _hostile(doc, fault.kind))
            return
        self._send(200, doc)

    # --- admin -------------------------------------------------------------------------------------------

    def _admin(self, method: str, path: str, body: bytes) -> None:
        stub = self.stub
        try:
            args = json.loads(body) if body else {}
            action = path.removeprefix("/__admin").strip("/")
            if method == "GET" and action == "counts":
                self._send(200, stub.counts())
            elif method == "GET" and action == "requests":
                self._send(200, [asdict(r) for r in stub.requests])
            elif method == "POST" and action == "reset":
                stub.reset()
                self._send(200, {"ok": True})
            elif method == "POST" and action == "faults":
                table, kind = args.pop("table"), args.pop("kind")
                stub.add_fault(table, kind, **args)
                self._send(200, {"ok": True})
            elif method == "POST" and action == "faults/clear":
                stub.clear_faults()
                self._send(200, {"ok": True})
            elif method == "POST" and action == "rate_limit":
                stub.set_rate_limit(int(args["max_calls"]), float(args["window"]))
                self._send(200, {"ok": True})
            elif method == "POST" and action == "cell_limit":
                stub.set_cell_limit(int(args["max_cells"]), int(args.get("status", 400)))
                self._send(200, {"ok": True})
            elif method == "POST" and action == "config":
                stub.set_config(**args)
                self._send(200, {"ok": True})
            elif method == "POST" and action == "touch":
                when = stub.touch(args["table"], args.get("updated"))
                self._send(200, {"ok": True, "updated": when.strftime("%Y-%m-%dT%H:%M:%SZ")})
            else:
                self._problem(404, "Not Found", f"No admin action {method} {path}")
        except (KeyError, TypeError, ValueError) as exc:
            self._problem(400, "Bad Request", f"admin {path}: {exc!r}")


def _route(path: str) -> tuple[str, str | None, str | None]:
    """(endpoint kind, table id, extra) for a path below the base path."""
    segments = [s for s in path.split("/") if s]
    if segments == ["config"]:
        return "config", None, None
    if segments == ["tables"]:
        return "tables", None, None
    if len(segments) == 2 and segments[0] == "tables":
        return "table_info", segments[1], None
    if len(segments) == 3 and segments[0] == "tables" and segments[2] in ("metadata", "data"):
        return segments[2], segments[1], None
    if len(segments) == 2 and segments[0].lower() == "codelists":
        return "codelist", None, segments[1]
    return "unknown", None, None


def _hostile(doc: dict[str, Any], kind: str) -> bytes:
    """The dataset spoilt as ``kind`` says (see HOSTILE_KINDS), as the bytes to send."""
    time_dim = (doc.get("role", {}).get("time") or [doc["id"][-1]])[0]
    if kind == "wrong_dims":
        rename = {d: f"{d}X" for d in doc["id"]}
        doc["id"] = [rename[d] for d in doc["id"]]
        doc["dimension"] = {rename[d]: v for d, v in doc["dimension"].items()}
        doc["role"] = {r: [rename.get(d, d) for d in ds] for r, ds in doc.get("role", {}).items()}
    elif kind == "no_year":
        category = doc["dimension"][time_dim]["category"]
        codes = list(category["index"])
        category["index"] = {f"periode{i}": i for i in range(len(codes))}
        category["label"] = {f"periode{i}": f"periode {i}" for i in range(len(codes))}
    elif kind == "duplicate_codes":
        category = doc["dimension"][time_dim]["category"]
        codes = list(category["index"])
        if len(codes) > 1:
            codes[1] = codes[0]
        category["index"] = codes  # the list form, where a code can repeat
    elif kind == "no_extensions":
        for body in doc["dimension"].values():
            body.pop("extension", None)
    elif kind in ("overflow", "huge_number"):
        doc["value"] = ["__HOSTILE__" if i == 0 else v for i, v in enumerate(doc["value"])]
        raw = json.dumps(doc, ensure_ascii=False)
        number = "1e999" if kind == "overflow" else "9" * 400
        return raw.replace('"__HOSTILE__"', number, 1).encode()
    return json.dumps(doc, ensure_ascii=False).encode()


def _gzip_bomb() -> bytes:
    """A gzip body of a few hundred kB that inflates to BOMB_BYTES of a JSON document."""
    if not _BOMB:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
        parts = [packer.compress(b'{"class": "dataset", "label": "')]
        block = b" " * (1024 * 1024)
        parts += [packer.compress(block) for _ in range(BOMB_BYTES // len(block))]
        parts += [packer.compress(b'"}'), packer.flush()]
        _BOMB.append(b"".join(parts))
    return _BOMB[0]


def _config(stub: StubServer) -> dict[str, Any]:
    return {
        "apiVersion": "2.0.0",
        "appVersion": "ssb-stub",
        "languages": [{"id": "no", "label": "Norsk"}, {"id": "en", "label": "English"}],
        "defaultLanguage": "no",
        "maxDataCells": stub.max_cells,
        "maxCallsPerTimeWindow": stub.max_calls,
        # The spec says integer seconds; keep fractions so tests can use short windows.
        "timeWindow": int(stub.time_window) if float(stub.time_window).is_integer() else stub.time_window,
        "license": "https://creativecommons.org/licenses/by/4.0/deed.no",
        "sourceReferences": [{"language": "no", "text": "Kilde: Statistisk sentralbyrå (stub)"}],
        "defaultDataFormat": "px",
        "dataFormats": ["json-stat2"],
        "features": [],
        **stub.config_overrides,
    }


def _links(stub: StubServer, table: StubTable, lang: str) -> list[dict[str, str]]:
    base = f"{stub.url}/tables/{table.id}"
    return [
        {"rel": "self", "hreflang": lang, "href": f"{base}?lang={lang}"},
        {"rel": "metadata", "hreflang": lang, "href": f"{base}/metadata?lang={lang}"},
        {"rel": "data", "hreflang": lang, "href": f"{base}/data?lang={lang}&outputFormat=json-stat2"},
    ]


def _table_item(stub: StubServer, table: StubTable, lang: str) -> dict[str, Any]:
    return {
        "id": table.id,
        "label": table.label_en if lang == "en" and table.label_en else table.label,
        "description": "",
        "updated": table.updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "firstPeriod": table.first_period,
        "lastPeriod": table.last_period,
        "category": "public",
        "variableNames": [v.label for v in table.variables],
        "discontinued": table.discontinued,
        "source": table.source,
        "subjectCode": table.subject_code,
        "timeUnit": table.time_unit,
        "paths": [],
        "links": _links(stub, table, lang),
    }


def _table_info(stub: StubServer, table: StubTable, lang: str) -> dict[str, Any]:
    return {"language": lang, **_table_item(stub, table, lang)}


def _tables(stub: StubServer, params: dict[str, list[str]], lang: str) -> dict[str, Any]:
    def number(name: str, default: int) -> int:
        text = (params.get(name) or [str(default)])[-1]
        try:
            value = int(text)
        except ValueError as exc:
            raise QueryError(f"{name} must be a positive integer, not {text!r}") from exc
        if value < 1:
            raise QueryError(f"{name} must be a positive integer, not {text!r}")
        return value

    tables = sorted(stub.tables.values(), key=lambda t: t.id)
    query = (params.get("query") or [""])[-1].strip().lower()
    if query:
        tables = [t for t in tables if query in t.id.lower() or query in t.label.lower()]
    if params.get("pastDays"):
        since = datetime.now(UTC) - timedelta(days=number("pastDays", 1))
        tables = [t for t in tables if t.updated >= since]
    page, size = number("pageNumber", 1), number("pageSize", 20)
    pages = max(1, math.ceil(len(tables) / size))
    chunk = tables[(page - 1) * size : page * size]
    links = []
    base = f"{stub.url}/tables?lang={lang}&pageSize={size}"
    for key in ("query", "pastDays"):
        if params.get(key):
            base += f"&{key}={params[key][-1]}"
    if page < pages:
        links.append({"rel": "next", "hreflang": lang, "href": f"{base}&pageNumber={page + 1}"})
    if page > 1:
        links.append({"rel": "previous", "hreflang": lang, "href": f"{base}&pageNumber={page - 1}"})
    return {
        "language": lang,
        "tables": [_table_item(stub, t, lang) for t in chunk],
        "page": {
            "pageNumber": page,
            "pageSize": size,
            "totalElements": len(tables),
            "totalPages": pages,
            "links": links,
        },
        "links": [{"rel": "self", "hreflang": lang, "href": f"{base}&pageNumber={page}"}],
    }


def _metadata(stub: StubServer, table: StubTable, lang: str) -> dict[str, Any]:
    outputs = [
        Output(var, list(var.codes), dict(var.labels), {c: [c] for c in var.codes}) for var in table.variables
    ]
    doc = metadata_skeleton(table, outputs, lang=lang, base_url=stub.url, data=False)
    doc["value"] = []
    return doc
