"""The run pipeline below the CLI, called directly (as a language server would)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from closeapp_lint.load.config import DEFAULT
from closeapp_lint.run import pipeline, workers

from .conftest import VALID


def test_standard_input_is_read_once_under_its_name() -> None:
    calls: list[int] = []

    def read(limit: int) -> bytes:
        calls.append(limit)
        return (VALID + "colour: x\n").encode()

    errors: list[str] = []
    alone = DEFAULT._replace(ignore=frozenset({"CA421", "CA422", "CA423", "CA424"}))  # not compared with the repository's examples
    reports = list(pipeline.reports(pipeline.Input(["-"], alone, "apps/closeapp.yaml", read), pipeline.Options(jobs=1), on_error=errors.append))
    assert [(r.path, [f.code for f in r.findings]) for r in reports] == [("apps/closeapp.yaml", ["CA102"])]
    assert len(calls) == 1 and errors == []


def test_fix_and_diff_without_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "closeapp.yaml"
    path.write_text(VALID.replace("https://app", "http://app"))
    errors: list[str] = []
    run = pipeline.Input([str(path)], DEFAULT)
    [diffed] = pipeline.reports(run, pipeline.Options(diff=True), on_error=errors.append)
    assert (diffed.fixed, diffed.error) == (1, None) and "+redirect_url: https://app" in diffed.diff
    assert "https://app" not in path.read_text()  # --diff writes nothing
    [fixed] = pipeline.reports(run, pipeline.Options(fix=True, root=str(tmp_path)), on_error=errors.append)
    assert (fixed.fixed, fixed.notice, fixed.findings) == (1, None, ()) and "https://app" in path.read_text()
    assert errors == []


def test_one_internal_error_format() -> None:
    from closeapp_lint.core.escape import error_text, internal_error_line

    assert internal_error_line("a.closeapp.yaml", "ValueError: boom") == "closeapp-lint: internal error while linting a.closeapp.yaml: ValueError: boom"
    assert error_text(ValueError("boom\n  " + "x" * 500)) == "ValueError: boom " + "x" * 195  # one line, capped


def test_the_loader_does_not_pull_in_the_rules() -> None:
    """Layering runs one way: reading a file that does not parse needs no rule module."""
    import ast
    import subprocess
    import sys

    code = "import sys, closeapp_lint.load.source as s; s.load(b'a: [\\n'); print(sorted(m for m in sys.modules if m.startswith('closeapp_lint')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(done.stdout)  # a list literal printed by the child
    assert not [m for m in loaded if m == "closeapp_lint.rules" or m.startswith("closeapp_lint.rules.")], loaded
    # exactly these: the document record and the loader, the codes they report, the records
    assert loaded == [
        "closeapp_lint",
        "closeapp_lint.core",  # the layers' packages: a docstring each
        "closeapp_lint.core.codes",
        "closeapp_lint.core.doc_examples",
        "closeapp_lint.core.document",
        "closeapp_lint.core.model",
        "closeapp_lint.core.patterns",  # the package imports yaml with its unused pattern deferred (closeapp_lint/__init__.py)
        "closeapp_lint.core.records",
        "closeapp_lint.core.rulespec",
        "closeapp_lint.load",
        "closeapp_lint.load.source",
    ], loaded


@pytest.mark.parametrize(
    ("requested", "count", "cores", "expected"),
    [
        (0, 10, 8, 1),  # too few files for helpers to pay
        (0, 1000, 2, 2),  # a two-core machine (whether the work pays is measured)
        (0, 1000, 1, 1),  # one core: nothing to share the work with
        (0, 100_000, 32, 8),  # at most eight
        (3, 1000, 1, 3),  # --jobs is obeyed
        (4, 2, 8, 2),  # never more processes than files
    ],
)
def test_processes_follow_the_cores(monkeypatch: pytest.MonkeyPatch, requested: int, count: int, cores: int, expected: int) -> None:
    monkeypatch.setattr(workers, "cpu_count", lambda: cores)
    assert workers.workers(requested, count) == expected


def test_busy_cores_reads_the_running_tasks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins
    import os

    real_open = builtins.open
    loadavg = tmp_path / "loadavg"

    def fake_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        return real_open(loadavg if path == "/proc/loadavg" else path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    loadavg.write_text("0.50 0.40 0.30 1/300 999\n")  # only ourselves running
    assert workers.busy_cores() == 0
    loadavg.write_text("2.50 2.40 2.30 3/300 999\n")  # two others running
    assert workers.busy_cores() == 2
    loadavg.write_text("garbled\n")  # unreadable: the one-minute load average instead, ourselves not counted
    monkeypatch.setattr(os, "getloadavg", lambda: (3.5, 1.0, 1.0))
    assert workers.busy_cores() == 2.5


@pytest.mark.parametrize(
    ("processes", "cores", "busy", "expected"),
    [
        (1, 2, 0, 1.0),
        (2, 2, 0, 2.0),  # a quiet machine: a core each
        (2, 2, 1, 4 / 3),  # one other process on two cores: each of the three gets 2/3 of a core
        (1, 2, 1, 1.0),  # … but one process never more than a core
        (2, 2, 2, 1.0),
        (1, 2, 2, 2 / 3),
        (2, 1, 0, 1.0),  # one core: a second process gains nothing
    ],
)
def test_the_share_of_the_cores_a_run_gets(processes: int, cores: int, busy: float, expected: float) -> None:
    assert workers.share(processes, cores, busy) == pytest.approx(expected)


# What a one-file run (pre-commit's usual case) imports: a new eager import must be a
# decision made here, not an accident. A valid ASCII manifest, no config file.
ONE_FILE_MODULES = {
    "closeapp_lint",
    # the layers' packages (a docstring each, nothing imported by them)
    "closeapp_lint.commands",
    "closeapp_lint.core",
    "closeapp_lint.judge",
    "closeapp_lint.load",
    "closeapp_lint.run",
    "closeapp_lint.text",
    "closeapp_lint.run.app",  # round 4: the app (a manifest with its chain, siblings, record), split out of pipeline
    "closeapp_lint.judge.checklist",
    "closeapp_lint.commands.cli",
    "closeapp_lint.core.codes",
    "closeapp_lint.load.config",
    "closeapp_lint.text.credentials",
    "closeapp_lint.text.deceptive",
    "closeapp_lint.core.document",
    "closeapp_lint.core.edits",
    "closeapp_lint.judge.engine",
    "closeapp_lint.core.escape",
    "closeapp_lint.judge.fastschema",
    "closeapp_lint.load.files",
    "closeapp_lint.core.patterns",
    "closeapp_lint.core.manifest",
    "closeapp_lint.core.doc_examples",
    "closeapp_lint.core.model",
    "closeapp_lint.rules.registry",
    "closeapp_lint.core.rulespec",
    "closeapp_lint.reporters",
    "closeapp_lint.reporters.base",
    "closeapp_lint.reporters.statistics",
    "closeapp_lint.reporters.text",
    "closeapp_lint.reporters.writers",
    "closeapp_lint.rules",
    "closeapp_lint.rules._manifest",
    "closeapp_lint.rules._util",
    "closeapp_lint.rules.deceptive",
    "closeapp_lint.rules.environments",
    "closeapp_lint.rules.listing",
    "closeapp_lint.rules.network",
    "closeapp_lint.rules.records",
    "closeapp_lint.rules.scopes",
    "closeapp_lint.rules.secrets",
    "closeapp_lint.rules.text",
    "closeapp_lint.rules.urls",
    "closeapp_lint.run.pipeline",
    "closeapp_lint.load.project",  # the repository: its root and the sibling scan of CA421–CA424
    "closeapp_lint.judge.schema",
    "closeapp_lint.text.sentences",
    "closeapp_lint.load.source",
    "closeapp_lint.judge.suppress",
    "closeapp_lint.text.urls",
    "closeapp_lint.core.records",
    "closeapp_lint.run.workers",  # round 4: worker processes and held reports, split out of pipeline (forked, pickle: still on first need)
}
# Loaded only when a manifest needs them (a listing's unusual e-mail address, a schema
# error, a network check, an editor, --jobs, a publication request, a did-you-mean).
NOT_FOR_ONE_FILE = (
    "closeapp_lint.load.extends",
    "jsonschema",
    "validators",
    "email",
    "pygls",
    "lsprotocol",
    "multiprocessing",
    "difflib",
    "closeapp_lint.run.netcheck",
    "closeapp_lint.commands.publish",
    # stdlib modules a valid manifest does without (each was measured at 3-6 M instructions):
    "json",  # the schema is read by json's C scanner (schema._json_value)
    "locale",  # loaded by gettext when click looks up a phrase; cli gives its phrases
    "pathlib",  # os.path suffices for the config search
)


def test_yamls_pattern_of_printable_characters_is_compiled_only_when_used() -> None:
    """Importing the package imports yaml without compiling the pattern its pure-Python
    reader checks text with (57 M instructions; libyaml's loader never asks for it): it
    is PyYAML's pattern, still compiled and used by that reader, and re.compile is left as
    it was."""
    import subprocess
    import sys

    code = (
        "import re, sys\n"
        "compile_ = re.compile\n"
        "if sys.argv[1] == 'package':\n"
        "    import closeapp_lint\n"
        "import yaml, yaml.reader\n"
        "held = yaml.reader.Reader.NON_PRINTABLE\n"
        "print(type(held).__name__, re.compile is compile_)\n"
        "print(repr(held.pattern))\n"
        "try:\n"
        "    yaml.load('a: \\x07', Loader=yaml.SafeLoader)\n"
        "except yaml.reader.ReaderError as exc:\n"
        "    print(exc.character)\n"
    )
    ours = subprocess.run([sys.executable, "-c", code, "package"], capture_output=True, text=True, check=True).stdout.splitlines()
    plain = subprocess.run([sys.executable, "-c", code, "yaml"], capture_output=True, text=True, check=True).stdout.splitlines()
    assert ours[0] == "_Lazy True" and plain[0] == "Pattern True"
    assert ours[1:] == plain[1:] == [plain[1], "7"]  # the same pattern, rejecting the same character


def test_the_modules_a_one_file_run_imports(tmp_path: Path) -> None:
    import ast
    import subprocess
    import sys

    (tmp_path / "closeapp.yaml").write_text(VALID)
    code = (
        "import sys\n"  # no json here: whether the run loads it is asked
        "from closeapp_lint.commands.cli import main\n"
        "try:\n"
        "    main(['check', '--isolated', 'closeapp.yaml'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(done.stdout.splitlines()[-1])
    ours = {m for m in loaded if m.split(".")[0] == "closeapp_lint"}
    assert ours == ONE_FILE_MODULES, f"added: {sorted(ours - ONE_FILE_MODULES)}; gone: {sorted(ONE_FILE_MODULES - ours)}"
    assert not [m for m in loaded if m.split(".")[0] in NOT_FOR_ONE_FILE or m in NOT_FOR_ONE_FILE]


@pytest.mark.parametrize(
    ("per_file", "remaining", "processes", "busy", "forks", "expected"),
    [
        (0.0005, 10_000, 2, 0, True, True),  # 5 s of work left: a helper pays
        (0.0005, 300, 2, 0, True, True),  # 0.15 s left, a third of it saved (two at once go at 0.78 each): a forked helper pays
        (0.0005, 300, 2, 0, False, False),  # … a spawned pool, which imports the package again, would not
        (0.0001, 300, 2, 0, True, False),  # 0.03 s left: not even a fork pays
        (0.0005, 10_000, 1, 0, True, False),  # one process: nothing to share the work with
        (0.0005, 1_000, 2, 1, True, False),  # one of two cores busy: 4/3 of a core at 0.78 of the speed, 0.02 s saved of 0.5
        (0.0005, 10_000, 2, 1, True, True),  # … of 5 s, 0.19 s saved: a helper pays
        (0.0005, 10_000, 4, 1, True, True),  # one of four busy: 3.2 cores at 0.78, 2.5 times one process
        (0.0005, 1_000, 4, 3, True, True),  # three of four busy: four of ours win 16/7 of a core, 1.8 times one: 0.22 s saved
        (0.0002, 500, 2, 1, True, False),  # one of two busy, less work: nothing either
        (0.01, 100, 4, 0, False, True),  # few files, but slow ones
    ],
)
def test_helpers_start_only_when_the_measured_work_pays(
    per_file: float, remaining: int, processes: int, busy: float, forks: bool, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from closeapp_lint.run import helpers as forked

    monkeypatch.setattr(forked, "available", lambda: forks)
    monkeypatch.setattr(workers, "cpu_count", lambda: max(2, processes))
    assert workers.worth_workers(per_file, remaining, processes, busy) is expected


def test_a_large_run_measures_first_then_shares_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first files are linted in this process while their cost is measured; the rest
    goes to the workers, and every report comes out once, in order."""
    paths = []
    for i in range(400):
        path = tmp_path / f"a{i:03}.closeapp.yaml"
        path.write_text(VALID)
        paths.append(str(path))
    pooled: list[int] = []
    real = workers._pooled

    def counted(rest: list[str], cfg: Any, jobs: int, project: Any, held: Any) -> Any:
        pooled.append(len(rest))
        return real(rest, cfg, 1, project, held)  # the same road, without forking in the test

    monkeypatch.setattr(workers, "_pooled", counted)
    monkeypatch.setattr(workers, "MEASURE_FOR", 0.0)  # decide after the first file
    monkeypatch.setattr(workers, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "worth_workers", lambda per_file, remaining, processes, busy: True)
    reports = list(pipeline.reports(pipeline.Input(paths, DEFAULT)))
    assert [r.path for r in reports] == paths and pooled == [399]


def test_the_cost_per_file_that_decides_on_workers_leaves_out_the_sibling_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan of the repository is made once, before the clock starts: a slow scan
    (a large repository) must not make each file look slow, and start workers for a run
    too small to pay for them."""
    import time

    from closeapp_lint.load.project import Project

    monkeypatch.chdir(tmp_path)  # the repository root: its manifests are scanned
    paths = []
    for i in range(300):
        path = tmp_path / f"a{i:03}.closeapp.yaml"
        path.write_text(VALID)
        paths.append(str(path))
    real_scan = Project._scan

    scans: list[str] = []

    def slow_scan(self: Project, root: str) -> Any:
        scans.append(root)
        time.sleep(0.3)
        return real_scan(self, root)

    measured: list[float] = []

    def worth(per_file: float, remaining: int, processes: int, busy: float) -> bool:
        measured.append(per_file)
        return False

    monkeypatch.setattr(Project, "_scan", slow_scan)
    monkeypatch.setattr(workers, "MEASURE_FOR", 0.0)  # decide after the first file
    monkeypatch.setattr(workers, "cpu_count", lambda: 2)
    monkeypatch.setattr(workers, "worth_workers", worth)
    reports = list(pipeline.reports(pipeline.Input(paths, DEFAULT)))
    assert len(reports) == 300 and len(measured) == 1 and scans == [str(tmp_path)]
    assert measured[0] < 0.1, measured  # one file's lint, not the 0.3 s scan


def test_the_console_script_loads_without_collections_and_runs_with_the_collector_on() -> None:
    """entry.run holds the collector off while the package and its dependencies load
    (nothing they make is garbage) and the command runs with it back on. Loaded with the
    collector on, the same modules cost dozens of collections."""
    import subprocess
    import sys

    code = (
        "import atexit, gc, sys\n"
        "count = lambda: sum(s['collections'] for s in gc.get_stats())\n"
        "before = count()\n"
        "atexit.register(lambda: print(count() - before, gc.isenabled()))\n"
        "mode, sys.argv = sys.argv[1], ['closeapp-lint', '--version']\n"
        "from closeapp_lint.commands import start\n"
        "start.run() if mode == 'entry' else __import__('closeapp_lint.commands.cli')\n"
    )
    ran = subprocess.run([sys.executable, "-c", code, "entry"], capture_output=True, text=True, check=False)
    collections, enabled = ran.stdout.split()[-2:]
    assert int(collections) <= 2 and enabled == "True", ran.stdout + ran.stderr
    eager = subprocess.run([sys.executable, "-c", code, "import"], capture_output=True, text=True, check=True)
    assert int(eager.stdout.split()[-2]) >= 10, eager.stdout  # the figure the test would see without entry.run


class _Left(Exception):
    """os._exit, as a test sees it."""


@pytest.mark.parametrize(("code", "expected"), [(None, 0), (0, 0), (1, 1), (2, 2)])
def test_a_finished_command_ends_the_process_without_tearing_it_down(monkeypatch: pytest.MonkeyPatch, code: int | None, expected: int) -> None:
    import atexit
    import os

    from closeapp_lint.commands import cli

    def left(status: int) -> None:
        raise _Left(status)

    monkeypatch.setattr(os, "_exit", left)
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: 0)  # as in the console script (the test runner registers its own)
    with pytest.raises(_Left) as ended:
        cli._leave(SystemExit(code))
    assert ended.value.args == (expected,)


def test_the_usual_exit_when_a_thread_or_an_exit_handler_still_has_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import atexit
    import os
    import threading

    from closeapp_lint.commands import cli

    def left(status: int) -> None:
        raise _Left(status)

    monkeypatch.setattr(os, "_exit", left)
    handlers = [0]
    monkeypatch.setattr(atexit, "_ncallbacks", lambda: handlers[0])  # the test runner registers its own
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with pytest.raises(SystemExit):
            cli._leave(SystemExit(1))
    finally:
        release.set()
        other.join()
    with pytest.raises(_Left):  # nothing left to wait for: the quick road
        cli._leave(SystemExit(1))
    handlers[0] = 1
    with pytest.raises(SystemExit):
        cli._leave(SystemExit(0))
    handlers[0] = 0
    with pytest.raises(SystemExit):  # a message, not a code: the interpreter prints it
        cli._leave(SystemExit("closeapp-lint: stopped"))


def test_the_console_script_writes_everything_before_it_leaves(tmp_path: Path) -> None:
    """Output still buffered when the process ends is written first, through a pipe."""
    import subprocess
    import sys

    paths = []
    for i in range(300):
        path = tmp_path / f"a{i:03}.closeapp.yaml"
        path.write_text(VALID.replace("https://", "http://"))
        paths.append(path.name)
    code = "import sys; sys.argv[0] = 'closeapp-lint'; from closeapp_lint.commands import start; start.run()"
    ran = subprocess.run(
        [sys.executable, "-c", code, "check", "--isolated", "--format", "concise", *paths], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert ran.returncode == 1, ran.stderr
    lines = ran.stdout.splitlines()
    assert sum(" CA201 " in line for line in lines) == 300 and lines[-1].startswith("Found 300 errors"), lines[-3:]
