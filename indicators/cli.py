"""The command line: ``python -m indicators validate|schema|refresh|status|check|new|codes|catalogue``.

Each command is a function ``command(args, settings) -> exit code`` in the module of its
concern; this module only parses arguments and turns the project's exceptions into one clear
line on stderr (exit 1), like datasette's CLI.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from indicators import __version__, sources
from indicators.config import SETTINGS, Settings
from indicators.errors import CatalogError, IndicatorError
from indicators.messages import LANGS
from indicators.plan.catalog import validate

Command = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        settings = Settings.resolve(
            {
                "definitions": args.definitions,
                "goals": args.goals,
                "cache_dir": args.cache_dir,
                "ssb_api_url": args.api_url,
                "refresh_log_format": getattr(args, "log_format", None),
            }
        )
    except IndicatorError as exc:  # a bad environment variable: one line, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return run(_load(args.handler), args, settings)


def run(command: Command, args: argparse.Namespace, settings: Settings) -> int:
    """Run ``command``, turning the project's exceptions into one clear message and exit code 1.

    Shared by every command line of the project (``python -m indicators``, ``python -m dashboard``).
    """
    try:
        return command(args, settings)
    except CatalogError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        print(
            f"{len(exc.issues)} problem(s) in the definitions; run `python -m indicators validate`",
            file=sys.stderr,
        )
        return 1
    except IndicatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def program_name(argv0: str | None = None) -> str:
    """How the user started us: ``plan-indikatorer`` (the console script) or ``python -m indicators``.

    Usage lines and ``--version`` then show the command the reader just typed; both always work
    once the package is installed, so hints elsewhere keep the ``python -m`` form.
    """
    name = Path(sys.argv[0] if argv0 is None else argv0).name
    return "python -m indicators" if name in ("__main__.py", "-m", "-c", "") else name


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=program_name(),
        description="Indicators of a plan (goals.toml): validate definitions, refresh data from SSB, "
        "and report progress.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = setting_flags(("definitions", "goals", "cache_dir", "ssb_api_url"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", parents=[common], help="validate goals.toml and every definition")
    p.set_defaults(handler="indicators.cli:validate_command")

    p = sub.add_parser("schema", parents=[common], help="print the JSON Schema of the definition format")
    p.set_defaults(handler="indicators.cli:schema_command")

    p = sub.add_parser("refresh", parents=[common], help="fetch what changed at SSB into the cache")
    p.add_argument("--only", nargs="+", metavar="ID", help="refresh only these indicators")
    p.add_argument("--force", action="store_true", help="refetch every table even if SSB reports no change")
    p.add_argument("--quiet", action="store_true", help="print only failures and the summary")
    p.add_argument(
        "--log-format",
        dest="log_format",
        choices=("text", "json"),
        help="text: a bar on a terminal, a line per table elsewhere; json: one JSON object per table "
        "and one summary, for log collectors (env REFRESH_LOG_FORMAT; default text)",
    )
    p.add_argument(
        "--keep-releases",
        type=_positive_int,
        default=3,
        metavar="N",
        help="how many SSB releases to keep per table, so the app can compare with the previous one (default 3)",
    )
    p.set_defaults(handler="indicators.assessment.history:refresh_command")

    p = sub.add_parser(
        "status", parents=[common], help="the assessment of every indicator, sub-goal and goal"
    )
    p.add_argument("--json", action="store_true", help="print JSON (DESIGN §6) instead of a table")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default=None,
        help="language of the table: no (bokmål), en (English), nn (nynorsk); default the plan's default_language",
    )
    p.set_defaults(handler="indicators.report:command")

    p = sub.add_parser(
        "check",
        parents=[common],
        help="check a definition (or all) against SSB's live metadata, UNCONFIRMED codes listed first",
    )
    p.add_argument(
        "id",
        metavar="ID",
        nargs="?",
        default=None,
        help="the indicator id (its file name without .toml); all if left out",
    )
    p.add_argument(
        "--preview",
        action="store_true",
        help="also print every year of every region and the assessment, and draw the chart as SVG",
    )
    p.add_argument(
        "--svg", metavar="FILE", default=None, help="where --preview writes the chart (default ID.svg here)"
    )
    p.set_defaults(handler="indicators.check:command")

    p = sub.add_parser(
        "new",
        parents=[common],
        help="write a commented definition skeleton ID.toml from an SSB table's metadata",
    )
    p.add_argument("id", metavar="ID", help="the new indicator's id (its file name without .toml)")
    p.add_argument("--table", required=True, metavar="T", help="the SSB table id, five digits, e.g. 07459")
    p.set_defaults(handler="indicators.skeleton:new_command")

    p = sub.add_parser(
        "codes", parents=[common], help="list an SSB table's variables, or one variable's codes and labels"
    )
    p.add_argument("table", metavar="T", help="the SSB table id, five digits, e.g. 07459")
    p.add_argument("variable", metavar="VAR", nargs="?", default=None, help="a variable of the table")
    p.set_defaults(handler="indicators.skeleton:codes_command")

    p = sub.add_parser(
        "catalogue",
        parents=[common],
        help="print the analyst guide's catalogue table from the definitions, or --write / --check it",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="replace the table in the guide")
    mode.add_argument("--check", action="store_true", help="exit 1 if the guide's table is out of date")
    p.add_argument(
        "--guide",
        metavar="FILE",
        default=None,
        help="the guide (default README.md beside the definitions folder)",
    )
    p.set_defaults(handler="indicators.catalogue_table:command")
    return parser


_FLAGS = {
    "definitions": ("--definitions", "definitions", "PATH"),
    "goals": ("--goals", "goals", "PATH"),
    "cache_dir": ("--cache-dir", "cache_dir", "PATH"),
    "ssb_api_url": ("--api-url", "api_url", "URL"),
}


def setting_flags(names: tuple[str, ...]) -> argparse.ArgumentParser:
    """A parent parser with the flags of these settings, each helped by its env var and default."""
    common = argparse.ArgumentParser(add_help=False)
    by_name = {s.name: s for s in SETTINGS}
    for name in names:
        flag, dest, metavar = _FLAGS[name]
        s = by_name[name]
        common.add_argument(
            flag, dest=dest, metavar=metavar, help=f"{s.help} (env {s.env}; default {s.default})"
        )
    return common


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _load(handler: str) -> Command:
    module, _, name = handler.partition(":")
    return getattr(importlib.import_module(module), name)


def validate_command(args: argparse.Namespace, settings: Settings) -> int:
    """Report every problem in goals and definitions, one per line; exit 1 if there is any."""
    catalog, issues = validate(settings.definitions, settings.goals)
    for issue in issues:
        print(issue)
    if issues or catalog is None:
        print(f"{len(issues)} problem(s) found", file=sys.stderr)
        return 1
    series = sum(len(d.series) for d in catalog.indicators.values())
    tables = {t for d in catalog.indicators.values() for t in sources.tables(d)}
    print(
        f"OK: {len(catalog.goals)} goals, {len(catalog.subgoals())} sub-goals, "
        f"{len(catalog.indicators)} indicators, {series} series from {len(tables)} SSB tables"
    )
    return 0


def schema_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the JSON Schema of a definition file, for editors (e.g. Taplo / Even Better TOML)."""
    from indicators.plan.schema import definition_schema

    print(json.dumps(definition_schema(), indent=2, ensure_ascii=False))
    return 0
