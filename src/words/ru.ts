/**
 * Every text a person reads, in Russian: the catalog the other languages are typed against (a
 * code missing in one of them does not compile). Keyed by message code, `section.code`, sections
 * by area. Voice (checked by `test/words/words_test.ts`): what failed, the value, what was
 * expected, who acts; no `!`, no "Ошибка:" in front; English only as setting names
 * (`CALLTOUCH_TOKEN`), identifiers in quotes or backticks, and the names Calltouch, Google, API,
 * HTTP, ID, CRM, JSON, URL.
 *
 * Values are quoted by the texts themselves (`ruQuote`: masked and cut), except where a
 * parameter says it is masked already.
 */
import type { RunRequests } from "../util/budget.ts";
import { MAX_YEAR, MIN_YEAR } from "../sheet/dates.ts";
import { alternatives, rowList, ruQuote as q, russianPlural, tabTitles } from "./format.ts";

const DATE_FORMATS = "ДД.ММ.ГГГГ, ДД.ММ.ГГГГ ЧЧ:ММ или ГГГГ-ММ-ДД ЧЧ:ММ";

/** The Russian catalog; its shape is {@linkcode Words}. */
export const RU = {
  /**
   * A row's status cell: `✅` accepted, `❌` the clinic must fix something, `⏳` retried
   * automatically. `at` is a date-time in the spreadsheet's zone; `check` names settings.
   */
  status: {
    created: (at: string) => `✅ создана ${at}`,
    updated: (at: string) => `✅ обновлена ${at}`,
    /** Calltouch's reason points at the row's data (`reason` quoted from Calltouch, masked). */
    rejected: (reason: string) =>
      `❌ Calltouch не принял сделку: ${reason}. Исправьте строку — мы отправим её снова.`,
    /** Calltouch refused the deal for a reason outside the row: retried daily. */
    refused: (reason: string) =>
      `❌ Calltouch не принял сделку: ${reason}. Повторим автоматически через сутки; ` +
      `чтобы отправить раньше, очистите эту ячейку.`,
    /** Fragment: the reason when Calltouch gave none. */
    noReason: "причина не указана",
    unavailable: (at: string) => `⏳ Calltouch не ответил (${at}), повторим автоматически`,
    key: (at: string, check: string) =>
      `⏳ Calltouch не принял ключ API (${at}) — проверьте ${check} (их задаёт тот, кто ` +
      `настраивал синхронизацию); сделка уйдёт при первом запуске после исправления`,
    url: (at: string, check: string) =>
      `⏳ по адресу API Calltouch нет методов сделок (${at}) — проверьте ${check} (его задаёт ` +
      `тот, кто настраивал синхронизацию); сделка уйдёт при первом запуске после исправления`,
    outOfTime: (at: string) =>
      `⏳ не успели отправить (${at}), отправим при следующей синхронизации`,
    budget: (at: string) =>
      `⏳ не уместилась в лимит запросов этого запуска (${at}), отправим при следующем`,
  },

  /**
   * Row problems the parser finds: `cell` is a `cellName` (`B5 (Дата сделки)`); values are
   * quoted as given (masked, cut). Voice: cell, what failed, the value, what is expected.
   */
  rows: {
    /** Header problem: `columns` holds, per missing column, its recognised headers (first = main). */
    missingColumns: (columns: readonly (readonly string[])[]) =>
      `В таблице нет столбцов: ${columns.map((names) => alternatives(names, "или", q)).join("; ")}`,
    idMissing: (cell: string) => `${cell}: не указан ID сделки, ожидается номер сделки`,
    /**
     * The ID cell holds a phone or an e-mail (see `idContact`): never quoted, not even masked (an
     * ID is sent, stored and shown everywhere; the message names the cell only).
     */
    idContact: (cell: string, kind: "phone" | "email") =>
      `${cell}: в ID сделки ${kind === "email" ? "e-mail" : "номер телефона"} — контакты ` +
      "в ID не отправляем и не храним, ожидается номер сделки (например, 1001 или А-1234); " +
      `${kind === "email" ? "e-mail" : "телефон"} перенесите в ${
        kind === "email" ? "столбец «Email»" : "столбец «Телефон»"
      }`,
    /** `rows`: every row carrying the ID, ascending. */
    idDuplicate: (cell: string, id: string, rows: readonly number[]) =>
      `${cell}: ID сделки ${q(id)} повторяется в строках ${
        rowList(rows, (n) => `и ещё ${n}`)
      }, ожидается свой ID у каждой сделки`,
    dateMissing: (cell: string) => `${cell}: не указана дата, ожидается ${DATE_FORMATS}`,
    dateInvalid: (cell: string, value: string) =>
      `${cell}: не удалось разобрать дату ${q(value)}, ожидается ${DATE_FORMATS}`,
    dateImpossible: (cell: string, value: string) =>
      `${cell}: нет такой даты ${
        q(value)
      }, ожидается существующий день месяца и время не позже 23:59:59`,
    dateOutOfRange: (cell: string, value: string) =>
      `${cell}: дата ${
        q(value)
      } вне допустимого диапазона, ожидается год с ${MIN_YEAR} по ${MAX_YEAR}`,
    statusMissing: (cell: string) => `${cell}: не указан статус сделки, ожидается текст статуса`,
    moneyInvalid: (cell: string, value: string) =>
      `${cell}: не удалось разобрать сумму ${q(value)}, ожидается число, например 1 000,50`,
    moneyNegative: (cell: string, value: string) =>
      `${cell}: отрицательная сумма ${q(value)}, ожидается 0 или больше`,
    moneyPrecision: (cell: string, value: string) =>
      `${cell}: в сумме ${
        q(value)
      } больше двух цифр после запятой, ожидается сумма с копейками, например 1 000,50 (тысячи отделяйте пробелом)`,
    /** `masked` must already be masked with `maskPhone`. */
    phoneInvalid: (cell: string, masked: string) =>
      `${cell}: номер «${masked}» не похож на российский, ожидается 11 цифр, например +7 900 123-45-67`,
    /** `masked` must already be masked with `maskEmail`. */
    emailInvalid: (cell: string, masked: string) =>
      `${cell}: адрес «${masked}» не похож на e-mail, ожидается вида name@example.ru`,
    /** A custom-field cell (`CUSTOM_FIELDS`) that holds a phone or an e-mail. */
    customContact: (cell: string) =>
      `${cell}: похоже на телефон или e-mail — контакты в это поле Calltouch не отправляем, ` +
      `ожидается текст без контактов (например, фамилия врача)`,
    /** Fragment: the tail of a status cell that could not show every problem of the row. */
    moreProblems: (count: number) =>
      `и ещё ${count} ${russianPlural(count, "ошибка", "ошибки", "ошибок")}`,
  },

  /**
   * Google's refusals, for the clinic administrator or the integrator: what failed, the value,
   * what to do. `email` is the service account's; texts from Google come quoted and cut.
   */
  google: {
    /** `secret`: the secret holding the key (`GOOGLE_SERVICE_ACCOUNT`, or a target's own). */
    tokenKeyRejected: (email: string, secret: string) =>
      `Google не принял подпись ключа сервисного аккаунта ${email}: ключ удалён или отозван. ` +
      `Создайте новый JSON-ключ и обновите секрет ${secret}.`,
    tokenClock: () =>
      "Google отклонил запрос токена: время сервера расходится с точным временем (поля `iat` и " +
      "`exp` в JWT). Проверьте часы сервера и повторите.",
    tokenAudience: (tokenUrl: string) =>
      `Google отклонил запрос токена: неверный адрес получателя (поле \`aud\`) «${tokenUrl}». ` +
      "Проверьте GOOGLE_TOKEN_URL (по умолчанию https://oauth2.googleapis.com/token).",
    tokenAccountMissing: (email: string, secret: string) =>
      `Сервисный аккаунт ${email} не найден в Google: он удалён или отключён. ` +
      `Создайте ключ заново и обновите секрет ${secret}.`,
    tokenScope: () =>
      "Google не разрешил сервисному аккаунту доступ к Google Таблицам (область доступа). " +
      "Проверьте, что «Google Sheets API» включён в проекте Google Cloud.",
    /** `code` and `description` are Google's (quoted, cut). */
    tokenRefused: (status: number, code: string, description: string) =>
      `Google не выдал токен доступа (HTTP ${status}, ${code}${
        description ? `: ${description}` : ""
      }).`,
    tokenUnavailable: (status: number | undefined) =>
      `Сервис авторизации Google временно недоступен${status ? ` (HTTP ${status})` : ""}; ` +
      "повторим при следующем запуске.",
    tokenTimeout: (ms: number) =>
      `Не удалось связаться с Google (нет ответа за ${ms} мс); повторим при следующем запуске.`,
    tokenMalformed: () => "Сервис авторизации Google вернул непонятный ответ без токена доступа.",
    keyUnreadable: (secret: string) =>
      `${secret}: закрытый ключ (\`private_key\`) не читается как ключ RSA в формате ` +
      "PKCS#8; вставьте содержимое JSON-файла ключа целиком.",
    notShared: (email: string) =>
      `Нет доступа к таблице: откройте доступ для сервисного аккаунта ${email} с правами «Редактор» ` +
      "(Настройки доступа → добавить этот адрес) и повторите.",
    apiDisabled: () =>
      "«Google Sheets API» не включён в проекте Google Cloud сервисного аккаунта: " +
      "включите его в консоли Google Cloud («APIs & Services → Library → Google Sheets API»).",
    /** `setting`: where the id is set (`SPREADSHEET_ID`, or a target's field). */
    notFound: (spreadsheetId: string, setting: string) =>
      `Таблица «${spreadsheetId}» не найдена: проверьте ${setting} ` +
      "(идентификатор из адреса таблицы между /d/ и /edit).",
    /** `tabs`: the titles of the other tabs. */
    tabMissing: (title: string, tabs: readonly string[], setting: string) =>
      `Лист «${title}» не найден в таблице (${
        tabs.length === 0
          ? "в таблице нет листов"
          : `есть листы: ${tabTitles(tabs, (n) => ` и ещё ${n}`)}`
      }). Проверьте ${setting} или название листа.`,
    protectedCells: (title: string, email: string) =>
      `Ячейки статуса на листе «${title}» защищены от изменений: разрешите сервисному аккаунту ${email} ` +
      "редактировать защищённый диапазон или снимите защиту с колонки статуса.",
    /** `detail`: Google's words (quoted, cut). */
    gridLimits: (title: string, detail: string) =>
      `Запись за пределами листа «${title}» не удалась: ${detail}.`,
    unauthenticated: (email: string, secret: string) =>
      `Google дважды отклонил токен доступа сервисного аккаунта ${email}. ` +
      `Проверьте ключ в ${secret} и повторите позже.`,
    insufficientScope: () =>
      "У токена сервисного аккаунта нет прав на изменение Google Таблиц (область доступа " +
      "`spreadsheets`).",
    quota: () =>
      "Превышена квота запросов к Google Таблицам (60 в минуту); повторим при следующем запуске.",
    unavailable: (status: number | undefined) =>
      `Google Таблицы временно недоступны${status ? ` (HTTP ${status})` : ""}; ` +
      "повторим при следующем запуске.",
    timeout: () => "Google Таблицы не ответили вовремя; повторим при следующем запуске.",
    budget: () =>
      "Запуск исчерпал лимит запросов (MAX_SUBREQUESTS_PER_RUN) раньше, чем дошёл до Google " +
      "Таблиц: увеличьте его; продолжим при следующем запуске.",
    /** `what`: the kind of network failure (an error's name), when it has one. */
    network: (what?: string) =>
      `Не удалось связаться с Google (${what ?? "сбой сети"}); повторим при следующем запуске.`,
    /** `code` and `message` are Google's (quoted, cut). */
    refused: (status: number, code: string, message: string) =>
      `Google Таблицы отклонили запрос (HTTP ${status}${code ? ` ${code}` : ""})` +
      `${message ? `: ${message}` : ""}.`,
    malformed: (what: "metadata" | "notJson" | "values") =>
      `Google Таблицы вернули непонятный ответ: ${
        { metadata: "без описания листов", notJson: "не JSON", values: "без значений ячеек" }[what]
      }.`,
  },

  /** Calltouch's deals API, refused or out of reach as a whole (not one deal). */
  calltouch: {
    /** `token`, `siteId`: where they are set (`CALLTOUCH_TOKEN`, or a target's secret). */
    credentials: (status: number, token: string, siteId: string) =>
      `Calltouch не принял ключ API (HTTP ${status}): проверьте ${token} (API-ключ ` +
      `проекта) и ${siteId} (ID проекта); сделки уйдут при первом запуске после исправления`,
    /** `create` and `update`: the URLs of the two methods. */
    wrongUrl: (create: string, update: string, status: number, setting: string) =>
      `По адресам ${create} и ${update} нет методов сделок Calltouch (HTTP ${status}): ` +
      `проверьте ${setting}; сделки уйдут при первом запуске после исправления`,
    /** `what`: the kind of network failure (an error's name), when it has one. */
    network: (what?: string) => `Не удалось связаться с Calltouch: ${what ?? "сбой сети"}`,
    timeout: () => "Не удалось связаться с Calltouch: нет ответа вовремя",
    /** After every retry of a "try later" answer (408, 429, 5xx). */
    status: (status: number) => `Calltouch ответил HTTP ${status}`,
  },

  /** Reading Calltouch's deals journal (CALLTOUCH_STATS_TOKEN); shown on the control panel. */
  journal: {
    /** `token`, `siteId`: where they are set (`CALLTOUCH_STATS_TOKEN`, or a target's secret). */
    token: (status: number, token: string, siteId: string) =>
      `Calltouch не принял токен статистики (HTTP ${status}): проверьте ${token} ` +
      `(в Calltouch: «Интеграции → API») и ${siteId}.`,
    notAPage: (status: number) =>
      `Журнал сделок Calltouch ответил HTTP ${status} без страницы сделок.`,
    outOfBudget: () =>
      "Время или лимит запросов запуска закончились во время чтения журнала сделок Calltouch.",
    network: () => "Журнал сделок Calltouch недоступен.",
    timeout: () => "Журнал сделок Calltouch не ответил вовремя.",
    status: (status: number) => `Журнал сделок Calltouch ответил HTTP ${status}.`,
  },

  /** The attribution column (`Источник (Calltouch)`) when the journal tells no UTM values. */
  attribution: {
    none: "лид не найден",
    unlabelled: "лид без меток",
  },

  /** The control panel (`GET /`). */
  panel: {
    title: "Синхронизация сделок с Calltouch",
    sheet: "Открыть таблицу",
    /** `tab`: the tab's title (unknown before a run read it without SHEET_NAME: the first). */
    target: (tab: string | undefined, siteId: string) =>
      `${tab ? `Лист «${tab}»` : "Первый лист таблицы"} → проект Calltouch ${siteId}`,
    /** A run's duration. */
    seconds: (ms: number) => `${(ms / 1000).toFixed(1).replace(".", ",")} с`,
    zones: (sheet: string, calltouch: string) =>
      `Часовой пояс таблицы: ${sheet}; даты уходят в Calltouch в поясе ${calltouch}`,
    zonesDiffer: "Пояса различаются: каждая дата пересчитывается из первого во второй.",
    zoneNotDefault: (zone: string) =>
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
    openCell: (cell: string) => `открыть ячейку ${cell}`,
    more: (count: number) => `…и ещё ${count}: все строки — в столбце «Calltouch» таблицы.`,
    reconciled: (n: number, at: string) =>
      `Сверка с Calltouch: ${n} ${
        russianPlural(n, "расхождение", "расхождения", "расхождений")
      }, ${at}`,
    /** `message`: why the journal could not be read (see the `journal` section). */
    reconcileFailed: (at: string, message: string) =>
      `Сверка с Calltouch не удалась (${at}): ${message}`,
    deadLetters: (n: number, at: string) =>
      `Очередь ${n} ${
        russianPlural(n, "раз", "раза", "раз")
      } прекратила попытки синхронизировать эту таблицу (последний — ${at}): причина — в последних запусках ниже.`,
    targets: "Таблицы и проекты",
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
    throttled: (minutes: number) =>
      `С этого адреса несколько раз подряд ввели неверный пароль. Попробуйте снова через ` +
      `${minutes} мин.`,
  },

  /** Sheet setup (`POST /setup`, `setup`): what was done, what the clinic should fix. */
  setup: {
    emptyHeader:
      "Строка 1 пуста: в ней должны быть заголовки столбцов. Скопируйте их из шаблона (sheets/deals-template.csv) и запустите подготовку ещё раз.",
    noContacts:
      "Нет столбца «Телефон» или «Email»: без контактов Calltouch не свяжет сделку со звонком или заявкой.",
    /** `header`: the status column's header; `grownTo`: the grid's new width, when it grew. */
    statusHeader: (header: string, cell: string, grownTo?: number) =>
      `Добавлен столбец «${header}» (ячейка ${cell}${
        grownTo ? `, лист расширен до ${grownTo} столбцов` : ""
      }): сюда записывается итог по каждой строке`,
    attributionHeader: (header: string, cell: string) =>
      `Добавлен столбец «${header}» (ячейка ${cell}): сюда записывается, ` +
      "из какой рекламы пришла сделка по данным Calltouch",
    frozen: "Закреплена строка заголовков",
    /** `names`: each colour with its prefix (`✅ зелёный`). */
    colours: (column: string, names: readonly string[]) =>
      `Цвета статусов в столбце ${column}: ${names.join(", ")}`,
    colour: { green: "зелёный", red: "красный", amber: "жёлтый" },
    dateFormat: (columns: readonly (readonly [letter: string, header: string])[]) =>
      `Формат даты и времени ДД.ММ.ГГГГ ЧЧ:ММ в ${columns.length > 1 ? "столбцах" : "столбце"} ${
        columns.map(([letter, header]) => `${letter} «${header}»`).join(", ")
      } (значения не изменились)`,
    /** The tab as the report names it; `title` empty: unknown. */
    tab: (title: string) => title ? `Лист «${title}»` : "Лист",
    prepared: (tab: string) => `${tab} подготовлен:`,
    unchanged: (tab: string) => `${tab}: ничего не изменено.`,
    alreadyPrepared: (tab: string) => `${tab} уже подготовлен: делать нечего.`,
    notes: "Обратите внимание:",
  },

  /** The HTTP layer's own refusals (JSON `error.message`, and two plain texts). */
  http: {
    unauthorized: "Нужен ключ: передайте заголовок `Authorization: Bearer <ключ>`",
    /** The settings problem when SYNC_TOKEN is not set (every route but /healthz needs it). */
    missingToken: "SYNC_TOKEN не задан: задайте длинный случайный секрет, он защищает /sync",
    panelDisabled: "SYNC_TOKEN не задан: панель управления отключена.",
    basicInvalid: "Нужен ключ: пароль — это ключ вашей клиники (или секрет SYNC_TOKEN).",
    /** `targets`: the ids the presented key opens. */
    forbidden: (targets: readonly string[]) =>
      `Этот ключ открывает только ${
        targets.map((id) => `«${id}»`).join(", ")
      }: для другой таблицы нужен её собственный ключ`,
    throttled: (seconds: number) =>
      `С этого адреса слишком много неверных ключей: попробуйте снова через ${seconds} с`,
    noRoute: (method: string, path: string) => `Нет такого адреса: ${method} ${path}`,
    noAction: (action: string) => `Нет такого действия: «${action}»`,
    noTarget: (id: string) => `В TARGETS нет «${id}»`,
    /** The sheet's menu named a spreadsheet (and tab) that no target syncs. */
    noTargetOfSheet: (tab?: string) =>
      `Эту таблицу${tab ? ` (лист «${tab}»)` : ""} не синхронизирует ни одна запись TARGETS`,
    busy: "Эта таблица уже синхронизируется: итог появится на панели управления.",
    payloadsWithheld:
      "Точные запросы содержат контакты: их получает только ключ администратора (SYNC_TOKEN)",
  },

  /** What a run says as a whole: its error, and its rows in a dry run. */
  run: {
    /** A failure nobody foresaw (a bug): the details are logged, never shown. */
    internal: "Внутренняя ошибка синхронизации: подробности — в логах.",
    /** Settings that cannot be used, one line per problem (each names its setting). */
    config: (problems: readonly string[]) =>
      `Настройки содержат ошибки:\n${problems.map((p) => `- ${p}`).join("\n")}`,
    wouldCreate: "будет создана",
    wouldUpdate: "будет обновлена",
  },

  /**
   * The command-line tool's own words (`--language ru`; English by default). Row messages come
   * in STATUS_LANGUAGE, like the status cells.
   */
  cli: {
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
    requestsToSend: (count: number) =>
      `Запросы в Calltouch, которые были бы отправлены (${count}):`,
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
    duplicate: (column: string, doc: string) =>
      `— (не используется: столбец ${column} уже — ${doc})`,
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
    internal:
      "Внутренняя ошибка синхронизации; сообщите о ней разработчикам вместе с этим текстом:",
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
    targetTab: (tab: string | undefined, siteId: string) =>
      `лист «${tab ?? "(первый)"}» → ${siteId}`,
    targetFailed: (message: string) => `не готово: ${message}`,
    targetReady: (valid: number, problems: number) =>
      `готово: к отправке ${valid}, ошибок в строках ${problems}`,
    targetSettings: (problem: string) => `настройки: ${problem}`,
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
      `Остались в Calltouch, помечены как тестовые: ${
        orderNumbers.join(", ")
      }. Документированные ` +
      "методы Calltouch не удаляют сделки: при желании удалите их в журнале сделок Calltouch.",
  },

  /**
   * The Apps Script menu of the sheet (`sheets/apps-script/Code.js`): generated into that file
   * by `deno task generate`, so every function here is self-contained (no helper, no constant
   * from outside: Apps Script runs it as plain script).
   */
  menu: {
    menuSync: "Синхронизировать сейчас",
    menuDryRun: "Проверить без отправки",
    menuRetryHeld: "Повторить отклонённые",
    menuSettings: "Настройки",
    sending: "Отправляю сделки в Calltouch…",
    sendingHeld: "Отправляю отклонённые сделки ещё раз…",
    created: (n: number) => `Создано: ${n}`,
    updated: (n: number) => `обновлено: ${n}`,
    unchanged: (n: number) => `без изменений: ${n}`,
    invalid: (n: number) => `ошибки в данных: ${n}`,
    failed: (n: number, retrying: number) =>
      `не принято: ${n}` + (retrying > 0 ? ` (${retrying} повторим автоматически)` : ""),
    held: (n: number) => `ждут исправления: ${n}`,
    seeColumn: "Подробности — в столбце Calltouch.",
    syncDone: "Calltouch: синхронизация завершена",
    dryRunTitle: "Проверка без отправки",
    urlTitle: "Настройки Calltouch (1/2): адрес Worker",
    urlPrompt:
      "Адрес, по которому работает синхронизация, например https://calltouch-sheet-sync.clinic.workers.dev",
    urlNow: (url: string) => `Сейчас: ${url}\nОставьте поле пустым, чтобы не менять.`,
    notSaved: "Настройки не сохранены",
    badUrl: (url: string) => `Адрес «${url}» не похож на адрес Worker: ожидается https://…`,
    noUrl: "Адрес не указан.",
    tokenTitle: "Настройки Calltouch (2/2): токен",
    tokenPrompt: "Токен синхронизации этой таблицы — его выдаёт тот, кто настраивал Worker. " +
      "Если Worker обслуживает несколько клиник, это токен вашей клиники, а не токен " +
      "администратора (SYNC_TOKEN): токен здесь может прочитать любой редактор таблицы.",
    tokenKept: "Токен уже сохранён. Оставьте поле пустым, чтобы не менять.",
    noToken: "Токен не указан.",
    badToken: (min: number) =>
      `Токен должен быть не короче ${min} символов и без пробелов. Скопируйте его целиком.`,
    saved: "Настройки сохранены",
    savedText: (url: string) =>
      `Адрес: ${url}\nПроверьте связь: Calltouch → Проверить без отправки.`,
    notConfigured: "Calltouch не настроен",
    notConfiguredText: "Укажите адрес Worker и токен синхронизации: Calltouch → Настройки.",
    failedTitle: "Calltouch: не получилось",
    notTheWorker: (url: string) =>
      `По адресу ${url} отвечает не Worker синхронизации (ответ без отчёта). ` +
      "Проверьте адрес: Calltouch → Настройки.",
    tokenRefused: "Worker не принял токен (ответ 401). Проверьте токен: Calltouch → Настройки.",
    /** `targets`: the ids the token opens, as the Worker names them. */
    forbidden: (tab: string, targets: readonly string[]) =>
      `Токен из настроек не открывает лист «${tab}» этой таблицы` +
      (targets.length > 0 ? ` (он открывает: ${targets.join(", ")})` : "") +
      ". Перейдите на лист, который синхронизируется, или введите токен этой таблицы: " +
      "Calltouch → Настройки. Токен даёт тот, кто настраивал Worker.",
    throttled: (minutes: number) =>
      "Worker временно не принимает запросы с этого адреса: слишком много попыток с неверным " +
      `токеном. Попробуйте через ${minutes} мин. и проверьте токен: Calltouch → Настройки.`,
    workerSettings: (problems: readonly string[]) =>
      "Worker не может работать: в его настройках ошибки. Передайте этот список тому, кто " +
      `настраивал Worker:\n• ${problems.join("\n• ")}`,
    /** Run-level failures the Worker reports (`error.kind`) whose message is for the clinic. */
    runError: {
      sheet: (message: string) => `Проблема в таблице: ${message}`,
      google: (message: string) => `Проблема с Google Таблицами: ${message}`,
      calltouch: (message: string) => `Проблема с Calltouch: ${message}`,
    },
    noSync: (url: string, status: number) =>
      `По адресу ${url} нет синхронизации (ответ ${status}). Проверьте адрес: Calltouch → Настройки.`,
    redirect: (status: number) =>
      `Worker перенаправляет запрос (ответ ${status}). Проверьте адрес: он должен начинаться с ` +
      "https:// и вести прямо на Worker (Calltouch → Настройки).",
    workerError: (status: number, detail: string) =>
      `Worker ответил ошибкой ${status}` + (detail ? `: ${detail}` : "."),
    timeout: (url: string) =>
      `Worker по адресу ${url} не ответил вовремя. Возможно, он не работает или адрес неверен ` +
      "(Calltouch → Настройки). Если синхронизация всё же прошла, итог появится в столбце " +
      "Calltouch.",
    unreachable: (url: string) =>
      `Не удалось связаться с Worker по адресу ${url}: адрес неверен или Worker не работает. ` +
      "Проверьте адрес: Calltouch → Настройки.",
    willCreate: (n: number) => `Будет создано сделок: ${n}`,
    willUpdate: (n: number) => `Будет обновлено: ${n}`,
    willKeep: (n: number) => `Без изменений: ${n}`,
    noProblems: "Проблем не найдено.",
    problems: (n: number) => `Проблемы в строках (${n}):`,
    where: (row: number, orderNumber: string) =>
      `Строка ${row}` + (orderNumber ? `, сделка ${orderNumber}` : ""),
    noMessage: "ошибка без описания",
    more: (n: number) => `…и ещё ${n}.`,
    dryRunNote: "Это проверка: ничего не отправлено в Calltouch и не записано в таблицу.",
  },
};

/** The shape of every catalog: the Russian one's. */
export type Words = typeof RU;
