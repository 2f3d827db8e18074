/**
 * Quiet runs: most runs find the sheet exactly as the previous run left it. A settled run (every
 * deal accepted or refused for good, every status cell written) therefore leaves a claim, the
 * {@linkcode QuietClaim}: "a run that reads this digest of the tab, with this version of the
 * state and no journalled batches, sends nothing, writes nothing and reports this". A later run
 * that reads the same digest takes the claim and stops right after hashing the cells: it decodes
 * no state snapshot, parses no row and renders no status.
 *
 * The digest covers everything such a run's decisions depend on: every cell of the tab (the
 * header, every row, the status column apart so the claim can predict its own writes), the tab,
 * the spreadsheet's time zone, the settings that shape payloads and texts, and
 * {@linkcode QUIET_VERSION}. The state is named by the snapshot's version (when and by which
 * run it was saved) plus "no deltas" (every batch sent is journalled before anything else
 * happens). The claim is re-checked by a full run at least once an hour (the history heartbeat),
 * so a claim left by an older version of this code cannot outlive a deploy by more than that.
 *
 * No I/O here: the run reads and stores the claim (see `history.ts`), and keeps the isolate's
 * {@linkcode DigestCache}.
 */
import type { CellValue } from "../deal.ts";
import type { Config } from "../config.ts";
import { mapHeader } from "../sheet/columns.ts";
import { newStatusColumn } from "../sheet/parse.ts";
import type { RowReport, RunCounts } from "./report.ts";

/** Bump whenever parsing, planning or status texts change what the same cells lead to. */
export const QUIET_VERSION = 1;
/** Report rows a claim may carry: a sheet with more held or invalid rows is never quiet. */
export const QUIET_MAX_ROWS = 2_000;

/** A report of what a run of these inputs does (nothing), as a settled run predicted it. */
export interface QuietClaim {
  /** {@linkcode sheetDigest} of the tab as the claiming run left it. */
  digest: number;
  /** Version of the state snapshot the claim is about (`StateStore.version`; "": none). */
  state: string;
  /** The counts such a run reports (nothing created, updated or failed). */
  counts: RunCounts;
  /** Its report rows: the held and invalid rows, in sheet order. */
  rows: RowReport[];
  /** Epoch ms when the claim stops holding: the daily retry of held deals is due then. */
  until?: number;
}

/** A claim as stored, with when the run history was last written (for the hourly heartbeat). */
export interface QuietMarker extends QuietClaim {
  /** Epoch ms of the newest run in the history. */
  historyAt: number;
}

/** Cell hashes of a tab, kept so a run can predict the digest after its own status writes. */
export interface SheetScan {
  /** 0-based status column (where it is, or where the run will create it). */
  statusIndex: number;
  /** Hash of every row's cells but the status cell; index i is sheet row i+1. */
  rows: Float64Array;
  /** Hash of every row's status cell (0: empty). */
  statuses: Float64Array;
  /** `rowHash` of the ID column, to tell whether rows moved before the statuses were placed. */
  ids: number;
}

const M1 = 2654435761;
const M2 = 1597334677;
/** Code mixed in before every cell: above any UTF-16 unit, so `["ab"]` and `["a","b"]` differ. */
const CELL = 0x20000;
const NUMBER = 0x10001;
const TRUE = 0x10003;
const FALSE = 0x10002;
const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);

function isEmpty(cell: unknown): boolean {
  return cell === "" || cell === undefined || cell === null;
}

function finish(h1: number, h2: number): number {
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * 53-bit hash of a row's cells, type included (`"5"` ≠ `5`), leaving out the cell at `skip` and
 * trailing empty cells (Google leaves those out, and writing a status pads a short row with `""`).
 */
export function rowHash(cells: readonly unknown[], skip: number): number {
  let last = cells.length - 1;
  while (last >= 0 && (last === skip || isEmpty(cells[last]))) last--;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i <= last; i++) {
    h1 = Math.imul(h1 ^ CELL, M1);
    h2 = Math.imul(h2 ^ CELL, M2);
    if (i === skip) continue;
    const cell = cells[i];
    if (typeof cell === "string") {
      for (let k = 0; k < cell.length; k++) {
        const code = cell.charCodeAt(k);
        h1 = Math.imul(h1 ^ code, M1);
        h2 = Math.imul(h2 ^ code, M2);
      }
    } else if (typeof cell === "number") {
      FLOAT[0] = cell;
      h1 = Math.imul(Math.imul(Math.imul(h1 ^ NUMBER, M1) ^ WORDS[0], M1) ^ WORDS[1], M1);
      h2 = Math.imul(Math.imul(Math.imul(h2 ^ NUMBER, M2) ^ WORDS[0], M2) ^ WORDS[1], M2);
    } else if (typeof cell === "boolean") {
      h1 = Math.imul(h1 ^ (cell ? TRUE : FALSE), M1);
      h2 = Math.imul(h2 ^ (cell ? TRUE : FALSE), M2);
    }
  }
  return finish(h1, h2);
}

/** Hash of one cell, type included; 0 for an empty one. */
export function cellHash(cell: unknown): number {
  return isEmpty(cell) ? 0 : rowHash([cell], -1) || 1;
}

/**
 * Hashes the tab's cells, or returns undefined when its header lacks a required column (such a
 * run is never quiet: it must say what is missing).
 */
export function scanSheet(values: readonly (readonly CellValue[])[]): SheetScan | undefined {
  const mapping = mapHeader(values[0] ?? []);
  if (!mapping.ok) return undefined;
  const { columns } = mapping;
  const statusIndex = columns.syncStatusExists
    ? columns.syncStatus
    : newStatusColumn(values, columns.syncStatus);
  const rows = new Float64Array(values.length);
  const statuses = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const cells = values[i] ?? [];
    rows[i] = rowHash(cells, statusIndex);
    statuses[i] = cellHash(cells[statusIndex]);
  }
  const idIndex = columns.orderNumber;
  return {
    statusIndex,
    rows,
    statuses,
    ids: rowHash(values.map((cells) => cells?.[idIndex]), -1),
  };
}

/**
 * What besides the cells decides a run's outcome: the tab, its time zone, and the settings that
 * shape payloads and texts (no secret is part of it).
 */
export function quietContext(config: Config, tab: string, timeZone: string): string {
  const c = config.calltouch;
  return JSON.stringify([
    QUIET_VERSION,
    config.spreadsheetId,
    tab,
    timeZone,
    config.language,
    c.siteId,
    c.apiUrl,
    c.crm,
    c.customSource,
    c.searchDepthMinutes,
    c.matchMode,
  ]);
}

/**
 * The digest of a scanned tab in a context. `written` (1-based row → text) replaces status
 * cells, to predict the digest of the tab once a run's writes landed.
 */
export function sheetDigest(
  scan: SheetScan,
  context: string,
  written?: ReadonlyMap<number, string>,
): number {
  let h1 = Math.imul(0xdeadbeef ^ scan.rows.length, M1);
  let h2 = Math.imul(0x41c6ce57 ^ scan.statusIndex, M2);
  const mix = (n: number) => {
    const low = n >>> 0;
    const high = (n - low) / 4294967296;
    h1 = Math.imul(Math.imul(h1 ^ low, M1) ^ high, M1);
    h2 = Math.imul(Math.imul(h2 ^ low, M2) ^ high, M2);
  };
  mix(rowHash([context], -1));
  for (let i = 0; i < scan.rows.length; i++) {
    mix(scan.rows[i]);
    const text = written?.get(i + 1);
    mix(text === undefined ? scan.statuses[i] : cellHash(text));
  }
  return finish(h1, h2);
}

/**
 * Digests of the tab answers an isolate has decoded, by spreadsheet: when the same bytes come
 * back in the same context, their digest is known without decoding them. Only a cache: a miss
 * (a cold isolate, another answer) costs the decoding, never a different outcome.
 */
export class DigestCache {
  readonly #entries = new Map<string, { bytes: number; context: string; digest: number | null }>();
  constructor(private readonly capacity = 16) {}

  /** The digest remembered for these bytes in this context; `null` for a tab not scannable. */
  get(key: string, bytes: number, context: string): number | null | undefined {
    const entry = this.#entries.get(key);
    if (!entry || entry.bytes !== bytes || entry.context !== context) return undefined;
    return entry.digest;
  }

  set(key: string, bytes: number, context: string, digest: number | null): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, { bytes, context, digest });
  }
}

/** Whether a run may take `marker`'s claim instead of doing the work. */
export function claimHolds(
  marker: QuietMarker | undefined,
  now: {
    digest: number;
    state: string | undefined;
    hasDeltas: boolean;
    at: number;
    heartbeatMs: number;
  },
): marker is QuietMarker {
  return marker !== undefined && !now.hasDeltas && marker.digest === now.digest &&
    marker.state === now.state && now.at - marker.historyAt < now.heartbeatMs &&
    now.at >= marker.historyAt && (marker.until === undefined || now.at < marker.until);
}

/**
 * SHA-1 of bytes (a Sheets answer as received), as a 53-bit number: much cheaper than decoding
 * them, so a warm isolate recognises an answer it has already decoded (see
 * {@linkcode DigestCache}). Native code, so it costs little even in a fresh isolate, where a
 * hash loop in JavaScript would still be interpreted (~6 ms for a 1,000-row tab).
 */
export async function bytesDigest(bytes: Uint8Array<ArrayBuffer>): Promise<number> {
  const view = new DataView(await crypto.subtle.digest("SHA-1", bytes));
  return view.getUint32(0) * 2097152 + (view.getUint32(4) >>> 11);
}
