/**
 * The «Calltouch» menu of the deals spreadsheet (Google Apps Script, V8 runtime).
 *
 * Paste this file into Extensions → Apps Script of the spreadsheet (see sheets/README.md). It
 * adds a menu that calls the Worker: «Синхронизировать сейчас» (POST /sync), «Проверить без
 * отправки» (POST /sync?dryRun=1), «Повторить отклонённые» (POST /sync?retryHeld=1) and
 * «Настройки» (the Worker's address and the sync token).
 *
 * The address and the token live in the script's properties (Script Properties), shared by
 * every editor of this spreadsheet, never in a cell. The script reads and writes no cell. Every
 * editor can read that token: with several clinics (TARGETS) it is this clinic's own token
 * (`syncTokenSecret`), which opens this clinic only, never the deployment's SYNC_TOKEN.
 *
 * Language: the Worker's `STATUS_LANGUAGE` (ru or en), which every answer of the Worker states
 * in its `Content-Language` header; the script remembers it (property CALLTOUCH_LANGUAGE), so
 * from the first answer on its messages, and its menu from the next opening, speak it.
 *
 * Apps Script has no modules, so this is plain script: top-level functions only, no import or
 * export. The logic lives in functions that take the Apps Script services as an argument
 * (`services`: { fetcher, ui, spreadsheet, properties }), so `deno test` loads this same file
 * and runs it with fakes (test/sheets/apps_script_test.ts). Only the four entry points touch
 * the real globals (UrlFetchApp, SpreadsheetApp, PropertiesService). Names ending in `_` are
 * private to Apps Script (not runnable from the editor or the menu).
 */

const MENU_TITLE = "Calltouch";
const PROPERTY_URL = "CALLTOUCH_SYNC_URL";
const PROPERTY_TOKEN = "CALLTOUCH_SYNC_TOKEN";
const PROPERTY_LANGUAGE = "CALLTOUCH_LANGUAGE";
/** Same minimum as the Worker's SYNC_TOKEN check (src/config.ts). */
const MIN_TOKEN_LENGTH = 16;
const TOAST_SECONDS = 15;
/** The "working" toast outlives a long sync; the result toast replaces it. */
const WORKING_TOAST_SECONDS = 120;
/** Problems listed by row in the dry-run dialog; the rest are counted. */
const MAX_PROBLEMS_SHOWN = 15;
const MAX_ERROR_TEXT = 300;

// The texts come from the catalog of words (src/words/, section `menu`): `deno task generate`
// writes them here. Edit the catalog, never this copy.
// generated: menu-text
/** Everything the script says, in each language of `STATUS_LANGUAGE` (src/words/). */
const TEXT = {
  ru: {
    menuSync: "Синхронизировать сейчас",
    menuDryRun: "Проверить без отправки",
    menuRetryHeld: "Повторить отклонённые",
    menuSettings: "Настройки",
    sending: "Отправляю сделки в Calltouch…",
    sendingHeld: "Отправляю отклонённые сделки ещё раз…",
    created: (n) => `Создано: ${n}`,
    updated: (n) => `обновлено: ${n}`,
    unchanged: (n) => `без изменений: ${n}`,
    invalid: (n) => `ошибки в данных: ${n}`,
    failed: (n, retrying) =>
      `не принято: ${n}` + (retrying > 0 ? ` (${retrying} повторим автоматически)` : ""),
    held: (n) => `ждут исправления: ${n}`,
    seeColumn: "Подробности — в столбце Calltouch.",
    syncDone: "Calltouch: синхронизация завершена",
    dryRunTitle: "Проверка без отправки",
    urlTitle: "Настройки Calltouch (1/2): адрес Worker",
    urlPrompt:
      "Адрес, по которому работает синхронизация, например https://calltouch-sheet-sync.clinic.workers.dev",
    urlNow: (url) => `Сейчас: ${url}\nОставьте поле пустым, чтобы не менять.`,
    notSaved: "Настройки не сохранены",
    badUrl: (url) => `Адрес «${url}» не похож на адрес Worker: ожидается https://…`,
    noUrl: "Адрес не указан.",
    tokenTitle: "Настройки Calltouch (2/2): токен",
    tokenPrompt:
      "Токен синхронизации этой таблицы — его выдаёт тот, кто настраивал Worker. Если Worker обслуживает несколько клиник, это токен вашей клиники, а не токен администратора (SYNC_TOKEN): токен здесь может прочитать любой редактор таблицы.",
    tokenKept: "Токен уже сохранён. Оставьте поле пустым, чтобы не менять.",
    noToken: "Токен не указан.",
    badToken: (min) =>
      `Токен должен быть не короче ${min} символов и без пробелов. Скопируйте его целиком.`,
    saved: "Настройки сохранены",
    savedText: (url) => `Адрес: ${url}\nПроверьте связь: Calltouch → Проверить без отправки.`,
    notConfigured: "Calltouch не настроен",
    notConfiguredText: "Укажите адрес Worker и токен синхронизации: Calltouch → Настройки.",
    failedTitle: "Calltouch: не получилось",
    notTheWorker: (url) =>
      `По адресу ${url} отвечает не Worker синхронизации (ответ без отчёта). ` +
      "Проверьте адрес: Calltouch → Настройки.",
    tokenRefused: "Worker не принял токен (ответ 401). Проверьте токен: Calltouch → Настройки.",
    forbidden: (tab, targets) =>
      `Токен из настроек не открывает лист «${tab}» этой таблицы` +
      (targets.length > 0 ? ` (он открывает: ${targets.join(", ")})` : "") +
      ". Перейдите на лист, который синхронизируется, или введите токен этой таблицы: " +
      "Calltouch → Настройки. Токен даёт тот, кто настраивал Worker.",
    throttled: (minutes) =>
      "Worker временно не принимает запросы с этого адреса: слишком много попыток с неверным " +
      `токеном. Попробуйте через ${minutes} мин. и проверьте токен: Calltouch → Настройки.`,
    workerSettings: (problems) =>
      "Worker не может работать: в его настройках ошибки. Передайте этот список тому, кто " +
      `настраивал Worker:\n• ${problems.join("\n• ")}`,
    runError: {
      sheet: (message) => `Проблема в таблице: ${message}`,
      google: (message) => `Проблема с Google Таблицами: ${message}`,
      calltouch: (message) => `Проблема с Calltouch: ${message}`,
    },
    noSync: (url, status) =>
      `По адресу ${url} нет синхронизации (ответ ${status}). Проверьте адрес: Calltouch → Настройки.`,
    redirect: (status) =>
      `Worker перенаправляет запрос (ответ ${status}). Проверьте адрес: он должен начинаться с ` +
      "https:// и вести прямо на Worker (Calltouch → Настройки).",
    workerError: (status, detail) =>
      `Worker ответил ошибкой ${status}` + (detail ? `: ${detail}` : "."),
    timeout: (url) =>
      `Worker по адресу ${url} не ответил вовремя. Возможно, он не работает или адрес неверен ` +
      "(Calltouch → Настройки). Если синхронизация всё же прошла, итог появится в столбце " +
      "Calltouch.",
    unreachable: (url) =>
      `Не удалось связаться с Worker по адресу ${url}: адрес неверен или Worker не работает. ` +
      "Проверьте адрес: Calltouch → Настройки.",
    willCreate: (n) => `Будет создано сделок: ${n}`,
    willUpdate: (n) => `Будет обновлено: ${n}`,
    willKeep: (n) => `Без изменений: ${n}`,
    noProblems: "Проблем не найдено.",
    problems: (n) => `Проблемы в строках (${n}):`,
    where: (row, orderNumber) => `Строка ${row}` + (orderNumber ? `, сделка ${orderNumber}` : ""),
    noMessage: "ошибка без описания",
    more: (n) => `…и ещё ${n}.`,
    dryRunNote: "Это проверка: ничего не отправлено в Calltouch и не записано в таблицу.",
  },
  en: {
    menuSync: "Sync now",
    menuDryRun: "Check without sending",
    menuRetryHeld: "Retry refused deals",
    menuSettings: "Settings",
    sending: "Sending deals to Calltouch…",
    sendingHeld: "Sending the refused deals again…",
    created: (n) => `Created: ${n}`,
    updated: (n) => `updated: ${n}`,
    unchanged: (n) => `unchanged: ${n}`,
    invalid: (n) => `rows with mistakes: ${n}`,
    failed: (n, retrying) =>
      `not accepted: ${n}` + (retrying > 0 ? ` (${retrying} will be retried automatically)` : ""),
    held: (n) => `waiting for a fix: ${n}`,
    seeColumn: "Details are in the Calltouch column.",
    syncDone: "Calltouch: sync finished",
    dryRunTitle: "Check without sending",
    urlTitle: "Calltouch settings (1/2): Worker address",
    urlPrompt: "The address of the sync, e.g. https://calltouch-sheet-sync.clinic.workers.dev",
    urlNow: (url) => `Now: ${url}\nLeave the field empty to keep it.`,
    notSaved: "Settings not saved",
    badUrl: (url) => `«${url}» does not look like the Worker's address: expected https://…`,
    noUrl: "No address given.",
    tokenTitle: "Calltouch settings (2/2): token",
    tokenPrompt:
      "This spreadsheet's sync token: the person who set up the Worker gives it to you. If the Worker serves several clinics, it is your clinic's token, not the admin's SYNC_TOKEN: every editor of the spreadsheet can read the token kept here.",
    tokenKept: "A token is saved. Leave the field empty to keep it.",
    noToken: "No token given.",
    badToken: (min) => `The token has at least ${min} characters and no spaces. Copy all of it.`,
    saved: "Settings saved",
    savedText: (url) => `Address: ${url}\nTest the connection: Calltouch → Check without sending.`,
    notConfigured: "Calltouch is not set up",
    notConfiguredText: "Enter the Worker's address and the sync token: Calltouch → Settings.",
    failedTitle: "Calltouch: it did not work",
    notTheWorker: (url) =>
      `What answers at ${url} is not the sync Worker (no report in its answer). ` +
      "Check the address: Calltouch → Settings.",
    tokenRefused:
      "The Worker refused the token (answer 401). Check the token: Calltouch → Settings.",
    forbidden: (tab, targets) =>
      `The token in the settings does not open the tab «${tab}» of this spreadsheet` +
      (targets.length > 0 ? ` (it opens: ${targets.join(", ")})` : "") +
      ". Go to a tab that is synced, or enter this spreadsheet's token: Calltouch → Settings. " +
      "The person who set up the Worker gives it to you.",
    throttled: (minutes) =>
      "The Worker refuses requests from this address for a while: too many attempts with a " +
      `wrong token. Try again in ${minutes} min and check the token: Calltouch → Settings.`,
    workerSettings: (problems) =>
      "The Worker cannot run: its settings have problems. Pass this list to the person who set " +
      `it up:\n• ${problems.join("\n• ")}`,
    runError: {
      sheet: (message) => `Problem in the sheet: ${message}`,
      google: (message) => `Problem with Google Sheets: ${message}`,
      calltouch: (message) => `Problem with Calltouch: ${message}`,
    },
    noSync: (url, status) =>
      `There is no sync at ${url} (answer ${status}). Check the address: Calltouch → Settings.`,
    redirect: (status) =>
      `The Worker redirects the request (answer ${status}). Check the address: it starts with ` +
      "https:// and leads straight to the Worker (Calltouch → Settings).",
    workerError: (status, detail) =>
      `The Worker answered with error ${status}` + (detail ? `: ${detail}` : "."),
    timeout: (url) =>
      `The Worker at ${url} did not answer in time. It may be down or the address wrong ` +
      "(Calltouch → Settings). If the sync went through anyway, the Calltouch column shows its " +
      "outcome.",
    unreachable: (url) =>
      `Could not reach the Worker at ${url}: the address is wrong or the Worker is down. ` +
      "Check the address: Calltouch → Settings.",
    willCreate: (n) => `Deals to create: ${n}`,
    willUpdate: (n) => `To update: ${n}`,
    willKeep: (n) => `Unchanged: ${n}`,
    noProblems: "No problems found.",
    problems: (n) => `Problems in rows (${n}):`,
    where: (row, orderNumber) => `Row ${row}` + (orderNumber ? `, deal ${orderNumber}` : ""),
    noMessage: "error without a description",
    more: (n) => `…and ${n} more.`,
    dryRunNote: "This is a check: nothing was sent to Calltouch or written to the sheet.",
  },
};
// /generated: menu-text

// ---- Entry points: the only code that touches the Apps Script globals. ----

/** Simple trigger: adds the menu when the spreadsheet opens. */
// deno-lint-ignore no-unused-vars
function onOpen() {
  addMenu_(SpreadsheetApp.getUi(), scriptProperties_());
}

/** Menu «Синхронизировать сейчас». */
// deno-lint-ignore no-unused-vars
function menuSync() {
  syncNow_(appsScriptServices_());
}

/** Menu «Повторить отклонённые». */
// deno-lint-ignore no-unused-vars
function menuRetryHeld() {
  syncNow_(appsScriptServices_(), { retryHeld: true });
}

/** Menu «Проверить без отправки». */
// deno-lint-ignore no-unused-vars
function menuDryRun() {
  dryRun_(appsScriptServices_());
}

/** Menu «Настройки». */
// deno-lint-ignore no-unused-vars
function menuSettings() {
  editSettings_(appsScriptServices_());
}

function appsScriptServices_() {
  return {
    fetcher: UrlFetchApp,
    ui: SpreadsheetApp.getUi(),
    spreadsheet: SpreadsheetApp.getActiveSpreadsheet(),
    properties: PropertiesService.getScriptProperties(),
  };
}

/** The script's properties, or null where Apps Script does not allow them (add-on NONE mode). */
function scriptProperties_() {
  try {
    return PropertiesService.getScriptProperties();
  } catch (_error) {
    return null;
  }
}

/** The texts in the Worker's language, as last learnt (Russian until then). */
function text_(properties) {
  const language = properties ? properties.getProperty(PROPERTY_LANGUAGE) : null;
  return TEXT[language === "en" ? "en" : "ru"];
}

/** A header of a UrlFetchApp response, whatever its case ("" when absent). */
function header_(response, wanted) {
  const headers = typeof response.getHeaders === "function" ? response.getHeaders() || {} : {};
  for (const name in headers) {
    if (name.toLowerCase() === wanted) return String(headers[name]).trim();
  }
  return "";
}

/** Remembers the language a Worker's answer states (`Content-Language`), when it says one. */
function learnLanguage_(properties, response) {
  const language = header_(response, "content-language");
  if (
    (language === "ru" || language === "en") &&
    properties.getProperty(PROPERTY_LANGUAGE) !== language
  ) {
    properties.setProperty(PROPERTY_LANGUAGE, language);
  }
}

// ---- Menu actions. ----

function addMenu_(ui, properties) {
  const t = text_(properties);
  ui.createMenu(MENU_TITLE)
    .addItem(t.menuSync, "menuSync")
    .addItem(t.menuDryRun, "menuDryRun")
    .addItem(t.menuRetryHeld, "menuRetryHeld")
    .addSeparator()
    .addItem(t.menuSettings, "menuSettings")
    .addToUi();
}

/**
 * POST /sync (with `options.retryHeld`: POST /sync?retryHeld=1, which sends every deal Calltouch
 * refused again), then a toast with the counts of the run report.
 */
function syncNow_(services, options) {
  const retryHeld = Boolean(options && options.retryHeld);
  const settings = readSettings_(services.properties);
  if (!settings) return askForSettings_(services);
  services.spreadsheet.toast(
    retryHeld ? text_(services.properties).sendingHeld : text_(services.properties).sending,
    MENU_TITLE,
    WORKING_TOAST_SECONDS,
  );
  const answer = callWorker_(services, settings, retryHeld ? "/sync?retryHeld=1" : "/sync");
  if (!answer.ok) return showError_(services, answer.message);
  const t = text_(services.properties);
  const counts = answer.report.counts;
  const lines = [
    t.created(count_(counts.created)),
    t.updated(count_(counts.updated)),
    t.unchanged(count_(counts.unchanged)),
    t.invalid(count_(counts.invalid)),
    t.failed(count_(counts.failed), count_(counts.retrying)),
  ];
  if (count_(counts.held) > 0) lines.push(t.held(count_(counts.held)));
  let text = lines.join(", ") + ".";
  if (count_(counts.invalid) + count_(counts.failed) + count_(counts.held) > 0) {
    text += " " + t.seeColumn;
  }
  services.spreadsheet.toast(text, t.syncDone, TOAST_SECONDS);
}

/** POST /sync?dryRun=1, then a dialog: what would be sent, and the problems by row. */
function dryRun_(services) {
  const settings = readSettings_(services.properties);
  if (!settings) return askForSettings_(services);
  const answer = callWorker_(services, settings, "/sync?dryRun=1");
  if (!answer.ok) return showError_(services, answer.message);
  const t = text_(services.properties);
  services.ui.alert(t.dryRunTitle, describeDryRun_(answer.report, t), services.ui.ButtonSet.OK);
}

/** Two prompts (address, then token); saves both only when both are valid. */
function editSettings_(services) {
  const ui = services.ui;
  const t = text_(services.properties);
  const currentUrl = services.properties.getProperty(PROPERTY_URL) || "";
  const hasToken = Boolean(services.properties.getProperty(PROPERTY_TOKEN));

  const urlAnswer = ui.prompt(
    t.urlTitle,
    t.urlPrompt + (currentUrl ? "\n\n" + t.urlNow(currentUrl) : ""),
    ui.ButtonSet.OK_CANCEL,
  );
  if (urlAnswer.getSelectedButton() !== ui.Button.OK) return;
  const typedUrl = urlAnswer.getResponseText().trim();
  const url = typedUrl ? normalizeWorkerUrl_(typedUrl) : currentUrl;
  if (!url) {
    ui.alert(t.notSaved, typedUrl ? t.badUrl(typedUrl) : t.noUrl, ui.ButtonSet.OK);
    return;
  }

  const tokenAnswer = ui.prompt(
    t.tokenTitle,
    t.tokenPrompt + (hasToken ? "\n\n" + t.tokenKept : ""),
    ui.ButtonSet.OK_CANCEL,
  );
  if (tokenAnswer.getSelectedButton() !== ui.Button.OK) return;
  const typedToken = tokenAnswer.getResponseText().trim();
  if (!typedToken && !hasToken) {
    ui.alert(t.notSaved, t.noToken, ui.ButtonSet.OK);
    return;
  }
  if (typedToken && (typedToken.length < MIN_TOKEN_LENGTH || /\s/.test(typedToken))) {
    ui.alert(t.notSaved, t.badToken(MIN_TOKEN_LENGTH), ui.ButtonSet.OK);
    return;
  }

  const values = {};
  values[PROPERTY_URL] = url;
  if (typedToken) values[PROPERTY_TOKEN] = typedToken;
  services.properties.setProperties(values);
  ui.alert(t.saved, t.savedText(url), ui.ButtonSet.OK);
}

// ---- Helpers (pure, or taking the services they use). ----

/** The saved address and token, or null when either is missing. */
function readSettings_(properties) {
  const url = properties.getProperty(PROPERTY_URL);
  const token = properties.getProperty(PROPERTY_TOKEN);
  return url && token ? { url: url, token: token } : null;
}

function askForSettings_(services) {
  const t = text_(services.properties);
  services.ui.alert(t.notConfigured, t.notConfiguredText, services.ui.ButtonSet.OK);
}

function showError_(services, message) {
  services.ui.alert(text_(services.properties).failedTitle, message, services.ui.ButtonSet.OK);
}

/**
 * `https://host[/path]` without a trailing slash, query or `/sync`; adds `https://` when no
 * scheme is given. Null for anything else (plain http is refused: the token would travel in
 * clear text).
 */
function normalizeWorkerUrl_(text) {
  let url = String(text).trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) url = "https://" + url;
  url = url.replace(/[?#].*$/, "").replace(/\/+$/, "").replace(/\/sync$/i, "").replace(/\/+$/, "");
  return /^https:\/\/[^\s/?#:@]+\.[^\s/?#:@]+(:\d+)?(\/[^\s?#]*)?$/i.test(url) ? url : null;
}

/**
 * `spreadsheet=<id>&tab=<name>` of this spreadsheet and the tab the user is on: a Worker serving
 * several sheets or tabs (TARGETS) syncs the one the menu was used in. Names only, no cell.
 */
function targetQuery_(services, path) {
  const tab = services.spreadsheet.getActiveSheet().getName();
  return (path.indexOf("?") < 0 ? "?" : "&") + "spreadsheet=" +
    encodeURIComponent(services.spreadsheet.getId()) + "&tab=" + encodeURIComponent(tab);
}

/**
 * Sends `POST <url><path>` with the bearer token. Returns `{ ok: true, report }` with the run
 * report, or `{ ok: false, message }` with a sentence for the clinic. Never throws, and never
 * puts the token into a message. Learns the Worker's language from its answer.
 */
function callWorker_(services, settings, path) {
  let response;
  try {
    response = services.fetcher.fetch(settings.url + path + targetQuery_(services, path), {
      method: "post",
      headers: { Authorization: "Bearer " + settings.token, Accept: "application/json" },
      muteHttpExceptions: true,
      followRedirects: false,
    });
  } catch (error) {
    return {
      ok: false,
      message: unreachableMessage_(text_(services.properties), settings.url, error),
    };
  }
  learnLanguage_(services.properties, response);
  const t = text_(services.properties);
  const status = response.getResponseCode();
  const text = response.getContentText() || "";
  const body = parseJson_(text);
  if (status >= 200 && status < 300) {
    const report = body && body.counts
      ? body
      : body && body.report && body.report.counts
      ? body.report
      : null;
    if (report) return { ok: true, report: report };
    return { ok: false, message: t.notTheWorker(settings.url) };
  }
  if (status === 403 && body && body.error && body.error.kind === "forbidden") {
    // A clinic's token on another clinic's (or an unsynced) tab: what it does open.
    const targets = Array.isArray(body.error.targets) ? body.error.targets.map(String) : [];
    const tab = services.spreadsheet.getActiveSheet().getName();
    return { ok: false, message: t.forbidden(tab, targets) };
  }
  if (status === 429) {
    const seconds = Number(header_(response, "retry-after")) || 60;
    return { ok: false, message: t.throttled(Math.ceil(seconds / 60)) };
  }
  return { ok: false, message: explainFailure_(t, status, text, body, settings.url) };
}

/** Words for a non-2xx answer of the Worker. */
function explainFailure_(t, status, text, body, url) {
  if (status === 401) return t.tokenRefused;
  const problems = problemList_(body);
  if (status >= 500 && problems.length > 0) return t.workerSettings(problems);
  const kind = body && body.error && typeof body.error === "object" ? body.error.kind : undefined;
  const runMessage = kind && typeof body.error.message === "string" ? body.error.message : "";
  if (runMessage && Object.prototype.hasOwnProperty.call(t.runError, kind)) {
    return t.runError[kind](runMessage);
  }
  if (status === 404 || status === 405) return t.noSync(url, status);
  if (status >= 300 && status < 400) return t.redirect(status);
  return t.workerError(status, errorText_(body, text));
}

function unreachableMessage_(t, url, error) {
  const reason = String(error && error.message ? error.message : error);
  return /timed? ?out|timeout/i.test(reason) ? t.timeout(url) : t.unreachable(url);
}

/** The list of problems in an error body, whichever shape the Worker gives it. */
function problemList_(body) {
  if (!body || typeof body !== "object") return [];
  const candidates = [body.problems, body.error && body.error.problems, body.details];
  for (let i = 0; i < candidates.length; i++) {
    const list = candidates[i];
    if (Array.isArray(list) && list.length > 0) {
      return list.map(function (p) {
        return typeof p === "string" ? p : p && p.message ? String(p.message) : JSON.stringify(p);
      });
    }
  }
  return [];
}

/** A short human text from an error body: its message, else the text without markup. */
function errorText_(body, text) {
  let detail = "";
  if (body && typeof body === "object") {
    if (typeof body.error === "string") detail = body.error;
    else if (body.error && typeof body.error.message === "string") detail = body.error.message;
    else if (typeof body.message === "string") detail = body.message;
  }
  if (!detail && !body) detail = String(text).replace(/<[^>]*>/g, " ");
  detail = detail.replace(/\s+/g, " ").trim();
  return detail.length > MAX_ERROR_TEXT ? detail.slice(0, MAX_ERROR_TEXT - 1) + "…" : detail;
}

function parseJson_(text) {
  try {
    return JSON.parse(text);
  } catch (_error) {
    return null;
  }
}

function count_(value) {
  return typeof value === "number" && isFinite(value) ? value : 0;
}

/** The dry-run dialog: what would be sent, then the problems by row. No contacts in it. */
function describeDryRun_(report, t) {
  const counts = report.counts;
  const lines = [
    t.willCreate(count_(counts.created)),
    t.willUpdate(count_(counts.updated)),
    t.willKeep(count_(counts.unchanged)),
  ];
  const problems = (Array.isArray(report.rows) ? report.rows : []).filter(function (row) {
    return row && row.ok === false;
  });
  lines.push("");
  if (problems.length === 0) {
    lines.push(t.noProblems);
  } else {
    lines.push(t.problems(problems.length));
    problems.slice(0, MAX_PROBLEMS_SHOWN).forEach(function (row) {
      // Status texts start with ❌ or ⏳; in a list of problems the mark says nothing more.
      const message = String(row.message || t.noMessage).replace(/^(❌|⏳)\s*/, "");
      lines.push("• " + t.where(row.row, row.orderNumber) + ": " + message);
    });
    if (problems.length > MAX_PROBLEMS_SHOWN) {
      lines.push(t.more(problems.length - MAX_PROBLEMS_SHOWN));
    }
  }
  lines.push("", t.dryRunNote);
  return lines.join("\n");
}
