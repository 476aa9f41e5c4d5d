"""Definitions and the method text are rendered from Markdown without raw HTML."""

from __future__ import annotations

from dashboard.markdown import first_heading, render_markdown, without_first_heading
from tests.dashboard.helpers import find_all, text


def test_raw_html_is_shown_as_text_not_turned_into_elements() -> None:
    tree = render_markdown('Før <script>alert("x")</script> etter\n\n<img src=x onerror=alert(1)>')
    assert '<script>alert("x")</script>' in text(tree)
    assert not find_all(tree, "Script") and not find_all(tree, "Img")


def test_javascript_links_are_not_links() -> None:
    tree = render_markdown("[klikk](javascript:alert(1)) og [SSB](https://www.ssb.no)")
    assert [a.href for a in find_all(tree, "A")] == ["https://www.ssb.no"]


def test_headings_fit_under_the_page_outline() -> None:
    tree = render_markdown("## Tittel\n\n### Under", top_level=3)
    assert [type(h).__name__ for h in find_all(tree, where=lambda n: type(n).__name__[0] == "H")] == [
        "H3",
        "H4",
    ]


def test_emphasis_lists_code_and_tables_render() -> None:
    tree = render_markdown("**fet** og *kursiv* `kode`\n\n- en\n- to\n\n| a | b |\n|---|--:|\n| 1 | 2 |")
    assert find_all(tree, "Strong") and find_all(tree, "Em") and find_all(tree, "Code")
    assert [text(li) for li in find_all(tree, "Li")] == ["en", "to"]
    assert [th.scope for th in find_all(tree, "Th")] == ["col", "col"]
    assert find_all(tree, "Td")[1].style == {"textAlign": "right"}


def test_a_leading_title_can_become_the_page_heading() -> None:
    doc = "# Slik måler vi\n\nTekst.\n"
    assert first_heading(doc) == "Slik måler vi"
    assert "Slik måler vi" not in without_first_heading(doc)
    assert first_heading("Tekst først\n\n# Senere") is None
