/**
 * Which orders go together in the next Calltouch request: the plan's batches of at most 100
 * (cut one at a time: 50,000 deals never become 50,000 items at once), the halves of a batch
 * refused as a whole (served first, breadth first), and the orders one method refused alone,
 * batched for the other method.
 */
import { CALLTOUCH_BATCH_SIZE, type Operation } from "../calltouch/client.ts";
import type { PlannedDeal, SyncPlan } from "./plan.ts";
import type { DealState } from "./state.ts";

/** One deal on its way, and what each method said of it on its own. */
export interface Item {
  planned: PlannedDeal;
  /** Reason of each method that refused this order alone ("" when it gave none). */
  refused?: Partial<Record<Operation, string>>;
  /** When its first request left (epoch ms): every try sends the same dates. */
  sentAt?: number;
  /** What was journalled for it: what it stays if no answer settles it. */
  doubt?: DealState;
}

/** Orders sent together with one method. */
export interface Group {
  method: Operation;
  items: Item[];
  /** Whether this group as a whole was already tried with the other method. */
  triedOther: boolean;
  /** For a whole-group retry with the other method: how the first method refused it. */
  firstRefusal?: string;
}

/** The queue of groups to send (see the module's comment). */
export class Batches {
  readonly #plan: SyncPlan;
  /** Splits and whole-group retries, served before the next planned batch. */
  readonly #queue: Group[] = [];
  /** How far each method's planned deals are cut into batches. */
  readonly #cut = { create: 0, update: 0 };
  /** Orders refused alone by one method, waiting to be sent with the other (by that other). */
  readonly #fallbacks: Record<Operation, Item[]> = { create: [], update: [] };

  constructor(plan: SyncPlan) {
    this.#plan = plan;
  }

  /** The next group to send, or undefined when every order had its requests. */
  next(): Group | undefined {
    const group = this.#queue.shift();
    if (group) return group;
    for (const method of ["create", "update"] as const) {
      const start = this.#cut[method];
      if (start >= this.#plan[method].length) continue;
      this.#cut[method] = start + CALLTOUCH_BATCH_SIZE;
      const items = this.#plan[method].slice(start, start + CALLTOUCH_BATCH_SIZE)
        .map((planned): Item => ({ planned }));
      return { method, items, triedOther: false };
    }
    for (const method of ["update", "create"] as const) {
      const items = this.#fallbacks[method].splice(0, CALLTOUCH_BATCH_SIZE);
      if (items.length > 0) return { method, items, triedOther: true };
    }
    return undefined;
  }

  /** Sends `item` once more with `method` (the other one refused it alone), batched. */
  fallBack(item: Item, method: Operation): void {
    this.#fallbacks[method].push(item);
  }

  /** Tries a group refused as a whole with the other method, next. */
  retryWhole(group: Group): void {
    this.#queue.unshift(group);
  }

  /**
   * Halves of a group refused as a whole, first tried with `method`; queued behind the other
   * splits (breadth first: under a request budget, the halves that go through are reached
   * before the run stops).
   */
  split(items: Item[], method: Operation, triedOther: boolean): void {
    const middle = Math.ceil(items.length / 2);
    for (const half of [items.slice(0, middle), items.slice(middle)]) {
      if (half.length > 0) this.#queue.push({ method, items: half, triedOther });
    }
  }
}
