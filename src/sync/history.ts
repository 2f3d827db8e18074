/**
 * The last run reports, kept in KV for the status page. Written by runs that did something, and
 * by quiet runs at most once an hour (a heartbeat): an quiet run usually writes nothing.
 */
import type { KeyValueStore } from "../platform.ts";
import { idContact } from "../sheet/ids.ts";
import type { RowReport, RunReport } from "./report.ts";
import { stateKeys, TARGET_TTL_SECONDS } from "./state.ts";
import type { Target } from "./target.ts";

/** Reports kept. */
export const HISTORY_LENGTH = 20;
/** Rows kept per report (problems first), so the value stays small. */
export const HISTORY_ROWS = 200;
/** An quiet run still records itself when the newest record is older than this. */
export const HEARTBEAT_MS = 60 * 60 * 1000;

/** Reads the stored reports, newest first ([] when none or unreadable). */
export async function readHistory(kv: KeyValueStore, target: Target): Promise<RunReport[]> {
  return asHistory(await kv.get(stateKeys(target).runs, "json").catch(() => null));
}

/** A stored history, checked ([] when absent or unreadable). */
export function asHistory(value: unknown): RunReport[] {
  if (!Array.isArray(value)) return [];
  const history = value as RunReport[];
  for (const report of history) withoutContactIds(report.rows);
  return history;
}

/**
 * Drops the order numbers that are a phone or an e-mail from report rows (in place): builds
 * before issue 22 took such an ID for a deal's and reported it as it was; read back, the next
 * history written holds them no more.
 */
export function withoutContactIds(rows: RowReport[] | undefined): void {
  for (const row of rows ?? []) {
    if (row.orderNumber && idContact(row.orderNumber)) delete row.orderNumber;
  }
}

/**
 * Adds `report` to `history` (as read at the start of the run), unless the run was quiet and the
 * newest record is recent.
 *
 * @returns whether a KV write happened.
 */
export async function recordRun(
  kv: KeyValueStore,
  target: Target,
  report: RunReport,
  options: { quiet: boolean; history: RunReport[] },
): Promise<boolean> {
  const { history } = options;
  const at = Date.parse(report.startedAt);
  const newest = history[0] ? Date.parse(history[0].startedAt) : 0;
  if (options.quiet && at - newest < HEARTBEAT_MS) return false;
  const kept: RunReport = {
    ...report,
    rows: [...report.rows].sort((a, b) => Number(a.ok) - Number(b.ok)).slice(0, HISTORY_ROWS),
  };
  await kv.put(
    stateKeys(target).runs,
    JSON.stringify([kept, ...history].slice(0, HISTORY_LENGTH)),
    {
      expirationTtl: TARGET_TTL_SECONDS,
    },
  );
  return true;
}
