"""Configuration files, precedence, validation, selectors, per-file-ignores, stdin, init."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.load.config import ConfigError, Overrides, build, find

from .conftest import VALID

NAMED = VALID.replace("Tidewater Deal Desk", "Close Sync") + "scopes: [all.full_access]\n"  # CA213 + CA402 warnings


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def lint_codes(*args: str) -> list[str]:
    code, out, err = invoke("--format", "json", *args)
    assert code in (0, 1), err
    return [f["code"] for f in json.loads(out)["files"][0]["findings"]]


@pytest.fixture
def project(chdir_tmp: Path) -> Path:
    (chdir_tmp / "closeapp.yaml").write_text(NAMED)
    return chdir_tmp


def test_no_config_reports_everything(project: Path) -> None:
    assert lint_codes("closeapp.yaml") == ["CA213", "CA402"]


def test_pyproject_table(project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.closeapp-lint]\nignore = ["name-implies-official"]\n')
    assert lint_codes("closeapp.yaml") == ["CA402"]


def test_dot_file_wins_over_pyproject_in_the_same_folder(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.closeapp-lint]\nignore = ["CA213"]\n')
    (project / ".closeapp-lint.toml").write_text('ignore = ["CA402"]\n')
    assert lint_codes("closeapp.yaml") == ["CA213"]


def test_found_by_walking_up(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / ".closeapp-lint.toml").write_text('ignore = ["CA4"]\n')
    sub = project / "apps" / "billing"
    sub.mkdir(parents=True)
    (sub / "closeapp.yaml").write_text(NAMED)
    monkeypatch.chdir(sub)
    assert lint_codes("closeapp.yaml") == ["CA213"]
    assert find(sub) == str(project / ".closeapp-lint.toml")


def test_pyproject_without_table_is_passed_over(project: Path) -> None:
    sub = project / "pkg"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "pkg"\n')
    (project / ".closeapp-lint.toml").write_text('ignore = ["CA213"]\n')
    assert find(sub) == str(project / ".closeapp-lint.toml")


def test_explicit_config_wins_and_isolated_uses_none(project: Path) -> None:
    (project / ".closeapp-lint.toml").write_text('ignore = ["CA213"]\n')
    (project / "other.toml").write_text('ignore = ["CA402"]\n')
    assert lint_codes("--config", "other.toml", "closeapp.yaml") == ["CA213"]
    assert lint_codes("--isolated", "closeapp.yaml") == ["CA213", "CA402"]


def test_cli_flags_override_files(project: Path) -> None:
    (project / ".closeapp-lint.toml").write_text('select = ["CA213"]\n')
    assert lint_codes("closeapp.yaml") == ["CA213"]
    assert lint_codes("--select", "CA4", "closeapp.yaml") == ["CA402"]
    assert lint_codes("--extend-select", "partial-scopes", "closeapp.yaml") == ["CA213", "CA402"]
    assert lint_codes("--ignore", "CA213", "closeapp.yaml") == []


def test_severity_override(project: Path) -> None:
    (project / ".closeapp-lint.toml").write_text('[severity]\nCA213 = "error"\npartial-scopes = "info"\n')
    code, out, _ = invoke("--format", "json", "closeapp.yaml")
    assert code == 1
    assert [(f["code"], f["severity"]) for f in json.loads(out)["files"][0]["findings"]] == [("CA213", "error"), ("CA402", "info")]


def test_per_file_ignores(chdir_tmp: Path) -> None:
    (chdir_tmp / "apps" / "dev").mkdir(parents=True)
    (chdir_tmp / "apps" / "dev" / "closeapp.yaml").write_text(NAMED)
    (chdir_tmp / "apps" / "prod.closeapp.yaml").write_text(NAMED)
    # Two copies of one app: the cross-manifest rules (CA42x) are not what this is about.
    (chdir_tmp / ".closeapp-lint.toml").write_text('ignore = ["CA42"]\n[per-file-ignores]\n"apps/dev/*" = ["CA2"]\n"prod.closeapp.yaml" = ["CA402"]\n')
    _, out, _ = invoke("--format", "json", "apps")
    files = {f["path"]: [x["code"] for x in f["findings"]] for f in json.loads(out)["files"]}
    assert files == {"apps/dev/closeapp.yaml": ["CA402"], "apps/prod.closeapp.yaml": ["CA213"]}


def test_exclude_applies_to_discovery_not_named_files(chdir_tmp: Path) -> None:
    (chdir_tmp / "vendor").mkdir()
    (chdir_tmp / "vendor" / "closeapp.yaml").write_text("broken: [\n")
    (chdir_tmp / "closeapp.yaml").write_text(VALID)
    (chdir_tmp / ".closeapp-lint.toml").write_text('exclude = ["vendor"]\n')
    assert invoke(".")[0] == 0
    assert invoke("vendor/closeapp.yaml")[0] == 1


def test_max_file_size(project: Path) -> None:
    (project / ".closeapp-lint.toml").write_text("max-file-size = 50\n")
    assert lint_codes("closeapp.yaml") == ["CA005"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'selct = ["CA2"]\n',
            "unknown key 'selct'; did you mean 'select'? (allowed: select, ignore, extend-select, severity, per-file-ignores, exclude, force-exclude, max-file-size)",
        ),
        (
            'select = ["CA99"]\n',
            "unknown rule selector 'CA99' in 'select' (use a code like CA203, a prefix like CA2, or a slug; `closeapp-lint rules` lists them)",
        ),
        ('ignore = ["redirect-not-pubic"]\n', "unknown rule selector 'redirect-not-pubic' in 'ignore'; did you mean 'redirect-not-public'?"),
        ('ignore = "CA2"\n', "'ignore' must be a list of strings, got str"),
        ('ignore = ["CA001"]\n', "'CA001' in 'ignore' cannot be disabled: CA001–CA005 decide whether a file can be read at all"),
        ('[severity]\nCA213 = "fatal"\n', "severity of 'CA213' must be one of error, warning, info, got 'fatal'"),
        ('[severity]\nCA002 = "warning"\n', "the severity of CA001–CA005 cannot be changed ('CA002' in 'severity')"),
        ('severity = ["CA213"]\n', "'severity' must be a table of rule → error|warning|info"),
        (
            '[per-file-ignores]\n"*.yaml" = ["CA77"]\n',
            "unknown rule selector 'CA77' in 'per-file-ignores.*.yaml' (use a code like CA203, a prefix like CA2, or a slug; `closeapp-lint rules` lists them)",
        ),
        ("max-file-size = -1\n", "'max-file-size' must be a positive number of bytes, got -1"),
        ("max-file-size = true\n", "'max-file-size' must be a positive number of bytes, got True"),
        ("exclude = [1]\n", "'exclude' must be a list of strings, got list"),
        ("ignore = [\n", "not valid TOML: "),
    ],
)
def test_bad_config_is_exit_2_with_one_line(project: Path, content: str, message: str) -> None:
    (project / ".closeapp-lint.toml").write_text(content)
    code, out, err = invoke("closeapp.yaml")
    assert code == 2 and out == ""
    assert err.startswith(f"closeapp-lint: error: {project / '.closeapp-lint.toml'}: {message}")
    assert err.count("\n") == 1


def test_bad_cli_selector(project: Path) -> None:
    code, _, err = invoke("--select", "CA9", "closeapp.yaml")
    assert code == 2 and "unknown rule selector 'CA9' in '--select'" in err
    code, _, err = invoke("--ignore", "yaml-syntax", "closeapp.yaml")
    assert code == 2 and "cannot be disabled" in err


def test_missing_config_file(project: Path) -> None:
    code, _, err = invoke("--config", "nope.toml", "closeapp.yaml")
    assert (code, err) == (2, "closeapp-lint: error: nope.toml: config file not found\n")


def test_wide_prefix_keeps_parse_codes_on() -> None:
    cfg = build({"ignore": ["CA0"]}, "x")
    assert "CA001" in cfg.enabled("closeapp.yaml") and "CA006" not in cfg.enabled("closeapp.yaml")


def test_config_is_immutable() -> None:
    cfg = build({}, "x", Overrides(select=("CA2",)))
    with pytest.raises(AttributeError):
        cfg.select = None  # type: ignore[misc]
    with pytest.raises(ConfigError):
        build({"nope": 1}, "x")


def test_stdin_with_filename(chdir_tmp: Path) -> None:
    (chdir_tmp / ".closeapp-lint.toml").write_text('[per-file-ignores]\n"dev/*" = ["CA213"]\n')
    code, out, _ = invoke("--format", "json", "--stdin-filename", "prod/closeapp.yaml", "-", input=NAMED)
    entry = json.loads(out)["files"][0]
    assert entry["path"] == "prod/closeapp.yaml" and [f["code"] for f in entry["findings"]] == ["CA213", "CA402"]
    code, out, _ = invoke("--format", "json", "--stdin-filename", "dev/closeapp.yaml", "-", input=NAMED)
    assert [f["code"] for f in json.loads(out)["files"][0]["findings"]] == ["CA402"]
    code, out, _ = invoke("--format", "concise", "-", input="a: [\n")
    assert code == 1 and out.startswith("-:2:1: CA001")


def test_init_writes_a_starter_that_passes_but_is_not_ready(chdir_tmp: Path) -> None:
    code, out, _ = invoke("init")
    assert code == 0 and "Wrote closeapp.yaml" in out
    text = (chdir_tmp / "closeapp.yaml").read_text()
    assert "REPLACE" in text
    code, out, _ = invoke("closeapp.yaml", "--format", "json")
    findings = json.loads(out)["files"][0]["findings"]
    assert code == 0 and {(f["code"], f["severity"]) for f in findings} == {("CA212", "warning")}  # placeholders: warnings while private
    assert invoke("checklist", "closeapp.yaml")[0] == 1  # placeholders keep it from being publishable
    assert invoke("init")[0] == 2  # never overwrites silently
    (chdir_tmp / "closeapp.yaml").write_text("old")
    assert invoke("init", "--force")[0] == 0
    assert (chdir_tmp / "closeapp.yaml").read_text() == text
    (chdir_tmp / "apps").mkdir()
    assert invoke("init", "apps")[0] == 0 and (chdir_tmp / "apps" / "closeapp.yaml").exists()


def test_globs_are_relative_to_the_config_file(chdir_tmp: Path) -> None:
    """The same config gives the same answer from the repository root and from a subfolder."""
    (chdir_tmp / ".closeapp-lint.toml").write_text('ignore = ["CA42"]\nexclude = ["apps/vendor"]\n[per-file-ignores]\n"apps/dev/*" = ["CA402"]\n')
    for folder in ("apps/dev", "apps/vendor", "apps/prod"):
        (chdir_tmp / folder).mkdir(parents=True)
        (chdir_tmp / folder / "closeapp.yaml").write_text(VALID + "scopes: [all.full_access]\n")
    _, out, _ = invoke("--format", "json", "apps")
    from_root = {f["path"]: [x["code"] for x in f["findings"]] for f in json.loads(out)["files"]}
    assert from_root == {"apps/dev/closeapp.yaml": [], "apps/prod/closeapp.yaml": ["CA402"]}
    os.chdir(chdir_tmp / "apps")
    _, out, _ = invoke("--format", "json", ".")
    from_apps = {f["path"]: [x["code"] for x in f["findings"]] for f in json.loads(out)["files"]}
    assert from_apps == {"dev/closeapp.yaml": [], "prod/closeapp.yaml": ["CA402"]}
    _, out, _ = invoke("--format", "json", "--force-exclude", "vendor/closeapp.yaml", "dev/closeapp.yaml")
    assert [f["path"] for f in json.loads(out)["files"]] == ["dev/closeapp.yaml"]


def test_the_readme_example_is_the_settings_table_and_is_valid() -> None:
    """One table drives validation, --show-settings and the README: the README's example
    is generated from it, and the example itself loads."""
    import tomllib

    from closeapp_lint.load.config import KEYS, example

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"```toml\n{example()}```" in readme, "regenerate README's example with closeapp_lint.load.config.example()"
    table = tomllib.loads(example())["tool"]["closeapp-lint"]
    assert sorted(table) == sorted(KEYS)
    cfg = build(table, "README.md")
    assert cfg.ignore and cfg.severity and cfg.per_file_ignores and cfg.exclude == ("vendor", "fixtures/*")


def test_show_settings_has_a_row_per_setting(project: Path) -> None:
    from closeapp_lint.load.config import KEYS, describe

    shown = describe(build({}, "x"), config_file=None, isolated=True, cwd=project)
    assert [line.split()[0] for line in shown.splitlines()[2:]] == list(KEYS)
