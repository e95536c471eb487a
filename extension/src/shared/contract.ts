// The analyzer's HTTP contract (DESIGN.md, "The analyzer contract"). The backend rejects
// unknown request fields with a 422, so these types are the exact shape we send.

export type Severity = 'error' | 'warning' | 'suggestion';
export type FieldName = 'subject' | 'body' | 'attachments';

export interface Recipient {
  email: string;
  name: string | null;
}

export interface Attachment {
  filename: string;
  mime_type: string | null;
  size: number | null;
}

export interface IgnoredFinding {
  rule: string;
  match: string;
}

export interface AnalyzeOptions {
  disabled_rules: string[];
  ignored: IgnoredFinding[];
  grammar: boolean;
  /** LanguageTool's picky level: more style and typography suggestions. */
  grammar_picky: boolean;
}

/** What the content script reads from one compose window; the worker adds `options`. */
export interface DraftFields {
  subject: string;
  body: { text: string };
  to: Recipient[];
  cc: Recipient[];
  attachments: Attachment[];
  thread_id: string | null;
  /** null: the backend finds the referrer; '': the user says nobody referred them; else
   * the name the user typed. */
  referrer: string | null;
}

export interface AnalyzeRequest extends DraftFields {
  options: AnalyzeOptions;
}

export interface Finding {
  id: string;
  rule: string;
  severity: Severity;
  field: FieldName;
  start: number;
  end: number;
  match: string;
  message: string;
  explanation: string;
  link: string | null;
  replacements: string[];
  attachment: string | null;
}

export interface SubjectSuggestion {
  subject: string;
  referrer: string | null;
  reason: string;
}

export interface Checks {
  rules: 'ok';
  grammar: 'ok' | 'unavailable' | 'timeout' | 'off';
  gmail: 'ok' | 'not_connected' | 'unavailable';
  notes?: string[];
}

export interface AnalyzeResponse {
  findings: Finding[];
  subject_suggestions: SubjectSuggestion[];
  referrer: { name: string; source: 'body' | 'gmail' | 'user' } | null;
  stats: { words: number; sentences: number; questions: number; reading_grade: number };
  checks: Checks;
}

/** `POST /v1/grammar`: spelling and grammar alone, asked for after the rules answered. */
export interface GrammarResponse {
  findings: Finding[];
  checks: Checks;
}

/** Grammar findings are the ones from LanguageTool: `grammar:<LanguageTool rule id>`. */
export function isGrammarFinding(f: Finding): boolean {
  return f.rule.startsWith('grammar:');
}

export function isGrammarResponse(value: unknown): value is GrammarResponse {
  return isObject(value) && Array.isArray(value.findings) && value.findings.every(isFinding) && isChecks(value.checks);
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'suggestion'];

/**
 * Checks every field of a response the extension reads, so that a wrong backend URL (some
 * other service answering 200) or an older backend shows as a status line, never as a
 * crash or a garbled panel (a string where a list belongs is not a list of characters).
 */
export function isAnalyzeResponse(value: unknown): value is AnalyzeResponse {
  if (!isObject(value)) return false;
  return (
    Array.isArray(value.findings) &&
    value.findings.every(isFinding) &&
    Array.isArray(value.subject_suggestions) &&
    value.subject_suggestions.every(isSuggestion) &&
    (value.referrer === null || value.referrer === undefined || (isObject(value.referrer) && typeof value.referrer.name === 'string')) &&
    (value.stats === undefined || value.stats === null || (isObject(value.stats) && isCount(value.stats.words))) &&
    isChecks(value.checks)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isChecks(value: unknown): value is Checks {
  if (!isObject(value)) return false;
  const states = (v: unknown, allowed: readonly string[]) => v === undefined || (typeof v === 'string' && allowed.includes(v));
  return (
    states(value.grammar, ['ok', 'unavailable', 'timeout', 'off']) &&
    states(value.gmail, ['ok', 'not_connected', 'unavailable']) &&
    (value.notes === undefined || (Array.isArray(value.notes) && value.notes.every((n) => typeof n === 'string')))
  );
}

function isSuggestion(value: unknown): value is SubjectSuggestion {
  return isObject(value) && typeof value.subject === 'string' && typeof value.reason === 'string' && isStringOrNull(value.referrer ?? null);
}

function isFinding(value: unknown): value is Finding {
  if (!isObject(value)) return false;
  const f = value;
  return (
    typeof f.id === 'string' &&
    typeof f.rule === 'string' &&
    SEVERITIES.includes(f.severity as Severity) &&
    (f.field === 'subject' || f.field === 'body' || f.field === 'attachments') &&
    isCount(f.start) &&
    isCount(f.end) &&
    f.end >= f.start &&
    typeof f.match === 'string' &&
    typeof f.message === 'string' &&
    typeof f.explanation === 'string' &&
    isStringOrNull(f.link ?? null) &&
    Array.isArray(f.replacements) &&
    f.replacements.every((r) => typeof r === 'string') &&
    isStringOrNull(f.attachment ?? null)
  );
}
