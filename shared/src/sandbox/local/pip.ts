/**
 * Installs the copied-out wheels into the workspace interpreter with `pip install --no-deps --no-index`
 * (unpacking a wheel runs no package code), all-or-nothing: a dry run first catches incompatible
 * wheels, and if the real install still fails, every distribution it added is uninstalled again.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { parsePipDebug, type PythonTarget } from '../plans/pip';
import type { ProcessRunner } from './process';

/** Where the interpreter came from, for the report. */
export interface PythonChoice {
  python: string;
  source: '--python' | 'VIRTUAL_ENV' | '.venv' | 'PATH';
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function venvPython(venv: string, platform: string): string {
  return platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
}

/** --python, else $VIRTUAL_ENV, else the workspace's .venv, else python3 (python on Windows) on PATH. */
export async function choosePython(explicit: string | undefined, cwd: string, env: Readonly<Record<string, string | undefined>>, platform: string = process.platform): Promise<PythonChoice> {
  if (explicit) return { python: path.resolve(cwd, explicit), source: '--python' };
  const virtualEnv = env['VIRTUAL_ENV'];
  if (virtualEnv && await exists(venvPython(virtualEnv, platform))) return { python: venvPython(virtualEnv, platform), source: 'VIRTUAL_ENV' };
  const local = venvPython(path.join(cwd, '.venv'), platform);
  if (await exists(local)) return { python: local, source: '.venv' };
  return { python: platform === 'win32' ? 'python' : 'python3', source: 'PATH' };
}

/** The host interpreter's wheel tags (what the sandbox must download for). */
export async function hostPythonTarget(python: string, run: ProcessRunner, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<PythonTarget> {
  const result = await run(python, ['-m', 'pip', 'debug', '--verbose'], { cwd, env });
  if (result.code === 127) throw new Error(`no Python interpreter at '${python}' (use --python PATH or create .venv)`);
  const target = result.code === 0 ? parsePipDebug(result.stdout) : undefined;
  if (!target) throw new Error(`cannot read the wheel tags of ${python} (pip debug --verbose failed: ${result.stderr.trim().split('\n').pop() ?? ''}); is pip installed for it?`);
  return target;
}

interface Listed { name: string; version: string }

async function listInstalled(python: string, run: ProcessRunner, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<Map<string, string>> {
  const result = await run(python, ['-m', 'pip', 'list', '--format', 'json', '--disable-pip-version-check'], { cwd, env });
  if (result.code !== 0) throw new Error(`pip list failed: ${result.stderr.trim()}`);
  const list = JSON.parse(result.stdout) as Listed[];
  return new Map(list.map((d) => [d.name.toLowerCase().replace(/[-_.]+/g, '-'), d.version]));
}

/** What the local install did. */
export interface PipLocalResult {
  python: string;
  added: string[];
  changed: string[];
}

/** Installs wheel files (absolute paths) into `python`'s environment, all-or-nothing. */
export async function installWheels(python: string, wheels: readonly string[], run: ProcessRunner, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<PipLocalResult> {
  const common = ['-m', 'pip', 'install', '--no-deps', '--no-index', '--disable-pip-version-check', '--no-input'];
  const dry = await run(python, [...common, '--dry-run', '--', ...wheels], { cwd, env });
  if (dry.code !== 0) throw new Error(`the wheels do not fit ${python}; nothing was installed:\n  ${dry.stderr.trim().split('\n').slice(-4).join('\n  ')}`);
  const before = await listInstalled(python, run, cwd, env);
  const result = await run(python, [...common, '--', ...wheels], { cwd, env });
  const after = await listInstalled(python, run, cwd, env);
  const added = [...after.keys()].filter((name) => !before.has(name));
  const changed = [...after.keys()].filter((name) => before.has(name) && before.get(name) !== after.get(name));
  if (result.code !== 0) {
    // Roll back what this install added; pip itself restores the package whose upgrade failed.
    if (added.length > 0) await run(python, ['-m', 'pip', 'uninstall', '-y', '--disable-pip-version-check', '--', ...added], { cwd, env });
    const note = changed.length > 0 ? ` (upgraded before the failure and not restorable: ${changed.join(', ')})` : '';
    throw new Error(`pip install failed and was rolled back${note}:\n  ${result.stderr.trim().split('\n').slice(-4).join('\n  ')}`);
  }
  return { python, added, changed };
}
