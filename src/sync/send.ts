/**
 * Sends a plan to Calltouch so that every plausible answer ends right, whatever its wording:
 * - each order Calltouch refuses on its own (a per-order error of any text, or a whole-request
 *   refusal of a request that carried it alone) is sent once more with the other method
 *   (create ↔ update), batched; only a refusal by both holds the deal;
 * - a whole-request refusal of several orders is first tried as a whole with the other method
 *   (after a lost state, every "create" of a deal that exists), then split in halves until the
 *   refused orders stand alone (see `batches.ts`);
 * - before a request leaves, its deals are remembered as *in doubt* (sent, outcome unknown), so
 *   a request that may have landed (5xx, timeout, a crash mid-request) is sent again next run
 *   whatever the row looks like then, and only an answer clears the doubt;
 * - refused credentials or a wrong `CALLTOUCH_API_URL` (both methods answering 404/405 with a
 *   body that is not Calltouch's JSON) stop sending: nothing of that request was applied.
 *
 * Sending writes no KV itself: it yields what must be remembered before each request leaves
 * (the doubts of that request, and the outcomes of the one before: one record per request),
 * and the run stores it. The outcomes of the last request ride on the run's snapshot.
 */
import type { CalltouchClient, Operation } from "../calltouch/client.ts";
import { PointsSpent } from "../calltouch/points.ts";
import { words } from "../words/mod.ts";
import type { CreateOrder, UpdateOrder } from "../calltouch/types.ts";
import { type Known, knownAfter, type PayloadSettings } from "../columns/payload.ts";
import type { Clock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { Batches, type Group, type Item } from "./batches.ts";
import {
  acceptedState,
  doubtState,
  heldReason,
  orderFor,
  other,
  refusedState,
  sameDoubt,
} from "./outcomes.ts";
import type { SyncPlan } from "./plan.ts";
import type { DealState, SyncState } from "./state.ts";
import type { RowStatus } from "./status_text.ts";

export { heldReason, landedShows, orderFor } from "./outcomes.ts";

/** Deal states to remember, by orderNumber: one KV record. */
export type Remember = [orderNumber: string, state: DealState][];

/** What sending produced. */
export interface SendResult {
  /** The new status of every deal that was planned to be sent, by orderNumber. */
  statuses: Map<string, RowStatus>;
  /** Why sending stopped before every deal had an answer, if it did. */
  stopped?: "out-of-time" | "budget";
  /** A run-level refusal (wrong token, wrong URL…) that stopped sending, if any. */
  error?: UpstreamError;
}

/** What {@linkcode sendPlan} needs. */
export interface SendDeps {
  client: CalltouchClient;
  settings: PayloadSettings;
  /** Updated in place with every accepted, held or in-doubt deal. */
  state: SyncState;
  clock: Clock;
  /** No Calltouch request starts after this (epoch ms). */
  deadline: number;
  /** Called after each answered Calltouch request (its outcomes not yet remembered). */
  onProgress?: (event: SendProgress) => void;
}

/** Progress of sending, reported after each Calltouch request (no personal data). */
export interface SendProgress {
  /** The method of the request just answered. */
  operation: Operation;
  /** Orders in that request. */
  batch: number;
  /** Planned deals with an outcome so far (accepted, held, or left for the next run). */
  done: number;
  /** Deals planned to be sent in this run. */
  total: number;
}

/** What the run does with {@linkcode sendPlan}: remember each record, then go on. */
export async function sendAll(
  plan: SyncPlan,
  deps: SendDeps,
  remember: (record: Remember) => Promise<void>,
): Promise<SendResult> {
  const sending = sendPlan(plan, deps);
  for (let step = await sending.next();; step = await sending.next()) {
    if (step.done) return step.value;
    await remember(step.value);
  }
}

/**
 * Sends the creates and updates of `plan`, yielding before each request what must be remembered
 * first (see the module's comment). Never throws for a per-deal problem; a run-level refusal
 * ends sending and is returned as `error`, with the unsent deals marked pending and why.
 */
export async function* sendPlan(
  plan: SyncPlan,
  deps: SendDeps,
): AsyncGenerator<Remember, SendResult, void> {
  const { client, settings, state, clock, deadline, onProgress } = deps;
  const batches = new Batches(plan);
  const statuses = new Map<string, RowStatus>();
  const total = plan.create.length + plan.update.length;
  /** Methods that answered an order with a 404/405 not in Calltouch's JSON, by orderNumber. */
  const notFoundAt = new Map<string, Set<Operation>>();
  /** Items remembered as in doubt, until an answer settles them. */
  const doubted = new Set<Item>();
  /** Outcomes not remembered yet: they ride on the next record, or on the snapshot. */
  let outcomes: Remember = [];
  let stopped: "out-of-time" | "budget" | undefined;
  let error: UpstreamError | undefined;

  const pending = (items: Item[], why: "unavailable" | "out-of-time" | "budget") => {
    const status: RowStatus = { kind: "pending", why, at: clock.now() };
    for (const item of items) statuses.set(item.planned.deal.orderNumber, status);
  };
  const settle = (item: Item, next: DealState, status: RowStatus) => {
    const { orderNumber } = item.planned.deal;
    state.set(orderNumber, next);
    outcomes.push([orderNumber, next]);
    statuses.set(orderNumber, status);
    doubted.delete(item);
  };
  /**
   * What each order of the request about to leave leaves in Calltouch when accepted, by index
   * (worked out with its doubt; an array, not a map keyed by order: nothing to hash or collect).
   */
  let acceptedKnown: Known[] = [];
  /**
   * The doubts of the items about to leave. A deal sent again with the other method is
   * remembered again only when that changes what may have landed (what either try carried
   * stays unknown) or whether the journal could prove it.
   */
  const doubtsOf = (items: Item[], orders: (CreateOrder | UpdateOrder)[]): Remember => {
    const at = clock.now();
    const record: Remember = [];
    acceptedKnown = [];
    items.forEach((item, i) => {
      const known = item.doubt?.known ?? item.planned.previous?.known;
      const after = knownAfter(item.planned.deal, orders[i], known, settings);
      // What the order leaves in Calltouch if accepted does not depend on what came before.
      acceptedKnown.push(after.accepted);
      const carried = after.inDoubt;
      const next = doubtState(item.planned, item.doubt?.at ?? at, settings, carried);
      if (sameDoubt(item.doubt, next)) return;
      doubted.add(item);
      item.doubt = next;
      state.set(item.planned.deal.orderNumber, next);
      record.push([item.planned.deal.orderNumber, next]);
    });
    return record;
  };
  /** Nothing of a refused request was applied: its deals are what they were before it. */
  const notApplied = (items: Item[]) => {
    for (const item of items) {
      doubted.delete(item);
      const { orderNumber } = item.planned.deal;
      const before = item.planned.previous;
      if (before) state.set(orderNumber, before);
      else state.delete(orderNumber);
    }
  };
  const refuse = (item: Item, method: Operation, reason: string, at: number) => {
    item.refused = { ...item.refused, [method]: reason };
    // A refused create (say, as existing) unproves the look-up's "absent": the journal
    // showing the deal later would not show that the fallback landed.
    if (method === "create") item.planned.absent = false;
    if (item.refused[other(method)] === undefined) return batches.fallBack(item, other(method));
    const held = heldReason(item.planned.action, item.refused);
    settle(item, refusedState(item.planned, held, at, settings), {
      kind: "held",
      reason: held,
    });
  };
  /** Whether a whole-request refusal says there are no deals methods at this URL. */
  const wrongUrl = (group: Group, status: number, calltouchBody: boolean) => {
    if ((status !== 404 && status !== 405) || calltouchBody) return false;
    // One order cannot be both "exists" and "not found": both methods answering it so, and not
    // in Calltouch's JSON, means there are no deals methods at this URL.
    return group.items.some(({ planned }) => {
      const seen = notFoundAt.get(planned.deal.orderNumber) ?? new Set<Operation>();
      notFoundAt.set(planned.deal.orderNumber, seen.add(group.method));
      return seen.size === 2;
    });
  };

  for (let group = batches.next(); group; group = batches.next()) {
    const { method, items } = group;
    if (stopped || error) {
      if (stopped) pending(items, stopped);
      continue;
    }
    const orders = items.map((item) =>
      orderFor(item.planned, method, settings, item.sentAt ??= clock.now())
    );
    const record = [...outcomes, ...doubtsOf(items, orders)];
    outcomes = [];
    if (record.length > 0) yield record; // remembered before the request leaves
    let answer;
    try {
      answer = await client.post(method, orders, { deadline });
    } catch (caught) {
      if (!(caught instanceof UpstreamError)) throw caught;
      error = caught;
      // Refused credentials: the request was not applied. The day's points spent: read from
      // words we cannot be sure of, so its deals stay in doubt (one more update tomorrow).
      if (!(caught instanceof PointsSpent)) notApplied(items);
      continue;
    }
    const now = clock.now();
    switch (answer.kind) {
      case "notSent":
        // Out of time, or of the run's requests (the Workers Free plan allows 50 in all). Never
        // sent, so not in doubt: the next run plans them afresh.
        stopped = answer.why === "budget" ? "budget" : "out-of-time";
        pending(items, stopped);
        notApplied(items);
        break;
      case "unknown":
        // May have landed: the deals stay in doubt (remembered above) and go again next run.
        pending(items, "unavailable");
        break;
      case "orders": {
        const accepted: RowStatus = { kind: method === "create" ? "created" : "updated", at: now };
        const unclear: Item[] = [];
        answer.readings.forEach((reading, i) => {
          const item = items[i];
          if (reading === undefined) unclear.push(item);
          else if (reading.kind === "accepted") {
            const known = acceptedKnown[i];
            const next = acceptedState(item.planned, method, orders[i], now, settings, known);
            settle(item, next, accepted);
          } else refuse(item, method, reading.reason, now);
        });
        // An answer that does not tell which orders failed: halves, until each is told (an
        // order alone always is; should one not be, it counts as refused without a reason).
        if (unclear.length > 0 && items.length === 1) refuse(unclear[0], method, "", now);
        else if (unclear.length > 0) batches.split(unclear, method, true);
        break;
      }
      case "refused": {
        if (wrongUrl(group, answer.status, answer.calltouchBody)) {
          error = new UpstreamError(
            words(client.language).calltouch.wrongUrl(
              client.urlOf("create"),
              client.urlOf("update"),
              answer.status,
              client.names("CALLTOUCH_API_URL"),
            ),
            { upstream: "calltouch", status: answer.status, retryable: false, code: "url" },
          );
          notApplied(items);
          break;
        }
        const refusal = `${answer.status} ${answer.reason}`;
        if (items.length === 1) refuse(items[0], method, answer.reason, now);
        else if (
          !group.triedOther && items.every((item) => item.refused?.[other(method)] === undefined)
        ) {
          // After a lost state every create of a batch may be a deal that exists: one request
          // with the other method settles them all.
          batches.retryWhole({
            method: other(method),
            items,
            triedOther: true,
            firstRefusal: refusal,
          });
        } else if (group.firstRefusal !== undefined && group.firstRefusal !== refusal) {
          // The methods refused it differently: a mix of deals that exist and deals that do
          // not. Each half tries this method first (after a lost state, most exist), then the
          // other.
          batches.split(items, method, false);
        } else {
          // The same refusal from both methods (an order Calltouch refuses, or every order):
          // halve with the method first tried until the refused orders stand alone.
          batches.split(items, group.firstRefusal !== undefined ? other(method) : method, true);
        }
        break;
      }
    }
    onProgress?.({ operation: method, batch: items.length, done: statuses.size, total });
  }
  // What was remembered in doubt and never answered stays in doubt (already in `state`).
  const at = clock.now();
  const left: RowStatus = error instanceof PointsSpent
    // The project's daily points spent: what is left waits for its next day (see points.ts).
    ? { kind: "pending", why: "daily-limit", at }
    : error
    ? {
      kind: "pending",
      why: error.code === "url" ? "url" : "key",
      at,
      // The settings to fix, by this deployment's names (a target's own, see `settingName`).
      check: error.code === "url"
        ? client.names("CALLTOUCH_API_URL")
        : `${client.names("CALLTOUCH_TOKEN")}, ${client.names("CALLTOUCH_SITE_ID")}`,
    }
    : { kind: "pending", why: "unavailable", at };
  for (const planned of [...plan.create, ...plan.update]) {
    if (!statuses.has(planned.deal.orderNumber)) statuses.set(planned.deal.orderNumber, left);
  }
  const result: SendResult = { statuses };
  if (stopped) result.stopped = stopped;
  if (error) result.error = error;
  return result;
}
