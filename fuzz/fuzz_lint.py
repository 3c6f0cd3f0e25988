"""Coverage-guided fuzzing of the loader and the whole lint with atheris.

    python fuzz/fuzz_lint.py [lint|loader] [libFuzzer options] [corpus folders]

e.g. ten minutes of the full pipeline, seeded from the examples and the YAML test suite:

    mkdir -p /tmp/closeapp-corpus
    python fuzz/fuzz_lint.py lint -max_total_time=600 -timeout=10 -rss_limit_mb=2048 \\
        /tmp/closeapp-corpus examples examples/failing tests/data/yaml-test-suite/cases

A crash leaves a ``crash-*`` file: copy it into tests/data/fuzz-regressions/ and
tests/test_fuzz.py replays it on every test run. Besides crashes, the ``lint`` target
fails when any format prints a credential found in the input (masking by value), and
tests/test_fuzz.py seeds it with small copies of the round-3 hostile shapes
(tests/hostile_shapes.py).
"""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports(include=["closeapp_lint", "yaml"]):
    from closeapp_lint.core.model import RunReport
    from closeapp_lint.judge.engine import lint
    from closeapp_lint.load.source import load
    from closeapp_lint.reporters import FORMATS, Options, render
    from closeapp_lint.rules.registry import all_rules
    from closeapp_lint.run.fixing import secrets_in


# The rules' own docs (SARIF carries them) show sample credentials: not the input's.
_DOCS = "\n".join(f"{r.docs.example}\n{r.docs.use_instead}" for r in all_rules())


def _refuse(constant: str) -> object:
    raise AssertionError(f"output is not JSON: {constant}")


def lint_one(data: bytes) -> None:
    """The whole pipeline and every reporter; machine formats must parse."""
    report = lint(data, "closeapp.yaml")
    run = RunReport((report,), "fuzz")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    secrets = [s.value.strip() for s in secrets_in(text)] if text and len(text) <= 100_000 else []
    for fmt in FORMATS:
        out = render(fmt, run, Options(checklist=True))
        if fmt in ("json", "sarif", "gitlab"):
            json.loads(out, parse_constant=_refuse)
        for value in secrets:
            if len(value) >= 16 and value in out and value not in _DOCS:
                raise AssertionError(f"{fmt} prints a credential of the input unmasked")


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
