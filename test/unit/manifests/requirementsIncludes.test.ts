import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TextFileReader } from '../../../shared/src/io';
import type { Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';
import { resolveRequirementsTree } from '../../../shared/src/manifests/requirementsIncludes';

/** An in-memory file system that counts reads, so tests can see nothing is read twice. */
class MapReader implements TextFileReader {
  readonly reads: string[] = [];
  constructor(private readonly files: Record<string, string>) {}
  async readText(filePath: string): Promise<string> {
    this.reads.push(filePath);
    const text = this.files[filePath];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${filePath}`), { code: 'ENOENT' });
    return text;
  }
}

function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

const posix = path.posix;

test('follows -r and -c relative to the including file, in pip order', async () => {
  const files = {
    '/p/requirements.txt': 'flask\n-r requirements/base.txt\n-c constraints.txt\n',
    '/p/requirements/base.txt': 'requests\n-r ../common/shared.txt\n',
    '/p/common/shared.txt': 'urllib3\n',
    '/p/constraints.txt': 'urllib3<2\n-r pins.txt\n',
    '/p/pins.txt': 'certifi==2024.2.2\n',
  };
  const reader = new MapReader(files);
  const tree = await resolveRequirementsTree('/p/requirements.txt', reader, { pathApi: posix });
  assert.equal(tree.truncated, false);
  assert.deepEqual(
    tree.files.map((f) => [f.path, f.kind, f.depth, f.includedFrom?.path]),
    [
      ['/p/requirements.txt', 'requirements', 0, undefined],
      ['/p/requirements/base.txt', 'requirements', 1, '/p/requirements.txt'],
      ['/p/common/shared.txt', 'requirements', 2, '/p/requirements/base.txt'],
      ['/p/constraints.txt', 'constraints', 1, '/p/requirements.txt'],
      // pip: `-r` inside a constraints file is a requirements file again.
      ['/p/pins.txt', 'requirements', 2, '/p/constraints.txt'],
    ],
  );
  const constraints = tree.files[3]?.manifest;
  assert.deepEqual(constraints?.dependencies.map((d) => [d.name, d.kind]), [['urllib3', 'constraint']]);
  assert.ok(tree.files.every((f) => f.manifest.errors.length === 0));
});

test('a cycle is an error on the include line that closes it, and the walk ends', async () => {
  const files = {
    '/p/a.txt': 'alpha\n-r b.txt\n',
    '/p/b.txt': 'beta\n-r c.txt\n',
    '/p/c.txt': 'gamma\n-r a.txt\n-r ./c.txt\n',
  };
  const reader = new MapReader(files);
  const tree = await resolveRequirementsTree('/p/a.txt', reader, { pathApi: posix });
  assert.deepEqual(tree.files.map((f) => f.path), ['/p/a.txt', '/p/b.txt', '/p/c.txt']);
  const c = tree.files[2];
  assert.ok(c);
  assert.deepEqual(
    c.manifest.errors.map((e) => [e.message, e.range.start.line, textAt(files['/p/c.txt'], e.range)]),
    [
      ['include cycle: a.txt -> b.txt -> c.txt -> a.txt', 1, 'a.txt'],
      ['include cycle: c.txt -> c.txt', 2, './c.txt'],
    ],
  );
  assert.deepEqual(reader.reads, ['/p/a.txt', '/p/b.txt', '/p/c.txt'], 'each file read once');
});

test('a missing include is an error on its line; diamonds are read once', async () => {
  const files = {
    '/p/root.txt': '-r left.txt\n-r right.txt\n-r missing.txt\n',
    '/p/left.txt': '-r shared.txt\nleft\n',
    '/p/right.txt': '-r shared.txt\nright\n',
    '/p/shared.txt': 'shared\n',
  };
  const reader = new MapReader(files);
  const tree = await resolveRequirementsTree('/p/root.txt', reader, { pathApi: posix });
  assert.deepEqual(tree.files.map((f) => posix.basename(f.path)), ['root.txt', 'left.txt', 'shared.txt', 'right.txt']);
  const root = tree.files[0]?.manifest;
  assert.equal(root?.errors.length, 1);
  assert.match(root?.errors[0]?.message ?? '', /cannot read included file 'missing.txt' \(ENOENT\)/);
  assert.deepEqual(root?.errors[0]?.range, { start: { line: 2, character: 3 }, end: { line: 2, character: 14 } });
  assert.equal(reader.reads.filter((r) => r === '/p/shared.txt').length, 1);
});

test('depth and file-count limits stop the walk with an error where they bite', async () => {
  const chain: Record<string, string> = {};
  for (let i = 0; i < 30; i++) chain[`/p/f${i}.txt`] = `pkg${i}\n-r f${i + 1}.txt\n`;
  const deep = await resolveRequirementsTree('/p/f0.txt', new MapReader(chain), { pathApi: posix, maxDepth: 5 });
  assert.equal(deep.files.length, 6);
  assert.equal(deep.truncated, true);
  assert.match(deep.files[5]?.manifest.errors[0]?.message ?? '', /deeper than 5/);

  const wide: Record<string, string> = { '/p/root.txt': Array.from({ length: 20 }, (_, i) => `-r w${i}.txt`).join('\n') };
  for (let i = 0; i < 20; i++) wide[`/p/w${i}.txt`] = `w${i}\n`;
  const capped = await resolveRequirementsTree('/p/root.txt', new MapReader(wide), { pathApi: posix, maxFiles: 8 });
  assert.equal(capped.files.length, 8);
  assert.equal(capped.files[0]?.manifest.errors.length, 13);
  assert.match(capped.files[0]?.manifest.errors[0]?.message ?? '', /more than 8 included files/);
});

test('root text can come from an editor buffer; constraints*.txt roots are constraints; URL includes are skipped', async () => {
  const reader = new MapReader({ '/p/base.txt': 'requests\n' });
  const tree = await resolveRequirementsTree('/p/constraints-dev.txt', reader, {
    pathApi: posix,
    rootText: 'urllib3<2\n-r base.txt\n-r https://example.invalid/remote.txt\n',
  });
  assert.deepEqual(tree.files.map((f) => [posix.basename(f.path), f.kind]), [['constraints-dev.txt', 'constraints'], ['base.txt', 'requirements']]);
  assert.equal(tree.files[0]?.manifest.dependencies[0]?.kind, 'constraint');
  assert.deepEqual(reader.reads, ['/p/base.txt']);
});

test('Windows paths resolve with the win32 path flavour', async () => {
  // pip reads option lines with POSIX shlex, so a backslash escapes; forward slashes are the portable spelling.
  const reader = new MapReader({ 'C:\\proj\\req.txt': '-r sub/more.txt\n', 'C:\\proj\\sub\\more.txt': 'six\n' });
  const tree = await resolveRequirementsTree('C:\\proj\\req.txt', reader, { pathApi: path.win32 });
  assert.deepEqual(tree.files.map((f) => f.path), ['C:\\proj\\req.txt', 'C:\\proj\\sub\\more.txt']);
});

test('rejects when the root cannot be read', async () => {
  await assert.rejects(resolveRequirementsTree('/p/none.txt', new MapReader({}), { pathApi: posix }), /ENOENT/);
});

test('works against the real file system with native paths', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'req-tree-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'reqs'));
  await writeFile(path.join(dir, 'requirements.txt'), 'django>=4\n-r reqs/test.txt\n');
  await writeFile(path.join(dir, 'reqs', 'test.txt'), 'pytest\n-r ../requirements.txt\n');
  const fsReader: TextFileReader = { readText: (p) => readFile(p, 'utf8') };
  const tree = await resolveRequirementsTree(path.join(dir, 'requirements.txt'), fsReader);
  assert.deepEqual(tree.files.map((f) => f.manifest.dependencies.map((d) => d.name)), [['django'], ['pytest']]);
  assert.match(tree.files[1]?.manifest.errors[0]?.message ?? '', /include cycle: requirements.txt -> test.txt -> requirements.txt/);
});
