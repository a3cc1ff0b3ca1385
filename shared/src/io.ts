/** I/O the engine needs, behind small interfaces so the core runs in plain Node tests. */

/** Reads text files; the CLI and the server give it the real file system, tests give it a map. */
export interface TextFileReader {
  /** Resolves to the file's text, or rejects (ENOENT etc.) */
  readText(filePath: string): Promise<string>;
}

/** The errno-style `code` of a thrown value (`ENOENT`, `EACCES`, …), or undefined when it has no string code. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
