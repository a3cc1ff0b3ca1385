/**
 * Typed progress of one sandboxed install, from plan to verdict. The CLI renders these as a live
 * display or plain lines; the editor will render them in its terminal and tree view.
 */
import type { Ecosystem } from '../model';

/** The stages of a sandboxed install, in order. */
export type SandboxPhase = 'plan' | 'image' | 'fetch' | 'build' | 'copy-out' | 'verify' | 'install';

/** Docker network mode a container phase ran with (`none` whenever package code may run). */
export type PhaseNetwork = 'none' | 'bridge' | 'host' | string;

/** A phase started or ended; container phases say which network they had. */
export interface PhaseEvent {
  type: 'phase';
  phase: SandboxPhase;
  state: 'start' | 'end' | 'failed' | 'skipped';
  network?: PhaseNetwork;
  /** Wall-clock milliseconds, on `end`/`failed`. */
  ms?: number;
  /** One-line explanation (why skipped, what failed, what ran). */
  detail?: string;
}

/** A package was resolved, fetched, built or installed. */
export interface PackageEvent {
  type: 'package';
  ecosystem: Ecosystem;
  name: string;
  version?: string;
  state: 'resolved' | 'fetched' | 'built' | 'verified' | 'installed' | 'wants-scripts' | 'scripts-allowed';
  detail?: string;
}

/** Bytes moved (image pull, copy out). `total` when known. */
export interface BytesEvent {
  type: 'bytes';
  phase: SandboxPhase;
  what: string;
  bytes: number;
  total?: number;
}

/** One line of output from a package manager running in the sandbox (or from the host installer). */
export interface LogEvent {
  type: 'log';
  phase: SandboxPhase;
  stream: 'stdout' | 'stderr' | 'info' | 'warning';
  line: string;
}

/** A scanner or policy finding about an artifact. */
export interface FindingEvent {
  type: 'finding';
  ecosystem: Ecosystem;
  package: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  rule: string;
  file?: string;
  message: string;
}

/** The outcome of the whole run. */
export interface VerdictEvent {
  type: 'verdict';
  verdict: 'installed' | 'dry-run' | 'blocked' | 'failed' | 'cancelled';
  message: string;
}

/** Every progress event a sandboxed install emits. */
export type SandboxEvent = PhaseEvent | PackageEvent | BytesEvent | LogEvent | FindingEvent | VerdictEvent;

/** Receives progress events; must not throw (a throwing sink is ignored). */
export type ProgressSink = (event: SandboxEvent) => void;

/** A sink that drops everything. */
export const NO_PROGRESS: ProgressSink = () => undefined;

/** Wraps a sink so an exception in a renderer never breaks the install. */
export function safeSink(sink: ProgressSink): ProgressSink {
  return (event) => {
    try {
      sink(event);
    } catch {
      // A broken renderer must not abort a half-done install; the report still carries everything.
    }
  };
}
