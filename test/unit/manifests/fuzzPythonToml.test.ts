import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'smol-toml';
import type { ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';
import { parseRequirements } from '../../../shared/src/manifests/requirements';
import { parsePyproject } from '../../../shared/src/manifests/pyproject';
import { parseCargoToml } from '../../../shared/src/manifests/cargo';
import { scanToml, toPlain } from '../../../shared/src/toml/scanner';
import { mulberry32 } from '../../support/seededRandom';

/*
 * Random and mutated manifests: the parsers must never throw, must finish quickly on every input,
 * and must return ranges inside the document. The PRNG is seeded (FUZZ_SEED overrides), and a failure
 * names the seed, parser and case so it reproduces exactly.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20240611);
const MUTANTS_PER_FIXTURE = Number(process.env.FUZZ_MUTANTS ?? 80);
/** Per small input; generous so a loaded CI machine does not flake, still far below any super-linear blow-up. */
const PER_INPUT_MS = 400;

const fixtureDir = path.join(__dirname, '..', '..', 'fixtures', 'manifests');

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const int = (rng: Rng, max: number): number => Math.floor(rng() * max);

const TOKENS = [
  '[', ']', '[[', ']]', '{', '}', '"', "'", '"""', "'''", '=', '.', ',', '#', '\\', '\n', '\r\n', '\r', ' ', '\t', ';', '@',
  '==', '>=', '~=', '-r ', '-c ', '-e ', '--hash=sha256:', '--index-url ', 'git+https://x.example/r.git#egg=', '\\u00', '\\U0001F600',
  'true', '1.0', 'version', 'package', 'workspace', 'dependencies', '[dependencies]', '[project]', 'dependencies = [', '😀', '\u0000', '\uFFFF',
];

function mutate(rng: Rng, text: string): string {
  let out = text;
  const edits = 1 + int(rng, 8);
  for (let e = 0; e < edits; e++) {
    const at = int(rng, out.length + 1);
    const len = int(rng, 40);
    switch (int(rng, 6)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + len);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at, at + len) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + pick(rng, TOKENS) + out.slice(at);
        break;
      case 3:
        out = out.slice(0, at) + String.fromCharCode(int(rng, 128)) + out.slice(at + 1);
        break;
      case 4: {
        const lines = out.split('\n');
        const i = int(rng, lines.length);
        const j = int(rng, lines.length);
        [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
        out = lines.join('\n');
        break;
      }
      default:
        out = out.slice(0, at);
    }
  }
  return out;
}

function randomRequirementsText(rng: Rng): string {
  const names = ['requests', 'Django', 'zope.interface', 'a', 'x_y-z', 'pkg[extra]', 'pkg[a, b]', '-e', '../p', 'https://h.example/p-1.0.tar.gz'];
  const specs = ['', '==1.0', '>=1,<2', ' (>=1)', '~=2.1', '===x', '==', '>=1,', ' @ git+https://x.example/a.git', '==1.*'];
  const tails = ['', ' ; python_version < "3.8"', ' ; ', ' # c', ' \\', ' --hash=sha256:ab', ' --hash', ' -r', '"unterminated'];
  const lines: string[] = [];
  const count = 1 + int(rng, 30);
  for (let i = 0; i < count; i++) lines.push(pick(rng, names) + pick(rng, specs) + pick(rng, tails));
  return lines.join(pick(rng, ['\n', '\r\n', '\r']));
}

/** Inputs built to trigger quadratic or exponential behaviour in a careless parser. */
const PATHOLOGICAL: readonly string[] = [
  'a'.repeat(200_000) + '==',
  '\\\n'.repeat(50_000),
  'x' + '\\\n'.repeat(20_000) + 'y',
  '#'.repeat(100_000),
  ' #'.repeat(50_000),
  'a' + ' '.repeat(100_000) + 'b',
  '-r '.repeat(30_000),
  'pkg' + '>=1,'.repeat(30_000),
  'pkg ; ' + '('.repeat(50_000),
  'pkg[' + 'a,'.repeat(50_000),
  '"'.repeat(100_000),
  "'".repeat(100_000),
  'x = ' + '['.repeat(100_000),
  'x = ' + '{a='.repeat(30_000),
  'a.'.repeat(50_000) + 'b = 1',
  '[' + 'a.'.repeat(50_000) + 'b]',
  '[[a]]\n'.repeat(20_000),
  '[dependencies]\n' + Array.from({ length: 10_000 }, (_, i) => `c${i} = "${i}"`).join('\n'),
  'x = """' + 'a\\\n'.repeat(30_000),
  'dependencies = [' + '"a",'.repeat(30_000),
  '[project]\ndependencies = [' + '"a',
];

function assertRangeInside(index: LineIndex, range: Range, what: string): void {
  for (const p of [range.start, range.end]) {
    assert.ok(p.line >= 0 && p.line < index.lineCount && p.character >= 0, `${what}: position ${JSON.stringify(p)} outside the document`);
  }
  assert.ok(index.offsetAt(range.start) <= index.offsetAt(range.end), `${what}: range ends before it starts`);
}

function checkManifest(text: string, m: ParsedManifest): void {
  const index = new LineIndex(text);
  for (const d of m.dependencies) {
    assert.ok(d.name.length > 0, 'dependency with an empty name');
    assert.equal(typeof d.normalizedName, 'string');
    assertRangeInside(index, d.nameRange, `name of ${d.name}`);
    if (d.specRange) assertRangeInside(index, d.specRange, `spec of ${d.name}`);
  }
  for (const e of m.errors) assertRangeInside(index, e.range, `error ${e.message}`);
  for (const i of m.includes ?? []) assertRangeInside(index, i.range, `include ${i.path}`);
  for (const o of m.registryOptions ?? []) assertRangeInside(index, o.range, `option ${o.option}`);
}

/** smol-toml and the scanner agree on every value (dates, which the scanner keeps as text, excepted). */
function agree(smol: unknown, mine: unknown, where: string): void {
  if (smol instanceof Date) return;
  if (Array.isArray(smol)) {
    assert.ok(Array.isArray(mine), `${where}: array expected`);
    assert.equal(mine.length, smol.length, `${where}: array length`);
    smol.forEach((v, i) => agree(v, (mine as unknown[])[i], `${where}[${i}]`));
    return;
  }
  if (typeof smol === 'object' && smol !== null) {
    assert.ok(typeof mine === 'object' && mine !== null && !Array.isArray(mine), `${where}: table expected`);
    assert.deepEqual(Object.keys(mine).sort(), Object.keys(smol).sort(), `${where}: keys`);
    for (const [k, v] of Object.entries(smol)) agree(v, (mine as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  if (typeof smol === 'number' && typeof mine === 'number' && Number.isNaN(smol) && Number.isNaN(mine)) return;
  assert.equal(mine, smol, where);
}

const PARSERS = [
  ['requirements', (t: string) => parseRequirements(t)],
  ['pyproject', parsePyproject],
  ['cargo', parseCargoToml],
] as const;

function run(parserName: string, parser: (t: string) => ParsedManifest, text: string, label: string): void {
  const started = performance.now();
  let manifest: ParsedManifest;
  try {
    manifest = parser(text);
  } catch (error) {
    assert.fail(`${parserName} threw on ${label} (seed ${SEED}): ${String(error)}`);
  }
  const elapsed = performance.now() - started;
  // Big inputs get a budget linear in their size: a quadratic parser would still blow far past it.
  const budget = PER_INPUT_MS + text.length / 200;
  assert.ok(elapsed < budget, `${parserName} took ${elapsed.toFixed(0)} ms on ${label} (seed ${SEED}, ${text.length} chars)`);
  checkManifest(text, manifest);
}

test('fuzz: mutated fixtures never throw, finish in time and keep ranges inside the text', async () => {
  const files = ['python/requirements-lock.txt', 'python/requirements-edge.txt', 'python/pyproject-poetry.toml', 'python/pyproject-pep621.toml', 'cargo/crate-Cargo.toml', 'cargo/workspace-Cargo.toml'];
  const rng = mulberry32(SEED);
  let cases = 0;
  let validToml = 0;
  for (const file of files) {
    const original = await readFile(path.join(fixtureDir, file), 'utf8');
    for (let n = 0; n < MUTANTS_PER_FIXTURE; n++) {
      const text = mutate(rng, original);
      for (const [name, parser] of PARSERS) run(name, parser, text, `${file} mutant #${n}`);
      cases++;
      if (file.endsWith('.toml')) {
        let smol: unknown;
        try {
          smol = parse(text);
        } catch {
          continue;
        }
        // Where smol-toml accepts the text, the scanner must read it cleanly and to the same values.
        validToml++;
        const scan = scanToml(text);
        assert.deepEqual(scan.errors, [], `${file} mutant #${n} (seed ${SEED}): scanner errors on valid TOML`);
        agree(smol, toPlain(scan.root), `${file} mutant #${n}`);
      }
    }
  }
  assert.equal(cases, files.length * MUTANTS_PER_FIXTURE);
  assert.ok(validToml > 0, 'some mutants stay valid TOML, so the agreement check really ran');
});

test('fuzz: random requirements files', () => {
  const rng = mulberry32(SEED ^ 0x9e3779b9);
  for (let n = 0; n < 400; n++) {
    const text = randomRequirementsText(rng);
    for (const [name, parser] of PARSERS) run(name, parser, text, `random requirements #${n}`);
  }
});

test('fuzz: pathological inputs finish in linear-ish time', () => {
  PATHOLOGICAL.forEach((text, n) => {
    for (const [name, parser] of PARSERS) run(name, parser, text, `pathological #${n}`);
  });
});
