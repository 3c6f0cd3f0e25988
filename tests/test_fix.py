"""--fix and --diff: exactly the minimal edit on every golden case, idempotent, atomic,
permission-keeping, and never touching a file that does not parse."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.judge.fixes import fix

from .conftest import DATA, VALID, run

CASES = sorted(p.name.removesuffix(".before.yaml") for p in (DATA / "fix").glob("*.before.yaml"))


def invoke(*args: str, input: bytes | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize("case", CASES)
def test_golden_fix(case: str) -> None:
    before = (DATA / "fix" / f"{case}.before.yaml").read_bytes()
    after = (DATA / "fix" / f"{case}.after.yaml").read_bytes()
    result = fix(before, "closeapp.yaml")
    assert result.raw == after
    assert (result.applied > 0) == (before != after)
    again = fix(result.raw, "closeapp.yaml")
    assert (again.raw, again.applied) == (result.raw, 0)  # fixing twice changes nothing
    fixable = [f.code for f in run(before).findings if f.fixable]
    assert bool(fixable) == (before != after)


def test_remaining_findings_are_reported() -> None:
    before = (DATA / "fix" / "plain.before.yaml").read_bytes().replace(b"name: Tidewater Deal Desk", b"name: Close Sync")
    result = fix(before, "closeapp.yaml")
    assert result.applied == 1 and [f.code for f in result.report.findings] == ["CA213"]


def test_unparsable_file_is_never_edited() -> None:
    raw = b"redirect_url: http://app.tidewater.dev/cb\nname: [\n"
    result = fix(raw, "closeapp.yaml")
    assert (result.raw, result.applied) == (raw, 0)


def test_json_marks_fixable_findings() -> None:
    text = VALID.replace("https://app", "http://app") + "scopes: [all.full_access, offline_access, all.full_access, leads.read]\n"
    marks = {(f.code, f.message.split(";")[0]): f.fixable for f in run(text).findings}
    assert marks == {
        ("CA201", "redirect_url uses http://"): True,
        ("CA401", "scope 'all.full_access' is listed twice"): True,
        ("CA401", "scope 'leads.read' does not exist for Close OAuth apps"): False,
    }


def test_rules_list_fixable() -> None:
    rules = {r["code"]: r["fixable"] for r in json.loads(invoke("rules", "--format", "json")[1])}
    assert [code for code, fixable in rules.items() if fixable] == ["CA201", "CA302", "CA401"]


@pytest.fixture
def broken(chdir_tmp: Path) -> Path:
    path = chdir_tmp / "closeapp.yaml"
    path.write_bytes((DATA / "fix" / "both-urls-one-run.before.yaml").read_bytes())
    path.chmod(0o640)
    return path


def test_diff_writes_nothing(broken: Path) -> None:
    before = broken.read_bytes()
    code, out, err = invoke("check", "--diff", "closeapp.yaml")
    assert code == 1
    assert out.decode().splitlines() == [
        "--- a/closeapp.yaml",
        "+++ b/closeapp.yaml",
        "@@ -1,7 +1,7 @@",
        " manifest_version: 1",
        " name: Tidewater Deal Desk",
        " description: Turns won Close opportunities into Tidewater invoices.",
        "-redirect_url: http://app.tidewater.dev/cb",
        "+redirect_url: https://app.tidewater.dev/cb",
        " terms_of_service_url: https://tidewater.dev/legal/terms",
        " visibility: public",
        "-privacy_policy_url: http://tidewater.dev/legal/privacy",
        "+privacy_policy_url: https://tidewater.dev/legal/privacy",
    ]
    assert err == "closeapp-lint: 2 fixes would be applied\n"
    assert broken.read_bytes() == before
    assert invoke("check", "--diff", "closeapp.yaml")[0] == 1
    broken.write_bytes((DATA / "fix" / "both-urls-one-run.after.yaml").read_bytes())
    assert invoke("check", "--diff", "closeapp.yaml")[:2] == (0, b"")


def test_fix_writes_atomically_and_keeps_permissions(broken: Path) -> None:
    code, out, err = invoke("check", "--fix", "closeapp.yaml")
    assert code == 0
    assert err == "closeapp-lint: fixed 2 findings in 1 file\n"
    assert out.endswith(b"All checks passed (1 file checked).\n")
    assert broken.read_bytes() == (DATA / "fix" / "both-urls-one-run.after.yaml").read_bytes()
    assert stat.S_IMODE(broken.stat().st_mode) == 0o640
    assert [p.name for p in broken.parent.iterdir()] == ["closeapp.yaml"]  # no temporary file left
    assert invoke("check", "--fix", "closeapp.yaml")[2] == "closeapp-lint: fixed 0 findings in 0 files\n"


def test_fix_through_a_symlink_keeps_the_link(broken: Path) -> None:
    link = broken.parent / "link.closeapp.yaml"
    link.symlink_to(broken.name)
    assert invoke("check", "--fix", str(link))[0] == 0
    assert link.is_symlink() and b"https://app" in broken.read_bytes()


def test_fix_exit_code_reflects_what_remains(chdir_tmp: Path) -> None:
    (chdir_tmp / "closeapp.yaml").write_text(VALID.replace("https://app", "http://app") + "colour: x\n")
    code, out, _ = invoke("check", "--fix", "--format", "concise", "closeapp.yaml")
    assert code == 1 and b"CA102" in out and b"CA201" not in out


def test_fix_never_edits_a_file_that_does_not_parse(chdir_tmp: Path) -> None:
    path = chdir_tmp / "closeapp.yaml"
    raw = b"redirect_url: http://app.tidewater.dev/cb\nname: [\n"
    path.write_bytes(raw)
    code, _, err = invoke("check", "--fix", "closeapp.yaml")
    assert code == 1 and path.read_bytes() == raw and "fixed 0 findings" in err


def test_fix_from_stdin_writes_the_fixed_text_to_stdout(chdir_tmp: Path) -> None:
    before = (DATA / "fix" / "crlf.before.yaml").read_bytes()
    code, out, err = invoke("check", "--fix", "-", input=before)
    assert code == 0
    assert out == (DATA / "fix" / "crlf.after.yaml").read_bytes()
    assert "All checks passed" in err


def test_internal_failure_while_fixing_is_one_line_naming_the_file(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (broken.parent / "b.closeapp.yaml").write_bytes((DATA / "fix" / "plain.before.yaml").read_bytes())
    from closeapp_lint.judge import fixes

    real = fixes.fix

    def flaky(raw: bytes, path: str, cfg: object, **kwargs: Any) -> object:
        if path == "closeapp.yaml":
            raise RuntimeError("boom")
        return real(raw, path, cfg, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fixes, "fix", flaky)
    code, _, err = invoke("check", "--fix", "--format", "concise", ".")
    assert code == 2
    assert "closeapp-lint: internal error while linting closeapp.yaml: RuntimeError: boom\n" in err
    assert b"https://app" in (broken.parent / "b.closeapp.yaml").read_bytes()  # the other file was still fixed
    assert invoke("check", "--diff", ".")[0] == 2
