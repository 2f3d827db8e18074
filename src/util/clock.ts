/** Time as a dependency: production uses the system clock, tests pass a fake one. */

/** Reads the current time and waits. Injected into every client so tests never sleep for real. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Resolves after `ms` milliseconds, or at once when `signal` aborts (a wake-up no longer
   * needed: its timer must not keep a process alive).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** `setTimeout` as a {@linkcode Clock}'s sleep: cleared when `signal` aborts. */
export function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: timerSleep,
};
