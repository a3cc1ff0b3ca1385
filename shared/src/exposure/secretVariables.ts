/** Environment variables an install would inherit: named like secrets, shaped like tokens, or pointing at key files. */
import { classifyVariableName, isPlaceholderValue, tokenShapeOf } from './secretShapes';
import type { ExposureItem } from './types';

/** One item per variable worth reporting; values are measured (byte length) but never kept. */
export function scanSecretVariables(env: Readonly<Record<string, string | undefined>>): ExposureItem[] {
  const items: ExposureItem[] = [];
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    const nameClass = classifyVariableName(name);
    const shape = tokenShapeOf(value);
    const base = { id: `secret-variables:$${name}`, category: 'secret-variables' as const, location: `$${name}`, sizeBytes: Buffer.byteLength(value) };
    // A value shaped like a known token is critical whatever the variable is called.
    if (shape !== undefined) {
      items.push({
        ...base,
        severity: 'critical',
        title: `${shape.title} in an environment variable`,
        kind: shape.kind,
        advice: 'Do not export long-lived tokens in your shell; load them per command (e.g. from a secret manager) and rotate this one.',
      });
      continue;
    }
    if (nameClass === 'ordinary' || isPlaceholderValue(value)) continue;
    if (nameClass === 'credential-path') {
      items.push({ ...base, severity: 'low', title: 'Points to a credential file', kind: 'credential-file-variable', advice: 'The file it names is readable by installs too; keep it outside the home folder or delete it when unused.' });
      continue;
    }
    items.push({
      ...base,
      severity: nameClass === 'known-secret' ? 'high' : 'medium',
      title: nameClass === 'known-secret' ? 'Known credential variable is set' : 'Variable named like a secret is set',
      kind: nameClass === 'known-secret' ? 'known-secret-variable' : 'secret-like-variable',
      advice: 'Unset it in shells where you install packages, or scope it to the one command that needs it.',
    });
  }
  return items;
}
