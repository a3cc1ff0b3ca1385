/** The environment a package manager gets under the vault: ours minus every credential-looking variable. */
import { classifyVariableName, tokenShapeOf } from '../exposure/secretShapes';

/** Variables that grant access without looking like secrets: agent sockets and helpers. */
const ACCESS_VARIABLES = new Set(['SSH_AUTH_SOCK', 'SSH_AGENT_PID', 'GPG_AGENT_INFO', 'SSH_ASKPASS', 'GIT_ASKPASS', 'SUDO_ASKPASS', 'DBUS_SESSION_BUS_ADDRESS', 'KRB5CCNAME', 'VAULT_ADDR']);

/** A filtered copy of `env` and the names removed; `env` itself is not touched. */
export function filterChildEnvironment(env: Readonly<Record<string, string | undefined>>, extraNames: readonly string[] = []): { env: Record<string, string>; stripped: string[] } {
  const extra = new Set(extraNames.map((n) => n.toUpperCase()));
  const out: Record<string, string> = {};
  const stripped: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const strip = extra.has(name.toUpperCase()) || ACCESS_VARIABLES.has(name.toUpperCase()) || classifyVariableName(name) !== 'ordinary' || tokenShapeOf(value) !== undefined;
    if (strip) stripped.push(name);
    else out[name] = value;
  }
  return { env: out, stripped: stripped.sort() };
}
