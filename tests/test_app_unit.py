"""The app is the unit (SPEC §11.1): the same defect placed in the manifest, in its base or
in the base's base gives the app the same verdict on every surface — ``check`` (text,
JSON, SARIF), ``checklist``, ``publish-request``, ``plan``, ``applied``, ``resolve``,
``--fix`` — names the file and line that hold it, and never prints a credential.

The app: ``production.closeapp.yaml`` (public) extends ``mid.closeapp-base.yaml``, which
extends ``root.closeapp-base.yaml``. Each field is written in one of the three files; a
defect moves the field it is about into the file under test."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main

MANIFEST, MID, ROOT_BASE = "production.closeapp.yaml", "mid.closeapp-base.yaml", "root.closeapp-base.yaml"
LOCATIONS = (MANIFEST, MID, ROOT_BASE)
SECRET = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv1234567890abcd"
SECRET_PARTS = (SECRET, SECRET[8:30])  # the whole key, and a part of it a message could quote

# field -> (its line(s), the file that holds it by default)
FIELDS: dict[str, tuple[str, str]] = {
    "visibility": ("visibility: public", MANIFEST),
    "environment": ("environment: production", MANIFEST),
    "client_id": ("client_id: oa2client_Pr0dK8cW2mZx5Lq7Ht4Bn1", MANIFEST),
    "redirect_url": ("redirect_url: https://app.driftwood.io/oauth/close/callback", MANIFEST),
    "name": ("name: Driftwood Reports", MID),
    "description": ("description: Sends a weekly report of won and lost Close opportunities to each sales manager.", MID),
    "manifest_version": ("manifest_version: 1", ROOT_BASE),
    "terms_of_service_url": ("terms_of_service_url: https://driftwood.io/legal/terms", ROOT_BASE),
    "privacy_policy_url": ("privacy_policy_url: https://driftwood.io/legal/privacy", ROOT_BASE),
    "scopes": ("scopes: [all.full_access, offline_access]", ROOT_BASE),
}


class Defect:
    """One defect: the fields it writes (or removes) in the file under test, the line it
    adds, and the codes that report it."""

    def __init__(self, codes: tuple[str, ...], *, fields: dict[str, str | None] | None = None, extra: str = "", at: str = "") -> None:
        self.codes, self.fields, self.extra = codes, fields or {}, extra
        self.at = at  # the text of the line the finding points at ('' : the line the defect writes)


DEFECTS: dict[str, Defect] = {
    "credential-in-text": Defect(("CA411",), fields={"description": f"description: Sends a weekly report with key {SECRET} to each manager."}),
    "credential-in-comment": Defect(("CA411",), extra=f"# stripe: {SECRET}"),
    "http-redirect": Defect(("CA201",), fields={"redirect_url": "redirect_url: http://app.driftwood.io/oauth/close/callback"}),
    "four-sentences": Defect(("CA211",), fields={"description": "description: Sends reports. Counts deals. Emails managers. Tracks wins."}),
    "removed-required": Defect(("CA301",), fields={"privacy_policy_url": None}, at="extends: mid.closeapp-base.yaml"),
    "suppressed-error": Defect(
        ("CA302",), fields={"terms_of_service_url": "terms_of_service_url: http://driftwood.io/legal/terms  # closeapp-lint: disable=CA302"}
    ),
    "bidi-control": Defect(("CA008",), fields={"description": "description: Sends a weekly report of won and lost \u202edeals to each manager."}),
    "template-placeholder": Defect(("CA212",), fields={"name": 'name: "{{ app_name }}"'}),
    "key-null": Defect(("CA301",), fields={"privacy_policy_url": "privacy_policy_url: null"}),
    "unknown-key": Defect(("CA102",), extra="redirect_uri: https://app.driftwood.io/cb"),
    "yaml-syntax-error": Defect(("CA001", "CA009"), extra="colour: [blue"),
}


def _files(defect: Defect, location: str) -> dict[str, str]:
    """The three files with ``defect`` in ``location``."""
    lines: dict[str, list[str]] = {MANIFEST: ["extends: mid.closeapp-base.yaml"], MID: ["extends: root.closeapp-base.yaml"], ROOT_BASE: []}
    placed = {field: (line, home) for field, (line, home) in FIELDS.items()}
    for field, line in defect.fields.items():
        if line is None:
            del placed[field]  # set by no file
        elif line.endswith(": null"):
            placed[field] = (FIELDS[field][0], ROOT_BASE)  # set farther away, removed here
            lines[location].append(line)
        else:
            placed[field] = (line, location)
    for line, home in placed.values():
        lines[home].append(line)
    if defect.extra:
        lines[location].append(defect.extra)
    return {name: "\n".join(body) + "\n" for name, body in lines.items()}


def _where(defect: Defect, location: str, files: dict[str, str]) -> tuple[str, int]:
    """The file and line that hold the defect."""
    if defect.at:
        return MANIFEST, files[MANIFEST].splitlines().index(defect.at) + 1
    wrote = [line for line in defect.fields.values() if line] or [defect.extra]
    return location, files[location].splitlines().index(wrote[0]) + 1


CASES = [
    pytest.param(name, location, id=f"{name}-in-{location.split('.')[0]}")
    for name, defect in DEFECTS.items()
    for location in LOCATIONS
    if not (name == "key-null" and location == ROOT_BASE)  # the farthest base has nothing to remove
]


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def _never_a_credential(outputs: dict[str, str]) -> None:
    for surface, text in outputs.items():
        for part in SECRET_PARTS:
            assert part not in text, f"{surface} printed the credential:\n{text}"


class Surfaces:
    """Every surface's answer about the app, in one repository."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.outputs: dict[str, str] = {}

    def run(self, surface: str, *args: str) -> int:
        code, out = _run(*args)
        self.outputs[surface] = out
        return code

    def verdict(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        found["check"] = self.run("check", MANIFEST)
        found["check-base"] = self.run("check-base", MID)  # a base stands for its apps
        found["check-root"] = self.run("check-root", ROOT_BASE)
        code = self.run("check-json", "--format", "json", MANIFEST)
        summary = json.loads(self.outputs["check-json"])["summary"]
        found["json"] = (code, summary["ready"], summary["errors"] > 0)
        code = self.run("checklist", "checklist", MANIFEST)
        found["checklist"] = code
        checklist = json.loads(_run("checklist", "--format", "json", MANIFEST)[1])["files"]
        found["failing-items"] = (
            sorted(i["id"] for f in checklist for i in f["readiness"]["items"] if i["status"] == "fail") if checklist[0]["readiness"] else None
        )
        found["publish-request"] = tuple(
            self.run(f"publish-request-{fmt}", "publish-request", MANIFEST, "--format", fmt) for fmt in ("text", "markdown", "eml", "mailto")
        )
        found["plan"] = self.run("plan", "plan", MANIFEST)
        self.run("resolve", "resolve", MANIFEST)
        self.run("resolve-json", "resolve", "--format", "json", MANIFEST)
        found["applied"] = self.run("applied", "applied", "--yes", MANIFEST) != 0
        return found


def _same_on_every_file(verdict: dict[str, Any]) -> dict[str, Any]:
    """What does not depend on where the defect is: everything but the check of one base
    (a base's own errors fail its own check whatever its apps say)."""
    return {k: v for k, v in verdict.items() if k not in ("check-base", "check-root")}


@pytest.fixture
def in_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, str]], Path]:
    def make(files: dict[str, str]) -> Path:
        repo = tmp_path / "repo"
        if repo.exists():
            shutil.rmtree(repo)
        (repo / ".git").mkdir(parents=True)
        for name, text in files.items():
            (repo / name).write_text(text, encoding="utf-8")
        monkeypatch.chdir(repo)
        return repo

    return make


def test_the_app_without_a_defect_is_ready_everywhere(in_repo: Callable[[dict[str, str]], Path]) -> None:
    in_repo(_files(Defect(()), MANIFEST))
    surfaces = Surfaces(Path.cwd())
    verdict = surfaces.verdict()
    assert verdict["check"] == 0 and verdict["json"] == (0, True, False) and verdict["checklist"] == 0, surfaces.outputs
    assert verdict["publish-request"] == (0, 0, 2, 2)  # no listing: no e-mail to write (a usage error)
    assert verdict["plan"] == 0 and not verdict["applied"]


@pytest.mark.parametrize(("name", "location"), CASES)
def test_one_verdict_wherever_the_defect_is(name: str, location: str, in_repo: Callable[[dict[str, str]], Path]) -> None:
    defect = DEFECTS[name]
    in_repo(_files(defect, MANIFEST))
    expected = Surfaces(Path.cwd()).verdict()
    files = _files(defect, location)
    in_repo(files)
    surfaces = Surfaces(Path.cwd())
    verdict = surfaces.verdict()
    _never_a_credential(surfaces.outputs)
    if location != MANIFEST:
        same, wanted = _same_on_every_file(verdict), _same_on_every_file(expected)
        if name == "yaml-syntax-error":  # a manifest that does not parse has no checklist; an app whose base does not parse fails its schema item
            assert wanted.pop("failing-items") is None and same.pop("failing-items") == ["schema"]
        assert same == wanted, surfaces.outputs
    # Not ready, and refused, wherever the defect is (a suppression changes only check's exit code).
    assert verdict["json"][1] is False and verdict["checklist"] == 1, surfaces.outputs
    assert all(code != 0 for code in verdict["publish-request"])
    assert verdict["applied"] is (name != "suppressed-error")  # applied refuses an error check reports, as check fails on it
    # The file and line that hold it are named, by the check of the manifest and of each base.
    path, line = _where(defect, location, files)
    if name != "suppressed-error":
        # The manifest's check, and the check of the file that holds the defect (a base
        # stands for its apps; a manifest that does not parse is no base's app).
        holder = {MANIFEST: "check", MID: "check-base", ROOT_BASE: "check-root"}[path]
        shown = [f"{path}:{line}:" in surfaces.outputs[s] for s in ("check", holder)]
        assert all(shown), (path, line, surfaces.outputs)
        sarif = json.loads(_run("--format", "sarif", MANIFEST)[1])
        places = {
            (loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"]["region"]["startLine"], r["ruleId"])
            for run in sarif["runs"]
            for r in run["results"]
            for loc in r["locations"]
        }
        assert any(p == (path, line, code) for p in places for code in defect.codes) or any(
            uri.endswith(path) and at == line and code in defect.codes for uri, at, code in places
        ), places
    else:
        assert verdict["check"] == 0 and "CA302 suppressed for the lint" in surfaces.outputs["checklist"]


@pytest.mark.parametrize("location", LOCATIONS)
def test_fix_fixes_then_judges(location: str, in_repo: Callable[[dict[str, str]], Path]) -> None:
    """``--fix`` of an http:// redirect wherever it is: the report describes the files as
    written — no ✗ before "All checks passed"."""
    files = _files(DEFECTS["http-redirect"], location)
    for named in {MANIFEST, location}:  # the manifest named, and the file that holds the value
        in_repo(files)
        code, out = _run("check", "--fix", named)
        assert code == 0 and "CA201" not in out and "✗" not in out and "fixed 1 finding in 1 file" in out, out
        assert "redirect_url: https://app.driftwood.io" in Path(location).read_text()
        assert _run("check", MANIFEST)[0] == 0


@pytest.mark.parametrize("location", [MID, ROOT_BASE])
def test_fix_never_edits_a_value_a_comment_in_its_base_suppresses(location: str, in_repo: Callable[[dict[str, str]], Path]) -> None:
    files = _files(DEFECTS["http-redirect"], location)
    files[location] = files[location].replace("/callback\n", "/callback  # closeapp-lint: disable=CA201\n")
    in_repo(files)
    code, out = _run("check", "--fix", MANIFEST)
    assert code == 0 and "fixed 0 findings" in out, out
    assert Path(location).read_text() == files[location]
    checklist = _run("checklist", MANIFEST)[1]
    assert "CA201 suppressed for the lint" in checklist, checklist


def test_a_broken_chain_is_a_broken_plan_and_no_follow_on_findings(in_repo: Callable[[dict[str, str]], Path]) -> None:
    files = _files(DEFECTS["yaml-syntax-error"], MID)
    in_repo(files)
    code, out = _run("plan", MANIFEST)
    assert code == 2 and "broken:" in out and "(empty)" not in out, out
    found = json.loads(_run("--format", "json", MANIFEST)[1])["files"]
    manifest = next(f for f in found if f["path"] == MANIFEST)
    assert [f["code"] for f in manifest["findings"]] == ["CA009"]  # nothing "missing" that the base would have supplied


def test_a_field_no_file_sets_is_reported_at_the_extends_value(in_repo: Callable[[dict[str, str]], Path]) -> None:
    files = _files(Defect(("CA101",), fields={"description": None}), MANIFEST)
    files[MANIFEST] += "description: null\n"
    in_repo(files)
    found = json.loads(_run("--format", "json", MANIFEST)[1])["files"]
    (finding,) = [f for f in found[0]["findings"] if f["code"] == "CA101"]
    assert (finding["line"], finding["column"]) == (len(files[MANIFEST].splitlines()), 1), finding  # the description: null line


def test_one_finding_of_a_base_is_reported_once(in_repo: Callable[[dict[str, str]], Path]) -> None:
    in_repo(_files(DEFECTS["unknown-key"], MID))
    found = json.loads(_run("--format", "json", ".")[1])["files"]
    unknown = [(f["path"], x["line"]) for f in found for x in f["findings"] if x["code"] == "CA102"]
    assert unknown == [(MID, 4)], unknown


def test_development_apps_are_outside_the_publication_verdict(in_repo: Callable[[dict[str, str]], Path]) -> None:
    files = _files(Defect(()), MANIFEST)
    files["development.closeapp.yaml"] = (
        "extends: mid.closeapp-base.yaml\nenvironment: development\nname: Driftwood (dev)\nredirect_url: https://localhost:3000/callback\n"
    )
    in_repo(files)
    code, out = _run("checklist", ".")
    assert (
        code == 0
        and "n/a — a development app stays private" in out
        and out.endswith("1 of 1 manifest ready to publish (1 development app not judged: it stays private).\n")
    )
    summary = json.loads(_run("--format", "json", ".")[1])["summary"]
    assert summary["ready"] is True


def _editor(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Callable[[str], list[str]]]:
    """A language server without a client (its publications collected), and a function
    that opens a file of ``repo`` in it and gives the codes of its diagnostics."""
    pytest.importorskip("pygls")  # the lsp extra, installed with the test extra
    from lsprotocol import types as lsp
    from pygls.workspace import Workspace

    from closeapp_lint import server

    ls = server.Server()
    ls.protocol._workspace = Workspace(None, position_encoding=lsp.PositionEncodingKind.Utf16)
    ls.debounce = 0
    sent: list[Any] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", sent.append)

    def open_file(name: str) -> list[str]:
        uri = (repo / name).as_uri()
        ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=(repo / name).read_text()))
        ls.publish(uri)
        return [str(d.code) for d in next(p for p in reversed(sent) if p.uri == uri).diagnostics]

    return ls, open_file


@pytest.mark.parametrize(("name", "location"), CASES)
def test_the_editor_gives_the_same_verdict(name: str, location: str, in_repo: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The language server with the manifest open, and with the file that holds the
    defect open: the defect shows in both (a suppressed one in neither), and the
    manifest's checklist is not ready."""
    defect = DEFECTS[name]
    repo = in_repo(_files(defect, location))
    ls, open_file = _editor(repo, monkeypatch)
    in_manifest = open_file(MANIFEST)
    in_holder = open_file(location) if location != MANIFEST else in_manifest
    if name == "suppressed-error":
        assert "CA302" not in in_manifest and "CA302" not in in_holder
    else:
        assert set(defect.codes) & set(in_manifest), in_manifest
        assert set(defect.codes) & set(in_holder) or (name == "removed-required" and "CA301" in in_holder), in_holder
    readiness = ls.lint((repo / MANIFEST).as_uri()).report.readiness
    assert readiness is None if (name == "yaml-syntax-error" and location == MANIFEST) else readiness.ready is False
    if location != MANIFEST and name not in ("yaml-syntax-error", "suppressed-error"):  # the base's checklist command answers for its apps
        apps = {app.path: app.readiness for app in ls.lint((repo / location).as_uri()).report.apps}
        assert apps and all(r is not None and r.ready is False for r in apps.values()), apps


def test_checklist_and_plan_of_a_base_are_of_its_apps(in_repo: Callable[[dict[str, str]], Path]) -> None:
    """A base stands for its apps in the commands about apps too: its checklist and plan
    are its apps'; a publication request names one app, so a base is a usage error that
    lists them."""
    in_repo(_files(DEFECTS["removed-required"], ROOT_BASE))
    code, out = _run("checklist", ROOT_BASE)
    assert code == 1 and f"Publish readiness of {MANIFEST}: not ready to publish" in out and "CA301" in out, out
    code, out = _run("plan", MID)
    assert code == 0 and MANIFEST in out, out
    code, out = _run("publish-request", MID)
    assert code == 2 and "is a base, not an app" in out and MANIFEST in out, out
