/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
/** The HTML status page: the last runs, their counts, and the rows that need attention. */
import type { Language } from "../deal.ts";
import type { RunReport } from "../sync/report.ts";
import { formatDateTime } from "../sync/status_text.ts";
import type { Target } from "../sync/target.ts";
import { zoneNotes, type Zones } from "../util/zones.ts";

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
  spreadsheetUrl?: string;
  /** What the page is about: the tab and the Calltouch project (when the settings are valid). */
  target?: Target;
  /** The sheet's zone and the one dates are sent in, from the last run that read the sheet. */
  zones?: Zones;
}

const TEXT = {
  ru: {
    title: "Синхронизация сделок с Calltouch",
    config: "Настройки содержат ошибки",
    noRuns: "Синхронизация ещё не запускалась (или ничего не меняла в последний час).",
    lastRuns: "Последние запуски",
    when: "Когда",
    trigger: "Запуск",
    result: "Результат",
    created: "создано",
    updated: "обновлено",
    unchanged: "без изменений",
    invalid: "с ошибками",
    held: "отклонено ранее",
    failed: "не отправлено",
    duration: "Длительность",
    problems: "Строки, которые требуют внимания",
    noProblems: "Все строки в порядке.",
    row: "Строка",
    id: "ID сделки",
    message: "Что случилось",
    next: "Следующий запуск по расписанию",
    sheet: "Открыть таблицу",
    target: (tab: string, siteId: string) =>
      `Лист ${tab ? `«${tab}»` : "первый в таблице"} → проект Calltouch ${siteId}`,
    zones: (sheet: string, calltouch: string) =>
      `Часовой пояс таблицы: ${sheet}; даты уходят в Calltouch в поясе ${calltouch}`,
    zonesDiffer: "Пояса различаются: каждая дата пересчитывается из первого во второй.",
    zoneNotDefault: (zone: string) =>
      `По умолчанию проект Calltouch живёт по московскому времени: проверьте, что в его ` +
      `настройках выбран пояс ${zone}.`,
    ok: "успешно",
    error: "ошибка",
    triggers: { cron: "по расписанию", manual: "вручную", "dry-run": "проверка" },
  },
  en: {
    title: "Deals sync to Calltouch",
    config: "The settings have problems",
    noRuns: "No sync has run yet (or none changed anything in the last hour).",
    lastRuns: "Last runs",
    when: "When",
    trigger: "Trigger",
    result: "Result",
    created: "created",
    updated: "updated",
    unchanged: "unchanged",
    invalid: "invalid",
    held: "held",
    failed: "not sent",
    duration: "Duration",
    problems: "Rows that need attention",
    noProblems: "Every row is fine.",
    row: "Row",
    id: "Deal ID",
    message: "What happened",
    next: "Next scheduled run",
    sheet: "Open the spreadsheet",
    target: (tab: string, siteId: string) =>
      `Tab ${tab ? `«${tab}»` : "first of the spreadsheet"} → Calltouch project ${siteId}`,
    zones: (sheet: string, calltouch: string) =>
      `The sheet's time zone: ${sheet}; dates go to Calltouch in ${calltouch}`,
    zonesDiffer: "The zones differ: every date is converted from the first to the second.",
    zoneNotDefault: (zone: string) =>
      `A Calltouch project uses Moscow time by default: check that its settings say ${zone}.`,
    ok: "ok",
    error: "error",
    triggers: { cron: "schedule", manual: "manual", "dry-run": "dry run" },
  },
} as const;

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f6f6}.bad{color:#b00020}.good{color:#1b7f3b}.muted{color:#666}
.box{border:1px solid #b00020;background:#fff4f4;padding:.75rem 1rem;border-radius:6px}`;

/** The whole page. */
export function StatusPage(props: StatusPageProps) {
  const t = TEXT[props.language];
  const at = (iso: string) => formatDateTime(Date.parse(iso), props.timeZone);
  const latest = props.history[0];
  const problems = latest?.rows.filter((row) => !row.ok) ?? [];
  const notes = props.zones && zoneNotes(props.zones);
  return (
    <html lang={props.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{t.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <h1>{t.title}</h1>
        {props.spreadsheetUrl && (
          <p>
            <a href={props.spreadsheetUrl}>{t.sheet}</a>
          </p>
        )}
        {props.target && (
          <p>
            {t.target(props.target.tab, props.target.siteId)}
          </p>
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
        {props.configProblems && (
          <div class="box">
            <strong>{t.config}</strong>
            <ul>
              {props.configProblems.map((p) => <li key={p}>{p}</li>)}
            </ul>
          </div>
        )}
        {props.nextRunAt !== undefined && (
          <p class="muted">
            {t.next}: {formatDateTime(props.nextRunAt, props.timeZone)}
          </p>
        )}
        <h2>{t.lastRuns}</h2>
        {props.history.length === 0 ? <p class="muted">{t.noRuns}</p> : (
          <table>
            <thead>
              <tr>
                <th>{t.when}</th>
                <th>{t.trigger}</th>
                <th>{t.result}</th>
                <th>{t.duration}</th>
              </tr>
            </thead>
            <tbody>
              {props.history.map((run) => (
                <tr>
                  <td>{at(run.startedAt)}</td>
                  <td>{t.triggers[run.trigger]}</td>
                  <td>
                    {run.ok ? <span class="good">{t.ok}</span> : (
                      <span class="bad">
                        {t.error}: {run.error?.message}
                      </span>
                    )}
                    <br />
                    <span class="muted">
                      {t.created} {run.counts.created}, {t.updated} {run.counts.updated},{" "}
                      {t.unchanged} {run.counts.unchanged}, {t.invalid} {run.counts.invalid},{" "}
                      {t.held} {run.counts.held}, {t.failed} {run.counts.failed}
                    </span>
                  </td>
                  <td>{(run.durationMs / 1000).toFixed(1)} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t.problems}</h2>
        {problems.length === 0 ? <p class="muted">{t.noProblems}</p> : (
          <table>
            <thead>
              <tr>
                <th>{t.row}</th>
                <th>{t.id}</th>
                <th>{t.message}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((row) => (
                <tr>
                  <td>{row.row}</td>
                  <td>{row.orderNumber ?? "—"}</td>
                  <td>{row.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </body>
    </html>
  );
}
