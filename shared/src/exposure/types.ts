/**
 * The vocabulary of the environment-exposure report: what a malicious install running as this user could read.
 * Items describe where a secret is and what kind it is; they never hold a secret or any part of one.
 */

/** How bad it is that an install could read this. `critical` makes `check-env` exit 1. */
export type ExposureSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** Most severe first; the order text output and summaries use. */
export const EXPOSURE_SEVERITIES: readonly ExposureSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** The groups the report and the editor's Environment Exposure panel show. */
export type ExposureCategory =
  | 'ssh-keys'
  | 'cloud-credentials'
  | 'registry-tokens'
  | 'secret-variables'
  | 'vcs-credentials'
  | 'shell-history'
  | 'browser-wallet'
  | 'workspace-env-files'
  | 'docker'
  | 'persistence'
  | 'sandbox';

/** Category order and human titles for text output. */
export const EXPOSURE_CATEGORIES: ReadonlyArray<{ id: ExposureCategory; title: string }> = [
  { id: 'ssh-keys', title: 'SSH and signing keys' },
  { id: 'cloud-credentials', title: 'Cloud credentials' },
  { id: 'registry-tokens', title: 'Package registry tokens' },
  { id: 'vcs-credentials', title: 'Git and code-hosting credentials' },
  { id: 'secret-variables', title: 'Secret environment variables' },
  { id: 'workspace-env-files', title: 'Workspace .env files' },
  { id: 'shell-history', title: 'Shell and REPL histories' },
  { id: 'browser-wallet', title: 'Browser login stores and wallets' },
  { id: 'docker', title: 'Docker' },
  { id: 'persistence', title: 'Persistence to review' },
  { id: 'sandbox', title: 'Sandbox' },
];

/** One thing an install could read or abuse. */
export interface ExposureItem {
  /** Stable across runs: `<category>:<location>` (plus a suffix when one place holds several things). */
  id: string;
  category: ExposureCategory;
  severity: ExposureSeverity;
  /** Short human title, e.g. "Unencrypted SSH private key". */
  title: string;
  /** Where it is: a home-relative path (`~/.ssh/id_ed25519`), a workspace path, `$VARIABLE`, or `path:line`. */
  location: string;
  /** Machine-readable kind, e.g. `openssh-private-key-unencrypted`, `npm-auth-token`, `aws-access-key-id`. */
  kind: string;
  /** Size of the file in bytes (files only). */
  sizeBytes?: number;
  /** Last modification, ISO 8601 (files only). */
  modifiedAt?: string;
  /** One actionable sentence. */
  advice: string;
}

/** Whether installs can run isolated on this machine. */
export interface SandboxStatus {
  /** The docker CLI is present and its daemon answered. */
  docker: boolean;
  /** bubblewrap is present and could create a sandbox (Linux only). */
  bwrap: boolean;
  /** What `install` would use: the Docker sandbox, bubblewrap, or the credential vault (last resort). */
  mode: 'docker' | 'bwrap' | 'vault';
  /** One sentence explaining the two flags. */
  reason: string;
}

/** Counts of items per severity. */
export type ExposureSummary = Record<ExposureSeverity, number>;

/** The whole report; `--format json` prints exactly this (see docs/check-env-schema.md). */
export interface ExposureReport {
  version: 1;
  items: ExposureItem[];
  summary: ExposureSummary;
  sandbox: SandboxStatus;
}
