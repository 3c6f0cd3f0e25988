"""Hostile manifests of the shapes the round-3 and round-4 security reviews used, generated (not kept
in git): each at most 1 MiB, each quadratic somewhere before it was fixed. Shared by
tests/test_security.py and the fuzz harness's seed corpus (fuzz/fuzz_lint.py --seeds)."""

from __future__ import annotations

import random
import string

HEAD = "manifest_version: 1\nname: Tidewater\ndescription: Syncs deals.\nredirect_url: https://app.tidewater.dev/cb\n"


def _token(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice(string.ascii_letters + string.digits) for _ in range(n))


def shapes(scale: float = 1.0) -> dict[str, str]:
    """name -> manifest text; ``scale`` shrinks the floods (1.0: the review's sizes)."""
    rnd = random.Random(3)

    def n(count: int) -> int:
        return max(2, int(count * scale))

    big = _token(rnd, n(80_000))
    return {
        "close-keys-one-line": HEAD + "x-k: " + " ".join(f"api_{_token(rnd, 22)}.{_token(rnd, 22)}" for _ in range(n(8_000))) + "\n",
        "secret-named-flow-mapping": HEAD + "x-f: {" + ", ".join(f"password{i}: {_token(rnd, 16)}" for i in range(n(8_000))) + "}\n",
        "token-urls-one-line": HEAD + "x-u: " + " ".join(f"https://a.dev/?token={_token(rnd, 20)}" for _ in range(n(20_000))) + "\n",
        "jwts-one-line": HEAD + "x-j: " + " ".join(f"eyJ{_token(rnd, 8)}.eyJ{_token(rnd, 8)}.{_token(rnd, 8)}" for _ in range(n(30_000)))[:1_000_000] + "\n",
        "stacked-disable-file": HEAD + "# closeapp-lint: disable-file=CA212\n" * n(25_000),
        "stacked-disable-line": HEAD + "# closeapp-lint: disable=CA212\n" * n(25_000) + "x-a: 1\n",
        "unknown-selectors": HEAD + "".join(f"# closeapp-lint: disable={_token(rnd, 8)}\n" for _ in range(n(20_000))),
        "long-unknown-selectors": HEAD + "".join(f"# closeapp-lint: disable={_token(rnd, 60)}\n" for _ in range(n(12_000))),
        "aliased-scope-flood": HEAD + f"x-a: &a {big}\nscopes: [" + ", ".join(["*a"] * n(9_999)) + "]\n",
        # Round 4: the end of the line was searched once per BEGIN (16.6 s), and one comment
        # of 330,000 selectors made 330,000 copies of every code (958 MB).
        "unterminated-pem-one-line": HEAD + "x-p: " + "-----BEGIN PRIVATE KEY----- " * n(8_000) + "\n",
        "one-huge-disable-file": HEAD + "# closeapp-lint: disable-file=" + "CA," * n(330_000) + "CA\n",
        "one-huge-unknown-disable": HEAD + "# closeapp-lint: disable-file=" + ",".join(f"X{i}" for i in range(n(120_000))) + "\n",
    }
