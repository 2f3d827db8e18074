/**
 * `verify`: reads the deals tab and Calltouch's deals journal (with CALLTOUCH_STATS_TOKEN) and
 * prints where they disagree: deals missing in Calltouch, another status, sum or deal date, and
 * deals of our `crm` in Calltouch that the sheet does not have. Sends and writes nothing.
 */
import { cliWords } from "../words/cli.ts";
import type { Config } from "../settings/config.ts";
import { connect } from "../connect.ts";
import type { KeyValueStore } from "../platform.ts";
import { parseSheet } from "../columns/parse.ts";
import { type RunError, runErrorOf } from "../sync/report.ts";
import { type Verification, verifySheet } from "../sync/deals_journal/mod.ts";
import { readTab } from "../sync/read.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import type { Language } from "../deal.ts";
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
  deps: { store: KeyValueStore; fetch?: typeof fetch; clock?: Clock; language?: Language },
): Promise<VerifyReport> {
  const language = deps.language ?? "en";
  if (!config.calltouch.statsToken) {
    return {
      ok: false,
      error: { kind: "config", message: cliWords(language).verifyNeedsToken },
    };
  }
  const clock = deps.clock ?? systemClock;
  const deadline = clock.now() + config.timeBudgetMs;
  // verify reads the whole journal for the sheet's dates: no run's request budget to share.
  const io = connect({ ...config, maxSubrequests: Infinity }, {
    ...deps,
    clock,
    deadline,
    readOnly: true,
  });
  try {
    const read = await readTab(io.sheets, config);
    const values = read.answer!.values();
    const sheet = parseSheet(values, {
      language: config.language,
      timeZone: read.timeZone,
      customFields: config.calltouch.customFields,
    });
    if (!sheet.ok) {
      return { ok: false, error: { kind: "sheet", message: sheet.headerError.message } };
    }
    const found = await verifySheet(config, io, sheet, {
      sheetZone: read.timeZone,
      clock,
      deadline,
      fetch: deps.fetch,
    });
    if ("error" in found) return { ok: false, error: { kind: "calltouch", message: found.error } };
    return { ok: found.mismatches.length === 0, ...found };
  } catch (error) {
    return { ok: false, error: runErrorOf(error, language) };
  }
}

/** The report for people, in the tool's language (default English). */
export function renderVerify(report: VerifyReport, language: Language = "en"): string {
  const t = cliWords(language);
  if (report.error) return `verify: ${report.error.message}\n`;
  const out = [
    `verify: ${t.verifyHeadline(report.checked ?? 0, report.journalDeals ?? 0, report.window)}`,
  ];
  const mismatches = report.mismatches ?? [];
  if (mismatches.length === 0) out.push(t.agrees);
  else {
    const { row, id, what, sheet, calltouch } = t.columns;
    out.push(
      "",
      table(
        [row, id, what, sheet, calltouch],
        mismatches.map((m) => [
          m.row === undefined ? "—" : String(m.row),
          m.orderNumber,
          t.mismatch[m.what],
          m.sheet ?? "",
          m.calltouch ?? "",
        ]),
        { right: [0], indent: "  " },
      ),
      "",
      t.differences(mismatches.length),
    );
  }
  if (report.crmKnown === false) out.push(t.crmUnknown);
  return out.join("\n") + "\n";
}

/** The exit code: 0 all agree, 1 differences, 2 nothing could be compared. */
export function verifyExitCode(report: VerifyReport): ExitCode {
  if (report.error) return EXIT.fatal;
  return report.ok ? EXIT.ok : EXIT.rows;
}
