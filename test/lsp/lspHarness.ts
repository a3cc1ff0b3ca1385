/**
 * A small LSP client for tests and the benchmark: spawns the built server over stdio, answers the
 * requests a real editor answers (configuration, applyEdit, registration), and lets a test wait for
 * the diagnostics it expects. Nothing here sleeps: every wait is for a message.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  HoverRequest,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShowMessageRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

const repoRoot = path.resolve(__dirname, '..', '..');
/** The bundled server the tests talk to (built by `node scripts/build.mjs`); SAFE_INSTALL_SERVER_JS points elsewhere. */
export const serverScript = process.env.SAFE_INSTALL_SERVER_JS ?? path.join(repoRoot, 'dist', 'server.js');

/** How long a test waits for an expected message before failing. */
const WAIT_MS = 15_000;

/** Settings the fake editor answers `workspace/configuration` with, per scopeUri ('' = any). */
export type SettingsByScope = Map<string, unknown>;

/** Applies LSP text edits to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'plaintext', 0, text), edits);
}

/** A temp workspace plus a running server speaking JSON-RPC over the child's stdio. */
export class LspSession {
  readonly connection: ProtocolConnection;
  readonly settings: SettingsByScope = new Map();
  readonly logs: string[] = [];
  /** window/showMessage texts, in order. */
  readonly messages: string[] = [];
  /** How many workspace/configuration requests the server sent. */
  configurationRequests = 0;
  /** Every publishDiagnostics received, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Array<{ uri: string; test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }> = [];
  private readonly docs = new Map<string, TextDocument>();
  private exited: Promise<number | null>;

  private constructor(
    readonly workspace: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.onDiagnostics(params));
    this.connection.onNotification(LogMessageNotification.type, (params) => this.logs.push(params.message));
    this.connection.onNotification(ShowMessageNotification.type, (params) => this.messages.push(params.message));
    this.connection.onRequest(ShowMessageRequest.type, (params) => {
      this.messages.push(params.message);
      return null;
    });
    this.connection.onRequest(RegistrationRequest.type, () => null);
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests++;
      return params.items.map((item) => this.settings.get(item.scopeUri ?? '') ?? this.settings.get('') ?? null);
    });
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, async (params) => {
      await this.applyWorkspaceEdit(params.edit);
      return { applied: true };
    });
    this.connection.listen();
  }

  /**
   * Starts the server with a fresh temp workspace folder, a private user config dir, HOME and cache.
   * Registry checks are off (a user config saying so) unless `intelligence` is true; `env` is added to
   * the server's environment (e.g. a HOME whose .npmrc points at a local registry).
   */
  static async start(options: { initializationOptions?: unknown; capabilities?: ClientCapabilities; experimental?: Record<string, unknown>; intelligence?: boolean; env?: Record<string, string>; userConfig?: string } = {}): Promise<LspSession> {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'si-lsp-'));
    const configHome = path.join(workspace, '.user-config');
    const home = path.join(workspace, '.home');
    await mkdir(path.join(configHome, 'safe-install'), { recursive: true });
    await mkdir(home, { recursive: true });
    const userConfig = options.userConfig ?? (options.intelligence ? '' : '[intelligence]\nenabled = false\n');
    if (userConfig !== '') await writeFile(path.join(configHome, 'safe-install', 'config.toml'), userConfig);
    const child = spawn(process.execPath, [serverScript, '--stdio'], {
      env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), XDG_CONFIG_HOME: configHome, APPDATA: configHome, ...options.env },
      stdio: 'pipe',
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    const session = new LspSession(workspace, child);
    const rootUri = pathToFileURL(workspace).href;
    await session.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      initializationOptions: options.initializationOptions,
      capabilities: options.capabilities ?? {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          applyEdit: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
        },
        textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { dataSupport: true, isPreferredSupport: true } },
        ...(options.experimental ? { experimental: options.experimental } : {}),
      },
    });
    await session.connection.sendNotification(InitializedNotification.type, {});
    return session;
  }

  /** The URI of a file in the workspace. */
  uri(relative: string): string {
    return pathToFileURL(path.join(this.workspace, relative)).href;
  }

  /** Writes a file into the workspace (not opened). */
  async writeFile(relative: string, text: string): Promise<void> {
    await writeFile(path.join(this.workspace, relative), text);
  }

  /** Reads a file from the workspace. */
  readFile(relative: string): Promise<string> {
    return readFile(path.join(this.workspace, relative), 'utf8');
  }

  /** The text of an open document as the fake editor holds it. */
  text(uri: string): string {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    return doc.getText();
  }

  version(uri: string): number {
    return this.docs.get(uri)?.version ?? -1;
  }

  async open(uri: string, text: string, languageId = 'plaintext'): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends one change (whole text when `changes` is a string); returns the new version. */
  async change(uri: string, changes: string | TextDocumentContentChangeEvent[]): Promise<number> {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    const contentChanges = typeof changes === 'string' ? [{ text: changes }] : changes;
    const next = TextDocument.update(doc, contentChanges, doc.version + 1);
    this.docs.set(uri, next);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: next.version },
      contentChanges,
    });
    return next.version;
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Changes the settings the editor reports and tells the server, as an editor does. */
  async setSettings(section: unknown): Promise<void> {
    this.settings.set('', section);
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { safeInstall: section } });
  }

  /** Tells the server a file changed on disk (what a file watcher reports). */
  async fileChanged(relative: string, type: FileChangeType = FileChangeType.Changed): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: this.uri(relative), type }] });
  }

  /**
   * Resolves with the first diagnostics for `uri` that satisfy `test`: the latest already received
   * (when `includeLatest`), else the next ones to arrive.
   */
  waitForDiagnostics(
    uri: string,
    test: (params: PublishDiagnosticsParams) => boolean = () => true,
    includeLatest = true,
  ): Promise<PublishDiagnosticsParams> {
    const latest = this.latest.get(uri);
    if (includeLatest && latest && test(latest)) return Promise.resolve(latest);
    return new Promise((resolve, reject) => {
      // A deadline, not a sleep: a test whose diagnostics never come fails and says what did come.
      const deadline = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`no matching diagnostics for ${uri} within ${WAIT_MS} ms; last: ${JSON.stringify(this.latest.get(uri) ?? null)}`));
      }, WAIT_MS);
      const waiter = {
        uri,
        test,
        resolve: (p: PublishDiagnosticsParams) => {
          clearTimeout(deadline);
          resolve(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Diagnostics for the document's current version (waits until the server has checked it). */
  async diagnosticsFor(uri: string): Promise<Diagnostic[]> {
    const version = this.version(uri);
    return (await this.waitForDiagnostics(uri, (p) => p.version === version)).diagnostics;
  }

  codeActions(uri: string, diagnostics: Diagnostic[], range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }): Promise<(Command | CodeAction)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
  }

  /** The hover's Markdown at a position ('' when the server has none). */
  async hover(uri: string, position: Position): Promise<string> {
    const hover = await this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    const contents = hover?.contents;
    return contents && typeof contents === 'object' && 'kind' in contents ? contents.value : '';
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
  }

  /** Applies a workspace edit like an editor: open documents in memory (and tells the server), others on disk. */
  async applyWorkspaceEdit(edit: WorkspaceEdit): Promise<void> {
    const written: string[] = [];
    const editFile = async (uri: string, edits: TextEdit[]): Promise<void> => {
      if (this.docs.has(uri)) {
        const text = applyEdits(this.text(uri), edits);
        await this.change(uri, text);
        return;
      }
      const filePath = fileURLToPath(uri);
      const before = existsSync(filePath) ? await readFile(filePath, 'utf8') : '';
      await writeFile(filePath, applyEdits(before, edits));
      written.push(uri);
    };
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        if (change.kind === 'create') {
          const filePath = fileURLToPath(change.uri);
          if (!existsSync(filePath)) await writeFile(filePath, '');
        }
        continue;
      }
      await editFile(change.textDocument.uri, change.edits.filter((e): e is TextEdit => 'newText' in e));
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) await editFile(uri, edits);
    // A real editor's file watcher reports files written on disk.
    if (written.length > 0) {
      await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: written.map((uri) => ({ uri, type: FileChangeType.Changed })),
      });
    }
  }

  /** Shuts the server down cleanly and removes the workspace; returns the server's exit code. */
  async stop(): Promise<number | null> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      this.child.kill();
    }
    const code = await this.exited;
    this.connection.dispose();
    await rm(this.workspace, { recursive: true, force: true });
    return code;
  }

  /** True while the server process runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private onDiagnostics(params: PublishDiagnosticsParams): void {
    this.published.push(params);
    this.latest.set(params.uri, params);
    for (let i = 0; i < this.waiters.length; i++) {
      const waiter = this.waiters[i];
      if (waiter && waiter.uri === params.uri && waiter.test(params)) {
        this.waiters.splice(i--, 1);
        waiter.resolve(params);
      }
    }
  }
}
