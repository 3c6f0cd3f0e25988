"""The run pipeline below the CLI, called directly (as a language server would)."""

from __future__ import annotations

from pathlib import Path

from closeapp_lint import run
from closeapp_lint.config import DEFAULT

from .conftest import VALID


def test_standard_input_is_read_once_under_its_name() -> None:
    calls: list[int] = []

    def read(limit: int) -> bytes:
        calls.append(limit)
        return (VALID + "colour: x\n").encode()

    errors: list[str] = []
    reports = run.lint_files(run.Input(["-"], DEFAULT, "apps/closeapp.yaml", read), jobs=1, on_error=errors.append)
    assert [(r.path, [f.code for f in r.findings]) for r in reports] == [("apps/closeapp.yaml", ["CA102"])]
    assert len(calls) == 1 and errors == []


def test_fix_and_diff_without_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    path.write_text(VALID.replace("https://app", "http://app"))
    written: list[str] = []
    count, failed = run.diff_files(run.Input([str(path)], DEFAULT), written.append, on_error=written.append)
    assert (count, failed) == (1, False) and "+redirect_url: https://app" in "".join(written)
    fixed = run.fix_files(run.Input([str(path)], DEFAULT), root=str(tmp_path), write_stdin=lambda data: None, on_error=written.append)
    assert (fixed.applied, fixed.changed, fixed.refused) == (1, 1, []) and "https://app" in path.read_text()


def test_one_internal_error_format() -> None:
    from closeapp_lint.escape import error_text, internal_error_line

    assert internal_error_line("a.closeapp.yaml", "ValueError: boom") == "closeapp-lint: internal error while linting a.closeapp.yaml: ValueError: boom"
    assert error_text(ValueError("boom\n  " + "x" * 500)) == "ValueError: boom " + "x" * 195  # one line, capped


def test_the_loader_does_not_pull_in_the_rules() -> None:
    """Layering runs one way: reading a file that does not parse needs no rule module."""
    import ast
    import subprocess
    import sys

    code = "import sys, closeapp_lint.source as s; s.load(b'a: [\\n'); print(sorted(m for m in sys.modules if m.startswith('closeapp_lint')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(done.stdout)  # a list literal printed by the child
    assert not [m for m in loaded if m.startswith("closeapp_lint.rules")], loaded
    assert len(loaded) <= 6, loaded
