/** A fake clock for tests. */
import type { Clock } from "../../src/util/clock.ts";

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
