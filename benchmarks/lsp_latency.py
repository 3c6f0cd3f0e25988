"""Edit -> publishDiagnostics latency of `closeapp-lint server` over stdio, side by side
with what an editor plugin would pay without a server (one `closeapp-lint check -` per
edit), and the in-process cost of re-linting on an edit.

    python benchmarks/lsp_latency.py             # 200 edits
    python benchmarks/lsp_latency.py --edits 500

Needs the lsp extra (pip install '.[lsp]'). Each edit is a full-text didChange that
alternates between a valid manifest and one with an http redirect URL, so every edit
changes the diagnostics; the latency is measured from sending the change to receiving
the diagnostics for that version. The server is measured with the default debounce
(the delay that lets a burst of keystrokes be linted once) and with none.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from per_file import PUBLIC as MANIFEST  # the per-file benchmark's typical public manifest

BROKEN = MANIFEST.replace("redirect_url: https://", "redirect_url: http://")


async def over_stdio(folder: Path, edits: int, debounce_ms: float | None) -> list[float]:
    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    waiting: dict[int, asyncio.Future[None]] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            future = waiting.pop(params.version, None)
            if future is not None and not future.done():
                future.set_result(None)

    await client.start_io(sys.executable, "-m", "closeapp_lint", "server")
    options = {"debounce": debounce_ms} if debounce_ms is not None else None
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), initialization_options=options))
    client.initialized(lsp.InitializedParams())
    uri = (folder / "closeapp.yaml").as_uri()
    loop = asyncio.get_running_loop()
    waiting[1] = loop.create_future()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=MANIFEST)))
    await waiting[1] if 1 in waiting else None
    latencies = []
    for version in range(2, edits + 2):
        waiting[version] = loop.create_future()
        change = lsp.TextDocumentContentChangeWholeDocument(text=BROKEN if version % 2 else MANIFEST)
        sent = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change])
        )
        if version in waiting:
            await asyncio.wait_for(waiting[version], 10)
        latencies.append((arrived[version] - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


def in_process(edits: int) -> list[float]:
    """The server's own work on an edit, without I/O: lint and build the diagnostics."""
    from closeapp_lint import server

    ls = server.Server()
    from pygls.workspace import Workspace

    ls.protocol._workspace = Workspace(None)
    uri = "file:///tmp/closeapp-bench/closeapp.yaml"
    ls.workspace.put_text_document(lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=MANIFEST))
    times = []
    for version in range(2, edits + 2):
        ls.workspace.update_text_document(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version), lsp.TextDocumentContentChangeWholeDocument(text=BROKEN if version % 2 else MANIFEST)
        )
        start = time.perf_counter()
        linted = ls.lint(uri)
        server._diagnostics(linted, ls.positions(linted.text))
        times.append((time.perf_counter() - start) * 1000)
    return times


def per_edit_cli(folder: Path, edits: int) -> list[float]:
    times = []
    for version in range(edits):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "closeapp_lint", "check", "--format", "json", "--stdin-filename", "closeapp.yaml", "-"],
            input=(BROKEN if version % 2 else MANIFEST).encode(),
            cwd=folder,
            capture_output=True,
            check=False,
        )
        times.append((time.perf_counter() - start) * 1000)
    return times


def row(name: str, values: list[float]) -> str:
    q = statistics.quantiles(values, n=10)
    return f"| {name} | {statistics.median(values):.2f} ms | {q[8]:.2f} ms | {len(values)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=200)
    args = parser.parse_args()
    from closeapp_lint.server import DEBOUNCE

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        print("| per edit | median | p90 | edits |")
        print("|---|---|---|---|")
        print(row("in-process: lint + diagnostics (the server's work)", in_process(args.edits)), flush=True)
        print(row("stdio, no debounce: didChange -> publishDiagnostics", asyncio.run(over_stdio(folder, args.edits, 0))), flush=True)
        print(row(f"stdio, default debounce ({DEBOUNCE * 1000:.0f} ms)", asyncio.run(over_stdio(folder, args.edits, None))), flush=True)
        print(row("no server: `closeapp-lint check -` per edit", per_edit_cli(folder, min(args.edits, 30))), flush=True)


if __name__ == "__main__":
    main()
