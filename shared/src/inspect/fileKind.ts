import type { SourceLanguage } from './types';

/** How a file is scanned: its language and whether it runs at install (or interpreter start) on its own. */
export interface FileKind {
  language: SourceLanguage;
  installTime: boolean;
}

const BY_NAME: Record<string, FileKind> = {
  'package.json': { language: 'package-json', installTime: false },
  'pyproject.toml': { language: 'pyproject', installTime: false },
  'setup.cfg': { language: 'setup-cfg', installTime: true },
  'setup.py': { language: 'python', installTime: true },
  'build.rs': { language: 'rust', installTime: true },
  'extconf.rb': { language: 'ruby', installTime: true },
  'binding.gyp': { language: 'gyp', installTime: true },
  Rakefile: { language: 'ruby', installTime: false },
  Gemfile: { language: 'ruby', installTime: false },
};

const BY_EXTENSION: Record<string, FileKind> = {
  '.pth': { language: 'pth', installTime: true },
  '.py': { language: 'python', installTime: false },
  '.pyw': { language: 'python', installTime: false },
  '.js': { language: 'javascript', installTime: false },
  '.cjs': { language: 'javascript', installTime: false },
  '.mjs': { language: 'javascript', installTime: false },
  '.jsx': { language: 'javascript', installTime: false },
  '.ts': { language: 'javascript', installTime: false },
  '.tsx': { language: 'javascript', installTime: false },
  '.mts': { language: 'javascript', installTime: false },
  '.cts': { language: 'javascript', installTime: false },
  '.rs': { language: 'rust', installTime: false },
  '.go': { language: 'go', installTime: false },
  '.rb': { language: 'ruby', installTime: false },
  '.rake': { language: 'ruby', installTime: false },
  // A gemspec is Ruby evaluated by `gem build` and by Bundler for git sources.
  '.gemspec': { language: 'ruby', installTime: true },
  '.sh': { language: 'shell', installTime: false },
  '.bash': { language: 'shell', installTime: false },
  '.zsh': { language: 'shell', installTime: false },
  '.command': { language: 'shell', installTime: false },
  '.ps1': { language: 'shell', installTime: false },
  '.bat': { language: 'shell', installTime: false },
  '.cmd': { language: 'shell', installTime: false },
};

function baseName(filePath: string): string {
  const slash = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  return filePath.slice(slash + 1);
}

/** Type declarations carry no code. */
function isDeclarationFile(name: string): boolean {
  return /\.d\.[cm]?ts$/.test(name);
}

/**
 * Classifies a path by name; `firstLine` (a shebang) decides for files without an extension.
 * Returns undefined for files the scanner skips (docs, data, binaries).
 */
export function classifyFile(filePath: string, firstLine?: string): FileKind | undefined {
  const name = baseName(filePath);
  const byName = BY_NAME[name];
  if (byName) return byName;
  if (isDeclarationFile(name)) return undefined;
  const dot = name.lastIndexOf('.');
  if (dot > 0) return BY_EXTENSION[name.slice(dot).toLowerCase()];
  if (firstLine === undefined || !firstLine.startsWith('#!')) return undefined;
  if (/\bnode\b|\bdeno\b|\bbun\b/.test(firstLine)) return { language: 'javascript', installTime: false };
  if (/\bpython[0-9.]*\b/.test(firstLine)) return { language: 'python', installTime: false };
  if (/\bruby\b/.test(firstLine)) return { language: 'ruby', installTime: false };
  if (/\b(?:ba|z|da|k)?sh\b/.test(firstLine)) return { language: 'shell', installTime: false };
  return undefined;
}

/** True when the name has no extension, so the first line must be read to classify it. */
export function needsShebang(filePath: string): boolean {
  const name = baseName(filePath);
  return BY_NAME[name] === undefined && name.lastIndexOf('.') <= 0;
}
