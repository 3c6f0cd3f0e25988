"""Inline suppression comments (SPEC §7).

Accepted forms (the prefix and selectors are case-insensitive, spaces around ``:``,
``=`` and ``,`` are allowed, and a reason may follow after ``--``)::

    key: value  # closeapp-lint: disable=CA203,redirect-not-public
    # closeapp-lint: disable=CA2            (own line: the next line with content)
    # closeapp-lint: disable-file=CA212     (anywhere: the whole file)
    key: value  # closeapp-lint: disable=CA203 -- dev-only app

Anything else that starts with ``closeapp-lint`` is CA006 — there is no blanket form,
so a missing ``:`` or ``=`` never silently disables everything (flake8's ``# noqa E501``
trap). Unknown selectors, and CA001–CA005, are CA006 too. A selector that suppresses
nothing is CA007.

Comments are found with the parser's help: a ``#`` counts only outside every scalar
the parser saw, so a ``#`` inside a quoted string, a block scalar or a URL fragment is
never mistaken for a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core.codes import finding as finding_of
from ..core.document import Document, span_of
from ..core.model import Finding, Span
from ..core.patterns import lazy
from ..rules import registry

# What reads as an attempt at a directive: the tool's name (or a near spelling) followed
# by a colon or a directive-like word. Prose that merely mentions closeapp-lint is not.
_PREFIX = lazy(r"^\s*closeapp[-_ ]?lint\s*(?::|(?:disable|enable|ignore|noqa|skip|off)\b)", re.IGNORECASE)
_MENTION = lazy("closeapp[-_ ]?lint", re.IGNORECASE)
_DIRECTIVE = lazy(
    r"^\s*closeapp-lint\s*:\s*(?P<kind>disable|disable-file)\s*=\s*"
    # Possessive (no backtracking into the list): a list of 330,000 selectors kept 120 MB
    # of backtracking state for the repeated group.
    r"(?P<selectors>[A-Za-z0-9_.-]++(?:\s*+,\s*+[A-Za-z0-9_.-]++)*+)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


_SELECTOR = lazy(r"[A-Za-z0-9_.-]+")  # one selector of a directive's list (what _DIRECTIVE allows)


class _Selector:
    __slots__ = ("codes", "text", "used")

    def __init__(self, text: str, codes: frozenset[str]) -> None:
        self.text, self.codes, self.used = text, codes, False


class Directive:
    __slots__ = ("selectors", "span", "target", "whole_file")

    def __init__(self, span: Span, whole_file: bool, target: int) -> None:
        self.span, self.whole_file = span, whole_file
        self.target = target  # the line it applies to (unused for whole-file directives)
        self.selectors: list[_Selector] = []


class _Index:
    """The directives by what they cover: whole-file selectors by code, line directives by
    the line they target. A finding is looked up, never compared with every directive, so
    a flood of comments stays linear."""

    def __init__(self, directives: list[Directive]) -> None:
        self.whole: dict[str, list[_Selector]] = {}
        self.lines: dict[int, list[_Selector]] = {}
        for directive in directives:
            for sel in directive.selectors:
                if directive.whole_file:
                    for code in sel.codes:
                        self.whole.setdefault(code, []).append(sel)
                else:
                    self.lines.setdefault(directive.target, []).append(sel)
        self.used_whole: set[str] = set()  # codes a whole-file selector suppressed

    def covers(self, finding: Finding) -> bool:
        return finding.code in self.whole or any(finding.code in sel.codes for sel in self.lines.get(finding.span.line, ()))

    def use(self, finding: Finding) -> bool:
        """Whether a directive suppresses ``finding``; each one that does counts as used."""
        hit = finding.code in self.whole
        if hit:
            self.used_whole.add(finding.code)
        for sel in self.lines.get(finding.span.line, ()):
            if finding.code in sel.codes:
                sel.used = hit = True
        return hit

    def settle(self) -> None:
        for selectors in self.whole.values():
            for sel in selectors:
                sel.used = sel.used or not sel.codes.isdisjoint(self.used_whole)


def _mentions_the_tool(text: str) -> bool:
    """Whether ``text`` names closeapp-lint at all (no comment can be a directive without).
    ASCII text without "closeapp" in any case is answered without the pattern; other text
    is searched, as case-insensitive matching is wider than ``str.lower`` (the Kelvin sign
    matches k)."""
    return ("closeapp" in text.lower() or not text.isascii()) and _MENTION.search(text) is not None


def split(doc: Document | None, findings: list[Finding], enabled: frozenset[str]) -> tuple[list[Finding], list[Finding]]:
    """(the findings to report, with CA006/CA007 added; the findings a comment suppressed)."""
    if doc is None or not _mentions_the_tool(doc.text):
        return findings, []
    directives, problems = parse(doc)
    if not directives and not problems:
        return findings, []
    index = _Index(directives)
    kept: list[Finding] = []
    dropped: list[Finding] = []
    for finding in findings:
        if finding.code not in registry.UNSUPPRESSIBLE and index.use(finding):
            dropped.append(finding)
        else:
            kept.append(finding)
    index.settle()
    problems.extend(_unused(directives, enabled))
    # CA006/CA007 answer to suppressions too (e.g. disable-file=CA007), without counting as use.
    kept.extend(p for p in problems if p.code in enabled and not index.covers(p))
    return kept, dropped


def _unused(directives: list[Directive], enabled: frozenset[str]) -> Iterator[Finding]:
    for directive in directives:
        for sel in directive.selectors:
            if not sel.used and sel.codes & enabled and not sel.codes <= {"CA006", "CA007"}:
                scope = "this file" if directive.whole_file else f"line {directive.target}"
                yield finding_of("CA007", f"suppression of {sel.text} matched no finding on {scope}; remove it", directive.span)


def parse(doc: Document) -> tuple[list[Directive], list[Finding]]:
    directives: list[Directive] = []
    problems: list[Finding] = []
    following: list[int] | None = None
    for line_no, column, comment in comments(doc):
        if not _PREFIX.match(comment):
            continue
        span = Span(line_no, column, line_no, column + 1 + len(comment))
        match = _DIRECTIVE.match(comment)
        rest = match.group("rest").strip() if match else ""
        if match is None or (rest and not rest.startswith(("--", "—"))):
            problems.append(finding_of("CA006", _malformed(comment), span))
            continue
        whole_file = match.group("kind").lower() == "disable-file"
        own_line = not doc.lines[line_no - 1][: column - 1].strip()
        if own_line and not whole_file:
            following = following if following is not None else _next_content_lines(doc.lines)
            target = following[line_no]
        else:
            target = line_no
        directive = Directive(span, whole_file, target)
        seen: set[frozenset[str]] = set()
        texts: set[str] = set()
        unknown = 0
        # Each selector once (a 1 MB "CA,CA,CA,…" is one selector, not 300,000 copies of
        # every code), and at most MAX_UNKNOWN unknown ones named: the rest are counted.
        # Read one at a time: a flood is never held as a list of its pieces.
        for piece in _SELECTOR.finditer(match.string, *match.span("selectors")):
            text = piece.group(0)
            if text in texts:
                continue
            codes = registry.expand_selector(text)
            if codes is None and unknown >= MAX_UNKNOWN:
                unknown += 1
                continue
            texts.add(text)
            if codes is not None and codes in seen:
                continue
            if codes is None:
                unknown += 1
                # did-you-mean costs a fuzzy match per selector: enough for a person, bounded for a flood
                hint = registry.did_you_mean(text[:60]) if len(problems) < MAX_SUGGESTIONS else "; `closeapp-lint rules` lists them"
                problems.append(finding_of("CA006", f"unknown rule {text[:60]!r} in suppression comment{hint}", span))
            elif codes <= registry.UNSUPPRESSIBLE:
                problems.append(finding_of("CA006", f"{text} cannot be suppressed: CA001–CA005 decide whether the file can be read at all", span))
            else:
                seen.add(codes)
                directive.selectors.append(_Selector(text, codes - registry.UNSUPPRESSIBLE))
        if unknown > MAX_UNKNOWN:
            problems.append(finding_of("CA006", f"and {unknown - MAX_UNKNOWN:,} more unknown rules in this suppression comment", span))
        if directive.selectors:
            directives.append(directive)
    return directives, problems


def _malformed(comment: str) -> str:
    shown = " ".join(comment.split())[:60]
    return f"malformed suppression comment {shown!r}; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'"


MAX_SUGGESTIONS = 50
MAX_UNKNOWN = 50  # unknown selectors of one comment named one by one; more are counted in one finding


def _next_content_lines(lines: tuple[str, ...]) -> list[int]:
    """For each line number, the next line after it with content (not blank, not only a
    comment), or the line after it when none follows: one pass from the end."""
    following = [0] * (len(lines) + 2)
    after = 0
    for number in range(len(lines), 0, -1):
        following[number] = after or number + 1
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            after = number
    return following


def comments(doc: Document) -> Iterator[tuple[int, int, str]]:
    """(line, column of '#', text after '#') for every comment in the document."""
    occupied = _scalar_columns(doc)
    for index, line in enumerate(doc.lines):
        if "#" not in line:
            continue
        taken = occupied.get(index + 1, ())
        for column in (i for i, ch in enumerate(line) if ch == "#"):
            if column and line[column - 1] not in " \t":
                continue
            if any(start <= column + 1 < end for start, end in taken):
                continue
            yield index + 1, column + 1, line[column + 1 :]
            break


def _scalar_columns(doc: Document) -> dict[int, list[tuple[int, int]]]:
    """Per line, the [start, end) columns that scalar values and keys occupy."""
    occupied: dict[int, list[tuple[int, int]]] = {}
    seen: set[int] = set()  # an aliased node sits at many pointers: count it once
    for info in doc.nodes.values():
        parts = [n for n in (info.node if info.kind == "scalar" else None, info.key) if n is not None and id(n) not in seen]
        seen.update(id(n) for n in parts)
        for span in (span_of(n, doc.lines) for n in parts):
            for line in range(span.line, span.end_line + 1):
                start = span.column if line == span.line else 1
                end = span.end_column if line == span.end_line else 10**9
                occupied.setdefault(line, []).append((start, end))
    return occupied
