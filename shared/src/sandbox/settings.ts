/**
 * The npm install-script allow-list a project's own package.json declares (`allowScripts`, pnpm
 * `onlyBuiltDependencies`): the project's decision about its own dependencies. Images, the fetch network
 * and the user's own allow-list come from the user config through shared/src/config/installerSettings.ts.
 */

/** npm packages a project's package.json allows to run install scripts (`allowScripts`, pnpm `onlyBuiltDependencies`). */
export function packageJsonScriptAllowList(text: string | undefined): string[] {
  if (text === undefined) return [];
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const out: string[] = [];
  const allowScripts = data['allowScripts'];
  // npm's allowScripts: { "name": true } or { "name@range": true }.
  if (typeof allowScripts === 'object' && allowScripts !== null) {
    for (const [key, value] of Object.entries(allowScripts)) {
      if (value !== true) continue;
      const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
      out.push(at > 0 ? key.slice(0, at) : key);
    }
  }
  const pnpm = data['pnpm'];
  if (typeof pnpm === 'object' && pnpm !== null) {
    const only = (pnpm as Record<string, unknown>)['onlyBuiltDependencies'];
    if (Array.isArray(only)) out.push(...only.filter((a): a is string => typeof a === 'string'));
  }
  return [...new Set(out)];
}
