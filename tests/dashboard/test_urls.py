"""Internal links keep the language; paths map to the right page."""

from __future__ import annotations

import pytest

from dashboard import urls


def test_links_keep_english_and_bokmal_needs_no_parameter() -> None:
    assert urls.goal("1", "no") == "/mal/1"
    assert urls.goal("1", "en") == "/mal/1?lang=en"
    assert urls.subgoal("1.4", "en") == "/delmal/1.4?lang=en"
    assert urls.indicator("elbil-andel", "en") == "/indikator/elbil-andel?lang=en"
    assert urls.embed("elbil-andel", "no") == "/embed/indikator/elbil-andel"
    assert urls.data_json("elbil-andel") == "/data/elbil-andel.json"


def test_ids_are_quoted_so_a_link_cannot_break_out_of_its_path() -> None:
    assert urls.indicator('a"b/<c>', "no") == "/indikator/a%22b%2F%3Cc%3E"


def test_statbank_link_names_the_table() -> None:
    assert urls.statbank("07849") == "https://www.ssb.no/statbank/table/07849"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ("overview", None)),
        ("/metode", ("method", None)),
        ("/om/", ("about", None)),
        ("/mal/1", ("goal", "1")),
        ("/delmal/1.4", ("subgoal", "1.4")),
        ("/indikator/elbil", ("indicator", "elbil")),
        ("/indikator/elbil/extra", ("indicator", "elbil/extra")),
        ("/embed/indikator/elbil", ("embed", "elbil")),
        ("/indikator/", None),
        ("/tull", None),
    ],
)
def test_match_tells_which_page_a_path_asks_for(path: str, expected: object) -> None:
    assert urls.match(path) == expected
