"""CA411 (SPEC §3.2): a corpus of credentials in every shape and of look-alikes that are
not credentials; and no credential ever printed, in any format or command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.reporters import FORMATS
from closeapp_lint.text.credentials import find_in_text, is_literal, secret_named

from .conftest import PUBLIC, VALID, run
from .credential_corpus import (
    AWS,
    CLOSE_KEY,
    FOUND,
    GITHUB,
    GITLAB,
    GOOGLE,
    JWT,
    NOT_CREDENTIALS,
    PEM,
    SLACK,
    SLACK_HOOK,
    STRIPE,
)

MESSAGE_TAIL = "; never commit credentials — rotate it and load it from your secret store or an environment variable"


def ca411(text: str) -> list[tuple[int, int, str]]:
    return [(f.span.line, f.span.column, f.message) for f in run(text).findings if f.code == "CA411"]


def kinds(extra: str) -> list[str]:
    """The kind each CA411 finding names (the part between 'contains'/'holds' and the preview)."""
    out = []
    for _, _, message in ca411(VALID + extra):
        head = message.split(" (", 1)[0]
        out.append(head.split(" holds ", 1)[0] if " holds " in head else head.split(" contains ", 1)[1])
    return out


@pytest.mark.parametrize(("extra", "expected"), FOUND)
def test_credentials_are_found_and_named(extra: str, expected: list[str]) -> None:
    assert kinds(extra) == expected


@pytest.mark.parametrize("extra", NOT_CREDENTIALS)
def test_not_credentials(extra: str) -> None:
    assert ca411(VALID + extra) == []


def test_finding_points_at_the_credential_and_previews_four_characters() -> None:
    text = VALID + f"x-note: 'billing key is {STRIPE}'\n"
    assert ca411(text) == [(5, 25, f"the file contains a Stripe secret key (sk_l…){MESSAGE_TAIL}")]


def test_pem_block_spans_from_begin_to_end() -> None:
    (finding,) = [f for f in run(VALID + f"x-signing-key: |\n  {PEM}\n").findings if f.code == "CA411"]
    assert (finding.span.line, finding.span.column, finding.span.end_line) == (6, 3, 9)


def test_credentials_are_found_when_the_file_does_not_parse() -> None:
    report = run(f"name: [\nx-key: {STRIPE}\n")
    assert [f.code for f in report.findings] == ["CA001"]
    assert all(STRIPE[4:12] not in frame.text for frame in report.frames.values())
    assert [s.kind for s in find_in_text(f"x: [\n{STRIPE}\n")] == ["a Stripe secret key"]


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("client_secret", True),
        ("x-db-password", True),
        ("API_KEY", True),
        ("githubToken", True),
        ("private-key", True),
        ("token_url", False),
        ("secret_name", False),
        ("password_min_length", False),
        ("name", False),
        ("description", False),
    ],
)
def test_secret_named(key: str, named: bool) -> None:
    assert secret_named(key) is named


@pytest.mark.parametrize(("value", "literal"), [("hunter2", True), ("${X}", False), ("env:X", False), ("", False), ("****", False), ("a b c d e", False)])
def test_is_literal(value: str, literal: bool) -> None:
    assert is_literal(value) is literal


# --- never printed -------------------------------------------------------------------------

# Every credential, also where other rules echo values: an unknown key (CA102), an enum
# value (CA104), a scope (CA401), a redirect URL (CA202), and a line that fails to parse.
LEAKY = (
    PUBLIC.replace("visibility: public", f"visibility: {STRIPE}")
    + f"""\
scopes: [all.full_access, offline_access, {GITHUB}]
{AWS}: x
client_secret: Zq8vT2mW9xK4pL7nR5s
x-hook: {SLACK_HOOK}
x-jwt: {JWT}
x-db: https://admin:Pa55w0rdPa55w0rd@db.tidewater.dev/app
x-cb: https://app.tidewater.dev/cb?client_secret=Qw3rTy8uIoP2aSd
x-google: {GOOGLE}
x-gitlab: {GITLAB}
x-slack: {SLACK}
x-close: {CLOSE_KEY}
x-pem: |
  {PEM}
"""
)
SECRET_PARTS = [
    STRIPE,
    GITHUB,
    AWS,
    "Zq8vT2mW9xK4pL7nR5s",
    SLACK_HOOK.rsplit("/", 1)[1],
    JWT.split(".")[2],
    "Pa55w0rdPa55w0rd",
    "Qw3rTy8uIoP2aSd",
    GOOGLE,
    GITLAB,
    SLACK,
    CLOSE_KEY,
    "MIIEpAIBAAKCAQEA3Tz2mr7",
]


def assert_no_secret(text: str) -> None:
    for part in SECRET_PARTS:
        assert part[4:] not in text, part
        assert part[:12] not in text or len(part) < 12, part


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_credential_in_any_format(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "closeapp.yaml").write_text(LEAKY)
    result = CliRunner().invoke(main, ["check", str(tmp_path / "closeapp.yaml"), "--format", fmt, "--checklist"])
    assert result.exit_code == 1, result.output
    assert "CA411" in result.output
    assert_no_secret(result.output)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_no_credential_in_checklist(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "closeapp.yaml").write_text(LEAKY)
    result = CliRunner().invoke(main, ["checklist", str(tmp_path / "closeapp.yaml"), "--format", fmt])
    assert_no_secret(result.output)


def test_no_credential_in_diff_or_fix(tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    path.write_text(LEAKY.replace("redirect_url: https://", "redirect_url: http://"))
    diff = CliRunner().invoke(main, ["check", str(path), "--diff"])
    assert "+redirect_url: https://" in diff.output
    assert_no_secret(diff.output)
    fixed = CliRunner().invoke(main, ["check", str(path), "--fix"])
    assert "CA411" in fixed.output
    assert_no_secret(fixed.output)


def test_no_credential_in_parse_error_frame(tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    path.write_text(f"name: [{STRIPE}\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert "CA001" in result.output
    assert_no_secret(result.output)


def test_a_quoted_part_of_a_credential_is_masked_too() -> None:
    text = VALID.replace(
        "description: Turns won Close opportunities into Tidewater invoices.", f"description: Syncs deals. Bills them. Key {STRIPE}{STRIPE[8:]} is the key."
    )
    report = run(text)
    messages = " ".join(f.message for f in report.findings)
    assert "CA211" in {f.code for f in report.findings} and "the third begins" in messages
    assert STRIPE[4:14] not in messages
    long_selector = f"x-a: 1  # closeapp-lint: disable=CA201,{STRIPE}{STRIPE[8:]}{STRIPE[8:]}\n"
    messages = " ".join(f.message for f in run(VALID + long_selector).findings)
    assert "CA006" in messages or "unknown rule" in messages
    assert STRIPE[4:14] not in messages
