/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The HTTP interface: `GET /healthz`, `POST /sync` (and `?dryRun=1`, `?retryHeld=1`), `POST
 * /setup` (bearer key), and the control panel at `GET /` with its buttons at `POST
 * /actions/{sync,dry-run,retry-held}` (Basic auth, the key as password). Every route but
 * `/healthz` is authenticated: `SYNC_TOKEN` is the deployment's admin key and opens everything;
 * a target's own key (`syncTokenSecret` in `TARGETS`) opens that target only. Wrong keys are
 * throttled per client (`throttle.ts`); every answer carries the security headers and
 * `Cache-Control: no-store`.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { bearerAuth } from "hono/bearer-auth";
import { csrf } from "hono/csrf";
import { every } from "hono/combine";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { timingSafeEqual } from "hono/utils/buffer";
import { setupSheetFromConfig } from "../setup/run.ts";
import {
  type Config,
  ConfigError,
  loadConfig,
  type SettingsEnv,
  zonesOf,
} from "../settings/config.ts";
import { spreadsheetIdFrom } from "../settings/table.ts";
import type { Language } from "../deal.ts";
import { languageOf as languageOfSetting, words } from "../words/mod.ts";
import { type Env, workerDeps } from "../env.ts";
import { readHistory } from "../sync/history.ts";
import { type RunError, runErrorOf, type RunReport } from "../sync/report.ts";
import type { DryRunReport } from "../sync/dry_run.ts";
import {
  logRun,
  readDeadLetters,
  readsPerMinuteOf,
  runEveryTarget,
  syncQueue,
} from "../fan_out.ts";
import { runSync, type SyncOptions } from "../sync/run.ts";
import {
  loadTargets,
  problemsOf,
  targetKeys,
  type Targets,
  type TargetSettings,
} from "../settings/targets.ts";
import { targetOf } from "../sync/target.ts";
import { nextCronRun } from "./next_run.ts";
import { quotaFit } from "../schedule.ts";
import { isPanelAction, runOptionsOf } from "./panel_actions.ts";
import {
  type ActionResult,
  ForbiddenPage,
  StatusPage,
  type TargetLine,
  TargetsPage,
  ThrottledPage,
} from "./status_page.tsx";
import {
  clientOf,
  failureKey,
  type FailureRecord,
  lockedFor,
  readFailures,
  recordFailure,
} from "./throttle.ts";

/** Who the key of a request belongs to. */
type Caller =
  | { admin: true }
  /** A clinic: the targets its key opens (several when they name one secret). */
  | { admin: false; targets: readonly string[] };

/** Where a request's failure record is (set before its key is checked). */
interface Throttle {
  key: string;
  record: FailureRecord | null;
}

type AppEnv = { Bindings: Env; Variables: { caller: Caller; throttle?: Throttle } };

/** An error answer's `error`: a run's error, or a refusal of the HTTP layer. */
type HttpError =
  | RunError
  | { kind: "forbidden"; message: string; targets: readonly string[] }
  | { kind: "throttled"; message: string; retryAfterSeconds: number };

/** HTTP status of a run-level error. */
const ERROR_STATUS: Record<RunError["kind"], 401 | 404 | 409 | 422 | 500 | 502> = {
  config: 500,
  google: 502,
  calltouch: 502,
  sheet: 422,
  internal: 500,
  auth: 401,
  not_found: 404,
  busy: 409,
};

/** Every answer: no referrer, no sniffing, HTTPS only, never framed, no script, forms to us. */
const SECURITY_HEADERS = secureHeaders({
  referrerPolicy: "no-referrer",
  xContentTypeOptions: "nosniff",
  strictTransportSecurity: "max-age=31536000; includeSubDomains",
  // A framed panel could be clicked into a same-origin post.
  xFrameOptions: "DENY",
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    styleSrc: ["'unsafe-inline'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
});

/** The settings error of a deployment without SYNC_TOKEN. */
function missingToken(language: Language): RunError {
  const t = words(language);
  const problems = [t.http.missingToken];
  return { kind: "config", message: t.run.config(problems), problems };
}

function syncToken(env: Env): string | undefined {
  const token = env.SYNC_TOKEN;
  return typeof token === "string" && token.trim() ? token.trim() : undefined;
}

function errorBody(error: HttpError) {
  return { ok: false, error };
}

/** Stops a request when SYNC_TOKEN is not set: every route but /healthz needs it. */
const requireSyncToken = (
  answer: (c: Context<AppEnv>) => Response,
): MiddlewareHandler<AppEnv> =>
async (c, next) => {
  if (!syncToken(c.env)) return answer(c);
  await next();
};

/**
 * Answers `429` with `Retry-After` to a client locked for its wrong keys (see `throttle.ts`),
 * before its key is even looked at. Requests that present no key are not counted nor read.
 */
const throttle = (
  answer: (c: Context<AppEnv>, seconds: number) => Response | Promise<Response>,
): MiddlewareHandler<AppEnv> =>
async (c, next) => {
  if (!c.req.header("Authorization")) return await next();
  const key = await failureKey(clientOf(c.req.raw.headers), syncToken(c.env) ?? "");
  let record: FailureRecord | null = null;
  try {
    record = await readFailures(c.env.SYNC_STATE, key);
  } catch (error) {
    // Throttling is a guard, not the lock itself: a KV hiccup must not lock the clinic out.
    logThrottleError("read", error);
  }
  const seconds = lockedFor(record, Date.now());
  if (seconds > 0) {
    c.header("Retry-After", String(seconds));
    return await answer(c, seconds);
  }
  c.set("throttle", { key, record });
  await next();
};

function logThrottleError(step: "read" | "write", error: unknown): void {
  console.error(JSON.stringify({
    event: "http.throttle",
    step,
    name: (error as Error)?.name,
    message: (error as Error)?.message,
  }));
}

/** The caller a key belongs to: the admin (SYNC_TOKEN), a clinic, or no one (undefined). */
async function callerOf(presented: string, env: Env): Promise<Caller | undefined> {
  // Compared in constant time (both sides hashed first).
  if (await timingSafeEqual(syncToken(env) ?? "", presented)) return { admin: true };
  const targets: string[] = [];
  for (const { id, key } of targetKeys(env).keys) {
    if (await timingSafeEqual(key, presented)) targets.push(id);
  }
  return targets.length > 0 ? { admin: false, targets } : undefined;
}

/** Whether the presented key opens anything; a wrong one is counted against its client. */
async function verified(presented: string, c: Context<AppEnv>): Promise<boolean> {
  const caller = await callerOf(presented, c.env);
  if (caller) {
    c.set("caller", caller);
    return true;
  }
  const throttled = c.get("throttle");
  if (throttled) {
    try {
      await recordFailure(c.env.SYNC_STATE, throttled.key, throttled.record, Date.now());
    } catch (error) {
      logThrottleError("write", error);
    }
  }
  return false;
}

const unauthorized = (c: Context<AppEnv>) => {
  c.header("WWW-Authenticate", 'Bearer realm="calltouch-sheet-sync"');
  return c.json(errorBody({ kind: "auth", message: http(c).unauthorized }), 401);
};

/** The HTTP layer's words, in the deployment's language. */
function http(c: Context<AppEnv>) {
  return words(languageOf(c.env)).http;
}

/** Requires `Authorization: Bearer <key>`; a missing, malformed or wrong one is a 401. */
const requireBearer: MiddlewareHandler<AppEnv> = every(
  requireSyncToken((c) => c.json(errorBody(missingToken(languageOf(c.env))), 500)),
  throttle((c, seconds) =>
    c.json(
      errorBody({
        kind: "throttled",
        message: http(c).throttled(seconds),
        retryAfterSeconds: seconds,
      }),
      429,
    )
  ),
  bearerAuth({
    realm: "calltouch-sheet-sync",
    verifyToken: verified,
    noAuthenticationHeader: { message: unauthorized },
    invalidAuthenticationHeader: { message: unauthorized },
    invalidToken: { message: unauthorized },
  }),
);

/** Requires HTTP Basic auth whose password is a key (any user name). */
const requireBasic: MiddlewareHandler<AppEnv> = every(
  requireSyncToken((c) => c.text(http(c).panelDisabled, 500)),
  throttle((c, seconds) =>
    c.html(<ThrottledPage language={languageOf(c.env)} seconds={seconds} />, 429)
  ),
  basicAuth({
    realm: "calltouch-sheet-sync",
    verifyUser: (_user, password, c) => verified(password, c),
    invalidUserMessage: (c: Context<AppEnv>) => http(c).basicInvalid,
  }),
);

/** The refusal of a clinic's key on a bearer route: the same whatever was asked for. */
function forbiddenJson(c: Context<AppEnv>, targets: readonly string[]): Response {
  return c.json(
    errorBody({ kind: "forbidden", message: http(c).forbidden(targets), targets }),
    403,
  );
}

/** The refusal of a clinic's key on the panel: links to what it does open. */
function forbiddenPage(
  c: Context<AppEnv>,
  targets: readonly string[],
): Response | Promise<Response> {
  const own = loadTargets(c.env).targets.find((target) => targets.includes(target.id));
  return c.html(
    <ForbiddenPage language={languageOf(own?.env ?? c.env)} targets={targets} />,
    403,
  );
}

/** A query flag: `?dryRun=1`, `=true` or `=yes`. */
function flag(c: Context<AppEnv>, name: string): boolean {
  return ["1", "true", "yes"].includes(c.req.query(name) ?? "");
}

/** What a request is about: one target, or (several targets, none named) all of them. */
type Chosen =
  | { target: TargetSettings; several: boolean }
  | { broken: { id: string; problems: string[] }; error: Response }
  | { all: Targets }
  | { error: Response };

/**
 * The target a request names: `?target=ID`; or `?spreadsheet=ID&tab=name` (the sheet's menu
 * sends its own sheet and tab); or the only one. Several targets and none named: all.
 */
function chosenTarget(c: Context<AppEnv>): Chosen {
  const loaded = loadTargets(c.env);
  const several = loaded.targets.length + loaded.problems.length > 1 ||
    typeof c.env.TARGETS === "string" && c.env.TARGETS.trim() !== "";
  const notFound = (message: string): Chosen => ({
    error: c.json(errorBody({ kind: "not_found", message }), 404),
  });
  const id = c.req.query("target");
  if (id !== undefined) {
    const target = loaded.targets.find((t) => t.id === id);
    if (target) return { target, several };
    const problems = problemsOf(loaded.problems, id);
    if (problems.length > 0) {
      const message = words(languageOf(c.env)).run.config(problems);
      return {
        broken: { id, problems },
        error: c.json(errorBody({ kind: "config", message, problems }), 500),
      };
    }
    return notFound(http(c).noTarget(id));
  }
  // The sheet's menu sends its own sheet and tab: with one target, that target (as before).
  const spreadsheet = c.req.query("spreadsheet");
  if (spreadsheet !== undefined && several) {
    const tab = c.req.query("tab");
    const ofSheet = loaded.targets.filter((t) =>
      spreadsheetIdFrom(String(t.env.SPREADSHEET_ID ?? "")) === spreadsheet
    );
    const target = ofSheet.find((t) => tab !== undefined && t.env.SHEET_NAME === tab) ??
      ofSheet.find((t) => !t.env.SHEET_NAME) ?? (ofSheet.length === 1 ? ofSheet[0] : undefined);
    if (target) return { target, several };
    return notFound(http(c).noTargetOfSheet(tab));
  }
  if (!several && loaded.targets.length === 1) return { target: loaded.targets[0], several };
  return { all: loaded };
}

/**
 * What a request names, when the caller's key opens it; otherwise `refuse`'s answer. A clinic's
 * key is refused alike for another target, for one that does not exist, and for all of them:
 * the refusal tells nothing about other clinics.
 */
function permitted(
  c: Context<AppEnv>,
  refuse: (c: Context<AppEnv>, targets: readonly string[]) => Response | Promise<Response>,
): Chosen | { refused: Response | Promise<Response> } {
  const chosen = chosenTarget(c);
  const caller = c.get("caller");
  if (caller.admin) return chosen;
  const id = "target" in chosen
    ? chosen.target.id
    : "broken" in chosen
    ? chosen.broken.id
    : undefined;
  if (id !== undefined && caller.targets.includes(id)) return chosen;
  return { refused: refuse(c, caller.targets) };
}

/** A dry run without its payloads, and why. */
type WithheldDryRun = Omit<DryRunReport, "payloads"> & { payloadsWithheld: string };

/**
 * A dry run's answer for a clinic's key: the report and its table without contacts (what the
 * panel shows), not the exact payloads, which carry the patients' contacts.
 */
function withoutPayloads(report: DryRunReport, language: Language): WithheldDryRun {
  const { payloads: _payloads, ...rest } = report;
  return { ...rest, payloadsWithheld: words(language).http.payloadsWithheld };
}

function syncOptions(c: Context<AppEnv>): SyncOptions {
  const dryRun = flag(c, "dryRun");
  return {
    trigger: dryRun ? "dry-run" : "manual",
    retryHeld: flag(c, "retryHeld"),
    // With a queue, runs of one target may happen in other invocations: send under the lease.
    lease: syncQueue(c.env) !== undefined,
  };
}

async function sync(c: Context<AppEnv>) {
  const chosen = permitted(c, forbiddenJson);
  if ("refused" in chosen) return chosen.refused;
  if ("error" in chosen) return chosen.error;
  const options = syncOptions(c);
  if ("all" in chosen) {
    const done = await runEveryTarget(c.env, options);
    if ("enqueued" in done) return c.json({ ok: done.problems.length === 0, ...done }, 202);
    const ok = done.problems.length === 0 && done.reports.every(({ report }) => report.ok);
    return c.json({ ok, ...done }, ok ? 200 : 207);
  }
  const { target } = chosen;
  const language = languageOf(target.env);
  const report = await runSync(target.config, workerDeps(c.env), { ...options, language });
  if (options.trigger !== "dry-run") logRun(report, target.id);
  if (report.skipped) {
    return c.json({
      ...report,
      ok: false,
      error: { kind: "busy", message: words(language).http.busy },
    }, 409);
  }
  const status = report.error ? ERROR_STATUS[report.error.kind] : 200;
  const answer = !c.get("caller").admin && isDryRun(report)
    ? withoutPayloads(report, language)
    : report;
  return c.json(answer, status);
}

function isDryRun(report: RunReport): report is DryRunReport {
  return "payloads" in report;
}

async function setup(c: Context<AppEnv>) {
  const chosen = permitted(c, forbiddenJson);
  if ("refused" in chosen) return chosen.refused;
  if ("error" in chosen) return chosen.error;
  if ("all" in chosen) {
    const results = [];
    for (const target of chosen.all.targets) {
      const answer = await setupOne(c, target.env).catch((error) =>
        errorAnswer(c, error, languageOf(target.env))
      );
      results.push({ target: target.id, ...(await answer.json()) });
    }
    const ok = chosen.all.problems.length === 0 && results.every((r) => r.ok);
    return c.json({ ok, targets: results, problems: chosen.all.problems }, ok ? 200 : 207);
  }
  return await setupOne(c, chosen.target.env);
}

/** Prepares one target's tab; a failure reaches `app.onError` (or the caller) as it is. */
async function setupOne(c: Context<AppEnv>, env: SettingsEnv) {
  const report = await setupSheetFromConfig(loadConfig(env), {
    store: c.env.SYNC_STATE,
    // Sheet setup reads Google too: within the service account's quota, as the runs do.
    googleReadGate: workerDeps(c.env).googleReadGate,
  });
  return c.json({ ok: true, ...report });
}

/** The answer to a failure: its run error (see `runErrorOf`) with the status of its kind. */
function errorAnswer(c: Context<AppEnv>, error: unknown, language = languageOf(c.env)) {
  const runError = runErrorOf(error, language);
  return c.json(errorBody(runError), ERROR_STATUS[runError.kind]);
}

/** The control panel (of the target chosen, or the list of targets), with a button's result. */
async function statusPage(c: Context<AppEnv>, result?: ActionResult) {
  const chosen = permitted(c, forbiddenPage);
  if ("refused" in chosen) return chosen.refused;
  if ("broken" in chosen) {
    // A target left out for its settings: its panel lists what to fix.
    return c.html(
      <StatusPage
        language={languageOf(c.env)}
        history={[]}
        configProblems={chosen.broken.problems}
        timeZone="Europe/Moscow"
        targetId={chosen.broken.id}
      />,
      500,
    );
  }
  if ("error" in chosen) return chosen.error;
  if ("all" in chosen) return targetsPage(c, chosen.all);
  const { target, several } = chosen;
  const config = target.config instanceof ConfigError ? undefined : target.config;
  const configProblems = target.config instanceof ConfigError ? target.config.problems : undefined;
  const history = config ? await readHistory(c.env.SYNC_STATE, targetOf(config)) : [];
  const lastCron = history.find((run) => run.cron)?.cron;
  const timeZone = result?.report.timeZone ?? history.find((run) => run.timeZone)?.timeZone;
  const deadLetters = (await readDeadLetters(c.env.SYNC_STATE))
    .filter((letter) => letter.target === target.id);
  return c.html(
    <StatusPage
      language={languageOf(target.env)}
      history={history}
      configProblems={configProblems}
      timeZone={timeZone ?? "Europe/Moscow"}
      nextRunAt={lastCron ? nextCronRun(lastCron, Date.now()) : undefined}
      target={config ? targetOf(config) : undefined}
      zones={config && timeZone ? zonesOf(config, timeZone) : undefined}
      result={result}
      targetId={several ? target.id : undefined}
      deadLetters={deadLetters}
    />,
  );
}

/**
 * Several targets (the admin's overview): each one's last run (one history read per target),
 * with what is wrong with the targets left out and with the clinics' keys.
 */
async function targetsPage(c: Context<AppEnv>, all: Targets) {
  const lines: TargetLine[] = await Promise.all(all.targets.map(async ({ id, config }) => {
    // Every target of a TARGETS list has settings that could be read (else it is a problem).
    const target = targetOf(config as Config);
    const [latest] = await readHistory(c.env.SYNC_STATE, target);
    return { id, target, latest };
  }));
  const timeZone = lines.find((line) => line.latest?.timeZone)?.latest?.timeZone;
  // The deployment's cron, as its last scheduled runs carried it.
  const cron = lines.map((line) => line.latest?.cron).find((value) => value !== undefined);
  const quota = cron
    ? quotaFit(
      all.targets.map(({ id, config }) => ({
        id,
        account: (config as Config).google.serviceAccount.clientEmail,
      })),
      cron,
      Date.now(),
      readsPerMinuteOf(c.env),
    )
    : undefined;
  return c.html(
    <TargetsPage
      language={languageOf(c.env)}
      timeZone={timeZone ?? "Europe/Moscow"}
      targets={lines}
      problems={all.problems}
      keyProblems={targetKeys(c.env).problems}
      quota={quota}
    />,
  );
}

/** A button of the control panel: runs its target, then shows the panel with the result. */
async function panelAction(c: Context<AppEnv>) {
  const action = c.req.param("action") ?? "";
  if (!isPanelAction(action)) {
    return c.json(errorBody({ kind: "not_found", message: http(c).noAction(action) }), 404);
  }
  const chosen = permitted(c, forbiddenPage);
  if ("refused" in chosen) return chosen.refused;
  if ("broken" in chosen) return statusPage(c);
  if ("error" in chosen) return chosen.error;
  if ("all" in chosen) return targetsPage(c, chosen.all);
  const options = {
    ...runOptionsOf(action),
    lease: syncQueue(c.env) !== undefined,
    language: languageOf(chosen.target.env),
  };
  const report = await runSync(chosen.target.config, workerDeps(c.env), options);
  if (options.trigger !== "dry-run") logRun(report, chosen.target.id);
  return statusPage(c, { action, report });
}

/** The language of what people read (`STATUS_LANGUAGE`; Russian unless it says en). */
function languageOf(env: SettingsEnv): Language {
  return languageOfSetting(env.STATUS_LANGUAGE);
}

/** Builds the Hono app. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(SECURITY_HEADERS);
  app.use(async (c, next) => {
    await next();
    // Every answer states the language: the Apps Script menu follows it (sheets/apps-script).
    c.res.headers.set("Content-Language", languageOf(c.env));
    // Answers carry run reports, panels and (to the admin) contacts: no cache keeps them.
    c.res.headers.set("Cache-Control", "no-store");
  });
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.post("/sync", requireBearer, sync);
  app.post("/setup", requireBearer, setup);
  app.get("/", requireBasic, (c) => statusPage(c));
  // The panel's buttons are plain forms: a cross-site form post (which the browser would send
  // with the page's Basic credentials) is refused by its Origin / Sec-Fetch-Site.
  app.post("/actions/:action", csrf(), requireBasic, panelAction);
  app.notFound((c) =>
    c.json(
      errorBody({ kind: "not_found", message: http(c).noRoute(c.req.method, c.req.path) }),
      404,
    )
  );
  app.onError((error, c) => {
    // The auth middleware answers through an HTTPException that carries its response.
    if (error instanceof HTTPException) return error.getResponse();
    // Settings, Google, Calltouch: their kind's status; anything else is logged (no stack, no
    // request data) and answered 500.
    return errorAnswer(c, error);
  });
  return app;
}
