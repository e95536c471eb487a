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
}

/** What the content script reads from one compose window; the worker adds `options`. */
export interface DraftFields {
  subject: string;
  body: { text: string };
  to: Recipient[];
  cc: Recipient[];
  attachments: Attachment[];
  thread_id: string | null;
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
  grammar: 'ok' | 'unavailable' | 'off';
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

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'suggestion'];

/** Checks the parts of a response the panel relies on, so a wrong backend URL (some other
 * service answering 200) shows as a status line instead of a crash while rendering. */
export function isAnalyzeResponse(value: unknown): value is AnalyzeResponse {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.findings) &&
    v.findings.every(isFinding) &&
    Array.isArray(v.subject_suggestions) &&
    typeof v.checks === 'object' &&
    v.checks !== null
  );
}

function isFinding(value: unknown): value is Finding {
  if (typeof value !== 'object' || value === null) return false;
  const f = value as Record<string, unknown>;
  return (
    typeof f.id === 'string' &&
    typeof f.rule === 'string' &&
    SEVERITIES.includes(f.severity as Severity) &&
    (f.field === 'subject' || f.field === 'body' || f.field === 'attachments') &&
    typeof f.start === 'number' &&
    typeof f.end === 'number' &&
    typeof f.message === 'string' &&
    Array.isArray(f.replacements)
  );
}
