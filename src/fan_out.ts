/**
 * Running every target of a deployment (see `targets.ts`). With a `SYNC_QUEUE` producer binding
 * a cron tick only enqueues one message per target and the queue consumer runs each target in its
 * own invocation (its own CPU and subrequest budget); without one, the targets run one after
 * another in the tick itself, which needs nothing else.
 *
 * Queue semantics: a run cut by its request or time budget enqueues its continuation (after
 * {@linkcode CONTINUE_AFTER_SECONDS}, at most {@linkcode MAX_CONTINUATIONS} in a chain) instead of
 * waiting for the next tick; a failed run that
 * may heal (Google, Calltouch, internal) is retried by the queue with backoff, and after the
 * queue's `max_retries` lands in the dead-letter queue, whose consumer records it for the status
 * page; a settings problem is not retried (it shows on the status page at once), nor is a run
 * whose Calltouch project has spent its daily points (the next day's ticks carry on, see
 * `sync/rest.ts`); a message whose target is running already is dropped (the lease, see
 * `sync/lease.ts`).
 *
 * Quotas shared by the targets: a tick does not start every run at once. Each target gets its
 * start within the tick (`schedule.ts`: Google's per-minute reads of each service account and
 * project, with headroom for manual runs), as the message's `delaySeconds`, or as a wait between
 * inline runs; targets that do not fit the cron interval go to later ticks in turn. Calltouch's
 * per-IP rate is paced by the `RATE_GATE` Durable Object (see `env.ts`) across every isolate.
 */
import { type Config, ConfigError, deploymentSetting } from "./settings/config.ts";
import { MAX_RUN_SECONDS, MIN_SUBREQUESTS } from "./settings/table.ts";
import { type Env, workerDeps } from "./env.ts";
import type { KeyValueStore, QueueBatch, QueueMessage, QueueProducer } from "./platform.ts";
import { logLine, type RunReport, type Trigger } from "./sync/report.ts";
import { runSync, type SyncOptions } from "./sync/run.ts";
import { loadTargets, type TargetSettings } from "./settings/targets.ts";
import { planTick, type TickPlan } from "./schedule.ts";
import { tickMinutes } from "./util/cron.ts";
import { type Clock, systemClock } from "./util/clock.ts";

/** What a queue message asks: run this target, as this trigger. */
export interface SyncMessage {
  target: string;
  trigger: Exclude<Trigger, "dry-run">;
  cron?: string;
  retryHeld?: boolean;
  /** A continuation: how many runs of this chain came before (see {@linkcode MAX_CONTINUATIONS}). */
  hop?: number;
}

/**
 * Continuations one tick's run may chain: a run that keeps stopping (a budget too small to send
 * anything, say) must not requeue itself forever; the next tick starts again.
 */
export const MAX_CONTINUATIONS = 50;
/** A continuation that finds the lease (its own run's, not yet gone everywhere) waits this long. */
export const LEASE_WAIT_SECONDS = 60;

/** Seconds a continuation waits (a budget cut: let Calltouch's rate window pass). */
export const CONTINUE_AFTER_SECONDS = 5;
/** `sendBatch` takes at most 100 messages. */
const SEND_BATCH_MESSAGES = 100;

/**
 * A target's settings when `count` targets share one invocation (no queue): its request budget
 * divided among them (the invocation's subrequest limit is one for all), and its time budget cut
 * so that all fit in a cron invocation's 15 minutes. What does not fit is marked ⏳ and sent by
 * the next tick.
 */
export function shareOfInvocation<C extends Config | ConfigError>(config: C, count: number): C {
  if (config instanceof ConfigError) return config; // its run reports the settings problem
  return {
    ...config,
    maxSubrequests: Math.max(MIN_SUBREQUESTS, Math.floor(config.maxSubrequests / count)),
    // Together within a cron invocation's 15 minutes (the longest one run may take).
    timeBudgetMs: 1000 *
      Math.max(1, Math.min(config.timeBudgetMs / 1000, Math.floor(MAX_RUN_SECONDS / count))),
  };
}

/** Queue names ending so are dead-letter queues (`calltouch-sync-dead`). */
export const DEAD_LETTER_SUFFIX = "-dead";
/** Dead letters kept for the status page. */
const DEAD_LETTERS_KEPT = 20;
/** The KV key of the dead letters (deployment-wide: a message names its target). */
export const DEAD_LETTERS_KEY = "v2:dead-letters";

/** A message the queue gave up on, as the status page shows it. */
export interface DeadLetter {
  target: string;
  at: string;
  attempts: number;
}

/** The producer binding, if the deployment has one. */
export function syncQueue(env: Env): QueueProducer<SyncMessage> | undefined {
  const queue = env.SYNC_QUEUE as QueueProducer<SyncMessage> | undefined;
  return typeof queue?.sendBatch === "function" ? queue : undefined;
}

/**
 * What running or enqueuing every target gave; `problems`: targets left out (see targets.ts);
 * `deferred`: targets whose turn is a later tick (the quotas, see `schedule.ts`).
 */
export type FanOut =
  & { problems: string[]; deferred?: string[] }
  & ({ enqueued: string[] } | { reports: { target: string; report: RunReport }[] });

/** What {@linkcode runEveryTarget} and {@linkcode consume} take besides `env`. */
export interface FanOutDeps {
  /** Default: the system clock (the benchmark passes a faster one). */
  clock?: Clock;
  /** Enqueue when the deployment has a queue. Default true. */
  enqueue?: boolean;
}

/** The deployment's `GOOGLE_READS_PER_MINUTE`. */
export function readsPerMinuteOf(env: Env): number {
  return deploymentSetting(env, "GOOGLE_READS_PER_MINUTE") as number;
}

/** Minutes a cron tick spreads its runs over when its cron cannot be read. */
const UNKNOWN_INTERVAL_MINUTES = 1;

/**
 * Where the runs of a tick go: a cron tick's over its interval (inline: within one invocation's
 * 15 minutes), a manual run of every target's as far as the quotas need. Pure.
 */
export function tickPlan(
  targets: readonly TargetSettings[],
  options: Pick<SyncOptions, "trigger" | "cron">,
  at: number,
  inline: boolean,
  readsPerMinute?: number,
): TickPlan {
  const scheduled = targets.map((target) => ({
    id: target.id,
    account: (target.config as Config).google?.serviceAccount?.clientEmail ?? "",
  }));
  let interval = options.trigger === "cron"
    ? (options.cron ? tickMinutes(options.cron, at) : undefined) ??
      UNKNOWN_INTERVAL_MINUTES
    : Infinity;
  if (inline) interval = Math.min(interval, Math.floor(MAX_RUN_SECONDS / 60));
  return planTick(scheduled, { intervalMinutes: interval, at, readsPerMinute });
}

/**
 * Every target that can run: enqueued when the deployment has a queue (and `enqueue` is not
 * false), each message delayed to its start (see {@linkcode tickPlan}), else run one after
 * another here, each at its start. Targets with settings problems are left out and listed; a
 * dry run runs every target at once (it writes nothing).
 */
export async function runEveryTarget(
  env: Env,
  options: SyncOptions,
  deps: FanOutDeps = {},
): Promise<FanOut> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const { targets, problems } = loadTargets(env);
  const byId = new Map(targets.map((target) => [target.id, target]));
  const queue = syncQueue(env);
  if (queue && deps.enqueue !== false && options.trigger !== "dry-run" && targets.length > 0) {
    const plan = tickPlan(targets, options, started, false, readsPerMinuteOf(env));
    for (let i = 0; i < plan.slots.length; i += SEND_BATCH_MESSAGES) {
      const chunk = plan.slots.slice(i, i + SEND_BATCH_MESSAGES);
      await queue.sendBatch(chunk.map((slot) => ({
        body: messageOf(byId.get(slot.id)!, options),
        ...(slot.delaySeconds > 0 ? { delaySeconds: slot.delaySeconds } : {}),
      })));
    }
    logTick(plan, options);
    const enqueued = plan.slots.map((slot) => slot.id);
    return plan.deferred.length > 0
      ? { enqueued, deferred: plan.deferred, problems }
      : { enqueued, problems };
  }
  const dryRun = options.trigger === "dry-run";
  const plan = tickPlan(targets, options, started, true, readsPerMinuteOf(env));
  const slots = dryRun ? targets.map((t) => ({ id: t.id, delaySeconds: 0 })) : plan.slots;
  if (!dryRun) logTick(plan, options);
  const reports: { target: string; report: RunReport }[] = [];
  for (const slot of slots) {
    const target = byId.get(slot.id)!;
    const wait = started + slot.delaySeconds * 1000 - clock.now();
    if (wait > 0) await clock.sleep(wait);
    const config = slots.length > 1
      ? shareOfInvocation(target.config, slots.length)
      : target.config;
    const report = await runSync(config, workerDeps(env, deps.clock), options);
    if (!dryRun) logRun(report, target.id);
    reports.push({ target: target.id, report });
  }
  return !dryRun && plan.deferred.length > 0
    ? { reports, deferred: plan.deferred, problems }
    : { reports, problems };
}

/** One log line per tick: how its runs were spread (ids of deferred targets only by count). */
function logTick(plan: TickPlan, options: SyncOptions): void {
  console.log(JSON.stringify({
    event: "fan_out.tick",
    trigger: options.trigger,
    cron: options.cron,
    targets: plan.slots.length + plan.deferred.length,
    now: plan.perTick,
    deferred: plan.deferred.length,
    spreadSeconds: plan.slots.at(-1)?.delaySeconds ?? 0,
    ticksPerRound: plan.ticksPerRound,
  }));
}

function messageOf(target: TargetSettings, options: SyncOptions): SyncMessage {
  const message: SyncMessage = {
    target: target.id,
    trigger: options.trigger === "dry-run" ? "manual" : options.trigger,
  };
  if (options.cron !== undefined) message.cron = options.cron;
  if (options.retryHeld) message.retryHeld = true;
  return message;
}

/** The queue consumer: each message runs its target (`max_batch_size = 1`, but any size works). */
export async function consume(
  batch: QueueBatch<SyncMessage>,
  env: Env,
  deps: FanOutDeps = {},
): Promise<void> {
  for (const message of batch.messages) {
    if (batch.queue.endsWith(DEAD_LETTER_SUFFIX)) {
      await recordDeadLetter(env.SYNC_STATE, message);
      message.ack();
      continue;
    }
    await consumeOne(message, env, deps);
  }
}

/**
 * Seconds before a failed run is tried again by the queue: 30, 60, 120… (the queue's
 * `max_retries` bounds them); at least a minute after a Google failure, so a spent per-minute
 * quota has refilled.
 */
export function retryDelaySeconds(attempts: number, kind: string | undefined): number {
  const backoff = Math.min(900, 30 * 2 ** (Math.max(1, attempts) - 1));
  return kind === "google" ? Math.max(60, backoff) : backoff;
}

async function consumeOne(
  message: QueueMessage<SyncMessage>,
  env: Env,
  deps: FanOutDeps,
): Promise<void> {
  const { target: id, trigger, cron, retryHeld, hop } = message.body ?? ({} as SyncMessage);
  const target = loadTargets(env).targets.find((t) => t.id === id);
  if (!target) {
    // Removed, or with a settings problem: retrying does not heal that (the status page lists it).
    console.error(JSON.stringify({ event: "queue.target_not_runnable", target: id }));
    return message.ack();
  }
  const report = await runSync(target.config, workerDeps(env, deps.clock), {
    lease: true,
    trigger: trigger === "manual" ? "manual" : "cron",
    ...(cron !== undefined ? { cron } : {}),
    ...(retryHeld ? { retryHeld } : {}),
  });
  logRun(report, id);
  if (report.skipped) {
    // Its target is running: that run does the work. A continuation may be seeing the lease of
    // the run that queued it (a KV delete takes up to a minute to reach every location): wait.
    if (hop !== undefined) return message.retry({ delaySeconds: LEASE_WAIT_SECONDS });
    return message.ack();
  }
  if (report.stopped && (hop ?? 0) < MAX_CONTINUATIONS) {
    await syncQueue(env)?.send(
      { target: id, trigger: "cron", hop: (hop ?? 0) + 1 },
      { delaySeconds: CONTINUE_AFTER_SECONDS },
    );
    return message.ack();
  }
  if (report.restsUntil) {
    // Calltouch's daily points are spent: retrying before its next day sends into the refusal
    // (and ends in the dead-letter queue); the first tick of the new day carries on.
    return message.ack();
  }
  if (!report.ok && report.error?.kind !== "config" && report.error?.kind !== "sheet") {
    // The queue's max_retries bounds it, then the dead-letter queue.
    return message.retry({
      delaySeconds: retryDelaySeconds(message.attempts, report.error?.kind),
    });
  }
  message.ack();
}

async function recordDeadLetter(kv: KeyValueStore, message: QueueMessage<SyncMessage>) {
  const letters = await readDeadLetters(kv);
  letters.unshift({
    target: String(message.body?.target ?? ""),
    at: new Date().toISOString(),
    attempts: message.attempts,
  });
  await kv.put(DEAD_LETTERS_KEY, JSON.stringify(letters.slice(0, DEAD_LETTERS_KEPT)));
}

/** The dead letters recorded, newest first. */
export async function readDeadLetters(kv: KeyValueStore): Promise<DeadLetter[]> {
  const stored = await kv.get<DeadLetter[]>(DEAD_LETTERS_KEY, "json");
  return Array.isArray(stored) ? stored : [];
}

/** One JSON log line per run (no personal data: counts and ids). */
export function logRun(report: RunReport, target?: string): void {
  console.log(JSON.stringify({ ...logLine(report), target }));
}
