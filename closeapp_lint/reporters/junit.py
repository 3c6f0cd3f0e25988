"""JUnit XML (the Jenkins/Ant schema): one testsuite per run, one testcase per file,
one <failure> per error-severity finding. ``failures`` counts failing testcases, so
tests = passed + failures + errors."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from ..model import ERROR, RunReport

if TYPE_CHECKING:
    from . import Options


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped (and parsers turn CR
    into LF anyway)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF) and not 0xD800 <= ord(ch) <= 0xDFFF) else "\ufffd" for ch in text
    )


def render(report: RunReport, options: Options) -> str:
    cases = []
    failing = errored = 0
    for file in report.files:
        body = []
        errors = [f for f in file.findings if f.severity == ERROR]
        for f in errors:
            where = f"{file.path}:{f.span.line}:{f.span.column}: {f.code} {f.slug}: {f.message}"
            body.append(f"    <failure message={quoteattr(_clean(f.message))} type={quoteattr(f.code)}>{escape(_clean(where))}</failure>")
        if file.error:
            body.append(f'    <error message={quoteattr(_clean(file.error))} type="internal-error">{escape(_clean(file.error))}</error>')
        others = [f for f in file.findings if f.severity != ERROR]
        if others:
            text = "\n".join(f"{file.path}:{f.span.line}:{f.span.column}: {f.code} [{f.severity}] {f.message}" for f in others)
            body.append(f"    <system-out>{escape(_clean(text))}</system-out>")
        failing += bool(errors) and not file.error
        errored += bool(file.error)
        name = quoteattr(_clean(file.path))
        if body:
            cases.append(f'  <testcase classname="closeapp-lint" name={name}>\n' + "\n".join(body) + "\n  </testcase>")
        else:
            cases.append(f'  <testcase classname="closeapp-lint" name={name}/>')
    head = f'<testsuite name="closeapp-lint" tests="{len(report.files)}" failures="{failing}" errors="{errored}" skipped="0">'
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + head + "\n" + "".join(c + "\n" for c in cases) + "</testsuite>\n"
