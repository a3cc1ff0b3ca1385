/** Sandbox limits as written in config (Docker's forms), and how to compare them. */

const MEMORY = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i;
const UNIT_POWER: Record<string, number> = { '': 0, k: 1, m: 2, g: 3, t: 4 };

/** True for sizes such as `512m`, `2g`, `1.5GiB`, `1073741824`. */
export function isMemoryLimit(text: string): boolean {
  return memoryBytes(text) !== undefined;
}

/** The size in bytes (units are powers of 1024, as Docker reads them), or undefined when malformed or zero. */
export function memoryBytes(text: string): number | undefined {
  const match = MEMORY.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const power = UNIT_POWER[(match[2] ?? '').toLowerCase()] ?? 0;
  const bytes = amount * 1024 ** power;
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

/** True for a positive number of CPUs such as `2` or `0.5`. */
export function isCpuLimit(text: string): boolean {
  return cpuCount(text) !== undefined;
}

/** The number of CPUs, or undefined when malformed or not positive. */
export function cpuCount(text: string): number | undefined {
  if (!/^\d+(?:\.\d+)?$/.test(text.trim())) return undefined;
  const count = Number(text);
  return count > 0 ? count : undefined;
}

/** The build area's size cap when no config sets one (the sandbox's own default, 2 GiB). */
export const DEFAULT_DISK_LIMIT = '2g';

/** The build-area cap in bytes: `"0"` (or 0) means no cap and gives 0; undefined when malformed. */
export function diskLimitBytes(text: string): number | undefined {
  if (/^0+(?:\.0+)?$/.test(text.trim())) return 0;
  const bytes = memoryBytes(text);
  return bytes === undefined ? undefined : Math.floor(bytes);
}
