"""How long `selfassess analyse` takes, and how much memory, against a bare `polars.read_csv` of the same file.

    .venv/bin/python benchmarks/analyse.py [--sizes 0.4 5 50] [--previous]

Sizes are millions of answers. Below 20M each command runs several times, alternately, and the medians
are shown (one run on a shared machine can be 30% off). Files are made once with the quick synthetic round and kept in
benchmarks/data/, with a respondent id unique to each person (as real files have: a few ids repeated in every
trust would flatter a reader that codes distinct values). With --previous, `analyse LATER --previous EARLIER`
against bare reads of both files (EARLIER: the invented June round made from the same file, as the demo makes
it). Each measurement runs in a fresh process, timed
from outside; peak memory is that process's maximum resident set size. Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
ANSWERS_PER_SCALE = 150 * 8 * 5 * 55  # trusts x sectors x quota x answers per respondent (about)


def make_file(millions: float) -> Path:
    path = DATA / f"responses-unique-{millions:g}M.csv"
    if not path.exists():
        import polars as pl

        from selfassess.framework import load_framework
        from selfassess.responses import write_long_csv
        from selfassess.synth import simple_round

        DATA.mkdir(exist_ok=True)
        started = time.perf_counter()
        scale = millions * 1e6 / ANSWERS_PER_SCALE
        answers = simple_round(load_framework(), scale=scale, seed=1)
        unique = answers.with_columns(respondent=pl.col("trust").cast(pl.String) + "-" + pl.col("respondent"))
        write_long_csv(unique, path)
        print(f"  made {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def make_june(path: Path) -> Path:
    """The invented earlier round of a file (synth.earlier_round), made once beside it."""
    june = path.with_name(path.stem + "-june.csv")
    if not june.exists():
        import polars as pl

        from selfassess.framework import load_framework
        from selfassess.responses import write_long_csv
        from selfassess.synth import earlier_round

        later = pl.read_csv(path, infer_schema=False)
        write_long_csv(earlier_round(later, load_framework(), seed=1), june)
    return june


def measure(command: list[str]) -> dict[str, float]:
    """Run a command in a child of a fresh process, so that the peak memory read is that command's alone."""
    done = subprocess.run([sys.executable, __file__, "--measure", *command], capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _measure_child(command: list[str]) -> None:
    started = time.perf_counter()
    child = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if child.returncode:
        sys.exit(f"{command} failed: {child.stderr}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.4, 5, 50], help="millions of answers")
    parser.add_argument(
        "--repeats", type=int, default=7, help="alternating runs of each at sizes under 20M; the medians are shown"
    )
    parser.add_argument("--previous", action="store_true", help="analyse against an earlier round of the same size")
    args = parser.parse_args()
    selfassess = str(Path(sys.executable).with_name("selfassess"))
    print(f"{'answers':>12} {'file MiB':>9} {'read_csv s':>11} {'MiB':>7} {'analyse s':>10} {'MiB':>7} {'ratio':>6}")
    for millions in args.sizes:
        path = make_file(millions)
        rows = sum(1 for _ in path.open("rb")) - 1
        out = DATA / "results.json"
        commands = {
            "bare": [sys.executable, "-c", f"import polars; polars.read_csv({str(path)!r})"],
            "full": [selfassess, "analyse", str(path), "--json", str(out)],
        }
        if args.previous:
            june = make_june(path)
            reads = f"import polars; polars.read_csv({str(path)!r}); polars.read_csv({str(june)!r})"
            commands = {
                "bare": [sys.executable, "-c", reads],
                "full": [selfassess, "analyse", str(path), "--previous", str(june), "--json", str(out)],
            }
        # One run of each, in turn, so that a noisy moment on the machine falls on both alike.
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for _ in range(args.repeats if millions < 20 else 1):
            for name, command in commands.items():
                runs[name].append(measure(command))
        bare, full = (median(runs[name]) for name in commands)
        spread = " ".join(f"{r['seconds'] / b['seconds']:.2f}" for r, b in zip(runs["full"], runs["bare"], strict=True))
        print(
            f"{rows:>12,} {path.stat().st_size / 2**20:>9.0f} {bare['seconds']:>11.2f} {bare['peak_mib']:>7.0f} "
            f"{full['seconds']:>10.2f} {full['peak_mib']:>7.0f} {full['seconds'] / bare['seconds']:>6.2f}"
            f"   (each pair: {spread})",
            flush=True,
        )


def median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        _measure_child(sys.argv[2:])
    else:
        main()
