import nodePath from 'node:path';
import type { ParsedManifest, Range } from '../model';
import { errorCode, type TextFileReader } from '../io';
import { isConstraintsFileName, parseRequirements } from './requirements';

/** One file of a requirements tree. */
export interface RequirementsTreeFile {
  /** Resolved path of the file. */
  path: string;
  /** Its parse; problems with its own `-r`/`-c` lines (missing file, cycle, limits) are in its `errors`. */
  manifest: ParsedManifest;
  /** 'constraints' when reached through `-c` (or the root is `constraints*.txt`): its dependencies have kind 'constraint'. */
  kind: 'requirements' | 'constraints';
  /** 0 for the root. */
  depth: number;
  /** The file and include line that first brought this file in; absent for the root. */
  includedFrom?: { path: string; range: Range };
}

/** A requirements file and everything it includes, in pip's reading order (depth first). */
export interface RequirementsTree {
  files: RequirementsTreeFile[];
  /** True when `maxFiles` or `maxDepth` stopped the walk somewhere (an error says where). */
  truncated: boolean;
}

export interface RequirementsTreeOptions {
  /** Deepest include chain followed (root = 0). Default 10. */
  maxDepth?: number;
  /** Most files read, root included. Default 100. */
  maxFiles?: number;
  /** Text of the root when it differs from the disk (an unsaved editor buffer). */
  rootText?: string;
  /** Path flavour; defaults to the platform's. Tests pass `path.posix` or `path.win32`. */
  pathApi?: nodePath.PlatformPath;
}

/** A URL include (`-r https://…`) is pip's business; the editor never fetches it. */
function isRemote(include: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(include);
}

function errorText(error: unknown): string {
  return errorCode(error) ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Reads `rootPath` and follows its `-r`/`-c` includes relative to each including file. Cycles,
 * missing files and the depth/file limits become errors on the include line that causes them; nothing
 * is read twice. Rejects only when the root itself cannot be read.
 */
export async function resolveRequirementsTree(
  rootPath: string,
  reader: TextFileReader,
  options: RequirementsTreeOptions = {},
): Promise<RequirementsTree> {
  const p = options.pathApi ?? nodePath;
  const maxDepth = options.maxDepth ?? 10;
  const maxFiles = options.maxFiles ?? 100;
  const tree: RequirementsTree = { files: [], truncated: false };
  const seen = new Set<string>();
  const root = p.resolve(rootPath);
  const rootText = options.rootText ?? (await reader.readText(root));

  const visit = async (
    filePath: string,
    text: string,
    kind: 'requirements' | 'constraints',
    depth: number,
    ancestors: readonly string[],
    includedFrom?: { path: string; range: Range },
  ): Promise<void> => {
    const manifest = parseRequirements(text, { constraints: kind === 'constraints' });
    const file: RequirementsTreeFile = { path: filePath, manifest, kind, depth };
    if (includedFrom !== undefined) file.includedFrom = includedFrom;
    tree.files.push(file);
    seen.add(`${kind}\0${filePath}`);
    const chain = [...ancestors, filePath];
    for (const include of manifest.includes ?? []) {
      if (include.path === '' || isRemote(include.path)) continue;
      const target = p.resolve(p.dirname(filePath), include.path);
      // pip: `-c` makes a constraints file, `-r` a requirements file, whatever the including file was.
      const childKind = include.kind;
      if (chain.includes(target)) {
        const names = [...chain.slice(chain.indexOf(target)), target].map((f) => p.basename(f));
        manifest.errors.push({ message: `include cycle: ${names.join(' -> ')}`, range: include.range });
        continue;
      }
      if (seen.has(`${childKind}\0${target}`)) continue;
      if (depth + 1 > maxDepth) {
        tree.truncated = true;
        manifest.errors.push({ message: `includes nested deeper than ${maxDepth} files; '${include.path}' not read`, range: include.range });
        continue;
      }
      if (tree.files.length >= maxFiles) {
        tree.truncated = true;
        manifest.errors.push({ message: `more than ${maxFiles} included files; '${include.path}' not read`, range: include.range });
        continue;
      }
      let childText: string;
      try {
        childText = await reader.readText(target);
      } catch (error) {
        manifest.errors.push({ message: `cannot read included file '${include.path}' (${errorText(error)})`, range: include.range });
        continue;
      }
      await visit(target, childText, childKind, depth + 1, chain, { path: filePath, range: include.range });
    }
  };

  await visit(root, rootText, isConstraintsFileName(root) ? 'constraints' : 'requirements', 0, []);
  return tree;
}
