/**
 * What the fetch phase may see of the host: the CA bundle (read-only) and proxy settings, nothing
 * else. Proxy URLs lose any user:password part (no secrets in the container). The build phase gets
 * neither.
 */
import { pathExists } from './pathExists';
import { CONTAINER_CA_PATH, CONTAINER_EXTRA_CA_PATH, type ReadOnlyFile } from './hardening';

/** Debian/Ubuntu's bundle, read by OpenSSL-based tools. */
export const DEBIAN_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The fetch phase's view of the host. */
export interface FetchEnvironment {
  env: Record<string, string>;
  files: ReadOnlyFile[];
  warnings: string[];
}

/** The host's proxy variables the fetch phase may see. */
export const PROXY_VARS: readonly string[] = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy'];

/** Drops `user:password@` from a proxy URL; returns the cleaned URL and whether anything was dropped. */
export function stripProxyCredentials(value: string): { value: string; stripped: boolean } {
  try {
    const url = new URL(value);
    if (url.username === '' && url.password === '') return { value, stripped: false };
    url.username = '';
    url.password = '';
    return { value: url.toString(), stripped: true };
  } catch {
    // NO_PROXY lists and other non-URLs pass unchanged.
    return { value, stripped: false };
  }
}

/** Proxy and CA settings from the host environment, ready for the fetch container. */
export async function fetchEnvironment(hostEnv: Readonly<Record<string, string | undefined>>, exists: (file: string) => Promise<boolean> = pathExists): Promise<FetchEnvironment> {
  const env: Record<string, string> = {};
  const files: ReadOnlyFile[] = [];
  const warnings: string[] = [];
  for (const name of PROXY_VARS) {
    const value = hostEnv[name];
    if (value === undefined || value === '') continue;
    const cleaned = stripProxyCredentials(value);
    if (cleaned.stripped) warnings.push(`${name}: proxy credentials are not passed into the sandbox`);
    env[name] = cleaned.value;
  }
  const bundle = [hostEnv['SSL_CERT_FILE'], hostEnv['REQUESTS_CA_BUNDLE'], hostEnv['PIP_CERT']].find((v) => v !== undefined && v !== '')
    ?? (await exists(DEBIAN_CA_BUNDLE) ? DEBIAN_CA_BUNDLE : undefined);
  if (bundle !== undefined && await exists(bundle)) {
    files.push({ hostPath: bundle, containerPath: CONTAINER_CA_PATH });
    Object.assign(env, { SSL_CERT_FILE: CONTAINER_CA_PATH, PIP_CERT: CONTAINER_CA_PATH, REQUESTS_CA_BUNDLE: CONTAINER_CA_PATH, CARGO_HTTP_CAINFO: CONTAINER_CA_PATH, NODE_EXTRA_CA_CERTS: CONTAINER_CA_PATH });
  }
  const extra = hostEnv['NODE_EXTRA_CA_CERTS'];
  if (extra && await exists(extra)) {
    files.push({ hostPath: extra, containerPath: CONTAINER_EXTRA_CA_PATH });
    env['NODE_EXTRA_CA_CERTS'] = CONTAINER_EXTRA_CA_PATH;
  }
  return { env, files, warnings };
}
