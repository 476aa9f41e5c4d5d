"""``python -m indicators check [ID]``: check definitions against SSB's live metadata.

First the definition's ``# UNCONFIRMED`` comments (codes nobody has confirmed against SSB), one
line each as ``UNCONFIRMED PATH:LINE: TEXT``, so they are read before anything else. Without an
ID every definition is checked: all UNCONFIRMED lines of the catalogue come first, then the
definitions with such marks, then the rest.

For every SSB series of the definition: the table exists and is annual, every selected variable
exists, every code exists or is a valid expression, codelists are offered, variables left out
can be eliminated, the plan's regions are asked for the way the table spells them (K-codes
with ``agg_KommSummer``, or plain codes), and the query's size. Then it fetches the data
exactly as ``refresh`` would and prints the last years for the home region. Problems are
printed one per line as ``PATH: FIELD: MESSAGE``; exit 1 if there is any.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from indicators.config import Settings
from indicators.errors import IndicatorError, SsbError, TableNotFound, UnknownVariable
from indicators.formatting import format_number
from indicators.plan.catalog import Catalog, load_catalog, printable
from indicators.plan.model import Definition, SsbSeries, is_annual
from indicators.series.arrays import evaluate_arrays, to_frame
from indicators.series.breakdown import compute_breakdowns
from indicators.sources import ReadContext, source_of
from indicators.sources.ssb import TableResponse, series_id, ssb_series
from indicators.ssb.client import SsbClient, TableMetadata, Variable, VarSelection
from indicators.ssb.query import selected_codes
from indicators.ssb.shape import TableShape, default_regions, table_region_code, table_shape
from indicators.store.planning import SeriesRef, plan_table

PREVIEW_YEARS = 5

UNCONFIRMED_PREFIX = "UNCONFIRMED"
_MARK = re.compile(r"^#\s*UNCONFIRMED\b:?\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{3,}(\S.*)$")  # indented further than "# " itself


@dataclass(frozen=True)
class Unconfirmed:
    """One ``# UNCONFIRMED: ...`` comment of a definition file (continuation lines joined)."""

    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{UNCONFIRMED_PREFIX} {self.path}:{self.line}: {self.text}"


def unconfirmed_marks(path: Path) -> list[Unconfirmed]:
    """The ``# UNCONFIRMED`` comments of one file, in order.

    A mark is a comment line starting ``# UNCONFIRMED``; the comment lines right after it that are
    indented further (``#`` and at least three spaces, not a ``- `` list item) continue it.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    marks: list[Unconfirmed] = []
    current: tuple[int, list[str]] | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        mark = _MARK.match(line)
        more = _CONTINUATION.match(line) if current is not None and not mark else None
        if more and not more.group(1).startswith("- "):
            current[1].append(more.group(1).strip())  # type: ignore[index]
            continue
        if current is not None:
            marks.append(Unconfirmed(str(path), current[0], " ".join(current[1]).strip()))
            current = None
        if mark:
            current = (number, [mark.group(1).strip()])
    if current is not None:
        marks.append(Unconfirmed(str(path), current[0], " ".join(current[1]).strip()))
    return marks


@dataclass
class Report:
    """Problems (they fail the check) and notes, each one line, for one definition."""

    path: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    result: pd.DataFrame | None = None  # the indicator's series (every region), once computed

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{self.path}: {where}: {message}")


def command(args: argparse.Namespace, settings: Settings) -> int:
    """Check ``args.id`` (or every definition); UNCONFIRMED marks first; 0 if fine, 1 if not."""
    catalog = load_catalog(settings.definitions, settings.goals)
    preview = getattr(args, "preview", False)
    if preview and args.id is None:
        print("error: --preview needs an indicator id: check ID --preview", file=sys.stderr)
        return 2
    if args.id is None:
        return _check_all(catalog, settings)
    definition = catalog.indicators.get(args.id)
    if definition is None:
        close = difflib.get_close_matches(args.id, list(catalog.indicators), n=3)
        hint = (
            f"; did you mean {', '.join(close)}?" if close else f"; see the files in {settings.definitions}"
        )
        print(f"error: no indicator {args.id!r}{hint}", file=sys.stderr)
        return 1
    for mark in _marks(catalog, definition.id):
        print(mark)
    client = SsbClient(settings.ssb_api_url, on_event=_progress)
    report = check_definition(definition, catalog, client, out=print)
    for problem in report.problems:
        print(problem)
    if report.problems:
        print(f"{len(report.problems)} problem(s) in {args.id}", file=sys.stderr)
        return 1
    if preview and report.result is not None:
        svg = Path(args.svg) if args.svg else Path(f"{definition.id}.svg")
        code = write_preview(definition, catalog, report.result, settings, svg, out=print)
        if code:
            return code
    print(f"OK: {args.id} matches SSB's metadata at {settings.ssb_api_url}")
    return 0


def write_preview(
    definition: Definition,
    catalog: Catalog,
    result: pd.DataFrame,
    settings: Settings,
    svg: Path,
    *,
    out: Callable[[str], None],
) -> int:
    """``check ID --preview``: every year of every region, the assessment, and the chart as SVG.

    The chart is drawn by the dashboard's own SVG drawer (the one behind its exported pictures),
    from a snapshot holding only this indicator, so it looks as it will on the site; nothing is
    written to the cache. Data from a loopback API (the stub) is marked as test data on it.
    Returns 0, or 1 when the picture cannot be written (said in one line).
    """
    from dashboard.data import build_data  # the dashboard only for the picture: imported late
    from dashboard.export import picture_svg
    from indicators.assessment.explain import status_label, target_text
    from indicators.formatting import format_value
    from indicators.store.snapshot import Snapshot, is_loopback_url

    alone = replace(catalog, indicators={definition.id: definition})
    snapshot = Snapshot(
        catalog=alone,
        series={definition.id: result},
        problems={},
        data_as_of=datetime.now(UTC),
        table_updated={},
        demo=False,
        version="preview",
        last_refresh=None,
        api_url=settings.ssb_api_url,
        test_data=is_loopback_url(settings.ssb_api_url),
    )
    data = build_data(snapshot)
    regions = list(dict.fromkeys(result["region"]))
    home = catalog.plan.region
    regions.sort(key=lambda r: r != home)  # home first, the peers in the table's order
    # Region names come from SSB's answer: escaped, so a newline cannot forge an output line.
    names = {r: printable(str(n)) for r, n in zip(result["region"], result["region_name"], strict=True)}
    years = sorted({int(y) for y in result["year"]})
    rows = zip(result["region"], result["year"], result["value"], result["status"], strict=True)
    cells = {(r, int(y)): (v, st) for r, y, v, st in rows}
    out(
        f"Preview of {definition.id} «{printable(definition.name)}» ({printable(definition.unit)}), every year:"
    )
    width = max(len(names.get(r, r)) for r in regions) if regions else 6
    out("  " + " " * width + "".join(f"{y:>10}" for y in years))
    for region in regions:
        row = []
        for year in years:
            value, status = cells.get((region, year), (float("nan"), None))
            shown = format_number(value, definition.decimals) if not pd.isna(value) else (status or "..")
            row.append(f"{shown:>10}")
        out(f"  {names.get(region, region):<{width}}" + "".join(row))
    assessment = data.assessments[definition.id]
    lang = catalog.plan.default_language  # the status words and the picture as `status` speaks them
    latest = (
        f"{format_value(assessment.current_value, definition, lang)} ({assessment.current_year})"
        if assessment.current_year
        else "–"
    )
    out(
        f"Assessment: {status_label(assessment.status, lang)}; score "
        f"{format_number(assessment.score, 1)}; latest {latest}; target {target_text(assessment, definition, lang)}"
    )
    try:
        svg.write_text(picture_svg(data, definition.id, lang), encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write the picture {svg}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return 1
    mark = " (marked TESTDATA: the data comes from a local stub, not SSB)" if snapshot.test_data else ""
    out(f"Chart written to {svg}{mark}")
    return 0


def _marks(catalog: Catalog, indicator: str) -> list[Unconfirmed]:
    path = catalog.sources.get(indicator)
    return unconfirmed_marks(path) if path is not None else []


def _check_all(catalog: Catalog, settings: Settings) -> int:
    """Every definition: the UNCONFIRMED lines of the whole catalogue, then each check in turn."""
    marks = {indicator: _marks(catalog, indicator) for indicator in sorted(catalog.indicators)}
    unconfirmed = [indicator for indicator, found in marks.items() if found]
    for indicator in unconfirmed:
        for mark in marks[indicator]:
            print(mark)
    print(
        f"{len(unconfirmed)} of {len(marks)} definitions have UNCONFIRMED codes: "
        + (", ".join(unconfirmed) or "none")
    )
    client = SsbClient(settings.ssb_api_url, on_event=_progress)
    failed: list[str] = []
    for indicator in [*unconfirmed, *(i for i in marks if i not in unconfirmed)]:
        print(f"== {indicator}" + (" (UNCONFIRMED)" if marks[indicator] else ""))
        report = check_definition(catalog.indicators[indicator], catalog, client, out=print)
        for problem in report.problems:
            print(problem)
        if report.problems:
            failed.append(indicator)
    if failed:
        print(f"problems in {len(failed)} of {len(marks)} definitions: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"OK: {len(marks)} definitions match SSB's metadata at {settings.ssb_api_url}")
    return 0


def check_definition(
    definition: Definition, catalog: Catalog, client: SsbClient, *, out: Callable[[str], None]
) -> Report:
    """Check every series of one definition and, if all is well, print its preview through ``out``."""
    path = str(catalog.sources.get(definition.id, Path(f"{definition.id}.toml")))
    report = Report(path)
    docs: dict[str, dict] = {}
    for name, series in ssb_series(definition).items():
        doc = _check_series(name, series, definition, catalog, client, report, out)
        if doc is not None:
            docs[name] = doc
    _check_breakdowns(definition, client, report)
    for note in report.notes:
        out(note)
    if not report.problems:
        _preview(definition, catalog, docs, report, out)
    return report


def _check_breakdowns(definition: Definition, client: SsbClient, report: Report) -> None:
    """Every breakdown variable is in each SSB series' table, is not its region or time, and
    its codes exist there."""
    for i, breakdown in enumerate(definition.breakdowns):
        where = f"breakdowns[{i}]"
        for name, series in ssb_series(definition).items():
            try:
                meta = client.metadata(series.table)
            except SsbError:
                continue  # already reported by the series' own check
            variable = next((v for v in meta.variables if v.code == breakdown.variable), None)
            if variable is None:
                codes = [v.code for v in meta.variables if v.role not in ("geo", "time")]
                close = difflib.get_close_matches(breakdown.variable, codes, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]}? " if close else ""
                report.problem(
                    f"{where}.variable",
                    f"table {series.table} (series.{name}) has no variable {breakdown.variable}; {hint}"
                    f"the variables to break down by are {', '.join(codes)}",
                )
                continue
            if variable.role in ("geo", "time"):
                report.problem(
                    f"{where}.variable",
                    f"{variable.code} is the {'region' if variable.role == 'geo' else 'time'} variable of "
                    f"table {series.table}, which every chart already shows; break down by another variable",
                )
                continue
            asked = breakdown.codes or [c for codes in (breakdown.groups or {}).values() for c in codes]
            for code in asked:
                if code not in variable.codes:
                    report.problem(
                        f"{where}", f"{code!r} {_no_match(code, variable, None)} in table {series.table}"
                    )


def _check_series(
    name: str,
    series: SsbSeries,
    definition: Definition,
    catalog: Catalog,
    client: SsbClient,
    report: Report,
    out: Callable[[str], None],
) -> dict | None:
    """Check one series; fetch and return its data when its selection is sound."""
    where = f"series.{name}"
    try:
        info = client.table_info(series.table)
        meta = client.metadata(series.table)
    except TableNotFound:
        report.problem(f"{where}.table", f"SSB has no table {series.table}; check the id on ssb.no/statbank")
        return None
    except SsbError as exc:
        report.problem(where, str(exc))
        return None
    out(
        f"{where}: table {series.table} «{info.label}», updated {info.updated:%Y-%m-%d}, {info.first_period}–{info.last_period}"
    )
    before = len(report.problems)
    if not is_annual(info.time_unit):
        report.problem(
            f"{where}.table",
            f"table {series.table} is {info.time_unit or 'of unknown frequency'}, not annual; "
            "only annual tables are supported",
        )
    try:
        _check_selection(where, series, meta, client, report)
    except SsbError as exc:  # e.g. a codelist that cannot be fetched
        report.problem(where, str(exc))
    shape = table_shape(meta, catalog.plan)
    if shape.geo is None:
        report.problem(where, f"table {series.table} has no region variable; this version needs one")
    if len(report.problems) > before:
        return None
    ref = SeriesRef(definition.id, name, series)
    selection = plan_table(series.table, [ref], shape, catalog)[0].selection
    _check_regions(where, series, meta, shape, selection, definition, catalog, client, report, out)
    if len(report.problems) > before:
        return None
    try:
        cells = client.count_cells(series.table, selection)
        limit = client.config().max_data_cells
        parts = "" if cells <= limit else f" — over SSB's limit of {limit}, so it is fetched in parts"
        out(f"{where}: the query selects {format_number(cells)} cells{parts}")
        return client.data(series.table, selection)
    except SsbError as exc:
        report.problem(where, str(exc))
        return None


def _check_selection(
    where: str, series: SsbSeries, meta: TableMetadata, client: SsbClient, report: Report
) -> None:
    """Variables, codes, expressions and codelists of the series' own ``select``."""
    selects = series.value_codes()
    for var_code, items in selects.items():
        try:
            variable = meta.variable(var_code)
        except UnknownVariable as exc:
            report.problem(f"{where}.select.{var_code}", str(exc))
            continue
        codelist = series.codelist.get(var_code)
        values = None
        if codelist:
            if codelist not in variable.codelists:
                offered = ", ".join(variable.codelists) or "none"
                report.problem(
                    f"{where}.codelist.{var_code}",
                    f"table {series.table} does not offer codelist {codelist} for {var_code} (offered: {offered})",
                )
                continue
            values = client.codelist_codes(codelist)
        chosen, unmatched = selected_codes(variable, VarSelection(items, codelist), values)
        for item in unmatched:
            report.problem(f"{where}.select.{var_code}", f"{item!r} {_no_match(item, variable, values)}")
        if not chosen and not unmatched:
            report.problem(f"{where}.select.{var_code}", f"{items} selects no code of {var_code}")
    for var_code in series.codelist:
        if var_code not in selects and (meta.geo_variable is None or var_code != meta.geo_variable.code):
            report.problem(
                f"{where}.codelist.{var_code}", f"{var_code} is not selected, so its codelist is not used"
            )
    for variable in meta.variables:
        if variable.code in selects or variable.role in ("geo", "time"):
            continue
        if not variable.elimination:
            report.problem(
                f"{where}.select",
                f"{variable.code} ({variable.label}) cannot be left out of table {series.table}: select its "
                f"code(s), e.g. {variable.code} = {variable.codes[0]!r} ({variable.labels[variable.codes[0]]})",
            )
        else:
            report.notes.append(f"{where}: {variable.code} is not selected: SSB sums over it")


def _no_match(item: str, variable: Variable, values: dict[str, list[str]] | None) -> str:
    codes = list(values) if values is not None else variable.codes
    close = difflib.get_close_matches(item, codes, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; codes are e.g. {', '.join(codes[:5])}"
    return f"matches no code of {variable.code}{hint}"


def _check_regions(
    where: str,
    series: SsbSeries,
    meta: TableMetadata,
    shape: TableShape,
    selection: dict[str, VarSelection],
    definition: Definition,
    catalog: Catalog,
    client: SsbClient,
    report: Report,
    out: Callable[[str], None],
) -> None:
    """The plan's regions as refresh will ask for them exist in the table (or its codelist)."""
    geo = meta.variable(shape.geo) if shape.geo else None
    if geo is None or geo.code in series.select:
        return
    asked = selection[geo.code]
    if asked.codelist:
        mode = f"K-codes with codelist {asked.codelist}"
        table_codes = set(geo.codes)
        codes = {
            c for c, mapped in client.codelist_codes(asked.codelist).items() if table_codes & set(mapped)
        }
    else:
        mode = (
            "K-codes as the table has them"
            if shape.k_codes
            else "plain municipality codes (no K-sum codelist)"
        )
        codes = set(geo.codes)
    out(f"{where}: regions {', '.join(asked.value_codes)} as {mode} in {geo.code}")
    home = table_region_code(catalog.plan.region, shape.k_codes)
    for region in default_regions(catalog, definition):
        code = table_region_code(region, shape.k_codes)
        if code in codes:
            continue
        role = "the home region" if code == home else "peer"
        fix = "" if code == home else "; set `peers` in the definition to leave it out"
        report.problem(
            f"{where}",
            f"{role} {region} is not in table {series.table} ({code} is not a code of {geo.code}){fix}",
        )


def _preview(
    definition: Definition,
    catalog: Catalog,
    docs: dict[str, dict],
    report: Report,
    out: Callable[[str], None],
) -> None:
    """The last years of each series and of the indicator for the home region."""
    # SSB's live answers stand in for the cache: one response per series, serving that series.
    responses = {
        name: [TableResponse({}, (series_id(definition.id, name),), doc)] for name, doc in docs.items()
    }
    context = ReadContext(
        catalog, definition, _by_table(responses, definition), default_regions(catalog, definition)
    )
    try:
        arrays = {name: source_of(s).read(name, s, context) for name, s in definition.series.items()}
        home_pair = (catalog.plan.region, catalog.plan.region_name)
        result = to_frame(evaluate_arrays(definition.parsed_formula, arrays, home_pair))
        parts = {name: to_frame(a) for name, a in arrays.items()}
    except IndicatorError as exc:
        report.problem("formula", f"the series were fetched but the indicator could not be computed: {exc}")
        return
    home = catalog.plan.region
    shown = {
        **{f"series.{n}": (f, 0) for n, f in parts.items()},
        definition.id: (result, definition.decimals),
    }
    # Each breakdown's categories, cut from the same answers (refresh asks for them in one request).
    done, trouble = compute_breakdowns(definition, catalog, _by_table(responses, definition))
    for i, breakdown in enumerate(definition.breakdowns):
        if breakdown.variable in trouble:
            report.problem(f"breakdowns[{i}]", trouble[breakdown.variable])
    for series in done:
        for category in series.categories:
            label = f"{definition.id} by {series.variable} = {category.code} ({category.label})"
            shown[label] = (to_frame(category.series), definition.decimals)
    out(f"Preview for {catalog.plan.region_name} ({home}), last {PREVIEW_YEARS} years:")
    for label, (frame, decimals) in shown.items():
        rows = frame[frame["region"] == home].tail(PREVIEW_YEARS)
        if rows.empty:
            report.problem(label, f"no values for the home region {home}")
            continue
        cells = [
            f"{year}: {s if pd.isna(v) else format_number(v, decimals)}"
            for year, v, s in zip(rows["year"], rows["value"], rows["status"].fillna(".."), strict=True)
        ]
        unit = f" {definition.unit}" if label.startswith(definition.id) else ""
        out(f"  {label}{unit}: " + " · ".join(cells))
    report.result = result


def _by_table(
    responses: dict[str, list[TableResponse]], definition: Definition
) -> dict[str, list[TableResponse]]:
    """The per-series live responses grouped by table, as the cache holds them."""
    grouped: dict[str, list[TableResponse]] = {}
    for name, series in ssb_series(definition).items():
        if name in responses:
            grouped.setdefault(series.table, []).extend(responses[name])
    return grouped


def _progress(kind: str, payload: dict) -> None:
    """Retries and long rate-limit waits are worth a line on stderr: the user sees why it is slow."""
    if kind == "retry":
        print(
            f"  retrying {payload.get('url')} in {payload.get('wait', 0):.1f} s ({payload.get('reason')})",
            file=sys.stderr,
        )
    elif kind == "rate_limit_wait" and payload.get("seconds", 0) >= 1:
        print(f"  waiting {payload['seconds']:.1f} s for SSB's rate limit", file=sys.stderr)
