"""--statistics: instead of the findings, how many each rule found (a writer like any
format, fed the reports as they arrive; only the counts are kept)."""

from __future__ import annotations

from typing import Any

from ..core.model import FileReport, Summary


class Statistics:
    """--statistics: findings per rule, most frequent first; [*] when --fix fixes every one
    of them, [~] and a count when it fixes some. Takes the reports like any writer."""

    def __init__(self) -> None:
        self._counts: dict[str, list[Any]] = {}

    def add(self, report: FileReport) -> None:
        for f in report.findings:
            entry = self._counts.setdefault(f.code, [0, f.slug, 0])
            entry[0] += 1
            entry[2] += f.fixable

    def close(self, summary: Summary) -> None:
        """Nothing to end: the table is written by ``render`` once every file is in."""

    def render(self, fmt: str) -> str:
        rows = sorted(self._counts.items(), key=lambda item: (-item[1][0], item[0]))
        if fmt == "json":
            import json

            table = [{"code": code, "slug": slug, "count": n, "fixable": fixed == n, "fixable_count": fixed} for code, (n, slug, fixed) in rows]
            return json.dumps(table, indent=2) + "\n"
        return "".join(f"{n:>6}  {code}  {fix_mark(n, fixed)}  {slug}{f' ({fixed} fixable)' if 0 < fixed < n else ''}\n" for code, (n, slug, fixed) in rows)


def fix_mark(count: int, fixable: int) -> str:
    return "[*]" if fixable == count else "[~]" if fixable else "[ ]"
