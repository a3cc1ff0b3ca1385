/**
 * Renders sandbox progress as terminal text: ANSI colours, `\r\n` line ends (a Pseudoterminal has no
 * line discipline, so a bare `\n` would not return the cursor), and control characters from package
 * output neutralised so a hostile build log cannot move the cursor, retitle or rewrite the terminal.
 */
import type { SandboxEvent } from '../../../shared/src/protocol';
import { PHASE_LABELS } from './installRun';

const ESC = '\u001b[';
/** ANSI colour wrappers. */
export const paint = {
  bold: (s: string): string => `${ESC}1m${s}${ESC}0m`,
  dim: (s: string): string => `${ESC}2m${s}${ESC}0m`,
  red: (s: string): string => `${ESC}31m${s}${ESC}0m`,
  green: (s: string): string => `${ESC}32m${s}${ESC}0m`,
  yellow: (s: string): string => `${ESC}33m${s}${ESC}0m`,
  blue: (s: string): string => `${ESC}34m${s}${ESC}0m`,
  magenta: (s: string): string => `${ESC}35m${s}${ESC}0m`,
  cyan: (s: string): string => `${ESC}36m${s}${ESC}0m`,
};

/** Replaces C0/C1 control characters (ESC included) with visible placeholders; tabs become spaces. */
export function neutralize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\t/g, '  ').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\u001b' ? '^[' : '\uFFFD'));
}

/** Joins lines into terminal text, each ending in `\r\n`. */
export function toTerminalLines(lines: readonly string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}

function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ` ${paint.dim(`(${(ms / 1000).toFixed(1)} s)`)}`;
}

const SEVERITY_PAINT = { critical: paint.red, high: paint.red, medium: paint.yellow, low: paint.blue } as const;

/** One event as terminal text (without the final line end); undefined for events not worth a line. */
export function renderEvent(event: SandboxEvent): string | undefined {
  switch (event.type) {
    case 'phase': {
      const label = PHASE_LABELS[event.phase];
      const network = event.network !== undefined ? paint.dim(` [network: ${neutralize(event.network)}]`) : '';
      const detail = event.detail !== undefined ? ` ${paint.dim(`— ${neutralize(event.detail)}`)}` : '';
      if (event.state === 'start') return `${paint.cyan('▶')} ${paint.bold(label)}${network}${detail}`;
      if (event.state === 'end') return `${paint.green('✔')} ${label}${seconds(event.ms)}${detail}`;
      if (event.state === 'skipped') return `${paint.dim('–')} ${paint.dim(`${label} skipped`)}${detail}`;
      return `${paint.red('✖')} ${paint.red(`${label} failed`)}${seconds(event.ms)}${detail}`;
    }
    case 'package': {
      const version = event.version !== undefined ? `@${neutralize(event.version)}` : '';
      const detail = event.detail !== undefined ? ` ${paint.dim(neutralize(event.detail))}` : '';
      const state = event.state === 'wants-scripts' ? paint.yellow(event.state) : paint.magenta(event.state);
      return `  ${state} ${neutralize(event.name)}${version}${detail}`;
    }
    case 'bytes': {
      // Only completed transfers get a line; partial counts would flood the terminal.
      if (event.total === undefined || event.bytes < event.total) return undefined;
      return `  ${paint.dim(`${neutralize(event.what)}: ${humanBytes(event.bytes)}`)}`;
    }
    case 'log': {
      const line = neutralize(event.line);
      if (event.stream === 'stderr') return `  ${paint.dim('│')} ${paint.yellow(line)}`;
      if (event.stream === 'warning') return `  ${paint.yellow(`⚠ ${line}`)}`;
      if (event.stream === 'info') return `  ${paint.blue(line)}`;
      return `  ${paint.dim('│')} ${line}`;
    }
    case 'finding': {
      const color = SEVERITY_PAINT[event.severity];
      const where = event.file !== undefined ? paint.dim(` (${neutralize(event.file)})`) : '';
      return `  ${color(`● ${event.severity.toUpperCase()}`)} ${neutralize(event.package)}: ${neutralize(event.message)} ${paint.dim(`[${neutralize(event.rule)}]`)}${where}`;
    }
    case 'verdict': {
      const message = neutralize(event.message);
      if (event.verdict === 'installed') return `\r\n${paint.green(paint.bold(`✔ Installed: ${message}`))}`;
      if (event.verdict === 'dry-run') return `\r\n${paint.green(paint.bold(`✔ Dry run finished: ${message}`))}`;
      if (event.verdict === 'cancelled') return `\r\n${paint.yellow(paint.bold(`■ Cancelled: ${message}`))}`;
      if (event.verdict === 'blocked') return `\r\n${paint.red(paint.bold(`✖ Blocked: ${message}`))}`;
      return `\r\n${paint.red(paint.bold(`✖ Failed: ${message}`))}`;
    }
  }
}
