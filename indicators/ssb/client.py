"""A client for Statistics Norway's PxWebApi v2 that respects SSB's limits (DESIGN §8).

* reads ``/config`` once per client and paces every call with a sliding-window limiter shared
  by all clients of the same API in the process (:mod:`indicators.ssb.ratelimit`);
* retries, bounded and visible (``on_event`` and :class:`RequestStats`): 429 waits for
  ``Retry-After``; 502/503/504, refused and dropped connections back off; other errors never retry;
* counts a query's cells from the table's metadata and splits a query over ``maxDataCells``
  along its largest splittable variable (never the content variable), merging the parts into
  one JSON-stat2 dataset, so callers never see the split;
* raises the project's own exceptions (:mod:`indicators.errors`), each naming table and URL.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type

from indicators import PROJECT_URL, __version__
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

USER_AGENT = f"trondheimsloftet-indikatorer/{__version__} (+{PROJECT_URL})"
RETRY_STATUSES = (502, 503, 504)


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
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
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
            try:
                cfg = ApiConfig(
                    int(doc["maxDataCells"]), int(doc["maxCallsPerTimeWindow"]), float(doc["timeWindow"])
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise BadResponse(
                    f"{self.base_url}/config lacks a valid maxDataCells/maxCallsPerTimeWindow/timeWindow: {exc!r}"
                ) from exc
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
            values = self.codelist_codes(sel.codelist) if sel.codelist else None
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
            dimension_codes(doc)  # checks shape; the value count is checked by the reader
        except BadResponse as exc:
            raise BadResponse(f"{what} ({request.prepared_url}): {exc}") from exc
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
            return exc.retry_after
        delay = self.backoff * 2 ** (state.attempt_number - 1)
        return min(delay * (1 + random.random() * 0.25), 60.0)

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
        slot, waited = self.limiter.acquire()
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
            response = self.session.send(prepared, timeout=self.timeout)
        except requests.ReadTimeout as exc:
            raise SsbUnavailable(
                f"{where}: SSB did not answer within {self.timeout[1]:g} s; try again later"
            ) from exc
        except requests.ConnectionError as exc:
            error: SsbError = SsbUnavailable(
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
