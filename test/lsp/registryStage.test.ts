/** The registry stage and the pipeline's use of remembered findings, with fakes (no server, no network). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver';
import { DEFAULT_CONFIG, type SafeInstallConfig } from '../../shared/src/config/schema';
import type { DependencyIntelligenceResult } from '../../shared/src/engine/dependencyIntelligence';
import type { Finding, ParsedManifest } from '../../shared/src/model';
import type { RegistryIntelligence } from '../../server/src/engine/serverEngine';
import { registryStage } from '../../server/src/intelligence/registryStage';
import { FindingsPipeline, type CheckSubject, type FindingStage } from '../../server/src/pipeline/findingsPipeline';

const finding = (rule: string): Finding => ({ rule, severity: 'error', message: rule, ecosystem: 'npm', package: 'x', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });

const manifest: ParsedManifest = {
  kind: 'package-json',
  ecosystem: 'npm',
  errors: [],
  dependencies: [{ ecosystem: 'npm', name: 'x', normalizedName: 'x', spec: '1', kind: 'runtime', source: 'registry', nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }],
};

const subject = (config: SafeInstallConfig = DEFAULT_CONFIG): CheckSubject => ({
  uri: 'file:///w/package.json',
  filePath: '/w/package.json',
  kind: 'package-json',
  version: 1,
  text: '',
  manifest,
  config,
  typosquat: { check: () => undefined },
});

const result = (rules: string[]): DependencyIntelligenceResult => ({ findings: rules.map(finding), cards: new Map(), offlineUnchecked: 0 });

/** A fake whose `check` waits until released or aborted, recording the signal it got. */
function fakeIntelligence(known: string[] = []): RegistryIntelligence & { signals: AbortSignal[]; release: (rules: string[]) => void } {
  const signals: AbortSignal[] = [];
  let release: (rules: string[]) => void = () => undefined;
  return {
    signals,
    release: (rules) => release(rules),
    check: (_m, signal) => {
      signals.push(signal);
      return new Promise((resolve, reject) => {
        release = (rules) => resolve(result(rules));
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    },
    peek: () => result(known),
    cardFor: () => undefined,
    isPending: () => false,
    audit: () => Promise.reject(new Error('not used')),
  };
}

describe('registry stage', () => {
  it('cancelling the check aborts the look-up it waits for, and the stage then reports nothing', async () => {
    const intelligence = fakeIntelligence();
    const stage = registryStage({ get: async () => intelligence, peek: () => intelligence });
    const source = new CancellationTokenSource();
    const running = stage.run(subject(), source.token);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(intelligence.signals.length, 1);
    assert.equal(intelligence.signals[0]?.aborted, false);
    source.cancel();
    assert.equal(intelligence.signals[0]?.aborted, true);
    assert.deepEqual(await running, []);
  });

  it('is silent when registry checks are off, or when no intelligence is available (untrusted)', async () => {
    const intelligence = fakeIntelligence(['malware']);
    const stage = registryStage({ get: async () => intelligence, peek: () => intelligence });
    const off = subject({ ...DEFAULT_CONFIG, intelligence: { enabled: false } });
    assert.deepEqual(await stage.run(off, new CancellationTokenSource().token), []);
    assert.deepEqual(stage.peek?.(off), []);
    assert.equal(intelligence.signals.length, 0);
    const untrusted = registryStage({ get: async () => undefined, peek: () => undefined });
    assert.deepEqual(await untrusted.run(subject(), new CancellationTokenSource().token), []);
    assert.deepEqual(untrusted.peek?.(subject()), []);
  });
});

describe('FindingsPipeline with remembered findings', () => {
  it('publishes what a stage remembers with the offline findings; its result replaces it, and an unchanged result is not republished', async () => {
    const intelligence = fakeIntelligence(['malware']);
    const stage: FindingStage = registryStage({ get: async () => intelligence, peek: () => intelligence });
    const published: string[][] = [];
    const pipeline = new FindingsPipeline(() => [finding('typosquat')], [stage], (_s, f) => published.push(f.map((x) => x.rule)), () => assert.fail('no stage error'));
    const first = pipeline.run(subject(), new CancellationTokenSource().token);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(published, [['typosquat', 'malware']], 'no blink: the remembered finding is in the first publish');
    intelligence.release(['malware']);
    await first;
    assert.deepEqual(published.length, 1, 'the same answer again is not republished');

    const second = pipeline.run(subject(), new CancellationTokenSource().token);
    await new Promise((resolve) => setImmediate(resolve));
    intelligence.release(['unknown-package']);
    await second;
    assert.deepEqual(published.slice(1), [['typosquat', 'malware'], ['typosquat', 'unknown-package']], 'the stage result replaces what it remembered');
  });
});
