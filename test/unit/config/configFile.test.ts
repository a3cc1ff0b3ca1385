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
