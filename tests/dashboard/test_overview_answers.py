"""The overview answers a reader's first questions in its server copy (no script needed): per
goal the count per status, every indicator going the wrong way named and linked, and what changed
since the previous data release (from the assessment history, which may be missing or damaged)."""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.data import DataSource, build_data
from indicators.assessment.explain import STATUS_TEXT
from indicators.assessment.formulas import STATUSES
from indicators.assessment.history import Entry, History, Recorded, release_of
from indicators.config import Settings
from indicators.store.snapshot import load_snapshot
from tests.dashboard.conftest import make_snapshot, settings


@pytest.fixture(scope="module")
def demo_app():
    """The app over the repository's own catalogue and demo snapshot (many statuses)."""
    return create_app(Settings.resolve())


@pytest.fixture(scope="module")
def demo_data():
    return build_data(load_snapshot(Settings.resolve()))


def server_copy(body: str) -> str:
    """The page as the server wrote it (what every reader gets, with or without JavaScript)."""
    return body[body.index("<body>") + len("<body>") : body.index("</body>")]


def goal_sections(copy: str) -> dict[str, str]:
    parts = re.split(r'(?=<section class="goal-card" aria-labelledby="goal-)', copy)
    found = {}
    for part in parts[1:]:
        goal_id = re.match(r'<section class="goal-card" aria-labelledby="goal-([^"]+)"', part).group(1)
        found[goal_id] = part[: part.index("</section>")]
    return found


def counts_shown(section: str, lang: str) -> dict[str, int]:
    found = {}
    for status in STATUSES:
        item = re.search(rf'class="status-count status-count--{status}[^"]*">(.*?)</li>', section)
        assert item, f"no count for {status}"
        text = re.sub(r"<[^>]+>", "", item.group(1))
        number, _, words = text.partition(" ")
        assert html_lib.unescape(words.strip()) == STATUS_TEXT[status][lang]
        found[status] = int(number.lstrip("★●◑◔▼◌"))
    return found


@pytest.mark.parametrize("lang", ["no", "en"])
def test_the_server_copy_counts_every_goals_indicators_per_status(demo_app, demo_data, lang: str) -> None:
    body = demo_app.server.test_client().get("/" if lang == "no" else "/?lang=en").get_data(as_text=True)
    sections = goal_sections(server_copy(body))
    catalog = demo_data.catalog
    assert set(sections) == {g.id for g in catalog.goals}
    for goal in catalog.goals:
        ids = {d.id for s in goal.subgoals for d in catalog.indicators_for(s.id)}
        expected = Counter(demo_data.assessments[i].status for i in ids)
        assert counts_shown(sections[goal.id], lang) == {s: expected.get(s, 0) for s in STATUSES}, goal.id


@pytest.mark.parametrize("lang", ["no", "en"])
def test_the_server_copy_names_and_links_every_indicator_going_the_wrong_way(
    demo_app, demo_data, lang
) -> None:
    body = demo_app.server.test_client().get("/" if lang == "no" else "/?lang=en").get_data(as_text=True)
    sections = goal_sections(server_copy(body))
    catalog = demo_data.catalog
    wrong_way = [i for i, a in demo_data.assessments.items() if a.status == "deterioration"]
    assert wrong_way, "the demo has indicators going the wrong way"
    for indicator_id in wrong_way:
        definition = catalog.indicators[indicator_id]
        name = definition.name_en if lang == "en" and definition.name_en else definition.name
        suffix = "?lang=en" if lang == "en" else ""
        link = f'<a href="/indikator/{indicator_id}{suffix}">{html_lib.escape(name, quote=False)}</a>'
        goals = {catalog.goal_of(s).id for s in definition.subgoals}
        for goal_id in goals:
            named = sections[goal_id].split('class="named named--deterioration"')[1].split("</div>")[0]
            # Once per goal, however many of its sub-goals the indicator is under.
            assert named.count(link) == 1, (indicator_id, goal_id)


def test_a_shared_indicator_says_where_else_it_belongs(demo_app, demo_data) -> None:
    catalog = demo_data.catalog
    shared = [
        i
        for i, d in catalog.indicators.items()
        if demo_data.assessments[i].status == "deterioration"
        and len({catalog.goal_of(s).id for s in d.subgoals}) > 1
    ]
    assert shared
    body = server_copy(demo_app.server.test_client().get("/").get_data(as_text=True))
    item = body.split(f'href="/indikator/{shared[0]}">')[1].split("</li>")[0]
    assert "også under mål" in item and "delmål" in item


def app_with_history(history: History | None = None, *, cache_dir: Path | None = None):
    s = settings()
    if cache_dir is not None:
        s = Settings.resolve({"definitions": s.definitions, "goals": s.goals, "cache_dir": cache_dir})
    from indicators.plan.catalog import load_catalog

    snap = make_snapshot(load_catalog(s.definitions, s.goals))
    options = {} if history is None else {"history": lambda _s: history}
    return create_app(s, source=DataSource(s, load=lambda _s: snap, version=lambda _s: "v", **options)), snap


def test_status_changes_since_the_previous_release_are_named(data) -> None:
    now = {i: a.status for i, a in data.assessments.items()}
    earlier = dict(now)
    earlier["elbil"] = "deterioration" if now["elbil"] != "deterioration" else "target_achieved"
    entry = Entry(
        release=(("ssb:07849", "2025-02-21T07:00:00Z"),),
        data_as_of=datetime(2025, 2, 21, 7, tzinfo=UTC),
        recorded=datetime(2025, 2, 21, 8, tzinfo=UTC),
        indicators={i: Recorded(s) for i, s in earlier.items()},
    )
    app, _ = app_with_history(History((entry,)))
    copy = server_copy(app.server.test_client().get("/").get_data(as_text=True))
    section = copy.split('id="changes"')[1]
    assert "1 indikator har endret status siden tallene fra 21. februar 2025" in section
    assert 'href="/indikator/elbil"' in section
    assert STATUS_TEXT[earlier["elbil"]]["no"] in section and STATUS_TEXT[now["elbil"]]["no"] in section
    assert 'href="/indikator/befolkning"' not in section, "unchanged indicators are not listed"


def test_the_same_release_in_the_history_is_nothing_to_compare_with(snapshot, data) -> None:
    entry = Entry(release_of(snapshot), None, datetime(2025, 1, 1, tzinfo=UTC), {})
    app, _ = app_with_history(History((entry,)))
    copy = server_copy(app.server.test_client().get("/").get_data(as_text=True))
    assert "Det finnes ingen tidligere datautgivelse å sammenligne med ennå." in copy


@pytest.mark.parametrize(
    "content", [None, b"{not json", b'{"format": 1, "entries": [{"release": 1}]}', b"\xff" * 10]
)
def test_a_missing_or_damaged_history_file_never_breaks_the_page(
    tmp_path: Path, content: bytes | None
) -> None:
    if content is not None:
        (tmp_path / "real").mkdir()
        (tmp_path / "real" / "history.json").write_bytes(content)
    app, _ = app_with_history(cache_dir=tmp_path)
    response = app.server.test_client().get("/?lang=en")
    assert response.status_code == 200
    assert "There is no earlier data release to compare with yet." in server_copy(
        response.get_data(as_text=True)
    )


def test_jump_links_lead_to_each_goal_and_to_the_changes(client, catalog) -> None:
    copy = server_copy(client.get("/").get_data(as_text=True))
    nav = copy.split('class="jump-links"')[1].split("</nav>")[0]
    for goal in catalog.goals:
        assert f'href="#goal-{goal.id}"' in nav and f'id="goal-{goal.id}"' in copy
    assert 'href="#changes"' in nav and 'id="changes"' in copy
    assert 'href="/indikatorer"' in nav
