/**
 * One rate limit for every isolate of a deployment. Queue consumers run concurrently in isolates
 * of their own (often on other machines), and so do the HTTP runs beside them: an in-memory
 * limiter holds only within one isolate, while Calltouch counts every request from the
 * deployment's IP. `RateGate` is a Durable Object (one instance per limit, worldwide) that hands
 * out start times; {@linkcode GateLimiter} asks it before each request, waits on its own clock,
 * and tells it when the request ended.
 *
 * A request counts from its start until its answer came plus the window, not from its start
 * plus the window alone: it reaches the far side some time between the two, and the local hop
 * (an isolate busy with another run's CPU before its fetch leaves, the network) can delay it by
 * any amount. Measured with 500 clinics on one machine, starts spaced by the window arrived up
 * to 780 ms closer together than they were sent. Counting until the answer holds the limit
 * whatever the delay on the way: a request's arrival lies between its start and its answer, so
 * no start is granted while `limit` requests that may still arrive within the window are
 * counted. A request whose end never comes (its isolate was evicted) stops counting after the
 * longest it could have lived (`holdMs`: its time limit, and some slack for a timer that fires
 * late); one that reached the far side after its own time limit had cut it is not covered.
 *
 * Grants live in the object's memory, not its storage: most count for a second or two. An
 * object that Cloudflare evicts or restarts (a deploy) while requests run forgets them, so for
 * one window after that up to `limit` more may start; its tickets never repeat an earlier
 * instance's, so an end told late cannot release a grant of the new one. Two requests to the
 * object per request it paces ({@linkcode GATE_REQUESTS_PER_REQUEST}: the start and the end;
 * Durable Objects: 100,000 requests a day on the Free plan).
 */
import { type Clock, systemClock } from "./clock.ts";

/** Requests to the gate per request it paces: its start and its end. */
export const GATE_REQUESTS_PER_REQUEST = 2;

/**
 * Added to a request's longest life in `holdMs`: its time limit is a timer, which fires late in
 * an isolate busy with another run's CPU.
 */
export const LATE_TIMER_SLACK_MS = 5_000;

/** What the gate is asked for a start: one request under `limit` per `windowMs`. */
export interface GateAsk {
  limit: number;
  windowMs: number;
  /**
   * The caller's clock (epoch ms). The gate takes the later of it and its own: in workerd a
   * clock stands still while code runs, so a caller that parsed a sheet since its last I/O asks
   * with a time that is already past, and a start recorded at it would be earlier than the
   * request's real one.
   */
  now: number;
  /** No start at or after this (epoch ms); null: no deadline. */
  deadline: number | null;
  /**
   * How long after its start the request counts at most when its end is never told: its
   * longest life (a late start, the time limit of one attempt) plus the window.
   */
  holdMs: number;
}

/** What the gate is told when a request it paced ended (answered, failed or never sent). */
export interface GateEnd {
  ended: number;
}

/** The answer of the gate: when the request may start, or null (not before the deadline). */
export interface GateAnswer {
  at: number | null;
  /** What to tell the gate when the request ended ({@linkcode GateEnd}). */
  ticket?: number;
}

/** A start the gate granted, and until when it counts. */
export interface Grant {
  ticket: number;
  /** The start granted (epoch ms). */
  at: number;
  /** When it stops counting: its request's end plus the window; null while the request runs. */
  end: number | null;
  /** When it stops counting while no end was told: the isolate that took it may be gone. */
  expires: number;
}

/** When a grant stops counting, as far as the gate knows. */
function stopOf(grant: Grant): number {
  return grant.end ?? grant.expires;
}

/**
 * The earliest start at or after `now` at which fewer than `limit` grants count, given the
 * grants so far (ascending by start: they are granted in order, so a new one is never earlier
 * than the last): `{ at }` when the grants that must stop counting first have ended, or
 * `{ waitUntil }` when one of them is still running (ask again when it ends, or at that time,
 * when it stops counting anyway). Pure.
 *
 * @example
 * const done = (at: number) => ({ ticket: at, at, end: at + 1000, expires: at + 31_000 });
 * reserveSlot([0, 0, 0, 0, 0].map(done), { now: 200, limit: 5 }); // { at: 1000 }
 */
export function reserveSlot(
  grants: readonly Grant[],
  options: { now: number; limit: number },
): { at: number } | { waitUntil: number } {
  const { now, limit } = options;
  const at = Math.max(now, grants.at(-1)?.at ?? -Infinity);
  const counting = grants.filter((grant) => stopOf(grant) > at);
  if (counting.length < limit) return { at };
  const first = [...counting].sort((a, b) => stopOf(a) - stopOf(b))
    .slice(0, counting.length - limit + 1);
  const stop = stopOf(first[first.length - 1]);
  return first.every((grant) => grant.end !== null) ? { at: stop } : { waitUntil: stop };
}

interface Waiter {
  ask: GateAsk;
  answer(answer: GateAnswer): void;
}

/**
 * The Durable Object: one instance per limit (`idFromName("calltouch")`), granting start times
 * in order of asking. An ask that must wait for a running request's end is answered when that
 * end is told (or the grant expires, or the ask's deadline comes). A plain class with `fetch`
 * (no `cloudflare:workers` import), so the same module bundles for workerd and type-checks
 * under Deno.
 */
export class RateGate {
  /** Grants that may still count, ascending by start (the last one always kept). */
  #grants: (Grant & { windowMs: number })[] = [];
  /**
   * The last ticket given. Starts from the clock (a thousand per millisecond), so an instance
   * that replaced an evicted one never gives a ticket the old one gave.
   */
  #tickets: number;
  /** Asks not answered yet, first come first served. */
  #waiting: Waiter[] = [];
  /** The pending wake-up of the first waiter (aborted when another replaces it). */
  #wake: AbortController | undefined;
  readonly #clock: Clock;

  /** `clock`: default the system clock (the benchmark's Worker passes its faster one). */
  constructor(_state?: unknown, _env?: unknown, clock: Clock = systemClock) {
    this.#clock = clock;
    this.#tickets = Math.max(0, Math.floor(clock.now())) * 1000;
  }

  /** `POST` a {@linkcode GateAsk} (answers a {@linkcode GateAnswer}) or a {@linkcode GateEnd}. */
  async fetch(request: Request): Promise<Response> {
    const body = await request.json().catch(() => undefined) as
      | Partial<GateAsk & GateEnd>
      | undefined;
    if (body && Number.isInteger(body.ended)) {
      this.#end(body.ended as number);
      return Response.json({ ok: true });
    }
    if (
      !body || !Number.isInteger(body.limit) || (body.limit as number) < 1 ||
      !(typeof body.windowMs === "number" && body.windowMs > 0) ||
      !(typeof body.holdMs === "number" && body.holdMs >= body.windowMs) ||
      !(typeof body.now === "number" && Number.isFinite(body.now))
    ) {
      return Response.json(
        { error: "expected {limit, windowMs, now, deadline, holdMs} or {ended}" },
        { status: 400 },
      );
    }
    const answer = await new Promise<GateAnswer>((resolve) => {
      this.#waiting.push({ ask: body as GateAsk, answer: resolve });
      this.#serve();
    });
    return Response.json(answer);
  }

  #end(ticket: number): void {
    const grant = this.#grants.find((g) => g.ticket === ticket);
    if (!grant || grant.end !== null) return;
    // The gate's own clock: the end is told after the answer came, never before.
    grant.end = Math.max(this.#clock.now(), grant.at) + grant.windowMs;
    this.#serve();
  }

  /** Answers the waiting asks in order, as far as the grants allow. */
  #serve(): void {
    this.#wake?.abort();
    this.#wake = undefined;
    // Grants that stopped counting go by the gate's own clock (a caller's may read ahead); the
    // last one stays: a new start is never earlier than it.
    const clockNow = this.#clock.now();
    const last = this.#grants[this.#grants.length - 1];
    this.#grants = this.#grants.filter((grant) => stopOf(grant) > clockNow || grant === last);
    while (this.#waiting.length > 0) {
      const { ask, answer } = this.#waiting[0];
      const now = Math.max(ask.now, clockNow);
      const deadline = ask.deadline ?? Infinity;
      const slot = reserveSlot(this.#grants, { now, limit: ask.limit });
      if ("at" in slot || now >= deadline) {
        this.#waiting.shift();
        if (!("at" in slot) || slot.at >= deadline) {
          answer({ at: null });
          continue;
        }
        const ticket = ++this.#tickets;
        this.#grants.push({
          ticket,
          at: slot.at,
          end: null,
          expires: slot.at + ask.holdMs,
          windowMs: ask.windowMs,
        });
        answer({ at: slot.at, ticket });
        continue;
      }
      // A running request must end first. The asks behind whose deadline came are answered now;
      // the first is asked again when a request ends, or when it stops counting anyway, or at
      // the earliest deadline of those still waiting.
      const behind = this.#waiting.slice(1);
      const due = behind.filter((w) =>
        (w.ask.deadline ?? Infinity) <= Math.max(w.ask.now, clockNow)
      );
      for (const waiter of due) waiter.answer({ at: null });
      this.#waiting = [this.#waiting[0], ...behind.filter((w) => !due.includes(w))];
      const wakeAt = Math.min(
        slot.waitUntil,
        ...this.#waiting.map((w) => w.ask.deadline ?? Infinity),
      );
      const wake = new AbortController();
      this.#wake = wake;
      this.#clock.sleep(wakeAt - clockNow, wake.signal).then(() => {
        if (!wake.signal.aborted) this.#serve();
      });
      return;
    }
  }
}

/** The Durable Object namespace binding of {@linkcode RateGate}, as far as it is used. */
export interface RateGateNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/**
 * A start taken from a rate limiter. `end` is called once its request ended (answered, failed,
 * or never sent): the request counts until then plus the window. It never throws.
 */
export interface Start {
  end(): Promise<void>;
}

/** Grants permission to start a request; what the clients wait on before every attempt. */
export interface RateLimiter {
  /**
   * Waits for a start and takes it; resolves null, taking nothing, when no start comes before
   * `deadline` (epoch ms).
   */
  acquire(deadline?: number): Promise<Start | null>;
}

/** Options of {@linkcode GateLimiter}. */
export interface GateLimiterOptions {
  /** The `RATE_GATE` binding, or {@linkcode isolateGates}. */
  namespace: RateGateNamespace;
  /** Which limit: one object per key (`calltouch`). */
  key: string;
  limit: number;
  windowMs: number;
  /** The longest one request may run after its start (the time limit of one attempt). */
  requestMs: number;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * How late a start may be taken (ms after the one granted). A start taken later (the
   * isolate was busy with another run when its timer was due) is given back and a new one
   * asked for, so that a request never runs beyond what the gate holds for it (`requestMs`).
   */
  lateMs: number;
  /**
   * Asked instead when the gate cannot be reached (then the limit holds per isolate only, and
   * the failure is logged once per isolate). None: the failure is thrown.
   */
  fallback?: RateLimiter;
}

let warned = false;

/** Starts taken too late that are asked for again, at most, before giving up (see `lateMs`). */
const MAX_LATE_ROUNDS = 5;

/**
 * A {@linkcode RateLimiter} backed by a {@linkcode RateGate}: every isolate that asks the same
 * key of the deployment's `RATE_GATE` shares one window.
 *
 * @example
 * const limiter = new GateLimiter({ namespace: env.RATE_GATE, key: "calltouch", limit: 5,
 *   windowMs: 1100, requestMs: 30_000, lateMs: 50, fallback: sharedCalltouchLimiter() });
 * const start = await limiter.acquire(deadline);
 * if (start) try { await fetch(url); } finally { await start.end(); }
 */
export class GateLimiter implements RateLimiter {
  readonly #options: GateLimiterOptions;
  readonly #clock: Clock;

  constructor(options: GateLimiterOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Reserves a start with the gate and waits for it; resolves null, taking nothing, when the
   * start would come at or after `deadline` (epoch ms).
   */
  async acquire(deadline = Infinity): Promise<Start | null> {
    // Bounded: each round waits for a granted start, so a busy isolate re-asks a few times only.
    for (let round = 0; round < MAX_LATE_ROUNDS; round++) {
      const granted = await this.#ask(deadline);
      if (granted === "fallback") return await this.#options.fallback!.acquire(deadline);
      if (granted.at === null || granted.ticket === undefined) return null;
      const { at, ticket } = granted;
      const wait = at - this.#clock.now();
      if (wait > 0) await this.#clock.sleep(wait);
      // An end that cannot be told leaves the grant to expire by itself (`requestMs`).
      const start: Start = { end: () => this.#tell({ ended: ticket }).then(() => {}, () => {}) };
      if (this.#clock.now() - at <= this.#options.lateMs) return start;
      await start.end();
    }
    return null;
  }

  /** A start from the gate, or "fallback" when the gate cannot be reached. */
  async #ask(deadline: number): Promise<GateAnswer | "fallback"> {
    const { limit, windowMs, lateMs, requestMs } = this.#options;
    const ask: GateAsk = {
      limit,
      windowMs,
      now: this.#clock.now(),
      deadline: Number.isFinite(deadline) ? deadline : null,
      holdMs: lateMs + requestMs + LATE_TIMER_SLACK_MS + windowMs,
    };
    const answer = await this.#tell(ask);
    return answer ?? "fallback";
  }

  /** Posts to the gate; undefined when it cannot be reached (logged once per isolate). */
  async #tell(body: GateAsk | GateEnd): Promise<GateAnswer | undefined> {
    const { namespace, key } = this.#options;
    try {
      const stub = namespace.get(namespace.idFromName(key));
      const response = await stub.fetch("https://rate-gate/", {
        method: "POST",
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.json() as GateAnswer;
    } catch (error) {
      if (!this.#options.fallback) throw error;
      if (!warned) {
        warned = true;
        console.error(JSON.stringify({
          event: "rate_gate.unavailable",
          key,
          error: error instanceof Error ? error.message : String(error),
        }));
      }
      return undefined;
    }
  }
}

/**
 * Gates in this isolate (or process), as the deployment's `RATE_GATE` namespace would hold
 * them: one {@linkcode RateGate} per name. What a limit rests on where there is no Durable
 * Object (the CLI, a Worker without the binding) and when the binding cannot be reached.
 */
export function isolateGates(clock: Clock = systemClock): RateGateNamespace {
  const gates = new Map<string, RateGate>();
  return {
    idFromName: (name) => name,
    get: (id) => ({
      fetch: (input, init) => {
        const name = String(id);
        let gate = gates.get(name);
        if (!gate) gates.set(name, gate = new RateGate(undefined, undefined, clock));
        return gate.fetch(new Request(input, init));
      },
    }),
  };
}
