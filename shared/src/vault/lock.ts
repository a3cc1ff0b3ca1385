/**
 * One install at a time: an exclusive lock file holding the owner's pid. A lock whose pid is dead (the owner was
 * killed) is stale and taken over; one held by a live process makes the caller fail fast with VaultBusyError.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { errorCode } from '../io';
import type { VaultFileSystem } from './vaultFs';

/** Another live process holds the vault lock. */
export class VaultBusyError extends Error {
  override readonly name = 'VaultBusyError';
  constructor(readonly holderPid: number) {
    super(`another safe-install process (pid ${holderPid}) is hiding credentials right now; try again when it finishes`);
  }
}

/** Locks this process holds, so a pid match is told apart from a dead process whose pid was reused by us. */
const HELD_BY_THIS_PROCESS = new Set<string>();

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/** Who holds a lock file; NaN when the file is unreadable or half-written. */
function holderOf(text: string | undefined): number {
  return Number.parseInt((text ?? '').split('\n')[0] ?? '', 10);
}

/** The identity recorded on the lock's second line ('' when none). */
function identityOf(text: string | undefined): string {
  return (text ?? '').split('\n')[1] ?? '';
}

/**
 * Boot id + process start time (Linux), so a pid reused after a crash or a reboot is not mistaken for the
 * lock's owner. Undefined where /proc is not available; then only the pid is compared.
 */
export async function processIdentity(fs: VaultFileSystem, pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  const bootId = (await fs.readText('/proc/sys/kernel/random/boot_id').catch(() => undefined))?.trim();
  const stat = await fs.readText(`/proc/${pid}/stat`).catch(() => undefined);
  if (bootId === undefined || stat === undefined) return undefined;
  // Field 22 (starttime) counts from the end of the `(comm)` field, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = fields[19];
  return startTicks === undefined ? undefined : `${bootId}/${startTicks}`;
}

/** True when the recorded holder is still the process that wrote the lock. */
async function holderIsLive(fs: VaultFileSystem, text: string | undefined, isAlive: (pid: number) => boolean): Promise<boolean> {
  const pid = holderOf(text);
  if (!isAlive(pid)) return false;
  const recorded = identityOf(text);
  if (recorded === '') return true;
  const current = await processIdentity(fs, pid);
  return current === undefined || current === recorded;
}

/** A held lock; `release` is idempotent. */
export interface VaultLock {
  path: string;
  release(): Promise<void>;
}

/** Options for acquiring the lock. */
export interface LockOptions {
  fs: VaultFileSystem;
  pid: number;
  isAlive(pid: number): boolean;
}

/** Takes the lock or throws VaultBusyError; takes over a stale lock left by a dead process. */
export async function acquireVaultLock(lockPath: string, options: LockOptions): Promise<VaultLock> {
  const { fs, pid } = options;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await fs.writeNewDurable(lockPath, `${pid}\n${(await processIdentity(fs, pid)) ?? ''}\n${new Date().toISOString()}\n`, 0o600);
      await fs.fsyncDir(path.dirname(lockPath));
      HELD_BY_THIS_PROCESS.add(lockPath);
      let released = false;
      return {
        path: lockPath,
        async release() {
          if (released) return;
          released = true;
          HELD_BY_THIS_PROCESS.delete(lockPath);
          // Only remove the file if it is still ours (a stale-lock breaker may have replaced it).
          if (holderOf(await fs.readText(lockPath)) === pid) await fs.unlink(lockPath).catch(() => undefined);
        },
      };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const text = await fs.readText(lockPath);
    const holder = holderOf(text);
    const ours = holder === pid && HELD_BY_THIS_PROCESS.has(lockPath);
    if (ours || (holder !== pid && (await holderIsLive(fs, text, options.isAlive)))) throw new VaultBusyError(holder);
    if (Number.isNaN(holder)) {
      // Created but not yet written by a live process (the write is one call): give it a moment, then judge again.
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
      const again = holderOf(await fs.readText(lockPath));
      if (!Number.isNaN(again)) continue;
    }
    // Stale: move it aside atomically (only one breaker wins the rename), check it was the stale one, delete it.
    const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
    try {
      await fs.rename(lockPath, aside);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      throw error;
    }
    const movedText = await fs.readText(aside);
    if (holderOf(movedText) !== holder && (await holderIsLive(fs, movedText, options.isAlive))) {
      // We raced another breaker and moved its fresh lock: put it back without clobbering anything.
      await fs.link(aside, lockPath).catch(() => undefined);
    }
    await fs.unlink(aside).catch(() => undefined);
  }
  throw new VaultBusyError(holderOf(await fs.readText(lockPath)));
}
