"""``python -m dashboard export DIR``: the dashboard's command line (static embed export).

Takes the same settings as ``python -m indicators`` (``--definitions``, ``--goals``,
``--cache-dir`` or their environment variables); the project's errors become one line on
stderr and exit code 1, usage errors exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dashboard.export import export_command, precompress_command
from indicators.cli import run, setting_flags
from indicators.config import Settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="The indicator dashboard's command line."
    )
    common = setting_flags(("definitions", "goals", "cache_dir"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = sub.add_parser(
        "export",
        parents=[common],
        help="write every indicator's embed page (in each language the plan publishes), CSV, JSON, "
        "chart picture (SVG, PNG) and the shared assets as static files",
        description="Write static embed pages for a plain web host or CDN, in the languages of the "
        "plan's [plan] languages. Layout: DIR/embed/indikator/<id>/index.html (the plan's "
        "default_language, e.g. bokmål), index.en.html (English), index.nn.html (nynorsk), "
        "index.no.html (bokmål when it is not the default), DIR/embed/static/ (scripts, CSS), "
        "DIR/data/<id>.csv, <id>.en.csv, <id>.json, DIR/img/<id>.svg, <id>.en.svg, <id>.png "
        "(the chart as a picture).",
    )
    export.add_argument("dir", metavar="DIR", help="folder to write into (created if missing)")
    export.add_argument(
        "--site-url",
        metavar="URL",
        help="the dashboard's public address, e.g. https://indikatorer.example.no, for the links "
        "back to each indicator page (default: root-relative links)",
    )
    export.add_argument(
        "--export-url",
        metavar="URL",
        help="where DIR will be served, e.g. https://cdn.example.no/indikatorer, for absolute "
        "og:url tags and the snippets in DIR/embed/index.html",
    )
    export.set_defaults(handler=export_command)
    precompress = sub.add_parser(
        "precompress",
        parents=[common],
        help="(maintainers) remake the brotli copy of the plotly.js bundle after upgrading it",
    )
    precompress.set_defaults(handler=precompress_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    settings = Settings.resolve(
        {"definitions": args.definitions, "goals": args.goals, "cache_dir": args.cache_dir}
    )
    return run(args.handler, args, settings)


if __name__ == "__main__":
    sys.exit(main())
