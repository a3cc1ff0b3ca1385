/** What every ecosystem plan hands back to the installer after its sandbox phases. */
import type { Ecosystem } from '../../model';
import type { CopyOutResult } from '../copyOut';
import type { LockPackage } from '../lockfile';
import type { FindingEvent } from '../progress';

/** A package that declares install-time scripts, and whether they ran (offline, in the build phase). */
export interface ScriptPackage {
  name: string;
  version?: string;
  scripts: string[];
  ran: boolean;
}

/** The sandbox's result, copied out and validated, not yet installed. */
export interface SandboxOutcome {
  ecosystem: Ecosystem;
  /** Validated copy on the host (a fresh temp dir the installer owns and removes). */
  copied: CopyOutResult;
  /** Lockfile entries (name, version, source URL, SHA-256 per artifact). */
  packages: LockPackage[];
  /** Artifact files inside `copied.dir` worth scanning, with their package. */
  artifacts: Array<{ path: string; package: string; version: string; format: 'wheel' | 'sdist' | 'dir' | 'gem' | 'crate' | 'zip' }>;
  /** Packages that wanted install scripts. */
  scripts: ScriptPackage[];
  /** Where package code ran and where it will still run (shown in the report). */
  notes: string[];
  /** Findings the plan itself made (e.g. the package manager refused hostile archive entries). */
  findings?: FindingEvent[];
}
