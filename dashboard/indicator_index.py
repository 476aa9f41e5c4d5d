"""``/indikatorer``: every indicator in one table, sortable and filterable without JavaScript.

A Flask route writing the whole document on the server (like the embeds), not a Dash page: its
filters are a plain GET form and its sort links are plain links, so every state of the table is
an address (``?status=deterioration&goal=1&sort=name&order=desc``) that works with scripts off,
can be bookmarked, and is the same page for every reader. Dash's React drawing has no plain
``<input>``; a form it redrew would lose its names.

Query parameters (all optional): ``status`` (repeatable: any of them), ``goal``, ``source``,
``q`` (text in the name or id, at most :data:`MAX_QUERY` characters), ``sort`` (a key of
:data:`SORT_KEYS`), ``order`` (``asc``/``desc``), ``lang``. An unknown value is not used and the
page says so, without repeating it; the search text is shown back only inside the search field
(escaped by :mod:`dashboard.prerender`, like every text).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

import dash
import flask
from dash import html
from werkzeug.wrappers import Response

from dashboard import components as c
from dashboard import data as data_module
from dashboard import document, urls
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import Lang, default_lang, parse_lang, t
from dashboard.prerender import Element
from indicators import sources
from indicators.assessment.explain import DIRECTION_TEXT
from indicators.assessment.formulas import STATUSES
from indicators.formatting import format_value

ENDPOINT = "dashboard_indicator_index"
MAX_QUERY = 100  # characters of search text used; a longer one is cut (and the page says so)
# A longer query string (gunicorn refuses one; another server might not) or more fields is not
# read at all: the whole table, with the note that the address was not used.
MAX_QUERY_STRING = 4096
MAX_FIELDS = 100
PAGE_CACHE = "public, max-age=300"
SORT_KEYS = ("goal", "name", "status", "year", "source", "updated")
DEFAULT_SORT = "goal"
ORDERS = ("asc", "desc")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Query:
    """The table's filters and sort, as read from the address: only known values."""

    statuses: tuple[str, ...] = ()
    goal: str | None = None
    source: str | None = None
    text: str = ""
    sort: str = DEFAULT_SORT
    order: str = "asc"
    ignored: bool = False  # some value in the address was unknown, repeated or too long

    def params(self, **changes: Any) -> str:
        """This query as an encoded query string (without ``lang``), with ``changes``."""
        values = {**self.__dict__, **changes}
        pairs: list[tuple[str, str]] = [("status", s) for s in values["statuses"]]
        if values["goal"]:
            pairs.append(("goal", values["goal"]))
        if values["source"]:
            pairs.append(("source", values["source"]))
        if values["text"]:
            pairs.append(("q", values["text"]))
        if values["sort"] != DEFAULT_SORT or values["order"] != "asc":
            pairs += [("sort", values["sort"]), ("order", values["order"])]
        return urlencode(pairs)


@dataclass(frozen=True)
class Row:
    """One indicator as the table shows it, with the keys it sorts by."""

    indicator_id: str
    name: str
    status: str
    subgoals: tuple[str, ...]
    goals: tuple[str, ...]
    latest: str
    year: int | None
    trend: str
    sources: tuple[tuple[str, str], ...]  # (slug, publisher)
    updated: datetime | None


def parse_query(raw: str, data: DashboardData) -> Query:
    """The filters a query string asks for; anything unknown is left out (``ignored``)."""
    ignored = len(raw) > MAX_QUERY_STRING
    try:
        args = {} if ignored else parse_qs(raw, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:  # more fields than any form of this page sends
        args, ignored = {}, True

    def first(name: str, allowed: set[str] | None = None) -> str | None:
        nonlocal ignored
        values = [v for v in args.get(name, []) if v != ""]
        if not values:
            return None
        if len(values) > 1:
            ignored = True
        value = values[0]
        if allowed is not None and value not in allowed:
            ignored = True
            return None
        return value

    statuses = []
    for value in args.get("status", []):
        if value in STATUSES and value not in statuses:
            statuses.append(value)
        elif value:
            ignored = True
    goal = first("goal", {g.id for g in data.catalog.goals})
    source = first("source", set(source_options(data, "no")))
    text = _CONTROL.sub(" ", first("q") or "").strip()
    if len(text) > MAX_QUERY:
        text, ignored = text[:MAX_QUERY], True
    sort = first("sort", set(SORT_KEYS)) or DEFAULT_SORT
    order = first("order", set(ORDERS)) or "asc"
    known = {"status", "goal", "source", "q", "sort", "order", "lang"}
    if any(name not in known for name in args):
        ignored = True
    return Query(tuple(sorted(statuses, key=STATUSES.index)), goal, source, text, sort, order, ignored)


def slug(text: str) -> str:
    """``Miljødirektoratet`` → ``miljodirektoratet``: a source's name as a query value."""
    folded = text.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a")
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "ukjent"


def source_options(data: DashboardData, lang: Lang) -> dict[str, str]:
    """Every source of the catalogue: slug -> publisher's name, in order of the names."""
    found: dict[str, str] = {}
    for definition in data.catalog.indicators.values():
        for key, name in _sources_of(definition, lang):
            found.setdefault(key, name)
    return dict(sorted(found.items(), key=lambda item: item[1].lower()))


def _sources_of(definition: Any, lang: Lang) -> list[tuple[str, str]]:
    out = []
    for credit in sources.attributions(definition):
        name = credit.publisher_in(lang) or t("source_publisher_unknown", lang)
        key = "ssb" if credit.kind == "ssb" else slug(credit.publisher or name)
        if (key, name) not in out:
            out.append((key, name))
    return out


def trend_text(data: DashboardData, indicator_id: str, lang: Lang) -> str:
    """Up, down or unchanged since the base year, and the wanted direction: by the sign of the
    change itself, never of a rounded figure, so the word always agrees with the numbers."""
    a = data.assessments[indicator_id]
    if (
        a.base_value is None
        or a.current_value is None
        or a.base_year is None
        or a.base_year == a.current_year
    ):
        return t("trend_none", lang)
    change = a.current_value - a.base_value
    key = "trend_up" if change > 0 else "trend_down" if change < 0 else "trend_flat"
    wanted = t("trend_wanted", lang, direction=DIRECTION_TEXT[a.direction][lang])
    return f"{t(key, lang, year=a.base_year)} ({wanted})"


def trend_cell(text: str) -> list[Any]:
    """The trend, with the wanted direction on a line of its own (keeps the column narrow)."""
    said, _, wanted = text.partition(" (")
    return [said, html.Span(f" ({wanted}", className="index-table__wanted")] if wanted else [said]


def rows(data: DashboardData, lang: Lang) -> list[Row]:
    catalog = data.catalog
    out = []
    for indicator_id, definition in catalog.indicators.items():
        a = data.assessments[indicator_id]
        goals = tuple(
            dict.fromkeys(g.id for s in definition.subgoals if (g := catalog.goal_of(s)) is not None)
        )
        updated = [
            data.snapshot.table_updated[t_]
            for t_ in sources.tables(definition)
            if t_ in data.snapshot.table_updated
        ]
        latest = (
            format_value(a.current_value, definition, lang)
            if a.current_value is not None and math.isfinite(a.current_value)
            else t("no_data", lang)
        )
        out.append(
            Row(
                indicator_id=indicator_id,
                name=c.indicator_name(definition, lang),
                status=a.status,
                subgoals=tuple(definition.subgoals),
                goals=goals,
                latest=latest,
                year=a.current_year,
                trend=trend_text(data, indicator_id, lang),
                sources=tuple(_sources_of(definition, lang)),
                updated=max(updated) if updated else None,
            )
        )
    return out


def _subgoal_key(subgoal_id: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in subgoal_id.split("."))


def select(all_rows: list[Row], query: Query, data: DashboardData) -> list[Row]:
    """The rows the query keeps, in its order (missing values last whichever the order)."""
    needle = query.text.casefold()
    kept = [
        r
        for r in all_rows
        if (not query.statuses or r.status in query.statuses)
        and (query.goal is None or query.goal in r.goals)
        and (query.source is None or any(k == query.source for k, _ in r.sources))
        and (
            not needle
            or needle in r.name.casefold()
            or needle in r.indicator_id
            or _other_name(data, r, needle)
        )
    ]
    keys: dict[str, Callable[[Row], Any]] = {
        "goal": lambda r: [_subgoal_key(s) for s in sorted(r.subgoals, key=_subgoal_key)],
        "name": lambda r: r.name.casefold(),
        "status": lambda r: STATUSES.index(r.status),
        "year": lambda r: r.year,
        "source": lambda r: r.sources[0][1].casefold() if r.sources else None,
        "updated": lambda r: r.updated,
    }
    key = keys[query.sort]
    present = [r for r in kept if key(r) is not None]
    missing = [r for r in kept if key(r) is None]
    present.sort(key=lambda r: (key(r), r.name.casefold()), reverse=query.order == "desc")
    return present + missing


def _other_name(data: DashboardData, row: Row, needle: str) -> bool:
    """The search also finds an indicator by its name in any other language the definition gives
    (bokmål, English, nynorsk), not only the page's."""
    definition = data.catalog.indicators[row.indicator_id]
    return any(needle in name.casefold() for name in definition.texts("name").values())


# --- the page ----------------------------------------------------------------------------------


def build(data: DashboardData, query: Query, lang: Lang) -> html.Div:
    """The page: heading, the filter form, the table (or a note that nothing matches)."""
    all_rows = rows(data, lang)
    shown = select(all_rows, query, data)
    content: list[Any] = [
        html.H1(t("index_title", lang)),
        html.P(t("index_intro", lang), className="lead"),
        html.P(
            t("data_date", lang, date=c.local_date(data.snapshot.data_as_of, lang)), className="data-date"
        ),
    ]
    if query.ignored:
        content.append(html.P(t("index_ignored", lang), className="note note--caution", role="status"))
    content.append(filter_form(data, query, lang))
    if shown:
        content.append(c.scrolling_table(table(shown, len(all_rows), query, lang), t("index_title", lang)))
    else:
        content.append(html.P(t("index_none", lang), className="index__none"))
    crumbs = [(t("nav_overview", lang), urls.overview(lang)), (t("index_title", lang), None)]
    switch = lambda other: urls.indicators(other, query.params())  # noqa: E731
    return c.page(data, lang, switch=switch, content=content, crumbs=crumbs)


def _input(**attributes: str | bool) -> Any:
    """A plain ``<input>`` (Dash has no such component; the prerender writer has :class:`Element`)."""
    return Element("input", {k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()})


def filter_form(data: DashboardData, query: Query, lang: Lang) -> html.Form:
    statuses = html.Fieldset(
        [
            html.Legend(t("index_status", lang)),
            html.Ul(
                [
                    html.Li(
                        html.Label(
                            [
                                _input(type="checkbox", name="status", value=s, checked=s in query.statuses),
                                " ",
                                c.status_badge(s, lang),
                            ]
                        )
                    )
                    for s in STATUSES
                ],
                className="index-form__statuses",
            ),
        ],
        className="index-form__group",
    )

    def choice(name: str, label: str, options: list[tuple[str, str]], current: str | None) -> html.Div:
        field_id = f"index-{name}"
        return html.Div(
            [
                html.Label(label, htmlFor=field_id),
                html.Select(
                    [
                        html.Option(text, value=value, selected=value == (current or ""))
                        for value, text in options
                    ],
                    id=field_id,
                    name=name,
                ),
            ],
            className="index-form__field",
        )

    goals = [("", t("index_goal_any", lang))] + [
        (g.id, f"{t('goal_heading', lang, id=g.id)}: {c.goal_title(g, lang)}") for g in data.catalog.goals
    ]
    source_list = [("", t("index_source_any", lang)), *source_options(data, lang).items()]
    columns = [(key, column_name(key, lang)) for key in SORT_KEYS]
    orders = [("asc", t("index_asc", lang)), ("desc", t("index_desc", lang))]
    hidden_lang: list[Any] = (
        [] if lang == default_lang() else [_input(type="hidden", name="lang", value=lang)]
    )
    return html.Form(
        [
            html.H2(t("index_filters", lang), className="index-form__heading"),
            statuses,
            html.Div(
                [
                    choice("goal", t("index_goal", lang), goals, query.goal),
                    choice("source", t("index_source", lang), source_list, query.source),
                    html.Div(
                        [
                            html.Label(t("index_search", lang), htmlFor="index-q"),
                            _input(
                                type="search",
                                id="index-q",
                                name="q",
                                value=query.text,
                                maxlength=str(MAX_QUERY),
                            ),
                        ],
                        className="index-form__field",
                    ),
                    choice("sort", t("index_sort", lang), columns, query.sort),
                    choice("order", t("index_order", lang), orders, query.order),
                ],
                className="index-form__fields",
            ),
            *hidden_lang,
            html.Div(
                [
                    html.Button(t("index_apply", lang), type="submit", className="button"),
                    html.A(t("index_reset", lang), href=urls.indicators(lang), className="index-form__reset"),
                ],
                className="index-form__actions",
            ),
        ],
        method="get",
        action=urls.INDICATORS,
        className="index-form",
        role="search",
    )


def column_name(key: str, lang: Lang) -> str:
    return t(
        {
            "goal": "ix_col_goal",
            "name": "ix_col_indicator",
            "status": "ix_col_status",
            "year": "ix_col_latest_year",
            "source": "ix_col_source",
            "updated": "ix_col_updated",
        }[key],
        lang,
    )


def table(shown: list[Row], total: int, query: Query, lang: Lang) -> html.Table:
    def head(key: str | None, label_key: str) -> html.Th:
        label = t(label_key, lang)
        if key is None:
            return html.Th(label, scope="col")
        current = query.sort == key
        order = ("desc" if query.order == "asc" else "asc") if current else "asc"
        arrow = ("▲" if query.order == "asc" else "▼") if current else "↕"
        link = html.A(
            [
                label,
                html.Span(f" {arrow}", **aria(hidden="true")),
                html.Span(f" ({t('index_sort_by', lang)})", className="visually-hidden"),
            ],
            href=urls.indicators(lang, query.params(sort=key, order=order)),
        )
        sort_state = aria(sort="ascending" if query.order == "asc" else "descending") if current else {}
        return html.Th(link, scope="col", **sort_state)

    header = html.Tr(
        [
            head("name", "ix_col_indicator"),
            head("status", "ix_col_status"),
            head("goal", "ix_col_goal"),
            head(None, "ix_col_latest"),
            head("year", "ix_col_latest_year"),
            head(None, "ix_col_trend"),
            head("source", "ix_col_source"),
            head("updated", "ix_col_updated"),
        ]
    )
    body = [
        html.Tr(
            [
                html.Th(html.A(r.name, href=urls.indicator(r.indicator_id, lang)), scope="row"),
                html.Td(c.status_badge(r.status, lang)),
                html.Td(_subgoal_links(r, lang)),
                html.Td(r.latest, className="num"),
                html.Td(str(r.year) if r.year is not None else "–", className="num"),
                html.Td(trend_cell(r.trend)),
                html.Td(", ".join(name for _, name in r.sources)),
                html.Td(c.local_date(r.updated, lang) if r.updated else t("not_ssb", lang)),
            ]
        )
        for r in shown
    ]
    order_word = t("index_asc" if query.order == "asc" else "index_desc", lang).lower()
    caption = t(
        "index_caption",
        lang,
        shown=len(shown),
        total=total,
        column=column_name(query.sort, lang).lower(),
        order=order_word,
    )
    return html.Table(
        [html.Caption(caption), html.Thead(header), html.Tbody(body)], className="data-table index-table"
    )


def _subgoal_links(row: Row, lang: Lang) -> list[Any]:
    out: list[Any] = []
    for n, subgoal_id in enumerate(sorted(row.subgoals, key=_subgoal_key)):
        if n:
            out.append(", ")
        out.append(
            html.A(
                [
                    html.Span(t("subgoal_heading", lang, id="").strip() + " ", className="visually-hidden"),
                    subgoal_id,
                ],
                href=urls.subgoal(subgoal_id, lang),
            )
        )
    return out


def page_html(data: DashboardData, query: Query, lang: Lang, stylesheet: str) -> str:
    head = document.Head(
        lang,
        t("index_title", lang),
        site=t("site_name", lang, plan=c.plan_name(data, lang)),
        stylesheet=stylesheet,
    )
    return document.html_document(head, build(data, query, lang))


def register(app: dash.Dash, stylesheet: Callable[[], str]) -> None:
    """Serve ``/indikatorer`` from ``app``'s Flask server."""

    def index_page() -> Response:
        raw = flask.request.query_string
        data = data_module.current()
        lang = parse_lang(flask.request.args.getlist("lang") or None)
        query = parse_query(raw.decode("utf-8", "replace"), data)
        # The plain table is remembered per cache version like every page; a filtered one is
        # built afresh (a few milliseconds), so that odd addresses cannot crowd out the memo.
        body = (
            data.memo(("indicator_index", lang), lambda: page_html(data, query, lang, stylesheet()))
            if query == Query()
            else page_html(data, query, lang, stylesheet())
        )
        response = flask.Response(body, mimetype="text/html")
        response.headers["Cache-Control"] = PAGE_CACHE
        response.set_etag(hashlib.sha256(body.encode("utf-8")).hexdigest()[:32])
        return response.make_conditional(flask.request)

    app.server.add_url_rule(urls.INDICATORS, ENDPOINT, index_page, strict_slashes=False)
