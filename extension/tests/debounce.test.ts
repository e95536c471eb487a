import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Debouncer } from '../src/content/debounce';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('debounce and cancellation', () => {
  test('a burst of keystrokes makes one run, 250 ms after the last', async () => {
    const run = vi.fn();
    const d = new Debouncer(250, run);
    for (let i = 0; i < 10; i++) {
      d.schedule();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(149);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  test('a newer run aborts the one in flight', async () => {
    const signals: AbortSignal[] = [];
    const d = new Debouncer(250, (signal) => {
      signals.push(signal);
      return new Promise(() => undefined); // never answers
    });
    d.schedule();
    await vi.advanceTimersByTimeAsync(250);
    expect(signals[0]!.aborted).toBe(false);
    d.schedule();
    await vi.advanceTimersByTimeAsync(100);
    expect(signals[0]!.aborted).toBe(false); // still the newest until the next one starts
    await vi.advanceTimersByTimeAsync(150);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]!.aborted).toBe(false);
  });

  test('cancel stops the pending run and aborts the one in flight', async () => {
    const signals: AbortSignal[] = [];
    const d = new Debouncer(250, (signal) => void signals.push(signal));
    d.now();
    await vi.advanceTimersByTimeAsync(0);
    d.schedule();
    expect(d.pending).toBe(true);
    d.cancel();
    await vi.advanceTimersByTimeAsync(1000);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(d.pending).toBe(false);
  });

  // Vitest fails the run on an unhandled rejection, so escaping would show too.
  test('a run that throws does not escape: it is reported, and the next run still happens', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const run = vi.fn(async () => {
      throw new Error('boom');
    });
    const d = new Debouncer(10, run);
    d.now();
    await vi.advanceTimersByTimeAsync(0);
    d.schedule(5);
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls).toEqual([['Intro Coach: run failed (Error)'], ['Intro Coach: run failed (Error)']]);
    warn.mockRestore();
  });
});
