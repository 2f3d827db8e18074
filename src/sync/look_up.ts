/**
 * Between parse and plan, only when the sync has no state (a new deployment, a lost KV): which of
 * the sheet's deals Calltouch already holds, read from its deals journal (CALLTOUCH_STATS_TOKEN),
 * so each is sent as an update the first time instead of a create Calltouch refuses as existing.
 * Without the token, or when the journal cannot be read, the fallbacks heal the same way, one
 * refused create per deal.
 */
import { readJournal } from "../calltouch/journal.ts";
import { type Config, zonesOf } from "../config.ts";
import { type Connection, WRITE_BACK_REQUESTS } from "../connect.ts";
import type { Deal } from "../deal.ts";
import type { Clock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { convertWallClock } from "../util/zones.ts";
import { journalWindow } from "./verify.ts";

/** What the look-up found (for the report): how many deals, or why it could not. */
export type LookUp = { inCalltouch: ReadonlySet<string>; found: number } | { error: string };

/** Reads the journal for the deals' dates; undefined when there is nothing to look up. */
export async function lookUpInCalltouch(
  config: Config,
  io: Connection,
  deals: readonly Deal[],
  context: { sheetZone: string; clock: Clock; deadline: number; fetch?: typeof fetch },
): Promise<LookUp | undefined> {
  const statsToken = config.calltouch.statsToken;
  if (!statsToken || deals.length === 0) return undefined;
  const zones = zonesOf(config, context.sheetZone);
  const window = journalWindow(
    deals,
    (local) => convertWallClock(local, zones.sheet, zones.calltouch),
  );
  if (!window) return undefined;
  // At most half of what is left for Calltouch: a journal too long to read must not starve the
  // sends (the run after them has state, and looks nothing up).
  const { budget } = io;
  const share = Math.floor((budget.limit - budget.used - WRITE_BACK_REQUESTS) / 2);
  const until = budget.used + share;
  try {
    const journal = await readJournal({
      baseUrl: config.calltouch.apiUrl,
      siteId: config.calltouch.siteId,
      statsToken,
      ...window,
      clock: context.clock,
      deadline: context.deadline,
      fetch: context.fetch,
      take: () => budget.used < until && budget.take(WRITE_BACK_REQUESTS),
    });
    const inCalltouch = new Set(journal.map((deal) => deal.orderNumber));
    const found = deals.filter((deal) => inCalltouch.has(deal.orderNumber)).length;
    return { inCalltouch, found };
  } catch (error) {
    if (error instanceof UpstreamError) return { error: error.message };
    throw error;
  }
}
