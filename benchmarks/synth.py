"""How long `selfassess synth` takes, and how much memory, at a few scales.

    .venv/bin/python benchmarks/synth.py [--scales 1 120]

Each run is a fresh process, timed from outside; peak memory is its maximum resident set size.
Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analyse import DATA, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 120])
    args = parser.parse_args()
    selfassess = str(Path(sys.executable).with_name("selfassess"))
    DATA.mkdir(exist_ok=True)
    print(f"{'scale':>6} {'answers':>12} {'file MiB':>9} {'seconds':>8} {'peak MiB':>9}")
    for scale in args.scales:
        out = DATA / f"synth-{scale:g}.csv"
        figures = measure([selfassess, "synth", "--seed", "1", "--scale", f"{scale:g}", "--out", str(out)])
        rows = sum(1 for _ in out.open("rb")) - 1
        size = out.stat().st_size / 2**20
        print(
            f"{scale:>6g} {rows:>12,} {size:>9.0f} {figures['seconds']:>8.1f} {figures['peak_mib']:>9.0f}", flush=True
        )
        out.unlink()


if __name__ == "__main__":
    main()
