/**
 * The Installs view: each run with its phases as children (queued → … → done/failed/cancelled), the
 * artifacts with their SHA-256, and the findings. Context values drive the menus (report, re-run, cancel).
 */
import { EventEmitter, MarkdownString, ThemeIcon, TreeItem, TreeItemCollapsibleState, type TreeDataProvider } from 'vscode';
import type { FindingEvent } from '../../../shared/src/protocol';
import type { InstallManager } from '../install/installManager';
import { isFinished, type ArtifactRow, type InstallRun, type PhaseRow } from '../install/installRun';
import { phaseIcon, runIcon, severityIcon } from './icons';

/** A run at the top level. */
export class RunItem extends TreeItem {
  constructor(readonly run: InstallRun) {
    super(run.title, isFinished(run.state) ? TreeItemCollapsibleState.Collapsed : TreeItemCollapsibleState.Expanded);
    this.id = run.id;
    const phase = run.currentPhase;
    this.description = phase ? `${run.state} · ${phase.label}` : run.state;
    this.iconPath = runIcon(run.state);
    this.contextValue = isFinished(run.state) ? 'safeInstall.run.finished' : 'safeInstall.run.active';
    this.tooltip = new MarkdownString(`**${run.title}**\n\n${run.verdictMessage ?? run.state}\n\nStarted ${new Date(run.startedAt).toLocaleTimeString()}`);
  }
}

/** A phase (or the queued / final state) of a run. */
class PhaseItem extends TreeItem {
  constructor(runId: string, row: Pick<PhaseRow, 'label' | 'state' | 'network' | 'ms' | 'detail'>, key: string) {
    super(row.label, TreeItemCollapsibleState.None);
    this.id = `${runId}/phase/${key}`;
    const parts: string[] = [key === 'final' ? (row.detail ?? row.state) : row.state];
    if (row.network !== undefined) parts.push(`network: ${row.network}`);
    if (row.ms !== undefined) parts.push(`${(row.ms / 1000).toFixed(1)} s`);
    this.description = parts.join(' · ');
    this.iconPath = phaseIcon(row.state);
    this.tooltip = row.detail ?? this.description;
  }
}

/** A heading (Artifacts, Findings) with children. */
class GroupItem extends TreeItem {
  constructor(readonly runId: string, readonly group: 'artifacts' | 'findings', count: number) {
    super(group === 'artifacts' ? 'Artifacts' : 'Findings', count > 0 ? TreeItemCollapsibleState.Collapsed : TreeItemCollapsibleState.None);
    this.id = `${runId}/${group}`;
    this.description = String(count);
    this.iconPath = new ThemeIcon(group === 'artifacts' ? 'package' : 'search');
  }
}

class ArtifactItem extends TreeItem {
  constructor(runId: string, artifact: ArtifactRow) {
    super(artifact.version !== undefined ? `${artifact.name}@${artifact.version}` : artifact.name, TreeItemCollapsibleState.None);
    this.id = `${runId}/artifact/${artifact.name}@${artifact.version ?? ''}`;
    this.description = artifact.sha256 !== undefined ? `sha256:${artifact.sha256.slice(0, 16)}…` : artifact.state;
    this.tooltip = new MarkdownString(`**${this.label as string}** — ${artifact.state}${artifact.sha256 !== undefined ? `\n\nSHA-256 \`${artifact.sha256}\`` : ''}${artifact.detail !== undefined ? `\n\n${artifact.detail}` : ''}`);
    this.iconPath = new ThemeIcon('file-binary');
  }
}

class FindingItem extends TreeItem {
  constructor(runId: string, index: number, finding: FindingEvent) {
    super(`${finding.package}: ${finding.message}`, TreeItemCollapsibleState.None);
    this.id = `${runId}/finding/${index}`;
    this.description = `${finding.severity} · ${finding.rule}`;
    this.tooltip = finding.file !== undefined ? `${finding.message}\n${finding.file}` : finding.message;
    this.iconPath = severityIcon(finding.severity);
  }
}

/** Any item of the Installs view. */
export type InstallsNode = RunItem | PhaseItem | GroupItem | ArtifactItem | FindingItem;
type Node = InstallsNode;

/** Tree data for the Installs view, refreshed on every run change. */
export class InstallsTreeProvider implements TreeDataProvider<Node> {
  private readonly changed = new EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly manager: InstallManager) {
    // Coalesce bursts of log events into one redraw.
    this.unsubscribe = manager.onDidChange(() => {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.changed.fire(undefined);
      }, 50);
    });
  }

  getTreeItem(node: Node): TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.manager.runs.map((run) => new RunItem(run));
    if (node instanceof RunItem) return runChildren(node.run);
    if (node instanceof GroupItem) {
      const run = this.manager.runs.find((r) => r.id === node.runId);
      if (!run) return [];
      return node.group === 'artifacts'
        ? [...run.artifacts.values()].map((a) => new ArtifactItem(run.id, a))
        : run.findings.map((f, i) => new FindingItem(run.id, i, f));
    }
    return [];
  }

  /** Runs are roots; `reveal` only ever asks about them. */
  getParent(): Node | undefined {
    return undefined;
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.unsubscribe();
    this.changed.dispose();
  }
}

function runChildren(run: InstallRun): Node[] {
  const nodes: Node[] = [new PhaseItem(run.id, { label: 'queued', state: run.state === 'queued' ? 'running' : 'done' }, 'queued')];
  run.phases.forEach((row) => nodes.push(new PhaseItem(run.id, row, row.phase)));
  if (isFinished(run.state)) {
    const ok = run.state === 'installed' || run.state === 'dry-run';
    nodes.push(new PhaseItem(run.id, { label: ok ? 'done' : run.state, state: ok ? 'done' : run.state === 'cancelled' ? 'skipped' : 'failed', detail: run.verdictMessage ?? '' }, 'final'));
  }
  nodes.push(new GroupItem(run.id, 'artifacts', run.artifacts.size), new GroupItem(run.id, 'findings', run.findings.length));
  return nodes;
}
