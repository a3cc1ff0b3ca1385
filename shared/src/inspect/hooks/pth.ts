import { scanText } from '../scanText';
import type { SourceFinding } from '../types';

/*
 * site.py executes every line of a .pth file that starts with `import` followed by a space or tab, at
 * every Python start. The litellm 1.82.8 payload lived in such a line; no mainstream scanner flagged it.
 * A few tools ship well-known lines of this kind; they are recognised only when the whole line, with
 * quoted names masked, equals the known text, so appending a payload to one still reads as critical.
 */

const KNOWN_HOOKS: ReadonlyArray<{ name: string; line: string }> = [
  { name: 'virtualenv', line: "import _virtualenv" },
  {
    name: 'setuptools distutils shim',
    line: "import os; var = 'X'; enabled = os.environ.get(var, 'X') == 'X'; enabled and __import__('X').add_shim();",
  },
  { name: 'setuptools easy-install', line: 'import sys; sys.__plen = len(sys.path)' },
  {
    name: 'setuptools easy-install',
    line: "import sys; new = sys.path[sys.__plen:]; del sys.path[sys.__plen:]; p = getattr(sys, 'X', 0); sys.path[p:p] = new; sys.__egginsert = p + len(new)",
  },
  { name: 'coverage', line: 'import coverage; coverage.process_startup()' },
  {
    name: 'setuptools namespace package',
    line: "import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join(sys._getframe(1).f_locals['X'], *('X',));importlib = has_mfs and __import__('X');has_mfs and __import__('X');m = has_mfs and sys.modules.setdefault('X', importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('X', [os.path.dirname(p)])));m = m or sys.modules.setdefault('X', types.ModuleType('X'));mp = (m or []) and m.__dict__.setdefault('X',[]);(p not in mp) and mp.append(p)",
  },
];

/** Masks quoted names so lines differing only in package names compare equal. */
function mask(line: string): string {
  return line.trim().replace(/'[\w.\-]*'/g, "'X'").replace(/\s+$/, '');
}

const EDITABLE_FINDER = /^import (__editable___[\w.]+_finder); \1\.install\(\)$/;
const EDITABLE_PLAIN = /^import (__editable__[\w.]*)$/;

/** Result of reading one .pth file. */
export interface PthResult {
  findings: SourceFinding[];
  /** Modules the executable lines import by a simple `import name` (to scan them as install-time code). */
  importedModules: string[];
}

/** True when site.py would execute this .pth line. */
export function isExecutablePthLine(line: string): boolean {
  return /^import[ \t]/.test(line);
}

/** Flags executable .pth lines (critical unless a known tool's exact line) and scans them as Python. */
export function inspectPth(file: string, text: string, maxBytes: number, pkg?: string): PthResult {
  const findings: SourceFinding[] = [];
  const importedModules: string[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  const withPkg = (f: SourceFinding): SourceFinding => (pkg !== undefined ? { ...f, package: pkg } : f);
  lines.forEach((raw, lineNo) => {
    if (!isExecutablePthLine(raw)) return;
    const line = raw.replace(/\s+$/, '');
    const known = KNOWN_HOOKS.find((hook) => hook.line === mask(line));
    const editable = EDITABLE_FINDER.exec(line) ?? EDITABLE_PLAIN.exec(line);
    for (const m of line.matchAll(/(?:^|;)\s*import\s+([\w.]+)\s*(?=;|$)/g)) importedModules.push(m[1] ?? '');
    const range = { start: { line: lineNo, character: 0 }, end: { line: lineNo, character: line.length } };
    const excerpt = line.slice(0, 120);
    if (known || editable) {
      const name = known?.name ?? 'editable install finder';
      const message = `executable .pth line runs at every Python start (recognised: ${name})`;
      findings.push(withPkg({ rule: 'pth-known-hook', family: 'install-hook', severity: 'low', file, message, range, matches: [{ rule: 'pth-known-hook', line: lineNo, column: 0, reason: message, excerpt }], score: 1, installTime: true }));
      return;
    }
    const message = 'executable .pth line: site.py runs it at every Python start, even after the install (the litellm 1.82.8 hook)';
    findings.push(withPkg({ rule: 'pth-exec', family: 'install-hook', severity: 'critical', file, message, range, matches: [{ rule: 'pth-exec', line: lineNo, column: 0, reason: message, excerpt }], score: 40, installTime: true }));
  });
  findings.push(...scanText({ file, text, language: 'pth', installTime: true, maxBytes, ...(pkg !== undefined ? { package: pkg } : {}) }).filter((f) => !f.rule.startsWith('install-')));
  return { findings, importedModules: [...new Set(importedModules.filter((m) => m !== ''))] };
}
