import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dependency, ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';
import { parseCargoToml } from '../../../shared/src/manifests/cargo';

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'manifests', 'cargo');

function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

function dep(manifest: ParsedManifest, name: string, group?: string): Dependency {
  const found = manifest.dependencies.find((d) => d.name === name && (group === undefined || d.group === group));
  assert.ok(found, `dependency ${name} not found; have ${manifest.dependencies.map((d) => d.name).join(', ')}`);
  return found;
}

function assertRangesExact(text: string, manifest: ParsedManifest): void {
  for (const d of manifest.dependencies) {
    assert.equal(textAt(text, d.nameRange), d.name, `name range of ${d.name}`);
    if (d.specRange) assert.equal(textAt(text, d.specRange), d.spec, `spec range of ${d.name}`);
    else assert.equal(d.spec, '', `${d.name} has a spec but no range`);
  }
}

test('every way of writing a dependency, with exact ranges', () => {
  const text = [
    '[package]',
    'name = "demo"',
    '[dependencies]',
    'serde = { version = "1.0", features = ["derive"] }',
    'tokio.version = "1"',
    'tokio.features = ["full"]',
    '"quoted-crate" = "0.3"',
    'bytes = { workspace = true }',
    'my_alias = { package = "real-crate", version = "2" }',
    'local = { path = "../local" }',
    'gitdep = { git = "https://github.com/a/b", branch = "main" }',
    '[dependencies.rand]',
    'version = "0.8"',
    'optional = true',
    '[dev-dependencies]',
    'criterion = "0.5"',
    "[target.'cfg(windows)'.dependencies]",
    'winapi = "0.3"',
    '[target."cfg(unix)".build-dependencies]',
    'cc = "1"',
  ].join('\n');
  const m = parseCargoToml(text);
  assert.deepEqual(m.errors, []);
  assert.equal(m.ecosystem, 'crates.io');
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.spec, d.kind, d.source, d.group ?? '']),
    [
      ['serde', '1.0', 'runtime', 'registry', ''],
      ['tokio', '1', 'runtime', 'registry', ''],
      ['quoted-crate', '0.3', 'runtime', 'registry', ''],
      ['bytes', '', 'runtime', 'workspace', ''],
      ['real-crate', '2', 'runtime', 'registry', ''],
      ['local', '', 'runtime', 'path', ''],
      ['gitdep', '', 'runtime', 'git', ''],
      ['rand', '0.8', 'optional', 'registry', ''],
      ['criterion', '0.5', 'dev', 'registry', ''],
      ['winapi', '0.3', 'runtime', 'registry', 'cfg(windows)'],
      ['cc', '1', 'build', 'registry', 'cfg(unix)'],
    ],
  );
  assertRangesExact(text, m);
  const renamed = dep(m, 'real-crate');
  assert.equal(renamed.alias, 'my_alias');
  assert.equal(renamed.normalizedName, 'real-crate');
  assert.deepEqual(renamed.nameRange, { start: { line: 8, character: 24 }, end: { line: 8, character: 34 } });
  assert.deepEqual(dep(m, 'tokio').nameRange, { start: { line: 4, character: 0 }, end: { line: 4, character: 5 } });
  assert.deepEqual(dep(m, 'rand').nameRange, { start: { line: 11, character: 14 }, end: { line: 11, character: 18 } });
  assert.deepEqual(dep(m, 'tokio').extras, { features: ['full'] });
  assert.deepEqual(dep(m, 'bytes').extras, { workspace: true });
  assert.deepEqual(dep(m, 'gitdep').extras, { git: 'https://github.com/a/b', branch: 'main' });
});

test('fixture: crate manifest in the style of a popular CLI tool, with target tables', async () => {
  const text = await readFile(path.join(fixtures, 'crate-Cargo.toml'), 'utf8');
  const m = parseCargoToml(text);
  assert.deepEqual(m.errors, []);
  assert.equal(m.dependencies.length, 25);
  assertRangesExact(text, m);
  const musl = dep(m, 'jemallocator');
  assert.equal(musl.group, 'cfg(all(target_env = "musl", target_pointer_width = "64"))');
  assert.equal(musl.spec, '0.5.0');
  assert.equal(dep(m, 'embed-resource').group, 'x86_64-pc-windows-msvc');
  assert.equal(dep(m, 'embed-resource').kind, 'build');
  assert.equal(dep(m, 'nix').kind, 'dev');
  assert.equal(dep(m, 'regex-automata').nameRange.start.character, 1, 'inside the literal-string quotes');
  const fork = dep(m, 'rand-core-fork');
  assert.equal(fork.alias, 'rand_core');
  assert.equal(fork.kind, 'optional');
  assert.deepEqual(dep(m, 'criterion').extras?.features, ['cargo_bench_support', 'html_reports']);
  assert.deepEqual(dep(m, 'memchr').extras, { features: ['std'], defaultFeatures: false });
  assert.equal(dep(m, 'glob-matcher').source, 'git');
  assert.equal(dep(m, 'glob-matcher').extras?.tag, 'v0.5.0');
  assert.equal(dep(m, 'grep').source, 'path');
  assert.equal(dep(m, 'grep').spec, '0.3.1');
  assert.equal(dep(m, 'serde_json').normalizedName, 'serde-json');
  assert.equal(dep(m, 'bytes').source, 'workspace');
});

test('fixture: workspace root with [workspace.dependencies] and [patch]', async () => {
  const text = await readFile(path.join(fixtures, 'workspace-Cargo.toml'), 'utf8');
  const m = parseCargoToml(text);
  assert.deepEqual(m.errors, []);
  assertRangesExact(text, m);
  const workspace = m.dependencies.filter((d) => d.group === 'workspace');
  assert.equal(workspace.length, 10);
  assert.ok(workspace.every((d) => d.kind === 'runtime'));
  assert.equal(dep(m, 'runtime-macros').spec, '~2.2.0');
  assert.equal(dep(m, 'signal-hook-registry').nameRange.start.character, 1);
  const patches = m.dependencies.filter((d) => d.kind === 'override');
  assert.deepEqual(patches.map((d) => [d.name, d.source, d.group]), [['mio', 'git', 'crates-io'], ['pin-project-lite', 'path', 'crates-io']]);
});

test('invalid TOML: smol-toml error with its position, and the lines that parse are still read', () => {
  const text = ['[dependencies]', 'serde = "1"', 'broken = { version = "1" ', 'anyhow = "1.0"', '[dev-dependencies]', 'insta = "1"'].join('\n');
  const m = parseCargoToml(text);
  assert.equal(m.errors.length, 1);
  assert.match(m.errors[0]?.message ?? '', /^invalid TOML: /);
  // TOML 1.1 lets an inline table span lines, so the parser notices on the next line.
  assert.deepEqual(m.errors[0]?.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } });
  assert.deepEqual(m.dependencies.map((d) => [d.name, d.spec]), [['serde', '1'], ['broken', '1'], ['anyhow', '1.0'], ['insta', '1']]);
  assertRangesExact(text, m);
});

test('wrong value types are errors on the value; bad crate names are rejected', () => {
  const text = ['[dependencies]', 'num = 5', '"bad name" = "1"', 'ok = "2"', 'weird = { version = 3 }'].join('\n');
  const m = parseCargoToml(text);
  assert.deepEqual(m.dependencies.map((d) => d.name), ['ok', 'weird']);
  assert.deepEqual(
    m.errors.map((e) => [e.range.start.line, textAt(text, e.range)]),
    [
      [1, '5'],
      [2, 'bad name'],
      [4, '3'],
    ],
  );
});

test('[replace] entries and old underscore table names', () => {
  const text = ['[dev_dependencies]', 'old = "1"', '[replace]', '"foo:0.1.0" = { git = "https://example.org/foo" }'].join('\n');
  const m = parseCargoToml(text);
  assert.deepEqual(m.errors, []);
  assert.deepEqual(m.dependencies.map((d) => [d.name, d.kind, d.spec, d.source]), [['old', 'dev', '1', 'registry'], ['foo', 'replace', '0.1.0', 'git']]);
  assert.equal(textAt(text, m.dependencies[1]?.nameRange as Range), 'foo');
});

test('a key named like an Object prototype member is an ordinary crate', () => {
  const text = '[dependencies]\nconstructor = "1"\n__proto__ = "2"\n';
  const m = parseCargoToml(text);
  assert.deepEqual(m.dependencies.map((d) => [d.name, d.spec]), [['constructor', '1'], ['__proto__', '2']]);
});
