"""The rule registry: every rule is declared once, beside its check, with its docs.

Rule modules call :func:`rule` (for checks) or :func:`declare` (for codes produced by
the loader or the schema stage). Everything else — selectors, ``rules``, ``explain``,
SARIF rule metadata — reads from here; nothing keeps a second list of rules.
"""

from __future__ import annotations

import importlib
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


_RULES: dict[str, Rule] = {}
_SLUGS: dict[str, str] = {}
_loaded = False


def declare(code: str, slug: str, level: str, summary: str, docs: Docs, *, fix: Fix | None = None, check: RuleCheck | None = None) -> Rule:
    if code in _RULES or slug in _SLUGS:
        raise ValueError(f"rule {code} {slug} declared twice")
    if level not in LEVELS:
        raise ValueError(f"rule {code}: unknown level {level}")
    declared = Rule(code, slug, level, summary, docs, fix, check)
    _RULES[code] = declared
    _SLUGS[slug] = code
    return declared


def rule(code: str, slug: str, level: str, summary: str, docs: Docs, *, fix: Fix | None = None) -> Callable[[RuleCheck], RuleCheck]:
    """Decorator: register ``check`` as the implementation of ``code``."""

    def register(check: RuleCheck) -> RuleCheck:
        declare(code, slug, level, summary, docs, fix=fix, check=check)
        return check

    return register


def _ensure_loaded() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        importlib.import_module("closeapp_lint.rules")


def all_rules() -> list[Rule]:
    return list(_sorted())


@cache
def _sorted() -> tuple[Rule, ...]:
    _ensure_loaded()
    return tuple(sorted(_RULES.values(), key=lambda r: r.code))


def get(code_or_slug: str) -> Rule | None:
    _ensure_loaded()
    key = code_or_slug.strip()
    code = _SLUGS.get(key.lower(), key.upper())
    return _RULES.get(code)


def make_finding(code: str, message: str, span: Span, pointer: str = "") -> Finding:
    r = _RULES.get(code)
    if r is None:
        # The loader's and the schema's codes come from a leaf module; only a rule's own
        # code needs every rule module loaded.
        if code[:3] in ("CA0", "CA1"):
            importlib.import_module("closeapp_lint.codes")
        else:
            _ensure_loaded()
        r = _RULES[code]
    return Finding(code, r.slug, r.level, message, span, pointer, False)


def expand_selector(selector: str) -> frozenset[str] | None:
    """Codes a selector names (code, code prefix like ``CA2`` or slug); None if unknown."""
    _ensure_loaded()
    sel = selector.strip()
    if sel.lower() in _SLUGS:
        return frozenset({_SLUGS[sel.lower()]})
    upper = sel.upper()
    if upper == "ALL":
        return frozenset(_RULES)
    if len(upper) >= 2 and upper.startswith("CA"):
        codes = frozenset(c for c in _RULES if c.startswith(upper))
        return codes or None
    return None


@cache
def checks() -> tuple[Rule, ...]:
    """The rules that have a check, in code order (fixed once every rule is loaded)."""
    return tuple(r for r in _sorted() if r.check is not None)


@lru_cache(maxsize=256)  # a flood of bad selectors repeats them
def did_you_mean(text: str) -> str:
    """ "; did you mean 'redirect-not-public'?" for a near code or slug, else where to look."""
    from difflib import get_close_matches

    _ensure_loaded()
    names = [*_SLUGS, *_RULES]
    close = get_close_matches(text.strip().lower(), names, n=1, cutoff=0.7) or get_close_matches(text.strip().upper(), names, n=1, cutoff=0.7)
    return f"; did you mean {close[0]!r}?" if close else "; `closeapp-lint rules` lists them"


def as_dict(r: Rule) -> dict[str, Any]:
    return {"code": r.code, "slug": r.slug, "severity": r.level, "summary": r.summary, "fixable": r.fixable}
