/**
 * One wiring of the remote parts a run talks to, built from the settings: the Google token
 * provider, the Sheets and Calltouch clients, and the KV store. Each client counts its own
 * requests (retries included); {@linkcode Connection.requests} reads them by kind. The Worker,
 * the command-line tool (`sync`, `check`, `probe`) and sheet setup all connect here.
 */
import { CalltouchClient } from "./calltouch/client.ts";
import { sharedCalltouchLimiter } from "./calltouch/limiter.ts";
import type { RateLimiter } from "./util/rate_gate.ts";
import { type Config, settingName } from "./settings/config.ts";
import { ServiceAccountTokenProvider } from "./google/auth.ts";
import { SheetsClient } from "./google/sheets.ts";
import type { KeyValueStore } from "./platform.ts";
import { CountingStore } from "./store/counting.ts";
import { RequestBudget, type RunRequests } from "./util/budget.ts";
import { type Clock, systemClock } from "./util/clock.ts";

export type { RunRequests };

/** What {@linkcode connect} needs from its environment. */
export interface ConnectDeps {
  /** Where state and the Google token live: the `SYNC_STATE` KV binding, or a local store. */
  store: KeyValueStore;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * Paces Calltouch requests. Default: the limiter shared by every client of the isolate
   * (5 requests per second). The benchmark passes one that never waits.
   */
  calltouchLimiter?: RateLimiter;
  /**
   * Paces the Google reads of a service account (by its e-mail) within its per-minute quota,
   * across the deployment. Default: none (the schedule and the 429 wait only).
   */
  googleReadGate?: (serviceAccount: string) => RateLimiter;
  /** Epoch ms (on `clock`) after which no Google request starts. Default: none per run. */
  deadline?: number;
  /** Writes nothing to the store (a dry run, `check`): it is only read. Default false. */
  readOnly?: boolean;
}

/** The settings a connection uses: Calltouch's only when its client is used. */
export type ConnectConfig =
  & Pick<Config, "spreadsheetId" | "google" | "language">
  & Partial<Pick<Config, "calltouch" | "maxSubrequests" | "origin">>;

/**
 * Requests of the budget Calltouch leaves to Google: the write-back's ID-column read and write,
 * and a token renewal. Calltouch stops when only these are left, so the statuses are always
 * written.
 */
export const WRITE_BACK_REQUESTS = 3;

/** The connected parts, each made on first use. */
export interface Connection {
  readonly auth: ServiceAccountTokenProvider;
  readonly sheets: SheetsClient;
  readonly calltouch: CalltouchClient;
  /**
   * What paces every Calltouch request of the run, the deals journal's included (one per-IP
   * limit for the whole API): `deps.calltouchLimiter`, else the isolate's shared one.
   */
  readonly calltouchLimiter: RateLimiter;
  /** The store, counted (and read-only when asked). */
  readonly kv: CountingStore;
  /** The run's outbound requests, against `MAX_SUBREQUESTS_PER_RUN`. */
  readonly budget: RequestBudget;
  /** Requests made so far, by kind. */
  requests(): RunRequests;
}

/**
 * Connects the parts. Nothing is contacted until a client is used.
 *
 * @example
 * const io = connect(config, { store: env.SYNC_STATE });
 * const info = await io.sheets.metadata();
 * io.requests().sheetsMetadata; // 1
 */
export function connect(config: ConnectConfig, deps: ConnectDeps): Connection {
  const clock = deps.clock ?? systemClock;
  const kv = new CountingStore(deps.store, { readOnly: deps.readOnly });
  const budget = new RequestBudget(config.maxSubrequests ?? Infinity);
  const take = () => budget.take();
  let auth: ServiceAccountTokenProvider | undefined;
  let sheets: SheetsClient | undefined;
  let calltouch: CalltouchClient | undefined;
  // Messages name the settings to check as this deployment does (a target's own names).
  const names = (setting: string) => settingName(config, setting);
  const calltouchLimiter = deps.calltouchLimiter ?? sharedCalltouchLimiter(clock);
  const connection: Connection = {
    kv,
    budget,
    calltouchLimiter,
    get auth() {
      auth ??= new ServiceAccountTokenProvider({
        serviceAccount: config.google.serviceAccount,
        tokenUrl: config.google.tokenUrl,
        fetch: deps.fetch,
        clock,
        store: kv,
        language: config.language,
        names,
        take,
      });
      return auth;
    },
    get sheets() {
      sheets ??= new SheetsClient({
        baseUrl: config.google.sheetsApiUrl,
        spreadsheetId: config.spreadsheetId,
        auth: connection.auth,
        serviceAccountEmail: config.google.serviceAccount.clientEmail,
        language: config.language,
        names,
        fetch: deps.fetch,
        clock,
        deadline: deps.deadline,
        take,
        readGate: deps.googleReadGate?.(config.google.serviceAccount.clientEmail),
        readsPerMinute: config.google.readsPerMinute,
      });
      return sheets;
    },
    get calltouch() {
      if (!config.calltouch) throw new TypeError("connect(): no Calltouch settings");
      calltouch ??= new CalltouchClient({
        baseUrl: config.calltouch.apiUrl,
        siteId: config.calltouch.siteId,
        token: config.calltouch.token,
        crm: config.calltouch.crm,
        fetch: deps.fetch,
        clock,
        limiter: calltouchLimiter,
        language: config.language,
        names,
        take: () => budget.take(WRITE_BACK_REQUESTS),
      });
      return calltouch;
    },
    requests() {
      const google = sheets?.requests ?? { metadata: 0, reads: 0, writes: 0 };
      return {
        sheetsRead: google.reads,
        sheetsMetadata: google.metadata,
        sheetsWrite: google.writes,
        token: auth?.exchanges ?? 0,
        calltouch: calltouch?.requestCount ?? 0,
        kvRead: kv.counts.reads + kv.counts.lists,
        kvWrite: kv.counts.writes + kv.counts.deletes,
      };
    },
  };
  return connection;
}
