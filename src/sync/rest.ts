/**
 * A Calltouch project at rest: its daily API points are spent (see `calltouch/points.ts`), so no
 * run of any target of that project asks it anything until its next day. The deals wait (⏳ with
 * words saying why and until when), the deals journal is not read, and no run sends into the
 * refusal again every tick. One KV key per project, written once when the refusal comes and
 * expiring by itself when the day is over; it is read in the run's first bulk read, so a run
 * pays no extra KV operation for it:
 *
 *   v2:calltouch-rest:<siteId>  →  {"until": <epoch ms>}
 */
import { PointsSpent } from "../calltouch/points.ts";
import type { Language } from "../deal.ts";
import type { KeyValueStore } from "../platform.ts";
import type { SyncPlan } from "./plan.ts";
import type { SendResult } from "./send.ts";
import type { RowStatus } from "./status_text.ts";

/** Prefix of the rest keys (one per Calltouch project). */
export const REST_PREFIX = "v2:calltouch-rest:";
/** Workers KV refuses an `expirationTtl` below 60 s. */
const KV_MIN_TTL_SECONDS = 60;

/** The KV key of a project's rest. */
export function restKey(siteId: string): string {
  return `${REST_PREFIX}${siteId}`;
}

/** Until when a stored rest lasts (epoch ms), or undefined when there is none at `now`. */
export function restUntil(stored: unknown, now: number): number | undefined {
  const until = (stored as { until?: unknown } | null)?.until;
  return typeof until === "number" && until > now ? until : undefined;
}

/** A run's view of its Calltouch project's rest. */
export class ProjectRest {
  #until: number | undefined;

  /** `until`: the rest read at the start of the run, if any. */
  constructor(
    private readonly kv: KeyValueStore,
    private readonly siteId: string,
    private readonly language: Language,
    until?: number,
  ) {
    this.#until = until;
  }

  /** Until when the project rests (epoch ms); undefined while it is awake. */
  get until(): number | undefined {
    return this.#until;
  }

  /**
   * Runs `work` (something that asks Calltouch) unless the project rests; when `work` finds the
   * points spent, the project is put to rest and `undefined` is returned.
   */
  async awake<T>(work: () => Promise<T>, now: number): Promise<T | undefined> {
    if (this.#until !== undefined) return undefined;
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof PointsSpent)) throw error;
      await this.begin(error.resumesAt, now);
      return undefined;
    }
  }

  /**
   * Sends with `send` unless the project rests (then every planned deal waits); a send that
   * finds the points spent puts the project to rest.
   */
  async send(plan: SyncPlan, send: () => Promise<SendResult>, now: number): Promise<SendResult> {
    if (this.#until === undefined) {
      const sent = await send();
      if (sent.error instanceof PointsSpent) await this.begin(sent.error.resumesAt, now);
      if (this.#until === undefined) return sent;
      return { ...sent, error: this.error() };
    }
    if (plan.create.length + plan.update.length === 0) return { statuses: new Map() };
    const waiting: RowStatus = { kind: "pending", why: "daily-limit", at: now };
    const statuses = new Map<string, RowStatus>();
    for (const planned of [...plan.create, ...plan.update]) {
      statuses.set(planned.deal.orderNumber, waiting);
    }
    return { statuses, error: this.error() };
  }

  /** The run-level error while the project rests, in the clinic's language. */
  error(): PointsSpent {
    return new PointsSpent(this.language, this.#until ?? 0);
  }

  /** Puts the project to rest until `until` (one KV write, expiring then). */
  async begin(until: number, now: number): Promise<void> {
    this.#until = until;
    const ttl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil((until - now) / 1000));
    await this.kv.put(restKey(this.siteId), JSON.stringify({ until }), { expirationTtl: ttl });
  }
}
