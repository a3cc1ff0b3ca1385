/** Audit Package…, Check Environment, Scan Workspace, the exposure view's reveal action and the status explanation. */
import { commands, ProgressLocation, Uri, window, workspace, type CancellationToken } from 'vscode';
import type { Ecosystem } from '../../../shared/src/model';
import { AUDIT_PACKAGE_COMMAND, type AuditPackageArgs } from '../../../shared/src/protocol';
import { parsePackageRequest } from '../../../shared/src/sandbox/names';
import type { PackageCommandArgs } from '../actions/packageCodeActions';
import { runCli } from '../cli/cliProcess';
import { cliEcosystem, toEcosystem } from '../install/ecosystems';
import type { Services } from '../services';
import { pingDocker } from '../sandboxStatus';
import { explainStatus } from '../statusBar';
import { ExposureNode } from '../views/exposureTree';
import { pickPackage, validateRequest } from './pickPackage';
import { targetFolder } from './targetFolder';

function abortOn(token: CancellationToken): AbortController {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller;
}

/**
 * `safeInstall.audit` (Audit Package…): prompts for a package, then runs the language server's
 * `safeInstall.auditPackage` command, the same engine the Audit code action uses; its report comes back
 * through the server's audit-report notification. Without the server command (server not started),
 * the CLI's audit runs instead and its text report opens as a document.
 */
export async function auditPackageCommand(services: Services, args?: PackageCommandArgs): Promise<void> {
  if (!services.trusted()) {
    void window.showWarningMessage('Safe Install does not audit packages in an untrusted workspace (audits contact registries). Trust the workspace first.');
    return;
  }
  let picked: { ecosystem: Ecosystem; request: string } | undefined;
  const ecosystem = toEcosystem(args?.ecosystem);
  if (ecosystem !== undefined && typeof args?.request === 'string' && validateRequest(ecosystem, args.request) === undefined) {
    picked = { ecosystem, request: args.request };
  } else {
    picked = await pickPackage('Audit');
  }
  if (!picked) return;
  const { ecosystem: eco, request } = picked;
  const folder = targetFolder(args?.uri);
  const parsed = parsePackageRequest(eco, request);
  if ((await commands.getCommands(true)).includes(AUDIT_PACKAGE_COMMAND)) {
    const auditArgs: AuditPackageArgs = { uri: args?.uri ?? window.activeTextEditor?.document.uri.toString() ?? folder?.uri.toString() ?? '', ecosystem: eco, name: parsed.name, ...(parsed.spec !== '' ? { spec: parsed.spec } : {}) };
    await window.withProgress({ location: ProgressLocation.Notification, title: `Auditing ${request}…` }, () => commands.executeCommand(AUDIT_PACKAGE_COMMAND, auditArgs));
    return;
  }
  const cwd = folder?.uri.fsPath ?? process.cwd();
  const result = await window.withProgress({ location: ProgressLocation.Notification, title: `Auditing ${request}…`, cancellable: true }, (_progress, token) =>
    runCli(services.cli, { args: ['audit', '-e', cliEcosystem(eco), '--format', 'text', '--', request], cwd, env: services.env(), signal: abortOn(token).signal }));
  if (result.spawnError !== undefined || (result.exitCode !== 0 && result.exitCode !== 1)) {
    void window.showErrorMessage(`Audit of ${request} failed: ${result.spawnError ?? (result.stderr.trim().split('\n')[0] || `exit code ${String(result.exitCode)}`)}`);
    return;
  }
  await services.reports.show(`audit-${eco}-${request.replace(/[^A-Za-z0-9@._-]/g, '_')}.txt`, result.stdout);
  if (result.exitCode === 1) void window.showWarningMessage(`Safe Install would block ${request}: see the audit report.`);
}

/** `safeInstall.checkEnvironment`: fills the Environment Exposure view. */
export async function checkEnvironmentCommand(services: Services): Promise<void> {
  void commands.executeCommand('safeInstall.exposure.focus');
  const folder = targetFolder();
  const state = await window.withProgress({ location: { viewId: 'safeInstall.exposure' }, title: 'Checking the environment' }, () =>
    services.exposure.check(folder?.uri.fsPath ?? process.cwd(), folder?.uri.fsPath));
  if (state.kind === 'failed') void window.showErrorMessage(`Safe Install: Check Environment failed: ${state.message}`);
  else if (state.kind === 'done') {
    services.statusBar.setDocker(state.report.sandbox.docker ? await pingDocker(services.env()) : { ready: false, detail: state.report.sandbox.reason });
  }
}

/** `safeInstall.scanWorkspace`: the CLI scan of every manifest in the folder, into the output channel. */
export async function scanWorkspaceCommand(services: Services): Promise<void> {
  if (!services.trusted()) {
    void window.showWarningMessage('Scan Workspace reads the workspace configuration, so it needs a trusted workspace. Open manifests are still checked offline.');
    return;
  }
  const folder = targetFolder();
  if (!folder) {
    void window.showInformationMessage('Open a folder to scan.');
    return;
  }
  const result = await window.withProgress({ location: ProgressLocation.Notification, title: `Scanning ${folder.name}…`, cancellable: true }, (_p, token) =>
    runCli(services.cli, { args: ['scan', folder.uri.fsPath, '--format', 'text', '--fail-on', 'error'], cwd: folder.uri.fsPath, env: services.env(), signal: abortOn(token).signal }));
  services.output.appendLine(`── Scan of ${folder.uri.fsPath} ──`);
  services.output.append(result.stdout);
  if (result.stderr.trim() !== '') services.output.append(result.stderr);
  services.output.show(true);
  if (result.spawnError !== undefined || result.exitCode === 2) void window.showErrorMessage(`Scan failed: ${result.spawnError ?? result.stderr.trim().split('\n')[0] ?? ''}`);
  else if (result.exitCode === 1) void window.showWarningMessage(`Safe Install found problems in ${folder.name}: see the Safe Install output.`);
  else void window.showInformationMessage(`Safe Install found nothing at error level in ${folder.name}.`);
}

/**
 * `safeInstall.revealExposureFile`: shows where an exposed file is without opening it, so its content
 * never appears on screen: in the Explorer for workspace files, in the OS file manager otherwise.
 */
export async function revealExposureFileCommand(node?: ExposureNode): Promise<void> {
  if (!(node instanceof ExposureNode) || !node.file) return;
  const uri = Uri.file(node.file.file);
  await commands.executeCommand(workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS', uri);
}

/** `safeInstall.explainStatus`: what the status bar item means. */
export async function explainStatusCommand(services: Services): Promise<void> {
  // Ask again: Docker may have been started (or stopped) since the last probe.
  services.statusBar.setDocker(await pingDocker(services.env()));
  const choice = await window.showInformationMessage(explainStatus(services.statusBar.facts()), 'Check Environment', 'Show Installs');
  if (choice === 'Check Environment') await commands.executeCommand('safeInstall.checkEnvironment');
  if (choice === 'Show Installs') await commands.executeCommand('safeInstall.installs.focus');
}
