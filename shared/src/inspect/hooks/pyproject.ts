import { parse } from 'smol-toml';
import { LineIndex } from '../../text/lineIndex';
import type { SourceFinding } from '../types';
import { siblingPath, type HookResult } from './hookResult';

/**
 * pyproject.toml: a `[build-system]` with `backend-path` runs a build backend shipped inside the sdist
 * (pip imports it to build or even just to read metadata). Noted low, and its module marked install-time.
 */
export function inspectPyproject(file: string, text: string, pkg?: string): HookResult {
  const findings: SourceFinding[] = [];
  const installTimeFiles: string[] = [];
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    return { findings, installTimeFiles };
  }
  const buildSystem = doc['build-system'];
  if (typeof buildSystem !== 'object' || buildSystem === null) return { findings, installTimeFiles };
  const backend = (buildSystem as Record<string, unknown>)['build-backend'];
  const backendPath = (buildSystem as Record<string, unknown>)['backend-path'];
  if (typeof backend !== 'string' || !Array.isArray(backendPath)) return { findings, installTimeFiles };
  const modulePath = (backend.split(':')[0] ?? '').replace(/\./g, '/');
  for (const dir of backendPath) {
    if (typeof dir !== 'string') continue;
    for (const candidate of [`${dir}/${modulePath}.py`, `${dir}/${modulePath}/__init__.py`]) {
      const target = siblingPath(file, candidate);
      if (target !== undefined) installTimeFiles.push(target);
    }
  }
  const offset = Math.max(0, text.search(/^[ \t]*backend-path\b/m));
  const lines = new LineIndex(text);
  const start = lines.positionAt(offset);
  const message = `build backend \`${backend}\` is loaded from the package itself (backend-path ${JSON.stringify(backendPath)}); it runs when pip builds or reads metadata`;
  const finding: SourceFinding = {
    rule: 'in-tree-build-backend',
    family: 'install-hook',
    severity: 'low',
    file,
    message,
    range: { start, end: { line: start.line, character: start.character + 12 } },
    matches: [{ rule: 'in-tree-build-backend', line: start.line, column: start.character, reason: message, excerpt: `backend-path = ${JSON.stringify(backendPath)}` }],
    score: 1,
    installTime: true,
  };
  if (pkg !== undefined) finding.package = pkg;
  findings.push(finding);
  return { findings, installTimeFiles };
}
