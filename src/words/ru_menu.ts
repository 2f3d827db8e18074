/**
 * The Apps Script menu of the sheet (`sheets/apps-script/Code.js`): generated into that file
 * by `deno task generate`, so every function here is self-contained (no helper, no constant
 * from outside: Apps Script runs it as plain script).
 */
export const RU_MENU = {
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
  savedText: (url: string) => `Адрес: ${url}\nПроверьте связь: Calltouch → Проверить без отправки.`,
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
};

/** The shape of the menu's words: the Russian ones'. */
export type MenuWords = typeof RU_MENU;
