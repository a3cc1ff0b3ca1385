import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRequirements } from '../../shared/src/manifests/requirements';
import type { ManifestKind, ParsedManifest } from '../../shared/src/model';
import { ChunkedParser, chunkLines } from '../../server/src/pipeline/chunkedParser';

function sample(lines: number, eol = '\n'): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    if (i % 50 === 0) out.push(`-r other-${i}.txt`);
    else if (i % 41 === 0) out.push('--index-url https://example.invalid/simple');
    else if (i % 37 === 0) out.push(`pkg${i} ==1.0 \\`, `    --hash=sha256:${'a'.repeat(64)}`);
    else if (i % 29 === 0) out.push(`broken[ ${i}`);
    else if (i % 13 === 0) out.push(`# comment ${i} \\`);
    else out.push(`name-${i}[extra]>=1.${i % 9} ; python_version >= "3.9"  # trailing`);
  }
  return out.join(eol) + eol;
}

describe('ChunkedParser', () => {
  const parse = (kind: ManifestKind, text: string): ParsedManifest => (kind === 'requirements' ? parseRequirements(text) : { kind, ecosystem: 'npm', dependencies: [], errors: [] });

  for (const eol of ['\n', '\r\n']) {
    it(`gives exactly the whole-file parse, before and after edits (${JSON.stringify(eol)})`, () => {
      const chunked = new ChunkedParser(parse);
      let text = sample(700, eol);
      assert.deepEqual(chunked.parse('u', 'requirements', text), parseRequirements(text));
      // Edit one line in the middle, then insert a line (shifts every later chunk), then join two lines.
      const lines = text.split(eol);
      lines[333] = 'reqeusts==2.0';
      text = lines.join(eol);
      assert.deepEqual(chunked.parse('u', 'requirements', text), parseRequirements(text));
      lines.splice(10, 0, 'inserted>=1');
      text = lines.join(eol);
      assert.deepEqual(chunked.parse('u', 'requirements', text), parseRequirements(text));
      lines[127] = `${lines[127] ?? ''} \\`;
      text = lines.join(eol);
      assert.deepEqual(chunked.parse('u', 'requirements', text), parseRequirements(text));
    });
  }

  it('re-parses only the chunk that changed', () => {
    const seen: string[] = [];
    const chunked = new ChunkedParser((kind, text) => {
      seen.push(text);
      return parse(kind, text);
    });
    const text = sample(640);
    chunked.parse('u', 'requirements', text);
    const first = seen.length;
    assert.ok(first >= 10, `expected several chunks, got ${first}`);
    seen.length = 0;
    chunked.parse('u', 'requirements', text.replace('name-3[extra]', 'name-3x[extra]'));
    assert.equal(seen.length, 1);
    assert.match(seen[0] ?? '', /name-3x/);
  });

  it('never cuts a chunk after a continued line, and keeps every character', () => {
    const text = sample(1000);
    const chunks = chunkLines(text, 7);
    assert.equal(chunks.map((c) => c.text).join(''), text);
    for (const c of chunks.slice(0, -1)) assert.ok(!c.text.replace(/\r?\n$/, '').endsWith('\\'));
    assert.deepEqual(chunkLines(''), [{ startLine: 0, text: '' }]);
  });
});
