"""Sentence counting for app descriptions (SPEC §4), the way a careful reader counts.

A sentence ends at ``.``, ``!``, ``?`` or an ellipsis (optionally followed by closing
quotes or brackets) that is followed by white space or the end of the text. Periods
inside tokens never count: decimals and versions (``3.14``, ``v2.5``), domain names,
e-mail addresses and URLs have no white space after their dots.

Whether a period followed by white space ends the sentence depends on the word it
closes and on the next word (the Pragmatic Segmenter's "Golden Rules" work the same way):

=====================================  ==============================  =================
the period closes …                    next word                       sentence ends?
=====================================  ==============================  =================
any word                               starts lower-case               no
                                       (``e.g. contacts``, ``Yahoo! users``)
a title or Latin abbreviation that     anything                        no
never ends a sentence (``e.g.``,
``i.e.``, ``vs.``, ``Dr.``, ``Mr.``,
``St.``, ``Mt.``, ``No.``, ``N°.``,
``p.``, ``approx.`` …)
an abbreviation that can end one       a capitalised word              yes
(``etc.``, ``Inc.``, ``Ltd.``,         a digit                         no
``Co.``, ``Corp.``, ``LLC`` …)         (``… and co. They know`` ends;
                                       ``etc. 5 more`` does not)
an initialism (``U.S.``, ``E.U.``,     a word that starts sentences    yes
``U.S.A.``, ``a.m.``) or one           (``How``, ``The``, ``It``,
initial (``J.``, ``I.``)               ``Did``, ``We`` …)
                                       any other capitalised word —    no
                                       a name-like continuation
                                       (``U.S. Government``,
                                       ``Albert I. Jones``)
any other word (``deals.``,            anything not lower-case         yes
``$100.00.``, ``tidewater.dev.``)
=====================================  ==============================  =================

Ellipses: ``...``/``…`` attached to a word end the sentence only before a capital
(``deals... Then`` ends, ``deals... and`` does not); a spaced ellipsis ``. . .`` and
a bracketed one ``[...]`` mark an omission inside a sentence, and a fourth spaced dot
(``. . . .``) is the sentence's own period. Numbered and lettered lists (``1. … 2. …``,
``1.) …``, ``a. … b. …``, ``• 9. … • 10. …``) count one sentence per item at least:
two or more markers in sequence start a new sentence each, and the marker's own period
ends nothing.
"""

from __future__ import annotations

import re

from ..core.patterns import lazy

_NEVER_END = frozenset(
    [
        "e.g",
        "i.e",
        "vs",
        "v",
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "st",
        "mt",
        "no",
        "nos",
        "n°",
        "nº",
        "№",
        "p",
        "pp",
        "approx",
        "prof",
        "cf",
        "fig",
        "viz",
        "al",
        "jr",
        "sr",
        "sen",
        "rep",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "rev",
        "hon",
        "ft",
        "vol",
        "ch",
        "sec",
        "ave",
        "blvd",
        "rd",
        "est",
        "dept",
        "univ",
        "min",
        "max",
        "ver",
        "incl",
        "excl",
        "esp",
        # Other languages (SPEC §4, round 4): Spanish "p. ej.", "EE. UU.", "Sra.", "Dra.";
        # German "bzw.", "ggf.", "vgl.", "Nr."; French "p. ex.", "Mme", "env."; Portuguese
        # "Sra.", "aprox."; Italian "Sig.", "dott."; Dutch "bijv.", "bv." (one-letter parts —
        # "z. B.", "d. h.", "u. a.", "M." — are initials, judged below).
        "ej",
        "ee",
        "sra",
        "srta",
        "dra",
        "lic",
        "ing",
        "pág",
        "núm",
        "bzw",
        "ggf",
        "evtl",
        "vgl",
        "bspw",
        "inkl",
        "nr",
        "ca",
        "hr",
        "mme",
        "mlle",
        "env",
        "ex",
        "sig",
        "dott",
        "bijv",
        "bv",
    ]
)
_CAN_END = frozenset(
    ["etc", "inc", "ltd", "co", "corp", "llc", "plc", "gmbh", "bros", "ag", "sa", "pty", "assn"]
    + ["usw", "ecc", "enz", "uu"]  # German, Italian, Dutch "etc."; Spanish "EE. UU." (the United States)
    # months and weekdays: "since Jan. 2020" goes on, "… closed on Fri. Then …" ends
    + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
    + ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]
)
# Words that begin sentences, so a capitalised one of them after an initialism or an
# initial ("… the U.S. How …", "… you and I. Did …") starts a new sentence; any other
# capitalised word reads as the rest of a name ("U.S. Government", "Albert I. Jones").
_STARTERS = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "our",
        "your",
        "their",
        "my",
        "his",
        "her",
        "how",
        "what",
        "when",
        "where",
        "who",
        "whom",
        "whose",
        "why",
        "which",
        "however",
        "but",
        "and",
        "so",
        "yet",
        "also",
        "then",
        "thus",
        "therefore",
        "still",
        "meanwhile",
        "instead",
        "otherwise",
        "did",
        "do",
        "does",
        "is",
        "are",
        "was",
        "were",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "after",
        "before",
        "if",
        "once",
        "while",
        "since",
        "because",
        "although",
        "though",
        "as",
        "every",
        "each",
        "all",
        "many",
        "most",
        "some",
        "more",
        "millions",
        "being",
        "no",
        "not",
    ]
)
# Possessive quantifiers: a run of 10,000 dots is one match, never backtracked into.
# Terminals of other scripts count too: Arabic ؟ and Devanagari । are followed by a space
# like Latin ones; CJK and fullwidth 。！？． end a sentence with no space after them.
_TERMINATOR = re.compile(r"(\.\.\.|…|\u22ef\.|[.!?؟।]++)([\"'”’)\]]*+)(?=\s|$)")
_TERMINATOR_CJK = lazy(_TERMINATOR.pattern + r"|([。！？．]++)([\"'”’)\]」』）]*+)")  # only for text that holds one
_CJK_TERMINALS = frozenset("。！？．")
_INITIALS = lazy(r"^(?:[A-Za-z]\.)*[A-Za-z]$")  # J, U.S, e.u, U.S.A, a.m (the last period is the match)
_WORDY = re.compile(r"[^\W_]")  # a letter or digit: punctuation alone is no sentence
_WORDY_ASCII = re.compile(r"[A-Za-z0-9]")  # the same for ASCII text, several times faster on long runs
_OPENERS = "\"'“‘([{"
# An omission inside a sentence: ". . ." (spaced) or "[...]"; four spaced dots keep the period.
_SPACED_ELLIPSIS = lazy(r"(?<!\S)\.(?: \.){2,}+|\[(?:\.\.\.|…)\]")
_OMISSION = "\u22ef"  # ⋯ stands for an omission while counting: never a terminator by itself
# Starts at the space before the marker (or the text's start): a leading space lets the
# regex engine skip straight to spaces instead of trying every position.
_MARKER_SPOT = re.compile(r" [•⁃◦▪‣*-]?(?:\d{1,3}|[A-Za-z])\.?[.)](?= )")
_LIST_MARKER = lazy(r"(?:^|\s)[•⁃◦▪‣*-]?\s?(?P<n>\d{1,3}|[A-Za-z])(?:\.\)|[.)])(?= )")


# A bullet list item: a line that starts with a bullet and a space.
_BULLET_LINE = lazy(r"^[ \t]*[-*•▪‣◦⁃][ \t]+(?=\S)", re.MULTILINE)
_TERMINALS = frozenset(".!?…。！？．؟।")
_LINE_CLOSERS = "\"'”’)]}」』）"
# HTML a description may carry from a web page: a line break or a block. A terminal right
# before it ends the sentence (".<br>Here"); elsewhere it is a line break.
_MARKUP = lazy(r"<\s*/?\s*(?:br|p|div|li|ul|ol|h[1-6])\b[^<>]{0,80}>", re.IGNORECASE)
# Korean is often written with no space after a full stop ("입니다.두 번째"): a terminal
# between two Hangul syllables ends the sentence as if a space followed.
_HANGUL_STOP = lazy(r"(?<=[\uac00-\ud7a3])([.!?])(?=[\uac00-\ud7a3])")


def sentences(text: str) -> list[str]:
    """Split ``text`` — the value Close receives, however the YAML wrote it — into
    sentences; blank text has none (SPEC §4, round 4)."""
    if not text.isascii():
        if "<" in text:
            text = _MARKUP.sub(_markup_break, text)
        text = _HANGUL_STOP.sub(r"\1 ", text) if _has_hangul(text) else text
    elif "<" in text:
        text = _MARKUP.sub(_markup_break, text)
    if "\n" in text or "\r" in text or "\u2028" in text or "\u2029" in text or "\x85" in text:
        found: list[str] = []
        for piece in _pieces(text):
            found.extend(_flat_sentences(piece) or ([] if not _WORDY.search(piece) else [" ".join(piece.split())]))
        return found
    return _flat_sentences(text)


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text[:20_000])


def _markup_break(match: re.Match[str]) -> str:
    """A paragraph break for markup right after a terminal (it ends the sentence), else a
    line break."""
    before = match.string[match.start() - 1 : match.start()]
    return "\n\n" if before and before in _TERMINALS else "\n"


def _pieces(text: str) -> list[str]:
    """The text cut where a line break ends a piece, each read on its own, so one without
    a full stop still counts as a sentence: a blank line ends a paragraph; a bullet starts
    an item (bullet dropped); and a single break ends a piece only when a line that ended
    without a terminal is followed by one that starts with a capital, in a script with
    letter case. In scripts without it (CJK, Arabic, Hebrew, Thai, Devanagari…) a single
    break is wrapping, never a sentence's end by itself."""
    pieces: list[list[str]] = [[]]
    after_blank = False
    previous = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            after_blank = True
            continue
        bullet = _BULLET_LINE.match(line)
        if bullet:
            pieces.append([line[bullet.end() :].strip()])
        elif after_blank or (previous and _ends_piece(previous, stripped)):
            pieces.append([stripped])
        else:
            pieces[-1].append(stripped)
        after_blank, previous = False, stripped
    return [joined for lines in pieces if (joined := " ".join(" ".join(lines).split()))]


def _ends_piece(previous: str, line: str) -> bool:
    """Whether a single line break between ``previous`` and ``line`` ends a piece: the
    next line starts with a capital, the line before ended without a terminal, and the
    letter before the break is of a script with letter case."""
    first = line.lstrip(_OPENERS)[:1]
    if not first.isupper():
        return False  # lower case, a digit, punctuation, or a letter of a caseless script
    end = previous.rstrip(_LINE_CLOSERS)[-1:]
    if not end or end in _TERMINALS:
        return False  # the sentence rules judge a terminal at the line's end
    last = next((ch for ch in reversed(previous[-200:]) if ch.isalpha()), "")
    return last != "" and last.lower() != last.upper()  # a letter with case before the break


def _flat_sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    if " " not in flat and not any(c in _CJK_TERMINALS for c in flat):
        # one token: only its end can end a sentence (and it is linear)
        return [flat] if (_WORDY_ASCII if flat.isascii() else _WORDY).search(flat) else []
    if ". ." in flat or "[" in flat:
        flat = _SPACED_ELLIPSIS.sub(_omission, flat)
    items = _list_items(flat) if _may_hold_list(flat) else None
    if items is None:
        return _split(flat)
    found: list[str] = []
    for item in items:
        found.extend(_split(item))
    return found


def _omission(match: re.Match[str]) -> str:
    dots = match.group(0).count(".")
    return _OMISSION + ("." if dots > 3 else "")


def _may_hold_list(flat: str) -> bool:
    """A cheap look before the list regex: two or more spots that could be markers (a
    regex that starts with a literal space is a fast scan; most descriptions have none)."""
    return len(_MARKER_SPOT.findall(" " + flat)) >= 2


def _list_items(flat: str) -> list[str] | None:
    """The text cut before each list marker, when it holds a list (two or more markers
    in sequence: 1, 2, 3 or a, b, c); the markers themselves dropped."""
    markers = list(_LIST_MARKER.finditer(flat))
    if len(markers) < 2:
        return None
    values = [_ordinal(m.group("n")) for m in markers]
    run = [0]
    for i in range(1, len(markers)):
        if values[i] == values[run[-1]] + 1:
            run.append(i)
    if len(run) < 2:
        return None
    chosen = [markers[i] for i in run]
    pieces = [flat[: chosen[0].start()]]
    for index, marker in enumerate(chosen):
        end = chosen[index + 1].start() if index + 1 < len(chosen) else len(flat)
        pieces.append(flat[marker.end() : end])
    return [p.strip() for p in pieces if p.strip()]


def _ordinal(token: str) -> int:
    return int(token) if token.isdigit() else ord(token.lower()) - ord("a") + 1


def _split(flat: str) -> list[str]:
    result: list[str] = []
    start = 0
    terminator = _TERMINATOR if flat.isascii() or not any(c in flat for c in _CJK_TERMINALS) else _TERMINATOR_CJK
    for match in terminator.finditer(flat):
        if _is_boundary(flat, match):
            result.append(flat[start : match.end()].strip())
            start = match.end()
    result.append(flat[start:].strip())
    if _OMISSION in flat:
        result = [s.replace(_OMISSION, "…") for s in result]
    return [s for s in result if _WORDY.search(s)]


_CLOSERS = "\"'”’)]}"


def _after_closing(rest: str) -> bool:
    """After an abbreviation and an opening bracket or quote: whether the word after the
    bracketed or quoted part starts a sentence (a capital), judged within ``rest``."""
    close = next((i for i, c in enumerate(rest) if c in _CLOSERS), -1)
    after = rest[close + 1 :].lstrip(_CLOSERS + " ,;:") if close != -1 else ""
    return bool(after) and after[0].isupper()


def _is_boundary(flat: str, match: re.Match[str]) -> bool:
    if match.re.groups > 2 and match.group(3):  # a CJK full stop (only _TERMINATOR_CJK has it)
        if not match.group(4):
            return True  # ends its sentence whatever follows
        # 「はい。」と言った: the stop ends the quote; the sentence goes on unless what
        # follows the closing mark starts one (the end, a space, another opening mark).
        after = flat[match.end() : match.end() + 1]
        return not after or after.isspace() or after in _OPENERS or after in "「『（"
    end = match.end()
    window = flat[end : end + 80].lstrip()  # a bounded slice: linear on hostile text
    rest = window.lstrip(_OPENERS)
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
    word = flat[flat.rfind(" ", 0, match.start()) + 1 : match.start()].lstrip(_OPENERS)
    lowered = word.lower()
    if lowered in _NEVER_END:
        return False
    if lowered in _CAN_END:
        if len(rest) != len(window):  # "Acme, Inc. (“Acme”) syncs …": the bracket or quote starts nothing
            return _after_closing(rest)
        return not nxt.isdigit()
    if _INITIALS.match(word):
        return rest.split(" ", 1)[0].strip("\"'“‘’”,;:").lower() in _STARTERS
    return True
