"""Deceptive Unicode: CA008 (bidi controls), CA204 (homograph and invisible URLs), CA214
(hidden characters and mixed scripts in what users read), CA213 on the skeleton — and
legitimate non-Latin text that must stay clean."""

from __future__ import annotations

import pytest

from closeapp_lint.load.config import Config
from closeapp_lint.text import deceptive

from .conftest import PUBLIC, VALID, run

CB = "https://app.tidewater.dev/oauth/close/callback"


def found(text: str) -> list[tuple[str, int, int, str]]:
    return [(f.code, f.span.line, f.span.column, f.message) for f in run(text).findings]


def with_name(name: str) -> str:
    return VALID.replace("name: Tidewater Deal Desk", f"name: {name}")


def with_redirect(url: str) -> str:
    return VALID.replace(f"redirect_url: {CB}", f"redirect_url: {url}")


# --- CA008 ---------------------------------------------------------------------------------


def test_bidi_controls_anywhere_each_at_its_character() -> None:
    text = VALID + "x-review: approved  # \u202eokay\u202c\n\u2067x-key\u2069: 1\n"
    message = "bidirectional control {}: this line displays in a different order than YAML reads it (Trojan Source); delete it"
    assert [(c, line, col, m) for c, line, col, m in found(text) if c == "CA008"] == [
        ("CA008", 5, 23, message.format("U+202E RIGHT-TO-LEFT OVERRIDE")),
        ("CA008", 5, 28, message.format("U+202C POP DIRECTIONAL FORMATTING")),
        ("CA008", 6, 1, message.format("U+2067 RIGHT-TO-LEFT ISOLATE")),
        ("CA008", 6, 7, message.format("U+2069 POP DIRECTIONAL ISOLATE")),
    ]


def test_bidi_control_in_a_name_is_one_finding_not_two() -> None:
    assert [c for c, *_ in found(with_name("Tidewater \u202eDeal Desk"))] == ["CA008"]


def test_bidi_control_from_an_escape_is_ca214() -> None:
    assert [c for c, *_ in found(with_name('"Tidewater \\u202eDeal Desk"'))] == ["CA214"]


def test_bidi_controls_fail_the_schema_item() -> None:
    report = run(PUBLIC + "# \u202e\n")
    item = next(i for i in report.readiness.items if i.id == "schema")  # type: ignore[union-attr]
    assert (item.status, item.codes) == ("fail", ("CA008",))


# --- CA204 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://\u0430pp.acme-sync.io/cb",
            (
                "redirect_url host is a homograph: the label 'аpp' mixes Cyrillic and Latin letters (`а` U+0430 CYRILLIC SMALL LETTER A looks like `a`); "
                "it is really xn--pp-6kc.acme-sync.io — write the host in plain ASCII"
            ),
        ),
        (
            "https://xn--pp-6kc.acme-sync.io/cb",
            (
                "redirect_url host is a homograph: the label 'аpp' mixes Cyrillic and Latin letters (`а` U+0430 CYRILLIC SMALL LETTER A looks like `a`); "
                "it is really xn--pp-6kc.acme-sync.io — write the host in plain ASCII"
            ),
        ),
        (
            "https://\u0430\u0440\u0440\u04cf\u0435.com/cb",
            (
                "redirect_url host is a homograph: the label 'аррӏе' is made of letters that look like ASCII ones (`а` U+0430 CYRILLIC SMALL LETTER A looks like `a`, "
                "`р` U+0440 CYRILLIC SMALL LETTER ER looks like `p`, `ӏ` U+04CF CYRILLIC SMALL LETTER PALOCHKA looks like `i` and 1 more); it is really xn--80ak6aa92e.com — write the host in plain ASCII"
            ),
        ),
        (
            "https://g\u0131thub.com/cb",  # Latin dotless i: one script, but every letter looks like ASCII
            (
                "redirect_url host is a homograph: the label 'gıthub' is made of letters that look like ASCII ones (`ı` U+0131 LATIN SMALL LETTER DOTLESS I looks like `i`); "
                "it is really xn--gthub-n4a.com — write the host in plain ASCII"
            ),
        ),
        (
            "https://xn--99999999999999.com/cb",
            "redirect_url host is a homograph: the label 'xn--99999999999999' is not a valid internationalized (punycode) label; it is really xn--99999999999999.com — write the host in plain ASCII",
        ),
        (
            "https://xn--app-.com/cb",  # decodes to plain ASCII, which no real xn-- label does
            "redirect_url host is a homograph: the label 'xn--app-' is not a valid internationalized (punycode) label; it is really xn--app-.com — write the host in plain ASCII",
        ),
        (
            "https://app.tidewater.dev/o\u200bauth/cb",
            "redirect_url holds an invisible or control character (U+200B ZERO WIDTH SPACE), which no one reading it can see; delete it",
        ),
        (
            '"https://app.tidewater.dev/cb\\e[2K"',
            "redirect_url holds an invisible or control character (U+001B ESCAPE), which no one reading it can see; delete it",
        ),
    ],
)
def test_deceptive_redirect(url: str, message: str) -> None:
    assert [(c, m) for c, _, _, m in found(with_redirect(url)) if c == "CA204"] == [("CA204", message)]


@pytest.mark.parametrize(
    "url", ["https://bücher.de/cb", "https://xn--bcher-kva.de/cb", "https://例え.テスト.jp/cb", "https://παράδειγμα.gr/cb", "https://пример.рф/cb", CB]
)
def test_single_script_idn_is_fine(url: str) -> None:
    assert [c for c, *_ in found(with_redirect(url)) if c == "CA204"] == []


@pytest.mark.parametrize("field", ["terms_of_service_url", "privacy_policy_url"])
def test_every_url_field_is_checked_and_fails_its_item(field: str) -> None:
    text = PUBLIC.replace(f"{field}: https://tidewater.dev", f"{field}: https://tid\u0435water.dev")
    report = run(text)
    assert [(f.code, f.pointer) for f in report.findings] == [("CA204", f"/{field}")]
    item = next(i for i in report.readiness.items if i.id == field)  # type: ignore[union-attr]
    assert (item.status, item.codes) == ("fail", ("CA204",))


def test_homograph_redirect_is_never_called_publicly_reachable() -> None:
    report = run(PUBLIC.replace("app.tidewater.dev", "\u0430pp.tidewater.dev"))
    item = next(i for i in report.readiness.items if i.id == "redirect_url")  # type: ignore[union-attr]
    assert item.status == "fail" and "reachable" not in item.detail and report.readiness.ready is False  # type: ignore[union-attr]


# --- CA214 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ('"Tidewater\\e[31m Desk"', "name holds an invisible or control character (U+001B ESCAPE), which readers cannot see; delete it"),
        ('"Tidewater Desk\\a"', "name holds an invisible or control character (U+0007 BELL), which readers cannot see; delete it"),
        ('"Tidewater\\x7f Desk"', "name holds an invisible or control character (U+007F DELETE), which readers cannot see; delete it"),
        ('"Tidewater\\x85 Desk"', "name holds an invisible or control character (U+0085 NEXT LINE), which readers cannot see; delete it"),
        ("Tidewater\u200bDesk", "name holds an invisible or control character (U+200B ZERO WIDTH SPACE), which readers cannot see; delete it"),
        (
            "Tide\u00adwater Deal\u2060Desk",
            "name holds 2 invisible or control characters (U+00AD SOFT HYPHEN, U+2060 WORD JOINER), which readers cannot see; delete them",
        ),
        ("Tidewater\u200e Desk", "name holds an invisible or control character (U+200E LEFT-TO-RIGHT MARK), which readers cannot see; delete it"),
        ("Tidewater\u3164Desk", "name holds an invisible or control character (U+3164 HANGUL FILLER), which readers cannot see; delete it"),
        (
            "\u0421lose Official Sync",
            "name mixes Cyrillic and Latin letters in the word 'Сlose' (`С` U+0421 CYRILLIC CAPITAL LETTER ES looks like `C`); write each word in one script",
        ),
        (
            "Tidewater D\u03bfcs",
            "name mixes Greek and Latin letters in the word 'Dοcs' (`ο` U+03BF GREEK SMALL LETTER OMICRON looks like `o`); write each word in one script",
        ),
        ("Tidewater D\u03b5al Desk", "name mixes Greek and Latin letters in the word 'Dεal'; write each word in one script"),
        ("Z" + "\u0301" * 6, "name stacks 6 combining marks on one character, which draws over the text around it; remove them"),
        ('"Tidewater\\nDeal Desk"', "name holds an invisible or control character (U+000A LINE FEED), which readers cannot see; delete it"),
    ],
)
def test_deceptive_name(name: str, message: str) -> None:
    assert [(c, m) for c, _, _, m in found(with_name(name)) if c == "CA214"] == [("CA214", message)]


def test_description_and_summary_are_checked() -> None:
    text = (
        PUBLIC.replace("Turns won", "Turns w\u043en")
        + 'client_id: oa2client_0123456789abcdefABCDEF\nlisting:\n  product_url: https://tidewater.dev\n  summary: "Creates\\u200b invoices."\n'
    )
    report = run(text)
    assert [(f.code, f.pointer) for f in report.findings] == [("CA214", "/description"), ("CA214", "/listing/summary")]
    statuses = {i.id: i.status for i in report.readiness.items}  # type: ignore[union-attr]
    assert statuses["description"] == statuses["listing"] == "fail"


@pytest.mark.parametrize(
    "name",
    [
        "東京セールス連携",  # Japanese: Han + Katakana
        "Slack連携 for Close",  # CJK with Latin in one word
        "한국 영업 도우미",  # Hangul
        "Ελληνική Εφαρμογή",  # Greek
        "تطبيق المبيعات",  # Arabic
        "Продажи Синк",  # Cyrillic
        "می\u200cخواهم",  # Persian: zero width non-joiner where the script needs it
        "क्\u200dष Sync",  # Devanagari: zero width joiner in a conjunct
        "Team \U0001f468\u200d\U0001f469\u200d\U0001f467 Sync",  # emoji ZWJ sequence
        "Love \u2764\ufe0f Sync",  # emoji presentation selector
        "Flag \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # emoji tag sequence
        "Café Crème",  # precomposed and Latin
        "Cafe\u0301 Cre\u0300me",  # combining accents
        "Tidewater Deal Desk",
    ],
)
def test_legitimate_text_stays_clean(name: str) -> None:
    assert [c for c, *_ in found(with_name(f'"{name}"')) if c in ("CA008", "CA204", "CA213", "CA214")] == []


# --- CA213 on the skeleton -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reads_as"),
    [
        ("\u0421lose Sync", "Close Sync"),
        ("CIose Sync", "Close Sync"),
        ("Cl0se Integration", "ClOse Integration"),
        ("Official \u0421l\u043ese", "Official Close"),
        ("\u0421lose Integration", "Close Integration"),
    ],
)
def test_official_names_judged_on_the_skeleton(name: str, reads_as: str) -> None:
    messages = [m for c, _, _, m in found(with_name(name)) if c == "CA213"]
    assert len(messages) == 1 and messages[0].startswith(f"name reads as {reads_as!r} through look-alike characters")


def test_skeleton() -> None:
    assert deceptive.skeleton("\u0421lose") == "Close"
    assert deceptive.skeleton("p\u0430yp\u0430l") == "paypal"
    assert deceptive.skeleton("bücher") == "bu\u0308cher"  # NFD: the diaeresis stays, so not ASCII
    from closeapp_lint.text import _unicode_data

    assert _unicode_data.UCD_VERSION == "15.0.0"  # the tables the detectors were checked against


# --- bad input ------------------------------------------------------------------------------

BIG = Config(max_file_size=2 * 1024 * 1024)


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (with_name("Z" + "\u0301" * 10_000), ["CA105", "CA214"]),
        (with_name("\u0430b" * 524_288), ["CA105", "CA214"]),  # a 1 MiB word mixing scripts
        (with_name(" ".join(["\u0430bc", "ελ", "日本"] * 100_000)), ["CA105", "CA214"]),
        (with_redirect("https://" + "\u0430b." * 100_000 + "com/cb"), ["CA105", "CA202", "CA204"]),
        (VALID + "# " + "\u202e" * 300_000 + "\n", ["CA008"] * 100),
        (with_name('"\\U0010FFFE\\U000E0001 \\U0001FFFF"'), ["CA214"]),  # noncharacters, unassigned, a lone tag
    ],
)
def test_hostile_unicode_is_bounded(text: str, codes: list[str]) -> None:
    report = run(text, config=BIG)
    assert sorted({f.code for f in report.findings}) == sorted(set(codes))
    assert len(report.findings) <= 200


def test_lone_surrogate_escape_is_a_syntax_error() -> None:
    assert [c for c, *_ in found(with_name('"a\\ud800b"'))] == ["CA001"]
