import type { AnalyzeRequest, AnalyzeResponse, Finding } from '../src/shared/contract';

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'informational-interview:body:1',
    rule: 'informational-interview',
    severity: 'warning',
    field: 'body',
    start: 15,
    end: 41,
    match: 'an informational interview',
    message: 'Don\'t call it an "informational interview".',
    explanation: 'People who get many of these requests are jaded.',
    link: 'https://capd.mit.edu/networking',
    replacements: ['a 20-minute conversation'],
    attachment: null,
    ...overrides,
  };
}

export function response(findings: Finding[], overrides: Partial<AnalyzeResponse> = {}): AnalyzeResponse {
  return {
    findings,
    subject_suggestions: [],
    referrer: null,
    stats: { words: 12, sentences: 1, questions: 0, reading_grade: 6 },
    checks: { rules: 'ok', grammar: 'off', gmail: 'not_connected', notes: [] },
    ...overrides,
  };
}

export const analyzeRequest: AnalyzeRequest = {
  subject: 'Hi',
  body: { text: 'Hello' },
  to: [],
  cc: [],
  attachments: [],
  thread_id: null,
  referrer: null,
  options: { disabled_rules: [], ignored: [], grammar: true, grammar_picky: false },
};
