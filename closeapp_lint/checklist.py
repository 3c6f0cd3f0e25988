"""The publish-readiness checklist (SPEC §5): a pure function of the findings.

The findings come in judged *as if the app were public* (``publish`` and
``warning→error`` already resolved to errors), so a private app's checklist answers
"what is left before I can click Make Public".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import NamedTuple

from .model import ERROR, WARNING, ChecklistItem, Finding, Readiness, Span


class Item(NamedTuple):
    id: str
    field: str | None  # the pointer the item is about; None: the whole file
    codes: frozenset[str]
    passed: str  # the detail when nothing decided against it

    def decides(self, finding: Finding) -> bool:
        if self.id == "schema":
            return finding.code[:3] in ("CA0", "CA1") and finding.code not in ("CA006", "CA007")
        within = self.field is None or finding.pointer == self.field or finding.pointer.startswith(self.field + "/")
        if not within:
            return False
        return finding.code in self.codes or (self.field is not None and finding.code.startswith("CA1"))


_NET = ("CA501", "CA502", "CA503", "CA504", "CA505")  # --check-urls
_NO_LISTING = "no Integrations Directory listing requested"


def _codes(*codes: str) -> frozenset[str]:
    return frozenset(codes)


ITEMS = (
    Item("name", "/name", _codes("CA212", "CA213"), "fit for the consent screen"),
    Item("description", "/description", _codes("CA211", "CA212"), "1–2 sentences, no placeholder text"),
    Item("redirect_url", "/redirect_url", _codes("CA201", "CA202", "CA203", *_NET), "https, well formed, publicly reachable host"),
    Item("terms_of_service_url", "/terms_of_service_url", _codes("CA301", "CA302", "CA303", "CA304", *_NET), "present, https, public"),
    Item("privacy_policy_url", "/privacy_policy_url", _codes("CA301", "CA302", "CA303", "CA304", "CA305", *_NET), "present, https, public, distinct from the terms"),
    Item("scopes", "/scopes", _codes("CA401", "CA402"), "nothing Close would not grant"),
    Item("secrets", None, _codes("CA411"), "no credentials in the manifest"),
    Item("schema", None, frozenset(), "the manifest is valid"),
    Item("listing", "/listing", _codes("CA311", "CA312", "CA303", "CA212", *_NET), "public, complete, client_id set"),
)


def evaluate(as_public: Iterable[Finding], *, has_listing: bool) -> Readiness:
    findings = tuple(f for f in as_public if f.severity in (ERROR, WARNING))
    if not findings:
        return _all_pass(has_listing)
    # Only code, pointer, severity and message decide the checklist; many manifests share
    # the same few findings (a private app without legal URLs), so remember the answers.
    return _evaluate(tuple((f.code, f.pointer, f.severity, f.message) for f in findings), has_listing)


@lru_cache(maxsize=512)
def _evaluate(keys: tuple[tuple[str, str, str, str], ...], has_listing: bool) -> Readiness:
    findings = [Finding(code, "", severity, message, _NOWHERE, pointer) for code, pointer, severity, message in keys]
    deciding: dict[str, list[Finding]] = {}
    for finding in findings:
        for item_id in _items_for(finding.code, finding.pointer):
            deciding.setdefault(item_id, []).append(finding)
    items = []
    for item in ITEMS:
        if item.id == "listing" and not has_listing:
            items.append(ChecklistItem(item.id, "n/a", (), _NO_LISTING))
            continue
        against = deciding.get(item.id)
        errors = [f for f in against or () if f.severity == ERROR]
        if errors:
            items.append(ChecklistItem(item.id, "fail", _unique(f.code for f in errors), errors[0].message))
        elif against:
            items.append(ChecklistItem(item.id, "warn", _unique(f.code for f in against), against[0].message))
        else:
            items.append(ChecklistItem(item.id, "pass", (), item.passed))
    return Readiness(all(i.status != "fail" for i in items), tuple(items))


_NOWHERE = Span(1, 1, 1, 1)


@lru_cache(maxsize=1024)
def _items_for(code: str, pointer: str) -> tuple[str, ...]:
    """The ids of the items a finding with this code and pointer decides."""
    probe = Finding(code, "", ERROR, "", _NOWHERE, pointer)
    return tuple(item.id for item in ITEMS if item.decides(probe))


@cache
def _all_pass(has_listing: bool) -> Readiness:
    """The checklist of a manifest with nothing against it (the common case), built once."""
    items = tuple(
        ChecklistItem(item.id, "n/a", (), _NO_LISTING) if item.id == "listing" and not has_listing else ChecklistItem(item.id, "pass", (), item.passed)
        for item in ITEMS
    )
    return Readiness(True, items)


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(codes)))
