"""--check-urls against real TLS servers on 127.0.0.1, started here with a test CA."""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import pytest
import trustme
from click.testing import CliRunner

from closeapp_lint.commands.cli import main

from .conftest import VALID

TOKEN_IN_PATH = "api_4fT9kLmN2pQ8rStU7vWx1Y.Zb3Cd5Ef7Gh9Jk1Lm3Np5Q"


class Server:
    """An HTTPS server that records every connection and every request."""

    def __init__(self, cert: trustme.LeafCert) -> None:
        self.requests: list[str] = []
        self.agents: dict[str, str] = {}  # path -> User-Agent
        self.connections = 0
        self.trickled = 0  # bytes the slow-loris route sent before the client hung up
        self.trickle_done = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                owner.agents[self.path] = self.headers.get("User-Agent", "")
                port, route = owner.port, self.path.split("?", 1)[0]
                if route == "/slow":
                    time.sleep(2)
                if route.startswith("/r/"):
                    left = int(route[3:])
                    self._answer(302, {"Location": f"/r/{left - 1}" if left > 1 else "/ok"})
                elif route == "/down":
                    self._answer(301, {"Location": f"http://localhost:{port}/ok"})
                elif route == "/missing":
                    self._answer(404)
                elif route == "/badport":
                    self._answer(302, {"Location": "https://localhost:99999/ok"})
                elif route == "/badv6":
                    self._answer(302, {"Location": "https://[zz/ok"})
                elif route == "/tokenpath":  # a redirect to a path that holds a Close API key
                    self._answer(302, {"Location": f"/gone/{TOKEN_IN_PATH}/x"})
                elif route.startswith("/gone/"):
                    self._answer(404)
                elif route == "/leak":
                    self._answer(404 if "api_key" in self.path else 200)
                elif route == "/trickle":  # slow loris: a byte every 0.2 s, each read within the timeout
                    owner.trickled = 0
                    try:
                        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                        for _ in range(100):
                            self.wfile.write(b"X")
                            self.wfile.flush()
                            owner.trickled += 1
                            time.sleep(0.2)
                    except OSError:
                        pass  # the client hung up: what the test waits for
                    finally:
                        owner.trickle_done.set()
                else:
                    self._answer(200)

            def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        class Counting(ThreadingHTTPServer):
            daemon_threads = True

            def get_request(self) -> tuple[socket.socket, Any]:
                sock, address = super().get_request()
                owner.connections += 1
                return sock, address

        self.httpd = Counting(("127.0.0.1", 0), Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str, host: str = "localhost") -> str:
        return f"https://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture(scope="module")
def good(ca: trustme.CA) -> Iterator[Server]:
    server = Server(ca.issue_cert("localhost", "127.0.0.1"))
    yield server
    server.httpd.shutdown()


@pytest.fixture(scope="module")
def wrong_host(ca: trustme.CA) -> Iterator[Server]:
    server = Server(ca.issue_cert("other.tidewater.dev"))
    yield server
    server.httpd.shutdown()


@pytest.fixture(scope="module")
def expired(ca: trustme.CA) -> Iterator[Server]:
    now = datetime.datetime.now(datetime.UTC)
    server = Server(ca.issue_cert("localhost", not_before=now - datetime.timedelta(days=30), not_after=now - datetime.timedelta(days=1)))
    yield server
    server.httpd.shutdown()


def settled(condition: Any, seconds: float = 2.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the server never saw it"
        time.sleep(0.01)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manifest(folder: Path, *, terms: str, privacy: str | None = None, product: str | None = None, redirect: str | None = None) -> Path:
    origin = terms.split("/", 3)
    redirect = redirect or f"{origin[0]}//{origin[2]}/oauth/close/callback"  # the terms server, by default
    text = VALID.replace("redirect_url: https://app.tidewater.dev/oauth/close/callback", f"redirect_url: {redirect}")
    text += f"terms_of_service_url: {terms}\nprivacy_policy_url: {privacy or terms.replace('terms', 'privacy') + '?p'}\nvisibility: public\n"
    if product:
        text += f"client_id: oa2client_0123456789abcdefABCDEF\nlisting:\n  product_url: {product}\n  summary: Creates invoices.\n"
    path = folder / "closeapp.yaml"
    path.write_text(text)
    return path


def net_findings(path: Path, *extra: str) -> list[tuple[str, str, str]]:
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "--select", "CA5", "--check-urls", "--url-timeout", "0.5", *extra, str(path)], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.stderr
    return [(f["code"], f["pointer"], f["severity"]) for f in json.loads(result.stdout)["files"][0]["findings"]]


def test_live_page_and_redirect_chain(tmp_path: Path, good: Server, ca_file: str) -> None:
    path = manifest(tmp_path, terms=good.url("/ok"), privacy=good.url("/r/3"), product=good.url("/r/5"))
    assert net_findings(path, "--allow-private-urls", "--ca-bundle", ca_file) == []
    assert "/r/1" in good.requests


@pytest.mark.parametrize(
    ("path", "code"),
    [("/missing", "CA502"), ("/r/6", "CA502"), ("/down", "CA504"), ("/slow", "CA501")],
)
def test_page_failures(tmp_path: Path, good: Server, ca_file: str, path: str, code: str) -> None:
    target = manifest(tmp_path, terms=good.url(path), privacy=good.url("/ok"))
    assert net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file) == [(code, "/terms_of_service_url", "error")]


def test_bad_redirect_targets_are_findings_not_crashes(tmp_path: Path, good: Server, ca_file: str) -> None:
    target = manifest(tmp_path, terms=good.url("/badport"), privacy=good.url("/badv6"))
    result = CliRunner().invoke(
        main, ["check", "--format", "json", "--select", "CA5", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, str(target)]
    )
    assert result.exit_code == 1, result.output
    found = {f["pointer"]: (f["code"], f["message"]) for f in json.loads(result.stdout)["files"][0]["findings"]}
    assert found["/terms_of_service_url"][0] == found["/privacy_policy_url"][0] == "CA502"
    assert "cannot be parsed" in found["/terms_of_service_url"][1] and "cannot be parsed" in found["/privacy_policy_url"][1]


def test_slow_loris_is_cut_at_an_absolute_deadline(tmp_path: Path, good: Server, ca_file: str) -> None:
    target = manifest(tmp_path, terms=good.url("/trickle"), privacy=good.url("/ok?loris"))
    good.trickle_done.clear()
    found = net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file)
    assert found == [("CA501", "/terms_of_service_url", "error")]
    assert good.trickle_done.wait(60), "the server never noticed the client hang up"
    # Counted, not timed: the trickle would send 100 bytes over 20 s; the deadline (2 × 0.5 s)
    # cut it after a few (each byte 0.2 s apart, one or two more written into the closed socket).
    assert good.trickled < 30, good.trickled


def test_a_credential_in_a_redirect_path_is_masked(tmp_path: Path, good: Server, ca_file: str) -> None:
    target = manifest(tmp_path, terms=good.url("/tokenpath"), privacy=good.url("/ok"))
    result = CliRunner().invoke(
        main, ["check", "--format", "concise", "--select", "CA5", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, str(target)]
    )
    assert "CA502" in result.stdout and "/gone/api_" in result.stdout, result.stdout
    assert TOKEN_IN_PATH[4:] not in result.stdout and TOKEN_IN_PATH[4:12] not in result.stdout


def test_query_strings_are_not_echoed(tmp_path: Path, good: Server, ca_file: str) -> None:
    target = manifest(tmp_path, terms=good.url("/leak?api_key=${NOT_A_SECRET_BUT_A_TOKEN_SLOT}&x=1"), privacy=good.url("/leak?user=1&api_key=k3yV4lu3-Zz9"))
    result = CliRunner().invoke(
        main, ["check", "--format", "concise", "--select", "CA5", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, str(target)]
    )
    assert "CA502" in result.stdout and "k3yV4lu3" not in result.stdout and "NOT_A_SECRET" not in result.stdout


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",
        "64:ff9b::a00:1",
        "::7f00:1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",
        "2002:c0a8:101::1",
        "fec0::1",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    ],
)
def test_addresses_that_carry_private_ipv4_are_not_public(address: str) -> None:
    from closeapp_lint.run.netcheck import _public_address
    from closeapp_lint.text.urls import classify_host

    assert not _public_address(address)
    assert classify_host(address) is not None


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_stay_public(address: str) -> None:
    from closeapp_lint.run.netcheck import _public_address

    assert _public_address(address)


def test_product_url_failures_are_warnings(tmp_path: Path, good: Server, ca_file: str) -> None:
    target = manifest(tmp_path, terms=good.url("/ok"), privacy=good.url("/ok?x"), product=good.url("/missing"))
    assert net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file) == [("CA502", "/listing/product_url", "warning")]


def test_wrong_host_and_expired_certificates(tmp_path: Path, wrong_host: Server, expired: Server, ca_file: str) -> None:
    target = manifest(tmp_path, terms=wrong_host.url("/ok"), privacy=expired.url("/ok"))
    assert net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file) == [
        ("CA503", "/redirect_url", "warning"),
        ("CA503", "/terms_of_service_url", "error"),
        ("CA503", "/privacy_policy_url", "error"),
    ]
    result = CliRunner().invoke(
        main, ["check", "--format", "concise", "--select", "CA5", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, str(target)]
    )
    assert "certificate has expired" in result.stdout and "Hostname mismatch" in result.stdout


def test_unknown_ca_without_bundle(tmp_path: Path, good: Server) -> None:
    target = manifest(tmp_path, terms=good.url("/ok"), privacy=good.url("/ok?b"))
    assert net_findings(target, "--allow-private-urls") == [
        ("CA503", "/redirect_url", "warning"),
        ("CA503", "/terms_of_service_url", "error"),
        ("CA503", "/privacy_policy_url", "error"),
    ]


def test_ssl_cert_file_is_honoured(tmp_path: Path, good: Server, ca_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    target = manifest(tmp_path, terms=good.url("/ok?ssl"), privacy=good.url("/ok?ssl2"))
    assert net_findings(target, "--allow-private-urls") == []


def test_closed_port(tmp_path: Path, ca_file: str) -> None:
    port = closed_port()
    target = manifest(tmp_path, terms=f"https://localhost:{port}/terms", privacy=f"https://127.0.0.1:{port}/privacy")
    assert net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file) == [
        ("CA501", "/redirect_url", "warning"),
        ("CA501", "/terms_of_service_url", "error"),
        ("CA501", "/privacy_policy_url", "error"),
    ]


def barrier(server: Server, ca_file: str) -> int:
    """Connect once and wait until the server has counted it: every connection made before
    is counted by then (the server accepts in order), so a count taken after a barrier is
    complete — no sleeping and hoping."""
    expected = server.connections + 1
    context = ssl.create_default_context(cafile=ca_file)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw, context.wrap_socket(raw, server_hostname="localhost"):
        pass
    settled(lambda: server.connections >= expected)
    return server.connections


def test_private_addresses_are_refused_without_connecting(tmp_path: Path, good: Server, ca_file: str) -> None:
    before_connections = barrier(good, ca_file)
    before_requests = len(good.requests)
    target = manifest(
        tmp_path,
        terms=good.url("/ok?private"),
        privacy=good.url("/ok?private2", host="127.0.0.1"),
        product=good.url("/ok?private3"),
        redirect=good.url("/callback"),
    )
    assert net_findings(target, "--ca-bundle", ca_file) == [
        ("CA505", "/redirect_url", "warning"),
        ("CA505", "/terms_of_service_url", "error"),
        ("CA505", "/privacy_policy_url", "error"),
        ("CA505", "/listing/product_url", "warning"),
    ]
    assert barrier(good, ca_file) == before_connections + 1  # the barrier's own connection, no other
    assert len(good.requests) == before_requests


def test_redirect_url_is_only_handshaken(tmp_path: Path, good: Server, expired: Server, ca_file: str) -> None:
    before_requests, before_connections = list(good.requests), good.connections
    target = manifest(tmp_path, terms=good.url("/ok?t"), privacy=good.url("/ok?p"), redirect=good.url("/oauth/close/callback"))
    assert net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file) == []
    assert "/oauth/close/callback" not in good.requests
    settled(lambda: good.connections == before_connections + 3)  # the server counts accepts on its own thread
    assert len(good.requests) == len(before_requests) + 2
    target = manifest(tmp_path, terms=good.url("/ok?t2"), redirect=expired.url("/cb"))
    assert net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file) == [("CA503", "/redirect_url", "warning")]


def test_each_distinct_url_is_fetched_once(tmp_path: Path, good: Server, ca_file: str) -> None:
    for i in range(5):
        (tmp_path / f"a{i}.closeapp.yaml").write_text(manifest(tmp_path, terms=good.url("/ok?once"), privacy=good.url("/ok?once2")).read_text())
    (tmp_path / "closeapp.yaml").unlink()
    result = CliRunner().invoke(main, ["check", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, "--select", "CA5", str(tmp_path)])
    assert result.exit_code == 0, result.stdout
    assert good.requests.count("/ok?once") == 1 and good.requests.count("/ok?once2") == 1


def test_no_network_by_default(tmp_path: Path, good: Server, ca_file: str) -> None:
    before = barrier(good, ca_file)
    target = manifest(tmp_path, terms=good.url("/ok?offline"))
    checked = CliRunner().invoke(main, ["check", "--format", "json", str(target)])
    listed = CliRunner().invoke(main, ["checklist", "--format", "json", str(target)])
    assert checked.exit_code == 1 and listed.exit_code == 1  # a localhost app: findings, not a crash
    assert "CA5" not in checked.stdout  # no network codes without --check-urls
    assert barrier(good, ca_file) == before + 1  # linting stays offline unless asked: only the barrier connected


def test_user_agent(tmp_path: Path, good: Server, ca_file: str) -> None:
    from closeapp_lint import __version__

    target = manifest(tmp_path, terms=good.url("/ok?agent"), privacy=good.url("/ok?agent2"))
    assert net_findings(target, "--allow-private-urls", "--ca-bundle", ca_file) == []
    settled(lambda: "/ok?agent" in good.agents)
    assert good.agents["/ok?agent"] == f"closeapp-lint/{__version__}"


def test_network_flags_need_check_urls(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--allow-private-urls", str(manifest(tmp_path, terms="https://t.dev/terms"))])
    assert result.exit_code == 2 and "only apply with --check-urls" in result.stderr


def test_checklist_command_checks_urls(tmp_path: Path, good: Server, ca_file: str) -> None:
    target = manifest(tmp_path, terms=good.url("/missing?cl"), privacy=good.url("/ok?cl"))
    result = CliRunner().invoke(main, ["checklist", "--format", "json", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, str(target)])
    items = {i["id"]: i for i in json.loads(result.stdout)["files"][0]["readiness"]["items"]}
    assert items["terms_of_service_url"]["status"] == "fail" and "CA502" in items["terms_of_service_url"]["codes"]


def test_each_file_is_parsed_once_and_text_streams_with_urls(tmp_path: Path, good: Server, ca_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import closeapp_lint.judge.engine
    import closeapp_lint.load.source
    import closeapp_lint.run.pipeline

    parsed: list[int] = []
    real = closeapp_lint.load.source.load

    def counting(raw: bytes, **kwargs: Any) -> Any:
        parsed.append(len(raw))
        return real(raw, **kwargs)

    monkeypatch.setattr(closeapp_lint.load.source, "load", counting)
    monkeypatch.setattr(closeapp_lint.judge.engine, "load", counting)
    monkeypatch.setattr(closeapp_lint.run.pipeline, "load", counting)
    for i in range(3):
        (tmp_path / f"a{i}.closeapp.yaml").write_text(manifest(tmp_path, terms=good.url(f"/missing?p{i}"), privacy=good.url("/ok?p")).read_text())
    (tmp_path / "closeapp.yaml").unlink()
    args = ["check", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, "--select", "CA5", "--format", "concise", str(tmp_path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert len(parsed) == 3  # one parse per file: the URLs are found in the document the rules lint
    assert [line.split(": ")[1].split(" ")[0] for line in result.stdout.splitlines() if "CA502" in line] == ["CA502"] * 3


def test_url_checks_keep_a_bounded_window_of_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports come out while later files are not read yet: memory does not grow with the run."""
    from concurrent.futures import Future

    from closeapp_lint.load.config import DEFAULT
    from closeapp_lint.run import netcheck, pipeline

    submitted: list[str] = []

    class Recorder:
        def __init__(self, settings: Any) -> None:
            pass

        def submit(self, target: netcheck.Target) -> Future[netcheck.Outcome]:
            submitted.append(target.url)
            done: Future[netcheck.Outcome] = Future()
            done.set_result(netcheck.Outcome(None, "fine"))
            return done

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    monkeypatch.setattr(netcheck, "Checker", Recorder)
    paths = []
    for i in range(pipeline.URL_WINDOW * 2):
        path = tmp_path / f"m{i}.closeapp.yaml"
        path.write_text(VALID.replace("tidewater.dev", f"t{i}.dev"))
        paths.append(str(path))
    reports = pipeline.reports(pipeline.Input(paths, DEFAULT), pipeline.Options(urls=netcheck.Settings()), on_error=print)
    first = next(reports)
    assert first.path == paths[0] and len(submitted) == pipeline.URL_WINDOW  # only the window's files are read so far
    assert len([first, *reports]) == len(paths) and len(submitted) == len(paths)


def test_environments_with_check_urls(tmp_path: Path, good: Server, ca_file: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """SPEC §11 with --check-urls: an inherited URL is fetched through the manifests and its
    failure reported once, on the base; the manifests are still compared with each other."""
    (tmp_path / ".git").mkdir()
    base = "manifest_version: 1\nname: Tidewater Deal Desk\ndescription: Turns won Close opportunities into invoices.\n"
    base += f"terms_of_service_url: {good.url('/missing')}\nprivacy_policy_url: {good.url('/ok')}\n"
    (tmp_path / "shared.closeapp-base.yaml").write_text(base)
    for env in ("eu", "us"):
        child = f"extends: shared.closeapp-base.yaml\nname: Tidewater {env}\nvisibility: public\nredirect_url: {good.url('/' + env)}\n"
        (tmp_path / f"{env}.closeapp.yaml").write_text(child + "client_id: oa2client_0123456789abcdefABCDEF\n")
    monkeypatch.chdir(tmp_path)
    args = ["check", "--format", "json", "--check-urls", "--allow-private-urls", "--ca-bundle", ca_file, "--ignore", "CA203,CA304", "."]
    before = good.requests.count("/missing")
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 1, result.stdout
    files = {f["path"]: f for f in json.loads(result.stdout)["files"]}
    assert [(f["code"], f["pointer"], f["inherited_by"]) for f in files["shared.closeapp-base.yaml"]["findings"]] == [
        ("CA502", "/terms_of_service_url", ["eu.closeapp.yaml", "us.closeapp.yaml"])
    ]
    assert [f["code"] for f in files["eu.closeapp.yaml"]["findings"]] == ["CA421"] == [f["code"] for f in files["us.closeapp.yaml"]["findings"]]
    assert good.requests.count("/missing") == before + 1  # each distinct URL once per run
