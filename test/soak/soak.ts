/**
 * The fault soak: a model-based randomized test of the whole sync, end to end in workerd. A
 * generated clinic sheet is edited the way people edit it (new deals, changes, undos, mistakes and
 * their fixes, inserted, deleted and sorted rows, duplicated IDs) while Google and Calltouch fail
 * in every way the emulators allow (errors, requests applied and then failed, lost KV, a Worker
 * cut off in the middle of a request). After every sync the sheet, Calltouch and KV are checked
 * against an oracle built from the product's own parser and payload builders.
 *
 * Everything is drawn from one seeded generator, so a seed replays the same edits and faults
 * (timing — retries against the run's time budget — can still make two replays differ a little).
 */
import { loadConfig } from "../../src/settings/config.ts";
import { TEST_KEY } from "../support/keys.ts";
import type { PayloadSettings } from "../../src/columns/payload.ts";
import type { CellValue } from "../../src/deal.ts";
import { readOrderNumber } from "../../src/sheet/ids.ts";
import { maskEmail, maskPhone } from "../../src/sheet/mask.ts";
import type { CalltouchSwitches } from "../emulators/calltouch.ts";
import type { GoogleRequestKind } from "../emulators/google.ts";
import { type Rig, SPREADSHEET_ID, startRig, TAB } from "../support/e2e.ts";
import type { TestWorker } from "../support/worker.ts";
import { compareDeal, type DealExpectation, expectSheet, statusKind } from "./oracle.ts";
import { Random } from "./random.ts";

/** Header of the generated deals tab (the sync adds its status column after it). */
export const SOAK_HEADER = [
  "ID сделки",
  "Дата сделки",
  "Статус",
  "Сумма",
  "Телефон",
  "Email",
  "Теги",
];
/** Time budget of one run: small, so that faults do not make the soak slow. */
export const SOAK_TIME_BUDGET_SECONDS = "6";
/** Calltouch's answer delay while a run is being cut off, ms. */
const CUTOFF_DELAY_MS = 2_500;
/** Longest wait for a cut-off run to reach Calltouch before the Worker is restarted anyway, ms. */
const CUTOFF_WAIT_MS = 3_000;
/** Steps between two scans of the status page for contacts. */
const STATUS_PAGE_EVERY = 10;
/** Syncs of the final convergence phase before "nothing left to send" must hold. */
const MAX_SETTLE_RUNS = 3;
/** Edits remembered for undo. */
const EDIT_LOG_SIZE = 30;
/** Fewest data rows kept (deletes stop there). */
const MIN_ROWS = 6;
/** Most data rows (new deals stop there). */
const MAX_ROWS = 60;

/** Column of each field (0-based), as in {@linkcode SOAK_HEADER}. */
const COL = { id: 0, date: 1, status: 2, sum: 3, phone: 4, email: 5, tags: 6 } as const;
type Field = keyof typeof COL;
const LETTERS = "ABCDEFG";
const FIELD_NAMES: Record<Field, string> = {
  id: "ID",
  date: "date",
  status: "status",
  sum: "sum",
  phone: "phone",
  email: "e-mail",
  tags: "tags",
};

const STATUSES = ["Запись", "Визит", "Оплачено", "Отказ", "Перенос", "Повторный визит"];
const TAGS = ["реклама", "яндекс", "первичный", "повторный", "акция", "сайт", "vk"];
const NAMES = ["ivan", "olga", "petrov", "anna.s", "m.ivanova", "sergey", "klinika.fan", "dr.who"];
const DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "clinic-mail.org"];

/** Options of {@linkcode runSoak}. */
export interface SoakOptions {
  /** Steps (edits + faults + one sync each) before the final convergence phase. */
  runs: number;
  seed: number;
  /** Progress lines (every 25 steps) and each violation as it is found. */
  log?: (line: string) => void;
  /** Calltouch behaviours the documentation leaves open (default: the emulator's defaults). */
  calltouch?: Partial<CalltouchSwitches>;
  /** Record one line per step in `trace` (what was edited, armed and how the run ended). */
  trace?: boolean;
  /**
   * Called after each step's run, before the checks (tests of the soak itself use it to tamper
   * with Calltouch or KV and see the checks catch it).
   */
  afterRun?: (rig: Rig, step: number) => void | Promise<void>;
  /** Arm faults (default true); without them the soak checks edits alone, fast. */
  faults?: boolean;
}

/** What a soak did. */
export interface SoakStats {
  seed: number;
  steps: number;
  /** Syncs started (the final phase included). */
  syncs: number;
  okRuns: number;
  failedRuns: number;
  quietRuns: number;
  /** Runs cut off by a Worker restart in the middle of a request. */
  cutoffs: number;
  /** Runs during which the sheet was edited (between the tab read and the ID-column read). */
  midRunEdits: number;
  /** Runs after which the sheet was checked against the oracle. */
  checkedRuns: number;
  edits: Record<string, number>;
  faults: Record<string, number>;
  /** Distinct violations by kind. */
  violations: Record<string, number>;
  /** Sheet-check findings counted at every check they were seen (persisting ones repeatedly). */
  observations: number;
  /** Calltouch requests over the whole soak. */
  calltouchRequests: number;
  durationMs: number;
}

/** What {@linkcode runSoak} returns. */
export interface SoakResult {
  /** One message per violation: seed, step, kind and what was seen; never a phone or e-mail. */
  violations: string[];
  stats: SoakStats;
  /** One line per step when `trace` was asked for. */
  trace: string[];
}

interface EditRecord {
  id: string;
  field: Field;
  before: CellValue;
  after: CellValue;
}

interface PendingFix {
  id: string;
  field: Field;
  good: CellValue;
}

interface PendingDuplicate {
  /** The ID now carried by two rows. */
  id: string;
  /** The ID the overwritten row had. */
  original: string;
}

/** How one trigger of a sync ended; `body` is the /sync answer (HTTP only). */
interface TriggerResult {
  ok: boolean;
  summary: string;
  // deno-lint-ignore no-explicit-any
  body?: any;
}

interface RunOutcome {
  ok: boolean;
  /** Whether the sheet may be checked: the run ended ok, was not cut off, nobody edited mid-run. */
  checkable: boolean;
  summary: string;
  // deno-lint-ignore no-explicit-any
  bodies: any[];
}

/**
 * Calltouch behaviours the documentation leaves open, drawn from `seed` (apart from the soak's
 * own draws): the sync must end right under every plausible answer.
 */
export function varyCalltouch(seed: number): Partial<CalltouchSwitches> {
  const random = new Random(seed ^ 0x5eed_ca11);
  return {
    duplicateCreate: random.pick(["error", "upsert"] as const),
    updateMissing: random.pick(["error", "create"] as const),
    errorShape: random.pick(["string", "object"] as const),
    resultShape: random.pick(["positional", "byOrderNumber"] as const),
  };
}

/**
 * Runs the soak and always stops the rig. Throws only when the rig cannot start.
 *
 * @example
 * const { violations, stats } = await runSoak({ runs: 40, seed: 1 });
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const soak = new Soak(options);
  try {
    await soak.start();
    await soak.run();
  } finally {
    await soak.stop();
  }
  return soak.result();
}

class Soak {
  readonly #options: SoakOptions;
  readonly #seed: number;
  /** The seed's stream; swapped for a fork while a mid-run edit is drawn. */
  #random: Random;
  readonly #log: (line: string) => void;
  #rig: Rig | undefined;
  #settings: PayloadSettings | undefined;
  #step = 0;
  #phase: "setup" | "step" | "final" = "setup";
  #nextId = 1001;
  /** National numbers (10 digits) of every phone ever typed, and digit strings of bad phones. */
  readonly #phones = new Set<string>();
  readonly #emails = new Set<string>();
  readonly #editLog: EditRecord[] = [];
  readonly #fixes: PendingFix[] = [];
  readonly #duplicates: PendingDuplicate[] = [];
  /** Every violation key reported so far: one that persists or recurs is reported once. */
  readonly #reported = new Set<string>();
  /** Privacy findings already reported (a leak stays in KV or the logs). */
  readonly #leaks = new Set<string>();
  /** Every Worker's log lines, with how many were scanned. */
  readonly #logs: { logs: string[]; scanned: number }[] = [];
  readonly #violations: string[] = [];
  readonly #trace: string[] = [];
  readonly #started = performance.now();
  readonly #stats: SoakStats;
  #actions: string[] = [];
  /** Cell edits of the current step, and of the step before. */
  #stepEdits: EditRecord[] = [];
  #previousEdits: EditRecord[] = [];
  /**
   * Whether the last run ended without knowing what Calltouch holds (cut off, ⏳ rows, failed,
   * applied-then-failed armed): the next step then often takes an edit back, the interleaving
   * most likely to expose a lost update.
   */
  #uncertain = false;
  /**
   * How long a request of this step's run may still be on its way after the run ended (a slow
   * Calltouch or Google): the soak waits that long before going on, so a late request lands
   * before the next edits and run — the harness must not race the product.
   */
  #drainMs = 0;
  /** True while a run is being cut off: its request failing then is the point, not a bug. */
  #cutting = false;

  constructor(options: SoakOptions) {
    this.#options = options;
    this.#seed = options.seed;
    this.#random = new Random(options.seed);
    this.#log = options.log ?? (() => {});
    this.#stats = {
      seed: options.seed,
      steps: 0,
      syncs: 0,
      okRuns: 0,
      failedRuns: 0,
      quietRuns: 0,
      cutoffs: 0,
      midRunEdits: 0,
      checkedRuns: 0,
      edits: {},
      faults: {},
      violations: {},
      observations: 0,
      calltouchRequests: 0,
      durationMs: 0,
    };
  }

  get rig(): Rig {
    if (!this.#rig) throw new Error("the rig is not started");
    return this.#rig;
  }

  // -- lifecycle ----------------------------------------------------------------------------------

  async start(): Promise<void> {
    const rows: CellValue[][] = [SOAK_HEADER];
    const count = this.#random.int(10, 25);
    for (let i = 0; i < count; i++) {
      const row = this.#newDealRow();
      // A few mistakes from the start, fixed later like any other.
      if (this.#random.chance(0.1)) {
        const field = this.#random.pick(["date", "sum", "phone"] as const);
        const id = readOrderNumber(row[COL.id]);
        this.#fixes.push({ id, field, good: row[COL[field]] });
        row[COL[field]] = this.#badValue(field, row[COL[field]]);
      }
      rows.push(row);
    }
    this.#rig = await startRig({
      rows,
      settings: { SYNC_TIME_BUDGET_SECONDS: SOAK_TIME_BUDGET_SECONDS },
    });
    if (this.#options.calltouch) this.#rig.calltouch.set(this.#options.calltouch);
    // The expected payloads: no hash is compared, any key does.
    this.#settings = { ...loadConfig(this.#rig.settings).calltouch, hashKey: TEST_KEY };
    this.#watchLogs(this.#rig.worker);
  }

  async stop(): Promise<void> {
    this.#stats.durationMs = Math.round(performance.now() - this.#started);
    if (this.#rig) {
      this.#stats.calltouchRequests = this.#rig.calltouch.requests.length;
      await this.#rig.close();
      this.#rig = undefined;
    }
  }

  result(): SoakResult {
    return { violations: [...this.#violations], stats: { ...this.#stats }, trace: this.#trace };
  }

  async run(): Promise<void> {
    this.#phase = "step";
    for (this.#step = 1; this.#step <= this.#options.runs; this.#step++) {
      await this.#oneStep();
      this.#stats.steps = this.#step;
      if (this.#step % 25 === 0) {
        const s = this.#stats;
        this.#log(
          `soak seed ${this.#seed}: step ${this.#step}/${this.#options.runs}, ` +
            `${s.okRuns} ok / ${s.failedRuns} failed / ${s.cutoffs} cut off, ` +
            `${this.#violations.length} violations, ${
              Math.round((performance.now() - this.#started) / 1000)
            } s`,
        );
      }
    }
    await this.#converge();
  }

  // -- one step -----------------------------------------------------------------------------------

  async #oneStep(): Promise<void> {
    const started = performance.now();
    this.#actions = [];
    this.#previousEdits = this.#stepEdits;
    this.#stepEdits = [];
    // Drawn whether used or not: whether the last run was uncertain can depend on timing, and
    // the seed's stream of edits and faults must not.
    const takeBack = this.#random.chance(0.4);
    const which = this.#random.next();
    if (this.#uncertain && this.#previousEdits.length > 0 && takeBack) {
      const edit = this.#previousEdits[Math.floor(which * this.#previousEdits.length)];
      const done = this.#undoEdit(edit, "takes back");
      if (done) this.#actions.push(done);
    }
    const edits = this.#random.int(0, 3);
    for (let i = 0; i < edits; i++) {
      const done = this.#edit();
      if (done) this.#actions.push(done);
    }
    const faults = this.#options.faults === false
      ? "zero"
      : this.#random.weighted({ zero: 45, one: 40, two: 15 });
    let cutoff = false;
    let uncertain = false;
    const armed = new Set<string>();
    for (let i = 0; i < { zero: 0, one: 1, two: 2 }[faults]; i++) {
      // Two faults of one kind would replace each other in the emulators: arm distinct kinds.
      const fault = await this.#arm(armed);
      armed.add(fault);
      if (fault === "cutoff") cutoff = true;
      if (["applyThenFail", "cutoff", "calltouchSlow"].includes(fault)) uncertain = true;
    }
    const midRun = !cutoff && this.#random.chance(0.06) ? this.#armMidRunEdit() : undefined;
    const trigger = this.#random.weighted({ http: 60, cron: 35, both: 5 });
    const outcome = cutoff ? await this.#cutOffRun(trigger) : await this.#sync(trigger);
    if (midRun?.fired) {
      this.#stats.midRunEdits++;
      this.#actions.push(`mid-run edit: ${midRun.what}`);
      outcome.checkable = false;
    }
    this.#disarm();
    if (this.#drainMs > 0) {
      await sleep(this.#drainMs + 300);
      this.#drainMs = 0;
    }
    this.#uncertain = uncertain || !outcome.ok ||
      outcome.bodies.some((body) => (body?.counts?.retrying ?? 0) > 0);
    await this.#options.afterRun?.(this.rig, this.#step);
    await this.#checkAlways(outcome.bodies);
    if (outcome.checkable) {
      this.#stats.checkedRuns++;
      this.#checkSheet(false);
    }
    if (this.#options.trace) {
      const ms = Math.round(performance.now() - started);
      this.#traceLine(
        `step ${this.#step}: ${this.#actions.join("; ") || "-"} → ${outcome.summary} [${ms} ms]`,
      );
    }
  }

  /** Every fault armed for a step is dropped after its run: a step's faults are its own. */
  #disarm(): void {
    const { calltouch, google } = this.rig;
    calltouch.failNext(0);
    calltouch.applyThenFail(0);
    calltouch.delayMs = 0;
    google.clearFaults();
  }

  // -- syncs --------------------------------------------------------------------------------------

  async #sync(trigger: "http" | "cron" | "both"): Promise<RunOutcome> {
    this.#stats.syncs += trigger === "both" ? 2 : 1;
    const before = this.rig.calltouch.requests.length;
    const results = await Promise.all(
      trigger === "http"
        ? [this.#http()]
        : trigger === "cron"
        ? [this.#cron()]
        : [this.#cron(), this.#http()],
    );
    const ok = results.every((r) => r.ok);
    if (ok) this.#stats.okRuns++;
    else this.#stats.failedRuns++;
    const bodies = results.flatMap((r) => r.body === undefined ? [] : [r.body]);
    if (bodies.some((b) => b?.quiet === true)) this.#stats.quietRuns++;
    const sent = this.rig.calltouch.requests.length - before;
    return {
      ok,
      // The sheet is checked only after a run that ended ok: then its status write landed (a
      // failed write fails the run), and it read the sheet as it is now (nobody edits while
      // it works unless a mid-run edit is armed, which clears this flag).
      checkable: ok,
      summary: `${trigger} ${
        results.map((r) => r.summary).join(" + ")
      }, ${sent} Calltouch requests`,
      bodies,
    };
  }

  async #http(): Promise<TriggerResult> {
    let response: Response;
    try {
      response = await this.rig.worker.fetch("/sync", {
        method: "POST",
        headers: { authorization: `Bearer ${this.rig.settings.SYNC_TOKEN}` },
      });
    } catch (error) {
      if (!this.#cutting) this.#violation("sync crashed", `POST /sync threw ${errorText(error)}`);
      return { ok: false, summary: "threw" };
    }
    const text = await response.text();
    // deno-lint-ignore no-explicit-any
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      if (this.#cutting) return { ok: false, summary: `${response.status} (cut off)` };
      this.#violation(
        "sync crashed",
        `POST /sync answered ${response.status} with a body that is not JSON: ${
          text.slice(0, 160)
        }`,
      );
      this.#scanText(`the /sync answer`, text);
      return { ok: false, summary: `${response.status} (not JSON)` };
    }
    const c = body?.counts ?? {};
    const summary = body?.ok === true
      ? `ok${body.quiet ? " quiet" : ""} (created ${c.created}, updated ${c.updated}, ` +
        `retrying ${c.retrying}, invalid ${c.invalid})`
      : `failed ${response.status} (${body?.error?.kind ?? "?"})`;
    return { ok: response.status === 200 && body?.ok === true, summary, body };
  }

  async #cron(): Promise<TriggerResult> {
    try {
      const { outcome } = await this.rig.worker.scheduled();
      return { ok: outcome === "ok", summary: `cron ${outcome}` };
    } catch (error) {
      if (this.#cutting) return { ok: false, summary: "cron cut off" };
      this.#violation("sync crashed", `the scheduled handler threw ${errorText(error)}`);
      return { ok: false, summary: "cron threw" };
    }
  }

  /**
   * A run cut off mid-request (a deploy, an isolate evicted): Calltouch answers slowly, and the
   * Worker is restarted while the run waits for it. The request still lands in Calltouch after
   * the Worker is gone — applied, never acknowledged. The soak waits for it to land before going
   * on: a request arriving during a later run would be the harness racing the product, not a
   * product bug.
   */
  async #cutOffRun(trigger: "http" | "cron" | "both"): Promise<RunOutcome> {
    const rig = this.rig;
    this.#stats.syncs++;
    this.#stats.cutoffs++;
    rig.calltouch.delayMs = CUTOFF_DELAY_MS;
    this.#cutting = true;
    const pause = this.#random.int(100, 600);
    const readsBefore = rig.google.counters().valuesRead;
    let settled = false;
    const running = (trigger === "cron" ? this.#cron() : this.#http()).then((r) => {
      settled = true;
      return r;
    }, (): TriggerResult => {
      settled = true;
      return { ok: false, summary: "cut off" };
    });
    // Wait until the run has read the tab (then it talks to Calltouch), plus a little.
    const waitUntil = Date.now() + CUTOFF_WAIT_MS;
    while (!settled && Date.now() < waitUntil && rig.google.counters().valuesRead === readsBefore) {
      await sleep(20);
    }
    if (!settled) await sleep(pause);
    const finishedFirst = settled;
    this.#scanLogs();
    const restartedAt = Date.now();
    const answeredBefore = rig.calltouch.requests.length;
    await rig.restart();
    this.#watchLogs(rig.worker);
    rig.calltouch.delayMs = 0;
    const result = await running;
    this.#cutting = false;
    // Let the request that was in flight (a run has one at a time) land: it is recorded when
    // answered, at most CUTOFF_DELAY_MS after the restart.
    const drainUntil = restartedAt + CUTOFF_DELAY_MS + 1_000;
    while (Date.now() < drainUntil && rig.calltouch.requests.length === answeredBefore) {
      await sleep(25);
    }
    await sleep(100);
    const summary = finishedFirst
      ? `finished before the cut (${result.summary}), Worker restarted`
      : "cut off by a Worker restart";
    if (finishedFirst) {
      if (result.ok) this.#stats.okRuns++;
      else this.#stats.failedRuns++;
    } else this.#stats.failedRuns++;
    const body = result.body;
    return {
      ok: finishedFirst && result.ok,
      // A run that finished before the restart is checked like any other; a cut one is not:
      // it never wrote its statuses.
      checkable: finishedFirst && result.ok,
      summary,
      bodies: body === undefined ? [] : [body],
    };
  }

  // -- faults -------------------------------------------------------------------------------------

  async #arm(armed: ReadonlySet<string>): Promise<string> {
    const rig = this.rig;
    const weights = {
      calltouchFail: 5,
      applyThenFail: 5,
      googleFail: 4,
      lostKv: 2,
      cutoff: 2,
      calltouchSlow: 1,
      googleSlow: 1,
    };
    for (const kind of armed) weights[kind as keyof typeof weights] = 0;
    // Both set Calltouch's delay: one at a time.
    if (armed.has("cutoff")) weights.calltouchSlow = 0;
    if (armed.has("calltouchSlow")) weights.cutoff = 0;
    const kind = this.#random.weighted(weights);
    this.#stats.faults[kind] = (this.#stats.faults[kind] ?? 0) + 1;
    switch (kind) {
      case "calltouchFail": {
        const count = this.#random.int(1, 5);
        const status = this.#random.pick([503, 502, 500, 429]);
        rig.calltouch.failNext(count, status);
        this.#actions.push(`calltouch.failNext(${count}, ${status})`);
        break;
      }
      case "applyThenFail": {
        // Once: the retry heals it. Four or more: every attempt of the run is applied and
        // unacknowledged, so the run ends without knowing (⏳).
        const count = {
          once: () => 1,
          few: () => this.#random.int(2, 3),
          all: () => this.#random.int(4, 6),
        }[
          this.#random.weighted({ once: 50, few: 15, all: 35 })
        ]();
        const status = this.#random.pick([502, 503]);
        rig.calltouch.applyThenFail(count, status);
        this.#actions.push(`calltouch.applyThenFail(${count}, ${status})`);
        break;
      }
      case "googleFail": {
        const target = this.#random.pick<GoogleRequestKind>([
          "metadata",
          "valuesRead",
          "valuesWrite",
          "token",
        ]);
        const count = this.#random.int(1, 2);
        // A write refused outright (someone protected the column) fails the run's write-back.
        const status = target === "valuesWrite" && this.#random.chance(0.2)
          ? 403
          : this.#random.pick([500, 503, 429]);
        rig.google.failNext(count, { status, kind: target });
        this.#actions.push(`google.failNext(${count}, ${status} ${target})`);
        break;
      }
      case "lostKv": {
        const { keys } = await rig.worker.kv.list({});
        for (const { name } of keys) await rig.worker.kv.delete(name);
        this.#actions.push(`KV lost (${keys.length} keys)`);
        break;
      }
      case "cutoff":
        this.#actions.push("run cut off mid-request");
        break;
      case "calltouchSlow": {
        // Slower than the run's budget at times: requests the run gave up on still land.
        const ms = this.#random.int(1_000, 7_000);
        rig.calltouch.delayMs = ms;
        this.#drainMs = Math.max(this.#drainMs, ms);
        this.#actions.push(`Calltouch slow (${ms} ms)`);
        break;
      }
      case "googleSlow": {
        const target = this.#random.pick<GoogleRequestKind>([
          "metadata",
          "valuesRead",
          "valuesWrite",
        ]);
        const ms = this.#random.int(1_000, 7_000);
        rig.google.delayNext(1, ms, target);
        this.#drainMs = Math.max(this.#drainMs, ms);
        this.#actions.push(`Google slow (${ms} ms ${target})`);
        break;
      }
    }
    return kind;
  }

  /**
   * Arms an edit made while the run works: between its read of the tab and its re-read of the
   * ID column (the second values read), as people do. Such a run is not checked (the sheet it
   * read is no longer the sheet); the next run's check covers it.
   */
  #armMidRunEdit(): { fired: boolean; what: string } {
    const state = { fired: false, what: "" };
    // Whether the hook fires depends on the run (a quiet run reads once): its draws come from a
    // fork, so the seed's own stream stays the same either way.
    const fork = new Random(this.#random.int(0, 0x7fff_ffff));
    this.rig.google.beforeNext("valuesRead", (google) => {
      google.beforeNext("valuesRead", () => {
        state.fired = true;
        const own = this.#random;
        this.#random = fork;
        try {
          state.what = this.#edit() ?? "nothing";
        } finally {
          this.#random = own;
        }
      });
    });
    return state;
  }

  // -- edits --------------------------------------------------------------------------------------

  /** One random edit of the sheet; returns what was done, or undefined when none applied. */
  #edit(): string | undefined {
    const rows = this.#dataRows();
    const kind = this.#random.weighted({
      newDeal: rows.length < MAX_ROWS ? 9 : 0,
      insertDeal: rows.length < MAX_ROWS ? 5 : 0,
      status: 14,
      sum: 9,
      tags: 7,
      phone: 7,
      email: 4,
      date: 5,
      retype: 4,
      undo: this.#editLog.length > 0 ? 14 : 0,
      invalid: 7,
      fix: this.#fixes.length > 0 ? 9 : 0,
      deleteRow: rows.length > MIN_ROWS ? 4 : 0,
      sort: 4,
      duplicateId: 3,
      fixDuplicate: this.#duplicates.length > 0 ? 6 : 0,
      statusCell: 3,
    });
    const done = this.#applyEdit(kind, rows);
    if (done) this.#stats.edits[kind] = (this.#stats.edits[kind] ?? 0) + 1;
    return done;
  }

  #applyEdit(kind: string, rows: number[]): string | undefined {
    const rig = this.rig;
    switch (kind) {
      case "newDeal": {
        const row = this.#cells().length + 1;
        const values = this.#newDealRow();
        rig.type(`A${row}:G${row}`, [values]);
        return `new deal ${readOrderNumber(values[COL.id])} at row ${row}`;
      }
      case "insertDeal": {
        const row = this.#random.int(2, Math.max(2, this.#cells().length));
        rig.google.insertRows(SPREADSHEET_ID, TAB, row, 1);
        const values = this.#newDealRow();
        rig.type(`A${row}:G${row}`, [values]);
        return `row inserted at ${row} with new deal ${readOrderNumber(values[COL.id])}`;
      }
      case "status":
        return this.#setField(rows, "status", (old) => this.#pickOther(STATUSES, old));
      case "sum":
        return this.#setField(rows, "sum", () => this.#sum());
      case "tags":
        return this.#setField(rows, "tags", () => this.#tags());
      case "phone":
        return this.#setField(rows, "phone", () => this.#phoneCell());
      case "email":
        return this.#setField(rows, "email", () => this.#random.chance(0.3) ? "" : this.#email());
      case "date":
        return this.#setField(rows, "date", () => this.#date());
      case "retype":
        return this.#retype(rows);
      case "undo":
        return this.#undo();
      case "invalid": {
        const field = this.#random.pick(["date", "sum", "phone"] as const);
        const row = this.#uniqueRow(rows);
        if (row === undefined) return undefined;
        const cells = this.#cells();
        const id = readOrderNumber(cells[row - 1][COL.id]);
        const good = cells[row - 1][COL[field]] ?? "";
        if (this.#fixes.some((f) => f.id === id && f.field === field)) return undefined;
        this.#fixes.push({ id, field, good });
        return this.#write(row, field, this.#badValue(field, good), `mistake in ${field}`);
      }
      case "fix": {
        const fix = this.#fixes.splice(this.#random.int(0, this.#fixes.length - 1), 1)[0];
        const row = this.#rowOf(fix.id);
        if (row === undefined) return undefined;
        return this.#write(row, fix.field, fix.good, `fix of ${fix.field}`);
      }
      case "deleteRow": {
        const row = this.#random.pick(rows);
        const id = readOrderNumber(this.#cells()[row - 1][COL.id]);
        rig.google.deleteRows(SPREADSHEET_ID, TAB, row, 1);
        return `row ${row} (${id}) deleted`;
      }
      case "sort": {
        const column = this.#random.int(1, SOAK_HEADER.length);
        const descending = this.#random.chance(0.5);
        rig.google.sortRows(SPREADSHEET_ID, TAB, { column, descending });
        return `sorted by ${SOAK_HEADER[column - 1]}${descending ? " desc" : ""}`;
      }
      case "duplicateId": {
        if (rows.length < 2) return undefined;
        const [from, to] = this.#random.shuffle(rows).slice(0, 2);
        const cells = this.#cells();
        const id = readOrderNumber(cells[from - 1][COL.id]);
        const original = readOrderNumber(cells[to - 1][COL.id]);
        if (!id || !original || id === original) return undefined;
        this.#duplicates.push({ id, original });
        // Typed as a person would: sometimes the same ID as a number, sometimes as text.
        const typed = /^\d+$/.test(id) && this.#random.chance(0.5) ? Number(id) : id;
        rig.type(`A${to}`, [[typed]]);
        return `ID ${id} typed over ${original} (row ${to})`;
      }
      case "statusCell": {
        // Someone clears a status cell or types in it (even a ✅ of their own): the next run
        // that ends ok must put the right status back.
        const column = this.#cells()[0].indexOf("Calltouch");
        if (column < 0 || rows.length === 0) return undefined;
        const row = this.#random.pick(rows);
        const text = this.#random.pick(["", "✅ готово", "проверить", "❌ позвонить"]);
        rig.type(`${columnLetter(column)}${row}`, [[text]]);
        return `status cell of row ${row} set to «${text}»`;
      }
      case "fixDuplicate": {
        const dup = this.#duplicates.splice(this.#random.int(0, this.#duplicates.length - 1), 1)[0];
        const carriers = this.#rowsWithId(dup.id);
        if (carriers.length < 2) return undefined;
        const row = this.#random.pick(carriers);
        // The original ID back, unless it is in use again (then a fresh one).
        const id = this.#rowsWithId(dup.original).length === 0 ? dup.original : this.#freshId();
        rig.type(`A${row}`, [[id]]);
        return `duplicate ${dup.id} fixed: row ${row} is ${id}`;
      }
    }
    return undefined;
  }

  /** Sets `field` of a random row with a unique ID, remembering the edit for undo. */
  #setField(
    rows: number[],
    field: Field,
    value: (old: CellValue) => CellValue,
  ): string | undefined {
    const row = this.#uniqueRow(rows);
    if (row === undefined) return undefined;
    const old = this.#cells()[row - 1][COL[field]] ?? "";
    return this.#write(row, field, value(old), `${FIELD_NAMES[field]} changed`);
  }

  /** The same value typed differently (no change in what is sent). */
  #retype(rows: number[]): string | undefined {
    const row = this.#uniqueRow(rows);
    if (row === undefined) return undefined;
    const cells = this.#cells()[row - 1];
    const field = this.#random.pick(["sum", "phone"] as const);
    const old = cells[COL[field]];
    let typed: CellValue | undefined;
    if (field === "sum" && typeof old === "number") {
      typed = this.#random.chance(0.5) ? `${formatThousands(old)} ₽` : String(old);
    } else if (field === "sum" && typeof old === "string" && /^\d+$/.test(old)) typed = Number(old);
    else if (field === "phone" && old !== undefined && old !== "") {
      const national = String(old).replace(/\D/g, "").slice(-10);
      if (national.length === 10 && this.#phones.has(national) && !/[,;]/.test(String(old))) {
        typed = this.#formatPhone(national);
      }
    }
    if (typed === undefined || typed === old) return undefined;
    return this.#write(row, field, typed, `${FIELD_NAMES[field]} retyped`);
  }

  /** Reverts a recent edit of a row to the value it had before (recent ones are likelier). */
  #undo(): string | undefined {
    const log = this.#editLog;
    const index = this.#random.chance(0.7)
      ? log.length - 1 - this.#random.int(0, Math.min(2, log.length - 1))
      : this.#random.int(0, log.length - 1);
    return this.#undoEdit(log[index], "undo of");
  }

  #undoEdit(edit: EditRecord, what: string): string | undefined {
    const row = this.#rowOf(edit.id);
    if (row === undefined) return undefined;
    if (what !== "undo of") this.#stats.edits.takeBack = (this.#stats.edits.takeBack ?? 0) + 1;
    return this.#write(row, edit.field, edit.before, `${what} a ${FIELD_NAMES[edit.field]} edit`);
  }

  #write(row: number, field: Field, value: CellValue, what: string): string | undefined {
    const cells = this.#cells();
    const before = cells[row - 1]?.[COL[field]] ?? "";
    if (before === value) return undefined;
    const id = readOrderNumber(cells[row - 1]?.[COL.id] ?? "");
    this.rig.type(`${LETTERS[COL[field]]}${row}`, [[value]]);
    if (id) {
      const record = { id, field, before, after: value };
      this.#editLog.push(record);
      this.#stepEdits.push(record);
      if (this.#editLog.length > EDIT_LOG_SIZE) this.#editLog.shift();
    }
    // Statuses, sums, tags and dates are not personal: the trace may show them.
    const shown = field === "phone" || field === "email"
      ? ""
      : `: ${show(before)} → ${show(value)}`;
    return `${what} on ${id || `row ${row}`}${shown}`;
  }

  // -- the sheet ----------------------------------------------------------------------------------

  #cells(): CellValue[][] {
    return this.rig.cells();
  }

  /** 1-based rows holding any data (ID to tags). */
  #dataRows(): number[] {
    const rows: number[] = [];
    this.#cells().forEach((cells, i) => {
      if (i === 0) return;
      if (cells.slice(0, SOAK_HEADER.length).some((c) => c !== "" && c !== undefined)) {
        rows.push(i + 1);
      }
    });
    return rows;
  }

  #rowsWithId(id: string): number[] {
    const rows: number[] = [];
    this.#cells().forEach((cells, i) => {
      if (i > 0 && readOrderNumber(cells[COL.id] ?? "") === id) rows.push(i + 1);
    });
    return rows;
  }

  /** The row of `id` when exactly one row carries it. */
  #rowOf(id: string): number | undefined {
    const rows = this.#rowsWithId(id);
    return rows.length === 1 ? rows[0] : undefined;
  }

  /** A random data row whose ID no other row carries. */
  #uniqueRow(rows: number[]): number | undefined {
    const cells = this.#cells();
    const counts = new Map<string, number>();
    for (const row of rows) {
      const id = readOrderNumber(cells[row - 1][COL.id] ?? "");
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const unique = rows.filter((row) => {
      const id = readOrderNumber(cells[row - 1][COL.id] ?? "");
      return id !== "" && counts.get(id) === 1;
    });
    return unique.length > 0 ? this.#random.pick(unique) : undefined;
  }

  // -- generated values ---------------------------------------------------------------------------

  #freshId(): string {
    return String(this.#nextId++);
  }

  #newDealRow(): CellValue[] {
    const id = this.#freshId();
    return [
      this.#random.chance(0.3) ? Number(id) : id,
      this.#date(),
      this.#random.pick(STATUSES),
      this.#random.chance(0.15) ? "" : this.#sum(),
      this.#random.chance(0.1) ? "" : this.#phoneCell(),
      this.#random.chance(0.35) ? this.#email() : "",
      this.#tags(),
    ];
  }

  #pickOther(list: readonly string[], old: CellValue): string {
    const others = list.filter((item) => item !== old);
    return this.#random.pick(others.length > 0 ? others : list);
  }

  #date(): CellValue {
    const r = this.#random;
    const [year, month, day] = [2026, r.int(1, 11), r.int(1, 28)];
    const [hour, minute] = [r.int(8, 20), r.pick([0, 15, 30, 45])];
    const p = (n: number) => String(n).padStart(2, "0");
    switch (r.weighted({ dotted: 6, iso: 2, dateOnly: 1, serial: 2 })) {
      case "dotted":
        return `${p(day)}.${p(month)}.${year} ${p(hour)}:${p(minute)}`;
      case "iso":
        return `${year}-${p(month)}-${p(day)} ${p(hour)}:${p(minute)}`;
      case "dateOnly":
        return `${p(day)}.${p(month)}.${year}`;
      default: {
        const days = (Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000;
        return days + (hour * 60 + minute) / 1440;
      }
    }
  }

  #sum(): CellValue {
    const r = this.#random;
    const amount = r.int(10, 400) * 50;
    switch (r.weighted({ number: 5, plain: 1, spaced: 2, rubles: 1, kopecks: 1 })) {
      case "number":
        return amount;
      case "plain":
        return String(amount);
      case "spaced":
        return formatThousands(amount);
      case "rubles":
        return `${amount} ${r.pick(["₽", "руб."])}`;
      default:
        return `${formatThousands(amount)},${r.pick(["50", "25", "99"])}`;
    }
  }

  #tags(): string {
    const count = this.#random.weighted({ none: 3, one: 4, two: 3, three: 1 });
    const n = { none: 0, one: 1, two: 2, three: 3 }[count];
    return this.#random.shuffle(TAGS).slice(0, n).join(this.#random.pick([", ", "; ", ","]));
  }

  /** A new phone (a Russian mobile number nobody else has), as a person types it. */
  #phone(): string {
    for (let i = 0; i < 100; i++) {
      const national = "9" + this.#random.digits(9);
      if (!this.#phones.has(national)) {
        this.#phones.add(national);
        return national;
      }
    }
    throw new Error("could not draw a fresh phone number");
  }

  #formatPhone(national: string): string {
    const [a, b, c, d] = [
      national.slice(0, 3),
      national.slice(3, 6),
      national.slice(6, 8),
      national.slice(8),
    ];
    switch (this.#random.int(0, 4)) {
      case 0:
        return `+7 ${a} ${b}-${c}-${d}`;
      case 1:
        return `8 (${a}) ${b}-${c}-${d}`;
      case 2:
        return `7${national}`;
      case 3:
        return national;
      default:
        return `+7 ${a} ${b} ${c} ${d}`;
    }
  }

  #phoneCell(): CellValue {
    if (this.#random.chance(0.1)) {
      return `${this.#formatPhone(this.#phone())}, ${this.#formatPhone(this.#phone())}`;
    }
    const national = this.#phone();
    // Sometimes a number cell, as Sheets stores 79157771122 typed without punctuation.
    return this.#random.chance(0.1) ? Number(`7${national}`) : this.#formatPhone(national);
  }

  #email(): string {
    const address = `${this.#random.pick(NAMES)}${this.#random.int(10, 999)}@${
      this.#random.pick(DOMAINS)
    }`;
    this.#emails.add(address.toLowerCase());
    return this.#random.chance(0.2) ? address.toUpperCase() : address;
  }

  /** A value the parser must refuse, for `field`. */
  #badValue(field: "date" | "sum" | "phone", good: CellValue): CellValue {
    const r = this.#random;
    switch (field) {
      case "date":
        return r.pick(["31.02.2026 10:00", "завтра", "2026-13-01", "30.11.26 25:00"]);
      case "sum":
        return r.pick(["abc", "-500", "1 000,555", "около 2000"]);
      case "phone": {
        const digits = String(good).replace(/\D/g, "");
        if (digits.length >= 10 && r.chance(0.6)) {
          // A digit short: personal data still, and it must not leak either.
          const short = digits.slice(-10, -1);
          this.#phones.add(short);
          return `+7 ${short.slice(0, 3)} ${short.slice(3, 6)}-${short.slice(6)}`;
        }
        return r.pick(["12345", "нет телефона", "+1 212 555"]);
      }
    }
  }

  // -- checks -------------------------------------------------------------------------------------

  /**
   * Checks valid after every run, however it ended:
   * (1) no deal was created twice: every path (retries after applied-then-failed, lost KV, cut
   *     runs, cron and manual at once) must heal through create → "exists" → update;
   * (3) no phone or e-mail in the Worker's logs, the /sync answers, KV or (every few steps) the
   *     status page.
   */
  async #checkAlways(bodies: unknown[]): Promise<void> {
    for (const deal of this.rig.calltouch.deals.values()) {
      if (deal.createCount > 1) {
        const key = `created twice:${deal.orderNumber}:${deal.createCount}`;
        if (!this.#leaks.has(key)) {
          this.#leaks.add(key);
          this.#violation(
            "created twice",
            `deal ${deal.orderNumber} was created ${deal.createCount} times in Calltouch`,
          );
        }
      }
    }
    this.#scanLogs();
    for (const body of bodies) this.#scanText("a /sync answer", JSON.stringify(body));
    for (const [key, value] of await this.rig.kvDump()) this.#scanText(`KV ${key}`, key + value);
    if (this.#phase === "final" || this.#step % STATUS_PAGE_EVERY === 0) {
      await this.#scanStatusPage();
    }
  }

  /** The status page lists rows that need attention: masked, like everything else. */
  async #scanStatusPage(): Promise<void> {
    const token = this.rig.settings.SYNC_TOKEN;
    try {
      const response = await this.rig.worker.fetch("/", {
        headers: { authorization: `Basic ${btoa(`clinic:${token}`)}` },
      });
      this.#scanText("the status page", await response.text());
    } catch (error) {
      this.#violation("status page crashed", `GET / threw ${errorText(error)}`);
    }
  }

  /**
   * (2) The sheet against Calltouch, after a run that ended ok with nobody editing mid-run.
   *
   * Why these checks may assume what they assume:
   * - The run ended ok, so it read the tab, and its status write landed: a refused or timed-out
   *   write fails the run. Nobody edited the sheet after its read (mid-run edits make the run
   *   unchecked), so the statuses on the sheet are the ones that run decided for the rows it
   *   read, wherever sorts and inserts between runs moved them.
   * - Calltouch changes only through the sync: requests that outlive their run (a cut-off
   *   Worker, a slow Calltouch) are waited for before the next edits, so no stale request can
   *   land after a newer one because of the harness.
   * - `✅` is the sync's claim that Calltouch holds the row as it is now (README, «Что значат
   *   ✅ ❌ ⏳»: «Calltouch принял сделку», and unchanged deals keep it). So a `✅` row must be a
   *   valid deal whose current data Calltouch holds: if Calltouch holds other data it is a lost
   *   update; if the row is invalid, or Calltouch has no such deal, the `✅` belongs to no
   *   accepted deal ("foreign status"). Failed or cut runs before this one do not excuse it:
   *   the run that wrote or kept the `✅` read the sheet as it is now.
   * - A row the parser refuses must show `❌`: the run wrote a problem for every invalid row it
   *   read, and nothing can block that write in an ok run. A valid row must show some status:
   *   `✅`, or `⏳` (Calltouch did not answer, out of time, in doubt); `❌` only if Calltouch
   *   refused it, which nothing in the soak makes it do.
   * - Not checked: the wording and times of the texts, and optional fields the sheet leaves
   *   empty (updates never clear them).
   *
   * `final` (4): the faults stopped and the sync settled, so nothing may still be `⏳`: every
   * valid deal must show `✅` and Calltouch must hold its data.
   */
  #checkSheet(final: boolean): void {
    const rig = this.rig;
    const expected = expectSheet(this.#cells(), this.#settings!);
    // A violation that persists from run to run (or comes back the same) is reported once;
    // the final check reports everything it finds.
    const report = (kind: string, key: string, detail: string) => {
      const full = `${kind}:${key}`;
      this.#stats.observations++;
      if (final || !this.#reported.has(full)) this.#violation(kind, detail);
      this.#reported.add(full);
    };
    if (!expected.ok) {
      report("header", "", "the header can no longer be read");
      return;
    }
    const byRow = new Map<number, DealExpectation>();
    for (const deal of expected.deals.values()) byRow.set(deal.row, deal);

    for (const [row, text] of expected.statusTexts) {
      if (statusKind(text) !== "accepted") continue;
      const deal = byRow.get(row);
      if (!deal) {
        const id = expected.invalidIds.get(row);
        const why = expected.invalidRows.has(row)
          ? `an invalid row (${expected.invalidRows.get(row)!.join(", ")})`
          : "a row without a deal";
        report(
          "foreign status",
          `row:${row}`,
          `row ${row}${id ? ` (${id})` : ""} shows «${short(text)}» but is ${why}`,
        );
        continue;
      }
      const stored = rig.calltouch.deals.get(deal.orderNumber);
      const difference = compareDeal(stored, deal);
      if (difference === undefined) continue;
      if (!stored) {
        report(
          "foreign status",
          deal.orderNumber,
          `row ${row} (${deal.orderNumber}) shows «${short(text)}» but Calltouch has no such deal`,
        );
      } else {
        report(
          "lost update",
          `${deal.orderNumber}:${difference}`,
          `row ${row} (${deal.orderNumber}) shows «${
            short(text)
          }» but Calltouch holds other data: ${difference}`,
        );
      }
    }
    for (const [row, codes] of expected.invalidRows) {
      const text = expected.statusTexts.get(row);
      if (statusKind(text) === "problem") continue;
      const id = expected.invalidIds.get(row);
      report(
        "invalid row not marked",
        `row:${row}:${id ?? ""}`,
        `row ${row}${id ? ` (${id})` : ""} is invalid (${codes.join(", ")}) but shows ${
          text ? `«${short(text)}»` : "no status"
        }`,
      );
    }
    for (const deal of expected.deals.values()) {
      const text = expected.statusTexts.get(deal.row);
      const kind = statusKind(text);
      if (kind === "none" || kind === "other") {
        report(
          "valid row without status",
          deal.orderNumber,
          `row ${deal.row} (${deal.orderNumber}) is a valid deal but shows ${
            text ? `«${short(text)}»` : "no status"
          }`,
        );
      } else if (kind === "problem") {
        report(
          "valid row refused",
          deal.orderNumber,
          `row ${deal.row} (${deal.orderNumber}) is a valid deal but shows «${short(text!)}»`,
        );
      } else if (final && kind === "pending") {
        report(
          "not converged",
          deal.orderNumber,
          `row ${deal.row} (${deal.orderNumber}) still shows «${
            short(text!)
          }» after the faults stopped`,
        );
      }
      if (final && kind !== "accepted") {
        const difference = compareDeal(rig.calltouch.deals.get(deal.orderNumber), deal);
        if (difference !== undefined) {
          report(
            "not converged",
            `data:${deal.orderNumber}`,
            `Calltouch does not hold the data of row ${deal.row} (${deal.orderNumber}): ${difference}`,
          );
        }
      }
    }
  }

  /**
   * (4) The faults stop: syncs run until one sends nothing (at most three), then every valid
   * deal must show `✅` with its data in Calltouch, no deal created twice, and one more sync
   * must not call Calltouch at all.
   */
  async #converge(): Promise<void> {
    this.#phase = "final";
    this.#actions = ["faults cleared"];
    this.#disarm();
    const rig = this.rig;
    let settled = false;
    for (let i = 0; i < MAX_SETTLE_RUNS && !settled; i++) {
      const before = rig.calltouch.requests.length;
      const outcome = await this.#sync("http");
      await this.#checkAlways(outcome.bodies);
      const body = outcome.bodies[0];
      settled = outcome.ok && body?.counts?.created === 0 && body?.counts?.updated === 0 &&
        rig.calltouch.requests.length === before;
      this.#traceLine(`final sync ${i + 1}: ${outcome.summary}`);
    }
    if (!settled) {
      this.#violation(
        "not converged",
        `${MAX_SETTLE_RUNS} syncs without faults still created or updated deals (or failed)`,
      );
    }
    this.#checkSheet(true);
    const last = await this.#sync("http");
    await this.#checkAlways(last.bodies);
    const requests = last.bodies[0]?.requests?.calltouch;
    if (!last.ok || requests !== 0) {
      this.#violation(
        "not converged",
        `one more sync after settling made ${requests ?? "?"} Calltouch requests (${last.summary})`,
      );
    }
    this.#traceLine(`final check sync: ${last.summary}`);
  }

  // -- privacy ------------------------------------------------------------------------------------

  #watchLogs(worker: TestWorker): void {
    if (!this.#logs.some((entry) => entry.logs === worker.logs)) {
      this.#logs.push({ logs: worker.logs, scanned: 0 });
    }
  }

  #scanLogs(): void {
    this.#watchLogs(this.rig.worker);
    for (const entry of this.#logs) {
      if (entry.scanned >= entry.logs.length) continue;
      const text = entry.logs.slice(entry.scanned).join("");
      entry.scanned = entry.logs.length;
      this.#scanText("the Worker's logs", text);
    }
  }

  /** Reports every phone or e-mail of the soak found in `text` (once per place and contact). */
  #scanText(where: string, text: string): void {
    for (const found of findContacts(text, this.#phones, this.#emails)) {
      const place = where.startsWith("KV ") ? "KV" : where;
      const key = `leak:${place}:${found}`;
      if (this.#leaks.has(key)) continue;
      this.#leaks.add(key);
      this.#violation("personal data leaked", `${found} appears in ${where}`);
    }
  }

  // -- reporting ----------------------------------------------------------------------------------

  /** Records (and, with `trace`, logs) what a step did. Never holds a phone or an e-mail. */
  #traceLine(line: string): void {
    if (!this.#options.trace) return;
    this.#trace.push(line);
    this.#log(`  ${line}`);
  }

  #violation(kind: string, detail: string): void {
    const at = this.#phase === "final" ? "final" : this.#phase === "setup" ? "setup" : this.#step;
    // What this step did; the cause may lie in earlier steps (replay the seed with --trace).
    const actions = this.#actions.length > 0
      ? ` [step: ${this.#actions.join("; ")}]`
      : this.#phase === "step"
      ? " [step: no edit, no fault]"
      : "";
    const message = redact(
      `seed ${this.#seed} step ${at}: ${kind}: ${detail}${actions}`,
      this.#phones,
      this.#emails,
    );
    this.#violations.push(message);
    this.#stats.violations[kind] = (this.#stats.violations[kind] ?? 0) + 1;
    this.#log(message);
  }
}

// -- helpers ----------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    letters = String.fromCharCode(65 + (n - 1) % 26) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

function formatThousands(amount: number): string {
  return String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

function show(value: CellValue): string {
  return typeof value === "string" ? `«${value}»` : String(value);
}

function short(text: string): string {
  return text.length > 90 ? text.slice(0, 89) + "…" : text;
}

/** Digits joined across the punctuation people type inside a phone number. */
function joinPhoneDigits(text: string): string {
  return text.replace(/(?<=\d)[\s\-().+\u00a0]+(?=\d)/g, "");
}

/**
 * The soak's contacts that occur in `text`, masked: a phone as its national digits (with or
 * without a leading 7/8, in any common format, not inside a longer number, so hashes and
 * timestamps do not match by chance); an e-mail as the whole address, any case. Masked forms
 * (`7915***1122`, `i***@mail.ru`) do not match.
 */
export function findContacts(
  text: string,
  phones: ReadonlySet<string>,
  emails: ReadonlySet<string>,
): string[] {
  const found: string[] = [];
  if (phones.size > 0) {
    const digits = joinPhoneDigits(text);
    for (const national of phones) {
      if (!digits.includes(national)) continue;
      const pattern = new RegExp(`(?<!\\d)[78]?${national}(?!\\d)`);
      if (pattern.test(digits)) found.push(`phone ${maskPhone(national)}`);
    }
  }
  if (emails.size > 0) {
    const lower = text.toLowerCase();
    for (const email of emails) if (lower.includes(email)) found.push(`e-mail ${maskEmail(email)}`);
  }
  return found;
}

/** Masks every soak contact in a message (a last guard: violations never show one). */
export function redact(
  message: string,
  phones: ReadonlySet<string>,
  emails: ReadonlySet<string>,
): string {
  let text = message;
  for (const email of emails) {
    text = text.replace(new RegExp(escapeRegExp(email), "gi"), maskEmail(email));
  }
  for (const national of phones) {
    if (!joinPhoneDigits(text).includes(national)) continue;
    // Any spelling of the number: digits with phone punctuation between them.
    const spelled = national.split("").join("[\\s\\-().+\\u00a0]*");
    text = text.replace(
      new RegExp(`(?:[78][\\s\\-().+\\u00a0]*)?${spelled}`, "g"),
      () => maskPhone(national),
    );
  }
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
