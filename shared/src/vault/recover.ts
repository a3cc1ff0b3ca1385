/** Start-up recovery: puts back whatever a crashed (SIGKILLed, powered-off) install left in the vault. */
import { acquireVaultLock, VaultBusyError } from './lock';
import { resolveVaultOptions, type VaultOptions } from './options';
import type { RestoreOutcome } from './restore';
import { recoverSessions } from './session';

/** What recoverVault did. */
export interface RecoverReport {
  /** nothing: no vault or no sessions; recovered: sessions restored; busy: a live install holds the vault. */
  status: 'nothing' | 'recovered' | 'busy';
  sessions: number;
  outcomes: RestoreOutcome[];
  /** Paths whose original went beside a file created meanwhile (`.safe-install-restored-<ts>`). */
  aside: string[];
  orphans: string[];
  errors: string[];
  holderPid?: number;
}

/**
 * Restores every vault session whose install is gone. Idempotent and cheap when there is nothing to do; safe to
 * call from the CLI, the language server and the extension at start-up at the same time (one wins the lock).
 */
export async function recoverVault(options: Pick<VaultOptions, 'homeDir' | 'env' | 'stateDir' | 'fs' | 'pid' | 'isProcessAlive' | 'now' | 'onStep'>): Promise<RecoverReport> {
  const o = resolveVaultOptions({ ...options, handleSignals: false });
  const empty: RecoverReport = { status: 'nothing', sessions: 0, outcomes: [], aside: [], orphans: [], errors: [] };
  if ((await o.fs.lstat(o.vaultRoot)) === undefined) return empty;
  let lock;
  try {
    lock = await acquireVaultLock(o.lockPath, { fs: o.fs, pid: o.pid, isAlive: o.isProcessAlive });
  } catch (error) {
    if (error instanceof VaultBusyError) return { ...empty, status: 'busy', holderPid: error.holderPid };
    throw error;
  }
  try {
    const result = await recoverSessions(o);
    return {
      status: result.sessions > 0 ? 'recovered' : 'nothing',
      sessions: result.sessions,
      outcomes: result.outcomes,
      aside: result.outcomes.flatMap((r) => r.asidePaths),
      orphans: result.orphans,
      errors: result.errors,
    };
  } finally {
    await lock.release();
  }
}
