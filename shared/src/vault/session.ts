/**
 * One vault session: plan which paths to hide, write the journal, move them into the vault by rename, and put
 * them back. A session folder is `<vault>/session-<pid>-<random>/` holding `journal.json` and `items/<n>`.
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { VAULT_PATHS } from '../exposure/catalog';
import { ITEMS_DIR, JOURNAL_FILE, readJournal, writeJournal, type Journal, type JournalEntry } from './journal';
import type { ResolvedVaultOptions } from './options';
import { restoreEntry, type RestoreOutcome } from './restore';
import { errorCode } from '../io';

/** A path the vault did not hide, and why. */
export interface SkippedPath {
  path: string;
  reason: 'other-filesystem' | 'contains-vault' | 'move-failed';
  detail?: string;
}

/** Creates the vault folder (0700) and refuses one that is a symlink or belongs to someone else. */
export async function ensureVaultRoot(o: ResolvedVaultOptions): Promise<number> {
  await o.fs.mkdirs(o.vaultRoot, 0o700);
  const root = await o.fs.lstat(o.vaultRoot);
  if (root === undefined || root.kind !== 'directory') throw new Error(`vault folder ${o.vaultRoot} is not a folder`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && root.uid !== uid) throw new Error(`vault folder ${o.vaultRoot} belongs to another user`);
  if ((root.mode & 0o077) !== 0) await o.fs.chmod(o.vaultRoot, 0o700);
  return root.dev;
}

function expandHome(homeDir: string, p: string): string {
  if (p === '~') return homeDir;
  if (p.startsWith('~/')) return path.join(homeDir, ...p.slice(2).split('/'));
  return path.resolve(homeDir, p);
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Existing paths to hide (catalog + extra − keep), outermost only, each checked to be on the vault's file system. */
export async function planHiding(o: ResolvedVaultOptions, vaultDev: number): Promise<{ entries: JournalEntry[]; skipped: SkippedPath[] }> {
  const keep = new Set(o.keepPaths.map((p) => expandHome(o.homeDir, p.startsWith('~') || path.isAbsolute(p) ? p : `~/${p}`)));
  const candidates = [...new Set([...VAULT_PATHS.map((p) => expandHome(o.homeDir, `~/${p}`)), ...o.extraPaths.map((p) => expandHome(o.homeDir, p))])]
    .filter((p) => !keep.has(p))
    .sort();
  const outermost = candidates.filter((p) => !candidates.some((other) => other !== p && isInside(p, other)));
  const entries: JournalEntry[] = [];
  const skipped: SkippedPath[] = [];
  for (const original of outermost) {
    const facts = await o.fs.lstat(original);
    if (facts === undefined) continue;
    // Never move the home folder, the vault itself or anything that contains it.
    if (isInside(o.vaultRoot, original) || isInside(o.homeDir, original)) {
      skipped.push({ path: original, reason: 'contains-vault' });
      continue;
    }
    // rename() cannot cross file systems, and copying secrets around is what the vault must never do.
    if (facts.dev !== vaultDev) {
      skipped.push({ path: original, reason: 'other-filesystem' });
      continue;
    }
    entries.push({ original, stored: String(entries.length), kind: facts.kind, mode: facts.mode });
  }
  return { entries, skipped };
}

/** A session folder with its journal on disk. */
export interface OpenSession {
  dir: string;
  journal: Journal;
}

/** Creates the (empty) session folder; the journal comes next, before anything moves. */
export async function createSessionFolder(o: ResolvedVaultOptions, entries: JournalEntry[]): Promise<OpenSession> {
  const dir = path.join(o.vaultRoot, `session-${o.pid}-${randomBytes(6).toString('hex')}`);
  await o.fs.mkdirs(path.join(dir, ITEMS_DIR), 0o700);
  await o.fs.chmod(dir, 0o700);
  await o.fs.fsyncDir(o.vaultRoot);
  return { dir, journal: { version: 1, pid: o.pid, createdAt: o.now().toISOString(), entries } };
}

/** Writes the session's journal durably (file and folder fsynced). */
export async function writeSessionJournal(o: ResolvedVaultOptions, session: OpenSession): Promise<void> {
  await writeJournal(o.fs, session.dir, session.journal);
}

/** Moves one journal entry into the vault; resolves to a skip reason when it stays where it is. */
export async function hideEntry(o: ResolvedVaultOptions, session: OpenSession, entry: JournalEntry): Promise<SkippedPath | 'hidden' | 'gone'> {
  try {
    await o.fs.rename(entry.original, path.join(session.dir, ITEMS_DIR, entry.stored));
    return 'hidden';
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return 'gone';
    if (code === 'EXDEV') return { path: entry.original, reason: 'other-filesystem' };
    return { path: entry.original, reason: 'move-failed', detail: code ?? String(error) };
  }
}

/** fsyncs the vault's items folder and every folder something was moved out of. */
export async function syncAfterMoves(o: ResolvedVaultOptions, session: OpenSession): Promise<void> {
  await o.fs.fsyncDir(path.join(session.dir, ITEMS_DIR));
  for (const dir of new Set(session.journal.entries.map((e) => path.dirname(e.original)))) await o.fs.fsyncDir(dir).catch(() => undefined);
}

/** Restores every entry of a session, then removes the journal and the session folder. Safe to run again. */
export async function closeSession(o: ResolvedVaultOptions, session: OpenSession): Promise<RestoreOutcome[]> {
  const outcomes: RestoreOutcome[] = [];
  for (const [i, entry] of session.journal.entries.entries()) {
    outcomes.push(await restoreEntry(o.fs, path.join(session.dir, ITEMS_DIR, entry.stored), entry.original, o.now()));
    await o.onStep(`restored:${i}`);
  }
  await removeSessionFolder(o, session.dir);
  return outcomes;
}

/** Deletes a session folder whose items are all back; refuses when something is still inside `items/`. */
async function removeSessionFolder(o: ResolvedVaultOptions, dir: string): Promise<void> {
  const left = (await o.fs.readDir(path.join(dir, ITEMS_DIR))) ?? [];
  if (left.length > 0) throw new Error(`vault session ${dir} still holds ${left.length} item(s); run 'safe-install vault recover'`);
  await o.fs.unlink(path.join(dir, JOURNAL_FILE)).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
  await o.onStep('journal-removed');
  await o.fs.unlink(path.join(dir, `${JOURNAL_FILE}.tmp`)).catch(() => undefined);
  await o.fs.rmdir(path.join(dir, ITEMS_DIR)).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
  await o.fs.rmdir(dir);
  await o.fs.fsyncDir(o.vaultRoot);
  await o.onStep('session-removed');
}

/** What recovery did. */
export interface RecoveredSessions {
  sessions: number;
  outcomes: RestoreOutcome[];
  /** Session folders left alone: items without a journal (should never happen; kept for a human to look at). */
  orphans: string[];
  errors: string[];
}

/** Restores every session folder left in the vault (the caller holds the lock, so none is live). */
export async function recoverSessions(o: ResolvedVaultOptions): Promise<RecoveredSessions> {
  const result: RecoveredSessions = { sessions: 0, outcomes: [], orphans: [], errors: [] };
  for (const name of ((await o.fs.readDir(o.vaultRoot)) ?? []).filter((n) => n.startsWith('session-')).sort()) {
    const dir = path.join(o.vaultRoot, name);
    result.sessions += 1;
    try {
      const journal = await readJournal(o.fs, dir);
      if (journal === undefined) {
        // Killed before the journal was complete, so before the first move: nothing of the user's is inside.
        const items = (await o.fs.readDir(path.join(dir, ITEMS_DIR))) ?? [];
        if (items.length > 0) {
          result.orphans.push(dir);
          continue;
        }
        await removeSessionFolder(o, dir);
        continue;
      }
      result.outcomes.push(...(await closeSession(o, { dir, journal })));
    } catch (error) {
      result.errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}
