import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../../../shared/src/config/schema';
import { offlineFindings } from '../../../shared/src/engine/offlineFindings';
import type { Dependency, ParsedManifest } from '../../../shared/src/model';
import { normalizeName } from '../../../shared/src/normalize';
import { createTyposquatDetector } from '../../../shared/src/typosquat/createDetector';

function dep(name: string, line: number, source: Dependency['source'] = 'registry'): Dependency {
  const range = { start: { line, character: 0 }, end: { line, character: name.length } };
  return { ecosystem: 'PyPI', name, normalizedName: normalizeName('PyPI', name), spec: '', kind: 'runtime', source, nameRange: range };
}

test('a match becomes a finding whose severity follows its confidence, on the name as written', () => {
  const detector = createTyposquatDetector({ PyPI: ['requests', 'jellyfish', 'python-dateutil', 'sklearn'] });
  const manifest: ParsedManifest = {
    kind: 'requirements',
    ecosystem: 'PyPI',
    errors: [],
    dependencies: [
      dep('reqeusts', 0), // transposition of a top-ranked name: high → error
      dep('dateutil-python', 1), // reordered words: medium → warning
      dep('sklearn', 2), // wrong pick: low → information, and no accusation
      dep('jeIlyfish', 3), // capital I: only visible in the name as written
      dep('requests', 4),
      dep('reqeusts', 5, 'git'), // not a registry dependency: not checked
    ],
  };
  const findings = offlineFindings(manifest, { typosquat: detector, config: DEFAULT_CONFIG });
  assert.deepEqual(
    findings.map((f) => [f.range.start.line, f.severity, f.suggestion, f.data?.['operator'], f.data?.['confidence']]),
    [
      [0, 'error', 'requests', 'transposition', 'high'],
      [1, 'warning', 'python-dateutil', 'word-order', 'medium'],
      [2, 'information', 'scikit-learn', 'wrong-pick', 'low'],
      [3, 'error', 'jellyfish', 'homoglyph', 'high'],
    ],
  );
  assert.match(findings[0]!.message, /^'reqeusts' looks like a typosquat of 'requests'\. It swaps/);
  assert.doesNotMatch(findings[2]!.message, /typosquat/);

  const allowed = offlineFindings(manifest, {
    typosquat: detector,
    config: { ...DEFAULT_CONFIG, typosquat: { enabled: true, allow: ['PyPI:reqeusts'] } },
  });
  assert.equal(allowed.filter((f) => f.package === 'reqeusts').length, 0, 'the allow list silences it');
});
