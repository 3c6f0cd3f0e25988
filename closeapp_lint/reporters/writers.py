"""Helpers the formats build their writers from, so a run over 100,000 manifests never
holds its reports: each writer takes one :class:`FileReport` at a time (``add``) and
writes the end (``close``).

The bytes are those of rendering the whole document at once. A JSON document is
``json.dumps(document, indent=2)``: its growing list is written item by item between a
head and a tail cut from the same document rendered with a marker in place of the list.
What must come before the items but is only known after the last one — SARIF's rule
table (and each result's index into it), JUnit's and markdown's totals — is written at
``close``, with the items kept meanwhile in a spool file (in memory up to 8 MiB, then on
disk): memory stays flat either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any

from ..core.model import FileReport, Summary
from .base import Options, Write

_SPOOL_IN_MEMORY = 8 * 1024 * 1024  # characters; a larger spool moves to a temporary file
MARKER = "closeapp-lint: the items go here"  # the one item of a shell's growing list
_MARK = f'"{MARKER}"'  # as JSON writes it (nothing in it to escape)


def dumps(value: Any) -> str:
    import json  # the JSON formats' (the text formats load these helpers too)

    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


def _split(shell: Any) -> tuple[str, str, str]:
    """(head up to the list's first item, the items' indentation, tail after the last)."""
    text = dumps(shell)
    at = text.index(_MARK)
    start = text.rindex("\n", 0, at) + 1
    return text[:start], text[start:at], text[at + len(_MARK) :]


class _Spool:
    """Text kept for later: in memory while small, then in a temporary file."""

    def __init__(self) -> None:
        import tempfile  # only the spooled formats need it, not a one-file text run

        self._file: IO[str] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline="")  # noqa: SIM115 - closed in copy_to

    def write(self, text: str) -> None:
        self._file.write(text)

    def copy_to(self, write: Write, edit: Callable[[str], str] | None = None) -> None:
        self._file.seek(0)
        for line in self._file:
            write(edit(line) if edit else line)
        self._file.close()


class JsonList:
    """A JSON document with one list that grows item by item. ``shell(summary)`` is the
    document with ``[MARKER]`` as that list; with ``spool``, the head is taken from the
    final shell (it holds what only the end knows), otherwise from the first."""

    def __init__(self, write: Write, shell: Callable[[Summary | None], Any], *, spool: bool = False) -> None:
        self._write, self._shell = write, shell
        self._head, self._indent, _ = _split(shell(None))
        self._spool = _Spool() if spool else None
        self._count = 0

    def item(self, value: Any) -> None:
        text = self._indent + dumps(value).replace("\n", "\n" + self._indent)
        piece = text if self._count == 0 else ",\n" + text
        if self._spool is not None:
            self._spool.write(piece)
        else:
            if self._count == 0:
                self._write(self._head)
            self._write(piece)
        self._count += 1

    def close(self, summary: Summary, edit: Callable[[str], str] | None = None) -> None:
        head, _, tail = _split(self._shell(summary))
        if self._count == 0:  # json.dumps writes an empty list as []
            self._write(head[:-1] + tail.lstrip() + "\n")
            return
        if self._spool is not None:
            self._write(head)
            self._spool.copy_to(self._write, edit)
        self._write(tail + "\n")


class Parts:
    """The line formats (text, concise, github): each file's part as it arrives, then the
    end; a subclass names its two functions."""

    part: Callable[[FileReport, Options], str]
    end: Callable[[Summary, Options], str]

    def __init__(self, options: Options, write: Write, version: str) -> None:
        self._options, self._write = options, write

    def add(self, file: FileReport) -> None:
        text = self.part(file, self._options)
        if text:
            self._write(text)

    def close(self, summary: Summary) -> None:
        self._write(self.end(summary, self._options))


class Spooled:
    """A format whose beginning depends on every file (JUnit's and markdown's totals):
    each file's part goes to a spool, and ``begin(summary)`` is written before it at the end."""

    def __init__(self, write: Write, part: Callable[[FileReport], str], begin: Callable[[Summary], str], end: str) -> None:
        self._write, self._part, self._begin, self._end = write, part, begin, end
        self._spool = _Spool()

    def add(self, file: FileReport) -> None:
        self._spool.write(self._part(file))

    def close(self, summary: Summary) -> None:
        self._write(self._begin(summary))
        self._spool.copy_to(self._write)
        self._write(self._end)


def ruleindex_editor(index: dict[str, int]) -> Callable[[str], str]:
    """Replaces the placeholder ``"ruleIndex": "\\u0000CODE"`` by the code's index; a
    quote cannot stand unescaped inside a JSON string, so only the key itself matches."""
    pattern = re.compile(r'"ruleIndex": "\\u0000(CA\d{3})"')
    return lambda line: pattern.sub(lambda m: f'"ruleIndex": {index[m.group(1)]}', line) if '"ruleIndex": "' in line else line
