/**
 * The Findings view: the language server's diagnostics grouped per manifest, then per package, each
 * linked to its line. Read from the editor's diagnostics, so it always matches the squiggles.
 */
import path from 'node:path';
import {
  DiagnosticSeverity,
  EventEmitter,
  languages,
  ThemeIcon,
  TreeItem,
  TreeItemCollapsibleState,
  workspace,
  type Diagnostic,
  type Disposable,
  type TreeDataProvider,
  type Uri,
} from 'vscode';
import { severityIcon } from './icons';

/** The `source` the server puts on its diagnostics. */
export const DIAGNOSTIC_SOURCE = 'safe-install';

/** The package a diagnostic is about, from the data the server attaches (kept by the language client). */
export function diagnosticPackage(diagnostic: Diagnostic): { ecosystem: string; name: string; rule: string; intended?: string } | undefined {
  const data: unknown = (diagnostic as Diagnostic & { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d.package !== 'string' || typeof d.ecosystem !== 'string' || typeof d.rule !== 'string') return undefined;
  const intended = typeof d.intended === 'string' ? d.intended : typeof d.suggestion === 'string' ? d.suggestion : undefined;
  return intended !== undefined ? { ecosystem: d.ecosystem, name: d.package, rule: d.rule, intended } : { ecosystem: d.ecosystem, name: d.package, rule: d.rule };
}

const SEVERITY_NAME: Record<DiagnosticSeverity, 'error' | 'warning' | 'information' | 'hint'> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

class ManifestNode extends TreeItem {
  constructor(readonly uri: Uri, readonly diagnostics: readonly Diagnostic[]) {
    super(path.basename(uri.path), TreeItemCollapsibleState.Expanded);
    this.id = `findings/${uri.toString()}`;
    this.resourceUri = uri;
    // The folder only when it adds something (not for a manifest at the workspace root).
    const folder = path.dirname(workspace.asRelativePath(uri, false));
    this.description = folder === '.' ? String(diagnostics.length) : `${folder} · ${diagnostics.length}`;
    this.iconPath = ThemeIcon.File;
  }
}

class PackageNode extends TreeItem {
  constructor(readonly uri: Uri, readonly name: string, readonly diagnostics: readonly Diagnostic[]) {
    super(name === '' ? '(file)' : name, TreeItemCollapsibleState.Expanded);
    this.id = `findings/${uri.toString()}/${name}`;
    this.description = String(diagnostics.length);
    const worst = Math.min(...diagnostics.map((d) => d.severity));
    this.iconPath = severityIcon(SEVERITY_NAME[worst as DiagnosticSeverity] ?? 'hint');
  }
}

class DiagnosticNode extends TreeItem {
  constructor(uri: Uri, name: string, diagnostic: Diagnostic, index: number) {
    super(diagnostic.message.split('\n')[0] ?? '', TreeItemCollapsibleState.None);
    this.id = `findings/${uri.toString()}/${name}/#${index}`;
    this.description = `line ${diagnostic.range.start.line + 1}${diagnostic.code !== undefined ? ` · ${typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code)}` : ''}`;
    this.tooltip = diagnostic.message;
    this.iconPath = severityIcon(SEVERITY_NAME[diagnostic.severity]);
    this.command = { title: 'Go to finding', command: 'vscode.open', arguments: [uri, { selection: diagnostic.range, preserveFocus: false }] };
  }
}

type Node = ManifestNode | PackageNode | DiagnosticNode;

/** Tree data for the Findings view, refreshed when diagnostics change. */
export class FindingsTreeProvider implements TreeDataProvider<Node>, Disposable {
  private readonly changed = new EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: Disposable;
  private pending: NodeJS.Timeout | undefined;

  constructor() {
    this.subscription = languages.onDidChangeDiagnostics(() => {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        this.changed.fire(undefined);
      }, 100);
    });
  }

  getTreeItem(node: Node): TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return languages.getDiagnostics()
        .map(([uri, list]) => [uri, list.filter((d) => d.source === DIAGNOSTIC_SOURCE)] as const)
        .filter(([, list]) => list.length > 0)
        .sort(([a], [b]) => a.toString().localeCompare(b.toString()))
        .map(([uri, list]) => new ManifestNode(uri, list));
    }
    if (node instanceof ManifestNode) {
      const byPackage = new Map<string, Diagnostic[]>();
      for (const d of node.diagnostics) {
        const name = diagnosticPackage(d)?.name ?? '';
        byPackage.set(name, [...(byPackage.get(name) ?? []), d]);
      }
      return [...byPackage].map(([name, list]) => new PackageNode(node.uri, name, list));
    }
    if (node instanceof PackageNode) {
      return node.diagnostics.map((d, i) => new DiagnosticNode(node.uri, node.name, d, i));
    }
    return [];
  }

  dispose(): void {
    if (this.pending) clearTimeout(this.pending);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
