/** Decides, per deal, whether to create, update, leave alone or hold it. Pure. */
import type { Deal } from "../deal.ts";
import type { KnownRow } from "../sheet/parse.ts";
import { fingerprint, matchingFingerprint } from "./fingerprint.ts";
import type { DealState, SyncState } from "./state.ts";

/** What to do with one deal in this run. */
export type PlanAction = "create" | "update" | "unchanged" | "held";

/** A deal to send, with the fingerprints the run remembers if Calltouch accepts it. */
export interface PlannedDeal {
  action: "create" | "update";
  deal: Deal;
  fingerprint: string;
  matching: string;
  /** Raw-row hash of the deal's row, remembered with the outcome (see `parseSheet`). */
  raw?: number;
  /** For updates: contacts or the deal date changed since Calltouch last matched the deal. */
  rematch: boolean;
  /** What was remembered before this run, if anything. */
  previous?: DealState;
}

/** A deal not sent in this run: unchanged since accepted, or held since refused. */
export interface SettledDeal {
  action: "unchanged" | "held";
  /** 1-based sheet row it was read from. */
  row: number;
  orderNumber: string;
  /** What was remembered: its outcome decides the status cell. */
  previous: DealState;
}

/**
 * The decisions of a run, grouped by action; creates and updates in sheet order (settled deals:
 * known rows first, order does not matter for them).
 */
export interface SyncPlan {
  create: PlannedDeal[];
  update: PlannedDeal[];
  unchanged: SettledDeal[];
  held: SettledDeal[];
}

/** Options of {@linkcode planSync}. */
export interface PlanOptions {
  /** Rows skipped by the parser because their cells are exactly as last sent. */
  knownRows?: readonly KnownRow[];
  /** Raw-row hashes by 1-based row (0: none), remembered with each outcome. */
  rawHashes?: Float64Array;
}

/**
 * Plans a run:
 * - never seen → `create`;
 * - same fingerprint as last accepted (or a known row) → `unchanged`;
 * - same fingerprint as last rejected → `held` (a permanent refusal is not retried until the
 *   row changes);
 * - otherwise → `update` when the deal exists in Calltouch, `create` when it does not (e.g. its
 *   first create was rejected and the row has since been fixed).
 *
 * A deal that is unchanged but whose row now hashes differently (say `3500` retyped as `3 500`)
 * gets its remembered raw hash refreshed in `state`, in memory: it is stored only if the run
 * stores state anyway, so an idle run still writes nothing.
 *
 * @example
 * const plan = planSync(parsed.deals, await stateStore.load());
 * plan.create.length; // deals to create
 */
export function planSync(
  deals: readonly Deal[],
  state: SyncState,
  options: PlanOptions = {},
): SyncPlan {
  const plan: SyncPlan = { create: [], update: [], unchanged: [], held: [] };
  const settle = (row: number, orderNumber: string, previous: DealState) => {
    const action = previous.outcome === "rejected" ? "held" : "unchanged";
    plan[action].push({ action, row, orderNumber, previous });
  };
  for (const known of options.knownRows ?? []) {
    const previous = state.get(known.orderNumber);
    if (previous) settle(known.row, known.orderNumber, previous);
  }
  for (const deal of deals) {
    const previous = state.get(deal.orderNumber);
    const raw = options.rawHashes?.[deal.row] || undefined;
    const print = fingerprint(deal);
    if (previous && previous.fingerprint === print) {
      if (raw !== undefined && previous.raw !== raw) previous.raw = raw;
      settle(deal.row, deal.orderNumber, previous);
      continue;
    }
    const matching = matchingFingerprint(deal);
    if (previous?.exists) {
      const rematch = previous.matching !== matching;
      plan.update.push({
        action: "update",
        deal,
        fingerprint: print,
        matching,
        raw,
        rematch,
        previous,
      });
    } else {
      plan.create.push({
        action: "create",
        deal,
        fingerprint: print,
        matching,
        raw,
        rematch: false,
        previous,
      });
    }
  }
  return plan;
}
