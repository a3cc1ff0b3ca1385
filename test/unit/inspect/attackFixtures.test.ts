import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectSource, MemorySource, formatSourceFinding, severityRank, type SourceFinding } from '../../../shared/src/inspect/index';
import { loadFixtureCases } from './fixtureCases';

function describe(findings: SourceFinding[]): string {
  return findings.flatMap((f) => formatSourceFinding(f)).join('\n') || '(no findings)';
}

test('every rule with a malicious fixture also has a benign one, and vice versa', async () => {
  const cases = await loadFixtureCases();
  const byRule = new Map<string, Set<string>>();
  for (const c of cases) byRule.set(c.rule, (byRule.get(c.rule) ?? new Set()).add(c.expect));
  assert.ok(byRule.size >= 25, `expected fixtures for at least 25 rules, found ${byRule.size}`);
  for (const [rule, kinds] of byRule) assert.deepEqual([...kinds].sort(), ['benign', 'malicious'], `rule ${rule}`);
});

test('attack fixtures', async (t) => {
  for (const c of await loadFixtureCases()) {
  await t.test(`${c.id}: ${c.description}`, async () => {
    const findings = await inspectSource(new MemorySource(c.files));
    const ofRule = findings.filter((f) => f.rule === c.rule);
    if (c.expect === 'malicious') {
      const wanted = severityRank(c.minSeverity ?? 'low');
      assert.ok(ofRule.some((f) => severityRank(f.severity) >= wanted), `expected ${c.rule} at ${c.minSeverity ?? 'low'} or worse; got:\n${describe(findings)}`);
      // Every finding explains itself with lines, rule ids and reasons.
      for (const f of ofRule) assert.ok(f.matches.length > 0 && f.matches.every((m) => m.line >= 0 && m.reason !== ''), describe([f]));
    } else {
      const allowed = c.maxSeverity === undefined ? -1 : severityRank(c.maxSeverity);
      const tooSevere = ofRule.filter((f) => severityRank(f.severity) > allowed);
      assert.equal(tooSevere.length, 0, `benign code tripped ${c.rule}:\n${describe(tooSevere)}`);
      const warnings = findings.filter((f) => severityRank(f.severity) >= severityRank('medium'));
      assert.equal(warnings.length, 0, `benign code got a warning or worse:\n${describe(warnings)}`);
    }
  });
}
});
