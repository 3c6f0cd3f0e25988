"""Inline suppression comments (SPEC §7): every accepted form and the near-misses."""

from __future__ import annotations

import pytest

from closeapp_lint.load.config import Config

from .conftest import PUBLIC, VALID, found

LOCAL = PUBLIC.replace("https://app.tidewater.dev/oauth/close/callback", "https://localhost/cb")
CA203 = (
    "CA203",
    4,
    15,
    "redirect_url host localhost is a local or reserved name that no one outside your machine can reach; users of a public app cannot reach it",
)


def with_comment(line_comment: str = "", own_line: str = "", file_comment: str = "") -> str:
    text = LOCAL.replace("redirect_url: https://localhost/cb", f"redirect_url: https://localhost/cb{line_comment}")
    if own_line:
        text = text.replace("redirect_url:", f"{own_line}\nredirect_url:")
    return text + file_comment


@pytest.mark.parametrize(
    "text",
    [
        with_comment("  # closeapp-lint: disable=CA203"),
        with_comment("  # closeapp-lint: disable=redirect-not-public"),
        with_comment("  # closeapp-lint: disable=CA20"),
        with_comment("  # closeapp-lint: disable=CA2"),
        with_comment("  # closeapp-lint: disable=ca203"),
        with_comment("  # CLOSEAPP-LINT: DISABLE=CA203"),
        with_comment("  #closeapp-lint:disable=CA203"),
        with_comment("  # closeapp-lint : disable = CA203 , CA201"[:-7]),
        with_comment("  # closeapp-lint: disable=CA203 -- dev-only callback"),
        with_comment(own_line="# closeapp-lint: disable=CA203"),
        with_comment(own_line="# closeapp-lint: disable=CA203\n\n# another comment"),
        with_comment(own_line="  # closeapp-lint: disable=CA203"),
        with_comment(file_comment="# closeapp-lint: disable-file=CA203\n"),
        with_comment(file_comment="# closeapp-lint: disable-file=redirect-not-public -- staging manifest\n"),
        "# closeapp-lint: disable-file=CA203\n" + LOCAL,
    ],
)
def test_accepted_forms_suppress(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a '#' inside quotes or a URL fragment is not a comment
        (LOCAL.replace("redirect_url: https://localhost/cb", "redirect_url: 'https://localhost/cb # closeapp-lint: disable=CA203'"), ["CA202"]),
        (LOCAL.replace("redirect_url: https://localhost/cb", 'redirect_url: "https://localhost/cb#closeapp-lint: disable=CA203"'), ["CA202"]),
        (LOCAL.replace("redirect_url: https://localhost/cb", "redirect_url: https://localhost/cb#closeapp-lint:disable=CA203"), ["CA202", "CA203"]),
        (
            LOCAL.replace(
                "description: Turns won Close opportunities into Tidewater invoices.",
                "description: |\n  Turns won deals into invoices.\n  # closeapp-lint: disable=CA203",
            ),
            ["CA203"],
        ),
        # end-of-line applies to its own line only
        (LOCAL.replace("name: Tidewater Deal Desk", "name: Tidewater Deal Desk  # closeapp-lint: disable=CA203"), ["CA007", "CA203"]),
    ],
)
def test_not_comments_and_wrong_lines(text: str, expected: list[str]) -> None:
    assert [c for c, *_ in found(text)] == expected


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (
            "closeapp-lint disable=CA203",
            "malformed suppression comment 'closeapp-lint disable=CA203'; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'",
        ),
        ("closeapp-lint: disable", "malformed suppression comment 'closeapp-lint: disable'; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'"),
        (
            "closeapp-lint: disable=",
            "malformed suppression comment 'closeapp-lint: disable='; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'",
        ),
        (
            "closeapp-lint: enable=CA203",
            "malformed suppression comment 'closeapp-lint: enable=CA203'; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'",
        ),
        (
            "closeapp-lint: disable=CA203 CA201",
            "malformed suppression comment 'closeapp-lint: disable=CA203 CA201'; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'",
        ),
        (
            "closeapp-lint: disable-line=CA203",
            "malformed suppression comment 'closeapp-lint: disable-line=CA203'; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'",
        ),
        (
            "closeapp_lint: disable=CA203",
            "malformed suppression comment 'closeapp_lint: disable=CA203'; write '# closeapp-lint: disable=CODE[,CODE…]' or 'disable-file=…'",
        ),
    ],
)
def test_malformed_directives_are_ca006_and_suppress_nothing(comment: str, message: str) -> None:
    assert found(with_comment(f"  # {comment}")) == [CA203, ("CA006", 4, 37, message)]


def test_prose_mentioning_the_tool_is_not_a_directive() -> None:
    assert found("# Checked by closeapp-lint in CI.\n# closeapp-lint checks this file\n" + VALID) == []


@pytest.mark.parametrize(
    ("selectors", "messages"),
    [
        ("redirect-not-pubic", ["unknown rule 'redirect-not-pubic' in suppression comment; did you mean 'redirect-not-public'?"]),
        ("CA999", ["unknown rule 'CA999' in suppression comment; `closeapp-lint rules` lists them"]),
        ("CA001", ["CA001 cannot be suppressed: CA001–CA005 decide whether the file can be read at all"]),
    ],
)
def test_unknown_selectors_are_ca006(selectors: str, messages: list[str]) -> None:
    got = found(with_comment(f"  # closeapp-lint: disable={selectors}"))
    assert got == [CA203] + [("CA006", 4, 37, m) for m in messages]


def test_unknown_selector_beside_a_known_one() -> None:
    got = found(with_comment("  # closeapp-lint: disable=CA203,nope"))
    assert got == [("CA006", 4, 37, "unknown rule 'nope' in suppression comment; `closeapp-lint rules` lists them")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            VALID.replace("name: Tidewater Deal Desk", "name: Tidewater Deal Desk  # closeapp-lint: disable=CA213"),
            [("CA007", 2, 28, "suppression of CA213 matched no finding on line 2; remove it")],
        ),
        (VALID + "# closeapp-lint: disable-file=CA212\n", [("CA007", 5, 1, "suppression of CA212 matched no finding on this file; remove it")]),
        (with_comment("  # closeapp-lint: disable=CA203,CA201"), [("CA007", 4, 37, "suppression of CA201 matched no finding on line 4; remove it")]),
        (VALID + "# closeapp-lint: disable-file=CA212\n# closeapp-lint: disable-file=CA007\n", []),
    ],
)
def test_unused_suppressions_are_ca007(text: str, expected: list[tuple[str, int, int, str]]) -> None:
    assert found(text) == expected


def test_suppression_of_a_rule_not_enabled_is_not_unused() -> None:
    text = VALID.replace("name: Tidewater Deal Desk", "name: Tidewater Deal Desk  # closeapp-lint: disable=CA213")
    assert found(text, config=Config(ignore=frozenset({"CA213"}))) == []


def test_parse_level_codes_cannot_be_suppressed() -> None:
    text = "a: 1\na: 2  # closeapp-lint: disable=CA002\n" + VALID
    assert [c for c, *_ in found(text)] == ["CA002", "CA102", "CA006"]


def test_suppressed_publish_finding_still_fails_the_checklist() -> None:
    from .conftest import run

    report = run(with_comment("  # closeapp-lint: disable=CA203"))
    assert report.findings == ()
    assert report.readiness is not None and not report.readiness.ready


# --- pinned by mutation testing (tools/mutate.py) -------------------------------------------


def test_own_line_directive_on_the_last_line_targets_the_line_after_it() -> None:
    text = VALID + "# closeapp-lint: disable=CA213"
    assert found(text) == [("CA007", 5, 1, "suppression of CA213 matched no finding on line 6; remove it")]


def test_unused_suppression_of_ca006_or_ca007_is_not_reported() -> None:
    assert found(VALID + "# closeapp-lint: disable-file=CA007\n") == []


def test_bad_suppression_span_covers_the_comment() -> None:
    from .conftest import run

    (finding,) = run(VALID + "x-a: 1  # closeapp-lint disable\n").findings
    assert (finding.code, finding.span.line, finding.span.column, finding.span.end_column) == ("CA006", 5, 9, 32)


def test_long_unknown_selectors_are_cut_at_sixty_characters() -> None:
    selector = "x" * 70
    ((code, _, _, message),) = found(VALID + f"x-a: 1  # closeapp-lint: disable={selector}\n")
    assert code == "CA006" and f"'{'x' * 60}'" in message and "x" * 61 not in message


def test_no_document_no_suppressions() -> None:
    from closeapp_lint.judge import suppress

    assert suppress.split(None, [], frozenset()) == ([], [])


def test_unused_suppression_of_ca006_is_not_reported_either() -> None:
    assert found(VALID + "# closeapp-lint: disable-file=CA006\n") == []


def test_malformed_comments_are_quoted_up_to_sixty_characters() -> None:
    ((code, _, _, message),) = found(VALID + "# closeapp-lint disable " + "y" * 70 + "\n")
    assert code == "CA006" and "y" * 38 in message and "y" * 39 not in message  # the comment cut at 60 characters
