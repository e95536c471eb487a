// Set-up shared by the end-to-end files' describe blocks (vitest only: harness.ts also
// serves the benchmark, which has no test runner).

import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { Backend, freePort } from './harness';

export interface RunningBackend {
  readonly url: string;
  readonly port: number;
}

/** A real backend for the tests of the calling describe block: started before them (with
 * `screenshots`, the folder their pictures go to, created), stopped after them. */
export function withBackend(screenshots?: string): RunningBackend {
  let backend: Backend | undefined;
  beforeAll(async () => {
    if (screenshots) mkdirSync(screenshots, { recursive: true });
    backend = new Backend(await freePort());
    await backend.start();
  });
  afterAll(async () => {
    await backend?.dispose();
  });
  const started = (): Backend => {
    if (!backend) throw new Error('the backend starts in beforeAll');
    return backend;
  };
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
  };
}
