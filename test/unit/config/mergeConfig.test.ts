import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfigText } from '../../../shared/src/config/configFile';
import { mergeConfigLayers } from '../../../shared/src/config/mergeConfig';
import { DEFAULT_CONFIG } from '../../../shared/src/config/schema';

function merge(user: string, project: string) {
  return mergeConfigLayers(readConfigText(user).layer, readConfigText(project).layer);
}

test('no files: the defaults, and the defaults object is not shared', () => {
  const { config, projectFindings } = merge('', '');
  assert.deepEqual(config, DEFAULT_CONFIG);
  config.typosquat.allow.push('x');
  assert.deepEqual(DEFAULT_CONFIG.typosquat.allow, []);
  assert.deepEqual(projectFindings, []);
});

test('the user file may weaken anything: it is the user speaking', () => {
  const { config } = merge('[sandbox]\nenabled = false\nmemory_limit = "8g"\n[typosquat]\nenabled = false\n', '');
  assert.equal(config.sandbox.enabled, false);
  assert.equal(config.sandbox.memoryLimit, '8g');
  assert.equal(config.typosquat.enabled, false);
});

test('a project cannot disable the sandbox or typosquat checks', () => {
  const { config, projectFindings } = merge('', '[sandbox]\nenabled = false\n[typosquat]\nenabled = false\n');
  assert.equal(config.sandbox.enabled, true);
  assert.equal(config.typosquat.enabled, true);
  assert.deepEqual(
    projectFindings.map((f) => [f.rule, f.severity, f.key, f.range.start.line]),
    [
      ['config-refused', 'warning', 'sandbox.enabled', 1],
      ['config-refused', 'warning', 'typosquat.enabled', 3],
    ],
  );
  assert.match(projectFindings[0]?.message ?? '', /cannot turn the install sandbox off/);
});

test('a project may re-enable what the user disabled (tightening)', () => {
  const { config, projectFindings } = merge('[sandbox]\nenabled = false\n', '[sandbox]\nenabled = true\n');
  assert.equal(config.sandbox.enabled, true);
  assert.deepEqual(projectFindings, []);
});

test('a project may lower limits but not raise them above the user value', () => {
  const user = '[sandbox]\nmemory_limit = "1g"\ncpu_limit = "2"\ntimeout = 300\n';
  const lower = merge(user, '[sandbox]\nmemory_limit = "512m"\ncpu_limit = 1\ntimeout = 60\n');
  assert.deepEqual(lower.config.sandbox, { enabled: true, memoryLimit: '512m', cpuLimit: '1', timeoutSeconds: 60 });
  assert.deepEqual(lower.projectFindings, []);

  const higher = merge(user, '[sandbox]\nmemory_limit = "1.5GiB"\ncpu_limit = "4"\ntimeout = 301\n');
  assert.deepEqual(higher.config.sandbox, { enabled: true, memoryLimit: '1g', cpuLimit: '2', timeoutSeconds: 300 });
  assert.deepEqual(
    higher.projectFindings.map((f) => f.key),
    ['sandbox.memory_limit', 'sandbox.cpu_limit', 'sandbox.timeout'],
  );
  assert.match(higher.projectFindings[0]?.message ?? '', /above 1g/);
});

test('equal limits are not a raise', () => {
  const { projectFindings } = merge('[sandbox]\nmemory_limit = "1g"\n', '[sandbox]\nmemory_limit = "1024m"\n');
  assert.deepEqual(projectFindings, []);
});

test('a project cannot add allowed hosts, only narrow to ones the user allows', () => {
  const { config, projectFindings } = merge(
    '[network]\nallowed_hosts = ["a.example.test", "b.example.test"]\n',
    '[network]\nallowed_hosts = ["b.example.test", "evil.example.test"]\n',
  );
  assert.deepEqual(config.network.allowedHosts, ['b.example.test']);
  assert.equal(projectFindings.length, 1);
  assert.equal(projectFindings[0]?.key, 'network.allowed_hosts');
  assert.match(projectFindings[0]?.message ?? '', /'evil\.example\.test'/);
  assert.doesNotMatch(projectFindings[0]?.message ?? '', /'b\.example\.test'/);
});

test('project ignores and vault additions are merged with the user ones', () => {
  const { config, projectFindings } = merge(
    '[typosquat]\nallow = ["colour"]\n[vault]\nextra_env_vars = ["A"]\n',
    '[typosquat]\nallow = ["npm:loadash", "colour"]\n[vault]\nextra_env_vars = ["B"]\nextra_paths = ["~/.x"]\n',
  );
  assert.deepEqual(config.typosquat.allow, ['colour', 'npm:loadash']);
  assert.deepEqual(config.vault.extraEnvVars, ['A', 'B']);
  assert.deepEqual(config.vault.extraPaths, ['~/.x']);
  assert.deepEqual(projectFindings, []);
});

test('[registries] and [intelligence] are read by their modules and known here (no unknown-key warnings)', () => {
  const text = '[registries]\nnpm = "https://npm.internal.example.test/"\n[intelligence]\nnew_package_days = 10\ninternal_prefixes = ["acme-"]\n';
  const { layer, findings } = readConfigText(text);
  assert.deepEqual(findings, []);
  const { config } = mergeConfigLayers(layer, {});
  assert.equal(config.registries?.npm, 'https://npm.internal.example.test');
  assert.deepEqual(config.intelligence, { newPackageDays: 10, internalPrefixes: ['acme-'] });
});

test('a project cannot redirect registries or switch registry checks off, but may make them stricter', () => {
  const { config, projectFindings } = merge(
    '[intelligence]\nnew_package_days = 30\n',
    [
      '[registries]',
      'osv = "https://osv.evil.example.test"',
      '[intelligence]',
      'enabled = false',
      'offline = true',
      'disabled_rules = ["low-downloads"]',
      'new_package_days = 60',
      'min_release_age_hours = 1',
      'dormant_days = 100',
      'internal_prefixes = ["acme-"]',
      'low_downloads = { npm = 50, PyPI = 10 }',
    ].join('\n'),
  );
  assert.equal(config.registries, undefined);
  assert.deepEqual(config.intelligence, {
    newPackageDays: 60,
    dormantDays: 100,
    internalPrefixes: ['acme-'],
    lowDownloads: { PyPI: 10 },
  });
  assert.deepEqual(
    projectFindings.map((f) => [f.key, f.range.start.line]),
    [
      ['registries.osv', 1],
      ['intelligence.enabled', 3],
      ['intelligence.offline', 4],
      ['intelligence.disabled_rules', 5],
      ['intelligence.min_release_age_hours', 7],
      ['intelligence.low_downloads', 10],
    ],
  );
  assert.ok(projectFindings.every((f) => f.rule === 'config-refused' && f.severity === 'warning'));
});

test('images, network mode and install-script allow-list are user-only: a project setting any is refused at its key', () => {
  const user = '[sandbox]\nnetwork_mode = "none"\nallow_scripts = ["esbuild"]\n[sandbox.images]\npip = "python:3.12-slim"\n';
  const project = '[sandbox]\nnetwork_mode = "host"\nallow_scripts = ["evil"]\n[sandbox.images]\npip = "attacker/python"\nnpm = "attacker/node"\n';
  const { config, projectFindings } = merge(user, project);
  assert.equal(config.sandbox.networkMode, 'none');
  assert.deepEqual(config.sandbox.allowScripts, ['esbuild']);
  assert.deepEqual(config.sandbox.images, { PyPI: 'python:3.12-slim' });
  assert.deepEqual(
    projectFindings.map((f) => [f.rule, f.key, f.range.start.line]),
    [
      ['config-refused', 'sandbox.images', 3],
      ['config-refused', 'sandbox.network_mode', 1],
      ['config-refused', 'sandbox.allow_scripts', 2],
    ],
  );
  assert.match(projectFindings[0]?.message ?? '', /cannot choose the sandbox image/);
  // Refused even when the user sets nothing: the project must not fill the gap either.
  const alone = merge('', project);
  assert.equal(alone.config.sandbox.networkMode, undefined);
  assert.equal(alone.config.sandbox.images, undefined);
  assert.equal(alone.projectFindings.length, 3);
});

test('disk_limit: a project may lower it (below the user value or the 2g default) but not raise it or remove the cap', () => {
  assert.equal(merge('', '[sandbox]\ndisk_limit = "512m"\n').config.sandbox.diskLimit, '512m');
  assert.equal(merge('[sandbox]\ndisk_limit = "0"\n', '[sandbox]\ndisk_limit = "8g"\n').config.sandbox.diskLimit, '8g');
  const raised = merge('[sandbox]\ndisk_limit = "1g"\n', '[sandbox]\ndisk_limit = "2g"\n');
  assert.equal(raised.config.sandbox.diskLimit, '1g');
  assert.deepEqual(raised.projectFindings.map((f) => [f.key, f.range.start.line]), [['sandbox.disk_limit', 1]]);
  const uncapped = merge('', '[sandbox]\ndisk_limit = "0"\n');
  assert.equal(uncapped.config.sandbox.diskLimit, undefined);
  assert.match(uncapped.projectFindings[0]?.message ?? '', /above 2g/);
  assert.equal(merge('', '[sandbox]\ndisk_limit = "3g"\n').projectFindings[0]?.key, 'sandbox.disk_limit');
});

test('the user sets the installer keys; the merged config does not share arrays with its input', () => {
  const { config } = merge('[sandbox]\nallow_scripts = ["esbuild"]\ndisk_limit = "0"\nimages = { ruby = "ruby:3.3-slim" }\n', '');
  assert.deepEqual(config.sandbox.allowScripts, ['esbuild']);
  assert.equal(config.sandbox.diskLimit, '0');
  assert.deepEqual(config.sandbox.images, { RubyGems: 'ruby:3.3-slim' });
  assert.deepEqual(DEFAULT_CONFIG.sandbox, { enabled: true, memoryLimit: '2g', cpuLimit: '2', timeoutSeconds: 600 });
});
