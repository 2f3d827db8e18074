/**
 * `verify`: reads the deals tab and Calltouch's deals journal (with CALLTOUCH_STATS_TOKEN) and
 * prints where they disagree: deals missing in Calltouch, another status, sum or deal date, and
 * deals of our `crm` in Calltouch that the sheet does not have. Sends and writes nothing.
 */
import { readJournal } from "../calltouch/journal.ts";
import { type Config, ConfigError, zonesOf } from "../settings/config.ts";
import { connect } from "../connect.ts";
import { findDealsTab } from "../google/sheets.ts";
import type { KeyValueStore } from "../platform.ts";
import { parseSheet } from "../columns/parse.ts";
import type { RunError } from "../sync/report.ts";
import { compareWithJournal, journalWindow, type Verification } from "../sync/verify.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { convertWallClock } from "../util/zones.ts";
import { EXIT, type ExitCode } from "./exit.ts";
import { table } from "./render.ts";

/** What `verify --json` prints. No contacts, no token. */
export interface VerifyReport extends Partial<Verification> {
  ok: boolean;
  /** The deal dates read from the journal (`YYYY-MM-DD`, the project's zone). */
  window?: { from: string; to: string };
  /** Deals the journal returned for that window. */
  journalDeals?: number;
  error?: RunError;
}

/** Reads, compares, and returns the report (never throws for an expected failure). */
export async function verifyDeals(
  config: Config,
  deps: { store: KeyValueStore; fetch?: typeof fetch; clock?: Clock },
): Promise<VerifyReport> {
  const statsToken = config.calltouch.statsToken;
  if (!statsToken) {
    return {
      ok: false,
      error: {
        kind: "config",
        message: "verify reads Calltouch's deals journal: set CALLTOUCH_STATS_TOKEN (the " +
          "statistics token: Calltouch → Интеграции → API; not the deals API key)",
      },
    };
  }
  const clock = deps.clock ?? systemClock;
  const deadline = clock.now() + config.timeBudgetMs;
  const { sheets } = connect(config, { ...deps, clock, deadline, readOnly: true });
  try {
    const info = await sheets.metadata();
    const tab = findDealsTab(info.sheets, config.sheetName)?.title ?? config.sheetName ?? "";
    const sheet = parseSheet(await sheets.readTab(tab), {
      language: config.language,
      timeZone: info.timeZone,
      customFields: config.calltouch.customFields,
    });
    if (!sheet.ok) {
      return { ok: false, error: { kind: "sheet", message: sheet.headerError.message } };
    }
    const zones = zonesOf(config, info.timeZone);
    const toProject = (local: string) => convertWallClock(local, zones.sheet, zones.calltouch);
    const window = journalWindow(sheet.deals, toProject);
    const journal = window
      ? await readJournal({
        baseUrl: config.calltouch.apiUrl,
        siteId: config.calltouch.siteId,
        statsToken,
        ...window,
        clock,
        deadline,
        fetch: deps.fetch,
      })
      : [];
    const sheetIds = new Set<string>(sheet.deals.map((deal) => deal.orderNumber));
    for (const problem of sheet.problems) {
      if (problem.orderNumber) sheetIds.add(problem.orderNumber);
    }
    const verification = compareWithJournal(sheet.deals, journal, {
      crm: config.calltouch.crm,
      sheetIds,
      toProject,
    });
    return {
      ok: verification.mismatches.length === 0,
      ...(window ? { window } : {}),
      journalDeals: journal.length,
      ...verification,
    };
  } catch (error) {
    if (error instanceof UpstreamError) {
      return { ok: false, error: { kind: error.upstream, message: error.message } };
    }
    if (error instanceof ConfigError) {
      return { ok: false, error: { kind: "config", message: error.message } };
    }
    throw error;
  }
}

const WHAT = {
  missing: "not in Calltouch",
  status: "another status",
  revenue: "another sum",
  date: "another deal date",
  extra: "in Calltouch, not in the sheet",
} as const;

/** The report for people. */
export function renderVerify(report: VerifyReport): string {
  if (report.error) return `verify: ${report.error.message}\n`;
  const out = [
    `verify: ${report.checked ?? 0} deals of the sheet against ${
      report.journalDeals ?? 0
    } in Calltouch's journal` +
    (report.window ? ` (deal dates ${report.window.from} … ${report.window.to})` : ""),
  ];
  const mismatches = report.mismatches ?? [];
  if (mismatches.length === 0) out.push("Everything agrees.");
  else {
    out.push(
      "",
      table(
        ["row", "ID", "what", "sheet", "Calltouch"],
        mismatches.map((m) => [
          m.row === undefined ? "—" : String(m.row),
          m.orderNumber,
          WHAT[m.what],
          m.sheet ?? "",
          m.calltouch ?? "",
        ]),
        { right: [0], indent: "  " },
      ),
      "",
      `${mismatches.length} difference(s). A deal changed in Calltouch is overwritten by the ` +
        "sheet's data at its next change; a missing one is sent once its row changes or its " +
        "status cell is cleared.",
    );
  }
  if (report.crmKnown === false) {
    out.push(
      "The journal does not say which CRM created a deal: deals in Calltouch that the sheet " +
        "lacks are not listed.",
    );
  }
  return out.join("\n") + "\n";
}

/** The exit code: 0 all agree, 1 differences, 2 nothing could be compared. */
export function verifyExitCode(report: VerifyReport): ExitCode {
  if (report.error) return EXIT.fatal;
  return report.ok ? EXIT.ok : EXIT.rows;
}
