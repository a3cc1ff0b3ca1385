import {
  CodeActionKind,
  TextDocumentEdit,
  TextEdit,
  type CodeAction,
  type CodeActionParams,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { IGNORE_PACKAGE_COMMAND, type IgnorePackageArgs } from '../../../shared/src/protocol';
import { findingData } from '../diagnostics/toDiagnostic';

/** What building the actions needs to know about the document and the client. */
export interface CodeActionContextInfo {
  /** The document's current version, for a versioned edit; undefined when the document is not open. */
  version: number | undefined;
  /** Whether the client accepts `documentChanges` (versioned edits). */
  documentChanges: boolean;
}

/**
 * Quick fixes for typosquat diagnostics: replace the name with the intended package (preferred),
 * or allow the name in this workspace (a command, because it edits safe-install.toml).
 */
export function typosquatCodeActions(params: CodeActionParams, info: CodeActionContextInfo): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
  const uri = params.textDocument.uri;
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    const data = findingData(diagnostic);
    if (!data || data.rule !== 'typosquat') continue;
    const intended = typeof data.intended === 'string' ? data.intended : data.suggestion;
    if (intended) {
      const edit = TextEdit.replace(diagnostic.range, intended);
      const workspaceEdit: WorkspaceEdit =
        info.documentChanges && info.version !== undefined
          ? { documentChanges: [TextDocumentEdit.create({ uri, version: info.version }, [edit])] }
          : { changes: { [uri]: [edit] } };
      actions.push({
        title: `Replace with '${intended}'`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: workspaceEdit,
      });
    }
    const args: IgnorePackageArgs = { uri, ecosystem: data.ecosystem, name: data.package };
    actions.push({
      title: `Ignore '${data.package}' in this workspace`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: `Ignore '${data.package}' in this workspace`, command: IGNORE_PACKAGE_COMMAND, arguments: [args] },
    });
  }
  return actions;
}

/** Checks the arguments of the ignore command (they come from the client and may be anything). */
export function readIgnoreArgs(value: unknown): IgnorePackageArgs | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.uri !== 'string' || typeof v.ecosystem !== 'string' || typeof v.name !== 'string' || v.name === '') return undefined;
  return { uri: v.uri, ecosystem: v.ecosystem, name: v.name };
}
