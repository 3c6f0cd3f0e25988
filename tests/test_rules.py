"""Close rules CA201–CA412: YAML in, exact findings out."""

from __future__ import annotations

import pytest

from closeapp_lint.text.urls import analyze, classify_host

from .conftest import PUBLIC, VALID, codes, found

CB = "https://app.tidewater.dev/oauth/close/callback"


def redirect(url: str, base: str = VALID) -> str:
    return base.replace(f"redirect_url: {CB}", f"redirect_url: {url}")


# --- redirect URL -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (CB, []),
        ("http://app.tidewater.dev/cb", [("CA201", "redirect_url uses http://; Close accepts only https:// redirect URLs — use https://app.tidewater.dev/cb")]),
        ("HTTP://app.tidewater.dev/cb", [("CA201", "redirect_url uses http://; Close accepts only https:// redirect URLs — use https://app.tidewater.dev/cb")]),
        ("myapp://callback", [("CA201", "redirect_url uses myapp://; Close accepts only https:// redirect URLs")]),
        (
            "http://user:pw@app.tidewater.dev/cb",
            [
                ("CA201", "redirect_url uses http://; Close accepts only https:// redirect URLs"),
                ("CA202", "redirect_url contains user info (user:password@)"),
                (
                    "CA411",
                    "the file contains credentials in the URL's user info (…); never commit credentials — rotate it and load it from your secret store or an environment variable",
                ),
            ],
        ),
        ("/oauth/callback", [("CA202", "redirect_url is not an absolute URL (it needs https:// and a host)")]),
        ("app.tidewater.dev/cb", [("CA202", "redirect_url is not an absolute URL (it needs https:// and a host)")]),
        ("https://app.tidewater.dev/cb#done", [("CA202", "redirect_url has a #fragment, which OAuth redirect URLs must not have")]),
        ("https://*.tidewater.dev/cb", [("CA202", "redirect_url contains a wildcard (*); Close matches redirect URLs exactly")]),
        ("https://app.tidewater.dev/cb/*", [("CA202", "redirect_url contains a wildcard (*); Close matches redirect URLs exactly")]),
        ("'https://app.tidewater.dev/a b'", [("CA202", "redirect_url contains whitespace")]),
        ("'https://a.dev/cb https://b.dev/cb'", [("CA202", "redirect_url contains whitespace")]),
        ("https://bad_host.dev/cb", [("CA202", "redirect_url has an invalid host name 'bad_host.dev'")]),
        ("https://[::1/cb", [("CA202", "redirect_url cannot be parsed (Invalid IPv6 URL)")]),
        ("https://app.tidewater.dev:99999/cb", [("CA202", "redirect_url cannot be parsed (Port out of range 0-65535)")]),
        # not public: silent for a private app (the checklist shows it)
        ("https://localhost:8443/cb", []),
        ("https://127.0.0.1/cb", []),
    ],
)
def test_redirect_url_private_app(url: str, expected: list[tuple[str, str]]) -> None:
    assert [(c, m) for c, _, _, m in found(redirect(url))] == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://localhost:8443/cb", "localhost is a local or reserved name that no one outside your machine can reach"),
        ("https://dev.localhost/cb", "dev.localhost is a local or reserved name that no one outside your machine can reach"),
        ("https://mac.local/cb", "mac.local is a local or reserved name that no one outside your machine can reach"),
        ("https://app.test/cb", "app.test is a local or reserved name that no one outside your machine can reach"),
        ("https://app.invalid/cb", "app.invalid is a local or reserved name that no one outside your machine can reach"),
        ("https://app.example/cb", "app.example is a local or reserved name that no one outside your machine can reach"),
        ("https://example.com/cb", "example.com is a reserved example domain"),
        ("https://app.example.org/cb", "app.example.org is a reserved example domain"),
        ("https://127.0.0.1/cb", "127.0.0.1 is a loopback address"),
        ("https://[::1]:8443/cb", "::1 is a loopback address"),
        ("https://10.1.2.3/cb", "10.1.2.3 is a private address"),
        ("https://192.168.0.10/cb", "192.168.0.10 is a private address"),
        ("https://169.254.169.254/cb", "169.254.169.254 is a link-local address"),
        ("https://0.0.0.0/cb", "0.0.0.0 is the unspecified address"),
        ("https://intranet/cb", "intranet is a single-label host name, reachable only inside a private network"),
        # public names that answer with an address no user can reach, by design
        ("https://app.lvh.me/cb", "app.lvh.me resolves to 127.0.0.1 by design (a local-development name), a loopback address"),
        ("https://localtest.me/cb", "localtest.me resolves to 127.0.0.1 by design (a local-development name), a loopback address"),
        ("https://127.0.0.1.nip.io/cb", "127.0.0.1.nip.io resolves to 127.0.0.1 by design (nip.io answers with the address in the name), a loopback address"),
        (
            "https://app-10-0-0-7.sslip.io/cb",
            "app-10-0-0-7.sslip.io resolves to 10.0.0.7 by design (sslip.io answers with the address in the name), a private address",
        ),
    ],
)
def test_redirect_not_public_for_public_app(url: str, reason: str) -> None:
    assert [(c, m) for c, _, _, m in found(redirect(url, PUBLIC))] == [("CA203", f"redirect_url host {reason}; users of a public app cannot reach it")]


def test_localhost_is_not_public_never_malformed() -> None:
    verdict = analyze("https://localhost/cb")
    assert verdict.malformed is None and verdict.not_public


def test_public_ip_is_public() -> None:
    assert classify_host("8.8.8.8") is None


def test_redirect_position() -> None:
    assert found(redirect("http://app.tidewater.dev/cb"))[0][:3] == ("CA201", 4, 15)


# --- legal and product URLs ---------------------------------------------------------


def legal(terms: str | None, privacy: str | None, base: str = PUBLIC) -> str:
    text = base.replace("terms_of_service_url: https://tidewater.dev/legal/terms\n", f"terms_of_service_url: {terms}\n" if terms else "")
    return text.replace("privacy_policy_url: https://tidewater.dev/legal/privacy\n", f"privacy_policy_url: {privacy}\n" if privacy else "")


@pytest.mark.parametrize(
    ("terms", "privacy", "expected"),
    [
        ("https://t.dev/terms", "https://t.dev/privacy", []),
        (None, "https://t.dev/privacy", [("CA301", 6, 1, "terms_of_service_url is missing; Close requires it before an app can be made public")]),
        (
            None,
            None,
            [
                ("CA301", 5, 1, "privacy_policy_url is missing; Close requires it before an app can be made public"),
                ("CA301", 5, 1, "terms_of_service_url is missing; Close requires it before an app can be made public"),
            ],
        ),
        (
            "http://t.dev/terms",
            "https://t.dev/privacy",
            [("CA302", 5, 23, "terms_of_service_url uses http://; Close's reviewers expect https:// — use https://t.dev/terms")],
        ),
        ("t.dev/terms", "https://t.dev/privacy", [("CA303", 5, 23, "terms_of_service_url is not an absolute URL (it needs https:// and a host)")]),
        ("ftp://t.dev/terms", "https://t.dev/privacy", [("CA303", 5, 23, "terms_of_service_url uses ftp://; it must be an https:// web page")]),
        ("https://t.dev/legal#terms", "https://t.dev/legal#privacy", []),  # fragments are fine on legal pages
        (
            "https://10.0.0.5/terms",
            "https://t.dev/privacy",
            [("CA304", 5, 23, "terms_of_service_url host 10.0.0.5 is a private address; Close's reviewers cannot open it")],
        ),
        (
            "https://t.dev/legal",
            "https://T.DEV/legal/",
            [("CA305", 6, 21, "privacy_policy_url is the same page as terms_of_service_url; link each to its own document")],
        ),
    ],
)
def test_legal_urls_public_app(terms: str | None, privacy: str | None, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(legal(terms, privacy)) == expected


@pytest.mark.parametrize(
    ("terms", "privacy", "expected"),
    [
        (None, None, []),  # optional while private
        ("http://t.dev/terms", "https://10.0.0.5/p", []),  # publish rules are silent for private apps
        ("t.dev/terms", None, ["CA303"]),  # malformed is an error either way
        ("https://t.dev/x", "https://t.dev/x", ["CA305"]),
    ],
)
def test_legal_urls_private_app(terms: str | None, privacy: str | None, expected: list[str]) -> None:
    text = legal(terms, privacy).replace("visibility: public\n", "")
    assert [c for c, *_ in found(text)] == expected


def test_product_url_malformed() -> None:
    text = PUBLIC + "client_id: oa2client_0123456789abcdefABCDEF\nlisting:\n  product_url: tidewater\n  summary: Creates invoices.\n"
    assert found(text) == [("CA303", 10, 16, "listing.product_url is not an absolute URL (it needs https:// and a host)")]


# --- words ---------------------------------------------------------------------------


def named(name: str, base: str = VALID) -> str:
    return base.replace("name: Tidewater Deal Desk", f"name: {name}")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Close CRM Sync", 'uses Close\'s product name "Close CRM"'),
        ("Official Close Integration", "calls itself official"),
        ("Close.com Connector", "names Close's own domain"),
        ("Close.io Bridge", "names Close's own domain"),
        ("Invoices by Close", "says it is made by Close"),
        ("Close", 'is just "Close"'),
        ("Close Sync", "starts like a Close product name"),
        ("Close Integration for Tidewater", "starts like a Close product name"),
        ("Close Dialer", "starts like a Close product name"),
        ("CLOSE CRM", 'uses Close\'s product name "Close CRM"'),  # the word is found however it is cased
        ("Clo\u017fe Sync", "starts like a Close product name"),  # a long s matches s case-insensitively
    ],
)
def test_name_implies_official(name: str, reason: str) -> None:
    message = f'name {reason}, so users may think Close made this app; lead with your own product\'s name, e.g. "<Product> for Close"'
    assert found(named(name)) == [("CA213", 2, 7, message)]


@pytest.mark.parametrize(
    "name", ["Close Deals Faster", "Tidewater for Close", "Closer", "Deal Closer Pro", "Close More Deals", "Close the Loop", "Closing Bell"]
)
def test_ordinary_uses_of_close(name: str) -> None:
    assert found(named(name)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (named("TODO"), [("CA212", 2, 7, "name holds placeholder text 'TODO'; replace it with the real text")]),
        (named("My App"), [("CA212", 2, 7, "name holds placeholder text 'My App'; replace it with the real text")]),
        (named("'<your app name>'"), [("CA212", 2, 7, "name holds placeholder text '<your app name>'; replace it with the real text")]),
        (
            VALID.replace("Turns won", "Lorem ipsum dolor. Turns won"),
            [("CA212", 3, 14, "description holds placeholder text 'Lorem ipsum'; replace it with the real text")],
        ),
        (VALID.replace("Turns won", "XXX turns won"), [("CA212", 3, 14, "description holds placeholder text 'XXX'; replace it with the real text")]),
        (named("Changeme"), [("CA212", 2, 7, "name holds placeholder text 'Changeme'; replace it with the real text")]),
        (named("Toddler Tracker"), []),
        (named("Fix Mexico Sync"), []),
        (named("Box Exporter"), []),
    ],
)
def test_placeholder_text(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(text) == expected


def test_placeholder_is_an_error_for_public_apps() -> None:
    assert [(c, s) for c, s in ((f[0], None) for f in found(named("TBD", PUBLIC)))] == [("CA212", None)]
    from .conftest import run

    assert [f.severity for f in run(named("TBD", PUBLIC)).findings] == ["error"]
    assert [f.severity for f in run(named("TBD")).findings] == ["warning"]


# --- listing -------------------------------------------------------------------------

CLIENT = "client_id: oa2client_0123456789abcdefABCDEF\n"
LISTING = "listing:\n  product_url: https://tidewater.dev\n  summary: Creates invoices.\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PUBLIC + CLIENT + LISTING, []),
        (
            VALID + CLIENT + LISTING,
            [("CA311", 6, 1, "listing is present but the app is private; Close lists only public apps — set visibility: public or remove listing")],
        ),
        (PUBLIC + LISTING, [("CA312", 8, 1, "listing needs the app's client_id; add client_id: (shown in Close after the app is created)")]),
        (
            PUBLIC + CLIENT + "listing:\n  summary: Creates invoices.\n",
            [("CA312", 10, 3, "required field listing.product_url is missing (e.g. product_url: https://tidewater.dev)")],
        ),
        (
            PUBLIC + CLIENT + "listing: {}\n",
            [
                ("CA312", 9, 10, "required field listing.product_url is missing (e.g. product_url: https://tidewater.dev)"),
                (
                    "CA312",
                    9,
                    10,
                    "required field listing.summary is missing (e.g. summary: Creates an invoice in Tidewater whenever a Close opportunity is won.)",
                ),
            ],
        ),
    ],
)
def test_listing(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(text) == expected


# --- scopes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        ("[all.full_access, offline_access]", []),
        ("[offline_access, all.full_access]", []),
        (
            "[all.full_access]",
            [("CA402", 5, 9, "scopes lists all.full_access without offline_access; Close grants both to every OAuth app — add offline_access")],
        ),
        (
            "[offline_access]",
            [("CA402", 5, 9, "scopes lists offline_access without all.full_access; Close grants both to every OAuth app — add all.full_access")],
        ),
        (
            "[all.full_access, offline_access, all.full_acess]",
            [("CA401", 5, 43, "scope 'all.full_acess' does not exist for Close OAuth apps; did you mean 'all.full_access'?")],
        ),
        (
            "[all.full_access, offline_access, leads.read]",
            [("CA401", 5, 43, "scope 'leads.read' does not exist for Close OAuth apps; Close grants only all.full_access and offline_access")],
        ),
        ("[all.full_access, offline_access, offline_access]", [("CA401", 5, 43, "scope 'offline_access' is listed twice; remove the repeat")]),
        ("[read]", [("CA401", 5, 10, "scope 'read' does not exist for Close OAuth apps; Close grants only all.full_access and offline_access")]),
        (
            "[ALL.FULL_ACCESS, offline_access]",
            [
                ("CA402", 5, 9, "scopes lists offline_access without all.full_access; Close grants both to every OAuth app — add all.full_access"),
                (
                    "CA401",
                    5,
                    10,
                    "scope 'ALL.FULL_ACCESS' does not exist for Close OAuth apps; did you mean 'all.full_access'? Scopes are written in lower case",
                ),
            ],
        ),
    ],
)
def test_scopes(scopes: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(VALID + f"scopes: {scopes}\n") == expected


# --- secrets and client id -------------------------------------------------------------

API_KEY = "api_" + "a1B2c3D4e5F6g7H8i9J0kL" + "." + "m1N2o3P4q5R6s7T8u9V0wX"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "x-deploy:\n  client_secret: s3cr3t-Value-For-Close-0123\n",
            [
                (
                    "CA411",
                    6,
                    18,
                    "x-deploy.client_secret holds a literal secret (s3cr…); never commit credentials — rotate it and load it from your secret store or an environment variable",
                )
            ],
        ),
        (
            "x-db_password: hunter2\n",
            [
                (
                    "CA411",
                    5,
                    16,
                    "x-db_password holds a literal secret (…); never commit credentials — rotate it and load it from your secret store or an environment variable",
                )
            ],
        ),
        (
            "x-api_key: 'abcdefghijklmnop'\n",
            [
                (
                    "CA411",
                    5,
                    12,
                    "x-api_key holds a literal secret (abcd…); never commit credentials — rotate it and load it from your secret store or an environment variable",
                )
            ],
        ),
        (
            "x-tokens:\n  - {refresh_token: zzzzzzzzzzzzzzzz}\n",
            [
                (
                    "CA411",
                    6,
                    21,
                    "x-tokens[0].refresh_token holds a literal secret (zzzz…); never commit credentials — rotate it and load it from your secret store or an environment variable",
                )
            ],
        ),
        (
            f"# old key: {API_KEY}\n",
            [
                (
                    "CA411",
                    5,
                    12,
                    "the file contains a Close API key (api_…); never commit credentials — rotate it and load it from your secret store or an environment variable",
                )
            ],
        ),
        (
            f"x-notes: see {API_KEY} here\n",
            [
                (
                    "CA411",
                    5,
                    14,
                    "the file contains a Close API key (api_…); never commit credentials — rotate it and load it from your secret store or an environment variable",
                )
            ],
        ),
        ("x-deploy:\n  client_secret: ${CLOSE_CLIENT_SECRET}\n", []),
        ("x-deploy:\n  client_secret: $CLOSE_CLIENT_SECRET\n", []),
        ("x-deploy:\n  client_secret: '${{ secrets.CLOSE }}'\n", []),
        ("x-deploy:\n  client_secret: ''\n", []),
        ("x-deploy:\n  token_url: https://auth.tidewater.dev/token\n", []),
        ("x-max_tokens: 5\n", []),
    ],
)
def test_secrets(extra: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(VALID + extra) == expected


def test_client_secret_as_unknown_field_reports_both() -> None:
    assert [c for c, *_ in found(VALID + "client_secret: s3cr3t-Value-For-Close-0123\n")] == ["CA102", "CA411"]


@pytest.mark.parametrize(
    ("client_id", "expected"),
    [
        ("oa2client_0123456789abcdefABCDEF", []),
        (
            "oa2client_0123",
            [
                (
                    "CA412",
                    5,
                    12,
                    "client_id does not look like a Close client ID (oa2client_ followed by 22 letters or digits; this one has 4 characters after oa2client_); copy it from Close",
                )
            ],
        ),
        (
            "0123456789abcdefABCDEF",
            [
                (
                    "CA412",
                    5,
                    12,
                    (
                        "client_id does not look like a Close client ID (oa2client_ followed by 22 letters or digits; "
                        "this one is 22 characters and does not start with oa2client_); copy it from Close"
                    ),
                )
            ],
        ),
    ],
)
def test_client_id(client_id: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(VALID + f"client_id: {client_id}\n") == expected


# --- pinned by mutation testing (tools/mutate.py) -------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("//app.tidewater.dev/cb", [("CA202", "redirect_url is not an absolute URL (it needs https:// and a host)")]),
        ("https:/app.tidewater.dev/cb", [("CA202", "redirect_url is not an absolute URL (it needs https:// and a host)")]),
        ("https://app.tidewater.dev:0/cb", [("CA202", "redirect_url has port 0")]),
        (
            "'http://app.tidewater.dev/a b'",
            [("CA201", "redirect_url uses http://; Close accepts only https:// redirect URLs"), ("CA202", "redirect_url contains whitespace")],
        ),
        ("https://" + "a" * 70 + "_x.dev/cb", [("CA202", f"redirect_url has an invalid host name {('a' * 60)!r}")]),
    ],
)
def test_redirect_url_edges(url: str, expected: list[tuple[str, str]]) -> None:
    assert [(c, m) for c, _, _, m in found(redirect(url))] == expected


def test_a_host_over_the_dns_length_is_invalid_without_asking_validators() -> None:
    host = ".".join(["abcdefghi"] * 110) + ".dev"  # 1,104 characters of well-formed labels
    assert analyze(f"https://{host}/cb").malformed == f"has an invalid host name {host[:60]!r}"


@pytest.mark.parametrize("host", ["8.8.8.8.nip.io", "app.nip.io", "10.0.0.1.nip.io.acme.dev", "999.1.1.1.sslip.io", "lvh.me.acme.dev", "mylvh.me"])
def test_wildcard_and_loopback_names_only_when_they_answer_privately(host: str) -> None:
    """A wildcard-DNS name that carries a public address, or none, and look-alikes of the
    loopback names are ordinary public hosts."""
    assert codes(PUBLIC.replace("https://app.tidewater.dev/oauth/close/callback", f"https://{host}/cb")) == []
