"""The applied record (SPEC §10): beside each manifest, ``STEM.applied.json`` holds what a
person last applied in Close — ``closeapp.yaml`` → ``closeapp.applied.json``,
``billing.closeapp.yml`` → ``billing.closeapp.applied.json``. Close has no API for OAuth
apps and is never read: the record is the team's own note, written by
``closeapp-lint applied`` and compared by ``closeapp-lint plan``.

A record is sorted JSON keys, one per line, no timestamps or names (git history says who
and when, and two branches that applied different fields merge cleanly). This module
reads, checks (CA602, CA603, and CA411/CA008 like any file in git), compares and writes
records; it does no I/O of its own — the caller passes the bytes and what is beside them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..core.document import Document
from ..core.manifest import APPLIABLE, FORM, text_at
from ..core.model import Finding, Span
from ..core.records import NamedTuple
from ..load.files import manifests_of
from ..load.source import load
from ..rules.deceptive import bidi_control
from ..rules.records import bad_applied_record, dashboard_drift, orphan_applied_record
from ..rules.secrets import secret_in_manifest
from ..text.credentials import Masker, find_in_text, redact

FORMAT = 1
STATUSES = ("private", "review_requested", "public")

# Every key of a record: its JSON type and, for the fields Close's form shows, the label.
TEXT_KEYS = ("client_id", "name", "description", "redirect_url", "terms_of_service_url", "privacy_policy_url")
KEYS = ("format", "manifest", *TEXT_KEYS, "status", "listing_requested")
LABELS = {
    **{pointer[1:]: label for label, pointer in FORM},
    "client_id": "Client ID",
    "status": "Visibility",
    "listing_requested": "Integrations Directory listing",
}


class Record(NamedTuple):
    """A record that passed its checks: each key present in the file (an absent field was
    never applied, for example after ``applied --only``)."""

    values: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)


# -- reading and checking --------------------------------------------------------------


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _key_span(text: str, key: str) -> Span:
    """Where ``key`` is written (records are flat: its first quoted occurrence)."""
    at = text.find(json.dumps(key))
    if at < 0:
        return _TOP
    line, column = _line_col(text, at)
    return Span(line, column, line, column + len(json.dumps(key)))


_TOP = Span(1, 1, 1, 1)


def _refuse(message: str, span: Span = _TOP, pointer: str = "") -> Finding:
    return bad_applied_record.finding(message, span, pointer)


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def read(raw: bytes, name: str, *, beside: frozenset[str]) -> tuple[Record | None, list[Finding]]:
    """The record in ``raw`` (the file ``name``), and what is wrong with it. ``beside``
    holds the file names that exist in the record's folder (the manifests it may
    belong to). A record with a CA602 finding is None: nothing is compared with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [_refuse(f"the record is not UTF-8 text (byte {exc.start}); let closeapp-lint applied write it")]
    findings = list(_in_any_file(raw))
    try:
        data = json.loads(text, object_pairs_hook=_pairs)
    except _Duplicate as exc:
        return None, [*findings, _refuse(f"key {exc.key[:60]!r} is written twice; keep one", _key_span(text, exc.key), "/" + exc.key)]
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, or a number past int's digit limit
        span = Span(exc.lineno, exc.colno, exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else _TOP
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply" if isinstance(exc, RecursionError) else "a number too long"
        return None, [*findings, _refuse(f"the record is not valid JSON: {reason}; let closeapp-lint applied write it", span)]
    problems = list(_shape(data, text)) if isinstance(data, dict) else [_refuse("the record must be a JSON object of the applied values")]
    if not problems and isinstance(data, dict):
        problems = list(_neighbour(data, text, name, beside))
    record = Record(data) if not problems and isinstance(data, dict) else None
    return record, [*findings, *problems]


def _in_any_file(raw: bytes) -> Iterator[Finding]:
    """CA411 and CA008, which hold for every file in git: the record is loaded like a
    manifest (JSON is YAML) so the same rules and messages apply."""
    loaded = load(raw)
    if loaded.document is None:
        return
    yield from secret_in_manifest.check(loaded.document) if secret_in_manifest.check else ()
    yield from bidi_control.check(loaded.document) if bidi_control.check else ()


def _shape(data: dict[str, Any], text: str) -> Iterator[Finding]:
    """What the JSON Schema in schemas/closeapp.applied.schema.json says, with positions."""
    for key, value in data.items():
        span, pointer = _key_span(text, key), "/" + key
        if key not in KEYS:
            yield _refuse(f"unknown key {key[:60]!r} in the record (allowed: {', '.join(KEYS)})", span, pointer)
        elif key == "format" and (value != FORMAT or isinstance(value, bool)):
            yield _refuse(f"format must be {FORMAT}, got {json.dumps(value)[:40]}", span, pointer)
        elif key == "manifest" and not isinstance(value, str):
            yield _refuse(f"manifest must be the manifest's file name, got {_kind(value)}", span, pointer)
        elif key in TEXT_KEYS and value is not None and not isinstance(value, str):
            yield _refuse(f"{key} must be a string (or null), got {_kind(value)}", span, pointer)
        elif key == "status" and value not in STATUSES:
            yield _refuse(f"status must be one of {', '.join(STATUSES)}, got {json.dumps(value)[:40]}", span, pointer)
        elif key == "listing_requested" and not isinstance(value, bool):
            yield _refuse(f"listing_requested must be true or false, got {_kind(value)}", span, pointer)
    for key in ("format", "manifest"):
        if key not in data:
            yield _refuse(f"the record has no {key!r}; let closeapp-lint applied write it")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(type(value), "a number")


def _neighbour(data: dict[str, Any], text: str, name: str, beside: frozenset[str]) -> Iterator[Finding]:
    yaml_name, yml_name = manifests_of(name.replace("\\", "/").rpartition("/")[2])
    named = data["manifest"]
    if named not in (yaml_name, yml_name):
        yield _refuse(
            f"manifest is {named[:60]!r}, but this record belongs beside {yaml_name} (or {yml_name}); rename the record with its manifest",
            _key_span(text, "manifest"),
            "/manifest",
        )
    elif yaml_name in beside and yml_name in beside:
        yield _refuse(f"{yaml_name} and {yml_name} would share this record; keep one manifest per app")


def orphaned(name: str, *, beside: frozenset[str]) -> Finding | None:
    """CA603 when neither manifest this record may belong to is beside it."""
    yaml_name, yml_name = manifests_of(name.replace("\\", "/").rpartition("/")[2])
    if yaml_name in beside or yml_name in beside:
        return None
    return orphan_applied_record.finding(
        f"no {yaml_name} (or {yml_name}) beside this record: its manifest was renamed or deleted; "
        "rename the record with its manifest, or delete it when the app is gone from Close too",
        _TOP,
    )


def lint(raw: bytes, name: str, *, beside: frozenset[str]) -> list[Finding]:
    """Every finding about the record file ``name``; a credential a message quotes (a
    value of the wrong type, an unknown key) is masked like everywhere else."""
    _, findings = read(raw, name, beside=beside)
    orphan = orphaned(name, beside=beside)
    found = [*findings, *([orphan] if orphan else [])]
    secrets = find_in_text(raw.decode("utf-8", "replace"))
    if not secrets:
        return found
    mask = Masker(secrets)
    return [f._replace(message=mask(f.message)) for f in found]


# -- comparing and writing -------------------------------------------------------------


def current(doc: Document) -> dict[str, Any]:
    """The values a manifest asks Close to have, keyed like a record."""
    values: dict[str, Any] = {key: text_at(doc, "/" + key) for key in TEXT_KEYS}
    values["status"] = "public" if doc.data.get("visibility") == "public" else "private"
    values["listing_requested"] = isinstance(doc.data.get("listing"), dict)
    return values


class Change(NamedTuple):
    key: str  # the record's key
    label: str  # as Close's form names it
    before: Any  # the record's value; MISSING when the field was never recorded
    after: Any  # the manifest's value
    line: int | None  # where the manifest (or the base in ``file``) sets it
    file: str | None = None  # the base that sets it, when the manifest inherits it


MISSING = "\x00not recorded"


def changes(doc: Document, record: Record | None) -> list[Change]:
    """Each field whose manifest value differs from the record (every field with a value
    when there is no record). The Client ID is not among them: a different one is a
    different app (see :func:`other_app`). A public app whose review was requested is not
    a pending change: Close has it."""
    wanted = current(doc)
    found = []
    for key in (*TEXT_KEYS[1:], "status", "listing_requested"):
        after = wanted[key]
        before = record.values.get(key, MISSING) if record is not None else MISSING
        if record is None and after in (None, False, "private"):
            continue  # nothing to type into Close for an empty field of a new app
        if before == after or (key == "status" and after == "public" and before == "review_requested"):
            continue
        if before == MISSING and after is None:
            continue
        pointer = _POINTERS.get(key, "/" + key)
        found.append(Change(key, LABELS[key], before, after, *_where(doc, pointer)))
    return found


def recorded(doc: Document, previous: Record | None, values: dict[str, Any]) -> list[Change]:
    """What writing ``values`` changes in the record: each field, from the previous
    record's value to the one written (``applied`` shows these before it writes)."""
    found = []
    for key in APPLIABLE:
        before = previous.values.get(key, MISSING) if previous is not None else MISSING
        after = values.get(key, MISSING)
        if after == MISSING or before == after or (before == MISSING and after in (None, False)):
            continue
        pointer = _POINTERS.get(key, "/" + key)
        found.append(Change(key, LABELS[key], before, after, *_where(doc, pointer)))
    return found


_POINTERS = {"status": "/visibility", "listing_requested": "/listing"}


def _where(doc: Document, pointer: str) -> tuple[int | None, str | None]:
    """(the line that sets the value, the base that holds that line when the manifest
    inherits it); (None, None) when nothing sets it."""
    if doc.value_at(pointer) is None:
        return None, None
    return doc.span(pointer).line, doc.file_of(pointer)


def other_app(doc: Document, record: Record | None) -> bool:
    """The record is of another app: both name a Client ID, and they differ."""
    mine, theirs = text_at(doc, "/client_id"), record.get("client_id") if record else None
    return bool(mine and theirs and mine != theirs)


def drift(doc: Document, record: Record | None, record_file: str) -> Iterator[Finding]:
    """CA601: each field that differs from the record, at the manifest's field."""
    if record is None or other_app(doc, record):
        return
    for change in changes(doc, record):
        pointer = _POINTERS.get(change.key, "/" + change.key)
        was = "was never recorded" if change.before == MISSING else f"is {shown(change.before)} in {record_file}"
        yield dashboard_drift.finding(
            f"{change.label} {was}; change it in Close, then run closeapp-lint applied to record it",
            doc.key_span(pointer) if change.key in ("listing_requested",) else doc.span(pointer),
            pointer,
        )


def masked(value: str) -> str:
    """``value`` with any credential in it masked (a plan or a preview never shows one)."""
    found = find_in_text(value)
    return redact(value, found) if found else value


def credentials_in(values: dict[str, Any]) -> list[str]:
    """The keys whose values hold a credential: such a value is never written to a record."""
    return [key for key, value in values.items() if isinstance(value, str) and find_in_text(value)]


def shown(value: Any, limit: int = 60) -> str:
    """A recorded or wanted value in one short line, credentials masked."""
    if value == MISSING:
        return "(not recorded)"
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "requested" if value else "not requested"
    text = " ".join(masked(str(value)).split())
    return json.dumps(text[:limit] + ("…" if len(text) > limit else ""), ensure_ascii=False)


def updated(
    doc: Document, manifest_file: str, previous: Record | None, *, only: tuple[str, ...] = (), review_requested: bool = False, listing_requested: bool = False
) -> dict[str, Any]:
    """The record after a person applied the manifest in Close: every field (or ``only``
    those, on top of the previous record), the status and the listing steps."""
    wanted = current(doc)
    values: dict[str, Any] = dict(previous.values) if previous is not None and only else {}
    keys = only or APPLIABLE
    for key in keys:
        if key == "listing_requested":
            continue  # a step of its own: --listing-requested
        values[key] = wanted[key]
    if "status" in keys and wanted["status"] == "public":
        waiting = previous is not None and previous.get("status") == "review_requested" and "status" not in only
        if review_requested or waiting:  # Close's review is still pending: --only status records that it is public now
            values["status"] = "review_requested"
    values["listing_requested"] = bool(listing_requested or (previous.get("listing_requested") if previous is not None else False))
    values.update(format=FORMAT, manifest=manifest_file, client_id=wanted["client_id"])
    return values


def dumps(values: dict[str, Any]) -> str:
    """A record as written: sorted keys, one per line."""
    return json.dumps(values, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
