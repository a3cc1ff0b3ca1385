/**
 * What every registry client reports, whatever its wire format: one normalised package record,
 * so the signals in `intelligence/` never look at registry-specific JSON.
 */
import type { Ecosystem } from '../model';

/** One published version as the registry describes it. */
export interface VersionInfo {
  version: string;
  publishedAt?: Date;
  yanked?: boolean;
  yankedReason?: string;
  /** npm deprecation message. */
  deprecated?: string;
  /** Account that published this version (npm `_npmUser`, crates.io `published_by`). */
  publisher?: string;
  /** Install-time hooks this version runs (npm lifecycle scripts, `binding.gyp`, source-only PyPI release). */
  installScripts?: string[];
  /** PyPI: whether the release has a wheel (no wheel means the build backend runs at install). */
  hasWheel?: boolean;
}

/** Download counts and the window they cover; absent with a reason when the registry has none. */
export interface Downloads {
  count: number;
  /** Human-readable window: `last month`, `last 90 days`, `all time`. */
  period: string;
}

/** A package as found on one or more configured indexes. */
export interface PackageInfo {
  ecosystem: Ecosystem;
  name: string;
  /** Base URL of the index the metadata came from. */
  registry: string;
  /** Every configured index that lists the package. */
  foundIn: string[];
  versions: VersionInfo[];
  /** The registry's own idea of the current version (dist-tag latest, max stable, …). */
  latest?: string;
  /** npm dist-tags (name → version). */
  distTags?: Record<string, string>;
  createdAt?: Date;
  downloads?: Downloads;
  /** Why `downloads` is absent (e.g. the Go proxy publishes none). */
  downloadsUnavailable?: string;
  /** Current maintainers / owners. */
  maintainers: string[];
  repository?: string;
  homepage?: string;
  /** The package's page on the registry's web site, when it has one. */
  pageUrl?: string;
  /** Set when only an index listing (no metadata API) was available, saying what is missing. */
  metadataLimited?: string;
  /**
   * Why some configured index could not be asked although the package was found elsewhere: a copy
   * there (and so which one pip installs) is unverified.
   */
  unverified?: string[];
  /** The entries of `foundIn` that are folders on this machine (`file://` indexes, find-links): nobody else publishes there. */
  localIndexes?: string[];
  /**
   * The entries of `foundIn` that hold only byte-identical copies of the public record's files (a
   * mirror or wheelhouse): the same package, not a second one that could win.
   */
  mirrorIndexes?: string[];
}

/** Outcome of looking a package up on every configured index. */
export type LookupResult =
  | { status: 'found'; info: PackageInfo }
  | { status: 'not-found'; checked: string[] }
  | { status: 'unavailable'; reason: string };

export interface LookupOptions {
  signal: AbortSignal;
  /** Fetch the slower extras too (owners lists, per-release records). */
  deep?: boolean;
  /** The exact version the manifest asks for, when it names one (lets Go fetch that version's date). */
  wantedVersion?: string;
}

/** One client per registry; all answer in the normalised shape above. */
export interface RegistryClient {
  readonly ecosystem: Ecosystem;
  /** Looks a package up on every configured index; never throws for HTTP trouble (it reports `unavailable`). */
  lookup(name: string, options: LookupOptions): Promise<LookupResult>;
  /**
   * Whether the ecosystem's PUBLIC registry has this name (dependency-confusion check), or undefined
   * when that cannot be told.
   */
  existsPublicly(name: string, options: LookupOptions): Promise<boolean | undefined>;
  /** Base URLs this client consults (for messages). */
  describeIndexes(name: string): string[];
}
