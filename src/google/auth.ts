/**
 * Google service-account auth without Google libraries: signs the JWT-bearer assertion with
 * `jose`, exchanges it for an access token, and caches that token in memory and in KV until
 * shortly before it expires. In KV the token is encrypted (AES-GCM) under a key derived from the
 * service account's private key: a KV dump alone opens no spreadsheet, and whoever holds the
 * private key can mint tokens anyway.
 *
 * @see https://developers.google.com/identity/protocols/oauth2/service-account
 */
import { importPKCS8, SignJWT } from "jose";
import * as z from "zod/mini";
import type { ServiceAccount } from "./service_account.ts";
import type { Language } from "../deal.ts";
import type { KeyValueStore } from "../platform.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { ConfigError, isRetryableStatus, parseRetryAfter, UpstreamError } from "../util/errors.ts";
import type { TakeRequest } from "../util/budget.ts";
import { quoted, tryJson } from "./http.ts";
import { type Answered, NotStarted, request, textOf } from "../util/request.ts";
import { OWN_NAMES, type SettingNames, words } from "../words/mod.ts";

/** OAuth scope of read/write access to every spreadsheet the service account can open. */
export const SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets";
/** `grant_type` of the service-account token exchange. */
export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Lifetime of the signed assertion; Google refuses more than one hour. */
export const ASSERTION_LIFETIME_SECONDS = 3600;
/** A cached token is replaced this long before it expires (or at half its life if shorter). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
/** Prefix of the KV key holding the cached token; bump the version when the value changes. */
export const TOKEN_KV_PREFIX = "v2:google-token:";
/**
 * The prefix of builds before issue 22, whose value was the token in clear: never read as a
 * token; deleted when found (an upgrade's first run), or gone within the hour by its TTL.
 */
export const CLEARTEXT_TOKEN_KV_PREFIX = "v1:google-token:";
/** Time limit of one token request. */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;
/** Attempts of one token exchange, the first included (network errors, 408, 429, 5xx). */
export const TOKEN_MAX_ATTEMPTS = 3;
/** Workers KV refuses an `expirationTtl` below 60 s. */
const KV_MIN_TTL_SECONDS = 60;
/** Most imported keys kept per isolate (one per service account in practice). */
const MAX_CACHED_KEYS = 8;
/** Most invalidated tokens remembered, so a stale KV copy is not picked up again. */
const MAX_REJECTED_TOKENS = 4;

/** Supplies bearer tokens for Google APIs. */
export interface TokenProvider {
  /** A valid access token, from cache when possible. */
  token(): Promise<string>;
  /** Drops `token` from every cache (after a 401), so the next `token()` mints a new one. */
  invalidate(token: string): void;
}

/** Options of {@linkcode ServiceAccountTokenProvider}. */
export interface ServiceAccountTokenProviderOptions {
  /** The parsed key file (see `parseServiceAccount`). */
  serviceAccount: ServiceAccount;
  /** Token endpoint (the GOOGLE_TOKEN_URL setting); also the assertion's `aud`. */
  tokenUrl: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /** Where tokens are shared between isolates. Default: none (memory only). */
  store?: KeyValueStore;
  /** Whether to use `store`. Default true. */
  persist?: boolean;
  /** Language of error messages. Default "ru". */
  language?: Language;
  /** How messages name the settings to check (a target's own names). Default: their own. */
  names?: SettingNames;
  /** Time limit of one token request. Default {@linkcode TOKEN_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Asked before every token request: false stops the run. Default: no cap. */
  take?: TakeRequest;
}

interface CachedToken {
  accessToken: string;
  /** Epoch ms when Google stops accepting the token. */
  expiresAt: number;
  /** Epoch ms after which a new token is minted. */
  refreshAt: number;
}

/** A token as KV keeps it: AES-GCM under the account's token key, bound to its KV key. */
const sealedTokenSchema = z.object({
  v: z.literal(2),
  iv: z.string(),
  data: z.string(),
});

const storedTokenSchema = z.object({
  accessToken: z.string().check(z.minLength(1)),
  expiresAt: z.number(),
  refreshAt: z.number(),
});

const tokenResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.union([z.number(), z.string()])),
});

const tokenErrorSchema = z.object({
  error: z.optional(z.string()),
  error_description: z.optional(z.string()),
});

const keyCache = new Map<string, Promise<CryptoKey>>();

/** Imports a PKCS#8 key once per isolate: importing costs CPU on every cold path. */
function signingKey(pem: string, language: Language, secret: string): Promise<CryptoKey> {
  let key = keyCache.get(pem);
  if (!key) {
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
    key = importPKCS8(pem, "RS256").catch(() => {
      keyCache.delete(pem);
      throw new ConfigError([words(language).google.keyUnreadable(secret)]);
    });
    keyCache.set(pem, key);
  }
  return key;
}

/** HKDF's salt and info for the token key: another use of the private key derives another key. */
const TOKEN_KEY_SALT = "calltouch-sheet-sync/google-token";
const TOKEN_KEY_INFO = "aes-gcm-256 v1";
/** AES-GCM's nonce length (random per write: a token is written at most once an hour). */
const IV_BYTES = 12;
const encoder = new TextEncoder();
const tokenKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The key that encrypts cached tokens: HKDF-SHA-256 of the private key (once per isolate), so
 * only whoever holds the private key (and could mint a token with it) can read one.
 */
function tokenKey(pem: string): Promise<CryptoKey> {
  let key = tokenKeys.get(pem);
  if (!key) {
    if (tokenKeys.size >= MAX_CACHED_KEYS) tokenKeys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(pem), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey(
          {
            name: "HKDF",
            hash: "SHA-256",
            salt: encoder.encode(TOKEN_KEY_SALT),
            info: encoder.encode(TOKEN_KEY_INFO),
          },
          material,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        )
      );
    tokenKeys.set(pem, key);
  }
  return key;
}

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unbase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** Encrypts a token for KV, bound to the KV key it is stored under. */
async function sealToken(token: CachedToken, pem: string, kvKey: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(kvKey) },
    await tokenKey(pem),
    encoder.encode(JSON.stringify(token)),
  );
  return JSON.stringify({ v: 2, iv: base64(iv), data: base64(new Uint8Array(data)) });
}

/** Decrypts a token from KV; undefined when it is not one, or not under this account's key. */
async function openToken(value: unknown, pem: string, kvKey: string): Promise<unknown> {
  const sealed = z.safeParse(sealedTokenSchema, value);
  if (!sealed.success) return undefined;
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: unbase64(sealed.data.iv),
        additionalData: encoder.encode(kvKey),
      },
      await tokenKey(pem),
      unbase64(sealed.data.data),
    );
    return JSON.parse(new TextDecoder().decode(plain));
  } catch {
    return undefined; // another key (a new private key), or altered: mint instead
  }
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Mints and caches access tokens for a Google service account (RS256 JWT bearer grant).
 *
 * Caching: in memory per instance, and in KV (when `store` is given) under
 * `v2:google-token:<sha256(client_email, scope, token URL)>` — the key holds no secret, the value
 * is the token encrypted with AES-GCM under a key derived from the private key (a token KV holds
 * in clear, of a build before issue 22, is deleted when read). A token is reused until
 * {@linkcode TOKEN_REFRESH_MARGIN_MS} before it expires; concurrent callers share one refresh;
 * KV is written only when a token was minted, so a quiet run costs no KV write. Keep one
 * instance per isolate to reuse the memory copy across runs.
 *
 * Errors: token endpoint refusals become {@linkcode UpstreamError}s (upstream "google") whose
 * message says what to fix; network errors, 429 and 5xx are retryable. An unreadable private key
 * is a `ConfigError`. Tokens and keys are never logged or put in messages.
 *
 * @example
 * const auth = new ServiceAccountTokenProvider({
 *   serviceAccount: config.google.serviceAccount,
 *   tokenUrl: config.google.tokenUrl,
 *   store: env.SYNC_STATE,
 * });
 * const token = await auth.token();
 */
export class ServiceAccountTokenProvider implements TokenProvider {
  readonly #account: ServiceAccount;
  readonly #tokenUrl: string;
  readonly #fetch: typeof fetch;
  readonly #take: TakeRequest | undefined;
  #exchanges = 0;
  readonly #clock: Clock;
  readonly #store: KeyValueStore | undefined;
  readonly #language: Language;
  readonly #names: SettingNames;
  readonly #timeoutMs: number;
  #cached: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;
  #storeKey: Promise<{ key: string; cleartext: string }> | undefined;
  #rejected: string[] = [];

  constructor(options: ServiceAccountTokenProviderOptions) {
    if (!options.serviceAccount.clientEmail || !options.serviceAccount.privateKey) {
      throw new TypeError("serviceAccount needs clientEmail and privateKey");
    }
    if (!URL.canParse(options.tokenUrl)) throw new TypeError("tokenUrl must be an absolute URL");
    this.#account = options.serviceAccount;
    this.#tokenUrl = options.tokenUrl;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#clock = options.clock ?? systemClock;
    this.#store = options.persist === false ? undefined : options.store;
    this.#language = options.language ?? "ru";
    this.#names = options.names ?? OWN_NAMES;
    this.#timeoutMs = options.timeoutMs ?? TOKEN_REQUEST_TIMEOUT_MS;
    this.#take = options.take;
  }

  /** Token exchanges with Google this provider made (requests to the token URL). */
  get exchanges(): number {
    return this.#exchanges;
  }

  /** A valid access token: from memory, else from KV, else freshly minted. */
  async token(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#clock.now() < cached.refreshAt) return cached.accessToken;
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return (await this.#inflight).accessToken;
  }

  /** Forgets `token` (Google answered 401 with it); a no-op when a newer token is cached. */
  invalidate(token: string): void {
    if (this.#cached?.accessToken === token) this.#cached = undefined;
    if (!this.#rejected.includes(token)) {
      this.#rejected.push(token);
      if (this.#rejected.length > MAX_REJECTED_TOKENS) this.#rejected.shift();
    }
  }

  async #refresh(): Promise<CachedToken> {
    const stored = await this.#readStore();
    if (stored) {
      this.#cached = stored;
      return stored;
    }
    const minted = await this.#mint();
    this.#cached = minted;
    await this.#writeStore(minted);
    return minted;
  }

  /** The KV key of the token, and the one builds before issue 22 kept it under in clear. */
  #key(): Promise<{ key: string; cleartext: string }> {
    this.#storeKey ??= sha256Hex(
      `${this.#account.clientEmail}\n${SHEETS_SCOPE}\n${this.#tokenUrl}`,
    ).then((hash) => ({
      key: TOKEN_KV_PREFIX + hash,
      cleartext: CLEARTEXT_TOKEN_KV_PREFIX + hash,
    }));
    return this.#storeKey;
  }

  async #readStore(): Promise<CachedToken | undefined> {
    if (!this.#store) return undefined;
    let raw: unknown;
    const { key, cleartext } = await this.#key();
    try {
      // One bulk read: the token, and a cleartext one an older build left, to delete it.
      const found = await this.#store.get([key, cleartext], "json");
      if (found.get(cleartext) != null) await this.#store.delete(cleartext);
      raw = await openToken(found.get(key), this.#account.privateKey, key);
    } catch {
      // The KV copy is only a cache: a failed read costs one mint, not the run.
      return undefined;
    }
    const parsed = z.safeParse(storedTokenSchema, raw);
    if (!parsed.success) return undefined;
    const token = parsed.data;
    if (this.#clock.now() >= token.refreshAt) return undefined;
    if (this.#rejected.includes(token.accessToken)) return undefined;
    return token;
  }

  async #writeStore(token: CachedToken): Promise<void> {
    if (!this.#store) return;
    const ttlSeconds = Math.floor((token.refreshAt - this.#clock.now()) / 1000);
    if (ttlSeconds < KV_MIN_TTL_SECONDS) return;
    try {
      const { key } = await this.#key();
      await this.#store.put(key, await sealToken(token, this.#account.privateKey, key), {
        expirationTtl: ttlSeconds,
      });
    } catch {
      // Another isolate mints its own token instead; this run keeps working.
    }
  }

  async #mint(): Promise<CachedToken> {
    const t = words(this.#language).google;
    const key = await signingKey(
      this.#account.privateKey,
      this.#language,
      this.#names("GOOGLE_SERVICE_ACCOUNT"),
    );
    const startedAt = this.#clock.now();
    const iat = Math.floor(startedAt / 1000);
    const header = this.#account.privateKeyId
      ? { alg: "RS256", typ: "JWT", kid: this.#account.privateKeyId }
      : { alg: "RS256", typ: "JWT" };
    const assertion = await new SignJWT({ scope: SHEETS_SCOPE })
      .setProtectedHeader(header)
      .setIssuer(this.#account.clientEmail)
      .setAudience(this.#tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
      .sign(key);

    let response: Answered;
    try {
      response = await request(this.#tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
      }, {
        upstream: "google",
        words: {
          network: t.network,
          timeout: () => t.tokenTimeout(this.#timeoutMs),
          status: t.tokenUnavailable,
        },
        fetch: this.#fetch,
        clock: this.#clock,
        deadline: this.#clock.now() + this.#timeoutMs * TOKEN_MAX_ATTEMPTS,
        timeoutMs: this.#timeoutMs,
        take: this.#take,
        maxAttempts: TOKEN_MAX_ATTEMPTS,
        onAttempt: () => this.#exchanges++,
      });
    } catch (error) {
      if (!(error instanceof NotStarted)) throw error;
      throw new UpstreamError(t.budget(), { upstream: "google", retryable: false, code: "budget" });
    }
    const text = textOf(response);
    const body = tryJson(text);
    if (response.status < 200 || response.status >= 300) throw this.#refusal(response, body);

    const parsed = z.safeParse(tokenResponseSchema, body);
    const expiresIn = parsed.success ? Number(parsed.data.expires_in ?? 3600) : NaN;
    if (!parsed.success || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new UpstreamError(t.tokenMalformed(), {
        upstream: "google",
        status: response.status,
        retryable: true,
      });
    }
    const lifetimeMs = expiresIn * 1000;
    const expiresAt = startedAt + lifetimeMs;
    return {
      accessToken: parsed.data.access_token,
      expiresAt,
      refreshAt: expiresAt - Math.min(TOKEN_REFRESH_MARGIN_MS, lifetimeMs / 2),
    };
  }

  /** Turns a token endpoint refusal into an error that says what to fix. */
  #refusal(response: Answered, body: unknown): UpstreamError {
    const t = words(this.#language).google;
    const status = response.status;
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.#clock.now());
    if (isRetryableStatus(status)) {
      return new UpstreamError(t.tokenUnavailable(status), {
        upstream: "google",
        status,
        retryable: true,
        retryAfterMs,
      });
    }
    const parsed = z.safeParse(tokenErrorSchema, body);
    const code = parsed.success ? parsed.data.error ?? "" : "";
    const description = parsed.success ? parsed.data.error_description ?? "" : "";
    const d = description.toLowerCase();
    const email = this.#account.clientEmail;
    let message: string;
    if (code === "invalid_grant" && d.includes("signature")) {
      message = t.tokenKeyRejected(email, this.#names("GOOGLE_SERVICE_ACCOUNT"));
    } else if (code === "invalid_grant" && /audience|\baud\b/.test(d)) {
      message = t.tokenAudience(this.#tokenUrl);
    } else if (code === "invalid_grant" && /short-lived|timeframe|\biat\b|\bexp\b/.test(d)) {
      message = t.tokenClock();
    } else if (
      code === "invalid_client" || code === "unauthorized_client" ||
      (code === "invalid_grant" && /not found|disabled|deleted/.test(d))
    ) message = t.tokenAccountMissing(email, this.#names("GOOGLE_SERVICE_ACCOUNT"));
    else if (code === "invalid_scope") message = t.tokenScope();
    else message = t.tokenRefused(status, code || "unknown_error", quoted(description));
    return new UpstreamError(message, { upstream: "google", status, retryable: false });
  }
}
