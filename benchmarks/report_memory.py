"""Peak memory of whole-document reports at scale, this checkout against an earlier
commit, side by side in one run (Linux: reads /proc).

    python benchmarks/report_memory.py                        # 100,000 manifests, json sarif junit gitlab
    python benchmarks/report_memory.py --files 10000 --formats json,sarif

Both sides run ``closeapp-lint check --format FORMAT --output FILE .`` as a whole process
over the same generated manifests (benchmarks/bench.py's mix: 60 % valid private apps,
20 % valid public apps, 20 % with one problem), with the default workers. The baseline is
checked out into a temporary git worktree and run from it with the same Python and
dependencies. Memory is sampled every 50 ms over the whole process tree (the parent and
its workers) as PSS — proportional set size, so pages the forked workers share with the
parent are not counted twice; the table shows the highest total seen, the parent's own
peak RSS (getrusage), the report's size and the wall time.
"""

from __future__ import annotations

import argparse
import filecmp
import itertools
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generate  # the same manifests as the speed benchmark

ROOT = Path(__file__).resolve().parent.parent
BEFORE_WRITERS = "3bd5694"  # the last commit that kept every report for these formats

LAUNCH = (  # the package laid out by layer (round 4), or a baseline's flat modules
    "import sys; sys.path.insert(0, sys.argv.pop(1))\n"
    "try:\n    from closeapp_lint.commands.cli import run\nexcept ImportError:\n    from closeapp_lint.cli import run\n"
    "sys.argv[0] = 'closeapp-lint'; run()"
)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    todo.extend(int(child) for child in fh.read().split())
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(tree: Path, folder: Path, fmt: str, output: Path) -> tuple[float, float, float, float]:
    """(peak PSS of the process tree, parent's peak RSS, report size — all MiB —, seconds)."""
    command = [sys.executable, "-c", LAUNCH, str(tree), "check", "--format", fmt, "--output", str(output), "--exit-zero", "."]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kib(pid) for pid in _tree(process.pid)))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    if status != 0:
        raise SystemExit(f"{tree}: closeapp-lint --format {fmt} exited with {status >> 8}")
    return peak / 1024, usage.ru_maxrss / 1024, output.stat().st_size / 2**20, elapsed


# Lines that changed on purpose since the baseline: SARIF's rule links (issue 16: helpUri
# points at docs/rules.md) and the fingerprints of SARIF and GitLab (they hash a JSON
# array since e1ceced, so that no two findings share one through a separator).
_ON_PURPOSE = ('"helpUri":', '"primaryLocationLineHash":', '"fingerprint":')


def _same(before: Path, now: Path) -> str:
    """ "yes" for identical bytes; "yes, but for …" when only lines that changed on
    purpose differ (each such line has the same key on both sides); else "NO"."""
    if filecmp.cmp(before, now, shallow=False):
        return "yes"
    keys: set[str] = set()
    with before.open(encoding="utf-8") as old, now.open(encoding="utf-8") as new:
        for a, b in itertools.zip_longest(old, new):
            if a == b:
                continue
            key = next((k for k in _ON_PURPOSE if a and b and a.lstrip().startswith(k) and b.lstrip().startswith(k)), None)
            if key is None:
                return "NO"
            keys.add(key.strip('":'))
    return f"yes, but for {', '.join(sorted(keys))} (changed on purpose)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--formats", default="json,sarif,junit,gitlab")
    parser.add_argument("--baseline", default=BEFORE_WRITERS, help="commit to compare with (default: %(default)s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base), args.baseline], check=True)
        try:
            data = Path(scratch) / "manifests"
            data.mkdir()
            generate(data, args.files)
            print(f"{args.files:,} manifests; peak PSS of the process tree (parent + workers), parent's peak RSS, report size, wall time\n")
            print("| format | side | peak memory | parent RSS | report | time |")
            print("|---|---|---|---|---|---|")
            for fmt in args.formats.split(","):
                for side, tree in (("before", base), ("now", ROOT)):
                    pss, rss, size, seconds = measure(tree, data, fmt, Path(scratch) / f"report.{side}")
                    print(f"| {fmt} | {side} | {pss:,.0f} MiB | {rss:,.0f} MiB | {size:,.0f} MiB | {seconds:.0f} s |", flush=True)
                # compared in chunks: reading 200 MB here would grow this process, and the next
                # child inherits its peak RSS across fork and exec
                same = _same(Path(scratch) / "report.before", Path(scratch) / "report.now")
                print(f"|  | identical bytes: {same} | | | | |", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)


if __name__ == "__main__":
    main()
