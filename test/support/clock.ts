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

/**
 * A clock that runs `scale` times faster than the real one, from `origin` (epoch ms) on: the
 * many-targets bench runs the Worker, its queue delays and the emulators on it (each process
 * builds its own from the same scale and origin), so a tick spread over half an hour takes
 * minutes. What does not scale is real work (CPU, local I/O, an event loop busy elsewhere),
 * which therefore looks `scale` times slower in scaled time.
 */
export class ScaledClock implements Clock {
  constructor(readonly scale: number, readonly origin: number = Date.now()) {
    if (!(scale >= 1)) throw new RangeError(`scale must be at least 1, got ${scale}`);
  }

  now(): number {
    return this.origin + (Date.now() - this.origin) * this.scale;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / this.scale));
  }

  /** Whole real seconds of a scaled delay (a queue's `delaySeconds`), never later than asked. */
  realSeconds(scaledSeconds: number): number {
    return Math.floor(scaledSeconds / this.scale);
  }
}
