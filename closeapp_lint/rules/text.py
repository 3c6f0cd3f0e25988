"""Rules on the words users see: description length in sentences (CA211), placeholder
text (CA212) and names that suggest Close made the app (CA213)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.document import Document, field_name
from ..core.manifest import MAX_TEXT, PAGES, REDIRECT, TEXT_FIELDS
from ..core.model import ERROR, WARNING, WARNING_TO_ERROR, Finding
from ..core.patterns import lazy
from ..core.rulespec import FIELD, Docs, rule
from ..text.deceptive import skeleton
from ..text.sentences import sentences
from ._manifest import PUBLIC, manifest
from ._util import at, text_at


@rule(
    "CA211",
    "description-sentences",
    ERROR,
    "The description is not 1–2 sentences.",
    Docs(
        what="Counts the description's sentences as a careful reader would — not splitting on abbreviations (e.g., Inc., U.S.), initials, decimals, versions, domains, e-mail addresses, URLs or an ellipsis inside a sentence; each list item and each paragraph counts as at least one; the value decides, whatever the YAML style, and a wrapped line in a script without letter case (CJK, Arabic, Hebrew) never ends a sentence by itself; abbreviations of other languages (p. ej., z. B., p. ex.) and Korean full stops without a space are read as a reader of the language would — and reports none, or three or more, quoting where the third begins.",
        why='Close\'s form asks for a "1–2 sentence description of what your app does"; it is what users read before they authorize the app.',
        example=manifest(description="Syncs deals. Creates invoices. Sends reminders."),
        use_instead=manifest(description="Syncs won deals into Tidewater invoices, e.g. for Acme Inc. customers. Payment status shows on the lead."),
        fix="Say what the app does in one or two sentences; move details to your own documentation.",
    ),
    checklist=(FIELD,),
)
def description_sentences(doc: Document) -> Iterator[Finding]:
    text = text_at(doc, "/description")
    if text is None or not text.strip():
        return  # a blank description is the schema's CA104/CA105
    found = sentences(text[:MAX_TEXT])  # the value Close receives decides, never the YAML style (SPEC §4, round 4)
    if not found:
        yield at(doc, description_sentences, "/description", "description has no sentence; say what the app does in 1–2 sentences")
    elif len(found) > 2:
        third = found[2]
        quote = third if len(third) <= 40 else third[:40].rstrip() + "…"
        yield at(doc, description_sentences, "/description", f'description has {len(found)} sentences; Close asks for 1–2 — the third begins "{quote}"')


_PLACEHOLDER = lazy(  # behind _may_hold_placeholder's substring checks
    r"\b(?:TODO|TBD|TBA|FIXME|lorem ipsum|change[ _-]?me|your app name|my app|placeholder)\b"
    r"|(?<![A-Za-z0-9])x{3,}(?![A-Za-z0-9])"
    # <your app name>, <PRODUCT>, <%= name %>: a word or a tag's % right inside the brackets,
    # so arrows (<->, <=>) and comparisons (< 5 and size >) are not placeholders
    r"|<[A-Za-z_%](?:[^<>\n]{0,58}[A-Za-z0-9_%])?>"
    r"|\breplace (?:this|me)\b|\bexample product\b"  # the starter's own text (closeapp-lint init)
    # a form's or a starter's own words left in: "Your app description goes here", "(insert description here)"
    r"|\b(?:description|summary|name|text) goes here\b"
    r"|\b(?:insert|enter|add|write|type|put)\s+(?:(?:your|the|a|an|app|product|short|brief)\s+){0,3}(?:description|summary|name|text)\s+here\b"
    r"|\ba (?:short|brief|one-line) description of (?:your|the) (?:app|product|integration)\b",
    re.IGNORECASE,
)
# A template left unrendered where the text belongs: {{ app_name }}, ${PRODUCT}, ${{ VAR }}
# (GitHub Actions, quoted with its $), {% if … %},
# {product} (as in a URL, CA202/CA303; <…> is placeholder text above). A single brace pair
# only around one variable name (lower case or capitals), so "{name, email, phone}" and
# "{Beta}" in prose are not one.
_TEMPLATE = lazy(
    r"\$\{\{[^{}\n]{1,100}\}\}|\{\{[^{}\n]{1,100}\}\}|\$\{[^{}\n]{1,100}\}|\{%[^{}\n]{1,100}%\}|\{\s{0,3}(?:[a-z_][a-z0-9_.-]{0,60}|[A-Z_][A-Z0-9_.-]{1,60})\s{0,3}\}"
)
_MARKER = lazy(r"\bREPLACE(?:[ _-]?ME)?\b")  # an explicit marker: capitals only
# HTML carried over from a web page: Close's form takes plain text and shows a tag as typed,
# so it is no placeholder but text not meant for users all the same (CA212's class).
_HTML = lazy(r"</?(?:br|p|div|span|b|i|u|em|strong|small|a|ul|ol|li|h[1-6]|img|code|pre|hr|table|tr|td)\b[^<>]{0,200}/?>", re.IGNORECASE)
_AS_TYPED = "which Close's form shows as typed, not as formatting; write plain text (a new line for a break)"
# "Example App", "Test Integration", "My Sync for Close": a placeholder word, then a product word.
_GENERIC_NAME = lazy(  # behind the first word's lookup in _GENERIC_FIRST
    r"^\W*(?:example|sample|test|testing|demo|my|your|our|untitled|new|dummy|foo|bar|placeholder|generic)\s+"
    r"(?:app|apps|application|product|integration|connector|connect|sync|tool|service|plugin|bot|extension|project|company|name|client)"
    r"(?:\s+(?:for|with|to)\s+close(?:\s+crm)?)?\W*$",
    re.IGNORECASE,
)
_GENERIC_FIRST = frozenset(
    ["example", "sample", "test", "testing", "demo", "my", "your", "our", "untitled", "new", "dummy", "foo", "bar", "placeholder", "generic"]
)
_PLACEHOLDER_HINTS = (
    *("todo", "tbd", "tba", "fixme", "lorem", "change", "your app", "my app", "placeholder", "xxx", "<", "{", "replace", "example product"),
    *(" here", "description of"),  # a form's own words: "… description goes here", "a short description of your app"
)


def _may_hold_placeholder(text: str) -> bool:
    """A cheap guard before the regex: most texts hold none of these substrings."""
    return any(map(text[: MAX_TEXT * 10].lower().__contains__, _PLACEHOLDER_HINTS))  # all in C


@rule(
    "CA212",
    "placeholder-text",
    WARNING_TO_ERROR,
    "The name, description or summary holds placeholder text.",
    Docs(
        what='Reports TODO, TBD, TBA, FIXME, lorem ipsum, changeme, xxx and <angle-bracket> placeholders, an unrendered template ({{ name }}, ${NAME}, ${{ NAME }}, {% … %}, {name}), HTML markup (<br>, <p>, <b>: the form shows it as typed), words of a form left in ("description goes here", "insert description here"), the starter text `closeapp-lint init` writes, a REPLACE marker in the value or in a comment on its line (on any field the starter marks, URLs and client_id included), and generic names such as "Example App", "Test Integration", "My App" or "Sample Product" in name, description and listing.summary; a URL on an example host of the docs (yourapp.com, app.yourdomain.com); a description or summary that only repeats the name; and a listing.contact_email at a domain no mail reaches (example.com, .test, .corp …). A warning for private apps, an error for public ones.',
        why="Placeholder text on a consent screen or in the Integrations Directory looks unfinished, and Close's reviewers reject it; the starter manifest must not pass the checklist until each value is your own.",
        example=manifest(PUBLIC, description="TBD - describe what the app does."),
        use_instead=manifest(PUBLIC),
        fix="Replace the placeholder with the real text, and delete the REPLACE comment.",
    ),
    checklist=(FIELD,),
)
def placeholder_text(doc: Document) -> Iterator[Finding]:
    if doc.mentions("our") or doc.mentions("OUR"):  # a cheap prefilter in C: "your" anywhere
        yield from _example_urls(doc)
    if "listing" in doc.data:
        yield from _example_address(doc)
    fields = [(pointer, text) for pointer in TEXT_FIELDS if (text := text_at(doc, pointer))]
    name = fields[0][1] if fields and fields[0][0] == "/name" else ""
    for pointer, text in fields[1:] if name else ():
        if len(text) <= len(name) + 3 and text.strip(_END).casefold() == name.strip(_END).casefold():
            yield at(doc, placeholder_text, pointer, f"{field_name(pointer)} only repeats the name; say what the app does with Close")
    generic = name.split(None, 1)[0].lower().strip("\"'([") in _GENERIC_FIRST if name.strip() else False
    if not generic and not doc.mentions("REPLACE") and not any(_may_hold_placeholder(text) for _, text in fields):
        return  # the common case: settled by a few substring checks on the short fields
    for pointer, text in fields:
        if "{" in text and (template := _TEMPLATE.search(text[:MAX_TEXT])):
            yield at(
                doc,
                placeholder_text,
                pointer,
                f"{field_name(pointer)} holds the template placeholder {template.group(0)[:60]!r}, not real text; write the text itself",
            )
        elif "<" in text and (markup := _HTML.search(text[:MAX_TEXT])):
            yield at(doc, placeholder_text, pointer, f"{field_name(pointer)} holds HTML markup {markup.group(0)[:40]!r}, {_AS_TYPED}")
        elif _may_hold_placeholder(text) and (match := _PLACEHOLDER.search(text[:MAX_TEXT])):
            yield at(doc, placeholder_text, pointer, f"{field_name(pointer)} holds placeholder text {match.group(0)[:40]!r}; replace it with the real text")
        elif pointer == "/name" and generic and _GENERIC_NAME.match(text[:200]):
            yield at(
                doc,
                placeholder_text,
                pointer,
                f'name {text.strip()[:60]!r} is a generic placeholder name; use your product\'s name, e.g. "Tidewater for Close"',
            )
        elif ("REPLACE" in text and _MARKER.search(text[:MAX_TEXT])) or _marked_in_comment(doc, pointer):
            yield at(doc, placeholder_text, pointer, _marked(pointer))
    if doc.mentions("REPLACE"):  # every other field the starter marks (the URLs, client_id) alike
        for pointer in _MARKABLE:
            if doc.value_at(pointer) is not None and _marked_in_comment(doc, pointer):
                yield at(doc, placeholder_text, pointer, _marked(pointer))


_END = " \t\n.!"  # what may end a description that only repeats the name


# The example hosts of docs and starters: yourapp.com (Close's own docs), app.yourdomain.com,
# your-company.io … A label of the registered name, right before the top-level domain.
_EXAMPLE_HOST = lazy(r"(?:^|\.)your-?(?:app|domain|company|site|website|server|product|service|host)\.[a-z]{2,63}$")


def _example_urls(doc: Document) -> Iterator[Finding]:
    """A URL left on an example host of the docs (``https://yourapp.com/callback/close``).
    A REPLACE-marked line says so itself."""
    for pointer in (REDIRECT, *PAGES):
        url = text_at(doc, pointer)
        if url and "your" in url[:4096].lower() and not _marked_in_comment(doc, pointer):
            from ..text.urls import host_of  # only for a URL that says "your"

            host = host_of(url).rstrip(".")
            if host and _EXAMPLE_HOST.search(host):
                yield at(doc, placeholder_text, pointer, f"{field_name(pointer)} is on {host}, an example host left in; put in your own URL")


_CONTACT = "/listing/contact_email"


def _example_address(doc: Document) -> Iterator[Finding]:
    """A listing's contact e-mail at a domain no mail reaches (partners@example.com,
    ops@acme.test, team@acme.corp): an example left in. A REPLACE-marked line says so
    itself."""
    email = text_at(doc, _CONTACT)
    if not email or "@" not in email or _marked_in_comment(doc, _CONTACT):
        return
    from ..text.urls import classify_host  # only for a listing's address

    reason = classify_host(email.rpartition("@")[2].strip().strip("[]")[:300])
    if reason:
        yield at(doc, placeholder_text, _CONTACT, f"listing.contact_email's domain {reason}; Close cannot write to it — put in the address Close should use")


# Fields besides the text fields that a REPLACE comment can mark (the starter marks the URLs).
_MARKABLE = (*PAGES, REDIRECT, "/client_id", "/visibility", "/scopes", "/listing/contact_email")


def _marked(pointer: str) -> str:
    return f"{field_name(pointer)} is marked REPLACE; put in your own value, then remove the REPLACE marker"


def _marked_in_comment(doc: Document, pointer: str) -> bool:
    """Whether a comment on the key's or the value's (last) line says REPLACE."""
    if not doc.mentions("REPLACE"):
        return False
    lines = doc.source_of(pointer).lines
    for number in {doc.key_span(pointer).line, doc.span(pointer).end_line}:
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        hash_at = line.find(" #")
        comment = line[hash_at:] if hash_at != -1 else ""
        if "REPLACE" in comment and _MARKER.search(comment):
            return True
    return False


# Words that, right after a leading "Close", make it read as a Close product rather
# than the verb ("Close Deals Faster" is fine; "Close Sync" is not).
_PRODUCT_WORDS = (
    "app|apps|integration|integrations|connector|connect|sync|bridge|plugin|plug-in|add-on|addon"
    "|extension|api|crm|official|partner|assistant|bot|dialer|phone|calendar|email|inbox|mobile|desktop|hub"
)
_OFFICIAL = [
    # "TimelinesAI for Close CRM" (or "… for Close.com") names what the app works with, as "… for Close" does.
    (lazy(r"(?<!\bfor )(?<!\bwith )\bclose\s*\.\s*(?:com|io)\b", re.IGNORECASE), "names Close's own domain"),
    (lazy(r"(?<!\bfor )(?<!\bwith )\bcloseio\b", re.IGNORECASE), 'uses Close\'s former name "Close.io"'),
    (lazy(r"(?<!\bfor )(?<!\bwith )\bclose[™®]?\s*[-_.]?\s*crm\b", re.IGNORECASE), 'uses Close\'s product name "Close CRM"'),
    (lazy(r"\bofficial\b.*\bclose\b|\bclose\b.*\bofficial\b", re.IGNORECASE), "calls itself official"),
    # "by Close" names a maker; "Import from Close" names where the data comes from.
    (lazy(r"\bby\s+close\b(?!\s+\w)", re.IGNORECASE), "says it is made by Close"),
    (lazy(r"^\s*close[™®]?\s*$", re.IGNORECASE), 'is just "Close"'),
    # "Close Sync by Acme" states its maker, so it does not read as Close's own product.
    # Written as one word ("CloseSync", "Close-Bot") or with a trademark sign ("Close® Dialer"), alike.
    (lazy(rf"^\s*Close[™®]?(?:\s*[-_]\s*|\s*)(?:{_PRODUCT_WORDS})\b(?!.*\bby\s+(?!close\b)\w)", re.IGNORECASE), "starts like a Close product name"),
    # "Close for Slack" reads as Close's own app for Slack, the mirror of "Slack for Close".
    (
        lazy(r"^\s*Close[™®]?\s+for\s+(?!close\b)\w(?!.*\bby\s+(?!close\b)\w)", re.IGNORECASE),
        'is worded as Close\'s own app for another product ("Close for …")',
    ),
]


@rule(
    "CA213",
    "name-implies-official",
    WARNING,
    "The name suggests the app is made by Close.",
    Docs(
        what='Judges the name as it looks (its UTS #39 skeleton, so a Cyrillic С or a capital I for l counts as the Latin letter) and reports names such as "Close CRM Sync", "Official Close Integration", "Close.com Connector", "Sync by Close", "Close for Slack" (it reads as an app Close made for Slack) or a name that is just "Close" or starts with "Close" and a product word (Sync, Integration, App, Connector…), also written as one word ("CloseSync", "Close-Bot"), with a trademark sign ("Close® Dialer") or with the former name "Closeio". Ordinary uses of the verb ("Close Deals Faster") and "… for Close" are fine.',
        why="The name is shown on Close's consent screen; users must not mistake a third-party app for one made by Close, and reviewers ask for a rename.",
        example=manifest(name="Close CRM Sync"),
        use_instead=manifest(name="Tidewater for Close"),
        fix='Lead with your own product\'s name, e.g. "Tidewater for Close".',
    ),
    checklist=(FIELD,),
)
def name_implies_official(doc: Document) -> Iterator[Finding]:
    name = (text_at(doc, "/name") or "")[:MAX_TEXT]
    if not name:
        return
    # Every pattern holds the word "close": a name without it (casefolded, as the patterns'
    # IGNORECASE matches it) needs none of them compiled.
    for pattern, reason in _OFFICIAL if "close" in name.casefold() else ():
        if pattern.search(name):
            yield at(
                doc,
                name_implies_official,
                "/name",
                f'name {reason}, so users may think Close made this app; lead with your own product\'s name, e.g. "<Product> for Close"',
            )
            return
    if name.isascii() and not any(c in name for c in "01|I"):
        return  # plain ASCII that looks exactly as written: nothing more to judge
    for looks_like, (pattern, reason) in ((s, p) for s in _skeletons(name) if "close" in s.casefold() for p in _OFFICIAL):
        if pattern.search(looks_like):
            yield at(
                doc,
                name_implies_official,
                "/name",
                f"name reads as {looks_like[:60]!r} through look-alike characters and {reason}, so users may think Close made this app; "
                'lead with your own product\'s name, e.g. "<Product> for Close"',
            )
            return


# ASCII characters UTS #39 maps to other ASCII ones: its skeleton of "CIose" and "Cl0se"
# is "Close". A capital I is also just an I ("Integration"), so it is tried both ways.
_ASCII_SKELETON = str.maketrans({"1": "l", "|": "l", "0": "O"})
_CAPITAL_I = str.maketrans({"I": "l"})


def _skeletons(name: str) -> list[str]:
    """The name as it may look (UTS #39 skeleton), when that differs from how it is written;
    plain ASCII without loading Unicode data."""
    base = name
    if not name.isascii():
        base = skeleton(name, ascii_too=False)
    base = base.translate(_ASCII_SKELETON)
    variants = [base, base.translate(_CAPITAL_I)]
    return [v for v in dict.fromkeys(variants) if v != name]
