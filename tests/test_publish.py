"""`closeapp-lint publish-request` (SPEC §10): the Make Public packet and the Integrations
Directory e-mail — golden files for each format, the e-mail parsed back field by field,
the mailto URL parsed back, refusals with the failing items, hostile values."""

from __future__ import annotations

import email
from email.policy import default
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from closeapp_lint.commands import publish
from closeapp_lint.commands.cli import PUBLISH_FORMATS, main
from closeapp_lint.load.source import load

from .conftest import EXAMPLES, PUBLIC, assert_golden

LISTED = (EXAMPLES / "public.closeapp.yaml").read_text(encoding="utf-8")


def invoke(tmp_path: Path, text: str, *args: str) -> tuple[int, bytes, str]:
    (tmp_path / "closeapp.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["publish-request", str(tmp_path / "closeapp.yaml"), *args])
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize("fmt", PUBLISH_FORMATS)
def test_golden(tmp_path: Path, fmt: str) -> None:
    code, out, err = invoke(tmp_path, LISTED, "--format", fmt)
    assert code == 0, err
    assert_golden(f"publish.{fmt}", out)


def test_the_packet_follows_closes_form() -> None:
    doc = load(LISTED.encode()).document
    assert doc is not None
    packet = publish.packet(doc)
    assert [label for label, _ in packet.fields] == ["App Name", "App Description", "Redirect URL", "Terms of Service URL", "Privacy Policy URL"]
    assert packet.fields[0] == ("App Name", "Tidewater Deal Desk") and packet.fields[2][1] == "https://app.tidewater.dev/oauth/close/callback"


def test_eml_parses_back_field_by_field(tmp_path: Path) -> None:
    code, out, _ = invoke(tmp_path, LISTED, "--format", "eml")
    assert code == 0
    message = email.message_from_bytes(out, policy=default)
    assert message["To"] == "support@close.com"
    assert message["Subject"] == "Integrations Directory listing: Tidewater Deal Desk"
    assert message["Reply-To"] == "partners@tidewater.dev" and message["From"] is None  # contact_email answers, never sends
    assert message["X-Unsent"] == "1"
    body = message.get_body().get_content().replace("\r\n", "\n")  # type: ignore[union-attr]  # CRLF on the wire
    assert "Name: Tidewater Deal Desk\n" in body and "Product: https://tidewater.dev\n" in body
    assert "What it does with Close: Creates an invoice in Tidewater whenever a Close opportunity is won.\n" in body
    assert "Client ID: oa2client_0123456789abcdefABCDEF\n" in body
    assert "Description: Turns signed Close opportunities into Tidewater invoices, e.g. for U.S. and EU customers." in body


def test_mailto_parses_back(tmp_path: Path) -> None:
    code, out, _ = invoke(tmp_path, LISTED, "--format", "mailto")
    assert code == 0
    url = urlsplit(out.decode().strip())
    assert url.scheme == "mailto" and url.path == "support@close.com"
    query = parse_qs(url.query, strict_parsing=True)
    assert query["subject"] == ["Integrations Directory listing: Tidewater Deal Desk"]
    assert "\r\nClient ID: oa2client_0123456789abcdefABCDEF\r\n" in query["body"][0]  # RFC 6068: line breaks as CRLF
    assert " " not in out.decode().strip() and "\n" not in out.decode().strip()


@pytest.mark.parametrize(
    ("text", "reason", "item"),
    [
        (LISTED.replace("visibility: public", "visibility: private").replace("listing:", "x-listing:"), "the app is private", "terms_of_service_url"),
        (LISTED.replace("https://app.tidewater.dev", "https://localhost"), "not ready to publish", "redirect_url"),
        (LISTED.replace("client_id: oa2client_0123456789abcdefABCDEF\n", ""), "not ready to publish", "listing"),
        (LISTED.replace("https://app.tidewater.dev/oauth/close/callback", "https://localhost/cb  # closeapp-lint: disable=CA203"), "not ready", "redirect_url"),
    ],
)
def test_no_draft_unless_public_and_ready(tmp_path: Path, text: str, reason: str, item: str) -> None:
    if "private" in reason:
        text = text.replace("terms_of_service_url: https://tidewater.dev/legal/terms\n", "")
    for fmt in PUBLISH_FORMATS:
        code, out, err = invoke(tmp_path, text, "--format", fmt)
        assert code == 1 and out == b"", (fmt, err)
        assert reason in err and f"✗ {item}" in err, err


def test_an_app_without_listing_gets_the_packet_but_no_email(tmp_path: Path) -> None:
    code, out, _ = invoke(tmp_path, PUBLIC)
    assert code == 0 and b"App Name" in out and b"support@close.com" not in out
    code, _, err = invoke(tmp_path, PUBLIC, "--format", "eml")
    assert code == 2 and "has no listing" in err


@pytest.mark.parametrize("breaker", ["\r\n", "\n", "\r", "\x00", "\u2028", "\x85"])
def test_a_line_break_in_a_value_cannot_add_or_break_a_header(breaker: str) -> None:
    hostile = f"Acme{breaker}Bcc: victim@example.org{breaker}{breaker}Injected body"
    text = (
        LISTED.replace("name: Tidewater Deal Desk", f"name: {_quoted(hostile)}")
        .replace(
            "summary: Creates an invoice in Tidewater whenever a Close opportunity is won.",
            f"summary: {_quoted(hostile + ' creates invoices from won deals.')}",
        )
        .replace("contact_email: partners@tidewater.dev", f"contact_email: {_quoted('partners@tidewater.dev' + breaker + 'Bcc: victim@example.org')}")
    )
    doc = load(text.encode()).document
    assert doc is not None
    packet = publish.packet(doc)
    assert packet.email is not None
    raw = publish.eml(packet.email)
    message = email.message_from_bytes(raw, policy=default)
    assert set(message.keys()) == {"To", "Subject", "X-Unsent", "Content-Type", "Content-Transfer-Encoding", "MIME-Version"}
    assert message["Bcc"] is None and message["To"] == "support@close.com"
    assert message["Subject"] == "Integrations Directory listing: Acme Bcc: victim@example.org Injected body"
    assert message["Reply-To"] is None  # not one plain address: left out rather than trusted
    assert "\x00" not in raw.decode("utf-8", "replace")
    url = urlsplit(publish.mailto(packet.email).strip())
    assert set(parse_qs(url.query)) == {"subject", "body"}


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar holding ``value`` (escapes for every control)."""
    out = []
    for ch in value:
        out.append(ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}")
    return '"' + "".join(out) + '"'
