import { afterEach, describe, expect, test, vi } from 'vitest';
import { isAnalyzeResponse } from '../src/shared/contract';
import { isAnalyzeResult } from '../src/shared/messages';
import { requestAnalysis } from '../src/content/worker-client';
import { analyzeRequest, finding, response } from './fixtures';

describe('answers are checked field by field', () => {
  test('a well-formed answer passes', () => {
    expect(isAnalyzeResponse(response([finding()]))).toBe(true);
    expect(isAnalyzeResult({ kind: 'ok', response: response([]) })).toBe(true);
  });

  test('a string where a list belongs, a wrong type in a finding, an unknown kind: rejected', () => {
    expect(isAnalyzeResponse(response([], { checks: { rules: 'ok', grammar: 'ok', gmail: 'ok', notes: 'one note' as never } }))).toBe(false);
    expect(isAnalyzeResponse(response([finding({ start: '3' as never })]))).toBe(false);
    expect(isAnalyzeResponse(response([finding({ replacements: [1] as never })]))).toBe(false);
    expect(isAnalyzeResponse(response([finding({ start: 9, end: 3 })]))).toBe(false);
    expect(isAnalyzeResponse(response([], { subject_suggestions: [{ subject: 1 }] as never }))).toBe(false);
    expect(isAnalyzeResult({ kind: 'refused', backendUrl: 'x', status: '500', detail: '' })).toBe(false);
    expect(isAnalyzeResult({ kind: 'weird' })).toBe(false);
    expect(isAnalyzeResult('ok')).toBe(false);
  });
});

describe('talking to the service worker', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubChrome(sendMessage: () => Promise<unknown>, id = 'abc'): void {
    vi.stubGlobal('chrome', { runtime: { id, sendMessage } });
  }

  const draft = { ...analyzeRequest, options: undefined } as never;

  test('no answer, or an answer of the wrong shape, is transient: ask again', async () => {
    stubChrome(async () => undefined);
    expect(await requestAnalysis('c1', draft, new AbortController().signal)).toEqual({ kind: 'transient' });
    stubChrome(async () => ({ kind: 'ok', response: { findings: 'none' } }));
    expect(await requestAnalysis('c1', draft, new AbortController().signal)).toEqual({ kind: 'transient' });
  });

  test('a failed send while the extension is still there is transient (the worker was starting)', async () => {
    stubChrome(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    expect(await requestAnalysis('c1', draft, new AbortController().signal)).toEqual({ kind: 'transient' });
  });

  test('an invalidated context (reloaded or removed extension) is gone for good', async () => {
    stubChrome(async () => {
      throw new Error('Extension context invalidated.');
    }, '');
    expect(await requestAnalysis('c1', draft, new AbortController().signal)).toEqual({ kind: 'extension-gone' });
  });
});
