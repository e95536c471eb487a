// Rule ids are stable (DESIGN.md): settings saved in chrome.storage.sync refer to them.

export interface RuleInfo {
  id: string;
  label: string;
}

export const RULES: readonly RuleInfo[] = [
  { id: 'informational-interview', label: 'Calling it an "informational interview"' },
  { id: 'resume-attached', label: 'Resume attached or announced' },
  { id: 'referrer-not-in-subject', label: 'Referrer missing from the subject' },
  { id: 'job-ask', label: 'Asking for a job, openings or a referral' },
  { id: 'pick-your-brain', label: '"Pick your brain" and other vague asks' },
  { id: 'missing-subject', label: 'Empty subject' },
  { id: 'too-long', label: 'Over 125 words' },
  { id: 'no-clear-ask', label: 'No clear question or request' },
  { id: 'no-time-frame', label: 'No short, specific time (such as 20 minutes)' },
  { id: 'no-opinion-ask', label: 'Not asking for their take or advice' },
  { id: 'no-thanks', label: 'No thank-you near the close' },
];

/** Grammar findings come as `grammar:<LanguageTool id>`; one switch turns them all off. */
export function ruleLabel(rule: string): string {
  if (rule.startsWith('grammar:')) return 'Grammar and spelling';
  return RULES.find((r) => r.id === rule)?.label ?? rule;
}

/** The rules the options page lists: the fixed ones, then any other rule turned off from a
 * finding (a `grammar:<id>`), so that every switch the panel flips can be flipped back. */
export function listedRules(disabledRules: readonly string[]): RuleInfo[] {
  const extra = [...new Set(disabledRules)].filter((id) => !RULES.some((r) => r.id === id)).map((id) => ({ id, label: ruleLabel(id) }));
  return [...RULES, ...extra];
}
