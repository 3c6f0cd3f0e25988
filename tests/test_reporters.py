"""Every reporter, from one fixed report: golden files, the real consumers' schemas,
an independent decoder for GitHub's escaping, and no secret in any format."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from jsonschema import Draft4Validator, Draft202012Validator

from closeapp_lint.reporters import FORMATS, Options, render

from .conftest import assert_golden
from .reports import API_KEY, ODD_MESSAGE, SECRET, fixed_report

CONSUMERS = Path(__file__).parent / "consumers"
REPORT = fixed_report()


def output(fmt: str) -> str:
    return render(fmt, REPORT, Options(checklist=True))


def load_schema(name: str) -> Any:
    return json.loads((CONSUMERS / name).read_text())


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(fmt: str) -> None:
    assert_golden(f"report.{fmt}", output(fmt))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_secret_in_any_format(fmt: str) -> None:
    text = output(fmt)
    assert SECRET[4:] not in text and SECRET[:8] not in text
    assert API_KEY[4:] not in text and API_KEY[:8] not in text


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_rendering_is_deterministic(fmt: str) -> None:
    assert output(fmt) == render(fmt, fixed_report(), Options(checklist=True))


# --- SARIF ---------------------------------------------------------------------------


def sarif() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(output("sarif"))
    return loaded


def test_sarif_valid_against_official_schema() -> None:
    schema = load_schema("sarif-schema-2.1.0.json")
    Draft4Validator.check_schema(schema)
    errors = sorted(Draft4Validator(schema).iter_errors(sarif()), key=str)
    assert errors == []


def test_sarif_valid_against_upload_sarif_schema() -> None:
    validator = Draft202012Validator(load_schema("codeql-action-sarif-schema-2.1.0.json"))
    assert list(validator.iter_errors(sarif())) == []


def test_sarif_meets_github_code_scanning_rules() -> None:
    doc = sarif()
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "closeapp-lint" and driver["version"] == "9.9.9" and driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["CA001", "CA007", "CA104", "CA201", "CA211", "CA213", "CA411"]
    for rule in rules:
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert len(results) == sum(len(f.findings) for f in REPORT.files)
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert len(set(hashes)) == len(hashes)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        (location,) = result["locations"]
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")) and "\\" not in uri
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "apps/billing/closeapp.yaml",
        "apps/odd%20name/x.closeapp.yaml",
        "broken.closeapp.yaml",
    }
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["CA213"] == "warning" and levels["CA007"] == "note" and levels["CA201"] == "error"


def test_sarif_fingerprints_survive_moved_lines() -> None:
    from closeapp_lint.core.model import RunReport
    from closeapp_lint.judge.engine import lint

    from .reports import BILLING

    def hashes(text: str) -> list[str]:
        report = RunReport((lint(text.encode(), "closeapp.yaml"),), "1")
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in json.loads(render("sarif", report))["runs"][0]["results"]]

    assert hashes(BILLING) == hashes("# a new comment line\n\n" + BILLING)


# --- JUnit ---------------------------------------------------------------------------


def test_junit_valid_against_xsd_and_counts_add_up() -> None:
    xml = output("junit")
    schema = xmlschema.XMLSchema(str(CONSUMERS / "junit.xsd"))
    schema.validate(xml)
    import xml.etree.ElementTree as ET

    suite = ET.fromstring(xml)
    cases = suite.findall("testcase")
    assert suite.tag == "testsuite" and int(suite.get("tests", "")) == len(cases) == len(REPORT.files)
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures", "")) == len(failed)
    assert int(suite.get("errors", "")) == len([c for c in cases if c.find("error") is not None])
    failures = suite.findall("testcase/failure")
    assert len(failures) == sum(1 for f in REPORT.files for x in f.findings if x.severity == "error")
    assert {f.get("type") for f in failures} == {"CA001", "CA104", "CA201", "CA211", "CA411"}
    odd = next(f for f in failures if f.get("type") == "CA104")
    assert odd.get("message") == ODD_MESSAGE.replace("\r\n", "\n")  # XML turns CR LF into LF
    assert "apps/odd name/x.closeapp.yaml:2:3: CA104" in (odd.text or "")


# --- GitHub annotations ------------------------------------------------------------------

_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m.group(1)], text)


def decode_github(text: str) -> list[tuple[str, dict[str, str], str]]:
    """An independent reading of the runner's workflow-command syntax."""
    commands = []
    for line in text.splitlines():
        match = _COMMAND.match(line)
        if match:
            props = dict(p.split("=", 1) for p in match.group(2).split(","))
            commands.append((match.group(1), {k: _unescape(v) for k, v in props.items()}, _unescape(match.group(3))))
    return commands


def test_github_annotations_decode_to_the_findings() -> None:
    text = output("github")
    commands = decode_github(text)
    findings = [(f, x) for f in REPORT.files for x in f.findings]
    assert len(commands) == len(findings)
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    for (kind, props, message), (file, finding) in zip(commands, findings):
        assert kind == kinds[finding.severity]
        assert message == finding.message
        assert props["file"] == file.path and props["title"] == f"{finding.code} {finding.slug}"
        assert int(props["line"]) == finding.span.line and int(props["endLine"]) == finding.span.end_line
        if finding.span.line == finding.span.end_line:
            assert int(props["col"]) == finding.span.column and int(props["endColumn"]) == finding.span.end_column
        else:
            assert "col" not in props and "endColumn" not in props
    assert any(m == ODD_MESSAGE for _, _, m in commands)
    assert text.splitlines()[-1] == "Found 6 errors, 1 warning, 1 info in 4 files. 1 fixable with `--fix`."


def test_github_escaping_of_properties() -> None:
    from closeapp_lint.reporters.github import escape_data, escape_property

    assert escape_data("100%\r\n: ,") == "100%25%0D%0A: ,"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


# --- GitLab --------------------------------------------------------------------------


def test_gitlab_valid_against_both_schemas() -> None:
    text = output("gitlab")
    assert not text.startswith("\ufeff")
    items = json.loads(text)
    assert list(Draft202012Validator(load_schema("gitlab-codequality.schema.json")).iter_errors(items)) == []
    per_item = Draft202012Validator(load_schema("gitlab-codeclimate.upstream.json"))
    for item in items:
        assert list(per_item.iter_errors(item)) == []
    fingerprints = [i["fingerprint"] for i in items]
    assert len(set(fingerprints)) == len(fingerprints)
    assert {i["check_name"]: i["severity"] for i in items} == {
        "CA213": "minor",
        "CA007": "info",
        "CA211": "major",
        "CA201": "major",
        "CA411": "major",
        "CA104": "major",
        "CA001": "major",
    }


def test_gitlab_paths_are_relative(tmp_path: Path) -> None:
    from closeapp_lint.core.model import RunReport
    from closeapp_lint.judge.engine import lint

    absolute = str(tmp_path / "apps" / "closeapp.yaml")
    report = RunReport((lint(b"a: [\n", absolute),), "1")
    (item,) = json.loads(render("gitlab", report, Options(cwd=str(tmp_path))))
    assert item["location"]["path"] == "apps/closeapp.yaml"


# --- Markdown ------------------------------------------------------------------------


def test_markdown_cells_are_escaped() -> None:
    text = output("markdown")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "CA104" in line]
    (row,) = [r for r in rows if "sure" in r]
    cells = re.split(r"(?<!\\)\|", row)[1:-1]
    assert len(cells) == 5
    assert "<b>" not in text and "&lt;b&gt;" in text and "<br>" in row
    assert "✅" in text and "❌" in text and "➖" in text


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "junit", "text"])
def test_output_is_the_same_across_processes(fmt: str) -> None:
    """Determinism across interpreters (hash seeds differ per process), not only within one."""
    import subprocess
    import sys

    examples = Path(__file__).resolve().parent.parent / "examples"
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-m", "closeapp_lint", "--format", fmt, "--checklist", str(examples)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1
