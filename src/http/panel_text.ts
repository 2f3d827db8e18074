/** Everything the control panel says, in each `STATUS_LANGUAGE`. */
import type { Language } from "../deal.ts";
import type { PreviewChange } from "../sync/dry_run.ts";
import type { Trigger } from "../sync/report.ts";
import type { PanelAction } from "./panel_actions.ts";
import type { Verdict } from "./verdict.ts";

export interface PanelText {
  title: string;
  sheet: string;
  target(tab: string, siteId: string): string;
  zones(sheet: string, calltouch: string): string;
  zonesDiffer: string;
  zoneNotDefault(zone: string): string;
  next: string;
  actions: string;
  action: Record<PanelAction, string>;
  actionHint: Record<PanelAction, string>;
  result: Record<PanelAction, string>;
  verdict: Record<Verdict, string>;
  config: string;
  noRuns: string;
  lastRuns: string;
  when: string;
  trigger: string;
  outcome: string;
  duration: string;
  triggers: Record<Trigger, string>;
  counts: {
    created: string;
    updated: string;
    unchanged: string;
    invalid: string;
    held: string;
    failed: string;
  };
  wouldCreate: string;
  wouldUpdate: string;
  problems: string;
  noProblems: string;
  changedRows: string;
  noChangedRows: string;
  preview: string;
  nothingToSend: string;
  row: string;
  id: string;
  message: string;
  what: string;
  status: string;
  revenue: string;
  tags: string;
  changes: string;
  change: Record<PreviewChange, string>;
  otherFields: string;
  create: string;
  update: string;
  openCell(cell: string): string;
  more(count: number): string;
  reconciled(differences: number, at: string): string;
  reconcileFailed(at: string, message: string): string;
  deadLetters(count: number, at: string): string;
  targets: string;
  /** How the targets fit Google's read quota at the cron (see `schedule.ts`). */
  quota(q: { cron: string; perTick: number; targets: number; everyMinutes?: number }): string;
  quotaAdvice(q: { cron: string; accounts: number }): string;
  quotaNoCron: string;
  targetProblems: string;
  open: string;
  never: string;
  dryRunNote: string;
  stopped: { budget: string; "out-of-time": string };
  keyProblems: string;
  forbiddenTitle: string;
  forbidden: string;
  forbiddenHint: string;
  throttledTitle: string;
  throttled(minutes: number): string;
}

export const PANEL_TEXT: Record<Language, PanelText> = {
  ru: {
    title: "Синхронизация сделок с Calltouch",
    sheet: "Открыть таблицу",
    target: (tab, siteId) =>
      `Лист ${tab ? `«${tab}»` : "первый в таблице"} → проект Calltouch ${siteId}`,
    zones: (sheet, calltouch) =>
      `Часовой пояс таблицы: ${sheet}; даты уходят в Calltouch в поясе ${calltouch}`,
    zonesDiffer: "Пояса различаются: каждая дата пересчитывается из первого во второй.",
    zoneNotDefault: (zone) =>
      `По умолчанию проект Calltouch живёт по московскому времени: проверьте, что в его ` +
      `настройках выбран пояс ${zone}.`,
    next: "Следующий запуск по расписанию",
    actions: "Действия",
    action: {
      sync: "Синхронизировать сейчас",
      "dry-run": "Проверить без отправки",
      "retry-held": "Повторить отклонённые",
    },
    actionHint: {
      sync: "Отправить новые и изменённые сделки, не дожидаясь расписания.",
      "dry-run": "Показать, что будет отправлено, и ошибки в строках. Ничего не отправляет.",
      "retry-held": "Ещё раз отправить сделки, которые Calltouch не принял.",
    },
    result: {
      sync: "Результат синхронизации",
      "dry-run": "Проверка без отправки",
      "retry-held": "Результат повторной отправки",
    },
    verdict: {
      ok: "всё в Calltouch",
      attention: "есть строки, требующие внимания",
      failed: "ошибка",
    },
    config: "Настройки содержат ошибки",
    noRuns: "Синхронизация ещё не запускалась (или ничего не меняла в последний час).",
    lastRuns: "Последние запуски",
    when: "Когда",
    trigger: "Запуск",
    outcome: "Итог",
    duration: "Длительность",
    triggers: { cron: "по расписанию", manual: "вручную", "dry-run": "проверка" },
    counts: {
      created: "создано",
      updated: "обновлено",
      unchanged: "без изменений",
      invalid: "с ошибками",
      held: "отклонено ранее",
      failed: "не отправлено",
    },
    wouldCreate: "будет создано",
    wouldUpdate: "будет обновлено",
    problems: "Строки, которые требуют внимания",
    noProblems: "Все строки в порядке.",
    changedRows: "Изменения и строки, требующие внимания",
    noChangedRows: "Ничего не изменилось, все строки в порядке.",
    preview: "Что будет отправлено",
    nothingToSend: "Отправлять нечего: все сделки в Calltouch такие же, как в таблице.",
    row: "Строка",
    id: "ID сделки",
    message: "Что случилось",
    what: "Действие",
    status: "Статус",
    revenue: "Сумма",
    tags: "Теги",
    changes: "Что меняется",
    change: { status: "статус", tags: "теги", contacts: "контакты или дата" },
    otherFields: "другие поля",
    create: "создать",
    update: "обновить",
    openCell: (cell) => `открыть ячейку ${cell}`,
    more: (count) => `…и ещё ${count}: все строки — в столбце «Calltouch» таблицы.`,
    reconciled: (n, at) =>
      `Сверка с Calltouch: ${n} ${
        russianPlural(n, "расхождение", "расхождения", "расхождений")
      }, ${at}`,
    reconcileFailed: (at, message) => `Сверка с Calltouch не удалась (${at}): ${message}`,
    deadLetters: (n, at) =>
      `Очередь ${n} ${
        russianPlural(n, "раз", "раза", "раз")
      } прекратила попытки синхронизировать эту таблицу (последний — ${at}): причина — в последних запусках ниже.`,
    targets: "Таблицы и проекты",
    quota: ({ cron, perTick, targets, everyMinutes }) =>
      `Квота Google — 60 чтений в минуту на сервисный аккаунт: при расписании ${cron} один ` +
      `запуск успевает ${perTick} из ${targets} ` +
      `${russianPlural(targets, "таблицы", "таблиц", "таблиц")}` +
      (everyMinutes === undefined
        ? " — все."
        : `; каждая синхронизируется раз в ${everyMinutes} мин.`),
    quotaAdvice: ({ cron, accounts }) =>
      `Чтобы каждая успевала за один запуск: расписание ${cron} (crons в wrangler.toml) или ` +
      `свои сервисные аккаунты у части таблиц (googleServiceAccountSecret), всего ${accounts}.`,
    quotaNoCron: "Квота Google: сколько таблиц успевает один запуск, будет видно после первого " +
      "запуска по расписанию.",
    targetProblems: "Эти таблицы не синхронизируются, пока не исправлены настройки:",
    open: "открыть",
    never: "ещё не запускалась",
    dryRunNote: "Это проверка: ничего не отправлено в Calltouch и не записано в таблицу.",
    stopped: {
      budget: "Запуск исчерпал лимит запросов; остальное отправит следующий запуск.",
      "out-of-time": "Запуск исчерпал время; остальное отправит следующий запуск.",
    },
    keyProblems: "Ключи клиник, которые не работают (их панели открывает только SYNC_TOKEN; " +
      "синхронизация идёт):",
    forbiddenTitle: "Этот ключ не открывает эту страницу",
    forbidden: "Ключ, с которым вы вошли, открывает только панель своей клиники:",
    forbiddenHint: "Чтобы войти с другим ключом, закройте все окна браузера (он помнит пароль до " +
      "выхода) или откройте страницу в окне инкогнито.",
    throttledTitle: "Слишком много неверных паролей",
    throttled: (minutes) =>
      `С этого адреса несколько раз подряд ввели неверный пароль. Попробуйте снова через ` +
      `${minutes} мин.`,
  },
  en: {
    title: "Deals sync to Calltouch",
    sheet: "Open the spreadsheet",
    target: (tab, siteId) =>
      `Tab ${tab ? `«${tab}»` : "first of the spreadsheet"} → Calltouch project ${siteId}`,
    zones: (sheet, calltouch) =>
      `The sheet's time zone: ${sheet}; dates go to Calltouch in ${calltouch}`,
    zonesDiffer: "The zones differ: every date is converted from the first to the second.",
    zoneNotDefault: (zone) =>
      `A Calltouch project uses Moscow time by default: check that its settings say ${zone}.`,
    next: "Next scheduled run",
    actions: "Actions",
    action: {
      sync: "Sync now",
      "dry-run": "Check without sending",
      "retry-held": "Retry refused deals",
    },
    actionHint: {
      sync: "Send new and changed deals now, without waiting for the schedule.",
      "dry-run": "Show what would be sent and the mistakes in rows. Sends nothing.",
      "retry-held": "Send the deals Calltouch refused once more.",
    },
    result: {
      sync: "Sync result",
      "dry-run": "Check without sending",
      "retry-held": "Result of the retry",
    },
    verdict: {
      ok: "everything is in Calltouch",
      attention: "some rows need attention",
      failed: "failed",
    },
    config: "The settings have problems",
    noRuns: "No sync has run yet (or none changed anything in the last hour).",
    lastRuns: "Last runs",
    when: "When",
    trigger: "Trigger",
    outcome: "Outcome",
    duration: "Duration",
    triggers: { cron: "schedule", manual: "manual", "dry-run": "dry run" },
    counts: {
      created: "created",
      updated: "updated",
      unchanged: "unchanged",
      invalid: "with mistakes",
      held: "held",
      failed: "not sent",
    },
    wouldCreate: "to create",
    wouldUpdate: "to update",
    problems: "Rows that need attention",
    noProblems: "Every row is fine.",
    changedRows: "Changes and rows that need attention",
    noChangedRows: "Nothing changed, every row is fine.",
    preview: "What would be sent",
    nothingToSend: "Nothing to send: every deal in Calltouch is as in the sheet.",
    row: "Row",
    id: "Deal ID",
    message: "What happened",
    what: "Action",
    status: "Status",
    revenue: "Sum",
    tags: "Tags",
    changes: "What changes",
    change: { status: "status", tags: "tags", contacts: "contacts or date" },
    otherFields: "other fields",
    create: "create",
    update: "update",
    openCell: (cell) => `open cell ${cell}`,
    more: (count) => `…and ${count} more: every row is in the sheet's Calltouch column.`,
    reconciled: (n, at) => `Checked against Calltouch: ${n} difference${n === 1 ? "" : "s"}, ${at}`,
    reconcileFailed: (at, message) => `The check against Calltouch failed (${at}): ${message}`,
    deadLetters: (n, at) =>
      `The queue gave up syncing this sheet ${n} time${
        n === 1 ? "" : "s"
      } (last ${at}): the reason is in the last runs below.`,
    targets: "Sheets and projects",
    quota: ({ cron, perTick, targets, everyMinutes }) =>
      `Google quota, 60 reads a minute per service account: at the schedule ${cron} one run ` +
      `serves ${perTick} of ${targets} sheet${targets === 1 ? "" : "s"}` +
      (everyMinutes === undefined ? ": all of them." : `; each syncs every ${everyMinutes} min.`),
    quotaAdvice: ({ cron, accounts }) =>
      `To sync each one every run: the schedule ${cron} (crons in wrangler.toml), or service ` +
      `accounts of their own for some sheets (googleServiceAccountSecret), ${accounts} in all.`,
    quotaNoCron: "Google quota: how many sheets one run serves shows after the first scheduled " +
      "run.",
    targetProblems: "These are not synced until their settings are fixed:",
    open: "open",
    never: "not run yet",
    dryRunNote: "This is a check: nothing was sent to Calltouch or written to the sheet.",
    stopped: {
      budget: "The run used up its request budget; the next run sends the rest.",
      "out-of-time": "The run ran out of time; the next run sends the rest.",
    },
    keyProblems: "Clinic keys that do not work (only SYNC_TOKEN opens their panels; the sync " +
      "runs):",
    forbiddenTitle: "This key does not open this page",
    forbidden: "The key you signed in with opens only its own clinic's panel:",
    forbiddenHint: "To sign in with another key, close every browser window (the browser keeps " +
      "the password until then) or open the page in a private window.",
    throttledTitle: "Too many wrong passwords",
    throttled: (minutes) =>
      `Wrong passwords were entered from this address several times in a row. Try again in ` +
      `${minutes} min.`,
  },
};

/** The Russian plural form for `n`: 1 расхождение, 2 расхождения, 5 расхождений, 21 расхождение. */
export function russianPlural(n: number, one: string, few: string, many: string): string {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return many;
  if (units === 1) return one;
  return units >= 2 && units <= 4 ? few : many;
}
