import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { addTyposquatAllow } from '../../../shared/src/config/addTyposquatAllow';
import { defaultUserConfigPath, loadEffectiveConfig } from '../../../shared/src/config/loadEffectiveConfig';
import type { TextFileReader } from '../../../shared/src/io';
import { parseGoMod } from '../../../shared/src/manifests/goMod';
import { parseManifest } from '../../../shared/src/manifests/index';
import { parsePackageJson } from '../../../shared/src/manifests/packageJson';
import { isConstraintsFileName, parseRequirements } from '../../../shared/src/manifests/requirements';
import type { ManifestKind, ParsedManifest } from '../../../shared/src/model';
import { loadTyposquatDetector } from '../../../shared/src/typosquat/loadDetector';
import type { ConfigLocations, IncludedManifest, LoadedConfig, ServerEngine } from './serverEngine';

// INTERIM: used only while parseManifest is not wired to a parser yet (it throws "not implemented").
const DIRECT_PARSERS: Partial<Record<ManifestKind, (text: string) => ParsedManifest>> = {
  requirements: parseRequirements,
  'package-json': parsePackageJson,
  'go-mod': parseGoMod,
};

function parse(kind: ManifestKind, text: string, fileName?: string): ParsedManifest {
  // A constraints file pins versions without installing anything; the parser needs to know.
  if (kind === 'requirements' && fileName !== undefined && isConstraintsFileName(fileName)) {
    return parseRequirements(text, { constraints: true });
  }
  try {
    return parseManifest(kind, text);
  } catch (error) {
    const direct = DIRECT_PARSERS[kind];
    if (error instanceof Error && /not implemented/.test(error.message)) {
      return direct ? direct(text) : { kind, ecosystem: 'PyPI', dependencies: [], errors: [] };
    }
    throw error;
  }
}

async function loadConfig(locations: ConfigLocations): Promise<LoadedConfig> {
  const effective = await loadEffectiveConfig(locations);
  return {
    config: effective.config,
    findings: effective.files.flatMap((file) => file.findings.map((finding) => ({ ...finding, file: file.path }))),
  };
}

async function resolveIncludes(filePath: string, text: string, reader: TextFileReader): Promise<IncludedManifest[]> {
  void filePath;
  void text;
  void reader;
  return [];
}

/** The real file system. */
export const fileSystemReader: TextFileReader = { readText: (filePath) => readFile(filePath, 'utf8') };

/** The shared engine as the server uses it. */
export const sharedEngine: ServerEngine = {
  parse,
  loadDetector: () => loadTyposquatDetector(),
  loadConfig,
  addTyposquatAllow,
  resolveIncludes,
  userConfigPath: () => defaultUserConfigPath(process.env, os.homedir()),
};
