/** Options shared by withCredentialsHidden and recoverVault, and how their defaults are resolved. */
import path from 'node:path';
import { isProcessAlive } from './lock';
import { nodeVaultFileSystem, type VaultFileSystem } from './vaultFs';

/** A named point in the vault's life, reported to `onStep` (fault-injection tests stop the process there). */
export type VaultStep =
  | 'lock-acquired'
  | 'session-created'
  | 'journal-written'
  | `hidden:${number}`
  | 'hidden-all'
  | 'install-running'
  | `restored:${number}`
  | 'journal-removed'
  | 'session-removed'
  | 'lock-released';

/** Where the vault lives and how it touches the system. Only `homeDir` and `env` are required. */
export interface VaultOptions {
  homeDir: string;
  /** The environment the child would otherwise inherit (usually process.env); never modified. */
  env: Readonly<Record<string, string | undefined>>;
  /** Folder for the vault and its lock; default `$XDG_STATE_HOME/safe-install` or `~/.local/state/safe-install`. */
  stateDir?: string;
  /** More paths to hide (absolute, or `~/`-relative), e.g. from `[vault] extra_paths`. */
  extraPaths?: readonly string[];
  /** More variables to strip, e.g. from `[vault] extra_env_vars`. */
  extraEnvVars?: readonly string[];
  /** Home-relative catalog paths to leave in place (e.g. `.npmrc` when a private registry needs it). */
  keepPaths?: readonly string[];
  /** Restore on SIGINT/SIGTERM and then re-raise the signal (default true). */
  handleSignals?: boolean;
  fs?: VaultFileSystem;
  pid?: number;
  isProcessAlive?: (pid: number) => boolean;
  now?: () => Date;
  /** Called at every step; awaited (tests use it to stop and be killed at that exact point). */
  onStep?: (step: VaultStep) => void | Promise<void>;
}

/** Options with every default filled in. */
export interface ResolvedVaultOptions {
  homeDir: string;
  env: Readonly<Record<string, string | undefined>>;
  vaultRoot: string;
  lockPath: string;
  extraPaths: readonly string[];
  extraEnvVars: readonly string[];
  keepPaths: readonly string[];
  handleSignals: boolean;
  fs: VaultFileSystem;
  pid: number;
  isProcessAlive(pid: number): boolean;
  now(): Date;
  onStep(step: VaultStep): Promise<void>;
}

/** The state folder: XDG_STATE_HOME when set and absolute, else ~/.local/state. */
export function defaultStateDir(homeDir: string, env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(homeDir, '.local', 'state');
  return path.join(base, 'safe-install');
}

/** Fills in defaults. */
export function resolveVaultOptions(options: VaultOptions): ResolvedVaultOptions {
  const vaultRoot = path.join(options.stateDir ?? defaultStateDir(options.homeDir, options.env), 'vault');
  const onStep = options.onStep;
  return {
    homeDir: options.homeDir,
    env: options.env,
    vaultRoot,
    lockPath: path.join(vaultRoot, 'lock'),
    extraPaths: options.extraPaths ?? [],
    extraEnvVars: options.extraEnvVars ?? [],
    keepPaths: options.keepPaths ?? [],
    handleSignals: options.handleSignals ?? true,
    fs: options.fs ?? nodeVaultFileSystem,
    pid: options.pid ?? process.pid,
    isProcessAlive: options.isProcessAlive ?? isProcessAlive,
    now: options.now ?? (() => new Date()),
    onStep: async (step) => {
      if (onStep !== undefined) await onStep(step);
    },
  };
}
