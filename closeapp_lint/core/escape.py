"""What a terminal, a CI log or a report must never receive raw from a manifest, a file
name or a configuration file, and how it is shown instead. One module for every output:
text and concise lines, GitHub workflow commands, Markdown, SARIF, GitLab, the diff
headers, --show-files, --show-settings and configuration errors."""

from __future__ import annotations

import re

from .patterns import lazy

# C0 controls (a newline in a path forges a "::error" line in a CI log, ESC starts escape
# sequences), DEL, C1 controls (0x9B is a one-byte CSI), line separators, bidirectional
# controls, and lone surrogates (a file name that is not UTF-8 decodes to them).
UNSAFE = lazy("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every control, separator, bidi character and undecodable byte shown
    as an escape; always encodable as UTF-8."""
    if text.isascii() and text.isprintable():
        return text
    return UNSAFE.sub(_escape, text)


def json_text(text: str) -> str:
    """A JSON document (``json.dumps(..., ensure_ascii=False)``) with every unsafe character
    written as a JSON escape (``\\u202e``): the values read back the same, and no terminal or
    log receives a raw control, bidi character or lone surrogate. Such characters can only
    stand inside a JSON string, where the escape is valid."""
    if text.isascii():
        return text  # json.dumps escapes C0 controls itself
    return UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return char if char in "\n\r\t" else f"\\u{ord(char):04x}"  # a raw line break or tab is the document's own layout


# -- Markdown (job summaries, pull requests) ---------------------------------------------
# What a value may hold and Markdown would act on: markup, links, raw HTML, table pipes
# (a backslash before each), and @mentions, which GitHub makes live (a zero-width space
# after the @ keeps the text and drops the notification).
_MD_ESCAPES = {ch: "\\" + ch for ch in "\\`*_{}[]#|~<>"} | {"&": "&amp;"}
_MENTION = lazy(r"(?<![\w.+-])@(?=[A-Za-z0-9])")  # where GitHub reads @name as a mention (not inside an e-mail address)


def inert_mentions(text: str) -> str:
    """``text`` with each @mention made inert by a zero-width space after the @: the text
    stays, nobody is notified."""
    return _MENTION.sub("@\u200b", text) if "@" in text else text


def md_inline(text: str) -> str:
    """Text shown as itself in Markdown prose or a table cell: one line, no markup, no
    link, no HTML, no mention."""
    return inert_mentions("".join(_MD_ESCAPES.get(ch, ch) for ch in " ".join(safe(text).split())))


def _backticks_past(text: str, at_least: int = 1) -> str:
    """A run of backticks longer than any run in ``text`` (and ``at_least`` long)."""
    return "`" * max(at_least, max((len(run) for run in re.findall("`+", text)), default=0) + 1)


def md_code_span(text: str) -> str:
    """An inline code span a value cannot close early: delimited by more backticks than
    its longest run (padded when it starts or ends with one)."""
    shown = " ".join(safe(text).split())
    ticks = _backticks_past(shown)
    pad = " " if shown.startswith("`") or shown.endswith("`") or not shown.strip() else ""
    return f"{ticks}{pad}{shown}{pad}{ticks}"


def md_fence(text: str, info: str = "") -> list[str]:
    """A fenced code block a value cannot break out of: a backtick fence longer than any
    run of backticks in it (a line of tildes cannot close a backtick fence)."""
    body = "\n".join(safe(line) for line in text.split("\n"))
    fence = _backticks_past(body, 3)
    return [f"{fence}{info}", body, fence]


def shell_quoted(path: str) -> str:
    """A path in a command we suggest, quoted as a POSIX shell needs it (``my apps/x.yaml``
    -> ``'my apps/x.yaml'``), so it can be pasted as it is."""
    from shlex import quote

    return quote(path)


def placeholder(line: str) -> str:
    """A source line for a code frame: each unsafe character becomes one visible "�", so
    the caret line below still lines up."""
    return line if line.isascii() and line.isprintable() else UNSAFE.sub("\ufffd", line)


def uri_path(path: str, *, safe_chars: str = "/") -> str:
    """``path`` percent-encoded for a URI, byte for byte: a name that is not UTF-8 keeps
    its own bytes (%9B), never a crash."""
    from os import fsencode
    from urllib.parse import quote

    return quote(fsencode(path), safe=safe_chars)


def error_text(exc: BaseException) -> str:
    """An internal failure as one short line (every output shows it this way)."""
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def internal_error_line(path: str, error: str) -> str:
    """The one format of an internal failure about one file: one line naming it."""
    return f"closeapp-lint: internal error while linting {path}: {error}"


def slashed(path: str) -> str:
    """``path`` as every report writes it: "/" between folders, on Windows too."""
    return path.replace("\\", "/")
