"""CA211's sentence counting (SPEC §4): a table a careful reader would agree with."""

from __future__ import annotations

import pytest

from closeapp_lint.text.sentences import sentences

from .conftest import VALID, found
from .sentence_corpus import DESCRIPTIONS as CASES
from .sentence_corpus import MULTILINGUAL


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


# --- real text: bullet lists, abbreviations before brackets, other scripts (SPEC §4) -------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Automate incidents with Acme.\n\n- Create channels per incident\n- Assign roles\n- Fully open source",
            ["Automate incidents with Acme.", "Create channels per incident", "Assign roles", "Fully open source"],
        ),
        ("Sync won deals. You can:\n* push invoices\n* pull payments", ["Sync won deals.", "You can:", "push invoices", "pull payments"]),
        ("• Syncs deals\n• Creates invoices", ["Syncs deals", "Creates invoices"]),
        ("▪ One\n‣ Two\n◦ Three\n⁃ Four", ["One", "Two", "Three", "Four"]),
        (
            "Logs calls.\n- Creates a task for every call\n  that was missed by the team.",
            ["Logs calls.", "Creates a task for every call that was missed by the team."],
        ),
        ("Logs calls.\n- Creates tasks\nSends reminders.", ["Logs calls.", "Creates tasks", "Sends reminders."]),
        ("Syncs deals - and invoices.\nCreates reminders.", ["Syncs deals - and invoices.", "Creates reminders."]),
        ("-5 degrees is cold.", ["-5 degrees is cold."]),
        (
            "Acme, Inc. (“Acme”) syncs won deals into invoices. It logs each payment.",
            ["Acme, Inc. (“Acme”) syncs won deals into invoices.", "It logs each payment."],
        ),
        ('Built by Acme Ltd. "Acme" keeps deals in sync.', ['Built by Acme Ltd. "Acme" keeps deals in sync.']),
        ("Made by Tide Co. (Tide) for Close users.", ["Made by Tide Co. (Tide) for Close users."]),
        ("We sell to Acme Corp. (It pays on time.) Then we bill.", ["We sell to Acme Corp.", "(It pays on time.)", "Then we bill."]),
        ("これはアプリです。取引を同期します。請求書を作成します。", ["これはアプリです。", "取引を同期します。", "請求書を作成します。"]),
        ("同步交易！创建发票？", ["同步交易！", "创建发票？"]),
        ("Ｓｙｎｃｓ ｄｅａｌｓ．Ｃｒｅａｔｅｓ ｉｎｖｏｉｃｅｓ．", ["Ｓｙｎｃｓ ｄｅａｌｓ．", "Ｃｒｅａｔｅｓ ｉｎｖｏｉｃｅｓ．"]),
        ("「取引」を同期します。", ["「取引」を同期します。"]),
        ("هل تريد مزامنة الصفقات؟ نعم. سننشئ الفواتير.", ["هل تريد مزامنة الصفقات؟", "نعم.", "سننشئ الفواتير."]),
        ("यह ऐप सौदे सिंक करता है। यह बिल बनाता है।", ["यह ऐप सौदे सिंक करता है।", "यह बिल बनाता है।"]),
    ],
)
def test_real_text_shapes(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "description",
    [
        "description: |-\n  Automate incidents with Acme.\n\n  - Create channels per incident\n  - Assign roles\n",
        "description: |-\n  Syncs deals. You can:\n  - push invoices\n",
        "description: これはアプリです。取引を同期します。請求書を作成します。\n",
    ],
)
def test_ca211_counts_lists_and_other_scripts(description: str) -> None:
    assert [code for code, *_ in found(_with(description))] == ["CA211"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Supports Acme ver. 3.1 or later.", ["Supports Acme ver. 3.1 or later."]),
        ("Syncs leads incl. Contacts and deals. Logs calls.", ["Syncs leads incl. Contacts and deals.", "Logs calls."]),
        ("Syncs leads since Jan. 2020 to Acme. Logs calls.", ["Syncs leads since Jan. 2020 to Acme.", "Logs calls."]),
        ("Our office closes on Fri. Then the sync runs.", ["Our office closes on Fri.", "Then the sync runs."]),
    ],
)
def test_more_abbreviations(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Syncs leads to Acme\n\nLogs calls\n\nSends emails", ["Syncs leads to Acme", "Logs calls", "Sends emails"]),
        ("Acme for Close\n\nSyncs leads to Acme. Logs calls.", ["Acme for Close", "Syncs leads to Acme.", "Logs calls."]),
        ("Syncs leads\n\nto Acme and back.", ["Syncs leads", "to Acme and back."]),  # round 4: a blank line always ends a paragraph
        ("Syncs leads to Acme.\n\n- Logs calls\n\nOpen source", ["Syncs leads to Acme.", "Logs calls", "Open source"]),
        ("Turns won deals into\ninvoices in Tidewater.", ["Turns won deals into invoices in Tidewater."]),  # one line break, lower case next: wrapped
        # round 4: one break, a line without a terminal, a capital next: a new piece (SPEC §4)
        ("Turns won deals into\nTidewater invoices.", ["Turns won deals into", "Tidewater invoices."]),
    ],
)
def test_a_blank_line_ends_a_paragraph(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("description", "count"),
    [
        # folded, plain and quoted scalars: each line break in the value was a blank line in the file
        ("description: >-\n  Syncs leads to Acme\n\n  Logs calls\n\n  Sends emails\n", 3),
        ("description: Syncs leads to Acme\n\n  Logs calls\n\n  Sends emails\n", 3),
        ('description: "Syncs leads to Acme\\nLogs calls\\nSends emails"\n', 3),
        ("description: !!str >-\n  Syncs leads to Acme\n\n  Logs calls\n\n  Sends emails\n", 3),
        # a literal block keeps the author's line breaks: a blank line ends a paragraph, one break wraps
        ("description: |-\n  Syncs leads to Acme\n\n  Logs calls\n\n  Sends emails\n", 3),
        ("description: |-\n  Turns won deals into\n  invoices in Tidewater. It logs payments.\n", 0),
        ("description: !!str\n  |-\n  Turns won deals into\n  invoices in Tidewater. It logs payments.\n", 0),  # the tag on a line of its own
        ("description: >-\n  Syncs leads\n\n  to Acme and back.\n", 0),
    ],
)
def test_ca211_counts_paragraphs_without_full_stops(description: str, count: int) -> None:
    messages = [message for code, _, _, message in found(_with(description)) if code == "CA211"]
    assert messages == ([f'description has {count} sentences; Close asks for 1–2 — the third begins "Sends emails"'] if count else [])


def test_ca211_accepts_an_abbreviation_before_a_bracket() -> None:
    assert found(_with("description: Acme, Inc. (“Acme”) syncs won deals into invoices. It logs each payment.\n")) == []


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("- item\n" * 10_000, 10_000),
        ("-\n" * 10_000, 0),
        ("- a\n  b\n" * 5_000, 5_000),
        ("。" * 10_000, 0),
        ("取引。" * 10_000, 10_000),
        ("Inc. (" * 20_000, 1),
    ],
)
def test_new_shapes_stay_linear(text: str, count: int) -> None:
    assert len(sentences(text)) == count


# --- round 4: the value decides, in every script (SPEC §4) -----------------------------------

ROUND_4 = [(text, count) for text, count, _, _ in MULTILINGUAL]


def _styles(value: str) -> dict[str, str]:
    """``description:`` holding ``value`` written in each YAML style that can hold it."""
    import yaml

    out = {}
    for style, mark in (("double", '"'), ("single", "'"), ("literal", "|"), ("folded", ">"), ("plain", None)):
        text = yaml.dump({"description": value}, default_style=mark, allow_unicode=True, width=1000, sort_keys=False)
        loaded = yaml.safe_load(text)
        if loaded == {"description": value}:
            out[style] = text.replace('"description":', "description:").replace("'description':", "description:")  # default_style quotes the key too
    return out


@pytest.mark.parametrize(("text", "count"), ROUND_4)
def test_round_4_counts_on_the_value(text: str, count: int) -> None:
    assert len(sentences(text)) == count, sentences(text)


@pytest.mark.parametrize(("text", "count"), ROUND_4)
def test_round_4_every_yaml_style_gives_the_same_verdict(text: str, count: int) -> None:
    """The same value in double-quoted, single-quoted, literal, folded and plain style: the
    same CA211 verdict (Close receives the value, not the file)."""
    styles = _styles(text)
    assert {"double", "literal"} <= set(styles), styles  # at least these two always hold it
    for style, yaml_text in styles.items():
        messages = [
            m for code, _, _, m in found(VALID.replace("description: Turns won Close opportunities into Tidewater invoices.\n", yaml_text)) if code == "CA211"
        ]
        assert bool(messages) is (count >= 3), (style, yaml_text, messages)
        if count >= 3:
            assert messages[0].startswith(f"description has {count} sentences"), (style, messages)


@pytest.mark.parametrize(
    ("description", "message"),
    [
        (
            "description: Syncs deals.<br>Logs calls.\n",
            "description holds HTML markup '<br>', which Close's form shows as typed, not as formatting; write plain text (a new line for a break)",
        ),
        (
            "description: Posts to ${{TAB_ENDPOINT}}/tab each day.\n",
            "description holds the template placeholder '${{TAB_ENDPOINT}}', not real text; write the text itself",
        ),
    ],
)
def test_markup_and_templates_are_named_as_what_they_are(description: str, message: str) -> None:
    assert [m for code, _, _, m in found(_with(description)) if code == "CA212"] == [message]


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize(
    "text",
    ["가." * 200_000, "a<br>" * 100_000, "通知\n" * 100_000, "A\nB\n" * 100_000, "「。」" * 100_000, "word\n" * 100_000],
)
def test_round_4_shapes_stay_linear(text: str) -> None:
    sentences(text)
