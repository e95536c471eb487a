// Analysis runs after a pause in typing, and only the newest run matters: starting a run
// aborts the one before it, so a slow answer to an old draft never overwrites a new one.

import { reportError } from './guard';

export type Run = (signal: AbortSignal) => void | Promise<void>;

export class Debouncer {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private current: AbortController | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly run: Run,
  ) {}

  /** Restart the wait; the run happens `delayMs` after the last call. */
  schedule(delayMs = this.delayMs): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.now(), delayMs);
  }

  /** Run at once, cancelling any wait and any run in flight. */
  now(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    void Promise.resolve()
      .then(() => this.run(controller.signal))
      // A run should report its own failures; one that slips through is still reported,
      // never rejected into the page.
      .catch((error: unknown) => reportError('run', error));
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Stop for good: no pending run, and the run in flight aborted. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.current?.abort();
    this.current = undefined;
  }
}
