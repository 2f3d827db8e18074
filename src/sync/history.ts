/**
 * The last run reports, kept in KV for the status page. Written by runs that did something, and
 * by idle runs at most once an hour (a heartbeat), so an idle run usually writes nothing.
 */
import type { KeyValueStore } from "../platform.ts";
import type { RunReport } from "./report.ts";
import { stateKeys } from "./state.ts";

/** Reports kept. */
export const HISTORY_LENGTH = 20;
/** Rows kept per report (problems first), so the value stays small. */
export const HISTORY_ROWS = 200;
/** An idle run still records itself when the newest record is older than this. */
export const HEARTBEAT_MS = 60 * 60 * 1000;

/** Reads the stored reports, newest first. */
export async function readHistory(kv: KeyValueStore, spreadsheetId: string): Promise<RunReport[]> {
  return (await kv.get<RunReport[]>(stateKeys(spreadsheetId).runs, "json")) ?? [];
}

/**
 * Adds `report` to the history unless the run was idle and the newest record is recent.
 * `previous` is the history read earlier in the run, if any (saves a KV read).
 *
 * @returns whether a KV write happened.
 */
export async function recordRun(
  kv: KeyValueStore,
  spreadsheetId: string,
  report: RunReport,
  options: { idle: boolean; previous?: RunReport[] },
): Promise<boolean> {
  const history = options.previous ?? await readHistory(kv, spreadsheetId);
  const newest = history[0] ? Date.parse(history[0].startedAt) : 0;
  if (options.idle && Date.parse(report.startedAt) - newest < HEARTBEAT_MS) return false;
  const kept: RunReport = {
    ...report,
    rows: [...report.rows].sort((a, b) => Number(a.ok) - Number(b.ok)).slice(0, HISTORY_ROWS),
  };
  const next = [kept, ...history].slice(0, HISTORY_LENGTH);
  await kv.put(stateKeys(spreadsheetId).runs, JSON.stringify(next));
  return true;
}
