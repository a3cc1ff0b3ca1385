/** Install Package…, Install This Manifest's Dependencies, Cancel Install, Show Last Report, and the Installs view's menus. */
import path from 'node:path';
import { window } from 'vscode';
import { manifestKindForPath, parseManifest } from '../../../shared/src/manifests/index';
import type { Ecosystem } from '../../../shared/src/model';
import type { PackageCommandArgs } from '../actions/packageCodeActions';
import { toEcosystem } from '../install/ecosystems';
import { manifestRequests } from '../install/installArgs';
import type { InstallRequest, InstallRun } from '../install/installRun';
import { openInstallTerminal } from '../install/installTerminal';
import { renderRunReport } from '../report/runReport';
import type { Services } from '../services';
import { RunItem } from '../views/installsTree';
import { pickPackage, validateRequest } from './pickPackage';
import { targetFolder } from './targetFolder';

const UNTRUSTED = 'Safe Install does not install packages in an untrusted workspace. Trust the workspace first (Workspaces: Manage Workspace Trust).';

/** Starts a run: registers it, opens its terminal (which starts it) and reveals it in the Installs view. */
export function startInstall(services: Services, request: InstallRequest): InstallRun {
  const run = services.installs.create(request);
  openInstallTerminal(run, services.installs);
  // Shows the Installs view with the new run selected; the terminal keeps the focus.
  void services.installsView.reveal(new RunItem(run), { select: true, focus: false, expand: true }).then(undefined, () => undefined);
  return run;
}

/** `safeInstall.installPackage`: from the palette (prompts) or a code action (arguments). */
export async function installPackageCommand(services: Services, args?: PackageCommandArgs): Promise<InstallRun | undefined> {
  if (!services.trusted()) {
    void window.showWarningMessage(UNTRUSTED);
    return undefined;
  }
  let picked: { ecosystem: Ecosystem; request: string } | undefined;
  const ecosystem = toEcosystem(args?.ecosystem);
  if (ecosystem !== undefined && typeof args?.request === 'string') {
    const problem = validateRequest(ecosystem, args.request);
    if (problem !== undefined) {
      void window.showErrorMessage(problem);
      return undefined;
    }
    picked = { ecosystem, request: args.request };
  } else {
    picked = await pickPackage('Install');
  }
  if (!picked) return undefined;
  const folder = targetFolder(args?.uri);
  if (!folder) {
    void window.showWarningMessage('Open a folder first: Safe Install installs into the folder\'s environment.');
    return undefined;
  }
  return startInstall(services, { ecosystem: picked.ecosystem, packages: [picked.request], dryRun: false, cwd: folder.uri.fsPath });
}

/** `safeInstall.installManifest`: every registry dependency of the manifest in the active editor. */
export async function installManifestCommand(services: Services): Promise<InstallRun | undefined> {
  if (!services.trusted()) {
    void window.showWarningMessage(UNTRUSTED);
    return undefined;
  }
  const document = window.activeTextEditor?.document;
  const kind = document ? manifestKindForPath(path.basename(document.uri.path)) ?? (document.languageId === 'pip-requirements' ? 'requirements' : undefined) : undefined;
  if (!document || !kind) {
    void window.showInformationMessage('Open a manifest (requirements.txt, pyproject.toml, package.json, Cargo.toml, go.mod or Gemfile) first.');
    return undefined;
  }
  const manifest = parseManifest(kind, document.getText());
  const { requests, skipped } = manifestRequests(manifest.dependencies);
  if (skipped.length > 0) services.output.appendLine(`Install from ${document.uri.fsPath}:\n  ${skipped.join('\n  ')}`);
  if (requests.length === 0) {
    void window.showInformationMessage('This manifest has no registry dependencies to install.');
    return undefined;
  }
  const folder = targetFolder(document.uri.toString());
  const cwd = folder?.uri.fsPath ?? path.dirname(document.uri.fsPath);
  const ecosystem = manifest.dependencies.find((d) => d.source === 'registry')?.ecosystem ?? manifest.ecosystem;
  const answer = await window.showInformationMessage(
    `Install ${requests.length} ${ecosystem} package${requests.length === 1 ? '' : 's'} from ${path.basename(document.uri.path)} through the sandbox?`,
    { modal: true, detail: requests.slice(0, 20).join('\n') + (requests.length > 20 ? `\n… and ${requests.length - 20} more` : '') },
    'Install', 'Dry Run',
  );
  if (answer === undefined) return undefined;
  return startInstall(services, { ecosystem, packages: requests, manifest: path.basename(document.uri.path), dryRun: answer === 'Dry Run', cwd });
}

/** `safeInstall.cancelInstall`: cancels the running install (asks which when several run). */
export async function cancelInstallCommand(services: Services, item?: RunItem): Promise<void> {
  if (item instanceof RunItem) {
    services.installs.cancel(item.run);
    return;
  }
  const active = services.installs.active;
  if (active.length === 0) {
    void window.showInformationMessage('No install is running.');
    return;
  }
  const target = active.length === 1 ? active[0]
    : (await window.showQuickPick(active.map((run) => ({ label: run.title, description: run.currentPhase?.label ?? run.state, run })), { title: 'Cancel which install?' }))?.run;
  if (target) services.installs.cancel(target);
}

/** `safeInstall.showLastReport` (or the report of a run picked in the Installs view). */
export async function showReportCommand(services: Services, item?: RunItem): Promise<void> {
  const run = item instanceof RunItem ? item.run : services.installs.lastFinished ?? services.installs.runs[0];
  if (!run) {
    void window.showInformationMessage('No install has run in this window yet.');
    return;
  }
  await services.reports.show(`install-${run.id}.md`, renderRunReport(run));
}

/** `safeInstall.rerunInstall`: the same request again, in a new terminal. */
export function rerunCommand(services: Services, item?: RunItem): InstallRun | undefined {
  const run = item instanceof RunItem ? item.run : services.installs.lastFinished;
  if (!run) return undefined;
  if (!services.trusted()) {
    void window.showWarningMessage(UNTRUSTED);
    return undefined;
  }
  return startInstall(services, { ...run.request });
}
