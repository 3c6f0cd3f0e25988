"""CA211's sentence counting (SPEC §4): a table a careful reader would agree with."""

from __future__ import annotations

import pytest

from closeapp_lint.sentences import sentences

from .conftest import VALID, found
from .sentence_corpus import DESCRIPTIONS as CASES


@pytest.mark.parametrize(("text", "count"), CASES)
def test_sentence_count(text: str, count: int) -> None:
    assert len(sentences(text)) == count, sentences(text)


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("." * 10_000, 0),
        (". " * 10_000, 0),
        ("Syncs deals. " + "." * 9_998, 1),
        ("a" * 300_000 + ".", 1),
        ("a." * 150_000, 1),
        ("!?.,;:" * 50_000, 0),
        ("🎉" * 100_000, 0),
        ("🎉. " * 30_000, 0),
        ("a. " * 30_000 + "A.", 1),
        ("1. x " * 20_000, 1),
        (" ".join(f"{i}. Item" for i in range(1, 1000)), 999),
        ("Deal. " * 30_000, 30_000),
    ],
)
def test_bad_input_is_linear(text: str, count: int) -> None:
    """Hostile descriptions end quickly (benchmarks/sentences_compare.py times them);
    the watchdog only catches a blow-up."""
    assert len(sentences(text)) == count


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 60


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


# --- pinned by mutation testing (tools/mutate.py): the pieces, not only their number ---------


def test_sentences_are_returned_whole() -> None:
    assert sentences("Syncs deals. Creates invoices.") == ["Syncs deals.", "Creates invoices."]
    assert sentences("  Syncs deals   and\n  invoices.  ") == ["Syncs deals and invoices."]


def test_an_omission_is_shown_as_an_ellipsis() -> None:
    assert sentences("Syncs . . . deals. Then bills.") == ["Syncs … deals.", "Then bills."]


def test_a_long_run_of_openers_after_a_period() -> None:
    assert len(sentences("Deal done. " + "(" * 100 + "Next one.")) == 2
