/**
 * Reads the install command's `--format json` output: one JSON object per line, each a typed sandbox
 * progress event (shared/src/sandbox/progress.ts); any other JSON object is the run's final report.
 * The child's output is untrusted text, so every field is checked before the editor shows it.
 */
import type { SandboxEvent, SandboxPhase } from '../../../shared/src/protocol';

/** What one output line carried. */
export type ProgressLine =
  | { kind: 'event'; event: SandboxEvent }
  | { kind: 'report'; report: Record<string, unknown> }
  | { kind: 'text'; text: string };

const PHASES: readonly SandboxPhase[] = ['plan', 'image', 'fetch', 'build', 'copy-out', 'verify', 'install'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): value is string {
  return typeof value === 'string';
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/** Checks that a parsed object is a well-formed progress event. */
export function asSandboxEvent(value: Record<string, unknown>): SandboxEvent | undefined {
  switch (value.type) {
    case 'phase':
      return oneOf(value.phase, PHASES) && oneOf(value.state, ['start', 'end', 'failed', 'skipped'] as const)
        ? (value as unknown as SandboxEvent) : undefined;
    case 'package':
      return str(value.ecosystem) && str(value.name) && str(value.state) ? (value as unknown as SandboxEvent) : undefined;
    case 'bytes':
      return oneOf(value.phase, PHASES) && str(value.what) && typeof value.bytes === 'number' ? (value as unknown as SandboxEvent) : undefined;
    case 'log':
      return oneOf(value.phase, PHASES) && str(value.stream) && str(value.line) ? (value as unknown as SandboxEvent) : undefined;
    case 'finding':
      return str(value.package) && oneOf(value.severity, ['critical', 'high', 'medium', 'low'] as const) && str(value.rule) && str(value.message)
        ? (value as unknown as SandboxEvent) : undefined;
    case 'verdict':
      return oneOf(value.verdict, ['installed', 'dry-run', 'blocked', 'failed', 'cancelled'] as const) && str(value.message)
        ? (value as unknown as SandboxEvent) : undefined;
    default:
      return undefined;
  }
}

/** Classifies one line of the child's stdout. Events may also come wrapped as `{ "event": {...} }`. */
export function parseProgressLine(line: string): ProgressLine | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  if (!trimmed.startsWith('{')) return { kind: 'text', text: line };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { kind: 'text', text: line };
  }
  if (!isRecord(parsed)) return { kind: 'text', text: line };
  const candidate = isRecord(parsed.event) ? parsed.event : parsed;
  if (typeof candidate.type === 'string') {
    const event = asSandboxEvent(candidate);
    if (event) return { kind: 'event', event };
    // A malformed event is shown as text rather than trusted or dropped silently.
    if (candidate !== parsed || ['phase', 'package', 'bytes', 'log', 'finding', 'verdict'].includes(candidate.type)) return { kind: 'text', text: line };
  }
  return { kind: 'report', report: parsed };
}
