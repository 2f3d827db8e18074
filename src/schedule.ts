/**
 * When each target of a tick runs, so that the reads its runs share stay within Google's quotas:
 * 60 read requests a minute per user (one service account is one user) and 300 a minute per
 * Cloud project. A tick of 500 targets all at once would ask one service account for 1,000
 * reads within seconds; instead each target gets a start (a queue message's `delaySeconds`), at
 * most {@linkcode runsPerMinute} starts of one service account in a minute (evenly spaced when
 * they take more than one minute), and
 * the tick's runs spread over the minutes until the next tick. Targets that do not fit wait for a
 * later tick: ticks take turns through them (a rotation), so every target is served and none
 * is served twice before the others once. Pure.
 *
 * The schedule is a plan; what holds the quota whatever happens (a backlog of runs, manual runs,
 * retries) is the `RATE_GATE` Durable Object (`util/rate_gate.ts`), which grants every Google read
 * of a service account a start within {@linkcode GATED_READS_PER_MINUTE}, and every Calltouch
 * request one within 5 a second.
 */
import { cronIntervalMinutes } from "./util/cron.ts";

/** Google Sheets: read requests a minute per user of a project (a service account is a user). */
export const GOOGLE_READS_PER_MINUTE = 60;
/** Google Sheets: read requests a minute per Cloud project, over all its service accounts. */
export const GOOGLE_PROJECT_READS_PER_MINUTE = 300;
/**
 * The most read requests one run makes: the spreadsheet's metadata, the deals tab, and the ID
 * column re-read before the statuses are written back (a run with nothing to write makes 2).
 * Measured by `deno task bench` (requests per run).
 */
export const READS_PER_RUN = 3;
/**
 * The part of each minute's quota the schedule leaves free: a quarter (15 of a service
 * account's 60 reads, 75 of a project's 300). It is what the runs nobody scheduled take: a
 * clinic pressing "Sync now" in the panel or the sheet's menu (3 reads each, so 5 such runs a
 * minute per service account beside a full schedule), a continuation of a run cut by its
 * budget, a queue retry, a sheet setup; and the write-back read of a run that started in the
 * previous minute. Google answers what still goes beyond with 429, which the Sheets client
 * waits out (the quota refills each minute) instead of retrying at once.
 */
export const QUOTA_HEADROOM = 0.25;
/**
 * The most Google reads of one service account the deployment's `RATE_GATE` grants in any
 * {@linkcode GOOGLE_GATE_WINDOW_MS}: the quota less 5 for the callers that do not ask the gate (the
 * command-line tool and scripts run with the same key). The schedule keeps well below it; the
 * gate is what holds when runs bunch up (a backlog, manual runs, retries).
 */
export const GATED_READS_PER_MINUTE = 55;
/** The gate's window: a minute and a second (clocks of different machines differ a little). */
export const GOOGLE_GATE_WINDOW_MS = 61_000;
/** A minute of the schedule, in seconds. */
const MINUTE = 60;

/** A target as the schedule sees it: its id, and the service account its runs read with. */
export interface ScheduledTarget {
  id: string;
  /** The service account's e-mail (`client_email`): one user of Google's per-user quota. */
  account: string;
}

/** One target's start within the tick. */
export interface Slot {
  id: string;
  /** Seconds after the tick (a queue message's `delaySeconds`). */
  delaySeconds: number;
}

/** How one service account's targets fit a tick. */
export interface AccountLoad {
  account: string;
  /** The Cloud project of the account (the e-mail's domain), whose quota it shares. */
  project: string;
  targets: number;
  /** Targets one tick serves. */
  perTick: number;
  /** Ticks it takes to serve each target once (1: every tick serves every target). */
  ticksPerRound: number;
}

/** Where a tick's runs go. */
export interface TickPlan {
  /** The targets run this tick, earliest first. */
  slots: Slot[];
  /** Targets left to later ticks (the rotation reaches them). */
  deferred: string[];
  /** Minutes the tick's starts are spread over (the cron interval). */
  intervalMinutes: number;
  /** The most starts of one service account in a minute. */
  runsPerMinute: number;
  accounts: AccountLoad[];
  /** Targets this tick serves. */
  perTick: number;
  /** Ticks it takes to serve every target once (the slowest account's). */
  ticksPerRound: number;
  /** The shortest interval (minutes) at which every tick serves every target. */
  minutesNeeded: number;
}

/** Options of {@linkcode planTick}. */
export interface PlanOptions {
  /**
   * Minutes the starts may be spread over: the cron interval; Infinity (a manual run of every
   * target) spreads them as far as they need.
   */
  intervalMinutes: number;
  /** The tick's time (epoch ms): which turn of the rotation it is. */
  at: number;
  /** Google reads a minute per service account (`GOOGLE_READS_PER_MINUTE`). Default 60. */
  readsPerMinute?: number;
}

/**
 * Starts a minute of one service account: its share of `readsPerMinute` (the
 * `GOOGLE_READS_PER_MINUTE` setting, default {@linkcode GOOGLE_READS_PER_MINUTE}), less the
 * headroom, in runs of {@linkcode READS_PER_RUN} reads (15 at 60).
 */
export function runsPerMinuteAt(readsPerMinute = GOOGLE_READS_PER_MINUTE): number {
  return Math.max(1, Math.floor(readsPerMinute * (1 - QUOTA_HEADROOM) / READS_PER_RUN));
}

/**
 * Starts a minute of one Cloud project, over all its service accounts (75 at 60 a user). Google
 * sets a project's read quota at five times a user's (300 and 60); a project whose user quota
 * Google raised is read as raised alike (our reading).
 */
export function projectRunsPerMinuteAt(readsPerMinute = GOOGLE_READS_PER_MINUTE): number {
  return Math.max(
    1,
    Math.floor(projectReadsAt(readsPerMinute) * (1 - QUOTA_HEADROOM) / READS_PER_RUN),
  );
}

/** A Cloud project's reads a minute when each of its users has `readsPerMinute` (300 at 60). */
export function projectReadsAt(readsPerMinute = GOOGLE_READS_PER_MINUTE): number {
  return readsPerMinute * (GOOGLE_PROJECT_READS_PER_MINUTE / GOOGLE_READS_PER_MINUTE);
}

/**
 * The most reads of one service account the `RATE_GATE` grants in any
 * {@linkcode GOOGLE_GATE_WINDOW_MS}: the quota less 5 (55 at 60; see
 * {@linkcode GATED_READS_PER_MINUTE}).
 */
export function gatedReadsAt(readsPerMinute = GOOGLE_READS_PER_MINUTE): number {
  // Never below what the schedule itself plans (a small quota's 25% is less than 5 reads).
  return Math.max(
    runsPerMinuteAt(readsPerMinute) * READS_PER_RUN,
    readsPerMinute - (GOOGLE_READS_PER_MINUTE - GATED_READS_PER_MINUTE),
  );
}

/** Starts a minute of one service account at Google's default quota (15). */
export const runsPerMinute = runsPerMinuteAt();
/** Starts a minute of one Cloud project at Google's default quota (75). */
export const projectRunsPerMinute = projectRunsPerMinuteAt();

/** The Cloud project of a service account: `sync@clinics-123.iam.gserviceaccount.com` → `clinics-123`. */
export function projectOf(account: string): string {
  const domain = account.slice(account.indexOf("@") + 1);
  return domain.replace(/\.iam\.gserviceaccount\.com$/i, "");
}

/**
 * The starts of a tick: each service account's targets at most {@linkcode runsPerMinute} a
 * minute, 60/that seconds apart, each project's at most {@linkcode projectRunsPerMinute}, over
 * `intervalMinutes`; what does not fit is deferred, and the next ticks take the next targets.
 *
 * @example
 * planTick(targets, { intervalMinutes: 5, at: Date.now() }).slots;
 * // [{ id: "t000", delaySeconds: 0 }, { id: "t001", delaySeconds: 4 }, …]
 */
export function planTick(targets: readonly ScheduledTarget[], options: PlanOptions): TickPlan {
  const byAccount = new Map<string, string[]>();
  for (const { id, account } of targets) {
    const ids = byAccount.get(account);
    if (ids) ids.push(id);
    else byAccount.set(account, [id]);
  }
  const accounts = [...byAccount.keys()];
  const minutes = Math.max(1, Math.floor(options.intervalMinutes));
  // How many of each account's targets a tick holds depends only on how many there are.
  const rates = {
    account: runsPerMinuteAt(options.readsPerMinute),
    project: projectRunsPerMinuteAt(options.readsPerMinute),
  };
  const counts = fill(accounts, (a) => byAccount.get(a)!.length, minutes, rates);
  const turn = Number.isFinite(options.intervalMinutes)
    ? Math.floor(options.at / 60_000 / minutes)
    : 0;
  const queues = new Map(accounts.map((account) => {
    const ids = byAccount.get(account)!;
    const served = counts.served.get(account) ?? 0;
    const offset = served > 0 && served < ids.length ? (turn * served) % ids.length : 0;
    return [account, [...ids.slice(offset), ...ids.slice(0, offset)]];
  }));
  const slots: Slot[] = [];
  for (const { account, minute, index } of counts.starts) {
    const id = queues.get(account)!.shift()!;
    // An account whose targets all fit one minute starts them at once (they cannot reach the
    // quota); a fuller one spaces them evenly, so no minute's window catches two bursts.
    const spaced = (counts.served.get(account) ?? 0) > rates.account;
    const second = spaced ? Math.floor(index * MINUTE / rates.account) : 0;
    slots.push({ id, delaySeconds: minute * MINUTE + second });
  }
  slots.sort((a, b) => a.delaySeconds - b.delaySeconds);
  const needed = fill(accounts, (a) => byAccount.get(a)!.length, Infinity, rates).minutes;
  const loads = accounts.map((account): AccountLoad => {
    const total = byAccount.get(account)!.length;
    const perTick = counts.served.get(account) ?? 0;
    return {
      account,
      project: projectOf(account),
      targets: total,
      perTick,
      ticksPerRound: perTick > 0 ? Math.ceil(total / perTick) : Infinity,
    };
  });
  return {
    slots,
    deferred: [...queues.values()].flat(),
    intervalMinutes: minutes,
    runsPerMinute: rates.account,
    accounts: loads,
    perTick: slots.length,
    ticksPerRound: Math.max(1, ...loads.map((load) => load.ticksPerRound)),
    minutesNeeded: Math.max(1, needed),
  };
}

/**
 * Fills minutes with starts: in each minute and project, its accounts take turns (one start
 * each, the first account changing every minute) until the account's or the project's share of
 * the minute is used. Returns every start (account, minute, its index within the account's
 * minute), how many each account got, and the minutes used.
 */
function fill(
  accounts: readonly string[],
  sizeOf: (account: string) => number,
  maxMinutes: number,
  rates: { account: number; project: number },
) {
  const left = new Map(accounts.map((a) => [a, sizeOf(a)]));
  const byProject = new Map<string, string[]>();
  for (const account of accounts) {
    const project = projectOf(account);
    const members = byProject.get(project);
    if (members) members.push(account);
    else byProject.set(project, [account]);
  }
  const starts: { account: string; minute: number; index: number }[] = [];
  const served = new Map<string, number>();
  let minute = 0;
  // Each minute serves at least one start while any is left: bounded by the targets.
  for (; minute < maxMinutes && [...left.values()].some((n) => n > 0); minute++) {
    for (const members of byProject.values()) {
      let budget = rates.project;
      const inMinute = new Map<string, number>();
      for (let progress = true; progress && budget > 0;) {
        progress = false;
        for (let k = 0; k < members.length && budget > 0; k++) {
          const account = members[(k + minute) % members.length];
          const used = inMinute.get(account) ?? 0;
          if ((left.get(account) ?? 0) === 0 || used >= rates.account) continue;
          starts.push({ account, minute, index: used });
          inMinute.set(account, used + 1);
          left.set(account, left.get(account)! - 1);
          served.set(account, (served.get(account) ?? 0) + 1);
          budget--;
          progress = true;
        }
      }
    }
  }
  return { starts, served, minutes: minute };
}

/** Cron expressions by interval (minutes), for {@linkcode cronFor}. */
const CRONS: readonly [number, string][] = [
  ...[1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30].map((m): [number, string] => [
    m,
    m === 1 ? "* * * * *" : `*/${m} * * * *`,
  ]),
  [60, "0 * * * *"],
  ...[2, 3, 4, 6, 8, 12].map((h): [number, string] => [h * 60, `0 */${h} * * *`]),
  [1440, "0 0 * * *"],
];

/**
 * The most frequent regular cron whose interval is at least `minutes`, with that interval
 * (`*\/35` is not regular: it fires at :00 and :35).
 *
 * @example
 * cronFor(34); // { cron: "0 * * * *", minutes: 60 }
 */
export function cronFor(minutes: number): { cron: string; minutes: number } {
  const found = CRONS.find(([m]) => m >= minutes) ?? CRONS[CRONS.length - 1];
  return { cron: found[1], minutes: found[0] };
}

/** What {@linkcode quotaFit} says of a deployment at its cron. */
export interface QuotaFit extends TickPlan {
  cron: string;
  /** False when the cron could not be read: one minute was assumed. */
  cronKnown: boolean;
  /** Every target runs every tick. */
  fits: boolean;
  /** Google reads a minute per service account the fit was planned for. */
  readsPerMinute: number;
  /** The regular cron at which every tick would serve every target (when it does not). */
  suggestedCron?: string;
  /** Minutes between two runs of one target: the interval times the ticks of a round. */
  everyMinutes: number;
  /**
   * Service accounts (in Cloud projects: `projectsNeeded`) among which the targets would all
   * run every tick at this cron.
   */
  accountsNeeded: number;
  projectsNeeded: number;
}

/**
 * How the targets fit Google's read quotas at `cron`: how many one tick serves, how many ticks
 * each waits, and the cron that would serve all every tick. For `check` and the control panel.
 */
export function quotaFit(
  targets: readonly ScheduledTarget[],
  cron: string,
  at: number,
  readsPerMinute = GOOGLE_READS_PER_MINUTE,
): QuotaFit {
  const interval = cronIntervalMinutes(cron, at);
  const plan = planTick(targets, { intervalMinutes: interval ?? 1, at, readsPerMinute });
  const fits = plan.deferred.length === 0;
  const total = targets.length;
  const fit: QuotaFit = {
    ...plan,
    cron,
    cronKnown: interval !== undefined,
    fits,
    everyMinutes: plan.intervalMinutes * plan.ticksPerRound,
    readsPerMinute,
    accountsNeeded: Math.max(1, Math.ceil(total / (plan.runsPerMinute * plan.intervalMinutes))),
    projectsNeeded: Math.max(
      1,
      Math.ceil(total / (projectRunsPerMinuteAt(readsPerMinute) * plan.intervalMinutes)),
    ),
  };
  if (!fits) fit.suggestedCron = cronFor(plan.minutesNeeded).cron;
  return fit;
}
