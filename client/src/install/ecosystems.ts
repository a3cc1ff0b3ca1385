/** The ecosystems as the editor offers them, and how each is named on the CLI (`-e`). */
import type { Ecosystem } from '../../../shared/src/model';

/** One ecosystem choice in the Install/Audit quick pick. */
export interface EcosystemChoice {
  ecosystem: Ecosystem;
  /** The `-e` value the CLI accepts. */
  cliName: string;
  label: string;
  /** What a request looks like, shown as the input box placeholder. */
  example: string;
}

/** In the order the quick pick shows them (the most mature sandboxes first). */
export const ECOSYSTEM_CHOICES: readonly EcosystemChoice[] = [
  { ecosystem: 'PyPI', cliName: 'pip', label: 'pip (PyPI)', example: 'requests==2.32.3' },
  { ecosystem: 'npm', cliName: 'npm', label: 'npm', example: 'left-pad@1.3.0' },
  { ecosystem: 'crates.io', cliName: 'cargo', label: 'cargo (crates.io)', example: 'serde@1.0.210' },
  { ecosystem: 'Go', cliName: 'go', label: 'Go modules', example: 'github.com/gin-gonic/gin@v1.10.0' },
  { ecosystem: 'RubyGems', cliName: 'gem', label: 'gem (RubyGems)', example: 'rack@3.1.8' },
];

/** The CLI's `-e` name for an ecosystem. */
export function cliEcosystem(ecosystem: Ecosystem): string {
  return ECOSYSTEM_CHOICES.find((c) => c.ecosystem === ecosystem)?.cliName ?? ecosystem;
}

/** Reads an ecosystem from either spelling (`PyPI` or `pip`); undefined for anything else. */
export function toEcosystem(value: unknown): Ecosystem | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  return ECOSYSTEM_CHOICES.find((c) => c.ecosystem.toLowerCase() === lower || c.cliName === lower)?.ecosystem;
}
