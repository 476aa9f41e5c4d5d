"""``static_chart.figure_svg``: Plotly figure dicts drawn on the server as SVG.

Read back as XML, the way a browser would: what lines there are and how they are dashed, what
the legend and ticks say, that missing values break lines, and that no text can escape.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from xml.etree import ElementTree

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import figures
from dashboard.chart_model import nice_ticks
from dashboard.data import build_data
from dashboard.embed_html import EmbedOptions, figure_payload, shown_frame
from dashboard.static_chart import dash_array, figure_svg
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
        if spec["mode"] == "markers":
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
            "annotations": [{"text": evil, "xref": "paper", "yref": "paper", "x": 0, "y": 1}],
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
    note = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "annotation")
    assert note.find(f"{SVG}text").text == "DEMO DATA"
    assert note.find(f"{SVG}rect").get("fill") == "#fff3cd"
    # Above the plot area, so that it hides no line.
    plot_top = min(float(t.get("y")) for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end")
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
