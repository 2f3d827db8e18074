/**
 * The «Calltouch» menu of the deals spreadsheet (Google Apps Script, V8 runtime).
 *
 * Paste this file into Extensions → Apps Script of the spreadsheet (see sheets/README.md). It
 * adds a menu that calls the Worker: «Синхронизировать сейчас» (POST /sync), «Проверить без
 * отправки» (POST /sync?dryRun=1), «Повторить отклонённые» (POST /sync?retryHeld=1) and
 * «Настройки» (the Worker's address and the sync token).
 *
 * The address and the token live in the script's properties (Script Properties), shared by
 * every editor of this spreadsheet, never in a cell. The script reads and writes no cell.
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
/** Same minimum as the Worker's SYNC_TOKEN check (src/config.ts). */
const MIN_TOKEN_LENGTH = 16;
const TOAST_SECONDS = 15;
/** The "working" toast outlives a long sync; the result toast replaces it. */
const WORKING_TOAST_SECONDS = 120;
/** Problems listed by row in the dry-run dialog; the rest are counted. */
const MAX_PROBLEMS_SHOWN = 15;
const MAX_ERROR_TEXT = 300;
/** Run-level failures the Worker reports (`error.kind`) whose message is for the clinic. */
const RUN_ERROR_PREFIX = {
  sheet: "Ошибка в таблице: ",
  google: "Ошибка Google Таблиц: ",
  calltouch: "Ошибка Calltouch: ",
};

// ---- Entry points: the only code that touches the Apps Script globals. ----

/** Simple trigger: adds the menu when the spreadsheet opens. */
// deno-lint-ignore no-unused-vars
function onOpen() {
  addMenu_(SpreadsheetApp.getUi());
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

// ---- Menu actions. ----

function addMenu_(ui) {
  ui.createMenu(MENU_TITLE)
    .addItem("Синхронизировать сейчас", "menuSync")
    .addItem("Проверить без отправки", "menuDryRun")
    .addItem("Повторить отклонённые", "menuRetryHeld")
    .addSeparator()
    .addItem("Настройки", "menuSettings")
    .addToUi();
}

/**
 * POST /sync (with `options.retryHeld`: POST /sync?retryHeld=1, which sends every deal Calltouch
 * refused again), then a toast with the counts of the run report.
 */
function syncNow_(services, options) {
  const retryHeld = Boolean(options && options.retryHeld);
  const settings = readSettings_(services.properties);
  if (!settings) return askForSettings_(services.ui);
  services.spreadsheet.toast(
    retryHeld ? "Отправляю отклонённые сделки ещё раз…" : "Отправляю сделки в Calltouch…",
    MENU_TITLE,
    WORKING_TOAST_SECONDS,
  );
  const answer = callWorker_(services.fetcher, settings, retryHeld ? "/sync?retryHeld=1" : "/sync");
  if (!answer.ok) return showError_(services.ui, answer.message);
  const counts = answer.report.counts;
  const lines = [
    "Создано: " + count_(counts.created),
    "обновлено: " + count_(counts.updated),
    "без изменений: " + count_(counts.unchanged),
    "ошибки в данных: " + count_(counts.invalid),
    "не принято: " + count_(counts.failed) +
    (count_(counts.retrying) > 0
      ? " (" + count_(counts.retrying) + " повторим автоматически)"
      : ""),
  ];
  if (count_(counts.held) > 0) lines.push("ждут исправления: " + count_(counts.held));
  let text = lines.join(", ") + ".";
  if (count_(counts.invalid) + count_(counts.failed) + count_(counts.held) > 0) {
    text += " Подробности — в столбце Calltouch.";
  }
  services.spreadsheet.toast(text, "Calltouch: синхронизация завершена", TOAST_SECONDS);
}

/** POST /sync?dryRun=1, then a dialog: what would be sent, and the problems by row. */
function dryRun_(services) {
  const settings = readSettings_(services.properties);
  if (!settings) return askForSettings_(services.ui);
  const answer = callWorker_(services.fetcher, settings, "/sync?dryRun=1");
  if (!answer.ok) return showError_(services.ui, answer.message);
  services.ui.alert(
    "Проверка без отправки",
    describeDryRun_(answer.report),
    services.ui.ButtonSet.OK,
  );
}

/** Two prompts (address, then token); saves both only when both are valid. */
function editSettings_(services) {
  const ui = services.ui;
  const currentUrl = services.properties.getProperty(PROPERTY_URL) || "";
  const hasToken = Boolean(services.properties.getProperty(PROPERTY_TOKEN));

  const urlAnswer = ui.prompt(
    "Настройки Calltouch (1/2): адрес Worker",
    "Адрес, по которому работает синхронизация, например https://calltouch-sheet-sync.clinic.workers.dev" +
      (currentUrl ? "\n\nСейчас: " + currentUrl + "\nОставьте поле пустым, чтобы не менять." : ""),
    ui.ButtonSet.OK_CANCEL,
  );
  if (urlAnswer.getSelectedButton() !== ui.Button.OK) return;
  const typedUrl = urlAnswer.getResponseText().trim();
  const url = typedUrl ? normalizeWorkerUrl_(typedUrl) : currentUrl;
  if (!url) {
    const why = typedUrl
      ? "Адрес «" + typedUrl + "» не похож на адрес Worker: ожидается https://…"
      : "Адрес не указан.";
    ui.alert("Настройки не сохранены", why, ui.ButtonSet.OK);
    return;
  }

  const tokenAnswer = ui.prompt(
    "Настройки Calltouch (2/2): токен",
    "Токен синхронизации (SYNC_TOKEN) — его выдаёт тот, кто настраивал Worker." +
      (hasToken ? "\n\nТокен уже сохранён. Оставьте поле пустым, чтобы не менять." : ""),
    ui.ButtonSet.OK_CANCEL,
  );
  if (tokenAnswer.getSelectedButton() !== ui.Button.OK) return;
  const typedToken = tokenAnswer.getResponseText().trim();
  if (!typedToken && !hasToken) {
    ui.alert("Настройки не сохранены", "Токен не указан.", ui.ButtonSet.OK);
    return;
  }
  if (typedToken && (typedToken.length < MIN_TOKEN_LENGTH || /\s/.test(typedToken))) {
    ui.alert(
      "Настройки не сохранены",
      "Токен должен быть не короче " + MIN_TOKEN_LENGTH + " символов и без пробелов. " +
        "Скопируйте его целиком.",
      ui.ButtonSet.OK,
    );
    return;
  }

  const values = {};
  values[PROPERTY_URL] = url;
  if (typedToken) values[PROPERTY_TOKEN] = typedToken;
  services.properties.setProperties(values);
  ui.alert(
    "Настройки сохранены",
    "Адрес: " + url + "\nПроверьте связь: Calltouch → Проверить без отправки.",
    ui.ButtonSet.OK,
  );
}

// ---- Helpers (pure, or taking the services they use). ----

/** The saved address and token, or null when either is missing. */
function readSettings_(properties) {
  const url = properties.getProperty(PROPERTY_URL);
  const token = properties.getProperty(PROPERTY_TOKEN);
  return url && token ? { url: url, token: token } : null;
}

function askForSettings_(ui) {
  ui.alert(
    "Calltouch не настроен",
    "Укажите адрес Worker и токен синхронизации: Calltouch → Настройки.",
    ui.ButtonSet.OK,
  );
}

function showError_(ui, message) {
  ui.alert("Calltouch: не получилось", message, ui.ButtonSet.OK);
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
 * Sends `POST <url><path>` with the bearer token. Returns `{ ok: true, report }` with the run
 * report, or `{ ok: false, message }` with a sentence for the clinic. Never throws, and never
 * puts the token into a message.
 */
function callWorker_(fetcher, settings, path) {
  let response;
  try {
    response = fetcher.fetch(settings.url + path, {
      method: "post",
      headers: { Authorization: "Bearer " + settings.token, Accept: "application/json" },
      muteHttpExceptions: true,
      followRedirects: false,
    });
  } catch (error) {
    return { ok: false, message: unreachableMessage_(settings.url, error) };
  }
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
    return {
      ok: false,
      message: "По адресу " + settings.url +
        " отвечает не Worker синхронизации (ответ без отчёта). " +
        "Проверьте адрес: Calltouch → Настройки.",
    };
  }
  return { ok: false, message: explainFailure_(status, text, body, settings.url) };
}

/** Words for a non-2xx answer of the Worker. */
function explainFailure_(status, text, body, url) {
  if (status === 401) {
    return "Worker не принял токен (ответ 401). Проверьте токен: Calltouch → Настройки.";
  }
  const problems = problemList_(body);
  if (status >= 500 && problems.length > 0) {
    return "Worker не может работать: в его настройках ошибки. Передайте этот список тому, " +
      "кто настраивал Worker:\n• " + problems.join("\n• ");
  }
  const kind = body && body.error && typeof body.error === "object" ? body.error.kind : undefined;
  const runMessage = kind && typeof body.error.message === "string" ? body.error.message : "";
  if (runMessage && Object.prototype.hasOwnProperty.call(RUN_ERROR_PREFIX, kind)) {
    return RUN_ERROR_PREFIX[kind] + runMessage;
  }
  if (status === 404 || status === 405) {
    return "По адресу " + url + " нет синхронизации (ответ " + status + "). " +
      "Проверьте адрес: Calltouch → Настройки.";
  }
  if (status >= 300 && status < 400) {
    return "Worker перенаправляет запрос (ответ " + status + "). Проверьте адрес: он должен " +
      "начинаться с https:// и вести прямо на Worker (Calltouch → Настройки).";
  }
  const detail = errorText_(body, text);
  return "Worker ответил ошибкой " + status + (detail ? ": " + detail : ".");
}

function unreachableMessage_(url, error) {
  const reason = String(error && error.message ? error.message : error);
  if (/timed? ?out|timeout/i.test(reason)) {
    return "Worker по адресу " + url + " не ответил вовремя. Возможно, он не работает или " +
      "адрес неверен (Calltouch → Настройки). Если синхронизация всё же прошла, итог появится " +
      "в столбце Calltouch.";
  }
  return "Не удалось связаться с Worker по адресу " + url + ": адрес неверен или Worker не " +
    "работает. Проверьте адрес: Calltouch → Настройки.";
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
function describeDryRun_(report) {
  const counts = report.counts;
  const lines = [
    "Будет создано сделок: " + count_(counts.created),
    "Будет обновлено: " + count_(counts.updated),
    "Без изменений: " + count_(counts.unchanged),
  ];
  const problems = (Array.isArray(report.rows) ? report.rows : []).filter(function (row) {
    return row && row.ok === false;
  });
  lines.push("");
  if (problems.length === 0) {
    lines.push("Проблем не найдено.");
  } else {
    lines.push("Проблемы в строках (" + problems.length + "):");
    problems.slice(0, MAX_PROBLEMS_SHOWN).forEach(function (row) {
      const where = "Строка " + row.row + (row.orderNumber ? ", сделка " + row.orderNumber : "");
      // Status texts start with ❌ or ⏳; in a list of problems the mark says nothing more.
      const message = String(row.message || "ошибка без описания").replace(/^(❌|⏳)\s*/, "");
      lines.push("• " + where + ": " + message);
    });
    if (problems.length > MAX_PROBLEMS_SHOWN) {
      lines.push("…и ещё " + (problems.length - MAX_PROBLEMS_SHOWN) + ".");
    }
  }
  lines.push("", "Это проверка: ничего не отправлено в Calltouch и не записано в таблицу.");
  return lines.join("\n");
}
