"""A release as users get it: the sdist and the wheel built, their metadata checked by
twine, the wheel installed into a fresh venv (dependencies from the package index, as
pip does for users) and run from outside the checkout on the shipped examples; the
release workflow publishes with trusted publishing, and the version lives in one place."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from closeapp_lint import __version__
from closeapp_lint.commands.cli import main

from .conftest import EXAMPLES, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def invoke(*args: str) -> Any:
    from click.testing import CliRunner

    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "closeapp-lint"  # a copy: the build must not litter the checkout
    shutil.copytree(
        ROOT, source, ignore=shutil.ignore_patterns(".venv*", ".git", "__pycache__", ".*_cache", "fuzz", "*.egg-info", "build", "dist", "editors")
    )  # editors: its own build (npm)
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.mark.slow
def test_wheel_and_sdist_build_and_pass_twine(dist: Path) -> None:
    wheel, sdist = next(dist.glob("*.whl")), next(dist.glob("*.tar.gz"))
    assert wheel.name == f"closeapp_lint-{__version__}-py3-none-any.whl" and sdist.name == f"closeapp_lint-{__version__}.tar.gz"
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
        metadata = whl.read(f"closeapp_lint-{__version__}.dist-info/METADATA").decode()
    assert "closeapp_lint/closeapp.schema.json" in names and "closeapp_lint/rules/urls.py" in names
    assert not any(name.startswith(("tests/", "benchmarks/")) for name in names)
    assert f"Version: {__version__}" in metadata and "Project-URL: Repository, https://" in metadata
    with tarfile.open(sdist) as tar:
        inside = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {"CHANGELOG.md", "README.md", "action.yml", "docs/rules.md", "schemas/closeapp.schema.json", "pyproject.toml"} <= inside


@pytest.mark.slow
def test_the_wheel_lints_the_examples_from_a_fresh_venv(dist: Path, tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    bindir = tmp_path / "venv" / "bin"
    wheel = next(dist.glob("*.whl"))
    done = subprocess.run(
        [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    elsewhere = tmp_path / "elsewhere"  # not the checkout: only the wheel can answer
    elsewhere.mkdir()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bindir / "closeapp-lint"), *args], cwd=elsewhere, capture_output=True, text=True, check=False)

    linted = cli(str(tmp_path / "examples"))
    assert linted.returncode == 1, linted.stderr
    assert "public.closeapp.yaml: ready to publish" in linted.stdout and "Found " in linted.stdout
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import closeapp_lint; print(closeapp_lint.__file__)"], cwd=elsewhere, capture_output=True, text=True, check=True
    )
    assert str(tmp_path / "venv") in where.stdout
    assert cli("schema").stdout == (ROOT / "schemas" / "closeapp.schema.json").read_text(encoding="utf-8")
    assert cli("rules", "--format", "markdown").stdout == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")  # every rule's docs
    assert cli("--version").stdout.strip().endswith(__version__)
    sarif = cli("check", "--format", "sarif", str(tmp_path / "examples" / "failing" / "CA201.closeapp.yaml"))
    rule = json.loads(sarif.stdout)["runs"][0]["tool"]["driver"]["rules"][0]
    assert rule["helpUri"].endswith(f"/blob/v{__version__}/docs/rules.md#ca201-redirect-not-https")


def test_rules_page_is_current_and_every_help_uri_anchor_exists() -> None:
    from closeapp_lint.core.rule_urls import anchor, rule_url
    from closeapp_lint.rules.registry import all_rules

    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert invoke("rules", "--format", "markdown").stdout == page, "run: closeapp-lint rules --format markdown > docs/rules.md"
    anchors = {anchor(line.lstrip("#")) for line in page.splitlines() if line.startswith("## ")}
    for rule in all_rules():
        url = rule_url(rule.code, rule.slug, __version__)
        assert url is not None and url.split("#", 1)[1] in anchors


def test_one_place_for_the_version_and_the_address() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and 'path = "closeapp_lint/__init__.py"' in pyproject
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    version = re.compile(rf"(?<![\d.]){re.escape(__version__)}(?![\d.])")  # the version, not a part of an address such as 192.0.2.0
    spelled = [p for p in tracked if p.endswith((".py", ".toml", ".yml", ".yaml")) and version.search((ROOT / p).read_text(encoding="utf-8", errors="replace"))]
    assert spelled == ["closeapp_lint/__init__.py"], spelled
    code = [p for p in tracked if p.startswith("closeapp_lint/") and "github.com" in (ROOT / p).read_text(encoding="utf-8")]
    assert code == [], "the package reads its address from [project.urls]"


def _workflow(name: str) -> Any:
    return yaml.load((WORKFLOWS / name).read_text(), Loader=yaml.BaseLoader)  # BaseLoader: `on` stays a string key


def test_release_workflow_uses_trusted_publishing() -> None:
    flow = _workflow("release.yml")
    assert flow["on"]["push"]["tags"] == ["v[0-9]+.[0-9]+.[0-9]+"]
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    publish = jobs["publish"]
    assert publish["permissions"] == {"id-token": "write"} and publish["needs"] == "build"
    assert any(step.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for step in publish["steps"])
    text = (WORKFLOWS / "release.yml").read_text()
    assert "password:" not in text and "PYPI" not in text.upper().replace("PYPA/GH-ACTION-PYPI-PUBLISH", "")  # no stored token
    build = " ".join(step.get("run", "") for step in jobs["build"]["steps"])
    assert "python -m build" in build and "twine check --strict" in build and ".ci/run" in build
    for step in [s for job in jobs.values() for s in job["steps"] if "run" in s]:
        assert subprocess.run(["bash", "-n", "-c", step["run"]], check=False).returncode == 0, step["run"]


def test_changelog_follows_keep_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n") and "## [Unreleased]" in text
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, re.MULTILINE)
    assert versions[0] == __version__  # the newest release is the version in closeapp_lint/__init__.py
    for version in ["Unreleased", *versions]:
        assert re.search(rf"^\[{re.escape(version)}\]: https://", text, re.MULTILINE), f"link for {version}"
    sections = set(re.findall(r"^### (\w+)$", text, re.MULTILINE))
    assert sections <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


@pytest.mark.slow
def test_pip_installs_from_git_at_a_revision(tmp_path: Path) -> None:
    """The README's "pip, from git" line, with this repository as the remote and HEAD as
    the revision (the line names a tag on GitHub; pip treats both alike)."""
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    if not head:
        pytest.fail("the checkout has no git history: pip-from-git cannot be tested")
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
    pip = [str(tmp_path / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run([*pip, f"closeapp-lint @ git+file://localhost{ROOT.as_posix()}@{head}"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    linted = subprocess.run(
        [str(tmp_path / "venv" / "bin" / "closeapp-lint"), str(EXAMPLES / "public.closeapp.yaml")], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert linted.returncode == 0 and "ready to publish" in linted.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pip install "closeapp-lint @ git+https://github.com/closeapp-lint/closeapp-lint@v' in readme


def test_the_vscode_extension_has_the_package_version() -> None:
    extension = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
    assert extension["version"] == __version__
    flow = (WORKFLOWS / "release.yml").read_text()
    assert "npm run package" in flow and ".vsix" in flow  # the release builds and attaches it
