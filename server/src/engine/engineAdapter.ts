import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TextFileReader } from '../../../shared/src/io';
import { parseManifest } from '../../../shared/src/manifests/index';
import type { ManifestKind, ParsedManifest } from '../../../shared/src/model';
import { interimAddTyposquatAllow, interimDetector, interimLoadConfig, interimParse } from './interimFallbacks';
import type { IncludedManifest, ServerEngine } from './serverEngine';

/** Parses with the shared parsers, falling back to the interim reader while a parser is missing. */
function parse(kind: ManifestKind, text: string): ParsedManifest {
  try {
    return parseManifest(kind, text);
  } catch (error) {
    if (error instanceof Error && /not implemented/.test(error.message)) return interimParse(kind, text);
    throw error;
  }
}

/** The user config file, following XDG on Unix and APPDATA on Windows. */
function userConfigPath(): string {
  const base =
    process.env.XDG_CONFIG_HOME ||
    (process.platform === 'win32' && process.env.APPDATA ? process.env.APPDATA : path.join(os.homedir(), '.config'));
  return path.join(base, 'safe-install', 'config.toml');
}

async function resolveIncludes(filePath: string, text: string, reader: TextFileReader): Promise<IncludedManifest[]> {
  void filePath;
  void text;
  void reader;
  return [];
}

/** The real file system, for the CLI-style callers and tests. */
export const fileSystemReader: TextFileReader = { readText: (filePath) => readFile(filePath, 'utf8') };

/** The engine as the server uses it. */
export const sharedEngine: ServerEngine = {
  parse,
  loadDetector: () => Promise.resolve(interimDetector),
  loadConfig: interimLoadConfig,
  addTyposquatAllow: interimAddTyposquatAllow,
  resolveIncludes,
  userConfigPath,
};
