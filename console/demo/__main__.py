"""`python -m console.demo --db PATH --reports N [--seed S] [--weeks W]`: seed a demo DB."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .bulk import seed_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.demo", description=__doc__)
    parser.add_argument("--db", type=Path, required=True, help="database file (created if missing)")
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--city", action="append", choices=["bandung", "semarang"],
                        help="only these cities (repeatable); default 2/3 Bandung, 1/3 Semarang")
    parser.add_argument("--method", choices=["auto", "fresh", "chunked"], default="auto")
    parser.add_argument("--parallel", action=argparse.BooleanOptionalAction, default=None)
    args = parser.parse_args(argv)

    def progress(done: int, total: int) -> None:
        print(f"\r{done:,}/{total:,} reports", end="", file=sys.stderr, flush=True)

    stats = seed_demo(args.db, reports=args.reports, seed=args.seed, weeks=args.weeks,
                      progress=progress, cities=args.city, parallel=args.parallel, method=args.method)
    print(file=sys.stderr)
    rows = stats["reports"] + stats["events"] + stats["dispatches"]
    print(f"{stats['reports']:,} reports, {stats['events']:,} events, "
          f"{stats['dispatches']:,} dispatches ({rows:,} rows) in {stats['seconds']:.1f} s")
    print(f"{stats['reports_per_s']:,} reports/s, {stats['rows_per_s']:,} rows/s; "
          f"generate {stats['generate_s']:.1f} s, insert {stats['insert_s']:.1f} s, "
          f"waiting for the generator {stats['wait_s']:.1f} s; method {stats['method']}; "
          f"database {stats['db_bytes'] / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
