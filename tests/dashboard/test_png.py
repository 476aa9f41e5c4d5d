"""``/embed/indikator/<id>.png``: the chart as a PNG picture for link previews and reports."""

from __future__ import annotations

import struct

import pytest

from dashboard import png
from dashboard.export import PICTURE_HEIGHT, PICTURE_WIDTH, picture_svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(body: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (checked to be a PNG first)."""
    assert body[:8] == PNG_SIGNATURE
    assert body[12:16] == b"IHDR"
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def first_id(client) -> str:
    from dashboard import data as data_module

    with client.application.app_context():
        return next(iter(data_module.current().catalog.indicators))


def test_png_is_a_picture_of_the_charts_size(client) -> None:
    indicator_id = first_id(client)
    response = client.get(f"/embed/indikator/{indicator_id}.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert png_size(response.data) == (PICTURE_WIDTH, PICTURE_HEIGHT)


def test_png_differs_by_language_and_is_cached_with_etag(client) -> None:
    indicator_id = first_id(client)
    norsk = client.get(f"/embed/indikator/{indicator_id}.png")
    english = client.get(f"/embed/indikator/{indicator_id}.png?lang=en")
    assert norsk.data != english.data  # the legend and axis words are in the reader's language
    etag = norsk.headers["ETag"]
    assert "max-age" in norsk.headers["Cache-Control"]
    again = client.get(f"/embed/indikator/{indicator_id}.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


@pytest.mark.parametrize(
    "path",
    [
        "/embed/indikator/nope.png",
        "/embed/indikator/..%2f..%2fetc.png",
        "/embed/indikator/%00.png",
        "/embed/indikator/" + "a" * 5000 + ".png",
    ],
)
def test_unknown_ids_are_404_pages(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"Traceback" not in response.data


@pytest.mark.parametrize("query", ["lang=%00", "lang=" + "x" * 3000, "lang=en&lang=no", "lang=<script>"])
def test_odd_language_gives_the_bokmal_picture(client, query: str) -> None:
    indicator_id = first_id(client)
    plain = client.get(f"/embed/indikator/{indicator_id}.png")
    odd = client.get(f"/embed/indikator/{indicator_id}.png?{query}")
    assert odd.status_code == 200 and odd.mimetype == "image/png"
    if query != "lang=en&lang=no":
        assert odd.data == plain.data


@pytest.mark.parametrize("height", ["abc", "-1", "1e9", "%00", "99999999999999999999"])
def test_junk_height_is_a_clear_400(client, height: str) -> None:
    indicator_id = first_id(client)
    response = client.get(f"/embed/indikator/{indicator_id}.png?height={height}")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert b"Bad request" in response.data and b"Traceback" not in response.data


def test_norwegian_letters_are_drawn(data) -> None:
    """æøå come out as glyphs: a picture with them differs from one with plain a's."""
    indicator_id = next(iter(data.catalog.indicators))
    svg = picture_svg(data, indicator_id, "no")
    marked = svg.replace("</svg>", '<text x="10" y="30" font-size="30">{}</text></svg>')
    with_letters = png.svg_to_png(marked.format("æøå ÆØÅ"))
    with_blanks = png.svg_to_png(marked.format(""))
    with_plain = png.svg_to_png(marked.format("aoa AOA"))
    assert with_letters != with_blanks and with_letters != with_plain


def test_embeds_link_previews_show_the_png_at_the_site_url(app_factory, monkeypatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://indikatorer.example.no")
    app = app_factory()
    client = app.server.test_client()
    indicator_id = first_id(client)
    page = client.get(f"/embed/indikator/{indicator_id}?lang=en").get_data(as_text=True)
    image = f"https://indikatorer.example.no/embed/indikator/{indicator_id}.png?lang=en"
    assert f'<meta property="og:image" content="{image}"' in page
    assert '<meta name="twitter:card" content="summary_large_image"' in page
    assert f'<meta name="twitter:image" content="{image}"' in page
    assert client.get(image.removeprefix("https://indikatorer.example.no")).mimetype == "image/png"


def test_without_a_site_url_there_is_no_relative_og_image(client) -> None:
    page = client.get(f"/embed/indikator/{first_id(client)}").get_data(as_text=True)
    assert "og:image" not in page  # a relative og:image is ignored by every previewer


def test_indicator_pages_link_previews_show_the_png(app_factory, monkeypatch) -> None:
    monkeypatch.setenv("SITE_URL", "https://indikatorer.example.no")
    client = app_factory().server.test_client()
    indicator_id = first_id(client)
    page = client.get(f"/indikator/{indicator_id}?lang=en").get_data(as_text=True)
    image = f"https://indikatorer.example.no/embed/indikator/{indicator_id}.png?lang=en"
    assert f'<meta property="og:image" content="{image}"' in page
    assert '<meta name="twitter:card" content="summary_large_image"' in page
    missing = client.get("/indikator/finnes-ikke")
    assert missing.status_code == 404 and "og:image" not in missing.get_data(as_text=True)
