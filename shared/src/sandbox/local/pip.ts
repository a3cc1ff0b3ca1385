/**
 * Installs the copied-out wheels into the workspace interpreter with `pip install --no-deps --no-index`
 * (unpacking a wheel runs no package code), all-or-nothing: pip checks every wheel's tags before it
 * installs any; the files it may overwrite or remove are saved first (pipSnapshot.ts), and if the install
 * still fails, every distribution it added or upgraded is uninstalled and the saved files are put back.
 */
import path from 'node:path';
import { parsePipDebug, targetFromTags, type PythonTarget } from '../plans/pip';
import { pathExists } from '../pathExists';
import { distInfoFolders, snapshotForWheels } from './pipSnapshot';
import type { ProcessRunner } from './process';

/** Where the interpreter came from, for the report. */
export interface PythonChoice {
  python: string;
  source: '--python' | 'VIRTUAL_ENV' | '.venv' | 'PATH';
}

function venvPython(venv: string, platform: string): string {
  return platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
}

/** --python, else $VIRTUAL_ENV, else the workspace's .venv, else python3 (python on Windows) on PATH. */
export async function choosePython(explicit: string | undefined, cwd: string, env: Readonly<Record<string, string | undefined>>, platform: string = process.platform): Promise<PythonChoice> {
  if (explicit) return { python: path.resolve(cwd, explicit), source: '--python' };
  const virtualEnv = env['VIRTUAL_ENV'];
  if (virtualEnv && await pathExists(venvPython(virtualEnv, platform))) return { python: venvPython(virtualEnv, platform), source: 'VIRTUAL_ENV' };
  const local = venvPython(path.join(cwd, '.venv'), platform);
  if (await pathExists(local)) return { python: local, source: '.venv' };
  return { python: platform === 'win32' ? 'python' : 'python3', source: 'PATH' };
}

/** The interpreter's wheel tags and site-packages folders. */
export interface PythonProbe {
  target: PythonTarget;
  sitePackages: string[];
}

// Fixed program (no input interpolated): pip's vendored `packaging` gives the same tag list pip uses.
const PROBE = 'import json, sys, sysconfig\nfrom pip._vendor.packaging import tags\nprint(json.dumps({"version": "%d.%d" % sys.version_info[:2], "tags": [str(t) for t in tags.sys_tags()], "paths": sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})}))';

/** Reads the interpreter's tags and site-packages in one quick run (falls back to `pip debug --verbose`). */
export async function probePython(python: string, run: ProcessRunner, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<PythonProbe> {
  const result = await run(python, ['-I', '-c', PROBE], { cwd, env });
  if (result.code === 127) throw new Error(`no Python interpreter at '${python}' (use --python PATH or create .venv)`);
  if (result.code === 0) {
    const data = JSON.parse(result.stdout) as { version: string; tags: string[]; paths: string[] };
    const target = targetFromTags(data.version, data.tags);
    if (target) return { target, sitePackages: data.paths };
  }
  const debug = await run(python, ['-m', 'pip', 'debug', '--verbose'], { cwd, env });
  const target = debug.code === 0 ? parsePipDebug(debug.stdout) : undefined;
  if (!target) throw new Error(`cannot read the wheel tags of ${python}; is pip installed for it? (${(debug.stderr || result.stderr).trim().split('\n').pop() ?? ''})`);
  return { target, sitePackages: [] };
}

/** Installed distributions (normalised name → version) from `*.dist-info` folder names. */
export async function installedDistributions(sitePackages: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const dir of sitePackages) {
    for (const dist of await distInfoFolders(dir)) found.set(dist.name, dist.version);
  }
  return found;
}

/** What the local install did. */
export interface PipLocalResult {
  python: string;
  added: string[];
  changed: string[];
}

/** Installs wheel files (absolute paths) into `python`'s environment, all-or-nothing. */
export async function installWheels(python: string, sitePackages: readonly string[], wheels: readonly string[], run: ProcessRunner, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<PipLocalResult> {
  const before = await installedDistributions(sitePackages);
  const snapshot = await snapshotForWheels(sitePackages, wheels);
  try {
    const result = await run(python, ['-m', 'pip', 'install', '--no-deps', '--no-index', '--disable-pip-version-check', '--no-input', '--', ...wheels], { cwd, env });
    const after = await installedDistributions(sitePackages);
    const added = [...after.keys()].filter((name) => !before.has(name));
    const changed = [...after.keys()].filter((name) => before.has(name) && before.get(name) !== after.get(name));
    if (result.code === 0) return { python, added, changed };
    // Take out what pip put in (pip itself only restores the one distribution whose install failed), then put back every saved file.
    const touched = [...added, ...changed];
    if (touched.length > 0) await run(python, ['-m', 'pip', 'uninstall', '-y', '--disable-pip-version-check', '--', ...touched], { cwd, env });
    const problems = await snapshot.restore();
    const restored = problems.length === 0 ? 'the environment was restored as it was' : `restoring left problems: ${problems.slice(0, 5).join('; ')}`;
    throw new Error(`pip install failed; ${restored}${changed.length > 0 ? ` (rolled back the upgrade of ${changed.join(', ')})` : ''}:\n  ${result.stderr.trim().split('\n').slice(-4).join('\n  ')}`);
  } finally {
    await snapshot.discard();
  }
}
