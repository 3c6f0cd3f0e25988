"""Deceptive Unicode rules: bidirectional controls anywhere (CA008), homograph or
invisible characters in URLs (CA204) and in the words users read (CA214)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core.document import Document, LineIndex, field_name
from ..core.manifest import MAX_TEXT, TEXT_FIELDS, URL_FIELDS
from ..core.model import ERROR, Finding
from ..core.rulespec import FIELD, Docs, rule
from ..text import deceptive
from ..text.urls import host_of
from ._manifest import manifest
from ._util import at, text_at

MAX_BIDI_FINDINGS = 100  # a file made of controls gets this many findings, not a million


@rule(
    "CA008",
    "bidi-control",
    ERROR,
    "A Unicode bidirectional control character is in the file (Trojan Source).",
    Docs(
        what="Reports each bidirectional embedding, override or isolate control (U+202A–U+202E, U+2066–U+2069) anywhere in the file — values, keys and comments — at the character.",
        why='These characters reorder how a line is displayed, so a reviewer reads something other than what the YAML parser reads ("Trojan Source", CVE-2021-42574). A manifest never needs them.',
        example=manifest(name="Tidewater Deal Desk  # \u202eokay\u202c"),
        use_instead=manifest(name="Tidewater Deal Desk  # okay"),
        fix="Delete the character (most editors show it only with \"render control characters\" on; `grep -nP '[\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]'` finds it).",
    ),
    checklist=("schema",),
    per_file=True,
)
def bidi_control(doc: Document) -> Iterator[Finding]:
    if doc.text.isascii():
        return
    lines: LineIndex | None = None
    for count, match in enumerate(deceptive.BIDI_CONTROLS.finditer(doc.text)):
        if count == MAX_BIDI_FINDINGS:
            return
        lines = lines or LineIndex(doc.text)
        span = lines.span(match.start(), match.end())
        message = (
            f"bidirectional control {deceptive.name(match.group(0))}: this line displays in a different order than YAML reads it (Trojan Source); delete it"
        )
        yield bidi_control.finding(message, span)


@rule(
    "CA204",
    "deceptive-url",
    ERROR,
    "A URL's host is a homograph, or the URL holds invisible characters.",
    Docs(
        what="Reports a redirect, legal or product URL whose host has a label that mixes scripts or is made of letters confusable with ASCII ones (UTS #39; `xn--` labels are decoded first), or whose text holds invisible, format or control characters. The message shows the host's `xn--` form and names each confusable character with its code point. A single-script internationalized name such as bücher.de is fine.",
        why="A reviewer approves the URL they see in the diff. `аpp.tidewater.dev` with a Cyrillic `а` looks identical and is another domain: every user's authorization code would go to whoever owns it.",
        example=manifest(redirect_url="https://\u0430pp.tidewater.dev/oauth/close/callback"),
        use_instead=manifest(),
        fix="Type the host again in plain ASCII (or write an internationalized name in its xn-- form) and delete invisible characters.",
    ),
    checklist=(FIELD,),
)
def deceptive_url(doc: Document) -> Iterator[Finding]:
    if _plain(doc) and not _punycode(doc):
        return
    for pointer in URL_FIELDS:
        url = text_at(doc, pointer)
        if url is None or (url.isascii() and "xn--" not in url.lower() and not deceptive.ascii_controls_in(url)):
            continue
        name = field_name(pointer)
        hidden = deceptive.hidden_characters(url[:MAX_TEXT])
        if hidden:
            yield at(
                doc,
                deceptive_url,
                pointer,
                f"{name} holds {_hidden_list(hidden)}, which no one reading it can see; delete {'it' if len(hidden) == 1 else 'them'}",
            )
            continue
        host = host_of(url[:MAX_TEXT])
        problems = deceptive.host_problems(host) if host else []
        if problems:
            first = problems[0]
            chars = deceptive.look_alikes("".join(p.label for p in problems))
            looks = f" ({deceptive.confusable_detail(chars)})" if chars else ""
            message = f"{name} host is a homograph: {first.reason}{looks}; it is really {first.ascii_form[:120]} — write the host in plain ASCII"
            yield at(doc, deceptive_url, pointer, message)


def _punycode(doc: Document) -> bool:
    """Whether an xn-- label may be in a URL (in this file or a base merged into it)."""
    return any("xn--" in text.lower() for text in doc.texts) if doc.bases else "xn--" in doc.text.lower()


def _plain(doc: Document) -> bool:
    """ASCII text without escapes: YAML refuses raw control characters, so no value in
    it can hold a hidden or non-ASCII character (the common case, decided in one pass).
    A name can still hold a line break or tab, from a block or quoted scalar."""
    name = doc.data.get("name")
    plain = all(t.isascii() and "\\" not in t for t in doc.texts) if doc.bases else doc.text.isascii() and "\\" not in doc.text
    return plain and not (isinstance(name, str) and any(c in name for c in "\t\n\r"))


def _hidden_list(hidden: list[deceptive.Hidden], limit: int = 3) -> str:
    chars = list(dict.fromkeys(h.char for h in hidden))
    names = ", ".join(deceptive.name(c) for c in chars[:limit]) + (f" and {len(chars) - limit} more" if len(chars) > limit else "")
    noun = "an invisible or control character" if len(hidden) == 1 else f"{len(hidden)} invisible or control characters"
    return f"{noun} ({names})"


@rule(
    "CA214",
    "deceptive-text",
    ERROR,
    "The name, description or listing summary holds invisible characters or mixes scripts in a word.",
    Docs(
        what="Reports control characters (ESC, BEL …), invisible and format characters (zero-width space, word joiner, soft hyphen, left-to-right mark …), characters stacked with more than four combining marks, and words that mix scripts confusably (Latin with Cyrillic or Greek letters in one word, UTS #39) in name, description and listing.summary. A zero width joiner inside an emoji sequence, a joiner where its script needs one, and whole words in any one script (Cyrillic, Greek, Arabic; CJK with Latin) are fine. Bidirectional controls are CA008.",
        why='The name and description are what users read on Close\'s consent screen: a Cyrillic `С` makes "Сlose Sync" pass for "Close Sync", and invisible characters make two names that look alike differ, or smuggle terminal escapes into every tool that prints the manifest.',
        example=manifest(name="Tidewater Deal\u200bDesk"),
        use_instead=manifest(),
        fix="Retype the word in one script and delete invisible characters.",
    ),
    checklist=(FIELD,),
)
def deceptive_text(doc: Document) -> Iterator[Finding]:
    if _plain(doc):
        return
    raw_bidi = any(not text.isascii() and deceptive.BIDI_CONTROLS.search(text) is not None for text in doc.texts)
    for pointer in TEXT_FIELDS:
        text = text_at(doc, pointer)
        if not text:
            continue
        text = text[:MAX_TEXT]
        one_line = pointer == "/name"  # shown on one line of the consent screen
        if text.isascii() and not deceptive.ascii_controls_in(text) and not (one_line and any(c in text for c in "\t\n\r")):
            continue
        name = field_name(pointer)
        hidden = deceptive.hidden_characters(text, skip_bidi=raw_bidi, line_breaks=not one_line)
        if hidden:
            yield at(
                doc, deceptive_text, pointer, f"{name} holds {_hidden_list(hidden)}, which readers cannot see; delete {'it' if len(hidden) == 1 else 'them'}"
            )
        marks = deceptive.stacked_marks(text)
        if marks > deceptive.MAX_MARKS:
            yield at(doc, deceptive_text, pointer, f"{name} stacks {marks} combining marks on one character, which draws over the text around it; remove them")
        mixed = next(deceptive.mixed_words(text), None)
        if mixed is not None:
            looks = f" ({deceptive.confusable_detail(mixed.confusables)})" if mixed.confusables else ""
            scripts = " and ".join(mixed.scripts)
            yield at(doc, deceptive_text, pointer, f"{name} mixes {scripts} letters in the word {mixed.word[:40]!r}{looks}; write each word in one script")
