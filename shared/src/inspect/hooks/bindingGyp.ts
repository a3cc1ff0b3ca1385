import { LineIndex } from '../../text/lineIndex';
import type { SourceFinding } from '../types';

// binding.gyp is read by node-gyp at install; `<!(cmd)` and `<!@(cmd)` run shell commands while it does.

/** Commands almost every addon uses to locate headers. */
const ROUTINE_COMMAND = /^(?:node\s+-[pe]\s+\\?["']require\(\\?['"][\w@/.-]+\\?['"]\)(?:\.[\w]+)*(?:\(\))?\\?["']|pkg-config\s+[\w\s.+-]+)$/;

/** The text of each `<!(...)` command with its offset, parentheses balanced, at most 500 characters. */
export function gypCommands(text: string): Array<{ offset: number; command: string }> {
  const out: Array<{ offset: number; command: string }> = [];
  for (let at = text.indexOf('<!'); at !== -1 && out.length < 200; at = text.indexOf('<!', at + 2)) {
    let i = at + 2;
    if (text[i] === '@') i++;
    if (text[i] !== '(') continue;
    let depth = 0;
    let end = -1;
    for (let j = i; j < Math.min(text.length, i + 500); j++) {
      const ch = text[j];
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        end = j;
        break;
      } else if (ch === '\n') break;
    }
    if (end > i) out.push({ offset: i + 1, command: text.slice(i + 1, end).trim() });
  }
  return out;
}

/** Notes each non-routine command binding.gyp runs at install (the text rules scan the whole file too). */
export function inspectBindingGyp(file: string, text: string, pkg?: string): SourceFinding[] {
  const lines = new LineIndex(text);
  const findings: SourceFinding[] = [];
  for (const { offset, command } of gypCommands(text)) {
    if (ROUTINE_COMMAND.test(command)) continue;
    const start = lines.positionAt(offset);
    const message = `binding.gyp runs \`${command.slice(0, 80)}\` while node-gyp configures the build`;
    const finding: SourceFinding = {
      rule: 'gyp-command',
      family: 'install-hook',
      severity: 'low',
      file,
      message,
      range: { start, end: lines.positionAt(offset + command.length) },
      matches: [{ rule: 'gyp-command', line: start.line, column: start.character, reason: message, excerpt: command.slice(0, 120) }],
      score: 1,
      installTime: true,
    };
    if (pkg !== undefined) finding.package = pkg;
    findings.push(finding);
  }
  return findings;
}
