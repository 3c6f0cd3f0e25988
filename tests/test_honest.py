"""An honest checklist and hints that are right (SPEC §3.1, §5): placeholders of the
starter and generic names are CA212, a suppressed error keeps its item `fail` naming the
code (a suppressed warning: `warn`), quote hints only where the quoted value is valid, and did-you-mean never moves
a secret into a public field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.commands.starter import STARTER
from closeapp_lint.load.config import Config

from .conftest import PUBLIC, VALID, run

OWN = "https://app.tidewater.dev/oauth/close/callback"


def starter_with_urls_public() -> str:
    """The starter with only the URLs filled in, made public (what a hurried user does)."""
    return (
        STARTER.replace("https://app.example.com/oauth/close/callback", OWN)
        .replace("# terms_of_service_url: https://www.example.com/legal/terms", "terms_of_service_url: https://tidewater.dev/legal/terms")
        .replace("# privacy_policy_url: https://www.example.com/legal/privacy", "privacy_policy_url: https://tidewater.dev/legal/privacy")
        .replace("visibility: private", "visibility: public")
    )


def items(text: str, config: Config | None = None) -> dict[str, tuple[str, tuple[str, ...], str]]:
    report = run(text, config=config) if config else run(text)
    assert report.readiness is not None
    return {i.id: (i.status, i.codes, i.detail) for i in report.readiness.items}


def test_starter_with_only_urls_filled_in_is_not_ready() -> None:
    report = run(starter_with_urls_public())
    assert report.readiness is not None and report.readiness.ready is False
    got = {i.id: (i.status, i.codes) for i in report.readiness.items}
    assert got["name"] == ("fail", ("CA212",)) and got["description"] == ("fail", ("CA212",))
    # the URLs are the user's own now, but their lines still carry the REPLACE marker
    assert got["redirect_url"] == got["terms_of_service_url"] == got["privacy_policy_url"] == ("fail", ("CA212",))
    detail = next(i.detail for i in report.readiness.items if i.id == "redirect_url")
    assert detail == "redirect_url is marked REPLACE; put in your own value, then remove the REPLACE marker"


def test_starter_is_ready_once_every_placeholder_is_replaced() -> None:
    text = (
        starter_with_urls_public()
        .replace("name: Example Product for Close  # REPLACE", "name: Tidewater for Close")
        .replace(
            "  Describes what Example Product does with your Close data.\n  Replace this with one or two sentences of your own.\n",
            "  Turns won Close opportunities into Tidewater invoices.\n",
        )
    )
    assert "# REPLACE" in text  # the URL lines keep their markers until the user removes them
    report = run(re.sub(r" +# REPLACE", "", text))
    assert report.readiness is not None and report.readiness.ready, [f.message for f in report.findings]


def _with_line(base: str, line: str) -> str:
    """``base`` with the line of the key ``line`` sets replaced by ``line``."""
    key = line.split(":", 1)[0]
    return base.replace(next(x for x in VALID.splitlines() if x.startswith(key + ":")), line)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("name: Tidewater Sync  # REPLACE", "name is marked REPLACE; put in your own value, then remove the REPLACE marker"),
        ("name: Tidewater REPLACE_ME", "name is marked REPLACE; put in your own value, then remove the REPLACE marker"),
        ("name: Example Product for Close", "name holds placeholder text 'Example Product'; replace it with the real text"),
        ("name: Example App", "name 'Example App' is a generic placeholder name; use your product's name, e.g. \"Tidewater for Close\""),
        ("name: Test Integration", "name 'Test Integration' is a generic placeholder name; use your product's name, e.g. \"Tidewater for Close\""),
        ("name: My App", "name holds placeholder text 'My App'; replace it with the real text"),
        ("name: Sample Product", "name 'Sample Product' is a generic placeholder name; use your product's name, e.g. \"Tidewater for Close\""),
        ("name: Demo Sync for Close", "name 'Demo Sync for Close' is a generic placeholder name; use your product's name, e.g. \"Tidewater for Close\""),
        (
            "description: Replace this with one or two sentences of your own.",
            "description holds placeholder text 'Replace this'; replace it with the real text",
        ),
    ],
)
def test_placeholders(line: str, message: str) -> None:
    report = run(_with_line(PUBLIC, line))
    assert [(f.code, f.severity, f.message) for f in report.findings] == [("CA212", "error", message)]


@pytest.mark.parametrize("name", ["Tidewater for Close", "Example Analytics", "Test Kitchen Orders", "Replacements Desk", "Sample Tracker Pro"])
def test_names_that_are_not_placeholders(name: str) -> None:
    assert [f.code for f in run(VALID.replace("name: Tidewater Deal Desk", f"name: {name}")).findings] == []


# --- suppressions never turn an item into a pass ---------------------------------------------

LOCALHOST = PUBLIC.replace(OWN, "https://localhost:8443/cb")


@pytest.mark.parametrize(
    ("text", "config"),
    [
        (LOCALHOST.replace("https://localhost:8443/cb", "https://localhost:8443/cb  # closeapp-lint: disable=CA203"), None),
        (LOCALHOST.replace("https://localhost:8443/cb", "https://localhost:8443/cb # closeapp-lint: disable=CA203"), None),
        (LOCALHOST + "# closeapp-lint: disable-file=redirect-not-public\n", None),
        (LOCALHOST, Config(ignore=frozenset({"CA203"}))),
        (LOCALHOST, Config(per_file_ignores=(("closeapp.yaml", frozenset({"CA203"})),))),
        (LOCALHOST, Config(severity=(("CA203", "info"),))),
        (LOCALHOST, Config(severity=(("CA203", "warning"),))),
    ],
)
def test_a_suppressed_error_still_fails_its_item(text: str, config: Config | None) -> None:
    report = run(text, config=config) if config else run(text)
    assert [f.code for f in report.findings if f.severity == "error"] == []  # the exit code is what the suppression changes
    assert report.readiness is not None and not report.readiness.ready  # the verdict is not
    status, codes, detail = items(text, config)["redirect_url"]
    assert (status, codes) == ("fail", ("CA203",))
    shown_as_warning = config is not None and config.severity == (("CA203", "warning"),)  # reported, so not "suppressed"
    prefix = "" if shown_as_warning else "CA203 suppressed for the lint; Close's reviewers still see it: "
    assert detail.startswith(prefix + "redirect_url host localhost")
    assert "publicly reachable" not in detail


def test_a_suppressed_warning_makes_its_item_warn() -> None:
    text = PUBLIC.replace("legal/privacy", "legal/terms") + "# closeapp-lint: disable-file=CA305\n"
    status, codes, detail = items(text)["privacy_policy_url"]
    assert (status, codes) == ("warn", ("CA305",))
    assert detail.startswith("CA305 suppressed for the lint; Close's reviewers still see it: privacy_policy_url is the same page")
    readiness = run(text).readiness
    assert readiness is not None and readiness.ready


def test_suppressed_secret_never_reads_no_credentials() -> None:
    text = PUBLIC + "x-deploy:\n  client_secret: s3cr3t-Value-For-Close-0123  # closeapp-lint: disable=CA411\n"
    status, codes, detail = items(text)["secrets"]
    assert (status, codes) == ("fail", ("CA411",)) and "no credentials" not in detail and "s3cr3t-V" not in detail


def test_checklist_command_shows_suppressed_items(tmp_path: Path) -> None:
    (tmp_path / "closeapp.yaml").write_text(LOCALHOST + "# closeapp-lint: disable-file=CA203\n")
    result = CliRunner().invoke(main, ["checklist", str(tmp_path / "closeapp.yaml")])
    assert result.exit_code == 1, result.output
    assert "not ready to publish" in result.output and "0 of 1 manifest ready to publish" in result.output
    assert "✗ redirect_url" in result.output and "CA203 suppressed for the lint" in result.output
    assert "CA203 CA203" not in result.output  # the code is named once
    assert "publicly reachable host" not in result.output


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_check_never_says_ready_for_a_suppressed_error(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "closeapp.yaml").write_text(LOCALHOST.replace("https://localhost:8443/cb", "https://localhost:8443/cb  # closeapp-lint: disable=CA203"))
    result = CliRunner().invoke(main, ["check", "--format", fmt, str(tmp_path / "closeapp.yaml")])
    assert result.exit_code == 0, result.output  # nothing reported: the lint passes...
    if fmt == "json":
        assert json.loads(result.output)["files"][0]["readiness"]["ready"] is False
    elif fmt == "markdown":
        assert "❌" in result.output and "CA203 suppressed for the lint" in result.output
    else:
        assert "not ready to publish" in result.output and "ready to publish\n" not in result.output.replace("not ready to publish", "")


def test_check_text_shows_warn_items_of_a_ready_app(tmp_path: Path) -> None:
    (tmp_path / "closeapp.yaml").write_text(PUBLIC.replace("legal/privacy", "legal/terms") + "# closeapp-lint: disable-file=CA305\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path / "closeapp.yaml")])
    assert result.exit_code == 0, result.output
    assert "ready to publish" in result.output
    assert "! privacy_policy_url  CA305 suppressed for the lint" in result.output


# --- hints that are right -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("client_secret: ${CLOSE_CLIENT_SECRET}", "unknown field 'client_secret'; secrets do not belong in the manifest — load it from your secret store"),
        ("client-secret: ${X}", "unknown field 'client-secret'; secrets do not belong in the manifest — load it from your secret store"),
        ("api_token: ${X}", "unknown field 'api_token'; secrets do not belong in the manifest — load it from your secret store"),
        ("client_sercet: ${X}", "unknown field 'client_sercet'; secrets do not belong in the manifest — load it from your secret store"),
        ("clientid: oa2client_0123456789abcdefABCDEF", "unknown field 'clientid'; did you mean 'client_id'?"),
    ],
)
def test_did_you_mean_never_moves_a_secret(extra: str, message: str) -> None:
    assert [f.message for f in run(VALID + extra + "\n").findings if f.code == "CA102"] == [message]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "description: ~",
            (
                "description is empty (YAML reads `~` as nothing); give it a value, e.g. description: "
                "Turns signed Close opportunities into Tidewater invoices. Payment status shows on the lead."
            ),
        ),
        (
            "description:",
            "description is empty; give it a value, e.g. description: Turns signed Close opportunities into Tidewater invoices. Payment status shows on the lead.",
        ),
        ("name: 2024-01-01", 'name must be a string, but YAML 1.1 (PyYAML, most YAML readers) reads `2024-01-01` as a date; quote it: name: "2024-01-01"'),
        (
            "name: 2024-01-01T10:00:00Z",
            'name must be a string, but YAML 1.1 (PyYAML, most YAML readers) reads `2024-01-01T10:00:00Z` as a date; quote it: name: "2024-01-01T10:00:00Z"',
        ),
    ],
)
def test_empty_and_date_values(line: str, message: str) -> None:
    assert [f.message for f in run(_with_line(VALID, line)).findings] == [message]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("visibility: no", "visibility must be a string, but YAML read `no` as the boolean false; write one of private, public"),
        ("visibility: 2024-01-01", "visibility must be one of private, public, got '2024-01-01'"),
        ("scopes: [yes]", "scopes[0] must be a string, but YAML read `yes` as the boolean true; write one of all.full_access, offline_access"),
        (
            "redirect_url: 2024-01-01",
            "redirect_url must be a string, but YAML 1.1 (PyYAML, most YAML readers) reads `2024-01-01` as a date; write the text you mean (quoted)",
        ),
        (
            "client_id: 2024-01-01",
            "client_id must be a string, but YAML 1.1 (PyYAML, most YAML readers) reads `2024-01-01` as a date; write the text you mean (quoted)",
        ),
    ],
)
def test_no_quote_hint_where_the_quoted_value_is_wrong_too(extra: str, message: str) -> None:
    text = (
        VALID + extra + "\n" if not extra.startswith("redirect_url") else VALID.replace("redirect_url: https://app.tidewater.dev/oauth/close/callback", extra)
    )
    report = run(text)
    assert [f.message for f in report.findings if f.code in ("CA103", "CA104")] == [message]
    assert all("quote it" not in f.message for f in report.findings)


def test_unquoted_date_for_an_integer_is_not_told_to_drop_quotes() -> None:
    text = VALID.replace("manifest_version: 1", "manifest_version: 2024-01-01")
    assert [f.message for f in run(text).findings] == ["manifest_version must be an integer, got the string '2024-01-01'"]
