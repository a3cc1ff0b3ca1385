/**
 * The credential files and folders an install running as this user could read, relative to the home folder.
 * check-env inspects each; the credential vault hides those marked `vault`. Paths use `/` and are joined
 * with the platform separator by the callers.
 */
import {
  inspectAwsCredentials,
  inspectCargoCredentials,
  inspectDockerConfig,
  inspectGemCredentials,
  inspectGhHosts,
  inspectGitCredentials,
  inspectGitConfig,
  inspectGoogleCredentialsJson,
  inspectIndexUrls,
  inspectSecretKeys,
  inspectXmlPasswords,
  inspectKubeConfig,
  inspectNetrc,
  inspectNpmrc,
  inspectPypirc,
  presenceVerdict,
  type CredentialInspector,
} from './credentialFiles';
import type { ExposureCategory } from './types';

/** One well-known place where credentials live. */
export interface SensitivePath {
  /** Relative to the home folder, `/`-separated. */
  path: string;
  category: ExposureCategory;
  /** `file` entries are read (first 256 KiB) and inspected; `directory` entries are reported on presence. */
  type: 'file' | 'directory';
  inspect: CredentialInspector;
  /** Whether the credential vault moves it away during an unsandboxed install. */
  vault: boolean;
  /** Only meaningful on these platforms (default: all). */
  platforms?: readonly NodeJS.Platform[];
}

const ROTATE = 'Keep it only while you need it and rotate it if an untrusted package ever ran as you.';
const BROWSER_ADVICE = 'Install packages only through the sandbox; browser stores are decryptable by programs running as you on many systems.';
const WALLET_ADVICE = 'Keep wallets on a hardware device or another account; a package running as you can copy the wallet file.';

function presence(category: ExposureCategory, p: string, kind: string, title: string, advice: string, vault: boolean, type: 'file' | 'directory' = 'file', platforms?: readonly NodeJS.Platform[]): SensitivePath {
  const severity = category === 'browser-wallet' ? (kind.includes('wallet') ? 'high' : 'medium') : 'high';
  return { path: p, category, type, inspect: presenceVerdict(severity, kind, title, advice), vault, platforms };
}

/** Every path check-env looks at (besides `~/.ssh`, which is walked key by key, and shell rc/persistence files). */
export const SENSITIVE_PATHS: readonly SensitivePath[] = [
  // Cloud
  { path: '.aws/credentials', category: 'cloud-credentials', type: 'file', inspect: inspectAwsCredentials, vault: true },
  { path: '.aws/config', category: 'cloud-credentials', type: 'file', inspect: inspectAwsCredentials, vault: true },
  presence('cloud-credentials', '.aws/sso/cache', 'aws-sso-token-cache', 'AWS SSO token cache', 'Run `aws sso logout` when you are done; the cached tokens are valid until they expire.', true, 'directory'),
  presence('cloud-credentials', '.aws/cli/cache', 'aws-cli-credential-cache', 'AWS CLI cached role credentials', 'Delete the cache after use; it holds temporary credentials.', true, 'directory'),
  { path: '.config/gcloud/application_default_credentials.json', category: 'cloud-credentials', type: 'file', inspect: inspectGoogleCredentialsJson, vault: true },
  presence('cloud-credentials', '.config/gcloud/credentials.db', 'gcloud-credentials-db', 'gcloud refresh tokens (credentials.db)', 'Run `gcloud auth revoke` for accounts you do not use every day.', true),
  presence('cloud-credentials', '.config/gcloud/access_tokens.db', 'gcloud-access-tokens-db', 'gcloud cached access tokens', 'Tokens expire within an hour; revoke idle accounts with `gcloud auth revoke`.', true),
  presence('cloud-credentials', '.config/gcloud/legacy_credentials', 'gcloud-legacy-credentials', 'gcloud legacy credential files', 'Run `gcloud auth revoke` for accounts you no longer use.', true, 'directory'),
  presence('cloud-credentials', '.azure/msal_token_cache.json', 'azure-token-cache', 'Azure CLI token cache', 'Run `az logout` when you are done with Azure.', true),
  presence('cloud-credentials', '.azure/accessTokens.json', 'azure-access-tokens', 'Azure CLI access tokens (old format)', 'Run `az logout`, then update the Azure CLI so tokens are kept encrypted.', true),
  presence('cloud-credentials', '.azure/service_principal_entries.json', 'azure-service-principal', 'Azure service principal secrets', 'Run `az logout` and prefer managed identities or certificates kept outside the home folder.', true),
  { path: '.kube/config', category: 'cloud-credentials', type: 'file', inspect: inspectKubeConfig, vault: true },
  presence('cloud-credentials', '.config/doctl/config.yaml', 'digitalocean-token', 'DigitalOcean CLI token', ROTATE, true),
  presence('cloud-credentials', '.oci/config', 'oci-config', 'Oracle Cloud CLI key reference', ROTATE, true),
  presence('cloud-credentials', '.terraform.d/credentials.tfrc.json', 'terraform-cloud-token', 'Terraform Cloud token', 'Run `terraform logout` when you are not using Terraform Cloud.', true),
  presence('cloud-credentials', '.vault-token', 'hashicorp-vault-token', 'HashiCorp Vault token', 'Use short token TTLs and `vault token revoke -self` when done.', true),
  presence('cloud-credentials', '.config/hcloud/cli.toml', 'hetzner-token', 'Hetzner Cloud CLI token', ROTATE, true),
  presence('cloud-credentials', '.fly/config.yml', 'fly-token', 'Fly.io access token', 'Run `fly auth logout` when you are done.', true),
  presence('cloud-credentials', '.pulumi/credentials.json', 'pulumi-token', 'Pulumi access token', 'Run `pulumi logout` when you are done.', true),
  presence('cloud-credentials', '.databrickscfg', 'databricks-token', 'Databricks CLI token', ROTATE, true),
  presence('cloud-credentials', '.config/openstack/clouds.yaml', 'openstack-clouds', 'OpenStack credentials', ROTATE, true),
  presence('cloud-credentials', '.boto', 'boto-config', 'Legacy boto / gsutil credentials', ROTATE, true),
  presence('cloud-credentials', '.s3cfg', 's3cmd-config', 's3cmd access keys', ROTATE, true),
  presence('cloud-credentials', '.config/rclone/rclone.conf', 'rclone-config', 'rclone remote credentials', 'Encrypt the rclone config (`rclone config` → set configuration password).', true),
  // Package registries
  { path: '.npmrc', category: 'registry-tokens', type: 'file', inspect: inspectNpmrc, vault: true },
  { path: '.pypirc', category: 'registry-tokens', type: 'file', inspect: inspectPypirc, vault: true },
  { path: '.cargo/credentials', category: 'registry-tokens', type: 'file', inspect: inspectCargoCredentials, vault: true },
  { path: '.cargo/credentials.toml', category: 'registry-tokens', type: 'file', inspect: inspectCargoCredentials, vault: true },
  { path: '.gem/credentials', category: 'registry-tokens', type: 'file', inspect: inspectGemCredentials, vault: true },
  { path: '.local/share/gem/credentials', category: 'registry-tokens', type: 'file', inspect: inspectGemCredentials, vault: true },
  { path: '.docker/config.json', category: 'registry-tokens', type: 'file', inspect: inspectDockerConfig, vault: true },
  presence('registry-tokens', '.config/containers/auth.json', 'podman-registry-auth', 'Podman registry logins', 'Use a credential helper for podman logins.', true),
  presence('registry-tokens', '.m2/settings-security.xml', 'maven-master-password', 'Maven master password', ROTATE, true),
  { path: '.gradle/gradle.properties', category: 'registry-tokens', type: 'file', inspect: inspectSecretKeys('gradle-publishing-secrets', 'Gradle properties with publishing secrets', 'Move publishing keys to environment variables of the publish job only.'), vault: true },
  { path: '.m2/settings.xml', category: 'registry-tokens', type: 'file', inspect: inspectXmlPasswords('maven-server-passwords', 'Maven server passwords', 'Encrypt them with mvn --encrypt-password or use environment-variable interpolation.'), vault: true },
  { path: '.config/pip/pip.conf', category: 'registry-tokens', type: 'file', inspect: inspectIndexUrls, vault: true },
  { path: '.pip/pip.conf', category: 'registry-tokens', type: 'file', inspect: inspectIndexUrls, vault: true },
  { path: '.config/uv/uv.toml', category: 'registry-tokens', type: 'file', inspect: inspectIndexUrls, vault: true },
  presence('registry-tokens', '.composer/auth.json', 'composer-auth', 'Composer registry tokens', ROTATE, true),
  presence('registry-tokens', '.config/composer/auth.json', 'composer-auth', 'Composer registry tokens', ROTATE, true),
  { path: '.nuget/NuGet/NuGet.Config', category: 'registry-tokens', type: 'file', inspect: inspectXmlPasswords('nuget-cleartext-password', 'NuGet feed passwords in clear text', 'Keep feed credentials in a credential provider, not the config file.'), vault: true },
  { path: '.yarnrc.yml', category: 'registry-tokens', type: 'file', inspect: inspectSecretKeys('yarn-npm-auth-token', 'Yarn npm auth tokens', 'Keep npmAuthToken out of the user-level .yarnrc.yml; use an environment variable in CI.'), vault: true },
  // Git and code hosting
  { path: '.git-credentials', category: 'vcs-credentials', type: 'file', inspect: inspectGitCredentials, vault: true },
  { path: '.config/git/credentials', category: 'vcs-credentials', type: 'file', inspect: inspectGitCredentials, vault: true },
  { path: '.config/gh/hosts.yml', category: 'vcs-credentials', type: 'file', inspect: inspectGhHosts, vault: true },
  { path: '.netrc', category: 'vcs-credentials', type: 'file', inspect: inspectNetrc, vault: true },
  presence('vcs-credentials', '.config/hub', 'hub-token', 'hub CLI GitHub token', ROTATE, true),
  { path: '.config/glab-cli/config.yml', category: 'vcs-credentials', type: 'file', inspect: inspectSecretKeys('gitlab-cli-token', 'GitLab CLI tokens in plain text', 'Use `glab auth login --use-keyring` and revoke the stored token.'), vault: true },
  { path: '.gitconfig', category: 'vcs-credentials', type: 'file', inspect: inspectGitConfig, vault: false },
  // Signing keys
  presence('ssh-keys', '.gnupg/private-keys-v1.d', 'gpg-private-keys', 'GnuPG private keys', 'Protect every GnuPG key with a passphrase, or keep signing keys on a hardware token.', true, 'directory'),
  // Browser login stores and wallets (presence only; never moved: running browsers would recreate or corrupt them)
  presence('browser-wallet', '.config/google-chrome', 'browser-profile-chrome', 'Chrome profile (saved logins, cookies)', BROWSER_ADVICE, false, 'directory'),
  presence('browser-wallet', '.config/chromium', 'browser-profile-chromium', 'Chromium profile (saved logins, cookies)', BROWSER_ADVICE, false, 'directory'),
  presence('browser-wallet', '.config/BraveSoftware/Brave-Browser', 'browser-profile-brave', 'Brave profile (saved logins, cookies)', BROWSER_ADVICE, false, 'directory'),
  presence('browser-wallet', '.config/microsoft-edge', 'browser-profile-edge', 'Edge profile (saved logins, cookies)', BROWSER_ADVICE, false, 'directory'),
  presence('browser-wallet', '.mozilla/firefox', 'browser-profile-firefox', 'Firefox profiles (saved logins, cookies)', BROWSER_ADVICE, false, 'directory'),
  presence('browser-wallet', 'snap/firefox/common/.mozilla/firefox', 'browser-profile-firefox', 'Firefox (snap) profiles', BROWSER_ADVICE, false, 'directory'),
  presence('browser-wallet', '.local/share/keyrings', 'desktop-keyring', 'Desktop keyring files', 'Keep the login keyring locked when idle; it is encrypted with your login password.', false, 'directory'),
  presence('browser-wallet', 'Library/Application Support/Google/Chrome', 'browser-profile-chrome', 'Chrome profile (saved logins, cookies)', BROWSER_ADVICE, false, 'directory', ['darwin']),
  presence('browser-wallet', 'Library/Application Support/Firefox', 'browser-profile-firefox', 'Firefox profiles (saved logins, cookies)', BROWSER_ADVICE, false, 'directory', ['darwin']),
  presence('browser-wallet', 'Library/Keychains', 'macos-keychain', 'macOS keychains', 'Keep the login keychain locked when idle.', false, 'directory', ['darwin']),
  presence('browser-wallet', '.bitcoin/wallet.dat', 'crypto-wallet-bitcoin', 'Bitcoin Core wallet', WALLET_ADVICE, false),
  presence('browser-wallet', '.bitcoin/wallets', 'crypto-wallet-bitcoin', 'Bitcoin Core wallets', WALLET_ADVICE, false, 'directory'),
  presence('browser-wallet', '.ethereum/keystore', 'crypto-wallet-ethereum', 'Ethereum keystore', WALLET_ADVICE, false, 'directory'),
  presence('browser-wallet', '.electrum/wallets', 'crypto-wallet-electrum', 'Electrum wallets', WALLET_ADVICE, false, 'directory'),
  presence('browser-wallet', '.config/Exodus', 'crypto-wallet-exodus', 'Exodus wallet', WALLET_ADVICE, false, 'directory'),
  presence('browser-wallet', '.config/solana/id.json', 'crypto-wallet-solana', 'Solana CLI keypair', WALLET_ADVICE, false),
  presence('browser-wallet', '.config/Atomic', 'crypto-wallet-atomic', 'Atomic wallet', WALLET_ADVICE, false, 'directory'),
  presence('browser-wallet', 'Library/Application Support/Exodus', 'crypto-wallet-exodus', 'Exodus wallet', WALLET_ADVICE, false, 'directory', ['darwin']),
];

/** Shell and REPL histories: often hold tokens typed on a command line. */
export const HISTORY_FILES: readonly string[] = [
  '.bash_history', '.zsh_history', '.zhistory', '.histfile', '.sh_history', '.local/share/fish/fish_history',
  '.python_history', '.node_repl_history', '.psql_history', '.mysql_history', '.sqlite_history',
  '.rediscli_history', '.irb_history', '.pry_history', '.lesshst', '.mongosh/mongosh_repl_history', '.dbshell',
];

/** Chrome-family extension ids of wallets whose presence means a wallet lives in the browser profile. */
export const BROWSER_WALLET_EXTENSIONS: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'nkbihfbeogaeaoehlefnkodbefgpgknn', name: 'MetaMask' },
  { id: 'bfnaelmomeimhlpmgjnjophhpkkoljpa', name: 'Phantom' },
  { id: 'hnfanknocfeofbddgcijnmhnfnkdnaad', name: 'Coinbase Wallet' },
  { id: 'egjidjbpglichdcondbcbdnbeeppgdph', name: 'Trust Wallet' },
];

/** Every home-relative path the vault moves away, folders first where a folder covers a whole tool. */
export const VAULT_PATHS: readonly string[] = [
  '.ssh',
  '.aws',
  '.config/gcloud',
  '.azure',
  '.kube',
  '.gnupg',
  ...SENSITIVE_PATHS.filter((p) => p.vault && !/^\.(?:aws|config\/gcloud|azure|kube|gnupg)\//.test(p.path)).map((p) => p.path),
  ...HISTORY_FILES,
];
