/**
 * The last run reports, kept in KV for the status page, together with the quiet marker (see
 * `quiet.ts`). Written by runs that did something, by idle runs at most once an hour (a
 * heartbeat), and by an idle run that leaves a new quiet claim (the sheet changed, but nothing
 * needed sending): so an idle run usually writes nothing.
 *
 * Stored text: the marker's JSON (or nothing) on the first line, the reports' JSON array on the
 * second, so a quiet run reads the marker without parsing the reports. A value written before
 * the marker existed is a bare array.
 */
import type { KeyValueStore } from "../platform.ts";
import type { QuietClaim, QuietMarker } from "./quiet.ts";
import type { RunReport } from "./report.ts";
import { stateKeys } from "./state.ts";

/** Reports kept. */
export const HISTORY_LENGTH = 20;
/** Rows kept per report (problems first), so the value stays small. */
export const HISTORY_ROWS = 200;
/** An idle run still records itself when the newest record is older than this. */
export const HEARTBEAT_MS = 60 * 60 * 1000;

/** The stored value, split: the marker parsed, the reports parsed only when asked for. */
export interface StoredRuns {
  marker: QuietMarker | undefined;
  history(): RunReport[];
}

function isMarker(value: unknown): value is QuietMarker {
  const m = value as QuietMarker | null;
  return typeof m === "object" && m !== null && typeof m.digest === "number" &&
    typeof m.state === "string" && typeof m.historyAt === "number" &&
    typeof m.counts === "object" && m.counts !== null && Array.isArray(m.rows);
}

/** Splits the stored text (null: nothing stored). An unreadable marker counts as none. */
export function parseStoredRuns(text: string | null): StoredRuns {
  if (text === null) return { marker: undefined, history: () => [] };
  const newline = text.indexOf("\n");
  const markerText = newline < 0 ? "" : text.slice(0, newline);
  const historyText = newline < 0 ? text : text.slice(newline + 1);
  let marker: QuietMarker | undefined;
  if (markerText !== "") {
    try {
      const parsed: unknown = JSON.parse(markerText);
      if (isMarker(parsed)) marker = parsed;
    } catch {
      // A damaged marker only costs a full run.
    }
  }
  return { marker, history: () => JSON.parse(historyText) as RunReport[] };
}

/** The stored text of `history` and `marker`. */
export function encodeStoredRuns(history: RunReport[], marker?: QuietMarker): string {
  return `${marker ? JSON.stringify(marker) : ""}\n${JSON.stringify(history)}`;
}

/** Reads the stored reports, newest first. */
export async function readHistory(kv: KeyValueStore, spreadsheetId: string): Promise<RunReport[]> {
  return parseStoredRuns(await kv.get(stateKeys(spreadsheetId).runs, "text")).history();
}

function sameClaim(a: QuietClaim, b: QuietClaim | undefined): boolean {
  return b !== undefined && a.digest === b.digest && a.state === b.state &&
    JSON.stringify(a.counts) === JSON.stringify(b.counts) &&
    JSON.stringify(a.rows) === JSON.stringify(b.rows);
}

/** Options of {@linkcode recordRun}. */
export interface RecordOptions {
  /** The run sent and wrote nothing. */
  idle: boolean;
  /** The stored text read earlier in the run (saves a KV read); undefined: read it now. */
  stored?: string | null;
  /** What a run of the inputs this run left would do; stored with the history. */
  claim?: QuietClaim;
}

/**
 * Adds `report` to the history, with `claim` as the new quiet marker (none when absent), unless
 * the run was idle, the newest record is recent and the stored claim is the same.
 *
 * @returns whether a KV write happened.
 */
export async function recordRun(
  kv: KeyValueStore,
  spreadsheetId: string,
  report: RunReport,
  options: RecordOptions,
): Promise<boolean> {
  const key = stateKeys(spreadsheetId).runs;
  const stored = parseStoredRuns(
    options.stored === undefined ? await kv.get(key, "text") : options.stored,
  );
  const history = stored.history();
  const at = Date.parse(report.startedAt);
  const newest = history[0] ? Date.parse(history[0].startedAt) : 0;
  const heartbeatDue = at - newest >= HEARTBEAT_MS;
  const newClaim = options.claim !== undefined && !sameClaim(options.claim, stored.marker);
  if (options.idle && !heartbeatDue && !newClaim) return false;
  const kept: RunReport = {
    ...report,
    rows: [...report.rows].sort((a, b) => Number(a.ok) - Number(b.ok)).slice(0, HISTORY_ROWS),
  };
  const next = [kept, ...history].slice(0, HISTORY_LENGTH);
  const marker = options.claim && { ...options.claim, historyAt: at };
  await kv.put(key, encodeStoredRuns(next, marker));
  return true;
}
