/**
 * `verify`: the sheet's valid deals against what Calltouch's deals journal holds. Pure: the
 * sheet is parsed and the journal read by the caller (`src/cli/verify.ts`).
 */
import { idContact } from "../../sheet/ids.ts";
import { maskContacts } from "../../sheet/mask.ts";
import type { JournalDeal } from "../../calltouch/journal.ts";
import type { Deal, LocalDateTime } from "../../deal.ts";

/** One way the sheet and Calltouch disagree. */
export interface Mismatch {
  /** `missing`: a valid deal Calltouch does not have; `extra`: a deal of our `crm` in Calltouch
   * that the sheet does not have (any row, valid or not). */
  what: "missing" | "status" | "revenue" | "date" | "extra";
  orderNumber: string;
  /** The sheet row (not for `extra`). */
  row?: number;
  /** The sheet's value and Calltouch's, for the differing fields (no contacts ever). */
  sheet?: string;
  calltouch?: string;
}

/** What {@linkcode compareWithJournal} found. */
export interface Verification {
  /** Valid deals compared. */
  checked: number;
  mismatches: Mismatch[];
  /**
   * Whether the journal says which CRM created a deal: without it, deals in Calltouch that the
   * sheet lacks cannot be told from other sources' deals, and are not listed.
   */
  crmKnown: boolean;
}

/** The deal-date window to read, as `YYYY-MM-DD` days of the project's zone (none: no deals). */
export function journalWindow(
  deals: readonly Deal[],
  toProject: (local: LocalDateTime) => LocalDateTime,
): { from: string; to: string } | undefined {
  let from: string | undefined;
  let to: string | undefined;
  for (const deal of deals) {
    const day = toProject(deal.orderDate).slice(0, 10);
    if (from === undefined || day < from) from = day;
    if (to === undefined || day > to) to = day;
  }
  return from && to ? { from, to } : undefined;
}

/**
 * Where one deal and its journal record disagree: another status (when the journal tells one),
 * another sum, another deal date (in the project's zone, when told).
 *
 * The sheet's sum agrees with Calltouch's completed sum or with its planned one (an open deal may
 * hold the sum sent as planned, and 0 as completed; which one Calltouch fills is not documented);
 * no sum in the sheet agrees with none or 0.
 */
export function differences(
  deal: Deal,
  found: JournalDeal,
  toProject: (local: LocalDateTime) => LocalDateTime,
): Mismatch[] {
  const { row, orderNumber } = deal;
  const mismatches: Mismatch[] = [];
  const differ = (what: Mismatch["what"], sheet: string, calltouch: string) =>
    mismatches.push({ what, row, orderNumber, sheet, calltouch });
  if (found.status !== undefined && found.status !== deal.status) {
    differ("status", deal.status, found.status);
  }
  const sums = found.plannedRevenue === undefined || found.plannedRevenue === found.revenue
    ? [found.revenue]
    : [found.revenue, found.plannedRevenue];
  if (!sums.some((sum) => sumsAgree(deal.revenue, sum))) {
    const told = sums.map((sum) => sum ?? "—");
    differ(
      "revenue",
      deal.revenue ?? "—",
      told.length > 1 ? `${told[0]}, planned ${told[1]}` : told[0],
    );
  }
  const date = toProject(deal.orderDate);
  if (found.orderDate !== undefined && found.orderDate !== date) {
    differ("date", date, found.orderDate);
  }
  return mismatches;
}

/** The sheet's sum against one of Calltouch's: equal, or none against none or 0. */
function sumsAgree(sheet: string | undefined, calltouch: string | undefined): boolean {
  return sheet === calltouch || (sheet === undefined && calltouch === "0.00");
}

/**
 * Compares each valid deal with the journal: missing, another status, another sum (completed or
 * planned; none in the sheet = none or 0 in Calltouch), another deal date (in the project's zone). Deals of `crm`
 * that no row of the sheet carries are `extra`.
 *
 * @param sheetIds every ID in the sheet, invalid rows' included (an invalid row is not "extra")
 */
export function compareWithJournal(
  deals: readonly Deal[],
  journal: readonly JournalDeal[],
  options: {
    crm: string;
    sheetIds: ReadonlySet<string>;
    toProject: (local: LocalDateTime) => LocalDateTime;
  },
): Verification {
  const held = new Map(journal.map((deal) => [deal.orderNumber, deal]));
  const mismatches: Mismatch[] = [];
  for (const deal of deals) {
    const found = held.get(deal.orderNumber);
    if (found) mismatches.push(...differences(deal, found, options.toProject));
    else mismatches.push({ what: "missing", row: deal.row, orderNumber: deal.orderNumber });
  }
  const crmKnown = journal.some((deal) => deal.crm !== undefined);
  for (const deal of journal) {
    if (deal.crm === options.crm && !options.sheetIds.has(deal.orderNumber)) {
      // A phone or an e-mail sent as an ID by a build before issue 22: shown masked only.
      const orderNumber = idContact(deal.orderNumber)
        ? maskContacts(deal.orderNumber)
        : deal.orderNumber;
      mismatches.push({ what: "extra", orderNumber });
    }
  }
  return { checked: deals.length, mismatches, crmKnown };
}
