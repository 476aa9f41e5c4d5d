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
    # A share whose change fills the chart from zero starts at zero, on round ticks.
    elbil = _chart(data, "elbil")["layout"]["yaxis"]
    assert elbil["range"][0] == 0 and elbil["tickvals"][0] == 0 and elbil["range"][1] == elbil["tickvals"][-1]
    # With its peers (Stavanger to Oslo) the count spans far more than a third of the height: zero.
    befolkning = _chart(data, "befolkning")["layout"]["yaxis"]
    assert befolkning["range"] == [0, befolkning["tickvals"][-1]]
    # (a count that changes by a few per cent does not: tests/dashboard/test_small_charts.py)
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


def _shape(fig, name: str):
    matches = [s for s in fig["layout"].get("shapes", []) if s.get("name") == name]
    assert len(matches) == 1, fig["layout"].get("shapes")
    return matches[0]


def test_a_change_target_is_a_level_with_its_line_year_line_and_milestones(data: DashboardData) -> None:
    fig = _chart(data, "utslipp")
    a = data.assessments["utslipp"]
    assert a.target_value == pytest.approx(290_000)  # −50 % from 580 000 in 2020
    target = _trace(fig, "Mål for 2030")
    assert (target["x"], target["y"]) == ([2030], [pytest.approx(290_000)])
    # the target's legend entry shows the star over its dotted level line
    assert target["marker"]["symbol"] == "star" and target["line"]["dash"] == "dot"
    level = _shape(fig, figures.TARGET_LINE_NAME)
    assert (level["xref"], level["x0"], level["x1"]) == ("paper", 0, 1)
    assert level["y0"] == level["y1"] == pytest.approx(290_000) and level["line"]["dash"] == "dot"
    year = _shape(fig, figures.TARGET_YEAR_NAME)
    assert (year["x0"], year["x1"], year["yref"], year["y0"], year["y1"]) == (2030, 2030, "paper", 0, 1)
    assert year["line"]["dash"] == "dot"
    path = _trace(fig, "Rett vei til målet")
    assert (path["x"][0], path["y"][0]) == (2020, 580_000) and path["x"][-1] == 2030


def test_milestones_are_squares_with_their_state_in_the_hover_text(data: DashboardData) -> None:
    no, en = _chart(data, "utslipp", "no"), _chart(data, "utslipp", "en")
    milestones = _trace(no, "Etappemål")
    assert milestones["mode"] == "markers" and milestones["marker"]["symbol"] == figures.MILESTONE_SYMBOL
    # its own shape: no other trace uses it
    assert not any(
        tr["marker"].get("symbol") == figures.MILESTONE_SYMBOL for tr in no["data"] if tr is not milestones
    )
    assert milestones["x"] == [2021, 2022, 2025]
    assert milestones["y"] == pytest.approx([562_600, 522_000, 435_000])
    assert milestones["customdata"] == [
        "562\u00a0600\u00a0tonn CO2-ekvivalenter – nådd",
        "522\u00a0000\u00a0tonn CO2-ekvivalenter – ikke nådd",
        "435\u00a0000\u00a0tonn CO2-ekvivalenter – ikke kjent ennå (med dagens utvikling: "
        "485\u00a0112\u00a0tonn CO2-ekvivalenter)",
    ]
    assert _trace(en, "Milestones")["customdata"][1] == "522,000\u00a0tonnes CO2 equivalent – missed"
    assert "Etappemål" in figures.legend_text(no) and "Milestones" in figures.legend_text(en)


def test_the_projection_ends_in_a_label_with_its_value_and_year(data: DashboardData) -> None:
    fig = _chart(data, "utslipp")
    (label,) = fig["layout"]["annotations"]
    assert label["name"] == figures.PROJECTION_LABEL_NAME
    assert label["text"] == "405\u00a0748 i 2030"
    assert (label["x"], label["y"]) == (2030, pytest.approx(data.assessments["utslipp"].projected_value))
    assert label["showarrow"] is False
    # a falling projection is labelled below its end, away from the line it comes along
    assert label["yanchor"] == "top"
    assert _chart(data, "elbil", "en")["layout"]["annotations"][0]["text"] == "100% in 2032"


def test_an_indicator_without_a_target_has_no_target_line_year_line_or_milestones(
    data: DashboardData,
) -> None:
    for indicator_id in ("befolkning", "deltakelse"):
        fig = _chart(data, indicator_id)
        assert not fig["layout"].get("shapes")
        assert not any("Etappemål" in tr["name"] or "Mål for" in tr["name"] for tr in fig["data"])
    # a value target without milestones: the target's lines, no milestone trace
    elbil = _chart(data, "elbil")
    assert {s["name"] for s in elbil["layout"]["shapes"]} == {
        figures.TARGET_LINE_NAME,
        figures.TARGET_YEAR_NAME,
    }
    assert not any(tr["name"] == "Etappemål" for tr in elbil["data"])


def test_every_figure_is_drawable_in_strict_mode(data: DashboardData) -> None:
    from dashboard.chart_model import figure_problems

    for indicator_id, definition in data.catalog.indicators.items():
        for lang in ("no", "en"):
            assert figure_problems(_chart(data, indicator_id, lang)) == []
            small = figures.small_chart_figure(
                data.home_values(indicator_id), definition, data.assessments[indicator_id], lang
            )
            assert small is None or figure_problems(small) == []


def test_the_small_chart_marks_milestones_and_the_target_level(data: DashboardData) -> None:
    small = figures.small_chart_figure(
        data.home_values("utslipp"), data.catalog.indicators["utslipp"], data.assessments["utslipp"], "no"
    )
    assert small is not None
    squares = [tr for tr in small["data"] if tr["marker"].get("symbol") == figures.MILESTONE_SYMBOL]
    assert len(squares) == 1 and squares[0]["x"] == [2021, 2022, 2025]
    (level,) = small["layout"]["shapes"]
    assert level["y0"] == pytest.approx(290_000) and level["line"]["dash"] == "dot"
