"""CA411 against detect-secrets (Yelp) on the same corpus, side by side in one run.

    python benchmarks/secrets_compare.py

The corpus is tests/credential_corpus.py: manifests holding one or more credentials
(every kind SPEC §3.2 names, in values, keys, comments, URLs, block scalars) and
manifests holding look-alikes that are not credentials (references to secret stores,
placeholders, masks, client IDs, UUIDs, commit hashes). Each case becomes one file; a
tool is right on a credential case when it flags the file, and on a look-alike case when
it does not. detect-secrets is installed into benchmarks/.venv-secrets (never a runtime
dependency) and scans all files in one process; closeapp-lint runs in this process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(__file__).resolve().parent / ".venv-secrets"
sys.path.insert(0, str(ROOT))

from closeapp_lint.judge.engine import lint
from tests.conftest import VALID
from tests.credential_corpus import FOUND, NOT_CREDENTIALS


def detect_secrets() -> Path:
    exe = VENV / "bin" / "detect-secrets"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(VENV / "bin" / "pip"), "install", "--quiet", "detect-secrets"], check=True)
    return exe


def main() -> None:
    exe = detect_secrets()
    cases = [(VALID + extra, True, len(kinds)) for extra, kinds in FOUND] + [(VALID + extra, False, 0) for extra in NOT_CREDENTIALS]
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, (text, _, _) in enumerate(cases):
            path = Path(tmp) / f"case{index:03d}.closeapp.yaml"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        started = time.perf_counter()
        ours = [sum(f.code == "CA411" for f in lint(p.read_bytes(), p.name).findings) for p in paths]
        ours_s = time.perf_counter() - started
        started = time.perf_counter()
        scan = subprocess.run([str(exe), "scan", "--all-files", "."], cwd=tmp, capture_output=True, text=True, check=True)
        theirs_s = time.perf_counter() - started
        results = json.loads(scan.stdout)["results"]
        # detect-secrets may report one secret under two detectors: count lines, not reports.
        theirs = [len({r["line_number"] for r in results.get(p.name, [])}) for p in paths]
    rows = [("closeapp-lint CA411", ours, ours_s), ("detect-secrets " + _version(exe), theirs, theirs_s)]
    positives = sum(1 for _, secret, _ in cases if secret)
    print(f"{len(cases)} cases: {positives} with credentials, {len(cases) - positives} look-alikes\n")
    print(f"{'tool':<28}{'found':>10}{'clean':>10}{'right':>12}{'count right':>14}{'time':>12}")
    for name, counts, seconds in rows:
        found = sum(1 for (_, secret, _), n in zip(cases, counts, strict=True) if secret and n)
        clean = sum(1 for (_, secret, _), n in zip(cases, counts, strict=True) if not secret and not n)
        exact = sum(1 for (_, _, want), n in zip(cases, counts, strict=True) if n == want)
        right = found + clean
        print(
            f"{name:<28}{found:>6}/{positives:<3}{clean:>6}/{len(cases) - positives:<3}{right:>6}/{len(cases):<3} {right / len(cases):>4.0%}"
            f"{exact:>8}/{len(cases):<3}{seconds * 1000:>9.0f} ms"
        )
    print("\nfound: credential cases flagged; clean: look-alike cases left alone; count right: exactly one finding per credential (detect-secrets: per line)")
    for label, counts in (("closeapp-lint", ours), ("detect-secrets", theirs)):
        wrong = [i for i, ((_, secret, _), n) in enumerate(zip(cases, counts, strict=True)) if bool(n) != secret]
        print(f"{label} wrong on cases: {wrong}")


def _version(exe: Path) -> str:
    return subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True).stdout.strip()


if __name__ == "__main__":
    main()
