"""Readable terminal output: one line per finding, a code frame, the checklist, a summary."""

from __future__ import annotations

from ..core.escape import placeholder, safe
from ..core.model import ERROR, INFO, WARNING, ChecklistItem, FileReport, Finding, Frame, Readiness, RunReport, Summary
from .base import Options
from .writers import Parts

FRAME_WIDTH = 120  # longer source lines are cut around the span
_COLORS = {ERROR: "31", WARNING: "33", INFO: "36", "bold": "1", "dim": "2", "pass": "32", "fail": "31", "warn": "33", "n/a": "2"}
_MARKS = {"pass": "✓", "warn": "!", "fail": "✗", "n/a": "–"}


class Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{_COLORS[style]}m{text}\x1b[0m" if self.enabled else text


def headline(path: str, f: Finding, paint: Painter) -> str:
    where = paint(f"{safe(path)}:{f.span.line}:{f.span.column}:", "bold")
    message = safe(" ".join(f.message.splitlines()))  # one line per finding, whatever the message
    fixable = " [*]" if f.fixable else ""  # as ruff marks what --fix can fix
    return f"{where} {paint(f.code, f.severity)}{fixable} [{f.severity}] {message}"


INHERITED_NAMED = 5  # manifests named after "inherited by", then a count


def inherited_list(paths: tuple[str, ...]) -> str:
    """The manifests a base's finding is about, the first few by name."""
    named = ", ".join(safe(p) for p in paths[:INHERITED_NAMED])
    more = len(paths) - INHERITED_NAMED
    return f"{named} and {more} more" if more > 0 else named


def frame(source: Frame, f: Finding, paint: Painter) -> list[str]:
    """The source line with a caret span under it, cut to FRAME_WIDTH around the span."""
    line = placeholder(source.text.replace("\t", " "))
    start = f.span.column - 1 - source.offset
    end = f.span.end_column - 1 - source.offset if f.span.end_line == f.span.line else len(line)
    start = max(0, min(start, len(line)))
    end = max(min(end, len(line)), start + 1)
    cut = max(0, min(start - 20, len(line) - FRAME_WIDTH)) if len(line) > FRAME_WIDTH else 0
    shown = line[cut : cut + FRAME_WIDTH]
    prefix = "…" if cut or source.offset else ""
    suffix = "…" if cut + FRAME_WIDTH < len(line) or source.cut_after else ""
    start, end = start - cut, min(end - cut, len(shown))
    # The caret sits under the characters as a terminal draws them: a wide character
    # (CJK, most emoji) takes two cells, a combining mark none.
    before, under = len(prefix) + _cells(shown[:start]), _cells(shown[start:end])
    gutter = str(f.span.line)
    pad = " " * len(gutter)
    return [
        paint(f"{gutter} | ", "dim") + prefix + shown + suffix,
        paint(f"{pad} | ", "dim") + " " * before + paint("^" * max(1, under), f.severity),
    ]


_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f")


def _cells(text: str) -> int:
    """How many terminal cells ``text`` takes (East Asian wide and fullwidth: two)."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(c) or c in _ZERO_WIDTH else 2 if east_asian_width(c) in ("W", "F") else 1 for c in text)


def verdict(readiness: Readiness, public: bool) -> tuple[str, str]:
    """The checklist's headline and its colour: a public app is ready or not; a private
    app's checklist answers what is left before Make Public; a development or staging
    app's is shown, but it is never published (SPEC §5, round 4)."""
    if readiness.stays_private:
        return "n/a — a development app stays private", "dim"
    if public:
        return ("ready to publish", "pass") if readiness.ready else ("not ready to publish", "fail")
    left = sum(1 for item in readiness.items if item.status == "fail")
    if not left:
        return "private — nothing left before Make Public", "pass"
    return f"private — {left} item{'s' if left != 1 else ''} left before Make Public", "warn"


def checklist(path: str, readiness: Readiness, paint: Painter, *, public: bool = True) -> list[str]:
    text, style = verdict(readiness, public)
    out = [f"Publish readiness of {paint(safe(path), 'bold')}: {paint(text, style)}"]
    width = max(len(i.id) for i in readiness.items)
    out.extend(item_line(item, width, paint) for item in readiness.items)
    return out


def item_line(item: ChecklistItem, width: int, paint: Painter) -> str:
    # A detail that begins with a code ("CA203 suppressed for the lint; …", or several
    # problems each with its own code) names them itself.
    named = item.detail[:2] == "CA" and item.detail[2:5].isdigit()
    codes = f"{' '.join(item.codes)} " if item.codes and not named else ""
    return f"  {paint(_MARKS[item.status], item.status)} {item.id.ljust(width)}  {codes}{safe(item.detail)}"


def file_block(f: FileReport, options: Options, paint: Painter) -> list[str]:
    out: list[str] = []
    if f.error:
        out.append(f"{paint(safe(f.path), 'bold')}: {paint('internal error', ERROR)}: {safe(f.error)}")
    for finding in f.findings:
        out.append(headline(f.path, finding, paint))
        if finding.span.line in f.frames:
            out.extend(frame(f.frames[finding.span.line], finding, paint))
        if finding.inherited_by:
            out.append(paint(f"  = inherited by {inherited_list(finding.inherited_by)}", "dim"))
    if f.omitted:
        out.append(f"{safe(f.path)}: … and {f.omitted} more findings (the per-file limit is {len(f.findings)})")
    if f.readiness is None or options.checklist is False or options.quiet:
        return out
    judged = f.public and f.readiness.judged
    if options.checklist or (judged and not f.readiness.ready):
        if out:
            out.append("")
        out.extend(checklist(f.path, f.readiness, paint, public=f.public))
    elif judged:  # a ready public app: one line (and its warnings), so a monorepo of ready apps stays short
        out.append(f"{paint(safe(f.path), 'bold')}: {paint('ready to publish', 'pass')}")
        warned = [item for item in f.readiness.items if item.status == "warn"]
        if warned:
            width = max(len(i.id) for i in warned)
            out.extend(item_line(item, width, paint) for item in warned)
    return out


def summary(s: Summary, paint: Painter) -> str:
    files = f"{s.files} file{'s' if s.files != 1 else ''}"
    if not (s.errors or s.warnings or s.infos):
        return paint(f"All checks passed ({files} checked).", "pass")
    parts = [_plural(s.errors, "error"), _plural(s.warnings, "warning"), _plural(s.infos, "info")]
    hidden = f" ({s.omitted:,} of them over the per-file limit, not shown)" if s.omitted else ""
    fixable = f" {s.fixable} fixable with `--fix`." if s.fixable else ""
    return f"Found {', '.join(parts)} in {files}{hidden}.{fixable}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def render_file(f: FileReport, options: Options) -> str:
    block = file_block(f, options, Painter(options.color))
    if (len(block) == 1 and not f.findings and not f.error) or (options.quiet and block):
        return "\n".join(block) + "\n"  # one line needs no blank line after it; -q is only the findings, no blank lines
    return "\n".join(block) + "\n\n" if block else ""


def render_end(s: Summary, options: Options) -> str:
    return "" if options.quiet else summary(s, Painter(options.color)) + "\n"


def unreadable_reason(f: FileReport) -> str:
    """Why a file has no checklist: its first finding, its internal error, or that it
    could not be read."""
    first = f.findings[0] if f.findings else None
    return f"{first.code} {first.message}" if first else (f.error or "it could not be read")


def render_checklist(report: RunReport, options: Options) -> str:
    """``closeapp-lint checklist``: the checklist of every file that parses."""
    paint = Painter(options.color)
    lines: list[str] = []
    for f in report.files:
        if f.readiness is not None:
            lines.extend(checklist(f.path, f.readiness, paint, public=f.public))
        else:
            why = unreadable_reason(f)
            lines.append(f"Publish readiness of {paint(safe(f.path), 'bold')}: {paint('no checklist', 'fail')} — {safe(why)}")
        lines.append("")
    judged = [f for f in report.files if f.readiness is None or f.readiness.judged]
    ready = sum(1 for f in judged if f.ready)
    private = len(report.files) - len(judged)
    kept = f" ({private} development app{'s' if private != 1 else ''} not judged: {'they stay' if private != 1 else 'it stays'} private)" if private else ""
    lines.append(f"{ready} of {len(judged)} manifest{'s' if len(judged) != 1 else ''} ready to publish{kept}.")
    return "\n".join(lines) + "\n"


class Writer(Parts):
    part = staticmethod(render_file)
    end = staticmethod(render_end)
