"""Coverage-guided fuzzing of the loader and the whole lint with atheris.

    python fuzz/fuzz_lint.py [lint|loader] [libFuzzer options] [corpus folders]

e.g. ten minutes of the full pipeline, seeded from the examples and the YAML test suite:

    mkdir -p /tmp/closeapp-corpus
    python fuzz/fuzz_lint.py lint -max_total_time=600 -timeout=10 -rss_limit_mb=2048 \\
        /tmp/closeapp-corpus examples examples/failing tests/data/yaml-test-suite/cases

A crash leaves a ``crash-*`` file: copy it into tests/data/fuzz-regressions/ and
tests/test_fuzz.py replays it on every test run.
"""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports(include=["closeapp_lint", "yaml"]):
    from closeapp_lint.engine import lint
    from closeapp_lint.model import RunReport
    from closeapp_lint.reporters import FORMATS, Options, render
    from closeapp_lint.source import load


def _refuse(constant: str) -> object:
    raise AssertionError(f"output is not JSON: {constant}")


def lint_one(data: bytes) -> None:
    """The whole pipeline and every reporter; machine formats must parse."""
    report = lint(data, "closeapp.yaml")
    run = RunReport((report,), "fuzz")
    for fmt in FORMATS:
        out = render(fmt, run, Options(checklist=True))
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out, parse_constant=_refuse)


def load_one(data: bytes) -> None:
    load(data)


TARGETS = {"lint": lint_one, "loader": load_one}


def main(argv: list[str]) -> None:
    target = "lint"
    if len(argv) > 1 and argv[1] in TARGETS:
        target = argv.pop(1)
    atheris.Setup(argv, TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
