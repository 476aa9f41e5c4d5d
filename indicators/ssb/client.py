"""A client for Statistics Norway's PxWebApi v2 that respects SSB's limits (DESIGN §8).

* reads ``/config`` once per client and paces every call with a sliding-window limiter shared
  by all clients of the same API in the process (:mod:`indicators.ssb.ratelimit`);
* retries, bounded and visible (``on_event`` and :class:`RequestStats`): 429 waits for
  ``Retry-After``; 502/503/504, refused and dropped connections back off; other errors never retry;
* counts a query's cells from the table's metadata and splits a query over ``maxDataCells``
  along its largest splittable variable (never the content variable), merging the parts into
  one JSON-stat2 dataset, so callers never see the split;
* raises the project's own exceptions (:mod:`indicators.errors`), each naming table and URL;
* ends: an optional overall ``deadline`` bounds every wait and every body being read; ``/config``
  values are checked (a window longer than ``max_wait`` is refused, not waited for); answers are
  limited to ``max_response_bytes`` on the wire and after decompression (a gzip bomb is refused);
  redirects are followed only within the API's own host (at most ``MAX_REDIRECTS``).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

from indicators import __version__
from indicators.errors import (
    BadResponse,
    QueryTooLarge,
    RateLimited,
    SsbError,
    SsbRequestError,
    SsbUnavailable,
    TableNotFound,
)
from indicators.ssb.jsonstat import dimension_codes, merge_datasets
from indicators.ssb.query import (
    CONTENT_VARIABLE,
    ApiConfig,
    Selection,
    TableInfo,
    TableMetadata,
    Variable,
    VarSelection,
    chunks,
    get_params,
    is_expression,
    needs_post,
    parse_table_info,
    parse_table_metadata,
    parse_time,
    post_body,
    selected_codes,
    split_variable,
    with_codes,
)
from indicators.ssb.ratelimit import limiter_for

__all__ = [
    "ApiConfig",
    "RequestStats",
    "Selection",
    "SsbClient",
    "TableInfo",
    "TableMetadata",
    "VarSelection",
    "Variable",
]

# Names the software, not a plan: one installation per municipality, each saying the same.
USER_AGENT = f"plan-indikatorer/{__version__}"
RETRY_STATUSES = (502, 503, 504)
# An answer larger than this (on the wire or decompressed) is refused. SSB's largest answer
# (800 000 cells of JSON-stat2) is some 20 MB.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# The longest single wait a client accepts: SSB's /config window and a Retry-After beyond it are
# refused with a clear error instead of being waited for.
MAX_WAIT = 600.0
MAX_REDIRECTS = 3
_CHUNK = 64 * 1024


class DeadlineExceeded(SsbUnavailable):
    """The client's overall deadline passed (or a wait would pass it)."""


class SsbUnreachable(SsbUnavailable):
    """No connection to SSB (refused, dropped, DNS, connect timeout), after the retries."""


@dataclass
class RequestStats:
    """What a client did. Request counters count HTTP requests sent (retries included), by kind.

    ``seconds_waited`` adds up the rate limiter's waits and the retries' back-off and
    ``Retry-After`` waits; ``splits`` counts data queries that had to be split.
    """

    config: int = 0
    tables: int = 0
    table_info: int = 0
    metadata: int = 0
    data: int = 0
    codelist: int = 0
    rate_limit_waits: int = 0
    retries: int = 0
    seconds_waited: float = 0.0
    splits: int = 0

    @property
    def requests(self) -> int:
        return self.config + self.tables + self.table_info + self.metadata + self.data + self.codelist


class _Transient(Exception):
    """An attempt that may succeed if retried; ``error`` is raised once retries run out."""

    def __init__(self, error: SsbError, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason
        self.retry_after = retry_after


@dataclass
class _Request:
    kind: str
    method: str
    url: str
    table: str | None = None
    params: list[tuple[str, str]] | None = None
    body: dict | None = None
    what: str = ""  # for messages, e.g. "data of table 07459"
    prepared_url: str = field(default="", init=False)


class SsbClient:
    """Talks to one PxWebApi v2 base URL (e.g. ``https://data.ssb.no/api/pxwebapi/v2``)."""

    def __init__(
        self,
        base_url: str,
        *,
        lang: str = "no",
        timeout: tuple[float, float] = (5, 60),
        max_retries: int = 4,
        on_event: Callable[[str, dict], None] | None = None,
        session: requests.Session | None = None,
        backoff: float = 1.0,
        max_retry_after: float = 120.0,
        deadline: float | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = min(max_retry_after, max_wait)
        self.max_wait = max_wait
        self.deadline = deadline  # time.monotonic() by which every call must be done, or None
        self.max_response_bytes = max_response_bytes
        self.on_event = on_event
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.stats = RequestStats()
        self.limiter = limiter_for(self.base_url)
        self._config: ApiConfig | None = None
        self._metadata: dict[str, TableMetadata] = {}
        self._codelists: dict[str, dict] = {}

    # --- endpoints ------------------------------------------------------------------------------

    def config(self) -> ApiConfig:
        """SSB's limits, fetched once per client; they also configure the shared rate limiter."""
        if self._config is None:
            doc = self._json(
                _Request("config", "GET", f"{self.base_url}/config", what="the API configuration")
            )
            cfg = _api_config(doc, f"{self.base_url}/config", self.max_wait)
            self.limiter.configure(cfg.max_calls, cfg.time_window)
            self._config = cfg
        return self._config

    def table_info(self, table_id: str) -> TableInfo:
        """``GET /tables/{id}``: label, ``updated``, periods and time unit (never cached)."""
        self.config()
        url = f"{self.base_url}/tables/{table_id}"
        doc = self._json(
            _Request("table_info", "GET", url, table_id, [("lang", self.lang)], what=f"table {table_id}")
        )
        return parse_table_info(doc, url)

    def changed_tables(self, past_days: int) -> dict[str, datetime]:
        """Tables updated in the last ``past_days`` days (every page of ``/tables?pastDays=N``)."""
        self.config()
        result: dict[str, datetime] = {}
        page, pages = 1, 1
        while page <= pages:
            params = [
                ("pastDays", str(past_days)),
                ("pageNumber", str(page)),
                ("pageSize", "100"),
                ("lang", self.lang),
            ]
            url = f"{self.base_url}/tables"
            doc = self._json(
                _Request("tables", "GET", url, None, params, what=f"tables changed in {past_days} days")
            )
            try:
                for item in doc["tables"]:
                    result[str(item["id"])] = parse_time(item.get("updated"), f"{url} (table {item['id']})")
                pages = int(doc["page"]["totalPages"])
            except (KeyError, TypeError, ValueError) as exc:
                raise BadResponse(
                    f"{url}?pastDays={past_days} page {page} is not a table list: {exc!r}"
                ) from exc
            page += 1
            if page > 1000:
                raise BadResponse(f"{url}?pastDays={past_days} claims more than 1000 pages")
        return result

    def metadata(self, table_id: str) -> TableMetadata:
        """``GET /tables/{id}/metadata``, parsed; cached for the client's lifetime."""
        if table_id not in self._metadata:
            self.config()
            url = f"{self.base_url}/tables/{table_id}/metadata"
            doc = self._json(
                _Request(
                    "metadata",
                    "GET",
                    url,
                    table_id,
                    [("lang", self.lang)],
                    what=f"metadata of table {table_id}",
                )
            )
            self._metadata[table_id] = parse_table_metadata(table_id, doc, url)
        return self._metadata[table_id]

    def remember_metadata(self, meta: TableMetadata) -> None:
        """Use ``meta`` (kept by an earlier run) as the table's metadata instead of asking SSB.

        The caller checks each data answer against it and calls :meth:`forget_metadata` when the
        table's structure changed, so that the next :meth:`metadata` asks SSB again.
        """
        self._metadata[meta.table_id] = meta

    def forget_metadata(self, table_id: str) -> None:
        """Drop the table's metadata, so that :meth:`metadata` asks SSB the next time."""
        self._metadata.pop(table_id, None)

    def codelist(self, codelist_id: str) -> dict:
        """``GET /codeLists/{id}`` as SSB sends it (``values[].valueMap``); cached."""
        if codelist_id not in self._codelists:
            self.config()
            url = f"{self.base_url}/codeLists/{codelist_id}"
            doc = self._json(
                _Request("codelist", "GET", url, None, [("lang", self.lang)], what=f"codelist {codelist_id}")
            )
            if not isinstance(doc.get("values"), list):
                raise BadResponse(f"{url}: a codelist needs a `values` list")
            self._codelists[codelist_id] = doc
        return self._codelists[codelist_id]

    def count_cells(self, table_id: str, selection: Selection) -> int:
        """The number of cells a query selects, from the table's metadata (and codelists).

        Expressions are resolved as PxWebApi v2 does. Unknown codes count as one cell each
        (SSB will refuse them); eliminated variables count once. With a codelist the count is
        that of the codelist's codes matching the table's codes.
        """
        return _product(len(codes) for codes in self._resolved(table_id, selection).values())

    def data(self, table_id: str, selection: Selection) -> dict:
        """One JSON-stat2 dataset for the selection, split into several requests if it is too large."""
        cfg = self.config()
        meta = self.metadata(table_id)
        for var in selection:
            meta.variable(var)
        return self._fetch(table_id, meta, selection, cfg.max_data_cells)

    # --- data: counting, splitting, fetching ------------------------------------------------------

    def codelist_codes(self, codelist_id: str) -> dict[str, list[str]]:
        """A codelist as code -> the table codes it maps (``valueMap``)."""
        doc = self.codelist(codelist_id)
        return {str(v["code"]): [str(c) for c in v.get("valueMap", [])] for v in doc["values"] if "code" in v}

    def _resolved(self, table_id: str, selection: Selection) -> dict[str, list[str]]:
        """Per selected variable the output codes (unknown items kept as they are, for SSB to judge)."""
        meta = self.metadata(table_id)
        result = {}
        for var_code, sel in selection.items():
            var = meta.variable(var_code)
            # Plain codes of an aggregated codelist are one output code each: counting them
            # needs no call for the codelist (a call SSB's rate limit counts).
            needs_codelist = bool(sel.codelist) and (
                any(is_expression(c) for c in sel.value_codes)
                or (sel.output_values or "").lower() == "single"
            )
            values = self.codelist_codes(sel.codelist) if sel.codelist and needs_codelist else None
            codes, unmatched = selected_codes(var, sel, values)
            result[var_code] = codes + [u for u in unmatched if u not in codes]
        return result

    def _fetch(self, table_id: str, meta: TableMetadata, selection: Selection, limit: int) -> dict:
        resolved = self._resolved(table_id, selection)
        cells = _product(len(c) for c in resolved.values())
        if cells <= limit:
            try:
                return self._fetch_one(table_id, selection)
            except QueryTooLarge:
                if cells <= 1:
                    raise
                limit = cells // 2  # SSB counts differently than we do: split anyway
        var = split_variable(meta, selection, resolved)
        if var is None:
            content = meta.content_variable.code if meta.content_variable else CONTENT_VARIABLE
            raise QueryTooLarge(
                f"table {table_id}: the query selects {cells} cells, more than SSB's limit of {limit}, and "
                f"cannot be split (only {content} selects more than one value); select fewer {content} codes"
            )
        others = cells // len(resolved[var])
        parts = chunks(resolved[var], limit // others if others else limit)
        self.stats.splits += 1
        self._event(
            "split", {"table": table_id, "variable": var, "parts": len(parts), "cells": cells, "limit": limit}
        )
        docs = [self._fetch(table_id, meta, with_codes(selection, var, part), limit) for part in parts]
        return merge_datasets(docs, var)

    def _fetch_one(self, table_id: str, selection: Selection) -> dict:
        url = f"{self.base_url}/tables/{table_id}/data"
        params = get_params(selection, lang=self.lang)
        full = requests.Request("GET", url, params=params).prepare().url or url
        what = f"data of table {table_id}"
        if needs_post(full, selection):
            request = _Request(
                "data",
                "POST",
                url,
                table_id,
                [("outputFormat", "json-stat2"), ("lang", self.lang)],
                post_body(selection),
                what,
            )
        else:
            request = _Request("data", "GET", url, table_id, params, what=what)
        doc = self._json(request)
        try:
            codes = dimension_codes(doc)  # checks shape; the value count is checked by the reader
        except BadResponse as exc:
            raise BadResponse(f"{what} ({request.prepared_url}): {exc}") from exc
        for dim, dim_codes in codes.items():
            if len(set(dim_codes)) != len(dim_codes):
                twice = sorted({c for c in dim_codes if dim_codes.count(c) > 1})
                raise BadResponse(
                    f"{what} ({request.prepared_url}): dimension {dim} names code(s) {', '.join(twice[:5])} "
                    "more than once; the answer is ambiguous"
                )
        values = doc.get("value")
        sizes = doc.get("size") or []
        if not isinstance(values, list) or len(values) != _product(sizes):
            raise BadResponse(
                f"{what} ({request.prepared_url}): sizes {sizes} multiply to {_product(sizes)} cells but "
                f"{len(values) if isinstance(values, list) else 'no'} values came back; the answer is damaged"
            )
        return doc

    # --- HTTP with retries ----------------------------------------------------------------------------

    def _json(self, request: _Request) -> dict:
        response = self._send(request)
        try:
            doc = response.json()
        except ValueError as exc:
            raise BadResponse(
                f"{request.what}: SSB's answer is not valid JSON ({exc}); URL {request.prepared_url}. "
                "Try again later; if it persists, SSB's API is misbehaving."
            ) from exc
        if not isinstance(doc, dict):
            raise BadResponse(
                f"{request.what}: expected a JSON object, got {type(doc).__name__}; URL {request.prepared_url}"
            )
        return doc

    def _send(self, request: _Request) -> requests.Response:
        retrying = Retrying(
            retry=retry_if_exception_type(_Transient),
            stop=self._stop,
            wait=self._wait,
            before_sleep=lambda state: self._before_sleep(request, state),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    return self._attempt(request)
        except _Transient as exc:
            if exc.retry_after is not None and exc.retry_after > self.max_retry_after:
                where = f"{request.what} ({request.method} {request.prepared_url})"
                raise type(exc.error)(
                    f"{where}: SSB asks us to wait {exc.retry_after:g} s before trying again ({exc.reason}), "
                    f"longer than the {self.max_retry_after:g} s we wait; try again later"
                ) from exc
            raise exc.error from exc
        raise AssertionError("unreachable: tenacity either returns or raises")  # pragma: no cover

    def _stop(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        too_long = isinstance(exc, _Transient) and (exc.retry_after or 0) > self.max_retry_after
        return state.attempt_number > self.max_retries or too_long

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            wait = exc.retry_after
        else:
            delay = self.backoff * 2 ** (state.attempt_number - 1)
            wait = min(delay * (1 + random.random() * 0.25), 60.0)
        left = self.seconds_left()
        if left is not None and wait >= left:
            raise DeadlineExceeded(
                f"the refresh's deadline leaves {max(left, 0):.0f} s, less than the {wait:.0f} s wait "
                f"before retrying ({exc.reason if isinstance(exc, _Transient) else exc!r}); "
                "the rest is tried at the next refresh"
            )
        return wait

    def seconds_left(self) -> float | None:
        """Seconds until the deadline (negative once it passed), or None without one."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    def _check_deadline(self, where: str) -> None:
        left = self.seconds_left()
        if left is not None and left <= 0:
            raise DeadlineExceeded(f"{where}: the refresh's deadline has passed; not asking SSB any more")

    def _before_sleep(self, request: _Request, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        self.stats.retries += 1
        self.stats.seconds_waited += wait
        self._event(
            "retry",
            {
                "kind": request.kind,
                "table": request.table,
                "url": request.prepared_url,
                "attempt": state.attempt_number,
                "wait": wait,
                "reason": exc.reason if isinstance(exc, _Transient) else repr(exc),
            },
        )

    def _attempt(self, request: _Request) -> requests.Response:
        where = f"{request.what} ({request.method} {request.url})"
        self._check_deadline(where)
        slot, waited = self.limiter.acquire(max_wait=self.seconds_left())
        if slot is None:
            raise DeadlineExceeded(
                f"{where}: SSB's rate limit would make us wait past the refresh's deadline; "
                "the rest is tried at the next refresh"
            )
        if waited > 0.001:
            self.stats.rate_limit_waits += 1
            self.stats.seconds_waited += waited
            self._event("rate_limit_wait", {"kind": request.kind, "table": request.table, "seconds": waited})
        setattr(self.stats, request.kind, getattr(self.stats, request.kind) + 1)
        prepared = self.session.prepare_request(
            requests.Request(request.method, request.url, params=request.params, json=request.body)
        )
        request.prepared_url = prepared.url or request.url
        where = f"{request.what} ({request.method} {request.prepared_url})"
        try:
            response = self._send_following(prepared, where)
            self._read_body(response, where)
        except requests.ReadTimeout as exc:
            # Not retried: an API that does not answer within the read timeout is not helped by
            # asking again, and four more waits would only make the refresh hang.
            raise SsbUnavailable(
                f"{where}: SSB did not answer within {self.timeout[1]:g} s; try again later"
            ) from exc
        except requests.ConnectionError as exc:
            if _is_read_timeout(exc):  # a timeout while the body was being read: not retried either
                raise SsbUnavailable(
                    f"{where}: SSB stopped sending for {self.timeout[1]:g} s in the middle of its answer; "
                    "try again later"
                ) from exc
            error: SsbError = SsbUnreachable(
                f"{where}: could not reach SSB or the connection dropped ({_short(exc)}); check the network and SSB_API_URL"
            )
            raise _Transient(error, f"connection failed: {_short(exc)}") from exc
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            error = BadResponse(f"{where}: the answer was cut off ({_short(exc)}); try again later")
            raise _Transient(error, f"truncated answer: {_short(exc)}") from exc
        except requests.RequestException as exc:
            raise SsbUnavailable(f"{where}: the request failed: {_short(exc)}") from exc
        finally:
            self.limiter.release(slot)
        return self._check_status(request, response, where)

    def _send_following(self, prepared: requests.PreparedRequest, where: str) -> requests.Response:
        """Send, following redirects only to the API's own scheme, host and port."""
        origin = _origin(self.base_url)
        for _ in range(MAX_REDIRECTS + 1):
            response = self.session.send(prepared, timeout=self.timeout, stream=True, allow_redirects=False)
            if not response.is_redirect:
                return response
            target = urljoin(prepared.url or "", response.headers.get("Location", ""))
            response.close()
            if _origin(target) != origin:
                raise BadResponse(
                    f"{where}: SSB's answer redirects to another host ({_origin(target)}); refused — "
                    "only redirects within SSB_API_URL's host are followed"
                )
            prepared = prepared.copy()
            prepared.url = target
            if response.status_code == 303:
                prepared.method, prepared.body = "GET", None
                prepared.headers.pop("Content-Length", None)
                prepared.headers.pop("Content-Type", None)
        raise BadResponse(f"{where}: more than {MAX_REDIRECTS} redirects; refused")

    def _read_body(self, response: requests.Response, where: str) -> None:
        """Read the body into ``response`` within the size limits and the deadline."""
        limit = self.max_response_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            response.close()
            raise BadResponse(
                f"{where}: the answer is {int(declared)} bytes, more than the {limit} bytes accepted; refused"
            )
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.raw.stream(_CHUNK, decode_content=True):
                size += len(chunk)
                if size > limit:
                    raise BadResponse(
                        f"{where}: the answer is larger than the {limit} bytes accepted "
                        f"({'after decompression' if response.headers.get('Content-Encoding') else 'as sent'}); "
                        "refused"
                    )
                parts.append(chunk)
                self._check_deadline(where)
        except ReadTimeoutError as exc:
            raise requests.ConnectionError(exc) from exc
        except ProtocolError as exc:
            raise requests.exceptions.ChunkedEncodingError(exc) from exc
        except DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(exc) from exc
        except OSError as exc:  # the connection dropped mid-body
            raise requests.exceptions.ChunkedEncodingError(exc) from exc
        finally:
            response.close()
        response._content = b"".join(parts)  # what response.json() and .text read

    def _check_status(self, request: _Request, response: requests.Response, where: str) -> requests.Response:
        status = response.status_code
        if status < 400:
            return response
        title, detail = _problem(response)
        said = (
            f"SSB says: {title}" + (f" — {detail}" if detail else "") if title or detail else f"HTTP {status}"
        )
        retry_after = _retry_after(response)
        if status == 429:
            error: SsbError = RateLimited(
                f"{where}: SSB's rate limit was still exceeded after {self.max_retries} retries ({said}); wait a minute and try again"
            )
            raise _Transient(error, "429 Too Many Requests", retry_after)
        if status in RETRY_STATUSES:
            error = SsbUnavailable(
                f"{where}: SSB is unavailable (HTTP {status}, {said}) after {self.max_retries} retries; try again later"
            )
            raise _Transient(error, f"HTTP {status}", retry_after)
        if status >= 500:
            raise SsbUnavailable(f"{where}: SSB failed with HTTP {status} ({said}); try again later")
        if (
            status in (400, 403)
            and request.kind == "data"
            and (status == 403 or "too many cells" in title.lower())
        ):
            raise QueryTooLarge(f"{where}: SSB refuses the query as too large (HTTP {status}, {said})")
        if status == 404 and request.table and request.kind in ("table_info", "metadata", "data"):
            raise TableNotFound(
                f"{where}: SSB has no table {request.table} ({said}); check the table id in the definition"
            )
        raise SsbRequestError(
            f"{where}: SSB refused the request (HTTP {status}, {said})",
            status=status,
            title=title,
            detail=detail,
        )

    def _event(self, kind: str, payload: dict) -> None:
        if self.on_event is not None:
            self.on_event(kind, payload)


# --- parsing --------------------------------------------------------------------------------------


def _api_config(doc: dict, url: str, max_wait: float) -> ApiConfig:
    """``/config``'s limits, checked: whole numbers of at least 1 and a finite window in (0, max_wait]."""

    def whole(name: str) -> int:
        value = doc.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise BadResponse(f"{url}: {name} is {value!r}, not a whole number; SSB's API is misbehaving")
        if value != int(value) or value < 1:
            raise BadResponse(f"{url}: {name} is {value!r}, expected a whole number of at least 1")
        return int(value)

    cells, calls = whole("maxDataCells"), whole("maxCallsPerTimeWindow")
    window = doc.get("timeWindow")
    if (
        isinstance(window, bool)
        or not isinstance(window, int | float)
        or not math.isfinite(window)
        or not 0 < window <= max_wait
    ):
        raise BadResponse(
            f"{url}: timeWindow is {window!r}, expected a number of seconds above 0 and at most "
            f"{max_wait:g}; refusing to run without a rate limit or to wait that long"
        )
    return ApiConfig(cells, calls, float(window))


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _is_read_timeout(exc: BaseException) -> bool:
    """Whether a ConnectionError is a read timeout (requests wraps one raised while reading a body)."""
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, ReadTimeoutError | requests.ReadTimeout):
            return True
        if seen.args and isinstance(seen.args[0], BaseException):
            seen = seen.args[0]
        else:
            seen = seen.__cause__ or seen.__context__
    return False


def _product(sizes: Any) -> int:
    total = 1
    for size in sizes:
        total *= int(size)
    return total


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "…"


def _problem(response: requests.Response) -> tuple[str, str]:
    """SSB's problem+json ``title`` and ``detail`` (empty when the body is not one)."""
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:200].strip()
    if not isinstance(body, dict):
        return "", ""
    return str(body.get("title") or ""), str(body.get("detail") or "")


def _retry_after(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds (it may also be an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
