"""The rule registry: one declaration per rule, complete docs, examples that work."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.core.model import LEVELS
from closeapp_lint.rules.registry import Rule, all_rules, expand_selector, get

from .conftest import assert_golden, run

RULES = all_rules()
# Codes only --check-urls produces: their examples need a live server (tests/test_netcheck.py).
NETWORK = {"CA501", "CA502", "CA503", "CA504", "CA505"}
# Codes about the applied record beside a manifest: their examples are records (or need one beside them).
RECORDS = {"CA601", "CA602", "CA603"}
# Codes about a manifest among others (SPEC §11): their examples need files beside them (tests/test_environments.py).
ENVIRONMENTS = {"CA009", "CA421", "CA422", "CA423", "CA424"}
OFFLINE = [r for r in RULES if r.code not in NETWORK | RECORDS | ENVIRONMENTS]


def test_the_rule_table_matches_its_golden_file() -> None:
    """Every rule of SPEC §4 and what it decides, as ``closeapp-lint rules --format json``
    prints it; a new rule regenerates tests/golden/rules.json (UPDATE_GOLDEN=1)."""
    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert result.exit_code == 0
    assert_golden("rules.json", result.output)
    assert [entry["code"] for entry in json.loads(result.output)] == [r.code for r in RULES]


def test_every_rule_module_takes_part() -> None:
    """A rule is found in the module that declares it: every module of the package that
    declares one must be among ``rules.MODULES``, or its rules would silently never run."""
    import importlib
    import pkgutil

    import closeapp_lint.rules as package
    from closeapp_lint.core.codes import CODES
    from closeapp_lint.rules import MODULES

    names = [info.name for info in pkgutil.iter_modules(package.__path__)]
    declaring = {name for name in names if any(isinstance(v, Rule) for v in vars(importlib.import_module(f"{package.__name__}.{name}")).values())}
    assert declaring <= {m.__name__.rpartition(".")[2] for m in MODULES}
    assert all(r.check is None for r in CODES)


def test_a_code_listed_twice_is_refused() -> None:
    from closeapp_lint.rules.registry import table_of

    with pytest.raises(ValueError, match="declared twice"):
        table_of((RULES[0], RULES[0]._replace(code="CA999")))  # the same slug under another code


def test_codes_and_slugs_are_unique_and_well_formed() -> None:
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.slug for r in RULES}) == len(RULES)
    for r in RULES:
        assert re.fullmatch(r"CA\d{3}", r.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.slug)
        assert r.level in LEVELS


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented(rule: Rule) -> None:
    d = rule.docs
    for section in (rule.summary, d.what, d.why, d.example, d.use_instead, d.fix):
        assert section.strip(), rule.code
    assert len(rule.summary) <= 120


@pytest.mark.parametrize("rule", OFFLINE, ids=lambda r: r.code)
def test_failing_example_yields_its_code(rule: Rule) -> None:
    assert {f.code for f in run(rule.docs.example).findings} == {rule.code}


@pytest.mark.parametrize("rule", [r for r in RULES if r.code in NETWORK], ids=lambda r: r.code)
def test_network_examples_differ_from_their_fix(rule: Rule) -> None:
    assert rule.docs.example != rule.docs.use_instead
    assert rule.level == "publish" and "--check-urls" in rule.summary


@pytest.mark.parametrize("rule", [r for r in RULES if r.code not in RECORDS | {"CA009"}], ids=lambda r: r.code)
def test_passing_example_has_no_error(rule: Rule) -> None:
    report = run(rule.docs.use_instead)
    assert [f for f in report.findings if f.severity == "error"] == []
    assert rule.code not in {f.code for f in report.findings}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("CA203", {"CA203"}),
        ("ca203", {"CA203"}),
        ("redirect-not-public", {"CA203"}),
        ("CA20", {"CA201", "CA202", "CA203", "CA204", "CA205"}),
        ("CA4", {"CA401", "CA402", "CA411", "CA412", "CA421", "CA422", "CA423", "CA424"}),
        ("CA9", None),
        ("nope", None),
        ("CA2031", None),
    ],
)
def test_selectors(selector: str, expected: set[str] | None) -> None:
    got = expand_selector(selector)
    assert (set(got) if got is not None else None) == expected


def test_get_by_code_or_slug() -> None:
    assert get("CA411") is get("secret-in-manifest") is not None
    assert get("CA999") is None


@pytest.mark.parametrize(("code", "name", "beside"), [("CA602", "closeapp.applied.json", {"closeapp.yaml"}), ("CA603", "billing.closeapp.applied.json", set())])
def test_record_examples_yield_their_code(code: str, name: str, beside: set[str]) -> None:
    from closeapp_lint.judge import applied

    rule = get(code)
    assert rule is not None
    assert {f.code for f in applied.lint(rule.docs.example.encode(), name, beside=frozenset(beside))} == {code}
    assert applied.lint(rule.docs.use_instead.encode(), "closeapp.applied.json", beside=frozenset({"closeapp.yaml"})) == []


def test_the_drift_rule_is_opt_in() -> None:
    from closeapp_lint.load.config import DEFAULT, build

    drift = get("CA601")
    assert drift is not None and drift.default is False and drift.level == "info"
    assert "CA601" not in DEFAULT.enabled("closeapp.yaml")
    assert "CA601" in build({"extend-select": ["CA601"]}, "x").enabled("closeapp.yaml")
    assert "CA601" in build({"select": ["ALL"]}, "x").enabled("closeapp.yaml")
