/**
 * Sends a plan to Calltouch so that every plausible answer ends right, whatever its wording:
 * - each order Calltouch refuses on its own (a per-order error of any text, or a whole-request
 *   refusal of a request that carried it alone) is sent once more with the other method
 *   (create ↔ update), batched; only a refusal by both holds the deal;
 * - a whole-request refusal of several orders is first tried as a whole with the other method
 *   (after a lost state, every "create" of a deal that exists), then split in halves until the
 *   refused orders stand alone;
 * - before a request leaves, its deals are journalled as *in doubt* (sent, outcome unknown), so
 *   a request that may have landed (5xx, timeout, a crash mid-request) is sent again next run
 *   whatever the row looks like then, and only an answer clears the doubt;
 * - a wrong `CALLTOUCH_API_URL` (both methods answering 404/405 with a body that is not
 *   Calltouch's JSON) or refused credentials stop the run.
 */
import { CALLTOUCH_BATCH_SIZE, type CalltouchClient, type Operation } from "../calltouch/client.ts";
import { RUN_MESSAGES } from "../calltouch/messages.ts";
import { PointsSpent } from "../calltouch/points.ts";
import { requestHash } from "./request_hash.ts";
import {
  createOrder,
  holdOf,
  type Holds,
  holdsOf,
  type PayloadSettings,
  updateOrder,
} from "../columns/payload.ts";
import type { CreateOrder, UpdateOrder } from "../calltouch/types.ts";
import type { Clock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import type { PlannedDeal, SyncPlan } from "./plan.ts";
import type { DealState, StateStore, SyncState } from "./state.ts";
import type { RowStatus } from "./status_text.ts";

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
  journal: StateStore;
  clock: Clock;
  /** No Calltouch request starts after this (epoch ms). */
  deadline: number;
  /** Called after each answered Calltouch request, once its outcomes are journalled. */
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

/** One deal on its way, and what each method said of it on its own. */
interface Item {
  planned: PlannedDeal;
  /** Reason of each method that refused this order alone ("" when it gave none). */
  refused?: Partial<Record<Operation, string>>;
  /** When its first request left (epoch ms): every try sends the same dates. */
  sentAt?: number;
  /** What was journalled for it: what it stays if no answer settles it. */
  doubt?: DealState;
}

/** Orders sent together with one method. */
interface Group {
  method: Operation;
  items: Item[];
  /** Whether this group as a whole was already tried with the other method. */
  triedOther: boolean;
  /** For a whole-group retry with the other method: how the first method refused it. */
  firstRefusal?: string;
}

const other = (method: Operation): Operation => method === "create" ? "update" : "create";

/** The order payload of a planned deal for a method, sent at `now` (epoch ms). */
export function orderFor(
  planned: PlannedDeal,
  method: "create",
  settings: PayloadSettings,
  now?: number,
): CreateOrder;
export function orderFor(
  planned: PlannedDeal,
  method: "update",
  settings: PayloadSettings,
  now?: number,
): UpdateOrder;
export function orderFor(
  planned: PlannedDeal,
  method: Operation,
  settings: PayloadSettings,
  now?: number,
): CreateOrder | UpdateOrder;
export function orderFor(
  planned: PlannedDeal,
  method: Operation,
  settings: PayloadSettings,
  now = 0,
): CreateOrder | UpdateOrder {
  if (method === "create") return createOrder(planned.deal, settings);
  // An update sent in place of a create re-matches: nothing says how Calltouch matched the deal.
  const rematch = planned.action === "create" || planned.rematch;
  return updateOrder(planned.deal, settings, { rematch, holds: planned.previous?.holds, now });
}

function sameHolds(a: Holds | undefined, b: Holds): boolean {
  return a !== undefined && a.status === b.status && a.statusAt === b.statusAt &&
    a.tags === b.tags && a.custom === b.custom;
}

/** Words of a create refused because the deal exists, or an update because it does not. */
const DISAGREEMENT = {
  create: /already[\s_-]*exists?|duplicate|уже\s+(?:существует|создан|есть|добавлен)|дублик|дубль/i,
  update:
    /not[\s_-]*found|does\s*n[o']t\s+exist|not[\s_-]*exists?|no\s+such|unknown\s+order|не\s+найден|не\s+существует|отсутствует/i,
} as const;

/**
 * The reason a held deal shows: Calltouch's answer to the method the plan chose, unless that
 * only said "exists" / "not found" (which the other method's answer then explains better).
 * The words are a shortcut for the message only, never for what is done.
 */
export function heldReason(first: Operation, refused: Partial<Record<Operation, string>>): string {
  const planned = refused[first] ?? "";
  const fallback = refused[other(first)] ?? "";
  if (
    DISAGREEMENT[first].test(planned) && fallback !== "" &&
    !DISAGREEMENT[other(first)].test(fallback)
  ) {
    return fallback;
  }
  return planned || fallback;
}

/**
 * Whether Calltouch's deals journal could later show that a request carrying `planned` landed
 * (see `DealState.sent`): the deal was not there before (a create of a deal the look-up did not
 * find), or the status it carries is not the one Calltouch held. A deal already in doubt stays
 * provable only while the same version is sent again: otherwise either version may have landed.
 */
export function landedShows(planned: PlannedDeal): boolean {
  const { previous } = planned;
  if (previous?.outcome === "sent") return previous.sent === planned.fingerprint;
  if (planned.absent) return true;
  const status = previous?.exists ? previous.holds?.status : undefined;
  return status !== undefined && status !== holdOf(planned.deal, "status");
}

/**
 * Sends the creates and updates of `plan`. Never throws for a per-deal problem; a run-level
 * refusal ends sending and is returned as `error`, with the unsent deals marked pending.
 */
export async function sendPlan(plan: SyncPlan, deps: SendDeps): Promise<SendResult> {
  const { client, settings, state, journal, clock, deadline, onProgress } = deps;
  /** Set once no request may start: the rest waits for the next run. */
  let stopped: "out-of-time" | "budget" | undefined;
  const statuses = new Map<string, RowStatus>();
  const total = plan.create.length + plan.update.length;
  /** Methods that answered an order with a 404/405 not in Calltouch's JSON, by orderNumber. */
  const notFoundAt = new Map<string, Set<Operation>>();
  /** Items journalled as in doubt, until an answer settles them. */
  const unsettled = new Set<Item>();

  /** Splits and whole-group retries, served before the next planned batch. */
  const queue: Group[] = [];
  // The planned batches are cut one at a time (50,000 deals: no 50,000 items at once).
  const planned = { create: 0, update: 0 };
  /** Orders refused alone by one method, waiting to be sent with the other (by that other). */
  const fallbacks: Record<Operation, Item[]> = { create: [], update: [] };

  const nextGroup = (): Group | undefined => {
    const group = queue.shift();
    if (group) return group;
    for (const method of ["create", "update"] as const) {
      const start = planned[method];
      if (start >= plan[method].length) continue;
      planned[method] = start + CALLTOUCH_BATCH_SIZE;
      const items = plan[method].slice(start, start + CALLTOUCH_BATCH_SIZE)
        .map((p): Item => ({ planned: p }));
      return { method, items, triedOther: false };
    }
    for (const method of ["update", "create"] as const) {
      const items = fallbacks[method].splice(0, CALLTOUCH_BATCH_SIZE);
      if (items.length > 0) return { method, items, triedOther: true };
    }
    return undefined;
  };

  const pending = (items: Item[], why: "unavailable" | "out-of-time" | "budget") => {
    const status: RowStatus = { kind: "pending", why, at: clock.now() };
    for (const item of items) statuses.set(item.planned.deal.orderNumber, status);
  };

  /** What is remembered of a deal in doubt: what was known before, "sent", what it carried. */
  const doubt = ({ planned }: Item, at: number, holds?: Holds): DealState => {
    const entry: DealState = {
      fingerprint: planned.previous?.fingerprint ?? "",
      matching: planned.previous?.matching ?? "",
      exists: planned.previous?.exists ?? false,
      outcome: "sent",
      at,
    };
    const held = holds ?? planned.previous?.holds;
    if (held) entry.holds = held;
    if (landedShows(planned)) entry.sent = planned.fingerprint;
    return entry;
  };

  /**
   * Journals the deals about to leave as in doubt (one KV write), before the request does. A
   * deal sent again with the other method is journalled again when that changes what may have
   * landed (what either try carried stays unknown) or whether the journal could prove it (a
   * create refused, say as existing, proves nothing by the deal's presence).
   */
  const journalDoubt = async (items: Item[], orders: (CreateOrder | UpdateOrder)[]) => {
    const at = clock.now();
    const entries: [string, DealState][] = [];
    items.forEach((item, i) => {
      const known = item.doubt?.holds ?? item.planned.previous?.holds;
      const { inDoubt } = holdsOf(item.planned.deal, orders[i], known, settings);
      const next = doubt(item, item.doubt?.at ?? at, inDoubt);
      if (item.doubt && sameHolds(item.doubt.holds, inDoubt) && item.doubt.sent === next.sent) {
        return;
      }
      unsettled.add(item);
      item.doubt = next;
      entries.push([item.planned.deal.orderNumber, next]);
    });
    await journal.recordBatch(entries);
  };

  const process = async (group: Group): Promise<void> => {
    const { method, items } = group;
    if (stopped) {
      pending(items, stopped);
      return;
    }
    const orders = items.map((item) =>
      orderFor(item.planned, method, settings, item.sentAt ??= clock.now())
    );
    await journalDoubt(items, orders);
    const answer = await client.post(method, orders, { deadline });
    const now = clock.now();
    const settled: [string, DealState][] = [];
    const accepted: RowStatus = { kind: method === "create" ? "created" : "updated", at: now };

    const accept = (item: Item, order: CreateOrder | UpdateOrder) => {
      const { planned } = item;
      const next: DealState = {
        fingerprint: planned.fingerprint,
        matching: planned.matching,
        exists: true,
        outcome: method === "create" ? "created" : "updated",
        at: now,
        raw: planned.raw,
        holds: holdsOf(planned.deal, order, planned.previous?.holds, settings).accepted,
      };
      state.set(planned.deal.orderNumber, next);
      settled.push([planned.deal.orderNumber, next]);
      statuses.set(planned.deal.orderNumber, accepted);
      unsettled.delete(item);
    };
    const refuse = (item: Item, reason: string) => {
      item.refused = { ...item.refused, [method]: reason };
      // A refused create (say, as existing) unproves the look-up's "absent": the journal
      // showing the deal later would not show that the fallback landed.
      if (method === "create") item.planned.absent = false;
      if (item.refused[other(method)] === undefined) {
        fallbacks[other(method)].push(item);
        return;
      }
      unsettled.delete(item);
      const { planned } = item;
      const first = planned.action;
      const held = heldReason(first, item.refused);
      const next: DealState = {
        fingerprint: planned.fingerprint,
        matching: planned.previous?.matching ?? planned.matching,
        exists: planned.previous?.exists ?? false,
        outcome: "rejected",
        at: now,
        reason: held,
        request: requestHash(planned, settings),
      };
      // Refused, so not applied: Calltouch holds what it held before.
      if (planned.previous?.holds) next.holds = planned.previous.holds;
      state.set(planned.deal.orderNumber, next);
      settled.push([planned.deal.orderNumber, next]);
      statuses.set(planned.deal.orderNumber, { kind: "rejected", reason: held });
    };
    /**
     * Halves of a group that was refused as a whole, first tried with `at`; queued behind the
     * other splits (breadth first: under a request budget, the halves that go through are
     * reached before the run stops).
     */
    const split = (refusedItems: Item[], at: Operation, triedOther: boolean) => {
      const middle = Math.ceil(refusedItems.length / 2);
      const halves = [refusedItems.slice(0, middle), refusedItems.slice(middle)];
      queue.push(
        ...halves.filter((half) => half.length > 0).map((half): Group => ({
          method: at,
          items: half,
          triedOther,
        })),
      );
    };

    switch (answer.kind) {
      case "notSent":
        // Out of time, or of the run's requests (the Workers Free plan allows 50 in all). Never
        // sent, so not in doubt: the next run plans them afresh.
        stopped = answer.why === "budget" ? "budget" : "out-of-time";
        pending(items, stopped);
        for (const item of items) unsettled.delete(item);
        break;
      case "unknown":
        // May have landed: the deals stay in doubt (journalled above) and go again next run.
        pending(items, "unavailable");
        break;
      case "orders": {
        const unclear: Item[] = [];
        answer.readings.forEach((reading, i) => {
          if (reading === undefined) unclear.push(items[i]);
          else if (reading.kind === "accepted") accept(items[i], orders[i]);
          else refuse(items[i], reading.reason);
        });
        if (unclear.length === 1 && items.length === 1) refuse(unclear[0], "");
        else if (unclear.length > 0) split(unclear, method, true);
        break;
      }
      case "refused": {
        if ((answer.status === 404 || answer.status === 405) && !answer.calltouchBody) {
          // One order cannot be both "exists" and "not found": both methods answering it so,
          // and not in Calltouch's JSON, means there are no deals methods at this URL.
          for (const { planned } of items) {
            const seen = notFoundAt.get(planned.deal.orderNumber) ?? new Set<Operation>();
            seen.add(method);
            notFoundAt.set(planned.deal.orderNumber, seen);
            if (seen.size === 2) {
              const message = RUN_MESSAGES[client.language].wrongUrl(
                client.urlOf("create"),
                client.urlOf("update"),
                answer.status,
              );
              throw new UpstreamError(message, {
                upstream: "calltouch",
                status: answer.status,
                retryable: false,
              });
            }
          }
        }
        const refusal = `${answer.status} ${answer.reason}`;
        if (items.length === 1) refuse(items[0], answer.reason);
        else if (
          !group.triedOther && items.every((item) => item.refused?.[other(method)] === undefined)
        ) {
          // After a lost state every create of a batch may be a deal that exists: one request
          // with the other method settles them all.
          queue.unshift({ method: other(method), items, triedOther: true, firstRefusal: refusal });
        } else if (group.firstRefusal !== undefined && group.firstRefusal !== refusal) {
          // The methods refused it differently: a mix of deals that exist and deals that do
          // not. Each half tries this method first (after a lost state, most exist), then the
          // other.
          split(items, method, false);
        } else {
          // The same refusal from both methods (an order Calltouch refuses, or every order):
          // halve with the method first tried until the refused orders stand alone.
          split(items, group.firstRefusal !== undefined ? other(method) : method, true);
        }
        break;
      }
    }
    await journal.recordBatch(settled);
    onProgress?.({ operation: method, batch: items.length, done: statuses.size, total });
  };

  let error: UpstreamError | undefined;
  try {
    for (let group = nextGroup(); group; group = nextGroup()) await process(group);
  } catch (caught) {
    if (!(caught instanceof UpstreamError)) throw caught;
    error = caught;
  } finally {
    // What was journalled in doubt and never answered stays in doubt when the state is saved.
    const at = clock.now();
    for (const item of unsettled) {
      state.set(item.planned.deal.orderNumber, item.doubt ?? doubt(item, at));
    }
  }
  const now = clock.now();
  // The project's daily points spent: what is left waits for its next day (see points.ts).
  const why = error instanceof PointsSpent ? "daily-limit" : "unavailable";
  const left: RowStatus = { kind: "pending", why, at: now };
  for (const planned of [...plan.create, ...plan.update]) {
    if (!statuses.has(planned.deal.orderNumber)) statuses.set(planned.deal.orderNumber, left);
  }
  return stopped ? { statuses, error, stopped } : { statuses, error };
}
