/**
 * The code action the editor adds beside the server's Replace / Audit / Ignore: "Install <package> in
 * sandbox" on a dependency line, running the same CLI engine as the Install command. The dependency
 * under the cursor is found with the shared parsers (pure, no I/O). Nothing is offered in an untrusted
 * workspace, and a package flagged as a typosquat is never offered for install.
 */
import path from 'node:path';
import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
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

/** Arguments of the install (and audit) commands when a code action or another command runs them. */
export interface PackageCommandArgs {
  ecosystem: string;
  request: string;
  uri?: string;
}

/** Kind of the actions offered on lines without a diagnostic (they appear under "More Actions"). */
export const PACKAGE_ACTION_KIND = CodeActionKind.Empty.append('safeInstall');

/** Provides the Install-in-sandbox action for the dependency at the cursor. */
export class PackageCodeActionProvider implements CodeActionProvider {
  static readonly metadata = { providedCodeActionKinds: [CodeActionKind.QuickFix, PACKAGE_ACTION_KIND] };

  /** Parsed dependencies per document version: code actions are asked for on every cursor move. */
  private readonly parsed = new WeakMap<TextDocument, { version: number; deps: Dependency[] }>();

  constructor(private readonly trusted: () => boolean) {}

  provideCodeActions(document: TextDocument, range: Range | Selection, context: CodeActionContext): CodeAction[] {
    if (!this.trusted()) return [];
    const kind = manifestKindForPath(path.basename(document.uri.path)) ?? (document.languageId === 'pip-requirements' ? 'requirements' : undefined);
    if (!kind) return [];
    let deps = this.parsed.get(document)?.version === document.version ? this.parsed.get(document)?.deps : undefined;
    if (!deps) {
      try {
        deps = parseManifest(kind, document.getText()).dependencies;
      } catch {
        return [];
      }
      this.parsed.set(document, { version: document.version, deps });
    }
    const line = range.start.line;
    const dep = deps.find((d) => d.source === 'registry' && d.nameRange.start.line <= line && (d.specRange ?? d.nameRange).end.line >= line);
    if (!dep) return [];
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.range.start.line === dep.nameRange.start.line);
    // Typosquats and error-level findings (known malware) are never offered for install.
    const flagged = ours.some((d) => diagnosticPackage(d)?.rule === 'typosquat' || d.severity === DiagnosticSeverity.Error);
    const actionKind = ours.length > 0 ? CodeActionKind.QuickFix : PACKAGE_ACTION_KIND;
    const request = dependencyRequest(dep);
    const args: PackageCommandArgs = { ecosystem: dep.ecosystem, request, uri: document.uri.toString() };
    const actions: CodeAction[] = [];
    if (!flagged) {
      const install = new CodeAction(`Install ${dep.name} in sandbox`, actionKind);
      install.command = { title: install.title, command: 'safeInstall.installPackage', arguments: [args] };
      install.diagnostics = ours;
      actions.push(install);
    }
    return actions;
  }
}
