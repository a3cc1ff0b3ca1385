import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_CONFIG, type SafeInstallConfig } from '../../../shared/src/config/schema';
import { networkFindings, networkIntelligence } from '../../../shared/src/intelligence/networkFindings';
import type { Dependency, Ecosystem, Finding, ParsedManifest } from '../../../shared/src/model';
import { normalizeName } from '../../../shared/src/normalize';
import { clientsFor, RegistryServer } from '../../support/registryServer';

let server: RegistryServer;
before(async () => {
  server = await RegistryServer.start();
});
after(async () => {
  await server.close();
});

const ecosystemKinds: Record<Ecosystem, ParsedManifest['kind']> = { npm: 'package-json', PyPI: 'requirements', 'crates.io': 'cargo', Go: 'go-mod', RubyGems: 'gemfile' };

/** A manifest with one dependency per line, name at column 2, spec after it. */
function manifest(ecosystem: Ecosystem, deps: Array<[string, string]>): ParsedManifest {
  const dependencies: Dependency[] = deps.map(([name, spec], line) => ({
    ecosystem,
    name,
    normalizedName: normalizeName(ecosystem, name),
    spec,
    kind: 'runtime',
    source: 'registry',
    nameRange: { start: { line, character: 2 }, end: { line, character: 2 + name.length } },
    specRange: { start: { line, character: 10 + name.length }, end: { line, character: 10 + name.length + spec.length } },
  }));
  return { kind: ecosystemKinds[ecosystem], ecosystem, dependencies, errors: [] };
}

const config = (intelligence: SafeInstallConfig['intelligence'] = {}): SafeInstallConfig => ({ ...DEFAULT_CONFIG, intelligence });

async function findingsFor(ecosystem: Ecosystem, deps: Array<[string, string]>, intel: SafeInstallConfig['intelligence'] = {}, pypiExtra = false): Promise<Finding[]> {
  return networkFindings(manifest(ecosystem, deps), { clients: clientsFor(server, { pypiExtra }), config: config(intel), signal: new AbortController().signal });
}

const rules = (findings: Finding[], pkg: string): string[] => findings.filter((f) => f.package === pkg).map((f) => f.rule).sort();

describe('networkFindings against the local registry', () => {
  test('a healthy, popular npm package gets no finding at all', async () => {
    const findings = await findingsFor('npm', [['good-lib', '^1.2.0']]);
    assert.deepEqual(findings, []);
  });

  test('known malware is an error carrying its MAL id, on the name', async () => {
    const findings = await findingsFor('npm', [['evil-lib', '^1.0.0']]);
    const malware = findings.find((f) => f.rule === 'malware');
    assert.ok(malware, JSON.stringify(findings));
    assert.equal(malware.severity, 'error');
    assert.match(malware.message, /MAL-2025-0001/);
    assert.deepEqual(malware.range.start, { line: 0, character: 2 });
    // The same package is also new, tiny, scripted and unlinked: every signal is reported.
    assert.deepEqual(rules(findings, 'evil-lib'), ['install-scripts', 'low-downloads', 'malware', 'new-package', 'no-repository']);
  });

  test('malware that the registry already removed is still reported (unknown + malware)', async () => {
    const findings = await findingsFor('npm', [['ghost-lib', '1.0.0']]);
    assert.deepEqual(rules(findings, 'ghost-lib'), ['malware', 'unknown-package']);
    assert.match(findings.find((f) => f.rule === 'malware')?.message ?? '', /MAL-2025-0003/);
  });

  test('withdrawn OSV records are ignored', async () => {
    const findings = await findingsFor('npm', [['good-lib', '1.4.0']]);
    assert.equal(findings.filter((f) => f.rule === 'malware').length, 0);
  });

  test('an unknown package is unknown-package (error) naming the registry checked', async () => {
    const findings = await findingsFor('npm', [['surely-not-a-real-package-xyz', '^1.0.0']]);
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.rule, 'unknown-package');
    assert.equal(findings[0]?.severity, 'error');
    assert.match(findings[0]?.message ?? '', /127\.0\.0\.1/);
  });

  test('vulnerabilities depend on the resolved version, with the record severity, on the spec', async () => {
    const vulnerable = await findingsFor('npm', [['vuln-lib', '1.0.0']]);
    const finding = vulnerable.find((f) => f.rule === 'vulnerability');
    assert.ok(finding);
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /GHSA-x2rg-q646-7m2v \(high\)/);
    assert.equal(finding.range.start.character, 10 + 'vuln-lib'.length);
    const fixed = await findingsFor('npm', [['vuln-lib', '^1.1.0']]);
    assert.equal(fixed.filter((f) => f.rule === 'vulnerability').length, 0);
  });

  test('a new package warns (< 30 days) and a fresh, hijacked-looking release gets every age signal', async () => {
    assert.deepEqual(rules(await findingsFor('npm', [['new-lib', '*']]), 'new-lib'), ['low-downloads', 'new-package']);
    const hijacked = await findingsFor('npm', [['hijacked-lib', '^2.0.0']]);
    assert.deepEqual(rules(hijacked, 'hijacked-lib'), ['dormant-reactivated', 'fresh-release', 'maintainer-change']);
    assert.match(hijacked.find((f) => f.rule === 'maintainer-change')?.message ?? '', /'mallory'.*'alice'/);
    // Pinning the previous version avoids the fresh release.
    const pinned = await findingsFor('npm', [['hijacked-lib', '2.0.0']]);
    assert.ok(!rules(pinned, 'hijacked-lib').includes('fresh-release'));
  });

  test('thresholds come from [intelligence]', async () => {
    const relaxed = await findingsFor('npm', [['hijacked-lib', '^2.0.0']], { minReleaseAgeHours: 1, dormantDays: 5000 });
    assert.deepEqual(rules(relaxed, 'hijacked-lib'), ['maintainer-change']);
    const off = await findingsFor('npm', [['new-lib', '*']], { disabledRules: ['low-downloads'], newPackageDays: 1, newPackageWeakDays: 1 });
    assert.deepEqual(off, []);
  });

  test('install scripts, deprecation and scoped packages', async () => {
    const findings = await findingsFor('npm', [['scripted-lib', '^2.0.0'], ['deprecated-lib', '1.0.0'], ['@acme/widgets', '^3.0.0']]);
    const scripts = findings.find((f) => f.rule === 'install-scripts');
    assert.match(scripts?.message ?? '', /preinstall, binding\.gyp/);
    assert.doesNotMatch(scripts?.message ?? '', /prepare/);
    assert.match(findings.find((f) => f.rule === 'deprecated')?.message ?? '', /no longer maintained/);
    assert.deepEqual(rules(findings, '@acme/widgets'), []);
  });

  test('dependency confusion: an internal-prefixed name that exists publicly is an error', async () => {
    const findings = await findingsFor('npm', [['acme-internal-config', '^1.0.0']], { internalPrefixes: ['acme-'] });
    const confusion = findings.find((f) => f.rule === 'dependency-confusion');
    assert.equal(confusion?.severity, 'error');
    assert.match(confusion?.message ?? '', /acme-/);
  });

  test('PyPI: pins, yanks, sdist-only installs, malware, and private-index packages', async () => {
    assert.deepEqual(await findingsFor('PyPI', [['good-py', '>=2.0']]), []);
    assert.deepEqual(rules(await findingsFor('PyPI', [['yanked-py', '==2.0.0']]), 'yanked-py'), ['yanked']);
    assert.deepEqual(rules(await findingsFor('PyPI', [['yanked-py', '>=1.0']]), 'yanked-py'), []);
    assert.deepEqual(rules(await findingsFor('PyPI', [['sdist-only-py', '']]), 'sdist-only-py'), ['install-scripts']);
    assert.ok(rules(await findingsFor('PyPI', [['evil-py', '']]), 'evil-py').includes('malware'));
    // Only on the private index: unknown without it, found (no finding) with it.
    assert.deepEqual(rules(await findingsFor('PyPI', [['acme-private-tool', '']]), 'acme-private-tool'), ['unknown-package']);
    assert.deepEqual(await findingsFor('PyPI', [['acme-private-tool', '']], {}, true), []);
    // On both indexes: pip may take either.
    assert.deepEqual(rules(await findingsFor('PyPI', [['both-py', '']], {}, true), 'both-py'), ['dependency-confusion']);
  });

  test('crates.io: caret default resolution skips yanked versions; an exact pin to a yanked one warns', async () => {
    assert.deepEqual(await findingsFor('crates.io', [['good-crate', '1.0']]), []);
    assert.deepEqual(rules(await findingsFor('crates.io', [['yanked-crate', '=0.3.1']]), 'yanked-crate'), ['low-downloads', 'yanked']);
    assert.deepEqual(rules(await findingsFor('crates.io', [['no-such-crate', '1']]), 'no-such-crate'), ['unknown-package']);
  });

  test('Go: capitals escaped, +incompatible and pseudo-versions, and an unknown module is not "unknown" when GOPROXY falls back to direct', async () => {
    assert.deepEqual(await findingsFor('Go', [['github.com/good/mod', 'v1.2.0']]), []);
    assert.deepEqual(await findingsFor('Go', [['github.com/Azure/go-autorest', 'v14.2.0+incompatible']]), []);
    const pseudo = await findingsFor('Go', [['golang.org/x/pseudo', 'v0.0.0-20250530120000-abcdefabcdef']]);
    assert.deepEqual(rules(pseudo, 'golang.org/x/pseudo'), ['new-package']);
    const missing = await findingsFor('Go', [['github.com/nobody/nothing', 'v1.0.0']]);
    assert.deepEqual(rules(missing, 'github.com/nobody/nothing'), ['intelligence-unavailable']);
    assert.match(missing[0]?.message ?? '', /direct/);
  });

  test('RubyGems: pessimistic requirements, owners, low downloads', async () => {
    const intel = await networkIntelligence(manifest('RubyGems', [['good-gem', '~> 7.0']]), { clients: clientsFor(server), config: config(), signal: new AbortController().signal });
    assert.deepEqual(intel.findings, []);
    const card = intel.cards.get('RubyGems:good-gem');
    assert.equal(card?.resolvedVersion, '7.1.0');
    assert.deepEqual(card?.maintainers, ['dhh', 'rafaelfranca']);
    assert.deepEqual(rules(await findingsFor('RubyGems', [['tiny-gem', '']]), 'tiny-gem'), ['low-downloads', 'no-repository']);
  });

  test('cards carry what hovers show', async () => {
    const intel = await networkIntelligence(manifest('npm', [['evil-lib', '^1.0.0']]), { clients: clientsFor(server), config: config(), signal: new AbortController().signal });
    const card = intel.cards.get('npm:evil-lib');
    assert.equal(card?.latest, '1.0.1');
    assert.deepEqual(card?.malwareIds, ['MAL-2025-0001']);
    assert.deepEqual(card?.installScripts, ['postinstall']);
    assert.deepEqual(card?.downloads, { count: 12, period: 'last month' });
    assert.equal(card?.ageDays, 6);
  });

  test('git, path and excluded dependencies are not looked up', async () => {
    const m = manifest('npm', [['local-thing', 'file:../x']]);
    (m.dependencies[0] as Dependency).source = 'path';
    const before = server.requests;
    assert.deepEqual(await networkFindings(m, { clients: clientsFor(server), config: config(), signal: new AbortController().signal }), []);
    assert.equal(server.requests, before);
  });

  test('OSV answers are cached per dependency: adding one line asks OSV about that line only', async () => {
    const clients = clientsFor(server);
    const ctx = { clients, config: config(), signal: new AbortController().signal };
    await networkFindings(manifest('npm', [['good-lib', '^1.0.0'], ['vuln-lib', '1.0.0']]), ctx);
    const before = server.log.length;
    const findings = await networkFindings(manifest('npm', [['good-lib', '^1.0.0'], ['vuln-lib', '1.0.0'], ['evil-lib', '1.0.1']]), ctx);
    const sent = server.log.slice(before);
    assert.deepEqual(sent.filter((l) => l.includes('querybatch')).length, 1);
    assert.ok(!sent.some((l) => l.includes('/npm/good-lib') || l.includes('/npm/vuln-lib')), sent.join(', '));
    assert.ok(findings.some((f) => f.rule === 'vulnerability') && findings.some((f) => f.rule === 'malware'));
  });

  test('cancelling ends the check promptly with the abort reason', async () => {
    server.fault('/npm/good-lib', 'slow');
    try {
      const controller = new AbortController();
      const started = performance.now();
      const pending = networkFindings(manifest('npm', [['good-lib', '^1.0.0']]), { clients: clientsFor(server, { http: { timeoutMs: 10_000, totalTimeoutMs: 20_000 } }), config: config(), signal: controller.signal });
      setImmediate(() => controller.abort(new Error('superseded by a newer edit')));
      await assert.rejects(pending, /superseded/);
      assert.ok(performance.now() - started < 2_000);
    } finally {
      server.clearFaults();
    }
  });
});
