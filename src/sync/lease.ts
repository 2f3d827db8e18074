/**
 * One run of a target at a time, across invocations (deployments with a queue, whose consumer
 * runs in invocations of its own; see `SyncOptions.lease`): a run with something to send takes
 * the target's lease (a KV key with an expiry) right before sending and drops it when done; a run
 * that finds another's lease sends nothing (`skipped`). Idle and quiet runs take no lease, so they
 * still write nothing. A run that crashed leaves its lease until its own deadline (+ a margin):
 * runs of that target send nothing until then. Without a queue, runs are serialised within an
 * isolate (see `run.ts`) and take no lease: a crash blocks nothing.
 *
 * KV is eventually consistent: two runs starting within a write's propagation (immediate in one
 * location, up to a minute across) can both take it. Such an overlap is harmless by design (an
 * order number is created once; deals in doubt are sent again); the lease makes it rare and
 * keeps a queue's redelivery, a cron tick and a manual sync from running side by side.
 */
import type { KeyValueStore } from "../platform.ts";

/** What a lease key holds. */
export interface Lease {
  run: string;
  /** Epoch ms after which the lease is void even if KV still shows it (a run that crashed). */
  until: number;
}

/** KV's shortest expiry. */
const MIN_TTL_SECONDS = 60;
/** A run may outlast its budget by the write-back and KV work; the lease covers that too. */
export const LEASE_MARGIN_MS = 30_000;

/** The stored lease, if it is a lease. */
export function asLease(value: unknown): Lease | undefined {
  const lease = value as Partial<Lease> | null;
  return typeof lease?.run === "string" && typeof lease.until === "number"
    ? { run: lease.run, until: lease.until }
    : undefined;
}

/** Whether `lease` (as read at the start of the run) keeps run `run` from working at `now`. */
export function leasedByOther(lease: Lease | undefined, run: string, now: number): boolean {
  return lease !== undefined && lease.run !== run && lease.until > now;
}

/** Takes the lease for `run` until `until`. */
export async function takeLease(
  kv: KeyValueStore,
  key: string,
  lease: Lease,
  now: number,
): Promise<void> {
  const ttl = Math.max(MIN_TTL_SECONDS, Math.ceil((lease.until - now) / 1000));
  await kv.put(key, JSON.stringify(lease), { expirationTtl: ttl });
}

/** Drops the lease if `run` still holds it (a run that outlived its lease leaves another's). */
export async function releaseLease(kv: KeyValueStore, key: string, run: string): Promise<void> {
  const lease = asLease(await kv.get(key, "json"));
  if (lease?.run === run) await kv.delete(key);
}
