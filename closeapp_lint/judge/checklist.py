"""The publish-readiness checklist (SPEC §5): a pure function of the findings.

The findings come in judged *as if the app were public* (``publish`` and
``warning→error`` already resolved to errors), so a private app's checklist answers
"what is left before I can click Make Public".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache

from ..core.manifest import PRIVACY, REDIRECT, TERMS
from ..core.model import ERROR, WARNING, ChecklistItem, Finding, Readiness
from ..core.records import NamedTuple
from ..rules.registry import FIELD, Rule, get


class Item(NamedTuple):
    id: str
    field: str | None  # the pointer the item is about; None: the whole file
    passed: str  # the detail when nothing decided against it

    def decides(self, rule: Rule, pointer: str) -> bool:
        """A finding of ``rule`` at ``pointer`` decides this item when the rule declares
        the item (``checklist=``), or declares FIELD and points into the item's field."""
        if self.field is None:
            return self.id in rule.checklist
        within = pointer == self.field or pointer.startswith(self.field + "/")
        return within and (self.id in rule.checklist or FIELD in rule.checklist)


_NO_LISTING = "no Integrations Directory listing requested"

# The items, in the order SPEC §5 lists them; which codes decide each is declared by the
# rules themselves (``checklist=`` beside each rule) and read from the registry.
ITEMS = (
    Item("name", "/name", "fit for the consent screen"),
    Item("description", "/description", "1–2 sentences, no placeholder text, no hidden characters"),
    Item("redirect_url", REDIRECT, "https, well formed, publicly reachable host, no look-alike characters"),
    Item("terms_of_service_url", TERMS, "present, https, public"),
    Item("privacy_policy_url", PRIVACY, "present, https, public, distinct from the terms"),
    Item("scopes", "/scopes", "nothing Close would not grant"),
    Item("secrets", None, "no credentials in the manifest"),
    Item("schema", None, "the manifest is valid and reads as it looks"),
    Item("listing", "/listing", "public, complete, client_id set"),
)


def evaluate(as_public: Iterable[Finding], *, has_listing: bool, suppressed: Iterable[Finding] = ()) -> Readiness:
    """The checklist from the findings judged as public. ``suppressed`` are findings a
    comment or the configuration kept out of the report: Close's reviewers still see
    what they point at, so they decide items like any other (an error fails its item)."""
    keys = tuple((f.code, f.pointer, f.severity, f.message, False) for f in as_public if f.severity in (ERROR, WARNING))
    keys += tuple((f.code, f.pointer, f.severity, f.message, True) for f in suppressed if f.severity in (ERROR, WARNING))
    if not keys:
        return _all_pass(has_listing)
    # Only these fields decide the checklist; many manifests share the same few findings
    # (a private app without legal URLs), so remember the answers.
    return _evaluate(keys, has_listing)


@lru_cache(maxsize=512)
def _evaluate(keys: tuple[tuple[str, str, str, str, bool], ...], has_listing: bool) -> Readiness:
    deciding: dict[str, list[tuple[str, str, str, bool]]] = {}
    for code, pointer, severity, message, hidden in keys:
        for item_id in _items_for(code, pointer):
            deciding.setdefault(item_id, []).append((code, severity, message, hidden))
    items = []
    for item in ITEMS:
        if item.id == "listing" and not has_listing:
            items.append(ChecklistItem(item.id, "n/a", (), _NO_LISTING))
            continue
        decided = deciding.get(item.id)
        if not decided:
            items.append(ChecklistItem(item.id, "pass", (), item.passed))
            continue
        # What Close's reviewers see decides the status; a suppression only changes what the
        # lint reports, so a suppressed error still fails its item (SPEC §5).
        errors = [d for d in decided if d[1] == ERROR]
        status, deciders = ("fail", errors) if errors else ("warn", decided)
        shown = [d for d in deciders if not d[3]]
        items.append(ChecklistItem(item.id, status, _unique(d[0] for d in deciders), _detail(shown, deciders)))
    return Readiness(all(i.status != "fail" for i in items), tuple(items))


def _detail(shown: list[tuple[str, str, str, bool]], deciders: list[tuple[str, str, str, bool]]) -> str:
    """The problems of the reported findings that decided the item; when a comment or the
    configuration kept every one of them out of the report, their problems, saying so."""
    if shown:
        return _first_problems(shown)
    code, _, _, _ = deciders[0]
    return f"{code} suppressed for the lint; Close's reviewers still see it: {_first_problems(deciders)}"


_DETAIL_MESSAGES = 3  # an item names this many of its problems, then counts the rest


def _first_problems(deciders: list[tuple[str, str, str, bool]]) -> str:
    """Every problem of the item in one line. When they share one advice: the first few
    messages' first clauses (what is wrong), a count of the rest, and the advice once.
    Otherwise each message whole with its own advice and its code ("CA102 unknown field
    …; did you mean …? · CA102 unknown field …"), then a count of the rest."""
    by_message = dict.fromkeys((d[2], d[0]) for d in deciders)
    if len(by_message) == 1:
        return next(iter(by_message))[0]
    messages = [message for message, _ in by_message]
    if len({m.split("; ", 1)[1] if "; " in m else "" for m in messages}) == 1:  # one advice for all: what is wrong each time, the advice once
        heads = list(dict.fromkeys(m.split("; ", 1)[0] for m in messages))
        more = len(heads) - _DETAIL_MESSAGES
        return "; ".join(heads[:_DETAIL_MESSAGES] + ([f"and {more} more"] if more > 0 else []) + messages[0].split("; ", 1)[1:])
    shown = [f"{code} {message}" for message, code in list(by_message)[:_DETAIL_MESSAGES]]
    more = len(by_message) - _DETAIL_MESSAGES
    return " · ".join(shown) + (f" · and {more} more" if more > 0 else "")


@lru_cache(maxsize=1024)
def _items_for(code: str, pointer: str) -> tuple[str, ...]:
    """The ids of the items a finding with this code and pointer decides."""
    rule = get(code)
    return () if rule is None else tuple(item.id for item in ITEMS if item.decides(rule, pointer))


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
