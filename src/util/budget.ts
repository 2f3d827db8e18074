/** The number of outbound requests one run may make (Workers cap subrequests per invocation). */

/**
 * Default outbound requests per run: the Workers Free plan's 50 subrequests per invocation minus
 * headroom (a big first sync continues on the next cron ticks).
 */
export const DEFAULT_MAX_SUBREQUESTS = 45;
/**
 * What to set on the Paid plan: its 10,000 subrequests are then not what binds but the 1,000
 * operations per invocation of Cloudflare's internal services (KV's limits page; a Calltouch
 * request costs up to 4 of them: its `RATE_GATE` start and end, the KV record before it and the
 * delete after the run's snapshot), with room for the run's other reads and writes.
 */
export const PAID_MAX_SUBREQUESTS = 200;

/**
 * Counts a run's outbound requests against a cap. Each client takes one before every HTTP
 * attempt (retries included); a taker may keep a reserve for what must still happen after it
 * (the sync keeps the write-back's requests while it talks to Calltouch).
 *
 * @example
 * const budget = new RequestBudget(45);
 * if (!budget.take(3)) stopSending(); // leaves 3 for the write-back
 */
export class RequestBudget {
  #used = 0;
  constructor(readonly limit: number) {}

  /** Requests taken so far. */
  get used(): number {
    return this.#used;
  }

  /** Takes one request unless fewer than `reserve` + 1 are left; returns whether it did. */
  take(reserve = 0): boolean {
    if (this.limit - this.#used <= reserve) return false;
    this.#used++;
    return true;
  }
}

/** What a client asks of a budget before each request. */
export type TakeRequest = () => boolean;

/** Requests made by a run, by kind. */
export interface RunRequests {
  /** values.get of the deals tab and of the ID column. */
  sheetsRead: number;
  /** spreadsheets.get (tab titles, time zone), once per run. */
  sheetsMetadata: number;
  /** values.batchUpdate (status cells) and, rarely, spreadsheets.batchUpdate. */
  sheetsWrite: number;
  /** Google token exchanges. */
  token: number;
  /** Calltouch create/update requests, fallbacks included. */
  calltouch: number;
  /** KV operations (a bulk read or a list counts as one read). */
  kvRead: number;
  /** KV puts and deletes. */
  kvWrite: number;
}
