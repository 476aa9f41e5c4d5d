"""``/indikator/<indicator_id>``: one indicator in full — chart, table, status, method, source."""

from __future__ import annotations

import html as html_escape
import math
from collections.abc import Mapping
from typing import Any

import dash
from dash import dcc, html

from dashboard import breakdowns, ids, security, urls
from dashboard import components as c
from dashboard import data as data_module
from dashboard.aria import aria
from dashboard.data import DashboardData
from dashboard.i18n import Lang, model_text, t
from dashboard.markdown import render_markdown
from dashboard.pages import not_found
from dashboard.pages.common import kwargs_lang, titled
from indicators import sources
from indicators.assessment.explain import borderline_note, explain, milestone_text, target_text
from indicators.assessment.progress import Assessment
from indicators.formatting import format_number, format_value
from indicators.plan.model import Definition

EMBED_HEIGHT = 640  # the responsive snippet's first height, before the embed has said its own
FIXED_EMBED_HEIGHT = 500  # the fixed snippet's: the chart fits any height (?height=N)


def build(
    data: DashboardData, indicator_id: str, lang: Lang, *, origin: str = "", breakdown: str | None = None
) -> html.Div:
    """The page of indicator ``indicator_id`` (a not-found page for an unknown id).

    ``origin`` (``https://host``) makes the embed code's address absolute; ``breakdown`` is the
    breakdown variable to chart (:func:`breakdown_part`).
    """
    catalog = data.catalog
    definition = catalog.indicators.get(indicator_id)
    if definition is None:
        return not_found.build(data, lang, reason="nf_indicator")
    assessment = data.assessments[indicator_id]
    name = c.indicator_name(definition, lang)
    content: list[Any] = [
        html.H1(name, **c.name_attrs(definition, lang)),
        html.P(
            [c.status_badge(assessment.status, lang), " ", c.latest_value_text(assessment, definition, lang)],
            className="indicator__status",
        ),
        html.P(explain(assessment, definition, lang), className="lead"),
        *target_block(definition, assessment, lang),
    ]
    problem = data.problem(indicator_id)
    if problem:
        content.append(html.P(t("problem", lang, problem=problem), className="problem"))
    content += [
        html.H2(t("chart_heading", lang)),
        c.chart_block(data, definition, assessment, lang, graph_id=ids.INDICATOR_CHART),
        *breakdown_part(data, definition, lang, breakdown),
        method_section(definition, assessment, catalog_target_source(definition), lang),
        html.H2(t("definition_heading", lang)),
        html.Div(
            definition_text(definition, lang), className="definition", **definition_attrs(definition, lang)
        ),
        source_section(data, definition, lang),
        subgoals_section(data, definition, lang),
        downloads_section(definition, lang),
        embed_section(data, definition, lang, origin),
    ]
    first_subgoal = catalog.subgoal(definition.subgoals[0])
    goal = catalog.goal_of(definition.subgoals[0])
    crumbs: list[tuple[str, str | None]] = [(t("nav_overview", lang), urls.overview(lang))]
    if goal is not None and first_subgoal is not None:
        crumbs += [
            (t("goal_heading", lang, id=goal.id), urls.goal(goal.id, lang)),
            (t("subgoal_heading", lang, id=first_subgoal.id), urls.subgoal(first_subgoal.id, lang)),
        ]
    crumbs.append((name, None))
    return c.page(
        data, lang, switch=lambda other: urls.indicator(indicator_id, other), content=content, crumbs=crumbs
    )


def breakdown_part(
    data: DashboardData, definition: Definition, lang: Lang, breakdown: str | None
) -> list[Any]:
    """The breakdown section under the chart (issue 20): its own module, :mod:`dashboard.breakdowns`."""
    part = breakdowns.section(data, definition, lang, breakdown)
    return [] if part is None else [part]


def target_words(definition: Definition, a: Assessment, lang: Lang) -> str | None:
    """The target in words (``290 000 tonn i 2030 (−50 % fra 2020)``); ``None`` without one."""
    if definition.target is None:
        return None
    return target_text(a, definition, lang)


def target_block(definition: Definition, a: Assessment, lang: Lang) -> list[Any]:
    """Under the status sentence: the target in words with its source, then the milestones,
    one line each (met, missed, or what the projection says)."""
    words = target_words(definition, a, lang)
    if words is None or definition.target is None:
        return []
    out: list[Any] = [
        html.P(
            [
                html.Strong(t("target_line", lang, target=words)),
                " ",
                t("target_source", lang, source=definition.target.source),
            ],
            className="indicator__target",
        )
    ]
    if a.milestones:
        out.append(
            html.Section(
                [
                    html.H2(t("milestones_heading", lang), id="milestones"),
                    html.Ul(
                        [html.Li(milestone_text(m, a, definition, lang)) for m in a.milestones],
                        className="milestones",
                    ),
                ],
                **aria(labelledby="milestones"),
            )
        )
    return out


def catalog_target_source(definition: Definition) -> str | None:
    return definition.target.source if definition.target else None


def _figure(value: float | None, definition: Definition, lang: Lang) -> str:
    return (
        format_value(value, definition, lang)
        if value is not None and math.isfinite(value)
        else t("not_computed", lang)
    )


def _value_in_year(value: float | None, year: int | None, definition: Definition, lang: Lang) -> str:
    if value is None or year is None or not math.isfinite(value):
        return t("not_computed", lang)
    return t("value_in_year", lang, value=format_value(value, definition, lang), year=year)


def method_section(
    definition: Definition, a: Assessment, target_source: str | None, lang: Lang
) -> html.Section:
    """The method's figures: baseline, latest value, target, progress value, score, caveats."""
    rows: list[tuple[str, str]] = [
        (t("method_kind", lang), t(f"method_{a.method}", lang)),
        (t("fig_direction", lang), t(f"direction_{a.direction}", lang)),
        (t("fig_base", lang), _value_in_year(a.base_value, a.base_year, definition, lang)),
        (t("fig_current", lang), _value_in_year(a.current_value, a.current_year, definition, lang)),
    ]
    if a.target_value is not None:
        rows.append((t("fig_target", lang), _value_in_year(a.target_value, a.target_year, definition, lang)))
    if target_source:
        rows.append((t("fig_target_source", lang), target_source))
    rows += [
        (
            t("fig_progress", lang),
            format_number(a.progress_value, 3, lang)
            if a.progress_value is not None and math.isfinite(a.progress_value)
            else t("not_computed", lang),
        ),
        (
            t("fig_score", lang),
            format_number(a.score, 1, lang)
            if a.score is not None and math.isfinite(a.score)
            else t("not_computed", lang),
        ),
        (t("fig_projection", lang, year=a.target_year), _figure(a.projected_value, definition, lang)),
    ]
    items: list[Any] = []
    for term, value in rows:
        items += [html.Dt(term), html.Dd(value)]
    children: list[Any] = [
        html.H2(t("method_heading", lang), id="method"),
        html.Dl(items, className="figures"),
    ]
    caveat = borderline_note(a, lang)
    if caveat:
        children.append(html.P(caveat, className="note note--caution"))
    children.append(html.P(html.A(t("method_link", lang), href=urls.method(lang))))
    return html.Section(children, **aria(labelledby="method"))


def definition_text(definition: Definition, lang: Lang) -> list[Any]:
    """The definition's description, rendered from Markdown (raw HTML stays text)."""
    text = definition.text("description", lang)
    return render_markdown(text, top_level=3) if text.strip() else [html.P(t("definition_none", lang))]


def definition_attrs(definition: Definition, lang: Lang) -> dict[str, Any]:
    """``lang="nb"`` on the description when the definition has none in ``lang`` (the page's own
    "no description" sentence is in the page's language)."""
    return model_text(definition, "description", lang)[1] if definition.description.strip() else {}


def source_section(data: DashboardData, definition: Definition, lang: Lang) -> html.Section:
    """Where the figures come from: SSB tables (linked to the statbank) and other files."""
    items: list[Any] = []
    for credit in sources.attributions(definition):
        parts: list[Any]
        if credit.table is not None:
            parts = [html.A(t("source_table", lang, table=credit.table), href=credit.url)]
            updated = data.snapshot.table_updated.get(credit.table)
            if updated is not None:
                parts.append(", " + t("source_updated", lang, date=c.local_date(updated, lang)))
        else:
            # Another publisher's figures are credited to that publisher, never to SSB.
            publisher = credit.publisher_in(lang) or t("source_publisher_unknown", lang)
            parts = [publisher + ": ", html.A(credit.title, href=credit.url) if credit.url else credit.title]
            if credit.licence:
                parts.append(", " + t("source_licence", lang, licence=credit.licence))
        items.append(html.Li(parts))
    return html.Section(
        [
            html.H2(t("source_heading", lang), id="source"),
            html.Ul(items),
            html.P(t("data_date", lang, date=c.local_date(data.snapshot.data_as_of, lang))),
        ],
        **aria(labelledby="source"),
    )


def subgoals_section(data: DashboardData, definition: Definition, lang: Lang) -> html.Section:
    items = []
    for subgoal_id in definition.subgoals:
        subgoal = data.catalog.subgoal(subgoal_id)
        if subgoal is None:
            continue
        items.append(
            html.Li(
                html.A(
                    [f"{t('subgoal_heading', lang, id=subgoal.id)}: ", c.title_node(subgoal, lang)],
                    href=urls.subgoal(subgoal.id, lang),
                )
            )
        )
    return html.Section(
        [html.H2(t("subgoals_heading", lang), id="belongs"), html.Ul(items)],
        **aria(labelledby="belongs"),
    )


def downloads_section(definition: Definition, lang: Lang) -> html.Section:
    return html.Section(
        [
            html.H2(t("downloads_heading", lang), id="downloads"),
            html.Ul(
                [
                    html.Li(
                        html.A(
                            t("download_csv", lang),
                            id=ids.DOWNLOAD_CSV,
                            href=urls.data_csv(definition.id, lang),
                            download=f"{definition.id}.csv",
                        )
                    ),
                    html.Li(
                        html.A(
                            t("download_xlsx", lang),
                            id=ids.DOWNLOAD_XLSX,
                            href=urls.data_xlsx(definition.id, lang),
                            download=f"{definition.id}.xlsx",
                        )
                    ),
                    html.Li(
                        html.A(
                            t("download_json", lang),
                            id=ids.DOWNLOAD_JSON,
                            href=urls.data_json(definition.id),
                            download=f"{definition.id}.json",
                        )
                    ),
                ]
            ),
        ],
        **aria(labelledby="downloads"),
    )


def embed_code(data: DashboardData, definition: Definition, lang: Lang, origin: str) -> str:
    """The responsive snippet a web editor pastes into another site: the ``<iframe>`` and the
    resize script, which makes the frame exactly as tall as the embed's content."""
    base = origin.rstrip("/")
    src = base + urls.embed(definition.id, lang)
    script = base + "/embed/static/resize.js"
    return (
        f'<iframe src="{html_escape.escape(src)}" title="{html_escape.escape(frame_title(data, definition, lang))}" '
        f'width="100%" height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>\n'
        f'<script src="{html_escape.escape(script)}" async></script>'
    )


def embed_code_fixed(
    data: DashboardData, definition: Definition, lang: Lang, origin: str, height: int = FIXED_EMBED_HEIGHT
) -> str:
    """The snippet for sites that allow no script: a plain ``<iframe>`` of ``height`` px, and
    ``?height=`` tells the embed to lay out to exactly that (the chart gives way)."""
    path = urls.embed(definition.id, lang)
    src = origin.rstrip("/") + path + ("&" if "?" in path else "?") + f"height={height}"
    return (
        f'<iframe src="{html_escape.escape(src)}" title="{html_escape.escape(frame_title(data, definition, lang))}" '
        f'width="100%" height="{height}" style="border:0" loading="lazy"></iframe>'
    )


def frame_title(data: DashboardData, definition: Definition, lang: Lang) -> str:
    return t(
        "embed_title", lang, name=c.indicator_name(definition, lang), region=data.catalog.plan.region_name
    )


def _snippet(
    label: str, code_id: str, code: str, copy_label: str, copy_id: str, status_id: str, lang: Lang
) -> list[Any]:
    """A snippet's code box and its copy button; ``assets/copy.js`` copies the box named by the
    button's ``data-copy`` and says so in the region named by ``data-copy-status``."""
    copy_data: dict[str, Any] = {
        "data-copy": code_id,
        "data-copy-status": status_id,
        "data-copied": t("embed_copied", lang),
    }
    return [
        html.Label(label, htmlFor=code_id),
        dcc.Textarea(id=code_id, value=code, readOnly=True, rows=4, className="embed-code"),
        html.P(
            [
                html.Button(copy_label, id=copy_id, type="button", className="button", **copy_data),
                " ",
                html.Span(id=status_id, role="status", className="copy-status"),
            ]
        ),
    ]


def embed_section(data: DashboardData, definition: Definition, lang: Lang, origin: str) -> html.Section:
    return html.Section(
        [
            html.H2(t("embed_heading", lang), id="embed"),
            html.P(t("embed_intro", lang)),
            *_snippet(
                t("embed_snippet_responsive", lang),
                ids.EMBED_CODE,
                embed_code(data, definition, lang, origin),
                t("embed_copy", lang),
                ids.EMBED_COPY,
                ids.EMBED_COPY_STATUS,
                lang,
            ),
            *_snippet(
                t("embed_snippet_fixed", lang),
                ids.EMBED_CODE_FIXED,
                embed_code_fixed(data, definition, lang, origin),
                t("embed_copy_fixed", lang),
                ids.EMBED_COPY_FIXED,
                ids.EMBED_COPY_FIXED_STATUS,
                lang,
            ),
            html.P(html.A(t("embed_preview", lang), href=urls.embed(definition.id, lang))),
        ],
        **aria(labelledby="embed"),
    )


def page_title(data: DashboardData, lang: Lang, indicator_id: str | None = None, **_: Any) -> str:
    definition = data.catalog.indicators.get(indicator_id or "")
    return c.indicator_name(definition, lang) if definition else t("nf_title", lang)


def request_origin() -> str:
    """The site's public address (``SITE_URL``) for absolute embed addresses; never the
    request's Host header, which any client sets."""
    return security.site_url()


def layout(indicator_id: str | None = None, **kwargs: Any) -> html.Div:
    data, lang, wanted = data_module.current(), kwargs_lang(kwargs), str(indicator_id or "")
    origin = request_origin()
    if wanted not in data.catalog.indicators:
        return build(data, wanted, lang, origin=origin)  # not found: not worth remembering
    # Only a breakdown the indicator has counts (anything else is the total), so odd values
    # add no memo entries.
    chosen = breakdowns.chosen(data, wanted, kwargs.get(breakdowns.PARAMETER))
    variable = chosen.variable if chosen else None
    return data.memo(
        ("indicator", wanted, lang, origin, variable),
        lambda: build(data, wanted, lang, origin=origin, breakdown=variable),
    )


def memo_args(args: Mapping[str, str]) -> tuple[str, ...]:
    """The query values besides ``lang`` that change this page (for the page memo's key):
    the breakdown, when the indicator has it."""
    data = data_module.current()
    variable = args.get(breakdowns.PARAMETER)
    # From the definitions, not the snapshot: breakdowns are computed only when a page needs them.
    known = {b.variable for d in data.catalog.indicators.values() for b in d.breakdowns}
    return (variable,) if variable in known else ()


def register() -> None:
    dash.register_page(
        __name__,
        path_template=urls.INDICATOR,
        layout=layout,
        title=titled(page_title),
        order=3,
        memo_args=memo_args,
    )
