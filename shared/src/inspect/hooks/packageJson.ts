import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { LineIndex } from '../../text/lineIndex';
import { scanText } from '../scanText';
import { escalate, severityRank, type SourceFinding, type SourceSeverity } from '../types';
import { siblingPath, type HookResult } from './hookResult';

/** Scripts npm runs when a package is installed (prepare: for git dependencies and local installs). */
export const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'] as const;

/** How the package.json is used: a registry tarball never runs `prepare`; a local project or git dependency does. */
export interface PackageJsonContext {
  fromRegistry?: boolean;
}

const DEPENDENCY_SECTIONS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'] as const;

/** Commands every native-addon or git-hook setup uses; alone they are not worth a note. */
const ROUTINE_STEP =
  /^(?:node-gyp(?:-build(?:-optional-packages)?)?(?:\s+(?:rebuild|configure|build))?(?:\s+--[\w-]+(?:=\S+)?)*|prebuild-install(?:\s+-{1,2}[\w-]+(?:=\S+)?)*|node-pre-gyp\s+install(?:\s+--[\w-]+(?:=\S+)?)*|husky(?:\s+install)?|is-ci|patch-package|tsc(?:\s+-[\w-]+(?:\s+\S+)?)*|(?:npm\s+run|yarn|pnpm(?:\s+run)?)\s+[\w:-]+|opencollective(?:-postinstall)?(?:\s+postinstall)?|exit\s+0|true|echo(?:\s+[^;&|`$]*)?)$/;

/** Files a script runs: `node install.js`, `sh ./setup.sh`, `python x.py`. */
const SCRIPT_FILE = /(?:^|[\s"'=(])((?:\.\/)?[\w@-][\w@./-]{0,200}\.(?:cjs|mjs|js|sh|py|rb))(?=$|[\s"');&|])/g;

function isRoutine(command: string): boolean {
  const steps = command.split(/\s*(?:&&|\|\||;)\s*/).filter((s) => s.trim() !== '');
  return steps.length > 0 && steps.every((step) => ROUTINE_STEP.test(step.trim()));
}

function stringAt(root: Node, path: (string | number)[]): Node | undefined {
  const node = findNodeAtLocation(root, path);
  return node?.type === 'string' ? node : undefined;
}

/**
 * Reads package.json: lifecycle scripts (noted, scanned as shell/JS, and the files they run marked
 * install-time) and http(s) URL dependencies. Never throws; broken JSON yields what can be read.
 */
export function inspectPackageJson(file: string, text: string, maxBytes: number, pkg?: string, context: PackageJsonContext = {}): HookResult {
  const findings: SourceFinding[] = [];
  const installTimeFiles: string[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, [], { allowTrailingComma: true });
  } catch {
    return { findings, installTimeFiles };
  }
  if (!root) return { findings, installTimeFiles };
  const lines = new LineIndex(text);
  const base = (rule: string, severity: SourceSeverity, message: string, node: Node, excerpt: string): SourceFinding => {
    const start = lines.positionAt(node.offset + 1);
    const result: SourceFinding = {
      rule,
      family: rule === 'url-dependency' ? 'url-dependency' : 'install-hook',
      severity,
      file,
      message,
      range: { start, end: lines.positionAt(node.offset + node.length - 1) },
      matches: [{ rule, line: start.line, column: start.character, reason: message, excerpt: excerpt.slice(0, 120) }],
      score: severityRank(severity) * 10 + 1,
      installTime: true,
    };
    if (pkg !== undefined) result.package = pkg;
    return result;
  };

  for (const name of LIFECYCLE_SCRIPTS) {
    if (name === 'prepare' && context.fromRegistry) continue;
    const node = stringAt(root, ['scripts', name]);
    if (!node || typeof node.value !== 'string') continue;
    const command = node.value;
    if (!isRoutine(command)) findings.push(base('install-script', 'low', `runs \`${command.slice(0, 80)}\` at ${name}`, node, command));
    const origin = lines.positionAt(node.offset + 1);
    const scanned = new Map<string, SourceFinding>();
    const languages = /\bnode\s+(?:-e|--eval|-p|--print)\b/.test(command) ? (['shell', 'javascript'] as const) : (['shell'] as const);
    for (const language of languages) {
      for (const f of scanText({ file, text: command, language, installTime: true, maxBytes, origin, ...(pkg !== undefined ? { package: pkg } : {}) })) {
        if (f.rule.startsWith('install-')) continue; // the install-script note already says it runs
        const key = f.rule;
        const seen = scanned.get(key);
        if (!seen || f.score > seen.score) scanned.set(key, { ...f, message: `${name} script ${f.message}` });
      }
    }
    findings.push(...scanned.values());
    for (const m of command.matchAll(SCRIPT_FILE)) {
      const target = siblingPath(file, m[1] ?? '');
      if (target !== undefined && !installTimeFiles.includes(target)) installTimeFiles.push(target);
    }
  }

  for (const section of DEPENDENCY_SECTIONS) {
    const deps = findNodeAtLocation(root, [section]);
    if (deps?.type !== 'object') continue;
    for (const prop of deps.children ?? []) {
      const key = prop.children?.[0];
      const value = prop.children?.[1];
      if (!key || value?.type !== 'string' || typeof value.value !== 'string') continue;
      const spec = value.value.trim();
      if (!/^https?:\/\//i.test(spec)) continue;
      const plain = /^http:/i.test(spec);
      const severity: SourceSeverity = plain ? escalate('medium', 1) : 'medium';
      const why = plain ? 'over plain HTTP (anyone on the path can swap it)' : 'from a URL, bypassing the registry and its malware takedowns';
      findings.push(base('url-dependency', severity, `${section} "${String(key.value)}" is fetched ${why}`, value, spec));
    }
  }
  return { findings, installTimeFiles };
}
