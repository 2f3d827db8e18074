/**
 * Quiet runs: most runs find the tab byte for byte as a run that did nothing left it. Such a run
 * (nothing sent, nothing written, no state stored) leaves a {@linkcode QuietRecord}: the digest
 * of the tab answer it read, the state version and the report it made. A later run that reads
 * the same bytes, in the same context, with the same state, reports the record and stops: it
 * decodes nothing, parses no row, and reads no snapshot.
 *
 * Nothing here predicts a run's own writes: after each change one more full run finds the
 * statuses it wrote, does nothing, and leaves the record. What else decides a run's outcome is
 * in the digest, derived from the data itself rather than from a constant a person must bump:
 * every non-secret setting, the tab and time zone, and the build (the deployed version). The
 * record also lapses when the daily retry of held deals is due, and after a day at the latest
 * (an hour when the build is unknown).
 */
import type { Config } from "../settings/config.ts";
import type { KeyValueStore } from "../platform.ts";
import { hash53 } from "../util/hash.ts";
import { withoutContactIds } from "./history.ts";
import type { RowReport, RunCounts, RunReport } from "./report.ts";
import { stateKeys, TARGET_TTL_SECONDS } from "./state.ts";
import type { Target } from "./target.ts";

/** A record lapses after this long, so that a full run re-checks at least once a day. */
export const QUIET_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** …or after an hour when the code's version is unknown (no build id). */
export const QUIET_MAX_AGE_UNKNOWN_BUILD_MS = 60 * 60 * 1000;
/** Report rows a record may carry: a sheet with more held or invalid rows is never quiet. */
export const QUIET_MAX_ROWS = 2_000;

/** What a run that did nothing leaves for the next one. */
export interface QuietRecord {
  /** {@linkcode tabDigest} of the answer it read, in its context. */
  digest: string;
  /** The state version it found (`StateStore.version`). */
  state: string;
  /** Epoch ms after which the record no longer holds. */
  until: number;
  /** The report's counts and rows, which a quiet run repeats. */
  counts: RunCounts;
  rows: RowReport[];
}

/**
 * Everything besides the cells that decides a run's outcome: every setting but the secrets,
 * the tab and the spreadsheet's time zone as read, and the build.
 */
export function quietContext(
  config: Config,
  read: { tab: string; timeZone: string },
  build: string,
): string {
  // The keys' secrets stay out; the digest is keyed with the current key anyway.
  const { calltouch, google, stateKey: _stateKey, ...rest } = config;
  const { token: _token, statsToken: _statsToken, ...calltouchSettings } = calltouch;
  return JSON.stringify({
    ...rest,
    calltouch: calltouchSettings,
    google: { sheetsApiUrl: google.sheetsApiUrl, account: google.serviceAccount.clientEmail },
    tab: read.tab,
    timeZone: read.timeZone,
    build,
  });
}

/**
 * The digest of a tab answer (its bytes as received) in a context: HMAC-SHA-1 of the bytes under
 * the deployment's key (the bytes hold every phone of the sheet: a plain digest could be tested
 * against guesses by whoever knows the rest of the tab), native and much cheaper than decoding
 * them, with the context's hash (no contacts in it: settings, tab, time zone, build).
 */
export async function tabDigest(
  bytes: Uint8Array<ArrayBuffer>,
  context: string,
  key: CryptoKey,
): Promise<string> {
  const sha = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  const hex = Array.from(sha, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex}:${hash53(context)}`;
}

/** Whether a run that read `digest` with this state may take `record` instead of working. */
export function quietHolds(
  record: QuietRecord | undefined,
  now: { digest: string; state: string; hasDeltas: boolean; at: number },
): record is QuietRecord {
  return record !== undefined && record.digest === now.digest && record.state === now.state &&
    !now.hasDeltas && now.at < record.until;
}

/** A stored quiet record, checked (undefined when absent or unreadable). */
export function asQuietRecord(value: unknown): QuietRecord | undefined {
  const record = value as QuietRecord | null;
  if (
    !record || typeof record.digest !== "string" || typeof record.state !== "string" ||
    typeof record.until !== "number" || !Array.isArray(record.rows)
  ) return undefined;
  withoutContactIds(record.rows); // an older build's record, before the next replaces it
  return record;
}

/**
 * Leaves a quiet record after `report`, a run that sent, wrote and stored nothing, unless the
 * stored one already says the same; `until` is when the daily retry of held deals is due.
 *
 * @returns whether a KV write happened.
 */
export async function recordQuiet(
  kv: KeyValueStore,
  target: Target,
  report: RunReport,
  run: {
    digest: string;
    state: string;
    stored: QuietRecord | undefined;
    /** When the record must lapse anyway (the daily retry of held deals, a reconciliation). */
    lapseAt?: number;
    knownBuild: boolean;
  },
): Promise<boolean> {
  if (report.rows.length > QUIET_MAX_ROWS) return false;
  const at = Date.parse(report.startedAt);
  const stored = run.stored;
  if (stored && stored.digest === run.digest && stored.state === run.state && at < stored.until) {
    return false;
  }
  const maxAge = run.knownBuild ? QUIET_MAX_AGE_MS : QUIET_MAX_AGE_UNKNOWN_BUILD_MS;
  const record: QuietRecord = {
    digest: run.digest,
    state: run.state,
    until: Math.min(at + maxAge, run.lapseAt ?? Infinity),
    counts: { ...report.counts },
    rows: report.rows,
  };
  await kv.put(stateKeys(target).quiet, JSON.stringify(record), {
    expirationTtl: TARGET_TTL_SECONDS,
  });
  return true;
}
