"""The publish-readiness checklist (SPEC §5): a pure function of the findings.

The findings come in judged *as if the app were public* (``publish`` and
``warning→error`` already resolved to errors), so a private app's checklist answers
"what is left before I can click Make Public".
"""

from __future__ import annotations

from typing import NamedTuple

from collections.abc import Iterable

from .model import ERROR, WARNING, ChecklistItem, Finding, Readiness


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


def _codes(*codes: str) -> frozenset[str]:
    return frozenset(codes)


ITEMS = (
    Item("name", "/name", _codes("CA212", "CA213"), "fit for the consent screen"),
    Item("description", "/description", _codes("CA211", "CA212"), "1–2 sentences, no placeholder text"),
    Item("redirect_url", "/redirect_url", _codes("CA201", "CA202", "CA203"), "https, well formed, publicly reachable host"),
    Item("terms_of_service_url", "/terms_of_service_url", _codes("CA301", "CA302", "CA303", "CA304"), "present, https, public"),
    Item("privacy_policy_url", "/privacy_policy_url", _codes("CA301", "CA302", "CA303", "CA304", "CA305"), "present, https, public, distinct from the terms"),
    Item("scopes", "/scopes", _codes("CA401", "CA402"), "nothing Close would not grant"),
    Item("secrets", None, _codes("CA411"), "no credentials in the manifest"),
    Item("schema", None, frozenset(), "the manifest is valid"),
    Item("listing", "/listing", _codes("CA311", "CA312", "CA303", "CA212"), "public, complete, client_id set"),
)


def evaluate(as_public: Iterable[Finding], *, has_listing: bool) -> Readiness:
    findings = list(as_public)
    items = []
    for item in ITEMS:
        if item.id == "listing" and not has_listing:
            items.append(ChecklistItem(item.id, "n/a", (), "no Integrations Directory listing requested"))
            continue
        deciding = [f for f in findings if f.severity in (ERROR, WARNING) and item.decides(f)]
        errors = [f for f in deciding if f.severity == ERROR]
        if errors:
            items.append(ChecklistItem(item.id, "fail", _unique(f.code for f in errors), errors[0].message))
        elif deciding:
            items.append(ChecklistItem(item.id, "warn", _unique(f.code for f in deciding), deciding[0].message))
        else:
            items.append(ChecklistItem(item.id, "pass", (), item.passed))
    return Readiness(all(i.status != "fail" for i in items), tuple(items))


def _unique(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(codes)))
