/**
 * What the sync remembers between runs, in KV: per deal, fingerprints and the last outcome —
 * never phones, e-mails or names.
 *
 * Layout (all keys under the target's prefix, see `target.ts`):
 * - `…state` (+ `…state:1`, `…state:2`… for very large sheets): the snapshot; the first part
 *   carries its version as KV metadata, so a list tells it without reading the value;
 * - `…delta:<run>:<seq>`: what one batch changed (or put in doubt), written right when it
 *   happens so a crash loses at most one batch of bookkeeping; folded into the snapshot (and
 *   deleted) at the end of the run, or by the next run if this one crashed;
 * - `…runs`: the last run reports, for the status page (see `history.ts`);
 * - `…quiet`: the quiet record (see `quiet.ts`).
 *
 * A run opens the state with one list (the snapshot's version, leftover deltas) and reads the
 * snapshot only when it needs it; a quiet run writes nothing.
 *
 * Every hash in it is keyed (`util/keyring.ts`); the snapshot and each delta name the key they
 * were written under by its public id (`k`; absent: unkeyed, a build before issue 22). A state
 * under another key the run still knows is rewritten under the current one (`rekey.ts`, then
 * {@linkcode StateStore.rekeyed}); under a key it does not know, the run stops
 * ({@linkcode StateKeyError}) rather than take every deal for changed and send it again.
 */
import type { Known } from "../columns/payload.ts";
import type { KeyValueStore, ListedKey } from "../platform.ts";
import { ConfigError } from "../util/errors.ts";
import { legacyPrefix, type Target, targetPrefix } from "./target.ts";

/**
 * Last outcome of a deal: created or updated (accepted), held (refused by Calltouch with both
 * methods, until released), or in doubt (sent without a known answer: sent again next run,
 * whatever the row looks like then).
 */
export type Outcome = "created" | "updated" | "held" | "inDoubt";

/** What is remembered about one deal. */
export interface DealState {
  /**
   * Fingerprint of the version last accepted — or last refused, when `outcome` is held;
   * when in doubt, the last accepted one ("" if none).
   */
  fingerprint: string;
  /** Matching fingerprint of the version Calltouch last matched to a lead ("" if none). */
  matching: string;
  /** Whether the deal is known to exist in Calltouch (decides create versus update). */
  exists: boolean;
  outcome: Outcome;
  /** When the outcome happened, epoch ms. */
  at: number;
  /** Calltouch's reason, when held (masked, no personal data). */
  reason?: string;
  /**
   * Hash of the row's raw cells when the deal was read (see `parseSheet`'s `knownRaw`): a row
   * still hashing to it is not even parsed.
   */
  raw?: number;
  /**
   * When held: hash of what the plan's method sent (see `requestHash`). What the sync would
   * send now hashing otherwise (a setting fixed, a new payload format) releases the deal.
   */
  request?: string;
  /**
   * What Calltouch holds of the deal's fields the sync only sends when they change (see
   * `payload.ts`): as accepted, or as sent while in doubt. Absent in states of older versions.
   */
  known?: Known;
  /**
   * In doubt: the fingerprint of the one version the doubted request(s) carried, when Calltouch's
   * deals journal can later show that it landed (see `look_up.ts`): a create of a deal the
   * journal did not hold, or an update that changes the status Calltouch holds. Absent when
   * the journal could not tell (several versions in doubt, nothing visible changes).
   */
  sent?: string;
}

/** The remembered deals, by orderNumber. */
export type SyncState = Map<string, DealState>;

/**
 * Every key of a target expires this long after its last write: a target no longer synced (the
 * Worker pointed at another Calltouch project or tab) leaves nothing behind for long. A losing
 * target is survivable by design (a wiped state converges without duplicates, see docs/failure-semantics.md).
 */
export const TARGET_TTL_SECONDS = 30 * 86_400;
/**
 * A target in use rewrites its snapshot at least this often (one KV write a week on the daily
 * full run), so its keys never come near {@linkcode TARGET_TTL_SECONDS}.
 */
export const SNAPSHOT_REFRESH_MS = 7 * 86_400_000;

/** Entries per snapshot part: keeps each KV value far below the 25 MiB limit. */
export const SNAPSHOT_PART_ENTRIES = 50_000;
/** KV bulk reads take at most 100 keys. */
const BULK_GET_KEYS = 100;
/** Pages of `list()` read at most, so a corrupt namespace cannot loop forever. */
const MAX_LIST_PAGES = 100;

// Compact on-disk form: [fingerprint, matching, exists, outcome, at, reason?, raw?, request?,
// holds?, sent?] ("", 0 or "" for a missing field when a later one follows; holds as
// "status|statusAt|tags|custom", statusAt in epoch ms).
type StoredEntry = [
  string,
  string,
  0 | 1,
  "c" | "u" | "r" | "s",
  number,
  string?,
  number?,
  string?,
  string?,
  string?,
];
interface StoredSnapshot {
  v: 1;
  parts: number;
  savedAt: number;
  /** The run that saved it: with `savedAt`, names this version of the state (see `version`). */
  run?: string;
  /** Id of the key its hashes are under (absent: unkeyed, or under several keys). */
  k?: string;
  deals: Record<string, StoredEntry>;
}
interface StoredDelta {
  v: 1;
  /** Id of the key its hashes are under (absent: unkeyed). */
  k?: string;
  deals: Record<string, StoredEntry>;
}

const OUTCOME_CODE = { created: "c", updated: "u", held: "r", inDoubt: "s" } as const;
const OUTCOME_FROM_CODE = { c: "created", u: "updated", r: "held", s: "inDoubt" } as const;

function encode(state: DealState): StoredEntry {
  const { fingerprint, matching, at, reason = "", raw = 0, request = "", sent } = state;
  const exists = state.exists ? 1 : 0;
  const outcome = OUTCOME_CODE[state.outcome];
  const known = state.known
    ? `${state.known.status}|${state.known.statusAt}|${state.known.tags}|${state.known.custom}`
    : "";
  // Up to the last field set (what older builds read), each form one array literal: ~5 times
  // faster than pushing the fields one by one (measured, 20,000 states), at two per deal.
  if (sent) return [fingerprint, matching, exists, outcome, at, reason, raw, request, known, sent];
  if (known) return [fingerprint, matching, exists, outcome, at, reason, raw, request, known];
  if (request) return [fingerprint, matching, exists, outcome, at, reason, raw, request];
  if (raw) return [fingerprint, matching, exists, outcome, at, reason, raw];
  if (reason) return [fingerprint, matching, exists, outcome, at, reason];
  return [fingerprint, matching, exists, outcome, at];
}

/**
 * One string per distinct held hash: 50,000 decoded deals share a few statuses and tag sets.
 * Per load, so it never outgrows the state it serves.
 */
type Interned = Map<string, string>;

function intern(strings: Interned, text: string): string {
  const known = strings.get(text);
  if (known !== undefined) return known;
  strings.set(text, text);
  return text;
}

function decode(entry: StoredEntry, strings: Interned): DealState {
  const state: DealState = {
    fingerprint: entry[0],
    matching: entry[1],
    exists: entry[2] === 1,
    outcome: OUTCOME_FROM_CODE[entry[3]],
    at: entry[4],
  };
  if (entry[5]) state.reason = entry[5];
  if (entry[6]) state.raw = entry[6];
  if (entry[7]) state.request = entry[7];
  if (entry[8]) {
    const [status, statusAt, tags, custom] = entry[8].split("|");
    state.known = {
      status: intern(strings, status),
      statusAt: Number(statusAt) || 0,
      tags: intern(strings, tags),
      custom: intern(strings, custom),
    };
  }
  if (entry[9]) state.sent = entry[9];
  return state;
}

/**
 * One deal of a stored snapshot or delta, as JSON text: `"A-1":[…]`. With `written`, remembered
 * per state object: a first sync writes each accepted deal's state in a delta and then in the
 * snapshot (a run replaces a deal's state once it is written, never changes it).
 */
function entryText(
  orderNumber: string,
  state: DealState,
  written?: Map<DealState, string>,
): string {
  let text = written?.get(state);
  if (text === undefined) {
    text = `${JSON.stringify(orderNumber)}:${JSON.stringify(encode(state))}`;
    // A doubt is replaced by the answer's outcome (almost always in the same run): not kept.
    if (state.outcome !== "inDoubt") written?.set(state, text);
  }
  return text;
}

/**
 * The JSON of one snapshot part (a {@linkcode StoredSnapshot}), written entry by entry: at
 * 50,000 deals, building the whole object first would hold it and the text at once.
 */
function snapshotText(
  state: SyncState,
  part: number,
  parts: number,
  savedAt: number,
  run: string,
  key: string | undefined,
  written?: Map<DealState, string>,
): string {
  const from = part * SNAPSHOT_PART_ENTRIES;
  const to = from + SNAPSHOT_PART_ENTRIES;
  const deals: string[] = [];
  let i = 0;
  // forEach, not for…of with destructuring: no iterator result and no pair per deal while the
  // code is still cold (a first sync writes its snapshot once).
  state.forEach((dealState, orderNumber) => {
    if (i >= from && i < to) deals.push(entryText(orderNumber, dealState, written));
    i++;
  });
  const head = JSON.stringify(
    (key ? { v: 1, parts, savedAt, run, k: key } : { v: 1, parts, savedAt, run }) satisfies Omit<
      StoredSnapshot,
      "deals"
    >,
  );
  return `${head.slice(0, -1)},"deals":{${deals.join(",")}}}`;
}

function decodeInto(
  state: SyncState,
  deals: Record<string, StoredEntry> | undefined,
  strings: Interned = new Map(),
): void {
  if (!deals) return;
  for (const orderNumber in deals) state.set(orderNumber, decode(deals[orderNumber], strings));
}

/** The KV keys of one target's state and run history (see `target.ts`). */
export function stateKeys(target: Target) {
  const base = targetPrefix(target);
  return keysUnder(base);
}

function keysUnder(base: string) {
  return {
    /** Every key of the target starts with it. */
    prefix: base,
    snapshot: (part: number) => part === 0 ? `${base}state` : `${base}state:${part}`,
    deltaPrefix: `${base}delta:`,
    delta: (runId: string, seq: number) => `${base}delta:${runId}:${String(seq).padStart(6, "0")}`,
    runs: `${base}runs`,
    quiet: `${base}quiet`,
    /** The lease of the run with work to do (see `lease.ts`). */
    lease: `${base}lease`,
  };
}

/**
 * The id of the key a target's state is saved under, from one list (no value read): "" for a
 * state of a build before issue 22 (unkeyed, or a state under several keys); undefined when there
 * is no state yet. For `check`.
 */
export async function storedKeyId(kv: KeyValueStore, target: Target): Promise<string | undefined> {
  const keys = stateKeys(target);
  const { keys: listed } = await kv.list({ prefix: keys.snapshot(0) });
  const head = listed.find((key) => key.name === keys.snapshot(0));
  if (head) return (head.metadata as SnapshotMetadata | undefined)?.key ?? "";
  const legacy = keysUnder(legacyPrefix(target)).snapshot(0);
  const { keys: old } = await kv.list({ prefix: legacy });
  return old.some((key) => key.name === legacy) ? "" : undefined;
}

/** A sortable, unique id for a run: time first, so deltas list in the order they were written. */
export function newRunId(now: number): string {
  return now.toString(36).padStart(9, "0") + "-" + crypto.randomUUID().slice(0, 8);
}

/**
 * What the snapshot's first part carries as KV metadata, known from a list: its version, and
 * the id of the key its hashes are under (`check` tells it without reading the snapshot).
 */
export interface SnapshotMetadata {
  version: string;
  key?: string;
}

/** The keys a run works with, by their public ids (see `util/keyring.ts`). */
export interface StateKeyIds {
  /** The key it writes under. */
  current: string;
  /** Older keys it still recognises (a state under one of them is rewritten). */
  previous: readonly string[];
}

/**
 * The state was saved under a key this run does not know: `STATE_KEY` (or, without it,
 * `CALLTOUCH_TOKEN`) changed and the old value is not in `STATE_KEY_PREVIOUS`. Every stored hash
 * would differ, so every deal would be sent again: the run stops instead and says what to do.
 */
export class StateKeyError extends ConfigError {
  constructor(key: string, snapshotKey: string) {
    super([
      `STATE_KEY: the sync's state was saved under another key (id ${key.slice(0, 8)}): ` +
      "STATE_KEY (or, without it, CALLTOUCH_TOKEN) changed and the old value is not in " +
      "STATE_KEY_PREVIOUS. Put the old value in STATE_KEY_PREVIOUS: the next run rewrites the " +
      "state under the new key and sends nothing again. If the old value is lost, delete the " +
      `state (the KV key "${snapshotKey}", or the command-line tool's state file): the next ` +
      "run then sends every deal once more",
    ]);
  }
}

/**
 * Reads, journals and compacts the state of one target.
 *
 * @example
 * const store = new StateStore(env.SYNC_STATE, target, runId);
 * const state = await store.load();
 * await store.record([["A-1", entry]]);
 * await store.compact(state, Date.now());
 */
export class StateStore {
  private readonly keys: ReturnType<typeof stateKeys>;
  private readonly legacy: ReturnType<typeof stateKeys>;
  private seq = 0;
  /** Keys folded into the state in memory, to delete once the new snapshot holds them. */
  private readonly pendingDeltas: string[] = [];
  private opened: Promise<void> | undefined;
  private hasSnapshot = false;
  private deltaKeys: string[] = [];
  /**
   * The snapshot's version as listed ("": none), then that of the one {@linkcode compact}
   * writes: its `savedAt` (strictly increasing) and the run that saved it, so no two saves of
   * the state share one.
   */
  version = "";

  /** Ids of the keys the loaded parts are under ("" for an unkeyed part). */
  private readonly loadedKeys = new Set<string>();
  private rekeyDone = false;
  /**
   * The text of each state this run wrote in a delta, for the snapshot (see `entryText`); emptied
   * once the snapshot holds them.
   */
  private readonly written = new Map<DealState, string>();

  /**
   * @param hashKeys the run's keys; absent (tests of the layout): parts are written without a key
   *   id and read without a check.
   */
  constructor(
    private readonly kv: KeyValueStore,
    target: Target,
    private readonly runId: string,
    private readonly hashKeys?: StateKeyIds,
  ) {
    this.keys = stateKeys(target);
    this.legacy = keysUnder(legacyPrefix(target));
  }

  /**
   * Whether the state loaded holds hashes under another key than the current one (unkeyed, of a
   * build before issue 22, or under a previous key): `rekey.ts` rewrites them, then
   * {@linkcode rekeyed} says so. Known after {@linkcode load}.
   */
  get migrating(): boolean {
    if (!this.hashKeys) return false;
    for (const key of this.loadedKeys) if (key !== this.hashKeys.current) return true;
    return false;
  }

  /**
   * Every hash of the loaded state is now under the current key: the next {@linkcode compact}
   * writes the snapshot (even when nothing else changed) and names the current key in it.
   */
  rekeyed(): void {
    this.rekeyDone = true;
  }

  /**
   * One list of the target's keys (paged): the snapshot's version from its metadata, and the
   * deltas of a run that did not compact. Reads no value.
   */
  open(): Promise<void> {
    this.opened ??= (async () => {
      for (const key of await this.listKeys(this.keys.prefix)) {
        if (key.name === this.keys.snapshot(0)) {
          this.hasSnapshot = true;
          this.version = (key.metadata as SnapshotMetadata | undefined)?.version ?? "?";
        } else if (key.name.startsWith(this.keys.deltaPrefix)) this.deltaKeys.push(key.name);
      }
      this.deltaKeys.sort();
    })();
    return this.opened;
  }

  /** Whether batches of a run that did not compact are waiting (known after {@linkcode open}). */
  get hasDeltas(): boolean {
    return this.deltaKeys.length > 0;
  }

  /**
   * The snapshot plus every delta left by batches not yet compacted (a crashed run's). A target
   * without state of its own takes over the state the first version kept per spreadsheet.
   */
  async load(): Promise<SyncState> {
    await this.open();
    const state: SyncState = new Map();
    if (this.hasSnapshot) await this.readSnapshot(this.keys, state);
    await this.readDeltas(this.deltaKeys, state);
    this.pendingDeltas.push(...this.deltaKeys);
    if (!this.hasSnapshot && !this.hasDeltas) {
      const deltas = (await this.listKeys(this.legacy.deltaPrefix)).map((k) => k.name).sort();
      const parts = await this.readSnapshot(this.legacy, state);
      await this.readDeltas(deltas, state);
      // Written under this target at the end of the run; then the old keys go.
      this.pendingDeltas.push(...parts, ...deltas);
    }
    // A state without a deal holds no hash: under no key (say, the first run of a wrong
    // CALLTOUCH_TOKEN, refused before anything was accepted, saved an empty one under its key).
    if (state.size === 0) this.loadedKeys.clear();
    this.checkKeys();
    return state;
  }

  /** Refuses a state under a key the run does not know (see {@linkcode StateKeyError}). */
  private checkKeys(): void {
    if (!this.hashKeys) return;
    const known = new Set(["", this.hashKeys.current, ...this.hashKeys.previous]);
    for (const key of this.loadedKeys) {
      if (!known.has(key)) throw new StateKeyError(key, this.keys.snapshot(0));
    }
  }

  /** Folds a snapshot into `state`; returns the keys of the parts read (none: no snapshot). */
  private async readSnapshot(keys: ReturnType<typeof keysUnder>, state: SyncState) {
    const [head] = await this.getMany<StoredSnapshot>([keys.snapshot(0)]);
    if (!head) return [];
    this.loadedKeys.add(head.k ?? "");
    decodeInto(state, head.deals);
    const more = Array.from(
      { length: Math.max(0, head.parts - 1) },
      (_, i) => keys.snapshot(i + 1),
    );
    for (const part of await this.getMany<StoredSnapshot>(more)) decodeInto(state, part?.deals);
    return [keys.snapshot(0), ...more];
  }

  private async readDeltas(deltaKeys: string[], state: SyncState): Promise<void> {
    if (deltaKeys.length === 0) return;
    for (const delta of await this.getMany<StoredDelta>(deltaKeys)) {
      if (delta) this.loadedKeys.add(delta.k ?? "");
      decodeInto(state, delta?.deals);
    }
  }

  /** Remembers what one step changed (one KV write; nothing when there is nothing). */
  async record(entries: [orderNumber: string, state: DealState][]): Promise<void> {
    if (entries.length === 0) return;
    // A `StoredDelta` written as text entry by entry, as the snapshot is: an object of a few
    // hundred deal keys is a slow dictionary to build and stringify (a first sync writes one per
    // Calltouch request).
    const head: Omit<StoredDelta, "deals"> = this.hashKeys
      ? { v: 1, k: this.hashKeys.current }
      : { v: 1 };
    const deals = entries.map((entry) => entryText(entry[0], entry[1], this.written));
    const text = `${JSON.stringify(head).slice(0, -1)},"deals":{${deals.join(",")}}}`;
    const key = this.keys.delta(this.runId, ++this.seq);
    await this.kv.put(key, text, { expirationTtl: TARGET_TTL_SECONDS });
    this.pendingDeltas.push(key);
  }

  /** True when deltas exist that the snapshot does not hold yet. */
  get dirty(): boolean {
    return this.pendingDeltas.length > 0;
  }

  /**
   * Writes `state` as the new snapshot and deletes the deltas it now holds. Does nothing when
   * nothing was remembered (a quiet run writes nothing), unless the snapshot is due for its
   * weekly refresh ({@linkcode SNAPSHOT_REFRESH_MS}) or its hashes were just rewritten under the
   * current key ({@linkcode rekeyed}). The snapshot names the current key, unless the state was
   * loaded under another one and not rewritten (then it names none: the next run rewrites it).
   */
  async compact(state: SyncState, now: number): Promise<void> {
    const savedAt = Number(this.version.split("/")[0]) || 0;
    const due = this.hasSnapshot && now - savedAt >= SNAPSHOT_REFRESH_MS;
    const rekey = this.rekeyDone && this.migrating;
    if (!this.dirty && !due && !rekey) return;
    const key = this.hashKeys && (this.rekeyDone || !this.migrating)
      ? this.hashKeys.current
      : undefined;
    // Strictly after the version read (0 when there was none or it was unreadable).
    const next = Math.max(now, savedAt + 1);
    const version = `${next}/${this.runId}`;
    const parts = Math.max(1, Math.ceil(state.size / SNAPSHOT_PART_ENTRIES));
    for (let part = parts - 1; part >= 0; part--) {
      // Part 0 last: it announces the part count (and the version), so readers never see a
      // half-written set.
      const metadata: SnapshotMetadata | undefined = part === 0
        ? (key ? { version, key } : { version })
        : undefined;
      await this.kv.put(
        this.keys.snapshot(part),
        snapshotText(state, part, parts, next, this.runId, key, this.written),
        {
          metadata,
          expirationTtl: TARGET_TTL_SECONDS,
        },
      );
    }
    this.version = version;
    this.hasSnapshot = true;
    this.loadedKeys.clear();
    this.loadedKeys.add(key ?? "");
    this.written.clear();
    const done = this.pendingDeltas.splice(0);
    await Promise.all(done.map((key) => this.kv.delete(key)));
  }

  private async listKeys(prefix: string): Promise<ListedKey[]> {
    const keys: ListedKey[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await this.kv.list({ prefix, cursor });
      keys.push(...result.keys);
      if (result.list_complete || !result.cursor) break;
      cursor = result.cursor;
    }
    return keys;
  }

  private async getMany<T>(keys: string[]): Promise<(T | null)[]> {
    const values: (T | null)[] = [];
    for (let i = 0; i < keys.length; i += BULK_GET_KEYS) {
      const chunk = keys.slice(i, i + BULK_GET_KEYS);
      const found = await this.kv.get<T>(chunk, "json");
      for (const key of chunk) values.push(found.get(key) ?? null);
    }
    return values;
  }
}
