/**
 * Human output of the command-line tool: short tables of counts, requests and the rows that
 * need attention. Pure (reports in, text out). Only the dry run's payloads carry contacts; every
 * other text comes from reports, which hold none.
 */
import { CALLTOUCH_PATHS } from "../calltouch/client.ts";
import { COLUMN_DOCS } from "../columns/header.ts";
import type { RowReport, RunError, RunReport } from "../sync/report.ts";
import type { DryRunReport, SyncProgress } from "../sync/run.ts";
import type { CheckReport } from "./check.ts";

/** Rows listed in a table at most; the rest are counted (and all are in `--json`). */
export const MAX_LISTED_ROWS = 100;

/** Where a run's settings and state came from, for the first line of the output. */
export interface RenderContext {
  /** The settings file used, if any. */
  settingsFile?: string;
  /** The state file. */
  statePath: string;
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

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function countsTable(report: RunReport, dryRun: boolean): string {
  const c = report.counts;
  const columns: [string, number][] = dryRun
    ? [
      ["rows", c.rows],
      ["to create", c.created],
      ["to update", c.updated],
      ["unchanged", c.unchanged],
      ["held", c.held],
      ["invalid", c.invalid],
    ]
    : [
      ["rows", c.rows],
      ["created", c.created],
      ["updated", c.updated],
      ["unchanged", c.unchanged],
      ["held", c.held],
      ["invalid", c.invalid],
      ["failed", c.failed],
      ["retrying", c.retrying],
    ];
  return table(
    columns.map(([name]) => name),
    [columns.map(([, n]) => String(n))],
    { right: columns.map((_, i) => i), indent: "  " },
  );
}

function requestsLine(report: RunReport): string {
  const r = report.requests;
  return `requests: Google ${r.sheetsRead} sheet reads, ${r.sheetsMetadata} metadata, ` +
    `${r.sheetsWrite} sheet writes, ${r.token} token · Calltouch ${r.calltouch} · ` +
    `state ${r.kvRead} reads, ${r.kvWrite} writes`;
}

function rowsTable(title: string, rows: readonly RowReport[], withAction = false): string {
  const listed = rows.slice(0, MAX_LISTED_ROWS);
  const header = withAction ? ["row", "ID", "action", "message"] : ["row", "ID", "message"];
  const body = listed.map((r) => {
    const cells = [String(r.row), r.orderNumber ?? "—"];
    if (withAction) cells.push(r.action);
    cells.push(r.message);
    return cells;
  });
  const more = rows.length - listed.length;
  return `${title} (${rows.length}):\n` +
    table(header, body, { right: [0], indent: "  " }) +
    (more > 0 ? `\n  … and ${more} more (all of them with --json)` : "");
}

/** The lines of a run-level error. */
export function renderError(error: RunError, context?: { settingsFile?: string }): string {
  if (error.kind === "config") {
    const problems = error.problems ?? [error.message];
    const where = context?.settingsFile
      ? `the environment or ${context.settingsFile}`
      : "the environment or a .env file";
    return `Settings problems (${problems.length}):\n` +
      problems.map((p) => `  - ${p}`).join("\n") +
      `\nSet them in ${where} (see --help).`;
  }
  const what = ({
    google: "Google refused or could not be reached",
    sheet: "The sheet cannot be read",
    calltouch: "Calltouch refused the request",
    internal: "Internal error",
    config: "Settings",
    auth: "Not authorised",
    not_found: "Not found",
    busy: "Another sync of this sheet is running",
  } satisfies Record<RunError["kind"], string>)[error.kind];
  return `${what}:\n  ${error.message.replaceAll("\n", "\n  ")}`;
}

function headline(command: string, report: RunReport, context: RenderContext): string {
  const parts = [
    report.startedAt,
    seconds(report.durationMs),
    report.timeZone ? `time zone ${report.timeZone}` : undefined,
    `settings ${context.settingsFile ?? "from the environment"}`,
    `state ${context.statePath}`,
  ].filter(Boolean);
  return `${command}: ${parts.join(" · ")}`;
}

/** A sync's report for people: counts, requests, the rows that need attention, the error. */
export function renderRun(report: RunReport, context: RenderContext): string {
  const quiet = report.quiet ? " · quiet: the sheet is as the last run left it" : "";
  const out = [headline("sync", report, context) + quiet, ""];
  // A run that failed before reading any row has no counts worth a table.
  if (!report.error || report.counts.rows > 0) out.push(countsTable(report, false), "");
  out.push(requestsLine(report));
  const attention = report.rows.filter((r) => !r.ok);
  if (attention.length > 0) out.push("", rowsTable("Rows that need attention", attention));
  if (report.error) out.push("", renderError(report.error, context));
  out.push("", verdict(report));
  return out.join("\n") + "\n";
}

/** A dry run for people: the plan, the rows that need attention, and the exact payloads. */
export function renderDryRun(
  report: DryRunReport,
  context: RenderContext & { calltouchApiUrl: string },
): string {
  const out = [
    headline("sync --dry-run", report, context) + " · nothing sent, nothing written",
    "",
    countsTable(report, true),
  ];
  const planned = report.rows.filter((r) =>
    r.ok && (r.action === "create" || r.action === "update")
  );
  if (planned.length > 0) out.push("", rowsTable("Would send", planned, true));
  const attention = report.rows.filter((r) => !r.ok);
  if (attention.length > 0) out.push("", rowsTable("Rows that need attention", attention));
  if (report.error) out.push("", renderError(report.error, context));
  // A dry run that failed before planning has no payloads.
  const payloads = (report as Partial<DryRunReport>).payloads ?? { create: [], update: [] };
  const requests = [
    ...payloads.create.map((body) => ({ path: CALLTOUCH_PATHS.create, body })),
    ...payloads.update.map((body) => ({ path: CALLTOUCH_PATHS.update, body })),
  ];
  if (requests.length > 0) {
    out.push("", `Calltouch requests that would be sent (${requests.length}):`);
    requests.forEach(({ path, body }, i) => {
      out.push(
        "",
        `#${i + 1} POST ${context.calltouchApiUrl}${path} (${body.orders.length} deals)`,
        JSON.stringify(body, null, 2),
      );
    });
  } else if (!report.error) out.push("", "Nothing to send.");
  out.push("", verdict(report));
  return out.join("\n") + "\n";
}

function verdict(report: RunReport): string {
  if (report.error) return "Exit 2: the run could not do its job (see above).";
  const c = report.counts;
  const parts: string[] = [];
  if (c.invalid) parts.push(`${c.invalid} invalid`);
  if (c.held) parts.push(`${c.held} held`);
  if (c.failed - c.retrying) parts.push(`${c.failed - c.retrying} refused`);
  if (c.retrying) parts.push(`${c.retrying} left for the next run`);
  return parts.length > 0
    ? `Exit 1: ${parts.join(", ")}.`
    : "Exit 0: every row is in Calltouch as it is in the sheet.";
}

/** Which key the stored hashes are under, and the stored state's. */
function stateKeyLine(key: NonNullable<CheckReport["stateKey"]>): string {
  const source = key.source === "STATE_KEY"
    ? "STATE_KEY"
    : "a key derived from CALLTOUCH_TOKEN (STATE_KEY is not set)";
  const state = {
    current: "the stored state is under it",
    previous: "the stored state is under the previous key (the next sync rewrites it)",
    unkeyed: "the stored state is an older build's, unkeyed (the next sync rewrites it)",
    unknown: "the stored state is under ANOTHER key: set STATE_KEY_PREVIOUS",
    none: "no state stored yet",
  }[key.state];
  return `Stored hashes: keyed with ${source}, id ${key.id.slice(0, 8)}; ${state}.`;
}

/** A check for people: the header mapping, the status column, the row problems. */
export function renderCheck(report: CheckReport, context: RenderContext): string {
  const out = [
    `check: spreadsheet ${report.spreadsheetId}` +
    (report.tab !== undefined ? ` · tab «${report.tab}»` : "") +
    ` · Calltouch project ${report.siteId}` +
    ` · settings ${context.settingsFile ?? "from the environment"}`,
  ];
  if (report.timeZone) {
    out.push(
      `Time zones: sheet ${report.timeZone} · Calltouch ${
        report.calltouchTimeZone ?? report.timeZone
      } (dates are sent in the second)`,
    );
  }
  out.push(
    report.journal
      ? "Calltouch's deals journal: on (verify compares the sheet with it)."
      : "Calltouch's deals journal: off (set CALLTOUCH_STATS_TOKEN to use verify).",
  );
  if (report.stateKey) out.push(stateKeyLine(report.stateKey));
  const header = report.header;
  if (header) {
    out.push("", "Header (row 1):");
    const rows = header.columns.map((c) => [
      c.column,
      c.header,
      c.customField !== undefined
        ? `custom field ${c.customField} (CUSTOM_FIELDS)`
        : c.field === undefined
        ? "— (ignored)"
        : c.duplicateOf
        ? `— (ignored: column ${c.duplicateOf} is the ${COLUMN_DOCS[c.field].en})`
        : `${c.field}: ${COLUMN_DOCS[c.field].en}`,
    ]);
    if (header.status && !header.status.exists) {
      rows.push([
        header.status.column,
        "",
        `sync status: will be created here as «${header.status.header}»`,
      ]);
    }
    out.push(table(["column", "header", "recognised as"], rows, { indent: "  " }));
    if (header.status?.exists) {
      out.push(`Status column: ${header.status.column} («${header.status.header}»).`);
    }
    if (header.missing.length > 0) {
      out.push(`Missing required columns: ${header.missing.join(", ")}.`);
    }
  }
  if (report.counts) {
    const c = report.counts;
    out.push(
      "",
      `Rows: ${c.rows} (${c.valid} valid, ${c.invalid} with problems, ${c.blank} blank).`,
    );
  }
  for (const warning of report.warnings) out.push(`Warning: ${warning}`);
  if (report.problems.length > 0) {
    const listed = report.problems.slice(0, MAX_LISTED_ROWS);
    out.push(
      "",
      `Row problems (${report.problems.length}):`,
      table(
        ["row", "ID", "message"],
        listed.map((p) => [String(p.row), p.orderNumber ?? "—", p.message]),
        { right: [0], indent: "  " },
      ),
    );
    const more = report.problems.length - listed.length;
    if (more > 0) out.push(`  … and ${more} more (all of them with --json)`);
  }
  if (report.error) out.push("", renderError(report.error, context));
  out.push(
    "",
    report.error
      ? "Exit 2: the sheet cannot be synced as it is (see above)."
      : report.problems.length > 0
      ? `Exit 1: ${report.counts?.invalid ?? 0} rows have problems.`
      : "Exit 0: the sheet is ready to sync.",
  );
  return out.join("\n") + "\n";
}

/** One progress line of a long run. */
export function renderProgress(event: SyncProgress): string {
  return `Calltouch: ${event.done}/${event.total} deals done (${event.operation} batch of ${event.batch})\n`;
}
