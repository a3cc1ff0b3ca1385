// Unit tests of the server's moving parts that the JSON-RPC tests cannot pin down exactly:
// scheduling order, cancellation of later stages, diagnostics merging, memoisation, settings shapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancellationTokenSource, type CancellationToken, type Diagnostic } from 'vscode-languageserver';
import { DEFAULT_CONFIG } from '../../shared/src/config/schema';
import type { Finding } from '../../shared/src/model';
import type { TyposquatDetector } from '../../shared/src/typosquat/detector';
import { allowEntry } from '../../server/src/actions/ignorePackage';
import { DiagnosticsStore } from '../../server/src/diagnostics/diagnosticsStore';
import { FindingsPipeline, type CheckSubject } from '../../server/src/pipeline/findingsPipeline';
import { MemoizedDetector } from '../../server/src/pipeline/memoizedDetector';
import { DiagnosisScheduler, type Timers } from '../../server/src/pipeline/scheduler';
import { readResourceSettings } from '../../server/src/settings/resourceSettings';

/** A clock the test advances by hand. */
class FakeTimers implements Timers {
  private next = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  time = 0;
  now(): number {
    return this.time;
  }
  set(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Moves the clock; `fire` false leaves due timers unfired (a busy event loop runs them late). */
  advance(ms: number, fire = true): void {
    this.time += ms;
    if (!fire) return;
    for (const [id, timer] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.time || !this.pending.has(id)) continue;
      this.pending.delete(id);
      timer.callback();
    }
  }
}

/** A deferred promise, to hold a run or a stage open until the test lets it finish. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('DiagnosisScheduler', () => {
  it('runs at once when idle, coalesces a burst into one trailing run, cancels superseded runs', async () => {
    const timers = new FakeTimers();
    const runs: Array<{ token: CancellationToken; done: () => void }> = [];
    const scheduler = new DiagnosisScheduler(
      (_uri, token) => {
        const d = deferred<void>();
        runs.push({ token, done: () => d.resolve() });
        return d.promise;
      },
      100,
      (_uri, error) => assert.fail(String(error)),
      timers,
    );
    scheduler.request('a');
    assert.equal(runs.length, 1, 'leading edge: runs immediately');
    scheduler.request('a');
    scheduler.request('a');
    assert.equal(runs.length, 1, 'inside the window: no new run yet');
    assert.equal(runs[0]?.token.isCancellationRequested, true, 'the running check is for stale text');
    timers.advance(99);
    assert.equal(runs.length, 1);
    timers.advance(1);
    assert.equal(runs.length, 2, 'one trailing run for the whole burst');
    runs[1]?.done();
    await Promise.resolve();
    timers.advance(100);
    assert.equal(runs.length, 2, 'nothing pending: no further run');
    timers.advance(1000);
    scheduler.request('a');
    assert.equal(runs.length, 3, 'idle again: leading edge again');
    scheduler.request('b');
    assert.equal(runs.length, 4, 'documents are scheduled independently');
    // The quiet window has passed but its timer has not fired yet: still idle, so still immediate.
    timers.advance(100, false);
    scheduler.request('b');
    assert.equal(runs.length, 5, 'a late timer does not delay the leading edge');
    // A burst keeps the window open: each request inside it pushes the trailing run out.
    timers.advance(60);
    scheduler.request('b');
    timers.advance(60);
    scheduler.request('b');
    timers.advance(60);
    assert.equal(runs.length, 5, 'no run while the edits keep coming');
    timers.advance(40);
    assert.equal(runs.length, 6, 'one trailing run after the burst');
    scheduler.cancel('a');
    assert.equal(runs[2]?.token.isCancellationRequested, true, 'closing cancels');
    scheduler.dispose();
  });

  it('reports a failing run and keeps scheduling', async () => {
    const timers = new FakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = new DiagnosisScheduler(
      () => {
        calls++;
        return Promise.reject(new Error('boom'));
      },
      10,
      (_uri, error) => errors.push(error),
      timers,
    );
    scheduler.request('a');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(errors.length, 1);
    timers.advance(10);
    scheduler.request('a');
    assert.equal(calls, 2);
  });
});

const subject = (typosquat: TyposquatDetector): CheckSubject => ({
  uri: 'file:///w/requirements.txt',
  filePath: '/w/requirements.txt',
  kind: 'requirements',
  version: 1,
  text: '',
  manifest: { kind: 'requirements', ecosystem: 'PyPI', dependencies: [], errors: [] },
  config: DEFAULT_CONFIG,
  typosquat,
});

const finding = (rule: string): Finding => ({
  rule,
  severity: 'warning',
  message: rule,
  ecosystem: 'PyPI',
  package: 'x',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
});

describe('FindingsPipeline', () => {
  const none: TyposquatDetector = { check: () => undefined };

  it('publishes offline findings before a slow stage finishes, then the union', async () => {
    const slow = deferred<Finding[]>();
    const published: string[][] = [];
    const pipeline = new FindingsPipeline(
      () => [finding('typosquat')],
      [{ id: 'network', run: () => slow.promise }],
      (_s, findings) => published.push(findings.map((f) => f.rule)),
      () => assert.fail('no stage error expected'),
    );
    const done = pipeline.run(subject(none), new CancellationTokenSource().token);
    await Promise.resolve();
    assert.deepEqual(published, [['typosquat']], 'offline result is out while the stage still runs');
    slow.resolve([finding('malware')]);
    await done;
    assert.deepEqual(published, [['typosquat'], ['typosquat', 'malware']]);
  });

  it('a cancelled run publishes nothing more, and a failing stage does not hide the others', async () => {
    const slow = deferred<Finding[]>();
    const published: string[][] = [];
    const failures: string[] = [];
    const source = new CancellationTokenSource();
    const pipeline = new FindingsPipeline(
      () => [],
      [
        { id: 'slow', run: () => slow.promise },
        { id: 'broken', run: () => Promise.reject(new Error('down')) },
      ],
      (_s, findings) => published.push(findings.map((f) => f.rule)),
      (stage) => failures.push(stage.id),
    );
    const done = pipeline.run(subject(none), source.token);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(failures, ['broken']);
    source.cancel();
    slow.resolve([finding('late')]);
    await done;
    assert.deepEqual(published, [[]], 'only the offline publish; the late stage was for stale text');
  });
});

describe('DiagnosticsStore', () => {
  const diag = (message: string): Diagnostic => ({
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    message,
    code: 'typosquat',
  });

  it('merges owners per file, dedupes the same line, and clears files no owner reports on', () => {
    const sent: Array<[string, string[]]> = [];
    const store = new DiagnosticsStore((uri, ds) => sent.push([uri, ds.map((d) => d.message)]));
    store.set('doc:a', new Map([['a', [diag('in a')]], ['inc', [diag('in inc')]]]));
    store.set('doc:inc', new Map([['inc', [diag('in inc'), diag('own')]]]));
    assert.deepEqual(store.get('inc').map((d) => d.message), ['in inc', 'own']);
    sent.length = 0;
    store.set('doc:a', new Map([['a', []]]));
    assert.deepEqual(sent, [['a', []], ['inc', ['in inc', 'own']]]);
    store.clear('doc:inc');
    assert.deepEqual(sent.at(-1), ['inc', []]);
  });
});

describe('MemoizedDetector', () => {
  it('asks the real detector once per (ecosystem, name, spelling)', () => {
    const asked: string[] = [];
    const memo = new MemoizedDetector({
      check: (ecosystem, name, raw) => {
        asked.push(`${ecosystem}:${name}:${raw ?? ''}`);
        return name === 'reqeusts' ? { intended: 'requests', operator: 'transposition', reason: 'swap' } : undefined;
      },
    });
    for (let i = 0; i < 3; i++) {
      assert.equal(memo.check('PyPI', 'reqeusts')?.intended, 'requests');
      assert.equal(memo.check('PyPI', 'flask'), undefined);
      assert.equal(memo.check('npm', 'flask'), undefined);
    }
    memo.check('PyPI', 'flask', 'Flask');
    assert.deepEqual(asked, ['PyPI:reqeusts:', 'PyPI:flask:', 'npm:flask:', 'PyPI:flask:Flask']);
  });
});

describe('settings and allow entries', () => {
  it('reads nested and flat setting shapes, and falls back on garbage', () => {
    const user = (raw: unknown): unknown => {
      const layer = readResourceSettings(raw).user;
      return Object.fromEntries(Object.entries(layer).map(([key, setting]) => [key, setting.value]));
    };
    assert.deepEqual(user({ typosquat: { enabled: false, allow: ['a', 3, ' b '] } }), { 'typosquat.enabled': false, 'typosquat.allow': ['a', 'b'] });
    assert.deepEqual(user({ 'typosquat.enabled': false }), { 'typosquat.enabled': false });
    assert.deepEqual(readResourceSettings('nonsense'), { user: {}, workspace: {} });
    assert.deepEqual(user({ typosquat: { enabled: 'no' } }), {});
    assert.deepEqual(user({ intelligence: { enabled: false }, offline: true }), { intelligence: { enabled: false, offline: true } });
    assert.deepEqual(user({ 'intelligence.enabled': false, offline: 'yes' }), { intelligence: { enabled: false } });
    assert.deepEqual(readResourceSettings({ typosquat: { enabled: false } }).workspace, {}, 'a merged section is the user scope');
  });

  it('writes allow entries the config reader matches (ecosystem prefix, normalised name)', () => {
    assert.equal(allowEntry('PyPI', 'Reqeusts_Lib'), 'PyPI:reqeusts-lib');
    assert.equal(allowEntry('npm', '@Scope/Thing'), 'npm:@scope/thing');
    assert.equal(allowEntry('Elsewhere', 'x'), 'x');
  });
});
