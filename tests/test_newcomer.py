"""The publish loop as a newcomer walks it (init → lint → fix → plan → applied → change →
plan → publish-request): each friction a first run met, pinned."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from closeapp_lint import __version__
from closeapp_lint.commands.cli import main

from .conftest import EXAMPLES, ROOT
from .test_applied import CLIENT, PUBLIC, record_of


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


# 1 -------------------------------------------------------------------------------------------


def test_init_makes_the_folders_and_names_the_path_it_wrote(repo: Path) -> None:
    code, out, err = cli("init", "apps/prod/my app.closeapp.yaml")
    assert code == 0, err
    written = (repo / "apps" / "prod" / "my app.closeapp.yaml").read_text()
    assert "closeapp-lint checklist 'apps/prod/my app.closeapp.yaml'" in written  # the path it was written to, shell-quoted
    assert "closeapp-lint checklist 'apps/prod/my app.closeapp.yaml'" in out


def test_init_never_makes_a_folder_through_a_symlink(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (repo / "apps").symlink_to(outside, target_is_directory=True)
    code, _, err = cli("init", "apps/prod/closeapp.yaml")
    assert code == 2 and "symlink" in err and not list(outside.iterdir())


# 2, 3, 4 -------------------------------------------------------------------------------------


def _app(repo: Path, manifest: str, record: str | None) -> None:
    (repo / "apps").mkdir(exist_ok=True)
    (repo / "apps" / "closeapp.yaml").write_text(manifest)
    if record is not None:
        (repo / "apps" / "closeapp.applied.json").write_text(record)


def test_the_text_plan_shows_the_words_of_a_description_that_changed(repo: Path) -> None:
    recorded = "Turns signed Close opportunities into Tidewater invoices, e.g. for U.S. and EU customers. Payment status shows on the lead."
    wanted = "Turns signed Close opportunities into Tidewater invoices, e.g. for U.S. and EU customers. Payment status and the due date show on the lead."
    text = PUBLIC.replace("customers. Payment status shows on the lead.", "customers. Payment status and the due date show on the lead.")
    assert yaml.safe_load(text)["description"] == wanted
    _app(repo, text, record_of(description=recorded))
    _, out, _ = cli("plan", "apps")
    line = next(line for line in out.splitlines() if "App Description" in line)
    assert "[-shows-]" in line and "{+and the due date show+}" in line and "…" not in line, line


def test_to_create_lists_every_value_in_full(repo: Path) -> None:
    long = (
        "Turns signed Close opportunities into Tidewater invoices for every customer, e.g. in the U.S., the EU and the UK, with each payment shown on the lead."
    )
    text = re.sub(r"(?m)^description: .*(?:\n  .*)*$", f"description: {long}", PUBLIC)
    _app(repo, text.replace(f"client_id: {CLIENT}\n", ""), None)
    _, out, _ = cli("plan", "apps")
    assert long in out and "…" not in out, out


def test_only_the_listing_pending_points_at_applied_listing_requested(repo: Path) -> None:
    _app(repo, PUBLIC, record_of(listing_requested=False))
    _, out, _ = cli("plan", "apps")
    assert "closeapp-lint applied --listing-requested apps/closeapp.yaml" in out, out
    assert "closeapp-lint applied apps/closeapp.yaml" not in out


def test_client_ids_are_shown_whole(repo: Path) -> None:
    other = CLIENT[:-1] + "X"  # differs in the last character only
    _app(repo, PUBLIC, record_of(client_id=other))
    _, out, _ = cli("plan", "apps")
    assert f"the record is of another app ({other})" in out and f"({CLIENT})" in out, out


# 5 -------------------------------------------------------------------------------------------


def test_applied_without_a_terminal_says_what_it_would_write(repo: Path) -> None:
    _app(repo, PUBLIC, None)
    code, out, err = cli("applied", "--import", "apps")
    assert code == 1 and "Writing" not in out and "To record in apps/closeapp.applied.json" in out, (out, err)
    assert "not recorded: not a terminal" in err and not (repo / "apps" / "closeapp.applied.json").exists()
    _, help_text, _ = cli("applied", "--help")
    assert "1: not recorded" in " ".join(help_text.split())


def test_applied_warns_on_an_uncommitted_base(repo: Path) -> None:
    (repo / ".git").rmdir()

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True, capture_output=True)

    base = PUBLIC.replace("visibility: public\n", "").replace(f"client_id: {CLIENT}\n", "")
    (repo / "shared.closeapp-base.yaml").write_text(base)
    (repo / "closeapp.yaml").write_text(f"extends: shared.closeapp-base.yaml\nvisibility: public\nclient_id: {CLIENT}\n")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "apps")
    (repo / "shared.closeapp-base.yaml").write_text(base.replace("Tidewater Deal Desk", "Tidewater Desk Max"))
    code, _, err = cli("applied", "--yes", "--import", "closeapp.yaml")
    assert code == 0, err
    assert "warning: shared.closeapp-base.yaml, a base closeapp.yaml inherits from, has uncommitted changes" in err


# 6 -------------------------------------------------------------------------------------------


def test_a_checklist_item_decided_by_two_codes_gives_each_message_whole(repo: Path) -> None:
    text = PUBLIC.replace("redirect_url:", "redirect_uri: https://app.tidewater.dev/cb\nredirect_url:") + "colour: blue\n"
    _app(repo, text, None)
    (repo / "apps" / "twin.closeapp.yaml").write_text(PUBLIC)  # the same client_id: CA421, which decides no item
    _, out, _ = cli("checklist", "apps/closeapp.yaml")
    schema = next(line for line in out.splitlines() if " schema " in line)
    assert "CA421" not in schema and schema.count("CA102") == 2, schema
    assert "did you mean 'redirect_url'?" in schema and "client_id is shared" not in schema, schema


# 7 -------------------------------------------------------------------------------------------


def test_fix_and_the_fixable_count_agree_when_a_key_is_duplicated(repo: Path) -> None:
    text = PUBLIC.replace("https://app.tidewater.dev", "http://app.tidewater.dev") + "name: Tidewater Again\n"
    _app(repo, text, None)
    _, out, _ = cli("check", "apps")
    assert "fixable" not in out, out  # nothing is offered that --fix will not do
    _, out, err = cli("check", "--fix", "apps")
    assert "fixed 0 findings" in err and "not fixed: CA002 at line" in err and "fixable" not in out, err


# 8 -------------------------------------------------------------------------------------------


def test_shapes_of_errors(repo: Path) -> None:
    _app(repo, PUBLIC, None)
    code, _, err = cli("publish-request", "apps")
    assert code == 2 and err.startswith("closeapp-lint: error: apps: is a folder"), err
    code, _, err = cli("resolve", "nope")
    assert (code, err) == (2, "closeapp-lint: error: nope: no such file or directory\n")
    code, _, err = cli("--bogus")
    assert code == 2 and "Did you mean" not in err, err
    code, _, err = cli("--jobz", "2")
    assert code == 2 and "Did you mean '--jobs'?" in err, err
    code, out, _ = cli("check", "-q", "apps")
    assert not out.endswith("\n\n")


def test_ca412_says_what_it_found(repo: Path) -> None:
    _app(repo, PUBLIC.replace(CLIENT, "oa2client_abc"), None)
    _, out, _ = cli("check", "--format", "concise", "apps")
    assert "this one has 3 characters after oa2client_" in out, out


def test_suggested_commands_are_shell_quoted(repo: Path) -> None:
    folder = repo / "my apps" / "Ünïcødé 日本"
    folder.mkdir(parents=True)
    (folder / "prod app.closeapp.yaml").write_text(PUBLIC)
    _, out, _ = cli("plan", str(folder.relative_to(repo)))
    assert "applied --import 'my apps/Ünïcødé 日本/prod app.closeapp.yaml'" in out, out


# 9, 10 -----------------------------------------------------------------------------------------


def test_the_mailto_draft_carries_the_contact_address(repo: Path) -> None:
    (repo / "closeapp.yaml").write_text((EXAMPLES / "public.closeapp.yaml").read_text())
    code, out, err = cli("publish-request", "closeapp.yaml", "--format", "mailto")  # the README's command, as written
    assert code == 0, err
    contact = yaml.safe_load((repo / "closeapp.yaml").read_text())["listing"]["contact_email"]
    assert f"cc={contact.replace('@', '%40')}" in out and "Please%20reply%20to%20" in out, out


def test_the_readme_names_what_each_mail_client_does_with_the_draft() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "so mail clients open it to edit and send" not in readme  # it was more than was verified
    assert "Outlook opens such a file as a new message" in readme and "Thunderbird and Apple Mail open an `.eml` as a received message" in readme
    assert "closeapp-lint publish-request closeapp.yaml --format mailto" in readme


# 11 --------------------------------------------------------------------------------------------


def test_every_pin_the_readme_gives_is_this_release() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pins = set(re.findall(r"@v(\d+\.\d+\.\d+)|rev: v(\d+\.\d+\.\d+)|closeapp-lint==(\d+\.\d+\.\d+)", readme))
    found = {v for group in pins for v in group if v}
    assert found == {__version__}, found
    for fmt in ("text", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown"):
        assert f"`{fmt}`" in readme.split("## Usage", 1)[1].split("### Severities", 1)[0], fmt


def test_the_release_workflow_checks_pass_for_this_version() -> None:
    """A dry run of the release workflow's own checks, as the tag v{__version__} would run
    them: the tag names the version, the changelog has its section."""
    flow = yaml.load((ROOT / ".github" / "workflows" / "release.yml").read_text(), Loader=yaml.BaseLoader)
    steps = {step.get("name", ""): step.get("run", "") for step in flow["jobs"]["build"]["steps"]}
    for name in ("The tag names the version in closeapp_lint/__init__.py", "The changelog has a section for this version"):
        env = {"GITHUB_REF_NAME": f"v{__version__}", "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}  # python as the workflow's setup-python gives it
        done = subprocess.run(["bash", "-e", "-c", steps[name]], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, (name, done.stdout, done.stderr)
