"""Every UI string of the dashboard, in bokmål and English, and the language helpers.

Language codes follow the progress engine (``"no"`` bokmål, ``"en"`` English); the HTML
``lang`` attribute says ``nb`` for bokmål, as screen readers expect.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["no", "en"]
DEFAULT_LANG: Lang = "no"
LANGS: tuple[Lang, ...] = ("no", "en")
HTML_LANG: dict[Lang, str] = {"no": "nb", "en": "en"}


def parse_lang(value: object) -> Lang:
    """The language a ``?lang=`` value asks for; anything unknown falls back to bokmål."""
    if isinstance(value, list):  # a repeated ?lang= arrives as a list; the first one counts
        value = value[0] if value else None
    text = str(value or "").strip().lower()
    return "en" if text in {"en", "eng", "english"} else DEFAULT_LANG


def other_lang(lang: Lang) -> Lang:
    return "en" if lang == "no" else "no"


def t(key: str, lang: Lang, **values: object) -> str:
    """The UI string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def indicator_count(count: int, lang: Lang) -> str:
    """``1 indikator``, ``3 indikatorer`` (``1 indicator``, ``3 indicators``)."""
    one, many = ("indikator", "indikatorer") if lang == "no" else ("indicator", "indicators")
    return f"{count} {one if count == 1 else many}"


# key -> {"no": bokmål, "en": English}. Keep the two side by side so none is forgotten;
# tests/dashboard/test_i18n.py checks that both exist and have the same placeholders.
TEXT: dict[str, dict[Lang, str]] = {
    # --- frame: header, navigation, footer ---------------------------------------------------
    "skip_link": {"no": "Hopp til hovedinnhold", "en": "Skip to main content"},
    "site_name": {"no": "Indikatorer for {plan}", "en": "Indicators for {plan}"},
    "nav_label": {"no": "Hovedmeny", "en": "Main menu"},
    "nav_overview": {"no": "Oversikt", "en": "Overview"},
    "nav_method": {"no": "Metode", "en": "Method"},
    "nav_about": {"no": "Om data og tilgjengelighet", "en": "About the data and accessibility"},
    "lang_switch": {"no": "English", "en": "Norsk (bokmål)"},
    "lang_switch_label": {"no": "Read this page in English", "en": "Les denne siden på norsk"},
    "breadcrumb_label": {"no": "Brødsmulesti", "en": "Breadcrumb"},
    "footer_source": {
        "no": "Kilde: Statistisk sentralbyrå (SSB), lisens CC BY 4.0, og kildene som er oppgitt "
        "for hver indikator.",
        "en": "Source: Statistics Norway (SSB), licence CC BY 4.0, and the sources given for each indicator.",
    },
    "footer_data_date": {"no": "Data hentet {date}.", "en": "Data fetched {date}."},
    "page_title": {"no": "{page} – {site}", "en": "{page} – {site}"},
    # --- banners -----------------------------------------------------------------------------
    "banner_demo": {
        "no": "Demodata: tallene på denne siden er syntetiske eksempeltall, ikke ekte statistikk. "
        "Ekte tall fra SSB vises når nettstedet har hentet dem.",
        "en": "Demo data: the figures on this page are synthetic examples, not real statistics. "
        "Real figures from SSB appear once the site has fetched them.",
    },
    "banner_stale": {
        "no": "Dataene kan være utdaterte: de ble sist hentet {date}.",
        "en": "The data may be out of date: it was last fetched {date}.",
    },
    "banner_no_data": {
        "no": "Ingen tall ennå: nettstedet har ikke hentet statistikk for denne planen. Sidene "
        "viser mål og indikatorer; tallene kommer når de er hentet.",
        "en": "No figures yet: the site has not fetched statistics for this plan. The pages show "
        "its goals and indicators; the figures follow once they are fetched.",
    },
    "banner_refresh_failed": {
        "no": "Siste oppdatering fra SSB feilet for {indicators}; de viser eldre tall: {names}.",
        "en": "The last update from SSB failed for {indicators}; they show older figures: {names}.",
    },
    # --- statuses, scores, coverage ----------------------------------------------------------
    "status_label": {"no": "Status", "en": "Status"},
    "score": {"no": "Poeng {score} av 5", "en": "Score {score} of 5"},
    "score_none": {"no": "Ingen poengsum", "en": "No score"},
    "coverage": {
        "no": "{assessed} av {total} vurdert",
        "en": "{assessed} of {total} assessed",
    },
    "working_title": {"no": "arbeidstittel", "en": "working title"},
    "working_title_note": {
        "no": "Planens egen ordlyd for dette delmålet er ikke tilgjengelig. Tittelen er en "
        "arbeidstittel hentet fra planens tema.",
        "en": "The plan's own wording of this sub-goal is not available. The title is a working "
        "title drawn from the plan's themes.",
    },
    "wording_source": {"no": "Kilde for ordlyden: {source}", "en": "Source of the wording: {source}"},
    # --- overview ------------------------------------------------------------------------------
    "overview_title": {"no": "Oversikt", "en": "Overview"},
    "overview_intro": {
        "no": "Er {region} på vei mot målene i {plan} ({start}–{end})? Hvert hovedmål får en "
        "samlet vurdering ut fra indikatorene under delmålene.",
        "en": "Is {region} on its way to the goals of {plan} ({start}–{end})? Each main goal is "
        "assessed from the indicators under its sub-goals.",
    },
    "goal_heading": {"no": "Mål {id}", "en": "Goal {id}"},
    "subgoal_heading": {"no": "Delmål {id}", "en": "Sub-goal {id}"},
    "subgoals_of_goal": {"no": "Delmålene", "en": "The sub-goals"},
    "see_goal": {"no": "Se alle indikatorene for mål {id}", "en": "See all indicators for goal {id}"},
    "sparkline_alt": {
        "no": "Utviklingen for {indicators} siden {year}, skalert slik at opp er bedre.",
        "en": "The trend of {indicators} since {year}, scaled so that up is better.",
    },
    "sparkline_none": {"no": "Ingen tidsserie ennå.", "en": "No time series yet."},
    "jump_label": {"no": "Gå til", "en": "Go to"},
    "goal_status_counts": {"no": "{indicators} etter status", "en": "{indicators} by status"},
    "goal_none_deterioration": {
        "no": "Ingen av indikatorene går feil vei.",
        "en": "None of the indicators is moving away.",
    },
    "goal_none_achieved": {
        "no": "Ingen av indikatorene har nådd målet ennå.",
        "en": "None of the indicators has reached its target yet.",
    },
    "in_subgoal": {"no": "delmål {ids}", "en": "sub-goal {ids}"},
    "in_subgoals": {"no": "delmål {ids}", "en": "sub-goals {ids}"},
    "also_in_goal": {"no": "også under mål {ids}", "en": "also under goal {ids}"},
    "also_in_goals": {"no": "også under mål {ids}", "en": "also under goals {ids}"},
    "and": {"no": "og", "en": "and"},
    "changes_heading": {"no": "Endringer siden forrige datautgivelse", "en": "Changes since the previous data release"},
    "changes_none_earlier": {
        "no": "Det finnes ingen tidligere datautgivelse å sammenligne med ennå.",
        "en": "There is no earlier data release to compare with yet.",
    },
    "changes_none": {
        "no": "Ingen indikator har endret status siden tallene fra {date}.",
        "en": "No indicator has changed status since the figures of {date}.",
    },
    "changes_since": {
        "no": "{indicators} har endret status siden tallene fra {date}. Hver er nevnt én gang, med delmålene den hører til:",
        "en": "{indicators} changed status since the figures of {date}. Each is named once, with the sub-goals it belongs to:",
    },
    "change_from": {"no": "fra", "en": "from"},
    "change_to": {"no": "til", "en": "to"},
    "change_new": {"no": "ny indikator", "en": "a new indicator"},
    # --- /indikatorer: every indicator in one table --------------------------------------------
    "nav_indicators": {"no": "Alle indikatorer", "en": "All indicators"},
    "index_link": {"no": "Alle indikatorene i én tabell", "en": "All indicators in one table"},
    "index_title": {"no": "Alle indikatorer", "en": "All indicators"},
    "index_intro": {
        "no": "Alle indikatorene i planen i én tabell, med status, mål og delmål, siste verdi, utvikling og kilde. "
        "Filtrer og sorter med skjemaet, eller med overskriftene i tabellen.",
        "en": "Every indicator of the plan in one table, with its status, goal and sub-goal, latest value, trend "
        "and source. Filter and sort with the form, or with the table's headings.",
    },
    "index_filters": {"no": "Filtrer og sorter", "en": "Filter and sort"},
    "index_status": {"no": "Status", "en": "Status"},
    "index_goal": {"no": "Mål", "en": "Goal"},
    "index_goal_any": {"no": "Alle mål", "en": "All goals"},
    "index_source": {"no": "Kilde", "en": "Source"},
    "index_source_any": {"no": "Alle kilder", "en": "All sources"},
    "index_search": {"no": "Søk i navnene", "en": "Search the names"},
    "index_sort": {"no": "Sorter etter", "en": "Sort by"},
    "index_order": {"no": "Rekkefølge", "en": "Order"},
    "index_asc": {"no": "Stigende", "en": "Ascending"},
    "index_desc": {"no": "Synkende", "en": "Descending"},
    "index_apply": {"no": "Vis", "en": "Show"},
    "index_reset": {"no": "Vis alle", "en": "Show all"},
    "index_caption": {
        "no": "Indikatorene i planen: {shown} av {total} vist, sortert etter {column} ({order})",
        "en": "The plan's indicators: {shown} of {total} shown, sorted by {column} ({order})",
    },
    "index_none": {"no": "Ingen indikatorer passer til filteret.", "en": "No indicator matches the filter."},
    "index_ignored": {
        "no": "Noen av verdiene i adressen er ukjente eller for lange og ble ikke brukt.",
        "en": "Some of the values in the address are unknown or too long and were not used.",
    },
    "index_sort_by": {"no": "sorter etter denne kolonnen", "en": "sort by this column"},
    "ix_col_indicator": {"no": "Indikator", "en": "Indicator"},
    "ix_col_status": {"no": "Status", "en": "Status"},
    "ix_col_goal": {"no": "Mål og delmål", "en": "Goal and sub-goal"},
    "ix_col_latest": {"no": "Siste verdi", "en": "Latest value"},
    "ix_col_latest_year": {"no": "År", "en": "Year"},
    "ix_col_trend": {"no": "Utvikling", "en": "Trend"},
    "ix_col_source": {"no": "Kilde", "en": "Source"},
    "ix_col_updated": {"no": "Sist oppdatert hos SSB", "en": "Last SSB update"},
    "trend_up": {"no": "Økning siden {year}", "en": "Up since {year}"},
    "trend_down": {"no": "Nedgang siden {year}", "en": "Down since {year}"},
    "trend_flat": {"no": "Uendret siden {year}", "en": "Unchanged since {year}"},
    "trend_wanted": {"no": "ønsket: {direction}", "en": "wanted: {direction}"},
    "trend_none": {"no": "For få år", "en": "Too few years"},
    "not_ssb": {"no": "ikke SSB", "en": "not SSB"},
    "data_date": {"no": "Data hentet {date}", "en": "Data fetched {date}"},
    "data_date_unknown": {"no": "Ukjent datadato", "en": "Data date unknown"},
    # --- /rapport: the whole plan as one printable report --------------------------------------
    "nav_report": {"no": "Rapport", "en": "Report"},
    "report_title": {"no": "Statusrapport", "en": "Status report"},
    "report_intro": {
        "no": "Status for alle målene, delmålene og indikatorene i planen, laget for utskrift. "
        "Skriv ut siden, eller lagre den som PDF fra nettleserens utskriftsvindu.",
        "en": "The status of every goal, sub-goal and indicator of the plan, made for printing. "
        "Print the page, or save it as PDF from the browser's print dialogue.",
    },
    "report_summary": {"no": "Sammendrag", "en": "Summary"},
    "report_summary_caption": {
        "no": "Status, poeng og dekning for hvert mål og delmål",
        "en": "Status, score and coverage of each goal and sub-goal",
    },
    "report_col_item": {"no": "Mål og delmål", "en": "Goal and sub-goal"},
    "report_col_coverage": {"no": "Dekning", "en": "Coverage"},
    "report_shown_under": {
        "no": "Diagram og forklaring står under delmål {subgoal}.",
        "en": "Chart and explanation are under sub-goal {subgoal}.",
    },
    "report_source": {"no": "Kilde: {source}", "en": "Source: {source}"},
    # --- goal and sub-goal pages ------------------------------------------------------------
    "indicators_heading": {"no": "Indikatorene", "en": "The indicators"},
    "no_indicators": {
        "no": "Ingen indikatorer er definert for dette delmålet ennå.",
        "en": "No indicators are defined for this sub-goal yet.",
    },
    "latest_value": {"no": "Siste verdi: {value} ({year})", "en": "Latest value: {value} ({year})"},
    "no_data": {"no": "Ingen data", "en": "No data"},
    "read_more": {"no": "Mer om {name}", "en": "More about {name}"},
    "part_of_goal": {"no": "Del av mål {id}: {title}", "en": "Part of goal {id}: {title}"},
    # --- indicator page ----------------------------------------------------------------------
    "chart_shows": {"no": "Grafen viser: {items}.", "en": "The chart shows: {items}."},
    "chart_heading": {"no": "Utvikling", "en": "Trend"},
    "table_summary": {"no": "Vis tallene som tabell", "en": "Show the figures as a table"},
    "table_caption": {"no": "{name}, {unit}", "en": "{name}, {unit}"},
    "col_year": {"no": "År", "en": "Year"},
    "col_region": {"no": "Region", "en": "Region"},
    "col_region_code": {"no": "Regionkode", "en": "Region code"},
    "col_value": {"no": "Verdi", "en": "Value"},
    "col_status": {"no": "SSB-symbol", "en": "SSB symbol"},
    "missing_value": {"no": "mangler", "en": "missing"},
    "trace_history": {"no": "{region}: målt", "en": "{region}: measured"},
    "trace_baseline": {"no": "Utgangspunkt {year}", "en": "Baseline {year}"},
    "trace_target": {"no": "Mål for {year}", "en": "Target for {year}"},
    "trace_path": {"no": "Rett vei til målet", "en": "Straight path to the target"},
    "trace_projection": {"no": "Framskrevet i dagens takt", "en": "Projected at the current rate"},
    "trace_peer": {"no": "{region} (til sammenligning)", "en": "{region} (for comparison)"},
    # Interim targets: "etappemål", not "delmål", which on this site names the plan's sub-goals.
    "trace_milestones": {"no": "Etappemål", "en": "Milestones"},
    "milestone_met": {"no": "nådd", "en": "met"},
    "milestone_missed": {"no": "ikke nådd", "en": "missed"},
    "milestone_pending": {"no": "ikke kjent ennå", "en": "not known yet"},
    "milestone_projected": {
        "no": "ikke kjent ennå (med dagens utvikling: {value})",
        "en": "not known yet (at the current pace: {value})",
    },
    "target_line": {"no": "Mål: {target}.", "en": "Target: {target}."},
    "target_source": {"no": "Kilde for målet: {source}.", "en": "Source of the target: {source}."},
    "milestones_heading": {"no": "Etappemål", "en": "Milestones"},
    "targets_caption": {"no": "{name}: mål og etappemål", "en": "{name}: target and milestones"},
    "col_target_level": {"no": "Mål ({unit})", "en": "Target ({unit})"},
    "col_target_change": {"no": "Endring fra {year}", "en": "Change on {year}"},
    "col_target_status": {"no": "Status", "en": "Status"},
    "target_final": {"no": "{year} (sluttmål)", "en": "{year} (final target)"},
    "method_heading": {"no": "Slik er statusen beregnet", "en": "How the status was computed"},
    "method_kind": {"no": "Metode", "en": "Method"},
    "method_target": {"no": "Mot et tallfestet mål", "en": "Towards a numeric target"},
    "method_direction": {
        "no": "Ønsket retning (uten tallfestet mål)",
        "en": "Desired direction (no numeric target)",
    },
    "method_maintain": {"no": "Holde nivået", "en": "Maintain the level"},
    "fig_base": {"no": "Utgangspunkt", "en": "Baseline"},
    "fig_current": {"no": "Siste verdi", "en": "Latest value"},
    "fig_target": {"no": "Mål", "en": "Target"},
    "fig_target_source": {"no": "Kilde for målet", "en": "Source of the target"},
    "fig_direction": {"no": "Ønsket retning", "en": "Desired direction"},
    "direction_increase": {"no": "økning", "en": "increase"},
    "direction_decrease": {"no": "reduksjon", "en": "decrease"},
    "fig_progress": {"no": "Framgangsverdi", "en": "Progress value"},
    "fig_score": {"no": "Poeng (−5 til 5)", "en": "Score (−5 to 5)"},
    "fig_projection": {"no": "Framskrevet verdi i {year}", "en": "Projected value in {year}"},
    "value_in_year": {"no": "{value} i {year}", "en": "{value} in {year}"},
    "not_computed": {"no": "ikke beregnet", "en": "not computed"},
    "method_link": {"no": "Les hvordan metoden virker", "en": "Read how the method works"},
    # The cache layer explains problems in English (they are also operators' log lines), so
    # bokmål pages say what it means in bokmål and mark the detail as English.
    "problem": {
        "no": "Merk: tallene for denne indikatoren er ufullstendige eller kunne ikke oppdateres. "
        "Teknisk forklaring (på engelsk): {problem}",
        "en": "Note: {problem}",
    },
    "definition_heading": {"no": "Definisjon", "en": "Definition"},
    "definition_none": {"no": "Ingen beskrivelse.", "en": "No description."},
    "source_heading": {"no": "Kilde", "en": "Source"},
    "source_table": {"no": "SSB-tabell {table}", "en": "SSB table {table}"},
    "source_updated": {"no": "oppdatert av SSB {date}", "en": "updated by SSB {date}"},
    "source_publisher_unknown": {"no": "Utgiver ikke oppgitt", "en": "Publisher not given"},
    "source_licence": {"no": "lisens {licence}", "en": "licence {licence}"},
    "subgoals_heading": {"no": "Hører til", "en": "Belongs to"},
    "downloads_heading": {"no": "Last ned tallene", "en": "Download the figures"},
    "download_csv": {"no": "Last ned CSV (for Excel)", "en": "Download CSV (for Excel)"},
    "download_json": {
        "no": "Last ned JSON (med vurdering og metadata)",
        "en": "Download JSON (with assessment and metadata)",
    },
    "embed_heading": {
        "no": "Bygg inn grafen på en annen nettside",
        "en": "Embed the chart on another website",
    },
    "embed_intro": {
        "no": "Kopier koden og lim den inn i nettsiden din.",
        "en": "Copy the code and paste it into your web page.",
    },
    "embed_label": {"no": "Kode for innbygging", "en": "Embed code"},
    "embed_copy": {"no": "Kopier koden", "en": "Copy the code"},
    "embed_copied": {"no": "Koden er kopiert.", "en": "The code has been copied."},
    "embed_preview": {"no": "Se innbyggingssiden", "en": "See the embed page"},
    "embed_title": {"no": "{name} – {region}", "en": "{name} – {region}"},
    # --- method and about pages ---------------------------------------------------------------
    "method_title": {"no": "Metode", "en": "Method"},
    "method_missing": {
        "no": "Metodeteksten ({file}) finnes ikke ennå.",
        "en": "The method text ({file}) does not exist yet.",
    },
    "about_title": {"no": "Om data og tilgjengelighet", "en": "About the data and accessibility"},
    "about_sources_heading": {"no": "Datakilder", "en": "Data sources"},
    "about_sources": {
        "no": "Tallene kommer fra Statistisk sentralbyrås statistikkbank, hentet gjennom SSBs "
        "åpne API (PxWebApi v2). Noen indikatorer bruker andre kilder; de er oppgitt på "
        "indikatorens side. Tallene hentes på forhånd og lagres; siden henter aldri noe fra SSB "
        "mens du ser på den.",
        "en": "The figures come from Statistics Norway's statbank, fetched through SSB's open API "
        "(PxWebApi v2). Some indicators use other sources; they are named on the indicator's page. "
        "The figures are fetched in advance and stored; the site never contacts SSB while you use it.",
    },
    "about_tables": {"no": "Tabeller fra SSB som brukes:", "en": "SSB tables used:"},
    "about_table_untitled": {"no": "Tabell {table}", "en": "Table {table}"},
    "about_other_sources": {
        "no": "Tall fra andre utgivere enn SSB, med utgiverens egen lisens:",
        "en": "Figures from publishers other than SSB, under the publisher's own licence:",
    },
    "about_licence_heading": {"no": "Lisens og kreditering", "en": "Licence and attribution"},
    "about_licence": {
        "no": "Data fra SSB er lisensiert under Creative Commons Navngivelse 4.0 (CC BY 4.0). "
        "Gjenbruk gjerne tallene, men oppgi «Kilde: Statistisk sentralbyrå». Bearbeidingene "
        "(andeler, vurderinger) er våre, ikke SSBs.",
        "en": "Data from SSB is licensed under Creative Commons Attribution 4.0 (CC BY 4.0). "
        "Feel free to reuse the figures, but credit “Source: Statistics Norway”. The derived "
        "figures (shares, assessments) are ours, not SSB's.",
    },
    "about_licence_link": {"no": "SSBs lisensvilkår", "en": "SSB's licence terms"},
    "about_plan_heading": {"no": "Om planen", "en": "About the plan"},
    "about_plan": {
        "no": "{plan} er {subtitle}. Målene og delmålene er hentet fra planen; der planens "
        "ordlyd ikke er tilgjengelig, står det en tydelig merket arbeidstittel.",
        "en": "{plan} is {subtitle}. The goals and sub-goals are taken from the plan; where the "
        "plan's wording is not available, a clearly marked working title is shown.",
    },
    "about_plan_link": {
        "no": "Planen på {runner}s nettsider",
        "en": "The plan on {runner}'s website",
    },
    "about_contact_heading": {"no": "Kontakt", "en": "Contact"},
    "about_contact": {
        "no": "Spørsmål om tallene eller nettsiden? Skriv til {owner}, {contact}, og merk e-posten «{site}».",
        "en": "Questions about the figures or the site? Write to {owner}, {contact}, marking the "
        "e-mail “{site}”.",
    },
    "about_contact_missing": {
        "no": "Spørsmål om tallene eller nettsiden? Kontakt {runner} som driver nettstedet.",
        "en": "Questions about the figures or the site? Contact {runner} that runs the site.",
    },
    "a11y_heading": {"no": "Tilgjengelighetserklæring", "en": "Accessibility statement"},
    "a11y_conformance": {
        "no": "Målet er at nettstedet oppfyller kravene i WCAG 2.1 nivå AA, slik forskrift om "
        "universell utforming av IKT-løsninger krever. Sidene har overskrifter og landemerker, "
        "en lenke for å hoppe til hovedinnholdet, synlig fokus, kan brukes med tastatur alene, "
        "og fungerer ned til 320 piksler bredde. Hver graf har en tekstbeskrivelse og en tabell "
        "med de samme tallene. Status vises alltid med ord og symbol, aldri bare med farge.",
        "en": "The aim is that the site meets WCAG 2.1 level AA, as Norwegian regulations on "
        "universal design of ICT require. Pages have headings and landmarks, a link to skip to "
        "the main content, visible focus, work with the keyboard alone, and reflow down to 320 "
        "pixels width. Every chart has a text description and a table with the same figures. "
        "Status is always shown with a word and a symbol, never with colour alone.",
    },
    "a11y_gaps_heading": {"no": "Kjente mangler", "en": "Known gaps"},
    "a11y_gap_charts": {
        "no": "Grafene er bilder for skjermlesere; detaljene finnes i tabellene under hver graf, "
        "ikke i selve grafen.",
        "en": "To screen readers the charts are images; the details are in the tables below each "
        "chart, not in the chart itself.",
    },
    "a11y_gap_js": {
        "no": "Uten JavaScript kan sidene leses og lenkene brukes, men grafene viser ikke tall ved "
        "peking, og knappen som kopierer innbyggingskoden virker ikke (koden kan merkes og "
        "kopieres). Tallene finnes i tabellene og kan lastes ned som CSV og JSON.",
        "en": "Without JavaScript the pages can be read and the links followed, but the charts do "
        "not show figures on hover, and the button that copies the embed code does not work (the "
        "code can be selected and copied). The figures are in the tables and can be downloaded "
        "as CSV and JSON.",
    },
    "a11y_gap_embed": {
        "no": "Innbygde grafer på andres nettsider arver ikke alltid vertssidens tilgjengelighet.",
        "en": "Charts embedded on other sites do not always inherit the host page's accessibility.",
    },
    "a11y_feedback_heading": {"no": "Tilbakemelding", "en": "Feedback"},
    "a11y_feedback": {
        "no": "Finner du noe som ikke er universelt utformet? Skriv til {contact}. Du kan også "
        "melde fra til Tilsynet for universell utforming av IKT (uutilsynet.no).",
        "en": "Found something that is not accessible? Write to {contact}. You can also notify "
        "the Norwegian Authority for Universal Design of ICT (uutilsynet.no).",
    },
    "a11y_feedback_missing": {
        "no": "Finner du noe som ikke er universelt utformet? Si fra til {runner} som driver "
        "nettstedet, eller til Tilsynet for universell utforming av IKT (uutilsynet.no).",
        "en": "Found something that is not accessible? Tell {runner} that runs the site, "
        "or the Norwegian Authority for Universal Design of ICT (uutilsynet.no).",
    },
    # --- not found and errors -----------------------------------------------------------------
    "nf_title": {"no": "Fant ikke siden", "en": "Page not found"},
    "nf_text": {
        "no": "Vi fant ingen side på denne adressen. Kanskje er lenken gammel, eller adressen skrevet feil.",
        "en": "There is no page at this address. The link may be old, or the address mistyped.",
    },
    "nf_goal": {
        "no": "Det finnes ikke noe mål med dette nummeret.",
        "en": "There is no goal with this number.",
    },
    "nf_subgoal": {
        "no": "Det finnes ikke noe delmål med dette nummeret.",
        "en": "There is no sub-goal with this number.",
    },
    "nf_indicator": {
        "no": "Det finnes ingen indikator med denne id-en.",
        "en": "There is no indicator with this id.",
    },
    "nf_suggest": {"no": "Mente du:", "en": "Did you mean:"},
    "nf_home": {"no": "Gå til oversikten", "en": "Go to the overview"},
    "nf_goals": {"no": "Målene i planen:", "en": "The plan's goals:"},
    "bad_format_title": {"no": "Ukjent filformat", "en": "Unknown file format"},
    "bad_format_text": {
        "no": "Adressen ber om et filformat vi ikke har. Tallene finnes i disse formatene:",
        "en": "The address asks for a file format we do not have. The figures come in these formats:",
    },
    "format_csv-no": {
        "no": "CSV for norsk Excel: semikolon mellom feltene og desimalkomma",
        "en": "CSV for Norwegian Excel: semicolons between fields and a decimal comma",
    },
    "format_csv-en": {
        "no": "CSV for engelsk Excel og andre programmer: komma mellom feltene og desimalpunktum",
        "en": "CSV for English Excel and other programs: commas between fields and a decimal point",
    },
    "error_title": {"no": "Tallene kan ikke vises nå", "en": "The figures cannot be shown right now"},
    "error_text": {
        "no": "Noe er galt med de lagrede dataene eller indikatordefinisjonene. Prøv igjen om litt. "
        "Vedvarer feilen, kan driftsansvarlig kjøre «python -m indicators validate» og "
        "«python -m indicators refresh», og finne detaljene i serverloggen.",
        "en": "Something is wrong with the stored data or the indicator definitions. Try again in a "
        "while. If it persists, the operator can run “python -m indicators validate” and "
        "“python -m indicators refresh”, and find the details in the server log.",
    },
    "error_request_id": {"no": "Forespørselens id i loggen:", "en": "The request's id in the log:"},
    # --- the plan's home region, by its level (goals.toml's region code) -----------------------
    "region_noun_municipality": {"no": "kommunen", "en": "the municipality"},
    "region_noun_county": {"no": "fylket", "en": "the county"},
    "region_runner_municipality": {"no": "kommunen", "en": "the municipality"},
    "region_runner_county": {"no": "fylkeskommunen", "en": "the county authority"},
    # --- embeds (/embed/indikator/<id>, dashboard/embed.py) -----------------------------------
    "embed_demo": {
        "no": "Demodata: tallene er syntetiske eksempeltall, ikke ekte statistikk.",
        "en": "Demo data: the figures are synthetic examples, not real statistics.",
    },
    "demo_mark": {"no": "DEMODATA", "en": "DEMO DATA"},
    "test_mark": {"no": "TESTDATA", "en": "TEST DATA"},
    "embed_test_data": {
        "no": "Testdata: tallene kommer fra en lokal testtjener, ikke fra SSB.",
        "en": "Test data: the figures come from a local test server, not from SSB.",
    },
    "banner_test_data": {
        "no": "Testdata: tallene er hentet fra {url}, en lokal testtjener, ikke fra SSB.",
        "en": "Test data: the figures come from {url}, a local test server, not from SSB.",
    },
    "embed_source": {"no": "Kilde: SSB, tabell", "en": "Source: Statistics Norway (SSB), table"},
    "embed_source_other": {"no": "Kilde: {source}", "en": "Source: {source}"},
    "embed_back": {"no": "Mer om indikatoren hos {site}", "en": "More about the indicator at {site}"},
    "embed_headline": {"no": "{region}: {name}, {year}", "en": "{region}: {name}, {year}"},
    "embed_headline_no_year": {"no": "{region}: {name}", "en": "{region}: {name}"},
    "embed_snippet_responsive": {
        "no": "Tilpasser høyden (anbefalt): iframe og et lite skript som gjør rammen like høy som innholdet",
        "en": "Adjusts its height (recommended): an iframe and a small script that make the frame as "
        "tall as its content",
    },
    "embed_snippet_fixed": {
        "no": "Fast høyde, uten skript (for nettsider som ikke tillater skript): grafen tilpasser seg "
        "rammens høyde",
        "en": "Fixed height, without a script (for sites that do not allow scripts): the chart fits "
        "the frame's height",
    },
    "embed_copy_fixed": {"no": "Kopier koden med fast høyde", "en": "Copy the fixed-height code"},
    "embed_downloads": {"no": "Tallene som fil:", "en": "The figures as a file:"},
    "embed_alt_status": {"no": "Status: {status}.", "en": "Status: {status}."},
    "embed_alt_latest": {"no": "Siste tall: {values}.", "en": "Latest figures: {values}."},
    "embed_target": {"no": "Mål: {value} i {year}", "en": "Target: {value} by {year}"},
    "embed_index_title": {"no": "Grafer til innbygging", "en": "Charts for embedding"},
    "embed_index_intro": {
        "no": "Hver indikator har en side som kan bygges inn med en iframe, på bokmål og engelsk, "
        "og tallene som CSV og JSON.",
        "en": "Each indicator has a page that can be embedded with an iframe, in bokmål and "
        "English, and its figures as CSV and JSON.",
    },
}
