"""The pure core: ``lint(bytes, path, config) -> FileReport``. No I/O, no printing,
no environment: everything comes in as arguments."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..core.document import LINE_BREAKS, Document
from ..core.escape import slashed
from ..core.manifest import STAYS_PRIVATE, is_public
from ..core.model import BASE, ERROR, INFO, PUBLISH, WARNING, WARNING_TO_ERROR, FileReport, Finding, Frame, Readiness, Span
from ..load.config import DEFAULT, Config
from ..load.source import LoadResult, load
from ..rules import registry
from ..text.credentials import Masker, Secret, find_in_text, find_secrets
from . import checklist, schema, suppress

if TYPE_CHECKING:
    from ..load.extends import Merged

_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


ExtraFindings = Callable[[Document], Iterable[Finding]]  # findings made outside the engine (--check-urls)
Merge = Callable[[Document], "Merged"]  # a manifest that extends bases -> merged with them


def lint(raw: bytes, path: str, config: Config = DEFAULT) -> FileReport:
    """Lint one file."""
    return lint_with_document(raw, path, config)[0]


def lint_with_document(
    raw: bytes,
    path: str,
    config: Config = DEFAULT,
    *,
    extra: ExtraFindings | None = None,
    loaded: LoadResult | None = None,
    merge: Merge | None = None,
) -> tuple[FileReport, LoadResult]:
    """The report, and the loaded document it was made from (for fixes). ``extra`` adds
    findings made elsewhere (the --check-urls outcomes, found over the network by the
    pipeline), so that this stays free of I/O; ``loaded`` is ``raw`` already loaded (it
    is not parsed twice); ``merge`` merges a manifest that says ``extends`` with its bases
    (SPEC §11; the pipeline reads them)."""
    path = slashed(path)
    result = loaded if loaded is not None else load(raw, max_size=config.max_file_size)
    own = result.document
    doc = own
    enabled = config.enabled(path)
    findings: list[Finding] = list(result.findings)
    values: list[Finding] = []  # about values, which a base may have set
    merged = None
    if own is not None:
        if merge is not None and "extends" in own.data:
            merged = merge(own)
            findings.extend(merged.findings)
        doc = merged.doc if merged is not None else own
        if merged is None:
            # Every rule runs, selected or not: the checklist reports what Close will see,
            # and a finding the configuration turns off only changes what is reported.
            values.extend(schema.validate(doc))
            for check in registry.checks():
                values.extend(check(doc))
        else:
            values.extend(_app_values(own, merged))
            for check in registry.checks(per_file=True):  # the manifest's own text; each base's below
                findings.extend(check(own))
        if extra is not None and (merged is None or not merged.broken):
            values.extend(extra(doc))
    public = doc is not None and is_public(doc)
    overrides = dict(config.severity)
    # Findings about values a base set, and about a base's own text, are reported on the
    # base (the pipeline gathers them); this manifest's checklist judges them as its own:
    # the app is the manifest and every base of its chain (SPEC §11.1).
    from_bases: list[tuple[str, Finding]] = []
    in_bases: list[tuple[str, Finding]] = []  # of those, the ones a comment in their base kept out
    if merged is not None and own is not None:  # merged: own was loaded, and doc is merged.doc
        values, from_bases = _by_origin(merged.doc, own, merged, values)
        from_bases, in_bases = _suppressed_in_bases(merged.doc, [*from_bases, *_base_texts(merged.doc)], enabled)
    findings.extend(values)
    inherited = [(base, r) for base, f in from_bases if f.code in enabled and (r := _resolve(f, public, overrides))]
    ignored = [f for f in findings if f.code not in enabled]
    findings, suppressed = suppress.split(own, [f for f in findings if f.code in enabled], enabled)
    readiness = None
    if doc is not None:
        judged_too = [f for _, f in from_bases if f.code in enabled]
        kept_out = ignored + suppressed + [f for _, f in from_bases if f.code not in enabled] + [f for _, f in in_bases]
        readiness = _readiness(doc, findings + judged_too if judged_too else findings, kept_out, overrides)
    reported = [r for f in findings if (r := _resolve(f, public, overrides))]
    # One masker for the app: a message may quote a credential written in any file of it.
    from_base_texts = [s for base in doc.bases for s in find_secrets(base)] if doc is not None and doc.bases else None
    shown, mask, frames, omitted, omitted_by = _presented(reported, findings + ignored + suppressed, result, own, config.max_findings, from_base_texts)
    if own is not None and not any(f.code in registry.UNSUPPRESSIBLE for f in shown):  # --fix never edits a file that does not read as it looks
        shown = [_with_fixability(f, own) for f in shown]
    if readiness is not None and mask:
        readiness = readiness._replace(items=tuple(i._replace(detail=_capped(mask(i.detail))) for i in readiness.items))
    report = FileReport(
        path=path,
        findings=tuple(shown),
        readiness=readiness,
        public=public,
        frames=frames,
        omitted=omitted,
        omitted_by=omitted_by,
        inherited=tuple((base, _with_fixability(_shown(f, mask), doc.source_of(f.pointer))) for base, f in inherited) if inherited and doc is not None else (),
    )
    if merged is not None:  # what the pipeline needs of the app's bases (a manifest without extends pays nothing)
        in_bases_kept_out = tuple((base, _shown(r, mask)) for base, f in in_bases if f.code in enabled and (r := _resolve(f, public, overrides)))
        report = report._replace(kept_out_in_bases=in_bases_kept_out, unreadable_base=merged.unreadable)
    return report, result


# (the findings shown: the most severe, capped, credentials masked; the masker; frames;
# how many were left out; of those, errors, warnings, infos)
_Presented = tuple[list[Finding], "Masker | None", Mapping[int, Frame], int, tuple[int, int, int]]


def _presented(
    reported: list[Finding], considered: list[Finding], result: LoadResult, doc: Document | None, limit: int, also: list[Secret] | None
) -> _Presented:
    """The findings as a report shows them: the most severe ``limit``, then every credential
    of the file (and ``also``) masked by its value in each message and frame. Masking
    comes after the cap, so it costs what is shown, not what was found (``considered``:
    every finding, reported or not, that says whether to look for credentials at all)."""
    shown, beyond = _cap(reported, limit)
    found = _secrets(considered, result.text, doc)
    if also:
        found = found + also
    mask = Masker(found) if found else None
    shown = [_shown(f, mask) for f in shown]
    frames = MappingProxyType(_frames(shown, result.text, doc, _by_line(found), mask))
    return shown, mask, frames, len(beyond), _by_severity(beyond)


def _by_origin(doc: Document, own: Document, merged: Merged, values: list[Finding]) -> tuple[list[Finding], list[tuple[str, Finding]]]:
    """(the findings about the manifest's own values; (base path, finding) for each about
    a value a base set — it points at that base's line)."""
    paths = {id(base): slashed(path) for path, base in zip(merged.chain, doc.bases, strict=True)}
    mine, theirs = [], []
    for f in values:
        if f.pointer and f.pointer not in doc.nodes and not merged.broken:  # about a field the app lacks
            top = "/" + f.pointer.split("/")[1]
            layer, path = _removed_at(top[1:], doc, own)
            placed = f._replace(span=layer.key_span(top) if top in layer.nodes else layer.span("/extends"))
            if path is None:
                mine.append(placed)
            else:
                theirs.append((path, placed))
            continue
        source = doc.source_of(f.pointer)
        if source is doc:
            mine.append(f)
        else:
            theirs.append((paths[id(source)], f))
    return mine, theirs


def _app_values(own: Document, merged: Merged) -> list[Finding]:
    """The findings about the app's merged values — none when the chain is broken (CA009):
    what a base would have supplied is unknown, so nothing is missing (SPEC §11.1); the
    manifest's own keys are still checked as a base's are. A required field that no file
    sets is reported where the manifest could set it: at its ``key: null``, else at its
    ``extends`` value — never at a base's first key."""
    if merged.broken:
        return [f for f in schema.validate(own, base=True) if f.pointer != "/client_id"]
    doc = merged.doc
    found = list(schema.validate(doc))
    for check in registry.checks(per_file=False):
        found.extend(check(doc))
    return found


def _removed_at(key: str, doc: Document, own: Document) -> tuple[Document, str | None]:
    """Where a finding about the top-level ``key`` the merged app lacks belongs: the
    ``key: null`` that removed it (in the manifest, or in the base that holds it: that
    base's path), else the manifest's ``extends`` value — never a base's first key (SPEC §11.1)."""
    for layer, path in ((own, None), *zip(doc.bases, doc.base_paths, strict=True)):
        if key in layer.data and layer.data[key] is None:
            return layer, path
    return own, None


def _base_texts(doc: Document) -> list[tuple[str, Finding]]:
    """What the rules that read a file's own text (credentials, bidi controls) find in
    each base of the chain: (the base's path, the finding)."""
    return [(path, f) for base, path in zip(doc.bases, doc.base_paths, strict=True) for check in registry.checks(per_file=True) for f in check(base)]


def _suppressed_in_bases(
    doc: Document, found: list[tuple[str, Finding]], enabled: frozenset[str]
) -> tuple[list[tuple[str, Finding]], list[tuple[str, Finding]]]:
    """(the findings about the bases no comment in the base that holds them suppressed,
    each once; those one did). A suppression lives in the file that holds the span."""
    by_path = dict(zip(doc.base_paths, doc.bases, strict=True))
    kept: list[tuple[str, Finding]] = []
    dropped: list[tuple[str, Finding]] = []
    per_base: dict[str, dict[tuple[str, Span, str], Finding]] = {}  # each finding once, by base
    for path, f in found:
        per_base.setdefault(path, {}).setdefault((f.code, f.span, f.message), f)
    for path, unique in per_base.items():
        mine = list(unique.values())
        kept_here, dropped_here = suppress.split(by_path[path], mine, enabled)
        ids = {id(f) for f in mine}
        kept.extend((path, f) for f in kept_here if id(f) in ids)  # CA006/CA007 of the base are its own report's
        dropped.extend((path, f) for f in dropped_here)
    return kept, dropped


def _as_public(findings: list[Finding], overrides: dict[str, str]) -> list[Finding]:
    return [r for f in findings if (r := _resolve(f, True, overrides))]


def _readiness(doc: Document, reported: list[Finding], kept_out: list[Finding], overrides: dict[str, str]) -> Readiness:
    """The checklist judges what Close's reviewers will see: each finding at its own level
    as if the app were public, whatever the configuration or a comment made of it. A
    severity override may make an item stricter, never more lenient; one that turns a
    finding into info keeps it out of the report, like a suppression."""
    as_public, hidden = [], _as_public(kept_out, {}) if kept_out else []
    for finding in reported:
        default = _resolve(finding, True, {})
        if default is None:
            continue
        override = _resolve(finding, True, overrides) if overrides else default
        if override is not None and override.severity == INFO and default.severity != INFO:
            hidden.append(default)
        elif override is not None and _RANK[override.severity] < _RANK[default.severity]:
            as_public.append(override)
        else:
            as_public.append(default)
    found = checklist.evaluate(as_public, has_listing="listing" in doc.data, suppressed=hidden)
    return found._replace(stays_private=True) if doc.data.get("environment") in STAYS_PRIVATE else found


def _with_fixability(finding: Finding, doc: Document) -> Finding:
    rule = registry.get(finding.code)
    if rule is None or rule.fix is None or not rule.fix(doc, finding.pointer):
        return finding
    return finding._replace(fixable=True)


def _resolve(finding: Finding, public: bool, overrides: dict[str, str]) -> Finding | None:
    """The finding at its effective severity, or None when it is not reported."""
    level = overrides.get(finding.code, finding.severity)
    if level == PUBLISH:
        if not public:
            return None
        level = ERROR
    elif level == WARNING_TO_ERROR:
        level = ERROR if public else WARNING
    return finding if level == finding.severity else finding._replace(severity=level)


def _by_severity(findings: list[Finding]) -> tuple[int, int, int]:
    return (sum(f.severity == ERROR for f in findings), sum(f.severity == WARNING for f in findings), sum(f.severity == INFO for f in findings))


def _cap(findings: list[Finding], limit: int) -> tuple[list[Finding], list[Finding]]:
    """Keep the most severe ``limit`` findings, in source order; and the rest."""
    ordered = sorted(findings, key=lambda f: f.sort_key)
    if len(ordered) <= limit:
        return ordered, []
    by_rank = sorted(ordered, key=lambda f: (_RANK[f.severity], f.sort_key))
    return sorted(by_rank[:limit], key=lambda f: f.sort_key), by_rank[limit:]


MAX_FRAME_SOURCE = 2000  # characters of a long line kept around its findings


_NEAR = 1000  # lines of a multi-line secret (a PEM block) indexed for masking


def _by_line(found: list[Secret]) -> dict[int, list[Secret]]:
    """Secrets by the lines they cover, so that masking a message or a frame line looks
    at that line's few secrets, not at every secret in the file."""
    index: dict[int, list[Secret]] = {}
    for secret in found:
        for line in range(secret.span.line, min(secret.span.end_line, secret.span.line + _NEAR) + 1):
            index.setdefault(line, []).append(secret)
    return index


MAX_MESSAGE = 500  # characters of a message: it names a field and quotes at most a part of a value


def _capped(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def _shown(finding: Finding, mask: Masker | None) -> Finding:
    """The finding as reported: every credential masked (a message may quote a value
    copied from anywhere in the file), and the message kept short."""
    message = _capped(mask(finding.message)) if mask else _capped(finding.message)
    pointer = mask(finding.pointer) if mask else finding.pointer
    return finding if message is finding.message and pointer is finding.pointer else finding._replace(message=message, pointer=pointer)


def _secrets(findings: list[Finding], text: str | None, doc: Document | None) -> list[Secret]:
    """The credentials to mask in this report's messages and frames (none to look for
    when nothing is reported)."""
    if not findings or text is None:
        return []
    return find_secrets(doc) if doc is not None else find_in_text(text)


def _frames(findings: Iterable[Finding], text: str | None, doc: Document | None, secrets: dict[int, list[Secret]], mask: Masker | None) -> dict[int, Frame]:
    """The source lines the findings start on, with every secret masked and very long
    lines cut around the findings (so a 50 MB line costs one slice, not a report of 50 MB)."""
    if text is None:
        return {}
    lines = doc.lines if doc is not None else tuple(LINE_BREAKS.split(text))
    columns: dict[int, list[int]] = {}
    for f in findings:
        if 1 <= f.span.line <= len(lines):
            columns.setdefault(f.span.line, []).append(f.span.column - 1)
    if not columns:
        return {}
    frames = {}
    for number, starts in sorted(columns.items()):
        near = secrets.get(number, [])
        line = _mask(lines[number - 1], number, [s.span for s in near]) if near else lines[number - 1]
        if len(line) <= MAX_FRAME_SOURCE:
            frames[number] = Frame(mask(line) if mask else line)  # a credential copied onto this line, too
            continue
        begin = max(0, min(starts) - MAX_FRAME_SOURCE // 4)
        end = begin + MAX_FRAME_SOURCE
        # Masked by value over the part shown and as much before it as a credential is
        # long, so one that the cut begins inside of is masked too.
        before = min(begin, mask.longest) if mask else 0
        part = mask(line[begin - before : end])[before:] if mask else line[begin:end]
        frames[number] = Frame(part, begin, len(line))
    return frames


def _mask(line: str, number: int, secrets: list[Span]) -> str:
    """``line`` with the credentials found on it masked at their places, after their
    first four characters (one pass, however many there are)."""
    cuts = []
    for span in secrets:
        if span.line <= number <= span.end_line:
            start = span.column - 1 + 4 if number == span.line else 0
            end = min(span.end_column - 1 if number == span.end_line else len(line), len(line))
            if end > start:
                cuts.append((start, end))
    pieces, last = [], 0
    for start, end in sorted(cuts):
        start = max(start, last)
        if end > start:
            pieces += [line[last:start], "*" * (end - start)]
            last = end
    pieces.append(line[last:])
    return "".join(pieces)


def judged(path: str, findings: list[Finding], config: Config = DEFAULT, *, kind: str) -> FileReport:
    """The report of a file that is not a manifest (an applied record): its findings as
    the configuration selects them, at their levels (overrides applied), capped."""
    enabled, overrides = config.enabled(slashed(path)), dict(config.severity)
    reported = [r for f in findings if f.code in enabled and (r := _resolve(f, True, overrides))]
    shown, beyond = _cap(reported, config.max_findings)
    return FileReport(
        path=slashed(path),
        findings=tuple(_shown(f, None) for f in shown),
        kind=kind,
        omitted=len(beyond),
        omitted_by=_by_severity(beyond),
    )


def base_report(path: str, result: LoadResult, config: Config = DEFAULT, *, inherited: Iterable[Finding] = (), merge: Merge | None = None) -> FileReport:
    """The report of a base (SPEC §11): checked on its own — parse, unknown keys and types,
    a client_id, its own chain, and its text for credentials and bidi controls — plus
    ``inherited``: the findings about its values that the manifests extending it found,
    each once, with ``inherited_by`` and the most severe level among them. A comment in
    the base suppresses them; one that suppressed nothing for any of them is CA007."""
    path = slashed(path)
    doc = result.document
    enabled = config.enabled(path)
    findings: list[Finding] = list(result.findings)
    if doc is not None:
        if merge is not None and "extends" in doc.data:
            findings.extend(merge(doc).findings)
        from ..load.extends import client_id_in_base  # only a run with a base needs it

        findings.extend(client_id_in_base(doc))
        findings.extend(schema.validate(doc, base=True))
        for check in registry.checks(per_file=True):
            findings.extend(check(doc))
    ignored = [f for f in findings if f.code not in enabled]
    overrides = dict(config.severity)
    own = [r for f in findings if f.code in enabled and (r := _resolve(f, False, overrides))]
    inherited = list(inherited)
    if inherited:  # what the manifests found in this file's own text or keys, found here too: reported once, naming them
        known = {(f.code, f.span) for f in inherited}
        own = [f for f in own if (f.code, f.span) not in known]
    kept, suppressed = suppress.split(doc, [*own, *inherited], enabled)
    shown, _, frames, omitted, omitted_by = _presented(kept, kept + ignored + suppressed, result, doc, config.max_findings, None)
    return FileReport(path=path, findings=tuple(shown), frames=frames, omitted=omitted, omitted_by=omitted_by, kind=BASE)


def unreadable_report(path: str, finding: Finding) -> FileReport:
    """The report of a file that could not be read (the finding is CA005)."""
    return FileReport(path=slashed(path), findings=(finding,))
