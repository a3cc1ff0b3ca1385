import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGoMod } from '../../../shared/src/manifests/goMod';
import { lexGoMod } from '../../../shared/src/manifests/goModLexer';
import type { Dependency, ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/manifests/go');

function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

function byKind(m: ParsedManifest, kind: Dependency['kind']): Dependency[] {
  return m.dependencies.filter((d) => d.kind === kind);
}

test('kubernetes-style go.mod: require blocks, indirect, a 31-line replace block, exclude, retract, toolchain', async () => {
  const text = await readFile(path.join(fixtures, 'kubernetes-style.go.mod'), 'utf8');
  const m = parseGoMod(text);
  assert.deepEqual(m.errors, []);
  assert.equal(m.kind, 'go-mod');
  assert.equal(m.ecosystem, 'Go');

  const requires = byKind(m, 'runtime');
  assert.equal(requires.length, 119);
  assert.equal(requires.filter((d) => d.indirect).length, 23);
  for (const d of m.dependencies) {
    if (d.kind !== 'toolchain') assert.equal(textAt(text, d.nameRange), d.name, `name range of ${d.name}`);
    if (d.specRange) assert.equal(textAt(text, d.specRange), d.spec, `spec range of ${d.name}`);
    assert.equal(d.normalizedName, d.name);
  }

  const first = requires[0] as Dependency;
  assert.equal(first.name, 'github.com/Microsoft/go-winio');
  assert.equal(first.spec, 'v0.6.2');
  assert.deepEqual(first.nameRange, { start: { line: 9, character: 1 }, end: { line: 9, character: 30 } });
  assert.equal(first.indirect, undefined);
  const euank = requires.find((d) => d.name === 'github.com/euank/go-kmsg-parser');
  assert.equal(euank?.spec, 'v2.0.0+incompatible');
  assert.equal(euank?.indirect, true);

  const replaces = byKind(m, 'replace');
  assert.equal(replaces.length, 32);
  const local = replaces.filter((d) => d.source === 'path');
  assert.equal(local.length, 31);
  const clientGo = local.find((d) => d.extras?.replaces === 'k8s.io/client-go');
  assert.equal(clientGo?.name, './staging/src/k8s.io/client-go');
  assert.equal(clientGo?.spec, '');
  assert.equal(clientGo?.specRange, undefined);
  const pinned = replaces.find((d) => d.source === 'registry');
  assert.deepEqual(
    [pinned?.name, pinned?.spec, pinned?.extras?.replaces, pinned?.extras?.replacesVersion],
    ['github.com/golang/protobuf', 'v1.5.3', 'github.com/golang/protobuf', 'v1.5.4'],
  );

  assert.deepEqual(byKind(m, 'exclude').map((d) => [d.name, d.spec]), [['github.com/google/gofuzz', 'v1.1.0']]);
  const retract = byKind(m, 'retract')[0];
  assert.equal(retract?.name, 'k8s.io/kubernetes');
  assert.equal(retract?.spec, 'v1.31.0-alpha.0');
  assert.equal(retract?.extras?.rationale, 'Tagged from the wrong branch.');
  assert.equal(retract?.nameRange.start.line, 2, 'a retraction points its name at the module directive');

  const toolchain = byKind(m, 'toolchain')[0];
  assert.equal(toolchain?.name, 'golang.org/toolchain');
  assert.equal(toolchain?.spec, 'go1.23.1');
  assert.equal(textAt(text, toolchain?.nameRange as Range), 'toolchain');
});

test('quoted paths, comments, CRLF, single-line and one-line-empty blocks', () => {
  const text = [
    'module "example.com/m" // the module',
    '',
    'go 1.21',
    'require `example.com/raw` v1.0.0',
    'require "example.com/quoted" v1.2.0 // indirect; kept for tools',
    'require ()',
    'require (',
    '    // a comment line inside a block',
    '',
    '\texample.com/a v0.1.0 //indirect',
    ')',
    'exclude (',
    '\texample.com/a v0.0.9',
    ')',
    'replace example.com/a v0.1.0 => "example.com/fork" v0.1.1',
    'replace example.com/b => ../b',
    'retract [v0.1.0, v0.2.0] // broken',
    'retract (',
    '\t// Mistake.',
    '\tv0.0.1',
    ')',
    'godebug (',
    '\tpanicnil=1',
    ')',
    'tool example.com/cmd/gen',
  ].join('\r\n');
  const m = parseGoMod(text);
  assert.deepEqual(m.errors, []);
  assert.deepEqual(
    m.dependencies.map((d) => [d.kind, d.name, d.spec, d.indirect ?? false, d.source]),
    [
      ['runtime', 'example.com/raw', 'v1.0.0', false, 'registry'],
      ['runtime', 'example.com/quoted', 'v1.2.0', true, 'registry'],
      ['runtime', 'example.com/a', 'v0.1.0', true, 'registry'],
      ['exclude', 'example.com/a', 'v0.0.9', false, 'registry'],
      ['replace', 'example.com/fork', 'v0.1.1', false, 'registry'],
      ['replace', '../b', '', false, 'path'],
      ['retract', 'example.com/m', '[v0.1.0, v0.2.0]', false, 'registry'],
      ['retract', 'example.com/m', 'v0.0.1', false, 'registry'],
    ],
  );
  const quoted = m.dependencies[1] as Dependency;
  assert.deepEqual(quoted.nameRange, { start: { line: 4, character: 9 }, end: { line: 4, character: 27 } });
  for (const d of m.dependencies) assert.equal(textAt(text, d.nameRange), d.name);
  assert.equal(m.dependencies[6]?.extras?.rationale, 'broken');
  assert.equal(m.dependencies[7]?.extras?.rationale, 'Mistake.');
  assert.equal(textAt(text, m.dependencies[6]?.specRange as Range), '[v0.1.0, v0.2.0]');
});

test('malformed lines become errors at the right place and the rest is still read', () => {
  const text = [
    'module example.com/m',
    'go one.twenty',
    'require example.com/only-path',
    'require "example.com/unterminated v1.0.0',
    'frobnicate x',
    'replace example.com/x v1 example.com/y v2',
    'replace example.com/x => example.com/y',
    'replace example.com/x => ./dir v1.0.0',
    'require example.com/good v1.0.0',
    'toolchain banana',
    'module example.com/again',
    ')',
    'retract [v1, v2',
    'go 1.21 /* block comment */',
    'require (',
    '\texample.com/in-open-block v1.0.0',
  ].join('\n');
  const m = parseGoMod(text);
  assert.deepEqual(m.dependencies.map((d) => d.name), ['example.com/good', 'example.com/in-open-block']);
  assert.deepEqual(
    m.errors.map((e) => [e.range.start.line, e.message, textAt(text, e.range)]),
    [
      [1, "Invalid go version 'one.twenty': expected a Go version such as 1.22 or 1.22.3", 'one.twenty'],
      [2, "Malformed directive: expected 'require module/path version'", 'require example.com/only-path'],
      [3, 'Unterminated quoted string', '"example.com/unterminated v1.0.0'],
      [3, "Malformed directive: expected 'require module/path version'", 'require'],
      [4, 'Unknown directive: frobnicate', 'frobnicate'],
      [5, "Malformed directive: expected 'replace module/path [version] => new/path [version]'", 'replace example.com/x v1 example.com/y v2'],
      [6, 'A replacement module needs a version (or a directory path starting with ./ or ../)', 'example.com/y'],
      [7, 'A replacement directory must not have a version', 'v1.0.0'],
      [9, "Invalid toolchain version 'banana': expected a toolchain name such as go1.22.3", 'banana'],
      [10, 'Repeated module directive', 'module example.com/again'],
      [11, 'Unknown directive: )', ')'],
      [12, "Malformed directive: expected 'retract version or retract [low, high]'", 'retract [v1, v2'],
      [13, 'go.mod files must use // comments', '/*'],
      [14, "'require (' block is never closed with ')'", 'require ('],
    ],
  );
});

test('lexer: punctuation splits words, => is a word, comments are kept', () => {
  const [line] = lexGoMod('replace a=>b [x,y] "q" // c');
  assert.deepEqual(line?.tokens.map((t) => t.value), ['replace', 'a=>b', '[', 'x', ',', 'y', ']', 'q']);
  assert.equal(line?.comment, 'c');
  assert.equal(lexGoMod('a\r\nb\rc\n').length, 4);
});
