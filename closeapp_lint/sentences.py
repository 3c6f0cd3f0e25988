"""Sentence counting for app descriptions (SPEC §4), the way a careful reader counts.

A sentence ends at ``.``, ``!``, ``?`` or an ellipsis (optionally followed by closing
quotes or brackets) that is followed by white space or the end of the text — unless:

* the next word starts with a lower-case letter ("e.g. contacts", "Yahoo! users",
  "deals... and invoices");
* an ellipsis is not followed by a capital letter (an ellipsis inside a sentence);
* the period closes a title or Latin abbreviation that never ends a sentence
  (``e.g.``, ``i.e.``, ``vs.``, ``Dr.``, ``Mr.``, ``St.``, ``No.``, ``approx.`` …),
  or initials (``J.``, ``J.R.``, ``U.S.``);
* the period closes an abbreviation that can end a sentence (``etc.``, ``Inc.``,
  ``Ltd.``, ``Co.``, ``Corp.``) and a digit follows ("etc. 5 more").

Periods inside tokens never count: decimals and versions (``3.14``, ``v2.5``), domain
names, e-mail addresses and URLs have no white space after their dots.
"""

from __future__ import annotations

import re

_NEVER_END = frozenset(
    ["e.g", "i.e", "vs", "v", "dr", "mr", "mrs", "ms", "mx", "st", "no", "nos", "approx", "prof", "mt", "cf", "fig", "viz", "al", "jr", "sr", "sen", "rep", "gen", "col", "lt", "sgt"]
)
_CAN_END = frozenset(["etc", "inc", "ltd", "co", "corp", "llc", "plc", "gmbh", "bros"])
_TERMINATOR = re.compile(r"(\.\.\.|…|[.!?]+)([\"'”’)\]]*)(?=\s|$)")
_INITIALS = re.compile(r"^(?:[A-Za-z]\.)*[A-Za-z]$")
_WORDY = re.compile(r"[^\W_]")  # a letter or digit: punctuation alone is no sentence
_OPENERS = "\"'“‘([{"


def sentences(text: str) -> list[str]:
    """Split ``text`` into sentences; blank text has none."""
    flat = " ".join(text.split())
    result: list[str] = []
    start = 0
    for match in _TERMINATOR.finditer(flat):
        if _is_boundary(flat, match):
            result.append(flat[start : match.end()].strip())
            start = match.end()
    result.append(flat[start:].strip())
    return [s for s in result if _WORDY.search(s)]


def _is_boundary(flat: str, match: re.Match[str]) -> bool:
    rest = flat[match.end() :].lstrip().lstrip(_OPENERS)
    if not rest:
        return True
    nxt = rest[0]
    if nxt.islower():
        return False
    mark = match.group(1)
    if mark in ("...", "…"):
        return nxt.isupper()
    if mark != ".":
        return True
    word = flat[: match.start()].rsplit(" ", 1)[-1].lstrip(_OPENERS)
    lowered = word.lower()
    if lowered in _NEVER_END or _INITIALS.match(word):
        return False
    if lowered in _CAN_END:
        return not nxt.isdigit()
    return True
