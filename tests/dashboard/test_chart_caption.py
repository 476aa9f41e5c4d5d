"""The indicator page's chart caption says what the chart shows in a sentence (years, latest
figures, peers, target, where today's pace leads), in each language, instead of repeating the
legend's line names."""

from __future__ import annotations

import html
import re

import pytest

CAPTION = re.compile(r'<figcaption class="chart__caption">(.*?)</figcaption>', re.S)


def caption(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    found = CAPTION.findall(response.get_data(as_text=True))
    assert len(found) == 1, found
    return found[0].replace("\xa0", " ")  # numbers keep their groups together with no-break spaces


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "no",
            "Grafen viser målingene for Trondheim fra 2015 til 2024, sist 41,7 %, sammenlignet med "
            "Oslo 50,2 % (2024) og Bergen 44,0 % (2024). Målet er 60,0 % i 2032.",
        ),
        (
            "en",
            "The chart shows the measurements for Trondheim from 2015 to 2024, most recently 41.7%, "
            "compared with Oslo 50.2% (2024) and Bergen 44.0% (2024). The target is 60.0% in 2032.",
        ),
        (
            "nn",
            "Grafen viser målingane for Trondheim frå 2015 til 2024, sist 41,7 %, samanlikna med "
            "Oslo 50,2 % (2024) og Bergen 44,0 % (2024). Målet er 60,0 % i 2032.",
        ),
    ],
)
def test_the_caption_is_a_sentence_about_the_chart(client, lang: str, expected: str) -> None:
    text = caption(client, f"/indikator/elbil?lang={lang}")
    assert text.startswith(expected)
    # Not a second legend: the line names ("Trondheim: målt", "Oslo (til sammenligning)") are
    # the legend's words, not the caption's.
    assert ":" not in text and "til sammenligning" not in text and "for comparison" not in text


def test_the_caption_says_where_todays_pace_leads(client) -> None:
    assert caption(client, "/indikator/utslipp").endswith(
        "Målet er 290 000 tonn CO2-ekvivalenter i 2030. "
        "I dagens takt blir det 405 748 tonn CO2-ekvivalenter i 2030."
    )


def test_an_indicator_without_data_has_a_caption_that_says_so(client) -> None:
    assert caption(client, "/indikator/deltakelse?lang=en") == "The chart has no measured values yet."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "no",
            "Grafen viser målingene for Trondheim i alt og etter kjønn fra 2015 til 2024; i 2024: I alt 41,7 %",
        ),
        (
            "en",
            "The chart shows the measurements for Trondheim in total and by sex from 2015 to 2024; in 2024: Total 41.7%",
        ),
        (
            "nn",
            "Grafen viser målingane for Trondheim i alt og etter kjønn frå 2015 til 2024; i 2024: I alt 41,7 %",
        ),
    ],
)
def test_the_breakdown_chart_caption_is_a_sentence_too(tmp_path, lang: str, expected: str) -> None:
    from tests.dashboard.test_breakdown_downloads import breakdown_app

    client = breakdown_app(tmp_path / "definitions").server.test_client()
    body = client.get(f"/indikator/elbil?breakdown=Kjonn&lang={lang}").get_data(as_text=True)
    captions = [c.replace("\xa0", " ") for c in CAPTION.findall(body)]
    assert len(captions) == 2 and captions[1].startswith(expected), captions
    assert ";" not in captions[1].split(":", 1)[1], "not the legend's names in a row"


EMBED_CAPTION = re.compile(r'<figcaption id="embed-chart-caption"[^>]*>(.*?)</figcaption>', re.S)
REPORT_BLOCK = re.compile(r'<article id="report-indicator-elbil".*?</article>', re.S)
DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


@pytest.mark.parametrize("lang", ["no", "en", "nn"])
def test_the_embed_and_the_report_describe_the_chart_with_the_pages_sentence(client, lang: str) -> None:
    """What a screen reader gets for the chart is one sentence wherever it is drawn: the indicator
    page's caption, the embed's hidden caption (the chart's aria-describedby) and the report's
    SVG <desc>; none of them lists the legend's line names."""
    page = caption(client, f"/indikator/elbil?lang={lang}")
    embed = client.get(f"/embed/indikator/elbil?lang={lang}").get_data(as_text=True)
    found = EMBED_CAPTION.findall(embed)
    assert [html.unescape(text).replace("\xa0", " ") for text in found] == [page]
    report = client.get(f"/rapport?lang={lang}").get_data(as_text=True)
    block = REPORT_BLOCK.search(report)
    assert block is not None
    descs = [html.unescape(text).replace("\xa0", " ") for text in DESC.findall(block.group(0))]
    assert descs and all(text == page for text in descs), descs
    for text in (page, *descs):
        assert (
            "til sammenligning" not in text
            and "for comparison" not in text
            and "til samanlikning" not in text
        )
