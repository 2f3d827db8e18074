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
import { DAY_RESUMES_AT } from "../util/calltouch_day.ts";
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
    /**
     * Calltouch's daily API points are spent. No time in it: the text stays the same while the
     * project rests (no rewrite every tick).
     */
    dailyLimit:
      `⏳ дневной лимит API Calltouch исчерпан, отправим автоматически после ${DAY_RESUMES_AT} МСК`,
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
    /** `perMinute`: the service account's reads a minute (`GOOGLE_READS_PER_MINUTE`). */
    quota: (perMinute: number) =>
      `Превышена квота запросов к Google Таблицам (${perMinute} в минуту); повторим при ` +
      "следующем запуске.",
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
    /** Calltouch said the project's daily API points are spent (see `calltouch/points.ts`). */
    pointsSpent: () =>
      "Calltouch: дневной лимит баллов API проекта исчерпан. Отправка продолжится " +
      `автоматически после ${DAY_RESUMES_AT} по Москве, ничего не потеряно: сделки ждут (⏳). Чтобы ` +
      "продолжить раньше, попросите поддержку Calltouch увеличить лимит",
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
    /** How the targets fit Google's read quota at the cron (see `schedule.ts`). */
    quota: ({ cron, perMinute, perTick, targets, everyMinutes }: {
      cron: string;
      perMinute: number;
      perTick: number;
      targets: number;
      everyMinutes?: number;
    }) =>
      `Квота Google — ${perMinute} чтений в минуту на сервисный аккаунт: при расписании ${cron} один ` +
      `запуск успевает ${perTick} из ${targets} ` +
      `${russianPlural(targets, "таблицы", "таблиц", "таблиц")}` +
      (everyMinutes === undefined
        ? " — все."
        : `; каждая синхронизируется раз в ${everyMinutes} мин.`),
    quotaAdvice: ({ cron, accounts }: { cron: string; accounts: number }) =>
      `Чтобы каждая успевала за один запуск: расписание ${cron} (\`crons\` в \`wrangler.toml\`) ` +
      "или свои сервисные аккаунты у части таблиц (`googleServiceAccountSecret`), всего " +
      `${accounts}.`,
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
};

/** The shape of every catalog: the Russian one's. */
export type Words = typeof RU;
