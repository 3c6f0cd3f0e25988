"""Security, round 3: a credential is masked by its value wherever it appears, and the
review's floods stay linear. Bounds are checked under the watchdog (a hang fails the
test) and by counting what is kept (report size, memory peak), never by a wall-clock
assertion; benchmarks/hostile.py prints the times."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.cli import main
from closeapp_lint.credentials import Masker, Secret, find_in_text
from closeapp_lint.model import RunReport, Span
from closeapp_lint.reporters import FORMATS, Options, render

from .conftest import PUBLIC, VALID, run
from .hostile_shapes import shapes

LITERAL = "Zq8vKp2mWx9rTt4LmN7"  # a literal secret (no known format): found only under a secret-named key
CLOSE_KEY = "api_7hG2kLmN4pQ8rStU9vWx0Y.Zb3Cd5Ef7Gh9Jk1Lm3Np5Q"


def _all_formats(text: str, path: str = "closeapp.yaml") -> dict[str, str]:
    report = run(text, path=path)
    return {fmt: render(fmt, RunReport((report,), "1"), Options(checklist=True)) for fmt in FORMATS}


def _assert_masked(output: str, secret: str) -> None:
    assert secret[4:] not in output and secret[4:20] not in output, output


# --- masked by value, wherever it was copied --------------------------------------------


@pytest.mark.parametrize(
    "copy",
    [
        "visibility: {s}\n",
        "scopes: [{s}]\n",
        "{s}: 1\n",
        "x-note: see {s}  # and {s}\n",
        "description: 'Syncs deals with key {s}. Bills. Twice.'\n",
        "terms_of_service_url: https://tidewater.dev/{s}/terms\n",
    ],
)
def test_a_literal_secret_copied_elsewhere_is_masked_in_every_format(copy: str) -> None:
    text = VALID.replace("description: Turns won Close opportunities into Tidewater invoices.\n", "") if "description" in copy else VALID
    text = text + f"x-password: {LITERAL}\n" + copy.format(s=LITERAL)
    outputs = _all_formats(text)
    assert any(LITERAL[:4] in out for out in outputs.values())  # something about it is reported
    for fmt, out in outputs.items():
        assert LITERAL[4:] not in out and LITERAL[4:16] not in out, fmt


def test_the_copy_in_another_field_is_masked_in_its_message_and_frame() -> None:
    report = run(VALID + f"x-password: {LITERAL}\nvisibility: {LITERAL}\n")
    ca104 = next(f for f in report.findings if f.code == "CA104")
    assert ca104.message == f"visibility must be one of private, public, got '{LITERAL[:4]}{'*' * (len(LITERAL) - 4)}'"
    assert report.frames[ca104.span.line].text == f"visibility: {LITERAL[:4]}{'*' * (len(LITERAL) - 4)}"


def test_diff_context_masks_a_copied_secret(tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    path.write_text(VALID.replace("https://app", "http://app") + f"x-password: {LITERAL}\nx-copy: {LITERAL}\n")
    result = CliRunner().invoke(main, ["check", "--diff", str(path)])
    assert "+redirect_url: https://" in result.output
    _assert_masked(result.output, LITERAL)


def test_a_flow_duplicate_holding_a_list_is_found_and_masked() -> None:
    text = VALID + f"x-f: {{password: [{LITERAL}], password: x}}\n"
    report = run(text)
    assert [f.code for f in report.findings] == ["CA411", "CA002"]
    for frame in report.frames.values():
        _assert_masked(frame.text, LITERAL)


def test_a_shorter_common_start_is_not_masked() -> None:
    hook = "https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/abcdefghijklmnopqrstuvwx"
    masker = Masker(find_in_text(f"x: {hook}\n"))
    assert masker("redirect_url: https://app.tidewater.dev/cb") == "redirect_url: https://app.tidewater.dev/cb"
    assert masker(f"got {hook[:40]!r}") == f"got '{hook[:4]}{'*' * 36}'"


@pytest.mark.parametrize("count", [3, 40])  # a few credentials (str.find) and many (one pass)
def test_masker_finds_whole_and_quoted_parts(count: int) -> None:
    values = [f"{i:02d}Zq8vKp2mWx9rTt4LmN7pQ" for i in range(count)] + ["short1"]
    masker = Masker([Secret(Span(1, 1, 1, 1), "", "k", v, 0, 0) for v in values])
    assert masker(f"a {values[1]} b") == f"a {values[1][:4]}{'*' * (len(values[1]) - 4)} b"
    assert masker(f"'{values[2][:16]}…'") == f"'{values[2][:4]}{'*' * 12}…'"
    assert masker(f"x{values[0][:15]}y") == f"x{values[0][:15]}y"  # 15 characters of a long one: not enough to be it
    assert masker("= short1 =") == "= ****** ="
    assert masker("= short =") == "= short ="


# --- the review's floods: each ends, and what is kept stays small -------------------------


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize(("name", "text"), sorted(shapes().items()))
def test_floods_stay_linear_and_reports_small(name: str, text: str) -> None:
    assert len(text.encode()) <= 1 << 20
    report = run(text)
    assert len(report.findings) <= 200
    out = render("json", RunReport((report,), "1"), Options(checklist=True))
    assert len(out) < 1 << 20, f"{name}: a report of {len(out):,} bytes"  # GitHub's job summary takes 1 MiB
    assert all(len(f.message) <= 500 for f in report.findings)


@pytest.mark.usefixtures("watchdog")
def test_an_aliased_flood_keeps_memory_bounded() -> None:
    text = shapes()["aliased-scope-flood"]  # 80 KB behind 9,999 aliases: 878 MB when messages echoed it whole
    tracemalloc.start()
    try:
        run(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024, f"{peak:,} bytes"


def test_every_echoed_value_is_capped() -> None:
    long_scope = "x" * 5_000
    report = run(PUBLIC + f"scopes: [{long_scope}, {long_scope}]\n")
    assert [f.code for f in report.findings] == ["CA401", "CA401"]
    assert all(len(f.message) < 200 for f in report.findings), [f.message for f in report.findings]


def test_the_server_masks_a_copied_secret_too() -> None:
    from closeapp_lint.config import DEFAULT
    from closeapp_lint.run import lint_document

    report, _ = lint_document((VALID + f"x-password: {LITERAL}\nvisibility: {LITERAL}\n").encode(), "closeapp.yaml", DEFAULT)
    assert "CA104" in [f.code for f in report.findings]
    assert LITERAL[4:16] not in json.dumps([f.message for f in report.findings])
