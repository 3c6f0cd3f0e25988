"""The rule table: every rule, built from the two lists of declarations —
``codes.CODES`` (the loader's, suppressions' and the schema stage's codes) and
``rules.RULES`` (the checks). Selectors, ``rules``, ``explain``, SARIF rule metadata and
the checklist's deciding codes all read this table; nothing keeps a third list.

Above every rule module: rules make their findings from their own declaration
(:meth:`rulespec.Rule.finding`) and never import this module.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from ..core.codes import CODES
from ..core.records import NamedTuple
from ..core.rulespec import FIELD, UNSUPPRESSIBLE, Docs, Rule, RuleCheck
from . import RULES

__all__ = ["FIELD", "UNSUPPRESSIBLE", "Docs", "Rule", "all_rules", "as_dict", "checks", "did_you_mean", "expand_selector", "get"]


class _Table(NamedTuple):
    by_code: dict[str, Rule]
    by_slug: dict[str, str]  # slug -> code
    ordered: tuple[Rule, ...]


def table_of(declared: tuple[Rule, ...]) -> _Table:
    by_code: dict[str, Rule] = {}
    by_slug: dict[str, str] = {}
    for r in declared:
        if r.code in by_code or r.slug in by_slug:
            raise ValueError(f"rule {r.code} {r.slug} declared twice")
        by_code[r.code], by_slug[r.slug] = r, r.code
    return _Table(by_code, by_slug, tuple(sorted(by_code.values(), key=lambda r: r.code)))


_TABLE = table_of((*CODES, *RULES))


def all_rules() -> list[Rule]:
    return list(_TABLE.ordered)


def get(code_or_slug: str) -> Rule | None:
    key = code_or_slug.strip()
    code = _TABLE.by_slug.get(key.lower(), key.upper())
    return _TABLE.by_code.get(code)


def expand_selector(selector: str) -> frozenset[str] | None:
    """Codes a selector names (code, code prefix like ``CA2`` or slug); None if unknown."""
    sel = selector.strip()
    if sel.lower() in _TABLE.by_slug:
        return frozenset({_TABLE.by_slug[sel.lower()]})
    upper = sel.upper()
    if upper == "ALL":
        return frozenset(_TABLE.by_code)
    if len(upper) >= 2 and upper.startswith("CA"):
        codes = frozenset(c for c in _TABLE.by_code if c.startswith(upper))
        return codes or None
    return None


@cache
def checks(per_file: bool | None = None) -> tuple[RuleCheck, ...]:
    """The checks of every rule that has one, in code order; with ``per_file``, only
    those that judge a file's own text (True) or only those that judge values (False)."""
    return tuple(r.check for r in _TABLE.ordered if r.check is not None and per_file in (None, r.per_file))


@lru_cache(maxsize=256)  # a flood of bad selectors repeats them
def did_you_mean(text: str) -> str:
    """ "; did you mean 'redirect-not-public'?" for a near code or slug, else where to look."""
    from difflib import get_close_matches

    names = [*_TABLE.by_slug, *_TABLE.by_code]
    close = get_close_matches(text.strip().lower(), names, n=1, cutoff=0.7) or get_close_matches(text.strip().upper(), names, n=1, cutoff=0.7)
    return f"; did you mean {close[0]!r}?" if close else "; `closeapp-lint rules` lists them"


def as_dict(r: Rule) -> dict[str, Any]:
    decides = ["the item of its field" if item == FIELD else item for item in r.checklist]
    return {"code": r.code, "slug": r.slug, "severity": r.level, "summary": r.summary, "fixable": r.fixable, "default": r.default, "checklist": decides}
