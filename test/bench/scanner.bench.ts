// `npm run bench:scanner`: recall of the source scanner on the project's attack fixtures, and false
// positives on the most downloaded npm packages, fetched as real tarballs from the npm registry
// (cached under the user's cache folder). Targets: 100 % recall; fewer than 5 packages with a warning
// or worse and none with an error. Prints every miss and every flagged package with its rules.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { inspectArchive, inspectSource, MemorySource, severityRank, toSeverity, type SourceFinding } from '../../shared/src/inspect/index';
import { loadFixtureCases } from '../unit/inspect/fixtureCases';

const TOP_N = Number(process.env.SCANNER_BENCH_TOP ?? 200);
const REGISTRY = (process.env.npm_config_registry ?? 'https://registry.npmjs.org/').replace(/\/?$/, '/');
const CONCURRENCY = 8;
const root = path.join(__dirname, '..', '..');

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? (process.platform === 'darwin' ? path.join(os.homedir(), 'Library', 'Caches') : path.join(os.homedir(), '.cache'));
  return path.join(base, 'safe-install', 'bench-npm-tarballs');
}

async function recall(): Promise<void> {
  const cases = (await loadFixtureCases()).filter((c) => c.expect === 'malicious');
  const missed: string[] = [];
  const started = performance.now();
  for (const c of cases) {
    const findings = await inspectSource(new MemorySource(c.files));
    const wanted = severityRank(c.minSeverity ?? 'low');
    if (!findings.some((f) => f.rule === c.rule && severityRank(f.severity) >= wanted)) missed.push(c.id);
  }
  const ms = performance.now() - started;
  const pct = ((100 * (cases.length - missed.length)) / cases.length).toFixed(1);
  console.log(`recall on attack fixtures: ${cases.length - missed.length}/${cases.length} (${pct} %) in ${ms.toFixed(0)} ms`);
  for (const id of missed) console.log(`  MISSED ${id}`);
}

async function topNames(): Promise<string[] | undefined> {
  const file = path.join(root, 'shared', 'data', 'popular', 'npm.txt.gz');
  let text: string;
  try {
    text = gunzipSync(await readFile(file)).toString('utf8');
  } catch (error) {
    console.log(`false positives: skipped — the popular npm list ${path.relative(root, file)} is not readable (${(error as Error).message})`);
    return undefined;
  }
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .slice(0, TOP_N);
}

async function fetchTarball(name: string): Promise<{ version: string; bytes: Uint8Array }> {
  const encoded = name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
  const res = await fetch(`${REGISTRY}${encoded}`, { headers: { accept: 'application/vnd.npm.install-v1+json' }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`packument HTTP ${res.status}`);
  const doc = (await res.json()) as { 'dist-tags'?: { latest?: string }; versions?: Record<string, { dist?: { tarball?: string } }> };
  const version = doc['dist-tags']?.latest;
  const tarball = version ? doc.versions?.[version]?.dist?.tarball : undefined;
  if (!version || !tarball) throw new Error('no latest tarball in packument');
  const cached = path.join(cacheDir(), `${name.replace('/', '__')}-${version}.tgz`);
  try {
    return { version, bytes: await readFile(cached) };
  } catch {
    // not cached yet
  }
  const tgz = await fetch(tarball, { signal: AbortSignal.timeout(120_000) });
  if (!tgz.ok) throw new Error(`tarball HTTP ${tgz.status}`);
  const bytes = new Uint8Array(await tgz.arrayBuffer());
  await mkdir(cacheDir(), { recursive: true });
  await writeFile(cached, bytes);
  return { version, bytes };
}

interface PackageResult {
  name: string;
  version?: string;
  findings?: SourceFinding[];
  error?: string;
  ms?: number;
  bytes?: number;
}

async function scanPackage(name: string): Promise<PackageResult> {
  let fetched;
  try {
    fetched = await fetchTarball(name);
  } catch (error) {
    return { name, error: `fetch failed: ${(error as Error).message}` };
  }
  const started = performance.now();
  try {
    const findings = await inspectArchive(fetched.bytes, 'npm', { package: `${name}@${fetched.version}` });
    return { name, version: fetched.version, findings, ms: performance.now() - started, bytes: fetched.bytes.length };
  } catch (error) {
    return { name, version: fetched.version, error: `scan failed: ${(error as Error).message}` };
  }
}

async function falsePositives(): Promise<void> {
  const names = await topNames();
  if (!names) return;
  try {
    const probe = await fetch(`${REGISTRY}semver`, { method: 'HEAD', signal: AbortSignal.timeout(15_000) });
    if (!probe.ok && probe.status !== 405) throw new Error(`HTTP ${probe.status}`);
  } catch (error) {
    console.log(`false positives: skipped — the npm registry (${REGISTRY}) is unreachable: ${(error as Error).message}`);
    return;
  }
  const results: PackageResult[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < names.length) {
        const name = names[next++];
        if (name !== undefined) results.push(await scanPackage(name));
      }
    }),
  );
  results.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
  const scanned = results.filter((r) => r.findings);
  const failed = results.filter((r) => r.error);
  const worst = (r: PackageResult): SourceFinding[] => (r.findings ?? []).filter((f) => severityRank(f.severity) >= severityRank('medium'));
  const warned = scanned.filter((r) => worst(r).length > 0);
  const errored = scanned.filter((r) => (r.findings ?? []).some((f) => toSeverity(f.severity) === 'error'));
  const informational = scanned.filter((r) => (r.findings ?? []).length > 0 && worst(r).length === 0);
  const totalMs = scanned.reduce((s, r) => s + (r.ms ?? 0), 0);
  const totalBytes = scanned.reduce((s, r) => s + (r.bytes ?? 0), 0);
  console.log(`false positives on the top ${names.length} npm packages: ${scanned.length} scanned, ${failed.length} not scanned`);
  console.log(`  warning or worse: ${warned.length} package(s) (target < 5); error: ${errored.length} (target 0); information only: ${informational.length}`);
  console.log(`  scan time: ${totalMs.toFixed(0)} ms for ${(totalBytes / 1e6).toFixed(1)} MB of tarballs (${(totalMs / Math.max(1, scanned.length)).toFixed(1)} ms a package)`);
  for (const r of warned) {
    console.log(`  FLAGGED ${r.name}@${r.version ?? '?'}`);
    for (const f of worst(r)) console.log(`    ${f.severity} ${f.rule} ${f.file}:${f.range.start.line + 1} — ${f.message} [${f.matches[0]?.excerpt ?? ''}]`);
  }
  if (process.env.SCANNER_BENCH_VERBOSE) {
    for (const r of informational) console.log(`  info ${r.name}: ${[...new Set((r.findings ?? []).map((f) => f.rule))].join(', ')}`);
  }
  for (const r of failed) console.log(`  NOT SCANNED ${r.name}: ${r.error ?? ''}`);
}

async function main(): Promise<void> {
  await recall();
  await falsePositives();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
