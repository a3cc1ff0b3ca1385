/**
 * Code actions the editor adds beside the server's Replace/Ignore: "Audit <package>" and "Install
 * <package> in sandbox" on a dependency line. They run the same CLI engine as the commands. The
 * dependency under the cursor is found with the shared parsers (pure, no I/O). Nothing is offered in
 * an untrusted workspace, and a package flagged as a typosquat is offered for audit, never for install.
 */
import path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  type CodeActionContext,
  type CodeActionProvider,
  type Range,
  type Selection,
  type TextDocument,
} from 'vscode';
import { manifestKindForPath, parseManifest } from '../../../shared/src/manifests/index';
import type { Dependency } from '../../../shared/src/model';
import { dependencyRequest } from '../install/installArgs';
import { DIAGNOSTIC_SOURCE, diagnosticPackage } from '../views/findingsTree';

/** Arguments of the audit/install commands when a code action runs them. */
export interface PackageCommandArgs {
  ecosystem: string;
  request: string;
  uri?: string;
}

/** Kind of the actions offered on lines without a diagnostic (they appear under "More Actions"). */
export const PACKAGE_ACTION_KIND = CodeActionKind.Empty.append('safeInstall');

/** Provides Audit / Install-in-sandbox actions for the dependency at the cursor. */
export class PackageCodeActionProvider implements CodeActionProvider {
  static readonly metadata = { providedCodeActionKinds: [CodeActionKind.QuickFix, PACKAGE_ACTION_KIND] };

  constructor(private readonly trusted: () => boolean) {}

  provideCodeActions(document: TextDocument, range: Range | Selection, context: CodeActionContext): CodeAction[] {
    if (!this.trusted()) return [];
    const kind = manifestKindForPath(path.basename(document.uri.path)) ?? (document.languageId === 'pip-requirements' ? 'requirements' : undefined);
    if (!kind) return [];
    let deps: Dependency[];
    try {
      deps = parseManifest(kind, document.getText()).dependencies;
    } catch {
      return [];
    }
    const line = range.start.line;
    const dep = deps.find((d) => d.source === 'registry' && d.nameRange.start.line <= line && (d.specRange ?? d.nameRange).end.line >= line);
    if (!dep) return [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.start.line === dep.nameRange.start.line);
    const flagged = ours.some((d) => diagnosticPackage(d)?.rule === 'typosquat');
    const actionKind = ours.length > 0 ? CodeActionKind.QuickFix : PACKAGE_ACTION_KIND;
    const request = dependencyRequest(dep);
    const args: PackageCommandArgs = { ecosystem: dep.ecosystem, request, uri: document.uri.toString() };
    const actions: CodeAction[] = [];
    const audit = new CodeAction(`Audit ${dep.name}`, actionKind);
    audit.command = { title: audit.title, command: 'safeInstall.auditPackage', arguments: [args] };
    audit.diagnostics = ours;
    actions.push(audit);
    if (!flagged) {
      const install = new CodeAction(`Install ${dep.name} in sandbox`, actionKind);
      install.command = { title: install.title, command: 'safeInstall.installPackage', arguments: [args] };
      install.diagnostics = ours;
      actions.push(install);
    }
    return actions;
  }
}
