import type { ManifestKind, ParsedManifest } from '../model';
import { parseCargoToml } from './cargo';
import { parseGemfile } from './gemfile';
import { parseGoMod } from './goMod';
import { parsePackageJson } from './packageJson';
import { parsePyproject } from './pyproject';
import { parseRequirements } from './requirements';

/** The manifest kind a file name denotes, or undefined for files the engine does not read. */
export function manifestKindForPath(filePath: string): ManifestKind | undefined {
  const base = filePath.split(/[\\/]/).pop() ?? '';
  if (/^(requirements|constraints)([-_.][^/\\]*)?\.(txt|in)$/i.test(base)) return 'requirements';
  if (/^requirements$/i.test(base)) return undefined;
  if (base === 'pyproject.toml') return 'pyproject';
  if (base === 'package.json') return 'package-json';
  if (base === 'Cargo.toml') return 'cargo';
  if (base === 'go.mod') return 'go-mod';
  if (base === 'Gemfile' || base === 'gems.rb') return 'gemfile';
  return undefined;
}

const PARSERS: Record<ManifestKind, (text: string) => ParsedManifest> = {
  requirements: (text) => parseRequirements(text),
  pyproject: parsePyproject,
  'package-json': parsePackageJson,
  cargo: parseCargoToml,
  'go-mod': parseGoMod,
  gemfile: parseGemfile,
};

/** Parses manifest text. Never throws: an unexpected parser failure becomes a parse error at the top of the file. */
export function parseManifest(kind: ManifestKind, text: string): ParsedManifest {
  try {
    return PARSERS[kind](text);
  } catch (error) {
    const ecosystem = ({ requirements: 'PyPI', pyproject: 'PyPI', 'package-json': 'npm', cargo: 'crates.io', 'go-mod': 'Go', gemfile: 'RubyGems' } as const)[kind];
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind,
      ecosystem,
      dependencies: [],
      errors: [{ message: `internal parser error: ${message}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
    };
  }
}
