/**
 * Recognises secrets by the shape of a value (token prefixes, JWTs, PEM keys) and by the name of a variable.
 * Pure functions; they answer with a kind, never with the matched text, so callers cannot print it by accident.
 */

/** A known token shape. */
interface TokenShape {
  kind: string;
  title: string;
  pattern: RegExp;
}

// Ordered: more specific prefixes first (sk-ant- before sk-, github_pat_ before generic).
const TOKEN_SHAPES: readonly TokenShape[] = [
  { kind: 'private-key-pem', title: 'Private key (PEM)', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'aws-access-key-id', title: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/ },
  { kind: 'github-token', title: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { kind: 'gitlab-token', title: 'GitLab token', pattern: /\bgl(?:pat|dt|rt|cbt|ptt)-[A-Za-z0-9_-]{20,}/ },
  { kind: 'slack-token', title: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'anthropic-api-key', title: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { kind: 'openai-api-key', title: 'OpenAI-style secret key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/ },
  { kind: 'stripe-secret-key', title: 'Stripe secret key', pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/ },
  { kind: 'npm-token', title: 'npm access token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'pypi-token', title: 'PyPI API token', pattern: /\bpypi-AgE[A-Za-z0-9_-]{30,}/ },
  { kind: 'huggingface-token', title: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}/ },
  { kind: 'google-api-key', title: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  { kind: 'rubygems-api-key', title: 'RubyGems API key', pattern: /\brubygems_[a-f0-9]{48}\b/ },
  { kind: 'cargo-token', title: 'crates.io token', pattern: /\bcio[A-Za-z0-9]{32}\b/ },
  { kind: 'digitalocean-token', title: 'DigitalOcean token', pattern: /\bdo[por]_v1_[a-f0-9]{64}\b/ },
  { kind: 'slack-webhook', title: 'Slack webhook URL', pattern: /hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/ },
  { kind: 'discord-webhook', title: 'Discord webhook URL', pattern: /discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{20,}/ },
  { kind: 'jwt', title: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  // scheme://user:password@host — credentials embedded in a URL (DATABASE_URL, PIP_INDEX_URL, …).
  { kind: 'url-with-password', title: 'URL with an embedded password', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]{1,256}:[^\s@/]{1,256}@[^\s/]+/i },
];

/** Kind and title of the first known token shape found in the text, or undefined. */
export function tokenShapeOf(text: string): { kind: string; title: string } | undefined {
  for (const shape of TOKEN_SHAPES) {
    if (shape.pattern.test(text)) return { kind: shape.kind, title: shape.title };
  }
  return undefined;
}

/** How many values of each token kind the text holds (for histories and .env files); never the values. */
export function countTokenShapes(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const shape of TOKEN_SHAPES) {
    const global = new RegExp(shape.pattern.source, shape.pattern.flags.includes('g') ? shape.pattern.flags : shape.pattern.flags + 'g');
    const found = text.match(global)?.length ?? 0;
    if (found > 0) counts.set(shape.kind, found);
  }
  return counts;
}

/**
 * Variables known to hold credentials, beyond what the name patterns below catch (and a few the patterns would
 * miss, such as DATABASE_URL). The value's kind is `known-secret-variable`.
 */
export const KNOWN_SECRET_VARIABLES: readonly string[] = [
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN',
  'GITHUB_TOKEN', 'GH_TOKEN', 'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GITLAB_TOKEN', 'CI_JOB_TOKEN',
  'BITBUCKET_TOKEN', 'NPM_TOKEN', 'NODE_AUTH_TOKEN', 'YARN_NPM_AUTH_TOKEN', 'PYPI_TOKEN', 'PYPI_API_TOKEN',
  'TWINE_PASSWORD', 'CARGO_REGISTRY_TOKEN', 'GEM_HOST_API_KEY', 'DOCKER_PASSWORD', 'DOCKER_AUTH_CONFIG',
  'GOOGLE_API_KEY', 'CLOUDSDK_AUTH_ACCESS_TOKEN', 'GOOGLE_OAUTH_ACCESS_TOKEN', 'AZURE_CLIENT_SECRET',
  'ARM_CLIENT_SECRET', 'AZURE_STORAGE_KEY', 'AZURE_STORAGE_CONNECTION_STRING', 'AZURE_DEVOPS_EXT_PAT',
  'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'SLACK_TOKEN', 'SLACK_BOT_TOKEN',
  'SLACK_WEBHOOK_URL', 'DISCORD_TOKEN', 'DISCORD_WEBHOOK_URL', 'TELEGRAM_BOT_TOKEN', 'STRIPE_SECRET_KEY',
  'STRIPE_API_KEY', 'TWILIO_AUTH_TOKEN', 'SENDGRID_API_KEY', 'MAILGUN_API_KEY', 'DATABASE_URL', 'REDIS_URL',
  'MONGODB_URI', 'MONGO_URL', 'PGPASSWORD', 'MYSQL_PWD', 'VAULT_TOKEN', 'CONSUL_HTTP_TOKEN', 'NOMAD_TOKEN',
  'DIGITALOCEAN_ACCESS_TOKEN', 'HCLOUD_TOKEN', 'CLOUDFLARE_API_TOKEN', 'CF_API_KEY', 'HEROKU_API_KEY',
  'NETLIFY_AUTH_TOKEN', 'VERCEL_TOKEN', 'SNYK_TOKEN', 'SONAR_TOKEN', 'CODECOV_TOKEN', 'SENTRY_AUTH_TOKEN',
  'DATADOG_API_KEY', 'DD_API_KEY', 'NEW_RELIC_LICENSE_KEY', 'CIRCLE_TOKEN', 'BUILDKITE_AGENT_TOKEN',
  'ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'OP_SERVICE_ACCOUNT_TOKEN', 'BW_SESSION',
  'PULUMI_ACCESS_TOKEN', 'ARTIFACTORY_API_KEY', 'JFROG_ACCESS_TOKEN', 'OSSRH_PASSWORD', 'SONATYPE_PASSWORD',
  'COSIGN_PASSWORD', 'FIREBASE_TOKEN', 'EXPO_TOKEN', 'DENO_AUTH_TOKENS', 'GPG_PASSPHRASE', 'ATLAS_TOKEN',
  'TFE_TOKEN', 'LINODE_TOKEN', 'SCALEWAY_SECRET_KEY', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'NGROK_AUTHTOKEN',
];

/** Variables that point at a credential file rather than holding one. */
export const CREDENTIAL_PATH_VARIABLES: readonly string[] = [
  'GOOGLE_APPLICATION_CREDENTIALS', 'KUBECONFIG', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE',
  'DOCKER_CONFIG', 'NPM_CONFIG_USERCONFIG', 'CLOUDSDK_CONFIG', 'AZURE_CONFIG_DIR', 'NETRC', 'GIT_ASKPASS',
  'SSH_ASKPASS', 'PYPIRC',
];

const KNOWN = new Set(KNOWN_SECRET_VARIABLES);
const PATH_VARIABLES = new Set(CREDENTIAL_PATH_VARIABLES);

// A name part (split on _ - .) that marks a secret: TOKEN, SECRET, PASSWORD, API_KEY, ACCESS_KEY, CREDENTIALS …
const SECRET_WORDS = /(?:^|[_.-])(?:TOKENS?|SECRETS?|PASSWORDS?|PASSWD|PASS|PASSPHRASE|PWD|CREDENTIALS?|CREDS|AUTH|AUTHTOKEN|APIKEY|PRIVATE_?KEY|(?:API|ACCESS|SECRET|CLIENT|AUTH|SIGNING|MASTER|LICENSE|ENCRYPTION)_?KEY|SESSION_?KEY|PAT|DSN|CONNECTION_?STRING|WEBHOOK(?:_URL)?)(?:$|[_.-])/i;
// Parts that say "this is a path, a flag or a URL to a page", not a secret value.
const NOT_A_SECRET_SUFFIX = /(?:_(?:FILE|PATH|DIR|DIRECTORY|HOME|URL_TEMPLATE|ENABLED|DISABLED|TYPE|MODE|LENGTH|TTL|EXPIRY|EXPIRES|HEADER|NAME|USER|USERNAME|ID|ENDPOINT|HOST|PORT|REGION|PROVIDER|HELPER|CACHE|STORE|METHOD|SOCK))$/i;
// Ordinary variables that happen to match (PWD is the working directory, GPG_TTY a terminal).
const ORDINARY = new Set(['PWD', 'OLDPWD', 'GPG_TTY', 'SSH_AUTH_SOCK', 'SSH_AGENT_PID', 'XAUTHORITY', 'PASSWORD_STORE_DIR', 'KRB5CCNAME']);

/** How a variable looks from its name alone. */
export type VariableNameClass = 'known-secret' | 'secret-like-name' | 'credential-path' | 'ordinary';

/** Classifies an environment variable by its name. */
export function classifyVariableName(name: string): VariableNameClass {
  const upper = name.toUpperCase();
  if (ORDINARY.has(upper)) return 'ordinary';
  if (KNOWN.has(upper)) return 'known-secret';
  if (PATH_VARIABLES.has(upper)) return 'credential-path';
  // npm reads `npm_config_//host/:_authToken`; Poetry and uv read per-index passwords and tokens.
  if (/_authtoken$|:_auth$|^npm_config__auth/i.test(name)) return 'known-secret';
  if (/^(?:POETRY_PYPI_TOKEN_|POETRY_HTTP_BASIC_.+_PASSWORD$|UV_INDEX_.+_PASSWORD$|TF_TOKEN_|PIP_INDEX_URL$|PIP_EXTRA_INDEX_URL$|UV_INDEX_URL$)/i.test(upper)) {
    return upper.startsWith('PIP_') || upper === 'UV_INDEX_URL' ? 'ordinary' : 'known-secret';
  }
  if (SECRET_WORDS.test(upper)) {
    if (/_(?:FILE|PATH)$/.test(upper)) return 'credential-path';
    if (NOT_A_SECRET_SUFFIX.test(upper)) return 'ordinary';
    return 'secret-like-name';
  }
  return 'ordinary';
}

/** True when a value is a placeholder rather than a secret (empty, `changeme`, `<token>`, `${VAR}`, `xxx`). */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim().replace(/^['"]|['"]$/g, '');
  if (v.length < 4) return true;
  if (/^(?:true|false|yes|no|none|null|undefined|changeme|change-me|example|dummy|test|secret|password|token|your[_-]?.*|<.*>|\$\{.*\}|\$[A-Z_]+|\*+|x+|\.+)$/i.test(v)) return true;
  return false;
}
