import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConfigText } from '../../../shared/src/config/configFile';

test('reads every known key with snake_case names and positions', () => {
  const text = [
    '[sandbox]',
    'enabled = true',
    'memory_limit = "1g"',
    'cpu_limit = "1.5"',
    'timeout = 120',
    '[vault]',
    'extra_paths = ["~/.secrets"]',
    'extra_env_vars = ["MY_TOKEN"]',
    '[network]',
    'allowed_hosts = ["pkgs.example.test"]',
    '[typosquat]',
    'enabled = true',
    'allow = ["colour", "npm:loadash"]',
  ].join('\n');
  const { layer, findings } = readConfigText(text);
  assert.deepEqual(findings, []);
  assert.equal(layer['sandbox.memory_limit']?.value, '1g');
  assert.equal(layer['sandbox.cpu_limit']?.value, '1.5');
  assert.equal(layer['sandbox.timeout']?.value, 120);
  assert.deepEqual(layer['vault.extra_paths']?.value, ['~/.secrets']);
  assert.deepEqual(layer['typosquat.allow']?.value, ['colour', 'npm:loadash']);
  assert.deepEqual(layer['sandbox.timeout']?.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 7 } });
});

test('a wrong type is an error at the key and the key is left out', () => {
  const { layer, findings } = readConfigText('[sandbox]\nenabled = "no"\ntimeout = -5\nmemory_limit = "lots"\n');
  assert.equal(layer['sandbox.enabled'], undefined);
  assert.equal(layer['sandbox.timeout'], undefined);
  assert.deepEqual(
    findings.map((f) => [f.rule, f.severity, f.key, f.range.start.line]),
    [
      ['config-error', 'error', 'sandbox.enabled', 1],
      ['config-error', 'error', 'sandbox.timeout', 2],
      ['config-error', 'error', 'sandbox.memory_limit', 3],
    ],
  );
  assert.match(findings[0]?.message ?? '', /true or false/);
});

test('unknown keys and tables are warnings pointing at them', () => {
  const { findings } = readConfigText('[sandbox]\nmemory = "1g"\n\n[telemetry]\nenabled = false\n');
  assert.deepEqual(
    findings.map((f) => [f.rule, f.severity, f.key, f.range.start.line]),
    [
      ['config-unknown-key', 'warning', 'sandbox.memory', 1],
      ['config-unknown-key', 'warning', 'telemetry', 3],
    ],
  );
});

test('dotted keys and inline tables are read and located', () => {
  const { layer, findings } = readConfigText('sandbox.timeout = 30\ntyposquat = { allow = ["x"], nope = 1 }\n');
  assert.equal(layer['sandbox.timeout']?.value, 30);
  assert.deepEqual(layer['typosquat.allow']?.value, ['x']);
  assert.equal(findings.length, 1);
  assert.equal(findings[0]?.key, 'typosquat.nope');
  assert.deepEqual(findings[0]?.range, { start: { line: 1, character: 29 }, end: { line: 1, character: 33 } });
});

test('a syntax error is one config-error at the error position, never a throw', () => {
  const { layer, findings } = readConfigText('[sandbox]\nenabled = true\nmemory_limit = "2g\n');
  assert.deepEqual(layer, {});
  assert.equal(findings.length, 1);
  assert.equal(findings[0]?.rule, 'config-error');
  assert.equal(findings[0]?.range.start.line, 2);
  assert.doesNotMatch(findings[0]?.message ?? '', /\n/);
});

test('a table given as a plain value is an error', () => {
  const { findings } = readConfigText('sandbox = 3\n');
  assert.equal(findings[0]?.rule, 'config-error');
  assert.equal(findings[0]?.key, 'sandbox');
});

test('the installer keys are known, typed and located: network_mode, allow_scripts, disk_limit, [sandbox.images]', () => {
  const text = [
    '[sandbox]',
    'network_mode = "host"',
    'allow_scripts = ["esbuild"]',
    'disk_limit = "1g"',
    '[sandbox.images]',
    'pip = "python:3.12-slim"',
    'Node = "node:20-slim"',
  ].join('\n');
  const { layer, findings } = readConfigText(text);
  assert.deepEqual(findings, []);
  assert.equal(layer['sandbox.network_mode']?.value, 'host');
  assert.deepEqual(layer['sandbox.allow_scripts']?.value, ['esbuild']);
  assert.equal(layer['sandbox.disk_limit']?.value, '1g');
  assert.deepEqual(layer['sandbox.images']?.value, { PyPI: 'python:3.12-slim', npm: 'node:20-slim' });
  assert.deepEqual(layer['sandbox.network_mode']?.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 12 } });
  // The table's range is its name in the header.
  assert.deepEqual(layer['sandbox.images']?.range, { start: { line: 4, character: 9 }, end: { line: 4, character: 15 } });
});

test('installer keys: wrong values are errors at the key, unknown ecosystems warnings at theirs, good entries kept', () => {
  const text = [
    'sandbox.network_mode = "container:other"',
    'sandbox.allow_scripts = "esbuild"',
    'sandbox.disk_limit = "lots"',
    'sandbox.images = { pip = "--privileged", cobol = "x", gem = "ruby:3.3-slim", go = 5 }',
  ].join('\n');
  const { layer, findings } = readConfigText(text);
  assert.equal(layer['sandbox.network_mode'], undefined);
  assert.equal(layer['sandbox.allow_scripts'], undefined);
  assert.equal(layer['sandbox.disk_limit'], undefined);
  assert.deepEqual(layer['sandbox.images']?.value, { RubyGems: 'ruby:3.3-slim' });
  assert.deepEqual(
    findings.map((f) => [f.rule, f.key, f.range.start.line, f.range.start.character, f.range.end.character]),
    [
      ['config-error', 'sandbox.network_mode', 0, 8, 20],
      ['config-error', 'sandbox.allow_scripts', 1, 8, 21],
      ['config-error', 'sandbox.disk_limit', 2, 8, 18],
      ['config-error', 'sandbox.images.pip', 3, 19, 22],
      ['config-unknown-key', 'sandbox.images.cobol', 3, 41, 46],
      ['config-error', 'sandbox.images.go', 3, 77, 79],
    ],
  );
  assert.match(findings[2]?.message ?? '', /"0" for no cap/);
});

test('disk_limit: "0" and 0 mean no cap, a bare number is bytes', () => {
  assert.equal(readConfigText('[sandbox]\ndisk_limit = "0"\n').layer['sandbox.disk_limit']?.value, '0');
  assert.equal(readConfigText('[sandbox]\ndisk_limit = 0\n').layer['sandbox.disk_limit']?.value, '0');
  assert.equal(readConfigText('[sandbox]\ndisk_limit = 1048576\n').layer['sandbox.disk_limit']?.value, '1048576');
  assert.equal(readConfigText('[sandbox]\ndisk_limit = -1\n').findings[0]?.rule, 'config-error');
});

test('sandbox.images given as a plain value is an error, not a crash', () => {
  const { layer, findings } = readConfigText('[sandbox]\nimages = "python"\n');
  assert.equal(layer['sandbox.images'], undefined);
  assert.deepEqual(findings.map((f) => [f.rule, f.key, f.range.start.line]), [['config-error', 'sandbox.images', 1]]);
});

test('a quoted key is located inside its quotes, a dotted key at its last part', () => {
  const { findings } = readConfigText('[sandbox]\n"memroy" = 1\nvault.extra = 2\n');
  assert.deepEqual(
    findings.map((f) => [f.key, f.range]),
    [
      ['sandbox.memroy', { start: { line: 1, character: 1 }, end: { line: 1, character: 7 } }],
      ['sandbox.vault', { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }],
    ],
  );
});
