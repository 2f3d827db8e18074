import assert from "node:assert/strict";
import {
  decodeJwt,
  decodeProtectedHeader,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  SignJWT,
} from "jose";
import { ConfigError } from "../../src/settings/config.ts";
import {
  CLEARTEXT_TOKEN_KV_PREFIX,
  JWT_BEARER_GRANT,
  ServiceAccountTokenProvider,
  SHEETS_SCOPE,
  TOKEN_KV_PREFIX,
  TOKEN_MAX_ATTEMPTS,
  TOKEN_REFRESH_MARGIN_MS,
} from "../../src/google/auth.ts";
import { MemoryStore } from "../../src/store/memory.ts";
import { CountingStore } from "../../src/store/counting.ts";
import { ManualClock } from "../support/clock.ts";
import { type GoogleEmulatorOptions, startGoogleEmulator } from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";
import { refusal, serviceAccount, START } from "./fixture.ts";

const HOUR_S = 3600;

/** An emulator and a provider sharing one clock. */
async function setup(
  options: {
    emulator?: GoogleEmulatorOptions;
    provider?: Partial<ConstructorParameters<typeof ServiceAccountTokenProvider>[0]>;
  } = {},
) {
  const clock = new ManualClock(START);
  const google = await startGoogleEmulator({ clock, ...options.emulator });
  const account = await serviceAccount();
  const provider = new ServiceAccountTokenProvider({
    serviceAccount: account,
    tokenUrl: google.tokenUrl,
    clock,
    ...options.provider,
  });
  return {
    clock,
    google,
    account,
    provider,
    [Symbol.asyncDispose]: () => google.close(),
  };
}

/** Signs an assertion by hand, with overridable claims and key. */
async function assertion(
  overrides: { iss?: string; aud?: string; iat?: number; exp?: number; scope?: string } = {},
  key?: CryptoKey,
): Promise<string> {
  const sa = await testServiceAccount();
  const iat = overrides.iat ?? Math.floor(START / 1000);
  return await new SignJWT({ scope: overrides.scope ?? SHEETS_SCOPE })
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer(overrides.iss ?? sa.clientEmail)
    .setAudience(overrides.aud ?? "")
    .setIssuedAt(iat)
    .setExpirationTime(overrides.exp ?? iat + HOUR_S)
    .sign(key ?? await importPKCS8(sa.privateKeyPem, "RS256"));
}

async function exchange(tokenUrl: string, jwt: string) {
  const response = await fetch(tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion: jwt }),
  });
  return { status: response.status, body: await response.json() };
}

Deno.test("token endpoint of the emulator refuses bad assertions with invalid_grant", async (t) => {
  await using s = await setup();
  const aud = s.google.tokenUrl;
  const now = Math.floor(START / 1000);
  const { privateKey: otherKey } = await generateKeyPair("RS256");

  await t.step("accepts a well-formed assertion", async () => {
    const { status, body } = await exchange(aud, await assertion({ aud }));
    assert.equal(status, 200);
    assert.equal(body.token_type, "Bearer");
    assert.equal(body.expires_in, 3599);
    assert.match(body.access_token, /^ya29\./);
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    ["a bad signature", () => assertion({ aud }, otherKey), /Invalid JWT Signature/],
    ["a wrong aud", () => assertion({ aud: "https://oauth2.googleapis.com/token" }), /audience/],
    [
      "an unknown iss",
      () => assertion({ aud, iss: "intruder@x.iam.gserviceaccount.com" }),
      /not found/,
    ],
    ["exp − iat > 3600", () => assertion({ aud, exp: now + HOUR_S + 1 }), /short-lived/],
    [
      "an expired assertion",
      () => assertion({ aud, iat: now - 2 * HOUR_S, exp: now - HOUR_S }),
      /short-lived/,
    ],
    ["iat in the future", () => assertion({ aud, iat: now + 600, exp: now + 1200 }), /short-lived/],
  ];
  for (const [what, make, description] of cases) {
    await t.step(`refuses ${what}`, async () => {
      const { status, body } = await exchange(aud, await make());
      assert.equal(status, 400);
      assert.equal(body.error, "invalid_grant");
      assert.match(body.error_description, description);
    });
  }

  await t.step("refuses a missing or unknown scope with invalid_scope", async () => {
    for (const scope of ["", "spreadsheets"]) {
      const { status, body } = await exchange(aud, await assertion({ aud, scope }));
      assert.equal(status, 400);
      assert.equal(body.error, "invalid_scope");
    }
  });

  await t.step("refuses another grant type", async () => {
    const response = await fetch(aud, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    assert.equal(response.status, 400);
    assert.equal((await response.json()).error, "unsupported_grant_type");
  });
});

Deno.test("emulator Sheets endpoints refuse expired and unknown access tokens with 401", async () => {
  await using s = await setup({ emulator: { tokenLifetimeSeconds: 600 } });
  const id = s.google.createSpreadsheet({ sharedWith: [s.account.clientEmail] });
  const token = await s.provider.token();
  const get = (bearer: string) =>
    fetch(`${s.google.url}/v4/spreadsheets/${id}`, {
      headers: { authorization: `Bearer ${bearer}` },
    })
      .then(async (r) => ({ status: r.status, body: await r.json() }));
  assert.equal((await get(token)).status, 200);
  const unknown = await get("ya29.made-up");
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.error.status, "UNAUTHENTICATED");
  s.clock.advance(600_000);
  const expired = await get(token);
  assert.equal(expired.status, 401);
  assert.equal(expired.body.error.status, "UNAUTHENTICATED");
});

Deno.test("ServiceAccountTokenProvider signs the documented JWT and posts the jwt-bearer grant", async () => {
  const sent: { url: string; body: URLSearchParams }[] = [];
  await using s = await setup({
    provider: {
      fetch: async (input, init) => {
        sent.push({ url: String(input), body: new URLSearchParams(String(init?.body)) });
        return await fetch(input, init);
      },
    },
  });
  await s.provider.token();
  assert.equal(sent.length, 1);
  assert.equal(sent[0].url, s.google.tokenUrl);
  assert.equal(sent[0].body.get("grant_type"), JWT_BEARER_GRANT);
  const jwt = sent[0].body.get("assertion")!;
  const header = decodeProtectedHeader(jwt);
  assert.equal(header.alg, "RS256");
  assert.equal(header.kid, s.account.privateKeyId);
  const claims = decodeJwt(jwt);
  assert.equal(claims.iss, s.account.clientEmail);
  assert.equal(claims.scope, SHEETS_SCOPE);
  assert.equal(claims.aud, s.google.tokenUrl);
  assert.equal(claims.iat, Math.floor(START / 1000));
  assert.equal(claims.exp! - claims.iat!, HOUR_S);
});

Deno.test("ServiceAccountTokenProvider reuses the token and refreshes it 5 minutes before expiry", async () => {
  await using s = await setup();
  const first = await s.provider.token();
  assert.equal(await s.provider.token(), first);
  assert.equal(s.google.counters().token, 1);

  // expires_in 3599 s: refresh 300 s before the end.
  s.clock.advance(3599_000 - TOKEN_REFRESH_MARGIN_MS - 1_000);
  assert.equal(await s.provider.token(), first);
  assert.equal(s.google.counters().token, 1);

  s.clock.advance(2_000);
  const second = await s.provider.token();
  assert.notEqual(second, first);
  assert.equal(s.google.counters().token, 2);
});

Deno.test("ServiceAccountTokenProvider refreshes short-lived tokens at half their life", async () => {
  await using s = await setup({ emulator: { tokenLifetimeSeconds: 120 } });
  const first = await s.provider.token();
  s.clock.advance(59_000);
  assert.equal(await s.provider.token(), first);
  s.clock.advance(2_000);
  assert.notEqual(await s.provider.token(), first);
  assert.equal(s.google.counters().token, 2);
});

Deno.test("ServiceAccountTokenProvider shares one mint between concurrent callers", async () => {
  await using s = await setup();
  s.google.delayNext(1, 50, "token");
  const tokens = await Promise.all(Array.from({ length: 5 }, () => s.provider.token()));
  assert.equal(new Set(tokens).size, 1);
  assert.equal(s.google.counters().token, 1);
});

Deno.test("ServiceAccountTokenProvider shares the token through KV without rewriting it", async (t) => {
  await using s = await setup();
  const memory = new MemoryStore(() => s.clock.now());
  const store = new CountingStore(memory);
  const provider = () =>
    new ServiceAccountTokenProvider({
      serviceAccount: s.account,
      tokenUrl: s.google.tokenUrl,
      clock: s.clock,
      store,
    });

  const first = provider();
  const token = await first.token();

  await t.step("the first provider mints and writes KV once", () => {
    assert.equal(s.google.counters().token, 1);
    assert.equal(store.counts.writes, 1);
  });

  await t.step(
    "the key is versioned, holds no e-mail, and expires before the refresh point",
    async () => {
      const keys = (await store.list({ prefix: TOKEN_KV_PREFIX })).keys.map((k) => k.name);
      assert.equal(keys.length, 1);
      assert.match(keys[0], /^v2:google-token:[0-9a-f]{64}$/);
      assert.ok(!keys[0].includes(s.account.clientEmail));
      const expiresAt = memory.data.get(keys[0])!.expiresAt!;
      assert.ok(expiresAt > START && expiresAt <= START + 3599_000 - TOKEN_REFRESH_MARGIN_MS);
    },
  );

  await t.step("KV holds the token encrypted: a dump shows no token", () => {
    const dump = [...memory.data.values()].map((entry) => JSON.stringify(entry)).join("\n");
    assert.ok(!dump.includes(token), "not the token");
    assert.ok(!dump.includes(token.slice(0, 12)), "not a piece of it");
    const [entry] = [...memory.data.values()];
    assert.deepEqual(Object.keys(JSON.parse(entry.value)).sort(), ["data", "iv", "v"]);
  });

  await t.step("an idle provider costs no KV operation", async () => {
    const before = { ...store.counts };
    await first.token();
    assert.deepEqual(store.counts, before);
  });

  await t.step(
    "a fresh provider (another isolate) reuses the KV copy: no mint, no write",
    async () => {
      const writes = store.counts.writes;
      assert.equal(await provider().token(), token);
      assert.equal(s.google.counters().token, 1);
      assert.equal(store.counts.writes, writes);
    },
  );

  await t.step(
    "after invalidate() the KV copy is not reused; the new token replaces it",
    async () => {
      const fresh = provider();
      fresh.invalidate(token);
      const next = await fresh.token();
      assert.notEqual(next, token);
      assert.equal(s.google.counters().token, 2);
      assert.equal(await provider().token(), next);
      assert.equal(s.google.counters().token, 2);
    },
  );

  await t.step("near expiry a fresh provider ignores the KV copy and mints", async () => {
    s.clock.advance(3599_000 - TOKEN_REFRESH_MARGIN_MS + 1_000);
    await provider().token();
    assert.equal(s.google.counters().token, 3);
  });
});

Deno.test("ServiceAccountTokenProvider ignores and deletes a token an older build kept in clear", async () => {
  await using s = await setup();
  const memory = new MemoryStore(() => s.clock.now());
  const provider = () =>
    new ServiceAccountTokenProvider({
      serviceAccount: s.account,
      tokenUrl: s.google.tokenUrl,
      clock: s.clock,
      store: memory,
    });
  await provider().token();
  const [sealed] = [...memory.data.keys()];
  const cleartext = sealed.replace(TOKEN_KV_PREFIX, CLEARTEXT_TOKEN_KV_PREFIX);
  memory.data.clear();
  const stale = {
    accessToken: "cleartext-token",
    expiresAt: START + 3600_000,
    refreshAt: START + 3300_000,
  };
  await memory.put(cleartext, JSON.stringify(stale), { expirationTtl: 3000 });

  const token = await provider().token();
  assert.notEqual(token, "cleartext-token", "never used");
  assert.equal(s.google.counters().token, 2, "a new token is minted instead");
  assert.equal(memory.data.has(cleartext), false, "and the cleartext one is deleted");
  assert.ok(![...memory.data.values()].some((e) => e.value.includes(token)));
});

Deno.test("ServiceAccountTokenProvider opens a cached token only with the same private key and KV key", async (t) => {
  await using s = await setup();
  const memory = new MemoryStore(() => s.clock.now());
  const provider = (account = s.account) =>
    new ServiceAccountTokenProvider({
      serviceAccount: account,
      tokenUrl: s.google.tokenUrl,
      clock: s.clock,
      store: memory,
    });
  await provider().token();
  const [[key, entry]] = [...memory.data.entries()];

  await t.step(
    "another private key (a rotated key file): the copy is not read, a token minted",
    async () => {
      const { privateKey } = await generateKeyPair("RS256", { extractable: true });
      const other = { ...s.account, privateKey: await exportPKCS8(privateKey) };
      await provider(other).token().catch(() => undefined); // the emulator knows only the first key
      assert.equal(s.google.counters().token, 2, "it tried to mint rather than use the copy");
    },
  );

  await t.step("the value copied under another account's KV key does not open there", async () => {
    // Same private key, another account: its KV key, computed as the provider does.
    const other = { ...s.account, clientEmail: `other-${s.account.clientEmail}` };
    const digest = await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode(`${other.clientEmail}\n${SHEETS_SCOPE}\n${s.google.tokenUrl}`),
    );
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    memory.data.set(TOKEN_KV_PREFIX + hex, entry);
    const counted = s.google.counters().token;
    // Opened, the copy would be used as is; bound to its own key, it is not: a mint is tried.
    await provider(other).token().catch(() => undefined);
    assert.equal(s.google.counters().token, counted + 1);
    memory.data.delete(TOKEN_KV_PREFIX + hex);
  });

  await t.step("an altered value does not open: a token is minted", async () => {
    const sealed = JSON.parse(entry.value);
    const bytes = Uint8Array.from(atob(sealed.data), (c) => c.charCodeAt(0));
    bytes[0] ^= 1;
    memory.data.set(key, {
      ...entry,
      value: JSON.stringify({ ...sealed, data: btoa(String.fromCharCode(...bytes)) }),
    });
    const counted = s.google.counters().token;
    await provider().token();
    assert.equal(s.google.counters().token, counted + 1);
  });
});

Deno.test("ServiceAccountTokenProvider with persist: false never touches the store", async () => {
  await using s = await setup();
  const store = new CountingStore(new MemoryStore());
  const provider = new ServiceAccountTokenProvider({
    serviceAccount: s.account,
    tokenUrl: s.google.tokenUrl,
    clock: s.clock,
    store,
    persist: false,
  });
  await provider.token();
  assert.deepEqual(store.counts, { reads: 0, writes: 0, deletes: 0, lists: 0 });
});

Deno.test("ServiceAccountTokenProvider turns token endpoint refusals into actionable errors", async (t) => {
  await t.step("a revoked key (signature refused) names the account and the secret", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const account = await serviceAccount();
    await using s = await setup({
      provider: { serviceAccount: { ...account, privateKey: await exportPKCS8(privateKey) } },
    });
    const error = await refusal(s.provider.token());
    assert.equal(error.status, 400);
    assert.equal(error.retryable, false);
    assert.match(error.message, /отозван/);
    assert.ok(error.message.includes(account.clientEmail));
    assert.match(error.message, /GOOGLE_SERVICE_ACCOUNT/);
  });

  await t.step("a wrong audience points at GOOGLE_TOKEN_URL", async () => {
    await using s = await setup({
      emulator: { tokenAudience: "https://oauth2.googleapis.com/token" },
    });
    const error = await refusal(s.provider.token());
    assert.match(error.message, /GOOGLE_TOKEN_URL/);
  });

  await t.step("a clock far off says so (in English too)", async () => {
    await using s = await setup({ provider: { language: "en" } });
    const ahead = new ManualClock(START + 2 * HOUR_S * 1000);
    const provider = new ServiceAccountTokenProvider({
      serviceAccount: s.account,
      tokenUrl: s.google.tokenUrl,
      clock: ahead,
      language: "en",
    });
    const error = await refusal(provider.token());
    assert.match(error.message, /clock is off/);
  });

  await t.step("an unknown account says it does not exist", async () => {
    await using s = await setup({ emulator: { serviceAccounts: [] } });
    const error = await refusal(s.provider.token());
    assert.match(error.message, /не найден/);
  });

  await t.step(
    "503 and 429 are tried again; after every attempt, retryable and say so",
    async () => {
      await using s = await setup();
      s.google.failNext(1, { status: 503, kind: "token" });
      assert.match(await s.provider.token(), /^ya29\./, "one failure: the next attempt works");
      s.provider.invalidate(await s.provider.token());
      s.google.failNext(TOKEN_MAX_ATTEMPTS, { status: 503, kind: "token" });
      const error = await refusal(s.provider.token());
      assert.equal(error.retryable, true);
      assert.equal(error.status, 503);
      s.google.failNext(TOKEN_MAX_ATTEMPTS, { status: 429, kind: "token", retryAfterSeconds: 7 });
      const limited = await refusal(s.provider.token());
      assert.equal(limited.retryable, true);
      assert.equal(limited.retryAfterMs, 7_000);
      assert.match(await s.provider.token(), /^ya29\./);
    },
  );

  await t.step("an unreachable endpoint is a retryable network error", async () => {
    await using s = await setup();
    const provider = new ServiceAccountTokenProvider({
      serviceAccount: s.account,
      tokenUrl: `${s.google.url}/token`,
      clock: s.clock,
      fetch: () => Promise.reject(new TypeError("connection refused")),
    });
    const error = await refusal(provider.token());
    assert.equal(error.retryable, true);
    assert.equal(error.status, undefined);
  });

  await t.step("no message ever carries the token or the key", async () => {
    await using s = await setup();
    s.google.failNext(1, { status: 400, kind: "token", message: "Something odd" });
    const error = await refusal(s.provider.token());
    assert.match(error.message, /invalid_grant: Something odd/);
    assert.ok(!error.message.includes("PRIVATE KEY"));
  });
});

Deno.test("ServiceAccountTokenProvider reports an unreadable private key as a ConfigError", async () => {
  await using s = await setup({
    provider: {
      serviceAccount: {
        clientEmail: "sync-bot@clinic-demo.iam.gserviceaccount.com",
        privateKey: "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n",
      },
    },
  });
  await assert.rejects(() => s.provider.token(), ConfigError);
  assert.equal(s.google.counters().token, 0);
});
