"""The applied record, ``plan`` and ``applied`` (SPEC §10): records checked at their line
(CA602), orphans (CA603), credentials and bidi controls in records, the plan as golden
files in three formats, ``applied`` from the first record to nothing pending, its
refusals and warnings, the opt-in drift rule (CA601) and the record's JSON Schema."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.judge import applied

from .conftest import EXAMPLES, ROOT, VALID, assert_golden

PUBLIC = (EXAMPLES / "public.closeapp.yaml").read_text(encoding="utf-8")
CLIENT = "oa2client_0123456789abcdefABCDEF"


def cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def record_of(**values: Any) -> str:
    base: dict[str, Any] = {
        "client_id": CLIENT,
        "description": "Turns signed Close opportunities into Tidewater invoices, e.g. for U.S. and EU customers. Payment status shows on the lead.",
        "format": 1,
        "listing_requested": True,
        "manifest": "closeapp.yaml",
        "name": "Tidewater Deal Desk",
        "privacy_policy_url": "https://tidewater.dev/legal/privacy",
        "redirect_url": "https://app.tidewater.dev/oauth/close/callback",
        "status": "public",
        "terms_of_service_url": "https://tidewater.dev/legal/terms",
    }
    base.update(values)
    return applied.dumps({k: v for k, v in base.items() if v is not ...})


def lint_record(text: str, *, name: str = "closeapp.applied.json", beside: frozenset[str] = frozenset({"closeapp.yaml"})) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.span.line, f.span.column, f.message) for f in applied.lint(text.encode(), name, beside=beside)]


# --- the record ----------------------------------------------------------------------------


def test_a_record_written_by_applied_is_valid() -> None:
    assert lint_record(record_of()) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (record_of(listing_requested="no"), ("CA602", 5, 3, "listing_requested must be true or false, got a string")),
        (record_of(status="live"), ("CA602", 10, 3, 'status must be one of private, review_requested, public, got "live"')),
        (record_of(format=2), ("CA602", 4, 3, "format must be 1, got 2")),
        (record_of(name=7), ("CA602", 7, 3, "name must be a string (or null), got a number")),
        (record_of(colour="red"), ("CA602", 3, 3, "unknown key 'colour' in the record (allowed: " + ", ".join(applied.KEYS) + ")")),
        (
            record_of(manifest="other.yaml"),
            ("CA602", 6, 3, "manifest is 'other.yaml', but this record belongs beside closeapp.yaml (or closeapp.yml); rename the record with its manifest"),
        ),
        (record_of(manifest=...), ("CA602", 1, 1, "the record has no 'manifest'; let closeapp-lint applied write it")),
        (
            '{\n  "format": 1,\n  "manifest": "closeapp.yaml",\n}\n',
            ("CA602", 4, 1, "the record is not valid JSON: Expected double quote; let closeapp-lint applied write it"),
        ),
        ('{"format": 1, "format": 1, "manifest": "closeapp.yaml"}', ("CA602", 1, 2, "key 'format' is written twice; keep one")),
        ("[1, 2]", ("CA602", 1, 1, "the record must be a JSON object of the applied values")),
        (
            '{"format": 1, "manifest": "closeapp.yaml", "name": ' + "9" * 5000 + "}",
            ("CA602", 1, 1, "the record is not valid JSON: a number too long; let closeapp-lint applied write it"),
        ),
    ],
)
def test_a_broken_record_is_ca602_at_its_line(text: str, expected: tuple[str, int, int, str]) -> None:
    [found] = lint_record(text)
    if expected[3].startswith("the record is not valid JSON: Expected"):  # the parser's own words
        assert found[:3] == expected[:3] and found[3].startswith("the record is not valid JSON: ")
    else:
        assert found == expected


def test_two_manifests_cannot_share_one_record() -> None:
    found = lint_record(record_of(), beside=frozenset({"closeapp.yaml", "closeapp.yml"}))
    assert found == [("CA602", 1, 1, "closeapp.yaml and closeapp.yml would share this record; keep one manifest per app")]


def test_a_record_whose_manifest_is_gone_is_an_orphan() -> None:
    found = lint_record(record_of(manifest="billing.closeapp.yaml"), name="apps/billing.closeapp.applied.json", beside=frozenset())
    assert [f[:3] for f in found] == [("CA603", 1, 1)]
    assert "no billing.closeapp.yaml (or billing.closeapp.yml) beside this record" in found[0][3]


def test_credentials_and_bidi_controls_in_a_record_are_found() -> None:
    text = record_of(name="Tidewater \u202edesk", description="token ghp_" + "a" * 36)
    codes = [f[0] for f in lint_record(text)]
    assert codes.count("CA411") == 1 and codes.count("CA008") == 1
    assert "a" * 36 not in "".join(f[3] for f in lint_record(text))  # never the secret itself


def test_the_record_schema_agrees(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schemas" / "closeapp.applied.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    assert validator.is_valid(json.loads(record_of()))
    for bad in (record_of(listing_requested="no"), record_of(status="live"), record_of(format=2), record_of(colour="red"), record_of(manifest=...)):
        assert not validator.is_valid(json.loads(bad)) and lint_record(bad)


# --- plan ----------------------------------------------------------------------------------


@pytest.fixture
def apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five apps, one of each kind: prod (a changed name and description), dev (no record,
    no client_id), stage (recorded as it is), new (a client_id, no record), other (the
    record names another app)."""
    monkeypatch.chdir(tmp_path)
    # Five kinds of one app side by side, not one app per environment: CA42x stays out.
    (tmp_path / ".closeapp-lint.toml").write_text('ignore = ["CA42"]\n', encoding="utf-8")
    layout = {
        "prod": (
            PUBLIC.replace("name: Tidewater Deal Desk", "name: Tidewater Desk Pro").replace("signed Close", "won Close"),
            record_of(name="Tidewater Deal Desk"),
        ),
        "dev": (VALID, None),
        "stage": (PUBLIC, record_of()),
        "new": (PUBLIC, None),
        "other": (PUBLIC, record_of(client_id="oa2client_ZYXWVUTSRQPONMLKJIHGFEDC")),
    }
    for folder, (manifest, record) in layout.items():
        (tmp_path / "apps" / folder).mkdir(parents=True)
        (tmp_path / "apps" / folder / "closeapp.yaml").write_text(manifest, encoding="utf-8")
        if record is not None:
            (tmp_path / "apps" / folder / "closeapp.applied.json").write_text(record, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_plan_golden(apps: Path, fmt: str) -> None:
    code, out, err = cli("plan", "--format", fmt, "apps")
    assert code == 0, err
    assert_golden(f"plan.{fmt}", out)


def test_plan_kinds_and_exit_codes(apps: Path) -> None:
    code, out, _ = cli("plan", "--format", "json", "--exit-code", "apps")
    assert code == 1
    actions = {app["manifest"]: app["action"] for app in json.loads(out)["apps"]}
    assert actions == {
        "apps/dev/closeapp.yaml": "create",
        "apps/new/closeapp.yaml": "not-recorded",
        "apps/other/closeapp.yaml": "replace",
        "apps/prod/closeapp.yaml": "change",
        "apps/stage/closeapp.yaml": "unchanged",
    }
    assert cli("plan", "--exit-code", "apps/stage")[0] == 0
    text = cli("plan", "apps/other")[1]
    assert "Client ID" not in text.split("replace")[0] and "a different app in Close" in text  # never "change Client ID"
    assert "Close itself was not read." in text


def test_a_hand_edited_record_is_ca602_at_its_line_and_plan_exits_2(apps: Path) -> None:
    record = apps / "apps" / "stage" / "closeapp.applied.json"
    record.write_text(record.read_text().replace('"listing_requested": true', '"listing_requested": "yes"'))
    code, out, _ = cli("check", "--format", "concise", "apps/stage")
    assert code == 1 and "apps/stage/closeapp.applied.json:5:3: CA602 [error] listing_requested must be true or false, got a string" in out
    code, out, _ = cli("plan", "--exit-code", "apps")
    assert code == 2 and "broken: apps/stage/closeapp.applied.json:5:3: CA602" in out
    assert cli("plan", "apps")[0] == 2  # broken is never blurred, with or without --exit-code


# --- applied ---------------------------------------------------------------------------------


def test_applied_then_plan_shows_nothing_pending(apps: Path) -> None:
    code, out, err = cli("applied", "--yes", "apps/prod")
    assert code == 0, err
    assert "~ App Name" in out and "recorded apps/prod/closeapp.applied.json" in err
    assert cli("plan", "--exit-code", "apps/prod")[0] == 0
    written = (apps / "apps" / "prod" / "closeapp.applied.json").read_text()
    assert written == applied.dumps(json.loads(written))  # sorted keys, one per line
    assert lint_record(written) == []


def test_applied_asks_on_a_terminal_and_refuses_without_one(apps: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (apps / "apps" / "prod" / "closeapp.applied.json").read_text()
    code, _, err = cli("applied", "apps/prod")
    assert code == 1 and "not a terminal" in err
    assert (apps / "apps" / "prod" / "closeapp.applied.json").read_text() == before
    monkeypatch.setattr("closeapp_lint.commands.cli._confirm", lambda question: False)  # a person says no
    assert cli("applied", "apps/prod")[0] == 1
    monkeypatch.setattr("closeapp_lint.commands.cli._confirm", lambda question: True)
    assert cli("applied", "apps/prod")[0] == 0 and (apps / "apps" / "prod" / "closeapp.applied.json").read_text() != before


def test_applied_only_records_part(apps: Path) -> None:
    code, out, err = cli("applied", "--yes", "--only", "name", "apps/prod")
    assert code == 0, err
    assert "App Name" in out and "App Description" not in out
    remaining = json.loads(cli("plan", "--format", "json", "apps/prod")[1])["apps"][0]["changes"]
    assert [c["field"] for c in remaining] == ["description"]
    assert cli("applied", "--only", "nmae", "apps/prod")[2].startswith(
        "closeapp-lint: error: --only 'nmae': not a field closeapp-lint records; did you mean 'name'?"
    )


def test_applied_refusals(apps: Path) -> None:
    code, _, err = cli("applied", "--yes", "apps/dev")
    assert code == 1 and "no client_id" in err
    code, _, err = cli("applied", "--yes", "apps/other")
    assert code == 1 and "the record is of another app" in err
    assert cli("applied", "--yes", "--import", "apps/other")[0] == 0
    assert json.loads((apps / "apps" / "other" / "closeapp.applied.json").read_text())["client_id"] == CLIENT
    broken = apps / "apps" / "new" / "closeapp.yaml"
    broken.write_text(PUBLIC.replace("https://app.tidewater.dev", "http://localhost"))
    code, _, err = cli("applied", "--yes", "--import", "apps/new")
    assert code == 1 and "error-level finding" in err and "--force" in err
    assert cli("applied", "--yes", "--import", "--force", "apps/new")[0] == 0
    code, _, err = cli("applied", "--yes", "--review-requested", "apps/stage")
    assert code == 0  # public: the review can be requested
    (apps / "apps" / "stage" / "closeapp.yaml").write_text(PUBLIC.replace("visibility: public\n", ""))
    code, _, err = cli("applied", "--yes", "--review-requested", "--force", "apps/stage")
    assert code == 1 and "--review-requested: the manifest is private" in err


def test_review_and_listing_steps_are_recorded(apps: Path) -> None:
    record = apps / "apps" / "new" / "closeapp.applied.json"
    code, _, err = cli("applied", "--yes", "--import", "--review-requested", "apps/new")
    assert code == 0 and "the listing is still to request" in err
    assert json.loads(record.read_text())["status"] == "review_requested"
    assert cli("plan", "--format", "json", "apps/new")[1].count('"field": "listing_requested"') == 1
    assert cli("applied", "--yes", "--listing-requested", "apps/new")[0] == 0
    assert json.loads(record.read_text())["listing_requested"] is True
    assert json.loads(record.read_text())["status"] == "review_requested"  # still in review: another apply does not claim otherwise
    assert cli("plan", "--exit-code", "apps/new")[0] == 0  # a review in progress is nothing to do in Close
    assert cli("applied", "--yes", "--only", "status", "apps/new")[0] == 0  # Close made it public
    assert json.loads(record.read_text())["status"] == "public"


def test_applied_never_writes_through_a_symlink(apps: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "stolen.json"
    outside.write_text("{}")
    link = apps / "apps" / "new" / "closeapp.applied.json"
    link.symlink_to(outside)
    subprocess.run(["git", "init", "-q", str(apps)], check=True)  # the repository root is the boundary
    code, _, _ = cli("applied", "--yes", "--import", "apps/new")
    assert outside.read_text() == "{}"  # the file the link points at is untouched
    assert code in (1, 2)


def test_applied_warns_off_the_default_branch_and_on_uncommitted_manifests(apps: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=apps, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "apps")
    git("checkout", "-qb", "feature")
    (apps / "apps" / "prod" / "closeapp.yaml").write_text(PUBLIC.replace("Tidewater Deal Desk", "Tidewater Desk Max"))
    code, _, err = cli("applied", "--yes", "apps/prod")
    assert code == 0
    assert "warning: you are on branch feature, not main" in err
    assert "warning: apps/prod/closeapp.yaml has uncommitted changes" in err


# --- CA601 -----------------------------------------------------------------------------------


def test_drift_is_reported_only_when_selected(apps: Path) -> None:
    assert "CA601" not in cli("check", "--format", "concise", "apps/prod")[1]
    out = cli("check", "--format", "concise", "--extend-select", "CA601", "apps/prod")[1]
    assert 'apps/prod/closeapp.yaml:4:7: CA601 [info] App Name is "Tidewater Deal Desk" in closeapp.applied.json; change it in Close' in out
    assert cli("check", "--format", "concise", "--extend-select", "CA601", "apps/stage")[1].count("CA601") == 0


def test_a_manifest_without_a_record_costs_no_read(apps: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """By default (CA601 off) a lint never looks for the record."""
    from closeapp_lint.load import files

    looked: list[str] = []
    real = os.path.lexists

    def lexists(path: Any) -> bool:
        looked.append(str(path))
        return real(path)

    monkeypatch.setattr(os.path, "lexists", lexists)
    assert cli("check", "apps/dev")[0] == 0
    assert not [p for p in looked if p.endswith(files.RECORD_SUFFIX)]


# --- never a secret --------------------------------------------------------------------------

TOKEN = "ghp_" + "Q7" * 18


def test_a_credential_in_a_manifest_is_masked_in_every_plan_and_never_recorded(apps: Path) -> None:
    leaky = PUBLIC.replace("Payment status shows on the lead.", f"Payment status shows on the lead. Token {TOKEN}.")
    leaky = leaky.replace("https://tidewater.dev/legal/terms", f"https://ops:{TOKEN}@tidewater.dev/legal/terms")
    (apps / "apps" / "prod" / "closeapp.yaml").write_text(leaky)
    for fmt in ("text", "markdown", "json"):
        out = cli("plan", "--format", fmt, "apps")[1]
        assert TOKEN not in out and TOKEN[4:20] not in out, fmt
    before = (apps / "apps" / "prod" / "closeapp.applied.json").read_text()
    code, out, err = cli("applied", "--yes", "--force", "apps/prod")
    assert code == 1 and "holds a credential (CA411); it is never copied into the record" in err
    assert TOKEN not in out + err
    assert (apps / "apps" / "prod" / "closeapp.applied.json").read_text() == before


def test_a_record_message_never_quotes_a_credential() -> None:
    text = record_of(status=TOKEN, colour=TOKEN)
    found = lint_record(text)
    assert {f[0] for f in found} >= {"CA602", "CA411"}
    assert all(TOKEN[4:20] not in f[3] for f in found)


@pytest.mark.parametrize("kind", ["folder", "fifo", "huge", "deep", "outside"])
def test_a_hostile_record_is_a_broken_plan_never_a_traceback(apps: Path, kind: str, tmp_path_factory: pytest.TempPathFactory, watchdog: None) -> None:
    record = apps / "apps" / "stage" / "closeapp.applied.json"
    record.unlink()
    if kind == "folder":
        record.mkdir()
    elif kind == "fifo":
        os.mkfifo(record)
    elif kind == "huge":
        record.write_bytes(b" " * (2 * 1024 * 1024))  # over the 1 MiB default limit
    elif kind == "deep":
        record.write_text("[" * 100_000)
    else:
        outside = tmp_path_factory.mktemp("elsewhere") / "record.json"
        outside.write_text(record_of())
        record.symlink_to(outside)
        subprocess.run(["git", "init", "-q", str(apps)], check=True)
    code, out, err = cli("plan", "--exit-code", "apps/stage")
    assert code == 2 and "Traceback" not in out + err
    assert "apps/stage/closeapp.yaml" in out and "broken: apps/stage/closeapp.applied.json:" in out
