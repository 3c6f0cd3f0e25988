"""Small files that used to take super-linear time (any file ≤ 1 MiB must lint in ≤ 2 s).
Each runs under the watchdog, which only catches a blow-up; benchmarks/per_file.py and
benchmarks/hostile.py print the figures."""

from __future__ import annotations

import pytest

from closeapp_lint.load.config import Config
from closeapp_lint.load.source import MAX_NODES

from .conftest import VALID, run

KEY = "api_" + "a1B2c3D4e5F6g7H8i9J0kL" + "." + "m1N2o3P4q5R6s7T8u9V0wX"
BIG = Config(max_file_size=1024 * 1024)
MULTILINE = "x-a: &a |\n" + "".join(f"  line {i} of a long text block\n" for i in range(600))

CASES = {
    "8,000 Close API keys, one per line": (VALID + "".join(f"# {KEY}\n" for _ in range(8000)), {"CA411"}),
    "8,000 API keys as values": (VALID + "".join(f"x-k{i}: {KEY}\n" for i in range(8000)), {"CA411"}),
    "8,000 secret-named literals": (VALID + "".join(f"x-secret{i}: Zq8vT2mW9xK4pL7nR5s{i}\n" for i in range(8000)), {"CA411"}),
    "a multi-line scalar behind 500 aliases, with a directive": (
        VALID + MULTILINE + "x-b: [" + ", ".join(["*a"] * 500) + "]\nname2: 1  # closeapp-lint: disable=CA102\n",
        set(),
    ),
    "9,000 unknown suppression selectors": (VALID + "".join(f"x-{i}: 1  # closeapp-lint: disable=CA9{i:05d}\n" for i in range(9000)), {"CA006"}),
    "a description of 9,998 dots": (VALID.replace("Turns won Close opportunities into Tidewater invoices.", "'" + "." * 9998 + "'"), {"CA105", "CA211"}),
    "9,000 unknown scopes": (VALID + "scopes: [" + ",".join(f"s{i}" for i in range(9000)) + "]\n", {"CA401"}),
    "9,000 duplicate keys": (VALID + "".join("x-d: 1\n" for _ in range(9000)), {"CA002"}),
    "a 1 MiB flow list": (VALID + "x-l: [" + ",".join(["a"] * 400_000) + "]\n", {"CA004"}),
    "140,000 duplicate keys": (VALID + "".join("x-d: 1\n" for _ in range(140_000)), {"CA004"}),
    "100,000 unknown scopes": (VALID + "scopes: [" + ",".join(f"s{i}" for i in range(100_000)) + "]\n", {"CA004"}),
    "40,000 aliased complex keys": (VALID + "x-k: &k [a, b]\nx-m: {" + ", ".join(f"? *k : {i}" for i in range(40_000)) + "}\n", {"CA004"}),
    "a 300,000-character host": (VALID.replace("app.tidewater.dev", "a" * 300_000), {"CA105"}),
    "20,000 PEM headers without an end": (VALID + "".join("# -----BEGIN RSA PRIVATE KEY-----\n" for _ in range(20_000)), {"CA411"}),
}


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize("name", list(CASES))
def test_small_hostile_files_stay_cheap(name: str) -> None:
    text, codes = CASES[name]
    assert len(text.encode()) <= 1024 * 1024
    report = run(text, config=BIG)
    assert {f.code for f in report.findings} == codes
    assert len(report.findings) <= 200


def test_node_budget_message() -> None:
    text = VALID + "x-l: [" + ",".join(["a"] * (MAX_NODES + 10)) + "]\n"
    (finding,) = run(text, config=BIG).findings
    assert finding.code == "CA004" and finding.message == "the document holds more than 20,000 values; a manifest needs a few dozen — refusing to read further"


def test_a_value_replaced_by_a_duplicate_key_is_still_a_credential() -> None:
    text = VALID + "x-other:\n  password: firstpw\n  password: ${Y}\n"
    assert [(f.code, f.span.line) for f in run(text).findings] == [("CA411", 6), ("CA002", 7)]
