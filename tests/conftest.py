"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from closeapp_lint.core.model import FileReport
from closeapp_lint.judge.engine import lint
from closeapp_lint.load.config import DEFAULT, Config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"

VALID = """\
manifest_version: 1
name: Tidewater Deal Desk
description: Turns won Close opportunities into Tidewater invoices.
redirect_url: https://app.tidewater.dev/oauth/close/callback
"""
PUBLIC = (
    VALID
    + """\
terms_of_service_url: https://tidewater.dev/legal/terms
privacy_policy_url: https://tidewater.dev/legal/privacy
visibility: public
"""
)


def run(text: str | bytes, path: str = "closeapp.yaml", config: Config = DEFAULT) -> FileReport:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return lint(raw, path, config)


def found(text: str | bytes, **kwargs: object) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message) of every finding."""
    report = run(text, **kwargs)  # type: ignore[arg-type]
    return [(f.code, f.span.line, f.span.column, f.message) for f in report.findings]


def codes(text: str | bytes, **kwargs: object) -> list[str]:
    return [f.code for f in run(text, **kwargs).findings]  # type: ignore[arg-type]


GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, data: str | bytes) -> None:
    """``data`` equals tests/golden/``name`` byte for byte; with UPDATE_GOLDEN=1 in the
    environment the file is written first (review the diff, then commit it)."""
    path = GOLDEN / name
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(raw)
    assert raw == path.read_bytes(), f"{name} differs from the golden file (UPDATE_GOLDEN=1 regenerates it)"


@pytest.fixture
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def watchdog() -> Iterator[None]:
    """Fails a test that hangs (a budget far above the benchmark's figures, so it only
    catches blow-ups, never a slow machine)."""

    def expire(*_: object) -> None:
        raise TimeoutError("took longer than 10 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
