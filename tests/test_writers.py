"""Every format written file by file gives the bytes of the whole document rendered at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from closeapp_lint.core.model import FileReport, RunReport
from closeapp_lint.judge.engine import lint
from closeapp_lint.reporters import Options, gitlab, render, writers

from .reports import fixed_report

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").rglob("*.y*ml"))
FAILED = FileReport(path="odd.closeapp.yaml", findings=(), error="RuntimeError: boom")


def _reports() -> list[RunReport]:
    linted = tuple(lint(p.read_bytes(), str(p.relative_to(p.parents[1]))) for p in EXAMPLES)
    return [
        RunReport((), "1.0.0"),
        RunReport((FAILED,), "1.0.0"),
        RunReport((linted[0],), "1.0.0"),
        RunReport(linted, "1.0.0"),
        RunReport((*linted, FAILED, *fixed_report().files), "2.0.0"),
    ]


def _whole(fmt: str, report: RunReport) -> str:
    """The reference: the same document as one value, dumped at once — GitLab's from its
    items, the others by dumping the parsed stream again (any byte the stream wrote
    differently from json.dumps shows as a difference)."""
    if fmt == "gitlab":
        return json.dumps(gitlab.items(report, Options()), indent=2, ensure_ascii=False) + "\n"
    return json.dumps(json.loads(render(fmt, report)), indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
@pytest.mark.parametrize("case", range(5))
def test_written_file_by_file_equals_dumped_at_once(fmt: str, case: int, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _reports()[case]
    assert render(fmt, report) == _whole(fmt, report)
    monkeypatch.setattr(writers, "_SPOOL_IN_MEMORY", 64)  # the spool on disk gives the same bytes
    assert render(fmt, report) == _whole(fmt, report)


@pytest.mark.parametrize("fmt", ["junit", "markdown"])
def test_spooled_formats_give_the_same_bytes_from_disk(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _reports()[4]
    in_memory = render(fmt, report)
    monkeypatch.setattr(writers, "_SPOOL_IN_MEMORY", 64)
    assert render(fmt, report) == in_memory
    assert render(fmt, RunReport((), "1")).count("\n") >= 1


def test_json_items_keep_their_indentation() -> None:
    value = json.loads(render("json", _reports()[3]))
    assert [f["path"] for f in value["files"]] == [str(p.relative_to(p.parents[1])).replace("\\", "/") for p in EXAMPLES]
