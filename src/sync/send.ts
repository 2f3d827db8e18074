/**
 * Sends a plan to Calltouch: creates, then updates, with the fallbacks that make every crash
 * and race converge (create → "exists" → update; update → "not found" → create), journalling
 * each batch's outcomes to KV as soon as Calltouch answers.
 */
import {
  CALLTOUCH_BATCH_SIZE,
  type CalltouchClient,
  type OrderOutcome,
} from "../calltouch/client.ts";
import { createOrder, type PayloadSettings, updateOrder } from "../calltouch/payload.ts";
import type { Clock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import type { PlannedDeal, SyncPlan } from "./plan.ts";
import type { DealState, StateStore, SyncState } from "./state.ts";
import type { RowStatus } from "./status-text.ts";

/** What sending produced. */
export interface SendResult {
  /** The new status of every deal that was planned to be sent, by orderNumber. */
  statuses: Map<string, RowStatus>;
  /** A run-level refusal (wrong token, wrong URL…) that stopped sending, if any. */
  error?: UpstreamError;
}

/** What {@linkcode sendPlan} needs. */
export interface SendDeps {
  client: CalltouchClient;
  settings: PayloadSettings;
  /** Updated in place with every accepted or rejected deal. */
  state: SyncState;
  journal: StateStore;
  clock: Clock;
  /** No Calltouch request starts after this (epoch ms). */
  deadline: number;
  /**
   * Calltouch requests this run may make (retries included); batches beyond wait for the next
   * run, marked pending. Default: no limit.
   */
  maxRequests?: number;
  /** Called after each answered Calltouch batch, once its outcomes are journalled. */
  onProgress?: (event: SendProgress) => void;
}

/** Progress of sending, reported after each Calltouch batch (no personal data). */
export interface SendProgress {
  /** The method of the batch just answered. */
  operation: "create" | "update";
  /** Orders in that batch. */
  batch: number;
  /** Planned deals with an outcome so far (accepted, refused, or left for the next run). */
  done: number;
  /** Deals planned to be sent in this run. */
  total: number;
}

type Operation = "create" | "update";

/**
 * Sends the creates and updates of `plan`. Never throws for a per-deal problem; a run-level
 * refusal ends sending and is returned as `error`, with the unsent deals marked pending.
 */
export async function sendPlan(plan: SyncPlan, deps: SendDeps): Promise<SendResult> {
  const { client, settings, state, journal, clock, deadline, onProgress } = deps;
  const statuses = new Map<string, RowStatus>();
  const planned = new Map<string, PlannedDeal>();
  for (const item of plan.create) planned.set(item.deal.orderNumber, item);
  for (const item of plan.update) planned.set(item.deal.orderNumber, item);

  /** Applies one batch's outcomes; returns the deals that need the other method. */
  const settle =
    (operation: Operation, fallbacks: PlannedDeal[], isFallback: boolean) =>
    async (outcomes: OrderOutcome[]): Promise<void> => {
      const now = clock.now();
      const changed: [string, DealState][] = [];
      // One status object for every deal the batch got accepted (statuses are never mutated).
      const accepted: RowStatus = { kind: operation === "create" ? "created" : "updated", at: now };
      for (const outcome of outcomes) {
        const item = planned.get(outcome.orderNumber);
        if (!item) continue;
        switch (outcome.kind) {
          case "accepted": {
            const next: DealState = {
              fingerprint: item.fingerprint,
              matching: item.matching,
              exists: true,
              outcome: operation === "create" ? "created" : "updated",
              at: now,
              raw: item.raw,
            };
            state.set(outcome.orderNumber, next);
            changed.push([outcome.orderNumber, next]);
            statuses.set(outcome.orderNumber, accepted);
            break;
          }
          case "rejected": {
            const next: DealState = {
              fingerprint: item.fingerprint,
              matching: item.previous?.matching ?? item.matching,
              exists: item.previous?.exists ?? false,
              outcome: "rejected",
              at: now,
              reason: outcome.message,
              raw: item.raw,
            };
            state.set(outcome.orderNumber, next);
            changed.push([outcome.orderNumber, next]);
            statuses.set(outcome.orderNumber, { kind: "rejected", reason: outcome.message });
            break;
          }
          case "transient":
            statuses.set(outcome.orderNumber, { kind: "pending", why: outcome.why, at: now });
            break;
          case "exists":
          case "notFound":
            // A second disagreement in one run (exists, then not found) means Calltouch changed
            // under us: leave the deal for the next run rather than loop.
            if (isFallback) {
              statuses.set(outcome.orderNumber, { kind: "pending", why: "unavailable", at: now });
            } else {
              // The deal exists (or not) whatever our state said: remember that on success.
              fallbacks.push({
                ...item,
                action: operation === "create" ? "update" : "create",
                rematch: true,
              });
            }
            break;
        }
      }
      await journal.recordBatch(changed);
      onProgress?.({ operation, batch: outcomes.length, done: statuses.size, total: planned.size });
    };

  const send = async (
    operation: Operation,
    items: PlannedDeal[],
    isFallback: boolean,
  ): Promise<PlannedDeal[]> => {
    const fallbacks: PlannedDeal[] = [];
    if (items.length === 0) return fallbacks;
    const onBatch = settle(operation, fallbacks, isFallback);
    // Payloads are built one batch at a time (the same requests): 50,000 orders built at once
    // would hold ~70 MB of a 128 MB isolate.
    for (let start = 0; start < items.length; start += CALLTOUCH_BATCH_SIZE) {
      const batch = items.slice(start, start + CALLTOUCH_BATCH_SIZE);
      if (client.requestCount >= (deps.maxRequests ?? Infinity)) {
        // Out of requests for this run (the Workers Free plan allows 50 subrequests in all).
        const pending: RowStatus = { kind: "pending", why: "out-of-time", at: clock.now() };
        for (const item of batch) statuses.set(item.deal.orderNumber, pending);
        continue;
      }
      if (operation === "create") {
        await client.create(batch.map((i) => createOrder(i.deal, settings)), { deadline, onBatch });
      } else {
        await client.update(
          batch.map((i) => updateOrder(i.deal, settings, { rematch: i.rematch })),
          { deadline, onBatch },
        );
      }
    }
    return fallbacks;
  };

  let error: UpstreamError | undefined;
  try {
    const existing = await send("create", plan.create, false);
    const missing = await send("update", [...plan.update, ...existing], false);
    // Deals that came back from an "exists" are sent as updates above; only planned updates
    // that Calltouch does not know are created here.
    const fromExisting = new Set(existing.map((i) => i.deal.orderNumber));
    const recreate = missing.filter((i) => !fromExisting.has(i.deal.orderNumber));
    for (const item of missing) {
      if (fromExisting.has(item.deal.orderNumber)) {
        statuses.set(item.deal.orderNumber, {
          kind: "pending",
          why: "unavailable",
          at: clock.now(),
        });
      }
    }
    await send("create", recreate, true);
  } catch (caught) {
    if (!(caught instanceof UpstreamError)) throw caught;
    error = caught;
  }
  const now = clock.now();
  for (const orderNumber of planned.keys()) {
    if (!statuses.has(orderNumber)) {
      statuses.set(orderNumber, { kind: "pending", why: "unavailable", at: now });
    }
  }
  return { statuses, error };
}
