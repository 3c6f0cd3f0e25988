"""The command line through click's runner, and once through the real console script."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint import __version__
from closeapp_lint.commands.cli import main

from .conftest import EXAMPLES, PUBLIC, ROOT, VALID


def invoke(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_version() -> None:
    assert invoke("--version") == (0, f"closeapp-lint {__version__}\n", "")


def test_clean_file_exits_0(chdir_tmp: Path) -> None:
    write(chdir_tmp, "closeapp.yaml", VALID)
    code, out, _ = invoke("check", "closeapp.yaml")
    assert code == 0
    assert out == "All checks passed (1 file checked).\n"


def test_shorthand_without_check(chdir_tmp: Path) -> None:
    write(chdir_tmp, "closeapp.yaml", VALID + "colour: x\n")
    assert invoke("closeapp.yaml")[0] == 1
    assert invoke("--format", "concise", "closeapp.yaml")[0] == 1
    assert invoke()[0] == 1  # default: the current directory


def test_error_exits_1_with_text_and_frame(chdir_tmp: Path) -> None:
    write(chdir_tmp, "closeapp.yaml", VALID.replace("https://app", "http://app"))
    code, out, _ = invoke("closeapp.yaml")
    assert code == 1
    assert out.splitlines()[:3] == [
        "closeapp.yaml:4:15: CA201 [*] [error] redirect_url uses http://; Close accepts only https:// redirect URLs — use https://app.tidewater.dev/oauth/close/callback",
        "4 | redirect_url: http://app.tidewater.dev/oauth/close/callback",
        "  |               " + "^" * len("http://app.tidewater.dev/oauth/close/callback"),
    ]
    assert out.splitlines()[-1] == "Found 1 error, 0 warnings, 0 info in 1 file. 1 fixable with `--fix`."


def test_warning_exits_0_unless_strict(chdir_tmp: Path) -> None:
    write(chdir_tmp, "closeapp.yaml", VALID + "scopes: [all.full_access]\n")
    assert invoke("closeapp.yaml")[0] == 0
    assert invoke("closeapp.yaml", "--strict")[0] == 1
    assert invoke("closeapp.yaml", "--strict", "--exit-zero")[0] == 0


def test_missing_path_exits_2_with_one_line(chdir_tmp: Path) -> None:
    code, out, err = invoke("nope.yaml")
    assert (code, out, err) == (2, "", "closeapp-lint: error: nope.yaml: no such file or directory\n")


def test_unknown_format_is_usage_error(chdir_tmp: Path) -> None:
    assert invoke("--format", "xml", ".")[0] == 2


def test_directory_discovery(chdir_tmp: Path) -> None:
    write(chdir_tmp, "a/closeapp.yaml", VALID)
    write(chdir_tmp, "a/b/tidewater.closeapp.yml", VALID)
    write(chdir_tmp, "a/other.yaml", "not: [a manifest\n")
    write(chdir_tmp, "node_modules/closeapp.yaml", "broken: [\n")
    write(chdir_tmp, ".git/closeapp.yaml", "broken: [\n")
    code, out, _ = invoke("--format", "json", ".")
    assert code == 0
    assert [f["path"] for f in json.loads(out)["files"]] == ["a/closeapp.yaml", "a/b/tidewater.closeapp.yml"]


def test_explicit_file_is_always_linted(chdir_tmp: Path) -> None:
    write(chdir_tmp, "app.yaml", VALID)
    assert json.loads(invoke("--format", "json", "app.yaml")[1])["files"][0]["path"] == "app.yaml"


def test_no_manifests_found(chdir_tmp: Path) -> None:
    code, _out, err = invoke(".")
    assert code == 0 and "no manifests found" in err


def test_json_report_shape(chdir_tmp: Path) -> None:
    write(chdir_tmp, "closeapp.yaml", PUBLIC.replace("Tidewater Deal Desk", "Close Sync"))
    code, out, _ = invoke("--format", "json", "closeapp.yaml")
    report = json.loads(out)
    assert code == 0
    assert report["version"] == 1
    assert report["tool"] == {"name": "closeapp-lint", "version": __version__}
    assert report["summary"] == {"files": 1, "errors": 0, "warnings": 1, "infos": 0, "ready": True}  # a warning keeps it ready
    (entry,) = report["files"]
    assert entry["findings"] == [
        {
            "code": "CA213",
            "slug": "name-implies-official",
            "severity": "warning",
            "message": 'name starts like a Close product name, so users may think Close made this app; lead with your own product\'s name, e.g. "<Product> for Close"',
            "line": 2,
            "column": 7,
            "end_line": 2,
            "end_column": 17,
            "pointer": "/name",
            "fixable": False,
        }
    ]
    assert entry["readiness"]["ready"] is True
    assert [i["id"] for i in entry["readiness"]["items"]][:2] == ["name", "description"]
    assert entry["readiness"]["items"][0] == {"id": "name", "status": "warn", "codes": ["CA213"], "detail": entry["findings"][0]["message"]}


def test_text_checklist_default_only_for_public(chdir_tmp: Path) -> None:
    write(chdir_tmp, "private.closeapp.yaml", VALID)
    write(chdir_tmp, "public.closeapp.yaml", PUBLIC)
    out = invoke("--ignore", "CA42", "private.closeapp.yaml", "public.closeapp.yaml")[1]  # two copies of one app
    assert out == "public.closeapp.yaml: ready to publish\nAll checks passed (2 files checked).\n"  # a ready app: one line
    out = invoke("--checklist", "public.closeapp.yaml")[1]
    assert "Publish readiness of public.closeapp.yaml: ready to publish" in out and "✓ secrets" in out
    out = invoke("--checklist", "private.closeapp.yaml")[1]
    assert "Publish readiness of private.closeapp.yaml: private — 2 items left before Make Public" in out
    assert "not ready" not in out
    assert "ready to publish" not in invoke("--no-checklist", "public.closeapp.yaml")[1]
    write(chdir_tmp, "draft.closeapp.yaml", PUBLIC.replace("privacy_policy_url", "x-privacy"))
    out = invoke("draft.closeapp.yaml")[1]
    assert "Publish readiness of draft.closeapp.yaml: not ready to publish" in out and "✗ privacy_policy_url" in out


def test_two_thousand_ready_manifests_print_two_thousand_lines(chdir_tmp: Path) -> None:
    for i in range(2000):
        write(chdir_tmp, f"app{i:04d}.closeapp.yaml", PUBLIC)
    code, out, _ = invoke("--ignore", "CA42", ".")  # copies of one app
    assert code == 0 and len(out.splitlines()) == 2001  # one line each and the summary


def test_markdown_honours_no_checklist(chdir_tmp: Path) -> None:
    write(chdir_tmp, "private.closeapp.yaml", VALID)
    out = invoke("--format", "markdown", "private.closeapp.yaml")[1]
    assert "Publish readiness: 📝 private — 2 items left before Make Public" in out and "not ready" not in out
    assert "Publish readiness" not in invoke("--format", "markdown", "--no-checklist", "private.closeapp.yaml")[1]


def test_checklist_command(chdir_tmp: Path) -> None:
    write(chdir_tmp, "private.closeapp.yaml", VALID)
    write(chdir_tmp, "public.closeapp.yaml", PUBLIC)
    code, out, _ = invoke("checklist", "private.closeapp.yaml", "public.closeapp.yaml")
    assert code == 1  # the private app is not ready to go public
    assert "  ✗ terms_of_service_url  CA301 terms_of_service_url is missing" in out
    assert out.splitlines()[-1] == "1 of 2 manifests ready to publish."
    assert invoke("checklist", "public.closeapp.yaml")[0] == 0
    data = json.loads(invoke("checklist", "--format", "json", "public.closeapp.yaml")[1])
    assert data["files"][0]["readiness"]["ready"] is True
    markdown = invoke("checklist", "--format", "markdown", "private.closeapp.yaml")[1]
    assert "| ❌ | terms\\_of\\_service\\_url | CA301 |" in markdown
    assert "| ➖ | listing |" in markdown


def test_rules_command() -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["CA001", "yaml-syntax", "error"]
    rules = json.loads(invoke("rules", "--format", "json")[1])
    assert {
        "code": "CA203",
        "slug": "redirect-not-public",
        "severity": "publish",
        "summary": "The redirect URL points at a host only you can reach.",
        "fixable": False,
        "default": True,
        "checklist": ["the item of its field"],
    } in rules


@pytest.mark.parametrize("name", ["CA203", "redirect-not-public"])
def test_explain(name: str) -> None:
    code, out, _ = invoke("explain", name)
    assert code == 0
    assert out.startswith("CA203 redirect-not-public (error for public apps; for private apps only a failing checklist item)\n")
    for heading in ("What it does", "Why it matters", "Example (fails)", "Use instead", "How to fix"):
        assert f"\n{heading}\n" in out


def test_explain_unknown_rule() -> None:
    assert invoke("explain", "CA999")[0] == 2


def test_schema_command() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    assert json.loads(out) == json.loads((ROOT / "schemas" / "closeapp.schema.json").read_text())


def test_output_file_is_written(chdir_tmp: Path) -> None:
    write(chdir_tmp, "closeapp.yaml", VALID)
    code, out, _ = invoke("--format", "json", "--output", "report.json", "closeapp.yaml")
    assert (code, out) == (0, "")
    assert json.loads((chdir_tmp / "report.json").read_text())["summary"]["files"] == 1
    assert [p.name for p in chdir_tmp.iterdir() if p.name.startswith(".closeapp-lint-")] == []


def test_internal_failure_is_one_line_and_exit_2(chdir_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(chdir_tmp, "a.closeapp.yaml", VALID)
    write(chdir_tmp, "b.closeapp.yaml", VALID + "colour: x\n")
    from closeapp_lint.judge.engine import lint_with_document as real
    from closeapp_lint.run import app

    def flaky(raw: bytes, path: str, cfg: object, **kwargs: object) -> object:
        if path.startswith("a"):
            raise RuntimeError("boom\nsecond line")
        return real(raw, path, cfg, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(app, "lint_with_document", flaky)
    code, out, err = invoke("--format", "concise", ".")
    assert code == 2
    assert err == "closeapp-lint: internal error while linting a.closeapp.yaml: RuntimeError: boom second line\n"
    assert "b.closeapp.yaml:5:1: CA102" in out  # the other file is still reported


def test_color(chdir_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(chdir_tmp, "closeapp.yaml", VALID + "colour: x\n")
    assert "\x1b[" not in invoke("closeapp.yaml")[1]  # not a terminal
    assert "\x1b[31m" in invoke("--color", "always", "closeapp.yaml")[1]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in invoke("closeapp.yaml")[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in invoke("closeapp.yaml")[1]
    assert "\x1b[" in invoke("--color", "always", "closeapp.yaml")[1]


def test_console_script_in_subprocess(tmp_path: Path) -> None:
    script = shutil.which("closeapp-lint", path=str(Path(sys.executable).parent))
    assert script, "the closeapp-lint console script is not installed beside this Python"
    (tmp_path / "closeapp.yaml").write_text(VALID + "colour: x\n")
    bad = subprocess.run([script, "closeapp.yaml"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert bad.returncode == 1 and "CA102" in bad.stdout and bad.stderr == ""
    missing = subprocess.run([script, "missing.yaml"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert (missing.returncode, missing.stderr) == (2, "closeapp-lint: error: missing.yaml: no such file or directory\n")
    module = subprocess.run([sys.executable, "-m", "closeapp_lint", str(EXAMPLES / "closeapp.yaml")], capture_output=True, text=True, check=False)
    assert module.returncode == 0, module.stderr


def test_parallel_run_matches_serial(chdir_tmp: Path) -> None:
    for i in range(300):
        text = VALID if i % 3 else VALID.replace("https://app", "http://app") + "colour: x\n"
        (chdir_tmp / f"a{i:03}.closeapp.yaml").write_text(text)
    serial = invoke("--format", "json", "--jobs", "1", ".")
    parallel = invoke("--format", "json", "--jobs", "2", ".")
    automatic = invoke("--format", "json", ".")  # 300 files: over the threshold, so one worker per core
    assert serial == parallel == automatic
    assert serial[0] == 1 and json.loads(serial[1])["summary"]["errors"] == 200
    assert "\x1b" not in invoke("--jobs", "2", ".")[1]  # frames travel back from the workers
    assert "4 | redirect_url: http://app" in invoke("--jobs", "2", ".")[1]


def test_streaming_format_to_output_file(chdir_tmp: Path) -> None:
    write(chdir_tmp, "closeapp.yaml", VALID + "colour: x\n")
    code, out, _ = invoke("--format", "concise", "--output", "report.txt", "closeapp.yaml")
    assert (code, out) == (1, "")
    assert (chdir_tmp / "report.txt").read_text() == invoke("--format", "concise", "closeapp.yaml")[1]
    assert [p.name for p in chdir_tmp.iterdir() if p.name.startswith(".closeapp-lint-")] == []


def test_a_mistyped_command_is_named(chdir_tmp: Path) -> None:
    result = CliRunner().invoke(main, ["chek"])
    assert result.exit_code == 2 and result.stderr == "closeapp-lint: error: no such command 'chek'; did you mean 'check'?\n"
    assert CliRunner().invoke(main, ["explian", "CA201"]).stderr == "closeapp-lint: error: no such command 'explian'; did you mean 'explain'?\n"
    (chdir_tmp / "chek").mkdir()  # a folder of that name is a path to lint, as before
    (chdir_tmp / "chek" / "closeapp.yaml").write_text(VALID)
    assert CliRunner().invoke(main, ["chek"]).exit_code == 0
    assert "no such file or directory" in CliRunner().invoke(main, ["apps.closeapp.yaml"]).stderr  # a file name, not a command


@pytest.mark.parametrize(("exists", "dir_okay"), [(False, True), (False, False), (True, False), (True, True)])
def test_the_path_type_checks_and_words_as_click_path(tmp_path: Path, exists: bool, dir_okay: bool) -> None:
    """cli.PathType is click.Path with its words given (no gettext lookup at start-up):
    the same name, values and messages."""
    import click

    from closeapp_lint.commands.cli import PathType

    ours, theirs = PathType(exists=exists, dir_okay=dir_okay), click.Path(exists=exists, dir_okay=dir_okay)
    assert ours.name == theirs.name
    (tmp_path / "file.yaml").write_text("x")
    for value in [str(tmp_path / "file.yaml"), str(tmp_path), str(tmp_path / "missing"), "-"]:
        outcomes = []
        for kind in (ours, theirs):
            try:
                outcomes.append(("value", kind.convert(value, None, None)))
            except click.BadParameter as exc:
                outcomes.append(("error", exc.message))
        assert outcomes[0] == outcomes[1], value
