"""The validated model of the plan (goals.toml) and of indicator definitions (DESIGN §3–4).

pydantic checks types and unknown keys and reports each problem with its field path; the
cross-file rules (sub-goals exist, ids unique, csv files exist) live in :mod:`indicators.plan.catalog`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from indicators.plan.formula import Formula, parse_formula

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# Ids that name other files beside the indicators' downloads (/data/all.csv, /data/datapackage.json):
# an indicator with one of them would have downloads no one could reach.
RESERVED_IDS = ("all", "datapackage")
SERIES_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
TABLE_PATTERN = r"^[0-9]{5}$"
REGION_VARIABLES = ("Region", "KOKkommuneregion0000")
TIME_VARIABLE = "Tid"

# Numbers in a definition are plain figures: finite, and small enough to stay exact as a float.
# inf, nan or a 400-digit integer would pass TOML and fail far later (an overflow, a 500).
NUMBER_BOUND = 1e15


def _finite(value: int | float) -> int | float:
    try:
        finite = math.isfinite(value) and abs(value) <= NUMBER_BOUND
    except OverflowError:  # an int too large for a float
        finite = False
    if not finite:
        raise ValueError(
            "must be a finite number between -1e15 and 1e15; inf, nan and huge numbers are not allowed"
        )
    return value


Number = Annotated[StrictInt | StrictFloat, AfterValidator(_finite)]
Year = Annotated[StrictInt, Field(ge=1900, le=2100)]
Text = Annotated[StrictStr, Field(min_length=1)]


class Strict(BaseModel):
    """Base: unknown keys are errors, values keep the type they were written with."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- texts in several languages ------------------------------------------------------------------

# The languages a plan's or a definition's texts may be given in (``translations``) besides the
# one the plain fields (``title``, ``name`` ...) hold: bokmål, or the plan's ``text_language``
# (a nynorsk-first plan's plain fields are nynorsk, and ``translations.no`` gives bokmål; the
# catalogue refuses a translation into the plain fields' own language). ``*_en`` fields stay
# as aliases of ``translations.en``.
TRANSLATION_LANGS = ("no", "en", "nn")
TranslationLang = Literal["no", "en", "nn"]
# Every language the software speaks (bokmål, English, nynorsk): what a plan may publish.
PlanLang = Literal["no", "en", "nn"]
PLAN_LANGS: tuple[PlanLang, ...] = ("no", "en", "nn")
# The languages a plan's plain text fields may be written in (English only as a translation:
# the ``*_en`` fields would otherwise be a second English).
TextLang = Literal["no", "nn"]


class Translated(Strict):
    """A model whose texts (the fields in ``TRANSLATABLE``) may come in other languages:
    ``translations = { nn = { title = "…" } }``; ``title_en = "…"`` is the same as
    ``translations.en.title`` (both may be written only when they agree)."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ()
    translations: dict[TranslationLang, Any] = Field(default_factory=dict)  # narrowed per model
    # The language of the plain fields: the plan's text_language, set by the catalogue when it
    # loads the plan and the definitions (a model alone knows no plan: bokmål).
    _plain_lang: str = PrivateAttr("no")

    @property
    def plain_lang(self) -> str:
        """The language the plain fields (``title``, ``name`` ...) are written in."""
        return self._plain_lang

    def write_plain_in(self, lang: str) -> None:
        """Say the plain fields are in ``lang`` (the catalogue does, from the plan's text_language)."""
        self._plain_lang = lang

    @model_validator(mode="before")
    @classmethod
    def _en_fields_are_translations(cls, data: object) -> object:
        if not isinstance(data, dict) or not cls.TRANSLATABLE:
            return data
        data = dict(data)
        raw = data.get("translations")
        if raw is not None and not isinstance(raw, dict):
            return data  # the field's own validation reports the wrong type
        translations = {
            lang: dict(texts) if isinstance(texts, dict) else texts for lang, texts in (raw or {}).items()
        }
        en = translations.get("en")
        for field in cls.TRANSLATABLE:
            alias = data.get(f"{field}_en")
            given = en.get(field) if isinstance(en, dict) else None
            if alias is not None and given is not None and alias != given:
                raise ValueError(
                    f"{field}_en and translations.en.{field} say different things; write only one of them"
                )
            if alias is not None and isinstance(alias, str):
                translations.setdefault("en", {})
                if isinstance(translations["en"], dict):
                    translations["en"][field] = alias
            elif given is not None:
                data[f"{field}_en"] = given
        if translations:
            data["translations"] = translations
        return data

    def _given(self, field: str, lang: str) -> str | None:
        """``field`` in ``lang`` as the file gives it, or None. Where the model keeps an alias
        field (``title_en``), that field is the one truth (a copy with ``title_en=None`` has none).
        The plain fields' own language is never "given": the plain field is its text."""
        if lang == self._plain_lang:
            return None
        alias = f"{field}_{lang}"
        if alias in type(self).model_fields:
            found: str | None = getattr(self, alias) or None
            return found
        texts = next((t for code, t in self.translations.items() if code == lang), None)
        value = getattr(texts, field, None) if texts is not None else None
        return value or None

    def text(self, field: str, lang: str) -> str:
        """``field`` in ``lang`` when the file gives it, else the plain field (bokmål, or the
        plan's text_language)."""
        value: str = self._given(field, lang) or getattr(self, field)
        return value

    def text_lang(self, field: str, lang: str) -> str:
        """The language :meth:`text` answers ``field`` in for ``lang``: ``lang``, or the plain
        fields' language (``"no"`` unless the plan's text_language says otherwise)."""
        return lang if self._given(field, lang) else self._plain_lang

    def texts(self, field: str) -> dict[str, str]:
        """``field`` in every language the file gives it: ``{"no": …, "en": …, "nn": …}``."""
        out = {self._plain_lang: getattr(self, field)}
        for lang in TRANSLATION_LANGS:
            value = self._given(field, lang)
            if value:
                out[lang] = value
        return out


class PlanTexts(Strict):
    name: Text | None = None
    subtitle: Text | None = None


class GoalTexts(Strict):
    title: Text | None = None


class BreakdownTexts(Strict):
    label: Text | None = None
    labels: Annotated[
        dict[Text, Text] | None,
        Field(description='the categories\' labels by code or group name, e.g. { "1" = "Menn" }'),
    ] = None


class DefinitionTexts(Strict):
    name: Text | None = None
    unit: Text | None = None
    description: StrictStr | None = None


# --- goals.toml -------------------------------------------------------------------------------


RegionLevel = Literal["municipality", "county"]
# A region code's level, from how SSB's aggregation codelists spell it: agg_KommSummer's K-5001
# for a municipality, agg_KommFylker's F-50 for a county.
REGION_LEVELS: dict[RegionLevel, tuple[str, str]] = {
    "municipality": (r"^K-[0-9]{4}$", "agg_KommSummer"),
    "county": (r"^F-[0-9]{2}$", "agg_KommFylker"),
}


def region_level(code: str) -> RegionLevel | None:
    """``municipality`` for ``K-5001``, ``county`` for ``F-50``; None for any other code."""
    return next((level for level, (pattern, _) in REGION_LEVELS.items() if re.match(pattern, code)), None)


class Plan(Translated):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "subtitle")
    name: Text
    name_en: Text | None = None
    subtitle: Text
    subtitle_en: Text | None = None
    translations: dict[TranslationLang, PlanTexts] = Field(default_factory=dict)
    # Required: a plan's period is its own; a silent default would judge it against another's.
    start_year: Year
    target_year: Year
    region: Text
    region_codelist: Text = "agg_KommSummer"
    region_name: Text
    peers: list[Text] = Field(default_factory=list)
    url: Text | None = None
    # Who runs the site and where readers write (the about page's contact and feedback route).
    owner: Text | None = None
    contact: Annotated[StrictStr, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    # The plan's own method text for /metode: a folder (relative to goals.toml) with method.nb.md
    # and optionally method.en.md; without it the repository's docs/ text is shown.
    method_dir: Text | None = None
    # The languages the site publishes (its language switch offers these, ``?lang=`` for another
    # gives the default) and the one a page without ``?lang=`` is in.
    languages: list[PlanLang] = Field(default_factory=lambda: list(PLAN_LANGS), min_length=1)
    default_language: PlanLang = "no"
    # The language the plain text fields of goals.toml and of the definitions are written in
    # (``title``, ``name``, ``unit`` ...): a nynorsk-first plan says "nn" and gives bokmål in
    # ``translations.no``. Separate from default_language, so a plan may publish nynorsk first
    # and still be written in bokmål.
    text_language: TextLang = "no"

    @field_validator("languages")
    @classmethod
    def _languages_once_each(cls, languages: list[str]) -> list[str]:
        twice = sorted({lang for lang in languages if languages.count(lang) > 1})
        if twice:
            raise ValueError(f"lists {', '.join(twice)} more than once; name each language once")
        return languages

    @model_validator(mode="after")
    def _default_language_is_published(self) -> Plan:
        if self.default_language not in self.languages:
            raise ValueError(
                f"default_language {self.default_language!r} is not among languages "
                f"({', '.join(self.languages)}); add it there or pick one of them"
            )
        return self

    @field_validator("region")
    @classmethod
    def _region_has_a_level(cls, code: str) -> str:
        if region_level(code) is None:
            raise ValueError(_region_problem(code))
        return code

    @field_validator("peers")
    @classmethod
    def _peers_are_no_misspelt_codes(cls, codes: list[str]) -> list[str]:
        # Peers may be any code a table knows ("0" for the country), but a K-/F- code of the
        # wrong length would be asked for and silently come back empty.
        for code in codes:
            if re.match(r"^[KF]-", code) and region_level(code) is None:
                raise ValueError(_region_problem(code))
        return codes

    @model_validator(mode="after")
    def _codelist_fits_the_region(self) -> Plan:
        level = region_level(self.region)
        expected = REGION_LEVELS[level][1] if level else self.region_codelist
        if self.region_codelist != expected:
            raise ValueError(
                f"region {self.region} is a {level} code, which SSB spells in the codelist "
                f'{expected}: set region_codelist = "{expected}" (it is "{self.region_codelist}")'
            )
        return self

    @property
    def region_level(self) -> RegionLevel:
        """The home region's level (validated, so never None)."""
        return region_level(self.region) or "municipality"


def _region_problem(code: str) -> str:
    """Why ``code`` is no region code this software can ask SSB for, and what to write."""
    if re.match(r"^K-[0-9]{2}$", code):
        return (
            f"{code} is not a municipality code (K- takes four digits, e.g. K-5001); "
            f'for the county write F-{code[2:]} with region_codelist = "agg_KommFylker"'
        )
    return (
        f"{code[:40]!r} is no region code SSB's codelists know: write a municipality as "
        "K- and four digits (K-5001, codelist agg_KommSummer) or a county as F- and two digits "
        "(F-50, codelist agg_KommFylker)"
    )


class Subgoal(Translated):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title",)
    id: Annotated[StrictStr, Field(pattern=r"^[0-9]+\.[0-9]+$")]
    title: Text
    title_en: Text | None = None  # without it, English pages show the Norwegian title, marked so
    translations: dict[TranslationLang, GoalTexts] = Field(default_factory=dict)
    wording: Literal["plan", "working"]
    source: Text


class Goal(Translated):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("title",)
    id: Annotated[StrictStr, Field(pattern=r"^[0-9]+$")]
    title: Text
    title_en: Text | None = None
    translations: dict[TranslationLang, GoalTexts] = Field(default_factory=dict)
    wording: Literal["plan", "working"]
    source: Text
    subgoals: list[Subgoal] = Field(min_length=1)

    @model_validator(mode="after")
    def _subgoal_ids_belong_to_goal(self) -> Goal:
        for subgoal in self.subgoals:
            if subgoal.id.split(".")[0] != self.id:
                raise ValueError(
                    f"sub-goal {subgoal.id} is listed under goal {self.id}; its id must start with '{self.id}.'"
                )
        return self


class GoalsFile(Strict):
    plan: Plan
    goals: list[Goal] = Field(min_length=1)


# --- indicator definitions ----------------------------------------------------------------------


class Milestone(Strict):
    """An interim target: ``value`` means what the target's ``value`` means (a level, or a change)."""

    year: Year
    value: Number


class Target(Strict):
    kind: Annotated[
        Literal["value", "change", "maintain"],
        Field(
            description='"value": reach a number; "change": per cent change against baseline_year '
            '(e.g. -80); "maintain": keep the baseline level'
        ),
    ] = "value"
    value: Annotated[
        Number | None,
        Field(
            description='the target figure (kind = "value"), or the per cent change (kind = "change")',
        ),
    ] = None
    year: Annotated[Year | None, Field(description="target year; default [plan].target_year")] = None
    baseline_year: Annotated[Year | None, Field(description="baseline year; default [plan].start_year")] = (
        None
    )
    tolerance: Annotated[
        Number, Field(ge=0, le=1, description='kind = "maintain": relative slack, default 0.01 (1 %)')
    ] = 0.01
    source: Annotated[Text, Field(description="where the target was adopted (document, year)")]
    milestones: list[Milestone] = Field(
        default_factory=list,
        description="interim targets, e.g. [{ year = 2025, value = -40 }]; value as for `value`",
    )


Code = Annotated[StrictStr, Field(min_length=1)]


class SsbSeries(Strict):
    """A series fetched from one SSB table."""

    table: Annotated[
        StrictStr, Field(pattern=TABLE_PATTERN, description='SSB table id, five digits: "07459"')
    ]
    select: dict[StrictStr, Code | Annotated[list[Code], Field(min_length=1)]] = Field(
        default_factory=dict,
        description='variable -> a code, a list of codes, or an expression ("*", "top(3)", "from(2015)")',
    )
    codelist: dict[StrictStr, Code] = Field(
        default_factory=dict, description='variable -> codelist id, e.g. { Region = "agg_KommSummer" }'
    )

    @field_validator("table", mode="before")
    @classmethod
    def _table_is_text(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValueError(f'write the table id as text with all five digits, e.g. table = "{value:05d}"')
        return value

    @field_validator("select", mode="before")
    @classmethod
    def _codes_are_text(cls, value: object) -> object:
        if isinstance(value, dict):
            for variable, codes in value.items():
                for code in codes if isinstance(codes, list) else [codes]:
                    if isinstance(code, int | float) and not isinstance(code, bool):
                        raise ValueError(
                            f'codes must be text: write {variable} = "{code}" (with quotes), '
                            "so leading zeros like 0301 are kept"
                        )
        return value

    def value_codes(self) -> dict[str, list[str]]:
        """``select`` with every entry as a list of codes or expressions."""
        return {var: codes if isinstance(codes, list) else [codes] for var, codes in self.select.items()}


class CsvSeries(Strict):
    """A series read from a CSV file (columns year,value[,region]), for non-SSB data."""

    csv: Annotated[
        Text, Field(description="file relative to the definitions folder; columns year,value[,region]")
    ]
    publisher: Annotated[
        Text | None,
        Field(description='who publishes the figures, e.g. "Miljødirektoratet"; shown as the source'),
    ] = None
    source_url: Annotated[
        StrictStr | None, Field(description="where a reader can check the figures (http or https)")
    ] = None
    licence: Annotated[Text | None, Field(description='the figures\' licence, e.g. "NLOD 2.0"')] = None

    @field_validator("source_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        # Shown as a link on pages and embeds: only web addresses, never javascript: or a path.
        if value is not None and not re.fullmatch(r"https?://[^\s<>\"']+", value):
            raise ValueError(f"must be a web address starting with https:// (or http://); got {value!r}")
        return value


class Breakdown(Translated):
    """A variable to break the indicator down by (disaggregation): one line per category.

    The total stays the indicator (assessed as ever); each category is the indicator computed
    with every SSB series' selection of ``variable`` replaced by the category's codes. Its name
    and its categories' labels may come in other languages: ``translations = { nn = { label =
    "kjønn", labels = { "1" = "Menn" } } }``; ``label_en``/``labels_en`` are aliases of
    ``translations.en``.
    """

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("label",)

    variable: Annotated[Text, Field(description='a variable of every SSB series\' table, e.g. "Kjonn"')]
    codes: Annotated[
        list[Code] | None,
        Field(
            min_length=1,
            description='the codes to show, each a category, e.g. ["1", "2"]; default every code '
            "of the variable but its elimination (total) code",
        ),
    ] = None
    groups: Annotated[
        dict[Text, Annotated[list[Code], Field(min_length=1)]] | None,
        Field(
            min_length=1,
            description='categories made of several codes, summed: { "15–29 år" = ["15-19", "20-24", "25-29"] }',
        ),
    ] = None
    label: Annotated[Text | None, Field(description="what the breakdown is called; default SSB's label")] = (
        None
    )
    label_en: Annotated[Text | None, Field(description="the name in English")] = None
    labels_en: Annotated[
        dict[Text, Text] | None,
        Field(description='categories\' English labels by code or group name, e.g. { "1" = "Men" }'),
    ] = None
    translations: Annotated[
        dict[TranslationLang, BreakdownTexts],
        Field(description='the label and category labels in other languages: { nn = { label = "kjønn" } }'),
    ] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _labels_en_is_a_translation(cls, data: object) -> object:
        # As label_en for label (Translated): labels_en is translations.en.labels.
        if not isinstance(data, dict):
            return data
        translations = data.get("translations")
        en = translations.get("en") if isinstance(translations, dict) else None
        alias, given = data.get("labels_en"), en.get("labels") if isinstance(en, dict) else None
        if alias is not None and given is not None and alias != given:
            raise ValueError(
                "labels_en and translations.en.labels say different things; write only one of them"
            )
        if given is not None and alias is None:
            data = {**data, "labels_en": given}
        elif alias is not None and isinstance(translations, dict) and isinstance(en, dict):
            data = {**data, "translations": {**translations, "en": {**en, "labels": alias}}}
        return data

    @model_validator(mode="after")
    def _labels_name_categories(self) -> Breakdown:
        # A label for a code the breakdown does not show is a typo that would silently show SSB's.
        keys = list(self.groups) if self.groups is not None else self.codes
        if keys is None:
            return self
        for lang in TRANSLATION_LANGS:
            unknown = sorted(set(self.category_labels(lang)) - set(keys))
            if unknown:
                where = "labels_en" if lang == "en" else f"translations.{lang}.labels"
                raise ValueError(
                    f"{where} names {', '.join(unknown)}, which is not among the breakdown's "
                    f"{'groups' if self.groups is not None else 'codes'} ({', '.join(keys)})"
                )
        return self

    def category_labels(self, lang: str) -> dict[str, str]:
        """The categories' labels the definition gives in ``lang`` (``labels_en`` for English)."""
        if lang == "en":
            return dict(self.labels_en or {})
        texts = next((t for code, t in self.translations.items() if code == lang), None)
        return dict(texts.labels or {}) if texts is not None else {}

    @field_validator("variable")
    @classmethod
    def _not_region_or_time(cls, value: str) -> str:
        if value in REGION_VARIABLES or value == TIME_VARIABLE:
            raise ValueError(
                f"{value} is the table's {'time' if value == TIME_VARIABLE else 'region'} variable, which every "
                'chart already shows; break down by another variable, e.g. "Kjonn" or "Alder"'
            )
        return value

    @model_validator(mode="after")
    def _codes_or_groups(self) -> Breakdown:
        if self.codes is not None and self.groups is not None:
            raise ValueError(
                "give either `codes` (one category per code) or `groups` (categories of codes), not both"
            )
        return self

    def categories(self, table_codes: Sequence[str], total: str | None) -> list[tuple[str, list[str]]]:
        """(category key, its codes) in order: the groups, the named codes, or every code of the
        table's variable but its elimination (total) code ``total``."""
        if self.groups is not None:
            return [(name, list(codes)) for name, codes in self.groups.items()]
        codes = self.codes if self.codes is not None else [c for c in table_codes if c != total]
        return [(code, [code]) for code in codes]


def _breakdown_entry(value: object) -> object:
    # The short form "Kjonn" is { variable = "Kjonn" }.
    return {"variable": value} if isinstance(value, str) else value


def _series_tag(body: object) -> str | None:
    # Pick the model from the keys so errors name the right fields, not both alternatives.
    if isinstance(body, dict):
        if "table" in body and "csv" not in body:
            return "ssb"
        if "csv" in body and "table" not in body:
            return "csv"
        return None
    return "ssb" if isinstance(body, SsbSeries) else "csv" if isinstance(body, CsvSeries) else None


Series = Annotated[
    Annotated[SsbSeries, Tag("ssb")] | Annotated[CsvSeries, Tag("csv")],
    Discriminator(
        _series_tag,
        custom_error_type="series_source",
        custom_error_message="a series needs exactly one of `table` (an SSB table id) or `csv` (a file)",
    ),
]
SERIES_TAGS = ("ssb", "csv")


class Definition(Translated):
    """One indicator definition file."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("name", "unit", "description")

    id: Annotated[StrictStr, Field(pattern=ID_PATTERN)]
    name: Annotated[Text, Field(description="the indicator's name in bokmål")]
    name_en: Annotated[Text | None, Field(description="the name in English")] = None
    subgoals: list[Text] = Field(min_length=1, description='sub-goal ids from goals.toml, e.g. ["1.4"]')
    unit: Annotated[Text, Field(description='unit shown with values: "prosent", "personer", "kroner" ...')]
    unit_en: Annotated[Text | None, Field(description="the unit in English")] = None
    decimals: Annotated[StrictInt, Field(ge=0, le=6, description="decimals shown (default 1)")] = 1
    direction: Annotated[Literal["increase", "decrease"], Field(description="which way is better (required)")]
    limit: Annotated[Number | None, Field(description="natural limit, e.g. 100 for percentages")] = None
    description: Annotated[
        StrictStr, Field(description="what is measured, population, reference time (Markdown, no HTML)")
    ] = ""
    description_en: Annotated[StrictStr | None, Field(description="the description in English")] = None
    translations: dict[TranslationLang, DefinitionTexts] = Field(
        default_factory=dict,
        description='texts in other languages: [translations.nn] name = "…", unit, description (name_en etc. = translations.en)',
    )
    peers: list[Text] | None = Field(
        default=None, description='comparison regions, e.g. ["K-0301"]; default [plan].peers; [] for none'
    )
    target: Annotated[
        Target | None, Field(description="optional; without it the assessment is direction-only")
    ] = None
    formula: Annotated[
        Text | None, Field(description='arithmetic on series names: + - * / ( ), e.g. "100 * el / alle"')
    ] = None
    series: dict[Annotated[StrictStr, Field(pattern=SERIES_NAME_PATTERN)], Series] = Field(
        min_length=1, description="[series.NAME]: an SSB table (table, select, codelist) or a csv file"
    )
    breakdowns: list[Annotated[Breakdown, BeforeValidator(_breakdown_entry)]] = Field(
        default_factory=list,
        description='variables to break the series down by, e.g. ["Kjonn"] or '
        '[{ variable = "Kjonn", codes = ["1", "2"] }]; the assessment stays on the total',
    )

    @field_validator("id")
    @classmethod
    def _id_is_not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"{value!r} is reserved: /data/{value}.csv is another download; rename the file")
        return value

    @field_validator("breakdowns")
    @classmethod
    def _breakdowns_fit_the_series(cls, breakdowns: list[Breakdown], info: ValidationInfo) -> list[Breakdown]:
        variables = [b.variable for b in breakdowns]
        twice = sorted({v for v in variables if variables.count(v) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} is named more than once; name each variable once")
        series = info.data.get("series") or {}
        files = [name for name, s in series.items() if not isinstance(s, SsbSeries)]
        if breakdowns and files:
            raise ValueError(
                f"series {', '.join(files)} is a csv file, which has no variables to break down by; "
                "breakdowns need every series from an SSB table"
            )
        return breakdowns

    @cached_property
    def parsed_formula(self) -> Formula:
        """The formula tree; a single series without a formula is the series itself."""
        text = self.formula if self.formula is not None else next(iter(self.series))
        return parse_formula(text)


def is_annual(time_unit: str | None) -> bool:
    """Whether an SSB table's ``timeUnit`` is annual (the only kind this version supports)."""
    return (time_unit or "").strip().lower() in {"annual", "a", "year", "år"}


def year_of_period(code: str) -> int | None:
    """The year a period code counts as: ``2019`` → 2019, ``2019-2020`` → 2020 (its last year)."""
    years = re.findall(r"(?<![0-9])([12][0-9]{3})(?![0-9])", code)
    return int(years[-1]) if years else None
