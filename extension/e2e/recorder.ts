// What the extension actually sends to the backend, seen from the backend's side: a
// pass-through on loopback in front of the real backend. The extension is pointed at it
// like at any backend URL; every request goes on unchanged to the backend, and the test
// keeps each /v1/analyze exchange in its own memory (never on disk, never in a log) to
// assert on the fields the extension read from Gmail.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnalyzeRequest, AnalyzeResponse } from '../src/shared/contract';

export interface Analysis {
  request: AnalyzeRequest;
  response: AnalyzeResponse | null;
}

/** Hop-by-hop headers, and those `fetch` recomputes (it also decompresses the body). */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

export class Recorder {
  readonly analyses: Analysis[] = [];
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly target: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.forward(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }

  /** Forgets what was recorded: each test starts from nothing. */
  forget(): void {
    this.analyses.length = 0;
  }

  /** The analyses whose draft `pick` accepts, oldest first. */
  sent(pick: (request: AnalyzeRequest) => boolean = () => true): Analysis[] {
    return this.analyses.filter((a) => pick(a.request));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !NOT_FORWARDED.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const path = req.url ?? '/';
    const analysis: Analysis | null = req.method === 'POST' && path.split('?')[0] === '/v1/analyze' ? { request: JSON.parse(body.toString()) as AnalyzeRequest, response: null } : null;
    if (analysis) this.analyses.push(analysis);
    const answer = await fetch(this.target + path, {
      method: req.method ?? 'GET',
      headers,
      ...(body.length > 0 ? { body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const payload = Buffer.from(await answer.arrayBuffer());
    if (analysis && answer.ok) analysis.response = JSON.parse(payload.toString()) as AnalyzeResponse;
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!NOT_FORWARDED.has(name)) out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(payload);
  }
}
