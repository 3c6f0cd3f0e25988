"""The hook through the real pre-commit framework: this checkout as a hook repository,
installed once by ``pre-commit`` and run the way a user's repository runs it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from closeapp_lint.load.files import is_base_name, is_manifest_name, is_record_name

from .conftest import ROOT, VALID

pytestmark = pytest.mark.slow
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("closeapp.yaml", True),
        ("closeapp.yml", True),
        ("apps/billing/closeapp.yaml", True),
        ("tidewater.closeapp.yaml", True),
        ("a/b/dev.closeapp.yml", True),
        ("other.yaml", False),
        ("my-closeapp.yaml", False),
        ("closeapp.yaml.bak", False),
        ("closeapp.json", False),
        ("closeappXyaml", False),
        ("docs/closeapp.yaml/readme.md", False),
        ("closeapp.applied.json", True),  # the applied record beside a manifest (SPEC §10)
        ("apps/prod/billing.closeapp.applied.json", True),
        ("applied.json", False),
        ("closeapp.applied.json.bak", False),
        ("shared.closeapp-base.yaml", True),  # a base that manifests extend (SPEC §11)
        ("apps/closeapp-base.yml", True),
        ("closeapp-base.yaml.bak", False),
        ("my-closeapp-base.yaml", False),
    ],
)
def test_files_pattern_matches_exactly_the_names_closeapp_lint_reads(path: str, expected: bool) -> None:
    (hook,) = HOOKS
    assert bool(re.search(hook["files"], path)) is expected
    name = path.rsplit("/", 1)[-1]
    assert (is_manifest_name(name) or is_record_name(name) or is_base_name(name)) is expected


def test_hook_definition() -> None:
    (hook,) = HOOKS
    assert hook["id"] == "closeapp-lint" and hook["language"] == "python"
    assert hook["entry"] == "closeapp-lint check --force-exclude" and hook["require_serial"] is False
    assert "args" not in hook  # a user's args replace the hook's: nothing the hook needs may live there


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as it is on disk (uncommitted changes included, as ``try-repo``
    would take it), committed once into a scratch repository: every run below uses that
    repository at that revision, so the framework installs the hook once, not per test."""
    git = shutil.which("git")
    assert git, "git is needed to run pre-commit"
    repo = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run([git, "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in listed.stdout.splitlines():
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    env = dict(os.environ, **IDENTITY)
    subprocess.run([git, "init", "-q", str(repo)], check=True)
    subprocess.run([git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([git, "commit", "-q", "-m", "snapshot"], cwd=repo, check=True, env=env)
    rev = subprocess.run([git, "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()
    return repo, rev


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t.invalid"}


@pytest.fixture
def project(tmp_path: Path, hook_repo: tuple[Path, str]) -> Path:
    git = shutil.which("git")
    assert git, "git is needed to run pre-commit"
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "closeapp.yaml").write_text(VALID)
    (tmp_path / "bad.closeapp.yaml").write_text(VALID.replace("https://app", "http://app") + "colour: blue\n")
    (tmp_path / "other.yaml").write_text("not: [a, manifest\n")  # would be CA001 if it were linted
    repo, rev = hook_repo
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": "closeapp-lint"}]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run([git, "add", "."], cwd=tmp_path, check=True)
    return tmp_path


def try_repo(project: Path, home: Path, *args: str, color: str = "never") -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` of our hook, the way a user's repository runs it."""
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), **IDENTITY)
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    command = [sys.executable, "-m", "pre_commit", "run", "closeapp-lint", "--color", color, *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)


def test_bad_manifest_fails_with_codes(project: Path, pre_commit_home: Path) -> None:
    done = try_repo(project, pre_commit_home, "--files", "bad.closeapp.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad.closeapp.yaml:4:15: CA201 [*] [error]" in done.stdout
    assert "bad.closeapp.yaml:5:1: CA102 [error]" in done.stdout
    assert "\x1b[" not in done.stdout.split("- exit code: 1", 1)[1]  # our output carries no colour


def test_good_manifest_passes(project: Path, pre_commit_home: Path) -> None:
    done = try_repo(project, pre_commit_home, "--files", "apps/closeapp.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_all_files_leaves_other_yaml_alone(project: Path, pre_commit_home: Path) -> None:
    done = try_repo(project, pre_commit_home, "--all-files", "--verbose")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad.closeapp.yaml" in done.stdout
    assert "other.yaml" not in done.stdout
    assert "Found 2 errors, 0 warnings, 0 info in 2 files." in done.stdout  # apps/closeapp.yaml + bad.closeapp.yaml


def test_colour_when_pre_commit_asks_for_it(project: Path, pre_commit_home: Path) -> None:
    done = try_repo(project, pre_commit_home, "--files", "bad.closeapp.yaml", color="always")
    assert done.returncode == 1
    assert "\x1b[31mCA201" in done.stdout


def test_project_exclude_is_honoured_for_the_files_pre_commit_names(project: Path, pre_commit_home: Path) -> None:
    (project / "vendor").mkdir()
    (project / "vendor" / "closeapp.yaml").write_text("name: [\n")  # CA001 if it were linted
    (project / "pyproject.toml").write_text('[tool.closeapp-lint]\nexclude = ["vendor"]\n')
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    done = try_repo(project, pre_commit_home, "--files", "vendor/closeapp.yaml", "apps/closeapp.yaml", "--verbose")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vendor/closeapp.yaml" not in done.stdout and "1 file checked" in done.stdout


def test_user_args_keep_the_project_exclude(project: Path, pre_commit_home: Path, hook_repo: tuple[Path, str]) -> None:
    """The README's own example, args: [--strict], with an excluded file: still skipped."""
    (project / "vendor").mkdir()
    (project / "vendor" / "closeapp.yaml").write_text("name: [\n")  # CA001 if it were linted
    (project / "pyproject.toml").write_text('[tool.closeapp-lint]\nexclude = ["vendor"]\n')
    repo, rev = hook_repo
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": "closeapp-lint", "args": ["--strict"]}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    done = try_repo(project, pre_commit_home, "--files", "vendor/closeapp.yaml", "apps/closeapp.yaml", "--verbose")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "vendor/closeapp.yaml" not in done.stdout and "1 file checked" in done.stdout
    (project / "apps" / "closeapp.yaml").write_text(VALID + "scopes: [all.full_access]\n")  # a warning: --strict fails it
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    strict = try_repo(project, pre_commit_home, "--files", "vendor/closeapp.yaml", "apps/closeapp.yaml")
    assert strict.returncode == 1 and "CA402" in strict.stdout and "vendor/closeapp.yaml" not in strict.stdout


def test_a_staged_base_and_a_staged_manifest_with_its_unstaged_sibling(project: Path, pre_commit_home: Path) -> None:
    """SPEC §11 through the real framework: a base is linted through the manifests that
    extend it, and one staged manifest is still compared with the others of the repository."""
    base = VALID.replace("redirect_url: https://app.tidewater.dev/oauth/close/callback\n", "").replace("description: ", "description: One. Two. Three. ")
    (project / "envs").mkdir()
    (project / "envs" / "shared.closeapp-base.yaml").write_text(base)
    (project / "envs" / "staging.closeapp.yaml").write_text(
        "extends: shared.closeapp-base.yaml\nredirect_url: https://staging.tidewater.dev/cb\nclient_id: oa2client_St4g1ngQx7Lm2Np9Rs3TvW\n"
    )
    (project / "envs" / "production.closeapp.yaml").write_text(
        "extends: shared.closeapp-base.yaml\nredirect_url: https://app.tidewater.dev/cb\nclient_id: oa2client_St4g1ngQx7Lm2Np9Rs3TvW\n"
    )
    done = try_repo(project, pre_commit_home, "--files", "envs/shared.closeapp-base.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "envs/shared.closeapp-base.yaml:3:14: CA211 [error]" in done.stdout
    done = try_repo(project, pre_commit_home, "--files", "envs/staging.closeapp.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "envs/staging.closeapp.yaml:3:12: CA421 [error] client_id is shared by envs/production.closeapp.yaml and envs/staging.closeapp.yaml" in done.stdout


@pytest.mark.parametrize(
    ("defect", "where", "staged"),
    [
        ("credential-in-comment", "mid.closeapp-base.yaml", "mid.closeapp-base.yaml"),
        ("credential-in-text", "root.closeapp-base.yaml", "root.closeapp-base.yaml"),
        ("http-redirect", "root.closeapp-base.yaml", "root.closeapp-base.yaml"),
        ("removed-required", "root.closeapp-base.yaml", "root.closeapp-base.yaml"),
        ("bidi-control", "mid.closeapp-base.yaml", "mid.closeapp-base.yaml"),
        ("suppressed-error", "mid.closeapp-base.yaml", "mid.closeapp-base.yaml"),
    ],
)
def test_a_commit_that_stages_only_a_base_is_judged_through_its_apps(
    project: Path, pre_commit_home: Path, defect: str, where: str, staged: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC §11.1 through the real framework: the hook, given only the staged base, judges
    every app whose chain holds it — what the base's change removed included — and fails
    exactly when ``check`` of the manifest fails, never printing the credential."""
    from .test_app_unit import DEFECTS, SECRET, _files, _run

    files = _files(DEFECTS[defect], where)
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "add", *files], cwd=project, check=True)
    done = try_repo(project, pre_commit_home, "--files", staged)
    monkeypatch.chdir(project)
    expected, _ = _run("check", "production.closeapp.yaml")
    assert (done.returncode, expected) == ((0, 0) if defect == "suppressed-error" else (1, 1)), done.stdout + done.stderr
    assert SECRET not in done.stdout + done.stderr
    if defect != "suppressed-error":
        assert "production.closeapp.yaml" in done.stdout or where in done.stdout, done.stdout
