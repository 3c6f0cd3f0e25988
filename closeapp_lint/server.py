"""``closeapp-lint server``: a language server (LSP over standard input and output).

Every rule, in the editor: diagnostics on open, on change (debounced, full or
incremental sync) and on save, for files named like manifests; quick fixes (the same
edits as ``--fix``), fix-all, "disable for this line / file"; the rule's docs on hover;
and the checklist as a command. It lints through the same pipeline as the command line
(``run.lint_document``: the engine, config discovery and suppressions) and never uses the
network. Needs pygls (``pip install 'closeapp-lint[lsp]'``); nothing else imports this.

Positions: the linter counts lines as the YAML loader splits them and columns in code
points, 1-based; LSP counts lines split at ``\\n``, ``\\r\\n`` and ``\\r`` only and columns
in the negotiated unit (UTF-16 code units unless the client offers another), 0-based.
:class:`Positions` converts through the offset in the text.
"""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__, config, files, fixes, run
from .links import rule_url
from .model import ERROR, INFO, WARNING, Edit, FileReport, Finding
from .registry import UNSUPPRESSIBLE, get
from .reporters.docs import explain_markdown
from .reporters.json_format import readiness
from .source import LINE_BREAKS, Document

SOURCE = "closeapp-lint"
FIX_ALL = "source.fixAll.closeapp-lint"
CHECKLIST = "closeapp-lint.checklist"
CONFIG_FILES = ("pyproject.toml", ".closeapp-lint.toml")
DEBOUNCE = 0.05  # seconds after the last change before a document is linted again
_LSP_BREAKS = re.compile(r"\r\n|\r|\n")
_SEVERITY = {ERROR: lsp.DiagnosticSeverity.Error, WARNING: lsp.DiagnosticSeverity.Warning, INFO: lsp.DiagnosticSeverity.Information}


class Positions:
    """The linter's positions and edit offsets as LSP positions in one text."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self._text, self._encoding = text, getattr(encoding, "value", encoding)  # "utf-8" | "utf-16" | "utf-32"
        self._skip = 1 if text.startswith("\ufeff") else 0  # the loader reads past a byte-order mark
        self._ours = [self._skip] + [m.end() for m in LINE_BREAKS.finditer(text, self._skip)]
        self._theirs = [0] + [m.end() for m in _LSP_BREAKS.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        """The offset in the text of the linter's 1-based (line, code-point column)."""
        start = self._ours[min(max(line, 1), len(self._ours)) - 1]
        return min(start + max(column, 1) - 1, len(self._text))

    def position(self, offset: int) -> lsp.Position:
        offset = min(max(offset, 0), len(self._text))
        line = bisect_right(self._theirs, offset) - 1
        before = self._text[self._theirs[line] : offset]
        if self._encoding == "utf-8":
            units = len(before.encode("utf-8", "surrogatepass"))
        elif self._encoding == "utf-32":
            units = len(before)
        else:
            units = len(before.encode("utf-16-le", "surrogatepass")) // 2
        return lsp.Position(line=line, character=units)

    def span(self, finding: Finding) -> lsp.Range:
        s = finding.span
        start = self.offset(s.line, s.column)
        end = max(start, self.offset(s.end_line, s.end_column))
        return lsp.Range(start=self.position(start), end=self.position(end))

    def edit(self, edit: Edit) -> lsp.TextEdit:
        """An edit of the loaded text (offsets after a byte-order mark)."""
        start, end = edit.start + self._skip, edit.end + self._skip
        return lsp.TextEdit(range=lsp.Range(start=self.position(start), end=self.position(end)), new_text=edit.replacement)

    def line_start(self, line: int) -> int:
        """The offset where LSP line ``line`` (0-based) starts."""
        return self._theirs[min(line, len(self._theirs) - 1)]

    def whole(self) -> lsp.Range:
        return lsp.Range(start=lsp.Position(line=0, character=0), end=self.position(len(self._text)))


class Linted(NamedTuple):
    version: int | None
    text: str
    report: FileReport
    document: Document | None
    config_error: str | None = None


def _diagnostics(linted: Linted, positions: Positions) -> list[lsp.Diagnostic]:
    if linted.config_error:
        return [_note(f"closeapp-lint: configuration error: {linted.config_error}", lsp.DiagnosticSeverity.Error)]
    out = [_diagnostic(f, positions) for f in linted.report.findings]
    if linted.report.error:
        out.append(_note(f"closeapp-lint: internal error while linting this file: {linted.report.error}", lsp.DiagnosticSeverity.Error))
    if linted.report.omitted:
        out.append(_note(f"closeapp-lint: {linted.report.omitted} more findings beyond the per-file limit (max-findings)", lsp.DiagnosticSeverity.Information))
    return out


def _diagnostic(f: Finding, positions: Positions) -> lsp.Diagnostic:
    url = rule_url(f.code, f.slug, __version__)
    return lsp.Diagnostic(
        range=positions.span(f),
        message=f"{f.message} ({f.slug})",
        severity=_SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Warning),
        code=f.code,
        code_description=lsp.CodeDescription(href=url) if url else None,
        source=SOURCE,
        tags=[lsp.DiagnosticTag.Unnecessary] if f.code == "CA007" else None,
        data={"pointer": f.pointer, "fixable": f.fixable},
    )


def _note(message: str, severity: lsp.DiagnosticSeverity) -> lsp.Diagnostic:
    start = lsp.Position(line=0, character=0)
    return lsp.Diagnostic(range=lsp.Range(start=start, end=start), message=message, severity=severity, source=SOURCE)


class Server(LanguageServer):
    def __init__(self) -> None:
        super().__init__("closeapp-lint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.debounce = DEBOUNCE
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.configs: dict[Path, config.Config | str] = {}  # folder -> config, or the error reading it

    # -- linting -------------------------------------------------------------

    def is_manifest(self, uri: str) -> bool:
        path = to_fs_path(uri)
        return path is not None and files.is_manifest_name(Path(path).name)

    def config_for(self, path: Path) -> config.Config | str:
        """The config a run from the file's folder would use (the nearest config file)."""
        folder = path.parent
        found = self.configs.get(folder)
        if found is None:
            try:
                found = config.resolve(config_file=None, isolated=False, cwd=folder, overrides=config.Overrides())
            except config.ConfigError as exc:
                found = str(exc)
            self.configs[folder] = found
        return found

    def lint(self, uri: str) -> Linted:
        """The current text of ``uri`` linted (remembered per version)."""
        document = self.workspace.get_text_document(uri)
        cached = self.linted.get(uri)
        if cached is not None and cached.version == document.version and cached.version is not None and cached.text == document.source:
            return cached
        text = document.source
        path = Path(to_fs_path(uri) or "closeapp.yaml")
        cfg = self.config_for(path)
        if isinstance(cfg, str):
            linted = Linted(document.version, text, FileReport(path=str(path), findings=()), None, cfg)
        elif cfg.excluded(str(path)):
            linted = Linted(document.version, text, FileReport(path=str(path), findings=()), None)
        else:
            report, doc = run.lint_document(text.encode("utf-8", "surrogatepass"), str(path), cfg)
            linted = Linted(document.version, text, report, doc)
        self.linted[uri] = linted
        return linted

    def positions(self, text: str) -> Positions:
        return Positions(text, self.workspace.position_encoding or "utf-16")

    def publish(self, uri: str) -> None:
        """Lint the document as it is now and publish, tagged with its version."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents or not self.is_manifest(uri):
            return
        try:
            linted = self.lint(uri)
            diagnostics = _diagnostics(linted, self.positions(linted.text))
        except Exception as exc:  # noqa: BLE001 - one document must never stop the server
            linted = None
            diagnostics = [_note(f"closeapp-lint: internal error while linting this file: {type(exc).__name__}: {exc}", lsp.DiagnosticSeverity.Error)]
        version = linted.version if linted else self.workspace.get_text_document(uri).version
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def schedule(self, uri: str) -> None:
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        if self.debounce <= 0:
            self.publish(uri)
            return
        self.pending[uri] = asyncio.get_running_loop().call_later(self.debounce, self.publish, uri)

    def relint_all(self) -> None:
        self.configs.clear()
        self.linted.clear()
        for uri in list(self.workspace.text_documents):
            self.publish(uri)

    # -- code actions and hover ----------------------------------------------

    def actions(self, uri: str, wanted: lsp.Range, only: list[str] | None) -> list[lsp.CodeAction]:
        linted = self.lint(uri)
        if linted.document is None:
            return []
        positions = self.positions(linted.text)
        actions: list[lsp.CodeAction] = []
        quick = only is None or any(lsp.CodeActionKind.QuickFix.value.startswith(kind) or kind.startswith("quickfix") for kind in only)
        if quick:
            for finding in linted.report.findings:
                where = positions.span(finding)
                if not _overlaps(where, wanted):
                    continue
                diagnostic = _diagnostic(finding, positions)
                if finding.fixable:
                    edits = [positions.edit(e) for e in fixes.edits_for(linted.document, finding.code, finding.pointer)]
                    if edits:
                        actions.append(_action(f"Fix {finding.code}: {finding.slug}", lsp.CodeActionKind.QuickFix, uri, edits, [diagnostic], preferred=True))
                if finding.code not in UNSUPPRESSIBLE:
                    actions.extend(self.disable_actions(uri, linted, finding, diagnostic, positions))
        if only is None or any(FIX_ALL.startswith(kind) for kind in only):
            fixed = self.fix_all(uri, linted, positions)
            if fixed is not None:
                actions.append(fixed)
        return actions

    def fix_all(self, uri: str, linted: Linted, positions: Positions) -> lsp.CodeAction | None:
        """Every fix ``--fix`` would apply, as one edit of the whole document."""
        if not any(f.fixable for f in linted.report.findings):
            return None
        path = Path(to_fs_path(uri) or "closeapp.yaml")
        cfg = self.config_for(path)
        if isinstance(cfg, str):
            return None
        result = fixes.fix(linted.text.encode("utf-8", "surrogatepass"), str(path), cfg)
        if not result.applied:
            return None
        text = result.raw.decode("utf-8", "surrogatepass")
        return _action("Fix all closeapp-lint findings", FIX_ALL, uri, [lsp.TextEdit(range=positions.whole(), new_text=text)], None)

    def disable_actions(self, uri: str, linted: Linted, finding: Finding, diagnostic: lsp.Diagnostic, positions: Positions) -> Iterator[lsp.CodeAction]:
        """ "Disable CODE for this line" (a comment above it, indented like it, or at its end)
        and "… for this file" — each offered only when linting the edited text shows the
        finding gone and nothing broken."""
        text = linted.text
        number = positions.position(positions.offset(finding.span.line, finding.span.column)).line
        start = positions.line_start(number)
        body = _LSP_BREAKS.split(text[start:], maxsplit=1)[0]
        indent = body[: len(body) - len(body.lstrip(" \t"))]
        newline = m.group() if (m := _LSP_BREAKS.search(text)) else "\n"
        comment = f"# closeapp-lint: disable={finding.code}"
        for offset, inserted, line in ((start, f"{indent}{comment}{newline}", number + 1), (start + len(body), f"  {comment}", number)):
            if self.suppresses(linted, finding, offset, inserted, line):
                yield _action(f"Disable {finding.code} for this line", lsp.CodeActionKind.QuickFix, uri, [_insert(positions, offset, inserted)], [diagnostic])
                break
        top = 1 if text.startswith("\ufeff") else 0
        inserted = f"# closeapp-lint: disable-file={finding.code}{newline}"
        if self.suppresses(linted, finding, top, inserted, None):
            yield _action(f"Disable {finding.code} for this file", lsp.CodeActionKind.QuickFix, uri, [_insert(positions, top, inserted)], [diagnostic])

    def suppresses(self, linted: Linted, finding: Finding, offset: int, inserted: str, line: int | None) -> bool:
        """Does inserting ``inserted`` at ``offset`` take the finding away (on LSP line
        ``line`` of the result, or anywhere when None) without breaking anything?"""
        text = linted.text[:offset] + inserted + linted.text[offset:]
        path = Path(linted.report.path)
        cfg = self.config_for(path)
        if isinstance(cfg, str):
            return False
        after, _ = run.lint_document(text.encode("utf-8", "surrogatepass"), str(path), cfg)
        before = {f.code for f in linted.report.findings}
        broken = any(f.code in UNSUPPRESSIBLE or f.code == "CA006" for f in after.findings if f.code not in before)
        result = Positions(text)
        still = [
            f for f in after.findings if f.code == finding.code and (line is None or result.position(result.offset(f.span.line, f.span.column)).line == line)
        ]
        return not broken and not after.error and not still

    def hover(self, uri: str, at: lsp.Position) -> lsp.Hover | None:
        linted = self.lint(uri)
        positions = self.positions(linted.text)
        codes = list(dict.fromkeys(f.code for f in linted.report.findings if _contains(positions.span(f), at)))
        rules = [r for code in codes if (r := get(code)) is not None]
        if not rules:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(explain_markdown(r) for r in rules)))


def _insert(positions: Positions, offset: int, text: str) -> lsp.TextEdit:
    point = positions.position(offset)
    return lsp.TextEdit(range=lsp.Range(start=point, end=point), new_text=text)


def _before(a: lsp.Position, b: lsp.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    return not _before(a.end, b.start) and not _before(b.end, a.start)


def _contains(r: lsp.Range, at: lsp.Position) -> bool:
    return not _before(at, r.start) and not _before(r.end, at)


def _action(
    title: str, kind: lsp.CodeActionKind | str, uri: str, edits: list[lsp.TextEdit], diagnostics: list[lsp.Diagnostic] | None, *, preferred: bool = False
) -> lsp.CodeAction:
    return lsp.CodeAction(title=title, kind=kind, diagnostics=diagnostics, is_preferred=preferred or None, edit=lsp.WorkspaceEdit(changes={uri: edits}))


def create() -> Server:
    server = Server()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: Server, params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), int | float):
            ls.debounce = max(0.0, float(options["debounce"]) / 1000)  # milliseconds

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: Server, params: lsp.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES]
            registration = lsp.Registration(
                id="closeapp-lint-config",
                method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
            )
            ls.client_register_capability(lsp.RegistrationParams(registrations=[registration]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: Server, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: Server, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: Server, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: Server, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = ls.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_changed(ls: Server, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(Path(to_fs_path(change.uri) or "").name in CONFIG_FILES for change in params.changes):
            ls.relint_all()

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL]))
    def code_action(ls: Server, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        if not ls.is_manifest(uri):
            return None
        only = [str(kind) for kind in params.context.only] if params.context.only else None
        return ls.actions(uri, params.range, only)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: Server, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        return ls.hover(uri, params.position) if ls.is_manifest(uri) else None

    @server.command(CHECKLIST)
    def checklist(ls: Server, uri: str = "") -> dict[str, Any]:
        """The publish-readiness checklist of a document, as in the JSON report."""
        if uri not in ls.workspace.text_documents:
            return {"error": "pass the URI of an open manifest"}
        linted = ls.lint(uri)
        return {"uri": uri, "readiness": readiness(linted.report.readiness), "error": linted.config_error or linted.report.error}

    return server


def serve() -> None:
    """Serve over standard input and output until the client says exit."""
    create().start_io()
