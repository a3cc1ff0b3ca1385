/** CVSS v3.x base score from a vector string (the FIRST specification's formula), for OSV records that carry only a vector. */

const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
};

// The specification's round-up to one decimal, done in integers to avoid float artefacts.
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/** The base score (0–10) of a `CVSS:3.x/…` vector, or undefined when it is not one. */
export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined;
  const m: Record<string, string> = {};
  for (const part of vector.split('/').slice(1)) {
    const [k, v] = part.split(':');
    if (k && v) m[k] = v;
  }
  const scopeChanged = m.S === 'C';
  const pr = m.PR === 'N' ? 0.85 : m.PR === 'L' ? (scopeChanged ? 0.68 : 0.62) : m.PR === 'H' ? (scopeChanged ? 0.5 : 0.27) : undefined;
  const av = WEIGHTS.AV?.[m.AV ?? ''];
  const ac = WEIGHTS.AC?.[m.AC ?? ''];
  const ui = WEIGHTS.UI?.[m.UI ?? ''];
  const c = WEIGHTS.C?.[m.C ?? ''];
  const i = WEIGHTS.I?.[m.I ?? ''];
  const a = WEIGHTS.A?.[m.A ?? ''];
  if ([pr, av, ac, ui, c, i, a].some((x) => x === undefined) || (m.S !== 'U' && m.S !== 'C')) return undefined;
  const iss = 1 - (1 - (c as number)) * (1 - (i as number)) * (1 - (a as number));
  const impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * (av as number) * (ac as number) * (pr as number) * (ui as number);
  if (impact <= 0) return 0;
  return scopeChanged ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
}

/** Qualitative rating of a CVSS score. */
export function cvssRating(score: number): 'critical' | 'high' | 'moderate' | 'low' {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'moderate';
  return 'low';
}
