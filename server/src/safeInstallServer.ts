import path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type FileSystemWatcher,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SafeInstallConfig } from '../../shared/src/config/schema';
import { offlineFindings } from '../../shared/src/engine/offlineFindings';
import type { TextFileReader } from '../../shared/src/io';
import { manifestKindForPath } from '../../shared/src/manifests/index';
import type { Finding, ManifestKind } from '../../shared/src/model';
import { AUDIT_PACKAGE_COMMAND, DocumentFindingsRequest, IGNORE_PACKAGE_COMMAND, RecheckAllNotification } from '../../shared/src/protocol';
import { auditCodeActions } from './actions/auditActions';
import { clientShowsAuditReports, runAuditCommand } from './actions/auditCommand';
import { typosquatCodeActions } from './actions/codeActions';
import { runIgnoreCommand } from './actions/ignoreCommand';
import { DiagnosticsStore } from './diagnostics/diagnosticsStore';
import { toDiagnostic } from './diagnostics/toDiagnostic';
import type { LoadedConfig, RegistryIntelligence, ServerEngine } from './engine/serverEngine';
import { dependencyAt, packageHoverMarkdown } from './intelligence/packageHover';
import { ProjectIntelligence } from './intelligence/projectIntelligence';
import { registryStage } from './intelligence/registryStage';
import { includesStage } from './pipeline/includesStage';
import { ChunkedParser } from './pipeline/chunkedParser';
import { FindingsPipeline, type CheckSubject, type FindingStage } from './pipeline/findingsPipeline';
import { MemoizedDetector } from './pipeline/memoizedDetector';
import { DiagnosisScheduler } from './pipeline/scheduler';
import { applyEditorSettings } from './settings/applyEditorSettings';
import { ProjectLayers } from './settings/projectLayers';
import { SETTINGS_SECTION } from './settings/resourceSettings';
import { SettingsCache } from './settings/settingsCache';
import { OverlayReader } from './workspace/overlayReader';
import { PROJECT_CONFIG_FILE, ProjectConfigs } from './workspace/projectConfigs';
import { ProjectRoots } from './workspace/projectRoots';
import { filePathToUri, uriPath, uriToFilePath } from './workspace/uris';

/** How the server is put together; tests and the benchmark may shorten the quiet window. */
export interface ServerOptions {
  engine: ServerEngine;
  disk: TextFileReader;
  /** Edits inside this window after a check started coalesce into one trailing check. */
  quietMs?: number;
  /** Checks that run after the offline findings are published (registry look-ups come here). */
  extraStages?: FindingStage[];
  /** Started, not awaited, once the client is initialized (vault recovery); `log` writes to the connection console. */
  onInitialized?: (log: (message: string) => void) => Promise<void>;
}

/** Groups findings by the file they belong to; the checked document always gets an entry (maybe empty). */
function diagnosticsByFile(subject: CheckSubject, findings: readonly Finding[]): Map<string, Diagnostic[]> {
  const perTarget = new Map<string, Diagnostic[]>([[subject.uri, []]]);
  const baseDir = subject.filePath ? path.dirname(subject.filePath) : undefined;
  for (const finding of findings) {
    let target = subject.uri;
    if (finding.file !== undefined && baseDir !== undefined) {
      target = filePathToUri(path.resolve(baseDir, finding.file));
    }
    let list = perTarget.get(target);
    if (!list) {
      list = [];
      perTarget.set(target, list);
    }
    list.push(toDiagnostic(finding));
  }
  return perTarget;
}

/** `initializationOptions.trusted`: only an explicit false restricts (other clients send nothing). */
function readTrusted(options: unknown): boolean {
  return !(typeof options === 'object' && options !== null && (options as Record<string, unknown>).trusted === false);
}

/** Wires the safe-install language features onto an LSP connection. The connection must then `listen()`. */
export function startServer(connection: Connection, options: ServerOptions): void {
  const { engine } = options;
  const documents = new TextDocuments(TextDocument);
  const roots = new ProjectRoots();
  const reader = new OverlayReader(documents, options.disk);
  const lastFindings = new Map<string, readonly Finding[]>();
  /** The last checked subject per document (hovers and code actions read its manifest and config). */
  const lastSubjects = new Map<string, CheckSubject>();
  const intelligence = new ProjectIntelligence(engine);
  const intelligenceOf = (uri: string, config: SafeInstallConfig): Promise<RegistryIntelligence> => {
    const rootUri = roots.rootFor(uri);
    return intelligence.get(rootUri, uriToFilePath(rootUri), config);
  };
  /** Requirements file path → paths of the open requirements documents that include it. */
  const includers = new Map<string, Set<string>>();
  const parser = new ChunkedParser((kind, text, fileName) => engine.parse(kind, text, fileName));
  let capabilities: ClientCapabilities = {};
  /** The extension says so in `initializationOptions`; untrusted: offline checks only, no project config. */
  let trusted = true;
  let settings = new SettingsCache(undefined, () => undefined);
  /** Each project's safe-install.toml as a layer, to re-apply its tightening over user settings (trusted only). */
  const projectLayers = new ProjectLayers((rootUri) => (trusted ? reader.readText(ProjectConfigs.projectConfigPath(rootUri)) : Promise.resolve(undefined)));
  /** Ignored workspace settings already reported since the last settings change (each is said once). */
  const reportedIgnored = new Set<string>();

  const log = (message: string, error?: unknown): void => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : error === undefined ? '' : String(error);
    connection.console.error(detail ? `${message}: ${detail}` : message);
  };

  const store = new DiagnosticsStore((uri, diagnostics) => {
    void connection.sendDiagnostics({ uri, diagnostics, version: documents.get(uri)?.version });
  });

  const configs = new ProjectConfigs(engine, reader, (rootUri, loaded: LoadedConfig) => {
    // Config problems go to the config file they are about (a broken safe-install.toml shows in it).
    const perTarget = new Map<string, Diagnostic[]>();
    for (const finding of loaded.findings) {
      const target = path.isAbsolute(finding.file) ? filePathToUri(finding.file) : `${rootUri}/${PROJECT_CONFIG_FILE}`;
      const list = perTarget.get(target) ?? [];
      list.push(toDiagnostic(finding));
      perTarget.set(target, list);
    }
    store.set(`config:${rootUri}`, perTarget);
  }, () => trusted);

  /** The document's config: the project's config files with its editor settings applied (the document need not be open). */
  const configFor = async (uri: string): Promise<SafeInstallConfig> => {
    const rootUri = roots.rootFor(uri);
    const [resourceSettings, loaded] = await Promise.all([settings.get(uri), configs.get(rootUri)]);
    const projectLayer = trusted && Object.keys(resourceSettings.user).length > 0 ? await projectLayers.get(rootUri) : undefined;
    const result = applyEditorSettings(loaded.config, resourceSettings, projectLayer);
    for (const message of result.ignored) {
      if (reportedIgnored.has(message)) continue;
      reportedIgnored.add(message);
      connection.console.warn(message);
    }
    return result.config;
  };

  // Built once, in the background; checks of documents opened meanwhile wait for it.
  let detectorReady: Promise<MemoizedDetector> | undefined;
  const detector = (): Promise<MemoizedDetector> => {
    detectorReady ??= engine.loadDetector().then((d) => new MemoizedDetector(d));
    return detectorReady;
  };

  const stages: FindingStage[] = [includesStage(engine, reader, (filePath, included) => {
    for (const set of includers.values()) set.delete(filePath);
    const added: string[] = [];
    for (const inc of included) {
      const set = includers.get(inc) ?? new Set<string>();
      if (set.size === 0) added.push(inc);
      set.add(filePath);
      includers.set(inc, set);
    }
    // An open file that just became known as an included requirements file gets checked itself too.
    for (const doc of documents.all()) {
      const docPath = uriToFilePath(doc.uri);
      if (docPath !== undefined && added.includes(docPath) && !manifestKindForPath(uriPath(doc.uri))) scheduler.request(doc.uri);
    }
  }), registryStage({
    // An untrusted workspace gets no network checks: its manifests cannot make the editor contact anyone.
    get: (subject) => (trusted ? intelligenceOf(subject.uri, subject.config) : Promise.resolve(undefined)),
    peek: (subject) => (trusted ? intelligence.peek(roots.rootFor(subject.uri), subject.config) : undefined),
  }), ...(options.extraStages ?? [])];

  const pipeline = new FindingsPipeline(
    (subject) => offlineFindings(subject.manifest, { typosquat: subject.typosquat, config: subject.config }),
    stages,
    (subject, findings) => {
      // A newer edit may have landed between the check and now; its own check will publish.
      if (documents.get(subject.uri)?.version !== subject.version) return;
      lastFindings.set(subject.uri, findings);
      store.set(`doc:${subject.uri}`, diagnosticsByFile(subject, findings));
    },
    (stage, subject, error) => log(`safe-install: check '${stage.id}' failed for ${subject.uri}`, error),
  );

  /** The manifest kind of a document: by file name, or a requirements file because another one includes it. */
  const kindOf = (uri: string): ManifestKind | undefined => {
    const byName = manifestKindForPath(uriPath(uri));
    if (byName) return byName;
    const filePath = uriToFilePath(uri);
    return filePath !== undefined && (includers.get(filePath)?.size ?? 0) > 0 ? 'requirements' : undefined;
  };

  async function diagnose(uri: string, token: CancellationToken): Promise<void> {
    const doc = documents.get(uri);
    const kind = doc ? kindOf(uri) : undefined;
    if (!doc || !kind) return;
    const version = doc.version;
    const [config, typosquat] = await Promise.all([configFor(uri), detector()]);
    if (token.isCancellationRequested || documents.get(uri)?.version !== version) return;
    const text = doc.getText();
    let manifest;
    try {
      manifest = parser.parse(uri, kind, text, uriPath(uri));
    } catch (error) {
      log(`safe-install: could not parse ${uri}`, error);
      manifest = { kind, ecosystem: 'PyPI' as const, dependencies: [], errors: [{ message: `safe-install could not read this file: ${error instanceof Error ? error.message : String(error)}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }] };
    }
    const subject: CheckSubject = {
      uri,
      filePath: uriToFilePath(uri),
      kind,
      version,
      text,
      manifest,
      config,
      typosquat,
    };
    lastSubjects.set(uri, subject);
    await pipeline.run(subject, token);
  }

  const scheduler = new DiagnosisScheduler(diagnose, options.quietMs ?? 150, (uri, error) => log(`safe-install: checking ${uri} failed`, error));

  const isConfigFile = (uri: string): boolean => {
    const filePath = uriToFilePath(uri);
    return path.basename(uriPath(uri)) === PROJECT_CONFIG_FILE || (filePath !== undefined && filePath === engine.userConfigPath());
  };

  /** Re-checks every open manifest and reloads the config of every project with an open config file. */
  const recheckAll = (): void => {
    for (const doc of documents.all()) {
      if (kindOf(doc.uri)) scheduler.request(doc.uri);
      else if (isConfigFile(doc.uri)) void configs.get(roots.rootFor(doc.uri)).catch((error: unknown) => log('safe-install: reading config failed', error));
    }
  };

  const configChanged = (): void => {
    configs.invalidate();
    projectLayers.invalidate();
    recheckAll();
  };

  documents.onDidChangeContent(({ document }) => {
    const uri = document.uri;
    try {
      if (isConfigFile(uri)) {
        const filePath = uriToFilePath(uri);
        if (filePath !== undefined) reader.forget(filePath);
        configChanged();
        return;
      }
      if (!kindOf(uri)) return;
      scheduler.request(uri);
      // Files that include this one show its findings too.
      const filePath = uriToFilePath(uri);
      for (const includer of (filePath && includers.get(filePath)) || []) scheduler.request(filePathToUri(includer));
    } catch (error) {
      log(`safe-install: handling a change of ${uri} failed`, error);
    }
  });

  documents.onDidClose(({ document }) => {
    scheduler.cancel(document.uri);
    settings.delete(document.uri);
    parser.delete(document.uri);
    lastFindings.delete(document.uri);
    lastSubjects.delete(document.uri);
    store.clear(`doc:${document.uri}`);
  });

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    trusted = readTrusted(params.initializationOptions);
    roots.set(params.workspaceFolders);
    if (!params.workspaceFolders && params.rootUri) roots.set([{ uri: params.rootUri, name: 'root' }]);
    const canPull = capabilities.workspace?.configuration === true;
    settings = new SettingsCache(
      canPull ? (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }) : undefined,
      (error) => log('safe-install: reading settings failed', error),
    );
    void detector().catch((error: unknown) => log('safe-install: loading the popular-name index failed', error));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        executeCommandProvider: { commands: [IGNORE_PACKAGE_COMMAND, AUDIT_PACKAGE_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'safe-install' },
    };
  });

  connection.onInitialized(() => {
    if (options.onInitialized) void options.onInitialized((message) => connection.console.info(message)).catch((error: unknown) => log('safe-install: start-up task failed', error));
    if (capabilities.workspace?.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        roots.change(event.added, event.removed);
        configChanged();
      });
    }
    if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    }
    if (capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration) {
      const userConfig = engine.userConfigPath();
      const watchers: FileSystemWatcher[] = [
        { globPattern: `**/${PROJECT_CONFIG_FILE}` },
        { globPattern: '**/{requirements,constraints}*.{txt,in}' },
        capabilities.workspace.didChangeWatchedFiles.relativePatternSupport
          ? { globPattern: { baseUri: filePathToUri(path.dirname(userConfig)), pattern: path.basename(userConfig) } }
          : { globPattern: userConfig.split(path.sep).join('/') },
      ];
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers });
    }
  });

  connection.onDidChangeConfiguration((params) => {
    const pushed: unknown = params.settings;
    settings.invalidate(typeof pushed === 'object' && pushed !== null ? (pushed as Record<string, unknown>)[SETTINGS_SECTION] : undefined);
    reportedIgnored.clear();
    recheckAll();
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const filePath = uriToFilePath(change.uri);
      if (filePath !== undefined) reader.forget(filePath);
    }
    configChanged();
  });

  connection.onNotification(RecheckAllNotification.type, () => {
    // An explicit re-check also re-reads package-manager config and asks the registries again.
    intelligence.clear();
    configChanged();
  });
  connection.onRequest(DocumentFindingsRequest.type, ({ uri }) => [...(lastFindings.get(uri) ?? [])]);

  connection.onCodeAction((params) => {
    try {
      const subject = lastSubjects.get(params.textDocument.uri);
      return [
        ...typosquatCodeActions(params, {
          version: documents.get(params.textDocument.uri)?.version,
          documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
        }),
        ...(trusted ? auditCodeActions(params, subject?.manifest) : []),
      ];
    } catch (error) {
      log('safe-install: building code actions failed', error);
      return [];
    }
  });

  connection.onHover((params) => {
    const subject = lastSubjects.get(params.textDocument.uri);
    const dep = subject ? dependencyAt(subject.manifest, params.position) : undefined;
    if (!subject || !dep) return null;
    const known = intelligence.peek(roots.rootFor(subject.uri), subject.config);
    const markdown = packageHoverMarkdown(dep, {
      card: known?.cardFor(dep, subject.manifest),
      pending: known?.isPending(dep, subject.manifest) ?? true,
      enabled: trusted && subject.config.intelligence?.enabled !== false,
      offline: subject.config.intelligence?.offline === true,
    });
    return { contents: { kind: 'markdown', value: markdown }, range: dep.nameRange };
  });

  connection.onExecuteCommand(async (params, token) => {
    if (params.command === IGNORE_PACKAGE_COMMAND) {
      await runIgnoreCommand({ connection, documents, engine, reader, roots, configChanged, log }, params.arguments?.[0]);
    } else if (params.command === AUDIT_PACKAGE_COMMAND) {
      if (!trusted) {
        void connection.window.showWarningMessage('Safe Install does not audit packages in an untrusted workspace (audits contact registries). Trust the workspace first.');
        return null;
      }
      const context = {
        connection,
        clientShowsReports: clientShowsAuditReports(capabilities.experimental),
        intelligenceFor: async (uri: string) => intelligenceOf(uri, await configFor(uri)),
        log,
      };
      return (await runAuditCommand(context, params.arguments?.[0], token)) ?? null;
    }
    return null;
  });

  connection.onShutdown(() => scheduler.dispose());
  documents.listen(connection);
}
