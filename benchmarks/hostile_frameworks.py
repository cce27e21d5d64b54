"""How long a hostile framework file takes to be refused, and the memory it costs: each kind of file from the
tests (tests/framework/test_hostile_frameworks.py), checked by `selfassess framework check FILE` in a fresh
process (what a person waits for on the command line; the web's check is the same function), timed from outside,
with the process's peak resident memory.

    .venv/bin/python benchmarks/hostile_frameworks.py [--repeats 3]

Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.framework.test_hostile_frameworks import HOSTILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    print(f"{'file':<32} {'bytes':>10} {'median s':>9} {'peak MiB':>9}  exit")
    for name, (text, _) in HOSTILE.items():
        path = folder / "hostile.yaml"
        path.write_text(text, encoding="utf-8")
        times, code, peak = [], 0, 0.0
        for _ in range(args.repeats):
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "selfassess", "framework", "check", str(path)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _, status, usage = os.wait4(process.pid, 0)  # this process's own peak memory, in KiB
            times.append(time.perf_counter() - started)
            code, peak = os.waitstatus_to_exitcode(status), max(peak, usage.ru_maxrss / 1024)
        print(f"{name:<32} {len(text.encode()):>10,} {sorted(times)[len(times) // 2]:>9.2f} {peak:>9.0f}  {code}")


if __name__ == "__main__":
    main()
