/**
 * Human output of the command-line tool: short tables of counts, requests and the rows that
 * need attention. Pure (reports in, text out), worded by the catalog's `cli` section in the
 * tool's language (`--language`, English by default). Only the dry run's payloads carry
 * contacts; every other text comes from reports, which hold none.
 */
import { cliWords } from "../words/cli.ts";
import { CALLTOUCH_PATHS } from "../calltouch/client.ts";
import { COLUMN_DOCS } from "../columns/header.ts";
import type { Language } from "../deal.ts";
import type { RowReport, RunError, RunReport } from "../sync/report.ts";
import type { DryRunReport, SyncProgress } from "../sync/run.ts";
import type { CheckReport } from "./check.ts";

/** Rows listed in a table at most; the rest are counted (and all are in `--json`). */
export const MAX_LISTED_ROWS = 100;

/** The command line's language when `--language` does not say. */
export const DEFAULT_CLI_LANGUAGE: Language = "en";

/** Where a run's settings and state came from, for the first line of the output. */
export interface RenderContext {
  /** The settings file used, if any. */
  settingsFile?: string;
  /** The state file. */
  statePath: string;
  /** The tool's language. Default {@linkcode DEFAULT_CLI_LANGUAGE}. */
  language?: Language;
}

function cli(language: Language | undefined) {
  return cliWords(language ?? DEFAULT_CLI_LANGUAGE);
}

/**
 * Lays out rows as aligned columns, two spaces apart; `right` columns are right-aligned. The
 * last column is not padded.
 *
 * @example
 * table(["row", "ID"], [["2", "1001"]], { right: [0] }); // "row  ID\n  2  1001"
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { right?: readonly number[]; indent?: string } = {},
): string {
  const right = new Set(options.right ?? []);
  const indent = options.indent ?? "";
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    indent + cells.map((cell, i) => {
      if (i === cells.length - 1 && !right.has(i)) return cell;
      return right.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
    }).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function countsTable(report: RunReport, dryRun: boolean, language?: Language): string {
  const c = report.counts;
  const n = cli(language).counts;
  const columns: [string, number][] = dryRun
    ? [
      [n.rows, c.rows],
      [n.toCreate, c.created],
      [n.toUpdate, c.updated],
      [n.unchanged, c.unchanged],
      [n.held, c.held],
      [n.invalid, c.invalid],
    ]
    : [
      [n.rows, c.rows],
      [n.created, c.created],
      [n.updated, c.updated],
      [n.unchanged, c.unchanged],
      [n.held, c.held],
      [n.invalid, c.invalid],
      [n.failed, c.failed],
      [n.retrying, c.retrying],
    ];
  return table(
    columns.map(([name]) => name),
    [columns.map(([, n]) => String(n))],
    { right: columns.map((_, i) => i), indent: "  " },
  );
}

function rowsTable(
  title: string,
  rows: readonly RowReport[],
  options: { withAction?: boolean; language?: Language } = {},
): string {
  const t = cli(options.language);
  const listed = rows.slice(0, MAX_LISTED_ROWS);
  const { row, id, action, message } = t.columns;
  const header = options.withAction ? [row, id, action, message] : [row, id, message];
  const body = listed.map((r) => {
    const cells = [String(r.row), r.orderNumber ?? "—"];
    if (options.withAction) cells.push(t.actions[r.action]);
    cells.push(r.message);
    return cells;
  });
  const more = rows.length - listed.length;
  return `${t.listed(title, rows.length)}\n` +
    table(header, body, { right: [0], indent: "  " }) +
    (more > 0 ? `\n  ${t.moreRows(more)}` : "");
}

/** The lines of a run-level error. */
export function renderError(
  error: RunError,
  context?: { settingsFile?: string; language?: Language },
): string {
  const t = cli(context?.language);
  if (error.kind === "config") {
    const problems = error.problems ?? [error.message];
    return `${t.settingsProblems(problems.length)}\n` +
      problems.map((p) => `  - ${p}`).join("\n") +
      `\n${t.setThemIn(context?.settingsFile)}`;
  }
  return `${t.errorKind[error.kind]}:\n  ${error.message.replaceAll("\n", "\n  ")}`;
}

function headline(command: string, report: RunReport, context: RenderContext): string {
  const t = cli(context.language);
  const parts = [
    report.startedAt,
    t.seconds((report.durationMs / 1000).toFixed(1)),
    report.timeZone ? t.timeZone(report.timeZone) : undefined,
    t.settings(context.settingsFile),
    t.state(context.statePath),
  ].filter(Boolean);
  return `${command}: ${parts.join(" · ")}`;
}

/** A sync's report for people: counts, requests, the rows that need attention, the error. */
export function renderRun(report: RunReport, context: RenderContext): string {
  const { language } = context;
  const t = cli(language);
  const quiet = report.quiet ? ` · ${t.quiet}` : "";
  const out = [headline("sync", report, context) + quiet, ""];
  // A run that failed before reading any row has no counts worth a table.
  if (!report.error || report.counts.rows > 0) out.push(countsTable(report, false, language), "");
  out.push(t.requests(report.requests));
  const attention = report.rows.filter((r) => !r.ok);
  if (attention.length > 0) out.push("", rowsTable(t.attention, attention, { language }));
  if (report.error) out.push("", renderError(report.error, context));
  out.push("", verdict(report, language));
  return out.join("\n") + "\n";
}

/** A dry run for people: the plan, the rows that need attention, and the exact payloads. */
export function renderDryRun(
  report: DryRunReport,
  context: RenderContext & { calltouchApiUrl: string },
): string {
  const { language } = context;
  const t = cli(language);
  const out = [
    `${headline("sync --dry-run", report, context)} · ${t.dryRun}`,
    "",
    countsTable(report, true, language),
  ];
  const planned = report.rows.filter((r) =>
    r.ok && (r.action === "create" || r.action === "update")
  );
  if (planned.length > 0) {
    out.push("", rowsTable(t.wouldSend, planned, { withAction: true, language }));
  }
  const attention = report.rows.filter((r) => !r.ok);
  if (attention.length > 0) out.push("", rowsTable(t.attention, attention, { language }));
  if (report.error) out.push("", renderError(report.error, context));
  // A dry run that failed before planning has no payloads.
  const payloads = (report as Partial<DryRunReport>).payloads ?? { create: [], update: [] };
  const requests = [
    ...payloads.create.map((body) => ({ path: CALLTOUCH_PATHS.create, body })),
    ...payloads.update.map((body) => ({ path: CALLTOUCH_PATHS.update, body })),
  ];
  if (requests.length > 0) {
    out.push("", t.requestsToSend(requests.length));
    requests.forEach(({ path, body }, i) => {
      out.push(
        "",
        t.request(i + 1, `${context.calltouchApiUrl}${path}`, body.orders.length),
        JSON.stringify(body, null, 2),
      );
    });
  } else if (!report.error) out.push("", t.nothingToSend);
  out.push("", verdict(report, language));
  return out.join("\n") + "\n";
}

function verdict(report: RunReport, language?: Language): string {
  const t = cli(language);
  if (report.error) return t.exitFatal;
  const c = report.counts;
  const parts: string[] = [];
  if (c.invalid) parts.push(t.invalid(c.invalid));
  if (c.held) parts.push(t.held(c.held));
  if (c.failed - c.retrying) parts.push(t.refused(c.failed - c.retrying));
  if (c.retrying) parts.push(t.retrying(c.retrying));
  return parts.length > 0 ? t.exitRows(parts) : t.exitOk;
}

/** A check for people: the header mapping, the status column, the row problems. */
export function renderCheck(report: CheckReport, context: RenderContext): string {
  const language = context.language ?? DEFAULT_CLI_LANGUAGE;
  const t = cli(language);
  const out = [
    `check: ${t.checkHeadline(report.spreadsheetId, report.tab, report.siteId)} · ${
      t.settings(context.settingsFile)
    }`,
  ];
  if (report.timeZone) {
    out.push(t.zones(report.timeZone, report.calltouchTimeZone ?? report.timeZone));
  }
  out.push(report.journal ? t.journalOn : t.journalOff);
  if (report.stateKey) {
    const { source, id, state } = report.stateKey;
    out.push(t.stateKey(source, id.slice(0, 8), state));
  }
  const header = report.header;
  if (header) {
    out.push("", t.headerTitle);
    const rows = header.columns.map((c) => [
      c.column,
      c.header,
      c.customField !== undefined
        ? t.customField(c.customField)
        : c.field === undefined
        ? t.ignored
        : c.duplicateOf
        ? t.duplicate(c.duplicateOf, COLUMN_DOCS[c.field][language])
        : t.field(c.field, COLUMN_DOCS[c.field][language]),
    ]);
    if (header.status && !header.status.exists) {
      rows.push([header.status.column, "", t.statusWillBe(header.status.header)]);
    }
    const { column, header: title, recognised } = t.columns;
    out.push(table([column, title, recognised], rows, { indent: "  " }));
    if (header.status?.exists) {
      out.push(t.statusColumn(header.status.column, header.status.header));
    }
    if (header.missing.length > 0) out.push(t.missingColumns(header.missing));
  }
  if (report.counts) out.push("", t.rowCounts(report.counts));
  for (const warning of report.warnings) out.push(t.warning(warning));
  if (report.problems.length > 0) {
    const listed = report.problems.slice(0, MAX_LISTED_ROWS);
    const { row, id, message } = t.columns;
    out.push(
      "",
      t.rowProblems(report.problems.length),
      table(
        [row, id, message],
        listed.map((p) => [String(p.row), p.orderNumber ?? "—", p.message]),
        { right: [0], indent: "  " },
      ),
    );
    const more = report.problems.length - listed.length;
    if (more > 0) out.push(`  ${t.moreRows(more)}`);
  }
  if (report.error) out.push("", renderError(report.error, context));
  out.push(
    "",
    report.error
      ? t.checkFatal
      : report.problems.length > 0
      ? t.checkRows(report.counts?.invalid ?? 0)
      : t.checkOk,
  );
  return out.join("\n") + "\n";
}

/** One progress line of a long run. */
export function renderProgress(event: SyncProgress, language?: Language): string {
  return `${cli(language).progress(event.done, event.total, event.operation, event.batch)}\n`;
}
