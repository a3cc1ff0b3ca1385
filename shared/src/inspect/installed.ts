import { spawn } from 'node:child_process';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { decodeText, sortFindings } from './inspectSource';
import { classifyFile } from './fileKind';
import { inspectBindingGyp } from './hooks/bindingGyp';
import { inspectPackageJson } from './hooks/packageJson';
import { inspectPth } from './hooks/pth';
import { scanText } from './scanText';
import { DEFAULT_SCAN_LIMITS, severityRank, type SourceFinding, type SourceSeverity } from './types';

/** Runs a program with an argument array (never a shell) and collects its output. */
export interface ProcessRunner {
  run(command: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The real runner: child_process.spawn without a shell, killed after the timeout. */
export const spawnRunner: ProcessRunner = {
  run(command, args, timeoutMs) {
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], { shell: false, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, windowsHide: true });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        if (stdout.length < 1_000_000) stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        if (stderr.length < 100_000) stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  },
};

/** What `scan --installed` looks at. */
export interface InstalledOptions {
  /** A Python interpreter whose site-packages are checked for .pth hooks. */
  python?: string;
  /** node_modules folders whose packages' install scripts are scanned (nested and scoped ones included). */
  nodeModulesRoots: string[];
  runner?: ProcessRunner;
  minSeverity?: SourceSeverity;
  maxBytesPerFile?: number;
  signal?: AbortSignal;
}

/** Findings plus what was covered, so an empty result can be told apart from "nothing was checked". */
export interface InstalledReport {
  findings: SourceFinding[];
  sitePackages: string[];
  pthFiles: number;
  nodePackages: number;
  packagesWithInstallScripts: number;
  notes: string[];
}

// -S: do not run site.py, so the .pth files under inspection are NOT executed by asking where they are.
// -I: ignore PYTHON* variables and the user's site folder on sys.path (the path is still reported).
// Skipping site.py also skips its venv detection (site.venv() would process .pth files), so the script
// finds pyvenv.cfg itself and asks sysconfig for that prefix's folders.
const SITE_SCRIPT = [
  'import json, os, site, sys, sysconfig',
  'dirs = []',
  'try:\n    dirs += list(site.getsitepackages())\nexcept Exception:\n    pass',
  "for key in ('purelib', 'platlib'):\n    try:\n        dirs.append(sysconfig.get_paths()[key])\n    except Exception:\n        pass",
  'exe_dir = os.path.dirname(os.path.abspath(sys.executable))',
  'for prefix in (exe_dir, os.path.dirname(exe_dir)):',
  "    if os.path.isfile(os.path.join(prefix, 'pyvenv.cfg')):",
  "        for key in ('purelib', 'platlib'):",
  "            try:\n                dirs.append(sysconfig.get_paths(vars={'base': prefix, 'platbase': prefix})[key])\n            except Exception:\n                pass",
  '        break',
  'try:\n    user = site.getusersitepackages()\nexcept Exception:\n    user = None',
  "print(json.dumps({'site': dirs, 'user': user}))",
].join('\n');

/** The interpreter's site-packages folders (global, venv and user), asked without running any .pth file. */
export async function sitePackagesOf(python: string, runner: ProcessRunner = spawnRunner): Promise<string[]> {
  const result = await runner.run(python, ['-I', '-S', '-c', SITE_SCRIPT], 15_000);
  if (result.code !== 0) throw new Error(`${python} failed (exit ${String(result.code)}): ${result.stderr.trim().slice(0, 300)}`);
  const parsed = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { site?: unknown; user?: unknown };
  const dirs = Array.isArray(parsed.site) ? parsed.site.filter((d): d is string => typeof d === 'string') : [];
  if (typeof parsed.user === 'string') dirs.push(parsed.user);
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

async function readCapped(file: string, maxBytes: number): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return decodeText(buffer.subarray(0, bytesRead));
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

const posix = (p: string): string => p.split(path.sep).join('/');

/** Every .pth in a site folder; executable lines are critical, and the modules they import are scanned. */
async function inspectSiteDir(dir: string, maxBytes: number, report: InstalledReport): Promise<void> {
  for (const entry of await listDir(dir)) {
    if (!entry.isFile() || !entry.name.endsWith('.pth')) continue;
    report.pthFiles++;
    const file = path.join(dir, entry.name);
    const text = await readCapped(file, maxBytes);
    if (text === undefined) {
      report.notes.push(`${file}: unreadable or binary`);
      continue;
    }
    const result = inspectPth(posix(file), text, maxBytes);
    report.findings.push(...result.findings);
    for (const mod of result.importedModules) {
      const base = path.join(dir, ...mod.split('.'));
      for (const candidate of [`${base}.py`, path.join(base, '__init__.py')]) {
        const code = await readCapped(candidate, maxBytes * 4);
        if (code === undefined) continue;
        // The imported module runs at every start too; report its threat signs, not routine capabilities.
        report.findings.push(...scanText({ file: posix(candidate), text: code, language: 'python', installTime: true, maxBytes }).filter((f) => !f.rule.startsWith('install-')));
      }
    }
  }
}

/** One installed npm package: its lifecycle scripts, the files they run, and binding.gyp. */
async function inspectNodePackage(pkgDir: string, maxBytes: number, report: InstalledReport): Promise<void> {
  const manifestPath = path.join(pkgDir, 'package.json');
  const manifest = await readCapped(manifestPath, maxBytes);
  if (manifest === undefined) return;
  report.nodePackages++;
  let name = path.basename(pkgDir);
  try {
    const parsed = JSON.parse(manifest) as { name?: unknown; version?: unknown };
    if (typeof parsed.name === 'string') name = typeof parsed.version === 'string' ? `${parsed.name}@${parsed.version}` : parsed.name;
  } catch {
    // broken JSON: the hook reader still gets what it can
  }
  const root = posix(pkgDir);
  // Installed packages came from a registry (or were built already): their `prepare` never runs again.
  const hooks = inspectPackageJson(`${root}/package.json`, manifest, maxBytes, name, { fromRegistry: true });
  const gypText = await readCapped(path.join(pkgDir, 'binding.gyp'), maxBytes);
  if (hooks.findings.length === 0 && hooks.installTimeFiles.length === 0 && gypText === undefined) return;
  report.packagesWithInstallScripts++;
  report.findings.push(...hooks.findings);
  for (const target of hooks.installTimeFiles) {
    // siblingPath resolved it inside the package; never read outside it.
    if (!target.startsWith(`${root}/`)) continue;
    const code = await readCapped(target, maxBytes * 4);
    if (code === undefined) continue;
    const language = classifyFile(target, code.split('\n', 1)[0])?.language ?? 'shell';
    report.findings.push(...scanText({ file: target, text: code, language, installTime: true, maxBytes, package: name }));
  }
  if (gypText !== undefined) {
    const file = `${root}/binding.gyp`;
    report.findings.push(...inspectBindingGyp(file, gypText, name));
    report.findings.push(...scanText({ file, text: gypText, language: 'gyp', installTime: true, maxBytes, package: name }));
  }
}

/** Walks a node_modules folder: plain, @scoped, nested and pnpm's `.pnpm` store; symbolic links are not followed. */
async function walkNodeModules(dir: string, maxBytes: number, report: InstalledReport, depth: number, signal?: AbortSignal): Promise<void> {
  if (depth > 30 || signal?.aborted) return;
  for (const entry of await listDir(dir)) {
    if (signal?.aborted) return;
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === '.pnpm') {
      for (const stored of await listDir(full)) {
        if (stored.isDirectory()) await walkNodeModules(path.join(full, stored.name, 'node_modules'), maxBytes, report, depth + 1, signal);
      }
    } else if (entry.name.startsWith('@')) {
      for (const scoped of await listDir(full)) {
        if (!scoped.isDirectory()) continue;
        await inspectNodePackage(path.join(full, scoped.name), maxBytes, report);
        await walkNodeModules(path.join(full, scoped.name, 'node_modules'), maxBytes, report, depth + 1, signal);
      }
    } else if (!entry.name.startsWith('.')) {
      await inspectNodePackage(full, maxBytes, report);
      await walkNodeModules(path.join(full, 'node_modules'), maxBytes, report, depth + 1, signal);
    }
  }
}

/**
 * What is already installed (`scan --installed`): every .pth in the interpreter's site-packages (an
 * executable line is critical) and the install scripts of every package under the node_modules roots.
 */
export async function inspectInstalled(opts: InstalledOptions): Promise<InstalledReport> {
  const maxBytes = opts.maxBytesPerFile ?? DEFAULT_SCAN_LIMITS.maxBytesPerFile;
  const report: InstalledReport = { findings: [], sitePackages: [], pthFiles: 0, nodePackages: 0, packagesWithInstallScripts: 0, notes: [] };
  if (opts.python !== undefined) {
    try {
      report.sitePackages = await sitePackagesOf(opts.python, opts.runner);
    } catch (error) {
      report.notes.push(`could not ask ${opts.python} for its site-packages: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const dir of report.sitePackages) await inspectSiteDir(dir, maxBytes, report);
  }
  for (const root of opts.nodeModulesRoots) await walkNodeModules(path.resolve(root), maxBytes, report, 0, opts.signal);
  const minRank = severityRank(opts.minSeverity ?? 'low');
  report.findings = sortFindings(report.findings.filter((f) => severityRank(f.severity) >= minRank));
  return report;
}
