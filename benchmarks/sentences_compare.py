"""CA211's sentence counter against pySBD, side by side in one run: accuracy on the
Pragmatic Segmenter's English Golden Rules, on our description table and on the table of
other scripts and languages (round 4; pySBD in each case's language), µs per
description, import time, and the time of hostile descriptions.

    python benchmarks/sentences_compare.py

pySBD (and PyYAML, which the package imports) is installed into benchmarks/.venv-pysbd
(never a dependency of closeapp-lint);
both counters run in that interpreter, ours imported from this checkout. A case is right
when the number of sentences matches (CA211 counts; it never needs the pieces).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(__file__).resolve().parent / ".venv-pysbd"

WORKER = r"""
import statistics, sys, time
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
from closeapp_lint.text.sentences import sentences
ours_import = time.perf_counter() - started
started = time.perf_counter()
import pysbd
segmenter = pysbd.Segmenter(language="en", clean=False)
pysbd_import = time.perf_counter() - started
from tests.sentence_corpus import DESCRIPTIONS, GOLDEN_RULES, MULTILINGUAL

def ours(text):
    return len(sentences(text))

def theirs(text):
    return len([s for s in segmenter.segment(text) if s.strip()])

def right(count, cases):
    return sum(1 for text, want in cases if count(text) == want)

def per_call(count, texts, rounds):
    best = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                count(text)
        best.append((time.perf_counter() - start) / (rounds * len(texts)) * 1e6)
    return min(best)

typical = [t for t, n in DESCRIPTIONS if 1 <= n <= 3 and len(t) <= 200]
print(f"{'':<34}{'closeapp-lint':>15}{'pySBD ' + pysbd.__version__:>15}")
print(f"{'Golden Rules (48), right':<34}{right(ours, GOLDEN_RULES):>12}/48{right(theirs, GOLDEN_RULES):>12}/48")
print(f"{'descriptions (' + str(len(DESCRIPTIONS)) + '), right':<34}{right(ours, DESCRIPTIONS):>12}/{len(DESCRIPTIONS)}{right(theirs, DESCRIPTIONS):>12}/{len(DESCRIPTIONS)}")
o, t = per_call(ours, typical, 50), per_call(theirs, typical, 2)
segmenters = {}
def theirs_in(lang):
    if lang not in segmenters:
        try:
            segmenters[lang] = pysbd.Segmenter(language=lang, clean=False)
        except ValueError:  # a language pySBD does not know: its English rules
            segmenters[lang] = segmenter
    return lambda text: len([s for s in segmenters[lang].segment(text) if s.strip()])
ours_multi = sum(1 for text, want, _, _ in MULTILINGUAL if ours(text) == want)
theirs_multi = sum(1 for text, want, lang, _ in MULTILINGUAL if theirs_in(lang)(text) == want)
print(f"{'other scripts and languages (' + str(len(MULTILINGUAL)) + ')':<34}{ours_multi:>12}/{len(MULTILINGUAL)}{theirs_multi:>12}/{len(MULTILINGUAL)}   (pySBD in each case's language)")
print(f"{'µs per typical description':<34}{o:>15.1f}{t:>15.1f}   ({t / o:.0f}× faster; {len(typical)} descriptions of 1-3 sentences)")
print(f"{'import, ms (ours: with PyYAML)':<34}{ours_import * 1000:>15.1f}{pysbd_import * 1000:>15.1f}")
print()
print("ours on hostile descriptions (ms, best of 5):")
hostile = {
    "10,000 periods": "." * 10_000,
    "10,000 spaced periods": ". " * 10_000,
    "300 KB, no spaces": "a" * 300_000 + ".",
    "300 KB of a.a.a.": "a." * 150_000,
    "only punctuation (300 KB)": "!?.,;:" * 50_000,
    "only emoji (100,000)": "\U0001f389" * 100_000,
    "Korean stops, no spaces (400 KB)": "가." * 200_000,
    "<br> after every word (500 KB)": "a<br>" * 100_000,
    "100,000 wrapped CJK lines": "通知\n" * 100_000,
    "100,000 capitals on new lines": "A\nB\n" * 100_000,
    "「。」 × 100,000": "「。」" * 100_000,
}
for name, text in hostile.items():
    print(f"  {name:<32}{per_call(ours, [text], 1) / 1000:>8.2f}")
miss_ours = [t for t, n in GOLDEN_RULES if ours(t) != n]
miss_theirs = [t for t, n in GOLDEN_RULES if theirs(t) != n]
print()
print("Golden Rules we miss:", miss_ours)
print("Golden Rules pySBD misses:", miss_theirs)
print()
print("other scripts and languages (each case's source in tests/sentence_corpus.py):")
for text, want, lang, source in MULTILINGUAL:
    print(f"  {want} {ours(text)} {theirs_in(lang)(text)}  {lang}  {source[:70]}")
"""


def main() -> None:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(python), "-c", "import pysbd, yaml"], capture_output=True, check=False).returncode != 0:
        # PyYAML: importing closeapp_lint (the package of ``sentences``) imports it.
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pysbd", "pyyaml"], check=True)
    subprocess.run([str(python), "-c", WORKER, str(ROOT)], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
