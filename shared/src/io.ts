/** I/O the engine needs, behind small interfaces so the core runs in plain Node tests. */

/** Reads text files; the CLI and the server give it the real file system, tests give it a map. */
export interface TextFileReader {
  /** Resolves to the file's text, or rejects (ENOENT etc.) */
  readText(filePath: string): Promise<string>;
}
