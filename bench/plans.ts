/**
 * Cloudflare's Free and Paid plans as the many-targets bench prices a day of ticks: the daily
 * quotas of Free, and what Paid bills beyond its monthly allowances. Figures from Cloudflare's
 * pricing and limits pages for Workers, KV, Queues and Durable Objects (as of November 2026).
 */
import { GATE_REQUESTS_PER_REQUEST } from "../src/util/rate_gate.ts";

/** The Free plan's limits the sync meets. */
export const FREE = {
  /** Workers requests a day (cron and queue consumer invocations counted as requests). */
  requestsPerDay: 100_000,
  /** CPU per invocation (cron, queue consumer and HTTP alike). */
  cpuMsPerInvocation: 10,
  /** External subrequests per invocation. */
  subrequests: 50,
  kvReadsPerDay: 100_000,
  /** KV writes a day (deletes have 1,000 of their own: puts and deletes are counted together). */
  kvWritesPerDay: 1_000,
  kvListsPerDay: 1_000,
  queueOpsPerDay: 10_000,
  durableObjectRequestsPerDay: 100_000,
} as const;

/** The Paid plan (Workers Standard): base price, monthly allowances, price beyond them. */
export const PAID = {
  baseUsd: 5,
  subrequests: 10_000,
  requests: { included: 10e6, usdPerMillion: 0.3 },
  cpuMs: { included: 30e6, usdPerMillion: 0.02 },
  kvReads: { included: 10e6, usdPerMillion: 0.5 },
  kvWrites: { included: 1e6, usdPerMillion: 5 },
  kvLists: { included: 1e6, usdPerMillion: 5 },
  queueOps: { included: 1e6, usdPerMillion: 0.4 },
  durableObjectRequests: { included: 1e6, usdPerMillion: 0.15 },
} as const;

/** What one tick cost, as the bench measured it. */
export interface TickCost {
  runs: number;
  /** KV reads, lists included (the run report's `kvRead`: each run lists once). */
  kvReads: number;
  kvWrites: number;
  queueOps: number;
  calltouchRequests: number;
  googleReads: number;
  cpuMs: number;
  cpuPerRunMs: number;
  maxSubrequests: number;
}

/** A day of identical ticks on each plan. */
export interface DayCost {
  ticks: number;
  invocations: number;
  /** KV gets (bulk reads count one), lists apart: one per run (the state's version). */
  kvReads: number;
  kvLists: number;
  kvWrites: number;
  queueOps: number;
  /** `RATE_GATE` requests: a start and an end per Calltouch request and per Google read. */
  durableObjectRequests: number;
  cpuMs: number;
  /** The day in words. */
  lines: string[];
  free: { fits: boolean; over: string[] };
  /** Paid: base price plus what a month of such days bills beyond the allowances. */
  paidMonthlyUsd: number;
}

/** The cost of a day of ticks like `tick`, one every `intervalMinutes`. */
export function dayCost(tick: TickCost, intervalMinutes: number): DayCost {
  const ticks = Math.floor(1440 / intervalMinutes);
  const day = {
    invocations: ticks * (1 + tick.runs),
    kvReads: ticks * (tick.kvReads - tick.runs),
    kvLists: ticks * tick.runs,
    kvWrites: ticks * tick.kvWrites,
    queueOps: ticks * tick.queueOps,
    durableObjectRequests: ticks * GATE_REQUESTS_PER_REQUEST *
      (tick.calltouchRequests + tick.googleReads),
    cpuMs: ticks * tick.cpuMs,
  };
  const over: string[] = [];
  const check = (name: string, value: number, limit: number) => {
    if (value > limit) over.push(`${name} ${n(value)} > ${n(limit)}`);
  };
  check("requests/day", day.invocations, FREE.requestsPerDay);
  check("KV reads/day", day.kvReads, FREE.kvReadsPerDay);
  check("KV lists/day", day.kvLists, FREE.kvListsPerDay);
  check("KV writes/day", day.kvWrites, FREE.kvWritesPerDay);
  check("queue ops/day", day.queueOps, FREE.queueOpsPerDay);
  check("DO requests/day", day.durableObjectRequests, FREE.durableObjectRequestsPerDay);
  check("CPU ms/run", tick.cpuPerRunMs, FREE.cpuMsPerInvocation);
  check("subrequests/run", tick.maxSubrequests, FREE.subrequests);
  const month = (perDay: number, price: { included: number; usdPerMillion: number }) =>
    Math.max(0, perDay * 30 - price.included) / 1e6 * price.usdPerMillion;
  const paidMonthlyUsd = PAID.baseUsd + month(day.invocations, PAID.requests) +
    month(day.cpuMs, PAID.cpuMs) + month(day.kvReads, PAID.kvReads) +
    month(day.kvWrites, PAID.kvWrites) + month(day.kvLists, PAID.kvLists) +
    month(day.queueOps, PAID.queueOps) +
    month(day.durableObjectRequests, PAID.durableObjectRequests);
  return {
    ticks,
    ...day,
    lines: [
      `${n(day.invocations)} invocations`,
      `KV ${n(day.kvReads)} reads / ${n(day.kvLists)} lists / ${n(day.kvWrites)} writes`,
      `${n(day.queueOps)} queue ops`,
      `${n(day.durableObjectRequests)} DO requests`,
      `CPU ≤ ${tick.cpuPerRunMs} ms a run`,
    ],
    free: { fits: over.length === 0, over },
    paidMonthlyUsd: Math.round(paidMonthlyUsd * 100) / 100,
  };
}

function n(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}
