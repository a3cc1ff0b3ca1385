/**
 * The network half of a workspace scan: registry intelligence for every manifest the offline scan read,
 * a few manifests at a time, through one shared DependencyIntelligence (a package named in several
 * manifests is asked about once; each client also bounds its requests per host).
 */
import type { DependencyIntelligence } from './dependencyIntelligence';
import type { WorkspaceScan } from './scanWorkspace';

/** Manifests checked at once; the look-ups inside each are bounded again per host. */
const MANIFEST_CONCURRENCY = 4;

/** What the network stage added. */
export interface RegistryScanSummary {
  /** Findings added across all manifests. */
  added: number;
  /** Dependency lines left unchecked because offline mode had no cached answer for them. */
  offlineUnchecked: number;
}

/** Adds registry findings to each scanned manifest in place. Rejects only when `signal` aborts. */
export async function addRegistryFindings(scan: WorkspaceScan, intelligence: DependencyIntelligence, signal: AbortSignal): Promise<RegistryScanSummary> {
  const summary: RegistryScanSummary = { added: 0, offlineUnchecked: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scan.manifests.length) {
      const item = scan.manifests[next++];
      if (!item) continue;
      const result = await intelligence.check(item.manifest, signal);
      item.findings.push(...result.findings);
      summary.added += result.findings.length;
      summary.offlineUnchecked += result.offlineUnchecked;
    }
  };
  await Promise.all(Array.from({ length: Math.min(MANIFEST_CONCURRENCY, scan.manifests.length) }, worker));
  return summary;
}
