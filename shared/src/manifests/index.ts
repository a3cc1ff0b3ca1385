import type { ManifestKind, ParsedManifest } from '../model';

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

/** Parses manifest text. Never throws: problems come back as `errors`. (Filled in by the parser modules.) */
export function parseManifest(kind: ManifestKind, text: string): ParsedManifest {
  void text;
  throw new Error(`parser for ${kind} not implemented`);
}
