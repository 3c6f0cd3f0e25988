"""``closeapp-lint server``: a language server (LSP over standard input and output).

Every rule, in the editor: diagnostics on open, on change (debounced, full or
incremental sync) and on save, for files named like manifests; quick fixes (the same
edits as ``--fix``), fix-all, "disable for this line / file"; the rule's docs on hover;
and the checklist as a command. It lints through the same pipeline as the command line
(``pipeline.lint_document``: the engine, config discovery and suppressions) and never uses the
network. Needs pygls (``pip install 'closeapp-lint[lsp]'``); nothing else imports this.

Positions: the linter counts lines as the YAML loader splits them and columns in code
points, 1-based; LSP counts lines split at ``\\n``, ``\\r\\n`` and ``\\r`` only and columns
in the negotiated unit (UTF-16 code units unless the client offers another), 0-based.
:class:`Positions` converts through the offset in the text.
"""

from __future__ import annotations

import asyncio
import os
import re
from bisect import bisect_right
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..core.document import LINE_BREAKS, Document
from ..core.escape import error_text
from ..core.model import ERROR, INFO, WARNING, Edit, FileReport, Finding
from ..core.records import NamedTuple
from ..core.rule_urls import rule_url
from ..judge import fixes, suppress
from ..load import config, files
from ..load.project import Project
from ..load.source import load
from ..reporters.docs import explain_markdown
from ..reporters.json_format import readiness
from ..rules.environments import sibling
from ..rules.registry import UNSUPPRESSIBLE, get
from ..run import pipeline

SOURCE = "closeapp-lint"
FIX_ALL = "source.fixAll.closeapp-lint"
CHECKLIST = "closeapp-lint.checklist"
CONFIG_FILES = ("pyproject.toml", ".closeapp-lint.toml")
DEBOUNCE = 0.05  # seconds after the last change before a document is linted again
BASE_CHILDREN = 64  # manifests an open base is linted through (a lint never holds up the others for long)
POLL = 1.0  # seconds between looks at the config files, for clients that do not report file changes
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
    stamp: tuple[Any, ...] = ()  # the identity of the config files it was linted under


def _fs_path(uri: str) -> str | None:
    """The file a URI names; None for one no file can have (a NUL, ``%00``, in its path:
    every system call would refuse it, and one such document must not break the lint of
    every other that reads the open buffers)."""
    path = to_fs_path(uri)
    return None if path is None or "\x00" in path else path


def _diagnostics(linted: Linted, positions: Positions) -> list[lsp.Diagnostic]:
    if linted.config_error:
        return [_note(f"closeapp-lint: configuration error: {linted.config_error}", lsp.DiagnosticSeverity.Error)]
    out = [_diagnostic(f, positions) for f in linted.report.findings]
    if linted.report.error:
        out.append(_note(f"closeapp-lint: internal error while linting this file: {linted.report.error}", lsp.DiagnosticSeverity.Error))
    if linted.report.notice:
        out.append(_note(f"closeapp-lint: {linted.report.notice}", lsp.DiagnosticSeverity.Information))
    if linted.report.omitted:
        out.append(_note(f"closeapp-lint: {linted.report.omitted} more findings beyond the per-file limit (max-findings)", lsp.DiagnosticSeverity.Information))
    return out


def _apps_of_base(linted: Linted) -> list[lsp.Diagnostic]:
    """A base's apps, judged with the base as it is in the editor (SPEC §11.1): one
    diagnostic on its first line for each error an app has in its own file — a field the
    base no longer supplies shows here, where the change was made — with the manifest's
    place as related information."""
    out = []
    for app in linted.report.apps:
        for f in app.findings:
            if f.severity != ERROR:
                continue
            where = lsp.Location(uri=from_fs_path(os.path.abspath(app.path)) or "", range=_line_range(f.span.line - 1))
            message = f"{Path(app.path).name}:{f.span.line}:{f.span.column}: {f.message} ({f.slug}; in an app that extends this base)"
            related = [lsp.DiagnosticRelatedInformation(location=where, message="in this manifest")]
            out.append(
                lsp.Diagnostic(
                    range=_line_range(0), message=message, severity=lsp.DiagnosticSeverity.Error, code=f.code, source=SOURCE, related_information=related
                )
            )
    return out


def _line_range(line: int) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=max(0, line), character=0), end=lsp.Position(line=max(0, line), character=0))


def _diagnostic(f: Finding, positions: Positions, inherited: tuple[lsp.Range, str, lsp.Location] | None = None) -> lsp.Diagnostic:
    """The diagnostic of a finding; ``inherited``: of a finding about a value a base set,
    shown at the manifest's ``extends`` (range, message) with the base's place."""
    url = rule_url(f.code, f.slug, __version__)
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri=from_fs_path(os.path.abspath(child)) or "", range=_line_range(0)),
            message="inherits this value",
        )
        for child in f.inherited_by
    ]
    at, message = (inherited[0], inherited[1]) if inherited else (positions.span(f), f"{f.message} ({f.slug})")
    if inherited:
        related = [lsp.DiagnosticRelatedInformation(location=inherited[2], message="set here, in the base")]
    return lsp.Diagnostic(
        range=at,
        message=message,
        severity=_SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Warning),
        code=f.code,
        code_description=lsp.CodeDescription(href=url) if url else None,
        source=SOURCE,
        tags=[lsp.DiagnosticTag.Unnecessary] if f.code == "CA007" else None,
        related_information=related or None,
        data={"pointer": f.pointer, "fixable": f.fixable and not inherited},
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
        self.configs: dict[Path, tuple[tuple[Any, ...], config.Config | str]] = {}  # folder -> (stamp, config or its error)
        self.fixed_all: dict[str, tuple[int | None, str, lsp.CodeAction | None]] = {}  # uri -> (version, text, fix-all action)
        self._pool: ThreadPoolExecutor | None = None  # lints off the event loop, one at a time
        # The keys CA421–CA424 compare, of each open manifest as last linted; the manifests
        # whose keys changed since, until their diagnostics are out (then the other open
        # manifests are linted again: they are compared with this buffer).
        self.compared: dict[str, object] = {}
        self.keys_changed: set[str] = set()
        self.config_file: str | None = None  # the client's configFile option (as --config); None: found per folder
        self.tickets: dict[str, int] = {}  # uri -> the number of its newest publish (older queued ones are dropped)

    # -- linting -------------------------------------------------------------

    def is_config(self, uri: str) -> bool:
        path = _fs_path(uri)
        return path is not None and Path(path).name in CONFIG_FILES

    def start_polling(self) -> None:
        """Look at the open manifests' config files every POLL seconds (the client does
        not report file changes)."""

        def tick() -> None:
            self.poll_configs()
            loop.call_later(POLL, tick)

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        loop.call_later(POLL, tick)

    def is_manifest(self, uri: str) -> bool:
        """Whether the document is linted: a manifest, or a base (SPEC §11)."""
        path = _fs_path(uri)
        return path is not None and (files.is_manifest_name(Path(path).name) or files.is_base_name(Path(path).name))

    def is_base(self, uri: str) -> bool:
        path = _fs_path(uri)
        return path is not None and files.is_base_name(Path(path).name)

    def project(self, cfg: config.Config) -> Project:
        """The repository state of one lint, reading the editor's open buffers before the
        disk (bases, and the manifests the sibling scan reads), matched by where they
        really are. The open documents are resolved once per lint, not once per file the
        scan reads."""
        held: dict[str, str] = {}
        for uri, document in list(self.workspace.text_documents.items()):
            path = _fs_path(uri)
            if path is not None:
                held[os.path.realpath(path)] = document.source

        def buffer(path: str) -> bytes | None:
            source = held.get(os.path.realpath(path)) if held else None
            return source.encode("utf-8", "surrogatepass") if source is not None else None

        return Project(cfg, overlay=buffer)

    def config_for(self, path: Path, stamp: tuple[Any, ...] | None = None) -> config.Config | str:
        """The config a run from the file's folder would use (the nearest config file),
        read again whenever a config file that could apply changed on disk: each lint
        compares their identity (path, modification time, size), so an editor that does
        not report file changes still gets the new settings."""
        folder = path.parent
        stamp = config.stamp(folder) if stamp is None else stamp  # taken by the caller already, or now
        known = self.configs.get(folder)
        if known is not None and known[0] == stamp:
            return known[1]
        found: config.Config | str
        try:
            found = config.resolve(config_file=self.config_file, isolated=False, cwd=folder, overrides=config.Overrides())
        except config.ConfigError as exc:
            found = str(exc)
        self.configs[folder] = (stamp, found)
        return found

    def lint(self, uri: str) -> Linted:
        """The current text of ``uri`` linted (remembered per version and config)."""
        document = self.workspace.get_text_document(uri)
        return self.lint_text(uri, document.source, document.version)

    def lint_text(self, uri: str, text: str, version: int | None) -> Linted:
        path = Path(_fs_path(uri) or "closeapp.yaml")
        stamp = config.stamp(path.parent)
        cached = self.linted.get(uri)
        # A manifest that extends a base, and a base, depend on other files: linted afresh.
        alone = "extends" not in text and not self.is_base(uri)
        if alone and cached is not None and cached.version == version and version is not None and cached.text == text and cached.stamp == stamp:
            return cached
        cfg = self.config_for(path, stamp)
        if isinstance(cfg, str):
            linted = Linted(version, text, FileReport(path=str(path), findings=()), None, cfg, stamp)
        elif cfg.excluded(str(path)):
            linted = Linted(version, text, FileReport(path=str(path), findings=()), None, None, stamp)
        elif self.is_base(uri):
            raw = text.encode("utf-8", "surrogatepass")
            report = pipeline.lint_base(raw, str(path), cfg, project=self.project(cfg), limit=BASE_CHILDREN)
            linted = Linted(version, text, report, load(raw, max_size=cfg.max_file_size).document, None, stamp)
        else:
            report, doc = pipeline.lint_document(text.encode("utf-8", "surrogatepass"), str(path), cfg, values=False, project=self.project(cfg))
            linted = Linted(version, text, report, doc, None, stamp)
            keys = sibling("", doc.data) if doc is not None else None
            if self.compared.get(uri, self) != keys:
                self.compared[uri] = keys
                self.keys_changed.add(uri)
        self.linted[uri] = linted
        return linted

    def positions(self, text: str) -> Positions:
        return Positions(text, self.workspace.position_encoding or "utf-16")

    def publish(self, uri: str) -> None:
        """Lint the document as it is now and publish, tagged with its version. The lint
        runs in a worker thread when an event loop runs, so a large document never holds
        up requests about other documents; a result for an outdated version is dropped."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents or not self.is_manifest(uri):
            return
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        ticket = self.tickets[uri] = self.tickets.get(uri, 0) + 1
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.deliver(uri, version, self.diagnose(uri, text, version))
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="closeapp-lint")
        future = loop.run_in_executor(self._pool, self.diagnose, uri, text, version, ticket)
        future.add_done_callback(lambda done: self.deliver(uri, version, done.result()))

    def diagnose(self, uri: str, text: str, version: int | None, ticket: int | None = None) -> list[lsp.Diagnostic] | None:
        """The diagnostics of ``text``; None, without linting, when the document changed
        while this waited for the worker (a storm of edits to a large document queues no
        lints of versions nobody will see), or a newer lint of it was asked for meanwhile
        (``ticket``: ten quick edits of a base queue ten lints of an open manifest at one
        version; only the last runs)."""
        if not self.current(uri, version) or (ticket is not None and self.tickets.get(uri) != ticket):
            return None
        try:
            linted = self.lint_text(uri, text, version)
            return _diagnostics(linted, self.positions(linted.text)) + self.inherited(uri, linted) + _apps_of_base(linted)
        except Exception as exc:  # noqa: BLE001 - one document must never stop the server
            return [_note(f"closeapp-lint: internal error while linting this file: {error_text(exc)}", lsp.DiagnosticSeverity.Error)]

    def inherited(self, uri: str, linted: Linted) -> list[lsp.Diagnostic]:
        """A manifest's findings about values its bases set, shown at its ``extends``, each
        with the base's place as related information (a base's own diagnostics name the
        manifests they are about)."""
        if not linted.report.inherited or linted.document is None:
            return []
        positions = self.positions(linted.text)
        at = positions.span(Finding("", "", "", "", linted.document.span("/extends")))
        project = self.project(config.DEFAULT)  # reads the base's buffer, else the disk
        out = []
        for base, f in linted.report.inherited:
            text = f"{Path(base).name}:{f.span.line}:{f.span.column}: {f.message} ({f.slug}; inherited from the base)"
            out.append(_diagnostic(f, positions, (at, text, self.location(base, f, project))))
        return out

    def location(self, path: str, f: Finding, project: Project) -> lsp.Location:
        """Where ``f`` is in the file at ``path`` (its buffer or the disk), as LSP counts."""
        read = project.raw(path)
        text = read.decode("utf-8", "replace") if isinstance(read, bytes) else ""
        return lsp.Location(uri=from_fs_path(os.path.abspath(path)) or "", range=self.positions(text).span(f))

    def current(self, uri: str, version: int | None) -> bool:
        document = self.workspace.text_documents.get(uri)
        return document is not None and document.version == version

    def deliver(self, uri: str, version: int | None, diagnostics: list[lsp.Diagnostic] | None) -> None:
        if diagnostics is None or not self.current(uri, version):
            return  # closed, or changed since: the newer version's lint publishes
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))
        if uri in self.keys_changed:
            self.keys_changed.discard(uri)
            self.relint_others(uri)

    def relint_others(self, uri: str) -> None:
        """The other open manifests, linted again (not from the lint kept for their
        version): what ``uri`` holds for CA421–CA424 changed."""
        for other in list(self.workspace.text_documents):
            if other != uri and self.is_manifest(other) and not self.is_base(other):
                self.linted.pop(other, None)
                self.schedule(other)

    def saved(self, uri: str) -> None:
        """Saved: linted again against the files on disk as they are now (a client that
        does not report file changes still gets a sibling changed by another tool)."""
        self.linted.pop(uri, None)
        self.publish(uri)

    def forget(self, uri: str) -> None:
        """Closed: its buffer no longer stands in for the file, so the other open
        manifests, compared with it, are linted again (with the disk)."""
        self.keys_changed.discard(uri)
        self.tickets.pop(uri, None)  # a lint of it still queued finds no ticket: dropped
        if uri in self.compared:  # (None too: a buffer that did not parse may parse on disk)
            del self.compared[uri]
            self.relint_others(uri)

    def schedule(self, uri: str) -> None:
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (the server driven in-process): at once, as publish does
            loop = None
        if self.debounce <= 0 or loop is None:
            self.publish(uri)
            return
        self.pending[uri] = loop.call_later(self.debounce, self.publish, uri)

    def schedule_related(self, uri: str) -> None:
        """A base changed: the open manifests that extend a base are linted again; a
        manifest that extends one changed: the open bases are (SPEC §11)."""
        changed_base = self.is_base(uri)
        changed_child = not changed_base and "extends" in self.workspace.get_text_document(uri).source
        if not (changed_base or changed_child):
            return
        for other, document in list(self.workspace.text_documents.items()):
            if other == uri or not self.is_manifest(other):
                continue
            if (changed_base and "extends" in document.source) or (changed_child and self.is_base(other)):
                self.schedule(other)

    def relint_all(self) -> None:
        self.configs.clear()
        self.linted.clear()
        self.fixed_all.clear()
        for uri in list(self.workspace.text_documents):
            self.publish(uri)

    def poll_configs(self) -> None:
        """For a client that does not report file changes: re-lint the open manifests
        whose config files changed on disk (a few stat calls a second)."""
        changed = [uri for uri, linted in list(self.linted.items()) if linted.stamp != config.stamp(Path(_fs_path(uri) or "x").parent)]
        for uri in changed:
            self.publish(uri)

    # -- code actions and hover ----------------------------------------------

    def actions(self, uri: str, wanted: lsp.Range, only: list[str] | None) -> list[lsp.CodeAction]:
        linted = self.lint(uri)
        if linted.document is None:
            return []
        positions = self.positions(linted.text)
        actions: list[lsp.CodeAction] = []
        quick = only is None or any(lsp.CodeActionKind.QuickFix.value.startswith(kind) or kind.startswith("quickfix") for kind in only)
        layout: Layout | None = None
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
                    layout = layout or _layout(linted.document)
                    actions.extend(self.disable_actions(uri, linted, finding, diagnostic, positions, layout))
        if only is None or any(FIX_ALL.startswith(kind) for kind in only):
            fixed = self.fix_all(uri, linted, positions)
            if fixed is not None:
                actions.append(fixed)
        return actions

    def fix_all(self, uri: str, linted: Linted, positions: Positions) -> lsp.CodeAction | None:
        """Every fix ``--fix`` would apply, as one edit of the whole document (worked out
        once per version of the document)."""
        if not any(f.fixable for f in linted.report.findings):
            return None
        known = self.fixed_all.get(uri)
        if known is not None and known[:2] == (linted.version, linted.text):
            return known[2]
        action = self._fix_all(uri, linted, positions)
        self.fixed_all[uri] = (linted.version, linted.text, action)
        return action

    def _fix_all(self, uri: str, linted: Linted, positions: Positions) -> lsp.CodeAction | None:
        path = Path(_fs_path(uri) or "closeapp.yaml")
        cfg = self.config_for(path)
        if isinstance(cfg, str):
            return None
        result = fixes.fix(linted.text.encode("utf-8", "surrogatepass"), str(path), cfg)
        if not result.applied:
            return None
        text = result.raw.decode("utf-8", "surrogatepass")
        return _action("Fix all closeapp-lint findings", FIX_ALL, uri, [lsp.TextEdit(range=positions.whole(), new_text=text)], None)

    def disable_actions(
        self, uri: str, linted: Linted, finding: Finding, diagnostic: lsp.Diagnostic, positions: Positions, layout: Layout
    ) -> Iterator[lsp.CodeAction]:
        """ "Disable CODE for this line" (a comment above it, indented like it, or at its end)
        and "… for this file", each offered where such a comment suppresses the finding.
        Worked out from the one lint of this version (no trial lints): a line comment only
        on a line with content that starts no later than the finding, never inside a
        scalar that spans lines (a block scalar), never after an existing comment."""
        text, doc = linted.text, linted.document
        assert doc is not None
        newline = m.group() if (m := _LSP_BREAKS.search(text)) else "\n"
        number = positions.position(positions.offset(finding.span.line, finding.span.column)).line
        start = positions.line_start(number)
        body = _LSP_BREAKS.split(text[start:], maxsplit=1)[0]
        line = finding.span.line
        stripped = body.strip()
        content = bool(stripped) and not stripped.startswith("#") and 0 < line <= len(doc.lines) and doc.lines[line - 1] == body.removeprefix("\ufeff")
        comment = f"# closeapp-lint: disable={finding.code}"
        edit = None
        if content and line not in layout.inside:
            indent = body[: len(body) - len(body.lstrip(" \t"))]
            edit = _insert(positions, start, f"{indent}{comment}{newline}")
        elif content and line not in layout.open_end and line not in layout.commented:
            edit = _insert(positions, start + len(body), f"  {comment}")
        if edit is not None:
            yield _action(f"Disable {finding.code} for this line", lsp.CodeActionKind.QuickFix, uri, [edit], [diagnostic])
        top = 1 if text.startswith("\ufeff") else 0
        inserted = f"# closeapp-lint: disable-file={finding.code}{newline}"
        yield _action(f"Disable {finding.code} for this file", lsp.CodeActionKind.QuickFix, uri, [_insert(positions, top, inserted)], [diagnostic])

    def hover(self, uri: str, at: lsp.Position) -> lsp.Hover | None:
        linted = self.lint(uri)
        positions = self.positions(linted.text)
        codes = list(dict.fromkeys(f.code for f in linted.report.findings if _contains(positions.span(f), at)))
        rules = [r for code in codes if (r := get(code)) is not None]
        if not rules:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(explain_markdown(r) for r in rules)))


class Layout(NamedTuple):
    """Where a comment may go, by the linter's line numbers."""

    inside: frozenset[int]  # lines that continue a scalar begun on an earlier line
    open_end: frozenset[int]  # lines whose end is inside a scalar that goes on below
    commented: frozenset[int]  # lines that already hold a comment


def _layout(doc: Document) -> Layout:
    inside: set[int] = set()
    open_end: set[int] = set()
    seen: set[int] = set()
    for info in doc.nodes.values():
        for node in (info.node if info.kind == "scalar" else None, info.key):
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            first, last = node.start_mark.line + 1, node.end_mark.line + 1
            through_end = node.end_mark.column == 0 and last > first  # a block scalar: it ends where the next line starts
            last -= through_end
            inside.update(range(first + 1, last + 1))
            open_end.update(range(first, last + through_end))
    commented = frozenset(line for line, _, _ in suppress.comments(doc))
    return Layout(frozenset(inside), frozenset(open_end), commented)


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
        if isinstance(options, dict) and isinstance(options.get("configFile"), str) and options["configFile"].strip():
            ls.config_file = options["configFile"].strip()  # the editor's setting: one config file for every document (as --config)

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
        else:  # Neovim on Linux, among others: look at the config files ourselves
            ls.start_polling()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: Server, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: Server, params: lsp.DidChangeTextDocumentParams) -> None:
        if ls.is_config(params.text_document.uri):
            ls.relint_all()
        else:
            ls.schedule(params.text_document.uri)
            ls.schedule_related(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: Server, params: lsp.DidSaveTextDocumentParams) -> None:
        if ls.is_config(params.text_document.uri):
            ls.relint_all()  # an open pyproject.toml saved: every open manifest under the new settings
        else:
            ls.saved(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: Server, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        waiting = ls.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.forget(uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_changed(ls: Server, params: lsp.DidChangeWatchedFilesParams) -> None:
        if any(ls.is_config(change.uri) for change in params.changes):
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
        """The publish-readiness checklist of a document, as in the JSON report; of a base,
        none of its own, and its apps' (a base stands for its apps, SPEC §11.1)."""
        if uri not in ls.workspace.text_documents:
            return {"error": "pass the URI of an open manifest"}
        linted = ls.lint(uri)
        answer: dict[str, Any] = {"uri": uri, "readiness": readiness(linted.report.readiness), "error": linted.config_error or linted.report.error}
        if linted.report.apps:
            answer["apps"] = [{"uri": from_fs_path(os.path.abspath(app.path)), "readiness": readiness(app.readiness)} for app in linted.report.apps]
        return answer

    return server


def serve() -> None:
    """Serve over standard input and output until the client says exit."""
    create().start_io()
