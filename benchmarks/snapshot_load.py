"""How long loading the snapshot takes: the repository's catalogue and a synthetic 1 000-indicator one.

    .venv/bin/python benchmarks/snapshot_load.py [--indicators 1000] [--runs 3]

``load_snapshot`` reads the cache manifest and the raw JSON-stat2 responses and computes every
indicator's series; ``status`` and every dashboard worker pay for it (the dashboard once per cache
version). Times are CPU time (``time.process_time``, the best of ``--runs``), because this machine
is shared and wall-clock time is noisy. Two cases:

* **repo**: the repository's catalogue on the committed demo snapshot (``data_cache/demo``);
* **synthetic**: ``--indicators`` definitions made by cycling through the repository's (each
  round with its own copies of the tables, so 1 000 indicators read about 500 responses), on a
  demo cache built from the committed one, in a temporary folder.

The synthetic cache has the derived layer a refresh writes (:mod:`indicators.store.derived`: every
series computed once, read back while its key matches); ``synthetic, computed`` is the same
catalogue without it (after a code upgrade, until the next refresh), so every series is computed.

Baseline, measured in the same run on the same files: reading the manifest and every response
it names, checking their SHA-256 and parsing the JSON — what a loader must do before computing
anything (one served from the derived layer skips it). Also shown: loading and validating the
catalogue alone (part of ``load_snapshot``), how many series came from the derived layer, and
what is left per indicator for the series themselves. Goal (issue 9, with ``status`` < 2 s for
1 000 indicators): the series at about 1–2 ms per indicator.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indicators.config import REPO_ROOT, Settings
from indicators.plan.catalog import load_catalog
from indicators.store.cache import Cache
from indicators.store.derived import DERIVED_DIR, read_toml_memo, write_derived
from indicators.store.snapshot import REPO_DEMO, load_snapshot

GOAL_MS_PER_INDICATOR = 2.0
_TABLE_LINE = re.compile(r'^(\s*table\s*=\s*")([0-9]{5})(")', re.MULTILINE)


def best_cpu(fn: Callable[[], object], runs: int) -> float:
    """The least CPU time (seconds) ``fn`` took over ``runs`` calls."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def read_and_parse(cache_root: Path) -> int:
    """The baseline: read the manifest and every current response, verify and parse them."""
    manifest = json.loads((cache_root / "manifest.json").read_bytes())
    count = 0
    for entry in manifest["tables"].values():
        for stored in entry["releases"][0]["responses"]:
            raw = (cache_root / stored["file"]).read_bytes()
            if hashlib.sha256(raw).hexdigest() != stored["sha256"]:
                raise SystemExit(f"{stored['file']}: checksum mismatch")
            json.loads(raw)
            count += 1
    return count


def synthetic(root: Path, indicators: int, *, derive: bool = True) -> Settings:
    """A catalogue of ``indicators`` definitions and a demo cache serving them, under ``root``.

    Round k copies every repository definition as ``<id>-k<k>`` reading its own copies of the
    tables (new five-digit ids), and the cache gets those tables with the committed responses.
    ``derive``: also write the derived layer, as the refresh that filled a cache would.
    """
    source = REPO_ROOT / "indicators" / "definitions"
    originals = sorted(source.glob("*.toml"))
    manifest = json.loads((REPO_DEMO / "manifest.json").read_text(encoding="utf-8"))
    table_ids = sorted(manifest["tables"])
    definitions = root / "definitions"
    shutil.copytree(source / "data", definitions / "data")
    cache = root / "cache" / "demo"
    tables: dict[str, dict] = {}
    made = 0
    round_ = 0
    while made < indicators:
        renamed = {t: f"{50000 + round_ * 100 + i}" for i, t in enumerate(table_ids)}
        for path in originals[: indicators - made]:
            new_id = f"{path.stem}-k{round_}"
            text = _TABLE_LINE.sub(
                lambda m, ids=renamed: m.group(1) + ids[m.group(2)] + m.group(3), path.read_text()
            )
            (definitions / f"{new_id}.toml").write_text(text, encoding="utf-8")
            made += 1
        for old, new in renamed.items():
            entry = json.loads(json.dumps(manifest["tables"][old]))
            for release in entry["releases"]:
                for stored in release["responses"]:
                    target = stored["file"].replace(f"responses/{old}/", f"responses/{new}/")
                    (cache / target).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(REPO_DEMO / stored["file"], cache / target)
                    stored["file"] = target
                    stored["serves"] = [
                        f"{s.split('.', 1)[0]}-k{round_}.{s.split('.', 1)[1]}" for s in stored["serves"]
                    ]
            tables[new] = entry
        round_ += 1
    manifest["tables"] = tables
    (cache / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.copy(REPO_ROOT / "indicators" / "goals.toml", root / "goals.toml")
    settings = Settings.resolve(
        {"definitions": definitions, "goals": root / "goals.toml", "cache_dir": root / "cache"}
    )
    if derive:
        demo = Cache(cache)
        write_derived(load_catalog(definitions, settings.goals), demo, demo.read_manifest())
    return settings


def drop_derived(settings: Settings) -> None:
    """Remove the synthetic cache's derived layer: every load computes every series."""
    shutil.rmtree(settings.cache_dir / "demo" / DERIVED_DIR, ignore_errors=True)


def measure(name: str, settings: Settings, cache_root: Path, runs: int) -> dict[str, float | int | str]:
    snapshot = load_snapshot(settings)  # also warms imports and the file system cache
    if snapshot.problems:
        first = next(iter(snapshot.problems.items()))
        raise SystemExit(f"{name}: {len(snapshot.problems)} indicator(s) have problems, e.g. {first}")
    count = len(snapshot.series)
    responses = read_and_parse(cache_root)
    baseline = best_cpu(lambda: read_and_parse(cache_root), runs)
    memo = read_toml_memo(cache_root)  # as load_snapshot uses it
    catalogue = best_cpu(lambda: load_catalog(settings.definitions, settings.goals, toml_memo=memo), runs)
    total = best_cpu(lambda: load_snapshot(settings), runs)
    series = max(total - catalogue - (0.0 if snapshot.derived else baseline), 0.0)
    return {
        "case": name,
        "indicators": count,
        "from_layer": snapshot.derived,
        "responses": responses,
        "baseline_s": baseline,
        "catalogue_s": catalogue,
        "load_s": total,
        "per_indicator_ms": 1000 * series / count,
        "ratio": total / baseline if baseline else float("inf"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=1000, help="size of the synthetic catalogue")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the best counts)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="snapshot-load-") as tmp:
        root = Path(tmp)
        (root / "empty-cache").mkdir()
        repo = Settings.resolve({"cache_dir": root / "empty-cache"})  # no real data: the committed demo
        rows.append(measure("repo (demo cache)", repo, REPO_DEMO, args.runs))
        settings = synthetic(root / "synthetic", args.indicators)
        rows.append(measure("synthetic", settings, settings.cache_dir / "demo", args.runs))
        drop_derived(settings)
        rows.append(measure("synthetic, computed", settings, settings.cache_dir / "demo", args.runs))
    header = (
        f"{'case':<20} {'indicators':>10} {'from layer':>10} {'responses':>9} {'baseline':>10} {'catalogue':>10} "
        f"{'load_snapshot':>13} {'series/ind.':>11} {'load/baseline':>13}"
    )
    print(f"CPU time (best of {args.runs}); baseline = read, verify and parse the responses")
    print(header)
    for row in rows:
        print(
            f"{row['case']:<20} {row['indicators']:>10} {row['from_layer']:>10} {row['responses']:>9} "
            f"{row['baseline_s'] * 1000:>8.0f}ms {row['catalogue_s'] * 1000:>8.0f}ms "
            f"{row['load_s'] * 1000:>11.0f}ms {row['per_indicator_ms']:>9.2f}ms {row['ratio']:>12.1f}x"
        )
    print(f"goal: series at most about {GOAL_MS_PER_INDICATOR:.0f} ms per indicator")
    print("synthetic: with the derived layer a refresh writes; computed: without it")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
