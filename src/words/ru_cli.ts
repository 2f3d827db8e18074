import type { RunRequests } from "../util/budget.ts";
import { russianPlural } from "./format.ts";

/**
 * The command-line tool's own words (`--language ru`; English by default). Row messages come
 * in STATUS_LANGUAGE, like the status cells.
 */
export const RU_CLI = {
  counts: {
    rows: "строк",
    toCreate: "создать",
    toUpdate: "обновить",
    created: "создано",
    updated: "обновлено",
    unchanged: "без изменений",
    held: "отклонено",
    invalid: "с ошибками",
    failed: "не отправлено",
    retrying: "повторим",
  },
  requests: (r: RunRequests) =>
    `запросы: Google — чтений листа ${r.sheetsRead}, метаданных ${r.sheetsMetadata}, ` +
    `записей ${r.sheetsWrite}, токенов ${r.token} · Calltouch ${r.calltouch} · ` +
    `состояние — чтений ${r.kvRead}, записей ${r.kvWrite}`,
  columns: {
    row: "строка",
    id: "ID",
    action: "действие",
    message: "сообщение",
    what: "что",
    sheet: "таблица",
    calltouch: "Calltouch",
    column: "столбец",
    header: "заголовок",
    recognised: "понят как",
  },
  actions: { create: "создать", update: "обновить", held: "отклонена", invalid: "ошибка" },
  listed: (title: string, count: number) => `${title} (${count}):`,
  moreRows: (count: number) => `… и ещё ${count} (все — с --json)`,
  attention: "Строки, которые требуют внимания",
  wouldSend: "Будет отправлено",
  settingsProblems: (count: number) => `Ошибки в настройках (${count}):`,
  setThemIn: (file?: string) =>
    `Задайте их в переменных окружения или в ${file ?? "файле .env"} (см. --help).`,
  errorKind: {
    google: "Google отказал или недоступен",
    sheet: "Таблицу не прочитать",
    calltouch: "Calltouch отклонил запрос",
    internal: "Внутренняя ошибка",
    config: "Настройки",
    auth: "Нет доступа",
    not_found: "Не найдено",
    busy: "Эта таблица уже синхронизируется",
  },
  seconds: (seconds: string) => `${seconds} с`,
  timeZone: (zone: string) => `часовой пояс ${zone}`,
  settings: (file?: string) => `настройки ${file ?? "из переменных окружения"}`,
  state: (path: string) => `состояние ${path}`,
  quiet: "тихий запуск: таблица такая же, как её оставил прошлый запуск",
  dryRun: "ничего не отправлено и не записано",
  requestsToSend: (count: number) => `Запросы в Calltouch, которые были бы отправлены (${count}):`,
  request: (n: number, url: string, deals: number) =>
    `#${n} POST ${url} (${deals} ${russianPlural(deals, "сделка", "сделки", "сделок")})`,
  nothingToSend: "Отправлять нечего.",
  exitFatal: "Код 2: запуск не смог сделать свою работу (см. выше).",
  exitRows: (parts: readonly string[]) => `Код 1: ${parts.join(", ")}.`,
  exitOk: "Код 0: каждая строка есть в Calltouch такой же, как в таблице.",
  invalid: (n: number) => `с ошибками: ${n}`,
  held: (n: number) => `отклонено ранее: ${n}`,
  refused: (n: number) => `отклонено: ${n}`,
  retrying: (n: number) => `оставлено до следующего запуска: ${n}`,
  checkHeadline: (spreadsheetId: string, tab: string | undefined, siteId: string) =>
    `таблица ${spreadsheetId}${
      tab !== undefined ? ` · лист «${tab}»` : ""
    } · проект Calltouch ${siteId}`,
  zones: (sheet: string, calltouch: string) =>
    `Часовые пояса: таблица ${sheet} · Calltouch ${calltouch} (даты уходят во втором)`,
  journalOn: "Журнал сделок Calltouch: включён (`verify` сверяет с ним таблицу).",
  journalOff: "Журнал сделок Calltouch: выключен (для `verify` задайте CALLTOUCH_STATS_TOKEN).",
  /**
   * Which key the stored hashes are under (`source`: where the current key comes from), and
   * the stored state's key (`state`).
   */
  stateKey: (
    source: "STATE_KEY" | "CALLTOUCH_TOKEN",
    id: string,
    state: "current" | "previous" | "unkeyed" | "unknown" | "none",
  ) =>
    `Хэши состояния: ключ ${
      source === "STATE_KEY" ? "из STATE_KEY" : "из CALLTOUCH_TOKEN (STATE_KEY не задан)"
    }, номер ключа ${id}; ${
      {
        current: "сохранённое состояние под ним",
        previous:
          "сохранённое состояние под прежним ключом (следующая синхронизация перепишет его)",
        unkeyed:
          "сохранённое состояние — от старой версии, без ключа (следующая синхронизация перепишет его)",
        unknown: "сохранённое состояние под другим ключом: задайте STATE_KEY_PREVIOUS",
        none: "состояния ещё нет",
      }[state]
    }.`,
  headerTitle: "Заголовок (строка 1):",
  customField: (field: string) => `поле Calltouch ${field} (CUSTOM_FIELDS)`,
  ignored: "— (не используется)",
  duplicate: (column: string, doc: string) => `— (не используется: столбец ${column} уже — ${doc})`,
  field: (field: string, doc: string) => `${field}: ${doc}`,
  statusWillBe: (header: string) => `статус отправки: будет создан здесь как «${header}»`,
  statusColumn: (column: string, header: string) => `Столбец статуса: ${column} («${header}»).`,
  missingColumns: (columns: readonly string[]) =>
    `Нет обязательных столбцов: ${columns.join(", ")}.`,
  rowCounts: (c: { rows: number; valid: number; invalid: number; blank: number }) =>
    `Строк: ${c.rows} (верных ${c.valid}, с ошибками ${c.invalid}, пустых ${c.blank}).`,
  warning: (text: string) => `Внимание: ${text}`,
  rowProblems: (count: number) => `Ошибки в строках (${count}):`,
  checkFatal: "Код 2: таблицу нельзя синхронизировать как есть (см. выше).",
  checkRows: (count: number) =>
    `Код 1: ${count} ${russianPlural(count, "строка", "строки", "строк")} с ошибками.`,
  checkOk: "Код 0: таблица готова к синхронизации.",
  /** `check`'s warnings. */
  customFieldMissing: (header: string, field: string) =>
    `CUSTOM_FIELDS связывает «${header}» с ${field}, но такого столбца в заголовке нет: ` +
    "для него ничего не отправляется.",
  noContactColumn: (phones: string, emails: string) =>
    `Нет столбца телефона или e-mail («${phones}» / «${emails}»): Calltouch свяжет сделки не со ` +
    "звонками и заявками, а только с CUSTOM_SOURCE.",
  noDeals: "Под заголовком нет ни одной сделки.",
  zonesDiffer: (sheet: string, calltouch: string) =>
    `Часовой пояс таблицы (${sheet}) отличается от CALLTOUCH_TIME_ZONE (${calltouch}): ` +
    "каждая дата пересчитывается из первого во второй.",
  zoneNotDefault: (zone: string) =>
    `Даты уходят в Calltouch в поясе ${zone}, а не в московском времени, принятом в Calltouch ` +
    `по умолчанию: проверьте, что в проекте Calltouch выбран пояс ${zone} (или задайте в ` +
    "CALLTOUCH_TIME_ZONE пояс проекта).",
  /** A bug reached the command line: said before its stack. */
  internal: "Внутренняя ошибка синхронизации; сообщите о ней разработчикам вместе с этим текстом:",
  progress: (done: number, total: number, operation: string, batch: number) =>
    `Calltouch: готово ${done}/${total} сделок (${operation}, пакет из ${batch})`,
  /** Several targets, none named. */
  chooseTarget: (several: boolean, ids: readonly string[]) =>
    `В TARGETS ${several ? "несколько записей" : "нет ни одной записи"}: выберите одну через ` +
    `--target (${ids.join(", ") || "ни одной верной"})`,
  noTarget: (id: string, ids: readonly string[]) => `В TARGETS нет «${id}» (${ids.join(", ")})`,
  targetNeedsTargets: "--target работает только с TARGETS в настройках",
  stateUnreadable: (path: string, reason: string) =>
    `Не удалось прочитать файл состояния ${path}: ${reason}`,
  targetsHeadline: (count: number) =>
    `${count} ${russianPlural(count, "запись", "записи", "записей")} TARGETS`,
  targetTab: (tab: string | undefined, siteId: string) => `лист «${tab ?? "(первый)"}» → ${siteId}`,
  targetFailed: (message: string) => `не готово: ${message}`,
  targetReady: (valid: number, problems: number) =>
    `готово: к отправке ${valid}, ошибок в строках ${problems}`,
  targetSettings: (problem: string) => `настройки: ${problem}`,
  /** `check` with several targets: how they fit Google's read quota at the cron. */
  quota: {
    headline: (
      perMinute: number,
      perProject: number,
      readsPerRun: number,
      headroomPercent: number,
    ) =>
      `Квота Google (${perMinute} чтений в минуту на сервисный аккаунт, ${perProject} на ` +
      `проект; запуск читает до ${readsPerRun} раз, ${headroomPercent}% оставлено для ручных ` +
      "запусков):",
    cronFrom: {
      toml: "`wrangler.toml`",
      noToml: "`wrangler.toml` здесь нет: расписание из `wrangler.toml` этого проекта",
      noCron: "в `wrangler.toml` нет `crons`: расписание из `wrangler.toml` этого проекта",
    },
    notUnderstood: "; не разобрано: считаем 1 минуту",
    serves: (cron: string, from: string, perTick: number, total: number) =>
      `при ${cron} (${from}) один запуск успевает ${perTick} из ${total} ` +
      russianPlural(total, "таблицы", "таблиц", "таблиц"),
    everyTick: ": все, каждый запуск",
    every: (minutes: number) => `; каждая синхронизируется раз в ${minutes} мин`,
    account: (account: string, targets: number, perTick: number, ticks: number) =>
      `${account}: ${targets} ${russianPlural(targets, "таблица", "таблицы", "таблиц")}, ` +
      `${perTick} за запуск` + (ticks > 1 ? `, каждая раз в ${ticks} запуска(ов)` : ""),
    advice: (cron: string, accounts: number, projects: number) =>
      `чтобы каждая успевала за один запуск: \`crons = ["${cron}"]\` в \`wrangler.toml\` или ` +
      `${accounts} сервисных аккаунтов (\`googleServiceAccountSecret\`) в ${projects} проектах ` +
      "Google Cloud при этом расписании",
  },
  /** `verify`. */
  verifyNeedsToken:
    "`verify` читает журнал сделок Calltouch: задайте CALLTOUCH_STATS_TOKEN (токен статистики: " +
    "в Calltouch «Интеграции → API»; это не API-ключ сделок)",
  verifyHeadline: (checked: number, journal: number, window?: { from: string; to: string }) =>
    `${checked} ${russianPlural(checked, "сделка", "сделки", "сделок")} таблицы против ` +
    `${journal} в журнале Calltouch` +
    (window ? ` (даты сделок ${window.from} … ${window.to})` : ""),
  agrees: "Всё сходится.",
  mismatch: {
    missing: "нет в Calltouch",
    status: "другой статус",
    revenue: "другая сумма",
    date: "другая дата сделки",
    extra: "есть в Calltouch, нет в таблице",
  },
  differences: (count: number) =>
    `${count} ${russianPlural(count, "расхождение", "расхождения", "расхождений")}. ` +
    "Сделка, изменённая в Calltouch, будет перезаписана данными таблицы при следующем изменении " +
    "строки; недостающая уйдёт, когда строка изменится или её ячейка статуса будет очищена.",
  crmUnknown:
    "Журнал не говорит, какая CRM создала сделку: сделки Calltouch, которых нет в таблице, не " +
    "перечислены.",
  /** `probe`. */
  probeHeadline: (siteId: string, apiUrl: string, orderNumber: string) =>
    `Проверка Calltouch: проект ${siteId} по адресу ${apiUrl}, тестовая сделка ${orderNumber}:`,
  noAnswer: "(нет ответа)",
  emptyBody: "(пустой ответ)",
  probeCall: (step: number, title: string, method: string, orderNumber: string) =>
    `${step}. ${title} (${method} ${orderNumber})`,
  probeAnswer: (status: number | undefined, body: string) =>
    `ответ: ${status === undefined ? "нет" : `HTTP ${status}`} ${body}`,
  probeReading: (reading: string, reason?: string) =>
    `синхронизация понимает: ${reading}${reason ? ` — ${reason}` : ""}`,
  probeIntended: (intended: boolean, note: string) =>
    `${intended ? "как задумано" : "НЕ как задумано"}: ${note}`,
  probeColumns: {
    step: "#",
    call: "вызов",
    status: "HTTP",
    reading: "понят как",
    intended: "как задумано",
  },
  yes: "да",
  no: "НЕТ",
  probeOk: "Каждый ответ понят как задумано: синхронизацию можно запускать.",
  probeNotOk:
    "Некоторые ответы поняты не так, как задумано: разберитесь до первой настоящей синхронизации.",
  probeSaved: (file: string) =>
    `Сохранено в ${file} (приложите к обращению в поддержку; токен скрыт).`,
  probeLeft: (orderNumbers: readonly string[]) =>
    `Остались в Calltouch, помечены как тестовые: ${orderNumbers.join(", ")}. Документированные ` +
    "методы Calltouch не удаляют сделки: при желании удалите их в журнале сделок Calltouch.",
};

/** The shape of the command line's words: the Russian ones'. */
export type CliWords = typeof RU_CLI;
