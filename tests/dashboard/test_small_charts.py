"""Charts read honestly, the cards' small charts and the full chart alike: round-numbered
value axes with every gridline labelled in full, zero only where it does not flatten the change,
no small change stretched to the full height, years labelled without running into each other,
and comparison lines told apart by more than colour (contrast, dash, a label at the line's end)."""

from __future__ import annotations

import itertools
import math
from xml.etree import ElementTree

import pandas as pd
import pytest

from dashboard import figures, static_chart
from dashboard.chart_model import honest_scale, step_decimals, text_width
from indicators.assessment.progress import assess
from tests.dashboard.test_static_chart import SVG, parse, picture

NBSP = "\u00a0"


def drawn(values: pd.Series, definition, assessment, lang: str = "no") -> ElementTree.Element:
    figure = figures.small_chart_figure(values, definition, assessment, lang)
    assert figure is not None
    return parse(picture(static_chart.picture_uri(figure)))


def value_labels(root: ElementTree.Element) -> list[str]:
    """The value axis's labels, bottom to top, as a reader sees them."""
    ticks = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ticks")
    labels = [t for t in ticks.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    return [t.text for t in sorted(labels, key=lambda t: -float(t.get("y")))]


def year_labels(root: ElementTree.Element) -> list[str]:
    return [
        t.text
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "annotation"
        for t in g.iter(f"{SVG}text")
        if t.text and t.text.isdigit()
    ]


def line_height_share(root: ElementTree.Element) -> float:
    """How much of the plot's height the history line takes (0 … 1)."""
    grid = [float(line.get("y1")) for g in root.iter(f"{SVG}g") if g.get("class") == "grid" for line in g]
    line = next(root.iter(f"{SVG}polyline"))
    ys = [float(point.split(",")[1]) for point in line.get("points").split()]
    return (max(ys) - min(ys)) / (max(grid) - min(grid))


def test_a_share_starts_at_zero_with_round_ticks_up_to_the_target(data) -> None:
    definition = data.catalog.indicators["elbil"]
    root = drawn(data.home_values("elbil"), definition, data.assessments["elbil"])
    assert value_labels(root) == ["0", "20", "40", "60"]


def test_large_numbers_are_written_in_full_and_never_cut_at_the_left_edge(data) -> None:
    definition = data.catalog.indicators["befolkning"]  # personer: a count
    values = pd.Series([1_340_000.0, 1_352_500.0, 1_366_000.0, 1_380_734.0], index=range(2020, 2024))
    root = drawn(values, definition, assess(values, direction="increase"))
    labels = value_labels(root)
    assert labels == [f"1{NBSP}{n}{NBSP}000" for n in ("250", "300", "350", "400", "450")]
    ticks = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "ticks")
    for label in ticks.iter(f"{SVG}text"):
        if label.get("text-anchor") == "end":  # right-aligned at x: its left edge must be inside
            assert float(label.get("x")) - text_width(label.text, 11) >= 0


def test_a_small_change_is_not_stretched_to_the_full_height_nor_flattened_at_zero(data) -> None:
    definition = data.catalog.indicators["befolkning"]
    values = pd.Series([210_000.0, 211_500.0, 213_000.0, 214_500.0], index=range(2020, 2024))
    root = drawn(values, definition, assess(values, direction="increase"))
    labels = value_labels(root)
    assert labels[0] != "0"  # zero would squeeze a 2 % rise into a flat line
    assert labels == [f"200{NBSP}000", f"210{NBSP}000", f"220{NBSP}000", f"230{NBSP}000"]
    assert 0.1 < line_height_share(root) < 0.3  # a 2 % rise takes a fifth of the height, not all


def test_an_index_or_a_negative_series_never_starts_at_zero(data) -> None:
    definition = data.catalog.indicators["befolkning"]
    values = pd.Series([-3.0, -1.0, 0.5, 2.0], index=range(2020, 2024))
    root = drawn(values, definition, assess(values, direction="increase"))
    assert value_labels(root) == [f"{'−'}4", f"{'−'}2", "0", "2"]


def test_the_latest_year_is_not_labelled_into_the_target_year(data) -> None:
    definition = data.catalog.indicators["elbil"]
    values = pd.Series([20.0, 30.0, 40.0], index=[2010, 2020, 2030])
    a = assess(values, direction="increase", target_kind="value", target_value=60.0, target_year=2032)
    root = drawn(values, definition, a)
    assert year_labels(root) == ["2010", "2032"]  # 2030 would run into 2032
    wide = drawn(pd.Series([20.0, 30.0], index=[2015, 2024]), definition, a)
    assert year_labels(wide) == ["2015", "2024", "2032"]


@pytest.mark.parametrize(
    ("values", "zero_floor", "ticks"),
    [
        ([20.1, 41.7, 60.0], True, [0, 20, 40, 60]),  # fills more than a third: from zero
        ([80.1, 81.2], True, [75, 80, 85]),  # would fill 1 %: from a round number below
        ([80.1, 81.2], False, [75, 80, 85]),
        ([0.0, 0.0], True, [0, 0.5, 1]),
        ([-3.0, 2.0], True, [-4, -2, 0, 2]),  # negative values: never floored at zero
        ([5.0], False, [4.6, 4.8, 5.0, 5.2, 5.4]),  # one value: a span of 10 % around it
    ],
)
def test_honest_scale_rule(values: list[float], zero_floor: bool, ticks: list[float]) -> None:
    scale = honest_scale(values, zero_floor=zero_floor)
    assert scale.ticks == pytest.approx(ticks)
    assert (scale.lo, scale.hi) == (scale.ticks[0], scale.ticks[-1])
    assert scale.lo <= min(values) and scale.hi >= max(values)


def test_honest_scale_survives_odd_values() -> None:
    for values in ([5e-324, 2e-323], [math.nan, 1.0], [], [1e300, -1e300]):
        scale = honest_scale(values, zero_floor=True)
        assert all(math.isfinite(v) for v in (scale.lo, scale.hi, *scale.ticks))


def test_step_decimals() -> None:
    assert [step_decimals(s) for s in (0.25, 0.5, 5.0, 1000.0, 0.02)] == [2, 1, 0, 0, 2]


def test_the_indicator_chart_follows_the_same_rule(data) -> None:
    """The full chart (indicator page, embeds, report) too: round ticks from end to end."""
    from dashboard.embed_html import EmbedOptions, figure_payload, shown_frame
    from tests.dashboard.test_static_chart import y_tick_labels

    definition = data.catalog.indicators["elbil"]
    payload = figure_payload(data, definition, shown_frame(data, definition, True), EmbedOptions("no"))
    root = parse(static_chart.figure_svg(payload, width=680, height=380))
    assert y_tick_labels(root) == ["0", "20", "40", "60", "80", "100"]


@pytest.mark.parametrize(
    ("path", "third", "ten"),
    [("docs/method.nb.md", "en tredjedel", "10 %"), ("docs/method.en.md", "a third", "10%")],
)
def test_the_method_text_states_the_axis_rule(path: str, third: str, ten: str) -> None:
    from pathlib import Path

    from dashboard import chart_model

    assert pytest.approx(1 / 3) == chart_model.ZERO_SHARE and chart_model.MIN_SPAN_SHARE == 0.1
    text = " ".join((Path(__file__).resolve().parents[2] / path).read_text(encoding="utf-8").split())
    assert third in text and ten in text


def _contrast(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def test_peer_lines_read_against_white_and_differ_from_home_and_target_by_more_than_colour() -> None:
    assert all(_contrast(colour) >= 4.5 for colour in figures.PEER_COLOURS)
    assert len(set(figures.PEER_COLOURS)) == len(figures.PEER_COLOURS)
    assert not {figures.BLUE, figures.VERMILLION, figures.SKY} & set(figures.PEER_COLOURS)
    assert len(set(figures.PEER_DASHES)) == len(figures.PEER_DASHES)  # and each its own dash


def test_peer_lines_are_named_at_their_end_where_there_is_room(data) -> None:
    from dashboard.embed_html import EmbedOptions, figure_payload, shown_frame

    definition = data.catalog.indicators["befolkning"]
    payload = figure_payload(data, definition, shown_frame(data, definition, True), EmbedOptions("no"))
    peers = [trace for trace in payload["data"] if trace.get("meta", {}).get("end_label")]
    names = [trace["meta"]["end_label"] for trace in peers]
    assert names[:2] == ["Oslo", "Bergen"]  # the region's name, not the legend's "Oslo (til sammenligning)"
    root = parse(static_chart.figure_svg(payload, width=680, height=380))
    labels = {t.text: t for t in root.iter(f"{SVG}text") if t.get("class") == "end-label"}
    assert set(labels) == set(names)  # the years to the target year leave room
    for trace in peers:
        assert labels[trace["meta"]["end_label"]].get("fill") == trace["line"]["color"]
    # labels never overlap one another
    boxes = sorted((float(t.get("y")), float(t.get("x"))) for t in labels.values())
    assert all(b[0] - a[0] >= 11 for a, b in itertools.pairwise(boxes))


def test_an_end_label_without_room_is_left_to_the_legend() -> None:
    line = {"type": "scatter", "mode": "lines", "x": [2020, 2024], "y": [1.0, 2.0], "name": "Nabo"}
    figure = {"data": [{**line, "meta": {"end_label": "Nabokommunen"}}], "layout": {}}
    root = parse(static_chart.figure_svg(figure, width=400, height=250))
    assert not [t for t in root.iter(f"{SVG}text") if t.get("class") == "end-label"]  # ends at the edge
    wide = {**figure, "layout": {"xaxis": {"range": [2019.5, 2030]}}}
    root = parse(static_chart.figure_svg(wide, width=400, height=250))
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "end-label"] == ["Nabokommunen"]


@pytest.mark.parametrize(
    ("lang", "words", "alt"),
    [
        ("no", r"^\d av \d bedre siden \d{4}$", r"opp er bedre\. \d av \d har gått i ønsket retning\.$"),
        ("en", r"^\d of \d better since \d{4}$", r"up is better\. \d of \d have moved the wanted way\.$"),
        ("nn", r"^\d av \d betre sidan \d{4}$", r"opp er betre\. \d av \d har gått i ønskt retning\.$"),
    ],
)
def test_sparklines_say_in_words_what_they_show(data, lang: str, words: str, alt: str) -> None:
    import re

    from dashboard.pages import overview
    from tests.dashboard.helpers import find_all, text

    page = overview.build(data, lang)
    sparklines = [
        s
        for s in find_all(page, "Span", lambda s: "sparkline" in str(getattr(s, "className", "")).split())
        if find_all(s, "Img")  # not a sub-goal without a series ("Ingen tidsserie ennå.")
    ]
    assert sparklines
    for sparkline in sparklines:
        said = [text(s) for s in find_all(sparkline, "Span") if s.className == "sparkline__words"]
        assert len(said) == 1 and re.match(words, said[0]), said
        picture = find_all(sparkline, "Img")[0]
        assert (
            re.search(alt, picture.alt) and said[0].split()[:3] == re.search(alt, picture.alt)[0].split()[3:6]
        )


def test_room_below_keeps_a_target_star_off_the_year_labels() -> None:
    flush = honest_scale([80.0, 100.0, 105.0], zero_floor=False, count=5)
    assert flush.lo == 80  # the star at 80 would sit on the axis, among the years
    roomy = honest_scale([80.0, 100.0, 105.0], zero_floor=False, count=5, room=0.03)
    assert roomy.lo < 80 and roomy.hi >= 105
    assert honest_scale([45.0, 100.0], zero_floor=False, room=0.03).hi == 100  # room below only
    assert honest_scale([0.0, 60.0], zero_floor=True, room=0.03).lo == 0  # zero stays the floor


def test_a_peer_with_one_value_is_still_drawn_as_a_marker(data) -> None:
    from dashboard.embed_html import EmbedOptions, figure_payload, shown_frame

    definition = data.catalog.indicators["elbil"]
    frame = shown_frame(data, definition, True)
    peer = frame[frame["region"] != data.catalog.plan.region]["region"].iloc[0]
    rows = frame.index[frame["region"] == peer]
    lone = frame.drop(rows[1:])  # the peer keeps one year
    payload = figure_payload(data, definition, lone, EmbedOptions("no"))
    trace = next(t for t in payload["data"] if t.get("meta", {}).get("end_label") and len(t["x"]) == 1)
    assert trace["mode"] == "lines+markers"
    root = parse(static_chart.figure_svg(payload, width=680, height=380))
    group = next(g for g in root.iter(f"{SVG}g") if g.get("data-trace") == str(payload["data"].index(trace)))
    assert [c.get("fill") for c in group.iter(f"{SVG}circle")] == [trace["line"]["color"]]
