/**
 * The Worker of the many-targets bench (`bench/targets.ts`): `src/worker.ts`'s handlers, the
 * same code, on a {@linkcode ScaledClock} read from two bindings (`BENCH_TIME_SCALE`,
 * `BENCH_TIME_ORIGIN`): the runs, the fan-out's schedule and the Calltouch gate take scaled
 * time, and the queue's delays (the schedule's `delaySeconds`, continuations, retries) are
 * divided by the scale on their way to the real local queue. Only the bench bundles it.
 */
import { type Env } from "../src/env.ts";
import { consume, runEveryTarget, type SyncMessage } from "../src/fan_out.ts";
import { createApp } from "../src/http/app.tsx";
import type { QueueBatch, QueueProducer, ScheduledEvent } from "../src/platform.ts";
import { ScaledClock } from "./scaled_clock.ts";

import { RateGate as SystemRateGate } from "../src/util/rate_gate.ts";

let clock: ScaledClock | undefined;

/** The deployment's gate, on the scaled clock. */
export class RateGate extends SystemRateGate {
  constructor(state: unknown, env: Env) {
    super(state, env, clockOf(env));
  }
}

function clockOf(env: Env): ScaledClock {
  clock ??= new ScaledClock(Number(env.BENCH_TIME_SCALE ?? 1), Number(env.BENCH_TIME_ORIGIN));
  return clock;
}

/** `env` whose queue producer sends scaled delays as real ones. */
function scaledEnv(env: Env): Env {
  const queue = env.SYNC_QUEUE as QueueProducer<SyncMessage> | undefined;
  if (!queue) return env;
  const c = clockOf(env);
  const real = (delaySeconds?: number) =>
    delaySeconds === undefined ? {} : { delaySeconds: c.realSeconds(delaySeconds) };
  const scaled: QueueProducer<SyncMessage> = {
    send: (body, options) => queue.send(body, real(options?.delaySeconds)),
    sendBatch: (messages) =>
      queue.sendBatch(
        [...messages].map((m) => ({ body: m.body, ...real(m.delaySeconds) })),
      ),
  };
  return { ...env, SYNC_QUEUE: scaled };
}

const app = createApp();

export default {
  fetch: app.fetch,
  async scheduled(event: ScheduledEvent, env: Env): Promise<void> {
    await runEveryTarget(scaledEnv(env), { trigger: "cron", cron: event.cron }, {
      clock: clockOf(env),
    });
  },
  async queue(batch: QueueBatch<SyncMessage>, env: Env): Promise<void> {
    const c = clockOf(env);
    const messages = batch.messages.map((message) => ({
      id: message.id,
      body: message.body,
      attempts: message.attempts,
      ack: () => message.ack(),
      retry: (options?: { delaySeconds?: number }) =>
        message.retry(
          options?.delaySeconds === undefined
            ? undefined
            : { delaySeconds: c.realSeconds(options.delaySeconds) },
        ),
    }));
    await consume({ queue: batch.queue, messages }, scaledEnv(env), { clock: c });
  },
};
