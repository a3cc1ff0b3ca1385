/**
 * Findings that need the network, for every registry dependency of a manifest. Slow by nature: the
 * language server shows offline findings first and these when they arrive.
 */
import type { SafeInstallConfig } from '../config/schema';
import type { Dependency, Ecosystem, Finding, ParsedManifest } from '../model';
import type { RegistryClients } from '../registry/index';
import type { RegistryClient } from '../registry/types';
import { PypiClient } from '../registry/clients/pypi';
import { RubyGemsClient } from '../registry/clients/rubygems';
import { packageCard, type PackageCard } from './card';
import { gatherFacts, type PackageFacts, type Target } from './facts';
import { intelligenceSettings } from './settings';
import { signalsFor } from './signals';

/** What the network checks need. */
export interface NetworkCheckContext {
  clients: RegistryClients;
  config: SafeInstallConfig;
  signal: AbortSignal;
}

/** Findings plus a card per package (keyed `ecosystem:normalizedName`) for hovers. */
export interface NetworkIntelligence {
  findings: Finding[];
  cards: Map<string, PackageCard>;
}

// These kinds name versions to avoid or toolchains, not packages that get installed.
const SKIPPED_KINDS = new Set(['exclude', 'retract', 'toolchain']);

/** Whether the network checks look this dependency up (registry packages only; not excludes, retracts, toolchains). */
export function isLookedUp(dep: Dependency): boolean {
  return dep.source === 'registry' && !SKIPPED_KINDS.has(dep.kind) && dep.name !== '';
}

function targetOf(dep: Dependency): Target {
  return { ecosystem: dep.ecosystem, name: dep.name, spec: dep.spec };
}

/** Clients that also consult the indexes the manifest itself names (`--index-url`, Gemfile `source`). */
function manifestOverrides(manifest: ParsedManifest, clients: RegistryClients): Partial<Record<Ecosystem, RegistryClient>> {
  const options = manifest.registryOptions ?? [];
  const values = (names: string[]): string[] => options.filter((o) => names.includes(o.option.replace(/^-+/, ''))).map((o) => o.value.trim().replace(/(.)\/+$/, '$1')).filter(Boolean);
  const urls = (names: string[]): string[] => values(names).filter((v) => /^https?:\/\//.test(v));
  const out: Partial<Record<Ecosystem, RegistryClient>> = {};
  // The PyPI client reads file:// URLs and folders itself (and names other schemes as unsupported).
  const pypi = values(['index-url', 'i', 'extra-index-url']);
  const pypiFindLinks = values(['find-links', 'f']);
  const pypiClient = clients.registries.PyPI;
  if ((pypi.length > 0 || pypiFindLinks.length > 0) && pypiClient instanceof PypiClient) out.PyPI = pypiClient.withIndexes(pypi, pypiFindLinks);
  const gems = urls(['source']);
  const gemClient = clients.registries.RubyGems;
  if (gems.length > 0 && gemClient instanceof RubyGemsClient) out.RubyGems = gemClient.withSources(gems);
  return out;
}

/** Network findings and package cards for a manifest. Rejects only when `signal` aborts. */
export async function networkIntelligence(manifest: ParsedManifest, ctx: NetworkCheckContext): Promise<NetworkIntelligence> {
  const settings = intelligenceSettings(ctx.config.intelligence);
  const deps = manifest.dependencies.filter(isLookedUp);
  if (!settings.enabled || deps.length === 0) return { findings: [], cards: new Map() };
  const facts = await gatherFacts(deps.map(targetOf), { clients: ctx.clients, settings, signal: ctx.signal, overrides: manifestOverrides(manifest, ctx.clients) });
  const now = ctx.clients.clock.now();
  const findings: Finding[] = [];
  const cards = new Map<string, PackageCard>();
  for (const [i, dep] of deps.entries()) {
    const fact = facts[i] as PackageFacts;
    cards.set(`${dep.ecosystem}:${dep.normalizedName}`, packageCard(fact, now));
    for (const signal of signalsFor(fact, settings, now)) {
      const finding: Finding = {
        rule: signal.rule,
        severity: signal.severity,
        message: signal.message,
        ecosystem: dep.ecosystem,
        package: dep.name,
        range: signal.aboutVersion && dep.specRange ? dep.specRange : dep.nameRange,
        data: { ...signal.data, name: dep.name, ecosystem: dep.ecosystem, ...(fact.resolvedVersion ? { resolvedVersion: fact.resolvedVersion } : {}) },
      };
      findings.push(finding);
    }
  }
  return { findings, cards };
}

/** The network findings for a manifest (see `networkIntelligence` for the cards too). */
export async function networkFindings(manifest: ParsedManifest, ctx: NetworkCheckContext): Promise<Finding[]> {
  return (await networkIntelligence(manifest, ctx)).findings;
}
