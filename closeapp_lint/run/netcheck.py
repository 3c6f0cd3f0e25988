"""Opt-in ``--check-urls``: are the legal pages and the product link live over valid TLS,
and does the redirect host complete a verified TLS handshake?

Only the standard library (``socket``, ``ssl``, ``http.client``, ``ipaddress``) is used.
Safety, because a manifest comes from a pull request and may be hostile:

* each host name is resolved once, every address is checked, and the connection goes
  to the address that was checked (no second lookup a hostile DNS answer could change),
  with SNI and certificate verification for the original host name;
* loopback, private, link-local, multicast and otherwise non-public addresses are
  refused without connecting, unless ``--allow-private-urls``;
* https only, at most 5 redirects, a body cap, a per-request timeout and a total budget,
  a fixed User-Agent, no cookies, no credentials; the redirect URL itself is never
  requested (only resolved and TLS-handshaken);
* each distinct URL is checked once per run, a few at a time, while the files are
  still being read and linted.

``Checker`` does the I/O; ``findings`` turns the outcomes into findings for one document
and is pure, so the core stays free of I/O.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..core.document import Document, field_name
from ..core.manifest import PAGES, REDIRECT, URL_BUDGET, URL_TIMEOUT, text_at
from ..core.model import WARNING, Finding
from ..core.records import NamedTuple
from ..rules.network import BY_CODE
from ..text.urls import analyze, ip_not_public

LEGAL = frozenset(PAGES[:2])
MAX_REDIRECTS = 5
BODY_CAP = 64 * 1024
THREADS = 8


class Target(NamedTuple):
    url: str
    handshake_only: bool  # the redirect URL: resolve and handshake, never request it


class Outcome(NamedTuple):
    code: str | None  # CA501–CA505, or None when the URL is fine
    message: str


class Settings(NamedTuple):
    timeout: float = URL_TIMEOUT
    budget: float = URL_BUDGET  # seconds for the whole run
    allow_private: bool = False
    ca_bundle: str | None = None


def targets(doc: Document) -> list[tuple[str, Target]]:
    """(pointer, target) for every URL field worth checking: well-formed https URLs."""
    found = []
    for pointer in (*PAGES, REDIRECT):
        url = text_at(doc, pointer)
        if url is None:
            continue
        verdict = analyze(url, allow_fragment=pointer != REDIRECT)
        if verdict.malformed is None and verdict.scheme == "https":
            found.append((pointer, Target(url, pointer == REDIRECT)))
    return found


def findings(doc: Document, outcomes: Mapping[Target, Outcome]) -> Iterator[Finding]:
    """Findings for the outcomes of this document's URLs: ``publish`` for the legal URLs,
    warnings for the others."""
    for pointer, target in targets(doc):
        outcome = outcomes.get(target)
        if outcome is None or outcome.code is None:
            continue
        finding = BY_CODE[outcome.code].finding(f"{field_name(pointer)}: {outcome.message}", doc.span(pointer), pointer)
        yield finding if pointer in LEGAL else finding._replace(severity=WARNING)


class Checker:
    """Checks URLs as they are submitted, while the files are still being linted: each
    distinct target once, a few at a time, all within one total budget."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._deadline = time.monotonic() + settings.budget
        self._context = _tls_context(settings.ca_bundle)
        self._pool = ThreadPoolExecutor(max_workers=THREADS)
        self._started: dict[Target, Future[Outcome]] = {}

    def submit(self, target: Target) -> Future[Outcome]:
        started = self._started.get(target)
        if started is None:
            started = self._started[target] = self._pool.submit(_check_one, target, self._settings, self._context, self._deadline)
        return started

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _tls_context(ca_bundle: str | None) -> ssl.SSLContext:
    context = ssl.create_default_context()  # system trust store; honours SSL_CERT_FILE
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)  # adds trust anchors (TLS-inspecting proxies)
    return context


class _Failed(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _check_one(target: Target, settings: Settings, context: ssl.SSLContext, deadline: float) -> Outcome:
    try:
        if target.handshake_only:
            host, port = _host_port(target.url, "CA501")
            addresses = _resolve(host, settings, deadline)
            _connect(host, port, addresses, context, _timeout(settings, deadline)).close()
            return Outcome(None, "TLS handshake verified")
        return _fetch(target.url, settings, context, deadline)
    except _Failed as failure:
        return Outcome(failure.code, failure.message)
    except Exception as exc:  # noqa: BLE001 - one URL must never end the whole run
        return Outcome("CA501", f"could not be checked ({type(exc).__name__})")


def _host_port(url: str, code: str) -> tuple[str, int]:
    """Host and port of ``url``; a URL that cannot be parsed (a port over 65535, a broken
    IPv6 literal) is a finding for that URL, not a crash of the run."""
    try:
        parts = urlsplit(url)
        return parts.hostname or "", parts.port or 443
    except ValueError as exc:
        raise _Failed(code, f"{_shown(url)} cannot be parsed ({exc})") from None


def _shown(url: str) -> str:
    """A URL for a message: without its query (which may hold a token), any credential in
    the rest masked (a redirect may lead to a path that holds one), and short."""
    from ..text.credentials import find_in_text, redact

    shown = url.split("?", 1)[0].split("#", 1)[0]
    found = find_in_text(shown)
    return (redact(shown, found) if found else shown)[:120]


def _timeout(settings: Settings, deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Failed("CA501", "not checked: the --check-urls time budget ran out")
    return min(settings.timeout, left)


def _lookup(host: str, timeout: float) -> list[Any]:
    """``getaddrinfo`` within ``timeout``: the lookup runs in a daemon thread, so a resolver
    that never answers costs the budget, not the run (the thread is left to finish)."""
    answer: list[Any] = []
    done = threading.Event()

    def ask() -> None:
        try:
            answer.append(socket.getaddrinfo(host, None, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)
        finally:
            done.set()

    threading.Thread(target=ask, name="closeapp-lint-resolve", daemon=True).start()
    if not done.wait(timeout):
        raise _Failed("CA501", f"{host} did not resolve within {timeout:g} s")
    if isinstance(answer[0], BaseException):
        raise _Failed("CA501", f"{host} does not resolve ({answer[0]})")
    return list(answer[0])


def _resolve(host: str, settings: Settings, deadline: float) -> list[str]:
    """One lookup within the time left; every address must be public (unless allowed).
    Connections go only to these addresses, in order."""
    infos = _lookup(host, _timeout(settings, deadline))
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise _Failed("CA501", f"{host} does not resolve")
    if not settings.allow_private:
        for address in addresses:
            if not _public_address(address):
                raise _Failed("CA505", f"{host} resolves to the non-public address {address}; not connected (--allow-private-urls to check it)")
    return addresses


def _public_address(address: str) -> bool:
    """Public, also through an IPv4 address an IPv6 one carries (NAT64, 6to4, Teredo,
    mapped and compatible forms) and not site-local."""
    return ip_not_public(ipaddress.ip_address(address.split("%", 1)[0])) is None


def _connect(host: str, port: int, addresses: list[str], context: ssl.SSLContext, timeout: float) -> ssl.SSLSocket:
    """A verified TLS connection to the first of the checked ``addresses`` that answers,
    with SNI and the certificate checked for ``host``."""
    raw, problem = None, f"{host} has no address"
    for address in addresses:
        try:
            raw = socket.create_connection((address, port), timeout=timeout)
            break
        except TimeoutError:
            problem = f"{host}:{port} did not answer within {timeout:g} s"
        except OSError as exc:
            problem = f"cannot connect to {host}:{port} ({exc.strerror or exc})"
    if raw is None:
        raise _Failed("CA501", problem)
    try:
        return context.wrap_socket(raw, server_hostname=host)
    except ssl.SSLCertVerificationError as exc:
        raw.close()
        raise _Failed("CA503", f"the TLS certificate of {host} is not valid: {exc.verify_message}") from None
    except (ssl.SSLError, OSError) as exc:
        raw.close()
        raise _Failed("CA503", f"the TLS handshake with {host} failed ({exc})") from None


def _abort(sock: socket.socket, fired: threading.Event) -> None:
    """End a request that ran past its deadline: the blocked read fails at once."""
    fired.set()
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def _fetch(url: str, settings: Settings, context: ssl.SSLContext, deadline: float) -> Outcome:
    import http.client

    for hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme.lower() != "https":
            raise _Failed("CA504", f"a redirect leads to {parts.scheme}:// ({_shown(url)}); every hop must stay on https://")
        host, port = _host_port(url, "CA502")
        addresses = _resolve(host, settings, deadline)
        timeout = _timeout(settings, deadline)
        tls = _connect(host, port, addresses, context, timeout)
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        connection.sock = tls  # already connected to the address that was checked
        # Socket timeouts bound each read, not the request: a server that trickles a byte
        # at a time would keep it alive forever. Close the socket at an absolute deadline.
        fired = threading.Event()
        guard = threading.Timer(min(timeout * 2, max(0.0, deadline - time.monotonic())), _abort, (tls, fired))
        guard.daemon = True
        guard.start()
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", path, headers={"User-Agent": f"closeapp-lint/{__version__}", "Accept": "text/html,*/*;q=0.5", "Connection": "close"})
            response = connection.getresponse()
            response.read(BODY_CAP)
            status, location = response.status, response.getheader("Location")
        except TimeoutError:
            raise _Failed("CA501", f"{host} did not answer within {timeout:g} s") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:
            if fired.is_set():
                raise _Failed("CA501", f"{host} did not finish answering within {timeout * 2:g} s") from None
            raise _Failed("CA501", f"{host} broke off the request ({type(exc).__name__})") from None
        finally:
            guard.cancel()
            connection.close()
        if fired.is_set():  # cut off mid-answer: what arrived is not the page
            raise _Failed("CA501", f"{host} did not finish answering within {timeout * 2:g} s")
        if 300 <= status < 400 and location:
            try:
                url = urljoin(url, location)
            except ValueError as exc:
                raise _Failed("CA502", f"a redirect leads to a URL that cannot be parsed ({exc})") from None
            continue
        if 200 <= status < 300:
            return Outcome(None, f"answered {status}" + (f" after {hop} redirect{'s' if hop != 1 else ''}" if hop else ""))
        raise _Failed("CA502", f"{_shown(url)} answered HTTP {status}; Close's reviewers will see an error page")
    raise _Failed("CA502", f"more than {MAX_REDIRECTS} redirects; the page never arrives")
