"""The indicator page's breakdown (issue 20 item 3): links choose it (?breakdown=Kjonn), the one
drawer draws it as more lines of the same chart, a table holds its figures; any other value is
the total, never an error."""

from __future__ import annotations

import re

import pytest

from dashboard import data as data_module
from tests.dashboard.test_breakdown_downloads import breakdown_app


@pytest.fixture()
def page_client(tmp_path):
    return breakdown_app(tmp_path / "definitions").server.test_client()


def _section(body: str) -> str:
    match = re.search(r'<section[^>]*aria-labelledby="breakdown".*?</section>', body, re.S)
    return match.group(0) if match else ""


def test_the_page_offers_the_total_and_each_breakdown_as_links(page_client) -> None:
    body = page_client.get("/indikator/elbil").get_data(as_text=True)
    section = _section(body)
    assert ">Fordeling<" in section
    assert 'href="/indikator/elbil?breakdown=Kjonn#breakdown"' in section
    assert ">Etter kjønn<" in section
    assert 'aria-current="true"' in section.split("Etter kjønn")[0], "the total is the current choice"
    assert "<svg" not in section, "no breakdown chart until one is chosen"


def test_a_chosen_breakdown_is_drawn_with_a_line_per_category_and_tabled(page_client) -> None:
    response = page_client.get("/indikator/elbil?breakdown=Kjonn")
    assert response.status_code == 200
    section = _section(response.get_data(as_text=True))
    assert "<svg" in section
    # The caption says what the lines show (the legend names them): years and latest figures.
    assert (
        "Grafen viser målingene for Trondheim i alt og etter kjønn fra 2015 til 2024; i 2024: I alt 41,7\xa0%, Menn 40,0\xa0%, Kvinner 43,5\xa0%."
        in section
    )
    table = section[section.index("<table") :]
    assert '<th scope="col">Menn</th>' in table and '<th scope="col">Kvinner</th>' in table
    assert "43,5" in table, "the women's 2024 figure, Norwegian style"
    assert "mangler (..)" in table, "the women's 2023 figure is missing, with SSB's reason"
    assert 'href="/data/elbil.csv?breakdown=Kjonn"' in section


def test_the_breakdown_speaks_english_with_its_english_label(page_client) -> None:
    section = _section(page_client.get("/indikator/elbil?breakdown=Kjonn&lang=en").get_data(as_text=True))
    assert ">By sex<" in section and ">Breakdown<" in section
    assert 'href="/indikator/elbil?lang=en&amp;breakdown=Kjonn#breakdown"' in section


def test_the_total_and_the_breakdown_are_different_pages(page_client) -> None:
    total = page_client.get("/indikator/elbil").get_data(as_text=True)
    by_sex = page_client.get("/indikator/elbil?breakdown=Kjonn").get_data(as_text=True)
    again = page_client.get("/indikator/elbil").get_data(as_text=True)
    assert "<svg" in _section(by_sex) and "<svg" not in _section(again)
    assert total == again


@pytest.mark.parametrize(
    "value", ["", "kjonn", "Region", "Tid", "<script>alert(1)</script>", "K" * 5000, "Kjonn\r\nX: y", "%00"]
)
def test_a_hostile_breakdown_shows_the_total_never_an_error(page_client, value: str) -> None:
    response = page_client.get("/indikator/elbil", query_string={"breakdown": value})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<svg" not in _section(body)
    assert "<script>alert" not in body


def test_an_indicator_without_breakdowns_has_no_section(page_client) -> None:
    body = page_client.get("/indikator/befolkning?breakdown=Kjonn").get_data(as_text=True)
    assert _section(body) == "" and "Fordeling" not in body


def test_english_pages_show_the_definitions_english_labels_and_mark_ssbs_bokmal_ones(tmp_path) -> None:
    from dataclasses import replace

    from tests.dashboard.test_breakdown_downloads import BY_SEX

    men, women = BY_SEX.categories
    by_sex = replace(BY_SEX, categories=(replace(men, label_en="Men"), women))
    client = breakdown_app(tmp_path / "definitions", by_sex).server.test_client()
    section = _section(client.get("/indikator/elbil?breakdown=Kjonn&lang=en").get_data(as_text=True))
    assert '<th scope="col">Men</th>' in section
    assert re.search(r"<th (?=[^>]*lang=\"nb\")(?=[^>]*scope=\"col\")[^>]*>Kvinner</th>", section)
    doc = client.get("/data/elbil.json").get_json()
    assert [c["label_en"] for c in doc["breakdowns"][0]["categories"]] == ["Men", None]


def _nynorsk_labels():
    from dataclasses import replace

    from tests.dashboard.test_breakdown_downloads import BY_SEX

    men, women = BY_SEX.categories
    return replace(
        BY_SEX,
        translations={"nn": "kjønn (nn)"},
        categories=(replace(men, translations={"nn": "Menn (nn)"}), women),
    )


def test_nynorsk_pages_show_the_definitions_nynorsk_labels_and_mark_ssbs_bokmal_ones(tmp_path) -> None:
    client = breakdown_app(tmp_path / "definitions", _nynorsk_labels()).server.test_client()
    section = _section(client.get("/indikator/elbil?breakdown=Kjonn&lang=nn").get_data(as_text=True))
    assert '<th scope="col">Menn (nn)</th>' in section, "given in nynorsk: unmarked"
    assert re.search(r"<th (?=[^>]*lang=\"nb\")(?=[^>]*scope=\"col\")[^>]*>Kvinner</th>", section)
    assert "kjønn (nn)" in section
    bokmal = _section(client.get("/indikator/elbil?breakdown=Kjonn").get_data(as_text=True))
    assert '<th scope="col">Menn</th>' in bokmal and "(nn)" not in bokmal
    doc = client.get("/data/elbil.json").get_json()
    (by_sex,) = doc["breakdowns"]
    assert by_sex["label_i18n"] == {"no": "kjønn", "en": "sex", "nn": "kjønn (nn)"}
    assert [c["label_i18n"] for c in by_sex["categories"]] == [
        {"no": "Menn", "nn": "Menn (nn)"},
        {"no": "Kvinner"},
    ]


def test_a_breakdown_page_the_site_links_to_is_remembered_with_an_etag_and_odd_ones_are_not(tmp_path) -> None:
    app = breakdown_app(tmp_path / "definitions")
    client = app.server.test_client()
    # The indicator page's breakdown links (?breakdown=Kjonn, after ?lang= on other languages)
    # are pages like any other: a reload is a 304, and the total's page is not served for them.
    for query in ("breakdown=Kjonn", "lang=en&breakdown=Kjonn", "lang=nn&breakdown=Kjonn"):
        first = client.get(f"/indikator/elbil?{query}")
        assert first.status_code == 200 and first.headers.get("ETag"), query
        assert first.headers["Cache-Control"] == "public, max-age=300"
        again = client.get(f"/indikator/elbil?{query}", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304, query
    total = client.get("/indikator/elbil")
    broken_down = client.get("/indikator/elbil?breakdown=Kjonn")
    assert total.headers["ETag"] != broken_down.headers["ETag"]
    # Anything the site's links never write is built afresh, unremembered and without an ETag.
    with app.server.test_request_context():
        memo = data_module.current()._built
        before = len(memo)
    for query in (
        "breakdown=Ingen",
        "breakdown=kjonn",
        "breakdown=Kjonn&breakdown=Kjonn",
        "breakdown=Kjonn&lang=en",
        "lang=%65n&breakdown=Kjonn",
        "breakdown=",
        "lang=xx&breakdown=Kjonn",
    ):
        response = client.get(f"/indikator/elbil?{query}")
        assert response.status_code == 200 and "ETag" not in response.headers, query
    assert len(memo) == before
