// Rule ids are stable (DESIGN.md): settings saved in chrome.storage.sync refer to them.

import { t, type MessageKey } from './i18n';

export interface RuleInfo {
  id: string;
  label: string;
}

/** Each fixed rule and the message that names it for people. */
const RULE_LABELS: readonly (readonly [string, MessageKey])[] = [
  ['informational-interview', 'ruleInformationalInterview'],
  ['resume-attached', 'ruleResumeAttached'],
  ['referrer-not-in-subject', 'ruleReferrerNotInSubject'],
  ['job-ask', 'ruleJobAsk'],
  ['pick-your-brain', 'rulePickYourBrain'],
  ['missing-subject', 'ruleMissingSubject'],
  ['too-long', 'ruleTooLong'],
  ['no-clear-ask', 'ruleNoClearAsk'],
  ['no-time-frame', 'ruleNoTimeFrame'],
  ['no-opinion-ask', 'ruleNoOpinionAsk'],
  ['no-thanks', 'ruleNoThanks'],
];

export const RULE_IDS: readonly string[] = RULE_LABELS.map(([id]) => id);

/** The fixed rules, named in the browser's language. */
export function rules(): RuleInfo[] {
  return RULE_LABELS.map(([id, key]) => ({ id, label: t(key) }));
}

/** Grammar findings come as `grammar:<LanguageTool id>`; one switch turns them all off. */
export function ruleLabel(rule: string): string {
  if (rule.startsWith('grammar:')) return t('ruleGrammar');
  const key = RULE_LABELS.find(([id]) => id === rule)?.[1];
  return key ? t(key) : rule;
}

/** The rules the options page lists: the fixed ones, then any other rule turned off from a
 * finding (a `grammar:<id>`), so that every switch the panel flips can be flipped back. */
export function listedRules(disabledRules: readonly string[]): RuleInfo[] {
  const extra = [...new Set(disabledRules)].filter((id) => !RULE_IDS.includes(id)).map((id) => ({ id, label: ruleLabel(id) }));
  return [...rules(), ...extra];
}
