"""Codes produced by the loader (CA001–CA005), suppressions (CA006–CA007) and the
schema stage (CA101–CA105), declared here so they have docs like any rule. Below the
loader: it makes its findings from these (:func:`finding`) without any rule module."""

from __future__ import annotations

from .doc_examples import PUBLIC, manifest
from .model import ERROR, INFO, WARNING, Finding, Span
from .rulespec import FIELD, Docs, Rule, declare

GOOD = manifest()

CODES: tuple[Rule, ...] = (
    declare(
        "CA001",
        "yaml-syntax",
        ERROR,
        "The file is not well-formed YAML.",
        Docs(
            what="Reports the first YAML syntax error, at the position the parser gives.",
            why="Nothing else can be checked until the manifest parses, and Close cannot use a file no tool can read.",
            example=manifest(redirect_url="[https://app.tidewater.dev/oauth/close/callback"),
            use_instead=GOOD,
            fix="Fix the syntax at the reported line and column: close brackets and quotes, indent consistently, put a space after each colon.",
        ),
        checklist=("schema",),
    ),
    declare(
        "CA002",
        "duplicate-key",
        ERROR,
        "A mapping repeats a key.",
        Docs(
            what="Reports the second occurrence of a key in the same mapping and names the line of the first.",
            why="YAML loaders silently keep the last value, so the first one you read is not the one that counts.",
            example=manifest(extra="name: Tidewater Invoices\n"),
            use_instead=GOOD,
            fix="Delete one of the two keys, keeping the value you mean.",
        ),
        checklist=("schema",),
    ),
    declare(
        "CA003",
        "document-shape",
        ERROR,
        "The file is empty, its root is not a mapping, or it holds several documents.",
        Docs(
            what="Reports an empty file, a root that is a list or a single value, and a second YAML document (`---`).",
            why="A manifest is exactly one mapping of fields; anything else cannot describe an app.",
            example="- name: Tidewater Deal Desk\n",
            use_instead=GOOD,
            fix="Write one mapping at the top level (`name: …`, `redirect_url: …`); keep one app per file.",
        ),
        checklist=("schema",),
    ),
    declare(
        "CA004",
        "unsafe-yaml",
        ERROR,
        "A tag outside the YAML core schema, or aliases or nesting over a limit.",
        Docs(
            what='Refuses tags such as `!!python/object/apply` or `!Custom`, aliases that expand to more than the budget ("billion laughs"), recursive aliases and nesting deeper than the limit. Nothing is ever constructed from such a tag.',
            why="These are how hostile YAML runs code or exhausts memory; a manifest never needs them.",
            example=manifest(name="!!python/object/apply:os.system [echo hi]"),
            use_instead=GOOD,
            fix="Remove the tag, or write the value out instead of expanding aliases.",
        ),
        checklist=("schema",),
    ),
    declare(
        "CA005",
        "unreadable-file",
        ERROR,
        "The file is not text, not UTF-8/UTF-16, or over the size limit.",
        Docs(
            what="Reports binary content, NUL bytes, invalid UTF-8, UTF-16 without a byte-order mark, characters YAML forbids, files that cannot be read and files over max-file-size (1 MiB by default).",
            why="A manifest is a small text file; anything else is a mistake or an attack, and is never parsed.",
            example="name: Tidewater\x00\n",
            use_instead=GOOD,
            fix="Save the file as UTF-8 text; check that the right file is named.",
        ),
        checklist=("schema",),
    ),
    declare(
        "CA006",
        "bad-suppression",
        WARNING,
        "A suppression comment is malformed or names an unknown rule.",
        Docs(
            what="Reports `# closeapp-lint:` comments that do not parse, or that name a code, prefix or slug no rule has, or that try to disable CA001–CA005.",
            why="A misspelled rule name in a disable comment would otherwise silently suppress nothing (or everything).",
            example=manifest(redirect_url="https://localhost/cb  # closeapp-lint: disable=redirect-not-pubic"),
            use_instead=manifest(redirect_url="https://localhost/cb  # closeapp-lint: disable=redirect-not-public"),
            fix="Write `# closeapp-lint: disable=CODE[,CODE…]` or `disable-file=…` with codes, prefixes or slugs that exist (`closeapp-lint rules` lists them).",
        ),
    ),
    declare(
        "CA007",
        "unused-suppression",
        INFO,
        "A suppression comment suppressed nothing.",
        Docs(
            what="Reports a disable comment, or one selector in it, that matched no finding.",
            why="Stale suppressions hide future problems and mislead readers.",
            example=manifest(name="Tidewater Deal Desk  # closeapp-lint: disable=CA213"),
            use_instead=GOOD,
            fix="Delete the comment, or the selector in it that no longer matches.",
        ),
    ),
    declare(
        "CA009",
        "bad-extends",
        ERROR,
        "`extends` names a missing base, a cycle, a base outside the repository, a non-base, or a base holding `client_id`.",
        Docs(
            what="Reports, at the `extends` value, a base that does not exist, is not named `*.closeapp-base.yaml`, is outside the repository "
            "(the nearest folder holding `.git`, else the config file's folder, else the manifest's own folder), cannot be read or is not a mapping, "
            "leads back into its own chain, or makes the chain longer than 8; and, at the key, a base that holds `client_id`. "
            "A chain that stops before its end stops the app's value rules: nothing is reported missing that a base would have supplied.",
            why="A manifest that silently inherits nothing, or inherits another environment's client ID, describes an app that is not the one in Close.",
            example=manifest(drop=("name", "description"), extra="extends: shared.closeapp-base.yaml  # there is no such file\n"),
            use_instead=manifest(drop=("name", "description"), extra="extends: shared.closeapp-base.yaml  # beside it, holding name: and description:\n"),
            fix="Point `extends` at an existing `*.closeapp-base.yaml` inside the repository, break the cycle, and keep `client_id` in each manifest.",
        ),
        checklist=("schema",),  # the app is not known: a broken chain fails it (SPEC §11.1)
    ),
    declare(
        "CA101",
        "missing-field",
        ERROR,
        "A required field is absent.",
        Docs(
            what="Reports each required field that is missing: manifest_version, name, description and redirect_url at the top level.",
            why="Close's form needs each of these before it creates the app.",
            example=manifest(drop=("redirect_url",)),
            use_instead=GOOD,
            fix="Add the field; `closeapp-lint schema` shows every field with an example.",
        ),
        checklist=("schema", FIELD),
    ),
    declare(
        "CA102",
        "unknown-field",
        ERROR,
        "A key the manifest format does not know.",
        Docs(
            what="Reports keys that are neither manifest fields nor `x-` extensions, suggesting the closest known field.",
            why="A misspelled field (redirect_uri for redirect_url) is otherwise silently ignored.",
            example=manifest(extra="redirect_uri: https://app.tidewater.dev/cb\n"),
            use_instead=manifest(extra="x-owner: platform-team\n"),
            fix="Correct the spelling, or prefix your own keys with `x-`.",
        ),
        checklist=("schema", FIELD),
    ),
    declare(
        "CA103",
        "wrong-type",
        ERROR,
        "A value has the wrong type.",
        Docs(
            what="Reports values of the wrong type. For YAML 1.1 traps — unquoted `no`, `on`, `0755`, `1:30` read as booleans or numbers — it says what YAML read and to quote it.",
            why='`name: no` is the boolean false to a YAML loader, not the text "no".',
            example=manifest(name="Yes"),
            use_instead=manifest(name='"Yes"'),
            fix="Quote the value, or give the type the field needs.",
        ),
        checklist=("schema", FIELD),
    ),
    declare(
        "CA104",
        "invalid-value",
        ERROR,
        "A value breaks an enum, const, pattern or format.",
        Docs(
            what="Reports values outside the allowed set (with a did-you-mean), a manifest_version other than 1, blank text and malformed e-mail addresses.",
            why="Close accepts only these values.",
            example=manifest(PUBLIC, visibility="pubic"),
            use_instead=manifest(PUBLIC),
            fix="Use one of the allowed values the message lists.",
        ),
        checklist=("schema", FIELD),
    ),
    declare(
        "CA105",
        "bad-length",
        ERROR,
        "A string or list is too short or too long.",
        Docs(
            what="Reports a name over 50 characters, a description or summary over 300, an empty string or an empty list.",
            why="Close's form truncates or rejects longer values; the consent screen has little room.",
            example=manifest(name="Tidewater Deal Desk for Close Opportunities, Quotes and Invoices"),
            use_instead=GOOD,
            fix="Shorten the value to the limit in the message (or fill in the empty one).",
        ),
        checklist=("schema", FIELD),
    ),
)

_BY_CODE = {r.code: r for r in CODES}


def finding(code: str, message: str, span: Span, pointer: str = "") -> Finding:
    """A finding of one of these codes (the loader, suppressions, the schema stage)."""
    return _BY_CODE[code].finding(message, span, pointer)
