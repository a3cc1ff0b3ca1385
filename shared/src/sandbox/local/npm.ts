/**
 * Puts the sandbox-built node_modules, package.json and package-lock.json into the project,
 * all-or-nothing: the old ones are moved aside first and moved back if anything fails. Bin links are
 * re-created with `npm rebuild --ignore-scripts` (links only: no lifecycle script runs on the host).
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathExists } from '../pathExists';
import type { ProcessRunner } from './process';

const MOVED = ['node_modules', 'package.json', 'package-lock.json'] as const;

/** Installs the copied tree at `copiedDir` into `projectDir` (both on one file system). */
export async function installNodeModules(projectDir: string, copiedDir: string, run: ProcessRunner, env: Readonly<Record<string, string | undefined>>): Promise<{ binLinks: boolean }> {
  const backup = path.join(projectDir, `.safe-install-backup-${randomBytes(4).toString('hex')}`);
  await mkdir(backup);
  const saved: string[] = [];
  const placed: string[] = [];
  try {
    for (const name of MOVED) {
      if (await pathExists(path.join(projectDir, name))) {
        await rename(path.join(projectDir, name), path.join(backup, name));
        saved.push(name);
      }
    }
    for (const name of MOVED) {
      const from = path.join(copiedDir, name);
      if (!(await pathExists(from))) continue;
      if (name === 'node_modules') await rename(from, path.join(projectDir, name));
      else await copyFile(from, path.join(projectDir, name));
      placed.push(name);
    }
    // npm writes logs (and may touch its cache) under the user's home; give it a throwaway place instead.
    const scratch = path.join(backup, 'npm-scratch');
    const links = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['rebuild', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--logs-max=0', '--logs-dir', scratch, '--cache', scratch], { cwd: projectDir, env });
    if (links.code === 127) return { binLinks: false };
    if (links.code !== 0) throw new Error(`linking bins failed: ${links.stderr.trim().split('\n').pop() ?? ''}`);
    return { binLinks: true };
  } catch (error) {
    for (const name of placed) await rm(path.join(projectDir, name), { recursive: true, force: true });
    for (const name of saved) await rename(path.join(backup, name), path.join(projectDir, name));
    throw error;
  } finally {
    // After a rollback everything saved went back; after success the old tree is not needed.
    await rm(backup, { recursive: true, force: true });
  }
}
