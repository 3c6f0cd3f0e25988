"""The rule registry: every rule is declared once, beside its check, with its docs.

Rule modules make rules with :func:`rule` (a check with its docs) or :func:`declare`
(codes produced by the loader, the schema stage or --check-urls); nothing registers
itself on import. Two static lists name every rule: ``codes.CODES`` (a leaf, for the
loader) and ``rules.RULES``. Everything else — selectors, ``rules``, ``explain``, SARIF
rule metadata — reads the table built from them; nothing keeps a third list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from .model import LEVELS, Finding, Span

if TYPE_CHECKING:
    from .model import Edit
    from .source import Document

RuleCheck = Callable[["Document"], Iterable[Finding]]  # a rule: document in, findings out
Fix = Callable[["Document", str], "list[Edit]"]  # (document, pointer of the finding) -> edits

# Parse-level codes: they decide whether there is a document at all, so they can be
# neither disabled nor suppressed.
UNSUPPRESSIBLE = frozenset({"CA001", "CA002", "CA003", "CA004", "CA005"})


class Docs(NamedTuple):
    what: str
    why: str
    example: str  # a failing manifest
    use_instead: str  # a passing manifest
    fix: str


class Rule(NamedTuple):
    code: str
    slug: str
    level: str  # error | warning | info | publish | warning→error
    summary: str
    docs: Docs
    fix: Fix | None = None  # a safe, byte-level fix (edits.py), when the rule has one
    check: RuleCheck | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None


def declare(code: str, slug: str, level: str, summary: str, docs: Docs, *, fix: Fix | None = None, check: RuleCheck | None = None) -> Rule:
    """A rule (without ``check``: a code the loader, the schema stage or --check-urls
    produces); it counts once it is listed in ``codes.CODES`` or ``rules.RULES``."""
    if level not in LEVELS:
        raise ValueError(f"rule {code}: unknown level {level}")
    return Rule(code, slug, level, summary, docs, fix, check)


def rule(code: str, slug: str, level: str, summary: str, docs: Docs, *, fix: Fix | None = None) -> Callable[[RuleCheck], Rule]:
    """Decorator: the rule ``code`` with ``check`` as its implementation (listed in
    ``rules.RULES`` to take part)."""

    def make(check: RuleCheck) -> Rule:
        return declare(code, slug, level, summary, docs, fix=fix, check=check)

    return make


class _Table(NamedTuple):
    by_code: dict[str, Rule]
    by_slug: dict[str, str]  # slug -> code
    ordered: tuple[Rule, ...]


def _table_of(declared: Iterable[Rule]) -> _Table:
    by_code: dict[str, Rule] = {}
    by_slug: dict[str, str] = {}
    for r in declared:
        if r.code in by_code or r.slug in by_slug:
            raise ValueError(f"rule {r.code} {r.slug} declared twice")
        by_code[r.code], by_slug[r.slug] = r, r.code
    return _Table(by_code, by_slug, tuple(sorted(by_code.values(), key=lambda r: r.code)))


@cache
def _codes() -> dict[str, Rule]:
    """The loader's and the schema's codes: a leaf module, no rule module imported."""
    from .codes import CODES

    return _table_of(CODES).by_code


@cache
def _table() -> _Table:
    """Every rule, from the two static lists (built once, never changed)."""
    from .codes import CODES
    from .rules import RULES

    return _table_of((*CODES, *RULES))


def all_rules() -> list[Rule]:
    return list(_table().ordered)


def get(code_or_slug: str) -> Rule | None:
    table = _table()
    key = code_or_slug.strip()
    code = table.by_slug.get(key.lower(), key.upper())
    return table.by_code.get(code)


def make_finding(code: str, message: str, span: Span, pointer: str = "") -> Finding:
    # The loader's and the schema's codes come from a leaf module; only a rule's own
    # code needs every rule module loaded.
    r = _codes().get(code) or _table().by_code[code]
    return Finding(code, r.slug, r.level, message, span, pointer, False)


def expand_selector(selector: str) -> frozenset[str] | None:
    """Codes a selector names (code, code prefix like ``CA2`` or slug); None if unknown."""
    table = _table()
    sel = selector.strip()
    if sel.lower() in table.by_slug:
        return frozenset({table.by_slug[sel.lower()]})
    upper = sel.upper()
    if upper == "ALL":
        return frozenset(table.by_code)
    if len(upper) >= 2 and upper.startswith("CA"):
        codes = frozenset(c for c in table.by_code if c.startswith(upper))
        return codes or None
    return None


@cache
def checks() -> tuple[RuleCheck, ...]:
    """The checks of every rule that has one, in code order."""
    return tuple(r.check for r in _table().ordered if r.check is not None)


@lru_cache(maxsize=256)  # a flood of bad selectors repeats them
def did_you_mean(text: str) -> str:
    """ "; did you mean 'redirect-not-public'?" for a near code or slug, else where to look."""
    from difflib import get_close_matches

    table = _table()
    names = [*table.by_slug, *table.by_code]
    close = get_close_matches(text.strip().lower(), names, n=1, cutoff=0.7) or get_close_matches(text.strip().upper(), names, n=1, cutoff=0.7)
    return f"; did you mean {close[0]!r}?" if close else "; `closeapp-lint rules` lists them"


def as_dict(r: Rule) -> dict[str, Any]:
    return {"code": r.code, "slug": r.slug, "severity": r.level, "summary": r.summary, "fixable": r.fixable}
