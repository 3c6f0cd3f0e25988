"""Small frictions a new user hit (each failed before its fix)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.commands.starter import STARTER

from .conftest import VALID


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_diff_goes_to_output(chdir_tmp: Path) -> None:
    (chdir_tmp / "closeapp.yaml").write_text(VALID.replace("https://app", "http://app"))
    code, out, _ = invoke("--diff", "--output", "fix.diff", "closeapp.yaml")
    assert code == 1 and out == ""
    assert "+redirect_url: https://app" in (chdir_tmp / "fix.diff").read_text()


def test_output_into_a_missing_folder_makes_it(chdir_tmp: Path) -> None:
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    code, _, err = invoke("--output", "reports/out.json", "--format", "json", "closeapp.yaml")
    assert code == 0 and err == "" and (chdir_tmp / "reports" / "out.json").is_file()


def test_output_into_a_file_that_is_not_a_folder_is_a_usage_error(chdir_tmp: Path) -> None:
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    (chdir_tmp / "reports").write_text("a file")
    code, _, err = invoke("--output", "reports/out.json", "--format", "json", "closeapp.yaml")
    assert code == 2 and err.startswith("closeapp-lint: error: --output reports/out.json: ") and "is not a folder" in err


def test_init_dash_prints_the_starter(chdir_tmp: Path) -> None:
    code, out, _ = invoke("init", "-")
    assert code == 0 and out == STARTER and not list(chdir_tmp.iterdir())


def test_init_warns_about_a_name_walks_skip(chdir_tmp: Path) -> None:
    code, _, err = invoke("init", "app.yaml")
    assert code == 0 and (chdir_tmp / "app.yaml").exists()
    assert "folder walks will not find app.yaml: they look for closeapp.yaml, closeapp.yml, *.closeapp.yaml and *.closeapp.yml" in err
    assert invoke("init", "billing.closeapp.yaml")[2] == ""


def test_self_looping_symlink_is_called_a_loop(chdir_tmp: Path) -> None:
    (chdir_tmp / "closeapp.yaml").symlink_to(chdir_tmp / "closeapp.yaml")
    _, out, _ = invoke("--format", "concise", ".")
    assert "the file cannot be read: it is a symlink loop (it leads back to itself)" in out


def test_did_you_mean_for_explain_and_select(chdir_tmp: Path) -> None:
    code, _, err = invoke("explain", "redirect-not-pubic")
    assert code == 2 and err == "closeapp-lint: error: no rule 'redirect-not-pubic'; did you mean 'redirect-not-public'?\n"
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    code, _, err = invoke("--select", "secret-in-manifst", "closeapp.yaml")
    assert code == 2 and "did you mean 'secret-in-manifest'?" in err


def test_a_missing_path_among_several(chdir_tmp: Path) -> None:
    (chdir_tmp / "a.closeapp.yaml").write_text(VALID)
    (chdir_tmp / "b.closeapp.yaml").write_text(VALID + "colour: x\n")
    code, out, err = invoke("--format", "json", "a.closeapp.yaml", "missing.closeapp.yaml", "b.closeapp.yaml")
    assert code == 2 and err == "closeapp-lint: error: missing.closeapp.yaml: no such file or directory\n"
    assert [f["path"] for f in json.loads(out)["files"]] == ["a.closeapp.yaml", "b.closeapp.yaml"]
