"""The effective configuration: one immutable object, validated when it is built."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from fnmatch import fnmatch, translate
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..core.escape import safe, slashed
from ..core.model import SEVERITIES
from ..core.records import NamedTuple
from ..rules import registry
from . import files
from .source import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from _typeshed import StrPath

MAX_FINDINGS_PER_FILE = 200


class Config(NamedTuple):
    select: frozenset[str] | None = None  # codes; None: the default rule set
    extend_select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    severity: tuple[tuple[str, str], ...] = ()  # (code, error|warning|info) overrides
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_findings: int = MAX_FINDINGS_PER_FILE
    root: str | None = None  # the config file's folder: exclude and per-file-ignores globs are relative to it
    force_exclude: bool = False  # apply exclude to named paths too

    def enabled(self, path: str) -> frozenset[str]:
        """The codes reported for ``path`` (parse-level codes are always on)."""
        return _enabled(self, self.relative(path) if self.per_file_ignores else "")

    def excluded(self, path: str) -> bool:
        """Whether ``path`` or a folder it is in matches ``exclude``."""
        if not self.exclude:
            return False
        parts = slashed(self.relative(path)).removeprefix("./").split("/")
        matches = _exclude_matcher(self.exclude)
        return any(matches("/".join(parts[:i])) for i in range(1, len(parts) + 1))

    def relative(self, path: str) -> str:
        """``path`` relative to the config file's folder (as ruff does), so the same
        config gives the same answer from any working directory; as given otherwise."""
        if self.root is None or path == "-":
            return path
        try:
            relative = slashed(os.path.relpath(os.path.abspath(path), self.root))
        except ValueError:  # another drive
            return path
        return path if relative.startswith("../") or relative == ".." else relative


@lru_cache(maxsize=1024)
def _enabled(config: Config, path: str) -> frozenset[str]:
    default = frozenset(r.code for r in registry.all_rules() if r.default)
    chosen = (default if config.select is None else config.select) | config.extend_select
    ignored = set(config.ignore)
    for pattern, codes in config.per_file_ignores:
        if _matches(path, pattern):
            ignored |= codes
    return frozenset(chosen - ignored) | registry.UNSUPPRESSIBLE


MAX_CONFIG_SIZE = 1024 * 1024  # a pyproject.toml or .closeapp-lint.toml larger than this is not a configuration
MAX_FILE_SIZE_CEILING = 16 * 1024 * 1024  # the most max-file-size may allow


def _wild_at(text: str) -> int:
    """Where the first glob wildcard (``*``, ``?``, ``[``) of ``text`` is; -1 without one."""
    return min((i for i in (text.find("*"), text.find("?"), text.find("[")) if i != -1), default=-1)


class _Globs:
    """Many globs, each matched against a whole string, compiled once. Globs are grouped
    by their first two literal characters (or, for those that start with a wildcard, by
    their last two), so a string is tried only against the few groups it could match,
    and each group is one regex: 40,000 globs cost a lookup, not 40,000 regex runs."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.exact: set[str] = set()
        heads: dict[str, list[str]] = {}
        tails: dict[str, list[str]] = {}
        rest: list[str] = []
        for pattern in dict.fromkeys(patterns):
            wild = _wild_at(pattern)
            if wild == -1:
                self.exact.add(pattern)
            elif wild >= 2:
                heads.setdefault(pattern[:2], []).append(pattern)
            elif _wild_at(pattern[-2:]) == -1 and not pattern.endswith("]"):
                tails.setdefault(pattern[-2:], []).append(pattern)
            else:
                rest.append(pattern)
        self.groups = {("head", key): group for key, group in heads.items()} | {("tail", key): group for key, group in tails.items()}
        if rest:
            self.groups[("rest", "")] = rest
        self.compiled: dict[tuple[str, str], re.Pattern[str]] = {}  # a group is compiled when a string first needs it

    def match(self, text: str) -> bool:
        if text in self.exact:
            return True
        for key in (("head", text[:2]), ("tail", text[-2:]), ("rest", "")):
            if key in self.groups:
                regex = self.compiled.get(key) or self.compiled.setdefault(key, _one_regex(self.groups[key]))
                if regex.match(text):
                    return True
        return False


def _one_regex(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("(?s:" + "|".join(f"(?:{translate(p)[4:-3]})" for p in patterns) + r")\Z")  # fnmatch's (?s:…)\Z bodies


@lru_cache(maxsize=64)
def _exclude_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a path (or a folder) matches an exclude glob: whole, by its last part, or
    by any tail of it that starts after a "/" (as fnmatch against "*/GLOB" would)."""
    globs = _Globs(patterns)

    def matches(prefix: str) -> bool:
        parts = prefix.split("/")
        return any(globs.match("/".join(parts[i:])) for i in range(len(parts)))

    return matches


def _matches(path: str, pattern: str) -> bool:
    """Glob match against the whole path or its file name (like ruff's per-file-ignores)."""
    path = slashed(path).removeprefix("./")
    return fnmatch(path, pattern) or fnmatch(path.rsplit("/", 1)[-1], pattern) or fnmatch(path, f"*/{pattern}")


DEFAULT = Config()


class ConfigError(Exception):
    """A bad configuration: reported as one line, exit code 2."""


CONFIG_FILES = (".closeapp-lint.toml", "pyproject.toml")


def stamp(start: StrPath) -> tuple[tuple[str, int, int], ...]:
    """The identity (path, modification time, size) of every config file that could apply
    from ``start`` upwards: it changes when one is edited, created or removed."""
    found = []
    for folder in files.upwards(start):
        for name in CONFIG_FILES:
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            found.append((path, info.st_mtime_ns, info.st_size))
    return tuple(found)


def find(start: StrPath) -> str | None:
    """The nearest config file from ``start`` upwards, to the filesystem root.

    In each folder ``.closeapp-lint.toml`` wins over ``pyproject.toml``; a
    pyproject.toml without ``[tool.closeapp-lint]`` is passed over. A repository root
    does not stop the walk (as with ruff)."""
    for folder in files.upwards(start):
        for name in CONFIG_FILES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and (name != "pyproject.toml" or _has_section(candidate)):
                return candidate
    return None


def _has_section(pyproject: str) -> bool:
    """Whether a pyproject.toml configures closeapp-lint. Never more than the size limit
    is read: a larger one that names the tool early is an error (said when it is read as
    the configuration); one that does not is not ours."""
    try:
        with open(pyproject, "rb") as fh:
            head = fh.read(MAX_CONFIG_SIZE + 1)
    except OSError:
        return False
    if b"closeapp-lint" not in head:
        return False
    return len(head) > MAX_CONFIG_SIZE or "closeapp-lint" in _read_toml(pyproject).get("tool", {})


def _read_toml(path: str) -> dict[str, Any]:
    import tomllib

    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CONFIG_SIZE + 1)
        if len(data) > MAX_CONFIG_SIZE:
            raise ConfigError(f"{path}: over {MAX_CONFIG_SIZE:,} bytes; not read as a configuration file")
        return tomllib.loads(data.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text") from None
    except RecursionError:  # tomllib nests arrays and tables by recursion
        raise ConfigError(f"{path}: not read: arrays or tables nested too deeply") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None


def read(path: str) -> dict[str, Any]:
    """The raw settings table of a config file."""
    data = _read_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("closeapp-lint")
        if table is None:
            raise ConfigError(f"{path}: has no [tool.closeapp-lint] table")
        return dict(table)
    return data


class Overrides(NamedTuple):
    """Settings from the command line; they win over files."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    force_exclude: bool | None = None


_NO_OVERRIDES = Overrides()


def build(settings: dict[str, Any], where: str, overrides: Overrides = _NO_OVERRIDES) -> Config:
    """Validate raw settings (from ``where``) row by row of SETTINGS, and merge the
    command line on top."""
    unknown = [k for k in settings if k not in _BY_KEY]
    if unknown:
        from difflib import get_close_matches  # only for a mistake

        hint = get_close_matches(unknown[0], KEYS, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        raise ConfigError(f"{where}: unknown key '{unknown[0]}'{suggestion} (allowed: {', '.join(KEYS)})")
    cfg = Config(**{_BY_KEY[key].field: _BY_KEY[key].parse(value, where) for key, value in settings.items()})
    return cfg._replace(
        select=_codes(overrides.select, "--select", "the command line") if overrides.select is not None else cfg.select,
        ignore=cfg.ignore | _codes(overrides.ignore, "--ignore", "the command line", disabling=True),
        extend_select=cfg.extend_select | _codes(overrides.extend_select, "--extend-select", "the command line"),
        force_exclude=overrides.force_exclude if overrides.force_exclude is not None else cfg.force_exclude,
    )


def _strings(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings, got {type(value).__name__}")
    return value


def _selectors(value: Any, key: str, where: str, *, disabling: bool = False) -> frozenset[str]:
    return _codes(_strings(value, key, where), key, where, disabling=disabling)


def _codes(selectors: Iterable[str], key: str, where: str, *, disabling: bool = False) -> frozenset[str]:
    """Expand selectors; when ``disabling``, one that names only CA001–CA005 is an error
    (a wider prefix such as CA0 is fine: the parse-level codes simply stay on)."""
    codes: set[str] = set()
    for selector in selectors:
        expanded = registry.expand_selector(selector)
        if expanded is None:
            hint = registry.did_you_mean(selector)
            if "did you mean" not in hint:
                hint = " (use a code like CA203, a prefix like CA2, or a slug; `closeapp-lint rules` lists them)"
            raise ConfigError(f"{where}: unknown rule selector '{selector}' in '{key}'{hint}")
        if disabling and expanded <= registry.UNSUPPRESSIBLE:
            raise ConfigError(f"{where}: '{selector}' in '{key}' cannot be disabled: CA001–CA005 decide whether a file can be read at all")
        codes |= expanded
    return frozenset(codes)


def _severity(table: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of rule → error|warning|info")
    result: dict[str, str] = {}
    for selector, level in table.items():
        if level not in SEVERITIES:
            raise ConfigError(f"{where}: severity of '{selector}' must be one of error, warning, info, got {level!r}")
        codes = _codes([selector], "severity", where)
        if codes & registry.UNSUPPRESSIBLE:
            raise ConfigError(f"{where}: the severity of CA001–CA005 cannot be changed ('{selector}' in 'severity')")
        result.update({code: str(level) for code in codes})
    return tuple(sorted(result.items()))


def _per_file(table: Any, where: str) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table of glob → list of rules")
    result = []
    for pattern, selectors in table.items():
        key = f"per-file-ignores.{pattern}"
        result.append((pattern, _codes(_strings(selectors, key, where), key, where, disabling=True)))
    return tuple(result)


def _flag(value: Any, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be true or false, got {value!r}")
    return value


def _size(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: 'max-file-size' must be a positive number of bytes, got {repr(value)[:40]}")
    if value > MAX_FILE_SIZE_CEILING:  # a repository's config must not let one file take gigabytes
        raise ConfigError(f"{where}: 'max-file-size' is at most {MAX_FILE_SIZE_CEILING:,} bytes ({MAX_FILE_SIZE_CEILING // 1024 // 1024} MiB), got {value:,}")
    return value


def _codes_shown(value: frozenset[str] | None) -> str:
    return f"the default rule set (every rule but the opt-in {_opt_in()})" if value is None else ", ".join(sorted(value)) or "none"


def _opt_in() -> str:
    """The rules outside the default set, as a list for people."""
    return ", ".join(r.code for r in registry.all_rules() if not r.default) or "none"


class Setting(NamedTuple):
    """One configuration key: how its value is checked and built, how --show-settings
    shows it, and the README's example and help. The default is the Config field's."""

    key: str  # as written in the file
    field: str  # of Config
    parse: Callable[[Any, str], Any]  # (the file's value, where it was read) -> the Config value, or ConfigError
    show: Callable[[Any], str]
    example: str  # a TOML value for the README; starting with a newline: the lines of a table of its own
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "select",
        "select",
        lambda v, where: _selectors(v, "select", where),
        _codes_shown,
        '["CA"]',
        f"codes, prefixes (CA2), slugs or ALL; default: every rule but the opt-in {_opt_in()}",
    ),
    Setting(
        "ignore",
        "ignore",
        lambda v, where: _selectors(v, "ignore", where, disabling=True),
        _codes_shown,
        '["name-implies-official"]',
        "CA001–CA005 can never be disabled",
    ),
    Setting("extend-select", "extend_select", lambda v, where: _selectors(v, "extend-select", where), _codes_shown, "[]", "added to select"),
    Setting(
        "severity",
        "severity",
        lambda v, where: _severity(v, where),
        lambda v: ", ".join(f"{c}={level}" for c, level in v) or "none",
        '{ CA305 = "error", partial-scopes = "info" }',
        "error | warning | info",
    ),
    Setting(
        "per-file-ignores",
        "per_file_ignores",
        lambda v, where: _per_file(v, where),
        lambda v: "; ".join(f"{glob}: {', '.join(sorted(c))}" for glob, c in v) or "none",
        '\n"apps/dev/*" = ["redirect-not-public"]',
        "glob → rules not reported for the files it matches",
    ),
    Setting(
        "exclude",
        "exclude",
        lambda v, where: tuple(_strings(v, "exclude", where)),
        lambda v: ", ".join(v) or "none",
        '["vendor", "fixtures/*"]',
        "globs skipped when walking folders",
    ),
    Setting(
        "force-exclude",
        "force_exclude",
        lambda v, where: _flag(v, "force-exclude", where),
        lambda v: str(v).lower(),
        "false",
        "true: skip excluded files even when named (--force-exclude)",
    ),
    Setting(
        "max-file-size",
        "max_file_size",
        lambda v, where: _size(v, where),
        lambda v: f"{v:,} bytes",
        "1048576",
        "bytes (default 1 MiB, at most 16 MiB)",
    ),
)
_BY_KEY = {s.key: s for s in SETTINGS}
KEYS = tuple(_BY_KEY)


def describe(cfg: Config, *, config_file: str | None, isolated: bool, cwd: StrPath) -> str:
    """--show-settings: the effective value of every setting and where it came from (a
    file, the command line, or the default)."""
    path = None if isolated else (config_file or find(cwd))
    from_file = read(path) if path is not None and os.path.isfile(path) else {}
    origin = path or ""
    default = Config()

    def source(setting: Setting, value: Any) -> str:
        if setting.key in from_file and value == setting.parse(from_file[setting.key], origin):
            return origin
        return "default" if value == getattr(default, setting.field) else "the command line"

    rows = [
        ("config file", origin or ("none (--isolated)" if isolated else "none found"), ""),
        ("root for globs", cfg.root or os.fspath(cwd), ""),
        *((s.key, s.show(getattr(cfg, s.field)), source(s, getattr(cfg, s.field))) for s in SETTINGS),
    ]
    width = max(len(name) for name, _, _ in rows)
    # Values and file names come from files a repository holds: never a raw control character.
    return "\n".join(f"{name.ljust(width)}  {safe(value)}" + (f"  ({safe(where)})" if where else "") for name, value, where in rows)


def example() -> str:
    """The README's example configuration: every setting of the table, with its help."""
    plain = [s for s in SETTINGS if not s.example.startswith("\n")]
    width = max(len(f"{s.key} = {s.example}") for s in plain)
    lines = ["[tool.closeapp-lint]", *(f"{s.key} = {s.example}".ljust(width) + f"  # {s.help}" for s in plain)]
    for s in SETTINGS:
        if s.example.startswith("\n"):  # a table of its own
            lines += ["", f"[tool.closeapp-lint.{s.key}]  # {s.help}", *s.example.strip().splitlines()]
    return "\n".join(lines) + "\n"


def resolve(*, config_file: str | None, isolated: bool, cwd: StrPath, overrides: Overrides) -> Config:
    """The effective configuration: ``--config`` wins, ``--isolated`` uses no file,
    otherwise the nearest config file; command-line settings go on top."""
    if isolated:
        return build({}, "the command line", overrides)
    path = config_file or find(cwd)
    if path is None:
        return build({}, "the command line", overrides)
    if config_file and not os.path.isfile(path):
        raise ConfigError(f"{config_file}: config file not found")
    return build(read(path), path, overrides)._replace(root=os.path.dirname(os.path.realpath(path)))
