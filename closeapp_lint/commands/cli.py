"""The command line: parse flags, load config, find files, lint, report, exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..core.escape import error_text, safe, shell_quoted
from ..core.manifest import APPLIABLE, URL_BUDGET, URL_TIMEOUT
from ..core.model import MANIFEST, FileReport, RunReport, Summary
from ..core.records import NamedTuple
from ..judge.engine import unreadable_report
from ..load import config, files
from ..reporters import CHECKLIST_FORMATS, FORMATS, Options, render_checklist
from ..reporters.statistics import Statistics
from ..run import pipeline
from ..run.workers import PARALLEL_FROM

if TYPE_CHECKING:
    from ..load.project import Project
    from ..run.netcheck import Settings

CHECK_FORMATS = list(FORMATS)
PUBLISH_FORMATS = ["text", "markdown", "mailto", "eml"]  # publish-request: the packet, or the listing e-mail


# click names its path types and words its --help and --version options through gettext,
# which looks each phrase up in the locale folders at every start (the locale module loaded,
# a few stat calls a phrase: about 1 % of a one-file run, more where LANG names a language).
# These are the same types and options with their English words given.


class PathType(click.ParamType):  # type: ignore[type-arg,unused-ignore]  # generic from click 8.5 on, not before
    """``click.Path(exists=…, dir_okay=…)`` as this command line uses it: same checks, same
    messages, same shell completion."""

    def __init__(self, *, exists: bool = False, dir_okay: bool = True) -> None:
        self.name = "path" if dir_okay else "file"
        self.exists, self.dir_okay = exists, dir_okay

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        shown = f"{self.name.title()} {click.format_filename(value)!r}"
        if self.exists and not os.path.exists(value):
            self.fail(f"{shown} does not exist.", param, ctx)
        if not self.dir_okay and os.path.isdir(value):
            self.fail(f"{shown} is a directory.", param, ctx)
        return value

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="file")]


def _show_help(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"closeapp-lint {__version__}", color=ctx.color)
        ctx.exit()


def _help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    """What ``Command.get_help_option`` returns (one option per command, made once)."""
    names = command.get_help_option_names(ctx)
    if not names or not command.add_help_option:
        return None
    made: click.Option | None = command.__dict__.get("_worded_help")
    if made is None:
        made = click.Option(names, is_flag=True, is_eager=True, expose_value=False, callback=_show_help, help="Show this message and exit.")
        command.__dict__["_worded_help"] = made
    return made


class Command(click.Command):
    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            # click suggests any option 60 % alike (--bogus: "did you mean --jobs?"): keep
            # only a near spelling, as a person would mean it.
            from difflib import SequenceMatcher

            near = [p for p in exc.possibilities or () if SequenceMatcher(None, exc.option_name, p).ratio() >= 0.75]
            raise click.NoSuchOption(exc.option_name, possibilities=near, ctx=exc.ctx) from None


class DefaultGroup(click.Group):
    """``closeapp-lint PATH …`` is short for ``closeapp-lint check PATH …``."""

    command_class = Command

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            if args and (near := self._mistyped(args[0])):
                raise _fail(f"no such command {args[0]!r}; did you mean {near!r}?")
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def _mistyped(self, word: str) -> str | None:
        """The command ``word`` is a typo of, when it is no path (``closeapp-lint chek``)."""
        if word.startswith("-") or os.path.lexists(word) or "/" in word or "." in word:
            return None
        from difflib import get_close_matches

        near = get_close_matches(word.lower(), list(self.commands), n=1, cutoff=0.6)
        return near[0] if near else None


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version, help="Show the version and exit.")
def main() -> None:
    """Lint Close OAuth app manifests (closeapp.yaml) and check they are ready to publish."""


def _selectors(value: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in (value or "").split(",") if s.strip())


def _color(choice: str, stream: Any) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    pre_commit = os.environ.get("PRE_COMMIT_COLOR")
    if pre_commit in ("always", "never"):
        return pre_commit == "always"
    return bool(getattr(stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


def _fail(message: str) -> click.exceptions.Exit:
    click.echo(f"closeapp-lint: error: {safe(message)}", err=True)  # it may quote a file name or a config value
    return click.exceptions.Exit(2)


def _missing(path: str) -> None:
    """A named path that does not exist: one line now, exit code 2 at the end."""
    click.echo(f"closeapp-lint: error: {safe(path)}: no such file or directory", err=True)
    click.get_current_context().meta["closeapp-lint.missing"] = True


def _any_missing() -> bool:
    return bool(click.get_current_context().meta.get("closeapp-lint.missing"))


def _discover(paths: tuple[str, ...], cfg: config.Config, *, required: bool = False, manifests: bool = False, project: Project | None = None) -> list[str]:
    """The files to read; with ``manifests``, without applied records and bases (the
    checklist and the plan are about manifests) — a base named on the command line stands
    for its apps (SPEC §11.1), found by ``project``'s scan (the caller's, when it has one)."""
    found = list(files.discover(list(paths) or ["."], cfg.excluded, force_exclude=cfg.force_exclude, missing=_missing))
    if manifests:  # not the applied records, nor the bases manifests extend
        found = [p for p in found if not files.is_record_name(os.path.basename(p)) and not files.is_base_name(os.path.basename(p))]
        named_bases = [p for p in paths if files.is_base_name(os.path.basename(p)) and os.path.isfile(p)]
        if named_bases:
            if project is None:
                from ..load.project import Project

                project = Project(cfg)
            found += pipeline.apps_of(named_bases, found, project)
    if not found and _any_missing():
        raise click.exceptions.Exit(2)
    if not found and required:  # a checklist of nothing would be a verdict about nothing
        raise _fail(f"no manifests found in {', '.join(paths) or '.'} (closeapp.yaml, *.closeapp.yaml, …); no checklist to show")
    if not found:
        click.echo("closeapp-lint: warning: no manifests found (closeapp.yaml, *.closeapp.yaml, …)", err=True)
    return found


def _error(line: str) -> None:
    click.echo(safe(line), err=True)


def _read_stdin(limit: int) -> bytes:
    return sys.stdin.buffer.read(limit + 1)


def _to_stdout(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


class Flags(NamedTuple):
    """Every flag of ``check`` and ``checklist``, as click parsed them: one frozen value."""

    paths: tuple[str, ...] = ()
    fmt: str = "text"
    extra_outputs: tuple[str, ...] = ()
    strict: bool = False
    exit_zero: bool = False
    checklist: bool | None = None
    fix: bool = False
    show_diff: bool = False
    statistics: bool = False
    quiet: bool = False
    silent: bool = False
    show_files: bool = False
    show_settings: bool = False
    select: str | None = None
    ignore: str | None = None
    extend_select: str | None = None
    config_file: str | None = None
    isolated: bool = False
    force_exclude: bool = False
    output: str | None = None
    stdin_filename: str | None = None
    color: str = "auto"
    jobs: int = 0
    check_urls: bool = False
    allow_private_urls: bool = False
    url_timeout: float = URL_TIMEOUT
    url_budget: float = URL_BUDGET
    ca_bundle: str | None = None

    def resolve_config(self) -> config.Config:
        overrides = config.Overrides(
            select=_selectors(self.select) if self.select is not None else None,
            ignore=_selectors(self.ignore),
            extend_select=_selectors(self.extend_select),
            force_exclude=self.force_exclude or None,
        )
        try:
            return config.resolve(config_file=self.config_file, isolated=self.isolated, cwd=os.getcwd(), overrides=overrides)
        except config.ConfigError as exc:
            raise _fail(str(exc)) from None

    def run(self, cfg: config.Config, *, required: bool = False) -> pipeline.Input:
        """What to read: the discovered paths, and standard input read in one place; a
        required run (the checklist) is about manifests only."""
        return pipeline.Input(_discover(self.paths, cfg, required=required, manifests=required), cfg, self.stdin_filename, _read_stdin)

    def options(self) -> pipeline.Options:
        return pipeline.Options(
            jobs=self.jobs,
            urls=self.network(),
            fix=self.fix,
            diff=self.show_diff,
            root=files.repository_root() if self.fix else ".",
            write_stdin=_to_stdout,
        )

    def network(self) -> Settings | None:
        """netcheck.Settings when --check-urls is on (the other network flags need it)."""
        if not self.check_urls:
            if self.allow_private_urls or self.ca_bundle:
                raise _fail("--allow-private-urls and --ca-bundle only apply with --check-urls")
            return None
        from ..run.netcheck import Settings

        return Settings(timeout=self.url_timeout, budget=self.url_budget, allow_private=self.allow_private_urls, ca_bundle=self.ca_bundle)


@contextmanager
def _sink(output: str | None, color: bool, *, silent: bool = False) -> Iterator[Callable[[str], None]]:
    """Where a report goes: stdout, stderr ("-": stdout carries a fixed manifest), nowhere
    (--silent), or a file that is replaced atomically when the report is complete."""
    if silent and output is None:
        yield lambda text: None
        return
    if output is None or output == "-":
        # click would strip colour off a non-terminal unless told
        yield lambda text: click.echo(text, nl=False, color=color, err=output == "-")
        return
    _ready_to_write(output, f"--output {output}")
    with files.atomic_writer(output, root=files.repository_root()) as fh:  # the rename replaces a path, never follows a link

        def write(text: str) -> None:
            fh.write(text.encode("utf-8"))

        yield write


def _ready_to_write(path: str, given: str) -> None:
    """The folders of a report file made (as ruff does), or a usage error naming why not."""
    problem = files.prepare_output(path)
    if problem is not None:
        raise _fail(f"{given}: {problem}")


def _write(text: str, output: str | None, *, color: bool = False) -> None:
    with _sink(output, color) as write:
        write(text)


def _check(flags: Flags, cfg: config.Config) -> int:
    """Lint (or fix, or diff) once and write every report: the main one and each
    --output-format file, file by file as the results arrive; the exit code."""
    from ..reporters import writer

    extra = _extra_outputs(flags.extra_outputs)
    run, options = flags.run(cfg), flags.options()
    found = pipeline.reports(run, options, on_error=_error)
    if flags.show_diff:
        return _diff(found, flags.output)
    output = "-" if flags.fix and "-" in flags.paths and flags.output is None else flags.output  # stdout carries the fixed manifest
    use_color = output is None and not flags.silent and _color(flags.color, sys.stdout)
    shown = Options(color=use_color, checklist=flags.checklist, cwd=os.getcwd(), quiet=flags.quiet)
    fixes = _FixTally()
    if flags.fix:
        found = fixes.count(found)
    with ExitStack() as stack:
        main_sink = stack.enter_context(_sink(output, use_color, silent=flags.silent))
        plain = shown._replace(color=False, quiet=False)
        outs = [writer(fmt, plain, stack.enter_context(_sink(path, False)), __version__) for fmt, path in extra]
        if flags.statistics:
            counted = Statistics()
            outs.append(counted)
        else:
            outs.append(writer(flags.fmt, shown, main_sink, __version__))
        summary, failed = pipeline.write(found, outs)
        if flags.statistics:
            main_sink(counted.render(flags.fmt))
    if flags.fix:
        fixes.tell()
    return _exit_code(summary, failed, strict=flags.strict, exit_zero=flags.exit_zero)


class _FixTally:
    """--fix: the fixes applied and the files they changed, said once at the end; a file
    whose fix was refused says why as it passes."""

    def __init__(self) -> None:
        self.applied = self.changed = 0

    def count(self, found: Iterator[FileReport]) -> Iterator[FileReport]:
        for report in found:
            if report.notice:
                click.echo(f"closeapp-lint: {safe(report.path)}: {report.notice}", err=True)
            self.applied, self.changed = self.applied + report.fixed, self.changed + bool(report.fixed)
            yield report

    def tell(self) -> None:
        applied, changed = self.applied, self.changed
        click.echo(f"closeapp-lint: fixed {applied} finding{'s' if applied != 1 else ''} in {changed} file{'s' if changed != 1 else ''}", err=True)


def _diff(found: Iterator[FileReport], output: str | None) -> int:
    """--diff: the unified diff --fix would make (to ``output`` when given); exit 1 when there is one."""
    count, failed = 0, False
    with _sink(output, False) as write:
        for report in found:
            if report.diff:
                write(report.diff)
            count, failed = count + report.fixed, failed or bool(report.error)
    click.echo(f"closeapp-lint: {count} fix{'es' if count != 1 else ''} would be applied", err=True)
    return 2 if failed or _any_missing() else 1 if count else 0


def _exit_code(summary: Summary, failed: bool, *, strict: bool, exit_zero: bool) -> int:
    if failed or _any_missing():
        return 2
    if exit_zero:
        return 0
    return 1 if summary.errors or (strict and summary.warnings) else 0


_Command = TypeVar("_Command", bound=Callable[..., Any])


def _format(choices: list[str], text: str) -> Callable[[_Command], _Command]:
    """``--format``: one of ``choices``, text by default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default="text", show_default=True, help=text)


_CONFIG = [
    click.option("--config", "config_file", type=PathType(dir_okay=False), help="Use this config file (pyproject.toml or .closeapp-lint.toml)."),
    click.option("--isolated", is_flag=True, help="Ignore every config file."),
]


def _config_options(func: Any) -> Any:
    for option in reversed(_CONFIG):
        func = option(func)
    return func


def _common(func: Any) -> Any:
    for option in reversed(
        [
            click.argument("paths", nargs=-1),  # checked by discovery, once per path
            click.option("--select", metavar="CODES", help="Only these rules (codes, prefixes like CA2, or slugs; comma-separated)."),
            click.option("--ignore", metavar="CODES", help="Skip these rules."),
            click.option("--extend-select", metavar="CODES", help="Add these rules to the selection."),
            *_CONFIG,
            click.option("--force-exclude", is_flag=True, help="Apply 'exclude' to paths named on the command line too (as pre-commit passes them)."),
            click.option("--output", type=PathType(dir_okay=False), help="Write the report to this file (atomically) instead of stdout."),
            click.option("--stdin-filename", metavar="NAME", help="With PATH '-': the name to report standard input under."),
            click.option(
                "--color",
                type=click.Choice(["auto", "always", "never"]),
                default="auto",
                show_default=True,
                help="Colour output (auto: on a terminal; honours NO_COLOR, FORCE_COLOR, PRE_COMMIT_COLOR).",
            ),
            click.option(
                "--jobs",
                "-j",
                type=click.IntRange(min=0),
                default=0,
                show_default=True,
                help=f"Processes that lint: this one and N-1 helpers (0: from {PARALLEL_FROM} files on, one per core when the measured work pays for them).",
            ),
            click.option(
                "--check-urls",
                is_flag=True,
                help="Also check over the network that legal pages and the product link are live over valid TLS, and that the redirect host completes a verified TLS handshake (opt-in).",
            ),
            click.option("--allow-private-urls", is_flag=True, help="With --check-urls: connect to loopback and private addresses too (refused by default)."),
            click.option(
                "--url-timeout", type=click.FloatRange(min=0.1), default=URL_TIMEOUT, show_default=True, help="With --check-urls: seconds per request."
            ),
            click.option(
                "--url-budget", type=click.FloatRange(min=1), default=URL_BUDGET, show_default=True, help="With --check-urls: seconds for all URLs together."
            ),
            click.option(
                "--ca-bundle",
                type=PathType(exists=True, dir_okay=False),
                help="With --check-urls: extra trust anchors (PEM), e.g. for a TLS-inspecting proxy; SSL_CERT_FILE is honoured too.",
            ),
        ]
    ):
        func = option(func)
    return func


@main.command()
@_common
@_format(CHECK_FORMATS, "Report format.")
@click.option(
    "--output-format",
    "extra_outputs",
    multiple=True,
    metavar="FORMAT=PATH",
    help="Also write the report in FORMAT to PATH (repeatable), e.g. --output-format sarif=closeapp.sarif: lint once, report many ways.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (usage errors still exit 2).")
@click.option(
    "--checklist/--no-checklist",
    default=None,
    help="Text: the full checklist for every app (--checklist) or none (--no-checklist); default: a public app that is not ready, one line for a ready one.",
)
@click.option("--fix", is_flag=True, help="Apply safe fixes in place (only the bytes they must change), then report what remains.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff of what --fix would change; write nothing (exit 1 if there is a diff).")
@click.option("--statistics", is_flag=True, help="Instead of the findings, count them per rule ([*]: fixable with --fix); JSON with --format json.")
@click.option("--quiet", "-q", is_flag=True, help="Text: only the findings (no checklist, no summary).")
@click.option("--silent", is_flag=True, help="Print nothing; only the exit code tells (files named with --output/--output-format are still written).")
@click.option("--show-files", is_flag=True, help="List the files that would be linted (after config and exclude), then exit.")
@click.option("--show-settings", is_flag=True, help="Show the resolved configuration and where each value came from, then exit.")
def check(**values: Any) -> None:
    """Lint manifests: files, or folders searched for closeapp.yaml / *.closeapp.yaml (default: .)."""
    flags = Flags(**values)
    cfg = flags.resolve_config()
    if flags.show_files:
        for path in _discover(flags.paths, cfg):
            click.echo(safe(path))
        raise click.exceptions.Exit(2 if _any_missing() else 0)
    if flags.show_settings:
        click.echo(config.describe(cfg, config_file=flags.config_file, isolated=flags.isolated, cwd=os.getcwd()))
        raise click.exceptions.Exit(0)
    raise click.exceptions.Exit(_check(flags, cfg))


def _extra_outputs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """--output-format FORMAT=PATH, each checked before any work is done."""
    pairs = []
    for value in values:
        fmt, sep, path = value.partition("=")
        if not sep or not path or fmt not in FORMATS:
            raise _fail(f"--output-format {value!r}: write FORMAT=PATH with FORMAT one of {', '.join(CHECK_FORMATS)}")
        _ready_to_write(path, f"--output-format {value}")
        pairs.append((fmt, path))
    return pairs


@main.command("checklist")
@_common
@_format(CHECKLIST_FORMATS, "Checklist format.")
def checklist_command(**values: Any) -> None:
    """The publish-readiness checklist of each manifest; exit 1 unless every one is ready."""
    flags = Flags(**values)
    cfg = flags.resolve_config()
    run = flags.run(cfg, required=True)
    # The manifests' checklists (a base has none: its problems are each manifest's items).
    found = tuple(r for r in pipeline.reports(run, pipeline.Options(jobs=flags.jobs, urls=flags.network()), on_error=_error) if r.kind == MANIFEST)
    report = RunReport(found, __version__)
    use_color = flags.output is None and _color(flags.color, sys.stdout)
    _write(render_checklist(flags.fmt, report, Options(color=use_color, checklist=True, cwd=os.getcwd())), flags.output, color=use_color)
    raise click.exceptions.Exit(2 if any(f.error for f in found) or _any_missing() else (0 if report.summary.ready else 1))


@main.command()
@_format(["text", "json", "markdown"], "markdown: every rule's documentation (docs/rules.md).")
def rules(fmt: str) -> None:
    """List every rule: code, slug, severity, summary."""
    from ..rules.registry import all_rules, as_dict

    every = all_rules()
    if fmt == "markdown":
        from ..reporters.docs import rules_page

        click.echo(rules_page(every), nl=False)
        return
    if fmt == "json":
        import json

        click.echo(json.dumps([as_dict(r) for r in every], indent=2, ensure_ascii=False))
        return
    width = max(len(r.slug) for r in every)
    for r in every:
        click.echo(f"{r.code}  {r.slug.ljust(width)}  {r.level.ljust(13)}  {'fix' if r.fixable else '   '}  {r.summary}")


@main.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show one rule's documentation (by code or slug)."""
    from ..reporters.docs import explain_text
    from ..rules.registry import get

    found = get(rule)
    if found is None:
        from ..rules.registry import did_you_mean

        raise _fail(f"no rule {rule!r}{did_you_mean(rule)}")
    click.echo(explain_text(found), nl=False)


@main.command()
def schema() -> None:
    """Print the manifest's JSON Schema."""
    from ..judge.schema import schema_text

    click.echo(schema_text(), nl=False)


@main.command()
@click.argument("path", required=False, default="closeapp.yaml", type=PathType())
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a commented starter manifest (default: ./closeapp.yaml; '-': standard output)."""
    from pathlib import Path

    from .starter import STARTER

    if path == "-":
        click.echo(STARTER, nl=False)
        return
    target = Path(path) / "closeapp.yaml" if os.path.isdir(path) else Path(path)
    if not files.is_manifest_name(target.name):
        click.echo(
            f"closeapp-lint: warning: folder walks will not find {target.name}: they look for closeapp.yaml, closeapp.yml, "
            "*.closeapp.yaml and *.closeapp.yml; name the file on the command line, or rename it",
            err=True,
        )
    if target.exists() and not force:
        raise _fail(f"{target}: already exists; use --force to overwrite it")
    _ready_to_write(str(target), str(target))  # its folders made, as --output makes them (never through a symlink)
    starter = STARTER.replace("closeapp-lint checklist closeapp.yaml", f"closeapp-lint checklist {shell_quoted(str(target))}")
    try:
        files.write_atomic(str(target), starter.encode("utf-8"), root=files.repository_root())
    except OSError as exc:
        raise _fail(f"{target}: cannot be written: {exc.strerror}") from None
    click.echo(f"Wrote {target}. Replace the values marked REPLACE, then run: closeapp-lint checklist {shell_quoted(str(target))}")


@main.command("publish-request")
@click.argument("path", type=PathType())
@_format(PUBLISH_FORMATS, "The packet (text, markdown) or the listing e-mail (mailto, eml).")
@click.option("--output", type=PathType(dir_okay=False), help="Write it to this file (atomically) instead of stdout.")
@_config_options
def publish_request(path: str, fmt: str, output: str | None, config_file: str | None, isolated: bool) -> None:
    """The Make Public packet of one public, ready manifest, and its Integrations
    Directory e-mail; exit 1 with the failing checklist items when it is not ready."""
    from . import publish

    cfg = Flags(config_file=config_file, isolated=isolated).resolve_config()
    if not os.path.lexists(path):
        raise _fail(f"{path}: no such file or directory")
    if os.path.isdir(path):
        raise _fail(f"{path}: is a folder; name the one manifest to publish (a publication request is for one app)")
    if files.is_base_name(os.path.basename(path)):
        from ..load.project import Project

        apps = ", ".join(safe(shell_quoted(p)) for p in Project(cfg).children(path)) or "none in this repository"
        raise _fail(f"{path}: is a base, not an app; name the manifest to publish (the apps that extend it: {apps})")
    raw = files.read(path, cfg.max_file_size)
    report, doc = pipeline.lint_document(raw, path, cfg) if isinstance(raw, bytes) else (unreadable_report(path, raw), None)
    problem = publish.refusal(report, doc)
    if problem is not None:
        click.echo(problem, err=True)
        raise click.exceptions.Exit(1)
    assert doc is not None
    packet = publish.masked(publish.packet(doc), doc.texts)
    if fmt in ("mailto", "eml") and packet.email is None:
        raise _fail(f"{path}: has no listing, so there is no Integrations Directory e-mail to write (--format text or markdown: the Make Public packet)")
    problem = publish.header_problem(packet.email) if fmt in ("mailto", "eml") and packet.email is not None else None
    if problem is not None:
        click.echo(f"closeapp-lint: {safe(path)}: no e-mail draft: {problem}", err=True)
        raise click.exceptions.Exit(1)
    if fmt == "eml" and packet.email is not None:
        try:
            draft = publish.eml(packet.email)
        except publish.DraftError as exc:
            click.echo(f"closeapp-lint: {safe(path)}: no e-mail draft: {exc}", err=True)
            raise click.exceptions.Exit(1) from None
        _write_bytes(draft, output)
    elif fmt == "mailto" and packet.email is not None:
        _write(publish.mailto(packet.email), output)
    else:
        _write(publish.markdown(packet) if fmt == "markdown" else publish.text(packet), output)


def _write_bytes(data: bytes, output: str | None) -> None:
    if output is None or output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    _ready_to_write(output, f"--output {output}")
    files.write_atomic(output, data, root=files.repository_root())


@main.command("plan")
@click.argument("paths", nargs=-1)
@_format(["text", "markdown", "json"], "Plan format (markdown: for a job summary or a pull request).")
@click.option("--exit-code", "detailed", is_flag=True, help="Exit 1 when changes are pending, 0 when none are (2: a broken manifest or record, always).")
@click.option("--output", type=PathType(dir_okay=False), help="Write the plan to this file (atomically) instead of stdout.")
@_config_options
def plan_command(paths: tuple[str, ...], fmt: str, detailed: bool, output: str | None, config_file: str | None, isolated: bool) -> None:
    """What is still to change in Close, manifest by manifest, compared with the applied
    record beside each (closeapp.applied.json). Close itself is never read."""
    from . import plan

    cfg = Flags(config_file=config_file, isolated=isolated).resolve_config()
    from ..load.project import Project

    project = Project(cfg)  # one scan of the repository for the whole plan
    apps = [plan.for_manifest(path, cfg, project).app for path in _discover(paths, cfg, required=True, manifests=True, project=project)]
    _write({"markdown": plan.markdown, "json": plan.as_json}.get(fmt, plan.text)(apps), output)
    raise click.exceptions.Exit(2 if _any_missing() else plan.exit_code(apps, detailed=detailed))


@main.command("resolve")
@click.argument("path", type=PathType(dir_okay=False))
@_format(["text", "json"], "Output format.")
@_config_options
def resolve_command(path: str, fmt: str, config_file: str | None, isolated: bool) -> None:
    """Print a manifest merged with the bases it extends, each value with the file and
    line that set it (credentials masked). Exit 1 when the chain of bases is broken (CA009,
    printed to stderr), 2 when the manifest cannot be read."""
    from . import resolve

    cfg = Flags(config_file=config_file, isolated=isolated).resolve_config()
    if not os.path.lexists(path):
        raise _fail(f"{path}: no such file or directory")
    found = resolve.resolve(path, cfg)
    for problem in found.problems:
        click.echo(f"{safe(found.path)}:{problem.span.line}:{problem.span.column}: {problem.code} {safe(problem.message)}", err=True)
    if found.merged is None:
        raise click.exceptions.Exit(2)
    click.echo(resolve.as_json(found) if fmt == "json" else resolve.text(found), nl=False)
    raise click.exceptions.Exit(1 if found.problems else 0)


@main.command("applied")
@click.argument("paths", nargs=-1)
@click.option("--yes", "-y", is_flag=True, help="Record without asking (for scripts; a terminal asks first).")
@click.option("--only", metavar="FIELDS", help=f"Record only these fields as applied (comma-separated: {', '.join(APPLIABLE)}).")
@click.option("--import", "import_", is_flag=True, help="Record an app that already exists in Close, as the manifest describes it (needs client_id).")
@click.option("--review-requested", is_flag=True, help="Record that you clicked Make Public and Close's review was requested.")
@click.option("--listing-requested", is_flag=True, help="Record that you e-mailed Close to list the app in the Integrations Directory.")
@click.option("--force", is_flag=True, help="Record even when the manifest has error-level findings.")
@_config_options
def applied_command(
    paths: tuple[str, ...],
    yes: bool,
    only: str | None,
    import_: bool,
    review_requested: bool,
    listing_requested: bool,
    force: bool,
    config_file: str | None,
    isolated: bool,
) -> None:
    """Record what you changed in Close (Settings → Developer → OAuth Apps) in the applied
    record beside each manifest, so that plan shows nothing pending. Run it on the default
    branch, after the change is merged; CI never runs it. Exit 0: recorded (or nothing to
    record); 1: not recorded (refused, declined, or no terminal to ask on without --yes);
    2: a manifest or its record is broken."""
    from .plan import Request, record

    fields = _only(only)
    if import_ and fields:
        raise _fail("--import records every field; leave out --only")
    cfg = Flags(config_file=config_file, isolated=isolated).resolve_config()
    request = Request(yes=yes, only=fields, import_=import_, review_requested=review_requested, listing_requested=listing_requested, force=force)
    codes = [record(path, cfg, request, say=_say, confirm=_confirm) for path in _discover(paths, cfg, required=True, manifests=True)]
    raise click.exceptions.Exit(2 if _any_missing() else max(codes, default=0))


def _only(value: str | None) -> tuple[str, ...]:
    fields = _selectors(value)
    for field in fields:
        if field not in APPLIABLE:
            from difflib import get_close_matches

            near = get_close_matches(field, APPLIABLE, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise _fail(f"--only {field!r}: not a field closeapp-lint records{hint} (one of {', '.join(APPLIABLE)})")
    return fields


def _say(line: str, *, err: bool = False) -> None:
    click.echo(line, err=err, nl=False)


def _confirm(question: str) -> bool | None:
    """A person's answer on a terminal; None when there is no terminal to ask on."""
    if not sys.stdin.isatty():
        return None
    return click.confirm(question, default=False, err=True)


@main.command()
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the only transport; accepted because LSP clients pass it).")
def server(stdio: bool) -> None:
    """Run the language server (LSP over standard input and output) for editors."""
    try:
        from ..server import serve
    except ImportError as exc:
        raise _fail(f"the language server needs pygls ({exc.name} is not installed): pip install 'closeapp-lint[lsp]'") from None
    serve()


def run() -> None:
    """Console-script entry point: never a traceback."""
    import gc

    gc.freeze()  # what is loaded by now lives for the whole run: keep it out of collections
    gc.enable()  # held off while the modules loaded (entry.run)
    try:
        main(prog_name="closeapp-lint")
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit as done:
        _leave(done)
    except Exception as exc:  # noqa: BLE001 - last line of defence
        click.echo(f"closeapp-lint: internal error: {safe(error_text(exc))}", err=True)
        sys.exit(2)


def _leave(done: SystemExit) -> None:
    """End the process with the exit code of a finished command, without tearing the
    interpreter down: freeing every object one by one costs a one-file run 3 % of its
    instructions (8 M), and a run of 1,000 files more, for nothing a user sees. Only when
    that is safe: standard output and error flushed, every file the command wrote closed
    (its ``with`` blocks have ended), no other thread running and no exit handler
    registered. Otherwise, the usual exit."""
    import atexit

    code = 0 if done.code is None else done.code
    threads = sys.modules.get("threading")
    exit_handlers = getattr(atexit, "_ncallbacks", lambda: 1)()  # logging, multiprocessing, … registered one: they run
    if not isinstance(code, int) or exit_handlers or (threads is not None and threads.active_count() > 1):
        raise done
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: the interpreter's exit says so, as before
        raise done from None
    os._exit(code)
