"""``python -m tests.ssb_stub.write_fixture SAVED.json``: a stub table fixture from a saved metadata answer.

So a new indicator's table works offline: on a machine that reaches SSB, save the table's
metadata (``curl -o 12345.json "https://data.ssb.no/api/pxwebapi/v2/tables/12345/metadata?lang=no"``,
or the browser's "save as"); then this writes ``tests/ssb_stub/tables/12345.toml`` in the format of
``tests/ssb_stub/README.md``: every variable with its codes, labels, role, elimination (and its
elimination value code), the codelists the stub has, content units, and the years. The values are
synthetic (a ``[rule]`` to adjust); the file says where its codes came from. It never overwrites
a fixture unless told to (``--force``), and the fixture it writes is loaded once to check it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.ssb_stub.tables import CODELISTS_DIR, TABLES_DIR, FixtureError, load_table

MAX_BYTES = 64 * 1024 * 1024  # SSB's biggest metadata answers are a few MB
_ENDED = re.compile(r"\(-\s*([12][0-9]{3})\)\s*$")  # SSB's "Trondheim (-2017)": a code that ended


class WriteError(ValueError):
    """The saved file cannot become a fixture; the message says why and what to do."""


def _s(value: object) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(str(value), ensure_ascii=False)


def read_metadata(path: Path) -> dict[str, Any]:
    """The saved JSON-stat2 metadata, or WriteError naming what is wrong with it."""
    try:
        # Read at most one byte over the limit: a device such as /dev/zero says size 0 and never ends.
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise WriteError(f"{path}: larger than {MAX_BYTES // 2**20} MiB; that is no metadata answer")
        doc = json.loads(raw.decode("utf-8-sig"))
    except OSError as exc:
        raise WriteError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    except RecursionError as exc:
        raise WriteError(
            f"{path}: not JSON (nested too deeply); save the answer of …/tables/ID/metadata?lang=no as it is"
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WriteError(
            f"{path}: not JSON ({exc}); save the answer of …/tables/ID/metadata?lang=no as it is"
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("dimension"), dict) or not doc["dimension"]:
        raise WriteError(
            f"{path}: no `dimension` object: this is not a JSON-stat2 metadata answer "
            "(…/tables/ID/metadata, not /tables/ID or /data)"
        )
    return doc


def table_id_of(doc: dict[str, Any], path: Path, given: str | None) -> str:
    """The five-digit table id: given, else the answer's ``extension.px.tableid``, else the file name."""
    px = (doc.get("extension") or {}).get("px") if isinstance(doc.get("extension"), dict) else None
    candidates = [given, px.get("tableid") if isinstance(px, dict) else None, path.stem]
    for candidate in candidates:
        if candidate is not None and re.fullmatch(r"[0-9]{5}", str(candidate)):
            return str(candidate)
    raise WriteError(
        f"{path}: no five-digit table id in the answer or the file name; give it with --id 12345"
    )


def fixture_text(doc: dict[str, Any], table_id: str, source: str, codelists_dir: Path = CODELISTS_DIR) -> str:
    """The fixture's TOML for a metadata answer (see the module's docstring)."""
    from indicators.errors import BadResponse
    from indicators.ssb.query import parse_table_metadata

    try:
        meta = parse_table_metadata(table_id, doc, source)
    except (BadResponse, KeyError, TypeError, AttributeError) as exc:
        raise WriteError(f"{source}: the metadata cannot be read: {exc}") from exc
    if sum(1 for v in meta.variables if v.role == "time") != 1:
        raise WriteError(f"{source}: the metadata names no time variable (role `time`); a fixture needs one")
    known_codelists = {p.stem for p in codelists_dir.glob("*.toml")}
    label = meta.label or f"{table_id}: (no title in the metadata)"
    updated = doc.get("updated") if isinstance(doc.get("updated"), str) else None
    lines = [
        f"# {table_id} — https://www.ssb.no/statbank/table/{table_id}",
        f"# Written by `python -m tests.ssb_stub.write_fixture` from {source}",
        f"# on {datetime.now(UTC):%Y-%m-%d}: the codes and labels are SSB's metadata; the values are synthetic",
        "# ([rule] below). Keep only the codes your definitions need, plus a few.",
        f"id = {_s(table_id)}",
        f"label = {_s(label)}",
        f"updated = {_s(updated or '2025-01-01T07:00:00Z')}",
        "",
    ]
    units: dict[str, str] = {}
    metric_body = next((doc["dimension"][v.code] for v in meta.variables if v.role == "metric"), {})
    for code, unit in ((metric_body.get("category") or {}).get("unit") or {}).items():
        if isinstance(unit, dict) and unit.get("base"):
            units[str(code)] = str(unit["base"])
    for var in meta.variables:
        lines += ["[[variables]]", f"code = {_s(var.code)}", f"label = {_s(var.label)}"]
        if var.role in ("geo", "time", "metric"):
            lines.append(f"role = {_s(var.role)}")
        if var.role == "time":
            lines.append(_time_values(var.codes))
            lines.append("")
            continue
        if var.elimination:
            lines.append("elimination = true")
        if var.elimination_code:
            lines.append(f"elimination_code = {_s(var.elimination_code)}")
        offered = [cl for cl in var.codelists if cl in known_codelists]
        if offered:
            lines.append(f"codelists = [{', '.join(_s(cl) for cl in offered)}]")
        missing = [cl for cl in var.codelists if cl not in known_codelists]
        if missing:
            lines.append(f"# not in tests/ssb_stub/codelists/, so left out: {', '.join(missing)}")
        lines.append("values = [")
        lines += [f"  [{_s(code)}, {_s(var.labels.get(code, code))}]," for code in var.codes]
        lines.append("]")
        ended = {c: m.group(1) for c in var.codes if (m := _ENDED.search(var.labels.get(c, "")))}
        if var.role == "geo" and ended:
            # A code that ended (its label says "(-2017)") has no figures after that year, so K-codes
            # do not count it twice. UNCONFIRMED: the year a successor code begins; add it here.
            cells = ", ".join(f"{_s(c)} = [1838, {year}]" for c, year in ended.items())
            lines.append(f"valid = {{ {cells} }}")
        if var.role == "metric" and units:
            lines.append(
                "units = { "
                + ", ".join(f"{_s(c)} = {_s(u)}" for c, u in units.items() if c in var.codes)
                + " }"
            )
        lines.append("")
    lines += ["[rule]", "base = 100.0", "growth = 0.01", "noise = 0.02", ""]
    return "\n".join(lines)


def _time_values(codes: list[str]) -> str:
    years = [int(c) for c in codes if re.fullmatch(r"[12][0-9]{3}", c)]
    if len(years) == len(codes) and years == list(range(years[0], years[0] + len(years))):
        return f"years = [{years[0]}, {years[-1]}]"
    return "values = [" + ", ".join(_s(c) for c in codes) + "]"


def write_fixture(saved: Path, out_dir: Path, *, table_id: str | None = None, force: bool = False) -> Path:
    """Write ``out_dir/<id>.toml`` from the saved metadata ``saved``; returns its path."""
    doc = read_metadata(saved)
    table = table_id_of(doc, saved, table_id)
    target = out_dir / f"{table}.toml"
    if target.exists() and not force:
        raise WriteError(f"{target} exists; it is never overwritten (--force replaces it)")
    text = fixture_text(doc, table, saved.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".toml.part")
    partial.write_text(text, encoding="utf-8")
    try:
        load_table(partial.rename(target))
    except FixtureError as exc:
        target.unlink()
        raise WriteError(f"the fixture written from {saved} does not load: {exc}") from exc
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ssb_stub.write_fixture", description=__doc__)
    parser.add_argument("saved", type=Path, help="a saved answer of …/tables/ID/metadata?lang=no")
    parser.add_argument("--id", help="the table id, when neither the answer nor the file name says it")
    parser.add_argument("--out", type=Path, default=TABLES_DIR, help="fixtures folder (default: the stub's)")
    parser.add_argument("--force", action="store_true", help="replace an existing fixture")
    args = parser.parse_args(argv)
    try:
        path = write_fixture(args.saved, args.out, table_id=args.id, force=args.force)
    except WriteError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {path}; restart the stub to serve it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
