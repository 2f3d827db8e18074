/**
 * The command-line tool as a function: arguments, environment and output in, exit code out, so
 * it runs the same under Deno, Bun and in tests. `src/cli.ts` wires it to the process.
 */
import { cliWords } from "../words/cli.ts";
import { resolve } from "node:path";
import { CALLTOUCH_BATCH_SIZE } from "../calltouch/client.ts";
import { type Config, ConfigError, loadConfig } from "../settings/config.ts";
import {
  DEFAULT_TARGET,
  loadTargets,
  problemsOf,
  type TargetSettings,
} from "../settings/targets.ts";
import { DEFAULT_STATE_FILE, FileStore, StateFileError } from "../store/file.ts";
import { MemoryStore } from "../store/memory.ts";
import { runErrorOf } from "../sync/report.ts";
import { type DryRunReport, runFromSettings, runSync } from "../sync/run.ts";
import type { Clock } from "../util/clock.ts";
import type { Language } from "../deal.ts";
import { parseCommandLine } from "./args.ts";
import { sourceDigest } from "./build.ts";
import { probeCommand } from "./probe.ts";
import { renderVerify, verifyDeals, verifyExitCode } from "./verify.ts";
import { type CheckReport, checkSheet, deploymentCron, describeQuota } from "./check.ts";
import { quotaFit } from "../schedule.ts";
import { checkExitCode, EXIT, type ExitCode, runExitCode } from "./exit.ts";
import {
  DEFAULT_CLI_LANGUAGE,
  renderCheck,
  renderDryRun,
  renderError,
  renderProgress,
  renderRun,
} from "./render.ts";
import { words } from "../words/mod.ts";
import { gatherSettings, SettingsFileError } from "../settings/env_file.ts";
import { setupSheetFromConfig } from "../setup/run.ts";
import { UpstreamError } from "../util/errors.ts";
import { KeyFileError, withKeyFile } from "./key_file.ts";
import { USAGE, USAGE_HINT } from "./usage.ts";

/** What the tool needs from its process; tests pass their own. */
export interface CliIo {
  /** The process environment. */
  env: Record<string, string | undefined>;
  /** The working directory: `.env`, `.dev.vars` and the default state file are found there. */
  cwd: string;
  /** Writes to standard output (the report). */
  stdout(text: string): void;
  /** Writes to standard error (progress, argument and file errors). */
  stderr(text: string): void;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: the system clock. */
  clock?: Clock;
}

/**
 * Runs one command and returns its exit code (see `--help`): 0 all good, 1 some rows need
 * attention, 2 nothing could be done.
 *
 * @example
 * const code = await main(["sync", "--json"], { env: process.env, cwd: process.cwd(),
 *   stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
 */
export async function main(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const invocation = parseCommandLine(args);
  if (typeof invocation === "string") {
    io.stderr(`error: ${invocation}\n${USAGE_HINT}\n`);
    return EXIT.fatal;
  }
  if (invocation.command === "help") {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const { json } = invocation;
  const language = invocation.language ?? DEFAULT_CLI_LANGUAGE;
  const t = words(language);
  const tc = cliWords(language);
  const statePath = invocation.state ?? DEFAULT_STATE_FILE;

  let gathered;
  try {
    gathered = await gatherSettings({ env: io.env, cwd: io.cwd, envFile: invocation.envFile });
    // The probe talks to Calltouch only: a key file it does not need cannot stop it.
    if (invocation.command !== "probe") {
      gathered = { ...gathered, settings: await withKeyFile(gathered.settings, io.cwd) };
    }
  } catch (error) {
    if (!(error instanceof SettingsFileError) && !(error instanceof KeyFileError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return EXIT.fatal;
  }
  const context = { settingsFile: gathered.file, statePath, language };
  for (const warning of gathered.warnings) io.stderr(`warning: ${warning}\n`);
  /** The chosen target's settings, read once (with TARGETS). */
  let targetConfig: Config | undefined;
  if (gathered.settings.TARGETS !== undefined) {
    // Several targets: the command runs the one --target names (or the only one).
    const { targets, problems } = loadTargets(gathered.settings);
    const id = invocation.target ??
      (targets.length === 1 && problems.length === 0 ? targets[0].id : undefined);
    const chosen = targets.find((target) => target.id === id);
    if (!chosen && invocation.command === "check" && invocation.target === undefined) {
      return await checkEveryTarget(targets, problems, { io, json, statePath, language });
    }
    if (!chosen) {
      const mine = id === undefined ? [] : problemsOf(problems, id);
      const ids = targets.map((target) => target.id);
      const message = id === undefined
        ? tc.chooseTarget(targets.length + problems.length > 1, ids)
        : mine.length > 0
        ? t.run.config(mine)
        : tc.noTarget(id, ids);
      io.stderr(`error: ${message}\n`);
      return EXIT.fatal;
    }
    gathered = { ...gathered, settings: chosen.env as Record<string, string> };
    if (!(chosen.config instanceof ConfigError)) targetConfig = chosen.config;
  } else if (invocation.target !== undefined && invocation.target !== DEFAULT_TARGET) {
    io.stderr(`error: ${tc.targetNeedsTargets}\n`);
    return EXIT.fatal;
  }

  if (invocation.command === "setup") {
    return await setupCommand(gathered.settings, { io, json, context });
  }

  if (invocation.command === "probe") {
    let probeConfig: Config;
    try {
      probeConfig = loadConfig(gathered.settings, { needs: ["calltouch"] });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.stderr(renderError(runErrorOf(error, language), context) + "\n");
      return EXIT.fatal;
    }
    return await probeCommand(probeConfig, { ...invocation, json, language }, io);
  }

  let config: Config;
  try {
    config = targetConfig ?? loadConfig(gathered.settings);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const runError = runErrorOf(error, language);
    if (!json) io.stderr(renderError(runError, context) + "\n");
    else if (invocation.command === "check") {
      io.stdout(
        toJson({ ok: false, spreadsheetId: "", problems: [], warnings: [], error: runError }),
      );
    } else {
      // The same report the Worker answers with, built without any I/O.
      const trigger = invocation.dryRun ? "dry-run" : "manual";
      io.stdout(toJson(
        await runFromSettings(gathered.settings, { store: new MemoryStore() }, {
          trigger,
        }),
      ));
    }
    return EXIT.fatal;
  }

  let store: FileStore;
  try {
    store = await FileStore.open(resolve(io.cwd, statePath));
  } catch (error) {
    const message = error instanceof StateFileError
      ? error.message
      : tc.stateUnreadable(statePath, (error as Error).message);
    io.stderr(`error: ${message}\n`);
    return EXIT.fatal;
  }

  // What every command reaches the sheet, Calltouch and the state with.
  const deps = { store, fetch: io.fetch, clock: io.clock, language };
  if (invocation.command === "check") {
    const report: CheckReport = await checkSheet(config, deps);
    io.stdout(json ? toJson(report) : renderCheck(report, context));
    return checkExitCode(report);
  }

  if (invocation.command === "verify") {
    const report = await verifyDeals(config, deps);
    io.stdout(json ? toJson(report) : renderVerify(report, language));
    return verifyExitCode(report);
  }

  const report = await runSync(config, {
    ...deps,
    build: await sourceDigest(),
    onProgress: json ? undefined : (event) => {
      // Only runs of several batches are long enough to be worth a progress line.
      if (event.total > CALLTOUCH_BATCH_SIZE) io.stderr(renderProgress(event, language));
    },
  }, { trigger: invocation.dryRun ? "dry-run" : "manual", retryHeld: invocation.retryHeld });
  if (json) io.stdout(toJson(report));
  else if (invocation.dryRun) {
    io.stdout(renderDryRun(report as DryRunReport, {
      ...context,
      calltouchApiUrl: config.calltouch.apiUrl,
    }));
  } else io.stdout(renderRun(report, context));
  return runExitCode(report);
}

function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/**
 * `check` with several targets and none named: every target checked (sheet shared? tab there?
 * header usable?), one line each, and every settings problem; the worst exit code.
 */
async function checkEveryTarget(
  targets: TargetSettings[],
  problems: string[],
  context: { io: CliIo; json: boolean; statePath: string; language: Language },
): Promise<ExitCode> {
  const { io, json, statePath, language } = context;
  const t = cliWords(language);
  let store: FileStore;
  try {
    store = await FileStore.open(resolve(io.cwd, statePath));
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return EXIT.fatal;
  }
  const reports: { target: string; report: CheckReport }[] = [];
  for (const target of targets) {
    const config = target.config;
    if (config instanceof ConfigError) continue; // listed among `problems`
    reports.push({
      target: target.id,
      report: await checkSheet(config, { store, fetch: io.fetch, clock: io.clock, language }),
    });
  }
  const { cron, from } = await deploymentCron(io.cwd);
  const fit = quotaFit(
    targets.map((target) => ({
      id: target.id,
      account: target.config instanceof ConfigError
        ? ""
        : target.config.google.serviceAccount.clientEmail,
    })),
    cron,
    io.clock?.now() ?? Date.now(),
    targets.map(({ config }) => config).find((config): config is Config =>
      !(config instanceof ConfigError)
    )?.google.readsPerMinute,
  );
  const quota = {
    cron,
    cronFrom: from,
    targets: targets.length,
    perTick: fit.perTick,
    fits: fit.fits,
    everyMinutes: fit.everyMinutes,
    ...(fit.suggestedCron ? { suggestedCron: fit.suggestedCron } : {}),
    accountsNeeded: fit.accountsNeeded,
    accounts: fit.accounts,
  };
  if (json) io.stdout(toJson({ ok: problems.length === 0, targets: reports, problems, quota }));
  else {
    const lines = [`check: ${t.targetsHeadline(reports.length + problems.length)}`];
    for (const { target, report } of reports) {
      const what = report.error
        ? t.targetFailed(report.error.message.split("\n")[0])
        : t.targetReady(report.counts?.valid ?? 0, report.problems.length);
      lines.push(`  ${target.padEnd(12)} ${t.targetTab(report.tab, report.siteId)}  ${what}`);
    }
    for (const problem of problems) lines.push(`  ${t.targetSettings(problem)}`);
    lines.push(...describeQuota(fit, from, language));
    io.stdout(lines.join("\n") + "\n");
  }
  const codes = reports.map(({ report }) => checkExitCode(report));
  if (problems.length > 0) codes.push(EXIT.fatal);
  return codes.reduce((worst, code) => (code > worst ? code : worst), EXIT.ok as ExitCode);
}

/**
 * `setup`: prepares the deals tab of the target (see `src/setup/run.ts`), with only the sheet's
 * settings: the integrator can run it before the Calltouch key is at hand.
 */
async function setupCommand(
  settings: Record<string, string>,
  options: {
    io: CliIo;
    json: boolean;
    context: { settingsFile?: string; statePath: string; language: Language };
  },
): Promise<ExitCode> {
  const { io, json, context } = options;
  try {
    const config = loadConfig(settings, { needs: ["sheet"] });
    const report = await setupSheetFromConfig(config, { fetch: io.fetch, clock: io.clock });
    io.stdout(json ? toJson({ ok: true, ...report }) : report.text + "\n");
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof UpstreamError) && !(error instanceof ConfigError)) throw error;
    const runError = runErrorOf(error, options.context.language);
    if (json) io.stdout(toJson({ ok: false, error: runError }));
    else io.stderr(renderError(runError, context) + "\n");
    return EXIT.fatal;
  }
}
