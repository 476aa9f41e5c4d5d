"""The done-when test of issue 18: a second plan of another shape, by configuration only.

A Bergen-like plan — 4 goals with 2, 3, 6 and 1 sub-goals (4.1 without indicators), no English
titles, the years 2021–2030, home region Bergen with Oslo and Stavanger as peers — is written to a
temporary folder. Every command and the app are pointed at it through the documented environment
variables only (GOALS_FILE, INDICATOR_DIR, DATA_CACHE_DIR, SSB_API_URL): validate, refresh (from
the local SSB stub, over HTTP), status in three languages and as JSON, check; then ``python app.py``
serves it. No answer names Trondheim, Trondheimsløftet or 2032; /metode states the plan's region
and years; every page type answers in bokmål, English and nynorsk, and passes axe in all three.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from indicators.config import REPO_ROOT

SUBGOALS = {"1": 2, "2": 3, "3": 6, "4": 1}
GOAL_TITLES = {
    "1": "Et grønnere Bergen",
    "2": "Et Bergen for alle",
    "3": "Et Bergen med arbeid og kunnskap",
    "4": "Et Bergen som samarbeider",
}

NN_TITLES = {"2": "Eit Bergen for alle"}


def goals_toml() -> str:
    lines = [
        "[plan]",
        'name = "Bergensløftet"',
        'subtitle = "Kommuneplanens samfunnsdel 2021–2030"',
        "start_year = 2021",
        "target_year = 2030",
        'region = "K-4601"',
        'region_name = "Bergen"',
        'peers = ["K-0301", "K-1103"]',
        'owner = "Bergen testkommune"',
        'contact = "post@bergen.example.org"',
        "",
    ]
    for goal, count in SUBGOALS.items():
        lines += ["[[goals]]", f'id = "{goal}"', f'title = "{GOAL_TITLES[goal]}"', 'wording = "plan"']
        if goal in NN_TITLES:  # a title in nynorsk through translations (no English titles at all)
            lines += [f'translations = {{ nn = {{ title = "{NN_TITLES[goal]}" }} }}']
        lines += ['source = "https://example.org/bergen/plan"', ""]
        for n in range(1, count + 1):
            lines += ["[[goals.subgoals]]", f'id = "{goal}.{n}"', f'title = "Delmål {goal}.{n} for Bergen"']
            lines += [
                'wording = "working"' if n == 2 else 'wording = "plan"',
                'source = "https://example.org/bergen/plan"',
                "",
            ]
    return "\n".join(lines)


# Tables the stub has; every sub-goal but 4.1 gets an indicator. No English names.
DEFINITIONS = {
    "befolkning": """name = "Folketall"
subgoals = ["1.1", "2.1", "3.1", "3.4"]
unit = "personer"
decimals = 0
direction = "increase"
description = "Folketallet 1. januar."
[series.bef]
table = "07459"
select = { ContentsCode = "Personer1" }
""",
    "personbiler": """name = "Personbiler per 1 000 innbyggere"
subgoals = ["1.2", "2.2", "3.2", "3.5"]
unit = "per 1 000 innbyggere"
decimals = 0
direction = "decrease"
formula = "1000 * biler / befolkning"
[series.biler]
table = "07849"
select = { DrivstoffType = ["1", "2", "3", "4", "5", "6"], ContentsCode = "Personbil1" }
[series.befolkning]
table = "07459"
select = { ContentsCode = "Personer1" }
""",
    "medianinntekt": """name = "Medianinntekt etter skatt"
subgoals = ["2.3", "3.3"]
unit = "kroner"
decimals = 0
direction = "increase"
[series.median]
table = "06944"
select = { HusholdType = "0000", ContentsCode = "InntSkatt" }
""",
    "nyetablerte": """name = "Nyetablerte foretak per 1 000 innbyggere"
subgoals = ["3.6"]
unit = "per 1 000 innbyggere"
decimals = 1
direction = "increase"
formula = "1000 * foretak / befolkning"
[target]
value = 9.0
source = "Bergensløftet (testplan)"
[series.foretak]
table = "08316"
select = { NACE2007 = "00-99", OrgFormer = "Alle", AntSyss = "999", OverlevAar = "01", Overlevelse = "00", ContentsCode = "Foretak" }
[series.befolkning]
table = "07459"
select = { ContentsCode = "Personer1" }
""",
}

LANGS = ("no", "en", "nn")
HTML_LANG = {"no": "nb", "en": "en", "nn": "nn"}
PAGES = [
    "/",
    "/mal/1",
    "/mal/4",
    "/delmal/3.6",
    "/delmal/4.1",
    "/indikator/befolkning",
    "/indikator/nyetablerte",
    "/metode",
    "/om",
    "/indikatorer",
    "/rapport",
    "/embed/indikator/personbiler",
]
DATA = [
    "/data/befolkning.csv",
    "/data/befolkning.json",
    "/data/all.csv",
    "/data/datapackage.json",
    "/api/status.json",
    "/api/openapi.json",
    "/healthz",
]
# "2032" as a year, not as digits inside a longer number (203 245, 0.2032) or URL-encoding ("%2032" is " 32").
FORBIDDEN = re.compile(r"Trondheim|(?<![\d.,\u00a0 %])2032(?![\d.,])", re.IGNORECASE)


@pytest.fixture(scope="module")
def bergen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The plan's folder and the environment that points every command at it (the SSB stub runs
    for the module; the cache is filled by one refresh)."""
    from indicators.ssb.ratelimit import forget_limiter
    from tests.ssb_stub.server import StubServer

    root = tmp_path_factory.mktemp("bergen")
    (root / "goals.toml").write_text(goals_toml(), encoding="utf-8")
    (root / "definitions").mkdir()
    for name, text in DEFINITIONS.items():
        (root / "definitions" / f"{name}.toml").write_text(text, encoding="utf-8")
    stub = StubServer(max_calls=1000, time_window=1).start()
    env = {
        **os.environ,
        "GOALS_FILE": str(root / "goals.toml"),
        "INDICATOR_DIR": str(root / "definitions"),
        "DATA_CACHE_DIR": str(root / "cache"),
        "SSB_API_URL": stub.url,
    }
    try:
        yield env
    finally:
        stub.stop()
        forget_limiter(stub.url)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def refreshed(bergen: dict[str, str]) -> dict[str, str]:
    done = run(bergen, "refresh", "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    return bergen


def test_every_command_follows_the_second_plan(refreshed: dict[str, str]) -> None:
    valid = run(refreshed, "validate")
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert "4 goals, 12 sub-goals, 4 indicators" in valid.stdout
    report = json.loads(run(refreshed, "status", "--json").stdout)
    assert report["plan"] == "Bergensløftet" and report["region"] == "K-4601"
    assert [len(g["subgoals"]) for g in report["goals"]] == [2, 3, 6, 1]
    assert report["goals"][3]["status"] == "not_available"  # its one sub-goal has no indicators
    assert report["test_data"] is True and report["languages"] == ["no", "en", "nn"]
    assert all(g["title_en"] is None for g in report["goals"])
    assert [sorted(g["title_i18n"]) for g in report["goals"]] == [["no"], ["nn", "no"], ["no"], ["no"]]
    indicator = report["goals"][2]["subgoals"][5]["indicators"][0]
    assert indicator["id"] == "nyetablerte" and indicator["target_year"] == 2030
    assert set(indicator["explanation_i18n"]) == set(LANGS)
    outputs = {lang: run(refreshed, "status", "--lang", lang) for lang in LANGS}
    assert all(out.returncode == 0 for out in outputs.values())
    assert (
        "Namn" in outputs["nn"].stdout and "Name" in outputs["en"].stdout and "Navn" in outputs["no"].stdout
    )
    check = run(refreshed, "check", "befolkning")
    assert check.returncode == 0, check.stdout + check.stderr
    for out in [
        valid,
        check,
        *outputs.values(),
        run(refreshed, "--help"),
        run(refreshed, "status", "--help"),
    ]:
        assert not FORBIDDEN.search(out.stdout + out.stderr), (
            out.args,
            FORBIDDEN.search(out.stdout + out.stderr),
        )
    assert not FORBIDDEN.search(json.dumps(report, ensure_ascii=False))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(refreshed: dict[str, str]) -> Iterator[str]:
    """``python app.py`` for the second plan, configured by the environment only."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "app.py", "--no-refresh", "--port", str(port)],
        cwd=REPO_ROOT,
        env=refreshed,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", errors="replace")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_type_answers_in_each_language_without_naming_trondheim(site: str, lang: str) -> None:
    query = "" if lang == "no" else f"?lang={lang}"
    for path in PAGES:
        status, body = fetch(site + path + query)
        assert status == 200, (path, lang, status)
        assert f'<html lang="{HTML_LANG[lang]}"' in body and "Bergen" in body, (path, lang)
        found = FORBIDDEN.search(body)
        assert not found, (path, lang, body[max(found.start() - 80, 0) : found.end() + 80])
    for path in DATA:
        status, body = fetch(site + path + query)
        assert status == 200, (path, lang, status)
        found = FORBIDDEN.search(body)
        assert not found, (path, lang, body[max(found.start() - 80, 0) : found.end() + 80])
    status, body = fetch(site + "/indikator/finst-ikkje" + query)
    assert status == 404 and f'<html lang="{HTML_LANG[lang]}"' in body and not FORBIDDEN.search(body)


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("no", ["er Bergen på vei mot målet for 2030?", "startåret 2021", "Bergensløftet"]),
        ("en", ["Bergen", "2030", "base year 2021"]),
        ("nn", ["er Bergen på veg mot målet for 2030?", "startåret 2021", "Bergensløftet"]),
    ],
)
def test_the_method_page_states_the_plans_region_and_years(site: str, lang: str, phrases: list[str]) -> None:
    body = " ".join(fetch(site + "/metode" + ("" if lang == "no" else f"?lang={lang}"))[1].split())
    for phrase in phrases:
        assert phrase in body, (lang, phrase)


def test_english_pages_show_the_untranslated_titles_marked_as_bokmal(site: str) -> None:
    body = fetch(site + "/?lang=en")[1]
    assert f'<span lang="nb">{GOAL_TITLES["1"]}</span>' in body


def test_nynorsk_pages_show_the_plans_nynorsk_title_unmarked_and_the_others_marked(site: str) -> None:
    body = fetch(site + "/?lang=nn")[1]
    assert NN_TITLES["2"] in body and f'<span lang="nb">{NN_TITLES["2"]}</span>' not in body
    assert f'<span lang="nb">{GOAL_TITLES["1"]}</span>' in body
    assert NN_TITLES["2"] not in fetch(site + "/")[1] and NN_TITLES["2"] not in fetch(site + "/?lang=en")[1]


@pytest.mark.parametrize("lang", LANGS)
def test_axe_passes_on_every_page_type_in_each_language(site: str, browser, lang: str) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = browser.new_page()
    try:
        problems = []
        for path in PAGES:
            page.goto(site + path + ("" if lang == "no" else f"?lang={lang}"))
            page.wait_for_selector("main h1", timeout=15_000)
            assert page.evaluate("document.documentElement.lang") == HTML_LANG[lang]
            results = axe.Axe().run(page)
            problems += [
                f"{path}: {v['id']} ({v['impact']}): {v['help']}"
                for v in results.response["violations"]
                if v.get("impact") in {"serious", "critical"}
            ]
        assert problems == []
    finally:
        page.close()
