/** Builds the whole environment-exposure report from an injectable host (the CLI, the panel and tests share it). */
import { scanBrowserWallets, scanCatalogPaths, scanHistories, scanSshAgent, scanSshKeys } from './homeFiles';
import type { ExposureHost } from './host';
import { scanPersistence } from './persistenceScan';
import { probeSandbox } from './sandboxProbe';
import { scanSecretVariables } from './secretVariables';
import { EXPOSURE_CATEGORIES, EXPOSURE_SEVERITIES, type ExposureItem, type ExposureReport, type ExposureSummary } from './types';
import { scanWorkspaceEnvFiles } from './workspaceEnvFiles';

/** What to include beyond the always-on checks. */
export interface CheckEnvironmentOptions {
  /** Run `crontab -l` (a subprocess); default true. */
  crontab?: boolean;
  /** Probe docker and bwrap (subprocesses); default true. */
  probeSandbox?: boolean;
}

/** Counts per severity (every severity present, zero when none). */
export function summarize(items: readonly ExposureItem[]): ExposureSummary {
  const summary = Object.fromEntries(EXPOSURE_SEVERITIES.map((s) => [s, 0])) as ExposureSummary;
  for (const item of items) summary[item.severity] += 1;
  return summary;
}

/** Most severe first, then by category order, then by location: stable output for diffs and tests. */
export function sortItems(items: ExposureItem[]): ExposureItem[] {
  const severityRank = (item: ExposureItem): number => EXPOSURE_SEVERITIES.indexOf(item.severity);
  const categoryRank = (item: ExposureItem): number => EXPOSURE_CATEGORIES.findIndex((c) => c.id === item.category);
  return items.sort((a, b) => severityRank(a) - severityRank(b) || categoryRank(a) - categoryRank(b) || a.location.localeCompare(b.location) || a.id.localeCompare(b.id));
}

/** What a malicious install running as this user could read, and whether installs can be sandboxed here. */
export async function checkEnvironment(host: ExposureHost, options: CheckEnvironmentOptions = {}): Promise<ExposureReport> {
  const rootItems: ExposureItem[] =
    host.uid === 0
      ? [{ id: 'sandbox:root', category: 'sandbox', severity: 'high', title: 'Running as root: an install could read every user’s files', location: 'uid 0', kind: 'running-as-root', advice: 'Run package managers as an unprivileged user.' }]
      : [];
  const [catalog, keys, agent, histories, wallets, workspace, persistence, sandbox] = await Promise.all([
    scanCatalogPaths(host),
    scanSshKeys(host),
    scanSshAgent(host),
    scanHistories(host),
    scanBrowserWallets(host),
    scanWorkspaceEnvFiles(host),
    scanPersistence(host, options.crontab ?? true),
    options.probeSandbox === false
      ? Promise.resolve({ status: { docker: false, bwrap: false, mode: 'vault' as const, reason: 'Sandbox probe skipped.' }, items: [] })
      : probeSandbox(host),
  ]);
  const byId = new Map<string, ExposureItem>();
  for (const item of [...keys, ...agent, ...catalog, ...scanSecretVariables(host.env), ...histories, ...wallets, ...workspace, ...persistence, ...sandbox.items, ...rootItems]) {
    if (!byId.has(item.id)) byId.set(item.id, item);
  }
  const items = sortItems([...byId.values()]);
  return { version: 1, items, summary: summarize(items), sandbox: sandbox.status };
}
