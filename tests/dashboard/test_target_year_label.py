"""The full chart labels its target year on the year axis (in bold, beside the dotted line that
marks it), and no two year labels touch at any drawn width, down to the phone's 340 px."""

from __future__ import annotations

import itertools
import re

import pytest

from dashboard import figures, static_chart
from dashboard.chart_model import text_width
from dashboard.components import CHART_WIDTHS

TICKS = re.compile(r'<g class="ticks".*?</g>', re.S)
YEAR = re.compile(
    r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle"( class="tick--marked")?[^>]*>(\d{4})</text>'
)


def year_labels(svg: str) -> list[tuple[float, str, bool]]:
    group = TICKS.search(svg)
    assert group is not None
    return [(float(x), year, bool(marked)) for x, marked, year in YEAR.findall(group.group(0))]


def figure_for(data, indicator_id: str) -> dict:
    definition = data.catalog.indicators[indicator_id]
    return figures.indicator_figure(
        data.frame(indicator_id), definition, data.assessments[indicator_id], data.catalog, "no"
    )


@pytest.mark.parametrize("indicator_id", ["elbil", "utslipp"])
@pytest.mark.parametrize("width", CHART_WIDTHS)
def test_the_target_year_is_labelled_and_no_year_labels_collide(data, indicator_id: str, width: int) -> None:
    target_year = data.assessments[indicator_id].target_year
    labels = year_labels(static_chart.figure_svg(figure_for(data, indicator_id), width=width, height=420))
    assert [year for _, year, marked in labels if marked] == [str(target_year)]
    assert [year for _, year, _ in labels] == sorted({year for _, year, _ in labels}), (
        "each year once, in order"
    )
    for (x1, a, _), (x2, b, _) in itertools.pairwise(labels):
        room = (text_width(a, 13) + text_width(b, 13)) / 2
        assert x2 - x1 >= room, f"{a} and {b} touch at {width} px"


def test_a_chart_without_a_target_marks_no_year(data) -> None:
    labels = year_labels(static_chart.figure_svg(figure_for(data, "befolkning"), width=340, height=420))
    assert labels and not any(marked for _, _, marked in labels)


def test_a_hidden_year_axis_gets_no_target_label(data) -> None:
    figure = figure_for(data, "elbil")
    figure = {
        **figure,
        "layout": {**figure["layout"], "xaxis": {**figure["layout"]["xaxis"], "visible": False}},
    }
    assert "tick--marked" not in static_chart.figure_svg(figure, width=340, height=420)
