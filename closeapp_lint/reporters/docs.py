"""Rule documentation as text (``explain``) and Markdown (SARIF help)."""

from __future__ import annotations

from ..core.rule_urls import anchor, rule_heading
from ..rules.registry import Rule

_LEVELS = {
    "publish": "error for public apps; for private apps only a failing checklist item",
    "warning→error": "warning, an error for public apps",
}


def explain_text(rule: Rule) -> str:
    d = rule.docs
    level = _LEVELS.get(rule.level, rule.level)
    fixable = "\nFixable: yes\n" if rule.fixable else ""
    return (
        f"{rule.code} {rule.slug} ({level})\n{rule.summary}\n{fixable}\n"
        f"What it does\n  {d.what}\n\n"
        f"Why it matters\n  {d.why}\n\n"
        f"Example (fails)\n{_indent(d.example)}\n"
        f"Use instead\n{_indent(d.use_instead)}\n"
        f"How to fix\n  {d.fix}\n"
    )


def explain_markdown(rule: Rule) -> str:
    d = rule.docs
    return (
        f"**{rule.code} {rule.slug}** ({_LEVELS.get(rule.level, rule.level)}): {rule.summary}\n\n"
        f"## What it does\n{d.what}\n\n## Why it matters\n{d.why}\n\n"
        f"## Example\n```yaml\n{_printable(d.example)}```\n\n## Use instead\n```yaml\n{_printable(d.use_instead)}```\n\n"
        f"## How to fix\n{d.fix}\n"
    )


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\n" else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" for ch in text)


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in _printable(text).splitlines())


def rules_page(rules: list[Rule]) -> str:
    """docs/rules.md: every rule's documentation, one section per rule (SARIF's
    ``helpUri`` links to each section's anchor)."""
    index = "".join(f"- [{r.code} {r.slug}](#{anchor(rule_heading(r.code, r.slug))}): {_printable(r.summary)}\n" for r in rules)
    sections = "".join(f"\n## {rule_heading(r.code, r.slug)}\n\n" + explain_markdown(r).replace("\n## ", "\n### ") for r in rules)
    head = "# closeapp-lint rules\n\n<!-- Written by `closeapp-lint rules --format markdown`; a test keeps it current. -->\n\n"
    return head + index + sections
