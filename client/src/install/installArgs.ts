/**
 * The `safe-install install` argument list for a request (pure, tested). Package requests are validated
 * with the sandbox's own grammar first, so nothing that reads as an option, a path or a URL is passed on.
 */
import path from 'node:path';
import type { Dependency } from '../../../shared/src/model';
import { parsePackageRequest } from '../../../shared/src/sandbox/names';
import { cliEcosystem } from './ecosystems';
import type { InstallRequest } from './installRun';

/** Editor settings that shape an install (read at each run, so changes apply at once). */
export interface InstallSettings {
  sandboxEnabled: boolean;
  binaryOnly: boolean;
  /** Tighter container limits than safe-install.toml ('' / 0: the config's own). */
  memoryLimit?: string;
  cpuLimit?: string;
  timeoutSeconds?: number;
  /** Extra credential paths and variables hidden when an install runs without the sandbox. */
  vaultPaths?: string[];
  vaultEnvVars?: string[];
  /** Hosts the sandbox's fetch phase may reach besides the registries (your `network.allowedHosts`). */
  allowedHosts?: string[];
  /** pip: the interpreter the Python extension is set to use for this folder (`python.defaultInterpreterPath`). */
  pythonInterpreter?: string;
}

/** The argv after `cli.js`. Throws InvalidPackageError for a request that fails validation. */
export function installCliArgs(request: InstallRequest, settings: InstallSettings): string[] {
  // The report comes on stdout as JSON; progress as one JSON event per stderr line.
  const args = ['install', '-e', cliEcosystem(request.ecosystem), '--format', 'json', '--progress', 'json'];
  if (request.dryRun) args.push('--dry-run');
  if (!settings.sandboxEnabled) args.push('--no-sandbox');
  // --binary-only is a pip option; the CLI refuses it for other ecosystems.
  if (settings.binaryOnly && request.ecosystem === 'PyPI') args.push('--binary-only');
  // The CLI only ever lowers the configured limits with these, so a setting cannot loosen the project's.
  if (settings.memoryLimit?.trim()) args.push('--memory', settings.memoryLimit.trim());
  if (settings.cpuLimit?.trim()) args.push('--cpus', settings.cpuLimit.trim());
  if (settings.timeoutSeconds !== undefined && Number.isInteger(settings.timeoutSeconds) && settings.timeoutSeconds > 0) args.push('--timeout', String(settings.timeoutSeconds));
  // `--flag=value`: a value starting with '-' can never be read as another option.
  for (const p of settings.vaultPaths ?? []) args.push(`--vault-path=${p}`);
  for (const name of settings.vaultEnvVars ?? []) args.push(`--vault-env=${name}`);
  for (const host of settings.allowedHosts ?? []) args.push(`--allow-host=${host}`);
  if (request.ecosystem === 'PyPI' && settings.pythonInterpreter) args.push(`--python=${settings.pythonInterpreter}`);
  // `--` ends the options: even a validated name can never be read as one.
  args.push('--', ...request.packages.map((p) => parsePackageRequest(request.ecosystem, p).argument));
  return args;
}

/** How a manifest dependency is written as a request (`name==1.0`, `name@^1`, `path@v1.2.3`). */
export function dependencyRequest(dep: Pick<Dependency, 'ecosystem' | 'name' | 'spec'>): string {
  const spec = dep.spec.trim();
  if (spec === '' || spec === '*') return dep.name;
  switch (dep.ecosystem) {
    case 'PyPI':
      return `${dep.name}${/^[0-9]/.test(spec) ? `==${spec}` : spec.replace(/\s+/g, '')}`;
    case 'RubyGems':
      return `${dep.name}:${spec}`;
    default:
      return `${dep.name}@${spec}`;
  }
}

/** Registry dependencies of a manifest as validated requests; the rest are returned with the reason. */
export function manifestRequests(deps: readonly Dependency[]): { requests: string[]; skipped: string[] } {
  const requests: string[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const dep of deps) {
    if (dep.source !== 'registry' || ['constraint', 'exclude', 'retract', 'replace', 'toolchain', 'override'].includes(dep.kind)) continue;
    const text = dependencyRequest(dep);
    if (seen.has(text)) continue;
    seen.add(text);
    try {
      parsePackageRequest(dep.ecosystem, text);
      requests.push(text);
    } catch (error) {
      // Fall back to the bare name: the sandbox resolves a version, the user sees why in the list.
      try {
        parsePackageRequest(dep.ecosystem, dep.name);
        requests.push(dep.name);
        skipped.push(`${dep.name}: version '${dep.spec}' not understood, latest requested (${error instanceof Error ? error.message : String(error)})`);
      } catch (nameError) {
        skipped.push(nameError instanceof Error ? nameError.message : String(nameError));
      }
    }
  }
  return { requests, skipped };
}

/**
 * The interpreter from the Python extension's `python.defaultInterpreterPath` for a folder, or undefined for its
 * default (a bare `python`/`python3`, which the CLI's own search — $VIRTUAL_ENV, ./.venv, PATH — handles better).
 */
export function pythonInterpreterFromSetting(value: string | undefined, folder: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text || /^python3?$/.test(text)) return undefined;
  const expanded = folder === undefined ? text : text.split('${workspaceFolder}').join(folder);
  if (expanded.includes('${')) return undefined;
  if (folder !== undefined && !path.isAbsolute(expanded)) return path.join(folder, expanded);
  return expanded;
}
