"""`closeapp-lint server` over stdio with a real LSP client (pytest-lsp): the server runs
as a subprocess, exactly as an editor starts it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from closeapp_lint.core.model import FileReport
from closeapp_lint.server import Positions

from .conftest import PUBLIC, VALID

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "closeapp_lint", "server"])
HTTP = VALID.replace("https://app", "http://app")  # CA201 on line 4, column 15


REGISTERED: list[lsp.Registration] = []
HISTORY: dict[str, list[tuple[int | None, list[lsp.Diagnostic]]]] = {}  # every publication, per document


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:  # what an editor does with the config watchers
        REGISTERED.extend(params.registrations)

    lsp_client.protocol.fm.features.pop(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, None)  # ours keeps every version

    @lsp_client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: lsp.PublishDiagnosticsParams) -> None:
        lsp_client.diagnostics[params.uri] = params.diagnostics
        HISTORY.setdefault(params.uri, []).append((params.version, list(params.diagnostics)))

    params = lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[lsp.WorkspaceFolder(uri=tmp_path.as_uri(), name="repo")],
        initialization_options={"debounce": 10},
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def opened(client: LanguageClient, path: Path, text: str, version: int = 1) -> list[lsp.Diagnostic]:
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=path.as_uri(), language_id="yaml", version=version, text=text))
    )
    return await published(client, path.as_uri(), version)


async def published(client: LanguageClient, uri: str, version: int | None = None, timeout: float = 10, *, after: int = -1) -> list[lsp.Diagnostic]:
    """The first diagnostics of ``uri`` published for ``version`` (any version: the first
    after the ``after``-th publication) — read from every publication, so none is missed."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for index, (seen, diagnostics) in enumerate(HISTORY.get(uri, [])):
            if index > after and (version is None or seen == version):
                return diagnostics
        await asyncio.sleep(0.005)
    raise TimeoutError(f"no diagnostics for {uri} version {version}")


def count(uri: str) -> int:
    """How many times diagnostics of ``uri`` were published so far (minus one)."""
    return len(HISTORY.get(uri, [])) - 1


def in_process(encoding: str = lsp.PositionEncodingKind.Utf16) -> Any:
    """A server without a client, its workspace set up as initialize would."""
    from pygls.workspace import Workspace

    from closeapp_lint import server

    ls = server.Server()
    ls.protocol._workspace = Workspace(None, position_encoding=encoding)
    return ls


def codes(diagnostics: list[lsp.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


@pytest.mark.asyncio
async def test_open_change_save_close(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    diagnostics = await opened(client, path, HTTP)
    assert codes(diagnostics) == ["CA201"]
    d = diagnostics[0]
    assert d.source == "closeapp-lint" and d.severity == lsp.DiagnosticSeverity.Error
    assert d.range.start == lsp.Position(line=3, character=14)
    assert d.code_description is not None and d.code_description.href.endswith("docs/rules.md#ca201-redirect-not-https")
    uri = path.as_uri()
    # an incremental change: http -> https
    change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start=lsp.Position(line=3, character=18), end=lsp.Position(line=3, character=18)), text="s")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2), content_changes=[change])
    )
    assert await published(client, uri, 2) == []
    # a full change
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=VALID + "scopes: [all.full_access]\n")],
        )
    )
    assert codes(await published(client, uri, 3)) == ["CA402"]
    before = count(uri)
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert codes(await published(client, uri, 3, after=before)) == ["CA402"]  # linted again on save
    before = count(uri)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert await published(client, uri, after=before) == []


@pytest.mark.asyncio
async def test_rapid_changes_end_on_the_newest_version(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "app.closeapp.yaml"
    await opened(client, path, VALID)
    uri = path.as_uri()
    texts = [HTTP, VALID, HTTP, VALID + "scopes: [all.full_access]\n"]
    for version, text in enumerate(texts, start=2):
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
    assert codes(await published(client, uri, 5)) == ["CA402"]
    newest = next(i for i, (version, _) in enumerate(HISTORY[uri]) if version == 5)
    # One more change, and its publication: anything stale would have been published before it.
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=6), content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=texts[-1])]
        )
    )
    assert codes(await published(client, uri, 6)) == ["CA402"]
    assert [version for version, _ in HISTORY[uri][newest:]] == [5, 6]  # nothing older arrived after the newest


@pytest.mark.asyncio
async def test_other_files_are_left_alone(client: LanguageClient, tmp_path: Path) -> None:
    other = tmp_path / "docker-compose.yaml"
    other.write_text(HTTP)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=other.as_uri(), language_id="yaml", version=1, text=HTTP))
    )
    manifest = tmp_path / "closeapp.yml"
    assert codes(await opened(client, manifest, HTTP)) == ["CA201"]  # answered in order: nothing came for the other file
    assert other.as_uri() not in client.diagnostics


@pytest.mark.asyncio
async def test_utf16_ranges_after_emoji_and_cjk(client: LanguageClient, tmp_path: Path) -> None:
    text = VALID.replace("Tidewater Deal Desk", "🚀 東京 Sync").replace("https://app", "http://app") + "x-note: 😀😀 東京 http://example.com/ok\n"
    diagnostics = await opened(client, tmp_path / "closeapp.yaml", text)
    ca201 = next(d for d in diagnostics if d.code == "CA201")
    assert ca201.range.start == lsp.Position(line=3, character=14)
    line = text.splitlines()[1]  # name: 🚀 東京 Sync
    key = VALID + 'x-note: "😀😀 東京 key sk_live_51HxQ2bC8dE9fG0hI1jK2lM3nO4pQ5rS"\n'
    (secret,) = await opened(client, tmp_path / "b.closeapp.yaml", key)
    assert secret.code == "CA411"  # after two emoji (two UTF-16 units each) and two CJK characters (one each)
    assert secret.range == lsp.Range(start=lsp.Position(line=4, character=21), end=lsp.Position(line=4, character=61))
    positions = Positions(text)
    assert positions.position(positions.offset(2, line.index("S") + 1)) == lsp.Position(line=1, character=len(line[: line.index("S")].encode("utf-16-le")) // 2)
    assert len(line[: line.index("S")].encode("utf-16-le")) // 2 == line.index("S") + 1  # the rocket counts twice in UTF-16
    assert Positions(text, lsp.PositionEncodingKind.Utf32).position(positions.offset(2, 9)).character == 8  # the enum, as pygls may hand it over
    assert Positions(text, "utf-32").position(positions.offset(2, 9)).character == 8
    assert Positions(text, lsp.PositionEncodingKind.Utf8).position(positions.offset(2, 8)).character == len("name: 🚀".encode())


def test_positions_follow_lsp_line_breaks() -> None:
    text = "a: 1\u2028b\r\nname: x\rc: 😀 y\n"
    positions = Positions(text)
    # The YAML loader breaks lines at U+2028 too; LSP does not.
    assert positions.position(positions.offset(3, 1)) == lsp.Position(line=1, character=0)
    assert positions.position(positions.offset(2, 1)) == lsp.Position(line=0, character=5)
    assert positions.position(positions.offset(4, 6)) == lsp.Position(line=2, character=6)
    bom = Positions("\ufeffname: x\n")
    assert bom.position(bom.offset(1, 7)) == lsp.Position(line=0, character=7)


@pytest.mark.asyncio
async def test_quick_fix_fix_all_and_disable_actions(client: LanguageClient, tmp_path: Path) -> None:
    text = VALID + "scopes:\n  - all.full_access\n  - offline_access\n  - all.full_access\n"  # CA401: fixable (a repeated scope)
    path = tmp_path / "closeapp.yaml"
    diagnostics = await opened(client, path, text)
    assert codes(diagnostics) == ["CA401"]
    uri = path.as_uri()
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range, context=lsp.CodeActionContext(diagnostics=diagnostics)
        )
    )
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, lsp.CodeAction)]
    assert titles == ["Fix CA401: unsupported-scope", "Disable CA401 for this line", "Disable CA401 for this file", "Fix all closeapp-lint findings"]
    by_title = {a.title: a for a in actions if isinstance(a, lsp.CodeAction)}
    from closeapp_lint.judge import fixes

    expected = fixes.fix(text.encode(), str(path)).raw.decode()
    assert _apply(text, by_title["Fix CA401: unsupported-scope"]) == expected  # the same bytes as --fix
    assert _apply(text, by_title["Fix all closeapp-lint findings"]) == expected
    assert by_title["Fix all closeapp-lint findings"].kind == "source.fixAll.closeapp-lint"
    disabled = _apply(text, by_title["Disable CA401 for this line"])
    assert "\n  # closeapp-lint: disable=CA401\n  - all.full_access\n" in disabled  # indented like the line
    assert _apply(text, by_title["Disable CA401 for this file"]).startswith("# closeapp-lint: disable-file=CA401\n")
    for variant in (disabled, _apply(text, by_title["Disable CA401 for this file"])):
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=len(variant)),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=variant)],
            )
        )
        assert await published(client, uri, len(variant)) == []
    only = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
            context=lsp.CodeActionContext(diagnostics=[], only=["source.fixAll"]),
        )
    )
    assert not only  # nothing left to fix in the current text (the finding is suppressed)


@pytest.mark.asyncio
async def test_disable_inside_a_block_scalar_goes_where_it_works(client: LanguageClient, tmp_path: Path) -> None:
    text = VALID.replace(
        "description: Turns won Close opportunities into Tidewater invoices.", "description: >-\n  Syncs deals. Creates invoices.\n  Sends reminders."
    )
    path = tmp_path / "closeapp.yaml"
    diagnostics = await opened(client, path, text)
    assert codes(diagnostics) == ["CA211"]
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=path.as_uri()), range=diagnostics[0].range, context=lsp.CodeActionContext(diagnostics=diagnostics)
        )
    )
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, lsp.CodeAction)]
    assert titles == ["Disable CA211 for this line", "Disable CA211 for this file"]
    for action in actions:
        assert isinstance(action, lsp.CodeAction)
        if action.title.startswith("Disable"):
            fixed = _apply(text, action)
            from closeapp_lint.judge.engine import lint

            assert [f.code for f in lint(fixed.encode(), "closeapp.yaml").findings] == [], action.title  # the finding gone, nothing broken


def _apply(text: str, action: lsp.CodeAction) -> str:
    assert action.edit is not None and action.edit.changes is not None
    (edits,) = action.edit.changes.values()
    lines = text.splitlines(keepends=True)

    def offset(p: lsp.Position) -> int:
        line = lines[p.line] if p.line < len(lines) else ""
        return sum(len(x) for x in lines[: p.line]) + len(line.encode("utf-16-le")[: p.character * 2].decode("utf-16-le"))

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
        lines = text.splitlines(keepends=True)
    return text


@pytest.mark.asyncio
async def test_hover_shows_the_rule_docs(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    diagnostics = await opened(client, path, HTTP)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=path.as_uri()), position=diagnostics[0].range.start)
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.value.startswith("**CA201 redirect-not-https**") and "## How to fix" in hover.contents.value
    elsewhere = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=path.as_uri()), position=lsp.Position(line=0, character=0))
    )
    assert elsewhere is None


@pytest.mark.asyncio
async def test_checklist_command(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    await opened(client, path, PUBLIC)
    result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command="closeapp-lint.checklist", arguments=[path.as_uri()]))
    assert result is not None
    assert result["readiness"]["ready"] is True and {i["id"] for i in result["readiness"]["items"]} >= {"name", "redirect_url", "secrets"}


@pytest.mark.asyncio
async def test_checklist_command_after_a_disable_comment_is_not_ready(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    local = PUBLIC.replace("https://app.tidewater.dev/oauth/close/callback", "https://localhost:8443/cb  # closeapp-lint: disable=CA203")
    assert await opened(client, path, local) == []
    result = await client.workspace_execute_command_async(lsp.ExecuteCommandParams(command="closeapp-lint.checklist", arguments=[path.as_uri()]))
    assert result is not None
    assert result["readiness"]["ready"] is False
    item = next(i for i in result["readiness"]["items"] if i["id"] == "redirect_url")
    assert item["status"] == "fail" and item["detail"].startswith("CA203 suppressed for the lint")


@pytest.mark.asyncio
async def test_config_reload_and_two_workspace_folders(client: LanguageClient, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / ".closeapp-lint.toml").write_text('ignore = ["CA201"]\n')
    first = await opened(client, one / "closeapp.yaml", HTTP)
    second = await opened(client, two / "closeapp.yaml", HTTP)
    assert codes(first) == [] and codes(second) == ["CA201"]  # each folder its own config
    watchers: list[Any] = [r.register_options for r in REGISTERED if r.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert watchers and {w.glob_pattern for w in watchers[-1]["watchers"] if isinstance(w, lsp.FileSystemWatcher)} | {
        w["globPattern"] for w in watchers[-1]["watchers"] if isinstance(w, dict)
    } == {"**/pyproject.toml", "**/.closeapp-lint.toml"}  # registered dynamically
    (one / ".closeapp-lint.toml").write_text("ignore = []\n")
    before, others = count((one / "closeapp.yaml").as_uri()), count((two / "closeapp.yaml").as_uri())
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=(one / ".closeapp-lint.toml").as_uri(), type=lsp.FileChangeType.Changed)])
    )
    assert codes(await published(client, (one / "closeapp.yaml").as_uri(), after=before)) == ["CA201"]
    assert codes(await published(client, (two / "closeapp.yaml").as_uri(), after=others)) == ["CA201"]  # every open document is linted again
    (two / ".closeapp-lint.toml").write_text("this is = not toml [\n")
    before = count((two / "closeapp.yaml").as_uri())
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(uri=(two / ".closeapp-lint.toml").as_uri(), type=lsp.FileChangeType.Created)])
    )
    broken = await published(client, (two / "closeapp.yaml").as_uri(), after=before)
    assert broken[0].message.startswith("closeapp-lint: configuration error:") and "not valid TOML" in broken[0].message


@pytest.mark.asyncio
async def test_malformed_and_hostile_documents(client: LanguageClient, tmp_path: Path) -> None:
    assert codes(await opened(client, tmp_path / "a.closeapp.yaml", "name: [\n")) == ["CA001"]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    assert "CA004" in codes(await opened(client, tmp_path / "b.closeapp.yaml", bomb))
    big = VALID + "x-notes: |\n" + ("  " + "lorem ipsum " * 80 + "\n") * 1000  # about 1 MiB
    await opened(client, tmp_path / "c.closeapp.yaml", big)  # published within published()'s bound, or a TimeoutError
    assert codes(await opened(client, tmp_path / "d.closeapp.yaml", HTTP)) == ["CA201"]  # still serving


def test_an_internal_failure_is_one_diagnostic_and_the_server_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from closeapp_lint.run import pipeline

    ls = in_process()
    sent: list[lsp.PublishDiagnosticsParams] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", sent.append)
    from closeapp_lint.judge.engine import lint_with_document as real

    def failing(raw: bytes, path: str, cfg: Any, **kwargs: Any) -> Any:
        if b"boom" in raw:
            raise RuntimeError("boom")
        return real(raw, path, cfg, **kwargs)

    monkeypatch.setattr(pipeline, "lint_with_document", failing)
    for name, text in (("a.closeapp.yaml", VALID + "x-boom: 1\n"), ("b.closeapp.yaml", HTTP)):
        uri = f"file:///tmp/closeapp-server-test/{name}"
        ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
        ls.publish(uri)
    failed = [p for p in sent if p.uri.endswith("/a.closeapp.yaml")]  # linted again when b opened (b is compared with it)
    [fine] = [p for p in sent if p.uri.endswith("/b.closeapp.yaml")]
    assert failed and all([d.message for d in p.diagnostics] == ["closeapp-lint: internal error while linting this file: RuntimeError: boom"] for p in failed)
    assert [d.code for d in fine.diagnostics] == ["CA201"]


def test_without_pygls_the_command_says_how_to_install_it() -> None:
    blocker = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('pygls', 'lsprotocol'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "sys.argv = ['closeapp-lint', 'server']\n"
        "from closeapp_lint.commands.cli import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 2
    assert "pip install 'closeapp-lint[lsp]'" in done.stderr and "Traceback" not in done.stderr


def test_the_core_never_imports_pygls() -> None:
    code = "import sys; from closeapp_lint.commands.cli import main; from closeapp_lint.judge.engine import lint; lint(b'name: x\\n', 'closeapp.yaml'); print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'closeapp_lint.server')))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_shutdown_then_exit_ends_with_status_zero(tmp_path: Path) -> None:
    async def session() -> int:
        client = await SERVER.start()
        assert isinstance(client, LanguageClient)
        await client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("neovim")))
        await client.shutdown_session()
        assert client._server is not None
        code = client._server.returncode
        await client.stop()
        return int(code if code is not None else -1)

    assert asyncio.run(session()) == 0


def test_readme_editor_blocks_parse_and_start_this_server() -> None:
    import json
    import re
    import tomllib

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    editors = readme.split("## Editors", 1)[1].split("\n## ", 1)[0]
    blocks = dict(re.findall(r"```(\w+)\n(.*?)```", editors, re.DOTALL))
    helix = tomllib.loads(blocks["toml"])
    assert helix["language-server"]["closeapp-lint"] == {"command": "closeapp-lint", "args": ["server"]}
    vscode = json.loads(blocks["json"])
    assert [vscode["glspc.server.command"], *vscode["glspc.server.commandArguments"]] == ["closeapp-lint", "server"]
    assert '{ "closeapp-lint", "server" }' in blocks["lua"] and '("closeapp-lint" "server")' in blocks["elisp"]


def test_a_client_that_counts_in_utf8_gets_utf8_columns(tmp_path: Path) -> None:
    text = VALID + 'x-note: "😀😀 東京 key sk_live_51HxQ2bC8dE9fG0hI1jK2lM3nO4pQ5rS"\n'

    async def session() -> lsp.Range:
        client = await SERVER.start()
        assert isinstance(client, LanguageClient)
        capabilities = client_capabilities("neovim")
        capabilities.general = lsp.GeneralClientCapabilities(position_encodings=[lsp.PositionEncodingKind.Utf8])
        result = await client.initialize_session(lsp.InitializeParams(capabilities=capabilities))
        assert result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf8
        path = tmp_path / "closeapp.yaml"
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=path.as_uri(), language_id="yaml", version=1, text=text))
        )
        params = await asyncio.wait_for(client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 10)
        await client.shutdown_session()
        await client.stop()
        (diagnostic,) = params.diagnostics
        found: lsp.Range = diagnostic.range
        return found

    start = len('x-note: "😀😀 東京 key '.encode())
    assert asyncio.run(session()) == lsp.Range(start=lsp.Position(line=4, character=start), end=lsp.Position(line=4, character=start + 40))


def test_a_finding_inside_a_block_scalar_gets_only_the_file_action() -> None:
    """A `#` line inside a block scalar is text, not a comment: disabling the line there
    would change the value and suppress nothing, so it is not offered."""
    ls = in_process()
    uri = "file:///tmp/closeapp-server-test/closeapp.yaml"
    text = VALID + "x-notes: |\n  first line\n  key sk_live_51HxQ2bC8dE9fG0hI1jK2lM3nO4pQ5rS here\n"
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
    everything = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=99, character=0))
    assert [a.title for a in ls.actions(uri, everything, None)] == ["Disable CA411 for this file"]


def test_the_negotiated_encoding_reaches_the_positions() -> None:
    text = "name: 🚀 Sync\n"
    for encoding, expected in ((lsp.PositionEncodingKind.Utf32, 8), (lsp.PositionEncodingKind.Utf16, 9), (lsp.PositionEncodingKind.Utf8, 11)):
        ls = in_process(encoding)
        assert ls.positions(text).position(text.index("Sync")).character == expected, encoding


# --- editors without file watching; hostile documents ----

WATCHLESS = ClientServerConfig(server_command=[sys.executable, "-m", "closeapp_lint", "server"])


@pytest_lsp.fixture(config=WATCHLESS)
async def watchless(lsp_client: LanguageClient, tmp_path: Path) -> Any:
    """A client like Neovim on Linux: no dynamic registration of watched files."""
    lsp_client.protocol.fm.features.pop(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, None)

    @lsp_client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: lsp.PublishDiagnosticsParams) -> None:
        lsp_client.diagnostics[params.uri] = params.diagnostics
        HISTORY.setdefault(params.uri, []).append((params.version, list(params.diagnostics)))

    capabilities = client_capabilities("neovim")
    assert capabilities.workspace is not None and capabilities.workspace.did_change_watched_files is not None
    assert not capabilities.workspace.did_change_watched_files.dynamic_registration
    params = lsp.InitializeParams(capabilities=capabilities, workspace_folders=[lsp.WorkspaceFolder(uri=tmp_path.as_uri(), name="repo")])
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_config_changes_reach_a_client_without_file_watching(watchless: LanguageClient, tmp_path: Path) -> None:
    manifest = tmp_path / "closeapp.yaml"
    uri = manifest.as_uri()
    assert codes(await opened(watchless, manifest, HTTP)) == ["CA201"]
    # Edited on disk only (another program, or the editor without telling us): noticed by itself.
    before = count(uri)
    (tmp_path / ".closeapp-lint.toml").write_text('ignore = ["CA201"]\n')
    assert codes(await published(watchless, uri, after=before)) == []
    # Edited in the editor and saved: linted again at once.
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.closeapp-lint]\n")
    (tmp_path / ".closeapp-lint.toml").unlink()
    watchless.text_document_did_open(
        lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=pyproject.as_uri(), language_id="toml", version=1, text="[tool.closeapp-lint]\n"))
    )
    before = count(uri)
    watchless.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=pyproject.as_uri())))
    assert codes(await published(watchless, uri, after=before)) == ["CA201"]


def test_a_config_change_is_seen_by_the_next_lint(tmp_path: Path) -> None:
    """Before each lint the config files' identity is compared: no event needed."""
    ls = in_process()
    uri = (tmp_path / "closeapp.yaml").as_uri()
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=HTTP))
    assert [f.code for f in ls.lint(uri).report.findings] == ["CA201"]
    (tmp_path / ".closeapp-lint.toml").write_text('ignore = ["CA201"]\n')
    assert [f.code for f in ls.lint(uri).report.findings] == []  # same version, new settings


@pytest.mark.asyncio
async def test_a_large_document_is_linted_off_the_event_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While one document is being linted, a request about another is answered: the lint
    runs in a worker thread (held here on an event until the hover has its answer)."""
    import threading

    from closeapp_lint.run import pipeline

    ls = in_process()
    release, started = threading.Event(), threading.Event()
    real = pipeline.lint_document

    def held(raw: bytes, path: str, cfg: Any, **kwargs: Any) -> Any:
        if path.endswith("big.closeapp.yaml"):
            started.set()
            release.wait(30)
        return real(raw, path, cfg, **kwargs)

    monkeypatch.setattr(pipeline, "lint_document", held)
    sent: list[lsp.PublishDiagnosticsParams] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", sent.append)
    big, other = (tmp_path / "big.closeapp.yaml").as_uri(), (tmp_path / "other.closeapp.yaml").as_uri()
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=big, language_id="yaml", version=1, text=HTTP))
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=other, language_id="yaml", version=1, text=HTTP))
    ls.publish(big)  # returns at once: the lint waits in the worker
    await asyncio.get_running_loop().run_in_executor(None, started.wait, 30)
    hover = ls.hover(other, lsp.Position(line=3, character=16))  # answered while big is still being linted
    assert hover is not None and not release.is_set() and sent == []
    release.set()
    while not sent:
        await asyncio.sleep(0.01)
    assert sent[0].uri == big and [d.code for d in sent[0].diagnostics] == ["CA201"]


def test_code_actions_come_from_one_lint_per_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A code action request over a document with many findings lints it once (before:
    two or three trial lints per finding)."""
    from closeapp_lint.run import pipeline

    calls: list[str] = []
    real = pipeline.lint_document

    def counted(raw: bytes, path: str, cfg: Any, **kwargs: Any) -> Any:
        calls.append(path)
        return real(raw, path, cfg, **kwargs)

    monkeypatch.setattr(pipeline, "lint_document", counted)
    ls = in_process()
    uri = (tmp_path / "closeapp.yaml").as_uri()
    text = HTTP + "".join(f"x-{i}: {{password: Zq8vKp2mWx9rTt4L{i:03d}}}\n" for i in range(150))
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
    everything = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=999, character=0))
    actions = ls.actions(uri, everything, None)
    assert len(calls) == 1
    titles = [a.title for a in actions]
    assert titles.count("Disable CA411 for this line") == 150 and "Fix CA201: redirect-not-https" in titles
    ls.actions(uri, everything, None)
    assert len(calls) == 1  # the same version: nothing linted again


@pytest.mark.parametrize(
    "extra",
    [
        "x-a: {password: Zq8vKp2mWx9rTt4L}\n",
        "x-a:\n  b:\n    password: Zq8vKp2mWx9rTt4L\n",
        "x-a:\n  - password: Zq8vKp2mWx9rTt4L  # a note\n",
        "x-a: [1,\n  {password: Zq8vKp2mWx9rTt4L}]\n",
        'x-a: "first\n  second"\nx-b: {password: Zq8vKp2mWx9rTt4L}\n',
        "x-notes: >-\n  folded text\nx-b:\n  password: Zq8vKp2mWx9rTt4L\n",
        "x-a: plain scalar that\n  goes on\ncolour: blue\n",
        "# a comment\ncolour: blue\n",
        "description2: |\n  text\n",
    ],
)
def test_every_offered_disable_action_suppresses_its_finding(extra: str) -> None:
    """What the server derives without trial lints, checked here by applying each action
    and linting the result: the finding is gone, and nothing new appears."""
    ls = in_process()
    uri = "file:///tmp/closeapp-server-test/closeapp.yaml"
    text = VALID.replace("https://app", "http://app") + extra
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text))
    everything = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=99, character=0))
    linted = ls.lint(uri)
    offered = [a for a in ls.actions(uri, everything, None) if a.title.startswith("Disable")]
    assert offered
    positions = ls.positions(text)
    for action in offered:
        assert action.edit is not None and action.edit.changes is not None and action.diagnostics
        (edit,) = action.edit.changes[uri]
        start = positions.line_start(edit.range.start.line) + edit.range.start.character  # ASCII text: characters are code units
        changed = text[:start] + edit.new_text + text[start:]
        code = str(action.diagnostics[0].code)
        target = next(f for f in linted.report.findings if f.code == code and positions.span(f) == action.diagnostics[0].range)
        after, _ = run_lint(changed)
        before_codes = sorted(f.code for f in linted.report.findings if f is not target)
        assert sorted(f.code for f in after.findings) == before_codes, (action.title, changed)


def run_lint(text: str) -> Any:
    from closeapp_lint.load.config import DEFAULT
    from closeapp_lint.run.pipeline import lint_document

    return lint_document(text.encode(), "closeapp.yaml", DEFAULT)


@pytest.mark.asyncio
async def test_versions_overtaken_while_waiting_are_never_linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Edits that arrive while the worker is busy: only the newest version is linted."""
    import threading

    from closeapp_lint.run import pipeline

    ls = in_process()
    release, started = threading.Event(), threading.Event()
    from closeapp_lint.judge.engine import lint_with_document

    linted: list[bytes] = []

    def held(raw: bytes, path: str, cfg: Any, **kwargs: Any) -> Any:
        linted.append(raw)
        started.set()
        release.wait(30)
        report, loaded = lint_with_document(raw, path, cfg)
        return report, loaded.document

    monkeypatch.setattr(pipeline, "lint_document", held)
    sent: list[lsp.PublishDiagnosticsParams] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", sent.append)
    uri = (tmp_path / "closeapp.yaml").as_uri()
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=HTTP))
    ls.publish(uri)  # version 1 goes to the worker and is held there
    await asyncio.get_running_loop().run_in_executor(None, started.wait, 30)
    for version in range(2, 6):  # four edits while it is busy
        ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=version, text=HTTP + f"# edit {version}\n"))
        ls.publish(uri)
    release.set()
    while not sent:
        await asyncio.sleep(0.01)
    await asyncio.get_running_loop().run_in_executor(ls._pool, lambda: None)  # every queued job has run
    assert [raw.decode().rsplit("# edit ", 1)[-1] for raw in linted[1:]] == ["5\n"]  # 2, 3 and 4 were never linted
    assert [p.version for p in sent] == [5]


def test_drift_shows_for_the_open_manifest_when_selected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CA601 is opt-in: with extend-select in the project's config, the open manifest shows
    each field that differs from the applied record beside it."""
    from closeapp_lint.judge import applied

    ls = in_process()
    sent: list[lsp.PublishDiagnosticsParams] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", sent.append)
    record = {"format": 1, "manifest": "closeapp.yaml", "name": "Tidewater Desk", "status": "private", "listing_requested": False}
    (tmp_path / "closeapp.applied.json").write_text(applied.dumps(record))
    uri = (tmp_path / "closeapp.yaml").as_uri()
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=VALID))
    ls.publish(uri)
    (tmp_path / ".closeapp-lint.toml").write_text('extend-select = ["CA601"]\n')
    ls.publish(uri)
    before, after = sent
    assert "CA601" not in codes(list(before.diagnostics))
    drift = [d for d in after.diagnostics if d.code == "CA601"]
    assert drift and drift[0].severity == lsp.DiagnosticSeverity.Information
    assert drift[0].message.startswith('App Name is "Tidewater Desk" in closeapp.applied.json')


# -- environments (SPEC §11) ---------------------------------------------------------------

ENV_BASE = VALID.replace("redirect_url: https://app.tidewater.dev/oauth/close/callback\n", "").replace("description: ", "description: Three. Sentences. Here. ")
ENV_CHILD = "extends: shared.closeapp-base.yaml\nredirect_url: https://app.tidewater.dev/oauth/close/callback\n"


@pytest.mark.asyncio
async def test_bases_in_the_editor(client: LanguageClient, tmp_path: Path) -> None:
    """A manifest shows its bases' findings at its extends (with the base's place); a base
    is linted through the manifests that extend it; an unsaved change to a base lints the
    open manifests again, with the buffer, not the disk."""
    (tmp_path / ".git").mkdir()
    base, child = tmp_path / "shared.closeapp-base.yaml", tmp_path / "app.closeapp.yaml"
    base.write_text(ENV_BASE, encoding="utf-8")
    diagnostics = await opened(client, child, ENV_CHILD)
    assert codes(diagnostics) == ["CA211"]
    [d] = diagnostics
    assert d.range.start == lsp.Position(line=0, character=9)  # at the extends value
    assert d.message.startswith("shared.closeapp-base.yaml:") and "inherited from the base" in d.message
    assert d.related_information is not None and d.related_information[0].location.uri == base.as_uri()
    assert d.related_information[0].location.range.start.line == ENV_BASE.splitlines().index(
        next(x for x in ENV_BASE.splitlines() if x.startswith("description"))
    )
    on_base = await opened(client, base, ENV_BASE)
    assert codes(on_base) == ["CA211"]
    assert on_base[0].related_information is not None and [r.location.uri for r in on_base[0].related_information] == [child.as_uri()]
    before = count(child.as_uri())
    client.text_document_did_change(  # fixed in the editor, not saved
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=base.as_uri(), version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=ENV_BASE.replace("Three. Sentences. Here. ", ""))],
        )
    )
    assert await published(client, child.as_uri(), after=before) == []
    assert base.read_text(encoding="utf-8") == ENV_BASE


def test_an_open_base_with_thousands_of_manifests_is_linted_through_a_bounded_few(tmp_path: Path) -> None:
    """One base that 200 manifests extend: the editor's lint of it judges the first 64 and
    says so, so it never holds the lint worker for long."""
    from closeapp_lint import server

    (tmp_path / ".git").mkdir()
    base = tmp_path / "shared.closeapp-base.yaml"
    base.write_text(ENV_BASE, encoding="utf-8")
    for i in range(200):
        (tmp_path / f"app{i:03}.closeapp.yaml").write_text(ENV_CHILD.replace("app.tidewater.dev", f"a{i}.tidewater.dev"), encoding="utf-8")
    ls = in_process()
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=base.as_uri(), language_id="yaml", version=1, text=ENV_BASE))
    diagnostics = ls.diagnose(base.as_uri(), ENV_BASE, 1)
    assert codes(diagnostics)[0] == "CA211"
    [d] = [d for d in diagnostics if d.related_information]
    assert len(d.related_information) == server.BASE_CHILDREN
    assert diagnostics[-1].message == "closeapp-lint: judged through the first 64 of the 200 manifests that extend it; run closeapp-lint for all"


SHARED_ID = "client_id: oa2client_Sh4r3dK8cW2mZx5Lq7Ht4B\n"
A_TEXT, B_TEXT = VALID + SHARED_ID, VALID.replace("app.tidewater.dev", "b.tidewater.dev") + SHARED_ID  # twins on disk


def twins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[lsp.PublishDiagnosticsParams], Path, Path]:
    """A repository whose a and b share a client_id on disk, and a server without a
    client whose publications are collected: (server, publications, a, b)."""
    (tmp_path / ".git").mkdir()
    ls = in_process()
    ls.debounce = 0
    sent: list[lsp.PublishDiagnosticsParams] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", sent.append)
    a, b = tmp_path / "a.closeapp.yaml", tmp_path / "b.closeapp.yaml"
    a.write_text(A_TEXT)
    b.write_text(B_TEXT)
    return ls, sent, a, b


def last(sent: list[lsp.PublishDiagnosticsParams], path: Path) -> list[str]:
    """The codes of the last diagnostics published for ``path``."""
    return codes(list(next(p for p in reversed(sent) if p.uri == path.as_uri()).diagnostics))


def test_a_sibling_changed_in_the_editor_lints_the_other_open_manifests_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CA421–CA424 compare a manifest with the others of its repository, open buffers
    first: when an open manifest's compared keys change (typed, not saved; or closed,
    back to the disk), the other open manifests are linted again — and only then."""
    ls, sent, a, b = twins(tmp_path, monkeypatch)

    def edit(path: Path, version: int, text: str) -> None:
        ls.workspace.put_text_document(lsp.TextDocumentItem(uri=path.as_uri(), language_id="yaml", version=version, text=text))
        ls.schedule(path.as_uri())  # what didChange does
        ls.schedule_related(path.as_uri())

    edit(a, 1, A_TEXT)
    edit(b, 1, B_TEXT)
    assert last(sent, a) == ["CA421"] and last(sent, b) == ["CA421"]
    edit(b, 2, B_TEXT.replace(SHARED_ID, "client_id: oa2client_B0thK8cW2mZx5Lq7Ht4Bn1\n"))  # typed in b, not saved
    assert last(sent, b) == [] and last(sent, a) == [], "a still shows the client_id b no longer has"
    published = len(sent)
    edit(b, 3, B_TEXT.replace(SHARED_ID, "client_id: oa2client_B0thK8cW2mZx5Lq7Ht4Bn1\n").replace("Desk", "Desk Pro"))  # a field no rule compares
    assert [p.uri for p in sent[published:]] == [b.as_uri()], "a was linted again for a change that cannot concern it"
    ls.workspace.remove_text_document(b.as_uri())  # closed unsaved: the disk's b shares the client_id again
    ls.linted.pop(b.as_uri(), None)
    ls.forget(b.as_uri())
    assert last(sent, a) == ["CA421"]


def test_saving_lints_against_the_disk_as_it_is_now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A client that does not report file changes: a manifest changed on disk (another
    tool, a checkout) is seen when an open manifest is saved, not hidden by the lint kept
    for the unchanged buffer."""
    ls, sent, a, b = twins(tmp_path, monkeypatch)
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=a.as_uri(), language_id="yaml", version=1, text=A_TEXT))
    ls.publish(a.as_uri())
    assert codes(list(sent[-1].diagnostics)) == ["CA421"]
    b.write_text(VALID.replace("app.tidewater.dev", "b.tidewater.dev"))  # b no longer has a client_id
    ls.saved(a.as_uri())
    assert codes(list(sent[-1].diagnostics)) == []


@pytest.mark.asyncio
async def test_a_duplicate_client_id_fixed_in_one_buffer_leaves_the_other(client: LanguageClient, tmp_path: Path) -> None:
    """Over stdio, as an editor drives it: two open manifests share a client_id; the one
    typed in b (not saved) clears CA421 from a's diagnostics too."""
    (tmp_path / ".git").mkdir()
    a, b = tmp_path / "a.closeapp.yaml", tmp_path / "b.closeapp.yaml"
    b.write_text(B_TEXT, encoding="utf-8")
    assert codes(await opened(client, a, A_TEXT)) == ["CA421"]
    assert codes(await opened(client, b, B_TEXT)) == ["CA421"]
    before = count(a.as_uri())
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=b.as_uri(), version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=B_TEXT.replace(SHARED_ID, "client_id: oa2client_B0thK8cW2mZx5Lq7Ht4Bn1\n"))],
        )
    )
    assert await published(client, b.as_uri(), 2) == []
    seen = await published(client, a.as_uri(), after=before)
    while seen:  # a's lint for b's opening may come first: wait for the one after the change
        before += 1
        seen = await published(client, a.as_uri(), after=before)
    assert seen == []


def test_closing_a_buffer_that_did_not_parse_lints_the_others_with_the_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An open manifest whose buffer does not parse gives the others no keys; closed, its
    file on disk does — the other open manifests are linted again."""
    ls, sent, a, b = twins(tmp_path, monkeypatch)
    for path, text in ((a, A_TEXT), (b, "scopes: [a,\n")):
        ls.workspace.put_text_document(lsp.TextDocumentItem(uri=path.as_uri(), language_id="yaml", version=1, text=text))
        ls.publish(path.as_uri())
    assert last(sent, a) == []  # b's buffer holds no client_id
    ls.workspace.remove_text_document(b.as_uri())
    ls.forget(b.as_uri())
    assert last(sent, a) == ["CA421"]


@pytest.mark.asyncio
async def test_quick_edits_of_a_base_lint_an_open_manifest_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten quick edits of a base while the worker is busy: the open manifest that extends
    it, whose own version never changes, is linted once more, not ten times."""
    import threading

    from closeapp_lint.run import pipeline

    (tmp_path / ".git").mkdir()
    base, child = tmp_path / "shared.closeapp-base.yaml", tmp_path / "a.closeapp.yaml"
    base.write_text(ENV_BASE)
    child.write_text(ENV_CHILD)
    ls = in_process()
    ls.debounce = 0
    release, started = threading.Event(), threading.Event()
    real = pipeline.lint_document
    linted: list[str] = []

    def held(raw: bytes, path: str, cfg: Any, **kwargs: Any) -> Any:
        linted.append(path)
        started.set()
        release.wait(30)
        return real(raw, path, cfg, **kwargs)

    monkeypatch.setattr(pipeline, "lint_document", held)
    monkeypatch.setattr(pipeline, "lint_base", lambda raw, path, cfg, **kwargs: FileReport(path=path, findings=()))
    sent: list[lsp.PublishDiagnosticsParams] = []
    monkeypatch.setattr(ls, "text_document_publish_diagnostics", sent.append)
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=child.as_uri(), language_id="yaml", version=1, text=ENV_CHILD))
    ls.publish(child.as_uri())  # held in the worker
    await asyncio.get_running_loop().run_in_executor(None, started.wait, 30)
    for version in range(1, 11):  # ten edits of the base while the worker is busy
        ls.workspace.put_text_document(lsp.TextDocumentItem(uri=base.as_uri(), language_id="yaml", version=version, text=ENV_BASE + f"# edit {version}\n"))
        ls.schedule_related(base.as_uri())
    release.set()
    await asyncio.get_running_loop().run_in_executor(ls._pool, lambda: None)  # every queued job has run
    assert linted.count(str(child)) == 2, linted  # the first, and one after the edits


def test_server_accepts_stdio_and_answers_initialize(tmp_path: Path) -> None:
    """``closeapp-lint server --stdio``: the flag vscode-languageclient's stdio transport (and
    many other clients) appends; it was a usage error (exit 2)."""
    import json
    import subprocess

    def frame(message: dict[str, Any]) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}}}
    done = subprocess.run(
        [sys.executable, "-m", "closeapp_lint", "server", "--stdio"],
        input=frame(init) + frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + frame({"jsonrpc": "2.0", "method": "exit"}),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    header, _, rest = done.stdout.partition(b"\r\n\r\n")
    length = int(next(line for line in header.split(b"\r\n") if line.lower().startswith(b"content-length:")).split(b":")[1])
    answer = json.loads(rest[:length])
    assert answer["id"] == 1 and answer["result"]["serverInfo"]["name"] == "closeapp-lint" and "textDocumentSync" in answer["result"]["capabilities"]
