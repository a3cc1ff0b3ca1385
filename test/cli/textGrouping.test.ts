/** The text format's summary of registry checks that could not complete: one line per distinct cause. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatText } from '../../shared/src/cli/format/text';
import type { ReportFinding, ScanReport } from '../../shared/src/cli/scanReport';

function unverified(file: string, pkg: string, line: number): ReportFinding {
  return {
    file, line, column: 1, endLine: line, endColumn: 5, ecosystem: file.endsWith('.json') ? 'npm' : 'PyPI', package: pkg,
    rule: 'intelligence-unavailable', severity: 'information', message: `Registry checks for '${pkg}' did not complete, so it is unverified: …`, suggestion: null,
  };
}

test('causes are counted per dependency, named with their files unless they touch every file, most widespread first; --verbose lists each line', () => {
  const a = unverified('web/package.json', 'axios', 3);
  const b = unverified('web/package.json', 'vue', 4);
  const c = unverified('api/requirements.txt', 'flask', 1);
  const report: ScanReport = { version: 1, manifests: [], findings: [c, a, b] };
  const osv = 'known-malware check (OSV): cannot reach api.osv.dev';
  const reasons = new Map<ReportFinding, readonly string[]>([
    [a, [osv]],
    [b, [osv, 'download counts unavailable: timeout']],
    [c, [osv, 'cannot reach pypi.org; cannot reach pypi.org']],
  ]);
  const text = formatText(report, { colour: false, unavailableReasons: reasons });
  assert.doesNotMatch(text, /intelligence-unavailable/);
  assert.deepEqual(text.split('\n').filter((l) => l.startsWith('registry checks incomplete')), [
    `registry checks incomplete for 3 dependencies: ${osv}`,
    'registry checks incomplete for 1 dependency (in api/requirements.txt): cannot reach pypi.org',
    'registry checks incomplete for 1 dependency (in web/package.json): download counts unavailable: timeout',
  ]);
  assert.match(text, /^3 problems \(0 errors, 0 warnings, 3 information\) in 0 manifests/m);
  assert.match(text, /\(3 dependency lines unverified; --verbose lists each one\)\n$/);

  const verbose = formatText(report, { colour: false, verbose: true, unavailableReasons: reasons });
  assert.equal(verbose.split('\n').filter((l) => / information intelligence-unavailable /.test(l)).length, 3);
  assert.doesNotMatch(verbose, /registry checks incomplete/);
});
