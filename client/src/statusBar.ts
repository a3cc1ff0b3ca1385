/**
 * The status bar item: install running / sandbox ready / Docker missing / restricted (untrusted).
 * Clicking it runs `safeInstall.explainStatus`, which says what the state means and what to do.
 */
import { commands, StatusBarAlignment, ThemeColor, window, type Disposable, type StatusBarItem } from 'vscode';
import type { InstallManager } from './install/installManager';
import type { DockerStatus } from './sandboxStatus';

/** Everything the item shows, kept so the explain command can describe it. */
export interface StatusFacts {
  trusted: boolean;
  docker: DockerStatus | undefined;
  running: string[];
}

/** The status bar item and the facts behind it. */
export class SafeInstallStatusBar implements Disposable {
  private readonly item: StatusBarItem;
  private docker: DockerStatus | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly manager: InstallManager, private readonly trusted: () => boolean) {
    this.item = window.createStatusBarItem('safeInstall.status', StatusBarAlignment.Left, 50);
    this.item.name = 'Safe Install';
    this.item.command = 'safeInstall.explainStatus';
    this.unsubscribe = manager.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  /** Records a new Docker probe result. */
  setDocker(status: DockerStatus): void {
    this.docker = status;
    this.render();
  }

  /** What the item currently reflects. */
  facts(): StatusFacts {
    return { trusted: this.trusted(), docker: this.docker, running: this.manager.active.map((r) => r.title) };
  }

  private runningKey: boolean | undefined;

  /** Redraws from the current facts. */
  render(): void {
    const { trusted, docker, running } = this.facts();
    // Context key for menus: Cancel Install shows only while something runs.
    if (this.runningKey !== running.length > 0) {
      this.runningKey = running.length > 0;
      void commands.executeCommand('setContext', 'safeInstall.installRunning', this.runningKey);
    }
    this.item.backgroundColor = undefined;
    if (running.length > 0) {
      this.item.text = `$(sync~spin) Safe Install: installing${running.length > 1 ? ` (${running.length})` : ''}`;
      this.item.tooltip = `Installing in the sandbox: ${running.join(', ')}. Click for details.`;
    } else if (!trusted) {
      this.item.text = '$(workspace-untrusted) Safe Install: restricted';
      this.item.tooltip = 'Untrusted workspace: only offline checks run; no installs or audits. Click for details.';
    } else if (docker === undefined) {
      this.item.text = '$(loading~spin) Safe Install';
      this.item.tooltip = 'Checking whether Docker is available…';
    } else if (docker.ready) {
      this.item.text = '$(shield) Sandbox ready';
      this.item.tooltip = `${docker.detail} Click for details.`;
    } else {
      this.item.text = '$(warning) Safe Install: Docker missing';
      this.item.tooltip = `${docker.detail} Click for details.`;
      this.item.backgroundColor = new ThemeColor('statusBarItem.warningBackground');
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.item.dispose();
  }
}

/** The explanation the status item's click shows. */
export function explainStatus(facts: StatusFacts): string {
  if (facts.running.length > 0) return `Safe Install is installing ${facts.running.join(', ')} in the sandbox. Cancel from the Installs view, with "Safe Install: Cancel Install", or by pressing Ctrl+C in its terminal.`;
  if (!facts.trusted) return 'This workspace is not trusted, so Safe Install only runs offline checks on your manifests: it does not install or audit packages and ignores the workspace safe-install.toml. Trust the workspace to enable them.';
  if (facts.docker === undefined) return 'Safe Install is still checking whether Docker is available.';
  if (facts.docker.ready) return `${facts.docker.detail} Package code is fetched and built in a container with no access to your home folder, credentials or network.`;
  return `${facts.docker.detail} Without Docker, installs can only hide your credentials (the vault), which is weaker than the container sandbox. Install or start Docker, then run "Safe Install: Check Environment".`;
}
