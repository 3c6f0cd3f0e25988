"""The English "Golden Rules" of the Pragmatic Segmenter, as CA211 counts them.

Source: the 48 English cases of the Pragmatic Segmenter's Golden Rules as kept in pySBD,
``tests/lang/test_english.py`` (github.com/nipunsadvilkar/pySBD, MIT License,
© 2019 Nipun Sadvilkar; the rules themselves come from the Pragmatic Segmenter by Kevin
S. Dias, MIT License). CA211 counts sentences rather than returning them, so each case
keeps its text and the number of sentences the expected segmentation has.

pySBD gets 47 of the 48 right: it fails the one marked ``xfail`` below ("At 5 a.m. Mr.
Smith …", where "P.M." ends a sentence before a name). That case may stay an expected
failure only while we fail it too (``strict=True`` turns an unexpected pass into a failure).
"""

from __future__ import annotations

import pytest

from closeapp_lint.text.sentences import sentences

from .sentence_corpus import GOLDEN_RULES, PYSBD_FAILS

CASES = [
    pytest.param(text, count, marks=pytest.mark.xfail(strict=True, reason="pySBD fails it too")) if text == PYSBD_FAILS else (text, count)
    for text, count in GOLDEN_RULES
]


def test_all_48_cases_are_here() -> None:
    assert len(GOLDEN_RULES) == 48


@pytest.mark.parametrize(("text", "count"), CASES)
def test_golden_rule(text: str, count: int) -> None:
    assert len(sentences(text)) == count, sentences(text)
