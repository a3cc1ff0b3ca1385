/** Small readers for untrusted JSON: wrong types read as absent instead of throwing deep inside a client. */

/** The value as a plain object, or undefined. */
export function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The value as an array, or []. */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value as a string, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value as a finite number, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** An ISO date string as a Date, or undefined. */
export function date(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A repository field (npm's string or `{url}`) as a plain https URL where possible. */
export function repositoryUrl(value: unknown): string | undefined {
  const raw = typeof value === 'string' ? value : str(obj(value)?.url);
  if (!raw || !raw.trim()) return undefined;
  return raw
    .trim()
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^ssh:\/\/git@/, 'https://')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/^github:/, 'https://github.com/')
    .replace(/^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)$/, 'https://github.com/$1')
    .replace(/\.git$/, '');
}
