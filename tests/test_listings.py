"""Right on real app listings (issue: the verdict holds on real text): URL templates,
names that say what the app works with, and the messages a new user found thin. Each
example is our own, of the same shape as a listing that was judged wrongly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.core.model import Finding, Frame, Span
from closeapp_lint.reporters.text import Painter, frame

from .conftest import PUBLIC, VALID, codes, found, run

OWN = "https://app.tidewater.dev/oauth/close/callback"


def _redirect(text: str, url: str) -> str:
    return text.replace(OWN, url)


# --- a template where a URL belongs ------------------------------------------------------


@pytest.mark.parametrize("base", [VALID, PUBLIC], ids=["private", "public"])
@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        ("https://<ENVIRONMENT_URL>/sso/v1/oauth/<CONNECTION_ID>/callback", "<ENVIRONMENT_URL>"),
        ("https://{{ host }}/oauth/close/callback", "{{ host }}"),
        ("https://${APP_HOST}/oauth/close/callback", "${APP_HOST}"),
        ("https://{tenant}.tidewater.dev/oauth/close/callback", "{tenant}"),
        ("https://app.tidewater.dev/oauth/<CONNECTION_ID>/callback", "<CONNECTION_ID>"),
        ("https://app.tidewater.dev/oauth/close/callback?token={token}", "{token}"),  # a template, not a secret: shown, not masked
    ],
)
def test_a_template_redirect_is_malformed_for_every_visibility(base: str, url: str, placeholder: str) -> None:
    report = run(_redirect(base, url))
    assert [(f.code, f.message) for f in report.findings] == [
        ("CA202", f"redirect_url holds the template placeholder {placeholder!r}, not a real URL; write the URL itself")
    ]


@pytest.mark.parametrize(("host", "char"), [("$APP_HOST", "$"), ("app%host.dev", "%"), ("app^host.dev", "^")])
def test_a_host_with_characters_no_host_may_hold(host: str, char: str) -> None:
    assert found(_redirect(PUBLIC, f"https://{host}/cb")) == [
        (
            "CA202",
            4,
            15,
            f"redirect_url has a host with a character no host name may hold ({char!r} in {host!r}); is it a placeholder? write the real host",
        )
    ]


def test_a_template_legal_url_is_ca303() -> None:
    text = PUBLIC.replace("https://tidewater.dev/legal/terms", "https://{{ site }}/legal/terms")
    assert [(f.code, f.message) for f in run(text).findings] == [
        ("CA303", "terms_of_service_url holds the template placeholder '{{ site }}', not a real URL; write the URL itself")
    ]


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize("host", ["{" * (1 << 20), "<" * (1 << 20), "${" * (1 << 19), "{{a" * 300_000])
def test_a_megabyte_host_of_brackets_stays_linear(host: str) -> None:
    from closeapp_lint.text.urls import analyze

    assert analyze(f"https://{host}/cb").malformed


# --- a template or a form's own words where the text belongs --------------------------------

DESCRIPTION = "Turns won Close opportunities into Tidewater invoices."


@pytest.mark.parametrize("base", [VALID, PUBLIC], ids=["private", "public"])
@pytest.mark.parametrize(
    ("field", "written", "placeholder"),
    [
        ("name", '"{{ app_name }}"', "{{ app_name }}"),
        ("name", '"${APP_NAME} for Close"', "${APP_NAME}"),
        ("description", "Turns won {{ crm }} opportunities into Tidewater invoices.", "{{ crm }}"),
        ("description", "Turns won Close opportunities into {product} invoices.", "{product}"),
        ("description", "Turns won Close opportunities into invoices{% if eu %} with VAT{% endif %}.", "{% if eu %}"),
        ("description", "Turns won Close opportunities into ${PRODUCT} invoices.", "${PRODUCT}"),
    ],
)
def test_a_template_in_a_text_field_is_placeholder_text(base: str, field: str, written: str, placeholder: str) -> None:
    text = base.replace("Tidewater Deal Desk", written) if field == "name" else base.replace(DESCRIPTION, written)
    assert [(f.code, f.message) for f in run(text).findings] == [
        ("CA212", f"{field} holds the template placeholder {placeholder!r}, not real text; write the text itself")
    ]
    readiness = run(text).readiness
    assert readiness is not None and not readiness.ready


@pytest.mark.parametrize("written", ["Tidewater Deal Desk", "Tidewater Deal Desk.", "tidewater deal desk!"])
def test_a_description_that_only_repeats_the_name_is_placeholder_text(written: str) -> None:
    report = run(VALID.replace(DESCRIPTION, written))
    assert [(f.code, f.message) for f in report.findings] == [("CA212", "description only repeats the name; say what the app does with Close")]
    assert report.readiness is not None and not report.readiness.ready


def test_a_description_that_names_the_app_and_says_more_passes() -> None:
    assert codes(VALID.replace(DESCRIPTION, "Tidewater Deal Desk turns won Close opportunities into invoices.")) == []


@pytest.mark.parametrize(
    ("written", "placeholder"),
    [
        ("Your app description goes here.", "description goes here"),
        ("Turns won deals into invoices (insert description here).", "insert description here"),
        ("Enter your short description here.", "Enter your short description here"),
        ("A short description of your app.", "A short description of your app"),
    ],
)
def test_a_forms_own_words_are_placeholder_text(written: str, placeholder: str) -> None:
    assert [(f.code, f.message) for f in run(VALID.replace(DESCRIPTION, written)).findings] == [
        ("CA212", f"description holds placeholder text {placeholder!r}; replace it with the real text")
    ]


@pytest.mark.parametrize(
    "written",
    [
        "Maps {name, email, phone} from Close leads into Tidewater contacts.",
        "Turns won Close opportunities into Tidewater invoices; the invoice number goes here too.",
        "Writes a description of each won deal into its Tidewater invoice.",
        "Enter notes here and they appear on the lead in Close.",
        "Prices deals in $USD and {} stays empty.",
        "Syncs leads <-> deals and contacts <=> people between Acme and Close.",
        "Alerts when open deals < 5 and pipeline > 3 weeks old.",
        "Acme {Beta} turns won Close opportunities into invoices.",
    ],
)
def test_braces_and_form_like_words_in_prose_are_not_placeholders(written: str) -> None:
    assert codes(VALID.replace(DESCRIPTION, written)) == []


# --- URLs on Close's own site, or on an example host of the docs ------------------------------


@pytest.mark.parametrize("base", [VALID, PUBLIC], ids=["private", "public"])
@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://app.close.com/oauth2/authorize/", "app.close.com"),  # Close's authorize endpoint, pasted into the wrong field
        ("https://api.close.com/oauth2/token/", "api.close.com"),
        ("https://Close.com/callback", "close.com"),
        ("https://app.close.io/oauth/callback", "app.close.io"),
    ],
)
def test_a_redirect_to_close_itself_is_ca205(base: str, url: str, host: str) -> None:
    assert [(f.code, f.severity, f.message) for f in run(_redirect(base, url)).findings] == [
        (
            "CA205",
            "error",
            f"redirect_url is on {host}, Close's own site; it must be your app's callback, where Close sends users back with the authorization code",
        )
    ]


@pytest.mark.parametrize("url", ["https://closeapp.dev/oauth/cb", "https://app.tidewater.dev/close.com/cb", "https://app.tidewater.dev/cb?from=close.com"])
def test_close_in_a_url_that_is_not_closes_site(url: str) -> None:
    assert codes(_redirect(PUBLIC, url)) == []


def test_a_legal_url_on_closes_site_is_ca306() -> None:
    text = PUBLIC.replace("https://tidewater.dev/legal/terms", "https://close.com/terms").replace(
        "https://tidewater.dev/legal/privacy", "https://www.close.com/privacy-policy"
    )
    assert [(f.code, f.message) for f in run(text).findings] == [
        ("CA306", "terms_of_service_url is on close.com, Close's own site; link your app's own terms of service"),
        ("CA306", "privacy_policy_url is on www.close.com, Close's own site; link your app's own privacy policy"),
    ]
    private = VALID + "terms_of_service_url: https://close.com/terms\n"
    report = run(private)
    assert report.findings == () and report.readiness is not None and not report.readiness.ready  # publish: the checklist shows it


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://yourapp.com/callback/close", "yourapp.com"),  # the example of Close's own docs
        ("https://app.yourdomain.com/oauth/close/callback", "app.yourdomain.com"),
        ("https://your-company.io/oauth/close/callback", "your-company.io"),
    ],
)
def test_a_url_on_an_example_host_is_placeholder_text(url: str, host: str) -> None:
    assert [(f.code, f.message) for f in run(_redirect(VALID, url)).findings] == [
        ("CA212", f"redirect_url is on {host}, an example host left in; put in your own URL")
    ]


@pytest.mark.parametrize("url", ["https://yourapp.tidewater.dev/cb", "https://yours.com/cb", "https://app.tidewater.dev/cb?for=yourapp.com"])
def test_your_in_a_real_url_is_no_placeholder(url: str) -> None:
    assert codes(_redirect(VALID, url)) == []


# --- a listing's contact e-mail or product URL where no one can reach it ---------------------

LISTED = PUBLIC + "client_id: oa2client_0123456789abcdefABCDEF\nlisting:\n  product_url: https://tidewater.dev\n  summary: Creates invoices.\n"


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("partners@example.com", "example.com is a reserved example domain"),
        ("ops@mail.example.org", "mail.example.org is a reserved example domain"),
        ("ops@tidewater.test", "tidewater.test is a local or reserved name that no one outside your machine can reach"),
        ("ops@host.localdomain", "host.localdomain is a local or reserved name that no one outside your machine can reach"),
        ("team@tidewater.corp", "tidewater.corp is under .corp, a top-level domain only private networks use; public DNS does not answer for it"),
    ],
)
def test_a_contact_email_at_an_example_domain_is_placeholder_text(email: str, reason: str) -> None:
    report = run(LISTED + f"  contact_email: {email}\n")
    assert [(f.code, f.severity, f.message) for f in report.findings] == [
        ("CA212", "error", f"listing.contact_email's domain {reason}; Close cannot write to it — put in the address Close should use")
    ]
    assert report.readiness is not None and not report.readiness.ready


@pytest.mark.parametrize("email", ["partners@tidewater.dev", "ops@mail.tidewater.io", "team@examples.com"])
def test_a_real_contact_email_passes(email: str) -> None:
    assert codes(LISTED + f"  contact_email: {email}\n") == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://localhost:3000", "localhost is a local or reserved name that no one outside your machine can reach"),
        ("https://10.0.0.5/tidewater", "10.0.0.5 is a private address"),
        ("https://www.tidewater.corp", "www.tidewater.corp is under .corp, a top-level domain only private networks use; public DNS does not answer for it"),
        ("https://127.1/", "127.1 (which browsers read as 127.0.0.1) is a loopback address"),
    ],
)
def test_a_listing_product_url_only_you_can_reach_is_ca313(url: str, reason: str) -> None:
    text = LISTED.replace("product_url: https://tidewater.dev", f"product_url: {url}")
    report = run(text)
    assert [(f.code, f.severity, f.message) for f in report.findings] == [
        ("CA313", "error", f"listing.product_url host {reason}; visitors of the Integrations Directory cannot open it")
    ]
    assert report.readiness is not None and not report.readiness.ready


def test_a_replace_marked_contact_email_is_reported_once() -> None:
    assert [f.message for f in run(LISTED + "  contact_email: partners@example.com  # REPLACE\n").findings] == [
        "listing.contact_email is marked REPLACE; put in your own value, then remove the REPLACE marker"
    ]


# --- one finding for an app scheme; addresses named for what they are -----------------------


def test_an_app_scheme_is_one_finding() -> None:
    assert [(f.code, f.message) for f in run(_redirect(PUBLIC, "harborlight://oauth/cb")).findings] == [
        ("CA201", "redirect_url uses harborlight://; Close accepts only https:// redirect URLs")
    ]


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("203.0.113.5", "203.0.113.5 is a documentation address (203.0.113.0/24, reserved for examples; it never reaches a real server)"),
        ("192.0.2.10", "192.0.2.10 is a documentation address (192.0.2.0/24, reserved for examples; it never reaches a real server)"),
        ("198.51.100.7", "198.51.100.7 is a documentation address (198.51.100.0/24, reserved for examples; it never reaches a real server)"),
        ("[2001:db8::1]", "2001:db8::1 is a documentation address (2001:db8::/32, reserved for examples; it never reaches a real server)"),
        ("[64:ff9b:1::808:808]", "64:ff9b:1::808:808 is a local-use NAT64 address (64:ff9b:1::/48, reachable only inside one network)"),
        ("10.1.2.3", "10.1.2.3 is a private address"),
        # forms a browser reads as an IPv4 address (WHATWG URL): short, hexadecimal, one number, octal
        ("127.1", "127.1 (which browsers read as 127.0.0.1) is a loopback address"),
        ("0x7f000001", "0x7f000001 (which browsers read as 127.0.0.1) is a loopback address"),
        ("2130706433", "2130706433 (which browsers read as 127.0.0.1) is a loopback address"),
        ("0177.0.0.1", "0177.0.0.1 (which browsers read as 127.0.0.1) is a loopback address"),
        ("10.1", "10.1 (which browsers read as 10.0.0.1) is a private address"),
        ("0xa9.0xfe.0xa9.0xfe", "0xa9.0xfe.0xa9.0xfe (which browsers read as 169.254.169.254) is a link-local address"),
        # top-level domains only private networks use
        ("app.tidewater.corp", "app.tidewater.corp is under .corp, a top-level domain only private networks use; public DNS does not answer for it"),
        ("tidewater.lan", "tidewater.lan is under .lan, a top-level domain only private networks use; public DNS does not answer for it"),
        ("auth.home", "auth.home is under .home, a top-level domain only private networks use; public DNS does not answer for it"),
    ],
)
def test_addresses_are_named_for_what_they_are(host: str, reason: str) -> None:
    assert [(f.code, f.message) for f in run(_redirect(PUBLIC, f"https://{host}/cb")).findings] == [
        ("CA203", f"redirect_url host {reason}; users of a public app cannot reach it")
    ]


@pytest.mark.parametrize(
    "host", ["8.8.8.8", "[2606:4700:4700::1111]", "[64:ff9b::808:808]", "1.1.1.1:8443", "134744072", "tidewater.homes", "mail.tidewater.dev"]
)
def test_public_addresses_are_neither_malformed_nor_private(host: str) -> None:
    assert codes(_redirect(PUBLIC, f"https://{host}/cb")) == []


@pytest.mark.parametrize("host", ["1.2.3.4.5", "256.1", "1.16777216", "08.1.1.1", "example.123", "1..1"])
def test_a_host_ending_in_a_number_that_is_no_address_is_malformed(host: str) -> None:
    assert [(f.code, f.message) for f in run(_redirect(PUBLIC, f"https://{host}/cb")).findings] == [
        ("CA202", f"redirect_url has an invalid host name {host!r}")
    ]


@pytest.mark.parametrize("url", ["https://:443/x", "https://:0/x", "https://@/x", "https://[::1/x"])
def test_urls_without_a_host_are_findings_not_crashes(url: str) -> None:
    assert codes(_redirect(PUBLIC, url)) == ["CA202"]


# --- CA213: "for Close CRM" and "from Close" say what the app works with -------------------


@pytest.mark.parametrize(
    "name",
    [
        "TimelinesAI for Close CRM",
        "Dialer Sync for Close CRM",
        "Import from Close",
        "Leads from Close",
        "Close Sync by Acme",
        "Close Deals Faster",
        "Slack for Close",
        "Close for Slack by Acme",
        "Acme for Close®",
        "Acme for Close.com",
        "Acme with Closeio",
        "Acme for Close™ CRM",
        "CloseSync by Acme",
        "Closeout Manager",
        "Closet Organizer",
        "Closed Won Alerts",
        "CloseLoop",
        "Closeup Video",
    ],
)
def test_names_that_do_not_imply_close_made_them(name: str) -> None:
    assert codes(VALID.replace("Tidewater Deal Desk", name)) == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Close CRM Sync", 'uses Close\'s product name "Close CRM"'),
        ("Close.com Connector", "names Close's own domain"),
        ("Close Bot", "starts like a Close product name"),
        ("Official Tidewater Connector for Close", "calls itself official"),
        ("Invoices by Close", "says it is made by Close"),
        ("Close Sync by Close", "says it is made by Close"),
        ("Close for Slack", 'is worded as Close\'s own app for another product ("Close for …")'),
        ("close for Microsoft Teams", 'is worded as Close\'s own app for another product ("Close for …")'),
        # one word, a hyphen or a trademark sign between "Close" and the product word read alike
        ("CloseSync", "starts like a Close product name"),
        ("Close-Bot", "starts like a Close product name"),
        ("Close_App", "starts like a Close product name"),
        ("Close® Dialer", "starts like a Close product name"),
        ("Close™ for Slack", 'is worded as Close\'s own app for another product ("Close for …")'),
        ("Close®", 'is just "Close"'),
        ("Close-CRM Sync", 'uses Close\'s product name "Close CRM"'),
        ("CloseCRM", 'uses Close\'s product name "Close CRM"'),
        ("Closeio Sync", 'uses Close\'s former name "Close.io"'),
    ],
)
def test_names_that_still_imply_close_made_them(name: str, reason: str) -> None:
    assert [(f.code, f.message) for f in run(VALID.replace("Tidewater Deal Desk", name)).findings] == [
        ("CA213", f'name {reason}, so users may think Close made this app; lead with your own product\'s name, e.g. "<Product> for Close"')
    ]


# --- messages -------------------------------------------------------------------------------


def test_scopes_written_as_one_string_shows_the_list_to_write() -> None:
    assert [(f.code, f.message) for f in run(VALID + "scopes: all.full_access offline_access\n").findings] == [
        ("CA103", "scopes must be a list, got the string 'all.full_access offline_access'; write scopes: [all.full_access, offline_access]")
    ]


def test_the_scopes_item_names_every_problem() -> None:
    readiness = run(PUBLIC + "scopes: [all.full_access, admin, offline_access, offline_access]\n").readiness
    assert readiness is not None
    item = next(i for i in readiness.items if i.id == "scopes")
    assert item.status == "fail" and "'admin'" in item.detail and "twice" in item.detail, item.detail


def test_statistics_marks_a_rule_fixable_only_when_every_finding_is(tmp_path: Path) -> None:
    (tmp_path / "closeapp.yaml").write_text(VALID + "scopes: [all.full_access, offline_access, offline_access, admin]\n")
    result = CliRunner().invoke(main, ["check", "--statistics", str(tmp_path / "closeapp.yaml")])
    assert result.output == "     2  CA401  [~]  unsupported-scope (1 fixable)\n"


@pytest.mark.parametrize(
    ("line", "column", "caret_at"),
    [
        ("name: 取引デスク x", 13, 17),  # five wide characters before the "x": 10 cells
        ("name: 🎉🎉 x", 10, 11),
        ("name: café x", 12, 11),  # a precomposed é is one cell
        ("name: cafe\u0301 x", 13, 11),  # a combining accent takes none
    ],
)
def test_carets_count_terminal_cells(line: str, column: int, caret_at: int) -> None:
    finding = Finding("CA212", "placeholder-text", "warning", "m", Span(1, column, 1, column + 1))
    source, carets = frame(Frame(line), finding, Painter(False))
    # the caret sits in the cell where the terminal draws the "x"
    assert carets.index("^") - len("  | ") == caret_at and carets.count("^") == 1, (source, carets)


def test_every_replace_marked_line_is_alike() -> None:
    text = VALID.replace(OWN, OWN + "  # REPLACE").replace("Tidewater Deal Desk", "Tidewater Deal Desk  # REPLACE")
    assert [(f.code, f.message) for f in run(text).findings] == [
        ("CA212", "name is marked REPLACE; put in your own value, then remove the REPLACE marker"),
        ("CA212", "redirect_url is marked REPLACE; put in your own value, then remove the REPLACE marker"),
    ]
    readiness = run(text).readiness
    assert readiness is not None and {i.id for i in readiness.items if i.status == "fail"} >= {"name", "redirect_url"}
