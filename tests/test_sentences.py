"""CA211's sentence counting (SPEC §4): a table a careful reader would agree with."""

from __future__ import annotations

import pytest

from closeapp_lint.sentences import sentences

from .conftest import VALID, found

CASES = [
    # plain sentences
    ("Syncs deals.", 1),
    ("Syncs deals", 1),  # no terminal punctuation
    ("Syncs deals. Creates invoices.", 2),
    ("Syncs deals. Creates invoices. Sends reminders.", 3),
    ("Syncs deals! Creates invoices? Sends reminders.", 3),
    ("Really?! Yes.", 2),
    ("", 0),
    ("   ", 0),
    ("...", 0),
    # abbreviations
    ("Syncs data, e.g. contacts and deals.", 1),
    ("Syncs data, e.g. Contacts and Deals.", 1),
    ("Syncs records, i.e. leads. Then invoices them.", 2),
    ("Syncs contacts, deals, etc. to Tidewater.", 1),
    ("Syncs contacts, deals, etc. Payment status shows on the lead.", 2),
    ("Handles etc. 5 more objects.", 1),
    ("Compares Close vs. Tidewater pipelines.", 1),
    ("Built by Acme Inc. for sales teams.", 1),
    ("Built by Acme Inc. It syncs deals.", 2),
    ("Made by Tidewater Ltd. and partners.", 1),
    ("Made by Tidewater Co. in Oslo.", 1),
    ("Made by Tidewater Corp. Invoices sync hourly.", 2),
    ("Books calls with Dr. Smith and Mr. Jones.", 1),
    ("Ships to 221B Baker St. London.", 1),
    ("Ranked No. 1 for invoicing.", 1),
    ("Takes approx. 5 minutes to set up.", 1),
    ("Serves U.S. customers. Invoices in USD.", 2),
    ("Serves U.S. and EU customers.", 1),
    # initials
    ("Written by J. R. R. Tolkien fans.", 1),
    ("Founded by A.B. Smith in 2020.", 1),
    # decimals, versions, domains, e-mails, URLs
    ("Supports API v2.5 and 3.14 pricing.", 1),
    ("Visit tidewater.dev for docs.", 1),
    ("Visit tidewater.dev. Then connect Close.", 2),
    ("Write to help@tidewater.dev for help.", 1),
    ("See https://tidewater.dev/docs/v1.2/setup.html for setup.", 1),
    ("See https://tidewater.dev/docs. It explains setup.", 2),
    # ellipses
    ("Syncs deals... and invoices them.", 1),
    ("Syncs deals… and invoices them.", 1),
    ("Syncs deals... Then invoices them.", 2),
    ("Wait for it…", 1),
    # quotes and parentheses after the period
    ('Marks deals "won." Then invoices them.', 2),
    ("Invoices deals (when won.) Payment shows on the lead.", 2),
    ("He said 'sync.' It synced.", 2),
    # lower-case after a period is not a new sentence
    ("Works with Yahoo! mail and Gmail.", 1),
    # white space and folded YAML
    ("Syncs deals.\nCreates invoices.", 2),
    ("Syncs deals   and\n  creates invoices.", 1),
]


@pytest.mark.parametrize(("text", "count"), CASES)
def test_sentence_count(text: str, count: int) -> None:
    assert len(sentences(text)) == count, sentences(text)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40


def _with(description: str) -> str:
    return VALID.replace("description: Turns won Close opportunities into Tidewater invoices.\n", description)


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("description: One. Two.\n", []),
        ("description: One. Two. Three is here.\n", [("CA211", 3, 14, 'description has 3 sentences; Close asks for 1–2 — the third begins "Three is here."')]),
        (
            "description: >-\n  Syncs deals. Creates invoices for Acme Inc. customers.\n  Sends reminders to every contact that has not paid within thirty days.\n",
            [("CA211", 3, 14, 'description has 3 sentences; Close asks for 1–2 — the third begins "Sends reminders to every contact that ha…"')],
        ),
        ("description: |\n  Syncs deals, e.g. won ones.\n  Creates invoices.\n", []),
        ("description: '...'\n", [("CA211", 3, 14, "description has no sentence; say what the app does in 1–2 sentences")]),
    ],
)
def test_ca211_findings(description: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(_with(description)) == expected
