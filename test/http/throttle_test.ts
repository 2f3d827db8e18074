import assert from "node:assert/strict";
import {
  afterFailure,
  AUTH_FAILURE_WINDOW_MS,
  AUTH_FAILURES_PREFIX,
  clientOf,
  failureKey,
  type FailureRecord,
  lockedFor,
  MAX_AUTH_FAILURES,
  readFailures,
  recordFailure,
} from "../../src/http/throttle.ts";
import { MemoryStore } from "../../src/store/memory.ts";

const T0 = Date.parse("2026-11-28T12:00:00Z");
const WINDOW = AUTH_FAILURE_WINDOW_MS;

Deno.test("clientOf() is CF-Connecting-IP, an IPv6 address by its /64, else one unknown client", () => {
  const of = (ip?: string) => clientOf(new Headers(ip ? { "CF-Connecting-IP": ip } : {}));
  assert.equal(of("203.0.113.7"), "203.0.113.7");
  assert.equal(of(" 203.0.113.7 "), "203.0.113.7");
  assert.equal(of("2001:DB8:0:1:aaaa:bbbb:cccc:dddd"), "2001:db8:0:1::/64");
  assert.equal(of("2001:db8:0:1::7"), "2001:db8:0:1::/64", "one subscriber's /64 is one client");
  assert.equal(of("2001:db8::1"), "2001:db8:0:0::/64");
  assert.equal(of("::1"), "0:0:0:0::/64");
  assert.notEqual(of("2001:db8:0:1::7"), of("2001:db8:0:2::7"));
  assert.equal(of("::ffff:203.0.113.7"), "::ffff:203.0.113.7");
  assert.equal(of(), "unknown");
});

Deno.test("afterFailure() counts failures each within the window of the last, else starts over", () => {
  const first = afterFailure(null, T0);
  assert.deepEqual(first, { failures: 1, until: T0 + WINDOW });
  const second = afterFailure(first, T0 + WINDOW - 1);
  assert.deepEqual(second, { failures: 2, until: T0 + 2 * WINDOW - 1 }, "the window slides");
  assert.deepEqual(afterFailure(second, T0 + 2 * WINDOW - 1), {
    failures: 1,
    until: T0 + 3 * WINDOW - 1,
  }, "at the window's end a failure starts over");
  assert.deepEqual(afterFailure(null, T0, 1000), { failures: 1, until: T0 + 1000 });
});

Deno.test("lockedFor() locks at MAX_AUTH_FAILURES until the window ends, in whole seconds", () => {
  const record = (failures: number): FailureRecord => ({ failures, until: T0 + WINDOW });
  assert.equal(lockedFor(null, T0), 0);
  assert.equal(lockedFor(record(MAX_AUTH_FAILURES - 1), T0), 0, "one short of the limit");
  assert.equal(lockedFor(record(MAX_AUTH_FAILURES), T0), WINDOW / 1000);
  assert.equal(lockedFor(record(MAX_AUTH_FAILURES + 3), T0 + 1), WINDOW / 1000, "rounded up");
  assert.equal(lockedFor(record(MAX_AUTH_FAILURES), T0 + WINDOW - 1), 1, "at least 1 s");
  assert.equal(lockedFor(record(MAX_AUTH_FAILURES), T0 + WINDOW), 0, "the window has passed");
});

Deno.test("failureKey() is an HMAC of the client under the secret: no address in KV", async () => {
  const key = await failureKey("203.0.113.7", "secret-one-0123456789");
  assert.match(key, new RegExp(`^${AUTH_FAILURES_PREFIX}[0-9a-f]{32}$`));
  assert.ok(!key.includes("203"));
  assert.equal(key, await failureKey("203.0.113.7", "secret-one-0123456789"));
  assert.notEqual(key, await failureKey("203.0.113.8", "secret-one-0123456789"));
  assert.notEqual(key, await failureKey("203.0.113.7", "secret-two-0123456789"));
});

Deno.test("recordFailure() writes the next record, expiring with its window; readFailures() reads it", async () => {
  let now = T0;
  const kv = new MemoryStore(() => now);
  const key = await failureKey("203.0.113.7", "secret-one-0123456789");
  assert.equal(await readFailures(kv, key), null);
  await recordFailure(kv, key, null, now);
  const first = await readFailures(kv, key);
  assert.deepEqual(first, { failures: 1, until: T0 + WINDOW });
  assert.equal(kv.data.get(key)?.expiresAt, T0 + WINDOW, "KV drops it with its window");
  now += 1000;
  await recordFailure(kv, key, first, now);
  assert.deepEqual(await readFailures(kv, key), { failures: 2, until: now + WINDOW });
  now += WINDOW;
  assert.equal(await readFailures(kv, key), null, "expired");
  await kv.put(key, JSON.stringify({ failures: "many" }));
  assert.equal(await readFailures(kv, key), null, "an unreadable record counts as none");
});
