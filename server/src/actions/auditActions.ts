import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver';
import { isLookedUp } from '../../../shared/src/intelligence/networkFindings';
import { ECOSYSTEMS, type Ecosystem, type ParsedManifest } from '../../../shared/src/model';
import { AUDIT_PACKAGE_COMMAND, type AuditPackageArgs } from '../../../shared/src/protocol';
import { findingData } from '../diagnostics/toDiagnostic';

const isEcosystem = (value: string): value is Ecosystem => (ECOSYSTEMS as readonly string[]).includes(value);

/**
 * "Audit <package>" for every dependency diagnostic in the request and for every registry dependency on
 * the requested lines (no diagnostic needed), once per package.
 */
export function auditCodeActions(params: CodeActionParams, manifest: ParsedManifest | undefined): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const uri = params.textDocument.uri;
  const actions = new Map<string, CodeAction>();
  const specOf = (ecosystem: string, name: string): string | undefined =>
    manifest?.dependencies.find((d) => d.ecosystem === ecosystem && d.name === name && isLookedUp(d))?.spec;
  const add = (ecosystem: Ecosystem, name: string, spec: string | undefined, diagnostic?: Diagnostic): void => {
    const key = `${ecosystem}\u0000${name}`;
    const existing = actions.get(key);
    if (existing) {
      if (diagnostic) existing.diagnostics = [...(existing.diagnostics ?? []), diagnostic];
      return;
    }
    const args: AuditPackageArgs = { uri, ecosystem, name, ...(spec ? { spec } : {}) };
    const title = `Audit ${name}`;
    actions.set(key, {
      title,
      kind: CodeActionKind.QuickFix,
      ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
      command: { title, command: AUDIT_PACKAGE_COMMAND, arguments: [args] },
    });
  };
  for (const diagnostic of params.context.diagnostics) {
    const data = findingData(diagnostic);
    if (!data || data.package === '' || !isEcosystem(data.ecosystem)) continue;
    add(data.ecosystem, data.package, specOf(data.ecosystem, data.package), diagnostic);
  }
  for (const dep of manifest?.dependencies ?? []) {
    if (!isLookedUp(dep)) continue;
    const line = dep.nameRange.start.line;
    if (line < params.range.start.line || line > params.range.end.line) continue;
    add(dep.ecosystem, dep.name, dep.spec || undefined);
  }
  return [...actions.values()];
}

/** Checks the arguments of the audit command (they come from the client and may be anything). */
export function readAuditArgs(value: unknown): (AuditPackageArgs & { ecosystem: Ecosystem }) | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.uri !== 'string' || typeof v.ecosystem !== 'string' || !isEcosystem(v.ecosystem) || typeof v.name !== 'string' || v.name.trim() === '') return undefined;
  if (v.spec !== undefined && typeof v.spec !== 'string') return undefined;
  return { uri: v.uri, ecosystem: v.ecosystem, name: v.name.trim(), ...(typeof v.spec === 'string' && v.spec.trim() !== '' ? { spec: v.spec.trim() } : {}) };
}
