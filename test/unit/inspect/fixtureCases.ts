// Loads the inert attack fixtures: each case folder holds case.json and files stored with a `.fixture`
// suffix (so no tool ever runs or installs them); the suffix is removed when the in-memory tree is built.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceSeverity } from '../../../shared/src/inspect/types';

/** Where the attack fixtures live. */
export const ATTACK_FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'attacks-source');

/** One fixture case as described by its case.json. */
export interface FixtureCase {
  /** `<rule>/<kind>-<name>` */
  id: string;
  rule: string;
  expect: 'malicious' | 'benign';
  /** malicious: the rule must fire at least this severe. */
  minSeverity?: SourceSeverity;
  /** benign: the rule may fire at most this severe (absent: must not fire at all). */
  maxSeverity?: SourceSeverity;
  description: string;
  files: Map<string, string>;
}

async function walk(dir: string, rel = ''): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await walk(full, childRel)));
    else if (entry.name.endsWith('.fixture')) out.push([childRel.slice(0, -'.fixture'.length), await readFile(full, 'utf8')]);
  }
  return out;
}

/** Every case, sorted by id. */
export async function loadFixtureCases(): Promise<FixtureCase[]> {
  const cases: FixtureCase[] = [];
  for (const ruleDir of (await readdir(ATTACK_FIXTURES, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    for (const caseDir of (await readdir(path.join(ATTACK_FIXTURES, ruleDir.name), { withFileTypes: true })).filter((e) => e.isDirectory())) {
      const dir = path.join(ATTACK_FIXTURES, ruleDir.name, caseDir.name);
      const meta = JSON.parse(await readFile(path.join(dir, 'case.json'), 'utf8')) as Omit<FixtureCase, 'id' | 'files'>;
      cases.push({ ...meta, id: `${ruleDir.name}/${caseDir.name}`, files: new Map(await walk(dir)) });
    }
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id));
}
