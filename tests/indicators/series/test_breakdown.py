"""Breakdowns (issue 20 item 3): an indicator by sex, fetched with its total in one request.

Each category must come out exactly as the indicator would if its definition selected that
category's code itself: the reference is a separate definition asked on its own from the stub.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indicators.errors import CatalogError
from indicators.store.snapshot import load_snapshot
from tests.indicators.store.cache_support import make_catalog, run_refresh, settings_for

BIRTHS_BY_SEX = """
name = "Fødte per 1 000 innbyggere"
subgoals = ["1.2"]
unit = "per 1 000"
direction = "increase"
formula = "1000 * fodte / bef"
breakdowns = ["Kjonn"]
[series.fodte]
table = "90001"
select = { ContentsCode = "Fodte" }
[series.bef]
table = "90001"
select = { ContentsCode = "Personer1" }
"""
WOMEN_ONLY = """
name = "Fødte per 1 000 kvinner"
subgoals = ["1.2"]
unit = "per 1 000"
direction = "increase"
formula = "1000 * fodte / bef"
[series.fodte]
table = "90001"
select = { ContentsCode = "Fodte", Kjonn = "2" }
[series.bef]
table = "90001"
select = { ContentsCode = "Personer1", Kjonn = "2" }
"""


def test_a_breakdown_by_sex_comes_in_the_totals_request_and_matches_selecting_the_code(
    ssb_stub, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": BIRTHS_BY_SEX})
    code, output = run_refresh(settings)
    assert code == 0, output
    assert ssb_stub.counts()["data"] == 1, "total and breakdown from one request"

    snapshot = load_snapshot(settings)
    (by_sex,) = snapshot.breakdowns["fodte"]
    assert (by_sex.variable, by_sex.label) == ("Kjonn", "kjønn")
    assert [(c.code, c.label) for c in by_sex.categories] == [("1", "Menn"), ("2", "Kvinner")]

    reference_settings = settings_for(tmp_path / "ref", ssb_stub.url, {"kvinner": WOMEN_ONLY})
    assert run_refresh(reference_settings)[0] == 0
    women = load_snapshot(reference_settings).arrays["kvinner"]
    np.testing.assert_allclose(by_sex.categories[1].series.value, women.value)
    assert list(by_sex.categories[1].series.region) == list(women.region)


def test_the_assessment_stays_on_the_total(ssb_stub, tmp_path: Path) -> None:
    plain = BIRTHS_BY_SEX.replace('breakdowns = ["Kjonn"]\n', "")
    with_breakdown = settings_for(tmp_path / "a", ssb_stub.url, {"fodte": BIRTHS_BY_SEX})
    without = settings_for(tmp_path / "b", ssb_stub.url, {"fodte": plain})
    assert run_refresh(with_breakdown)[0] == 0 and run_refresh(without)[0] == 0

    total = load_snapshot(with_breakdown).arrays["fodte"]
    np.testing.assert_allclose(total.value, load_snapshot(without).arrays["fodte"].value)


def test_groups_sum_their_codes_and_are_named_by_the_definition(ssb_stub, tmp_path: Path) -> None:
    grouped = BIRTHS_BY_SEX.replace(
        'breakdowns = ["Kjonn"]', 'breakdowns = [{ variable = "Kjonn", groups = { "Alle" = ["1", "2"] } }]'
    )
    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": grouped})
    assert run_refresh(settings)[0] == 0

    snapshot = load_snapshot(settings)
    (by_sex,) = snapshot.breakdowns["fodte"]
    (everyone,) = by_sex.categories
    assert everyone.label == "Alle"
    np.testing.assert_allclose(everyone.series.value, snapshot.arrays["fodte"].value)


def test_a_breakdown_the_cached_table_lacks_leaves_the_total_and_says_why(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, ssb_stub.url, {"fodte": BIRTHS_BY_SEX.replace('["Kjonn"]', '["Kjonnn"]')}
    )
    assert run_refresh(settings)[0] == 0

    snapshot = load_snapshot(settings)
    assert "fodte" in snapshot.arrays and "fodte" not in snapshot.breakdowns
    assert "has no variable Kjonnn" in snapshot.breakdown_problems["fodte"]["Kjonnn"]


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ('breakdowns = ["Region"]', "breakdowns[0].variable", "Region is the table's region variable"),
        ('breakdowns = ["Tid"]', "breakdowns[0].variable", "Tid is the table's time variable"),
        ('breakdowns = ["Kjonn", "Kjonn"]', "breakdowns", "Kjonn is named more than once"),
        (
            'breakdowns = [{ variable = "Kjonn", codes = ["1"], groups = { a = ["1"] } }]',
            "breakdowns[0]",
            "either `codes`",
        ),
        ('breakdowns = [{ variable = "Kjonn", kodes = ["1"] }]', "breakdowns[0].kodes", "unknown key"),
        ("breakdowns = [3]", "breakdowns[0]", ""),
        (
            'breakdowns = [{ variable = "Kjonn", codes = ["1"], labels_en = { "3" = "Men" } }]',
            "breakdowns[0]",
            "labels_en names 3, which is not among the breakdown's codes (1)",
        ),
        (
            'breakdowns = [{ variable = "Kjonn", groups = { a = ["1"] }, translations = { nn = { labels = { b = "B" } } } }]',
            "breakdowns[0]",
            "translations.nn.labels names b, which is not among the breakdown's groups (a)",
        ),
        (
            'breakdowns = [{ variable = "Kjonn", translations = { se = { label = "sohkabealli" } } }]',
            "breakdowns[0].translations.se.[key]",
            "must be one of 'no', 'en' or 'nn'",
        ),
        (
            'breakdowns = [{ variable = "Kjonn", translations = { nn = { lable = "kjønn" } } }]',
            "breakdowns[0].translations.nn.lable",
            "unknown key",
        ),
        (
            'breakdowns = [{ variable = "Kjonn", labels_en = { "1" = "Men" }, translations = { en = { labels = { "1" = "Males" } } } }]',
            "breakdowns[0]",
            "labels_en and translations.en.labels say different things",
        ),
    ],
)
def test_a_bad_breakdown_is_a_validation_error_naming_its_field(
    tmp_path: Path, line: str, field: str, message: str
) -> None:
    text = BIRTHS_BY_SEX.replace('breakdowns = ["Kjonn"]', line)
    with pytest.raises(CatalogError) as caught:
        make_catalog(tmp_path, {"fodte": text})
    lines = [str(p) for p in caught.value.issues]
    assert any(f": {field}: " in p and message in p for p in lines), lines


def test_a_breakdown_of_a_csv_series_is_refused(tmp_path: Path) -> None:
    text = """
    name = "Utslipp"
    subgoals = ["1.1"]
    unit = "tonn"
    direction = "decrease"
    breakdowns = ["Kjonn"]
    [series.utslipp]
    csv = "utslipp.csv"
    """
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "utslipp.csv").write_text("year,value\n2020,1\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        make_catalog(tmp_path, {"utslipp": text})
    assert any("breakdowns: series utslipp is a csv file" in str(p) for p in caught.value.issues)


def test_breakdowns_are_computed_only_when_asked_for_and_once(ssb_stub, tmp_path: Path, monkeypatch) -> None:
    # `status` and the assessment never need breakdowns: a load must not read responses for them.
    from indicators.store import derived

    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": BIRTHS_BY_SEX})
    assert run_refresh(settings)[0] == 0
    calls: list[str] = []
    original = derived.SeriesComputer.breakdowns

    def counted(self, definition):
        calls.append(definition.id)
        return original(self, definition)

    monkeypatch.setattr(derived.SeriesComputer, "breakdowns", counted)
    snapshot = load_snapshot(settings)
    assert calls == []
    assert snapshot.breakdowns["fodte"] and snapshot.breakdowns.get("fodte")
    assert "fodte" not in snapshot.breakdown_problems
    assert calls == ["fodte"]


POPULATION_BY_AGE = """
name = "Befolkning"
subgoals = ["2.1"]
unit = "personer"
decimals = 0
direction = "increase"
breakdowns = [{ variable = "Alder", label = "aldersgruppe", groups = { "0–5 år" = ["000", "001", "002", "003", "004", "005"], "6–15 år" = ["006", "007", "008", "009", "010", "011", "012", "013", "014", "015"] } }]
[series.folk]
table = "07459"
select = { ContentsCode = "Personer1" }
"""
CHILDREN = """
name = "Barn 0–5 år"
subgoals = ["2.1"]
unit = "personer"
decimals = 0
direction = "increase"
[series.folk]
table = "07459"
select = { ContentsCode = "Personer1", Alder = ["000", "001", "002", "003", "004", "005"] }
"""


def test_an_age_grouping_sums_its_ages_in_the_totals_one_request(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"folk": POPULATION_BY_AGE})
    assert run_refresh(settings)[0] == 0
    assert ssb_stub.counts()["data"] == 1

    (by_age,) = load_snapshot(settings).breakdowns["folk"]
    assert by_age.label == "aldersgruppe"
    assert [c.label for c in by_age.categories] == ["0–5 år", "6–15 år"]
    reference = settings_for(tmp_path / "ref", ssb_stub.url, {"barn": CHILDREN})
    assert run_refresh(reference)[0] == 0
    np.testing.assert_allclose(
        by_age.categories[0].series.value, load_snapshot(reference).arrays["barn"].value
    )


BIRTHS_BY_SEX_IN_NYNORSK = BIRTHS_BY_SEX.replace(
    'breakdowns = ["Kjonn"]',
    'breakdowns = [{ variable = "Kjonn", label_en = "sex", labels_en = { "1" = "Men" }, '
    'translations = { nn = { label = "kjønn (nynorsk)", labels = { "1" = "Menn (nn)", "2" = "Kvinner (nn)" } } } }]',
)


def test_a_breakdowns_labels_come_in_each_language_the_definition_gives(ssb_stub, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, ssb_stub.url, {"fodte": BIRTHS_BY_SEX_IN_NYNORSK})
    assert run_refresh(settings)[0] == 0
    (by_sex,) = load_snapshot(settings).breakdowns["fodte"]
    assert (by_sex.label, by_sex.label_in("en"), by_sex.label_in("nn")) == ("kjønn", "sex", "kjønn (nynorsk)")
    men, women = by_sex.categories
    assert (men.label, men.label_in("en"), men.label_in("nn")) == ("Menn", "Men", "Menn (nn)")
    assert (women.label_in("en"), women.label_in("nn")) == (None, "Kvinner (nn)")


def _nynorsk_first_goals(tmp_path: Path) -> None:
    from tests.indicators.store.cache_support import GOALS

    text = GOALS.read_text(encoding="utf-8").replace("[plan]\n", '[plan]\ntext_language = "nn"\n', 1)
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "goals.toml").write_text(text, encoding="utf-8")


def test_a_nynorsk_first_plans_group_names_are_nynorsk_and_ssbs_labels_bokmal(
    ssb_stub, tmp_path: Path
) -> None:
    _nynorsk_first_goals(tmp_path)
    by_age = POPULATION_BY_AGE.replace(
        'label = "aldersgruppe",',
        'label = "aldersgruppe", translations = { no = { labels = { "0–5 år" = "0–5 år (nb)" } } },',
    )
    by_sex = BIRTHS_BY_SEX.replace(
        'breakdowns = ["Kjonn"]',
        'breakdowns = [{ variable = "Kjonn", translations = { nn = { labels = { "1" = "Menn (nn)" } } } }]',
    )
    settings = settings_for(tmp_path, ssb_stub.url, {"folk": by_age, "fodte": by_sex})
    assert run_refresh(settings)[0] == 0
    snapshot = load_snapshot(settings)
    (age,) = snapshot.breakdowns["folk"]
    assert age.label_lang == "nn", "the definition's own label is in the plan's text language"
    young, older = age.categories
    assert (young.label_lang, young.label_in("no"), older.label_in("no")) == ("nn", "0–5 år (nb)", None)
    (sex,) = snapshot.breakdowns["fodte"]
    assert sex.label_lang == "no", "SSB's label of the variable is bokmål"
    men, women = sex.categories
    assert (men.label_lang, men.label_in("nn"), women.label_in("nn")) == ("no", "Menn (nn)", None)


def test_a_nynorsk_first_breakdown_refuses_a_second_nynorsk_name(tmp_path: Path) -> None:
    _nynorsk_first_goals(tmp_path)
    from indicators.plan.catalog import validate

    text = BIRTHS_BY_SEX.replace(
        'breakdowns = ["Kjonn"]',
        'breakdowns = [{ variable = "Kjonn", translations = { nn = { label = "kjønn" } } }]',
    )
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "fodte.toml").write_text(text, encoding="utf-8")
    _, issues = validate(folder, tmp_path / "goals.toml")
    assert [(i.field, "write it as label" in i.message) for i in issues] == [
        ("breakdowns[0].translations.nn.label", True)
    ]
