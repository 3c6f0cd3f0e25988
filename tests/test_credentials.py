"""CA411 (SPEC §3.2): a corpus of credentials in every shape and of look-alikes that are
not credentials; and no credential ever printed, in any format or command."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.cli import main
from closeapp_lint.credentials import find_in_text, is_literal, secret_named
from closeapp_lint.reporters import FORMATS

from .conftest import PUBLIC, VALID, run

# Made-up credentials of each format (none of them was ever issued).
CLOSE_KEY = "api_" + "7hG2kLmN4pQ8rStU9vWx0Y" + "." + "Zb3Cd5Ef7Gh9Jk1Lm3Np5Q"
STRIPE = "sk_live_" + "51HxQ2bC8dE9fG0hI1jK2lM3nO4pQ5rS"
STRIPE_TEST = "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"
STRIPE_RESTRICTED = "rk_live_" + "51HxQ2bC8dE9fG0hI1jK2lM3n"
AWS = "AKIA" + "QWERTYUIOPAS7DFG"
GITHUB = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"
GITHUB_PAT = "github_pat_" + "11ABCDEFG0" + "a" * 12 + "_" + "b" * 59
GITLAB = "glpat-" + "xR4nD0mT0k3nV4lu3sAb"
SLACK = "xoxb-" + "2301234567-4501234567890-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T0ABCDEFG/B0HIJKLMN/" + "aBcDeFgHiJkLmNoPqRsTuVwX"
GOOGLE = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkphbmUifQ" + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
WEBHOOK_SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "  MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi6ZCPx3mYKmNtKt1vxJ4xEe0aB\n"
    "  q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c2v3b4n5m6Q7W8E9R0T1Y2\n"
    "  -----END RSA PRIVATE KEY-----"
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


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        # known formats, wherever they are
        (f"x-note: 'billing key is {STRIPE}'\n", ["a Stripe secret key"]),
        (f"x-test-key: {STRIPE_TEST}\n", ["a Stripe secret key"]),
        (f"x-billing:\n  restricted: {STRIPE_RESTRICTED}\n", ["a Stripe restricted key"]),
        (f"x-webhook-signing: {WEBHOOK_SECRET}\n", ["a Stripe webhook signing secret"]),
        (f"x-aws: {AWS}\n", ["an AWS access key ID"]),
        (f"# deploy with {GITHUB}\n", ["a GitHub token"]),
        (f"x-ci: {GITHUB_PAT}\n", ["a GitHub token"]),
        (f"x-gitlab: {GITLAB}\n", ["a GitLab token"]),
        (f"x-slack: {SLACK}\n", ["a Slack token"]),
        (f"x-alerts: {SLACK_HOOK}\n", ["a Slack webhook URL"]),
        (f"x-maps: {GOOGLE}\n", ["a Google API key"]),
        (f"x-session: {JWT}\n", ["a JSON Web Token"]),
        (f"x-signing-key: |\n  {PEM}\n", ["a PEM private key"]),
        ("x-key: \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\"\n", ["a PEM private key"]),
        (f"# old: {CLOSE_KEY}\n", ["a Close API key"]),
        (f"x-{STRIPE}: true\n", ["a Stripe secret key"]),  # in a key
        (f"description: Uses {STRIPE} for billing.\n".replace("description: Turns", "x"), ["a Stripe secret key"]),
        # URLs
        ("x-db: https://admin:hunter2hunter2@db.tidewater.dev/app\n", ["credentials in the URL's user info"]),
        ("x-callback: https://app.tidewater.dev/cb?client_secret=Zq8vT2mW9xK4pL7n\n", ["a secret in the URL's 'client_secret' parameter"]),
        ("x-feed: https://feeds.tidewater.dev/x.json?user=ann&access_token=aZ9bY8cX7dW6\n", ["a secret in the URL's 'access_token' parameter"]),
        ("x-share: https://files.tidewater.dev/a.pdf?expires=1700000000&sig=Qm9vZm9vYmFy\n", ["a secret in the URL's 'sig' parameter"]),
        ("x-api: https://api.tidewater.dev/v1?api_key=k3yV4lu3-9x8y7z\n", ["a secret in the URL's 'api_key' parameter"]),
        # secret-named keys with literal values, any shape
        ("x-deploy:\n  client_secret: s3cr3t-Value-For-Close-0123\n", ["x-deploy.client_secret"]),
        ("x-db-password: \"correct-Horse-42\"\n", ["x-db-password"]),
        ("x-private_key: >-\n  c29tZS1rZXktbWF0ZXJpYWwtMTIz\n  bW9yZS1rZXktbWF0ZXJpYWw=\n", ["x-private_key"]),
        ("x-creds: {credential: 'Xy7!pQ2#wE9r'}\n", ["x-creds.credential"]),
        ("x-a: &s ZxCvBnM-123456\nx-token: *s\n", ["x-token"]),
        # comments and embedded JSON
        ("# client_secret: Zq8vT2mW9xK4pL7nR5s\n", ["a literal secret for 'client_secret'"]),
        ("x-json: '{\"password\": \"Pa55w0rd-Prod-7\"}'\n", ["a literal secret for 'password'"]),
        # two credentials, two findings; one credential under a secret name: one finding naming its kind
        (f"x-a: {AWS}\nx-b: {GITHUB}\n", ["an AWS access key ID", "a GitHub token"]),
        (f"x-stripe_secret: {STRIPE}\n", ["a Stripe secret key"]),
        (f"x-alerts: {SLACK_HOOK}?token={GITHUB}\n", ["a Slack webhook URL", "a GitHub token"]),
    ],
)
def test_credentials_are_found_and_named(extra: str, expected: list[str]) -> None:
    assert kinds(extra) == expected


@pytest.mark.parametrize(
    "extra",
    [
        # references to a secret store or the environment
        "x-deploy:\n  client_secret: ${CLOSE_CLIENT_SECRET}\n",
        "x-deploy:\n  client_secret: $CLOSE_CLIENT_SECRET\n",
        "x-deploy:\n  client_secret: env:CLOSE_CLIENT_SECRET\n",
        "x-deploy:\n  client_secret: vault:secret/data/close#client_secret\n",
        "x-deploy:\n  client_secret: op://Platform/Close OAuth/client secret\n",
        "x-deploy:\n  client_secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:close-AbCdEf\n",
        "x-deploy:\n  client_secret: sm://projects/acme/secrets/close\n",
        "x-deploy:\n  client_secret: '${{ secrets.CLOSE_CLIENT_SECRET }}'\n",
        "x-deploy:\n  client_secret: '{{ close_client_secret }}'\n",
        "x-db: https://admin:${DB_PASSWORD}@db.tidewater.dev/app\n",
        "x-cb: https://app.tidewater.dev/cb?token=${TOKEN}\n",
        # placeholders, masks, empty values
        "x-deploy:\n  client_secret: <your client secret>\n",
        "x-deploy:\n  client_secret: changeme\n",
        "x-deploy:\n  client_secret: '********'\n",
        "x-deploy:\n  client_secret: xxxxxxxxxxxxxxxx\n",
        "x-deploy:\n  client_secret: sk_live_…\n",
        "x-deploy:\n  client_secret: ''\n",
        "x-deploy:\n  client_secret:\n",
        # public identifiers
        "client_id: oa2client_0123456789abcdefABCDEF\n",
        "x-deploy:\n  api_key_id: 123e4567-e89b-12d3-a456-426614174000\n",
        "x-deploy:\n  token: 123e4567-e89b-12d3-a456-426614174000\n",
        "x-release:\n  commit_token: 3f786850e387550fdab836ed7e6dc881de23001b\n",
        # things about a secret that are not the secret
        "x-oauth:\n  token_url: https://auth.tidewater.dev/oauth/token\n  token_ttl: 3600\n  secret_name: close-oauth\n",
        "x-docs: The client secret stays in our secret store, never in this file.\n",
        "# token: see the platform wiki\n",
        "x-stripe-publishable: pk_live_51HxQ2bC8dE9fG0hI1jK2lM3n\n",
        "x-sha: 3f786850e387550fdab836ed7e6dc881de23001b\n",
        "x-link: https://app.tidewater.dev/settings?tab=tokens&page=2\n",
    ],
)
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
    [("client_secret", True), ("x-db-password", True), ("API_KEY", True), ("githubToken", True), ("private-key", True),
     ("token_url", False), ("secret_name", False), ("password_min_length", False), ("name", False), ("description", False)],
)
def test_secret_named(key: str, named: bool) -> None:
    assert secret_named(key) is named


@pytest.mark.parametrize(("value", "literal"), [("hunter2", True), ("${X}", False), ("env:X", False), ("", False), ("****", False), ("a b c d e", False)])
def test_is_literal(value: str, literal: bool) -> None:
    assert is_literal(value) is literal


# --- never printed -------------------------------------------------------------------------

# Every credential, also where other rules echo values: an unknown key (CA102), an enum
# value (CA104), a scope (CA401), a redirect URL (CA202), and a line that fails to parse.
LEAKY = PUBLIC.replace("visibility: public", f"visibility: {STRIPE}") + f"""\
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
SECRET_PARTS = [STRIPE, GITHUB, AWS, "Zq8vT2mW9xK4pL7nR5s", SLACK_HOOK.rsplit("/", 1)[1], JWT.split(".")[2], "Pa55w0rdPa55w0rd",
                "Qw3rTy8uIoP2aSd", GOOGLE, GITLAB, SLACK, CLOSE_KEY, "MIIEpAIBAAKCAQEA3Tz2mr7"]


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
