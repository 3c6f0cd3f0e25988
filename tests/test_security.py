"""Security: a credential is masked by its value wherever it appears, and the
one-line floods stay linear. Bounds are checked under the watchdog (a hang fails the
test) and by counting what is kept (report size, memory peak), never by a wall-clock
assertion; benchmarks/hostile.py prints the times."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.core.model import RunReport, Span
from closeapp_lint.reporters import FORMATS, Options, render
from closeapp_lint.text.credentials import Masker, Secret, find_in_text

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
    from closeapp_lint.load.config import DEFAULT
    from closeapp_lint.run.pipeline import lint_document

    report, _ = lint_document((VALID + f"x-password: {LITERAL}\nvisibility: {LITERAL}\n").encode(), "closeapp.yaml", DEFAULT)
    assert "CA104" in [f.code for f in report.findings]
    assert LITERAL[4:16] not in json.dumps([f.message for f in report.findings])


# --- injection in every remaining output ---------------------------------------------------

FORGED = "\x1b[2J\x9b31m\u202e\n::error file=x,line=1::forged"


def _no_raw_controls(text: str) -> None:
    for bad in ("\x1b", "\x9b", "\u202e", "\n::error file=x"):
        assert bad not in text, repr(text[:300])


def test_hostile_config_values_are_escaped_in_settings_and_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".closeapp-lint.toml").write_text(f"exclude = [{json.dumps(FORGED)}]\n")
    shown = CliRunner().invoke(main, ["check", "--show-settings"])
    assert shown.exit_code == 0 and "\\x1b[2J\\x9b31m\\u202e\\x0a::error" in shown.output
    _no_raw_controls(shown.output)
    (tmp_path / ".closeapp-lint.toml").write_text(f"{json.dumps(FORGED)} = 1\n")
    failed = CliRunner().invoke(main, ["check", "."])
    assert failed.exit_code == 2 and "unknown key" in failed.output
    _no_raw_controls(failed.output)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_file_name_that_is_not_utf8_is_escaped_and_every_report_is_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"a\x9b\x9d\x9c\x1bb.closeapp.yaml")
    (tmp_path / name).write_text(VALID.replace("https://app", "http://app"))
    result = CliRunner().invoke(main, ["check", "--format", fmt, "."])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "internal error" not in out and "CA201" in out
    _no_raw_controls(out)
    assert "\udc9b" not in out and "\ufffd" not in out  # escaped, not dropped or replaced
    if fmt == "sarif":
        assert json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%9B%9D%9C%1Bb.closeapp.yaml"
    elif fmt in ("json", "gitlab"):
        assert "a\\\\x9b\\\\x9d\\\\x9c\\\\x1bb.closeapp.yaml" in out
    else:
        assert "a\\x9b\\x9d\\x9c\\x1bb.closeapp.yaml" in out


def test_show_files_and_diff_headers_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "x\x1b[31m\u202e.closeapp.yaml"
    (tmp_path / name).write_text(VALID.replace("https://app", "http://app") + "x-note: \u202eclear\n")  # YAML refuses ESC in a value
    listed = CliRunner().invoke(main, ["check", "--show-files", "."])
    assert listed.output == "x\\x1b[31m\\u202e.closeapp.yaml\n"
    diff = CliRunner().invoke(main, ["check", "--diff", "."])
    assert "--- a/x\\x1b[31m\\u202e.closeapp.yaml" in diff.output and " x-note: \\u202eclear" in diff.output
    _no_raw_controls(diff.output)


def test_gitlab_fingerprints_cannot_be_made_to_collide() -> None:
    from closeapp_lint.core.model import FileReport, Finding, Frame
    from closeapp_lint.reporters.fingerprint import fingerprints

    # Before: the parts were joined with \x1f, so a path that ends in "\x1fCA102" and a
    # finding with an empty code could hash like another file's CA102.
    one = FileReport("a\x1fCA411", (Finding("CA102", "unknown-field", "error", "m", Span(1, 1, 1, 2), "/x"),), frames={1: Frame("l")})
    two = FileReport("a", (Finding("CA411\x1fCA102", "s", "error", "m", Span(1, 1, 1, 2), "/x"),), frames={1: Frame("l")})
    assert next(fingerprints(one, with_path=True))[1] != next(fingerprints(two, with_path=True))[1]


# --- smaller: resolver, deep trees, many globs, size ceiling, deep TOML ----------------------


def test_a_resolver_that_never_answers_costs_the_budget_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from closeapp_lint.run import netcheck

    release = threading.Event()
    asked = threading.Event()

    def stuck(*_: object, **__: object) -> list[object]:
        asked.set()
        release.wait()
        return []

    import socket

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    try:
        with pytest.raises(netcheck._Failed) as failed:
            netcheck._resolve("stuck.tidewater.dev", netcheck.Settings(timeout=0.2, budget=0.2), time.monotonic() + 0.2)
        assert asked.is_set() and failed.value.code == "CA501" and "did not resolve within" in failed.value.message
    finally:
        release.set()


def test_local_use_nat64_is_not_public() -> None:
    from closeapp_lint.run.netcheck import _public_address

    assert not _public_address("64:ff9b:1::808:808") and _public_address("64:ff9b::808:808")


@pytest.mark.usefixtures("watchdog")
def test_a_tree_1500_folders_deep_is_walked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    for _ in range(1500):
        os.mkdir("d")
        os.chdir("d")
    Path("closeapp.yaml").write_text(VALID.replace("https://app", "http://app"))
    monkeypatch.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", "--format", "concise", "."])
        assert result.exit_code == 1 and "closeapp.yaml:4:15: CA201" in result.output and "internal error" not in result.output
    finally:
        _remove_deep(tmp_path, 1500)


def _remove_deep(top: Path, depth: int) -> None:
    """Remove the tree from the bottom up without recursion (shutil.rmtree, and so
    pytest's own clean-up of old temporary folders, recurse once per level)."""
    import os

    deepest = top.joinpath(*(["d"] * depth))
    (deepest / "closeapp.yaml").unlink()
    os.chdir(deepest)
    for _ in range(depth):
        os.chdir("..")
        os.rmdir("d")
    os.chdir(top)


@pytest.mark.usefixtures("watchdog")
def test_forty_thousand_exclude_globs_are_one_matcher(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from closeapp_lint.load.config import Config

    globs = tuple(f"{i:05d}zz*" for i in range(40_000)) + ("vend?r", "*.skip.closeapp.yaml", "*/deep/*")
    cfg = Config(exclude=globs)
    assert not any(cfg.excluded(f"apps/app{i}/closeapp.yaml") for i in range(300))
    assert cfg.excluded("vendor/closeapp.yaml") and cfg.excluded("a/b.skip.closeapp.yaml") and cfg.excluded("x/deep/y/closeapp.yaml")
    assert cfg.excluded("00042zz-app/closeapp.yaml") and not cfg.excluded("00042z/closeapp.yaml")


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("max-file-size = 1_000_000_000_000\n", "'max-file-size' is at most 16,777,216 bytes (16 MiB), got 1,000,000,000,000"),
        ("exclude = " + "[" * 5000 + "]" * 5000 + "\n", "not read: arrays or tables nested too deeply"),
    ],
)
def test_hostile_config_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".closeapp-lint.toml").write_text(toml)
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
