"""Stable finding fingerprints for SARIF and GitLab: the same finding gets the same
fingerprint on every run and machine, and it survives lines moving up or down."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator

from ..core.model import FileReport, Finding


def fingerprints(report: FileReport, *, with_path: bool) -> Iterator[tuple[Finding, str]]:
    """(finding, fingerprint) for each finding in ``report``; repeats of the same
    content get an occurrence number, so fingerprints are distinct within a file."""
    seen: Counter[str] = Counter()
    for finding in report.findings:
        frame = report.frames.get(finding.span.line)
        line = " ".join(frame.text.split()) if frame else ""
        parts = [report.path if with_path else "", finding.code, finding.pointer, line]
        # A JSON array: no choice of path, pointer or line can make two different sets of
        # parts encode alike (a separator character could be part of a path).
        digest = hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()[:32]
        seen[digest] += 1
        yield finding, f"{digest}:{seen[digest]}"
