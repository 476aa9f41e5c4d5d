"""The indicator chart draws what its legend says, in Norwegian number style."""

from __future__ import annotations

import pytest

from dashboard import figures
from dashboard.data import DashboardData
from indicators.assessment.progress import projection, target_path


def _chart(data: DashboardData, indicator_id: str, lang: str = "no", **kw):
    return figures.indicator_figure(
        data.frame(indicator_id),
        data.catalog.indicators[indicator_id],
        data.assessments[indicator_id],
        data.catalog,
        lang,
        **kw,
    )


def _trace(fig, name_part: str):
    matches = [tr for tr in fig["data"] if name_part in tr["name"]]
    assert len(matches) == 1, [tr["name"] for tr in fig["data"]]
    return matches[0]


def test_history_is_solid_and_holds_the_home_regions_values(data: DashboardData) -> None:
    fig = _chart(data, "elbil")
    history = _trace(fig, "Trondheim: målt")
    assert history["line"]["dash"] == "solid"
    home = data.home_values("elbil")
    assert history["x"] == list(home.index)
    assert history["y"] == pytest.approx(list(home.values))


def test_baseline_target_path_and_projection_are_drawn_distinctly(data: DashboardData) -> None:
    fig = _chart(data, "elbil")
    a = data.assessments["elbil"]
    baseline = _trace(fig, "Utgangspunkt")
    assert (baseline["x"][0], baseline["y"][0]) == (a.base_year, a.base_value)
    target = _trace(fig, "Mål for 2032")
    assert (target["x"][0], target["y"][0]) == (2032, 60.0)
    assert target["marker"]["symbol"] == "star"
    path = _trace(fig, "Rett vei til målet")
    assert path["line"]["dash"] == "dot"
    assert list(zip(path["x"], path["y"], strict=True)) == target_path(a)
    proj = _trace(fig, "Framskrevet")
    assert proj["line"]["dash"] == "dash"
    assert list(zip(proj["x"], proj["y"], strict=True)) == projection(a)


def test_peers_are_thin_labelled_and_listed_after_the_home_region(data: DashboardData) -> None:
    fig = _chart(data, "elbil")
    peers = [tr for tr in fig["data"] if "til sammenligning" in tr["name"]]
    assert [tr["name"] for tr in peers] == ["Oslo (til sammenligning)", "Bergen (til sammenligning)"]
    history = _trace(fig, "Trondheim: målt")
    assert all(tr["line"]["width"] < history["line"]["width"] for tr in peers)
    assert all(tr["legendrank"] > history["legendrank"] for tr in peers)
    # a missing SSB cell stays a gap (null in the browser), never a zero
    bergen = _trace(fig, "Bergen")
    assert bergen["y"][0] is None


def test_legend_and_separators_follow_the_language(data: DashboardData) -> None:
    no, en = _chart(data, "befolkning", "no"), _chart(data, "befolkning", "en")
    assert no["layout"]["separators"] == ", "
    assert en["layout"]["separators"] == ".,"
    assert _trace(en, "Trondheim: measured")
    assert "210\u00a0496\u00a0personer" in _trace(no, "Trondheim")["customdata"]
    assert "210,496\u00a0people" in _trace(en, "Trondheim")["customdata"]


def test_years_never_get_thousands_separators(data: DashboardData) -> None:
    assert _chart(data, "elbil")["layout"]["xaxis"]["tickformat"] == "d"


def test_direction_only_indicator_has_no_target_marks(data: DashboardData) -> None:
    names = [tr["name"] for tr in _chart(data, "befolkning")["data"]]
    assert not any("Mål for" in n or "Rett vei" in n for n in names)
    assert any("Framskrevet" in n for n in names)


def test_shares_and_counts_start_at_zero_but_an_index_does_not(data: DashboardData) -> None:
    assert _chart(data, "elbil")["layout"]["yaxis"]["rangemode"] == "tozero"
    assert _chart(data, "befolkning")["layout"]["yaxis"]["rangemode"] == "tozero"
    index = data.catalog.indicators["befolkning"].model_copy(update={"unit": "indeks", "unit_en": "index"})
    assert not figures.starts_at_zero(index, [98.0, 104.0])
    assert not figures.starts_at_zero(data.catalog.indicators["elbil"], [-3.0, 4.0])


def test_figure_is_valid_for_plotly(data) -> None:
    """The plain-dict figure passes plotly's own validation (it is built without it for speed)."""
    import plotly.graph_objects as go

    for indicator_id in data.catalog.indicators:
        go.Figure(_chart(data, indicator_id))


def test_sparkline_and_small_chart_figures_are_valid_for_plotly(data) -> None:
    """The pictures are Plotly figures too (drawn by the same SVG drawer as the big chart)."""
    import plotly.graph_objects as go

    series = [(data.home_values(i), data.catalog.indicators[i].direction) for i in data.catalog.indicators]
    spark = figures.sparkline_figure(series)
    assert spark is not None
    go.Figure(spark)
    for indicator_id, definition in data.catalog.indicators.items():
        for lang in ("no", "en"):
            small = figures.small_chart_figure(
                data.home_values(indicator_id), definition, data.assessments[indicator_id], lang
            )
            if small is not None:
                go.Figure(small)
