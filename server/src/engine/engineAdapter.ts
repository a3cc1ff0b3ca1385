import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { addTyposquatAllow } from '../../../shared/src/config/addTyposquatAllow';
import { defaultUserConfigPath, loadEffectiveConfig } from '../../../shared/src/config/loadEffectiveConfig';
import type { TextFileReader } from '../../../shared/src/io';
import { parseManifest } from '../../../shared/src/manifests/index';
import { isConstraintsFileName, parseRequirements } from '../../../shared/src/manifests/requirements';
import type { ManifestKind, ParsedManifest, Range } from '../../../shared/src/model';
import { resolveRequirementsTree } from '../../../shared/src/manifests/requirementsIncludes';
import { loadTyposquatDetector } from '../../../shared/src/typosquat/loadDetector';
import type { SafeInstallConfig } from '../../../shared/src/config/schema';
import { DependencyIntelligence } from '../../../shared/src/engine/dependencyIntelligence';
import { auditPackage } from '../../../shared/src/intelligence/audit';
import { createClientsForProject, fileSystemConfigIo } from '../../../shared/src/intelligence/context';
import { networkIntelligence } from '../../../shared/src/intelligence/networkFindings';
import type { ConfigLocations, IncludeTree, LoadedConfig, RegistryIntelligence, ServerEngine } from './serverEngine';

function parse(kind: ManifestKind, text: string, fileName?: string): ParsedManifest {
  // A constraints file pins versions without installing anything; the parser needs to know.
  if (kind === 'requirements' && fileName !== undefined && isConstraintsFileName(fileName)) {
    return parseRequirements(text, { constraints: true });
  }
  return parseManifest(kind, text);
}

async function loadConfig(locations: ConfigLocations): Promise<LoadedConfig> {
  const effective = await loadEffectiveConfig(locations);
  return {
    config: effective.config,
    findings: effective.files.flatMap((file) => file.findings.map((finding) => ({ ...finding, file: file.path }))),
  };
}

async function resolveIncludes(filePath: string, text: string, reader: TextFileReader): Promise<IncludeTree> {
  const tree = await resolveRequirementsTree(filePath, reader, { rootText: text });
  const [root, ...rest] = tree.files;
  // The server parses the root itself; of the tree's root errors it needs only those on include lines.
  const includeRanges = new Set((root?.manifest.includes ?? []).map((inc) => rangeKey(inc.range)));
  return {
    included: rest.map((file) => ({ filePath: file.path, manifest: file.manifest })),
    rootErrors: (root?.manifest.errors ?? []).filter((e) => includeRanges.has(rangeKey(e.range))),
  };
}

function rangeKey(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Clients from the user's package-manager config (HOME, the environment, the project's own .npmrc / .cargo). */
async function registryIntelligence(projectDir: string | undefined, config: SafeInstallConfig): Promise<RegistryIntelligence> {
  const home = os.homedir();
  const clients = await createClientsForProject(fileSystemConfigIo(process.env, home, projectDir ?? home), config);
  const memo = new DependencyIntelligence((manifest, signal) => networkIntelligence(manifest, { clients, config, signal }));
  return {
    check: (manifest, signal) => memo.check(manifest, signal),
    peek: (manifest) => memo.peek(manifest),
    cardFor: (dep, manifest) => memo.cardFor(dep, manifest),
    isPending: (dep, manifest) => memo.isPending(dep, manifest),
    audit: (ecosystem, name, spec, signal) => auditPackage(ecosystem, name, spec === undefined || spec.trim() === '' ? undefined : spec.trim(), { clients, config, signal }),
  };
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
  registryIntelligence,
};
