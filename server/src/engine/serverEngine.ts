import type { SafeInstallConfig } from '../../../shared/src/config/schema';
import type { TextFileReader } from '../../../shared/src/io';
import type { ManifestKind, ParsedManifest, ParseError, Range, Severity } from '../../../shared/src/model';
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
  projectConfigPath: string;
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
}
