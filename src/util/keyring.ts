/**
 * The keys of the hashes the sync stores over deals (fingerprints, raw-row hashes, request and
 * held-field hashes, the quiet record's digest): derived from a deployment secret, so that KV (or
 * the command-line tool's state file) and the source code together are not enough to test a
 * stored hash against guessed phones. The secret is `STATE_KEY`, or, until one is set,
 * `CALLTOUCH_TOKEN` (every deployment that sends has it; whoever holds it can read the deals in
 * Calltouch anyway). Older keys (`STATE_KEY_PREVIOUS`, and the Calltouch token once `STATE_KEY`
 * is set) only recognise what was stored under them, never key anything new.
 *
 * Each secret is stretched once per isolate with HKDF-SHA-256 (WebCrypto) into a SipHash-2-4
 * key (the per-row hashes), an HMAC-SHA-1 key (the quiet digest) and a public key id (8 bytes
 * of their own: stored beside the state, it names the key without revealing it).
 */
import { type SipKey, sipKey } from "./siphash.ts";

/** Where the current key comes from (`check` says it). */
export type KeySource = "STATE_KEY" | "CALLTOUCH_TOKEN";

/** One key, derived from one secret. */
export interface StateKey {
  /** Keys every hash stored per deal. */
  hash: SipKey;
  /** Keys the quiet record's digest of the tab (HMAC-SHA-1). */
  digest: CryptoKey;
  /** Names the key in KV (16 hex digits): says which key a state was saved with, reveals nothing. */
  id: string;
}

/** The keys of a run: the one it stores with, and those it still recognises. */
export interface Keyring {
  current: StateKey;
  /** Keys an older state may be stored under, in the order they are tried. */
  previous: StateKey[];
  source: KeySource;
}

/** The secrets the keys come from, as the settings give them (`Config.stateKey`). */
export interface KeySecrets {
  /** `STATE_KEY`, or else `CALLTOUCH_TOKEN`. */
  secret: string;
  source: KeySource;
  /** `STATE_KEY_PREVIOUS`, and `CALLTOUCH_TOKEN` when `STATE_KEY` is set (distinct, non-empty). */
  previous: string[];
  /** Whether `STATE_KEY_PREVIOUS` is set (`check` says when it can go). */
  previousSetting: boolean;
}

/** HKDF's salt: names this use of the secret (another use of it derives unrelated keys). */
const HKDF_SALT = "calltouch-sheet-sync/state-key";
/** HKDF's info: bump to derive other keys from the same secrets (a new key format). */
const HKDF_INFO = "v1";
/** Derived bytes: 16 for SipHash, 8 for the id, 32 for HMAC. */
const DERIVED_BYTES = 56;
/** Most keys kept per isolate (a deployment has one to three; targets may have their own). */
const MAX_CACHED_KEYS = 16;

const cache = new Map<string, Promise<StateKey>>();
const encoder = new TextEncoder();

/** Derives the key of `secret` (once per isolate). */
export function deriveStateKey(secret: string): Promise<StateKey> {
  let key = cache.get(secret);
  if (!key) {
    if (cache.size >= MAX_CACHED_KEYS) cache.clear();
    key = derive(secret);
    cache.set(secret, key);
  }
  return key;
}

async function derive(secret: string): Promise<StateKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, [
    "deriveBits",
  ]);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits(
      {
        name: "HKDF",
        hash: "SHA-256",
        salt: encoder.encode(HKDF_SALT),
        info: encoder.encode(HKDF_INFO),
      },
      material,
      DERIVED_BYTES * 8,
    ),
  );
  const digest = await crypto.subtle.importKey(
    "raw",
    bits.slice(24, 56),
    { name: "HMAC", hash: "SHA-1" }, // as cheap as the SHA-1 it replaced, over megabytes
    false,
    ["sign"],
  );
  const id = Array.from(bits.slice(16, 24), (b) => b.toString(16).padStart(2, "0")).join("");
  return { hash: sipKey(bits.slice(0, 16)), digest, id };
}

/**
 * The run's keys, from the settings' secrets.
 *
 * @example
 * const keys = await keyringOf(config.stateKey);
 * fingerprint(deal, keys.current.hash);
 */
export async function keyringOf(secrets: KeySecrets): Promise<Keyring> {
  const [current, ...previous] = await Promise.all(
    [secrets.secret, ...secrets.previous].map(deriveStateKey),
  );
  return { current, previous, source: secrets.source };
}

/**
 * The secrets of a configuration: `STATE_KEY`, else `CALLTOUCH_TOKEN`; the older ones after it.
 */
export function keySecrets(
  values: { stateKey?: string; previous?: string; calltouchToken?: string },
): KeySecrets {
  const token = values.calltouchToken ?? "";
  const secret = values.stateKey || token;
  const source: KeySource = values.stateKey ? "STATE_KEY" : "CALLTOUCH_TOKEN";
  const previous: string[] = [];
  for (const older of [values.previous, values.stateKey ? token : undefined]) {
    if (older && older !== secret && !previous.includes(older)) previous.push(older);
  }
  return { secret, source, previous, previousSetting: Boolean(values.previous) };
}

/** Where the key comes from and the keys' ids (see {@linkcode describeKeys}). */
export interface KeyDescription {
  source: KeySource;
  /** Whether `STATE_KEY_PREVIOUS` is set. */
  previousSetting: boolean;
  /** The current key's id. */
  id: string;
  /** The ids of the older keys still recognised. */
  previous: string[];
}

/** What `check` shows: where the key comes from, and the ids of the keys (never the keys). */
export async function describeKeys(secrets: KeySecrets): Promise<KeyDescription> {
  const keys = await keyringOf(secrets);
  return {
    source: keys.source,
    previousSetting: secrets.previousSetting,
    id: keys.current.id,
    previous: keys.previous.map((key) => key.id),
  };
}
