import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseGemfile } from '../../../shared/src/manifests/gemfile';
import { parseGoMod } from '../../../shared/src/manifests/goMod';
import { parsePackageJson } from '../../../shared/src/manifests/packageJson';
import type { ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';
import { mulberry32 } from '../../support/seededRandom';

/*
 * Random and mutated manifests must never make a parser throw or hang, and everything it returns must
 * point inside the document. Seeded, so a failure names the seed and case that reproduces it.
 */

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/manifests');
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);
const CASES_PER_PARSER = 400;
// Fixture-sized inputs parse in about 1-2 ms; the bound is loose so a busy CI machine does not flake,
// yet far below what a hang or a quadratic blow-up on these sizes would take.
const MAX_MS_PER_DOCUMENT = 1_000;

interface Target {
  name: string;
  parse: (text: string) => ParsedManifest;
  seeds: string[];
  /** Characters and snippets that matter to this format's grammar. */
  alphabet: string[];
}

function mutate(text: string, rnd: () => number, alphabet: string[]): string {
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const at = (): number => Math.floor(rnd() * (text.length + 1));
  const steps = 1 + Math.floor(rnd() * 6);
  for (let s = 0; s < steps; s++) {
    const op = Math.floor(rnd() * 7);
    const i = at();
    const j = Math.min(text.length, i + Math.floor(rnd() * 40));
    if (op === 0) text = text.slice(0, i) + text.slice(j);
    else if (op === 1) text = text.slice(0, i) + pick(alphabet) + text.slice(i);
    else if (op === 2) text = text.slice(0, i) + text.slice(i, j) + text.slice(i);
    else if (op === 3) text = text.slice(0, i);
    else if (op === 4) {
      const lines = text.split('\n');
      const a = Math.floor(rnd() * lines.length);
      const b = Math.floor(rnd() * lines.length);
      [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      text = lines.join('\n');
    } else if (op === 5) text = text.slice(0, i) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + text.slice(i);
    else text = text.replace(/\n/g, rnd() < 0.5 ? '\r\n' : '\r');
  }
  return text;
}

function randomDocument(rnd: () => number, alphabet: string[]): string {
  let out = '';
  const n = Math.floor(rnd() * 200);
  for (let k = 0; k < n; k++) out += alphabet[Math.floor(rnd() * alphabet.length)];
  return out;
}

function assertRangeInside(range: Range, index: LineIndex, what: string): void {
  assert.ok(range.start.line >= 0 && range.start.character >= 0, `${what}: negative start`);
  assert.ok(range.end.line < index.lineCount, `${what}: end line ${range.end.line} past ${index.lineCount}`);
  const start = index.offsetAt(range.start);
  const end = index.offsetAt(range.end);
  assert.ok(start <= end, `${what}: start after end`);
}

function check(target: Target, text: string, label: string): number {
  const t0 = performance.now();
  let result: ParsedManifest;
  try {
    result = target.parse(text);
  } catch (error) {
    assert.fail(`${target.name} threw on ${label}: ${String(error)}\n${JSON.stringify(text.slice(0, 400))}`);
  }
  const elapsed = performance.now() - t0;
  assert.ok(elapsed < MAX_MS_PER_DOCUMENT, `${target.name} took ${elapsed.toFixed(1)} ms on ${label}`);
  assert.ok(Array.isArray(result.dependencies) && Array.isArray(result.errors));
  const index = new LineIndex(text);
  for (const d of result.dependencies) {
    assert.ok(d.name.length > 0, `${label}: empty dependency name`);
    assertRangeInside(d.nameRange, index, `${label} nameRange of ${d.name}`);
    if (d.specRange) assertRangeInside(d.specRange, index, `${label} specRange of ${d.name}`);
  }
  for (const e of result.errors) assertRangeInside(e.range, index, `${label} error '${e.message}'`);
  return elapsed;
}

async function targets(): Promise<Target[]> {
  const read = (p: string): Promise<string> => readFile(path.join(fixtures, p), 'utf8');
  return [
    {
      name: 'package.json',
      parse: parsePackageJson,
      seeds: [await read('npm/monorepo-root.package.json'), await read('npm/broken.package.json')],
      alphabet: ['{', '}', '[', ']', ',', ':', '"', '\\', '\\u00', 'npm:', '@', '"dependencies"', '"overrides"', '"."', '$', ' ', '\n', 'true', '1', '/*', '//'],
    },
    {
      name: 'go.mod',
      parse: parseGoMod,
      seeds: [await read('go/kubernetes-style.go.mod')],
      alphabet: ['module ', 'require ', 'replace ', 'retract ', 'exclude ', 'toolchain ', 'go ', '(', ')', '[', ']', ',', '=>', '"', '`', '//', '/*', ' indirect', 'v1.0.0', 'example.com/x', './p', ' ', '\t', '\n', '\\'],
    },
    {
      name: 'Gemfile',
      parse: parseGemfile,
      seeds: [await read('ruby/rails-app.Gemfile')],
      alphabet: ['gem ', 'group ', ' do', ' end', 'end\n', '{', '}', '(', ')', '[', ']', ',', ':', '=>', '"', "'", '#{', '#', '%w[', '%q(', '<<~EOS', 'EOS\n', '=begin\n', '=end\n', '/', '?', 'if ', 'unless ', ';', '\\', '\n', ' ', 'then ', 'else ', '|x|', 'source ', 'platforms '],
    },
  ];
}

test('random and mutated manifests never throw, stay in range and finish quickly', async () => {
  const rnd = mulberry32(SEED);
  const started = performance.now();
  let documents = 0;
  let slowest = 0;
  for (const target of await targets()) {
    for (let c = 0; c < CASES_PER_PARSER; c++) {
      const seed = target.seeds[c % target.seeds.length] as string;
      const text = c % 4 === 3 ? randomDocument(rnd, target.alphabet) : mutate(seed, rnd, target.alphabet);
      slowest = Math.max(slowest, check(target, text, `seed ${SEED} case ${c}`));
      documents++;
    }
  }
  const total = performance.now() - started;
  console.log(`fuzz: ${documents} documents in ${total.toFixed(0)} ms, slowest ${slowest.toFixed(2)} ms (seed ${SEED})`);
  assert.ok(total < 20_000, `fuzzing took ${total.toFixed(0)} ms`);
});

test('pathological inputs: deep nesting, huge lines and unclosed constructs stay bounded', async () => {
  const deep = 20_000;
  const cases: Array<[Target['name'], string]> = [
    ['package.json', '['.repeat(deep)],
    ['package.json', `{"overrides":${'{"a":'.repeat(deep)}"1"${'}'.repeat(deep)}}`],
    ['package.json', `{"dependencies":{${Array.from({ length: 5000 }, (_, i) => `"p${i}":"^${i}.0.0"`).join(',')}}}`],
    ['go.mod', `require (\n${'\texample.com/x v1.0.0\n'.repeat(20_000)}`],
    ['go.mod', '"'.repeat(100_000)],
    ['go.mod', `retract ${'['.repeat(50_000)}`],
    ['Gemfile', `${'group :a do\n'.repeat(10_000)}gem "deep"\n`],
    ['Gemfile', '('.repeat(100_000)],
    ['Gemfile', `gem "x", ${'{'.repeat(50_000)}`],
    ['Gemfile', '"#{'.repeat(30_000)],
    ['Gemfile', `${'<<~A '.repeat(5_000)}\n`],
    ['Gemfile', `gem 'a', ${"'1', ".repeat(20_000)}'2'\n`],
  ];
  const byName = new Map((await targets()).map((t) => [t.name, t]));
  for (const [name, text] of cases) {
    const target = byName.get(name) as Target;
    const t0 = performance.now();
    const result = target.parse(text);
    const elapsed = performance.now() - t0;
    assert.ok(elapsed < 5_000, `${name} took ${elapsed.toFixed(0)} ms on a ${text.length}-char pathological input`);
    assert.ok(Array.isArray(result.errors));
  }
  const nested = byName.get('Gemfile')?.parse(`${'group :a do\n'.repeat(10_000)}gem "deep"\n`);
  assert.equal(nested?.dependencies[0]?.name, 'deep');
  assert.equal(nested?.errors.length, 10_000, 'every unclosed group is reported');
});

test('the fuzz checks themselves catch a parser that throws, returns bad ranges or empty names', () => {
  const good = parseGemfile('gem "a"\n');
  const broken: Array<Target['parse']> = [
    () => {
      throw new Error('boom');
    },
    () => ({ ...good, errors: [{ message: 'x', range: { start: { line: 5, character: 0 }, end: { line: 9, character: 0 } } }] }),
    () => ({ ...good, dependencies: good.dependencies.map((d) => ({ ...d, name: '' })) }),
  ];
  for (const parse of broken) {
    assert.throws(() => check({ name: 'broken', parse, seeds: [], alphabet: [] }, 'gem "a"\n', 'self-test'));
  }
  assert.doesNotThrow(() => check({ name: 'ok', parse: parseGemfile, seeds: [], alphabet: [] }, 'gem "a"\n', 'self-test'));
});
