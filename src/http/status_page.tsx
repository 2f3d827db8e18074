/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/**
 * The control panel (`GET /`, and the answer of each of its buttons): what the sync is about,
 * three actions as plain forms (no JavaScript), the result of the action just taken, the last
 * runs judged honestly, and the rows that need attention, each linked to its cell.
 */
import type { Child } from "hono/jsx";
import type { Language } from "../deal.ts";
import type { DryRunReport, PreviewRow } from "../sync/dry_run.ts";
import type { RowReport, RunReport } from "../sync/report.ts";
import { formatDateTime } from "../sync/status_text.ts";
import type { Target } from "../sync/target.ts";
import { zoneNotes, type Zones } from "../util/zones.ts";
import type { QuotaFit } from "../schedule.ts";
import { PANEL_ACTIONS, type PanelAction } from "./panel_actions.ts";
import { type Words, words } from "../words/mod.ts";

type PanelText = Words["panel"];
import { cellUrl, spreadsheetUrl, verdictOf } from "./verdict.ts";

/** The outcome of the button just pressed. */
export interface ActionResult {
  action: PanelAction;
  report: RunReport | DryRunReport;
}

/** What the page shows. */
export interface StatusPageProps {
  language: Language;
  /** Reports, newest first. */
  history: RunReport[];
  /** Settings problems, when the configuration is invalid. */
  configProblems?: string[];
  /** Time zone to show times in (the spreadsheet's, when known). */
  timeZone: string;
  /** The next scheduled run, epoch ms, when it can be computed. */
  nextRunAt?: number;
  /** What the page is about: the tab and the Calltouch project (when the settings are valid). */
  target?: Target;
  /** The sheet's zone and the one dates are sent in, from the last run that read the sheet. */
  zones?: Zones;
  /** The result of the action just taken on this page. */
  result?: ActionResult;
  /** The target's id when the deployment has several (`TARGETS`): the buttons run this one. */
  targetId?: string;
  /** Runs of this target the queue gave up on (its dead-letter queue), newest first. */
  deadLetters?: { at: string; attempts: number }[];
}

/** Rows a table shows at most: a 50,000-deal first sync must not make a page of megabytes. */
export const MAX_TABLE_ROWS = 200;

// Colours pass WCAG AA on white (≥ 4.5:1); state is never told by colour alone (a word beside it).
const STYLE = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#1d1d1f}
h1{font-size:1.5rem;margin:.5rem 0}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
a{color:#0b57d0}a:focus,button:focus{outline:3px solid #0b57d0;outline-offset:2px}
.muted{color:#555}
.box{border:1px solid #b3261e;background:#fdf0ef;padding:.75rem 1rem;border-radius:6px}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:.5rem 0}
.actions form{margin:0;flex:1 1 14rem}
button{width:100%;min-height:2.75rem;font:inherit;font-weight:600;padding:.5rem 1rem;border-radius:6px;
border:2px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b57d0}
.hint{display:block;font-size:.875rem;color:#555;margin-top:.25rem}
.verdict{display:inline-block;padding:.1rem .5rem;border-radius:4px;font-weight:600}
.verdict-ok{background:#e6f4ea;color:#0d652d}.verdict-attention{background:#fef7e0;color:#7a4a00}
.verdict-failed{background:#fdf0ef;color:#b3261e}
.result{border:2px solid #ccc;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.result.verdict-ok{border-color:#0d652d}.result.verdict-attention{border-color:#b06000}
.result.verdict-failed{border-color:#b3261e}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
@media (max-width:40rem){body{padding:.75rem}th,td{padding:.35rem .3rem;font-size:.9rem}}`;

/** The document around a page: language, viewport, no indexing, the one inline style sheet. */
function Shell(props: { language: Language; title: string; children?: Child }) {
  return (
    <html lang={props.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** Settings problems, one per line, under what they mean. */
function ProblemBox(props: { title: string; problems: readonly string[] }) {
  return (
    <div class="box" role="alert">
      <strong>{props.title}</strong>
      <ul>
        {props.problems.map((p) => <li key={p}>{p}</li>)}
      </ul>
    </div>
  );
}

/** A table that scrolls sideways rather than widen the page: one header row, then `children`. */
function Table(props: { heads: readonly string[]; children?: Child }) {
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            {props.heads.map((head) => <th key={head} scope="col">{head}</th>)}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** The whole page. */
export function StatusPage(props: StatusPageProps) {
  const t = words(props.language).panel;
  const latest = props.history[0];
  const spreadsheetId = props.target?.spreadsheetId;
  const notes = props.zones && zoneNotes(props.zones);
  const reconciled = props.history.find((run) => run.reconciled)?.reconciled;
  return (
    <Shell language={props.language} title={t.title}>
      <header>
        <h1>{t.title}</h1>
        {props.target && (
          <p id="target">{t.target(props.target.tab || latest?.tab, props.target.siteId)}</p>
        )}
        {props.zones && notes && (
          <p class={notes.differ || notes.notDefault ? "" : "muted"}>
            {t.zones(props.zones.sheet, props.zones.calltouch)}
            {notes.differ && (
              <>
                <br />
                {t.zonesDiffer}
              </>
            )}
            {notes.notDefault && (
              <>
                <br />
                {t.zoneNotDefault(props.zones.calltouch)}
              </>
            )}
          </p>
        )}
        {reconciled && (
          <p class="muted" id="reconciled">
            {"error" in reconciled
              ? t.reconcileFailed(
                formatDateTime(Date.parse(reconciled.at), props.timeZone),
                reconciled.error,
              )
              : t.reconciled(
                reconciled.differences,
                formatDateTime(Date.parse(reconciled.at), props.timeZone),
              )}
          </p>
        )}
        {props.nextRunAt !== undefined && (
          <p class="muted">
            {t.next}: {formatDateTime(props.nextRunAt, props.timeZone)}
          </p>
        )}
        {spreadsheetId && (
          <p>
            <a href={spreadsheetUrl(spreadsheetId)}>{t.sheet}</a>
          </p>
        )}
      </header>
      {props.deadLetters && props.deadLetters.length > 0 && (
        <div class="box" role="alert" id="dead-letters">
          {t.deadLetters(
            props.deadLetters.length,
            formatDateTime(Date.parse(props.deadLetters[0].at), props.timeZone),
          )}
        </div>
      )}
      {props.configProblems && <ProblemBox title={t.config} problems={props.configProblems} />}
      <main>
        <h2 id="actions">{t.actions}</h2>
        <div class="actions">
          {PANEL_ACTIONS.map((action) => (
            <form
              method="post"
              action={`/actions/${action}${
                props.targetId ? `?target=${encodeURIComponent(props.targetId)}` : ""
              }`}
            >
              <button
                type="submit"
                class={action === "sync" ? "" : "secondary"}
                aria-describedby={`hint-${action}`}
              >
                {t.action[action]}
              </button>
              <span class="hint" id={`hint-${action}`}>{t.actionHint[action]}</span>
            </form>
          ))}
        </div>
        {props.result && <Result {...props} result={props.result} t={t} />}
        <h2>{t.lastRuns}</h2>
        {props.history.length === 0
          ? <p class="muted">{t.noRuns}</p>
          : (
            <Table heads={[t.when, t.trigger, t.outcome]}>
              {props.history.map((run) => (
                <tr>
                  <td>
                    {formatDateTime(Date.parse(run.startedAt), props.timeZone)}
                    <br />
                    <span class="muted" title={t.duration}>{t.seconds(run.durationMs)}</span>
                  </td>
                  <td>{t.triggers[run.trigger]}</td>
                  <td>
                    <Verdict report={run} t={t} />
                    <br />
                    <span class="muted">
                      <Counts report={run} t={t} />
                    </span>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        {
          // After a button, its result lists the rows needing attention: each row once a page.
          !props.result && (
            <>
              <h2>{t.problems}</h2>
              <Rows
                rows={latest?.rows.filter((row) => !row.ok) ?? []}
                empty={t.noProblems}
                spreadsheetId={spreadsheetId}
                tabId={latest?.tabId}
                t={t}
              />
            </>
          )
        }
      </main>
    </Shell>
  );
}

/** The outcome of the button just pressed. */
function Result(props: StatusPageProps & { result: ActionResult; t: PanelText }) {
  const { t, result } = props;
  const report = result.report;
  const verdict = verdictOf(report);
  const spreadsheetId = props.target?.spreadsheetId;
  const preview = "preview" in report ? report.preview : undefined;
  return (
    <section
      id="result"
      class={`result verdict-${verdict}`}
      aria-labelledby="result-title"
      aria-live="polite"
    >
      <h2 id="result-title">{t.result[result.action]}</h2>
      <p>
        <Verdict report={report} t={t} />
      </p>
      <p>
        <Counts report={report} t={t} dryRun={preview !== undefined} />
      </p>
      {report.stopped && <p>{t.stopped[report.stopped]}</p>}
      {preview
        ? (
          <>
            <h3>{t.preview}</h3>
            <Preview rows={preview} spreadsheetId={spreadsheetId} tabId={report.tabId} t={t} />
            <h3>{t.problems}</h3>
            <Rows
              rows={report.rows.filter((row) => !row.ok)}
              empty={t.noProblems}
              spreadsheetId={spreadsheetId}
              tabId={report.tabId}
              t={t}
            />
            <p class="muted">{t.dryRunNote}</p>
          </>
        )
        : (
          <>
            <h3>{t.changedRows}</h3>
            <Rows
              rows={report.rows}
              empty={t.noChangedRows}
              spreadsheetId={spreadsheetId}
              tabId={report.tabId}
              t={t}
            />
          </>
        )}
    </section>
  );
}

function Verdict(props: { report: RunReport; t: PanelText }) {
  const verdict = verdictOf(props.report);
  const error = props.report.error;
  return (
    <span class={`verdict verdict-${verdict}`}>
      {props.t.verdict[verdict]}
      {error ? `: ${error.message}` : ""}
    </span>
  );
}

function Counts(props: { report: RunReport; t: PanelText; dryRun?: boolean }) {
  const { counts } = props.report;
  const c = props.t.counts;
  const sent = props.dryRun
    ? `${props.t.wouldCreate} ${counts.created}, ${props.t.wouldUpdate} ${counts.updated}`
    : `${c.created} ${counts.created}, ${c.updated} ${counts.updated}`;
  return (
    <>
      {sent}, {c.unchanged} {counts.unchanged}, {c.invalid} {counts.invalid}, {c.held}{" "}
      {counts.held}, {c.failed} {counts.failed}
    </>
  );
}

/** A row number that opens its cell in the spreadsheet (when the spreadsheet is known). */
function RowLink(
  props: { row: number; cell?: string; spreadsheetId?: string; tabId?: number; t: PanelText },
) {
  const cell = props.cell;
  if (!props.spreadsheetId || !cell) return <>{props.row}</>;
  return (
    <a
      href={cellUrl(props.spreadsheetId, props.tabId, cell)}
      aria-label={`${props.row}: ${props.t.openCell(cell)}`}
    >
      {props.row}
    </a>
  );
}

function Rows(
  props: {
    rows: RowReport[];
    empty: string;
    spreadsheetId?: string;
    tabId?: number;
    t: PanelText;
  },
) {
  const { t } = props;
  if (props.rows.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <>
      <Table heads={[t.row, t.id, t.message]}>
        {props.rows.slice(0, MAX_TABLE_ROWS).map((row) => (
          <tr class={row.ok ? "row-ok" : "row-attention"}>
            <td>
              <RowLink
                row={row.row}
                cell={row.cell}
                spreadsheetId={props.spreadsheetId}
                tabId={props.tabId}
                t={t}
              />
            </td>
            <td>{row.orderNumber ?? "—"}</td>
            <td>{row.message}</td>
          </tr>
        ))}
      </Table>
      {props.rows.length > MAX_TABLE_ROWS && (
        <p class="muted">{t.more(props.rows.length - MAX_TABLE_ROWS)}</p>
      )}
    </>
  );
}

function Preview(
  props: { rows: PreviewRow[]; spreadsheetId?: string; tabId?: number; t: PanelText },
) {
  const { t } = props;
  if (props.rows.length === 0) return <p class="muted">{t.nothingToSend}</p>;
  return (
    <>
      <Table heads={[t.row, t.id, t.what, t.status, t.revenue, t.tags, t.changes]}>
        {props.rows.slice(0, MAX_TABLE_ROWS).map((row) => (
          <tr class={`preview-${row.action}`}>
            <td>{row.row}</td>
            <td>{row.orderNumber}</td>
            <td>{row.action === "create" ? t.create : t.update}</td>
            <td>{row.status}</td>
            <td>{row.revenue ?? "—"}</td>
            <td>{row.tags.length > 0 ? row.tags.join(", ") : "—"}</td>
            <td>
              {row.action === "create"
                ? "—"
                : row.changes.length > 0
                ? row.changes.map((change) => t.change[change]).join(", ")
                : t.otherFields}
            </td>
          </tr>
        ))}
      </Table>
      {props.rows.length > MAX_TABLE_ROWS && (
        <p class="muted">{t.more(props.rows.length - MAX_TABLE_ROWS)}</p>
      )}
    </>
  );
}

/** One line of the targets page: a target and its last run. */
export interface TargetLine {
  id: string;
  target?: Target;
  latest?: RunReport;
}

/** What the page of a deployment with several targets shows. */
export interface TargetsPageProps {
  language: Language;
  timeZone: string;
  targets: TargetLine[];
  /** Targets left out for their settings (see `targets.ts`). */
  problems: string[];
  /** Clinic keys that cannot be used (see `targetKeys`); their targets still run. */
  keyProblems?: string[];
  /** How the targets fit Google's read quota at the last cron (undefined: no cron run yet). */
  quota?: QuotaFit;
}

/** Several targets (`TARGETS`): each one's last run, with a link to its own panel. */
export function TargetsPage(props: TargetsPageProps) {
  const t = words(props.language).panel;
  return (
    <Shell language={props.language} title={t.title}>
      <header>
        <h1>{t.title}</h1>
      </header>
      {props.problems.length > 0 && (
        <ProblemBox title={t.targetProblems} problems={props.problems} />
      )}
      {props.keyProblems && props.keyProblems.length > 0 && (
        <ProblemBox title={t.keyProblems} problems={props.keyProblems} />
      )}
      <main>
        <h2>{t.targets}</h2>
        <p id="quota" class={props.quota && !props.quota.fits ? "" : "muted"}>
          {props.quota
            ? t.quota({
              cron: props.quota.cron,
              perMinute: props.quota.readsPerMinute,
              perTick: props.quota.perTick,
              targets: props.quota.perTick + props.quota.deferred.length,
              ...(props.quota.fits ? {} : { everyMinutes: props.quota.everyMinutes }),
            })
            : t.quotaNoCron}
          {props.quota && !props.quota.fits && (
            <>
              {" "}
              {t.quotaAdvice({
                cron: props.quota.suggestedCron ?? props.quota.cron,
                accounts: props.quota.accountsNeeded,
              })}
            </>
          )}
        </p>
        <Table heads={["ID", t.when, t.outcome]}>
          {props.targets.map((line) => (
            <tr id={`target-${line.id}`}>
              <td>
                <a href={`/?target=${encodeURIComponent(line.id)}`}>{line.id}</a>
                {line.target && (
                  <>
                    <br />
                    <span class="muted">
                      {t.target(line.target.tab, line.target.siteId)}
                    </span>
                  </>
                )}
              </td>
              <td>
                {line.latest
                  ? formatDateTime(Date.parse(line.latest.startedAt), props.timeZone)
                  : t.never}
              </td>
              <td>
                {line.latest && (
                  <>
                    <Verdict report={line.latest} t={t} />
                    <br />
                    <span class="muted">
                      {line.latest.error
                        ? line.latest.error.message
                        : <Counts report={line.latest} t={t} />}
                    </span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </Table>
      </main>
    </Shell>
  );
}

/** A clinic's key on a page it does not open: links to the panels it does (nothing else). */
export function ForbiddenPage(props: { language: Language; targets: readonly string[] }) {
  const t = words(props.language).panel;
  return (
    <Shell language={props.language} title={t.forbiddenTitle}>
      <h1>{t.forbiddenTitle}</h1>
      <p>{t.forbidden}</p>
      <ul>
        {props.targets.map((id) => (
          <li key={id}>
            <a href={`/?target=${encodeURIComponent(id)}`}>{id}</a>
          </li>
        ))}
      </ul>
      <p class="muted">{t.forbiddenHint}</p>
    </Shell>
  );
}

/** A client locked for its wrong passwords (`throttle.ts`): how long to wait. */
export function ThrottledPage(props: { language: Language; seconds: number }) {
  const t = words(props.language).panel;
  return (
    <Shell language={props.language} title={t.throttledTitle}>
      <h1>{t.throttledTitle}</h1>
      <p role="alert">{t.throttled(Math.ceil(props.seconds / 60))}</p>
    </Shell>
  );
}
