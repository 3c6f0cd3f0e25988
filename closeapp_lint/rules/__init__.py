"""Rule modules. ``RULES`` is every rule they declare — each module-level
:class:`~closeapp_lint.core.rulespec.Rule` (a ``@rule`` check or a ``declare``d code), found
here once, so a new rule is its declaration in a module and nothing else (``registry``,
here too, builds its table from this, with the codes of ``core.codes``). The rule modules
import ``text`` and ``core`` only, and none imports another (an import-linter contract)."""

from __future__ import annotations

from types import ModuleType

from ..core.rulespec import Rule
from . import deceptive, environments, listing, network, records, scopes, secrets, text, urls

MODULES: tuple[ModuleType, ...] = (deceptive, environments, listing, network, records, scopes, secrets, text, urls)


def _declared(module: ModuleType) -> list[Rule]:
    found: list[Rule] = []
    for value in vars(module).values():
        if isinstance(value, Rule):
            found.append(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, Rule) for v in value):
            found.extend(value)  # a table of declared codes (network.RULES)
    return found


RULES: tuple[Rule, ...] = tuple(dict.fromkeys(r for module in MODULES for r in _declared(module)))
