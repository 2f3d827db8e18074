/**
 * Calltouch's deals journal (`orders-diary/orders`, read with CALLTOUCH_STATS_TOKEN), as the
 * sync and `verify` use it. Not our state log: the journal is what Calltouch holds.
 * - Before sending: after a state loss, which of the sheet's deals Calltouch holds already
 *   ({@linkcode lookUp}); which deals in doubt landed ({@linkcode confirmLanded}).
 * - After sending, every RECONCILE_EVERY_MINUTES: the attribution column and the count of
 *   differences ({@linkcode reconcile}).
 * - For `verify`: every difference between the sheet and the journal ({@linkcode verifySheet}).
 * Without the token none of them reads anything, and the fallbacks of sending heal the same.
 */
import type { ParsedSheetOk } from "../../columns/parse.ts";
import type { Connection } from "../../connect.ts";
import type { Config } from "../../settings/config.ts";
import { compareWithJournal, type Verification } from "./compare.ts";
import { type JournalContext, readJournalFor } from "./read.ts";

export {
  type Confirmation,
  confirmLanded,
  type LookUp,
  lookUpInCalltouch as lookUp,
} from "./before_send.ts";
export {
  attributionText,
  lastReconciledAt,
  reconcile,
  reconcileDueAt,
  type Reconciliation,
} from "./after_send.ts";
export { differences, type Mismatch, type Verification } from "./compare.ts";
export type { JournalContext } from "./read.ts";
export type { LandedContext } from "./before_send.ts";

/** What {@linkcode verifySheet} found, or why the journal could not be read. */
export type SheetVerification =
  | Verification & { window?: { from: string; to: string }; journalDeals: number }
  | { error: string };

/**
 * Every difference between the sheet's valid deals and the journal: missing deals, another
 * status, sum or deal date, and deals of our `crm` the sheet no longer has (any row of it).
 * Reads the journal with the whole of the run's requests and time.
 */
export async function verifySheet(
  config: Config,
  io: Connection,
  sheet: ParsedSheetOk,
  context: JournalContext,
): Promise<SheetVerification> {
  const read = await readJournalFor(config, io, sheet.deals, context, 1);
  if (read && "error" in read) return read;
  const sheetIds = new Set<string>(sheet.deals.map((deal) => deal.orderNumber));
  for (const problem of sheet.problems) if (problem.orderNumber) sheetIds.add(problem.orderNumber);
  const journal = read ? [...read.deals.values()] : [];
  const verification = compareWithJournal(sheet.deals, journal, {
    crm: config.calltouch.crm,
    sheetIds,
    toProject: read?.toProject ?? ((local: string) => local),
  });
  return {
    ...verification,
    ...(read ? { window: read.window } : {}),
    journalDeals: journal.length,
  };
}
