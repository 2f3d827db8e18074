/** A fake clock for tests. */
import { type Clock, timerSleep } from "../../src/util/clock.ts";

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
 * A clock of discrete events: time stands still while anything is ready to run, and when all
 * is waiting it jumps to the earliest sleep due (checked on a real zero timer, after every
 * pending promise has run). Concurrent code sees its sleeps end in order, as with real time,
 * without waiting for real. An aborted sleep ends at once, without moving time.
 *
 * @example
 * const clock = new EventClock(0);
 * await Promise.all([clock.sleep(100), clock.sleep(50)]); // clock.now() is 100
 */
export class EventClock implements Clock {
  #now: number;
  #sleeps: { at: number; wake: () => void }[] = [];
  #ticking = false;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleep = { at: this.#now + Math.max(0, ms), wake: resolve };
      this.#sleeps.push(sleep);
      signal?.addEventListener("abort", () => {
        this.#sleeps = this.#sleeps.filter((s) => s !== sleep);
        resolve();
      }, { once: true });
      this.#tick();
    });
  }

  #tick(): void {
    if (this.#ticking) return;
    this.#ticking = true;
    setTimeout(() => {
      this.#ticking = false;
      if (this.#sleeps.length === 0) return;
      const at = Math.min(...this.#sleeps.map((s) => s.at));
      this.#now = Math.max(this.#now, at);
      const due = this.#sleeps.filter((s) => s.at <= this.#now);
      this.#sleeps = this.#sleeps.filter((s) => s.at > this.#now);
      for (const s of due) s.wake();
      if (this.#sleeps.length > 0) this.#tick();
    }, 0);
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

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return timerSleep(Math.max(0, ms) / this.scale, signal);
  }

  /** Whole real seconds of a scaled delay (a queue's `delaySeconds`), never later than asked. */
  realSeconds(scaledSeconds: number): number {
    return Math.floor(scaledSeconds / this.scale);
  }
}
