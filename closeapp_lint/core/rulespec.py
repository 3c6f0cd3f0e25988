"""What a rule is: its code, slug, level, summary, docs (ruff's What / Why / Example /
Use instead / Fix), its fix, its check and the checklist items it decides — declared
once, beside the check. A leaf below the loader and every rule module; the table of all
rules is built from these declarations in :mod:`registry`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .model import LEVELS, Finding, Span
from .records import NamedTuple

if TYPE_CHECKING:
    from .document import Document
    from .model import Edit

RuleCheck = Callable[["Document"], Iterable[Finding]]  # a rule: document in, findings out
Fix = Callable[["Document", str], "list[Edit]"]  # (document, pointer of the finding) -> edits

# Parse-level codes: they decide whether there is a document at all, so they can be
# neither disabled nor suppressed.
UNSUPPRESSIBLE = frozenset({"CA001", "CA002", "CA003", "CA004", "CA005"})

# ``checklist=`` of a rule: the ids of the checklist items (SPEC §5) its findings decide,
# and FIELD for "the item of the field the finding points at" (a URL rule, say, decides
# the item of whichever URL it is about).
FIELD = "<field>"


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
    checklist: tuple[str, ...] = ()  # the items it decides (item ids, or FIELD)
    default: bool = True  # in the default rule set (False: only when selected by code, prefix, slug or ALL)
    # Judged on each file's own text (a secret, a bidi control): a base on its own, a
    # manifest without what it inherits — never once more per manifest that extends it.
    per_file: bool = False

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def finding(self, message: str, span: Span, pointer: str = "") -> Finding:
        """A finding of this rule at its declared level."""
        return Finding(self.code, self.slug, self.level, message, span, pointer, False)


def declare(
    code: str,
    slug: str,
    level: str,
    summary: str,
    docs: Docs,
    *,
    fix: Fix | None = None,
    check: RuleCheck | None = None,
    checklist: tuple[str, ...] = (),
    default: bool = True,
    per_file: bool = False,
) -> Rule:
    """A rule (without ``check``: a code the loader, the schema stage or --check-urls
    produces); it counts once it is listed in ``codes.CODES`` or ``rules.RULES``."""
    if level not in LEVELS:
        raise ValueError(f"rule {code}: unknown level {level}")
    return Rule(code, slug, level, summary, docs, fix, check, checklist, default, per_file)


def rule(
    code: str, slug: str, level: str, summary: str, docs: Docs, *, fix: Fix | None = None, checklist: tuple[str, ...] = (), per_file: bool = False
) -> Callable[[RuleCheck], Rule]:
    """Decorator: the rule ``code`` with ``check`` as its implementation (listed in
    ``rules.RULES`` to take part)."""

    def make(check: RuleCheck) -> Rule:
        return declare(code, slug, level, summary, docs, fix=fix, check=check, checklist=checklist, per_file=per_file)

    return make
