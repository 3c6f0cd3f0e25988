"""Credential rules: secrets in the manifest (CA411) and the client ID's shape (CA412).

:mod:`..credentials` finds them; the engine uses the same detection to redact frames
and messages, whatever the configuration says about CA411: no output ever shows more
than a secret's first four characters.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..core.document import Document, field_name
from ..core.manifest import CLIENT_ID
from ..core.model import ERROR, WARNING, Finding
from ..core.patterns import lazy
from ..core.rulespec import Docs, rule
from ..text.credentials import find_secrets, preview
from ._manifest import manifest
from ._util import at, text_at

_CLIENT_ID = lazy(rf"^{CLIENT_ID}$")  # only a manifest with a client_id needs it


@rule(
    "CA411",
    "secret-in-manifest",
    ERROR,
    "A credential (secret, password, token, private or API key) is in the manifest.",
    Docs(
        what="Reports credentials anywhere in the file — values, keys, comments, descriptions, block scalars and URLs — one finding per credential, naming its kind: "
        "Close API keys (api_ + 22 + . + 22 characters), PEM private key blocks, AWS access key IDs, GitHub and GitLab tokens, Slack tokens and webhook URLs, "
        "Stripe secret, restricted and webhook keys, Google API keys, JSON Web Tokens, user:password@ in URLs, secret-named query parameters (?client_secret=, "
        "?token=, ?api_key=, ?sig=) and literal values of keys named like *secret*, *password*, *token*, *api_key*, *private_key* or *credential* (extension "
        "keys too). References to a secret store or the environment (${NAME}, $NAME, env:NAME, vault:…, op://…, arn:aws:secretsmanager:…, sm://…, "
        "${{ secrets.X }}), placeholders (<…>), masks (****), empty values, client IDs, UUIDs and commit hashes are not credentials. "
        "The secret is never printed in any format: at most its first four characters.",
        why="Manifests live in git; a committed client secret or API key is a leaked credential the moment it is pushed, and must be rotated.",
        example=manifest(
            extra="x-deploy:\n  client_secret: s3cr3t-Value-For-Close-0123\n  webhook: https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnopqrstuvwx\n"
        ),
        use_instead=manifest(extra="x-deploy:\n  client_secret: ${CLOSE_CLIENT_SECRET}\n  webhook: op://platform/slack-webhook/url\n"),
        fix="Remove the value, rotate the credential where it was issued, and load it from your secret store or an environment variable.",
    ),
    checklist=("secrets",),
    per_file=True,
)
def secret_in_manifest(doc: Document) -> Iterator[Finding]:
    for secret in find_secrets(doc):
        if secret.pointer:
            where = f"{field_name(secret.pointer)} holds {secret.kind}"
        else:
            where = f"the file contains {secret.kind}"
        message = f"{where} ({preview(secret.value)}); never commit credentials — rotate it and load it from your secret store or an environment variable"
        yield secret_in_manifest.finding(message, secret.span, secret.pointer)


@rule(
    "CA412",
    "client-id-format",
    WARNING,
    "client_id does not look like a Close client ID.",
    Docs(
        what="Reports a client_id that is not oa2client_ followed by 22 letters or digits.",
        why="A mistyped or truncated client ID breaks the listing request, and a secret pasted into the wrong field is a leak.",
        example=manifest(client_id="0123456789abcdef"),
        use_instead=manifest(client_id="oa2client_0123456789abcdefABCDEF"),
        fix="Copy the Client ID from Close (Settings → Developer → OAuth Apps).",
    ),
)
def client_id_format(doc: Document) -> Iterator[Finding]:
    client_id = text_at(doc, "/client_id")
    if client_id and not _CLIENT_ID.match(client_id.strip()):
        yield at(
            doc,
            client_id_format,
            "/client_id",
            f"client_id does not look like a Close client ID (oa2client_ followed by 22 letters or digits; {_shape(client_id.strip())}); copy it from Close",
        )


def _shape(value: str) -> str:
    """What the client_id holds instead, said without echoing it (it may be a secret)."""
    rest = value[len("oa2client_") :] if value.startswith("oa2client_") else None
    if rest is None:
        return f"this one is {len(value)} characters and does not start with oa2client_"
    other = sum(1 for c in rest if not c.isascii() or not c.isalnum())
    return f"this one has {len(rest)} characters after oa2client_" + (f", {other} of them neither a letter nor a digit" if other else "")
