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
import type { ProcessResult, ProcessRunner, ProcessStarter, WaitingProcess } from './process';

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
  const debug = await runPip(python, ['debug', '--verbose'], run, cwd, env);
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

// Fixed programs (no input interpolated) that run pip exactly as `python -m pip` would, except that the working
// folder (the user's project) is taken off sys.path before pip is imported: with `-m` a `pip/` folder in the
// project would be imported instead of pip, and that is code from the project, not from pip.
const OFF_CWD = 'if sys.path and sys.path[0] in ("", os.getcwd()): sys.path.pop(0)';
const RUN_PIP = 'runpy.run_module("pip", run_name="__main__", alter_sys=True)';
/** pip with the arguments that follow the program on the command line. */
const PIP_MAIN = ['import os, runpy, sys', OFF_CWD, 'sys.argv = ["pip"] + sys.argv[1:]', RUN_PIP].join('\n');
/** pip imported ahead of time, then run with the JSON argument list of stdin's first line; an empty stdin exits doing nothing. */
const WARM_PIP = [
  'import json, os, runpy, sys',
  OFF_CWD,
  'try:',
  '    import pip._internal.cli.main, pip._internal.commands.install',
  'except Exception:',
  '    pass',
  'line = sys.stdin.buffer.readline().decode("utf-8")',
  'if not line.strip(): sys.exit(0)',
  'sys.argv = ["pip"] + [str(a) for a in json.loads(line)]',
  RUN_PIP,
].join('\n');

/** The interpreter's arguments for `python -m pip ARGS` without the working folder on sys.path. */
export function pipArgv(args: readonly string[]): string[] {
  return ['-c', PIP_MAIN, ...args];
}

/** Runs `python -m pip ARGS` without the working folder on sys.path. */
export function runPip(python: string, args: readonly string[], run: ProcessRunner, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<ProcessResult> {
  return run(python, pipArgv(args), { cwd, env });
}

/** Starts `python` with pip imported, waiting for the install's arguments (see `installWheels`). */
export function startWarmPip(python: string, start: ProcessStarter, cwd: string, env: Readonly<Record<string, string | undefined>>): WaitingProcess {
  return start(python, ['-c', WARM_PIP], { cwd, env });
}

/** What the local install did. */
export interface PipLocalResult {
  python: string;
  added: string[];
  changed: string[];
}

/**
 * Installs wheel files (absolute paths) into `python`'s environment, all-or-nothing. `warm`, from `startWarmPip`
 * for the same interpreter, saves pip's start-up; without it (or if it died) pip starts cold.
 */
export async function installWheels(python: string, sitePackages: readonly string[], wheels: readonly string[], run: ProcessRunner, cwd: string, env: Readonly<Record<string, string | undefined>>, warm?: WaitingProcess): Promise<PipLocalResult> {
  const before = await installedDistributions(sitePackages);
  const snapshot = await snapshotForWheels(sitePackages, wheels);
  try {
    const args = ['install', '--no-deps', '--no-index', '--disable-pip-version-check', '--no-input', '--', ...wheels];
    const result: ProcessResult = (await warm?.finish(`${JSON.stringify(args)}\n`)) ?? await runPip(python, args, run, cwd, env);
    const after = await installedDistributions(sitePackages);
    const added = [...after.keys()].filter((name) => !before.has(name));
    const changed = [...after.keys()].filter((name) => before.has(name) && before.get(name) !== after.get(name));
    if (result.code === 0) return { python, added, changed };
    // Take out what pip put in (pip itself only restores the one distribution whose install failed), then put back every saved file.
    const touched = [...added, ...changed];
    if (touched.length > 0) await runPip(python, ['uninstall', '-y', '--disable-pip-version-check', '--', ...touched], run, cwd, env);
    const problems = await snapshot.restore();
    const restored = problems.length === 0 ? 'the environment was restored as it was' : `restoring left problems: ${problems.slice(0, 5).join('; ')}`;
    throw new Error(`pip install failed; ${restored}${changed.length > 0 ? ` (rolled back the upgrade of ${changed.join(', ')})` : ''}:\n  ${result.stderr.trim().split('\n').slice(-4).join('\n  ')}`);
  } finally {
    await snapshot.discard();
  }
}
