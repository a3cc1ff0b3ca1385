import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'smol-toml';
import { scanToml, toPlain, type TomlNode, type TomlStringNode, type TomlTableNode } from '../../../shared/src/toml/scanner';
import { TomlDocument } from '../../../shared/src/toml/document';

const fixtureDir = path.join(__dirname, '..', '..', 'fixtures', 'manifests');

function entry(table: TomlNode | undefined, ...keys: string[]): TomlNode | undefined {
  let node = table;
  for (const key of keys) {
    if (node?.type !== 'table') return undefined;
    node = (node as TomlTableNode).entries.get(key)?.node;
  }
  return node;
}

test('the scanner reads every TOML fixture to the same values as smol-toml, without errors', async () => {
  for (const file of ['cargo/crate-Cargo.toml', 'cargo/workspace-Cargo.toml', 'python/pyproject-poetry.toml', 'python/pyproject-pep621.toml']) {
    const text = await readFile(path.join(fixtureDir, file), 'utf8');
    const scan = scanToml(text);
    assert.deepEqual(scan.errors, [], file);
    assert.deepEqual(JSON.parse(JSON.stringify(toPlain(scan.root))), JSON.parse(JSON.stringify(parse(text))), file);
  }
});

test('headers with quotes and spaces, dotted keys and arrays of tables', () => {
  const text = [
    '[ target . "cfg(target_os = \\"linux\\")" . dependencies ]',
    'a.b . c = 1',
    "[[bin]]",
    "name = 'one'",
    '[[bin]]',
    'name = "two"',
    '[bin.extra]  # sub-table of the last [[bin]]',
    'x = true',
  ].join('\n');
  const scan = scanToml(text);
  assert.deepEqual(scan.errors, []);
  assert.deepEqual(JSON.parse(JSON.stringify(toPlain(scan.root))), JSON.parse(JSON.stringify(parse(text))));
  const target = scan.root.entries.get('target')?.node;
  const cfg = target?.type === 'table' ? target.entries.get('cfg(target_os = "linux")') : undefined;
  assert.ok(cfg);
  // The key span sits inside the quotes (escapes included).
  assert.equal(text.slice(cfg.keySpan.start, cfg.keySpan.end), 'cfg(target_os = \\"linux\\")');
});

test('string offsets: every decoded character points at its source', () => {
  const text = 'a = "x\\ty\\u00e9z"\nb = """\nline1\\\n   line2"""\nc = \'\'\'\nraw\\n\'\'\'\nd = "😀k"\n';
  const scan = scanToml(text);
  assert.deepEqual(scan.errors, []);
  const value = toPlain(scan.root) as Record<string, string>;
  assert.deepEqual(value, { ...parse(text) });
  const a = entry(scan.root, 'a') as TomlStringNode;
  assert.equal(a.value, 'x\ty\u00e9z');
  assert.deepEqual(a.offsets.map((o) => text[o]), ['x', '\\', 'y', '\\', 'z', '"']);
  const b = entry(scan.root, 'b') as TomlStringNode;
  assert.equal(b.value, 'line1line2');
  assert.equal(text.slice(b.offsets[5] ?? 0, (b.offsets[9] ?? 0) + 1), 'line2');
  const d = entry(scan.root, 'd') as TomlStringNode;
  assert.equal(d.offsets.length, d.value.length + 1);
  assert.equal(text[d.offsets[2] ?? 0], 'k');
});

test('TomlDocument: smol-toml error message and position become the parse error range', () => {
  const doc = new TomlDocument('[package]\nname = "x"\nversion = \n');
  assert.equal(doc.valid, false);
  assert.equal(doc.errors.length, 1);
  assert.match(doc.errors[0]?.message ?? '', /^invalid TOML: /);
  assert.equal(doc.errors[0]?.range.start.line, 2);
  assert.equal(doc.get(['package', 'name']), 'x', 'the scanner still recovers the valid lines');
});

test('recovery: an unclosed array stops at the next header; a broken line costs only itself', () => {
  const text = ['a = [1, 2,', '[t]', 'k = "v"', 'bad line here', 'm = 3'].join('\n');
  const scan = scanToml(text);
  assert.deepEqual(toPlain(scan.root), { a: [1, 2], t: { k: 'v', m: 3 } });
  assert.equal(scan.errors.length, 2);
});

test('deep nesting is cut off with an error instead of exhausting the stack', () => {
  const text = `x = ${'['.repeat(50_000)}`;
  const scan = scanToml(text);
  assert.ok(scan.errors.length >= 1);
  assert.match(scan.errors[0]?.message ?? '', /nested too deeply/);
  const doc = new TomlDocument(text);
  assert.equal(doc.errors.length, 1);
});
