"""Time and peak memory of one `closeapp-lint check` per hostile shape (tests/hostile_shapes.py),
against the security goal: at most 2 s and 200 MB for any file of 1 MiB or less.

    python benchmarks/hostile.py [--runs N]

Each shape is written to a temporary folder and linted in a fresh process (the CLI, as
pre-commit runs it); the median of N runs and the largest peak RSS are printed."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hostile_shapes import shapes

GOAL_SECONDS, GOAL_MB = 2.0, 200


def _once(path: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one run, the peak of this child alone (wait4)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "closeapp_lint", "check", "--format", "concise", str(path)], stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = 0  # reaped above
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'shape':28} {'bytes':>9} {'median s':>9} {'peak MB':>8}  goal ≤ {GOAL_SECONDS:g} s, ≤ {GOAL_MB} MB")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in sorted(shapes().items()):
            path = Path(folder) / f"{name}.closeapp.yaml"
            path.write_text(text, encoding="utf-8")
            times, peaks = zip(*(_once(path) for _ in range(args.runs)), strict=True)
            median, peak = statistics.median(times), max(peaks)
            verdict = "ok" if median <= GOAL_SECONDS and peak <= GOAL_MB else "OVER"
            print(f"{name:28} {os.path.getsize(path):>9,} {median:>9.2f} {peak:>8.0f}  {verdict}")


if __name__ == "__main__":
    main()
