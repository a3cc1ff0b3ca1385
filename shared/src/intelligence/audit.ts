/** `audit`: every signal for one package, its card and an overall verdict. */
import type { SafeInstallConfig } from '../config/schema';
import type { Ecosystem, Finding } from '../model';
import type { RegistryClients } from '../registry/index';
import { packageCard, type PackageCard } from './card';
import { gatherFacts } from './facts';
import { intelligenceSettings } from './settings';
import { signalsFor } from './signals';

/** allow: nothing worth a warning; warn: look before installing; block: do not install. */
export type Verdict = 'allow' | 'warn' | 'block';

/** The whole story of one package. */
export interface AuditReport {
  ecosystem: Ecosystem;
  name: string;
  requested?: string;
  verdict: Verdict;
  findings: Finding[];
  card: PackageCard;
}

/** What an audit needs. */
export interface AuditContext {
  clients: RegistryClients;
  config: SafeInstallConfig;
  signal: AbortSignal;
}

/** Errors block; warnings — and checks that could not be done — warn; otherwise allow. */
export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'block';
  if (findings.some((f) => f.severity === 'warning' || f.rule === 'intelligence-unavailable')) return 'warn';
  return 'allow';
}

const NO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Audits one package; `version` is an exact version or a spec (`^1.2`, `>=2,<3`); none means latest. */
export async function auditPackage(ecosystem: Ecosystem, name: string, version: string | undefined, ctx: AuditContext, options: { deep?: boolean } = {}): Promise<AuditReport> {
  const settings = intelligenceSettings(ctx.config.intelligence);
  const spec = version ?? '';
  const [facts] = await gatherFacts([{ ecosystem, name, spec }], { clients: ctx.clients, settings, signal: ctx.signal, deep: options.deep ?? false });
  if (!facts) throw new Error('no facts gathered');
  const now = ctx.clients.clock.now();
  const findings: Finding[] = signalsFor(facts, settings, now).map((s) => ({
    rule: s.rule,
    severity: s.severity,
    message: s.message,
    ecosystem,
    package: name,
    range: NO_RANGE,
    ...(s.data ? { data: s.data } : {}),
  }));
  const report: AuditReport = { ecosystem, name, verdict: verdictOf(findings), findings, card: packageCard(facts, now) };
  if (version !== undefined) report.requested = version;
  return report;
}
