/** Time as a dependency: production uses the system clock, tests pass a fake one. */

/** Reads the current time and waits. Injected into every client so tests never sleep for real. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock that only moves when something sleeps on it or when `advance` is called.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2026, 10, 28));
 * await clock.sleep(1000); // returns at once; clock.now() is one second later
 */
export class ManualClock implements Clock {
  constructor(private current = 0) {}
  now(): number {
    return this.current;
  }
  sleep(ms: number): Promise<void> {
    this.current += Math.max(0, ms);
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
