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
import { type JournalDeal, readJournal } from "../calltouch/journal.ts";
import { PointsSpent } from "../calltouch/points.ts";
import { holdOf, type Holds } from "../columns/payload.ts";
import { type Config, zonesOf } from "../settings/config.ts";
import { type Connection, WRITE_BACK_REQUESTS } from "../connect.ts";
import type { Deal, LocalDateTime } from "../deal.ts";
import type { Clock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { convertWallClock } from "../util/zones.ts";
import type { PlannedDeal, SettledDeal, SyncPlan } from "./plan.ts";
import type { DealState } from "./state.ts";
import { differences, journalWindow } from "./verify.ts";

/** What a run's journal reads need besides the settings and the connection. */
export interface LookUpContext {
  sheetZone: string;
  clock: Clock;
  deadline: number;
  fetch?: typeof fetch;
}

/** What the look-up found (for the report): how many deals, or why it could not. */
export type LookUp = { inCalltouch: ReadonlySet<string>; found: number } | { error: string };

/** Reads the journal for the deals' dates; undefined when there is nothing to look up. */
export async function lookUpInCalltouch(
  config: Config,
  io: Connection,
  deals: readonly Deal[],
  context: LookUpContext,
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
  context: LookUpContext,
): Promise<{ confirmation: Confirmation; entries: [string, DealState][] } | undefined> {
  const candidates = plan.update.filter((planned) =>
    planned.previous?.outcome === "sent" && planned.previous.sent === planned.fingerprint
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
    const entry = landedEntry(planned);
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
function landedEntry(planned: PlannedDeal): DealState {
  const doubt = planned.previous!;
  const entry: DealState = {
    fingerprint: planned.fingerprint,
    matching: planned.matching,
    exists: true,
    outcome: doubt.exists ? "updated" : "created",
    at: doubt.at,
  };
  if (planned.raw !== undefined) entry.raw = planned.raw;
  if (doubt.holds) entry.holds = landedHolds(doubt.holds, planned.deal);
  return entry;
}

/** The doubt's holds with what it carried ("?") now known: the version sent, which is the row. */
function landedHolds(holds: Holds, deal: Deal): Holds {
  return {
    ...holds,
    tags: holds.tags === "?" ? holdOf(deal, "tags") : holds.tags,
    custom: holds.custom === "?" ? holdOf(deal, "custom") : holds.custom,
  };
}

/**
 * Reads the journal for the deals' dates (by number), taking at most `share` of what is left of
 * the run's request budget and of its time for Calltouch: half for the look-ups before sending
 * (a journal too long to read, or failing, must not starve the sends), all of it for the
 * reconciliation after them. Undefined: nothing to read (no token, no deals).
 */
export async function readJournalFor(
  config: Config,
  io: Connection,
  deals: readonly Deal[],
  context: LookUpContext,
  share = 1 / 2,
): Promise<
  | {
    deals: ReadonlyMap<string, JournalDeal>;
    toProject: (local: LocalDateTime) => LocalDateTime;
  }
  | { error: string }
  | undefined
> {
  const statsToken = config.calltouch.statsToken;
  if (!statsToken || deals.length === 0) return undefined;
  const zones = zonesOf(config, context.sheetZone);
  const toProject = (local: LocalDateTime) => convertWallClock(local, zones.sheet, zones.calltouch);
  const window = journalWindow(deals, toProject);
  if (!window) return undefined;
  const { budget } = io;
  const until = budget.used +
    Math.floor((budget.limit - budget.used - WRITE_BACK_REQUESTS) * share);
  const now = context.clock.now();
  const deadline = now + Math.max(0, context.deadline - now) * share;
  try {
    const journal = await readJournal({
      baseUrl: config.calltouch.apiUrl,
      siteId: config.calltouch.siteId,
      statsToken,
      ...window,
      clock: context.clock,
      deadline,
      fetch: context.fetch,
      limiter: io.calltouchLimiter,
      take: () => budget.used < until && budget.take(WRITE_BACK_REQUESTS),
    });
    return { deals: new Map(journal.map((deal) => [deal.orderNumber, deal])), toProject };
  } catch (error) {
    // The daily points spent: the run stops asking Calltouch (see rest.ts).
    if (error instanceof PointsSpent) throw error;
    if (error instanceof UpstreamError) return { error: error.message };
    throw error;
  }
}
