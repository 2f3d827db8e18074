/**
 * A Cloudflare queue on a manual clock, in this process: the producer binding records each
 * message with its `delaySeconds`, and `drain()` delivers them to the real consumer
 * (`consume()` of `src/fan_out.ts`) one at a time in order of when they are due, moving the
 * clock forward to each, honouring `ack()` and `retry({ delaySeconds })` (with `maxRetries`,
 * then the dead-letter queue). Minutes of queue delays take no real time.
 */
import type { QueueBatch, QueueMessage, QueueProducer } from "../../src/platform.ts";
import type { ManualClock } from "./clock.ts";

/** A message waiting in the queue. */
interface Pending<Body> {
  body: Body;
  due: number;
  attempts: number;
  seq: number;
}

/** What {@linkcode ManualQueue.drain} delivered. */
export interface Delivery<Body> {
  body: Body;
  /** Clock time of the delivery (epoch ms). */
  at: number;
  attempts: number;
  outcome: "ack" | "retry" | "dead";
}

/** The queue: `producer` is the `SYNC_QUEUE` binding; `drain` runs the consumer. */
export class ManualQueue<Body> {
  readonly #pending: Pending<Body>[] = [];
  readonly deliveries: Delivery<Body>[] = [];
  /** Messages given up after `maxRetries` retries. */
  readonly dead: Body[] = [];
  #seq = 0;

  constructor(
    private readonly clock: ManualClock,
    private readonly options: { name?: string; maxRetries?: number } = {},
  ) {}

  /** The producer binding. */
  readonly producer: QueueProducer<Body> = {
    send: (body, options) => {
      this.#push(body, options?.delaySeconds ?? 0, 0);
      return Promise.resolve();
    },
    sendBatch: (messages) => {
      for (const message of messages) this.#push(message.body, message.delaySeconds ?? 0, 0);
      return Promise.resolve();
    },
  };

  /** Messages waiting. */
  get size(): number {
    return this.#pending.length;
  }

  #push(body: Body, delaySeconds: number, attempts: number): void {
    this.#pending.push({
      body,
      due: this.clock.now() + delaySeconds * 1000,
      attempts,
      seq: this.#seq++,
    });
  }

  /**
   * Delivers every message (and those its consumer sends meanwhile) to `consume`, one batch of
   * one at a time, at most `maxDeliveries` of them.
   */
  async drain(
    consume: (batch: QueueBatch<Body>) => Promise<void>,
    maxDeliveries = 10_000,
  ): Promise<void> {
    for (let n = 0; this.#pending.length > 0; n++) {
      if (n >= maxDeliveries) throw new Error(`ManualQueue: more than ${maxDeliveries} deliveries`);
      this.#pending.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.#pending.shift()!;
      if (next.due > this.clock.now()) this.clock.advance(next.due - this.clock.now());
      const decided: { outcome: "ack" | "retry"; retryDelay: number } = {
        outcome: "ack",
        retryDelay: 0,
      };
      const message: QueueMessage<Body> = {
        id: `m${next.seq}`,
        body: next.body,
        attempts: next.attempts + 1,
        ack: () => {
          decided.outcome = "ack";
        },
        retry: (options) => {
          decided.outcome = "retry";
          decided.retryDelay = options?.delaySeconds ?? 0;
        },
      };
      const at = this.clock.now();
      await consume({ queue: this.options.name ?? "calltouch-sync", messages: [message] });
      const { outcome, retryDelay } = decided;
      const dead = outcome === "retry" && message.attempts > (this.options.maxRetries ?? 3);
      this.deliveries.push({
        body: next.body,
        at,
        attempts: message.attempts,
        outcome: dead ? "dead" : outcome,
      });
      if (dead) this.dead.push(next.body);
      else if (outcome === "retry") this.#push(next.body, retryDelay, message.attempts);
    }
  }
}
