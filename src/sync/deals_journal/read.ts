/**
 * Reading Calltouch's deals journal for a set of deals: the window of their dates in the
 * project's zone, and the run's share of requests and time (a journal that is long or failing
 * must not starve what the run must still do).
 */
import { type JournalDeal, readJournal } from "../../calltouch/journal.ts";
import { type Config, settingName, zonesOf } from "../../settings/config.ts";
import { type Connection, WRITE_BACK_REQUESTS } from "../../connect.ts";
import type { Deal, LocalDateTime } from "../../deal.ts";
import type { Clock } from "../../util/clock.ts";
import { PointsSpent } from "../../calltouch/points.ts";
import { UpstreamError } from "../../util/errors.ts";
import { convertWallClock } from "../../util/zones.ts";
import { journalWindow } from "./compare.ts";

/** What a journal read needs besides the settings and the connection. */
export interface JournalContext {
  sheetZone: string;
  clock: Clock;
  deadline: number;
  fetch?: typeof fetch;
}

/** The deals the journal holds for a window, by number, and the zone conversion it was read in. */
export interface JournalRead {
  deals: ReadonlyMap<string, JournalDeal>;
  toProject: (local: LocalDateTime) => LocalDateTime;
  /** The window read (`YYYY-MM-DD` days of the project's zone). */
  window: { from: string; to: string };
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
  context: JournalContext,
  share = 1 / 2,
): Promise<JournalRead | { error: string } | undefined> {
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
      take: () => budget.used < until && budget.take(WRITE_BACK_REQUESTS),
      pace: (deadline) => io.calltouchLimiter.acquire(deadline),
      language: config.language,
      names: (setting) => settingName(config, setting),
    });
    return { deals: new Map(journal.map((deal) => [deal.orderNumber, deal])), toProject, window };
  } catch (error) {
    // The daily points spent: the run stops asking Calltouch (see rest.ts).
    if (error instanceof PointsSpent) throw error;
    if (error instanceof UpstreamError) return { error: error.message };
    throw error;
  }
}
