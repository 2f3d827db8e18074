/** Decides, per deal, whether to create, update, leave alone or hold it. Pure. */
import type { Deal } from "../deal.ts";
import type { KnownRow } from "../columns/parse.ts";
import { fingerprintTexts } from "../columns/fingerprint.ts";
import { type HashKey, hashText } from "../util/hash.ts";
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
  /**
   * For updates: contacts or the deal date changed since Calltouch last matched the deal, or the
   * deal is in doubt.
   */
  rematch: boolean;
  /** What was remembered before this run, if anything. */
  previous?: DealState;
  /**
   * A create of a deal this run's look-up did not find in Calltouch's journal: should its request
   * end in doubt, the journal showing the deal later proves that it landed.
   */
  absent?: boolean;
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

/** Held deals are sent again automatically once this long after their refusal. */
export const HELD_RETRY_MS = 24 * 60 * 60 * 1000;

/** Options of {@linkcode planSync}. */
export interface PlanOptions {
  /**
   * The key of the fingerprints (the deployment's, see `util/keyring.ts`): the state holds them
   * under it (a state under another key is rewritten first, see `rekey.ts`).
   */
  key: HashKey;
  /** Rows skipped by the parser because their cells are exactly as last accepted. */
  knownRows?: readonly KnownRow[];
  /** Raw-row hashes by 1-based row (0: none), remembered with each outcome. */
  rawHashes?: Float64Array;
  /** Status cells as read, by 1-based row: a held deal whose cell is empty is sent again. */
  statusTexts?: ReadonlyMap<number, string>;
  /**
   * Whether what the sync would send for a deal now is what was refused (`DealState.request`,
   * see `request_hash.ts`): a held deal for which it is not is sent again. Without it, no deal is
   * released this way.
   */
  sameRequest?: (planned: PlannedDeal, stored: string) => boolean;
  /** Send every held deal again (`retryHeld`). Default false. */
  retryHeld?: boolean;
  /**
   * Order numbers Calltouch's deals journal holds, read when the sync has no state (a new or a
   * lost one): such a deal is planned as an update (with re-matching), not a create that
   * Calltouch would refuse as existing.
   */
  inCalltouch?: ReadonlySet<string>;
  /**
   * What else every date sent depends on (the Calltouch project's zone when it is not the
   * sheet's): in the fingerprints, so a change of it sends every deal again. Default "".
   */
  salt?: string;
  /**
   * Now (epoch ms): when a held deal was refused at least {@linkcode HELD_RETRY_MS} ago, every
   * held deal is sent again, in one go. Without it, there is no daily retry.
   */
  now?: number;
}

/**
 * Plans a run:
 * - never seen → `create`;
 * - in doubt (sent, answer unknown) → sent again whatever the row looks like, as an `update`
 *   (the doubted request may have created it; if not, the fallback creates it), re-matching;
 * - same fingerprint as last accepted (or a known row) → `unchanged`;
 * - same fingerprint as last rejected → `held`, unless released: its status cell was cleared,
 *   what would be sent for it changed (settings, payload format), `retryHeld`, or the daily
 *   retry is due (then every held deal goes);
 * - otherwise → `update` when the deal exists in Calltouch, `create` when it does not (e.g. its
 *   first create was rejected and the row has since been fixed).
 *
 * A deal that is unchanged but whose row now hashes differently (say `3500` retyped as `3 500`)
 * gets its remembered raw hash refreshed in `state`, in memory: it is stored only if the run
 * stores state anyway, so a quiet run still writes nothing.
 *
 * @example
 * const plan = planSync(parsed.deals, await stateStore.load(), { key: keys.current.hash });
 * plan.create.length; // deals to create
 */
export function planSync(
  deals: readonly Deal[],
  state: SyncState,
  options: PlanOptions,
): SyncPlan {
  const plan: SyncPlan = { create: [], update: [], unchanged: [], held: [] };
  const held: { settled: SettledDeal; planned: PlannedDeal }[] = [];
  let heldDue = options.retryHeld ?? false;
  // Known rows are parsed only for accepted deals (the run's `knownRaw`); a held one stays held.
  for (const { row, orderNumber } of options.knownRows ?? []) {
    const previous = state.get(orderNumber);
    if (previous?.outcome === "held") {
      plan.held.push({ action: "held", row, orderNumber, previous });
    } else if (previous) plan.unchanged.push({ action: "unchanged", row, orderNumber, previous });
  }
  for (const deal of deals) {
    const previous = state.get(deal.orderNumber);
    const raw = options.rawHashes?.[deal.row] || undefined;
    const texts = fingerprintTexts(deal, options.salt);
    const print = hashText(options.key, texts.fingerprint);
    const same = previous !== undefined && previous.outcome !== "inDoubt" &&
      previous.fingerprint === print;
    if (same && previous.outcome !== "held") {
      if (raw !== undefined && previous.raw !== raw) previous.raw = raw;
      plan.unchanged.push({
        action: "unchanged",
        row: deal.row,
        orderNumber: deal.orderNumber,
        previous,
      });
      continue;
    }
    const matching = hashText(options.key, texts.matching);
    const planned: PlannedDeal = {
      // In doubt, the request may have landed (a create too): an update puts the current data
      // over whatever Calltouch holds, tags included; "not found" falls back to a create.
      action: previous?.exists || previous?.outcome === "inDoubt" ||
          (previous === undefined && options.inCalltouch?.has(deal.orderNumber))
        ? "update"
        : "create",
      deal,
      fingerprint: print,
      matching,
      raw,
      // In doubt: Calltouch may hold either version's contacts, so re-match to be sure.
      // Without state (the journal found it): nothing says how Calltouch matched it either.
      rematch: previous === undefined || previous.outcome === "inDoubt" ||
        previous.matching !== matching,
      previous,
    };
    if (planned.action === "create" && options.inCalltouch) planned.absent = true;
    if (same) {
      // Held: the row is as it was refused. Released by a cleared status cell or a change of
      // what would be sent; else it waits (for the daily retry, or retryHeld).
      const { row, orderNumber } = deal;
      const cleared = options.statusTexts !== undefined && !options.statusTexts.get(row)?.trim();
      const resent = options.sameRequest !== undefined && previous.request !== undefined &&
        !options.sameRequest(planned, previous.request);
      if (!cleared && !resent) {
        held.push({ settled: { action: "held", row, orderNumber, previous }, planned });
        if (options.now !== undefined && options.now - previous.at >= HELD_RETRY_MS) heldDue = true;
        continue;
      }
    }
    plan[planned.action].push(planned);
  }
  for (const { settled, planned } of held) {
    if (heldDue) plan[planned.action].push(planned);
    else plan.held.push(settled);
  }
  return plan;
}
