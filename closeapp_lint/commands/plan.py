"""``closeapp-lint plan`` (SPEC §10), modelled on ``terraform plan``: for each manifest,
what a person still has to change in Close, compared with the applied record beside it.
Close itself is never read, and every rendering says so.

An app is one of: ``change`` (fields differ), ``create`` (no record, no client_id),
``not-recorded`` (no record but a client_id: it may exist in Close — ``applied --import``),
``replace`` (the record is of another Client ID: a different app, never "change Client
ID"), ``unchanged``, or ``broken`` (the manifest does not load, or its record is invalid:
exit 2 with ``--exit-code``, never blurred into "pending").
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from ..core.document import Document
from ..core.escape import json_text, md_code_span, md_fence, md_inline, safe, shell_quoted
from ..core.manifest import WHERE_IN_CLOSE, text_at
from ..core.model import FileReport
from ..core.records import NamedTuple
from ..judge import applied
from ..load import files
from ..load.config import Config
from ..load.project import Project
from ..run import pipeline

PENDING = ("change", "create", "not-recorded", "replace")
NOT_READ = "Close itself was not read."


class AppPlan(NamedTuple):
    manifest: str  # the manifest's path, as named
    record: str  # the applied record's path beside it
    action: str  # change | create | not-recorded | replace | unchanged | broken
    name: str | None
    client_id: str | None
    changes: tuple[applied.Change, ...] = ()
    recorded_client_id: str | None = None  # replace: the record's
    problem: str | None = None  # broken: why, one line


def plan_app(manifest: str, record_path: str, doc: Document | None, record: applied.Record | None, *, problem: str | None) -> AppPlan:
    """One manifest's plan. ``problem`` says why it is broken (the manifest does not load,
    or its record has a CA602 finding)."""
    name = text_at(doc, "/name") if doc is not None else None
    client_id = text_at(doc, "/client_id") if doc is not None else None
    if problem is not None or doc is None:
        return AppPlan(manifest, record_path, "broken", name, client_id, problem=problem or "the manifest cannot be read")
    if record is None and client_id:  # it may exist in Close already: its values there are not known
        return AppPlan(manifest, record_path, "not-recorded", name, client_id)
    if record is None:
        return AppPlan(manifest, record_path, "create", name, client_id, tuple(applied.changes(doc, None)))
    if applied.other_app(doc, record):  # every value goes into that other app
        return AppPlan(manifest, record_path, "replace", name, client_id, tuple(applied.changes(doc, None)), recorded_client_id=record.get("client_id"))
    changes = tuple(applied.changes(doc, record))
    return AppPlan(manifest, record_path, "change" if changes else "unchanged", name, client_id, changes)


class Planned(NamedTuple):
    """One manifest read, linted and compared, with what was read on the way."""

    app: AppPlan
    doc: Document | None
    report: FileReport | None
    beside: pipeline.Beside  # the applied record beside it, as read


def for_manifest(path: str, cfg: Config, project: Project | None = None) -> Planned:
    """Read, lint and compare one manifest with the record beside it (each read once).
    ``project``: the run's repository state, shared by every manifest of a plan, so the
    repository is scanned and each base read once per run, not once per manifest."""
    raw = files.read(path, cfg.max_file_size)
    beside = pipeline.record_beside(path, cfg)
    if not isinstance(raw, bytes):
        return Planned(plan_app(path, beside.path, None, None, problem=f"the manifest cannot be read: {raw.message}"), None, None, beside)
    report, doc = pipeline.lint_document(raw, path, cfg, beside=beside, project=project)
    problem = None
    chain = next((f for f in report.findings if f.code == "CA009"), None)
    if doc is None:
        first = report.findings[0] if report.findings else None
        problem = f"the manifest does not load: {first.code} {first.message}" if first else f"the manifest does not load: {report.error}"
    elif chain is not None:  # the app is not known: what its bases would supply is not (SPEC §11.1)
        problem = f"{path}:{chain.span.line}:{chain.span.column}: {chain.code} {chain.message}"
    elif beside.problems:
        p = beside.problems[0]
        problem = f"{beside.path}:{p.span.line}:{p.span.column}: {p.code} {p.message}"
    return Planned(plan_app(path, beside.path, doc, beside.record, problem=problem), doc, report, beside)


def counts(apps: list[AppPlan]) -> dict[str, int]:
    return {action: sum(1 for a in apps if a.action == action) for action in ("change", "create", "not-recorded", "replace", "unchanged", "broken")}


def exit_code(apps: list[AppPlan], *, detailed: bool) -> int:
    """2 for a broken manifest or record; with ``detailed`` (--exit-code) 1 when anything
    is pending, 0 when nothing is."""
    if any(a.action == "broken" for a in apps):
        return 2
    return 1 if detailed and any(a.action in PENDING for a in apps) else 0


def _short_id(client_id: str | None) -> str:
    """A Client ID as the plan names an app: whole — it is public (Close shows it on the
    app's page), and two that differ in the last character are two apps."""
    return client_id or "no client_id"


def _where(app: AppPlan, change: applied.Change) -> str:
    return f"{(change.file or app.manifest).rpartition('/')[2]}:{change.line}" if change.line else ""


def _headline(app: AppPlan) -> str:
    pending = len(app.changes)
    what = {
        "change": f"{pending} to change",
        "create": "to create",
        "not-recorded": f"not recorded: if this app exists in Close, run closeapp-lint applied --import {shell_quoted(app.manifest)}",
        "replace": f"replace: the record is of another app ({_short_id(app.recorded_client_id)}); this is a different app in Close",
        "unchanged": "no changes",
        "record": f"{pending} field{'s' if pending != 1 else ''} to record as applied in Close",
        "broken": f"broken: {app.problem}",
    }[app.action]
    name = json.dumps(" ".join(applied.masked(app.name).split())[:60], ensure_ascii=False) if app.name else "(no name)"
    return safe(f"{app.manifest} — {name} ({_short_id(app.client_id)}): {what}")


def _mark(change: applied.Change) -> str:
    return "+" if change.before == applied.MISSING else "~"


def _value_line(change: applied.Change, *, recording: bool = False) -> str:
    """The change as a plan shows it (what to do in Close), or as ``applied`` records it."""
    if change.key == "status":
        step = {"public": "click Make Public: Close reviews the app", "private": "make the app private again in Close"}.get(str(change.after), "")
        step = "" if recording else step
        moved = applied.shown(change.after) if change.before == applied.MISSING else f"{applied.shown(change.before)} → {applied.shown(change.after)}"
        return moved + (f"   ({step})" if step else "")
    if change.key == "listing_requested":
        if recording:
            return "requested" if change.after else "not requested"
        if change.after:
            return "e-mail Close to list the app (closeapp-lint publish-request --format eml)"
        return "ask Close to remove the app from the Integrations Directory"
    # Never cut: each value is what a person types into Close's form.
    if change.before == applied.MISSING:
        return applied.shown(change.after, FULL)
    if isinstance(change.before, str) and isinstance(change.after, str) and len(change.before.split()) > 3:
        # a description: the words that changed
        return word_diff(applied.masked(change.before), applied.masked(change.after), removed=lambda w: f"[-{w}-]", added=lambda w: f"{{+{w}+}}")
    return f"{applied.shown(change.before, FULL)} → {applied.shown(change.after, FULL)}"


FULL = 10_000  # characters of a value a plan shows (the schema allows 300 for a description)


def word_diff(before: str, after: str, *, removed: Callable[[str], str], added: Callable[[str], str], kept: Callable[[str], str] = str) -> str:
    """The words that changed between two values, each run of words shown by ``removed``,
    ``added`` or ``kept`` (text: ``git diff --word-diff=plain``'s [-old-] {+new+};
    markdown: struck through and bold)."""
    old, new = before.split(), after.split()
    out: list[str] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(removed(" ".join(old[a1:a2])))
        if op in ("insert", "replace"):
            out.append(added(" ".join(new[b1:b2])))
        if op == "equal":
            out.append(kept(" ".join(old[a1:a2])))
    return " ".join(out)


def _summary_line(apps: list[AppPlan]) -> str:
    n = counts(apps)
    parts = [
        f"{n['change']} app{'s' if n['change'] != 1 else ''} to change",
        f"{n['create']} to create",
        *([f"{n['replace']} to replace"] if n["replace"] else []),
        *([f"{n['not-recorded']} not recorded"] if n["not-recorded"] else []),
        f"{n['unchanged']} unchanged",
        *([f"{n['broken']} broken"] if n["broken"] else []),
    ]
    line = "Plan: " + ", ".join(parts) + "."
    pending = [a for a in apps if a.action in ("change", "create", "replace")]
    listing_only = [a for a in pending if a.action == "change" and all(c.key == "listing_requested" for c in a.changes)]
    fields = [a for a in pending if a not in listing_only]
    if fields:
        line += f" After changing them in Close ({WHERE_IN_CLOSE}): closeapp-lint applied {' '.join(shell_quoted(a.manifest) for a in fields)}"
    if listing_only:  # only the listing is pending: what records it is --listing-requested
        listed = " ".join(shell_quoted(a.manifest) for a in listing_only)
        line += f" After e-mailing Close for the listing (closeapp-lint publish-request --format eml): closeapp-lint applied --listing-requested {listed}"
    if n["create"] or n["replace"]:
        line += " (a new app first needs the Client ID Close shows, in its manifest as client_id)"
    return safe(line)


def text(apps: list[AppPlan]) -> str:
    lines = [line for app in apps for line in text_lines(app)]
    lines.append(_summary_line(apps))
    return "\n".join(lines) + "\n"


def text_lines(app: AppPlan) -> list[str]:
    """One app's block of the text plan (and a blank line after it)."""
    first = {
        "create": f"No applied record ({app.record}) — {NOT_READ}",
        "not-recorded": f"No applied record ({app.record}) — {NOT_READ}",
        "record": f"To record in {app.record} (nothing is written before you confirm) — {NOT_READ}",
    }.get(app.action, f"Compared with {app.record} — {NOT_READ}")
    lines = [safe(first), _headline(app)]
    width = max((len(c.label) for c in app.changes), default=0)
    for change in app.changes:
        where = _where(app, change)
        value = _value_line(change, recording=app.action == "record")
        lines.append(safe(f"  {_mark(change)} {change.label.ljust(width)}  {value}" + (f"   (set in {where})" if where else "")))
    lines.append("")
    return lines


def as_json(apps: list[AppPlan]) -> str:
    body = {
        "version": 1,
        "close_read": False,
        "apps": [_app_json(a) for a in apps],
        "summary": {**counts(apps), "pending": any(a.action in PENDING for a in apps)},
    }
    return json_text(json.dumps(body, indent=2, ensure_ascii=False)) + "\n"  # a lone surrogate or a bidi control of a record: escaped


def _plain(value: Any) -> Any:
    """A value for the JSON plan: a string with any credential masked."""
    return applied.masked(value) if isinstance(value, str) else value


def _app_json(app: AppPlan) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "manifest": safe(app.manifest),
        "record": safe(app.record),
        "action": app.action,
        "name": _plain(app.name),
        "client_id": app.client_id,
        "changes": [
            {
                "field": c.key,
                "label": c.label,
                "before": None if c.before == applied.MISSING else _plain(c.before),
                "recorded": c.before != applied.MISSING,
                "after": _plain(c.after),
                "line": c.line,
                **({"file": c.file} if c.file else {}),  # the base that sets it (SPEC §11)
            }
            for c in app.changes
        ],
    }
    if app.recorded_client_id:
        entry["recorded_client_id"] = app.recorded_client_id
    if app.problem:
        entry["problem"] = app.problem
    return entry


# -- markdown ---------------------------------------------------------------------------


def markdown(apps: list[AppPlan]) -> str:
    lines = ["## closeapp-lint plan", "", f"Compared with each manifest's applied record — {NOT_READ}", ""]
    quiet = [a for a in apps if a.action == "unchanged"]
    for app in (a for a in apps if a.action != "unchanged"):
        lines += [f"### {md_inline(_headline(app))}", ""]
        for change in app.changes:
            where = _where(app, change)
            head = f"**{change.label}**" + (f" (set in {md_code_span(where)})" if where else "")
            if change.key in ("status", "listing_requested"):
                lines += [f"- {head}: {md_inline(_value_line(change))}"]
                continue
            was = "" if change.before == applied.MISSING else f" — was {md_inline(applied.shown(change.before))}"
            lines += [f"- {head}{was}", ""]
            if change.key == "description" and isinstance(change.before, str) and change.before != applied.MISSING and isinstance(change.after, str):
                diff = word_diff(
                    applied.masked(change.before),
                    applied.masked(change.after),
                    removed=lambda w: f"~~{md_inline(w)}~~",
                    added=lambda w: f"**{md_inline(w)}**",
                    kept=md_inline,
                )
                lines += [f"  {diff}", ""]
            lines += ["  " + line for line in md_fence(applied.masked(str(change.after)) if change.after is not None else "", "text")] + [""]
        lines.append("")
    if quiet:
        lines += [f"<details><summary>{len(quiet)} unchanged app{'s' if len(quiet) != 1 else ''}</summary>", ""]
        lines += [f"- {md_inline(_headline(a))}" for a in quiet]
        lines += ["", "</details>", ""]
    lines.append(md_inline(_summary_line(apps)).replace("Plan:", "**Plan:**", 1))
    return "\n".join(lines) + "\n"


# -- closeapp-lint applied ---------------------------------------------------------------


class Request(NamedTuple):
    """What a person says they did in Close (the flags of ``applied``)."""

    yes: bool = False
    only: tuple[str, ...] = ()
    import_: bool = False
    review_requested: bool = False
    listing_requested: bool = False
    force: bool = False


Say = Callable[..., None]  # (text, *, err=False): print
Confirm = Callable[[str], "bool | None"]  # a person's answer; None: no terminal to ask on


def record(path: str, cfg: Config, request: Request, *, say: Say, confirm: Confirm) -> int:
    """``applied`` for one manifest: show what would be recorded, ask (or take --yes), and
    write the record atomically; the exit code (0 recorded or nothing to record, 1
    refused, 2 broken)."""
    app, doc, report, beside = for_manifest(path, cfg)
    name = safe(path)
    if doc is None or (app.action == "broken" and not request.import_):
        say(f"closeapp-lint: {name}: not recorded: {safe(app.problem or 'the manifest cannot be read')}\n", err=True)
        return 2
    refusal = _refusal(path, doc, app, report.app_errors if report is not None else 0, request)
    if refusal is not None:
        say(f"closeapp-lint: {name}: not recorded: {refusal}\n", err=True)
        return 1
    previous = None if request.import_ else beside.record
    values = applied.updated(
        doc, os.path.basename(path), previous, only=request.only, review_requested=request.review_requested, listing_requested=request.listing_requested
    )
    holding = applied.credentials_in(values)
    if holding:
        say(f"closeapp-lint: {name}: not recorded: {', '.join(holding)} holds a credential (CA411); it is never copied into the record\n", err=True)
        return 1
    if previous is not None and previous.values == values:
        say(f"closeapp-lint: {name}: nothing to record: {safe(beside.path)} already says so\n", err=True)
        return 0
    recorded = AppPlan(path, beside.path, "record", app.name, app.client_id, tuple(applied.recorded(doc, previous, values)))
    say("\n".join(text_lines(recorded)) + "\n")
    for warning in _warnings(path, doc.base_paths):
        say(f"closeapp-lint: warning: {warning}\n", err=True)
    if not request.yes:
        answer = confirm(f"Record these as applied in Close in {safe(beside.path)}?")
        if answer is None:
            say(f"closeapp-lint: {name}: not recorded: not a terminal; review the changes above, then run again with --yes\n", err=True)
            return 1
        if not answer:
            say("closeapp-lint: nothing recorded\n", err=True)
            return 1
    if files.leaves_root(beside.path, root=files.repository_root()):
        say(f"closeapp-lint: {safe(beside.path)}: not written: it leads outside the repository through a symlink\n", err=True)
        return 1
    try:
        files.write_atomic(beside.path, applied.dumps(values).encode("utf-8"), root=files.repository_root())
    except files.LeavesRoot:  # its folder was swapped for a symlink since the check
        say(f"closeapp-lint: {safe(beside.path)}: not written: it leads outside the repository through a symlink\n", err=True)
        return 1
    say(f"closeapp-lint: recorded {safe(beside.path)}\n", err=True)
    if isinstance(doc.data.get("listing"), dict) and not values["listing_requested"]:
        say(
            "closeapp-lint: the listing is still to request: e-mail Close (closeapp-lint publish-request --format eml), then run applied --listing-requested\n",
            err=True,
        )
    return 0


def _refusal(path: str, doc: Document, app: AppPlan, errors: int, request: Request) -> str | None:
    """Why ``applied`` refuses this manifest, or None."""
    if errors and not request.force:
        return f"it has {errors} error-level finding{'s' if errors != 1 else ''}; fix them first (closeapp-lint check {safe(shell_quoted(path))}), or --force to record what you applied anyway"
    if not text_at(doc, "/client_id"):
        return "no client_id; Close shows the Client ID once the app is created: add it to the manifest as client_id, then run applied again"
    if app.action == "replace" and not request.import_:
        return f"the record is of another app ({_short_id(app.recorded_client_id)}); --import records this app in its place"
    if request.review_requested and doc.data.get("visibility") != "public":
        return "--review-requested: the manifest is private; Close reviews an app when it is made public"
    if request.listing_requested and not isinstance(doc.data.get("listing"), dict):
        return "--listing-requested: the manifest has no listing section"
    return None


def _warnings(path: str, bases: tuple[str, ...] = ()) -> list[str]:
    """Apply after merge, from the default branch: say so when that is not where we are —
    for the manifest and for every base its app inherits from."""
    state = files.git_state(path)
    if state is None:
        return []
    uncommitted_bases = [base for base in bases if files.uncommitted(base)]  # in the manifest's repository (a base never leaves it)
    found = []
    if state.default and state.branch and state.branch != state.default:
        found.append(
            f"you are on branch {safe(state.branch)}, not {safe(state.default)}: record what you applied in Close after the change is merged, from {safe(state.default)}"
        )
    if state.uncommitted:
        found.append(f"{safe(path)} has uncommitted changes: the record will describe a manifest git does not have yet")
    for base in uncommitted_bases:
        found.append(f"{safe(base)}, a base {safe(path)} inherits from, has uncommitted changes: the record will describe values git does not have yet")
    return found
