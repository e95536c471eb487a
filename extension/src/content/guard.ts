// Code running inside Gmail must never throw into the page: every callback we hand to the
// page (event listeners, observers, timers) goes through `guarded`. With
// <html data-intro-coach-profile> (set by the benchmark) each call is also timed with the
// Performance API, which the page can read back as "intro-coach:<name>" measures.

const profiling = typeof document !== 'undefined' && document.documentElement.hasAttribute('data-intro-coach-profile');

export function guarded<A extends unknown[]>(name: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    const start = profiling ? performance.now() : 0;
    try {
      fn(...args);
    } catch (error) {
      reportError(name, error);
    } finally {
      if (profiling) performance.measure(`intro-coach:${name}`, { start, end: performance.now() });
    }
  };
}

export function reportError(where: string, error: unknown): void {
  // Only the error type and place: a message could quote the draft.
  console.warn(`Intro Coach: ${where} failed (${error instanceof Error ? error.name : typeof error})`);
}

/** Runs `fn` and, when profiling, records its time as "intro-coach:<name>". */
export function timed<T>(name: string, fn: () => T): T {
  if (!profiling) return fn();
  const start = performance.now();
  try {
    return fn();
  } finally {
    performance.measure(`intro-coach:${name}`, { start, end: performance.now() });
  }
}
