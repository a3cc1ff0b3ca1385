import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createAuditCommand, detectEcosystem, splitNameVersion } from '../../../shared/src/cli/commands/audit';
import type { CliIo } from '../../../shared/src/cli/command';
import { DEFAULT_CONFIG } from '../../../shared/src/config/schema';
import { auditPackage, verdictOf } from '../../../shared/src/intelligence/audit';
import { cardMarkdown } from '../../../shared/src/intelligence/card';
import { configFromTexts } from '../../../shared/src/config/loadEffectiveConfig';
import { clientsFor, fixtureClock, RegistryServer } from '../../support/registryServer';

let server: RegistryServer;
let home: string;
before(async () => {
  server = await RegistryServer.start();
  home = await mkdtemp(path.join(os.tmpdir(), 'si-audit-'));
});
after(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

const ctx = () => ({ clients: clientsFor(server), config: DEFAULT_CONFIG, signal: new AbortController().signal });

describe('auditPackage', () => {
  test('clean package: allow, with a full card', async () => {
    const report = await auditPackage('npm', 'good-lib', undefined, ctx());
    assert.equal(report.verdict, 'allow');
    assert.deepEqual(report.findings, []);
    assert.equal(report.card.latest, '1.4.0');
    assert.deepEqual(report.card.downloads, { count: 5123456, period: 'last month' });
    assert.deepEqual(report.card.maintainers, ['alice', 'bob']);
    assert.match(cardMarkdown(report.card), /Downloads: 5,123,456 \(last month\)/);
  });

  test('malware blocks; warnings warn; unavailable checks warn (silence is not safety)', async () => {
    assert.equal((await auditPackage('npm', 'evil-lib', '1.0.1', ctx())).verdict, 'block');
    assert.equal((await auditPackage('npm', 'hijacked-lib', '^2.0.0', ctx())).verdict, 'warn');
    server.fault('/npm/good-lib', '500');
    try {
      assert.equal((await auditPackage('npm', 'good-lib', undefined, ctx())).verdict, 'warn');
    } finally {
      server.clearFaults();
    }
    assert.equal(verdictOf([]), 'allow');
  });

  test('Go has no download data and says so', async () => {
    const report = await auditPackage('Go', 'github.com/good/mod', undefined, ctx());
    assert.equal(report.card.downloads, undefined);
    assert.match(report.card.downloadsNote ?? '', /Go module proxy publishes no download counts/);
  });

  test('deep mode reads the per-release record', async () => {
    const before = server.log.length;
    await auditPackage('PyPI', 'good-py', undefined, ctx(), { deep: true });
    assert.ok(server.log.slice(before).some((l) => l.endsWith('/pypi/pypi/good-py/2.31.0/json')));
  });
});

describe('safe-install audit (CLI)', () => {
  function io(cwd: string): CliIo & { out: string; err: string } {
    const captured = { out: '', err: '' };
    return Object.assign(captured, {
      stdout: (t: string) => void (captured.out += t),
      stderr: (t: string) => void (captured.err += t),
      cwd,
      env: { XDG_CACHE_HOME: path.join(home, 'cache'), XDG_CONFIG_HOME: path.join(home, 'config') },
      isTTY: false,
    });
  }

  // Endpoints live in the user's config, as a user's own registries would; a project file may not set them.
  async function project(): Promise<string> {
    const dir = await mkdtemp(path.join(home, 'proj-'));
    const r = server.registries();
    await mkdir(path.join(home, 'config', 'safe-install'), { recursive: true });
    await writeFile(path.join(home, 'config', 'safe-install', 'config.toml'), `[registries]\nnpm = "${r.npm}"\nnpm_downloads = "${r.npmDownloads}"\npypi_index = "${r.pypiIndex}"\npypi_json = "${r.pypiJson}"\ncrates = "${r.crates}"\ngo_proxy = "${r.goProxy}"\nrubygems = "${r.rubygems}"\nosv = "${r.osv}"\n`);
    await writeFile(path.join(dir, 'safe-install.toml'), '[intelligence]\nmin_release_age_hours = 48\n');
    return dir;
  }

  test('a project safe-install.toml cannot point audit at its own registry', async () => {
    const cwd = await project();
    await writeFile(path.join(cwd, 'safe-install.toml'), '[registries]\nnpm = "http://127.0.0.1:9/npm"\nosv = "http://127.0.0.1:9/osv"\n');
    const out = io(cwd);
    assert.equal(await command(['-e', 'npm', 'evil-lib', '--format', 'json'], out), 1);
    assert.match(out.err, /'registries\.npm' is ignored/);
    assert.equal((JSON.parse(out.out) as { verdict: string }).verdict, 'block', 'the user registry and OSV were asked');
  });

  const command = createAuditCommand({ homeDir: () => home, readText: async (f) => { try { return await readFile(f, 'utf8'); } catch { return undefined; } }, clock: fixtureClock() });

  test('exit 1 and the MAL id for malware; JSON output parses', async () => {
    const cwd = await project();
    const out = io(cwd);
    assert.equal(await command(['-e', 'npm', 'evil-lib', '--format', 'json'], out), 1);
    const report = JSON.parse(out.out) as { verdict: string; findings: Array<{ rule: string; message: string }> };
    assert.equal(report.verdict, 'block');
    assert.match(report.findings.find((f) => f.rule === 'malware')?.message ?? '', /MAL-2025-0001/);
  });

  test('exit 0 and a text card for a clean package; the per-user file cache is filled and reused', async () => {
    const cwd = await project();
    const first = io(cwd);
    assert.equal(await command(['-e', 'npm', 'good-lib@^1.0.0'], first), 0);
    assert.match(first.out, /good-lib 1\.4\.0 \(npm\) — verdict: ALLOW/);
    assert.match(first.out, /downloads: +5,123,456 \(last month\)/);
    assert.ok((await readdir(path.join(home, 'cache', 'safe-install', 'http'))).length > 0);
    const before = server.requests;
    assert.equal(await command(['-e', 'npm', 'good-lib@^1.0.0'], io(cwd)), 0);
    assert.equal(server.requests, before, 'the second run is served from the cache');
    const offline = io(cwd);
    assert.equal(await command(['-e', 'npm', 'never-cached-lib', '--offline'], offline), 0);
    assert.match(offline.out, /offline mode/);
    assert.equal(server.requests, before);
  });

  test('ecosystem detection and NAME@VERSION splitting', () => {
    assert.equal(detectEcosystem('requests', undefined), 'PyPI');
    assert.equal(detectEcosystem('@types/node', undefined), 'npm');
    assert.equal(detectEcosystem('github.com/gin-gonic/gin', undefined), 'Go');
    assert.equal(detectEcosystem('serde', 'cargo'), 'crates.io');
    assert.throws(() => detectEcosystem('x', 'maven'), /unknown ecosystem/);
    assert.deepEqual(splitNameVersion('@types/node@20.1.0', 'npm'), { name: '@types/node', version: '20.1.0' });
    assert.deepEqual(splitNameVersion('requests>=2,<3', 'PyPI'), { name: 'requests', version: '>=2,<3' });
    assert.deepEqual(splitNameVersion('github.com/a/b@v1.2.3', 'Go'), { name: 'github.com/a/b', version: 'v1.2.3' });
  });

  test('a project file cannot switch the checks off, the user file can', () => {
    const result = configFromTexts('[intelligence]\nlow_downloads = 10\n', '[intelligence]\nenabled = false\noffline = true\ninternal_prefixes = ["acme-"]\n').config;
    assert.equal(result.intelligence?.enabled, undefined);
    assert.equal(result.intelligence?.offline, undefined);
    assert.deepEqual(result.intelligence?.internalPrefixes, ['acme-']);
    assert.equal(result.intelligence?.lowDownloads?.npm, 10);
    assert.equal(configFromTexts('[intelligence]\nenabled = false\n', undefined).config.intelligence?.enabled, false);
  });
});
