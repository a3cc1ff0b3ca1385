/**
 * The credential vault, the last-resort protection for `install --no-sandbox`: credential files are moved into a
 * private folder on the same file system for the length of one install, the child gets a filtered environment,
 * and everything is put back at the end, on SIGINT/SIGTERM, or by `recoverVault` at the next start after a crash.
 */
import { filterChildEnvironment } from './envFilter';
import { acquireVaultLock, type VaultLock } from './lock';
import { resolveVaultOptions, type ResolvedVaultOptions, type VaultOptions } from './options';
import type { RestoreOutcome } from './restore';
import { closeSession, createSessionFolder, ensureVaultRoot, hideEntry, planHiding, recoverSessions, syncAfterMoves, writeSessionJournal, type OpenSession, type SkippedPath } from './session';

/** What the vault did during one install. */
export interface VaultReport {
  /** Paths moved into the vault. */
  hidden: string[];
  /** Paths left in place, with the reason (other file system, failed move). */
  skipped: SkippedPath[];
  /** Variables removed from the child's environment (names only). */
  strippedVariables: string[];
  /** How each hidden path came back. */
  restored: RestoreOutcome[];
  /** Paths restored from sessions an earlier crashed run left behind. */
  recoveredFromEarlierRun: RestoreOutcome[];
  /** Restore problems; non-empty means `safe-install vault recover` should be run. */
  errors: string[];
}

/** What the install callback gets besides the environment. */
export interface HiddenContext {
  /** Aborted when SIGINT/SIGTERM arrives: stop the package manager, the vault is being restored. */
  signal: AbortSignal;
  /** The hide phase's results so far (hidden, skipped, stripped variables). */
  report: Readonly<VaultReport>;
}

/** The callback's value and the vault report. */
export interface VaultRun<T> {
  value: T;
  report: VaultReport;
}

/** Serialises file-system phases so a signal-triggered restore never runs in the middle of a move. */
function serialQueue(): <R>(task: () => Promise<R>) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Hides credential paths, runs `install` with a filtered environment, restores. Throws VaultBusyError when
 * another install holds the vault. `process.env` is never modified; spawn the package manager with `childEnv`.
 */
export async function withCredentialsHidden<T>(options: VaultOptions, install: (childEnv: Record<string, string>, context: HiddenContext) => Promise<T>): Promise<VaultRun<T>> {
  const o = resolveVaultOptions(options);
  const vaultDev = await ensureVaultRoot(o);
  const lock = await acquireVaultLock(o.lockPath, { fs: o.fs, pid: o.pid, isAlive: o.isProcessAlive });
  const report: VaultReport = { hidden: [], skipped: [], strippedVariables: [], restored: [], recoveredFromEarlierRun: [], errors: [] };
  const serial = serialQueue();
  const controller = new AbortController();
  let session: OpenSession | undefined;
  let finishing: Promise<void> | undefined;

  // Restores once, whoever asks first (normal end, error, or signal); later callers wait for the same run.
  const finish = (): Promise<void> => {
    finishing ??= serial(async () => {
      try {
        if (session !== undefined) report.restored = await closeSession(o, session);
      } catch (error) {
        report.errors.push(error instanceof Error ? error.message : String(error));
      } finally {
        await releaseLock(o, lock);
      }
    });
    return finishing;
  };
  const removeSignalHandlers = installSignalHandlers(o, controller, finish);
  try {
    await o.onStep('lock-acquired');
    const recovered = await recoverSessions(o);
    report.recoveredFromEarlierRun = recovered.outcomes;
    report.errors.push(...recovered.errors, ...recovered.orphans.map((dir) => `orphaned vault session left for inspection: ${dir}`));
    const plan = await planHiding(o, vaultDev);
    report.skipped.push(...plan.skipped);
    // Every phase re-checks `aborted` inside the queue: a signal-triggered restore may have run just before it.
    // `session` is set inside the queued task so a restore queued right after it always sees the session.
    // Step hooks run outside the queue so a test that stops at a step never blocks the signal-triggered restore.
    await serial(async () => {
      if (controller.signal.aborted) throw new Error('interrupted before anything was hidden');
      session = await createSessionFolder(o, plan.entries);
    });
    await o.onStep('session-created');
    await serial(async () => {
      if (controller.signal.aborted) throw new Error('interrupted before anything was hidden');
      await writeSessionJournal(o, session as OpenSession);
    });
    await o.onStep('journal-written');
    for (const [i, entry] of plan.entries.entries()) {
      if (controller.signal.aborted) break;
      const outcome = await serial(async () => (controller.signal.aborted ? ('gone' as const) : hideEntry(o, session as OpenSession, entry)));
      if (outcome === 'hidden') report.hidden.push(entry.original);
      else if (outcome !== 'gone') report.skipped.push(outcome);
      await o.onStep(`hidden:${i}`);
    }
    await serial(() => syncAfterMoves(o, session as OpenSession));
    await o.onStep('hidden-all');
    const filtered = filterChildEnvironment(o.env, o.extraEnvVars);
    report.strippedVariables = filtered.stripped;
    if (controller.signal.aborted) throw new Error('interrupted before the install started');
    const running = install(filtered.env, { signal: controller.signal, report });
    await o.onStep('install-running');
    const value = await running;
    return { value, report };
  } finally {
    await finish();
    removeSignalHandlers();
  }
}

async function releaseLock(o: ResolvedVaultOptions, lock: VaultLock): Promise<void> {
  await lock.release();
  await o.onStep('lock-released');
}

/** On SIGINT/SIGTERM: abort the install, restore, then re-raise the signal so the process ends as it would have. */
function installSignalHandlers(o: ResolvedVaultOptions, controller: AbortController, finish: () => Promise<void>): () => void {
  if (!o.handleSignals) return () => undefined;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handler = (signal: NodeJS.Signals): void => {
    controller.abort(new Error(`received ${signal}`));
    void finish().finally(() => {
      remove();
      process.kill(process.pid, signal);
    });
  };
  const remove = (): void => {
    for (const s of signals) process.removeListener(s, handler);
  };
  for (const s of signals) process.on(s, handler);
  return remove;
}
