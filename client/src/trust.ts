/**
 * Workspace Trust: in an untrusted workspace only offline checks run; nothing is installed or audited,
 * and the server is told not to read the workspace's safe-install.toml. The `safeInstall.trusted`
 * context key hides the install/audit commands and menus.
 */
import { commands, workspace, type Disposable } from 'vscode';

/** The context key menus and views use. */
export const TRUSTED_CONTEXT_KEY = 'safeInstall.trusted';

/** What the server receives in `initializationOptions`. */
export interface ServerInitOptions {
  /** False: offline checks only, and the workspace safe-install.toml is not read. */
  trusted: boolean;
}

/** Sets the context key now and whenever trust is granted; `onGranted` runs after the grant. */
export function watchTrust(onGranted: () => void): Disposable {
  void commands.executeCommand('setContext', TRUSTED_CONTEXT_KEY, workspace.isTrusted);
  return workspace.onDidGrantWorkspaceTrust(() => {
    void commands.executeCommand('setContext', TRUSTED_CONTEXT_KEY, true);
    onGranted();
  });
}
