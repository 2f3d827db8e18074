/**
 * What the sync remembers between runs, in KV: per deal, fingerprints and the last outcome —
 * never phones, e-mails or names.
 *
 * Layout (all keys versioned, scoped by spreadsheet id):
 * - `v1:<sheet>:state` (+ `:state:1`, `:state:2`… for very large sheets): the snapshot, read with
 *   one bulk get;
 * - `v1:<sheet>:delta:<run>:<seq>`: what one accepted batch changed, written right after the
 *   batch so a crash loses at most one batch of bookkeeping; folded into the snapshot (and
 *   deleted) at the end of the run, or by the next run if this one crashed;
 * - `v1:<sheet>:runs`: the last run reports, for the status page.
 *
 * An idle run makes one bulk read (snapshot + run history) and one list, and writes nothing.
 */
import type { KeyValueStore } from "../platform.ts";

/**
 * Last outcome of a deal: created or updated (accepted), rejected by Calltouch with both methods
 * (held until released), or sent without a known answer (in doubt: sent again next run, whatever
 * the row looks like then).
 */
export type Outcome = "created" | "updated" | "rejected" | "sent";

/** What is remembered about one deal. */
export interface DealState {
  /**
   * Fingerprint of the version last accepted — or last rejected, when `outcome` is rejected;
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
  /** Calltouch's reason, when rejected (masked, no personal data). */
  reason?: string;
  /**
   * Hash of the row's raw cells when the deal was read (see `parseSheet`'s `knownRaw`): a row
   * still hashing to it is not even parsed.
   */
  raw?: number;
  /**
   * When rejected: hash of what the plan's method sent (see `requestHash`). What the sync would
   * send now hashing otherwise (a setting fixed, a new payload format) releases the deal.
   */
  request?: string;
}

/** The remembered deals, by orderNumber. */
export type SyncState = Map<string, DealState>;

/** Entries per snapshot part: keeps each KV value far below the 25 MiB limit. */
export const SNAPSHOT_PART_ENTRIES = 50_000;
/** KV bulk reads take at most 100 keys. */
const BULK_GET_KEYS = 100;
/** Pages of `list()` read at most, so a corrupt namespace cannot loop forever. */
const MAX_LIST_PAGES = 100;

// Compact on-disk form: [fingerprint, matching, exists, outcome, at, reason?, raw?, request?]
// ("" for no reason and 0 for no raw hash when a later field follows).
type StoredEntry = [
  string,
  string,
  0 | 1,
  "c" | "u" | "r" | "s",
  number,
  string?,
  number?,
  string?,
];
interface StoredSnapshot {
  v: 1;
  parts: number;
  savedAt: number;
  /** The run that saved it: with `savedAt`, names this version of the state (see `version`). */
  run?: string;
  deals: Record<string, StoredEntry>;
}
interface StoredDelta {
  v: 1;
  deals: Record<string, StoredEntry>;
}

const OUTCOME_CODE = { created: "c", updated: "u", rejected: "r", sent: "s" } as const;
const OUTCOME_FROM_CODE = { c: "created", u: "updated", r: "rejected", s: "sent" } as const;

function encode(state: DealState): StoredEntry {
  const entry: StoredEntry = [
    state.fingerprint,
    state.matching,
    state.exists ? 1 : 0,
    OUTCOME_CODE[state.outcome],
    state.at,
  ];
  if (state.reason || state.raw || state.request) entry.push(state.reason ?? "");
  if (state.raw || state.request) entry.push(state.raw ?? 0);
  if (state.request) entry.push(state.request);
  return entry;
}

function decode(entry: StoredEntry): DealState {
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
  return state;
}

function decodeInto(state: SyncState, deals: Record<string, StoredEntry> | undefined): void {
  if (!deals) return;
  for (const orderNumber in deals) state.set(orderNumber, decode(deals[orderNumber]));
}

/**
 * The version of a stored snapshot (`<savedAt>/<run>`), read from the start of its text without
 * parsing the rest (`JSON.stringify` writes the fields in the order of
 * {@linkcode StoredSnapshot}); undefined when the text does not start as expected.
 */
export function snapshotVersion(text: string): string | undefined {
  const match = /^\{"v":1,"parts":\d+,"savedAt":(\d+),(?:"run":"([\w-]*)",)?"deals":/.exec(
    text.slice(0, 120),
  );
  return match ? `${match[1]}/${match[2] ?? ""}` : undefined;
}

/** The KV keys of one spreadsheet's state. */
export function stateKeys(spreadsheetId: string) {
  const base = `v1:${spreadsheetId}`;
  return {
    snapshot: (part: number) => part === 0 ? `${base}:state` : `${base}:state:${part}`,
    deltaPrefix: `${base}:delta:`,
    delta: (runId: string, seq: number) => `${base}:delta:${runId}:${String(seq).padStart(6, "0")}`,
    runs: `${base}:runs`,
  };
}

/** A sortable, unique id for a run: time first, so deltas list in the order they were written. */
export function newRunId(now: number): string {
  return now.toString(36).padStart(9, "0") + "-" + crypto.randomUUID().slice(0, 8);
}

/**
 * Reads, journals and compacts the state of one spreadsheet.
 *
 * @example
 * const store = new StateStore(env.SYNC_STATE, config.spreadsheetId, runId);
 * const state = await store.load();
 * await store.recordBatch([["A-1", entry]]);
 * await store.compact(state);
 */
export class StateStore {
  private readonly keys: ReturnType<typeof stateKeys>;
  private seq = 0;
  /** Delta keys folded into the state in memory, to delete once the snapshot holds them. */
  private readonly pendingDeltas: string[] = [];
  private opened: Promise<void> | undefined;
  /** Text of the snapshot's first part as read; parsed only by {@linkcode load}. */
  private snapshotText: string | null = null;
  private deltaKeys: string[] = [];
  /**
   * The stored run history (see `history.ts`), exactly as read by {@linkcode open}, in the same
   * bulk read as the snapshot: null when there is none, undefined until it was read.
   */
  runsText: string | null | undefined;
  /**
   * The snapshot's version as read ("": none; undefined: unreadable), then that of the one
   * {@linkcode compact} writes: its `savedAt` (strictly increasing) and the run that saved it,
   * so no two saves of the state share one.
   */
  version: string | undefined = "";

  constructor(
    private readonly kv: KeyValueStore,
    spreadsheetId: string,
    private readonly runId: string,
  ) {
    this.keys = stateKeys(spreadsheetId);
  }

  /**
   * One bulk read (the snapshot's first part and the run history, as text) and one list of the
   * deltas; parses nothing big, so a run that turns out quiet never decodes the snapshot.
   */
  open(): Promise<void> {
    this.opened ??= (async () => {
      const [found, deltaKeys] = await Promise.all([
        this.kv.get([this.keys.snapshot(0), this.keys.runs], "text"),
        this.listDeltas(),
      ]);
      this.snapshotText = found.get(this.keys.snapshot(0)) ?? null;
      this.runsText = found.get(this.keys.runs) ?? null;
      this.deltaKeys = deltaKeys;
      this.version = this.snapshotText === null ? "" : snapshotVersion(this.snapshotText);
    })();
    return this.opened;
  }

  /** Whether batches of a run that did not compact are waiting (known after {@linkcode open}). */
  get hasDeltas(): boolean {
    return this.deltaKeys.length > 0;
  }

  /** The snapshot plus every delta left by batches not yet compacted (a crashed run's). */
  async load(): Promise<SyncState> {
    await this.open();
    const state: SyncState = new Map();
    const head = this.snapshotText === null
      ? null
      : JSON.parse(this.snapshotText) as StoredSnapshot;
    this.snapshotText = null;
    if (head) {
      decodeInto(state, head.deals);
      const more = Array.from(
        { length: Math.max(0, head.parts - 1) },
        (_, i) => this.keys.snapshot(i + 1),
      );
      for (const part of await this.getMany<StoredSnapshot>(more)) decodeInto(state, part?.deals);
    }
    if (this.deltaKeys.length > 0) {
      const deltas = await this.getMany<StoredDelta>(this.deltaKeys);
      deltas.forEach((delta) => decodeInto(state, delta?.deals));
      this.pendingDeltas.push(...this.deltaKeys);
    }
    return state;
  }

  /** Journals what one accepted batch changed (one KV write). */
  async recordBatch(entries: [orderNumber: string, state: DealState][]): Promise<void> {
    if (entries.length === 0) return;
    const delta: StoredDelta = { v: 1, deals: {} };
    for (const [orderNumber, state] of entries) delta.deals[orderNumber] = encode(state);
    const key = this.keys.delta(this.runId, ++this.seq);
    await this.kv.put(key, JSON.stringify(delta));
    this.pendingDeltas.push(key);
  }

  /** True when deltas exist that the snapshot does not hold yet. */
  get dirty(): boolean {
    return this.pendingDeltas.length > 0;
  }

  /**
   * Writes `state` as the new snapshot and deletes the deltas it now holds. Does nothing when
   * nothing was journalled (an idle run writes nothing).
   */
  async compact(state: SyncState, now: number): Promise<void> {
    if (!this.dirty) return;
    const entries = [...state];
    // Strictly after the version read (0 when there was none or it was unreadable).
    const savedAt = Math.max(now, (Number(this.version?.split("/")[0]) || 0) + 1);
    const parts = Math.max(1, Math.ceil(entries.length / SNAPSHOT_PART_ENTRIES));
    for (let part = parts - 1; part >= 0; part--) {
      const snapshot: StoredSnapshot = { v: 1, parts, savedAt, run: this.runId, deals: {} };
      const slice = entries.slice(part * SNAPSHOT_PART_ENTRIES, (part + 1) * SNAPSHOT_PART_ENTRIES);
      for (const [orderNumber, dealState] of slice) snapshot.deals[orderNumber] = encode(dealState);
      // Part 0 last: it announces the part count, so readers never see a half-written set.
      await this.kv.put(this.keys.snapshot(part), JSON.stringify(snapshot));
    }
    this.version = `${savedAt}/${this.runId}`;
    const done = this.pendingDeltas.splice(0);
    await Promise.all(done.map((key) => this.kv.delete(key)));
  }

  private async listDeltas(): Promise<string[]> {
    const keys: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await this.kv.list({ prefix: this.keys.deltaPrefix, cursor });
      keys.push(...result.keys.map((k) => k.name));
      if (result.list_complete || !result.cursor) break;
      cursor = result.cursor;
    }
    return keys.sort();
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
