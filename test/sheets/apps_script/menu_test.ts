import assert from "node:assert/strict";
import type { RunCounts } from "../../../src/sync/report.ts";
import {
  FAKE_SPREADSHEET_ID,
  FAKE_TAB,
  fakeAppsScript,
  type FetchAnswer,
  json,
} from "../support/apps_script.ts";

const URL_ = "https://calltouch-sheet-sync.clinic.workers.dev";
/** What every call adds: the sheet and tab the menu was used in (TARGETS picks by them). */
const WHERE = `spreadsheet=${encodeURIComponent(FAKE_SPREADSHEET_ID)}&tab=${
  encodeURIComponent(FAKE_TAB)
}`;
const TOKEN = "s3cr3t-sync-token-0123456789";
const SETTINGS = { CALLTOUCH_SYNC_URL: URL_, CALLTOUCH_SYNC_TOKEN: TOKEN };

function runReport(counts: Partial<RunCounts> = {}, rows: unknown[] = []) {
  return {
    trigger: "manual",
    startedAt: "2026-11-28T12:05:00.000Z",
    durationMs: 1840,
    counts: {
      rows: 14,
      created: 2,
      updated: 1,
      unchanged: 11,
      held: 0,
      invalid: 0,
      failed: 0,
      ...counts,
    },
    requests: { sheetsRead: 1, sheetsWrite: 1, calltouch: 1 },
    rows,
  };
}

function answering(answer: FetchAnswer) {
  return fakeAppsScript({ properties: SETTINGS, fetch: () => answer });
}

/** The token is only ever in the Authorization header and the token property. */
function assertTokenStaysPut(app: ReturnType<typeof fakeAppsScript>): void {
  assert.deepEqual(app.recording.sheetCalls, [], "the script touched the spreadsheet");
  for (const text of app.shownTexts()) assert.ok(!text.includes(TOKEN), `token shown: ${text}`);
  for (const request of app.recording.requests) assert.ok(!request.url.includes(TOKEN));
  for (const [key, value] of app.properties) {
    if (key !== "CALLTOUCH_SYNC_TOKEN") assert.ok(!value.includes(TOKEN), key);
  }
}

Deno.test("onOpen() adds the Calltouch menu whose items call the entry points", () => {
  const app = fakeAppsScript();
  app.script.onOpen();
  assert.deepEqual(app.recording.menus, [{
    caption: "Calltouch",
    items: [
      ["Синхронизировать сейчас", "menuSync"],
      ["Проверить без отправки", "menuDryRun"],
      ["Повторить отклонённые", "menuRetryHeld"],
      "separator",
      ["Настройки", "menuSettings"],
    ],
  }]);
  for (const [, fn] of app.recording.menus[0].items.filter(Array.isArray)) {
    assert.equal(typeof app.script[fn as keyof typeof app.script], "function", fn);
  }
  assert.deepEqual(app.recording.requests, []);
});

Deno.test("menuSync() posts /sync with the bearer token and toasts the counts", () => {
  const app = answering(json(200, runReport()));
  app.script.menuSync();
  assert.deepEqual(app.recording.requests, [{
    url: `${URL_}/sync?${WHERE}`,
    params: {
      method: "post",
      headers: { Authorization: `Bearer ${TOKEN}`, Accept: "application/json" },
      muteHttpExceptions: true,
      followRedirects: false,
    },
  }]);
  assert.deepEqual(app.recording.propertyStores, ["script"]);
  assert.equal(app.recording.toasts.length, 2, "a 'working' toast, then the result");
  assert.deepEqual(app.recording.toasts[1], {
    title: "Calltouch: синхронизация завершена",
    text: "Создано: 2, обновлено: 1, без изменений: 11, ошибки в данных: 0, не принято: 0.",
    seconds: 15,
  });
  assert.deepEqual(app.recording.alerts, []);
  assertTokenStaysPut(app);
});

Deno.test("menuRetryHeld() posts /sync?retryHeld=1 and toasts the counts", () => {
  const app = answering(json(200, runReport()));
  app.script.menuRetryHeld();
  assert.equal(app.recording.requests.length, 1);
  assert.equal(app.recording.requests[0].url, `${URL_}/sync?retryHeld=1&${WHERE}`);
  assert.match(app.recording.toasts[0].text, /отклонённые/);
  assert.equal(app.recording.toasts[1].title, "Calltouch: синхронизация завершена");
  assertTokenStaysPut(app);
});

Deno.test("menuSync() points to the status column when rows need attention", () => {
  const app = answering(json(200, runReport({ invalid: 2, failed: 1, held: 3 })));
  app.script.menuSync();
  assert.equal(
    app.recording.toasts.at(-1)?.text,
    "Создано: 2, обновлено: 1, без изменений: 11, ошибки в данных: 2, не принято: 1, " +
      "ждут исправления: 3. Подробности — в столбце Calltouch.",
  );
});

Deno.test("menuSync() says how many failed deals will be retried", () => {
  const app = answering(
    json(200, {
      ...runReport({ failed: 3 }),
      counts: { ...runReport({ failed: 3 }).counts, retrying: 2 },
    }),
  );
  app.script.menuSync();
  assert.match(app.recording.toasts.at(-1)!.text, /не принято: 3 \(2 повторим автоматически\)\./);
});

Deno.test("menuSync() and menuDryRun() ask for the settings first and send nothing", () => {
  const partial: Record<string, string>[] = [{}, { CALLTOUCH_SYNC_URL: URL_ }, {
    CALLTOUCH_SYNC_TOKEN: TOKEN,
  }];
  for (const properties of partial) {
    const app = fakeAppsScript({ properties, fetch: () => assert.fail("no request expected") });
    app.script.menuSync();
    app.script.menuDryRun();
    assert.deepEqual(app.recording.requests, []);
    assert.equal(app.recording.alerts.length, 2);
    assert.match(app.recording.alerts[0].text, /Calltouch → Настройки/);
  }
});

Deno.test("menuDryRun() posts /sync?dryRun=1 and lists what would be sent and the problems by row", () => {
  const rows = [
    { row: 2, orderNumber: "1001", action: "create", ok: true, message: "будет создана" },
    {
      row: 5,
      orderNumber: "1004",
      action: "invalid",
      ok: false,
      message: "❌ Не удалось разобрать дату «31.02.2026»: ожидается ДД.ММ.ГГГГ",
    },
    { row: 7, action: "invalid", ok: false, message: "Нет ID сделки" },
  ];
  // A dry run also returns the exact payloads, contacts included; the dialog shows none of it.
  const body = {
    ...runReport({ created: 3, updated: 1, unchanged: 9, invalid: 2 }, rows),
    trigger: "dry-run",
    payloads: [{ orderNumber: "1001", matching: [{ callContact: { phones: ["79157771122"] } }] }],
  };
  const app = answering(json(200, body));
  app.script.menuDryRun();
  assert.equal(app.recording.requests[0].url, `${URL_}/sync?dryRun=1&${WHERE}`);
  assert.equal(app.recording.requests[0].params.method, "post");
  assert.equal(app.recording.requests[0].params.headers?.Authorization, `Bearer ${TOKEN}`);
  assert.deepEqual(app.recording.alerts, [{
    title: "Проверка без отправки",
    text: [
      "Будет создано сделок: 3",
      "Будет обновлено: 1",
      "Без изменений: 9",
      "",
      "Проблемы в строках (2):",
      "• Строка 5, сделка 1004: Не удалось разобрать дату «31.02.2026»: ожидается ДД.ММ.ГГГГ",
      "• Строка 7: Нет ID сделки",
      "",
      "Это проверка: ничего не отправлено в Calltouch и не записано в таблицу.",
    ].join("\n"),
  }]);
  assert.ok(!app.shownTexts().some((t) => t.includes("79157771122")));
  assert.deepEqual(app.recording.toasts, []);
  assertTokenStaysPut(app);
});

Deno.test("menuDryRun() says when there is no problem and caps a long list", () => {
  const clean = answering(json(200, runReport()));
  clean.script.menuDryRun();
  assert.match(clean.recording.alerts[0].text, /\n\nПроблем не найдено\.\n/);

  const rows = Array.from({ length: 40 }, (_, i) => ({
    row: i + 2,
    orderNumber: String(2000 + i),
    action: "invalid",
    ok: false,
    message: "Телефон «7915***1122» не похож на номер",
  }));
  const long = answering(json(200, runReport({ invalid: 40 }, rows)));
  long.script.menuDryRun();
  const text = long.recording.alerts[0].text;
  assert.equal(text.split("\n").filter((l) => l.startsWith("• ")).length, 15);
  assert.match(text, /Проблемы в строках \(40\):/);
  assert.match(text, /…и ещё 25\./);
});

Deno.test("menu errors are shown in words, never as raw JSON", async (t) => {
  const cases: { name: string; answer: FetchAnswer; expected: RegExp }[] = [
    {
      name: "401: the token is wrong",
      answer: json(401, { error: { code: 401, message: "Unauthorized" } }),
      expected: /^Worker не принял токен \(ответ 401\)\. Проверьте токен: Calltouch → Настройки\.$/,
    },
    {
      name: "403: a clinic's token on a tab it does not open says what it opens",
      answer: json(403, {
        ok: false,
        error: {
          kind: "forbidden",
          message: 'Forbidden: this key opens only "filial1", "filial2"',
          targets: ["filial1", "filial2"],
        },
      }),
      expected:
        /^Токен из настроек не открывает лист «Сделки» этой таблицы \(он открывает: filial1, filial2\)\. Перейдите на лист, который синхронизируется, или введите токен этой таблицы: Calltouch → Настройки\. /,
    },
    {
      name: "429: too many wrong tokens from this address, and how long to wait",
      answer: json(429, {
        ok: false,
        error: { kind: "throttled", message: "Too many wrong keys", retryAfterSeconds: 540 },
      }, { "Retry-After": "540" }),
      expected:
        /^Worker временно не принимает запросы с этого адреса: слишком много попыток с неверным токеном\. Попробуйте через 9 мин\. и проверьте токен: Calltouch → Настройки\.$/,
    },
    {
      name: "unreachable: the address is wrong or the Worker is down",
      answer: { throws: `Address unavailable: ${URL_}/sync` },
      expected:
        /^Не удалось связаться с Worker по адресу https:\/\/calltouch-sheet-sync\.clinic\.workers\.dev: адрес неверен или Worker не работает\. Проверьте адрес: Calltouch → Настройки\.$/,
    },
    {
      name: "timeout",
      answer: { throws: `Timeout: ${URL_}/sync` },
      expected:
        /не ответил вовремя.*Если синхронизация всё же прошла, итог появится в столбце Calltouch\.$/s,
    },
    {
      name: "500 with a config problem list",
      answer: json(500, {
        error: {
          code: 500,
          message: "Invalid settings",
          problems: [
            "CALLTOUCH_SITE_ID is missing: the Calltouch project id (a number)",
            'SPREADSHEET_ID is neither a spreadsheet id nor a spreadsheet URL: "abc"',
          ],
        },
      }),
      expected:
        /^Worker не может работать: в его настройках ошибки\. Передайте этот список тому, кто настраивал Worker:\n• CALLTOUCH_SITE_ID is missing: the Calltouch project id \(a number\)\n• SPREADSHEET_ID is neither a spreadsheet id nor a spreadsheet URL: "abc"$/,
    },
    {
      name: "500 with problems at the top level",
      answer: json(500, { problems: ["SYNC_TOKEN is missing"] }),
      expected: /ошибки\. .*:\n• SYNC_TOKEN is missing$/,
    },
    {
      name: "422: the header of the sheet is unusable",
      answer: json(422, {
        ...runReport(),
        ok: false,
        error: {
          kind: "sheet",
          message: "В таблице нет столбцов: «Статус» (или «Статус сделки», «status»)",
        },
      }),
      expected: /^Проблема в таблице: В таблице нет столбцов: «Статус»/,
    },
    {
      name: "502: Google refused (not shared)",
      answer: json(502, {
        ...runReport(),
        ok: false,
        error: {
          kind: "google",
          message: "Таблица не открыта для sync-bot@clinic-demo.iam.gserviceaccount.com",
        },
      }),
      expected: /^Проблема с Google Таблицами: Таблица не открыта для sync-bot@/,
    },
    {
      name: "an unknown error kind is not looked up on the prototype",
      answer: json(500, { ok: false, error: { kind: "toString", message: "Boom" } }),
      expected: /^Worker ответил ошибкой 500: Boom$/,
    },
    {
      name: "other status: status and a short text",
      answer: json(503, { error: { code: 503, message: "Google Sheets is unavailable" } }),
      expected: /^Worker ответил ошибкой 503: Google Sheets is unavailable$/,
    },
    {
      name: "other status with an HTML page",
      answer: {
        status: 502,
        body: "<html><body><h1>Bad gateway</h1>\n<p>Try later</p></body></html>",
      },
      expected: /^Worker ответил ошибкой 502: Bad gateway Try later$/,
    },
    {
      name: "404: no sync at that address",
      answer: { status: 404, body: "Not Found" },
      expected:
        /^По адресу https:\/\/calltouch-sheet-sync\.clinic\.workers\.dev нет синхронизации \(ответ 404\)\. Проверьте адрес/,
    },
    {
      name: "redirect",
      answer: { status: 301, body: "" },
      expected: /^Worker перенаправляет запрос \(ответ 301\)/,
    },
    {
      name: "200 that is not a run report",
      answer: { status: 200, body: "<!doctype html><title>Parked domain</title>" },
      expected: /^По адресу .* отвечает не Worker синхронизации/,
    },
  ];
  for (const { name, answer, expected } of cases) {
    await t.step(name, () => {
      for (const action of ["menuSync", "menuDryRun"] as const) {
        const app = answering(answer);
        app.script[action]();
        assert.equal(app.recording.alerts.length, 1, action);
        assert.equal(app.recording.alerts[0].title, "Calltouch: не получилось");
        assert.match(app.recording.alerts[0].text, expected);
        assert.ok(!app.recording.alerts[0].text.includes("{"), "no raw JSON");
        assertTokenStaysPut(app);
      }
    });
  }
});

Deno.test("menuSettings() saves the address and the token in the script properties", () => {
  const app = fakeAppsScript({
    prompts: [
      { button: "OK", text: "  calltouch-sheet-sync.clinic.workers.dev/sync/  " },
      { button: "OK", text: ` ${TOKEN} ` },
    ],
  });
  app.script.menuSettings();
  assert.deepEqual(Object.fromEntries(app.properties), SETTINGS);
  assert.deepEqual(app.recording.propertyStores, ["script"]);
  assert.equal(app.recording.prompts.length, 2);
  assert.match(app.recording.prompts[0].title, /адрес Worker/);
  assert.match(app.recording.prompts[1].title, /токен/);
  // With several clinics the token kept here is the clinic's own: every editor can read it.
  assert.match(app.recording.prompts[1].text, /токен вашей клиники, а не токен администратора/);
  assert.match(app.recording.prompts[1].text, /может прочитать любой редактор таблицы/);
  assert.deepEqual(app.recording.alerts, [{
    title: "Настройки сохранены",
    text: `Адрес: ${URL_}\nПроверьте связь: Calltouch → Проверить без отправки.`,
  }]);
  assertTokenStaysPut(app);
});

Deno.test("menuSettings() keeps what is left empty and never shows the saved token", () => {
  const app = fakeAppsScript({
    properties: SETTINGS,
    prompts: [{ button: "OK", text: "" }, { button: "OK", text: "" }],
  });
  app.script.menuSettings();
  assert.deepEqual(Object.fromEntries(app.properties), SETTINGS);
  assert.match(app.recording.prompts[0].text, /Сейчас: https:\/\/calltouch-sheet-sync/);
  assert.match(app.recording.prompts[1].text, /Токен уже сохранён/);
  assertTokenStaysPut(app);

  const newToken = "another-long-sync-token-xyz";
  const changed = fakeAppsScript({
    properties: SETTINGS,
    prompts: [{ button: "OK", text: "" }, { button: "OK", text: newToken }],
  });
  changed.script.menuSettings();
  assert.deepEqual(Object.fromEntries(changed.properties), {
    ...SETTINGS,
    CALLTOUCH_SYNC_TOKEN: newToken,
  });
});

Deno.test("menuSettings() saves nothing when cancelled or given bad values", async (t) => {
  const cases: {
    name: string;
    prompts: { button: "OK" | "CANCEL" | "CLOSE"; text?: string }[];
    alert?: RegExp;
  }[] = [
    { name: "cancel at the address", prompts: [{ button: "CANCEL" }] },
    { name: "close at the address", prompts: [{ button: "CLOSE", text: URL_ }] },
    { name: "cancel at the token", prompts: [{ button: "OK", text: URL_ }, { button: "CANCEL" }] },
    {
      name: "plain http",
      prompts: [{ button: "OK", text: "http://calltouch.clinic.example" }],
      alert: /не похож на адрес Worker: ожидается https:\/\//,
    },
    {
      name: "not an address",
      prompts: [{ button: "OK", text: "мой воркер" }],
      alert: /не похож на адрес Worker/,
    },
    { name: "no address at all", prompts: [{ button: "OK", text: " " }], alert: /Адрес не указан/ },
    {
      name: "short token",
      prompts: [{ button: "OK", text: URL_ }, { button: "OK", text: "short" }],
      alert: /не короче 16 символов/,
    },
    {
      name: "token with spaces",
      prompts: [{ button: "OK", text: URL_ }, {
        button: "OK",
        text: "long token with spaces in it",
      }],
      alert: /без пробелов/,
    },
    {
      name: "no token at all",
      prompts: [{ button: "OK", text: URL_ }, { button: "OK", text: "" }],
      alert: /Токен не указан/,
    },
  ];
  for (const { name, prompts, alert } of cases) {
    await t.step(name, () => {
      const app = fakeAppsScript({ prompts });
      app.script.menuSettings();
      assert.deepEqual(Object.fromEntries(app.properties), {});
      if (alert) {
        assert.equal(app.recording.alerts.length, 1);
        assert.equal(app.recording.alerts[0].title, "Настройки не сохранены");
        assert.match(app.recording.alerts[0].text, alert);
      } else {
        assert.deepEqual(app.recording.alerts, []);
      }
      assert.deepEqual(app.recording.sheetCalls, []);
    });
  }
});

Deno.test("normalizeWorkerUrl_() accepts what people paste and refuses the rest", () => {
  const { script } = fakeAppsScript();
  const cases: [string, string | null][] = [
    [URL_, URL_],
    [`${URL_}/`, URL_],
    [`${URL_}/sync?dryRun=1&${WHERE}`, URL_],
    ["calltouch.clinic.ru", "https://calltouch.clinic.ru"],
    ["https://clinic.ru/calltouch/", "https://clinic.ru/calltouch"],
    ["https://sync.clinic.ru:8443", "https://sync.clinic.ru:8443"],
    ["http://calltouch.clinic.ru", null],
    ["ftp://calltouch.clinic.ru", null],
    ["https://localhost", null],
    ["https://user:pass@clinic.ru", null],
    ["не адрес", null],
  ];
  for (const [input, expected] of cases) assert.equal(script.normalizeWorkerUrl_(input), expected);
});

Deno.test("the whole menu never writes to the spreadsheet", () => {
  const app = fakeAppsScript({
    prompts: [{ button: "OK", text: URL_ }, { button: "OK", text: TOKEN }],
    fetch: (call) => call.url.endsWith("dryRun=1") ? json(200, runReport()) : json(401, {}),
  });
  app.script.onOpen();
  app.script.menuSettings();
  app.script.menuSync();
  app.script.menuDryRun();
  assert.equal(app.recording.requests.length, 2);
  assertTokenStaysPut(app);
});

Deno.test("the script speaks the Worker's STATUS_LANGUAGE, learnt from Content-Language", () => {
  const app = fakeAppsScript({
    properties: SETTINGS,
    fetch: () => json(200, runReport({ invalid: 1 }), { "Content-Language": "en" }),
  });
  app.script.menuSync();
  assert.equal(app.properties.get("CALLTOUCH_LANGUAGE"), "en");
  assert.deepEqual(app.recording.toasts.at(-1), {
    title: "Calltouch: sync finished",
    text: "Created: 2, updated: 1, unchanged: 11, rows with mistakes: 1, not accepted: 0. " +
      "Details are in the Calltouch column.",
    seconds: 15,
  });
  app.script.onOpen();
  assert.deepEqual(app.recording.menus[0].items, [
    ["Sync now", "menuSync"],
    ["Check without sending", "menuDryRun"],
    ["Retry refused deals", "menuRetryHeld"],
    "separator",
    ["Settings", "menuSettings"],
  ]);
  app.script.menuDryRun();
  assert.equal(app.recording.alerts.at(-1)?.title, "Check without sending");
  assert.match(app.recording.alerts.at(-1)!.text, /^Deals to create: 2\nTo update: 1/);

  // A Worker switched back to Russian is followed at its next answer.
  const back = fakeAppsScript({
    properties: Object.fromEntries(app.properties),
    fetch: () => json(401, { error: { kind: "auth" } }, { "content-language": "ru" }),
  });
  back.script.menuSync();
  assert.equal(back.properties.get("CALLTOUCH_LANGUAGE"), "ru");
  assert.match(back.recording.alerts[0].text, /Worker не принял токен/);
  assert.equal(back.recording.toasts[0].text, "Sending deals to Calltouch…", "before it knew");
});
