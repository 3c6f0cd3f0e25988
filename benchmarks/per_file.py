"""Per-file lint time of this checkout against an earlier commit, side by side in one run.

    python benchmarks/per_file.py                       # against the last commit of round 1
    python benchmarks/per_file.py --baseline HEAD~3 --runs 7
    python benchmarks/per_file.py --instructions        # also count instructions (valgrind)

The baseline is checked out into a temporary git worktree; each side runs in its own
process (same Python, same dependencies), in-process ``engine.lint`` over the same
manifests, alternating sides run by run, and the table shows the median µs per file.
Cases: valid ASCII manifests (private and public, the common case that must not get
slower), a valid manifest in Japanese, one holding a credential, and hostile Unicode
(10,000 combining marks, a 1 MiB line of mixed scripts) for the per-file bound.

Wall-clock time on a shared virtual machine drifts by ±20 %; ``--instructions`` adds a
figure that does not: the CPU instructions one lint of each ASCII case costs, counted by
valgrind's callgrind (the difference between running it 0 and 200 times, so start-up
and imports cancel out; PYTHONHASHSEED fixed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUND_1 = "3d7c251"  # the last commit before the round-2 trust work

VALID = """\
manifest_version: 1
name: Tidewater Deal Desk
description: >-
  Turns won Close opportunities into Tidewater invoices, e.g. for U.S. customers.
  Payment status shows on the lead.
redirect_url: https://app.tidewater.dev/oauth/close/callback
scopes: [all.full_access, offline_access]
x-owner: revenue-platform-team
"""
PUBLIC = (
    VALID
    + """\
terms_of_service_url: https://tidewater.dev/legal/terms
privacy_policy_url: https://tidewater.dev/legal/privacy
visibility: public
client_id: oa2client_0123456789abcdefABCDEF
"""
)
CASES = {
    "valid ASCII, private": (VALID, 2000),
    "valid ASCII, public": (PUBLIC, 2000),
    "valid, Japanese name": (VALID.replace("Tidewater Deal Desk", "東京セールス連携"), 2000),
    "a Stripe key in a note": (VALID + "x-note: billing key is sk_live_51HxQ2bC8dE9fG0hI1jK2lM3nO4pQ5rS\n", 2000),
    "10,000 combining marks": (VALID.replace("Tidewater Deal Desk", "Z" + "\u0301" * 10_000), 5),
    "1 MiB line, mixed scripts": (VALID.replace("Tidewater Deal Desk", "\u0430b" * 300_000), 3),
}

WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
try:  # the package laid out by layer (round 4); a baseline from before it: the flat modules
    from closeapp_lint.load.config import Config
    from closeapp_lint.judge.engine import lint
except ImportError:
    from closeapp_lint.config import Config
    from closeapp_lint.engine import lint
cases = json.loads(sys.stdin.read())
config = Config(max_file_size=4 * 1024 * 1024)
out = {}
for name, (text, n) in cases.items():
    raw = text.encode()
    lint(raw, "closeapp.yaml", config)  # warm: imports, compiled schema, caches
    start = time.perf_counter()
    for _ in range(n):
        lint(raw, "closeapp.yaml", config)
    out[name] = (time.perf_counter() - start) / n * 1e6
print(json.dumps(out))
"""


def measure(tree: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", WORKER, str(tree)], input=json.dumps(CASES), capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


COUNTER = r"""
import sys
sys.path.insert(0, sys.argv[1])
try:  # the package laid out by layer (round 4); a baseline from before it: the flat modules
    from closeapp_lint.judge.engine import lint
except ImportError:
    from closeapp_lint.engine import lint
raw = sys.stdin.buffer.read()
lint(raw, "closeapp.yaml")
for _ in range(int(sys.argv[2])):
    lint(raw, "closeapp.yaml")
"""


def instructions(tree: Path, text: str, times: int = 200) -> float:
    """CPU instructions of one lint of ``text``, by callgrind (deterministic)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}

    def total(n: int) -> int:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", COUNTER, str(tree), str(n)],
            input=text.encode(),
            capture_output=True,
            check=True,
            env=env,
        )
        return int(re.search(rb"Collected : (\d+)", done.stderr).group(1))  # type: ignore[union-attr]

    return (total(times) - total(0)) / times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--baseline", default=ROUND_1, help="git revision to compare against")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--instructions", action="store_true", help="also count instructions per file with valgrind (slow, deterministic)")
    args = parser.parse_args()
    counted: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(base), args.baseline], check=True)
        try:
            samples: dict[str, list[dict[str, float]]] = {"baseline": [], "current": []}
            for _ in range(args.runs):  # alternate, so drift hits both sides alike
                samples["baseline"].append(measure(base))
                samples["current"].append(measure(ROOT))
            if args.instructions:
                for name in ("valid ASCII, private", "valid ASCII, public"):
                    counted[name] = (instructions(base, CASES[name][0]), instructions(ROOT, CASES[name][0]))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
    print(f"median of {args.runs} runs, µs per file (in-process engine.lint); baseline {args.baseline}, current: this checkout\n")
    print(f"{'case':<28}{'baseline':>12}{'current':>12}{'ratio':>8}")
    for name in CASES:
        before = statistics.median(run[name] for run in samples["baseline"])
        after = statistics.median(run[name] for run in samples["current"])
        print(f"{name:<28}{before:>12.1f}{after:>12.1f}{after / before:>8.2f}")
    if counted:
        print(f"\n{'instructions per file':<28}{'baseline':>12}{'current':>12}{'ratio':>8}")
        for name, (before, after) in counted.items():
            print(f"{name:<28}{before:>12,.0f}{after:>12,.0f}{after / before:>8.2f}")


if __name__ == "__main__":
    main()
