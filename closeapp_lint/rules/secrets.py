"""Credential rules: secrets in the manifest (CA411) and the client ID's shape (CA412).

:func:`find_secrets` is also what the engine uses to redact code frames, whatever the
configuration says about CA411: no output ever shows more than a secret's first four
characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ..model import ERROR, WARNING, Finding, Span
from ..registry import Docs, make_finding, rule
from ..source import Document, field_name, span_at_index
from ._manifest import manifest
from ._util import at, strings, text_at

CLOSE_API_KEY = re.compile(r"(?<![A-Za-z0-9])api_[A-Za-z0-9]{22}\.[A-Za-z0-9]{22}(?![A-Za-z0-9])")
_SECRET_KEY = re.compile(r"secret|passw(?:or)?d|token|api[_-]?key|private[_-]?key|credential", re.IGNORECASE)
# Values that only refer to a secret kept elsewhere.
_SECRET_WORDS = ("secret", "passw", "token", "api", "key", "credential")  # cheap guard for _SECRET_KEY
_REFERENCE = re.compile(r"^\s*(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$\{\{.*\}\}|<[^<>]*>)\s*$")
_CLIENT_ID = re.compile(r"^oa2client_[A-Za-z0-9]{22}$")


class Secret(NamedTuple):
    span: Span
    pointer: str
    where: str  # how to name it in a message
    value: str


def preview(value: str) -> str:
    """At most the first four characters, and only when the value is long enough
    that four characters give nothing useful away."""
    value = value.strip()
    return f"{value[:4]}…" if len(value) >= 12 else "…"


def find_secrets(doc: Document) -> list[Secret]:
    found: list[Secret] = []
    # Cheap guards first: most manifests have no secret-like key and no "api_" at all.
    lowered = doc.text.lower()
    if any(word in lowered for word in _SECRET_WORDS):
        for pointer, key, value in strings(doc.data):
            if key is None or not _SECRET_KEY.search(key) or not _is_literal(value):
                continue
            found.append(Secret(doc.span(pointer), pointer, field_name(pointer), value))
    if "api_" not in doc.text:
        return found
    covered = {s.span.line for s in found}
    for match in CLOSE_API_KEY.finditer(doc.text):
        span = span_at_index(doc.text, match.start(), doc.lines)
        span = Span(span.line, span.column, span.line, span.column + len(match.group(0)))
        if span.line not in covered:
            found.append(Secret(span, "", "a Close API key", match.group(0)))
    return found


def _is_literal(value: str) -> bool:
    if not value.strip() or _REFERENCE.match(value):
        return False
    return not re.match(r"^https?://[^@/]*(?:/|$)", value)  # e.g. token_url: https://…


@rule("CA411", "secret-in-manifest", ERROR, "A literal secret, password, token or API key is in the manifest.", Docs(
    what="Reports literal values of keys named like *secret*, *password*, *token*, *api_key* (extension keys too) and Close API keys (api_ + 22 + . + 22 characters) anywhere in the text, comments included. A value that only names an environment variable (${NAME}, $NAME) or is empty is fine. The secret is never printed: at most its first four characters.",
    why="Manifests live in git; a committed client secret or API key is a leaked credential the moment it is pushed, and must be rotated.",
    example=manifest(extra="x-deploy:\n  client_secret: s3cr3t-Value-For-Close-0123\n"),
    use_instead=manifest(extra="x-deploy:\n  client_secret: ${CLOSE_CLIENT_SECRET}\n"),
    fix="Remove the value, rotate the credential in Close, and load it from your secret store or an environment variable.",
))
def secret_in_manifest(doc: Document) -> Iterator[Finding]:
    for secret in find_secrets(doc):
        where = f"{secret.where} holds a literal secret" if secret.pointer else "the file contains a Close API key"
        message = f"{where} ({preview(secret.value)}); never commit credentials — rotate it and load it from an environment variable"
        yield make_finding("CA411", message, secret.span, secret.pointer)


@rule("CA412", "client-id-format", WARNING, "client_id does not look like a Close client ID.", Docs(
    what="Reports a client_id that is not oa2client_ followed by 22 letters or digits.",
    why="A mistyped or truncated client ID breaks the listing request, and a secret pasted into the wrong field is a leak.",
    example=manifest(client_id="0123456789abcdef"),
    use_instead=manifest(client_id="oa2client_0123456789abcdefABCDEF"),
    fix="Copy the Client ID from Close (Settings → Developer → OAuth Apps).",
))
def client_id_format(doc: Document) -> Iterator[Finding]:
    client_id = text_at(doc, "/client_id")
    if client_id and not _CLIENT_ID.match(client_id.strip()):
        yield at(doc, "CA412", "/client_id", "client_id does not look like a Close client ID (oa2client_ followed by 22 letters or digits); copy it from Close")
