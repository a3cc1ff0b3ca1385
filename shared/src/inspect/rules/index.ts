import type { SourceLanguage } from '../types';
import { CAPABILITY_RULES } from './capabilities';
import { EXECUTION_RULES } from './execution';
import { EXFILTRATION_RULES } from './exfiltration';
import { HOOK_RULES } from './hooks';
import { OBFUSCATION_RULES } from './obfuscation';
import { PERSISTENCE_RULES } from './persistence';
import type { LineRule } from './ruleTypes';

export type { LineRule, CapabilityFamily, RuleRole } from './ruleTypes';

/** Every text rule, capabilities first. */
export const ALL_LINE_RULES: readonly LineRule[] = [...CAPABILITY_RULES, ...EXFILTRATION_RULES, ...EXECUTION_RULES, ...OBFUSCATION_RULES, ...PERSISTENCE_RULES, ...HOOK_RULES];

const byLanguage = new Map<SourceLanguage, readonly LineRule[]>();

/** The rules that apply to text of one language (cached). */
export function rulesFor(language: SourceLanguage): readonly LineRule[] {
  let rules = byLanguage.get(language);
  if (!rules) {
    rules = ALL_LINE_RULES.filter((rule) => rule.languages === 'any' || rule.languages.includes(language));
    byLanguage.set(language, rules);
  }
  return rules;
}
