"""`python -m bench [--out FILE] [--only PREFIX]`: measure every figure, print a table and
write bench-results.json. See bench/harness.py for what a figure is."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from pathlib import Path

from bench.harness import memory_keyring

# Each module exposes FIGURES: a list of (name prefix, function returning list[Figure]).
MODULES = ["bench.store_figures", "bench.app_figures", "bench.server_figures",
           "bench.export_figures", "bench.ui_figures", "bench.map_figures",
           "bench.sync_figures", "bench.wire_figures", "bench.map_render_figures",
           "bench.portal_figures", "bench.live_figures", "bench.sensor_figures",
           "bench.sensor_live_figures"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--out", type=Path, default=Path("bench-results.json"))
    parser.add_argument("--only", default="", help="run only figures whose name starts with this")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    memory_keyring()

    results: dict[str, dict] = {}
    if args.out.exists():  # --only refreshes some figures and keeps the others
        try:
            results = json.loads(args.out.read_text()).get("figures", {})
        except (ValueError, AttributeError):
            results = {}
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for prefix, fn in module.FIGURES:
            if args.only and not (prefix.startswith(args.only) or args.only.startswith(prefix)):
                continue
            t0 = time.perf_counter()
            print(f"… {prefix}", flush=True)
            for fig in fn():
                if args.only and not fig.name.startswith(args.only) and not prefix.startswith(args.only):
                    continue
                results[fig.name] = fig.as_json()
            print(f"  done in {time.perf_counter() - t0:.1f} s", flush=True)

    args.out.write_text(json.dumps({"figures": results}, indent=2, sort_keys=True) + "\n")
    _print_table(results)
    print(f"\nwrote {args.out}")
    return 0


def _print_table(results: dict[str, dict]) -> None:
    print(f"\n{'figure':<36} {'value':>12} {'unit':<10} {'baseline':>12} {'ratio':>8}")
    for name in sorted(results):
        r = results[name]
        base = "-" if r["baseline"] is None else f"{r['baseline']:.3f}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.1f}x"
        print(f"{name:<36} {r['value']:>12.3f} {r['unit']:<10} {base:>12} {ratio:>8}")


if __name__ == "__main__":
    sys.exit(main())
