import { isWorthKeeping, type ArchiveFiles } from './entries';
import { ArchiveBudget, type ArchiveLimits } from './limits';
import { gunzipCapped, readTar } from './tar';

/** A gem's code and the extension builders its metadata names (they run at `gem install`). */
export interface GemContents {
  files: ArchiveFiles;
  /** Paths from the gemspec's `extensions:` list. */
  extensions: string[];
}

/** Paths listed under `extensions:` in the YAML gemspec inside metadata.gz. */
export function gemExtensions(metadataYaml: string): string[] {
  const block = /^extensions:[ \t]*\n((?:[ \t]*-[ \t]+[^\n]+\n?)+)/m.exec(metadataYaml);
  if (!block?.[1]) return [];
  return block[1]
    .split('\n')
    .map((line) => line.replace(/^[ \t]*-[ \t]+/, '').trim().replace(/^['"]|['"]$/g, ''))
    .filter((line) => line !== '');
}

/** A .gem: a plain tar holding data.tar.gz (the files) and metadata.gz (the gemspec as YAML). */
export async function readGem(bytes: Uint8Array, limits: ArchiveLimits): Promise<GemContents> {
  const budget = new ArchiveBudget(limits, bytes.length);
  const outer = await readTar(bytes, budget, (name) => name === 'data.tar.gz' || name === 'metadata.gz');
  const data = outer.get('data.tar.gz');
  const metadata = outer.get('metadata.gz');
  const files = data ? await readTar(await gunzipCapped(data, budget, 'data.tar.gz'), budget, isWorthKeeping) : new Map<string, Uint8Array>();
  const extensions = metadata ? gemExtensions((await gunzipCapped(metadata, budget, 'metadata.gz')).toString('utf8')) : [];
  return { files, extensions };
}
