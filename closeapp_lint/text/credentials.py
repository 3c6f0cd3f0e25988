"""Credential detection (SPEC §3.2): what CA411 reports and what every output masks.

Two sources, merged so that each credential is reported once:

* **Known formats in the raw text** — values, keys, comments, block scalars and URLs
  alike: Close API keys, PEM private key blocks, AWS access key IDs, GitHub, GitLab,
  Slack, Stripe and Google credentials, JSON Web Tokens, Slack webhook URLs, user info
  in URLs (``https://user:pass@host``), secret-named URL query parameters
  (``?client_secret=…``) and ``secret_key = …`` assignments in comments or embedded text.
  Each detector has a cheap substring guard, so a manifest without any of them costs
  one pass of ``in`` checks over its text.
* **Secret-named keys in the parsed data** (``*secret*``, ``*password*``, ``*token*``,
  ``*api_key*``, ``*private_key*``, ``*credential*``) holding a literal value, however
  the value is written (quoted, folded, a block scalar, behind an alias).

Not credentials: references to a secret store or the environment (``${NAME}``,
``$NAME``, ``env:NAME``, ``vault:…``, ``op://…``, ``arn:aws:secretsmanager:…``,
``sm://…``, ``${{ secrets.X }}``), placeholders (``<…>``, ``changeme``), masks
(``****``, ``xxxx``, ``…``), empty values, and public identifiers (``oa2client_…``
client IDs, UUIDs, commit hashes).

Nothing here prints a value: callers show :func:`preview` (at most four characters)
and mask frames and messages with :func:`redact`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import compress
from typing import Any

from ..core.document import LINE_BREAKS, Document, LineIndex, escape_pointer, field_name
from ..core.manifest import CLIENT_ID
from ..core.model import Span
from ..core.patterns import lazy
from ..core.records import NamedTuple


class Secret(NamedTuple):
    span: Span
    pointer: str  # the value's JSON Pointer when it is a whole value; "" when found in the text
    kind: str  # how to name it in a message: "a Stripe secret key"
    value: str  # the secret itself (never printed)
    start: int  # character offsets in the text, for de-duplication and masking
    end: int


class _Detector(NamedTuple):
    kind: str
    guards: tuple[str, ...]  # substrings the text must contain before the regex runs
    pattern: re.Pattern[str]
    group: str | int = 0  # the part of the match that is the secret


_SECRET_WORDS = r"(?:secret|passw(?:or)?d|pwd|token|api[_-]?key|apikey|private[_-]?key|credential|access[_-]?key)"
_DETECTORS = (
    _Detector("a Close API key", ("api_",), lazy(r"(?<![A-Za-z0-9])api_[A-Za-z0-9]{22}\.[A-Za-z0-9]{22}(?![A-Za-z0-9])")),
    _Detector("a PEM private key", ("-----BEGIN",), lazy(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")),
    _Detector(
        "an AWS access key ID",
        ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        lazy(r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])"),
    ),
    _Detector(
        "a GitHub token",
        ("gh", "github_pat_"),
        lazy(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"),
    ),
    _Detector(
        "a GitLab token",
        ("gl",),
        lazy(r"(?<![A-Za-z0-9_-])(?:glpat|gldt|glrt|glptt|glsoat|glcbt|glimt|glagent|glffct|gloas|glft)-[A-Za-z0-9_.-]{20,255}"),
    ),
    _Detector("a Slack webhook URL", ("hooks.slack.com",), lazy(r"https?://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{16,}")),
    _Detector("a Discord webhook URL", ("discord",), lazy(r"https?://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_-]{20,}")),
    _Detector("a Slack token", ("xox", "xapp-"), lazy(r"(?<![A-Za-z0-9])(?:xox[abposre]-[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})")),
    _Detector("a Stripe secret key", ("sk_",), lazy(r"(?<![A-Za-z0-9])sk_(?:live|test)_[A-Za-z0-9]{10,}")),
    _Detector("a Stripe restricted key", ("rk_",), lazy(r"(?<![A-Za-z0-9])rk_(?:live|test)_[A-Za-z0-9]{10,}")),
    _Detector("a Stripe webhook signing secret", ("whsec_",), lazy(r"(?<![A-Za-z0-9])whsec_[A-Za-z0-9+/=]{20,}")),
    _Detector("a Google API key", ("AIza",), lazy(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])")),
    _Detector("a JSON Web Token", ("eyJ",), lazy(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")),
    _Detector(
        "an OpenAI API key",
        ("sk-",),
        lazy(r"(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|(?<![A-Za-z0-9_-])sk-proj-[A-Za-z0-9_-]{40,}"),
    ),
    _Detector("an Anthropic API key", ("sk-ant-",), lazy(r"(?<![A-Za-z0-9_-])sk-ant-[A-Za-z0-9_-]{20,}")),
    _Detector("a SendGrid API key", ("SG.",), lazy(r"(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,64}")),
    _Detector("an npm token", ("npm_",), lazy(r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])")),
    _Detector("a PyPI token", ("pypi-",), lazy(r"(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}")),
    _Detector("a Shopify access token", ("shp",), lazy(r"(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9])")),
    _Detector("a Mailgun API key", ("key-",), lazy(r"(?<![A-Za-z0-9_-])key-[0-9a-f]{32}(?![A-Za-z0-9])")),
    _Detector("a Square access token", ("sq0",), lazy(r"(?<![A-Za-z0-9_-])sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}")),
    _Detector("a DigitalOcean token", ("_v1_",), lazy(r"(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9])")),
    _Detector("a HashiCorp Vault token", ("hv",), lazy(r"(?<![A-Za-z0-9_])hv[sb]\.[A-Za-z0-9_-]{24,}")),
    _Detector("an Azure storage account key", ("AccountKey=",), lazy(r"AccountKey=(?P<secret>[A-Za-z0-9+/]{40,}={0,2})"), "secret"),
    _Detector("a bearer token", ("Bearer", "bearer"), lazy(r"\b[Bb]earer[ \t]+(?P<secret>[A-Za-z0-9._~+/-]{20,}=*)"), "secret"),
    _Detector("HTTP basic credentials", ("Basic",), lazy(r"\bBasic[ \t]+(?P<secret>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])"), "secret"),
    _Detector("credentials in the URL's user info", ("@",), lazy(r"://[^\s/?#@:'\"<>]*:(?P<secret>[^\s/?#@'\"<>]+)@"), "secret"),
    _Detector(
        "a secret in the URL's query",
        ("=",),
        lazy(
            r"[?&;#](?P<name>[A-Za-z0-9_.-]*" + _SECRET_WORDS + r"[A-Za-z0-9_.-]*|sig|signature|x-amz-signature|x-goog-signature)"
            r"=(?P<secret>[^&#\s'\"<>]+)",
            re.IGNORECASE,
        ),
        "secret",
    ),
)
# ``secret_key = …`` / ``"password": "…"`` outside the YAML structure (comments, JSON in
# a string): only values that look machine-made count, so prose ("token: see the wiki")
# is not a credential.
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_ASSIGNED = lazy(r"[\"']?[ \t]*[:=][ \t]*[\"']?(?P<secret>[^\s\"',#&]{8,})")
_ASSIGNMENT_GUARDS = ("secret", "passw", "pwd", "token", "key", "credential")

_SECRET_NAME = lazy(_SECRET_WORDS, re.IGNORECASE)
# A secret-named key whose last word says it holds something about the secret, not the
# secret itself: token_url, password_min_length, secret_name, api_key_header …
_ABOUT = frozenset(
    [
        "url",
        "uri",
        "urls",
        "endpoint",
        "host",
        "ttl",
        "expiry",
        "expires",
        "expiration",
        "lifetime",
        "length",
        "len",
        "min",
        "max",
        "header",
        "name",
        "names",
        "id",
        "ids",
        "type",
        "path",
        "ref",
        "reference",
        "file",
        "env",
        "var",
        "variable",
        "arn",
        "version",
        "rotation",
        "days",
        "hours",
        "seconds",
        "format",
        "prefix",
        "location",
        "store",
        "provider",
        "source",
        "hint",
        "help",
        "enabled",
        "required",
        "count",
    ]
)
_WORD_SPLIT = lazy(r"[^a-z0-9]+")
_SECRET_SPELLINGS = ["client_secret", "clientsecret", "secret", "password", "passwd", "api_key", "apikey", "token", "private_key", "credentials"]

_REFERENCE = lazy(
    r"""^\s*(?:
        \$\{\{.*\}\}                                   # ${{ secrets.X }} (GitHub Actions)
      | \$\{[^}]*\} | \$[A-Za-z_][A-Za-z0-9_]*          # ${NAME}, $NAME
      | \{\{.*\}\} | %\([^)]*\)s | %[A-Za-z_][A-Za-z0-9_]*%   # templates
      | \{[A-Za-z_][A-Za-z0-9_.-]*\}                   # {token}, a URL template's variable
      | (?:env|vault|op|sm|ssm|gsm|gcp-sm|aws-sm|secret|secrets|keyvault|azure-keyvault|doppler|infisical|bws|sops|file|ref)
        :(?://)?\S.*                                  # env:NAME, vault:…, op://…, sm://…
      | arn:aws:(?:secretsmanager|ssm|kms):\S+
      | projects/[^/\s]+/secrets/\S+                  # Google Secret Manager
      | https?://[^\s/]+\.vault\.azure\.net/\S*       # Azure Key Vault
    )\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_PLACEHOLDER = lazy(
    r"^\s*(?:<[^<>]*>|\[[^\[\]]*\]|\(\s*\)|"
    r"(?:your|my)[-_ ]?[\w-]*|change[-_ ]?me|replace(?:[-_ ]?me)?|redacted|removed|hidden|todo|tbd|placeholder|example|sample|dummy|"
    r"none|null|nil|n/?a|secret|password|token|api[-_ ]?key|not[-_ ]?set|unset|empty|\.\.\.)\s*$",
    re.IGNORECASE,
)
_MASK = lazy(r"^[\s*xX•#.…_-]*$|^.{0,8}(?:\*{3,}|x{4,}|X{4,}|•{3,}|\.{3}|…)", re.DOTALL)
_PUBLIC_ID = lazy(
    r"^\s*(?:" + CLIENT_ID + r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # UUID
    r"|[0-9a-f]{40}|[0-9a-f]{64})\s*$"  # git commit hashes (SHA-1, SHA-256)
)
_URL_WITHOUT_USERINFO = lazy(r"^\s*https?://[^@/\s]*(?:[/?#]\S*)?\s*$")


def preview(value: str) -> str:
    """At most the first four characters, and only when the value is long enough that
    four characters give nothing useful away."""
    value = value.strip()
    return f"{value[:4]}…" if len(value) >= 12 else "…"


def is_literal(value: str) -> bool:
    """Whether ``value`` could be a credential itself rather than a reference to one, a
    placeholder, a mask or a public identifier."""
    if not value.strip() or len(value) > 20_000:
        return False
    if _REFERENCE.match(value) or _PLACEHOLDER.match(value) or _MASK.match(value) or _PUBLIC_ID.match(value):
        return False
    if _URL_WITHOUT_USERINFO.match(value):
        return False  # token_url: https://… is an address, not a token
    # Prose (several words) is a note about a secret, not one.
    return len(value.split()) <= 3


def secret_named(key: str, *, typos: bool = False) -> bool:
    """Whether a key is named like it holds a credential (``client_secret``, ``x-db-password``;
    with ``typos``, also a near spelling such as ``client_sercet``)."""
    if not _SECRET_NAME.search(key):
        if typos and len(key) <= 60:
            from difflib import get_close_matches

            return bool(get_close_matches(key.lower(), _SECRET_SPELLINGS, n=1, cutoff=0.75))
        return False
    words = [w for w in _WORD_SPLIT.split(key.lower()) if w]
    return not words or words[-1] not in _ABOUT


_ALPHA = lazy(r"[^\W\d_]")
_DIGIT = lazy(r"\d")
_SYMBOL = lazy(r"[\W_]")


def _looks_generated(value: str) -> bool:
    """A value with letters and digits (or symbols), the shape of keys and passwords."""
    if not _ALPHA.search(value):
        return False
    return bool(_DIGIT.search(value)) or (len(value) >= 16 and bool(_SYMBOL.search(value)))


_PEM_END = lazy(r"-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----")


def _pem_end(text: str, start: int, ends: list[tuple[int, int]], line_ends: list[int]) -> int:
    """Where the block that begins before ``start`` ends: the next END line, else its own
    line's end (both found once for the whole text, so many BEGIN lines cost a bisection
    each, never a search to the end of a long line)."""
    index = bisect_left(ends, (start, -1))
    if index < len(ends) and ends[index][0] - start <= 100_000:
        return ends[index][1]
    at = bisect_left(line_ends, start)
    return line_ends[at] if at < len(line_ends) else len(text)


# Which detectors can match at all: guards that start with a capital are found by one
# regex scan (capitals are rare, so it skips most of the text), the others by ``in``.
_GUARDS = sorted({g for d in _DETECTORS for g in d.guards})
_UPPER_GUARDS = [g for g in _GUARDS if g[0].isupper()]
_LOWER_GUARDS = [g for g in _GUARDS if not g[0].isupper()]
_UPPER_SCAN = lazy("|".join(re.escape(g) for g in sorted(_UPPER_GUARDS, key=len, reverse=True)))


def _present(text: str) -> set[str]:
    present = set(_UPPER_SCAN.findall(text))
    present.update(compress(_LOWER_GUARDS, map(text.__contains__, _LOWER_GUARDS)))  # all in C: this runs for every file
    return present


def _format_hits(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, secret) for every known format in ``text``, in detector order."""
    present = _present(text)
    if not present:
        return
    pem_ends: list[tuple[int, int]] | None = None
    line_ends: list[int] | None = None
    covered = -1  # where the last PEM block ends: a BEGIN inside it is part of it
    for detector in _DETECTORS:
        if present.isdisjoint(detector.guards):
            continue
        for match in detector.pattern.finditer(text):
            start, end = match.span(detector.group)
            secret = match.group(detector.group)
            if detector.group and not is_literal(_unescaped(secret)):
                continue
            kind = detector.kind
            if detector.kind == "a PEM private key":
                if start < covered:
                    continue  # 8,000 BEGIN lines on one line are one block, not 8,000 slices of it
                pem_ends = pem_ends if pem_ends is not None else [m.span() for m in _PEM_END.finditer(text)]
                line_ends = line_ends if line_ends is not None else [m.start() for m in LINE_BREAKS.finditer(text)]
                end = covered = _pem_end(text, match.end(), pem_ends, line_ends)
                secret = text[start:end]
            elif "name" in detector.pattern.groupindex:
                name = match.group("name")
                if not (name.lower() in _SIGNATURES or secret_named(name)) or secret.lower() in _FLAGS:
                    continue  # ?token_type=bearer, ?token_ttl=3600, ?token=true: about a secret, not one
                kind = f"a secret in the URL's {name[:40]!r} parameter"
            yield start, end, kind, secret


_SIGNATURES = frozenset(["sig", "signature", "x-amz-signature", "x-goog-signature"])
_FLAGS = frozenset(["true", "false", "yes", "no", "on", "off", "0", "1"])  # a switch in a URL, never a credential


def _unescaped(value: str) -> str:
    """A URL's part with its %-escapes decoded (``%3CTOKEN%3E`` is the placeholder
    ``<TOKEN>``); most values hold none and are returned as they are."""
    if "%" not in value:
        return value
    from urllib.parse import unquote

    return unquote(value[:20_001])


def _may_name_secrets(text: str) -> bool:
    """A cheap guard: does any secret-like word occur in ``text`` at all?"""
    return any(map(text.lower().__contains__, _ASSIGNMENT_GUARDS))


def _assignment_hits(text: str, *, named: bool | None = None, taken: list[tuple[int, int]] | None = None) -> Iterator[tuple[int, int, str, str]]:
    """``name: value`` / ``name=value`` pairs with a secret name and a generated-looking value."""
    if len(text) > 2_000_000 or not (_may_name_secrets(text) if named is None else named):
        return
    # Find each secret-like word, widen it to the whole name, then look for ": value"
    # or "=value" right after it: linear in the text, no backtracking over names.
    end_of_last = 0
    for word in _SECRET_NAME.finditer(text):
        if word.start() < end_of_last:
            continue  # inside the name or the value of the previous pair
        start, end = word.start(), word.end()
        while start > 0 and text[start - 1] in _NAME_CHARS and word.start() - start < 100:
            start -= 1
        while end < len(text) and text[end] in _NAME_CHARS and end - word.end() < 100:
            end += 1
        end_of_last = end
        assigned = _ASSIGNED.match(text, end)
        if assigned is None:
            continue
        end_of_last = assigned.end()
        if taken and _overlaps(assigned.start("secret"), assigned.end("secret"), taken):
            continue  # already found by its format (a URL's ?token=…): judged once
        name, secret = text[start:end], _balanced(assigned.group("secret"))
        if secret_named(name) and is_literal(_unescaped(secret)) and _looks_generated(secret):
            begin = assigned.start("secret")
            yield begin, begin + len(secret), f"a literal secret for {name[:40]!r}", secret


def _balanced(value: str) -> str:
    """Drop closing brackets that belong to the surrounding flow mapping or JSON."""
    while value and value[-1] in "]})" and value.count(value[-1]) > value.count({"]": "[", "}": "{", ")": "("}[value[-1]]):
        value = value[:-1]
    return value.rstrip(",;")


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps one of ``taken`` (sorted, never overlapping each
    other): only the neighbours by start can, so this is a bisection, not a scan."""
    index = bisect_left(taken, (start, -1))
    if index < len(taken) and taken[index][0] < end:
        return True
    return index > 0 and taken[index - 1][1] > start


class _Collector:
    """Accepts each credential once: a later hit that overlaps an accepted one is dropped."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[Secret] = []
        self.taken: list[tuple[int, int]] = []
        self._lines: LineIndex | None = None

    def add(self, start: int, end: int, kind: str, secret: str, *, pointer: str = "", span: Span | None = None) -> None:
        if _overlaps(start, end, self.taken):
            return
        if span is None:
            self._lines = self._lines or LineIndex(self.text)
            span = self._lines.span(start, end)
        insort(self.taken, (start, end))
        self.found.append(Secret(span, pointer, kind, secret, start, end))

    def result(self) -> list[Secret]:
        return sorted(self.found, key=lambda s: (s.start, s.end))


def find_in_text(text: str) -> list[Secret]:
    """Credentials anywhere in ``text`` (also when it does not parse)."""
    collector = _Collector(text)
    for hit in _format_hits(text):
        collector.add(*hit)
    for hit in _assignment_hits(text, taken=collector.taken):
        collector.add(*hit)
    return collector.result()


def find_secrets(doc: Document) -> list[Secret]:
    """Every credential in a parsed manifest, each once, in source order. The rule and
    the engine's masking both ask about the same document: the answer is remembered
    for the last two texts."""
    return list(_secrets_of(_SameText(doc)))


class _SameText:
    """A document as a cache key: equal when its text is (the text decides the parse)."""

    __slots__ = ("doc",)

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def __hash__(self) -> int:
        return hash(self.doc.text)  # a str caches its hash: computed once per text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SameText) and (other.doc is self.doc or other.doc.text == self.doc.text)


@lru_cache(maxsize=2)
def _secrets_of(key: _SameText) -> tuple[Secret, ...]:
    return tuple(_find_secrets(key.doc))


def _find_secrets(doc: Document) -> list[Secret]:
    # Specific formats first (they name the kind), then literal values of secret-named
    # keys (they name the field), then name=value pairs in comments and embedded text.
    collector = _Collector(doc.text)
    for hit in _format_hits(doc.text):
        collector.add(*hit)
    named = _may_name_secrets(doc.text)  # most manifests name no secret at all
    if named:
        for pointer, _key, value in _named_values(doc.data):
            info = doc.nodes.get(pointer)
            if info is not None and is_literal(value):
                collector.add(info.node.start_mark.index, info.node.end_mark.index, "a literal secret", value, pointer=pointer, span=doc.span(pointer))
    for key, node in doc.shadowed:  # a value a duplicate key replaced is gone from the data, not from git
        if secret_named(key):
            for scalar in _scalars(node):
                if is_literal(scalar.value):
                    collector.add(scalar.start_mark.index, scalar.end_mark.index, f"a literal secret for {key[:40]!r}", scalar.value)
    for hit in _assignment_hits(doc.text, named=named, taken=collector.taken):
        collector.add(*hit)
    return collector.result()


_MAX_SHADOWED = 10_000  # scalars looked at under one replaced value


def _scalars(node: Any) -> Iterator[Any]:
    """The string scalars in a YAML node — the node itself, or those in a list or a
    mapping it holds (keys and values) — iteratively and bounded."""
    stack, seen = [node], 0
    while stack and seen < _MAX_SHADOWED:
        current = stack.pop()
        seen += 1
        if isinstance(current.value, str):
            yield current
        elif isinstance(current.value, list):
            for item in reversed(current.value):
                stack.extend(reversed(item) if isinstance(item, tuple) else [item])


def _named_values(value: Any, pointer: str = "", key: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(pointer, key, string) for each string under a secret-named key, at any depth."""
    if isinstance(value, dict):
        for k, item in value.items():
            yield from _named_values(item, f"{pointer}/{escape_pointer(k)}", _inherit(key, k))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _named_values(item, f"{pointer}/{index}", key)
    elif isinstance(value, str) and key is not None:
        yield pointer, key, value


# Under a secret-named mapping (x-credentials: {…}), these keys still hold no secret.
_NOT_SECRET_CHILD = _ABOUT | {"user", "username", "login", "email", "account", "region", "description", "note", "notes", "comment", "owner"}


def _inherit(parent: str | None, key: str) -> str | None:
    """The secret-named key that governs ``key``'s value: its own name, or its parent's."""
    if secret_named(key):
        return key
    words = [w for w in _WORD_SPLIT.split(key.lower()) if w]
    return None if parent is None or (words and words[-1] in _NOT_SECRET_CHILD) else parent


def where(secret: Secret) -> str:
    return field_name(secret.pointer) if secret.pointer else ""


_HEAD = 8  # the characters of a long secret by which its quoted parts are looked up
_PART = 16  # a part this long of a longer credential is masked too (a message quotes 40 or 60 characters)
_FEW = 16  # up to this many distinct keys, each is found with str.find (in C); more: one pass over the text


class Masker:
    """Masks every credential of a file by its value, wherever its text appears: in a
    message, a frame, a diff line, whichever field or comment it was copied into. The
    first 16 characters or more of a longer credential are masked too (a message quotes
    a part of a value); a shorter common start such as ``https://`` is not.

    Linear in the text, whatever the number of credentials: a few are found with
    ``str.find``; with many, each position is looked up in a hash set, and the credential
    a position starts is found by bisection among those that share its first characters."""

    def __init__(self, secrets: Iterable[Secret]) -> None:
        values = {v for s in secrets if len(v := s.value.strip()) >= 6}
        # A credential over several lines (a PEM block) is masked line by line too: its
        # value as parsed has no indentation, and a quoted value escapes its line breaks.
        values |= {part for v in values if "\n" in v for line in v.splitlines() if len(part := line.strip()) >= 8}
        self._whole = {v for v in values if len(v) <= _PART}  # short credentials: masked only whole
        self._longer: dict[str, list[str]] = {}  # the first characters of each longer one -> those
        for value in sorted(values - self._whole):
            self._longer.setdefault(value[:_HEAD], []).append(value)
        self._keys = self._whole | self._longer.keys()
        self._lengths = sorted({len(k) for k in self._keys}, reverse=True)
        self._starts = {k[:6] for k in self._keys}  # one lookup per position before any other
        self.longest = max(map(len, values), default=0)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def __call__(self, text: str) -> str:
        if not self._keys or len(text) < 6:
            return text
        spans = self._spans(text)
        if not spans:
            return text
        pieces, last = [], 0
        for start, end in spans:
            if end <= last:
                continue  # inside the credential masked before it
            start = max(start, last)
            pieces += [text[last:start], _masked(text[start:end])]
            last = end
        pieces.append(text[last:])
        return "".join(pieces)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if len(self._keys) <= _FEW:
            for key in self._keys:
                at = text.find(key)
                while at != -1:
                    if (end := self._end(text, at, key)) != -1:
                        found.append((at, end))
                    at = text.find(key, at + 1)
            return sorted(found)
        keys, starts = self._keys, self._starts
        for at in range(len(text) - 5):
            if text[at : at + 6] not in starts:
                continue
            ends = [self._end(text, at, key) for length in self._lengths if (key := text[at : at + length]) in keys]
            if ends and (end := max(ends)) != -1:
                found.append((at, end))
        return found

    def _end(self, text: str, at: int, key: str) -> int:
        """Where the credential that starts at ``at`` (with ``key``) ends in ``text``, as
        far as the text goes on matching the credential it shares most with; -1 when
        that is not enough to be one."""
        best = len(key) if key in self._whole else 0
        longer = self._longer.get(key)
        if longer:
            window = text[at : at + self.longest]
            index = bisect_left(longer, window)
            shared = max(_common_prefix(window, value) for value in longer[max(0, index - 1) : index + 1])
            if shared >= _PART:
                best = max(best, shared)
        return at + best if best else -1


def _common_prefix(a: str, b: str) -> int:
    if a.startswith(b):
        return len(b)
    low, high = 0, min(len(a), len(b))
    while low < high:  # bisection on the prefix length: comparisons of slices run in C
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def redact(text: str, secrets: Iterable[Secret]) -> str:
    """``text`` with every credential of ``secrets`` masked after its first four
    characters (a cut-off part of one too); see :class:`Masker` to mask many texts."""
    return Masker(secrets)(text)


def mask_source(text: str, found: Iterable[Secret], known: Iterable[Secret] = ()) -> str:
    """``text`` with every credential masked in place (same length, same line breaks), so
    that a diff or a listing of the source shows none of them: ``found`` (the credentials
    found in it) at their places, and any of those or of ``known`` wherever its value
    appears."""
    found = list(found)
    pieces, last = [], 0
    for secret in sorted(found, key=lambda s: s.start):
        if secret.start >= last:
            pieces += [text[last : secret.start], _masked(text[secret.start : secret.end])]
            last = secret.end
    pieces.append(text[last:])
    return Masker([*found, *known])("".join(pieces))


def _masked(value: str) -> str:
    keep = 4 if len(value) >= 12 else 0
    return value[:keep] + "".join(c if c in "\r\n" else "*" for c in value[keep:])
