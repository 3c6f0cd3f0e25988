"""--fix and --diff: a manifest fixed in its own values, a base where the manifests that
extend it found a fixable value (never one a comment in the base suppresses), each
written atomically and never through a symlink that leads outside the root; --diff: the
diff it would make, credentials masked.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..core.escape import safe, slashed
from ..core.model import FileReport, Finding
from ..judge.engine import base_report, lint_with_document
from ..load import files
from ..load.config import Config
from ..load.project import Project
from ..load.source import decode, load
from ..rules.registry import UNSUPPRESSIBLE
from .app import Options, Source, compared, drift, guarded, lint_base, lint_source, merging

if TYPE_CHECKING:
    from ..text.credentials import Secret


def fix_base_file(path: str, raw: bytes, found: list[Finding], project: Project, options: Options) -> FileReport:
    """--fix of a base: the fixable findings its manifests found in it, applied to the
    base's own bytes (the manifests were fixed already); --diff: the diff it would make.
    The report is of what remains, judged again through the manifests (with --diff, as if
    the base were fixed)."""
    from ..judge import fixes

    cfg = project.cfg

    def unfixed() -> FileReport:  # the base as it is
        return base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=merging(path, project))

    fixed, count = fixes.fix_base(raw, found, cfg.enabled(slashed(path)))
    if not count:
        return unfixed()
    if options.diff:
        real = os.path.realpath(path)
        after = Project(cfg, overlay=lambda other: fixed if os.path.realpath(other) == real else None)
        return lint_base(fixed, path, cfg, project=after)._replace(fixed=count, diff=_diff(path, raw, fixed))
    try:  # checked through the folder it writes in: the file, or a folder, leading outside the root through a symlink
        files.write_atomic(path, fixed, through_symlink=True, root=options.root)
    except files.LeavesRoot:
        return unfixed()._replace(notice=_outside(options.root))
    return lint_base(fixed, path, cfg, project=Project(cfg))._replace(fixed=count)


def _outside(root: str) -> str:
    return f"not fixed: it leads outside {safe(root)} through a symlink"


def fix_source(source: Source, cfg: Config, options: Options, project: Project) -> FileReport:
    """--fix: the file fixed in place (standard input: to ``write_stdin``), never through a
    symlink that leads outside the root; --diff: the diff it would make. The report is
    of what remains, with ``fixed`` counting the fixes (applied, or that would be)."""
    if not isinstance(source.raw, bytes) or files.is_record_name(os.path.basename(source.name)):
        return lint_source(source, cfg, project)  # an applied record has nothing to fix
    raw = source.raw
    return guarded(source.name, lambda: _fix_one(source, raw, cfg, options, project))


def _fix_one(source: Source, raw: bytes, cfg: Config, options: Options, project: Project) -> FileReport:
    from ..judge import fixes

    where = source.name if source.path == "-" else source.path
    result = fixes.fix(raw, source.name, cfg, extra=compared(drift(None, where, cfg), where, cfg, project), merge=merging(where, project))
    blocked = next((f for f in result.report.findings if f.code in UNSUPPRESSIBLE and f.code != "CA005"), None)
    if blocked is not None and not result.applied:  # say why nothing was fixed, and what to do
        result = result._replace(
            report=result.report._replace(
                notice=f"not fixed: {blocked.code} at line {blocked.span.line} — --fix never edits a file that does not read as it looks; fix that by hand, then run --fix again"
            )
        )
    if options.diff:
        return result.report._replace(fixed=result.applied, diff=_diff(source.name, raw, result.raw) if result.applied else "")
    if source.path == "-":
        if options.write_stdin is not None:
            options.write_stdin(result.raw)
    elif result.applied:
        try:  # a symlink inside the root stays a symlink; checked through the folder it writes in
            files.write_atomic(source.path, result.raw, through_symlink=True, root=options.root)
        except files.LeavesRoot:  # the file, or a folder on its way, leads outside the root
            unfixed = lint_with_document(raw, source.name, cfg, extra=compared(None, where, cfg, project), merge=merging(where, project))[0]
            return unfixed._replace(notice=_outside(options.root))  # what is in the file, unfixed
    return result.report._replace(fixed=result.applied)


def _diff(name: str, raw: bytes, fixed: bytes) -> str:
    """The unified diff --fix would make, credentials masked, control characters escaped."""
    import difflib

    from ..text.credentials import mask_source

    before, after = decode(raw), decode(fixed)
    assert isinstance(before, str) and isinstance(after, str)
    # Context lines never show a credential, nor do lines a credential was copied into.
    found_before = secrets_in(before)
    before, after = mask_source(before, found_before), mask_source(after, secrets_in(after), found_before)
    shown = safe(name)
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{shown}", f"b/{shown}")
    return "".join(_shown_line(line) for line in lines)


def secrets_in(text: str) -> list[Secret]:
    """Every credential in a source text, parsed as a manifest when it parses."""
    from ..text.credentials import find_in_text, find_secrets

    doc = load(text.encode("utf-8")).document
    return find_secrets(doc) if doc is not None else find_in_text(text)


def _shown_line(line: str) -> str:
    """A diff line for a terminal: control and bidi characters of the source escaped."""
    body = line.removesuffix("\n")
    return safe(body) + line[len(body) :]
