/**
 * The clinics of a many-targets test: a spreadsheet each on the Google emulator, and the
 * `TARGETS` list that names them on one Calltouch project (one IP, one rate for all).
 */
import type { CellValue } from "../../src/deal.ts";
import type { QueueProducer } from "../../src/platform.ts";
import type { GoogleEmulator } from "../emulators/google.ts";

/** The tab every clinic keeps its deals on. */
export const CLINIC_TAB = "Сделки";

/** One spreadsheet per clinic, its deals tab holding `rowsOf(id)`, shared with `account`. */
export function createClinicSheets(
  google: GoogleEmulator,
  account: { clientEmail: string },
  ids: readonly string[],
  sheetOf: (id: string) => string,
  rowsOf: (id: string) => CellValue[][],
): void {
  for (const id of ids) {
    google.createSpreadsheet({
      spreadsheetId: sheetOf(id),
      sheets: [{ title: CLINIC_TAB, values: rowsOf(id) }],
      sharedWith: [account.clientEmail],
    });
  }
}

/**
 * The `TARGETS` setting of the clinics: each on the Calltouch project `siteId`, its key in the
 * secret `CALLTOUCH_TOKEN_ALL` (and, with `stats`, its statistics token in `CALLTOUCH_STATS_ALL`).
 */
export function clinicTargets(
  ids: readonly string[],
  sheetOf: (id: string) => string,
  siteId: string,
  options: { stats?: boolean } = {},
): string {
  return JSON.stringify(ids.map((id) => ({
    id,
    spreadsheet: sheetOf(id),
    tab: CLINIC_TAB,
    calltouchSiteId: siteId,
    calltouchTokenSecret: "CALLTOUCH_TOKEN_ALL",
    ...(options.stats ? { calltouchStatsTokenSecret: "CALLTOUCH_STATS_ALL" } : {}),
  })));
}

/**
 * A producer that sends every message at once, without the delays of the tick's schedule: how
 * the fan-out enqueued before it planned Google's per-minute reads.
 */
export function atOnce<T>(producer: QueueProducer<T>): QueueProducer<T> {
  return {
    send: (body) => producer.send(body),
    sendBatch: (messages) => producer.sendBatch([...messages].map(({ body }) => ({ body }))),
  };
}
