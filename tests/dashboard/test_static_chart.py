"""``static_chart.figure_svg``: Plotly figure dicts drawn on the server as SVG.

Read back as XML, the way a browser would: what lines there are and how they are dashed, what
the legend and ticks say, that missing values break lines, and that no text can escape; the
shapes; the sparklines and small charts (the same drawer); and strict mode, which fails on
whatever in a figure cannot be drawn.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import math
import re
from urllib.parse import unquote
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import figures, static_chart
from dashboard.chart_model import UnsupportedFigure, figure_problems, nice_ticks
from dashboard.data import build_data
from dashboard.embed_html import EmbedOptions, figure_payload, shown_frame
from dashboard.static_chart import dash_array, figure_svg
from indicators.assessment.progress import assess
from tests.dashboard.conftest import ELBIL, ELBIL_YEARS, frame

SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"


def parse(svg: str) -> ElementTree.Element:
    assert svg.startswith("<svg ") and not svg.startswith("<?xml")
    return ElementTree.fromstring(svg)


def traces(root: ElementTree.Element) -> dict[int, ElementTree.Element]:
    return {int(g.get("data-trace")): g for g in root.iter(f"{SVG}g") if g.get("class") == "trace"}


def legend(root: ElementTree.Element) -> list[str]:
    return [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if g.get("class") == "legend-item"]


def tick_labels(root: ElementTree.Element) -> list[str]:
    ticks = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ticks")
    return [t.text for t in ticks.iter(f"{SVG}text")]


def y_tick_labels(root: ElementTree.Element) -> list[str]:
    ticks = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ticks")
    return [t.text for t in ticks.iter(f"{SVG}text") if t.get("text-anchor") == "end"]


def scatter(name: str, x: list, y: list, **extra: object) -> dict:
    return {"type": "scatter", "name": name, "x": x, "y": y, "mode": "lines", **extra}


@pytest.fixture(scope="module")
def elbil(data) -> dict:
    definition = data.catalog.indicators["elbil"]
    return figure_payload(data, definition, shown_frame(data, definition, True), EmbedOptions("no"))


def test_each_trace_is_drawn_with_its_colour_width_and_dash(elbil) -> None:
    root = parse(figure_svg(elbil, width=700, height=380))
    drawn = traces(root)
    for index, spec in enumerate(elbil["data"]):
        group = drawn[index]
        if spec["mode"] == "markers" or len(spec["x"]) == 1:  # one point draws no line
            assert group.find(f"{SVG}g") is not None  # the marker, with its tooltip
            continue
        lines = list(group.iter(f"{SVG}polyline"))
        assert lines, spec["name"]
        for line in lines:
            assert line.get("stroke") == spec["line"]["color"]
            assert float(line.get("stroke-width")) == spec["line"]["width"]
            assert line.get("stroke-dasharray") == dash_array(spec["line"]["dash"], spec["line"]["width"])
    home = next(i for i, s in enumerate(elbil["data"]) if s["name"] == "Trondheim: målt")
    assert drawn[home].find(f".//{SVG}polyline").get("stroke-dasharray") is None  # solid
    path = next(i for i, s in enumerate(elbil["data"]) if s["name"] == "Rett vei til målet")
    assert drawn[path].find(f".//{SVG}polyline").get("stroke-dasharray") == "3,3"  # dot
    # The home line has a dot per year, each with its value as a tooltip, in Norwegian style.
    tips = [t.text for t in drawn[home].iter(f"{SVG}title")]
    assert len(tips) == len(ELBIL_YEARS)
    assert tips[-1] == f"Trondheim: målt – 2024: 41,7{NBSP}%"


@pytest.mark.parametrize(
    ("dash", "width", "expected"),
    [
        ("solid", 2, None),
        ("dot", 2, "3,3"),
        ("dash", 2, "9,9"),
        ("dashdot", 1.25, "9,3,3,3"),
        ("longdash", 4, "20,20"),
        ("5px,10px", 2, "5,10"),
    ],
)
def test_dash_patterns_are_plotlys(dash: str, width: float, expected: str | None) -> None:
    assert dash_array(dash, width) == expected


def test_the_legend_names_every_line_in_legend_rank_order(elbil) -> None:
    root = parse(figure_svg(elbil, width=700, height=380))
    assert legend(root) == figures.legend_text(elbil)
    narrow = parse(figure_svg(elbil, width=320, height=380))
    assert legend(narrow) == figures.legend_text(elbil)
    rows = {
        float(g.find(f"{SVG}text").get("y"))
        for g in narrow.iter(f"{SVG}g")
        if g.get("class") == "legend-item"
    }
    assert len(rows) > len(
        {
            float(g.find(f"{SVG}text").get("y"))
            for g in root.iter(f"{SVG}g")
            if g.get("class") == "legend-item"
        }
    )


def test_legend_entries_do_not_overlap_and_stay_inside_the_chart(elbil) -> None:
    for width in (320, 420, 560, 740, 960):
        root = parse(figure_svg(elbil, width=width, height=380))
        rows: dict[str, list[float]] = {}
        for item in (g for g in root.iter(f"{SVG}g") if g.get("class") == "legend-item"):
            text = item.find(f"{SVG}text")
            rows.setdefault(text.get("y"), []).append(float(text.get("x")))
        for starts in rows.values():
            assert starts == sorted(starts)
            assert all(b - a > 60 for a, b in itertools.pairwise(starts))
        assert all(x < width for starts in rows.values() for x in starts)


def test_ticks_are_in_norwegian_style_with_the_axis_format() -> None:
    figure = {
        "data": [scatter("Folketall", [2016, 2020, 2024], [190_000.0, 205_000.0, 212_660.0])],
        "layout": {
            "separators": ", ",
            "yaxis": {"tickformat": ",d", "rangemode": "tozero", "title": {"text": "personer"}},
            "xaxis": {"tickformat": "d"},
        },
    }
    root = parse(figure_svg(figure, width=600, height=300))
    labels = y_tick_labels(root)
    assert labels[0] == "0"
    assert f"200{NBSP}000" in labels  # thousands grouped with a non-breaking space
    assert "2020" in tick_labels(root) and f"2{NBSP}020" not in tick_labels(root)  # years are not
    assert "personer" in [t.text for t in root.iter(f"{SVG}text")]
    english = parse(
        figure_svg({**figure, "layout": {**figure["layout"], "separators": ".,"}}, width=600, height=300)
    )
    assert "200,000" in y_tick_labels(english)


def test_decimal_ticks_use_a_decimal_comma_and_a_true_minus() -> None:
    figure = {
        "data": [scatter("Endring", [2020, 2021, 2022], [-1.5, 0.25, 1.0])],
        "layout": {"separators": ", ", "yaxis": {"tickformat": ",.1f"}},
    }
    labels = y_tick_labels(parse(figure_svg(figure, width=500, height=300)))
    assert "0,0" in labels
    assert any(label.startswith("\u2212") and "," in label for label in labels)
    assert all("." not in label for label in labels)


def test_every_text_is_escaped(elbil) -> None:
    evil = '<script>alert("x")</script> & </svg><svg onload="alert(1)">'
    figure = {
        "data": [
            scatter(evil, [2020, 2021], [1.0, 2.0], customdata=[evil, evil], line={"color": '" onload="x'})
        ],
        "layout": {
            "yaxis": {"title": {"text": evil}},
            "annotations": [
                {"text": evil, "xref": "paper", "yref": "paper", "x": 0, "y": 1, "showarrow": False}
            ],
        },
    }
    svg = figure_svg(figure, width=400, height=300, title=evil, desc=evil, title_id='t" x="', desc_id="d")
    root = parse(svg)  # still one well-formed SVG element
    assert "<script" not in svg and "<svg onload" not in svg
    assert not list(root.iter(f"{SVG}script")) and len(list(root.iter(f"{SVG}svg"))) == 1  # the root only
    assert not [e for e in root.iter() if any(name.startswith("on") for name in e.attrib)]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert evil in texts  # shown as text, intact
    assert root.find(f"{SVG}title").text == evil
    assert root.find(f".//{SVG}polyline").get("stroke") != '" onload="x'  # not a colour: Plotly's default


def test_missing_values_split_the_line_and_never_become_zero() -> None:
    figure = {
        "data": [scatter("A", [2015, 2016, 2017, 2018, 2019, 2020], [1.0, 2.0, None, float("nan"), 5.0, 6.0])]
    }
    root = parse(figure_svg(figure, width=500, height=300))
    lines = list(root.iter(f"{SVG}polyline"))
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    bottom = max(float(p.split(",")[1]) for line in lines for p in line.get("points").split())
    zero_free = all(float(p.split(",")[1]) <= bottom for line in lines for p in line.get("points").split())
    assert zero_free
    # A lone value between two gaps is still visible, as a dot.
    lone = {"data": [scatter("B", [2015, 2016, 2017], [None, 3.0, None])]}
    group = traces(parse(figure_svg(lone, width=500, height=300)))[0]
    assert group.find(f".//{SVG}circle[@fill='#1f77b4']") is not None


def test_peers_with_gaps_from_the_real_figure_are_split(snapshot) -> None:
    # Bergen has no 2015 figure and Oslo a gap in 2019: both lines start or break there.
    oslo = list(ELBIL["K-0301"])
    oslo[4] = np.nan
    rows = frame({**ELBIL, "K-0301": oslo}, ELBIL_YEARS)
    data = build_data(dataclasses.replace(snapshot, series={**snapshot.series, "elbil": rows}))
    definition = data.catalog.indicators["elbil"]
    payload = figure_payload(data, definition, shown_frame(data, definition, True), EmbedOptions("no"))
    drawn = traces(parse(figure_svg(payload, width=700, height=380)))
    by_name = {spec["name"]: drawn[i] for i, spec in enumerate(payload["data"])}
    assert len(list(by_name["Oslo (til sammenligning)"].iter(f"{SVG}polyline"))) == 2
    assert len(list(by_name["Bergen (til sammenligning)"].iter(f"{SVG}polyline"))) == 1


def test_a_figure_without_data_is_an_empty_chart_that_says_so() -> None:
    for figure in ({}, {"data": []}, {"data": [scatter("Tom", [], [])], "layout": {"separators": ", "}}):
        root = parse(figure_svg(figure, width=400, height=250, empty_text="Ingen data"))
        assert root.get("width") == "400" and root.get("viewBox") == "0 0 400 250"
        assert "Ingen data" in [t.text for t in root.iter(f"{SVG}text")]
        assert not list(root.iter(f"{SVG}polyline"))


def test_a_single_point_is_drawn_and_labelled() -> None:
    layout = {"separators": ", ", "xaxis": {"tickformat": "d"}}  # as dashboard/figures.py
    figure = {"data": [scatter("Én", [2024], [41.7], mode="lines+markers")], "layout": layout}
    root = parse(figure_svg(figure, width=400, height=250))
    marker = traces(root)[0].find(f".//{SVG}circle")
    assert marker is not None
    assert traces(root)[0].find(f".//{SVG}title").text == "Én – 2024: 41,7"
    assert "2024" in tick_labels(root)


def test_the_demo_mark_is_on_the_chart(app_factory) -> None:
    from indicators.plan.catalog import load_catalog
    from tests.dashboard.conftest import make_snapshot, settings

    s = settings()
    data = build_data(make_snapshot(load_catalog(s.definitions, s.goals), demo=True))
    definition = data.catalog.indicators["elbil"]
    payload = figure_payload(data, definition, shown_frame(data, definition, True), EmbedOptions("en"))
    root = parse(figure_svg(payload, width=560, height=380))
    notes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "annotation"]
    note = next(g for g in notes if g.find(f"{SVG}text").text == "DEMO DATA")
    assert note.find(f"{SVG}rect").get("fill") == "#fff3cd"
    # Above the plot area, so that it hides no line.
    ticks = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ticks")
    plot_top = min(float(t.get("y")) for t in ticks.iter(f"{SVG}text") if t.get("text-anchor") == "end")
    assert float(note.find(f"{SVG}rect").get("y")) + float(note.find(f"{SVG}rect").get("height")) < plot_top


def test_accessibility_attributes() -> None:
    figure = {"data": [scatter("A", [2020, 2021], [1.0, 2.0])]}
    root = parse(figure_svg(figure, width=400, height=250, title_id="name", desc_id="about"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "name" and root.get("aria-describedby") == "about"
    plain = parse(figure_svg(figure, width=400, height=250))
    assert plain.get("role") == "img" and plain.get("aria-labelledby") is None


def test_y_axis_starts_at_zero_when_the_figure_says_so_and_not_otherwise() -> None:
    values = [50.0, 55.0, 60.0]
    figure = {
        "data": [scatter("A", [2020, 2021, 2022], values)],
        "layout": {"yaxis": {"rangemode": "tozero"}},
    }
    assert y_tick_labels(parse(figure_svg(figure, width=400, height=300)))[0] == "0"
    free = {"data": figure["data"], "layout": {"yaxis": {}}}
    assert y_tick_labels(parse(figure_svg(free, width=400, height=300)))[0] != "0"


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.just(math.nan), st.floats(min_value=-1e9, max_value=1e9)),
        min_size=0,
        max_size=15,
    ),
    peers=st.integers(min_value=0, max_value=6),
    width=st.integers(min_value=200, max_value=1200),
    height=st.integers(min_value=160, max_value=1200),
)
def test_any_series_gives_well_formed_svg_with_finite_coordinates(
    values: list[float | None], peers: int, width: int, height: int
) -> None:
    years = list(range(2010, 2010 + len(values)))
    data = [scatter("Hjem", years, values, mode="lines+markers")]
    data += [
        scatter(f"Nabo {i}", years, [None if v is None else v * (i + 2) for v in values])
        for i in range(peers)
    ]
    layout = {"separators": ", ", "showlegend": True}
    root = parse(figure_svg({"data": data, "layout": layout}, width=width, height=height))
    numbers = []
    for element in root.iter():
        for name in ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "width", "height"):
            if element.get(name) is not None:
                numbers.append(float(element.get(name)))
        if element.get("points"):
            numbers += [float(n) for n in re.split(r"[ ,]", element.get("points"))]
    assert all(math.isfinite(n) for n in numbers)
    assert len(legend(root)) == 1 + peers


def test_a_span_below_float_precision_gets_one_tick_not_an_error() -> None:
    # Found by the property test above: values of 5e-324 underflowed the tick step to zero.
    assert nice_ticks(0.0, 1e-323, 5) == [0.0]


@pytest.mark.parametrize(
    ("lo", "hi", "count", "expected"),
    [
        (0, 105, 6, [0, 20, 40, 60, 80, 100]),
        (2014.5, 2032.5, 8.6, [2015, 2020, 2025, 2030]),
        (0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    ],
)
def test_nice_ticks(lo: float, hi: float, count: float, expected: list[float]) -> None:
    assert nice_ticks(lo, hi, count) == pytest.approx(expected)


# --- shapes ----------------------------------------------------------------------------------

# A plot area of known pixels: margins kept exactly, x 2020–2030 over 50–350, y 0–100 over 250–50.
BOXED = {
    "margin": {"l": 50, "r": 50, "t": 50, "b": 50},
    "xaxis": {"range": [2020, 2030], "automargin": False},
    "yaxis": {"range": [0, 100], "automargin": False},
}


def shapes(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "shape"]


def boxed(*shape_specs: dict, **layout: object) -> ElementTree.Element:
    figure = {
        "data": [scatter("A", [2020, 2025, 2030], [10.0, 50.0, 90.0])],
        "layout": {**BOXED, "shapes": list(shape_specs), **layout},
    }
    return parse(figure_svg(figure, width=400, height=300))


def test_a_target_line_across_the_plot_is_drawn_at_its_value() -> None:
    target = {
        "type": "line",
        "xref": "paper",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": 60,
        "y1": 60,
        "line": {"color": "#D55E00", "width": 2, "dash": "dot"},
    }
    (group,) = shapes(boxed(target))
    line = group.find(f"{SVG}line")
    assert {k: line.get(k) for k in ("x1", "x2", "y1", "y2")} == {
        "x1": "50",
        "x2": "350",
        "y1": "130",
        "y2": "130",
    }
    assert line.get("stroke") == "#D55E00" and line.get("stroke-width") == "2"
    assert line.get("stroke-dasharray") == dash_array("dot", 2)
    assert group.get("clip-path")  # in data coordinates: kept inside the plot area


def test_a_vertical_line_at_the_target_year_spans_the_plot() -> None:
    year = {"type": "line", "xref": "x", "yref": "paper", "x0": 2025, "x1": 2025, "y0": 0, "y1": 1}
    line = shapes(boxed(year))[0].find(f"{SVG}line")
    assert (line.get("x1"), line.get("x2"), line.get("y1"), line.get("y2")) == ("200", "200", "250", "50")
    assert line.get("stroke") == "#444444"  # Plotly's default line colour


def test_a_rectangle_in_data_coordinates_is_filled_and_layered() -> None:
    band = {
        "type": "rect",
        "x0": 2020,
        "x1": 2022,
        "y0": 0,
        "y1": 10,
        "fillcolor": "#E69F00",
        "opacity": 0.4,
        "line": {"width": 0},
        "layer": "below",
    }
    root = boxed(band)
    (group,) = shapes(root)
    rect = group.find(f"{SVG}rect")
    assert {k: rect.get(k) for k in ("x", "y", "width", "height", "fill", "stroke")} == {
        "x": "50",
        "y": "230",
        "width": "60",
        "height": "20",
        "fill": "#E69F00",
        "stroke": "none",
    }
    assert group.get("opacity") == "0.4"
    order = [g.get("class") for g in root if g.tag == f"{SVG}g"]
    assert order.index("shape") < order.index("trace")  # layer "below": under the line
    over = boxed({**band, "layer": "above"})
    order = [g.get("class") for g in over if g.tag == f"{SVG}g"]
    assert order.index("shape") > order.index("trace")


def test_autorange_keeps_a_shape_in_data_coordinates_in_view() -> None:
    target = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 150, "y1": 150}
    figure = {"data": [scatter("A", [2020, 2021], [10.0, 20.0])], "layout": {"shapes": [target]}}
    root = parse(figure_svg(figure, width=400, height=300))
    line = shapes(root)[0].find(f"{SVG}line")
    clip = root.find(f".//{SVG}clipPath/{SVG}rect")
    top, bottom = float(clip.get("y")), float(clip.get("y")) + float(clip.get("height"))
    assert top < float(line.get("y1")) < bottom
    assert any(float(label.replace(NBSP, "")) >= 150 for label in y_tick_labels(root))


# --- strict mode -------------------------------------------------------------------------------


def test_strict_mode_is_on_in_the_tests() -> None:
    assert static_chart.strict_default()


@pytest.mark.parametrize(
    ("figure", "problem"),
    [
        ({"data": [{"type": "bar", "x": [2020], "y": [1.0]}]}, "trace type 'bar'"),
        ({"data": [scatter("A", [2020], [1.0], mode="lines+text")]}, "mode 'lines+text'"),
        ({"data": [scatter("A", [2020], [1.0], marker={"symbol": "hexagon"})]}, "symbol 'hexagon'"),
        ({"data": [scatter("A", [2020], [1.0], fill="tozeroy")]}, "'fill' is not drawn"),
        ({"data": [scatter("A", [2020], [1.0], connectgaps=True)]}, "connectgaps"),
        ({"data": [scatter("A", [2020], [1.0], cliponaxis=True)]}, "cliponaxis true"),
        (
            {"data": [], "layout": {"shapes": [{"type": "circle", "x0": 0, "x1": 1, "y0": 0, "y1": 1}]}},
            "'circle'",
        ),
        ({"data": [], "layout": {"shapes": [{"type": "path", "path": "M 0 0 L 1 1"}]}}, "'path'"),
        (
            {
                "data": [],
                "layout": {"shapes": [{"type": "line", "xref": "x2", "x0": 0, "x1": 1, "y0": 0, "y1": 1}]},
            },
            "xref 'x2'",
        ),
        (
            {"data": [], "layout": {"annotations": [{"text": "Mål", "x": 2030, "y": 5, "showarrow": True}]}},
            "arrows",
        ),
        (
            {
                "data": [],
                "layout": {
                    "annotations": [{"text": "Mål", "xref": "x2", "x": 1, "y": 1, "showarrow": False}]
                },
            },
            "xref 'x2' cannot be placed",
        ),
        ({"data": [], "layout": {"title": {"text": "Tittel"}}}, "'title' is not drawn"),
        ({"data": [], "layout": {"yaxis": {"type": "log"}}}, "axis type 'log'"),
        ({"data": [], "layout": {"legend": {"orientation": "v"}}}, "vertical legend"),
    ],
)
def test_strict_mode_fails_on_what_cannot_be_drawn(figure: dict, problem: str, caplog) -> None:
    with pytest.raises(UnsupportedFigure, match=re.escape(problem)):
        figure_svg(figure, width=400, height=300)
    # Production: a warning in the log, and the rest of the chart.
    with caplog.at_level(logging.WARNING, logger="dashboard.static_chart"):
        parse(figure_svg(figure, width=400, height=300, strict=False))
    assert problem in caplog.text


def test_every_figure_the_dashboard_builds_can_be_drawn_in_full(data, app_factory) -> None:
    from indicators.plan.catalog import load_catalog
    from tests.dashboard.conftest import make_snapshot, settings

    s = settings()
    demo = build_data(make_snapshot(load_catalog(s.definitions, s.goals), demo=True))
    for source in (data, demo):
        for indicator_id, definition in source.catalog.indicators.items():
            for lang in ("no", "en"):
                payload = figure_payload(
                    source, definition, shown_frame(source, definition, True), EmbedOptions(lang)
                )
                assert figure_problems(payload) == [], indicator_id
                values = source.home_values(indicator_id)
                small = figures.small_chart_figure(values, definition, source.assessments[indicator_id], lang)
                assert small is None or figure_problems(small) == []
    spark = figures.sparkline_figure(
        [(data.home_values("elbil"), "increase"), (data.home_values("utslipp"), "decrease")]
    )
    assert spark is not None and figure_problems(spark) == []


# --- sparklines and small charts: the same drawer, as pictures --------------------------------


def picture(uri: str | None) -> str:
    assert uri is not None and uri.startswith("data:image/svg+xml;utf8,")
    return unquote(uri.split(",", 1)[1])


def sparkline(series: list[tuple[pd.Series, str]]) -> str | None:
    figure = figures.sparkline_figure(series)
    return None if figure is None else picture(static_chart.picture_uri(figure))


def polyline_points(svg: str) -> list[list[tuple[float, float]]]:
    lines = re.findall(r'<polyline points="([^"]+)"', svg)
    return [[tuple(float(n) for n in p.split(",")) for p in line.split()] for line in lines]


def test_sparkline_draws_a_fall_as_a_rise_for_decrease_indicators() -> None:
    falling = pd.Series([10.0, 8.0, 6.0], index=[2020, 2021, 2022])
    (up,) = polyline_points(sparkline([(falling, "decrease")]))
    (down,) = polyline_points(sparkline([(falling, "increase")]))
    assert up[-1][1] < up[0][1]  # SVG y grows downwards: the line climbs
    assert down[-1][1] > down[0][1]


def test_sparkline_needs_two_values() -> None:
    assert figures.sparkline_figure([(pd.Series([1.0], index=[2020]), "increase")]) is None
    assert sparkline([(pd.Series([1.0, 2.0], index=[2020, 2021]), "increase")]) is not None


def test_sparklines_are_drawn_as_before() -> None:
    # Each line fills the 120 × 32 picture, 2 px in from top and bottom (svg.py's drawing).
    falling = pd.Series([10.0, 8.0, 6.0], index=[2020, 2021, 2022])
    gappy = pd.Series([1.0, np.nan, 3.0, 2.0], index=[2018, 2019, 2020, 2021])
    svg = sparkline([(falling, "decrease"), (gappy, "increase")])
    root = parse(svg)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("120", "32", "0 0 120 32")
    assert polyline_points(svg) == [
        [(0, 30), (60, 16), (120, 2)],
        [(0, 30), (80, 2), (120, 16)],  # a missing year is bridged: a sparkline is a trend
    ]
    lines = list(root.iter(f"{SVG}polyline"))
    assert all(line.get("stroke") == figures.BLUE and line.get("stroke-width") == "1.6" for line in lines)
    assert [g.get("opacity") for g in traces(root).values()] == ["0.75", "0.75"]  # two lines: see-through
    assert not list(root.iter(f"{SVG}text")) and not list(root.iter(f"{SVG}title"))  # no labels, no tips
    assert not list(root.iter(f"{SVG}circle"))
    assert root.find(f"{SVG}rect") is None  # no background: the page's shows
    one = parse(sparkline([(falling, "increase")]))
    assert all(g.get("opacity") is None for g in traces(one).values())


def small_chart(values: pd.Series, definition, assessment, lang: str) -> str | None:
    figure = figures.small_chart_figure(values, definition, assessment, lang)
    return None if figure is None else picture(static_chart.picture_uri(figure))


def test_small_chart_labels_range_and_years_in_norwegian_and_marks_the_target(data) -> None:
    definition = data.catalog.indicators["elbil"]
    svg = small_chart(data.home_values("elbil"), definition, data.assessments["elbil"], "no")
    labels = re.findall(r">([^<>]+)</text>", svg)
    assert labels[:4] == ["0", "20", "40", "60"]  # a share starts at zero; round ticks to the target
    assert {"2015", "2024", "2032"} <= set(labels)
    assert "<polygon" in svg  # the target star
    assert svg.count("<circle") == len(data.home_values("elbil"))


def test_small_chart_breaks_the_line_at_a_missing_year(data) -> None:
    definition = data.catalog.indicators["befolkning"]
    values = pd.Series([1.0, 2.0, math.nan, 4.0, 5.0], index=range(2018, 2023))
    a = assess(values, direction="increase")
    svg = small_chart(values, definition, a, "en")
    assert svg.count("<polyline") == 2 and svg.count("<circle") == 4
    assert "<polygon" not in svg  # no target, no star


def test_small_chart_without_values_is_none(data) -> None:
    definition = data.catalog.indicators["deltakelse"]
    empty = pd.Series([], dtype=float)
    assert figures.small_chart_figure(empty, definition, data.assessments["deltakelse"], "no") is None


def test_small_chart_is_laid_out_as_before(data) -> None:
    # svg.py's layout: plot area 52–306 × 10–128 in a 320 × 150 picture, a gridline per round
    # tick (0, 20, 40, 60), years below at the first year (from the left edge), the latest and
    # the target year.
    definition = data.catalog.indicators["elbil"]
    root = parse(small_chart(data.home_values("elbil"), definition, data.assessments["elbil"], "no"))
    assert root.get("viewBox") == "0 0 320 150"
    grid = [line for g in root.iter(f"{SVG}g") if g.get("class") == "grid" for line in g.iter(f"{SVG}line")]
    assert [(g.get("x1"), g.get("x2"), g.get("y1")) for g in grid] == [
        ("52", "306", "128"),
        ("52", "306", "88.7"),
        ("52", "306", "49.3"),
        ("52", "306", "10"),
    ]
    assert {g.get("stroke") for g in grid} == {"#d9d9d9"}
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    assert [
        (texts[y].get("x"), texts[y].get("y"), texts[y].get("text-anchor")) for y in ("2015", "2024", "2032")
    ] == [
        ("52", "144", "start"),
        ("186.5", "144", "middle"),  # 52 + 9/17 of 254
        ("306", "144", "end"),
    ]
    assert texts["60"].get("x") == "46" and texts["60"].get("text-anchor") == "end"
    first = root.find(f".//{SVG}circle")
    assert (first.get("cx"), first.get("r"), first.get("fill")) == ("52", "2.5", figures.BLUE)
    star = root.find(f".//{SVG}polygon")
    assert star.get("fill") == figures.VERMILLION and star.get("stroke") == figures.BLACK
    corners = [tuple(float(n) for n in p.split(",")) for p in star.get("points").split()]
    outer = max(math.hypot(x - 306, y - 10) for x, y in corners)  # the target: 60 in 2032
    assert outer == pytest.approx(8, abs=0.1)  # as svg.py's star, 16 px across
    assert not list(root.iter(f"{SVG}title"))  # a picture: the card's text and table carry the values


def test_the_server_svg_draws_milestones_target_lines_and_the_projection_label(data) -> None:
    """The change target of the fixture's emissions, drawn strict (CHART_STRICT=1 in the tests)."""
    definition = data.catalog.indicators["utslipp"]
    payload = figure_payload(data, definition, shown_frame(data, definition, True), EmbedOptions("no"))
    root = parse(figure_svg(payload, width=740, height=380, strict=True))
    drawn = traces(root)
    index = next(i for i, s in enumerate(payload["data"]) if s["name"] == "Etappemål")
    squares = list(drawn[index].iter(f"{SVG}rect"))
    assert len(squares) == 3 and {s.get("fill") for s in squares} == {figures.VERMILLION}
    tips = [t.text for t in drawn[index].iter(f"{SVG}title")]
    assert tips[0] == f"Etappemål – 2021: 562{NBSP}600{NBSP}tonn CO2-ekvivalenter – nådd"
    assert tips[1].endswith("– ikke nådd") and "ikke kjent ennå" in tips[2]
    shapes = [g.find(f"{SVG}line") for g in root.iter(f"{SVG}g") if g.get("class") == "shape"]
    assert len(shapes) == 2
    level, year = shapes
    assert level.get("y1") == level.get("y2") and level.get("stroke") == figures.VERMILLION
    assert year.get("x1") == year.get("x2") and float(year.get("y1")) > float(year.get("y2"))
    assert all(s.get("stroke-dasharray") for s in shapes)  # dotted
    # the vertical line stands where the target star is
    target = next(i for i, s in enumerate(payload["data"]) if s["name"] == "Mål for 2030")
    star = drawn[target].find(f".//{SVG}polygon")
    xs = [float(p.split(",")[0]) for p in star.get("points").split()]
    assert (min(xs) + max(xs)) / 2 == pytest.approx(float(year.get("x1")), abs=0.6)
    # the legend names the milestones, and the projection's end is written out
    assert "Etappemål" in legend(root)
    notes = [g.find(f"{SVG}text").text for g in root.iter(f"{SVG}g") if g.get("class") == "annotation"]
    assert notes == [f"405{NBSP}748 i 2030"]
    # markers are never clipped (plotly.js: cliponaxis false): the star at the edge is whole
    assert payload["data"][target]["cliponaxis"] is False and payload["data"][index]["cliponaxis"] is False


def test_an_indicator_without_a_target_draws_no_target_shapes(data) -> None:
    definition = data.catalog.indicators["befolkning"]
    payload = figure_payload(data, definition, shown_frame(data, definition, True), EmbedOptions("no"))
    root = parse(figure_svg(payload, width=740, height=380, strict=True))
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "shape"]
    assert not any("Mål" in name or "Etappemål" in name for name in legend(root))
