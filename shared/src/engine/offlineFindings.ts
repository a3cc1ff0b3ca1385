import { isAllowed, type SafeInstallConfig } from '../config/schema';
import type { Finding, ParsedManifest, Severity } from '../model';
import type { TyposquatConfidence, TyposquatDetector } from '../typosquat/detector';

/** How sure a typosquat match is decides how loudly it is reported; older detectors give no confidence (treated as high). */
const SEVERITY_BY_CONFIDENCE: Record<TyposquatConfidence, Severity> = { high: 'error', medium: 'warning', low: 'information' };

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
    const match = ctx.typosquat.check(dep.ecosystem, dep.normalizedName, dep.name);
    if (!match) continue;
    findings.push({
      rule: 'typosquat',
      severity: SEVERITY_BY_CONFIDENCE[match.confidence ?? 'high'],
      // A wrong pick (a deprecated stub such as PyPI `sklearn`) or an import name written as a project
      // (`cv2`) is advice, not an accusation of squatting.
      message:
        match.operator === 'wrong-pick' || match.operator === 'import-name'
          ? match.reason
          : `'${dep.name}' looks like a typosquat of '${match.intended}'. ${match.reason}`,
      ecosystem: dep.ecosystem,
      package: dep.name,
      range: dep.nameRange,
      suggestion: match.intended,
      data: {
        intended: match.intended,
        operator: match.operator,
        confidence: match.confidence ?? 'high',
        name: dep.name,
        ecosystem: dep.ecosystem,
      },
    });
  }
  return findings;
}
