/**
 * The Environment Exposure view: check-env results grouped by kind, each with its severity icon, where it
 * is, and a tooltip on what to do. Items show locations and kinds only; the report holds no secret values.
 */
import os from 'node:os';
import path from 'node:path';
import { EventEmitter, MarkdownString, ThemeIcon, TreeItem, TreeItemCollapsibleState, Uri, type TreeDataProvider } from 'vscode';
import type { ExposureItem } from '../../../shared/src/exposure/types';
import { exposureFilePath, groupExposure, type ExposureGroup } from '../exposure/exposureReport';
import type { ExposureService } from '../exposure/exposureService';
import { severityIcon } from './icons';

/** A category heading. */
class GroupNode extends TreeItem {
  constructor(readonly group: ExposureGroup) {
    super(group.title, TreeItemCollapsibleState.Expanded);
    this.id = `exposure/${group.category}`;
    this.description = String(group.items.length);
    this.iconPath = severityIcon(group.worst);
  }
}

/** One exposure; `file` is set when it points at a file the user can open. */
export class ExposureNode extends TreeItem {
  constructor(readonly item: ExposureItem, readonly file: { file: string; line?: number } | undefined) {
    super(item.title, TreeItemCollapsibleState.None);
    this.id = `exposure/item/${item.id}`;
    this.description = item.location;
    this.iconPath = severityIcon(item.severity);
    const tip = new MarkdownString(undefined, true);
    tip.appendMarkdown(`**${item.severity.toUpperCase()}** · `).appendText(item.title).appendMarkdown('\n\n');
    tip.appendText(item.location).appendMarkdown('\n\n');
    tip.appendMarkdown('**What to do:** ').appendText(item.advice);
    tip.appendMarkdown('\n\n').appendText(`kind: ${item.kind}${item.sizeBytes !== undefined ? ` · ${item.sizeBytes} bytes` : ''}${item.modifiedAt !== undefined ? ` · modified ${item.modifiedAt}` : ''}`);
    this.tooltip = tip;
    this.contextValue = file ? 'safeInstall.exposure.file' : 'safeInstall.exposure.item';
    if (file) this.resourceUri = Uri.file(file.file);
  }
}

/** A status line (running, failed). */
class MessageNode extends TreeItem {
  constructor(label: string, icon: string) {
    super(label, TreeItemCollapsibleState.None);
    this.iconPath = new ThemeIcon(icon);
  }
}

type Node = GroupNode | ExposureNode | MessageNode;

/** Tree data for the Environment Exposure view. An empty tree shows the view's welcome content. */
export class ExposureTreeProvider implements TreeDataProvider<Node> {
  private readonly changed = new EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly unsubscribe: () => void;

  constructor(private readonly service: ExposureService, private readonly workspaceRoot: () => string | undefined) {
    this.unsubscribe = service.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: Node): TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    const state = this.service.state;
    if (node instanceof GroupNode) {
      return node.group.items.map((item) => new ExposureNode(item, exposureFilePath(item.location, os.homedir(), this.workspaceRoot(), path.join)));
    }
    if (node) return [];
    if (state.kind === 'never') return [];
    if (state.kind === 'running') return [new MessageNode('Checking the environment…', 'loading~spin')];
    if (state.kind === 'failed') return [new MessageNode(`Check failed: ${state.message}`, 'error')];
    const groups = groupExposure(state.report.items);
    return groups.length > 0 ? groups.map((g) => new GroupNode(g)) : [new MessageNode('Nothing an install could read was found', 'pass')];
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}
