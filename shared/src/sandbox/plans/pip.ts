/**
 * pip in the sandbox. Rule: no package code runs while the network is up.
 *  - fetch (network): `pip install --dry-run --only-binary=:all: --report` resolves the whole tree from
 *    wheels alone (wheel metadata is static, so nothing runs), targeted at the host interpreter's tags;
 *    the helper then downloads exactly the reported files and checks their SHA-256.
 *  - A requirement with no usable wheel: with --binary-only the install is refused. Otherwise the helper
 *    downloads that sdist by itself (pip would run its setup.py to prepare metadata) plus wheels of its
 *    static `build-system.requires`; the build phase (network none) builds it with
 *    `pip wheel --no-deps --no-index --no-build-isolation`; the next fetch round resolves again with the
 *    built wheel on --find-links, which also pulls in the sdist's own dependencies. Up to MAX_ROUNDS.
 *  - The wheels in /si/out/wheels are copied out after the last container stopped.
 */
import { rm } from 'node:fs/promises';
import type { LockPackage } from '../lockfile';
import type { PackageRequest } from '../names';
import { VOLUME_DIRS, type SandboxSession } from '../session';
import { PIP_HELPER_FILE, PIP_HELPER_SOURCE } from './pipHelper';
import type { SandboxOutcome } from './types';

/** The interpreter wheels must fit (from the host's `pip debug --verbose`). */
export interface PythonTarget {
  pythonVersion: string;
  implementation: string;
  abis: string[];
  platforms: string[];
  /** Every compatible tag, most preferred first (`cp311-cp311-manylinux_2_35_x86_64`). */
  tags: string[];
}

/** Options of the pip plan. */
export interface PipPlanOptions {
  requests: readonly PackageRequest[];
  indexUrl: string;
  extraIndexUrls: readonly string[];
  binaryOnly: boolean;
  /**
   * Host interpreter; undefined: the container's own interpreter decides. May still be probed while the
   * sandbox starts: it is awaited just before the first resolve (a failed probe fails the run there).
   */
  target?: PythonTarget | Promise<PythonTarget>;
  maxRounds?: number;
}

/** The install was refused by policy (e.g. --binary-only and only an sdist exists). */
export class PlanRefusedError extends Error {
  override readonly name = 'PlanRefusedError';
}

const MAX_ROUNDS = 5;
const WHEELS = `${VOLUME_DIRS.out}/wheels`;
// sdists sit next to the wheels so they are copied out and scanned too (their code ran in the build phase).
const SDISTS = `${VOLUME_DIRS.out}/sdists`;
const HELPER = `${VOLUME_DIRS.in}/${PIP_HELPER_FILE}`;
// Relative to the volume root: the helper and the folders the plan writes to, written at the start of every fetch phase.
const VOLUME_LAYOUT = { [`in/${PIP_HELPER_FILE}`]: PIP_HELPER_SOURCE, 'out/wheels/': '', 'out/sdists/': '', 'dl/build-reqs/': '' };

/** A target from an interpreter's version ("3.11") and its compatible tags, most preferred first. */
export function targetFromTags(pythonVersion: string, tags: readonly string[]): PythonTarget | undefined {
  const valid = tags.filter((t) => /^[\w.]+-[\w.]+-[\w.]+$/.test(t));
  if (valid.length === 0) return undefined;
  const abis = new Set<string>();
  const platforms = new Set<string>();
  let implementation = 'cp';
  for (const tag of valid) {
    const [py = '', abi = '', platform = ''] = tag.split('-');
    if (abi !== '') abis.add(abi);
    for (const p of platform.split('.')) if (p !== 'any') platforms.add(p);
    if (/^(cp|pp|ip|jy)\d/.test(py) && tag === valid[0]) implementation = py.slice(0, 2);
  }
  return { pythonVersion, implementation, abis: [...abis], platforms: [...platforms], tags: valid };
}

/** Parses `pip debug --verbose` output into a target. */
export function parsePipDebug(text: string): PythonTarget | undefined {
  const version = /^sys\.version:\s*(\d+)\.(\d+)/m.exec(text);
  const start = text.indexOf('Compatible tags:');
  if (!version || start < 0) return undefined;
  const tags = text.slice(start).split('\n').slice(1).map((l) => l.trim());
  return targetFromTags(`${version[1]}.${version[2]}`, tags);
}

/** pip's target-interpreter options (only valid with --only-binary=:all: and --target). */
export function targetArgs(target: PythonTarget | undefined): string[] {
  if (!target) return [];
  const args = ['--python-version', target.pythonVersion, '--implementation', target.implementation];
  for (const abi of target.abis) args.push('--abi', abi);
  for (const platform of target.platforms) args.push('--platform', platform);
  return args;
}

function indexArgs(options: Pick<PipPlanOptions, 'indexUrl' | 'extraIndexUrls'>): string[] {
  const args = ['--index-url', options.indexUrl];
  for (const extra of options.extraIndexUrls) args.push('--extra-index-url', extra);
  return args;
}

/** Plan options once the target is known. */
type ReadyOptions = Omit<PipPlanOptions, 'target'> & { target?: PythonTarget };

/** The resolve step: wheels only, targeted, with built wheels on --find-links. */
export function reportArgv(options: ReadyOptions, round: number): string[] {
  return ['python3', '-I', '-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--only-binary=:all:',
    '--disable-pip-version-check', '--no-input', '--progress-bar', 'off',
    '--report', `${VOLUME_DIRS.work}/report-${round}.json`, '--target', `${VOLUME_DIRS.tmp}/dry-run`,
    ...indexArgs(options), '--find-links', WHEELS, ...targetArgs(options.target),
    '--', ...options.requests.map((r) => r.argument)];
}

/** The requirement pip could not satisfy from wheels, from its error output. */
export function parseMissingDistribution(output: string): string | undefined {
  const m = /No matching distribution found for (\S+)/.exec(output);
  return m?.[1];
}

interface ReportLine { name: string; version: string; url: string; file: string; sha256?: string; local?: boolean; requested: boolean }
interface SdistLine { name: string; version: string; url: string; file: string; sha256: string; buildRequires: string[] }

function jsonLines<T>(text: string): T[] {
  return text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as T);
}

/** Runs the plan's phases; the caller owns `session` and closes it. */
export async function runPipPlan(session: SandboxSession, options: PipPlanOptions): Promise<SandboxOutcome> {
  const built = new Map<string, SdistLine>();
  const notes = ['pip: resolution and downloads ran with network but without package code (wheels only; sdist metadata is never prepared online)'];
  for (let round = 0; round < (options.maxRounds ?? MAX_ROUNDS); round++) {
    let missing: SdistLine | undefined;
    let lines: ReportLine[] = [];
    const last = await session.phase('fetch', async (runner) => {
      const { target, ...rest } = options;
      const ready: ReadyOptions = { ...rest, ...(target !== undefined ? { target: await target } : {}) };
      // pip resolves in the helper's own process, which then downloads exactly the reported files.
      const pipArgs = reportArgv(ready, round).slice(4);
      const report = await runner.run({ label: 'pip resolve (wheels only) and download', argv: ['python3', '-I', HELPER, 'resolve', `${VOLUME_DIRS.work}/report-${round}.json`, WHEELS, ...pipArgs] }, { allowFailure: true });
      if (report.exitCode === 0) {
        lines = jsonLines<ReportLine>(report.stdout);
        return true;
      }
      const requirement = parseMissingDistribution(report.stderr + report.stdout);
      if (!requirement) throw new Error(`pip could not resolve the requirements:\n  ${(report.stderr || report.stdout).trim().split('\n').slice(-5).join('\n  ')}`);
      if (options.binaryOnly) throw new PlanRefusedError(`${requirement} has no wheel for your interpreter and --binary-only refuses sdists (building one runs its setup.py)`);
      const sdistName = requirement.split(/[<>=!~;[ ]/)[0] ?? requirement;
      if ([...built.keys()].some((k) => k.toLowerCase() === sdistName.toLowerCase())) {
        throw new PlanRefusedError(`${sdistName} was built from its sdist, but the wheel does not fit your interpreter (${ready.target ? `${ready.target.tags[0] ?? ''}` : 'the container'}): only pure-Python sdists can be built for another platform`);
      }
      const sdist = await runner.run({ label: `download sdist ${sdistName}`, argv: ['python3', '-I', HELPER, 'sdist', options.indexUrl, requirement, SDISTS] });
      missing = jsonLines<SdistLine>(sdist.stdout)[0];
      if (!missing) throw new Error(`no sdist found for ${requirement}`);
      if (missing.buildRequires.length > 0) {
        // Build requirements as wheels for the container's own interpreter; if the index lacks them the image's own are used.
        await runner.run({ label: 'download build requirements', argv: ['python3', '-I', '-m', 'pip', 'download', '--only-binary=:all:', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', ...indexArgs(options), '-d', `${VOLUME_DIRS.dl}/build-reqs`, '--', ...missing.buildRequires] }, { allowFailure: true });
      }
      return false;
    }, VOLUME_DIRS.out, { files: VOLUME_LAYOUT });
    if (last.value) {
      if (!last.copied) throw new Error('copy-out produced nothing');
      return outcome(last.copied, lines, built, notes);
    }
    // Not done yet: this round's partial copy is not needed.
    if (last.copied) await rm(last.copied.dir, { recursive: true, force: true });
    if (!missing) throw new Error('internal: no sdist to build');
    const sdist: SdistLine = missing;
    built.set(sdist.name, sdist);
    notes.push(`pip: ${sdist.name} ${sdist.version} is an sdist; its build (setup.py / build backend) ran in the build phase with network none`);
    await session.phase('build', async (runner) => {
      // Package code writes only to the capped build area (the rest of the volume is read-only now).
      const buildEnv = `${VOLUME_DIRS.build}/build-env-${round}`;
      const reqs = await runner.run({ label: 'install build requirements', argv: ['python3', '-I', '-m', 'pip', 'install', '--no-index', '--disable-pip-version-check', '--find-links', `${VOLUME_DIRS.dl}/build-reqs`, '--target', buildEnv, '--', ...sdist.buildRequires] }, { allowFailure: true });
      const env: Record<string, string> = reqs.exitCode === 0 ? { PYTHONPATH: buildEnv } : {};
      await runner.run({ label: `build ${sdist.name} offline`, env, argv: ['python3', '-m', 'pip', 'wheel', '--no-deps', '--no-index', '--no-build-isolation', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', '--wheel-dir', `${VOLUME_DIRS.build}/built-${round}`, '--', `${SDISTS}/${sdist.file}`] });
    });
    await session.phase('fetch', async (runner) => {
      // Only the wheel named after the sdist is kept; anything else the build left is discarded.
      await runner.run({ label: `adopt ${sdist.name} wheel`, argv: ['python3', '-I', HELPER, 'adopt', `${VOLUME_DIRS.build}/built-${round}`, WHEELS, sdist.name, sdist.version] });
    }, undefined, { files: VOLUME_LAYOUT });
  }
  throw new PlanRefusedError(`gave up after ${options.maxRounds ?? MAX_ROUNDS} rounds of building sdists`);
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function outcome(copied: NonNullable<SandboxOutcome['copied']>, lines: readonly ReportLine[], built: ReadonlyMap<string, SdistLine>, notes: string[]): SandboxOutcome {
  const byFile = new Map(copied.files.map((f) => [f.path, f]));
  const sdistsScanned = new Set<string>();
  const packages: LockPackage[] = [];
  const artifacts: SandboxOutcome['artifacts'] = [];
  for (const line of lines) {
    const file = byFile.get(`wheels/${line.file}`);
    if (!file) throw new Error(`${line.file} was reported but is missing from the copied wheels`);
    if (line.sha256 !== undefined && line.sha256 !== file.sha256) throw new Error(`${line.file} changed between download and copy-out (sha256 ${line.sha256} vs ${file.sha256})`);
    const sdist = [...built.values()].find((s) => normalize(s.name) === normalize(line.name));
    const artifact = sdist
      ? [{ file: sdist.file, kind: 'sdist' as const, url: sdist.url, sha256: sdist.sha256 }, { file: line.file, kind: 'built-wheel' as const, sha256: file.sha256, builtFrom: sdist.file }]
      : [{ file: line.file, kind: 'wheel' as const, url: line.url, sha256: file.sha256 }];
    packages.push({ ecosystem: 'PyPI', name: line.name, version: line.version, artifacts: artifact });
    artifacts.push({ path: `wheels/${line.file}`, package: line.name, version: line.version, format: 'wheel' });
    if (sdist && byFile.has(`sdists/${sdist.file}`) && !sdistsScanned.has(sdist.file)) {
      sdistsScanned.add(sdist.file);
      artifacts.push({ path: `sdists/${sdist.file}`, package: line.name, version: line.version, format: 'sdist' });
    }
  }
  notes.push('pip: installing wheels on the host runs no package code; module code runs at import, and .pth files at every interpreter start (listed below)');
  return { ecosystem: 'PyPI', copied, packages, artifacts, scripts: [], notes };
}
