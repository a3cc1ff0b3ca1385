import type { SafeInstallConfig } from '../../../shared/src/config/schema';
import type { DependencyIntelligenceResult } from '../../../shared/src/engine/dependencyIntelligence';
import type { AuditReport } from '../../../shared/src/intelligence/audit';
import type { PackageCard } from '../../../shared/src/intelligence/card';
import type { TextFileReader } from '../../../shared/src/io';
import type { Dependency, Ecosystem, ManifestKind, ParsedManifest, ParseError, Range, Severity } from '../../../shared/src/model';
import type { TyposquatDetector } from '../../../shared/src/typosquat/detector';

/** A problem in a config file. */
export interface ConfigFileFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  /** The config file (an absolute path). */
  file: string;
}

/** The effective config of one project and the problems found reading its config files. */
export interface LoadedConfig {
  config: SafeInstallConfig;
  findings: ConfigFileFinding[];
}

/** Where the config files of one project are. */
export interface ConfigLocations {
  userConfigPath: string;
  /** Omitted: the project's safe-install.toml is not read (an untrusted workspace). */
  projectConfigPath?: string;
  reader: TextFileReader;
}

/** One requirements file reached through `-r`/`-c`, parsed (its own include problems are in its errors). */
export interface IncludedManifest {
  filePath: string;
  manifest: ParsedManifest;
}

/** What following a requirements file's includes found. */
export interface IncludeTree {
  included: IncludedManifest[];
  /** Problems with the root's own include lines (missing file, cycle, limits). */
  rootErrors: ParseError[];
}

/**
 * Registry intelligence for one project and config: the network stage, hovers and the audit command use it.
 * Answers are remembered per dependency line, so edits do not ask again.
 */
export interface RegistryIntelligence {
  /** Findings for the manifest's registry dependencies; rejects only when `signal` aborts. */
  check(manifest: ParsedManifest, signal: AbortSignal): Promise<DependencyIntelligenceResult>;
  /** What is already known, without asking anyone: findings of the lines with an answer (fresh or not). */
  peek(manifest: ParsedManifest): DependencyIntelligenceResult;
  /** The remembered card of one dependency. */
  cardFor(dep: Dependency, manifest: ParsedManifest): PackageCard | undefined;
  /** Whether a look-up for the dependency is under way. */
  isPending(dep: Dependency, manifest: ParsedManifest): boolean;
  /** Every signal for one package with a verdict; `spec` as written on the line (omitted: latest). */
  audit(ecosystem: Ecosystem, name: string, spec: string | undefined, signal: AbortSignal): Promise<AuditReport>;
}

/**
 * Everything the language server needs from the shared engine, in one seam: the server is written
 * against this interface, and `engineAdapter.ts` maps it onto the shared modules.
 */
export interface ServerEngine {
  /** `fileName` tells a constraints file from a requirements file. */
  parse(kind: ManifestKind, text: string, fileName?: string): ParsedManifest;
  loadDetector(): Promise<TyposquatDetector>;
  loadConfig(locations: ConfigLocations): Promise<LoadedConfig>;
  /** Returns `text` (a safe-install.toml, possibly '') with `entry` added to `[typosquat] allow`. */
  addTyposquatAllow(text: string, entry: string): string;
  /** Follows the includes of a requirements file; `filePath` is that file, `text` its current text. */
  resolveIncludes(filePath: string, text: string, reader: TextFileReader): Promise<IncludeTree>;
  /** The user-level config file (`~/.config/safe-install/config.toml` or the platform's equivalent). */
  userConfigPath(): string;
  /**
   * Registry intelligence for a project: registries from the user's package-manager config, with
   * `projectDir` (the workspace folder; undefined for a virtual workspace) for project-level files.
   */
  registryIntelligence(projectDir: string | undefined, config: SafeInstallConfig): Promise<RegistryIntelligence>;
}
