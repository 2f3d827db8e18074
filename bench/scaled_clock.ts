/**
 * A clock that runs `scale` times faster than the real one, from `origin` (epoch ms) on: the
 * many-targets bench runs the Worker, its queue delays and both emulators on it, so a tick that
 * spreads 500 clinics over half an hour (Google's 60 reads a minute) takes minutes of real time.
 * Every part that counts a quota's window (the emulators, the Worker's limiters, the schedule,
 * the `RATE_GATE` object) reads the same scaled time; what does not scale is the real work (CPU,
 * local I/O), which therefore looks `scale` times slower in scaled time: the bench reports it.
 */
import type { Clock } from "../src/util/clock.ts";

/** Scales that divide a minute into whole real seconds (queue delays are whole seconds). */
export const TIME_SCALES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

/** Time `scale` times faster than real time, from `origin` on. */
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
