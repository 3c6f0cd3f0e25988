"""Security, round 4: the new surfaces — bases, records, drafts, plans, ``resolve`` —
held to the old promises (no credential printed, nothing outside the root read, no
injection into mail headers or Markdown, no device replaced, bounded work, no crash)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from closeapp_lint.commands.cli import main

# Credentials whose values hold a quote, a backslash, a tab and a line break: every output
# escapes them its own way, so a masker that looked for the raw value would miss them.
PARTS = ("Pz7Rt4Vb", "Hn3Jc8Ds", "Yf6Gk1Mw")
QUOTED = 'client_secret: "Kx9Lm2Qw\\"Pz7Rt4Vb\\\\Hn3Jc8Ds\\tYf6Gk1Mw"\n'
PEM = "private_key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIEpAIBAAKCAQEAPz7Rt4VbHn3Jc8DsYf6Gk1MwQx\n  Hn3Jc8DsYf6Gk1MwPz7Rt4VbAbCdEf0123456789\n  -----END RSA PRIVATE KEY-----\n"
BASE = """\
manifest_version: 1
name: Driftwood Reports
description: Sends a weekly report of won and lost Close opportunities to each sales manager.
terms_of_service_url: https://driftwood.io/legal/terms
privacy_policy_url: https://driftwood.io/legal/privacy
scopes: [all.full_access, offline_access]
"""
MANIFEST = """\
extends: shared.closeapp-base.yaml
visibility: public
redirect_url: https://app.driftwood.io/oauth/close/callback
client_id: oa2client_Pr0dK8cW2mZx5Lq7Ht4Bn1
listing:
  product_url: https://driftwood.io
  summary: Sends sales managers a weekly report of won and lost opportunities.
  contact_email: partners@driftwood.io
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


COMMANDS = [
    *(("check", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown")),
    ("check", "--diff", "production.closeapp.yaml"),
    ("check", "shared.closeapp-base.yaml"),
    *(("checklist", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "json", "markdown")),
    *(("resolve", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "json")),
    *(("plan", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "json", "markdown")),
    *(("publish-request", "--format", fmt, "production.closeapp.yaml") for fmt in ("text", "markdown", "eml", "mailto")),
    ("applied", "--yes", "production.closeapp.yaml"),
]


@pytest.mark.parametrize("where", ["manifest", "base"])
@pytest.mark.parametrize("planted", [QUOTED, PEM], ids=["quoted", "pem"])
def test_no_command_prints_a_credential_in_any_format(where: str, planted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared.closeapp-base.yaml").write_text(BASE + (planted if where == "base" else ""))
    (tmp_path / "production.closeapp.yaml").write_text(MANIFEST + (planted if where == "manifest" else ""))
    monkeypatch.chdir(tmp_path)
    for command in COMMANDS:
        _, out = _run(*command)
        for part in PARTS:
            assert part not in out, f"{' '.join(command)} printed {part}:\n{out}"
        assert "CA411" in out or command[0] in ("resolve", "plan", "publish-request", "applied") or "--diff" in command, (command, out)


def _public_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, name: str = "Driftwood Reports", contact: str = "partners@driftwood.io") -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared.closeapp-base.yaml").write_text(BASE.replace("name: Driftwood Reports", f"name: {json.dumps(name)}"))
    (tmp_path / "production.closeapp.yaml").write_text(MANIFEST.replace("partners@driftwood.io", json.dumps(contact)))
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("name", "contact"),
    [
        ("=?utf-8?b?DQpCY2M6IHhAZXZpbC5jb20NCg==?=", "partners@driftwood.io"),  # decodes to CR LF Bcc: x@evil.com
        ("D =?utf-8?q?R=0D=0ABcc=3A_x=40evil=2Ecom?=", "partners@driftwood.io"),
        ("Driftwood Reports", "=?utf-8?q?x=40evil=2Ecom=2Cy?=@tidewater.dev"),  # decodes to two recipients
        ("Driftwood Reports", "=?utf-8?q?x=0D=0ABcc=3A_y?=@tidewater.dev"),  # an encoded CR LF in the address
    ],
)
def test_no_header_is_added_to_the_draft_through_an_encoded_word(name: str, contact: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from email import message_from_bytes
    from email.policy import default

    _public_app(tmp_path, monkeypatch, name=name, contact=contact)
    result = CliRunner().invoke(main, ["publish-request", "--format", "eml", "production.closeapp.yaml"], catch_exceptions=False)
    if result.exit_code == 0:  # drafted: exactly the headers it was built with, and no other recipient
        back = message_from_bytes(result.stdout_bytes, policy=default)
        headers = {k.lower() for k in back} - {"content-type", "content-transfer-encoding", "mime-version"}
        assert headers <= {"to", "subject", "x-unsent", "reply-to"}, headers
        assert str(back["To"]) == "support@close.com" and "evil" not in str(back.get("Reply-To", "")) and "Bcc" not in str(back)
    else:
        assert result.exit_code == 1 and "no e-mail draft" in result.stderr and "Traceback" not in result.stderr, result.stderr
    mailto = CliRunner().invoke(main, ["publish-request", "--format", "mailto", "production.closeapp.yaml"], catch_exceptions=False)
    assert mailto.exit_code in (0, 1) and "evil" not in mailto.stdout.lower().replace("%40evil", "@evil").split("body=")[0], mailto.stdout


def test_a_plain_draft_reads_back_with_its_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from email import message_from_bytes
    from email.policy import default

    _public_app(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["publish-request", "--format", "eml", "production.closeapp.yaml"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    back = message_from_bytes(result.stdout_bytes, policy=default)
    assert (str(back["To"]), str(back["Reply-To"]), str(back["X-Unsent"])) == ("support@close.com", "partners@driftwood.io", "1")


EVIL = "a`<img src=x onerror=alert(1)>`[x](https:evil.example) @octocat"


def _rendered_text_outside_code(html: str) -> str:
    import re

    return re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", html, flags=re.DOTALL)


def test_markdown_outputs_render_no_html_link_or_mention_from_a_value(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Markdown output (check, checklist, plan, publish-request), rendered by a
    CommonMark renderer: a file name or a value holding backticks, tildes, HTML, a link
    and an @mention stays text — no element, no link, no live mention."""
    from markdown_it import MarkdownIt

    (tmp_path / ".git").mkdir()
    base = f"{EVIL}.closeapp-base.yaml"
    manifest = f"{EVIL}.closeapp.yaml"
    description = "Sends ```` and ~~~~ fences and [a link](https://evil.example) to @octocat every week."
    (tmp_path / base).write_text(
        BASE.replace("description: Sends a weekly report of won and lost Close opportunities to each sales manager.", f"description: {json.dumps(description)}")
    )
    (tmp_path / manifest).write_text(
        MANIFEST.replace("extends: shared.closeapp-base.yaml", f"extends: {json.dumps(base)}").replace("partners@driftwood.io", "partners@driftwood.io")
    )
    monkeypatch.chdir(tmp_path)
    outputs = {
        "check": _run("check", "--format", "markdown", manifest)[1],
        "checklist": _run("checklist", "--format", "markdown", manifest)[1],
        "plan": _run("plan", "--format", "markdown", manifest)[1],
        "publish-request": _run("publish-request", "--format", "markdown", manifest)[1],
    }
    assert "```` and ~~~~" in outputs["publish-request"], outputs["publish-request"]  # the packet was made
    md = MarkdownIt("commonmark")
    for surface, out in outputs.items():
        html = md.render(out)
        for element in ("<img", "<script", "<a ", "<a>"):
            assert element not in html, f"{surface}: {element}\n{out}\n{html}"
        assert "@octocat" not in _rendered_text_outside_code(html), f"{surface}: a live mention\n{html}"


@pytest.mark.parametrize("kind", ["fifo", "socket", "folder"])
@pytest.mark.parametrize("command", [["check", "--output"], ["plan", "--output"], ["publish-request", "--output"], ["check", "--output-format"]])
def test_an_output_is_never_written_over_a_fifo_a_device_or_a_folder(kind: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    _public_app(tmp_path, monkeypatch)
    target = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    before = os.lstat(target).st_mode
    value = f"json={target}" if command[1] == "--output-format" else str(target)
    result = CliRunner().invoke(main, [command[0], command[1], value, "production.closeapp.yaml"], catch_exceptions=False)
    assert result.exit_code == 2 and "Traceback" not in result.stderr, (result.exit_code, result.stdout, result.stderr)
    assert ("is a folder" in result.stderr or "is a directory" in result.stderr) if kind == "folder" else "is not a regular file" in result.stderr
    assert stat.S_IFMT(os.lstat(target).st_mode) == stat.S_IFMT(before)


def _swapped_on_check(monkeypatch: pytest.MonkeyPatch, folder: Path, outside: Path, written: str) -> None:
    """The folder is swapped for a symlink to ``outside`` after every check, right as the
    file ``written`` is about to be written (the race a write must survive)."""
    from closeapp_lint.load import files

    real = files.atomic_writer

    def swap(path: str, **kwargs: Any) -> Any:
        if path.endswith(written) and not folder.is_symlink():
            folder.rename(folder.with_name("moved-away"))
            folder.symlink_to(outside, target_is_directory=True)
        return real(path, **kwargs)

    monkeypatch.setattr(files, "atomic_writer", swap)


def _repository_and_outside(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A repository with an empty apps/ folder, and a folder outside it: (repo, outside, apps)."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / ".git").mkdir(parents=True)
    outside.mkdir()
    (repo / "apps").mkdir()
    return repo, outside, repo / "apps"


def test_applied_never_writes_outside_the_repository_when_a_folder_is_swapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, outside, apps = _repository_and_outside(tmp_path)
    (apps / "shared.closeapp-base.yaml").write_text(BASE)
    (apps / "production.closeapp.yaml").write_text(MANIFEST)
    for name in ("shared.closeapp-base.yaml", "production.closeapp.yaml"):
        (outside / name).write_text((apps / name).read_text())
    monkeypatch.chdir(repo)
    _swapped_on_check(monkeypatch, apps, outside, ".applied.json")
    result = CliRunner().invoke(main, ["applied", "--yes", "apps/production.closeapp.yaml"], catch_exceptions=False)
    assert result.exit_code == 1 and "not written" in result.stderr, (result.stdout, result.stderr)
    assert sorted(p.name for p in outside.iterdir()) == ["production.closeapp.yaml", "shared.closeapp-base.yaml"]  # no record, no temporary file


def test_fix_never_writes_outside_the_repository_when_a_folder_is_swapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, outside, apps = _repository_and_outside(tmp_path)
    text = "manifest_version: 1\nname: Driftwood Reports\ndescription: Sends a weekly report.\nredirect_url: http://app.driftwood.io/cb\nscopes: [all.full_access, offline_access]\n"
    (apps / "closeapp.yaml").write_text(text)
    (outside / "closeapp.yaml").write_text(text)
    monkeypatch.chdir(repo)
    _swapped_on_check(monkeypatch, apps, outside, "closeapp.yaml")
    result = CliRunner().invoke(main, ["check", "--fix", "apps/closeapp.yaml"], catch_exceptions=False)
    assert "not fixed" in result.stderr, (result.stdout, result.stderr)
    assert (outside / "closeapp.yaml").read_text() == text and [p.name for p in outside.iterdir()] == ["closeapp.yaml"]


def test_many_pem_begins_on_one_line_are_one_block() -> None:
    """8,000 unterminated BEGIN lines on one 216 KB line: one block, found by bisection —
    not 8,000 searches to the end of the line, each keeping a slice of it (16.6 s)."""
    from closeapp_lint.text import credentials

    from .hostile_shapes import shapes

    text = shapes()["unterminated-pem-one-line"]
    hits = list(credentials._format_hits(text))
    assert len(hits) == 1 and hits[0][2] == "a PEM private key"


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize("name", ["one-huge-disable-file", "one-huge-unknown-disable"])
def test_one_huge_suppression_comment_stays_small(name: str) -> None:
    import tracemalloc

    from closeapp_lint.judge import suppress
    from closeapp_lint.load.source import load

    from .hostile_shapes import shapes

    doc = load(shapes()[name].encode()).document
    assert doc is not None
    tracemalloc.start()
    try:
        directives, problems = suppress.parse(doc)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, f"{peak:,} bytes"
    assert sum(len(d.selectors) for d in directives) <= 1 and len(problems) <= suppress.MAX_UNKNOWN + 1


def test_a_huge_sparse_pyproject_is_never_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 300 MB sparse pyproject.toml: at most the size limit is read (it was read whole, 631 MB)."""
    (tmp_path / ".git").mkdir()
    with open(tmp_path / "pyproject.toml", "wb") as fh:
        fh.write(b"[tool.closeapp-lint]\nselect = ['CA']\n")
        fh.truncate(300 * 1024 * 1024)
    (tmp_path / "closeapp.yaml").write_text(BASE)
    done = subprocess.run([sys.executable, "-m", "closeapp_lint", "check", "closeapp.yaml"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "over 1,048,576 bytes" in done.stderr and "Traceback" not in done.stderr, done.stderr
    # The peak of the lint's own process (VmHWM: a forked child's ru_maxrss would include
    # the pages of the test process it was forked from).
    measure = (
        "import contextlib\nfrom closeapp_lint.commands.cli import main\n"
        "with contextlib.suppress(BaseException):\n    main(['check', 'closeapp.yaml'], standalone_mode=False)\n"
        "print(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')))\n"
    )
    peak = subprocess.run([sys.executable, "-c", measure], cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()[-1]
    assert int(peak) / 1024 < 200, peak
    (tmp_path / "pyproject.toml").write_bytes(b"")
    with open(tmp_path / "pyproject.toml", "wb") as fh:  # one that does not name the tool early is not ours
        fh.write(b"[project]\nname = 'x'\n")
        fh.truncate(300 * 1024 * 1024)
    done = subprocess.run([sys.executable, "-m", "closeapp_lint", "check", "closeapp.yaml"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr


def _many_siblings(tmp_path: Path, count: int) -> None:
    (tmp_path / ".git").mkdir()
    big = BASE + "".join(f"x-note-{i}: {'word ' * 20}\n" for i in range(1_000))  # a large base (over 100 KB)
    (tmp_path / "shared.closeapp-base.yaml").write_text(big)
    for i in range(count):
        (tmp_path / f"app{i:04}.closeapp.yaml").write_text(
            MANIFEST.replace("oa2client_Pr0dK8cW2mZx5Lq7Ht4Bn1", f"oa2client_Pr0dK8cW2mZx5Lq7Ht{i:04}").replace("app.driftwood", f"a{i}.driftwood")
        )


def test_a_siblings_bases_cost_the_checked_file_only_the_compared_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One manifest among 200 that extend a large base: the scan reads each sibling's few
    compared keys through the chain; only the checked manifest is merged (each sibling was
    merged with the whole base: 14.9 s for 1,000)."""
    from closeapp_lint.load import extends

    _many_siblings(tmp_path, 200)
    monkeypatch.chdir(tmp_path)
    merged: list[int] = []
    real = extends._merged

    def counted(own: Any, bases: Any) -> Any:
        merged.append(1)
        return real(own, bases)

    monkeypatch.setattr(extends, "_merged", counted)
    code, out = _run("check", "--format", "concise", "app0007.closeapp.yaml")
    assert code == 0 and "CA423" in out, out  # compared with its siblings: the same public name (a warning)
    assert len(merged) == 1, len(merged)


def test_plan_scans_the_repository_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from closeapp_lint.load import project

    _many_siblings(tmp_path, 30)
    monkeypatch.chdir(tmp_path)
    scans: list[str] = []
    real = project.Project._scan

    def counted(self: Any, root: str) -> Any:
        scans.append(root)
        return real(self, root)

    monkeypatch.setattr(project.Project, "_scan", counted)
    code, out = _run("plan", ".")
    assert code == 0 and out.count("not recorded:") == 30, out
    assert len(scans) == 1, scans


def test_a_document_whose_uri_holds_a_nul_breaks_no_other_lint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pygls")
    from lsprotocol import types as lsp

    from .test_app_unit import _editor

    (tmp_path / ".git").mkdir()
    (tmp_path / "ok.closeapp.yaml").write_text(MANIFEST.replace("extends: shared.closeapp-base.yaml\n", BASE).replace("https://app", "http://app"))
    ls, open_file = _editor(tmp_path, monkeypatch)
    for name in ("a%00b.closeapp.yaml", "c%00.closeapp-base.yaml"):
        uri = tmp_path.as_uri() + "/" + name
        ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=BASE))
        ls.publish(uri)
    assert open_file("ok.closeapp.yaml") == ["CA201"]


def test_a_nul_in_extends_is_a_finding_and_the_rest_is_still_linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "closeapp.yaml").write_text(
        'extends: "shared\\0.closeapp-base.yaml"\nvisibility: public\nx-key: sk_live_51HxAbCdEfGhIjKlMnOpQrStUv1234567890abcd\n'
    )
    monkeypatch.chdir(tmp_path)
    code, out = _run("check", "--format", "concise", "closeapp.yaml")
    assert code == 1 and "CA009" in out and "CA411" in out and "internal error" not in out, out
    assert _run("resolve", "closeapp.yaml")[0] == 1 and _run("plan", "closeapp.yaml")[0] == 2


def test_json_of_resolve_and_plan_escapes_controls_bidi_and_lone_surrogates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared.closeapp-base.yaml").write_text(BASE.replace("name: Driftwood Reports", 'name: "Drift\\x9b31m\\u202ewood"'))
    (tmp_path / "production.closeapp.yaml").write_text(MANIFEST)
    (tmp_path / "production.closeapp.applied.json").write_text(
        json.dumps(
            {"version": 1, "client_id": "oa2client_Pr0dK8cW2mZx5Lq7Ht4Bn1", "name": "Drift\ud800wood\u202e", "status": "private", "listing_requested": False}
        )
    )
    monkeypatch.chdir(tmp_path)
    for command in (("resolve", "--format", "json", "production.closeapp.yaml"), ("plan", "--format", "json", "production.closeapp.yaml")):
        result = CliRunner().invoke(main, list(command), catch_exceptions=False)
        assert result.exit_code in (0, 1, 2), (command, result.stdout, result.stderr)
        assert not any(c in result.stdout for c in ("\x9b", "\u202e", "\ud800")), (command, result.stdout)
        json.loads(result.stdout)  # still JSON, the values escaped the JSON way


def test_a_base_symlink_never_reads_a_file_outside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A downloaded project (no .git, no config) whose base links out to the home folder's
    credentials, checked from the home folder: the root is the manifest's own folder, so
    the file outside it is never read — not by check, not by resolve, not by plan."""
    home = tmp_path / "home"
    (home / ".docker").mkdir(parents=True)
    (home / ".docker" / "config.json").write_text('{"auths": {"registry": {"auth": "dXNlcjpzM2NyM3RQYXNzd29yZA=="}}}\nname: Leaked\n')
    project = home / "downloads" / "project"
    project.mkdir(parents=True)
    (project / "shared.closeapp-base.yaml").symlink_to("../../.docker/config.json")
    (project / "production.closeapp.yaml").write_text(MANIFEST)
    monkeypatch.chdir(home)
    for command in (
        ("check", "downloads/project/production.closeapp.yaml"),
        ("resolve", "--format", "json", "downloads/project/production.closeapp.yaml"),
        ("plan", "downloads/project/production.closeapp.yaml"),
        ("check", "downloads/project/shared.closeapp-base.yaml"),
    ):
        code, out = _run(*command)
        assert "dXNlcj" not in out and "Leaked" not in out and "auths" not in out, (command, out)
        assert code != 0, (command, out)
    assert "outside the repository" in _run("check", "downloads/project/production.closeapp.yaml")[1]


def test_run_from_the_filesystem_root_walks_only_the_manifests_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The working directory '/' and no repository: one manifest's siblings are looked for
    in its own folder, never in the whole filesystem (38 s, 22,000 folders)."""
    from closeapp_lint.load import files

    (tmp_path / "production.closeapp.yaml").write_text(MANIFEST.replace("extends: shared.closeapp-base.yaml\n", BASE))
    walked: list[str] = []
    real = files.manifests_under

    def counted(root: str, *args: Any, **kwargs: Any) -> Any:
        walked.append(os.path.abspath(root))
        return real(root, *args, **kwargs)

    monkeypatch.setattr(files, "manifests_under", counted)
    monkeypatch.chdir("/")
    code, out = _run("check", str(tmp_path / "production.closeapp.yaml"))
    assert code == 0, out
    assert walked == [str(tmp_path)], walked


def test_the_packet_is_masked_by_the_apps_masker_even_when_ready() -> None:
    """publish-request masks with the app's masker before any format serialises (SPEC
    §11.1): a value that holds a credential the checklist let through — here as a direct
    call, since a ready app cannot hold a detected one — never comes out whole."""
    from closeapp_lint.commands import publish
    from closeapp_lint.load.source import load

    key = "sk_live_51HxAbCdEfGhIjKlMnOpQrStUv1234567890abcd"
    doc = load(
        (BASE.replace("Sends a weekly report", f"Sends {key} a weekly report") + MANIFEST.replace("extends: shared.closeapp-base.yaml\n", "")).encode()
    ).document
    assert doc is not None
    packet = publish.masked(publish.packet(doc), doc.texts)
    for out in (
        publish.text(packet),
        publish.markdown(packet),
        publish.mailto(packet.email) if packet.email else "",
        publish.eml(packet.email).decode() if packet.email else "",
    ):
        assert key not in out and key[8:24] not in out, out
