/**
 * An end-to-end rig: the Google and Calltouch emulators on 127.0.0.1 and the real Worker in
 * workerd, wired together through the Worker's settings.
 */
import type { CellValue } from "../../src/deal.ts";
import { type CalltouchEmulator, startCalltouchEmulator } from "../emulators/calltouch.ts";
import { type GoogleEmulator, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "./service_account.ts";
import { emulatorSettings } from "./settings.ts";
import { startWorker, type TestWorker } from "./worker.ts";

export const SPREADSHEET_ID = "1ClinicDemoSheet_abcdefghijklmnopqrstuvwxyz012";
export const SYNC_TOKEN = "test-sync-token-0123456789abcdef";
export const TAB = "Сделки";

/** What `POST /sync` answered. */
export interface SyncResponse {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Everything a test needs, and `close()` to stop it all. */
export interface Rig {
  google: GoogleEmulator;
  calltouch: CalltouchEmulator;
  worker: TestWorker;
  settings: Record<string, string>;
  /** `POST /sync` (or the dry run) with the right token; returns status and JSON. */
  sync(options?: { dryRun?: boolean; token?: string | null }): Promise<SyncResponse>;
  /** The tab's cells as the emulator holds them now. */
  cells(): CellValue[][];
  /** Sets cells of the tab, as a person typing (A1 range without the tab, e.g. "C3"). */
  type(range: string, values: CellValue[][]): void;
  /** The status cell text of the row whose ID is `id` (the last column of the header). */
  statusOf(id: string | number): string | undefined;
  /** Every key and value of the Worker's KV namespace. */
  kvDump(): Promise<Map<string, string>>;
  /**
   * Restarts the Worker (same KV directory), e.g. after changing settings, or as another build
   * (`worker.script`; omitted: this source).
   */
  restart(bindings?: Record<string, string>, worker?: WorkerCode): Promise<void>;
  close(): Promise<void>;
}

/** Which build the Worker runs: a bundle's code and its version id. */
export interface WorkerCode {
  script?: string;
  build?: string;
}

/** Options of {@linkcode startRig}. */
export interface RigOptions {
  /** The deals tab's cells, header first. */
  rows: CellValue[][];
  /** Extra or replaced Worker settings. */
  settings?: Record<string, string>;
  /** Whether the spreadsheet is shared with the service account. Default true. */
  shared?: boolean;
  timeZone?: string;
  /** Another build's code (see `olderBuild`). Default: this source. */
  worker?: WorkerCode;
}

/** Starts the emulators and the Worker. Always `close()` it (try/finally). */
export async function startRig(options: RigOptions): Promise<Rig> {
  const account = await testServiceAccount();
  const google = await startGoogleEmulator();
  const calltouch = await startCalltouchEmulator();
  google.createSpreadsheet({
    spreadsheetId: SPREADSHEET_ID,
    timeZone: options.timeZone ?? "Europe/Moscow",
    sheets: [{ title: TAB, values: options.rows }],
    sharedWith: options.shared === false ? [] : [account.clientEmail],
  });
  const kvPersist = await Deno.makeTempDir({ prefix: "cts-kv-" });
  const settings: Record<string, string> = {
    ...emulatorSettings({ spreadsheetId: SPREADSHEET_ID, google, calltouch, account }),
    SYNC_TOKEN,
    SYNC_TIME_BUDGET_SECONDS: "20",
    ...options.settings,
  };
  let worker = await startWorker({ bindings: settings, kvPersist, ...options.worker });
  const rig: Rig = {
    google,
    calltouch,
    get worker() {
      return worker;
    },
    settings,
    async sync({ dryRun = false, token = SYNC_TOKEN } = {}) {
      const headers: Record<string, string> = token === null
        ? {}
        : { authorization: `Bearer ${token}` };
      const res = await worker.fetch(dryRun ? "/sync?dryRun=1" : "/sync", {
        method: "POST",
        headers,
      });
      return { status: res.status, body: await res.json() };
    },
    cells: () => google.values(SPREADSHEET_ID, `'${TAB}'`) as CellValue[][],
    type(range, values) {
      google.setValues(SPREADSHEET_ID, `'${TAB}'!${range}`, values);
    },
    statusOf(id) {
      const cells = rig.cells();
      const column = cells[0].indexOf("Calltouch");
      const row = cells.find((r, i) => i > 0 && String(r[0]) === String(id));
      const value = row?.[column];
      return value === undefined || value === "" ? undefined : String(value);
    },
    async kvDump() {
      const dump = new Map<string, string>();
      const { keys } = await worker.kv.list({});
      for (const { name } of keys) dump.set(name, (await worker.kv.get(name, "text")) ?? "");
      return dump;
    },
    async restart(bindings = {}, code = {}) {
      await worker.dispose();
      Object.assign(settings, bindings);
      worker = await startWorker({ bindings: settings, kvPersist, ...code });
    },
    async close() {
      await worker.dispose();
      await google.close();
      await calltouch.close();
      await Deno.remove(kvPersist, { recursive: true }).catch(() => {});
    },
  };
  return rig;
}

/**
 * A rig of several targets (one Google emulator, a Calltouch emulator per project, the Worker)
 * with `close()` that stops them all.
 */
export function withClose<C extends Record<string, CalltouchEmulator>>(
  parts: { google: GoogleEmulator; calltouch: C; worker: TestWorker },
): { google: GoogleEmulator; calltouch: C; worker: TestWorker; close(): Promise<void> } {
  return {
    ...parts,
    async close() {
      await parts.worker.dispose();
      await parts.google.close();
      for (const ct of Object.values(parts.calltouch)) await ct.close();
    },
  };
}
