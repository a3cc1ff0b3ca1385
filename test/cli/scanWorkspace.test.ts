import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scanWorkspace } from '../../shared/src/engine/scanWorkspace';
import { nodeWorkspaceFileSystem } from '../../shared/src/engine/workspaceFileSystem';
import type { Dependency, ManifestKind, ParsedManifest } from '../../shared/src/model';
import type { TyposquatDetector } from '../../shared/src/typosquat/detector';
import { makeWorkspace } from './cliHarness';

/** Reads `name` per line and `-r file` includes: enough to drive the scan without the real parsers. */
function fakeParse(kind: ManifestKind, text: string): ParsedManifest {
  const dependencies: Dependency[] = [];
  const includes: NonNullable<ParsedManifest['includes']> = [];
  text.split('\n').forEach((line, index) => {
    const range = { start: { line: index, character: 0 }, end: { line: index, character: line.length } };
    if (line.startsWith('-r ')) includes.push({ path: line.slice(3).trim(), kind: 'requirements', range });
    else if (line === 'THROW') throw new Error('parser bug');
    else if (line.trim()) dependencies.push({ ecosystem: 'PyPI', name: line, normalizedName: line, spec: '', kind: 'runtime', source: 'registry', nameRange: range });
  });
  return { kind, ecosystem: 'PyPI', dependencies, errors: [], includes };
}

const detector: TyposquatDetector = {
  check: (_ecosystem, name) => (name === 'reqeusts' ? { intended: 'requests', operator: 'transposition', reason: 'swapped letters' } : undefined),
};

test('includes inside the root are scanned even with names the walker does not pick up', async (t) => {
  const ws = await makeWorkspace({ 'requirements.txt': 'flask\n-r deps/base.in.txt\n-r ../outside.txt\n', 'deps/base.in.txt': 'reqeusts\n' });
  t.after(ws.cleanup);
  const scan = await scanWorkspace({ target: ws.dir, fs: nodeWorkspaceFileSystem, typosquat: detector, parse: fakeParse });
  assert.deepEqual(scan.manifests.map((m) => m.file), ['deps/base.in.txt', 'requirements.txt']);
  assert.deepEqual(scan.manifests[0]?.findings.map((f) => f.package), ['reqeusts']);
});

test('a parser that throws becomes a parse error for that file only', async (t) => {
  const ws = await makeWorkspace({ 'requirements.txt': 'THROW\n', 'sub/requirements.txt': 'reqeusts\n' });
  t.after(ws.cleanup);
  const scan = await scanWorkspace({ target: ws.dir, fs: nodeWorkspaceFileSystem, typosquat: detector, parse: fakeParse });
  assert.deepEqual(scan.manifests.map((m) => [m.file, m.findings.map((f) => f.rule)]), [
    ['requirements.txt', ['parse-error']],
    ['sub/requirements.txt', ['typosquat']],
  ]);
  assert.match(scan.manifests[0]?.findings[0]?.message ?? '', /parser bug/);
});

test('limits: depth, manifest count and file size are bounded and reported as notes', async (t) => {
  const ws = await makeWorkspace({
    'a/b/c/requirements.txt': 'deep\n',
    'requirements.txt': 'x\n'.repeat(100),
    'one/requirements.txt': 'a\n',
    'two/requirements.txt': 'b\n',
  });
  t.after(ws.cleanup);
  const scan = await scanWorkspace({
    target: ws.dir,
    fs: nodeWorkspaceFileSystem,
    typosquat: detector,
    parse: fakeParse,
    limits: { maxDepth: 2, maxFileBytes: 100, maxManifests: 2 },
  });
  assert.deepEqual(scan.manifests.map((m) => m.file), ['one/requirements.txt']);
  assert.ok(scan.notes.some((note) => /deeper than 2 levels\): a\/b\/c/.test(note)), scan.notes.join('\n'));
  assert.ok(scan.notes.some((note) => /only the first 2 of 3 manifests/.test(note)), scan.notes.join('\n'));
  assert.ok(scan.notes.some((note) => /requirements\.txt: larger than 100 bytes/.test(note)), scan.notes.join('\n'));
});
