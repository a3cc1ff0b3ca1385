import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The file-system path of a `file:` URI, or undefined for other schemes (untitled, virtual workspaces). */
export function uriToFilePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The `file:` URI of an absolute path. */
export function filePathToUri(filePath: string): string {
  return pathToFileURL(filePath).href;
}

/** The decoded path part of any URI; enough to tell a manifest by its file name in any scheme. */
export function uriPath(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

/** The URI of `name` inside the folder `folderUri` (any scheme). */
export function childUri(folderUri: string, name: string): string {
  const filePath = uriToFilePath(folderUri);
  if (filePath !== undefined) return filePathToUri(path.join(filePath, name));
  return `${folderUri.replace(/\/+$/, '')}/${encodeURIComponent(name)}`;
}

/** The URI of the folder containing `uri`. */
export function parentUri(uri: string): string {
  const filePath = uriToFilePath(uri);
  if (filePath !== undefined) return filePathToUri(path.dirname(filePath));
  return uri.replace(/\/[^/]*$/, '');
}
