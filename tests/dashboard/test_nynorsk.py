"""Nynorsk (``?lang=nn``) on every page type, embed and download (issue 18 item 6), in-process.

Each answers 200 with ``<html lang="nn">`` (or nynorsk column names), shows the nynorsk status
words where statuses appear, and shows no bokmål UI string the nynorsk catalogue translates;
hostile ``?lang=`` values still mean bokmål.
"""

from __future__ import annotations

import csv
import io
import string

import pytest

from dashboard.i18n import TEXT
from indicators.assessment.explain import STATUS_TEXT

PAGES = [
    "/",
    "/mal/1",
    "/delmal/1.1",
    "/indikator/elbil",
    "/metode",
    "/om",
    "/indikatorer",
    "/rapport",
    "/embed/indikator/elbil",
]
WITH_STATUSES = {
    "/",
    "/mal/1",
    "/delmal/1.1",
    "/indikator/elbil",
    "/indikatorer",
    "/rapport",
    "/embed/indikator/elbil",
}
STATUS_TEXT_NN = {STATUS_TEXT[s]["nn"] for s in STATUS_TEXT}
NN_ONLY_STATUS = {STATUS_TEXT[s]["nn"] for s in STATUS_TEXT if STATUS_TEXT[s]["nn"] != STATUS_TEXT[s]["no"]}
NO_ONLY_STATUS = {STATUS_TEXT[s]["no"] for s in STATUS_TEXT if STATUS_TEXT[s]["nn"] != STATUS_TEXT[s]["no"]}


def _untranslated(body: str) -> list[str]:
    """Bokmål UI strings (whole catalogue entries without placeholders) that nynorsk words
    otherwise, found in ``body``: a page that fell back to the bokmål catalogue somewhere."""
    found = []
    for key, texts in TEXT.items():
        no, nn = texts["no"], texts["nn"]
        if no == nn or len(no) < 8 or any(name for _, name, _, _ in string.Formatter().parse(no) if name):
            continue
        if f">{no}<" in body:
            found.append(f"{key}: {no}")
    return found


@pytest.mark.parametrize("path", PAGES)
def test_every_page_type_answers_in_nynorsk(client, path: str) -> None:
    response = client.get(path + "?lang=nn")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="nn">' in body
    assert not _untranslated(body)
    for key in ("nav_overview", "skip_link", "site_name"):
        assert f">{key}<" not in body  # no bare key where a string belongs
    if path in WITH_STATUSES:
        assert any(word in body for word in STATUS_TEXT_NN), "no status word in nynorsk"
        assert not any(f">{word}<" in body for word in NO_ONLY_STATUS), "a bokmål status word"


def test_the_fixture_shows_a_status_word_that_differs_in_nynorsk(client) -> None:
    # "Går feil veg" / "Ikkje nok data": the words that tell nynorsk from bokmål.
    body = client.get("/indikatorer?lang=nn").get_data(as_text=True)
    assert any(word in body for word in NN_ONLY_STATUS)


@pytest.mark.parametrize("spelling", ["nn", "NN", "nno", "nynorsk"])
def test_every_spelling_of_nynorsk_selects_it(client, spelling: str) -> None:
    assert '<html lang="nn">' in client.get(f"/?lang={spelling}").get_data(as_text=True)


def test_the_language_switch_offers_the_other_two_languages(client) -> None:
    body = client.get("/mal/1?lang=nn").get_data(as_text=True)
    assert 'href="/mal/1"' in body and 'hreflang="nb"' in body and ">Norsk (bokmål)<" in body
    assert 'href="/mal/1?lang=en"' in body and 'hreflang="en"' in body and ">English<" in body
    assert ">Nynorsk<" not in body  # the page's own language is not offered
    bokmal = client.get("/mal/1").get_data(as_text=True)
    assert 'href="/mal/1?lang=nn"' in bokmal and 'hreflang="nn"' in bokmal and ">Nynorsk<" in bokmal


def test_internal_links_keep_nynorsk(client) -> None:
    body = client.get("/?lang=nn").get_data(as_text=True)
    assert 'href="/indikatorer?lang=nn"' in body and 'href="/metode?lang=nn"' in body


def test_the_csv_in_nynorsk_has_nynorsk_columns_and_the_norwegian_dialect(client) -> None:
    response = client.get("/data/elbil.csv?lang=nn")
    assert response.status_code == 200
    assert ".nn.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["regionkode", "region", "år", "verdi", "ssb_symbol", "datagrunnlag"]
    every = client.get("/data/all.csv?lang=nn").get_data(as_text=True).lstrip("\ufeff")
    assert every.splitlines()[0].split(";")[:2] == ["indikator", "indikatornamn"]
    package = client.get("/data/datapackage.json?lang=nn").get_json()
    assert package["title"].endswith("indikatorar")


def test_the_method_page_in_nynorsk_is_nynorsk(client) -> None:
    body = client.get("/metode?lang=nn").get_data(as_text=True)
    assert '<html lang="nn">' in body and 'class="prose">' in body and 'class="prose" lang="nb"' not in body
    text = " ".join(body.split())
    assert "Slik vurderer vi framgangen" in text and "Dei seks vurderingane" in text
    assert "er Trondheim på veg mot målet for 2032?" in text  # the fixture plan's region and year


def test_the_method_texts_have_the_same_sections_and_formulas() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    texts = {lang: (docs / f"method.{lang}.md").read_text(encoding="utf-8") for lang in ("nb", "nn", "en")}
    shape = {
        lang: (
            [line[:3] for line in text.splitlines() if line.startswith("#")],
            text.count("```"),
            text.count("|"),
        )
        for lang, text in texts.items()
    }
    assert shape["nn"] == shape["nb"], (
        "method.nn.md has other headings, code blocks or tables than method.nb.md"
    )


def test_a_404_in_nynorsk_is_in_nynorsk(client) -> None:
    response = client.get("/indikator/finst-ikkje?lang=nn")
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and '<html lang="nn">' in body and "Fann ikkje sida" in body


@pytest.mark.parametrize("value", ["nn-NO", "nynorsk<script>", "n", "nnn", "%00nn", ""])
def test_hostile_lang_values_still_mean_bokmal(client, value: str) -> None:
    for path in ("/", "/indikatorer", "/embed/indikator/elbil"):
        body = client.get(f"{path}?lang={value}").get_data(as_text=True)
        assert '<html lang="nb">' in body, (path, value)


def test_bokmal_model_texts_on_a_nynorsk_page_are_marked_as_bokmal(client) -> None:
    # The fixture's definitions have no nynorsk name or description: shown in bokmål, marked.
    body = client.get("/indikator/elbil?lang=nn").get_data(as_text=True)
    assert '<h1 lang="nb">' in body and 'class="definition" lang="nb"' in body
    assert 'lang="nb">' not in client.get("/indikator/elbil").get_data(as_text=True).split("</header>", 1)[1]


def test_the_progress_engines_sentences_are_nynorsk_and_not_marked(client) -> None:
    body = client.get("/indikator/elbil?lang=nn").get_data(as_text=True)
    assert 'class="lead">' in body and 'class="lead" lang="nb"' not in body
    lead = body.split('class="lead">', 1)[1].split("</p>", 1)[0]
    assert any(word in lead for word in ("auka", "gjekk", "uendra", "Det finst", "Siste tal")), lead
    assert not any(word in lead for word in (" økte ", " fra ", " ikke ", "finnes", "Siste tall")), lead
    goal = client.get("/mal/1?lang=nn").get_data(as_text=True)
    assert 'class="chart__caption" lang="nb"' not in goal
    embed = client.get("/embed/indikator/elbil?lang=nn").get_data(as_text=True)
    assert 'class="embed__explanation">' in embed
    explanation = client.get("/data/elbil.json").get_json()["assessment"]["explanation"]
    assert set(explanation) == {"no", "en", "nn"} and explanation["nn"] != explanation["no"]
