// The backend writes its advice in English (rules/pack.yaml is the one source of it). A
// locale that has the same advice translated in its messages.json shows that instead:
// each finding by its rule id, each subject suggestion's reason and each known status
// note by its English wording. en/messages.json holds none of these keys, so an English
// browser (or any language without them) shows the backend's own words, and so does
// anything the extension has no translation for: a new rule, LanguageTool's messages.
import type { AnalyzeResponse, Finding, SubjectSuggestion } from './contract';

/** The figures the backend fills into its templates, by its own placeholder names. */
export type Figure = 'name' | 'words' | 'match_text' | 'filename';

export interface FindingText {
  /** The messages.json key of the message; `<key>_explanation` is the explanation's. */
  key: string;
  /** The `$1`, `$2`... of the message and explanation, in this order. */
  figures: readonly Figure[];
  /** Worded like another check (pack.yaml `inherits`): its explanation key. */
  explanationKey?: string;
}

/** messages.json key of a rule or check id: Chrome's message names allow no hyphen. */
export function findingKey(id: string): string {
  return `finding_${id.replace(/-/g, '_')}`;
}

/**
 * The pack's checks that word one rule in two ways (pack.yaml `checks`, with `rule:` or
 * `inherits:`), and how to tell them apart from the finding alone. Every other finding is
 * worded by its rule id.
 */
export const VARIANTS: Readonly<Record<string, { rule: string; is: (f: Finding) => boolean; inherits?: string }>> = {
  // "Asking for 'an hour'..." points at the words; "no time frame at all" points nowhere.
  'long-time-frame': { rule: 'no-time-frame', is: (f) => f.match !== '' },
  'resume-attachment': { rule: 'resume-attached', is: (f) => f.field === 'attachments', inherits: 'resume-attached' },
};

/** Which figures each text fills in; the rest fill none. */
export const FIGURES: Readonly<Record<string, readonly Figure[]>> = {
  'referrer-not-in-subject': ['name'],
  'too-long': ['words'],
  'long-time-frame': ['match_text'],
  'resume-attachment': ['filename'],
};

export function findingText(f: Finding): FindingText {
  const variant = Object.entries(VARIANTS).find(([, v]) => v.rule === f.rule && v.is(f));
  const id = variant ? variant[0] : f.rule;
  const inherits = variant?.[1].inherits;
  return {
    key: findingKey(id),
    figures: FIGURES[id] ?? [],
    ...(inherits ? { explanationKey: `${findingKey(inherits)}_explanation` } : {}),
  };
}

/** What a finding's own fields and its response say, by the backend's placeholder names. */
function figureOf(figure: Figure, f: Finding, response: Pick<AnalyzeResponse, 'referrer' | 'stats'> | null): string | null {
  switch (figure) {
    case 'name':
      return response?.referrer?.name || null;
    case 'words':
      return typeof response?.stats?.words === 'number' ? String(response.stats.words) : null;
    case 'match_text':
      return f.match || null;
    case 'filename':
      return f.attachment || f.match || null;
  }
}

/** The UI language's wording of a key, or '' when that language has none. */
function localized(key: string, args: readonly string[] = []): string {
  const i18n = typeof chrome === 'undefined' ? undefined : chrome.i18n;
  if (!i18n?.getMessage) return '';
  try {
    return i18n.getMessage(key, [...args]);
  } catch {
    return ''; // a key Chrome refuses is one we have no words for
  }
}

/**
 * The finding in the UI language: message and explanation each translated when the
 * language has them and every figure they need is known, else the backend's English.
 */
export function localizeFinding(f: Finding, response: Pick<AnalyzeResponse, 'referrer' | 'stats'> | null): Finding {
  if (f.rule.startsWith('grammar:')) return localizeGrammar(f);
  const text = findingText(f);
  const args = text.figures.map((figure) => figureOf(figure, f, response));
  if (args.some((a) => a === null)) return f;
  const filled = args as string[];
  return translated(f, localized(text.key, filled), localized(text.explanationKey ?? `${text.key}_explanation`, filled));
}

/** How the backend explains a LanguageTool finding (analyzer.py); the message itself is
 * LanguageTool's, about English text, and stays English. */
export const GRAMMAR_EXPLANATION: NoteText = { template: 'Found by LanguageTool (rule {rule}, {issue_type}).', key: 'finding_grammar_explanation' };

function localizeGrammar(f: Finding): Finding {
  const values = matchTemplate(GRAMMAR_EXPLANATION.template, f.explanation);
  if (!values) return f;
  return translated(f, '', localized(GRAMMAR_EXPLANATION.key, [values.rule!, values.issue_type!]));
}

/** Which of a shown finding's texts are in the UI language (the rest is the backend's English). */
const TRANSLATED = new WeakMap<Finding, { message: boolean; explanation: boolean }>();

function translated(f: Finding, message: string, explanation: string): Finding {
  if (!message && !explanation) return f;
  const out = { ...f, message: message || f.message, explanation: explanation || f.explanation };
  TRANSLATED.set(out, { message: !!message, explanation: !!explanation });
  return out;
}

/**
 * `lang` for one of a finding's texts when it is the backend's English inside a panel in
 * another language (screen readers then read it with an English voice), else undefined.
 */
export function englishPart(f: Finding, part: 'message' | 'explanation', uiLang: string): 'en' | undefined {
  return TRANSLATED.get(f)?.[part] ? undefined : englishIn(uiLang);
}

/** `lang` for English text (the email's words, a subject to send) in a panel in `uiLang`. */
export function englishIn(uiLang: string): 'en' | undefined {
  return /^en(?:$|[-_])/.test(uiLang) ? undefined : 'en';
}

export function localizeFindings(findings: readonly Finding[], response: Pick<AnalyzeResponse, 'referrer' | 'stats'> | null): Finding[] {
  return findings.map((f) => localizeFinding(f, response));
}

/** The backend's reasons for its subject suggestions (subjects.py, referrer.py). */
export const SUBJECT_REASONS: Readonly<Record<string, string>> = {
  'Says what you want to talk about, in a few words.': 'subjectReason_topicQuestion',
  'Asks for their view, which people like to give.': 'subjectReason_topicTake',
  'A small, specific ask is easy to say yes to.': 'subjectReason_topicMinutes',
  'Names the referrer first, as career offices advise.': 'subjectReason_referrerSuggested',
  'Short, and the referrer is the first thing they read.': 'subjectReason_referredBy',
  'Leads with the person you have in common.': 'subjectReason_referrerRecommended',
  'Says at a glance how you found them.': 'subjectReason_introductionVia',
  'A warm opener that names the connection.': 'subjectReason_referrerThought',
};

/** The subject itself stays as written (the email is in English); its reason is ours. */
export function localizeSuggestion(s: SubjectSuggestion): SubjectSuggestion {
  const key = Object.hasOwn(SUBJECT_REASONS, s.reason) ? SUBJECT_REASONS[s.reason] : undefined;
  const reason = key ? localized(key) : '';
  return reason ? { ...s, reason } : s;
}

export interface NoteText {
  /** The backend's wording, with its figures as `{name}`, in the order of `$1`, `$2`... */
  template: string;
  key: string;
  /** Figures that are English phrases themselves: each known phrase's own key. */
  phrases?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Figures that are counts: anything but digits there is not this note. */
  counts?: readonly string[];
}

/** The status notes the analyzer and the Gmail lookup write (checks.notes). */
export const NOTES: readonly NoteText[] = [
  {
    template: 'resume-attached: not flagged, {where} shows they asked for it',
    key: 'note_resumeAsked',
    phrases: { where: { 'the Gmail thread': 'note_where_gmailThread', 'the quoted reply': 'note_where_quotedReply' } },
  },
  { template: '{rule}: {count} findings, the first {shown} listed', key: 'note_findingsCapped', counts: ['count', 'shown'] },
  { template: 'time budget reached: these rules were not run on this draft, shorten it to check them: {rules}', key: 'note_timeBudget' },
  { template: "gmail: access was revoked at Google; reconnect Gmail in Intro Coach's options", key: 'note_gmailRevoked' },
  { template: 'gmail: no answer within the deadline; next time', key: 'note_gmailDeadline' },
  { template: 'gmail: failed; rules only', key: 'note_gmailFailedRulesOnly' },
  { template: 'gmail: failed', key: 'note_gmailFailed' },
  { template: 'gmail: too many lookups; try again shortly', key: 'note_gmailBusy' },
  { template: 'gmail: Gmail did not answer; rules only', key: 'note_gmailNoAnswer' },
  { template: 'gmail: some messages could not be read; this may not be the whole answer', key: 'note_gmailPartial' },
  { template: 'gmail: no introduction among the {count} most recent emails that mention {who}', key: 'note_gmailNoIntroduction', counts: ['count'] },
  { template: "gmail: {email} introduced you, but their name isn't in the email; type it as the referrer", key: 'note_gmailIntroducerUnnamed' },
  { template: 'gmail: several introductions found; used the most recent, from {chosen} (also: {others})', key: 'note_gmailSeveralIntroductions' },
];

/** `{name}` pieces and the literal text between them. */
export function templateParts(template: string): { literals: string[]; names: string[] } {
  const literals: string[] = [];
  const names: string[] = [];
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{');
    const close = open < 0 ? -1 : rest.indexOf('}', open);
    if (close < 0) break;
    literals.push(rest.slice(0, open));
    names.push(rest.slice(open + 1, close));
    rest = rest.slice(close + 1);
  }
  literals.push(rest);
  return { literals, names };
}

/**
 * The figures of `text` if it is worded as `template`, else null. Plain string search
 * (each literal found left to right once), so a long note costs linear time.
 */
export function matchTemplate(template: string, text: string): Record<string, string> | null {
  const { literals, names } = templateParts(template);
  const first = literals[0]!;
  const last = literals[literals.length - 1]!;
  if (names.length === 0) return text === first ? {} : null;
  if (!text.startsWith(first) || !text.endsWith(last) || text.length < first.length + last.length) return null;
  const end = text.length - last.length;
  const values: Record<string, string> = {};
  let at = first.length;
  for (let i = 0; i < names.length; i++) {
    const isLast = i === names.length - 1;
    const literal = isLast ? '' : literals[i + 1]!;
    // From one past `at`: every figure has at least one character.
    const next = isLast ? end : text.indexOf(literal, at + 1);
    if (next <= at || next + literal.length > end) return null;
    values[names[i]!] = text.slice(at, next);
    at = next + literal.length;
  }
  return values;
}

/** A status note in the UI language, or as the backend wrote it. */
export function localizeNote(note: string): string {
  for (const n of NOTES) {
    const values = matchTemplate(n.template, note);
    if (!values) continue;
    if (n.counts?.some((c) => !/^\d+$/.test(values[c] ?? ''))) continue;
    const args: string[] = [];
    for (const name of templateParts(n.template).names) {
      const value = values[name]!;
      const choices = n.phrases?.[name];
      if (!choices) {
        args.push(value);
        continue;
      }
      const key = Object.hasOwn(choices, value) ? choices[value] : undefined;
      const phrase = key ? localized(key) : '';
      if (!phrase) return note; // an English phrase we have no words for
      args.push(phrase);
    }
    return localized(n.key, args) || note;
  }
  return note;
}

/** The messages.json keys that hold the backend's words (in no English file). */
export function isBackendTextKey(key: string): boolean {
  return /^(finding|subjectReason|note)_/.test(key);
}
