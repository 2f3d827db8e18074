/**
 * Between plan and send, with CALLTOUCH_STATS_TOKEN: what Calltouch's deals journal says about
 * deals the sync is unsure of.
 * - No state at all (a new deployment, a lost KV): which of the sheet's deals Calltouch already
 *   holds, so each is sent as an update the first time instead of a create Calltouch refuses as
 *   existing ({@linkcode lookUpInCalltouch}).
 * - Deals in doubt (a request whose answer never came): whether the request landed, so a deal
 *   Calltouch shows as sent is accepted without sending it again ({@linkcode confirmLanded}).
 * Without the token, or when the journal cannot be read, the fallbacks heal the same way, at the
 * cost of a refused create per existing deal and a re-sent update per deal in doubt.
 */
import { type Known, knownOf } from "../../columns/payload.ts";
import type { Config } from "../../settings/config.ts";
import type { Connection } from "../../connect.ts";
import type { Deal } from "../../deal.ts";
import type { HashKey } from "../../util/hash.ts";
import type { PlannedDeal, SettledDeal, SyncPlan } from "../plan.ts";
import type { DealState } from "../state.ts";
import { differences } from "./compare.ts";
import { type JournalContext, readJournalFor } from "./read.ts";

/** What {@linkcode confirmLanded} needs besides a journal read's context. */
export interface LandedContext extends JournalContext {
  /** The key of the hashes of what Calltouch holds (`PayloadSettings.hashKey`). */
  hashKey: HashKey;
}

/** What the look-up found (for the report): how many deals, or why it could not. */
export type LookUp = { inCalltouch: ReadonlySet<string>; found: number } | { error: string };

/** Reads the journal for the deals' dates; undefined when there is nothing to look up. */
export async function lookUpInCalltouch(
  config: Config,
  io: Connection,
  deals: readonly Deal[],
  context: JournalContext,
): Promise<LookUp | undefined> {
  const journal = await readJournalFor(config, io, deals, context);
  if (!journal || "error" in journal) return journal;
  const inCalltouch = new Set(journal.deals.keys());
  const found = deals.filter((deal) => inCalltouch.has(deal.orderNumber)).length;
  return { inCalltouch, found };
}

/** What {@linkcode confirmLanded} did (for the report): how many it accepted, or why not. */
export type Confirmation = { landed: number } | { error: string };

/**
 * The planned updates that are in doubt with a version the journal can show (see
 * `DealState.sent`) and that is still the row's: read from the journal, and each one the
 * journal shows as sent (status, sum and deal date) is taken out of `plan.update`, accepted as of
 * when it was sent (into `plan.unchanged`), and returned as the state entries to remember.
 * Undefined when no deal qualifies (no token, no such deal: nothing read).
 */
export async function confirmLanded(
  config: Config,
  io: Connection,
  plan: SyncPlan,
  context: LandedContext,
): Promise<{ confirmation: Confirmation; entries: [string, DealState][] } | undefined> {
  const candidates = plan.update.filter((planned) =>
    planned.previous?.outcome === "inDoubt" && planned.previous.sent === planned.fingerprint
  );
  if (candidates.length === 0) return undefined;
  const journal = await readJournalFor(config, io, candidates.map((p) => p.deal), context);
  if (!journal) return undefined;
  if ("error" in journal) return { confirmation: journal, entries: [] };
  const entries: [string, DealState][] = [];
  const settled: SettledDeal[] = [];
  for (const planned of candidates) {
    const found = journal.deals.get(planned.deal.orderNumber);
    // The status is what shows the request landed: a journal that does not tell it proves nothing.
    if (!found || found.status === undefined) continue;
    if (differences(planned.deal, found, journal.toProject).length > 0) continue;
    const entry = landedEntry(planned, context.hashKey);
    entries.push([planned.deal.orderNumber, entry]);
    const { row, orderNumber } = planned.deal;
    settled.push({ action: "unchanged", row, orderNumber, previous: entry });
  }
  const landed = new Set(entries.map(([orderNumber]) => orderNumber));
  plan.update = plan.update.filter((planned) => !landed.has(planned.deal.orderNumber));
  plan.unchanged.push(...settled);
  return { confirmation: { landed: entries.length }, entries };
}

/** What is remembered of an in-doubt deal whose request landed: accepted when it was sent. */
function landedEntry(planned: PlannedDeal, key: HashKey): DealState {
  const doubt = planned.previous!;
  const entry: DealState = {
    fingerprint: planned.fingerprint,
    matching: planned.matching,
    exists: true,
    outcome: doubt.exists ? "updated" : "created",
    at: doubt.at,
  };
  if (planned.raw !== undefined) entry.raw = planned.raw;
  if (doubt.known) entry.known = landedKnown(doubt.known, planned.deal, key);
  return entry;
}

/** The doubt's holds with what it carried ("?") now known: the version sent, which is the row. */
function landedKnown(known: Known, deal: Deal, key: HashKey): Known {
  return {
    ...known,
    tags: known.tags === "?" ? knownOf(deal, "tags", key) : known.tags,
    custom: known.custom === "?" ? knownOf(deal, "custom", key) : known.custom,
  };
}
