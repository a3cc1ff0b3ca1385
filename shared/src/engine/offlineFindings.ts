import { isAllowed, type SafeInstallConfig } from '../config/schema';
import type { Finding, ParsedManifest } from '../model';
import type { TyposquatDetector } from '../typosquat/detector';

/** What the offline checks need: the popular-name index and the effective config. */
export interface OfflineCheckContext {
  typosquat: TyposquatDetector;
  config: SafeInstallConfig;
}

/**
 * Findings that need no network: parse errors and typosquats. Cheap enough to run on every edit.
 * Only registry dependencies are checked for typosquats (a git or path dependency names no registry package).
 */
export function offlineFindings(manifest: ParsedManifest, ctx: OfflineCheckContext): Finding[] {
  const findings: Finding[] = manifest.errors.map((error) => ({
    rule: 'parse-error',
    severity: 'error',
    message: error.message,
    ecosystem: manifest.ecosystem,
    package: '',
    range: error.range,
  }));
  if (!ctx.config.typosquat.enabled) return findings;
  for (const dep of manifest.dependencies) {
    if (dep.source !== 'registry') continue;
    if (isAllowed(ctx.config.typosquat.allow, dep.ecosystem, dep.normalizedName)) continue;
    const match = ctx.typosquat.check(dep.ecosystem, dep.normalizedName);
    if (!match) continue;
    findings.push({
      rule: 'typosquat',
      severity: 'error',
      message: `'${dep.name}' looks like a typosquat of '${match.intended}': ${match.reason}`,
      ecosystem: dep.ecosystem,
      package: dep.name,
      range: dep.nameRange,
      suggestion: match.intended,
      data: { intended: match.intended, operator: match.operator, name: dep.name, ecosystem: dep.ecosystem },
    });
  }
  return findings;
}
