/**
 * Everything the editor adds around the language server: the Safe Install views, commands, code
 * actions, status bar, install terminals and trust handling. One owner: all of it is disposed together.
 */
import { languages, window, workspace, type Disposable, type DocumentFilter, type ExtensionContext, type OutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PackageCodeActionProvider } from './actions/packageCodeActions';
import type { CliLocation } from './cli/cliProcess';
import { registerCommands } from './commands/registerCommands';
import { ExposureService } from './exposure/exposureService';
import { InstallManager } from './install/installManager';
import { DOCUMENT_PATTERNS } from './languageClient';
import { ReportDocuments } from './report/reportDocuments';
import { pingDocker } from './sandboxStatus';
import type { Services } from './services';
import { installSettingsChanged, readInstallSettings, restartSettingsChanged } from './settings';
import { SafeInstallStatusBar } from './statusBar';
import { watchTrust } from './trust';
import { ExposureTreeProvider } from './views/exposureTree';
import { FindingsTreeProvider } from './views/findingsTree';
import { InstallsTreeProvider } from './views/installsTree';

/** Wires the editor features; `client` is restarted when trust is granted or a restart-class setting changes. */
export function activateEditorFeatures(context: ExtensionContext, client: LanguageClient, output: OutputChannel): Services {
  const cli: CliLocation = { script: context.asAbsolutePath('dist/cli.js'), node: process.execPath };
  const env = (): NodeJS.ProcessEnv => process.env;
  const trusted = (): boolean => workspace.isTrusted;
  // Each ignored workspace setting is said once until the settings change again.
  const reported = new Set<string>();
  const report = (message: string): void => {
    if (reported.has(message)) return;
    reported.add(message);
    output.appendLine(message);
  };
  const installs = new InstallManager({ cli, env, settings: (request) => readInstallSettings(request.cwd, report), trusted });
  const exposure = new ExposureService(cli, env);
  const statusBar = new SafeInstallStatusBar(installs, trusted);
  const reports = new ReportDocuments();
  const installsTree = new InstallsTreeProvider(installs);
  const installsView = window.createTreeView('safeInstall.installs', { treeDataProvider: installsTree, showCollapseAll: true });
  const exposureTree = new ExposureTreeProvider(exposure, () => workspace.workspaceFolders?.[0]?.uri.fsPath);
  const findingsTree = new FindingsTreeProvider();
  const services: Services = {
    cli, installs, exposure, statusBar, reports, output, trusted, env, installsView,
  };
  const restartServer = (why: string): void => {
    output.appendLine(`Restarting the language server: ${why}`);
    void client.restart().catch((error: unknown) => output.appendLine(`Restart failed: ${String(error)}`));
  };
  const disposables: Disposable[] = [
    statusBar, reports, installsTree, installsView, exposureTree, findingsTree,
    window.createTreeView('safeInstall.exposure', { treeDataProvider: exposureTree }),
    window.createTreeView('safeInstall.findings', { treeDataProvider: findingsTree, showCollapseAll: true }),
    languages.registerCodeActionsProvider([...DOCUMENT_PATTERNS.map((pattern): DocumentFilter => ({ pattern })), { language: 'pip-requirements' }],
      new PackageCodeActionProvider(trusted), PackageCodeActionProvider.metadata),
    ...registerCommands(services),
    watchTrust(() => {
      statusBar.render();
      restartServer('the workspace is now trusted');
    }),
    workspace.onDidChangeConfiguration((event) => {
      const keys = restartSettingsChanged(event);
      if (keys.length > 0) restartServer(`${keys.join(', ')} changed`);
      // Say at once (not only at the next install) which of the new install settings count.
      if (installSettingsChanged(event)) {
        reported.clear();
        readInstallSettings(workspace.workspaceFolders?.[0]?.uri.fsPath, report);
      }
    }),
    { dispose: () => { for (const run of installs.active) installs.cancel(run); } },
  ];
  context.subscriptions.push(...disposables);
  void pingDocker(env()).then((status) => statusBar.setDocker(status));
  return services;
}
