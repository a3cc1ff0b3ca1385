/**
 * Gathers what the registries and OSV say about a set of packages: one lookup per package (bounded
 * concurrency), the version each spec resolves to, a public-existence check for internal names, one
 * OSV batch for all of them and the full record of every hit.
 */
import type { Ecosystem } from '../model';
import type { OsvRecord } from '../registry/clients/osv';
import type { RegistryClients } from '../registry/index';
import type { LookupResult, RegistryClient } from '../registry/types';
import { resolveVersion } from '../registry/versions';
import { mapLimit } from './limit';
import type { IntelligenceSettings } from './settings';
import { DEFAULT_THRESHOLDS, osvPage } from '../registry/defaults';

/** One package to assess, as a manifest line or the audit command names it. */
export interface Target {
  ecosystem: Ecosystem;
  name: string;
  spec: string;
}

/** Everything known about one target. */
export interface PackageFacts {
  target: Target;
  lookup: LookupResult;
  resolvedVersion?: string;
  /** Only asked for names matching `internal_prefixes`. */
  publicExists?: boolean;
  matchedPrefix?: string;
  /** Non-withdrawn OSV records affecting the resolved version (or the package when unresolved). */
  advisories: OsvRecord[];
  /** Why the OSV check could not be done, if it could not. */
  osvError?: string;
  /** Whether OSV was asked about a specific version. */
  osvVersioned: boolean;
}

/** What gathering needs. */
export interface GatherContext {
  clients: RegistryClients;
  settings: IntelligenceSettings;
  signal: AbortSignal;
  deep?: boolean;
  /** Per-ecosystem replacements (clients that also know the manifest's own indexes). */
  overrides?: Partial<Record<Ecosystem, RegistryClient>>;
}

const targetKey = (t: Target): string => `${t.ecosystem}\u0000${t.name}\u0000${t.spec}`;

/** Exact version a spec pins, if it pins one (`==1.2`, `=1.2.3`, `1.2.3` for npm, `v1.2.3` for Go). */
export function pinnedVersion(ecosystem: Ecosystem, spec: string): string | undefined {
  const s = spec.trim();
  const m = ecosystem === 'PyPI' ? /^===?\s*([^\s,*;]+)$/.exec(s) : ecosystem === 'Go' ? /^(v\d+\.\d+\.\d+\S*)$/.exec(s) : /^=?\s*v?(\d+(?:\.[0-9A-Za-z-]+)*(?:\+[0-9A-Za-z.-]+)?)$/.exec(s);
  return m?.[1];
}

/** Gathers facts for every target (duplicates are looked up once). */
export async function gatherFacts(targets: readonly Target[], ctx: GatherContext): Promise<PackageFacts[]> {
  const unique = [...new Map(targets.map((t) => [targetKey(t), t])).values()];
  const clientFor = (e: Ecosystem): RegistryClient => ctx.overrides?.[e] ?? ctx.clients.registries[e];

  const facts = await mapLimit(unique, DEFAULT_THRESHOLDS.lookupConcurrency, ctx.signal, async (target): Promise<PackageFacts> => {
    const options: { signal: AbortSignal; deep?: boolean; wantedVersion?: string } = { signal: ctx.signal };
    if (ctx.deep) options.deep = true;
    const pinned = pinnedVersion(target.ecosystem, target.spec);
    if (pinned) options.wantedVersion = pinned;
    const lookup = await clientFor(target.ecosystem).lookup(target.name, options);
    const fact: PackageFacts = { target, lookup, advisories: [], osvVersioned: false };
    if (lookup.status === 'found') {
      const resolved = resolveVersion(target.ecosystem, target.spec, lookup.info.versions, lookup.info.distTags);
      if (resolved) fact.resolvedVersion = resolved;
    } else if (pinned) {
      // Unknown to the registry but pinned: OSV can still be asked about that exact version.
      fact.resolvedVersion = pinned;
    }
    const prefix = ctx.settings.internalPrefixes.find((p) => target.name.toLowerCase().startsWith(p.toLowerCase()));
    if (prefix) {
      fact.matchedPrefix = prefix;
      const exists = await clientFor(target.ecosystem).existsPublicly(target.name, { signal: ctx.signal });
      if (exists !== undefined) fact.publicExists = exists;
    }
    return fact;
  });
  if (ctx.signal.aborted) throw ctx.signal.reason;

  // One OSV batch for all; an unknown package is asked about too (removed malware is often gone from the registry).
  const queries = facts.map((f) => {
    const q: { ecosystem: Ecosystem; name: string; version?: string } = { ecosystem: f.target.ecosystem, name: f.target.name };
    if (f.resolvedVersion) q.version = f.resolvedVersion;
    return q;
  });
  const answers = await ctx.clients.osv.queryBatch(queries, ctx.signal);
  const ids = new Set<string>();
  for (const [i, answer] of answers.entries()) {
    const fact = facts[i] as PackageFacts;
    fact.osvVersioned = queries[i]?.version !== undefined;
    if ('error' in answer) fact.osvError = answer.error;
    else for (const id of answer.ids) ids.add(id);
  }
  const records = new Map<string, OsvRecord | undefined>();
  await mapLimit([...ids], 8, ctx.signal, async (id) => {
    try {
      records.set(id, await ctx.clients.osv.record(id, ctx.signal));
    } catch {
      // A MAL id alone is enough to know it is malware; other ids keep their id and an unknown severity.
      records.set(id, { id, aliases: [], severity: 'unknown', malicious: id.startsWith('MAL-'), withdrawn: false, url: osvPage(id) });
    }
  });
  for (const [i, answer] of answers.entries()) {
    if ('error' in answer) continue;
    const fact = facts[i] as PackageFacts;
    fact.advisories = answer.ids.map((id) => records.get(id)).filter((r): r is OsvRecord => r !== undefined && !r.withdrawn);
  }
  const byKey = new Map(facts.map((f) => [targetKey(f.target), f]));
  return targets.map((t) => byKey.get(targetKey(t)) as PackageFacts);
}
