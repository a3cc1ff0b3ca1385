import { CreateFile, TextDocumentEdit, TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { ECOSYSTEMS, type Ecosystem } from '../../../shared/src/model';
import { normalizeName } from '../../../shared/src/normalize';

/** The allow-list entry for a package: `ecosystem:normalised-name`, as the config's `isAllowed` reads it. */
export function allowEntry(ecosystem: string, name: string): string {
  const known = ECOSYSTEMS.find((e) => e === ecosystem) as Ecosystem | undefined;
  return known ? `${known}:${normalizeName(known, name)}` : name;
}

/** The config file as it is now: its text, or undefined when it does not exist yet. */
export interface ExistingConfigFile {
  uri: string;
  text: string | undefined;
  /** Version of the open editor, for a versioned edit. */
  version: number | undefined;
}

/**
 * The workspace edit that turns the config file into `newText`: create it when missing, otherwise
 * replace its whole text (the allow-list writer already kept the user's formatting and comments).
 */
export function configFileEdit(file: ExistingConfigFile, newText: string): WorkspaceEdit {
  if (file.text === undefined) {
    return {
      documentChanges: [
        CreateFile.create(file.uri, { ignoreIfExists: true }),
        TextDocumentEdit.create({ uri: file.uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, newText)]),
      ],
    };
  }
  const lines = file.text.split(/\r\n|\r|\n/);
  const end = { line: lines.length - 1, character: (lines[lines.length - 1] ?? '').length };
  return {
    documentChanges: [
      TextDocumentEdit.create({ uri: file.uri, version: file.version ?? null }, [
        TextEdit.replace({ start: { line: 0, character: 0 }, end }, newText),
      ]),
    ],
  };
}
