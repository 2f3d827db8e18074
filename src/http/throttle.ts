/**
 * Password guessing, throttled: wrong keys from one client are counted in KV, and a client with
 * {@linkcode MAX_AUTH_FAILURES} of them, each within {@linkcode AUTH_FAILURE_WINDOW_MS} of the
 * one before, is answered `429` (its right key included, so guessing on gains nothing) until
 * the window after its last wrong key has passed. Other clients are not affected.
 *
 * Only failures are written (one KV write each, none once the client is locked), so honest use
 * costs one KV read per request that presents a key and no write. The client is
 * `CF-Connecting-IP` (set by Cloudflare; locally by wrangler from the connection), an IPv6
 * address by its /64 (what one subscriber gets); KV keeps an HMAC of it, never the address.
 *
 * Why not Cloudflare's rate-limiting binding (`[[ratelimits]]`, which Miniflare 4 does run):
 * its `limit()` counts and checks in one call, over 10 or 60 s, with no way to ask whether a
 * client is locked without counting one more attempt. Counting only failures would then let a
 * locked client's right key through (the guesser only needs that `200`), and counting every
 * attempt would lock out a clinic that merely uses its panel.
 *
 * Layout: `v2:auth-failures:<HMAC-SHA-256(SYNC_TOKEN, client), 32 hex digits>` →
 * `{"failures": n, "until": epoch ms}`, expiring with its window.
 */
import type { KeyValueStore } from "../platform.ts";

/** Wrong keys from one client, each within the window of the one before, that lock it. */
export const MAX_AUTH_FAILURES = 5;
/** How long a wrong key counts, and how long a locked client waits after its last one. */
export const AUTH_FAILURE_WINDOW_MS = 10 * 60_000;
/** Prefix of the failure records. */
export const AUTH_FAILURES_PREFIX = "v2:auth-failures:";
/** KV's shortest expiry; a record also carries its own end, so a shorter window still works. */
const KV_MIN_TTL_SECONDS = 60;

/** Recent wrong keys of one client. */
export interface FailureRecord {
  failures: number;
  /** End of the window, epoch ms: the last failure plus {@linkcode AUTH_FAILURE_WINDOW_MS}. */
  until: number;
}

/**
 * The client a request comes from: its `CF-Connecting-IP`, an IPv6 address reduced to its /64;
 * `"unknown"` without the header (all such requests count as one client).
 *
 * @example
 * clientOf(new Headers({ "CF-Connecting-IP": "2001:db8:0:1::7" })); // "2001:db8:0:1::/64"
 */
export function clientOf(headers: Headers): string {
  const ip = headers.get("CF-Connecting-IP")?.trim().toLowerCase();
  if (!ip) return "unknown";
  if (!ip.includes(":") || ip.includes(".")) return ip;
  const [head, tail] = ip.split("::", 2);
  const before = head ? head.split(":") : [];
  const after = tail ? tail.split(":") : [];
  const groups = tail === undefined
    ? before
    : [...before, ...Array(Math.max(0, 8 - before.length - after.length)).fill("0"), ...after];
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(":")}::/64`;
}

/** The record after one more failure at `now`: a record past its window starts over. */
export function afterFailure(
  record: FailureRecord | null,
  now: number,
  windowMs = AUTH_FAILURE_WINDOW_MS,
): FailureRecord {
  const failures = record && now < record.until ? record.failures + 1 : 1;
  return { failures, until: now + windowMs };
}

/** Whole seconds a client must still wait at `now` (at least 1), or 0 when it may try. */
export function lockedFor(record: FailureRecord | null, now: number): number {
  if (!record || record.failures < MAX_AUTH_FAILURES || now >= record.until) return 0;
  return Math.max(1, Math.ceil((record.until - now) / 1000));
}

/** The KV key of a client's failures: an HMAC of the client under `secret` (SYNC_TOKEN). */
export async function failureKey(client: string, secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(client)));
  const hex = Array.from(mac.subarray(0, 16), (byte) => byte.toString(16).padStart(2, "0"));
  return AUTH_FAILURES_PREFIX + hex.join("");
}

function isRecord(value: unknown): value is FailureRecord {
  const record = value as FailureRecord | null;
  return typeof record?.failures === "number" && typeof record.until === "number";
}

/** A client's failure record in KV (null when none, or unreadable). */
export async function readFailures(kv: KeyValueStore, key: string): Promise<FailureRecord | null> {
  const value = await kv.get<unknown>(key, "json");
  return isRecord(value) ? value : null;
}

/**
 * Counts one more failure of the client at `now` over `previous` (as read before the key was
 * checked): one KV write, expiring with the window. KV takes one write per second to a key, so
 * a burst of wrong keys may count fewer; each write that lands counts.
 */
export async function recordFailure(
  kv: KeyValueStore,
  key: string,
  previous: FailureRecord | null,
  now: number,
): Promise<void> {
  const record = afterFailure(previous, now);
  const ttl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil((record.until - now) / 1000));
  await kv.put(key, JSON.stringify(record), { expirationTtl: ttl });
}
