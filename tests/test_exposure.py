"""What a hostile repository must not get out of closeapp-lint: writes through symlinks,
files outside the folder it was asked to walk, and raw control sequences in the output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main

from .conftest import VALID

TOKEN = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_output_never_writes_through_a_symlink(chdir_tmp: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    victim = tmp_path_factory.mktemp("home") / ".bashrc"
    victim.write_text("original\n")
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    (chdir_tmp / "report.json").symlink_to(victim)
    code, _, err = invoke("--format", "json", "--output", "report.json", "closeapp.yaml")
    assert code == 2 and "is a symlink" in err
    assert victim.read_text() == "original\n"


def test_fix_never_edits_a_file_outside_the_repository(chdir_tmp: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "closeapp.yaml"
    outside.write_text(VALID.replace("https://app", "http://app"))
    (chdir_tmp / "closeapp.yaml").symlink_to(outside)
    code, out, _ = invoke("--fix", "closeapp.yaml")
    assert "CA005 [error] the file leads outside the repository through a symlink; it was not read" in out
    assert "http://app" in outside.read_text() and code == 1


def test_fix_through_a_symlink_inside_the_repository_keeps_the_symlink(chdir_tmp: Path) -> None:
    (chdir_tmp / "real.closeapp.yaml").write_text(VALID.replace("https://app", "http://app"))
    (chdir_tmp / "closeapp.yaml").symlink_to("real.closeapp.yaml")
    invoke("--fix", "closeapp.yaml")
    assert (chdir_tmp / "closeapp.yaml").is_symlink() and "https://app" in (chdir_tmp / "real.closeapp.yaml").read_text()


def test_walks_skip_symlinked_manifests_that_lead_outside(chdir_tmp: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    secret = tmp_path_factory.mktemp("home") / ".git-credentials"
    secret.write_text(f"https://user:{TOKEN}@github.com\n")
    repo = chdir_tmp / "repo"
    repo.mkdir()
    (repo / "closeapp.yaml").symlink_to(secret)
    (repo / "ok.closeapp.yaml").write_text(VALID)
    (repo / "inside.closeapp.yaml").symlink_to("ok.closeapp.yaml")
    _, out, _ = invoke("--format", "concise", "repo")
    assert TOKEN[4:] not in out and TOKEN[:10] not in out
    _, out, _ = invoke("--format", "json", "repo")
    assert '"repo/closeapp.yaml"' not in out and '"repo/inside.closeapp.yaml"' in out and '"repo/ok.closeapp.yaml"' in out


def _elsewhere(factory: pytest.TempPathFactory) -> Path:
    folder = factory.mktemp("elsewhere")
    (folder / "keep.txt").write_text("original\n")
    return folder


@pytest.mark.parametrize("option", [("--output", "reports/x.json"), ("--output-format", "json=reports/x.json"), ("--output", "reports/new/x.json")])
def test_reports_never_go_through_a_symlinked_folder(chdir_tmp: Path, tmp_path_factory: pytest.TempPathFactory, option: tuple[str, str]) -> None:
    elsewhere = _elsewhere(tmp_path_factory)
    (chdir_tmp / ".git").mkdir()
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    (chdir_tmp / "reports").symlink_to(elsewhere)  # committed: a symlink to a folder outside the repository
    code, _, err = invoke("--format", "json", *option, "closeapp.yaml")
    assert code == 2 and "leads outside the repository through a symlink" in err, err
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


def test_reports_make_their_folders(chdir_tmp: Path) -> None:
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    code, _, err = invoke("--output", "out/a/r.json", "--format", "json", "--output-format", "sarif=out/b/r.sarif", "closeapp.yaml")
    assert code == 0, err
    assert (chdir_tmp / "out" / "a" / "r.json").is_file() and (chdir_tmp / "out" / "b" / "r.sarif").is_file()


def test_fix_never_edits_through_a_symlinked_folder(chdir_tmp: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = _elsewhere(tmp_path_factory)
    (elsewhere / "closeapp.yaml").write_text(VALID.replace("https://app", "http://app"))
    (chdir_tmp / ".git").mkdir()
    (chdir_tmp / "apps").symlink_to(elsewhere)
    code, out, _ = invoke("--fix", "apps/closeapp.yaml")
    assert code == 1 and "leads outside the repository through a symlink" in out
    assert "http://app" in (elsewhere / "closeapp.yaml").read_text()


def test_a_file_swapped_for_a_symlink_after_discovery_is_not_read(
    chdir_tmp: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from closeapp_lint.load import files

    secret = tmp_path_factory.mktemp("home") / ".git-credentials"
    secret.write_text(f"https://user:{TOKEN}@github.com\n")
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    found = list(files.discover(["."]))
    assert found == ["closeapp.yaml"]
    (chdir_tmp / "closeapp.yaml").unlink()
    (chdir_tmp / "closeapp.yaml").symlink_to(secret)  # swapped between the walk and the read
    read = files.read(found[0], 1 << 20)
    assert not isinstance(read, bytes) and read.code == "CA005" and "leads outside the repository" in read.message


def test_a_file_named_outside_the_repository_is_still_linted(chdir_tmp: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = _elsewhere(tmp_path_factory)
    (elsewhere / "closeapp.yaml").write_text(VALID.replace("https://app", "http://app"))
    code, out, _ = invoke("--format", "concise", str(elsewhere / "closeapp.yaml"))
    assert code == 1 and "CA201" in out  # asked for by its own path: not through a symlink


@pytest.mark.skipif(os.name == "nt", reason="file names with newlines and escapes")
@pytest.mark.parametrize("fmt", ["text", "concise", "markdown", "github"])
def test_no_raw_control_characters_in_human_output(chdir_tmp: Path, fmt: str) -> None:
    name = "evil\n::error file=x::forged\x1b]8;;x\x07.closeapp.yaml"
    (chdir_tmp / name).write_text(VALID.replace("name: Tidewater Deal Desk", 'name: "Tide\\e[2Jwater \\u202eDeal"') + "x-\x7f: 1\n".replace("\x7f", "del"))
    code, out, _ = invoke("--format", fmt, "--checklist", ".")
    assert code == 1
    for bad in ("\x1b", "\x07", "\u202e", "\x7f"):
        assert bad not in out, (bad, out)
    forged = "::error file=x::forged" if fmt == "github" else "::error"  # github's own lines are annotations
    assert not any(line.startswith(forged) for line in out.splitlines())
    assert "\\x0a::error" in out or fmt in ("markdown", "github")
