import { describe, expect, test, vi } from 'vitest';
import { postAnalyze } from '../src/background/backend';
import { analyzeRequest as request, finding, response } from './fixtures';


const json = (status: number, body: unknown) =>
  vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));

describe('POST /v1/analyze from the service worker', () => {
  test('sends exactly the request, as JSON, without cookies', async () => {
    const fetch = json(200, response([finding()]));
    const result = await postAnalyze('http://127.0.0.1:8000', request, new AbortController().signal, null, fetch);
    expect(result).toEqual({ kind: 'ok', response: response([finding()]) });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:8000/v1/analyze');
    expect(JSON.parse(init.body as string)).toEqual(request);
    expect(init.credentials).toBe('omit');
  });

  test('nothing listening: unreachable', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await postAnalyze('http://127.0.0.1:1', request, new AbortController().signal, null, fetch)).toEqual({
      kind: 'unreachable',
      backendUrl: 'http://127.0.0.1:1',
    });
  });

  test('cancelled by a newer request', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_ok, fail) => init.signal!.addEventListener('abort', () => fail(new DOMException('aborted', 'AbortError')))),
    );
    const pending = postAnalyze('http://x', request, controller.signal, null, fetch as unknown as typeof globalThis.fetch);
    controller.abort();
    expect(await pending).toEqual({ kind: 'cancelled' });
  });

  test('a 422 says which field was wrong', async () => {
    const fetch = json(422, { detail: [{ loc: ['body', 'options', 'grammar'], msg: 'Input should be a valid boolean' }] });
    expect(await postAnalyze('http://x', request, new AbortController().signal, null, fetch)).toEqual({
      kind: 'refused',
      backendUrl: 'http://x',
      status: 422,
      detail: 'body.options.grammar: Input should be a valid boolean',
    });
  });

  test('some other service answering 200 is refused, not rendered', async () => {
    const fetch = vi.fn(async () => new Response('<html>hello</html>', { status: 200 }));
    const result = await postAnalyze('http://x', request, new AbortController().signal, null, fetch);
    expect(result).toMatchObject({ kind: 'refused', status: 200 });
  });
});
