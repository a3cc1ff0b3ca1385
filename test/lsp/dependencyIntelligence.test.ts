/** DependencyIntelligence: answers remembered per dependency line, shared in-flight look-ups, abandonment. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DependencyIntelligence, isOfflineOnly, type IntelligenceRunner } from '../../shared/src/engine/dependencyIntelligence';
import type { PackageCard } from '../../shared/src/intelligence/card';
import type { Dependency, Finding, ParsedManifest } from '../../shared/src/model';

function dep(name: string, spec: string, line: number): Dependency {
  return {
    ecosystem: 'npm',
    name,
    normalizedName: name,
    spec,
    kind: 'runtime',
    source: 'registry',
    nameRange: { start: { line, character: 1 }, end: { line, character: 1 + name.length } },
    specRange: { start: { line, character: 20 }, end: { line, character: 20 + spec.length } },
  };
}

const manifest = (...deps: Dependency[]): ParsedManifest => ({ kind: 'package-json', ecosystem: 'npm', dependencies: deps, errors: [] });

const card = (name: string, exists: PackageCard['exists'] = true): PackageCard => ({ ecosystem: 'npm', name, exists, maintainers: [], installScripts: [], osvIds: [], malwareIds: [], links: { advisories: [] }, foundIn: [] });

/** A runner that reports `bad-*` as malware (on the name) and `old-*` as fresh (on the spec); it records every call. */
function fakeRunner(options: { gate?: Promise<void>; offline?: boolean } = {}): IntelligenceRunner & { calls: string[][]; signals: AbortSignal[] } {
  const calls: string[][] = [];
  const signals: AbortSignal[] = [];
  const run = async (m: ParsedManifest, signal: AbortSignal) => {
    calls.push(m.dependencies.map((d) => `${d.name}@${d.spec}`));
    signals.push(signal);
    if (options.gate) {
      await Promise.race([options.gate, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))]);
    }
    const findings: Finding[] = [];
    const cards = new Map<string, PackageCard>();
    for (const d of m.dependencies) {
      cards.set(`npm:${d.normalizedName}`, card(d.name, options.offline ? 'unknown' : true));
      const base = { ecosystem: d.ecosystem, package: d.name, data: { name: d.name } };
      if (options.offline) findings.push({ ...base, rule: 'intelligence-unavailable', severity: 'information', message: 'offline', range: d.nameRange, data: { reasons: [`offline mode: ${d.name} is not in the cache`] } });
      if (d.name.startsWith('bad-')) findings.push({ ...base, rule: 'malware', severity: 'error', message: `${d.name} is MAL-1`, range: d.nameRange });
      if (d.name.startsWith('old-') && d.specRange) findings.push({ ...base, rule: 'fresh-release', severity: 'warning', message: 'fresh', range: d.specRange });
    }
    return { findings, cards };
  };
  return Object.assign(run, { calls, signals });
}

const signal = (): AbortSignal => new AbortController().signal;

describe('DependencyIntelligence', () => {
  test('an unchanged line is asked about once; findings follow the line when it moves', async () => {
    const runner = fakeRunner();
    const memo = new DependencyIntelligence(runner);
    const first = await memo.check(manifest(dep('bad-a', '^1', 2), dep('old-b', '^2', 3)), signal());
    assert.deepEqual(first.findings.map((f) => [f.rule, f.range.start.line, f.range.start.character]), [['malware', 2, 1], ['fresh-release', 3, 20]]);
    const moved = await memo.check(manifest(dep('ok-c', '1.0.0', 2), dep('bad-a', '^1', 5), dep('old-b', '^2', 9)), signal());
    assert.deepEqual(runner.calls, [['bad-a@^1', 'old-b@^2'], ['ok-c@1.0.0']], 'only the new line was asked about');
    assert.deepEqual(moved.findings.map((f) => [f.rule, f.range.start.line]), [['malware', 5], ['fresh-release', 9]]);
    assert.deepEqual([...moved.cards.keys()].sort(), ['npm:bad-a', 'npm:ok-c', 'npm:old-b']);
    assert.equal(memo.cardFor(dep('bad-a', '^1', 0), manifest())?.name, 'bad-a');
    // A different spec is a different line.
    await memo.check(manifest(dep('bad-a', '^2', 5)), signal());
    assert.deepEqual(runner.calls.at(-1), ['bad-a@^2']);
  });

  test('peek returns remembered findings without asking', async () => {
    const runner = fakeRunner();
    const memo = new DependencyIntelligence(runner);
    assert.deepEqual(memo.peek(manifest(dep('bad-a', '^1', 1))).findings, []);
    await memo.check(manifest(dep('bad-a', '^1', 1)), signal());
    assert.deepEqual(memo.peek(manifest(dep('bad-a', '^1', 4), dep('new-z', '1', 5))).findings.map((f) => f.range.start.line), [4]);
    assert.equal(runner.calls.length, 1);
  });

  test('concurrent checks share one look-up', async () => {
    let open!: () => void;
    const runner = fakeRunner({ gate: new Promise<void>((resolve) => (open = resolve)) });
    const memo = new DependencyIntelligence(runner);
    const a = memo.check(manifest(dep('bad-a', '^1', 1)), signal());
    const b = memo.check(manifest(dep('bad-a', '^1', 7)), signal());
    assert.equal(memo.isPending(dep('bad-a', '^1', 0), manifest()), true);
    open();
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(runner.calls.length, 1);
    assert.equal(ra.findings[0]?.range.start.line, 1);
    assert.equal(rb.findings[0]?.range.start.line, 7);
  });

  test('a look-up nobody waits for is aborted; one still awaited is not', async () => {
    const runner = fakeRunner({ gate: new Promise<void>(() => undefined) });
    const memo = new DependencyIntelligence(runner);
    const first = new AbortController();
    const second = new AbortController();
    const a = memo.check(manifest(dep('bad-a', '^1', 1)), first.signal);
    const b = memo.check(manifest(dep('bad-a', '^1', 1)), second.signal);
    first.abort(new Error('edited'));
    await assert.rejects(a, /edited/);
    assert.equal(runner.signals[0]?.aborted, false, 'the second check still waits');
    second.abort(new Error('edited again'));
    await assert.rejects(b, /edited again/);
    assert.equal(runner.signals[0]?.aborted, true, 'the last waiter left: the look-up is aborted');
    assert.equal(memo.isPending(dep('bad-a', '^1', 0), manifest()), false);
  });

  test('answers expire; failures sooner than complete answers', async () => {
    let now = 0;
    const runner = fakeRunner();
    const memo = new DependencyIntelligence(runner, { answerTtlMs: 1000, failureTtlMs: 100, now: () => now });
    await memo.check(manifest(dep('bad-a', '^1', 1)), signal());
    now = 500;
    await memo.check(manifest(dep('bad-a', '^1', 1)), signal());
    assert.equal(runner.calls.length, 1);
    now = 1001;
    await memo.check(manifest(dep('bad-a', '^1', 1)), signal());
    assert.equal(runner.calls.length, 2);

    const offline = fakeRunner({ offline: true });
    const offMemo = new DependencyIntelligence(offline, { answerTtlMs: 1000, failureTtlMs: 100, now: () => now });
    await offMemo.check(manifest(dep('x', '1', 1)), signal());
    now += 101;
    await offMemo.check(manifest(dep('x', '1', 1)), signal());
    assert.equal(offline.calls.length, 2);
  });

  test('offline lines with no cached answer are counted, not reported, and get no card', async () => {
    const memo = new DependencyIntelligence(fakeRunner({ offline: true }));
    const result = await memo.check(manifest(dep('x', '1', 1), dep('bad-y', '1', 2)), signal());
    assert.deepEqual(result.findings.map((f) => f.rule), ['malware']);
    assert.equal(result.offlineUnchecked, 2);
    assert.equal(memo.cardFor(dep('x', '1', 1), manifest()), undefined);
    const finding = (reasons: unknown): Finding => ({ rule: 'intelligence-unavailable', severity: 'information', message: '', ecosystem: 'npm', package: 'x', range: dep('x', '', 0).nameRange, data: { reasons } });
    assert.equal(isOfflineOnly(finding(['offline mode: a', 'known-malware check (OSV): offline mode: no cached OSV answer'])), true);
    assert.equal(isOfflineOnly(finding(['offline mode: a', 'cannot reach registry.example'])), false);
    assert.equal(isOfflineOnly(finding([])), false);
  });

  test('a manifest larger than the memory still gets every finding', async () => {
    const runner = fakeRunner();
    const memo = new DependencyIntelligence(runner, { maxEntries: 3 });
    const deps = Array.from({ length: 10 }, (_, i) => dep(`bad-${i}`, '1', i));
    const result = await memo.check(manifest(...deps), signal());
    assert.equal(result.findings.length, 10);
    assert.equal(memo.peek(manifest(...deps)).findings.length, 3, 'only the newest answers are remembered');
  });

  test('git, path and excluded dependencies are never looked up', async () => {
    const runner = fakeRunner();
    const memo = new DependencyIntelligence(runner);
    await memo.check(manifest({ ...dep('a', '', 1), source: 'git' }, { ...dep('b', '1', 2), kind: 'exclude' }), signal());
    assert.equal(runner.calls.length, 0);
  });
});
