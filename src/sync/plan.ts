/** Decides, per deal, whether to create, update, leave alone or hold it. Pure. */
import type { Deal } from "../deal.ts";
import { fingerprint, matchingFingerprint } from "./fingerprint.ts";
import type { DealState, SyncState } from "./state.ts";

/** What to do with one deal in this run. */
export type PlanAction = "create" | "update" | "unchanged" | "held";

/** One deal's decision, with the fingerprints the run will remember if Calltouch accepts it. */
export interface PlannedDeal {
  action: PlanAction;
  deal: Deal;
  fingerprint: string;
  matching: string;
  /** For updates: contacts or the deal date changed since Calltouch last matched the deal. */
  rematch: boolean;
  /** What was remembered before this run, if anything. */
  previous?: DealState;
}

/** The decisions of a run, grouped by action, each group in sheet order. */
export interface SyncPlan {
  create: PlannedDeal[];
  update: PlannedDeal[];
  unchanged: PlannedDeal[];
  held: PlannedDeal[];
}

/**
 * Plans a run:
 * - never seen → `create`;
 * - same fingerprint as last accepted → `unchanged`;
 * - same fingerprint as last rejected → `held` (a permanent refusal is not retried until the
 *   row changes);
 * - otherwise → `update` when the deal exists in Calltouch, `create` when it does not (e.g. its
 *   first create was rejected and the row has since been fixed).
 *
 * @example
 * const plan = planSync(parsed.deals, await stateStore.load());
 * plan.create.length; // deals to create
 */
export function planSync(deals: readonly Deal[], state: SyncState): SyncPlan {
  const plan: SyncPlan = { create: [], update: [], unchanged: [], held: [] };
  for (const deal of deals) {
    const previous = state.get(deal.orderNumber);
    const print = fingerprint(deal);
    if (previous && previous.fingerprint === print) {
      const action = previous.outcome === "rejected" ? "held" : "unchanged";
      plan[action].push({
        action,
        deal,
        fingerprint: print,
        matching: previous.matching,
        rematch: false,
        previous,
      });
      continue;
    }
    const matching = matchingFingerprint(deal);
    if (previous?.exists) {
      const rematch = previous.matching !== matching;
      plan.update.push({ action: "update", deal, fingerprint: print, matching, rematch, previous });
    } else {
      plan.create.push({
        action: "create",
        deal,
        fingerprint: print,
        matching,
        rematch: false,
        previous,
      });
    }
  }
  return plan;
}
