// closeapp-lint for VS Code: runs the language server (`closeapp-lint server`), shows the
// active manifest's publish readiness in the status bar, and contributes the commands,
// settings and schemas a manifest needs. The server does the linting; this file only finds
// it, starts it and shows what it answers.

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from "vscode-languageclient/node";

const CHECKLIST = "closeapp-lint.checklist"; // the server's command (closeapp_lint/server.py)
const FIX_ALL = "source.fixAll.closeapp-lint";
const SCHEME = "closeapp-checklist";
const MANIFEST = /(^|[\\/])(closeapp\.ya?ml|[^\\/]+\.closeapp\.ya?ml|closeapp-base\.ya?ml|[^\\/]+\.closeapp-base\.ya?ml)$/;
const INSTALL = "pip install 'closeapp-lint[lsp]'";

interface Item {
  id: string;
  status: "pass" | "warn" | "fail" | "n/a";
  codes: string[];
  detail: string;
}

interface Readiness {
  ready: boolean;
  stays_private?: boolean;
  items: Item[];
}

interface Answer {
  uri?: string;
  readiness: Readiness | null;
  error: string | null;
  apps?: { uri: string; readiness: Readiness | null }[]; // a base: the apps whose chain holds it
}

interface Server {
  command: string;
  args: string[];
  how: string; // where it was found, for the output channel
}

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
const answers = new Map<string, Answer>(); // manifest URI -> its last checklist
const changed = new vscode.EventEmitter<vscode.Uri>();
let refreshTimer: NodeJS.Timeout | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("closeapp-lint");
  status = vscode.window.createStatusBarItem("closeappLint.readiness", vscode.StatusBarAlignment.Left, 100);
  status.name = "closeapp-lint: publish readiness";
  status.command = "closeappLint.showChecklist";
  context.subscriptions.push(
    output,
    status,
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { onDidChange: changed.event, provideTextDocumentContent: checklistText }),
    vscode.languages.registerDocumentLinkProvider({ scheme: SCHEME }, { provideDocumentLinks: checklistLinks }),
    vscode.commands.registerCommand("closeappLint.showChecklist", showChecklist),
    vscode.commands.registerCommand("closeappLint.fixAll", fixAll),
    vscode.commands.registerCommand("closeappLint.restartServer", () => restart(context)),
    vscode.commands.registerCommand("closeappLint.showOutput", () => output.show()),
    vscode.window.onDidChangeActiveTextEditor(() => scheduleRefresh(0)),
    vscode.languages.onDidChangeDiagnostics((event) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && event.uris.some((uri) => uri.toString() === active)) {
        scheduleRefresh(100); // the server published for the active manifest: its checklist is new too
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("closeappLint")) {
        void restart(context);
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const server = await findServer();
  if (!server) {
    status.hide();
    const pick = await vscode.window.showErrorMessage(
      `closeapp-lint is not installed where VS Code can find it. Install it into your project's environment: ${INSTALL} — or set closeappLint.path.`,
      "Copy install command",
      "Open settings",
    );
    if (pick === "Copy install command") {
      await vscode.env.clipboard.writeText(INSTALL);
    } else if (pick === "Open settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "closeappLint.path");
    }
    return;
  }
  output.appendLine(`Starting ${server.command} ${server.args.join(" ")} (${server.how})`);
  const settings = vscode.workspace.getConfiguration("closeappLint");
  const serverOptions: ServerOptions = { command: server.command, args: server.args, transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    // Every YAML file on disk is offered; the server lints only manifests and bases.
    documentSelector: [{ scheme: "file", language: "yaml" }],
    outputChannel: output,
    initializationOptions: { debounce: settings.get<number>("debounce", 50), configFile: settings.get<string>("configFile", "") },
  };
  client = new LanguageClient("closeappLint", "closeapp-lint", serverOptions, clientOptions);
  client.onDidChangeState((event) => {
    if (event.newState === State.Stopped) {
      status.text = "$(error) closeapp-lint stopped";
      status.tooltip = "The language server stopped: see closeapp-lint: Show Output, then closeapp-lint: Restart Server.";
    }
  });
  context.subscriptions.push(client);
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The server did not start: ${String(error)}`);
    void vscode.window.showErrorMessage(`closeapp-lint's server did not start (${server.command}); see closeapp-lint: Show Output.`);
    return;
  }
  scheduleRefresh(0);
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  const old = client;
  client = undefined;
  await old?.stop();
  await start(context);
}

// -- finding the server ---------------------------------------------------------------------

async function findServer(): Promise<Server | undefined> {
  const configured = vscode.workspace.getConfiguration("closeappLint").get<string[]>("path", []).filter((part) => part.trim());
  if (configured.length) {
    return { command: configured[0], args: [...configured.slice(1), "server"], how: "the closeappLint.path setting" };
  }
  const python = await selectedInterpreter();
  if (python && (await succeeds(python, ["-c", "import closeapp_lint.server"]))) {
    return { command: python, args: ["-m", "closeapp_lint", "server"], how: "the Python extension's selected interpreter" };
  }
  const onPath = which(process.platform === "win32" ? "closeapp-lint.exe" : "closeapp-lint");
  if (onPath) {
    return { command: onPath, args: ["server"], how: "PATH" };
  }
  return undefined;
}

async function selectedInterpreter(): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension("ms-python.python");
  if (!extension) {
    return undefined;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const api: any = extension.isActive ? extension.exports : await extension.activate();
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = api?.environments?.getActiveEnvironmentPath?.(resource);
    if (active?.path) {
      return String(active.path);
    }
    const details = api?.settings?.getExecutionDetails?.(resource);
    return details?.execCommand?.[0];
  } catch (error) {
    output.appendLine(`The Python extension did not say which interpreter is selected: ${String(error)}`);
    return undefined;
  }
}

function succeeds(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => execFile(command, args, { timeout: 15000 }, (error) => resolve(!error)));
}

function which(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(folder, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) {
        return candidate;
      }
    } catch {
      // not there
    }
  }
  return undefined;
}

// -- the status bar and the checklist ------------------------------------------------------

function scheduleRefresh(delay: number): void {
  if (refreshTimer) {
    clearTimeout(refreshTimer);
  }
  refreshTimer = setTimeout(() => void refresh(), delay);
}

function activeManifest(): vscode.TextDocument | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document && document.uri.scheme === "file" && MANIFEST.test(document.uri.fsPath) ? document : undefined;
}

async function askChecklist(uri: vscode.Uri): Promise<Answer | undefined> {
  if (!client || client.state !== State.Running) {
    return undefined;
  }
  const answer = (await client.sendRequest("workspace/executeCommand", { command: CHECKLIST, arguments: [uri.toString()] })) as Answer;
  answers.set(uri.toString(), answer);
  changed.fire(checklistUri(uri));
  return answer;
}

async function refresh(): Promise<void> {
  const document = activeManifest();
  if (!document || !client) {
    status.hide();
    return;
  }
  let answer: Answer | undefined;
  try {
    answer = await askChecklist(document.uri);
  } catch (error) {
    output.appendLine(`The checklist of ${document.uri.fsPath} could not be read: ${String(error)}`);
  }
  if (!answer) {
    return;
  }
  const readiness = answer.readiness;
  const left = readiness ? readiness.items.filter((item) => item.status === "fail").length : 0;
  const apps = answer.apps ?? [];
  if (!readiness && apps.length) {
    // A base stands for its apps: the verdict of each app that extends it.
    const judged = apps.filter((app) => !app.readiness?.stays_private);
    const notReady = judged.filter((app) => !app.readiness?.ready).length;
    status.text = notReady
      ? `$(warning) Close: base of ${apps.length} app${apps.length === 1 ? "" : "s"} — ${notReady} not ready`
      : `$(check) Close: base of ${apps.length} app${apps.length === 1 ? "" : "s"}, ready`;
    status.tooltip = "The apps that extend this base, judged with it as it is in the editor. Click for their checklists.";
  } else if (!readiness) {
    status.text = "$(error) Close: no checklist";
    status.tooltip = answer.error ?? "The manifest does not read as a manifest: see the Problems panel.";
  } else if (readiness.stays_private) {
    status.text = "$(lock) Close: development app, stays private";
    status.tooltip = "An app with environment: development or staging is never published; its checklist is still shown.";
  } else if (readiness.ready) {
    status.text = "$(check) Close: ready to publish";
    status.tooltip = "Every item of the publish-readiness checklist passes. Click for the checklist.";
  } else {
    status.text = `$(warning) Close: not ready — ${left} item${left === 1 ? "" : "s"} left`;
    status.tooltip = "Click for the publish-readiness checklist.";
  }
  status.show();
}

function checklistUri(manifest: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${path.basename(manifest.fsPath)} — checklist`, query: manifest.toString() });
}

const MARKS: Record<Item["status"], string> = { pass: "✓", warn: "!", fail: "✗", "n/a": "–" };

function checklistText(uri: vscode.Uri): string {
  const answer = answers.get(uri.query);
  const manifest = vscode.Uri.parse(uri.query);
  if (!answer?.readiness && answer?.apps?.length) {
    const blocks = answer.apps.map((app) => checklistLines(vscode.Uri.parse(app.uri).fsPath, app.readiness).join("\n"));
    return [`${manifest.fsPath} is a base: the checklists of the apps that extend it`, "", ...blocks].join("\n\n") + "\n";
  }
  if (!answer?.readiness) {
    return `Publish readiness of ${manifest.fsPath}: no checklist — ${answer?.error ?? "the manifest does not read as a manifest"}\n`;
  }
  const [head, ...lines] = checklistLines(manifest.fsPath, answer.readiness);
  return [head, "", ...lines, "", "Each item links to the line of the manifest that decides it (Ctrl/Cmd+click)."].join("\n") + "\n";
}

function checklistLines(file: string, readiness: Readiness | null): string[] {
  if (!readiness) {
    return [`Publish readiness of ${file}: no checklist — it does not read as a manifest`];
  }
  const verdict = readiness.stays_private ? "n/a — a development app stays private" : readiness.ready ? "ready to publish" : "not ready to publish";
  const width = Math.max(...readiness.items.map((item) => item.id.length));
  const items = readiness.items.map((item) => `  ${MARKS[item.status]} ${item.id.padEnd(width)}  ${item.codes.length ? item.codes.join(" ") + " " : ""}${item.detail}`);
  return [`Publish readiness of ${file}: ${verdict}`, ...items];
}

function checklistLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
  const answer = answers.get(document.uri.query);
  if (!answer?.readiness) {
    return [];
  }
  const manifest = vscode.Uri.parse(document.uri.query);
  const diagnostics = vscode.languages.getDiagnostics(manifest);
  const links: vscode.DocumentLink[] = [];
  answer.readiness.items.forEach((item, index) => {
    const line = document.lineAt(2 + index);
    const decided = diagnostics.find((d) => item.codes.includes(String(typeof d.code === "object" ? d.code.value : d.code)));
    const at = decided ? decided.range.start.line + 1 : 1;
    const start = line.text.indexOf(item.id);
    const link = new vscode.DocumentLink(new vscode.Range(line.lineNumber, start, line.lineNumber, start + item.id.length), manifest.with({ fragment: `L${at}` }));
    link.tooltip = decided ? `Go to line ${at}` : "Open the manifest";
    links.push(link);
  });
  return links;
}

async function showChecklist(): Promise<void> {
  const document = activeManifest();
  const manifest = document?.uri ?? [...answers.keys()].map((key) => vscode.Uri.parse(key))[0];
  if (!manifest) {
    void vscode.window.showInformationMessage("Open a Close app manifest (closeapp.yaml, *.closeapp.yaml) to see its checklist.");
    return;
  }
  await askChecklist(manifest);
  const shown = await vscode.workspace.openTextDocument(checklistUri(manifest));
  await vscode.window.showTextDocument(shown, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
}

async function fixAll(): Promise<void> {
  if (!activeManifest()) {
    void vscode.window.showInformationMessage("Open a Close app manifest to fix it.");
    return;
  }
  await vscode.commands.executeCommand("editor.action.sourceAction", { kind: FIX_ALL, apply: "first" });
}
