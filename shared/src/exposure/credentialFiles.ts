/**
 * Inspectors for the contents of well-known credential files. Each reads text and answers with what kind of
 * credential is there and how usable it is — never with the credential itself.
 */
import type { ExposureSeverity } from './types';

/** What an inspector found in one file. */
export interface CredentialVerdict {
  severity: ExposureSeverity;
  kind: string;
  title: string;
  advice: string;
}

/** Reads a file's text and tells what it holds; undefined when it holds nothing worth stealing. */
export type CredentialInspector = (text: string) => CredentialVerdict | undefined;

function nonComment(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => !/^\s*[#;]/.test(line));
}

function plural(count: number, word: string): string {
  if (count === 1) return `${count} ${word}`;
  return `${count} ${word.endsWith('y') && !/[aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

/** `~/.npmrc`: `_authToken`, `_auth` or `_password` entries can publish packages as you (worms do exactly that). */
export const inspectNpmrc: CredentialInspector = (text) => {
  const lines = nonComment(text).filter((line) => /(?:^|:)\s*_(?:authToken|auth|password)\s*=\s*\S/.test(line));
  if (lines.length === 0) return undefined;
  // `${NPM_TOKEN}` only names a variable: the secret is in the environment, reported there.
  const literal = lines.filter((line) => !/=\s*["']?\$\{[^}]+\}["']?\s*$/.test(line));
  if (literal.length === 0) {
    return { severity: 'low', kind: 'npm-auth-from-variable', title: 'npm auth read from an environment variable', advice: 'Nothing to do here; the variable itself is reported separately if set.' };
  }
  return {
    severity: 'critical',
    kind: 'npm-auth-token',
    title: `npm registry credentials (${plural(literal.length, 'entry')})`,
    advice: 'Use a granular, read-only or short-lived token here and keep publish tokens out of ~/.npmrc (npm login per session or a CI secret).',
  };
};

/** `~/.pypirc`: a `password` under any index section. */
export const inspectPypirc: CredentialInspector = (text) => {
  const count = nonComment(text).filter((line) => /^\s*password\s*[=:]\s*\S/i.test(line)).length;
  if (count === 0) return undefined;
  return {
    severity: 'critical',
    kind: 'pypi-password',
    title: `PyPI upload credentials (${plural(count, 'password')})`,
    advice: 'Remove the password lines and use trusted publishing or a keyring backend for uploads.',
  };
};

/** `~/.docker/config.json`: `auths` entries with an inline `auth` (base64 user:password) vs helper-backed ones. */
export const inspectDockerConfig: CredentialInspector = (text) => {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof config !== 'object' || config === null) return undefined;
  const auths = (config as { auths?: unknown }).auths;
  let inline = 0;
  if (typeof auths === 'object' && auths !== null) {
    for (const entry of Object.values(auths as Record<string, unknown>)) {
      if (typeof entry !== 'object' || entry === null) continue;
      const e = entry as Record<string, unknown>;
      if ((typeof e.auth === 'string' && e.auth.length > 0) || (typeof e.identitytoken === 'string' && e.identitytoken.length > 0) || (typeof e.password === 'string' && e.password.length > 0)) inline += 1;
    }
  }
  const helpers = typeof (config as { credHelpers?: unknown }).credHelpers === 'object' || typeof (config as { credsStore?: unknown }).credsStore === 'string';
  if (inline > 0) {
    return {
      severity: 'high',
      kind: 'docker-inline-auth',
      title: `Container registry credentials stored inline (${plural(inline, 'registry')})`,
      advice: 'Configure a credential helper (credsStore/credHelpers) and run docker login again so no auth value stays in the file.',
    };
  }
  if (helpers) {
    return { severity: 'low', kind: 'docker-credential-helper', title: 'Registry logins kept by a credential helper', advice: 'Nothing stored in the file; the helper may still hand tokens to any program running as you.' };
  }
  return undefined;
};

/** `~/.config/gh/hosts.yml`: `oauth_token:` lines (newer gh keeps them in the system keyring instead). */
export const inspectGhHosts: CredentialInspector = (text) => {
  const count = nonComment(text).filter((line) => /^\s*oauth_token\s*:\s*\S/.test(line)).length;
  if (count === 0) return undefined;
  return {
    severity: 'critical',
    kind: 'github-oauth-token',
    title: `GitHub CLI token in plain text (${plural(count, 'host')})`,
    advice: 'Run `gh auth logout` then `gh auth login` so the token moves into the system keyring, and revoke the old one.',
  };
};

/** `~/.netrc`: machine entries with a `password`. */
export const inspectNetrc: CredentialInspector = (text) => {
  const count = (text.match(/(?:^|\s)password\s+\S/g) ?? []).length;
  if (count === 0) return undefined;
  return {
    severity: 'high',
    kind: 'netrc-password',
    title: `Passwords in .netrc (${plural(count, 'entry')})`,
    advice: 'Move these logins to a credential helper or keyring and delete the password entries.',
  };
};

/** `~/.git-credentials`: one `scheme://user:token@host` per line (git's `store` helper). */
export const inspectGitCredentials: CredentialInspector = (text) => {
  const count = nonComment(text).filter((line) => /^\s*[a-z][a-z0-9+.-]*:\/\/[^\s@]*:[^\s@]+@/i.test(line)).length;
  if (count === 0) return undefined;
  return {
    severity: 'critical',
    kind: 'git-store-credentials',
    title: `Git credentials stored in plain text (${plural(count, 'host')})`,
    advice: 'Switch git to a keyring-backed helper (credential.helper libsecret/osxkeychain/manager), delete this file and revoke the tokens.',
  };
};

/** `~/.cargo/credentials(.toml)`: a `token` for crates.io or another registry. */
export const inspectCargoCredentials: CredentialInspector = (text) => {
  const count = nonComment(text).filter((line) => /^\s*token\s*=\s*\S/.test(line)).length;
  if (count === 0) return undefined;
  return {
    severity: 'critical',
    kind: 'cargo-registry-token',
    title: `Cargo registry token (${plural(count, 'registry')})`,
    advice: 'Use `cargo logout` after publishing, or a credential provider (cargo:libsecret) instead of the plain-text file.',
  };
};

/** `~/.gem/credentials`: `:rubygems_api_key:` and per-host keys. */
export const inspectGemCredentials: CredentialInspector = (text) => {
  const count = nonComment(text).filter((line) => /^\s*:?[^:\s][^:]*:\s*\S/.test(line) && !/^\s*---/.test(line)).length;
  if (count === 0) return undefined;
  return {
    severity: 'critical',
    kind: 'rubygems-api-key',
    title: `RubyGems API key (${plural(count, 'key')})`,
    advice: 'Use a scoped key with MFA required for push, and remove it from the file when you are not publishing.',
  };
};

/** `~/.aws/credentials` or `~/.aws/config`: profiles with a static secret key or a session token. */
export const inspectAwsCredentials: CredentialInspector = (text) => {
  const lines = nonComment(text);
  const secrets = lines.filter((line) => /^\s*aws_secret_access_key\s*=\s*\S/i.test(line)).length;
  const sessions = lines.filter((line) => /^\s*aws_session_token\s*=\s*\S/i.test(line)).length;
  if (secrets === 0 && sessions === 0) {
    const process = lines.some((line) => /^\s*(?:credential_process|sso_session|sso_start_url)\s*=/i.test(line));
    return process ? { severity: 'low', kind: 'aws-sso-or-process', title: 'AWS profiles using SSO or a credential process', advice: 'Short-lived credentials; keep SSO sessions short.' } : undefined;
  }
  return {
    severity: 'critical',
    kind: secrets > 0 ? 'aws-static-keys' : 'aws-session-token',
    title: `AWS ${secrets > 0 ? 'static access keys' : 'session tokens'} (${plural(Math.max(secrets, sessions), 'profile')})`,
    advice: 'Replace long-lived keys with AWS SSO (aws configure sso) or a credential_process, and rotate the exposed keys.',
  };
};

/** `~/.kube/config`: embedded tokens, passwords or client keys vs exec/auth-provider plugins. */
export const inspectKubeConfig: CredentialInspector = (text) => {
  const lines = nonComment(text);
  const embedded = lines.filter((line) => /^\s*(?:token|password|client-key-data|client-key)\s*:\s*\S/.test(line)).length;
  if (embedded > 0) {
    return {
      severity: 'critical',
      kind: 'kubeconfig-embedded-credentials',
      title: `Kubernetes credentials embedded in kubeconfig (${plural(embedded, 'entry')})`,
      advice: 'Use an exec credential plugin (short-lived tokens) instead of embedded tokens or client keys, and rotate these.',
    };
  }
  if (lines.some((line) => /^\s*(?:exec|auth-provider)\s*:/.test(line))) {
    return { severity: 'medium', kind: 'kubeconfig-exec-plugin', title: 'Kubernetes access through an exec plugin', advice: 'Any program running as you can call the plugin; keep cloud sessions short.' };
  }
  return undefined;
};

/** gcloud `application_default_credentials.json` and similar JSON keys: refresh tokens or service-account keys. */
export const inspectGoogleCredentialsJson: CredentialInspector = (text) => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.private_key === 'string' && v.private_key.length > 0) {
    return { severity: 'critical', kind: 'gcp-service-account-key', title: 'Google service-account private key', advice: 'Delete the key file, disable the key in IAM and use workload identity or impersonation instead.' };
  }
  if (typeof v.refresh_token === 'string' && v.refresh_token.length > 0) {
    return { severity: 'critical', kind: 'gcp-refresh-token', title: 'Google application-default refresh token', advice: 'Run `gcloud auth application-default revoke` when you do not need local ADC.' };
  }
  return undefined;
};

/** Files whose mere presence is the finding (token caches, databases). */
export function presenceVerdict(severity: ExposureSeverity, kind: string, title: string, advice: string): CredentialInspector {
  return () => ({ severity, kind, title, advice });
}

/** Key=value or key: value files (gradle.properties, .yarnrc.yml, glab config): counts secret-named keys with real values. */
export function inspectSecretKeys(kind: string, title: string, advice: string, severity: ExposureSeverity = 'critical'): CredentialInspector {
  return (text) => {
    const count = nonComment(text).filter((line) => {
      const m = /^\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*["']?([^\s"']{4,})/.exec(line);
      return m !== null && /(?:token|password|passwd|secret|apikey|api[_.-]key|authident|signing[_.-]?key|credentials?)$/i.test(m[1] ?? '') && !/^\$\{?[A-Za-z_]/.test(m[2] ?? '');
    }).length;
    if (count === 0) return undefined;
    return { severity, kind, title: `${title} (${plural(count, 'entry')})`, advice };
  };
}

/** XML settings (Maven settings.xml, NuGet.Config) with plain passwords. */
export function inspectXmlPasswords(kind: string, title: string, advice: string): CredentialInspector {
  return (text) => {
    const elements = (text.match(/<password>\s*[^<\s$][^<]*<\/password>/gi) ?? []).length;
    const attributes = (text.match(/key="ClearTextPassword"\s+value="[^"]+"/gi) ?? []).length;
    const count = elements + attributes;
    if (count === 0) return undefined;
    return { severity: 'critical', kind, title: `${title} (${plural(count, 'password')})`, advice };
  };
}

/** pip.conf / uv.toml and similar: index URLs with a password embedded. */
export const inspectIndexUrls: CredentialInspector = (text) => {
  const count = (text.match(/\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,256}:[^\s@/]{1,256}@[^\s/]+/gi) ?? []).length;
  if (count === 0) return undefined;
  return {
    severity: 'critical',
    kind: 'index-url-with-password',
    title: `Package index URL with an embedded password (${plural(count, 'URL')})`,
    advice: 'Move the index credentials to a keyring (pip keyring support) or an environment variable scoped to the install.',
  };
};

/** `~/.gitconfig`: the `store` helper writes passwords in plain text to ~/.git-credentials. */
export const inspectGitConfig: CredentialInspector = (text) => {
  if (!nonComment(text).some((line) => /^\s*helper\s*=\s*["']?store\b/.test(line))) return undefined;
  return {
    severity: 'medium',
    kind: 'git-credential-store-helper',
    title: 'Git is set to store passwords in plain text (credential.helper = store)',
    advice: 'Switch to a keyring-backed helper (libsecret, osxkeychain or Git Credential Manager).',
  };
};
