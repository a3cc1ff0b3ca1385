/** Registers every `safeInstall.*` command (ids match package.json `contributes.commands`). */
import { commands, type Disposable } from 'vscode';
import type { Services } from '../services';
import { COMMAND_IDS } from './commandIds';
import { auditPackageCommand, checkEnvironmentCommand, explainStatusCommand, revealExposureFileCommand, scanWorkspaceCommand } from './checkCommands';
import { cancelInstallCommand, installManifestCommand, installPackageCommand, rerunCommand, showReportCommand } from './installCommands';

/** Registers the commands; dispose the result to unregister them. */
export function registerCommands(services: Services): Disposable[] {
  /* eslint-disable @typescript-eslint/no-explicit-any -- command arguments come from menus and code actions untyped */
  const handlers: Record<(typeof COMMAND_IDS)[number], (...args: any[]) => unknown> = {
    'safeInstall.installPackage': (args) => installPackageCommand(services, args),
    'safeInstall.installManifest': () => installManifestCommand(services),
    'safeInstall.audit': (args) => auditPackageCommand(services, args),
    'safeInstall.checkEnvironment': () => checkEnvironmentCommand(services),
    'safeInstall.scanWorkspace': () => scanWorkspaceCommand(services),
    'safeInstall.cancelInstall': (item) => cancelInstallCommand(services, item),
    'safeInstall.showLastReport': () => showReportCommand(services),
    'safeInstall.explainStatus': () => explainStatusCommand(services),
    'safeInstall.rerunInstall': (item) => rerunCommand(services, item),
    'safeInstall.openRunReport': (item) => showReportCommand(services, item),
    'safeInstall.revealExposureFile': (node) => revealExposureFileCommand(node),
  };
  return COMMAND_IDS.map((id) => commands.registerCommand(id, handlers[id]));
}
