"""A small mutation tester: do the tests notice when the code is wrong?

    python tools/mutate.py closeapp_lint/sentences.py tests/test_sentences.py tests/test_golden_rules.py
    python tools/mutate.py closeapp_lint/checklist.py tests/test_checklist.py tests/test_honest.py --list

For each mutant of the module (a comparison flipped, ``and``/``or`` swapped, a ``not``
dropped, ``True``/``False`` swapped, an integer constant moved by one), it copies the
checkout to a scratch folder, writes the mutant there and runs the given tests against
it (``PYTHONPATH`` puts the copy first). A mutant the tests do not notice "survives".
Prints the score and every survivor with its line, so each can be killed by a test or
set aside as equivalent (the same behaviour written differently). Not part of CI: it
runs the tests once per mutant.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SWAP = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


def mutants(source: str) -> Iterator[tuple[int, str, ast.Module]]:
    """(line in ``source``, description, mutated tree) for every mutation point, one at a time."""
    points = [node for node in ast.walk(ast.parse(source)) if _mutable(node)]
    for index in range(len(points)):
        copy = ast.parse(source)
        target = [node for node in ast.walk(copy) if _mutable(node)][index]
        described = _mutate(target)
        if described:
            ast.fix_missing_locations(copy)
            yield target.lineno, described, copy


def _mutable(node: ast.AST) -> bool:
    if isinstance(node, ast.Compare):
        return type(node.ops[0]) in _SWAP
    if isinstance(node, ast.BoolOp | ast.UnaryOp):
        return isinstance(node, ast.BoolOp) or isinstance(node.op, ast.Not)
    if isinstance(node, ast.Constant):
        return isinstance(node.value, bool) or (isinstance(node.value, int) and not isinstance(node.value, bool))
    return False


def _mutate(node: ast.AST) -> str:
    if isinstance(node, ast.Compare):
        old = type(node.ops[0])
        node.ops[0] = _SWAP[old]()
        return f"{old.__name__} -> {_SWAP[old].__name__}"
    if isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        return "and <-> or"
    if isinstance(node, ast.UnaryOp):
        node.op = ast.UAdd()  # `+x` keeps the operand; a truth test of it drops the `not`
        node.operand = ast.Call(ast.Name("bool", ast.Load()), [node.operand], [])
        return "not dropped"
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        node.value = not node.value
        return f"{not node.value} -> {node.value}"
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        node.value += 1
        return f"{node.value - 1} -> {node.value}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("module", type=Path)
    parser.add_argument("tests", nargs="+")
    args = parser.parse_args()
    source = (ROOT / args.module).read_text()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "checkout"
        shutil.copytree(ROOT, scratch, ignore=shutil.ignore_patterns(".git", ".venv", "benchmarks", "__pycache__", ".*cache"))
        env = {**os.environ, "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
        killed, survivors = 0, []
        for line, description, mutant in mutants(source):
            (scratch / args.module).write_text(ast.unparse(mutant))
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *args.tests],
                cwd=scratch,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode == 0:
                survivors.append((line, description))
            else:
                killed += 1
        (scratch / args.module).write_text(source)
    total = killed + len(survivors)
    print(f"{args.module}: {killed}/{total} mutants killed ({killed / max(total, 1):.0%})")
    lines = source.splitlines()
    for line, description in survivors:
        print(f"  survived: line {line}: {description}: {lines[line - 1].strip()[:100]}")


if __name__ == "__main__":
    main()
