/**
 * The go-live probe: the calls whose answers Calltouch's documentation leaves open, made once
 * against the real project before the first real sync, each answer shown with how the sync reads
 * it and whether that reading is the intended one. The saved file can be attached to a support
 * request and replayed by the emulator (`test/emulators/calltouch.ts`, `replay`).
 *
 * The test deal has no contacts (it matches by the custom source `test / calltouch-sheet-sync /
 * probe`), is named as a test, and stays in Calltouch: its documented methods cannot find or
 * delete a deal (the v2 search and delete methods are mentioned, not documented).
 */
import type { Deal } from "../deal.ts";
import type { Answer, CalltouchClient, Operation } from "../calltouch/client.ts";
import { maskPersonalData } from "../calltouch/quote.ts";
import type { CreateOrder, UpdateOrder } from "../calltouch/types.ts";
import { createOrder, type PayloadSettings, updateOrder } from "../columns/payload.ts";

/** How the sync reads one answer about one order. */
export type ProbeReading =
  | "accepted"
  | "exists"
  | "not found"
  | "refused"
  | "transient"
  | "not sent";

/** The situations a probe call stands for (the emulator replays a probe file by them). */
export type ProbeSituation =
  | "createNew"
  | "createExisting"
  | "updateExisting"
  | "updateMissing"
  | "updateEmptyTags"
  | "createAfterUpdateMissing";

/** One call of the probe and its answer. */
export interface ProbeCall {
  step: number;
  situation: ProbeSituation;
  /** What was done, in words. */
  title: string;
  method: Operation;
  orderNumber: string;
  /** The request body sent (no contacts: the test deal has none). */
  request: unknown;
  /** HTTP status, or undefined when there was no answer. */
  status?: number;
  /** The answer's body as received (the token masked, should it appear). */
  body?: string;
  reading: ProbeReading;
  /** Calltouch's reason, when refused. */
  reason?: string;
  /** Whether the sync reads this answer as intended. */
  intended: boolean;
  /** What the reading means for the sync. */
  note: string;
}

/** What a probe found: saved as the probe file. */
export interface ProbeReport {
  format: "calltouch-sheet-sync/probe";
  version: 1;
  at: string;
  apiUrl: string;
  siteId: string;
  orderNumber: string;
  calls: ProbeCall[];
  /** Whether every reading is the intended one. */
  ok: boolean;
  /** The test deals left in Calltouch. */
  leftInCalltouch: string[];
}

/** What {@linkcode runProbe} needs. */
export interface ProbeOptions {
  client: CalltouchClient;
  settings: PayloadSettings;
  apiUrl: string;
  siteId: string;
  /** Masked in every saved body. */
  token: string;
  /** The test deal's order number. */
  orderNumber: string;
  /** Now, epoch ms; the deal date is its Moscow wall clock. */
  now: number;
  deadline: number;
}

/** The order number the probe uses when none is given: clearly a test, unique per second. */
export function probeOrderNumber(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  return `ctsync-probe-${stamp}`;
}

const PROBE_SOURCE = { source: "test", medium: "calltouch-sheet-sync", campaign: "probe" };

function moscowWallClock(now: number): string {
  return new Date(now + 3 * 3_600_000).toISOString().slice(0, 19);
}

function testDeal(orderNumber: string, now: number, overrides: Partial<Deal> = {}): Deal {
  const at = moscowWallClock(now);
  return {
    row: 0,
    orderNumber,
    orderDate: at,
    status: "Тест синхронизации",
    statusDate: at,
    revenue: "1.00",
    phones: [],
    emails: [],
    tags: ["calltouch-sheet-sync: тест"],
    orderName: "ТЕСТ calltouch-sheet-sync: не настоящая сделка",
    comment: "Создана проверкой calltouch-sheet-sync (deno task probe). Не настоящая сделка.",
    ...overrides,
  };
}

/** What the sync does with one order of an answer: the kind the probe shows. */
function readingOf(answer: Answer, situation: ProbeSituation): {
  reading: ProbeReading;
  reason?: string;
} {
  switch (answer.kind) {
    case "notSent":
      return { reading: "not sent" };
    case "unknown":
      return { reading: "transient" };
    case "orders": {
      const read = answer.readings[0];
      if (read === undefined || read.kind === "refused") {
        const reason = read?.reason ?? "";
        return { reading: refusedAs(situation), reason };
      }
      return { reading: "accepted" };
    }
    case "refused":
      return { reading: refusedAs(situation), reason: answer.reason };
  }
}

function refusedAs(situation: ProbeSituation): ProbeReading {
  if (situation === "createExisting") return "exists";
  if (situation === "updateMissing") return "not found";
  return "refused";
}

/** Whether a reading is what the sync needs there, and what it means. */
function judge(
  situation: ProbeSituation,
  reading: ProbeReading,
): { intended: boolean; note: string } {
  const transient = {
    intended: false,
    note: "Calltouch did not answer usably (network error, timeout, 5xx): run the probe again",
  };
  if (reading === "transient" || reading === "not sent") return transient;
  switch (situation) {
    case "createNew":
    case "updateExisting":
      return reading === "accepted" ? { intended: true, note: "accepted, as the sync expects" } : {
        intended: false,
        note: "Calltouch refused a valid deal: every deal would be held; send this file to " +
          "Calltouch's support with the reason",
      };
    case "createExisting":
      return reading === "exists"
        ? {
          intended: true,
          note: "refused: the sync then sends it as an update (whatever the words)",
        }
        : { intended: true, note: "accepted (an upsert): the sync creates nothing twice" };
    case "updateMissing":
      return reading === "not found"
        ? {
          intended: true,
          note: "refused: the sync then creates it (whatever the words)",
        }
        : {
          intended: true,
          note: "accepted: see the next call for whether Calltouch created the deal",
        };
    case "createAfterUpdateMissing":
      return reading === "exists"
        ? {
          intended: true,
          note: "the update above created the deal (an upsert): nothing is lost",
        }
        : {
          intended: false,
          note: "Calltouch accepted an update of a deal it did not have without creating " +
            "it: an update of a deal missing from Calltouch would be taken for success. " +
            "Keep the state (KV) of the sync; tell the developers",
        };
    case "updateEmptyTags":
      return reading === "accepted"
        ? { intended: true, note: "accepted: tags removed in the sheet can be cleared" }
        : {
          intended: false,
          note: "Calltouch refuses an empty tag list: updates of deals whose tags were all " +
            "removed would be held; tell the developers",
        };
  }
}

/**
 * Makes the probe's calls and reads each answer. Throws what the client throws for refused
 * credentials (401/403), which the caller reports as a settings problem.
 */
export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const { client, orderNumber, now, deadline } = options;
  const settings = { ...options.settings, customSource: PROBE_SOURCE };
  const deal = testDeal(orderNumber, now);
  const missing = `${orderNumber}-missing`;
  const calls: ProbeCall[] = [];
  const mask = (text: string) =>
    maskPersonalData(options.token ? text.split(options.token).join("***") : text);

  const call = async (
    situation: ProbeSituation,
    title: string,
    method: Operation,
    order: CreateOrder | UpdateOrder,
  ) => {
    const answer = await client.post(method, [order], { deadline });
    const { reading, reason } = readingOf(answer, situation);
    const entry: ProbeCall = {
      step: calls.length + 1,
      situation,
      title,
      method,
      orderNumber: order.orderNumber,
      request: method === "create" ? { crm: settings.crm, orders: [order] } : { orders: [order] },
      reading,
      ...judge(situation, reading),
    };
    if (answer.kind !== "notSent" && answer.status !== undefined) entry.status = answer.status;
    if (answer.kind !== "notSent" && answer.body !== undefined) entry.body = mask(answer.body);
    if (reason !== undefined) entry.reason = reason;
    calls.push(entry);
    return entry;
  };

  await call("createNew", "create the test deal", "create", createOrder(deal, settings));
  await call("createExisting", "create it again", "create", createOrder(deal, settings));
  const updated = { ...deal, status: "Тест синхронизации: обновлена", revenue: "2.00" };
  await call(
    "updateExisting",
    "update it",
    "update",
    updateOrder(updated, settings, { rematch: false, now }),
  );
  const left = [orderNumber];
  const ghost = await call(
    "updateMissing",
    "update an order number that does not exist",
    "update",
    updateOrder(testDeal(missing, now), settings, { rematch: false, now }),
  );
  if (ghost.reading === "accepted") {
    const check = await call(
      "createAfterUpdateMissing",
      "create that order number (did the update create it?)",
      "create",
      createOrder(testDeal(missing, now), settings),
    );
    left.push(missing);
    if (check.reading === "accepted" && calls[1].reading === "accepted") {
      // Duplicate creates are accepted too (call 2): this answer cannot tell.
      check.intended = true;
      check.note = "cannot tell: Calltouch also accepts a create of a deal that exists (call 2)";
    }
  }
  await call(
    "updateEmptyTags",
    "update the test deal with an empty tag list",
    "update",
    // Nothing held: the sheet's (empty) list is sent, `overwrite: true`.
    updateOrder({ ...updated, tags: [] }, settings, { rematch: false, now }),
  );
  return {
    format: "calltouch-sheet-sync/probe",
    version: 1,
    at: new Date(now).toISOString(),
    apiUrl: options.apiUrl,
    siteId: options.siteId,
    orderNumber,
    calls,
    ok: calls.every((c) => c.intended),
    leftInCalltouch: left,
  };
}
