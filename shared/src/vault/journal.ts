/**
 * The journal: which original path went to which vault entry. It is written and fsynced (file and folder)
 * before the first move, so after any crash the vault can be put back from the journal alone.
 */
import path from 'node:path';
import type { VaultFileSystem } from './vaultFs';

/** One path the vault may have moved. */
export interface JournalEntry {
  /** Absolute original path. */
  original: string;
  /** Entry name inside the session's `items/` folder. */
  stored: string;
  /** What it was when planned (informational; restore trusts the vault entry itself). */
  kind: 'file' | 'directory' | 'symlink' | 'other';
  /** Permission bits when planned. */
  mode: number;
}

/** The journal of one vault session. */
export interface Journal {
  version: 1;
  /** Pid of the process that hid the files. */
  pid: number;
  createdAt: string;
  entries: JournalEntry[];
}

/** File names inside a session folder. */
export const JOURNAL_FILE = 'journal.json';
export const ITEMS_DIR = 'items';

/** Writes the journal durably: temp file (fsynced) → rename → fsync of the session folder. */
export async function writeJournal(fs: VaultFileSystem, sessionDir: string, journal: Journal): Promise<void> {
  const temp = path.join(sessionDir, `${JOURNAL_FILE}.tmp`);
  await fs.writeNewDurable(temp, `${JSON.stringify(journal, null, 2)}\n`, 0o600);
  await fs.rename(temp, path.join(sessionDir, JOURNAL_FILE));
  await fs.fsyncDir(sessionDir);
}

/** Reads a session's journal; undefined when it was never completed (then nothing was moved). */
export async function readJournal(fs: VaultFileSystem, sessionDir: string): Promise<Journal | undefined> {
  const text = await fs.readText(path.join(sessionDir, JOURNAL_FILE));
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as Journal;
  if (parsed.version !== 1 || !Array.isArray(parsed.entries)) throw new Error(`unrecognised vault journal in ${sessionDir}`);
  return parsed;
}
