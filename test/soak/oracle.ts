/**
 * The fault soak's oracle: what Calltouch should hold for the deals tab as it is now, and how a
 * deal stored by the Calltouch emulator differs from that. It reads the tab with the product's
 * own parser and builds the expectation with the product's own payload builders, so it checks
 * the sync (plan, send, state, write-back) rather than re-deciding what a row means.
 */
import { createOrder, type PayloadSettings, updateOrder } from "../../src/columns/payload.ts";
import type { Matching } from "../../src/calltouch/types.ts";
import type { CellValue, Deal } from "../../src/deal.ts";
import { maskEmail, maskPhone } from "../../src/sheet/mask.ts";
import { parseSheet } from "../../src/columns/parse.ts";
import type { StoredDeal } from "../emulators/calltouch.ts";

/** Contacts and date of one contact-matching entry, as the deal should be matched. */
export interface ContactExpectation {
  phones: string[];
  emails: string[];
  /** `dd-MM-yyyy HH:mm:ss`: the deal date as sent. */
  date: string;
}

/**
 * What Calltouch should hold for one valid deal: the fields both create and update send (so
 * their last value wins whichever was sent last), and the contacts of the last (re)matching.
 * Fields sent on create only (`orderDate`, the comment) are not expected: updates do not carry
 * them (the deal date is conveyed by re-matching, checked through `callContact`/`requestContact`).
 */
export interface DealExpectation {
  orderNumber: string;
  /** 1-based sheet row. */
  row: number;
  status: string;
  /** Only when the sheet has a status date (else the sync picks the moment it saw the change). */
  statusDate?: string;
  /** Absent when the sum cell is empty: updates never clear it, so it is not checked. */
  revenue?: string;
  /** Sorted and de-duplicated: Calltouch's tags are a set. */
  tags: string[];
  manager?: string;
  orderName?: string;
  /** Absent when the deal has no phone (no `callContact` entry is sent). */
  callContact?: ContactExpectation;
  /** Absent when the deal has neither phone nor e-mail. */
  requestContact?: ContactExpectation;
}

/** The tab as the oracle reads it. */
export interface SheetExpectation {
  /** False when the header lacks required columns (nothing can be expected then). */
  ok: boolean;
  /** Valid deals by orderNumber. */
  deals: Map<string, DealExpectation>;
  /** Problem codes of each invalid row, by 1-based row. */
  invalidRows: Map<number, string[]>;
  /** The deal ID read from each invalid row, when it has one. */
  invalidIds: Map<number, string>;
  /** Status-cell text of each data row that has one, by 1-based row. */
  statusTexts: Map<number, string>;
}

/**
 * Reads the tab (`cells[0]` is the header) the way the sync does and returns what Calltouch
 * should hold for each valid deal.
 *
 * @example
 * const expected = expectSheet(rig.cells(), loadConfig(rig.settings).calltouch);
 * compareDeal(rig.calltouch.deals.get("1001"), expected.deals.get("1001")!);
 */
export function expectSheet(
  cells: readonly (readonly CellValue[])[],
  settings: PayloadSettings,
): SheetExpectation {
  const sheet = parseSheet(cells);
  if (!sheet.ok) {
    return {
      ok: false,
      deals: new Map(),
      invalidRows: new Map(),
      invalidIds: new Map(),
      statusTexts: new Map(),
    };
  }
  const deals = new Map<string, DealExpectation>();
  for (const deal of sheet.deals) deals.set(deal.orderNumber, expectDeal(deal, settings));
  const invalidRows = new Map<number, string[]>();
  const invalidIds = new Map<number, string>();
  for (const problem of sheet.problems) {
    const codes = invalidRows.get(problem.row) ?? [];
    codes.push(problem.code);
    invalidRows.set(problem.row, codes);
    if (problem.orderNumber) invalidIds.set(problem.row, problem.orderNumber);
  }
  return { ok: true, deals, invalidRows, invalidIds, statusTexts: sheet.statusTexts };
}

/** What Calltouch should hold for `deal`, from the payloads the sync builds for it. */
export function expectDeal(deal: Deal, settings: PayloadSettings): DealExpectation {
  const create = createOrder(deal, settings);
  // An update with re-matching carries every field that can change after the create.
  const update = updateOrder(deal, settings, { rematch: true, now: 0 }); // its dates unused
  const expectation: DealExpectation = {
    orderNumber: deal.orderNumber,
    row: deal.row,
    status: update.status,
    tags: [...new Set(deal.tags)].sort(),
  };
  // Without a status date in the sheet, Calltouch holds when the sync saw the status change.
  if (deal.statusDate !== undefined) expectation.statusDate = update.statusDate;
  if (update.revenue !== undefined) expectation.revenue = update.revenue;
  if (update.manager !== undefined) expectation.manager = update.manager;
  if (update.orderName !== undefined) expectation.orderName = update.orderName;
  const contacts = contactsOf(update.reMatching ?? create.matching);
  if (contacts.callContact) expectation.callContact = contacts.callContact;
  if (contacts.requestContact) expectation.requestContact = contacts.requestContact;
  return expectation;
}

interface Contacts {
  callContact?: ContactExpectation;
  requestContact?: ContactExpectation;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The contact entries of a `matching` / `reMatching` array (ours or as Calltouch stored it). */
function contactsOf(matching: readonly unknown[]): Contacts {
  const contacts: Contacts = {};
  for (const entry of matching as readonly (Matching | Record<string, unknown>)[]) {
    if (typeof entry !== "object" || entry === null) continue;
    const record = entry as Record<string, unknown>;
    const key = record.type === "callContact"
      ? "callContactParams"
      : record.type === "requestContact"
      ? "requestContactParams"
      : undefined;
    if (!key) continue;
    const params = (record[key] ?? {}) as Record<string, unknown>;
    const found: ContactExpectation = {
      phones: strings(params.phones),
      emails: strings(params.emails),
      date: String(params.date ?? ""),
    };
    if (record.type === "callContact") contacts.callContact ??= found;
    else contacts.requestContact ??= found;
  }
  return contacts;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...new Set(a)].sort()) === JSON.stringify([...new Set(b)].sort());

/** Phones and e-mails, masked, for messages (a violation must never show a contact). */
function maskedContacts(c: ContactExpectation | undefined): string {
  if (!c) return "none";
  const phones = c.phones.map(maskPhone);
  const emails = c.emails.map(maskEmail);
  return `${c.phones.length} phone(s) [${phones.join(" ")}], ${c.emails.length} e-mail(s) [${
    emails.join(" ")
  }], date ${c.date}`;
}

function show(value: unknown): string {
  return value === undefined ? "nothing" : JSON.stringify(value);
}

/**
 * How the deal Calltouch stores differs from what the sheet says now; undefined when it holds
 * the sheet's data. The text names fields and values but masks phones and e-mails.
 *
 * Optional fields the sheet leaves empty (sum, manager, name) are not compared: updates do not
 * clear them, by design. Tags are compared as sets (an update overwrites them; an empty cell
 * clears them). Contacts and the deal date are compared with the last `matching`/`reMatching`
 * Calltouch applied, entry by entry (phones and e-mails as sets).
 */
export function compareDeal(
  stored: StoredDeal | undefined,
  expected: DealExpectation,
): string | undefined {
  if (!stored) return "Calltouch has no such deal";
  const differences: string[] = [];
  const field = (name: string, want: unknown) => {
    if (want === undefined) return;
    const got = stored.fields[name];
    if (got !== want) differences.push(`${name}: sheet ${show(want)}, Calltouch ${show(got)}`);
  };
  field("status", expected.status);
  field("statusDate", expected.statusDate);
  field("revenue", expected.revenue);
  field("manager", expected.manager);
  field("orderName", expected.orderName);
  if (!sameSet(stored.tags, expected.tags)) {
    differences.push(
      `tags: sheet ${show(expected.tags)}, Calltouch ${show([...stored.tags].sort())}`,
    );
  }
  const got = contactsOf(stored.matching);
  for (const type of ["callContact", "requestContact"] as const) {
    const want = expected[type];
    const have = got[type];
    const same = want === undefined
      ? have === undefined
      : have !== undefined && sameSet(want.phones, have.phones) &&
        sameSet(want.emails, have.emails) && want.date === have.date;
    if (!same) {
      differences.push(
        `${type}: sheet ${maskedContacts(want)}; Calltouch ${maskedContacts(have)}`,
      );
    }
  }
  return differences.length > 0 ? differences.join("; ") : undefined;
}

/** What a status cell says, by its first mark. */
export type StatusKind = "accepted" | "problem" | "pending" | "none" | "other";

/** Classifies a status-cell text: `✅` accepted, `❌` problem, `⏳` pending, empty, or other. */
export function statusKind(text: string | undefined): StatusKind {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") return "none";
  if (trimmed.startsWith("✅")) return "accepted";
  if (trimmed.startsWith("❌")) return "problem";
  if (trimmed.startsWith("⏳")) return "pending";
  return "other";
}
