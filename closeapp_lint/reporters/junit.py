"""JUnit XML (the Jenkins/Ant schema): one testsuite per run, one testcase per file,
one <failure> per error-severity finding. ``failures`` counts failing testcases, so
tests = passed + failures + errors."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..core.escape import safe
from ..core.model import ERROR, FileReport, Summary
from .base import Options, Write
from .writers import Spooled


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped (and parsers turn CR
    into LF anyway)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF) and not 0xD800 <= ord(ch) <= 0xDFFF) else "\ufffd" for ch in text
    )


def _case(file: FileReport) -> str:
    body = []
    errors = [f for f in file.findings if f.severity == ERROR]
    for f in errors:
        where = f"{safe(file.path)}:{f.span.line}:{f.span.column}: {f.code} {f.slug}: {f.message}"
        body.append(f"    <failure message={quoteattr(_clean(f.message))} type={quoteattr(f.code)}>{escape(_clean(where))}</failure>")
    if file.error:
        body.append(f'    <error message={quoteattr(_clean(file.error))} type="internal-error">{escape(_clean(file.error))}</error>')
    others = [f for f in file.findings if f.severity != ERROR]
    if others:
        text = "\n".join(f"{safe(file.path)}:{f.span.line}:{f.span.column}: {f.code} [{f.severity}] {f.message}" for f in others)
        body.append(f"    <system-out>{escape(_clean(text))}</system-out>")
    name = quoteattr(safe(file.path))
    if body:
        return f'  <testcase classname="closeapp-lint" name={name}>\n' + "\n".join(body) + "\n  </testcase>\n"
    return f'  <testcase classname="closeapp-lint" name={name}/>\n'


class Writer(Spooled):
    """Testcases go to a spool: the testsuite's counts come first."""

    def __init__(self, options: Options, write: Write, version: str) -> None:
        super().__init__(write, self._count_case, self._head, "</testsuite>\n")
        self._failing = self._errored = 0

    def _count_case(self, file: FileReport) -> str:
        self._failing += not file.error and any(f.severity == ERROR for f in file.findings)
        self._errored += bool(file.error)
        return _case(file)

    def _head(self, summary: Summary) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuite name="closeapp-lint" tests="{summary.files}" failures="{self._failing}" errors="{self._errored}" skipped="0">\n'
        )
