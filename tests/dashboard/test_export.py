"""``python -m dashboard export DIR``: static embeds that a plain web host serves without the app."""

from __future__ import annotations

import csv
import dataclasses
import functools
import http.server
import io
import json
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from dashboard import embed
from dashboard.__main__ import main
from dashboard.data import build_data
from dashboard.export import export_site
from tests.dashboard.conftest import FIXTURE, make_snapshot

INDICATORS = ("befolkning", "deltakelse", "elbil", "utslipp")


@pytest.fixture(scope="module")
def exported(tmp_path_factory, catalog) -> Path:
    root = tmp_path_factory.mktemp("export")
    data = build_data(make_snapshot(catalog, demo=True))
    export_site(
        data, root, site_url="https://indikatorer.example.no", export_url="https://cdn.example.no/emb"
    )
    return root


def scripts_and_links(page: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)


@pytest.mark.parametrize("indicator_id", INDICATORS)
def test_every_indicator_gets_a_page_per_language_and_its_data(exported: Path, indicator_id: str) -> None:
    folder = exported / "embed" / "indikator" / indicator_id
    bokmal = (folder / "index.html").read_text(encoding="utf-8")
    english = (folder / "index.en.html").read_text(encoding="utf-8")
    assert '<html lang="nb"' in bokmal and '<html lang="en"' in english
    assert 'data-static-export="1"' in bokmal
    assert (exported / "data" / f"{indicator_id}.csv").read_bytes().startswith("\ufeff".encode())
    assert (exported / "data" / f"{indicator_id}.en.csv").is_file()
    document = json.loads((exported / "data" / f"{indicator_id}.json").read_text(encoding="utf-8"))
    assert document["id"] == indicator_id and document["demo"] is True


def test_pages_load_nothing_from_other_sites_and_every_asset_exists(exported: Path) -> None:
    pages = sorted(exported.glob("embed/indikator/*/index*.html"))
    assert len(pages) == 3 * len(INDICATORS)  # bokmål, English, nynorsk
    for page in pages:
        text = page.read_text(encoding="utf-8")
        refs = scripts_and_links(text)
        assert refs, page
        for ref in refs:
            if ref.startswith("data:") or ref.startswith("https://indikatorer.example.no/indikator/"):
                continue  # the empty favicon; the canonical link to the dashboard page
            assert "//" not in ref, f"{page}: {ref} is not relative"
            assert (page.parent / ref.split("?")[0]).resolve().is_file(), f"{page}: {ref} is missing"
        # Links to data files resolve inside the export too.
        for ref in re.findall(r'href="(\.\./[^"]+)"', text):
            assert (page.parent / ref.split("?")[0]).resolve().is_file(), f"{page}: {ref} is missing"


def test_links_back_to_the_dashboard_and_absolute_previews(exported: Path) -> None:
    text = (exported / "embed/indikator/elbil/index.en.html").read_text(encoding="utf-8")
    assert 'href="https://indikatorer.example.no/indikator/elbil?lang=en" target="_top"' in text
    assert (
        '<meta property="og:url" content="https://cdn.example.no/emb/embed/indikator/elbil/index.en.html">'
        in text
    )


@pytest.mark.parametrize(
    ("name", "lang", "legend"),
    [("elbil.svg", "nb", "Trondheim: målt"), ("elbil.en.svg", "en", "Trondheim: measured")],
)
def test_every_chart_is_also_a_standalone_svg_picture(
    exported: Path, name: str, lang: str, legend: str
) -> None:
    for indicator_id in INDICATORS:
        assert (exported / "img" / f"{indicator_id}.svg").is_file()
        assert (exported / "img" / f"{indicator_id}.en.svg").is_file()
    text = (exported / "img" / name).read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ElementTree.fromstring(text.encode("utf-8"))  # well-formed XML, as image viewers need
    svg = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg}svg"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert root.get("role") == "img" and root.get("aria-labelledby") == "title"
    title = root.find(f"{svg}title").text
    assert title.startswith("Elbiler" if lang == "nb" else "Electric cars")
    assert root.find(f"{svg}desc").text.startswith("DEMO")
    texts = [element.text for element in root.iter(f"{svg}text")]
    assert legend in texts
    assert ("DEMODATA" if lang == "nb" else "DEMO DATA") in texts  # demo data is marked on the picture


def test_a_chart_without_data_is_a_picture_that_says_so(exported: Path) -> None:
    root = ElementTree.fromstring((exported / "img" / "deltakelse.svg").read_bytes())
    texts = [element.text for element in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Ingen data" in texts


def test_shared_assets_are_the_embeds_own_files_without_plotly_js(exported: Path) -> None:
    static = exported / "embed" / "static"
    names = {p.name for p in static.iterdir()}
    assert names == set(embed.STATIC_FILES) >= {"embed.js", "points.js", "embed.css", "resize.js"}
    assert not any("plotly" in name for name in names), "the exported embeds load no plotly.js"
    assert sum((static / name).stat().st_size for name in names) < 60_000


class _InlineCode(HTMLParser):
    """Collects what a strict policy (style-src 'self', script-src 'self') would block."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "style" or "style" in names:
            self.blocked.append(f"<{tag}> style")
        if any(name.startswith("on") for name in names):
            self.blocked.append(f"<{tag}> event handler")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.blocked.append("inline <script>")


def test_exported_pages_need_nothing_inline_under_the_policy_deployment_md_gives(exported: Path) -> None:
    # docs/deployment.md tells the CDN: style-src 'self' and script-src from 'self' alone.
    pages = sorted(exported.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parser = _InlineCode()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.blocked == [], page.relative_to(exported)


def test_the_csv_holds_the_figures_for_norwegian_excel(exported: Path) -> None:
    text = (exported / "data" / "elbil.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["regionkode", "region", "år", "verdi", "ssb_symbol", "datagrunnlag"]
    assert ["K-5001", "Trondheim", "2024", "41,7", "", "demo"] in rows  # the export is of demo data


def test_the_english_csv_opens_in_an_english_spreadsheet(exported: Path) -> None:
    text = (exported / "data" / "elbil.en.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))  # the default dialect: commas, decimal points
    assert rows[0] == ["region_code", "region", "year", "value", "ssb_symbol", "data_kind"]
    assert ["K-5001", "Trondheim", "2024", "41.7", "", "demo"] in rows


def test_index_lists_every_embed_with_a_snippet(exported: Path) -> None:
    text = (exported / "embed" / "index.html").read_text(encoding="utf-8")
    for indicator_id in INDICATORS:
        assert f'href="indikator/{indicator_id}/index.html"' in text
        assert f"https://cdn.example.no/emb/embed/indikator/{indicator_id}/index.html" in text


def test_command_exports_the_cache_and_reports_what_it_wrote(tmp_path: Path, capsys) -> None:
    out = tmp_path / "site"
    code = main(
        [
            "export",
            str(out),
            "--definitions",
            str(FIXTURE / "definitions"),
            "--goals",
            str(FIXTURE / "goals.toml"),
            "--cache-dir",
            str(tmp_path / "empty-cache"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "exported 4 indicators in 3 languages" in captured.out
    assert "--site-url" in captured.err  # says the links back are relative
    assert (out / "embed/indikator/elbil/index.html").is_file()


def test_command_refuses_a_file_as_target_with_one_clear_line(tmp_path: Path, capsys) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    code = main(
        [
            "export",
            str(target),
            "--definitions",
            str(FIXTURE / "definitions"),
            "--goals",
            str(FIXTURE / "goals.toml"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ") and "is a file" in err and len(err.strip().splitlines()) == 1


def test_command_without_arguments_shows_usage(capsys) -> None:
    assert main([]) == 2
    assert "export" in capsys.readouterr().err


# --- in a browser, served by a plain static web server ------------------------------------------


@pytest.fixture(scope="module")
def static_site(exported: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(exported))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.mark.browser
def test_exported_page_draws_from_a_plain_web_server_and_honours_lang_and_peers(browser, static_site) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(static_site + "/embed/indikator/elbil/?lang=en&peers=0&height=300")
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.url.endswith("/embed/indikator/elbil/index.en.html?lang=en&peers=0&height=300")
    assert page.evaluate("document.documentElement.lang") == "en"
    # The server's SVG (drawn with the peers, as a static host cannot leave them out) hides them.
    legend = page.locator(".embed__svg svg:visible .legend-item:visible").all_text_contents()
    assert "Trondheim: measured" in legend
    assert not [n for n in legend if "for comparison" in n]
    # points.js gives the server's SVG hover values, only on the lines shown; no plotly.js.
    page.wait_for_selector("html[data-chart-interactive]", timeout=15_000)
    point = page.locator(".embed__svg svg:visible g.trace:visible [data-tip]").first
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator(".chart-tip").inner_text().startswith("Trondheim: measured")
    page.locator("#embed-chart").focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")  # through every line shown: never a hidden peer
        assert "for comparison" not in page.locator("#embed-chart-live").inner_text()
    assert not [url for url in asked if "plotly" in url]
    assert errors == []
    context.close()


@pytest.mark.browser
def test_exported_page_follows_lang_nn_to_the_nynorsk_file(browser, static_site) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(static_site + "/embed/indikator/elbil/?lang=nn")
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.url.endswith("/embed/indikator/elbil/index.nn.html?lang=nn")
    assert page.evaluate("document.documentElement.lang") == "nn"
    page.goto(static_site + "/embed/indikator/elbil/index.en.html?lang=nn")  # no loop from another file
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.url.endswith("/embed/indikator/elbil/index.en.html?lang=nn")
    context.close()


@pytest.mark.browser
def test_exported_page_without_javascript_shows_the_chart_and_the_noscript_table(
    browser, static_site
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(static_site + "/embed/indikator/elbil/")
    assert "DEMODATA" in page.locator(".embed__svg svg:visible text").all_text_contents()
    table = page.locator("noscript table").first  # the series (the target's table follows)
    assert table.is_visible()
    text = table.inner_text()
    assert "41,7\u00a0%" in text and "Oslo" in text
    context.close()


@pytest.mark.parametrize("name", ["elbil.png", "elbil.en.png"])
def test_every_picture_is_also_a_png_of_the_charts_size_with_the_demo_mark(
    exported: Path, catalog, name: str
) -> None:
    from dashboard.export import PICTURE_HEIGHT, PICTURE_WIDTH
    from tests.dashboard.test_png import png_size

    body = (exported / "img" / name).read_bytes()
    assert png_size(body) == (PICTURE_WIDTH, PICTURE_HEIGHT)
    # The demo mark is drawn: the real-data picture of the same chart is another image.
    from dashboard.export import picture_svg
    from dashboard.png import svg_to_png

    lang = "en" if ".en." in name else "no"
    real = svg_to_png(picture_svg(build_data(make_snapshot(catalog)), "elbil", lang))  # type: ignore[arg-type]
    assert real != body


# --- a plan that publishes nynorsk and bokmål, nynorsk first ----------------------------------


@pytest.fixture(scope="module")
def exported_nn_first(tmp_path_factory, catalog) -> Path:
    plan = catalog.plan.model_copy(update={"languages": ["nn", "no"], "default_language": "nn"})
    nn_first = dataclasses.replace(catalog, plan=plan)
    root = tmp_path_factory.mktemp("export-nn")
    data = build_data(make_snapshot(nn_first, demo=True))
    export_site(
        data, root, site_url="https://indikatorer.example.no", export_url="https://cdn.example.no/emb"
    )
    return root


def test_an_export_writes_only_the_plans_languages_with_the_default_at_index_html(
    exported_nn_first: Path,
) -> None:
    folder = exported_nn_first / "embed" / "indikator" / "elbil"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "index.no.html"]
    nynorsk = (folder / "index.html").read_text(encoding="utf-8")
    bokmal = (folder / "index.no.html").read_text(encoding="utf-8")
    assert '<html lang="nn"' in nynorsk and '<html lang="nb"' in bokmal
    # The default page tells embed.js which languages have their own file; the others need none.
    assert 'data-export-langs="no"' in nynorsk and "data-export-langs" not in bokmal
    # Links back: the plan's default needs no ?lang=, bokmål does (the dashboard's default is nn).
    assert 'href="https://indikatorer.example.no/indikator/elbil" target="_top"' in nynorsk
    assert 'href="https://indikatorer.example.no/indikator/elbil?lang=no" target="_top"' in bokmal
    assert "https://cdn.example.no/emb/embed/indikator/elbil/index.no.html" in bokmal
    assert 'href="../../../data/elbil.csv"' in nynorsk and 'href="../../../data/elbil.no.csv"' in bokmal
    names = {p.name for p in (exported_nn_first / "data").iterdir() if p.name.startswith("elbil")}
    assert names == {"elbil.csv", "elbil.no.csv", "elbil.json"}
    pictures = {p.name for p in (exported_nn_first / "img").iterdir() if p.name.startswith("elbil")}
    assert pictures == {"elbil.svg", "elbil.png", "elbil.no.svg", "elbil.no.png"}
    assert not list(exported_nn_first.rglob("*.en.*")), "English is not published, so not exported"
    root = ElementTree.fromstring((exported_nn_first / "img" / "elbil.svg").read_bytes())
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "nn"


def test_an_nn_first_export_lists_its_embeds_in_nynorsk_at_index_html(exported_nn_first: Path) -> None:
    index = exported_nn_first / "embed"
    assert sorted(p.name for p in index.glob("index*.html")) == ["index.html", "index.no.html"]
    text = (index / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nn"' in text and 'href="indikator/elbil/index.html"' in text
    bokmal = (index / "index.no.html").read_text(encoding="utf-8")
    assert 'href="indikator/elbil/index.no.html"' in bokmal and 'href="../data/elbil.no.csv"' in bokmal


def test_the_repository_plan_exports_the_same_paths_as_before(exported: Path) -> None:
    folder = exported / "embed" / "indikator" / "elbil"
    assert sorted(p.name for p in folder.iterdir()) == ["index.en.html", "index.html", "index.nn.html"]
    assert sorted(p.name for p in (exported / "embed").glob("index*.html")) == [
        "index.en.html",
        "index.html",
        "index.nn.html",
    ]
    assert {p.name for p in (exported / "data").iterdir() if p.name.startswith("elbil")} == {
        "elbil.csv",
        "elbil.en.csv",
        "elbil.nn.csv",
        "elbil.json",
    }
    assert 'data-export-langs="en nn"' in (folder / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def static_site_nn_first(exported_nn_first: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(exported_nn_first))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.mark.browser
def test_an_nn_first_export_follows_lang_no_to_bokmal_and_ignores_unpublished_english(
    browser, static_site_nn_first
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(static_site_nn_first + "/embed/indikator/elbil/?lang=nb")
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.url.endswith("/embed/indikator/elbil/index.no.html?lang=nb")
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.goto(static_site_nn_first + "/embed/indikator/elbil/?lang=en")  # not published: stays nynorsk
    page.wait_for_function("() => document.readyState === 'complete'")
    assert page.url.endswith("/embed/indikator/elbil/?lang=en")
    assert page.evaluate("document.documentElement.lang") == "nn"
    context.close()
